"""The project sheet is safe to edit: conflicts merge field by field, errors are shown where
the person looks, a preview before submitting, a word-level diff between versions."""

import pytest
from django.urls import reverse

from submissions import conflicts, services
from submissions.diff import diff_snapshots, word_diff
from submissions.forms import sheet_form_data
from tests.factories.catalogue import DatasetFactory

from .conftest import SHEET_VALUES
from .images import image_bytes, png_claiming, upload


def _url(name, sheet, *args):
    return reverse(f"submissions:{name}", args=[sheet.edition.slug, sheet.team_id, *args])


def _loaded_form_data(client, sheet):
    """What the browser posts back if nothing is typed: the page's form as loaded."""
    form = client.get(_url("team_sheet", sheet)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["challenge"] = data["challenge"] or ""
    data["welcomes_members"] = "on" if data["welcomes_members"] else ""
    for key, value in sheet_form_data({"libraries": services_pairs(sheet)}).items():
        if key.startswith("libraries-"):
            data[key] = value
    return {k: "" if v is None else v for k, v in data.items()}


def services_pairs(sheet):
    return list(sheet.libraries.values_list("name", "version"))


# Conflicts ----------------------------------------------------------------------------


@pytest.fixture
def filled(complete_sheet):
    return complete_sheet


def test_conflict_keeps_the_teammates_fields_the_person_did_not_touch(
    client, filled, participant, teammate
):
    client.force_login(teammate)
    stale = _loaded_form_data(client, filled)
    stale["pitch"] = "Le pitch de la coéquipière"
    services.update_sheet(
        filled,
        by=participant,
        lock_version=filled.lock_version,
        technologies=["Python", "Leaflet", "PostGIS"],
        libraries=[("Django", "5.2")],
        **{**SHEET_VALUES, "title": "Titre du capitaine"},
    )

    response = client.post(_url("team_sheet", filled), stale)

    assert response.status_code == 409
    form = response.context["form"]
    assert form["title"].value() == "Titre du capitaine"
    assert form["pitch"].value() == "Le pitch de la coéquipière"
    assert set(form["technologies"].value().split(", ")) == {"Python", "Leaflet", "PostGIS"}
    assert response.context["library_formset"].forms[0]["name"].value() == "Django"
    assert response.context["library_formset"].forms[1]["name"].value() == ""
    conflict = response.context["conflict"]
    assert conflict["rows"] == []
    assert set(conflict["taken"]) == {
        "Title",
        "Technologies",
        "External libraries and their versions",
    }


def test_saving_the_merged_form_keeps_both_peoples_changes(client, filled, participant, teammate):
    client.force_login(teammate)
    stale = _loaded_form_data(client, filled)
    stale["pitch"] = "Le pitch de la coéquipière"
    services.update_sheet(
        filled,
        by=participant,
        lock_version=filled.lock_version,
        technologies=["Python"],
        **{**SHEET_VALUES, "title": "Titre du capitaine"},
    )
    merged = client.post(_url("team_sheet", filled), stale).context["form"]
    again = {name: merged[name].value() for name in merged.fields}
    again["challenge"] = again["challenge"] or ""
    again["welcomes_members"] = "on" if again["welcomes_members"] else ""
    again.update({"libraries-TOTAL_FORMS": "0", "libraries-INITIAL_FORMS": "0"})

    response = client.post(_url("team_sheet", filled), again)

    assert response.status_code == 302
    filled.refresh_from_db()
    assert (filled.title, filled.pitch) == ("Titre du capitaine", "Le pitch de la coéquipière")


def test_fields_both_changed_are_shown_side_by_side_with_the_persons_text_kept(
    client, filled, participant, teammate
):
    client.force_login(teammate)
    stale = _loaded_form_data(client, filled)
    stale["description"] = "Ma description"
    services.update_sheet(
        filled,
        by=participant,
        lock_version=filled.lock_version,
        technologies=["Python", "Leaflet"],
        libraries=[("Django", "5.2"), ("Leaflet", "1.9.4")],
        **{**SHEET_VALUES, "description": "Sa description"},
    )

    response = client.post(_url("team_sheet", filled), stale)

    assert response.context["form"]["description"].value() == "Ma description"
    assert response.context["conflict"]["rows"] == [
        {"name": "description", "label": "Description", "mine": "Ma description",
         "theirs": "Sa description"},
    ]  # fmt: skip
    html = response.content.decode()
    assert (
        'class="conflict-field' in html
        or "conflict-field" in html.split('id="id_description"')[0][-300:]
    )
    assert response.context["form"]["lock_version"].value() == filled.lock_version + 1


def test_merge_without_a_base_treats_every_difference_as_a_conflict():
    saved = {"title": "A", "pitch": "p"}
    posted = {"title": "B", "pitch": "p"}

    merged = conflicts.merge("not json", posted, saved)

    assert (merged.conflicts, merged.taken, merged.values["title"]) == (["title"], [], "B")


def test_digest_is_the_same_for_form_and_database_values(filled):
    from_db = conflicts.saved_values(filled)
    from_form = {**from_db, "technologies": ["leaflet ", "Python"], "challenge": None}

    assert conflicts.digest(from_db) == conflicts.digest(from_form)


# Sections and placement of errors ----------------------------------------------------


def test_sheet_form_is_grouped_in_sections_a_b_and_c(client, sheet, participant):
    client.force_login(participant)

    response = client.get(_url("team_sheet", sheet))

    sections = response.context["form"].sections()
    assert [(key, str(title)) for key, title, _f in sections] == [
        ("a", "A. The project"), ("b", "B. Data and technology"), ("c", "C. Results and code"),
    ]  # fmt: skip
    html = response.content.decode()
    positions = [html.index(f'id="section-{k}"') for k in "abc"]
    assert positions == sorted(positions)
    assert positions[1] < html.index('id="datasets"') < positions[2]
    assert html.count('form="sheet-form"') >= len(response.context["form"].fields) - 2


def test_upload_error_opens_at_the_images_with_focus_and_a_summary(client, sheet, participant):
    client.force_login(participant)
    html = client.get(_url("team_sheet", sheet)).content.decode()
    assert 'action="' + _url("upload_logo", sheet) + '#images"' in html

    response = client.post(
        _url("upload_logo", sheet), {"image": upload(png_claiming(30_000, 30_000), "b.png")}
    )

    html = response.content.decode()
    summary = response.context["error_summary"]
    assert [item["anchor"] for item in summary] == ["id_logo_image"]
    assert "40 megapixels" in summary[0]["message"]
    assert html.index('id="error-summary"') < html.index('id="section-a"')
    assert '<a href="#id_logo_image">' in html
    logo_input = html[html.index('id="id_logo_image"') - 200 : html.index('id="id_logo_image"')]
    assert "autofocus" in logo_input
    assert html.count("autofocus") == 1


def test_sheet_and_dataset_refusals_are_summarized_too(client, sheet, participant):
    client.force_login(participant)

    response = client.post(_url("add_dataset", sheet), {"dataset": "inconnu", "usage": "x"})

    assert [item["anchor"] for item in response.context["error_summary"]] == ["id_dataset"]


def test_sheet_page_loads_the_unsaved_changes_guard(client, sheet, participant):
    client.force_login(participant)

    html = client.get(_url("team_sheet", sheet)).content.decode()

    assert "submissions/sheet-guard.js" in html
    assert "data-unsaved-message=" in html
    assert "<script>" not in html


# Preview ------------------------------------------------------------------------------


def test_preview_shows_the_saved_sheet_with_the_submit_button(client, complete_sheet, participant):
    client.force_login(participant)
    sheet_html = client.get(_url("team_sheet", complete_sheet)).content.decode()
    assert _url("preview", complete_sheet) in sheet_html

    response = client.get(_url("preview", complete_sheet))

    html = response.content.decode()
    assert response.context["data"]["title"] == "Vélo futé"
    assert "<strong>carte</strong>" in html
    assert f'action="{_url("submit", complete_sheet)}"' in html


def test_preview_is_for_members_only(client, complete_sheet, outsider, organizer):
    for person, status in ((outsider, 404), (organizer, 403)):
        client.force_login(person)
        assert client.get(_url("preview", complete_sheet)).status_code in {status, 403, 404}


# Removing a dataset asks first ---------------------------------------------------------


def test_remove_dataset_asks_for_confirmation_first(client, complete_sheet, participant):
    link = complete_sheet.dataset_links.get()
    client.force_login(participant)

    response = client.get(_url("remove_dataset", complete_sheet, link.pk))

    assert complete_sheet.dataset_links.exists()
    assert "Supports à vélo" in response.content.decode()
    assert 'name="confirmed"' in response.content.decode()


# History: a real diff, and the judged version's images ---------------------------------


def test_word_diff_marks_inserted_and_deleted_words():
    assert word_diff("Une carte des supports", "Une belle carte des vélos") == [
        ("same", "Une"), ("ins", " belle"), ("same", " carte des "),
        ("del", "supports"), ("ins", "vélos"),
    ]  # fmt: skip


def test_diff_lists_datasets_added_and_removed():
    old = {"datasets": [{"id": 1, "title": "Vélos"}, {"id": 2, "title": "Pistes"}]}
    new = {"datasets": [{"id": 2, "title": "Pistes"}, {"id": 3, "title": "Arbres"}]}

    [change] = diff_snapshots(old, new)

    assert (change.key, change.added, change.removed) == ("datasets", ["Arbres"], ["Vélos"])


def _submit(sheet, person):
    sheet.refresh_from_db()
    return services.submit_project(sheet, by=person, lock_version=sheet.lock_version)


def test_compare_page_shows_word_changes_between_two_versions(
    client, complete_sheet, participant, dataset
):
    _submit(complete_sheet, participant)
    services.update_sheet(
        complete_sheet,
        by=participant,
        lock_version=complete_sheet.lock_version,
        technologies=["Python", "Leaflet"],
        libraries=[("Django", "5.2"), ("Leaflet", "1.9.4")],
        **{**SHEET_VALUES, "pitch": "Trouver un support à vélo libre, vite."},
    )
    old_link = complete_sheet.dataset_links.get()
    services.link_dataset(
        complete_sheet, by=participant, dataset=DatasetFactory(title="Arbres"), usage="Ombre."
    )
    services.unlink_dataset(old_link, by=participant)
    _submit(complete_sheet, participant)
    client.force_login(participant)
    history = client.get(_url("history", complete_sheet)).content.decode()
    assert _url("compare", complete_sheet) + "?old=1&amp;new=2" in history

    response = client.get(_url("compare", complete_sheet), {"old": 1, "new": 2})

    changes = {c.key: c for c in response.context["changes"]}
    assert set(changes) == {"pitch", "datasets"}
    assert changes["pitch"].parts == [
        ("same", "Trouver un support à vélo "), ("del", "libre."), ("ins", "libre, vite."),
    ]  # fmt: skip
    assert (changes["datasets"].added, changes["datasets"].removed) == (
        ["Arbres"], ["Supports à vélo"],
    )  # fmt: skip
    assert "<ins>" in response.content.decode()


def test_compare_needs_two_versions_and_membership(client, complete_sheet, participant, outsider):
    _submit(complete_sheet, participant)
    client.force_login(participant)
    assert client.get(_url("compare", complete_sheet)).status_code == 404
    type(complete_sheet).objects.filter(pk=complete_sheet.pk).update(title="Vélo futé 2")
    _submit(complete_sheet, participant)
    assert client.get(_url("compare", complete_sheet), {"old": 9, "new": 1}).status_code == 200
    client.force_login(outsider)
    assert client.get(_url("compare", complete_sheet)).status_code == 404


def test_version_keeps_its_logo_after_the_sheet_changes_it(
    client, complete_sheet, participant, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    with django_capture_on_commit_callbacks(execute=True):
        services.set_logo(complete_sheet, by=participant, upload=upload(image_bytes("PNG")))
    complete_sheet.refresh_from_db()
    first_logo = complete_sheet.logo.name
    _submit(complete_sheet, participant)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_logo(complete_sheet, by=participant, upload=upload(image_bytes("JPEG")))
    client.force_login(participant)

    response = client.get(_url("version", complete_sheet, 1))

    assert default_storage.exists(first_logo)
    assert default_storage.url(first_logo) in response.content.decode()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("x. " * 3300, "x. " * 2800 + "y. " * 500),  # one sentence repeated
        (" ".join(f"mot{n}" for n in range(1600)), " ".join(f"autre{n}" for n in range(1600))),
        ("a " * 5000, "b " * 5000),
        (
            ". ".join(f"phrase {n}" for n in range(1000)),
            ". ".join(f"ligne {n}" for n in range(1000)),
        ),
    ],
)
def test_word_diff_of_the_longest_texts_stays_fast(old, new):
    import time

    started = time.perf_counter()
    parts = word_diff(old, new)
    elapsed = time.perf_counter() - started

    assert "".join(text for op, text in parts if op != "del") == new
    assert "".join(text for op, text in parts if op != "ins") == old
    assert elapsed < 0.5  # a plain word-level difflib took 8 s on such texts
