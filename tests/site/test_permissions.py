"""Every URL pattern of the resolver, GET and POST, as the four outsiders of the demo's past
edition: anonymous, a participant of another team, a judge not assigned to the project,
an organizer of another edition. Each pattern says who must be refused; a pattern missing
from `POLICY` fails the test, so a new page cannot ship without saying who may see it.

Refused: 403, 404, 405, or a redirect to the sign-in page. The paths name existing data of
the past edition (its first submitted project, its last round, a review, a prize…), so a
page that answered would leak it.
"""

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.factories.core import OrganizerRoleFactory, UserFactory
from tests.factories.judging import JudgeFactory
from tests.site.urlwalk import all_routes, demo_objects, demo_values

ANONYMOUS, OTHER_TEAM, UNASSIGNED_JUDGE, OTHER_ORGANIZER = "A", "T", "J", "O"
EVERYONE_ELSE = ANONYMOUS + OTHER_TEAM + UNASSIGNED_JUDGE + OTHER_ORGANIZER
SIGNED_IN_ONLY = ANONYMOUS  # the page shows the visitor's own things, or nothing
PUBLIC = ""

# Who must be refused, for each named pattern (admin and allauth patterns: see `policy_of`).
POLICY = {
    # Public pages and open data.
    "home": PUBLIC,
    "edition_detail": PUBLIC,
    "edition_page": PUBLIC,  # the edition's rules and code of conduct
    "edition_calendar": PUBLIC,  # the edition's dates as an .ics file
    "edition_agenda_calendar": PUBLIC,  # the edition's agenda as an .ics file
    "privacy_policy": PUBLIC,  # Law 25: the policy, for everyone
    # Uploaded images: each file is checked by its own project's rules (tests/submissions/
    # test_media.py: draft images refused to these four, guessed paths refused to all).
    "media": PUBLIC,
    # The register of confidentiality incidents: an edition's organizers, staff for the site.
    "incidents:list": EVERYONE_ELSE,
    "incidents:create": EVERYONE_ELSE,
    "incidents:detail": EVERYONE_ELSE,
    "incidents:update": EVERYONE_ELSE,
    "incidents:site_list": EVERYONE_ELSE,  # none of the four is staff
    "incidents:site_create": EVERYONE_ELSE,
    "incidents:site_detail": EVERYONE_ELSE,
    "incidents:site_update": EVERYONE_ELSE,
    "set_language": PUBLIC,
    "open_data_index": PUBLIC,
    "open_data_openapi": PUBLIC,
    "open_data_results": PUBLIC,
    "open_data_submissions": PUBLIC,
    "open_data_datasets": PUBLIC,
    "open_data_showcase": PUBLIC,
    "teams:current_board": PUBLIC,
    "teams:board": PUBLIC,
    "teams:team_detail": PUBLIC,
    "catalogue:search": PUBLIC,
    "catalogue:autocomplete": PUBLIC,
    "catalogue:stats": PUBLIC,
    "catalogue:detail": PUBLIC,
    "submissions:gallery_index": PUBLIC,
    "submissions:gallery": PUBLIC,
    "submissions:edition_showcases": PUBLIC,
    "submissions:project": PUBLIC,
    "submissions:showcase": PUBLIC,
    "judging:method": PUBLIC,
    "results:index": PUBLIC,
    "results:detail": PUBLIC,
    "vote:ballot": PUBLIC,  # the public gallery's ballot; voting needs a verified account
    # A token is the credential: whoever holds the link sees the invitation it names (to
    # sign up first if need be); accepting it is bound to the invited address.
    "teams:invitation": PUBLIC,
    # The token printed on a certificate: whoever holds it checks that certificate.
    "results:certificate_verify": PUBLIC,
    # A person's own certificate: nobody else downloads it or changes what it shows.
    "results:certificate_download": EVERYONE_ELSE,
    "results:certificate_name": EVERYONE_ELSE,
    "judging:invitation": SIGNED_IN_ONLY,
    # The visitor's own space.
    "profile": SIGNED_IN_ONLY,
    "space": SIGNED_IN_ONLY,  # "Mon espace": only the visitor's own work
    # The visitor's own data: the page, asking for a copy, closing the account (password).
    "privacy:page": SIGNED_IN_ONLY,
    "privacy:export": SIGNED_IN_ONLY,
    "privacy:close": SIGNED_IN_ONLY,
    # A copy of a demo participant's data: the signed link is not enough, the account is.
    "privacy:export_view": EVERYONE_ELSE,
    "privacy:export_json": EVERYONE_ELSE,
    "organize:editions": SIGNED_IN_ONLY,  # the editions the visitor organizes
    # The catalogue is shared by every edition: any organizer may sync it.
    "catalogue:sync": ANONYMOUS + OTHER_TEAM + UNASSIGNED_JUDGE,
    "catalogue:sync_run": ANONYMOUS + OTHER_TEAM + UNASSIGNED_JUDGE,
    # The portals themselves, and the staff's landing page: staff only (none of the four).
    "portals:list": EVERYONE_ELSE,
    "portals:create": EVERYONE_ELSE,
    "portals:update": EVERYONE_ELSE,
    "portals:set_enabled": EVERYONE_ELSE,
    "portals:sync": EVERYONE_ELSE,
    "portals:runs": EVERYONE_ELSE,
    "organize:staff": EVERYONE_ELSE,
    "admin:login": PUBLIC,
    "admin:logout": PUBLIC,
    "judging:home": SIGNED_IN_ONLY,
    "submissions:my_sheet": SIGNED_IN_ONLY,
    "results:feedback": SIGNED_IN_ONLY,
    "teams:register": SIGNED_IN_ONLY,
    "teams:withdraw": SIGNED_IN_ONLY,
    "teams:team_create": SIGNED_IN_ONLY,
    "teams:join_code": SIGNED_IN_ONLY,
    "teams:request_join": SIGNED_IN_ONLY,
    "teams:request_withdraw": SIGNED_IN_ONLY,
    "judging:profile": SIGNED_IN_ONLY,
    "judging:declare_conflict": SIGNED_IN_ONLY,
    "judging:round": SIGNED_IN_ONLY,
    "judging:expo": SIGNED_IN_ONLY,  # the judge's own walk; 404 unless a pairwise round
    "judging:live_judge": SIGNED_IN_ONLY,  # opens the judge's own sheet; 404 unless live
    # A team's own pages and actions.
    "teams:team_update": EVERYONE_ELSE,
    "teams:invite": EVERYONE_ELSE,
    "teams:invitation_revoke": EVERYONE_ELSE,
    "teams:regenerate_code": EVERYONE_ELSE,
    "teams:member_remove": EVERYONE_ELSE,
    "teams:make_captain": EVERYONE_ELSE,
    "teams:leave": EVERYONE_ELSE,
    "teams:dissolve": EVERYONE_ELSE,
    "teams:request_accept": EVERYONE_ELSE,
    "teams:request_decline": EVERYONE_ELSE,
    "submissions:team_sheet": EVERYONE_ELSE,
    "submissions:add_dataset": EVERYONE_ELSE,
    "submissions:remove_dataset": EVERYONE_ELSE,
    "submissions:upload_logo": EVERYONE_ELSE,
    "submissions:delete_logo": EVERYONE_ELSE,
    "submissions:upload_screenshot": EVERYONE_ELSE,
    "submissions:delete_screenshot": EVERYONE_ELSE,
    "submissions:submit": EVERYONE_ELSE,
    "submissions:history": EVERYONE_ELSE,
    "submissions:version": EVERYONE_ELSE,
    "submissions:compare": EVERYONE_ELSE,
    "submissions:preview": EVERYONE_ELSE,
    "vote:organize": EVERYONE_ELSE,
    "vote:void": EVERYONE_ELSE,
    # The edition's organizers and volunteers check people in on the day.
    "teams:checkin": EVERYONE_ELSE,
    # A judge's assigned project.
    "judging:review": EVERYONE_ELSE,
    "judging:recuse": EVERYONE_ELSE,
}
ORGANIZER_ONLY_PREFIXES = ("organize:", "results:", "judging:", "submissions:", "teams:organize")
ORGANIZER_ONLY = {
    "submissions:eligibility",
    "submissions:reopen",
    "submissions:disqualify",
    "teams:organize_dissolve",
}
# Sign-in, sign-up and account pages of allauth: each shows or changes the visitor's own
# account only.
ACCOUNT_PAGES = "account_"


