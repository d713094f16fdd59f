"""The hackathon-day load script reads the real forms (a template change must not silently
turn its saves into refused posts), and the README's capacity figures are the ones it wrote."""

import importlib.util

import pytest
from django.urls import reverse

from tests.conftest import ROOT_DIR


def _bench():
    spec = importlib.util.spec_from_file_location(
        "hackathon_day", ROOT_DIR / "bench" / "hackathon_day.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_the_bench_reads_the_sheet_form_as_a_browser_sends_it(client):
    from hackqc.models import Phase
    from tests.factories.core import EditionFactory
    from tests.factories.submissions import SubmissionFactory
    from tests.factories.teams import MembershipFactory

    sheet = SubmissionFactory(team__edition=EditionFactory(phase=Phase.HACKING), complete=True)
    member = MembershipFactory(team=sheet.team).user
    client.force_login(member)
    url = reverse("submissions:team_sheet", args=[sheet.edition.slug, sheet.team_id])

    fields = _bench().form_fields(client.get(url).content.decode(), "sheet")
    fields["pitch"] = "Une autre phrase."
    response = client.post(url, fields)

    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.pitch == "Une autre phrase."


def test_the_readme_capacity_table_is_written_by_the_script():
    readme = (ROOT_DIR / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- capacity:start -->", 1)[1].split("<!-- capacity:end -->", 1)[0]
    assert "<!-- written by `.venv/bin/python bench/hackathon_day.py" in block
    assert "| people | workers, threads | requests/s | p50 ms | p95 ms | p99 ms |" in block
