"""The embedded default as a newcomer meets it (`make run`): with no environment at all,
`migrate` and `seed_demo` work on a fresh SQLite file, and the rules kept in triggers are
in place afterwards. CI runs on PostgreSQL: without this, a migration that SQLite cannot
apply would break `make run` and `make test` on a fresh machine unseen."""

import sqlite3

import pytest

from tests.hackqc.test_settings import run_python

TRIGGERS = {
    "hackqc_audit_no_delete",
    "hackqc_audit_no_update",
    "teams_membership_participant_insert",
    "teams_membership_participant_update",
    "teams_registration_role_exclusive_insert",
    "teams_registration_role_exclusive_update",
    "judging_judge_role_exclusive_insert",
    "judging_judge_role_exclusive_update",
    "hackqc_editionorganizer_role_exclusive_insert",
    "hackqc_editionorganizer_role_exclusive_update",
}
MANAGE = """
import sys
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", *sys.argv[1:]])
"""


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory):
    path = tmp_path_factory.mktemp("embedded") / "db.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{path}", "MEDIA_ROOT": str(path.parent / "media")}
    for command in ("migrate --noinput", "seed_demo"):
        code = MANAGE.replace("sys.argv[1:]", repr(command.split()))
        result = run_python(code, **env)
        assert result.returncode == 0, f"{command}:\n{result.stderr[-3000:]}"
    return path


def test_migrate_and_the_demo_work_on_a_fresh_sqlite_file(demo_database):
    with sqlite3.connect(demo_database) as db:
        editions = db.execute("SELECT COUNT(*) FROM hackqc_edition").fetchone()[0]
        people = db.execute("SELECT COUNT(*) FROM hackqc_user").fetchone()[0]
    assert editions >= 1
    assert people > 30


def test_every_trigger_survives_the_table_rebuilds_of_later_migrations(demo_database):
    with sqlite3.connect(demo_database) as db:
        found = {
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
    assert found >= TRIGGERS


def test_the_rules_in_triggers_still_refuse_bad_rows(demo_database):
    with sqlite3.connect(demo_database) as db:
        membership = db.execute("SELECT id FROM teams_membership LIMIT 1").fetchone()
        with pytest.raises(sqlite3.IntegrityError):
            # A member moved to an edition where they are not a registered participant.
            db.execute("UPDATE teams_membership SET edition_id = -1 WHERE id = ?", membership)
        entry = db.execute(
            "INSERT INTO hackqc_auditentry (at, action, target_type, target_id, target_label,"
            " details) VALUES ('2026-01-01', 'tests.x', '', '', '', '{}') RETURNING id"
        ).fetchone()
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("DELETE FROM hackqc_auditentry WHERE id = ?", entry)


def test_flush_empties_every_table_the_audit_log_included(demo_database, tmp_path):
    """`manage.py flush` (and the tests run outside a transaction, between tests) deletes
    row by row on SQLite: the append-only trigger must not stop it, and must be back after."""
    import shutil

    copy = tmp_path / "db.sqlite3"
    shutil.copy(demo_database, copy)
    with sqlite3.connect(copy) as db:
        db.execute(
            "INSERT INTO hackqc_auditentry (at, action, target_type, target_id, target_label,"
            " details) VALUES ('2026-01-01', 'tests.x', '', '', '', '{}')"
        )
    code = MANAGE.replace("sys.argv[1:]", repr(["flush", "--noinput"]))
    result = run_python(code, DATABASE_URL=f"sqlite:///{copy}")
    assert result.returncode == 0, result.stderr[-3000:]

    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT COUNT(*) FROM hackqc_auditentry").fetchone() == (0,)
        found = {
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
    assert found >= TRIGGERS