def policy_of(route) -> str | None:
    """Who must be refused at `route`, or None when nobody said."""
    if route.name in POLICY:
        return POLICY[route.name]
    if route.name.startswith("admin:") or route.pattern.startswith("fr/admin/"):
        return EVERYONE_ELSE  # none of the four is staff
    if route.name.startswith(ACCOUNT_PAGES) or route.app == "allauth":
        return PUBLIC
    organizer_page = route.name in ORGANIZER_ONLY or (
        route.name.startswith(ORGANIZER_ONLY_PREFIXES) and "organize" in route.pattern
    )
    if organizer_page or route.name.startswith("organize:"):
        return EVERYONE_ELSE
    if route.name.startswith("results:") and "/manage/" in route.pattern:
        return EVERYONE_ELSE
    return None


SKIPPED = {"^media/(?P<path>.*)$"}  # Django's static view, DEBUG only


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)
        yield
        call_command("flush", verbosity=0, interactive=False)


@pytest.fixture
def outsiders(demo, db):
    from hackqc.demo import editions
    from teams.models import Membership

    objects = demo_objects()
    past, current = objects["edition"], editions()["current"]
    other_member = (
        Membership.objects.filter(edition=past)
        .exclude(team_id=objects["team_id"])
        .select_related("user")
        .first()
    )
    return objects, {
        ANONYMOUS: None,
        OTHER_TEAM: other_member.user,
        UNASSIGNED_JUDGE: JudgeFactory(edition=past, user=UserFactory()).user,
        OTHER_ORGANIZER: OrganizerRoleFactory(edition=current, user=UserFactory()).user,
    }


