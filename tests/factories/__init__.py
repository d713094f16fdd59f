"""Factories, one module per app: `from tests.factories.teams import TeamFactory`."""
