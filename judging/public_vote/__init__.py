"""The people's choice ("Coup de cœur du public"): visitors with a verified account vote for
one project of the public gallery while the organizers' window is open; one prize of the
edition is then resolved by the votes, in the same snapshot, review and publication as the
jury's prizes.

- `models`: the window (with its prize) and the votes;
- `rules`: who may vote for what, when (one place for pages, services and counts);
- `services`, `queries`, `views`: writes, reads (suspicious patterns, counts) and pages.
"""