def _refused(response) -> bool:
    if response.status_code in {403, 404, 405}:
        return True
    location = response.headers.get("Location", "")
    return response.status_code == 302 and "/login/" in location


def test_every_url_pattern_says_who_is_refused():
    uncovered = [
        route.name
        for route in all_routes()
        if route.pattern not in SKIPPED and policy_of(route) is None
    ]
    assert uncovered == []


@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(EVERYONE_ELSE))
def test_outsiders_are_refused_where_data_could_leak(client, outsiders, persona):
    objects, users = outsiders
    if users[persona] is not None:
        client.force_login(users[persona])
    leaks = []
    for route in all_routes():
        if route.pattern in SKIPPED or persona not in (policy_of(route) or ""):
            continue
        path = route.path(demo_values(route, objects))
        for method in ("GET", "POST"):
            with transaction.atomic():
                response = client.generic(method, path)
                transaction.set_rollback(True)
            if not _refused(response):
                leaks.append(f"{method} {route.name} {path}: {response.status_code}")
    assert leaks == []


# A draft: every public page of the edition is 404 to the public, its participants and its
# judges (a 403 would tell that it exists), and shown to its organizers. Pages naming no
# edition (home, indexes, catalogue) leave it out.
EDITION_ARGUMENTS = {"slug", "team_id", "submission_id"}
# Open data and the people's vote are for the public: a draft has none, even for its
# organizers. The demo's past edition has no rules page (404 published or not).
PUBLIC_ONLY = {
    "edition_page",
    "vote:ballot",
    "open_data_results",
    "open_data_submissions",
    "open_data_datasets",
    "open_data_showcase",
}
# Pages naming no edition, that could still list the draft or its projects.
LISTS = (
    "home",
    "results:index",
    "submissions:gallery_index",
    "open_data_index",
    "catalogue:search",
    "catalogue:stats",
    "catalogue:detail",
)


@pytest.fixture
def draft(outsiders):
    objects, users = outsiders
    from hackqc.models import Edition

    Edition.objects.filter(pk=objects["edition"].pk).update(status="draft", featured=False)
    organizer = OrganizerRoleFactory(edition=objects["edition"], user=UserFactory()).user
    return objects, users, organizer


def _edition_routes():
    for route in all_routes():
        if route.pattern in SKIPPED or policy_of(route) != PUBLIC:
            continue
        if EDITION_ARGUMENTS & set(route.arguments):
            yield route


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [ANONYMOUS, OTHER_TEAM, UNASSIGNED_JUDGE])
def test_a_draft_edition_is_404_to_the_public_its_participants_and_judges(client, draft, persona):
    objects, users, _organizer = draft
    if users[persona] is not None:
        client.force_login(users[persona])
    shown = []
    for route in _edition_routes():
        path = route.path(demo_values(route, objects))
        response = client.get(path)
        if response.status_code != 404 and not _refused(response):
            shown.append(f"{route.name} {path}: {response.status_code}")
    assert shown == []
    name, slug = objects["edition"].name, objects["edition"].slug
    for name_of_list in LISTS:
        route = next(r for r in all_routes() if r.name == name_of_list)
        page = client.get(route.path(demo_values(route, objects))).content.decode()
        assert name not in page, name_of_list
        assert f"/{slug}/" not in page, name_of_list


@pytest.mark.django_db
def test_a_draft_edition_is_shown_to_its_organizers(client, draft):
    objects, _users, organizer = draft
    client.force_login(organizer)
    hidden = []
    for route in _edition_routes():
        if route.name in PUBLIC_ONLY:
            continue
        path = route.path(demo_values(route, objects))
        response = client.get(path)
        if response.status_code == 404:
            hidden.append(f"{route.name} {path}")
    assert hidden == []
