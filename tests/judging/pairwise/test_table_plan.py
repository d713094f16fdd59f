"""The organizer's table plan of a pairwise expo (issue 14): see it, edit the numbers (each
a whole number from 1, each table one project), number them in order, print it; hostile or
stale input saves nothing and loses nothing typed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hackqc.exceptions import ConcurrentEditError
from hackqc.models import AuditEntry
from judging.models import Round
from judging.pairwise.queries import table_numbers
from judging.pairwise.tables import (
    TablePlanError,
    number_tables_in_order,
    plan_version,
    set_table_numbers,
    table_plan,
)
from tests.factories.core import ChallengeFactory
from tests.factories.judging import RoundFactory
from tests.factories.teams import TeamFactory
from tests.judging.conftest import _submitted


@pytest.fixture
def expo(edition):
    return RoundFactory(
        edition=edition, number=1, mode=Round.Mode.PAIRWISE, method=Round.Method.PAIRWISE
    )


def _projects(edition, names):
    return [_submitted(TeamFactory(edition=edition, name=name)) for name in names]


@pytest.fixture
def projects(edition):
    return _projects(edition, ["Castors", "Aigles", "Bernaches"])


def _url(round_, name="judging:expo_tables"):
    return reverse(name, args=[round_.edition.slug, round_.number])


# --- The services ---------------------------------------------------------------------


def test_numbers_are_saved_and_two_tables_can_swap(expo, projects, organizer):
    a, b, c = projects
    set_table_numbers(expo, by=organizer, numbers={a.pk: 1, b.pk: 2, c.pk: 3})

    moved = set_table_numbers(expo, by=organizer, numbers={a.pk: 2, b.pk: 1})

    assert moved == 2
    assert table_numbers(expo) == {a.pk: 2, b.pk: 1, c.pk: 3}
    entry = AuditEntry.objects.filter(action="judging.table_plan_changed").latest("pk")
    assert (entry.actor, entry.details) == (organizer, {"how": "edited", "changed": 2})


def test_a_table_given_twice_is_refused_next_to_the_project_changed(expo, projects, organizer):
    a, b, c = projects
    set_table_numbers(expo, by=organizer, numbers={a.pk: 1, b.pk: 2, c.pk: 3})

    with pytest.raises(TablePlanError) as refused:
        set_table_numbers(expo, by=organizer, numbers={c.pk: 1})

    assert refused.value.field == c.pk
    assert "1" in refused.value.message
    assert table_numbers(expo) == {a.pk: 1, b.pk: 2, c.pk: 3}


@pytest.mark.parametrize("number", [0, -4, 10_000, 2**63, 1.5, "3"])
def test_a_table_number_is_a_whole_number_from_one(expo, projects, organizer, number):
    with pytest.raises(TablePlanError) as refused:
        set_table_numbers(expo, by=organizer, numbers={projects[0].pk: number})

    assert refused.value.field == projects[0].pk
    assert table_numbers(expo) == {}


def test_an_empty_number_takes_the_project_off_its_table(expo, projects, organizer):
    a, b, _c = projects
    set_table_numbers(expo, by=organizer, numbers={a.pk: 4, b.pk: 5})

    set_table_numbers(expo, by=organizer, numbers={a.pk: None})

    assert table_numbers(expo) == {b.pk: 5}


def test_a_project_of_another_round_or_edition_is_refused(expo, projects, organizer):
    stranger = _projects(RoundFactory().edition, ["Ailleurs"])[0]

    with pytest.raises(TablePlanError):
        set_table_numbers(expo, by=organizer, numbers={stranger.pk: 9})

    assert table_numbers(expo) == {}


def test_a_plan_changed_meanwhile_is_not_overwritten(expo, projects, organizer):
    a, b, _c = projects
    shown = plan_version(table_numbers(expo))
    set_table_numbers(expo, by=organizer, numbers={a.pk: 1})

    with pytest.raises(ConcurrentEditError):
        set_table_numbers(expo, by=organizer, numbers={b.pk: 2}, expected=shown)

    assert table_numbers(expo) == {a.pk: 1}


def test_a_closed_round_keeps_its_plan(expo, projects, organizer):
    set_table_numbers(expo, by=organizer, numbers={projects[0].pk: 1})
    Round.objects.filter(pk=expo.pk).update(closed_at=timezone.now())
    expo.refresh_from_db()

    for attempt in (
        lambda: set_table_numbers(expo, by=organizer, numbers={projects[0].pk: 2}),
        lambda: number_tables_in_order(expo, by=organizer, order="title"),
    ):
        with pytest.raises(TablePlanError):
            attempt()

    assert table_numbers(expo) == {projects[0].pk: 1}


def test_a_scored_round_has_no_plan(edition, projects, organizer):
    scored = RoundFactory(edition=edition, number=2)

    with pytest.raises(TablePlanError):
        set_table_numbers(scored, by=organizer, numbers={projects[0].pk: 1})


def test_number_in_order_closes_the_gaps_of_the_present_plan(expo, projects, organizer):
    a, b, c = projects
    set_table_numbers(expo, by=organizer, numbers={a.pk: 40, c.pk: 12})

    number_tables_in_order(expo, by=organizer, order="table")

    # Numbered ones in their order, then the project without a table.
    assert table_numbers(expo) == {c.pk: 1, a.pk: 2, b.pk: 3}


def test_number_in_order_by_title_or_by_challenge(edition, expo, organizer):
    first, second = (ChallengeFactory(edition=edition, number=n) for n in (1, 2))
    zebre, abeille, castor = _projects(edition, ["Z", "A", "C"])
    for project, title, challenge in [
        (zebre, "Zèbre", first), (abeille, "Abeille", second), (castor, "castor", first)
    ]:  # fmt: skip
        project.versions.update(data={"title": title})
        type(project).objects.filter(pk=project.pk).update(title=title, challenge=challenge)

    number_tables_in_order(expo, by=organizer, order="title")
    by_title = table_numbers(expo)
    number_tables_in_order(expo, by=organizer, order="challenge")

    assert by_title == {abeille.pk: 1, castor.pk: 2, zebre.pk: 3}
    assert table_numbers(expo) == {castor.pk: 1, zebre.pk: 2, abeille.pk: 3}


def test_an_unknown_order_is_refused(expo, projects, organizer):
    with pytest.raises(TablePlanError):
        number_tables_in_order(expo, by=organizer, order="random")


def test_the_plan_lists_numbered_projects_first_in_table_order(expo, projects, organizer):
    a, b, c = projects
    set_table_numbers(expo, by=organizer, numbers={c.pk: 1, a.pk: 8})

    plan = table_plan(expo)

    assert [(p.pk, p.table_number) for p in plan] == [(c.pk, 1), (a.pk, 8), (b.pk, None)]


# --- The pages --------------------------------------------------------------------------


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    return client


def test_the_round_page_links_to_the_plan(organizer_client, expo, projects):
    page = organizer_client.get(
        reverse("judging:organize_round", args=[expo.edition.slug, 1])
    ).content.decode()

    assert _url(expo) in page


def test_the_organizer_edits_the_numbers(organizer_client, expo, projects):
    a, b, c = projects
    page = organizer_client.get(_url(expo))
    version = page.context["form"]["version"].value()

    response = organizer_client.post(
        _url(expo),
        {"save": "1", "version": version, f"table_{a.pk}": "3", f"table_{b.pk}": "1",
         f"table_{c.pk}": ""},
    )  # fmt: skip

    assert response.status_code == 302
    assert table_numbers(expo) == {a.pk: 3, b.pk: 1}
    shown = organizer_client.get(_url(expo)).content.decode()
    assert shown.index("Projet Aigles") < shown.index("Projet Castors")


def test_a_duplicate_number_is_shown_next_to_its_field_and_nothing_typed_is_lost(
    organizer_client, expo, projects
):
    a, b, c = projects
    data = {"save": "1", f"table_{a.pk}": "5", f"table_{b.pk}": "5", f"table_{c.pk}": "6"}

    response = organizer_client.post(_url(expo), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {f"table_{a.pk}"}  # both typed 5: the first one says so
    assert [form[f"table_{p.pk}"].value() for p in projects] == ["5", "5", "6"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert table_numbers(expo) == {}


def test_a_stale_form_keeps_what_was_typed_and_says_why(organizer_client, expo, projects):
    a, b, _c = projects
    stale = organizer_client.get(_url(expo)).context["form"]["version"].value()
    set_table_numbers(expo, by=None, numbers={a.pk: 1})

    response = organizer_client.post(
        _url(expo), {"save": "1", "version": stale, f"table_{a.pk}": "2", f"table_{b.pk}": "1"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["form"][f"table_{a.pk}"].value() == "2"
    assert table_numbers(expo) == {a.pk: 1}
    again = organizer_client.post(_url(expo), response.context["form"].data)
    assert again.status_code == 302
    assert table_numbers(expo)[a.pk] == 2


def test_number_in_order_from_the_page(organizer_client, expo, projects):
    response = organizer_client.post(_url(expo), {"in_order": "1", "order": "title"})

    assert response.status_code == 302
    assert sorted(table_numbers(expo).values()) == [1, 2, 3]


@pytest.mark.parametrize(
    "value", ["\x00", "1\x00", "9" * 400, "-1", "0", "1e3", "<script>", " ", "2.5"]
)
def test_hostile_numbers_save_nothing(organizer_client, expo, projects, value):
    data = {"save": "1", f"table_{projects[0].pk}": value, f"table_{projects[1].pk}": "2"}

    response = organizer_client.post(_url(expo), data)

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert table_numbers(expo) == {}


@pytest.mark.parametrize(
    "data",
    [{"save": "1", "version": "\x00"}, {"in_order": "1", "order": "\x00"},
     {"in_order": "1", "order": "x" * 5000}, {"table_1": "1"}, {}],
)  # fmt: skip
def test_hostile_forms_save_nothing(organizer_client, expo, projects, data):
    response = organizer_client.post(_url(expo), data)

    assert response.status_code == 200
    assert table_numbers(expo) == {}


def test_the_printout_holds_the_plan_and_its_print_stylesheet(organizer_client, expo, projects):
    a, b, c = projects
    set_table_numbers(expo, by=None, numbers={a.pk: 12, b.pk: 4, c.pk: 7})

    page = organizer_client.get(_url(expo, "judging:expo_tables_print")).content.decode()

    assert "judging/table-plan.css" in page
    assert "data-print" in page
    plan = page[page.index("<article") :]
    assert (
        plan.index("Projet Aigles") < plan.index("Projet Bernaches") < plan.index("Projet Castors")
    )
    assert "Find your table" in plan or "Trouvez votre table" in plan


def test_the_print_stylesheet_hides_the_menu_and_controls():
    from tests.conftest import ROOT_DIR

    css = (ROOT_DIR / "static/judging/table-plan.css").read_text()
    print_rules = css[css.index("@media print") :]

    for hidden in (".site-header", ".site-footer", ".d-print-none"):
        assert hidden in print_rules.split("display: none")[0]


def test_a_closed_round_shows_its_plan_without_fields(organizer_client, expo, projects):
    set_table_numbers(expo, by=None, numbers={projects[0].pk: 1})
    Round.objects.filter(pk=expo.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))

    page = organizer_client.get(_url(expo)).content.decode()

    assert 'type="number"' not in page
    assert "Projet Castors" in page


def test_a_scored_round_has_no_plan_page(organizer_client, edition):
    scored = RoundFactory(edition=edition, number=2)

    assert organizer_client.get(_url(scored)).status_code == 404
    assert organizer_client.get(_url(scored, "judging:expo_tables_print")).status_code == 404


def test_an_organizer_of_another_edition_is_refused(client, expo, projects):
    from tests.factories.core import OrganizerRoleFactory

    client.force_login(OrganizerRoleFactory().user)

    for name in ("judging:expo_tables", "judging:expo_tables_print"):
        assert client.get(_url(expo, name)).status_code in (403, 404)
        assert client.post(_url(expo, name), {"in_order": "1", "order": "title"}).status_code in (
            403,
            404,
        )
    assert table_numbers(expo) == {}


@pytest.mark.parametrize("name", ["judging:expo_tables", "judging:expo_tables_print"])
def test_the_plan_pages_run_a_constant_number_of_queries(
    organizer_client, edition, expo, django_assert_num_queries, name
):
    _projects(edition, ["Un"])
    organizer_client.get(_url(expo, name))  # sessions, caches warmed
    with django_assert_num_queries(10) as one:
        organizer_client.get(_url(expo, name))
    _projects(edition, ["Deux", "Trois"])
    with django_assert_num_queries(len(one.captured_queries)):
        organizer_client.get(_url(expo, name))
