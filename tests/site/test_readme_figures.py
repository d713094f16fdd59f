"""The README's query counts are the ones the tests pin: a change to either fails here."""

import ast
import re

import pytest

from tests.conftest import ROOT_DIR

ROW = re.compile(
    r"^\| (?P<page>.+?) \| (?P<count>\d+) \| `(?P<test>[^`]+)` \| `(?P<call>[^`]+)` \|$"
)


def _rows():
    text = (ROOT_DIR / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- query-counts:", 1)[1].split("\n\n", 1)[0]
    return [m.groupdict() for m in map(ROW.match, table.splitlines()) if m]


def _pinned_counts(test, call):
    """Every literal N in `with django_assert_num_queries(N):` blocks of `test` whose body
    contains `call`."""
    path, name = test.split("::")
    source = (ROOT_DIR / path).read_text(encoding="utf-8")
    [function] = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef) and node.name == name
    ]
    counts = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.With):
            continue
        for item in node.items:
            expr = item.context_expr
            if (
                isinstance(expr, ast.Call)
                and getattr(expr.func, "id", "") == "django_assert_num_queries"
                and call in "".join(ast.get_source_segment(source, s) for s in node.body)
            ):
                counts.add(expr.args[0].value)
    return counts


def test_the_readme_lists_query_counts():
    assert len(_rows()) >= 15


@pytest.mark.parametrize("row", _rows(), ids=lambda row: row["page"])
def test_readme_query_count_is_the_pinned_one(row):
    assert _pinned_counts(row["test"], row["call"]) == {int(row["count"])}, row["page"]


# --- `make bench` prints what the README shows -----------------------------------------

HELPERS = {"readme", "serving", "trivial_wsgi", "prized_edition"}  # used by the benches


def _make_list(name):
    text = (ROOT_DIR / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    [line] = [line for line in text.splitlines() if line.startswith(f"{name} :=")]
    return line.split(":=", 1)[1].split()


def test_make_bench_runs_every_bench_script():
    scripts = {path.stem for path in (ROOT_DIR / "bench").glob("*.py")} - HELPERS
    assert sorted(_make_list("README_BENCHES")) == sorted(scripts)


def test_every_readme_table_is_written_by_a_bench_that_make_bench_runs_with_readme():
    readme = (ROOT_DIR / "README.md").read_text(encoding="utf-8")
    sections = re.findall(r"<!-- ([\w-]+):start -->", readme)
    writers = {}
    for script in _make_list("README_BENCHES"):
        source = (ROOT_DIR / "bench" / f"{script}.py").read_text(encoding="utf-8")
        writes = re.search(r"(printed_into|run_in_test_database)\(README_SECTION", source)
        assert '"--readme"' in source or writes, script
        [section] = re.findall(r'^README_SECTION = "([\w-]+)"', source, re.M)
        writers[section] = script

    assert sorted(sections) == sorted(writers)
    for section, script in writers.items():
        block = readme.split(f"<!-- {section}:start -->", 1)[1].split(f"<!-- {section}:end -->")[0]
        assert block.lstrip().startswith(f"<!-- written by `.venv/bin/python bench/{script}.py")


# A timing or a rate typed into the prose would drift from what the code does: outside the
# sections the benches write, the README quotes none (limits and settings are not figures).
FIGURE = re.compile(r"\d[\d,.]*\s?(ms|requests/s)\b|≈\s?\d")


def test_no_measured_figure_is_typed_outside_the_benches_sections():
    readme = (ROOT_DIR / "README.md").read_text(encoding="utf-8")
    prose = re.sub(r"<!-- ([\w-]+):start -->.*?<!-- \1:end -->", "", readme, flags=re.S)
    typed = [line.strip() for line in prose.splitlines() if FIGURE.search(line)]
    assert typed == []


def test_the_readme_lists_every_scheduled_task_and_no_other():
    """The beat table is what `CELERY_BEAT_SCHEDULE` runs: a new periodic task is documented."""
    from django.conf import settings

    readme = (ROOT_DIR / "README.md").read_text(encoding="utf-8")
    table = readme.split("Scheduled tasks (Celery beat", 1)[1].split("\n\n", 2)[1]
    listed = {line.split("`")[1] for line in table.splitlines() if line.startswith("| `")}

    assert listed == {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
