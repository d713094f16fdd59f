"""Organizer, judge and participant of one edition are three different people: enforced by
the database itself (the rule and its wording live in `hackqc.roles`).

The rule spans three tables (`hackqc_editionorganizer`, `judging_judge`, and the
participant rows of `teams_registration`), which no CHECK constraint can express, so a
trigger on each refuses the row with an integrity error. On PostgreSQL the check first takes
a transaction lock on the (edition, person) pair: two transactions giving that person two
roles at once would otherwise each see no conflict and both commit.
"""

from django.db import migrations

MESSAGE = "one role per person and edition: already"

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION hackqc_role_held(p_edition bigint, p_user bigint, p_role text)
    RETURNS text AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock(
            hashtextextended('hackqc.role:' || p_edition || ':' || p_user, 0)
        );
        IF p_role <> 'participant' AND EXISTS (
            SELECT 1 FROM teams_registration
            WHERE edition_id = p_edition AND user_id = p_user AND role = 'participant'
        ) THEN
            RETURN 'participant';
        END IF;
        IF p_role <> 'judge' AND EXISTS (
            SELECT 1 FROM judging_judge WHERE edition_id = p_edition AND user_id = p_user
        ) THEN
            RETURN 'judge';
        END IF;
        IF p_role <> 'organizer' AND EXISTS (
            SELECT 1 FROM hackqc_editionorganizer
            WHERE edition_id = p_edition AND user_id = p_user
        ) THEN
            RETURN 'organizer';
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql VOLATILE;
    """,
    f"""
    CREATE OR REPLACE FUNCTION hackqc_role_exclusive() RETURNS trigger AS $$
    DECLARE
        wanted text := TG_ARGV[0];
        held text;
    BEGIN
        held := hackqc_role_held(NEW.edition_id, NEW.user_id, wanted);
        IF held IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = '{MESSAGE} ' || held || ', cannot be ' || wanted;
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER hackqc_role_exclusive
    BEFORE INSERT OR UPDATE OF user_id, edition_id, role ON teams_registration
    FOR EACH ROW WHEN (NEW.role = 'participant') EXECUTE FUNCTION hackqc_role_exclusive('participant');
    """,
    """
    CREATE TRIGGER hackqc_role_exclusive
    BEFORE INSERT OR UPDATE OF user_id, edition_id ON judging_judge
    FOR EACH ROW EXECUTE FUNCTION hackqc_role_exclusive('judge');
    """,
    """
    CREATE TRIGGER hackqc_role_exclusive
    BEFORE INSERT OR UPDATE OF user_id, edition_id ON hackqc_editionorganizer
    FOR EACH ROW EXECUTE FUNCTION hackqc_role_exclusive('organizer');
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS hackqc_role_exclusive ON teams_registration;",
    "DROP TRIGGER IF EXISTS hackqc_role_exclusive ON judging_judge;",
    "DROP TRIGGER IF EXISTS hackqc_role_exclusive ON hackqc_editionorganizer;",
    "DROP FUNCTION IF EXISTS hackqc_role_exclusive();",
    "DROP FUNCTION IF EXISTS hackqc_role_held(bigint, bigint, text);",
]

_PARTICIPANT = """EXISTS (SELECT 1 FROM teams_registration r WHERE r.edition_id = NEW.edition_id
    AND r.user_id = NEW.user_id AND r.role = 'participant')"""
_JUDGE = """EXISTS (SELECT 1 FROM judging_judge j WHERE j.edition_id = NEW.edition_id
    AND j.user_id = NEW.user_id)"""
_ORGANIZER = """EXISTS (SELECT 1 FROM hackqc_editionorganizer o
    WHERE o.edition_id = NEW.edition_id AND o.user_id = NEW.user_id)"""

# (table, columns watched on update, extra condition, roles that exclude it)
_SQLITE_TABLES = [
    ("teams_registration", "user_id, edition_id, role", "NEW.role = 'participant' AND ",
     f"({_JUDGE} OR {_ORGANIZER})"),
    ("judging_judge", "user_id, edition_id", "", f"({_PARTICIPANT} OR {_ORGANIZER})"),
    ("hackqc_editionorganizer", "user_id, edition_id", "", f"({_PARTICIPANT} OR {_JUDGE})"),
]  # fmt: skip
SQLITE = [
    f"CREATE TRIGGER {table}_role_exclusive_{event.split()[0].lower()} BEFORE {event} "
    f"ON {table} WHEN {condition}{excluded} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} another role'); END;"
    for table, columns, condition, excluded in _SQLITE_TABLES
    for event in ("INSERT", f"UPDATE OF {columns}")
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {table}_role_exclusive_{event};"
    for table, _columns, _condition, _excluded in _SQLITE_TABLES
    for event in ("insert", "update")
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("judging", "0011_assignment_mode_connected"),
        ("teams", "0005_text_length_caps"),
        ("hackqc", "0007_edition_is_synthetic"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
