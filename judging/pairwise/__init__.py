"""Pairwise expo judging (Gavel's method): a judge walks from table to table and says which of
the last two projects was better; the round is ranked by a Bradley-Terry model fitted with
`choix`.

- `models`: the comparisons, the expo's table numbers and each judge's place in the walk;
- `fitting`: the Bradley-Terry fit and its uncertainty (pure, no Django: refit offline);
- `choice`: which project a judge is sent to next (pure);
- `queries`, `services`, `views`: reads, writes and the judge's page.
"""
