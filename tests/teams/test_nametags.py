"""Name-tag sheets as PDF, per host site, names per each person's consent to be shown."""

import pytest

from hackqc.models import AuditEntry
from teams.nametags import PER_PAGE, Tag, name_tags_pdf, tags_for
from teams.roster import site_roster
from tests.factories.core import HostSiteFactory
from tests.factories.teams import MembershipFactory, RegistrationFactory, TeamFactory


def _pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page/") + pdf.count(b"/Type /Page ")


def test_a_tag_shows_the_name_only_with_consent(edition):
    site = HostSiteFactory(edition=edition)
    team = TeamFactory(edition=edition, name="Les Castors", host_site=site)
    shown = MembershipFactory(team=team, user__display_name="Alice Roy").user
    hidden = MembershipFactory(team=team, user__display_name="Bob Cyr").user
    from teams.models import Registration

    Registration.objects.filter(user=shown).update(show_profile=True, host_site=site)
    Registration.objects.filter(user=hidden).update(show_profile=False, host_site=site)
    RegistrationFactory(edition=edition, role="mentor", host_site=site, show_profile=True)

    tags = tags_for(site_roster(edition, site).people)

    assert tags[:2] == [
        Tag(name="Alice Roy", team="Les Castors", role="Participant"),
        Tag(name="", team="Les Castors", role="Participant"),
    ]
    assert tags[2].role == "Mentor"


@pytest.mark.parametrize(("count", "pages"), [(1, 1), (PER_PAGE, 1), (PER_PAGE + 1, 2)])
def test_sheets_hold_eight_tags_a_page(count, pages):
    tags = [Tag(name=f"Personne {n}", team="Équipe", role="Participant") for n in range(count)]

    pdf = name_tags_pdf(tags, title="HackQC 2027")

    assert pdf.startswith(b"%PDF-")
    assert _pages(pdf) == pages


def test_long_and_non_latin_names_still_make_a_pdf():
    tags = [Tag(name="Ŝ李小龍 Œuvre " + "x" * 200, team="É" * 300, role="Bénévole")]

    assert name_tags_pdf(tags, title="HackQC").startswith(b"%PDF-")


def test_name_tags_view_gives_the_sites_pdf_and_logs_the_export(client, edition, organizer):
    site = HostSiteFactory(edition=edition)
    RegistrationFactory.create_batch(3, edition=edition, host_site=site)
    client.force_login(organizer)

    response = client.get(f"/en/teams/{edition.slug}/organize/name-tags.pdf?site={site.pk}")

    assert response["Content-Type"] == "application/pdf"
    assert f"{edition.slug}-name-tags-site-{site.pk}.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    entry = AuditEntry.objects.get(edition=edition)
    assert (entry.action, entry.actor, entry.target_label) == (
        "export.name_tags",
        organizer,
        f"{edition.slug}-name-tags-site-{site.pk}.pdf",
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_roster_export_is_logged(client, edition, organizer, fmt):
    RegistrationFactory(edition=edition)
    client.force_login(organizer)

    client.get(f"/en/teams/{edition.slug}/organize/roster.{fmt}?site=none")

    entry = AuditEntry.objects.get(edition=edition)
    assert (entry.action, entry.actor, entry.target_label) == (
        "export.roster",
        organizer,
        f"{edition.slug}-roster-none.{fmt}",
    )


def test_name_tags_refused_to_volunteers(client, edition):
    volunteer = RegistrationFactory(edition=edition, role="volunteer").user
    client.force_login(volunteer)

    response = client.get(f"/en/teams/{edition.slug}/organize/name-tags.pdf")

    assert response.status_code == 403
    assert not AuditEntry.objects.filter(edition=edition).exists()
