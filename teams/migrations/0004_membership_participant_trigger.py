"""Only registered participants can be team members: enforced by the database itself.

The rule spans two tables (a membership and the person's registration for the edition), which
no CHECK constraint can express, so a trigger refuses the row with an integrity error.
"""

from django.db import migrations

MESSAGE = "only registered participants of the edition can be team members"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION teams_membership_participant_only() RETURNS trigger AS $$
    BEGIN
        IF NOT EXISTS (
            SELECT 1 FROM teams_registration r
            WHERE r.edition_id = NEW.edition_id AND r.user_id = NEW.user_id
              AND r.role = 'participant'
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER teams_membership_participant_only
    BEFORE INSERT OR UPDATE OF user_id, edition_id ON teams_membership
    FOR EACH ROW EXECUTE FUNCTION teams_membership_participant_only();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS teams_membership_participant_only ON teams_membership;",
    "DROP FUNCTION IF EXISTS teams_membership_participant_only();",
]

_SQLITE_CHECK = f"""
    WHEN NOT EXISTS (
        SELECT 1 FROM teams_registration r
        WHERE r.edition_id = NEW.edition_id AND r.user_id = NEW.user_id
          AND r.role = 'participant'
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
SQLITE = [
    "CREATE TRIGGER teams_membership_participant_insert BEFORE INSERT ON teams_membership"
    + _SQLITE_CHECK,
    "CREATE TRIGGER teams_membership_participant_update "
    "BEFORE UPDATE OF user_id, edition_id ON teams_membership" + _SQLITE_CHECK,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS teams_membership_participant_insert;",
    "DROP TRIGGER IF EXISTS teams_membership_participant_update;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("teams", "0003_team_host_site")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
