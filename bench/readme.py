"""The README's figures are what the benches printed, never typed by hand.

A bench run with `--readme` writes its output between README.md's `<!-- name:start -->` and
`<!-- name:end -->`, under a line naming the command, the day and the machine:

    if __name__ == "__main__":
        with readme.printed_into(README_SECTION):
            main()

`printed_into` takes `--readme` off the command line before the bench reads its own
arguments, prints as usual, and writes what was printed as a text block. Benches with a
table of their own (`page_speed.py`, `hackathon_day.py`) call `write_section` directly.
"""

import contextlib
import datetime as dt
import io
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAG = "--readme"


def command_line() -> str:
    """How the bench was run, as the README shows it."""
    script = Path(sys.argv[0]).name
    return " ".join([f".venv/bin/python bench/{script}", *sys.argv[1:]])


def write_section(name: str, text: str, command: str | None = None) -> None:
    """Puts `text` between README.md's markers of section `name`, under a line naming the
    command that wrote it (`command_line()` by default)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    path = ROOT / "README.md"
    readme = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README.md has no {start} … {end} section")
    written = f"<!-- written by `{command or command_line()}`: do not edit -->"
    block = f"{start}\n{written}\n{text}\n{end}"
    path.write_text(pattern.sub(lambda _m: block, readme), encoding="utf-8")


class _Tee(io.TextIOBase):
    def __init__(self, *streams):
        self.streams = streams

    def write(self, text):
        for stream in self.streams:
            stream.write(text)
        return len(text)

    def flush(self):
        for stream in self.streams:
            stream.flush()


def _machine(database: str) -> str:
    day = dt.datetime.now(dt.UTC).date()
    return f"{day:%Y-%m-%d}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {database}"


def _database() -> str:
    from django.conf import settings

    if not settings.configured:
        return "no database"
    from django.db import connection

    names = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
    return names.get(connection.vendor, connection.vendor)


@contextlib.contextmanager
def printed_into(section: str):
    """Runs the enclosed bench; with `--readme`, writes what it printed into `section`."""
    enabled = FLAG in sys.argv
    if enabled:
        sys.argv.remove(FLAG)
        command = command_line() + f" {FLAG}"
    printed = io.StringIO()
    with contextlib.redirect_stdout(_Tee(sys.stdout, printed)):
        yield
    if enabled:
        database = _database()
        text = f"Measured {_machine(database)}:\n\n```text\n{printed.getvalue().strip()}\n```"
        write_section(section, text, command)
        print("README.md updated.")


def run_in_test_database(section: str, main) -> None:
    """Runs `main` in a throwaway test database (SQLite, or PostgreSQL when DATABASE_URL says
    so), destroyed after, writing what it printed into `section` with --readme."""
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    with printed_into(section):
        setup_test_environment()
        old_name = connection.creation.create_test_db(verbosity=0)
        try:
            main()
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
