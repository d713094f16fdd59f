"""The live final: finalists pitch on site in a running order, judges score on their phones
as each team finishes, and the round closes and is computed when the last pitch ends.

- `models`: the final's timing and state, and its running order;
- `services`: the order (drawn with a recorded seed, or by hand), advancing, the end;
- `queries`: the state the screens show (current, next, countdown, who scored whom);
- `views`: the presenter screen, the organizer's remote, the judges' sheet.
"""
