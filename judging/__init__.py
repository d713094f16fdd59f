"""The jury: judges, rounds, criteria, assignments, reviews, and (in `results/`) the results.

Where each concept lives (docs/architecture.md has the full map):
- `ranking/`: the ranking maths, pure functions; `round_rankings`: a round's rankings read
  from the database; `ranking_display`: rows and warnings for the organizers' page.
- `assignment_solver`: the exact assignment maths; `services/assignment`: its writes.
- `results/`: prizes, snapshots, publication and the open-data files.
"""
