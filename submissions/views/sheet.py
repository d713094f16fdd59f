"""The team's project sheet: edit, link datasets, images, submit, history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hackqc.exceptions import ConcurrentEditError, HackQCError
from hackqc.pagecache import Page, look_up
from hackqc.proxy import request_arrival

from .. import conflicts, queries, services
from ..diff import diff_snapshots
from ..forms import (
    CompareForm,
    DatasetLinkForm,
    LibraryFormSet,
    LogoForm,
    ScreenshotForm,
    SheetForm,
    SubmitForm,
    library_initial,
    library_pairs,
    rendering_key,
    sheet_form_data,
)
from ..licences import is_osi_approved
from ..permissions import can_edit_sheet, get_member_team, get_team_sheet, is_member
from ..snapshots import build_snapshot


def _sheet_url(submission):
    return reverse("submissions:team_sheet", args=[submission.edition.slug, submission.team_id])


def _autocomplete_url():
    try:
        return reverse("catalogue:autocomplete")
    except NoReverseMatch:
        return ""


def _render_sheet(request, submission, status=200, **forms):
    """The sheet page; `forms` replaces the blank ones (bound forms with errors)."""
    sheet = queries.sheet_with_rows(submission.pk)
    editable = can_edit_sheet(request.user, sheet)
    context = {
        "submission": sheet,
        "edition": sheet.edition,
        "team": sheet.team,
        "editable": editable,
        "is_member": is_member(request.user, sheet.team),
        "eligibility": queries.eligibility_of(sheet),
        "licence_is_osi": is_osi_approved(sheet.licence),
        "autocomplete_url": _autocomplete_url(),
        "last_version": sheet.versions.order_by("-number").first(),
        "max_screenshots": services.MAX_SCREENSHOTS,
        "conflict": _conflict_rows(
            forms.get("form"), forms.get("conflict"), forms.get("conflict_saved")
        ),
        "current": None if editable or "form" in forms else build_snapshot(sheet),
        "members": queries.member_names_for(sheet.team, request.user),
        "withdrawn_ids": set(),
    }
    # A refused save (deadline, conflict) shows the form again so no text is lost.
    context["show_form"] = editable or "form" in forms
    if context["show_form"]:
        form = forms.get("form") or SheetForm(instance=sheet, edition=sheet.edition)
        libraries = forms.get("library_formset") or LibraryFormSet(
            initial=library_initial(sheet), prefix="libraries"
        )
        # The fields of a blank form render the same for the same content: once per
        # content, for the whole team (`rendering_key`); a refused form every time.
        fields = None
        if not (form.is_bound or libraries.is_bound):
            fields = Page("sheet-fields", rendering_key(form, *libraries), areas=())
        context.update(
            form=form,
            library_formset=libraries,
            sections=[
                (key, title, bound, fields and fields.part(key))
                for key, title, bound in form.sections()
            ],
            libraries_fragment=fields and fields.part("libraries"),
        )
    context["error_summary"] = _error_summary(forms)
    if editable:
        for name, blank in BLANK_FORMS.items():
            shown = forms.get(name) or blank()
            context[name] = shown
            context[f"{name}_fragment"] = (
                None if shown.is_bound else Page(f"sheet-{name}", rendering_key(shown), areas=())
            )
        context["submit_form"] = SubmitForm(initial={"lock_version": sheet.lock_version})
    # Every cached fragment of the page in one cache round trip.
    look_up(
        [section[3] for section in context.get("sections", ())]
        + [value for key, value in context.items() if key.endswith("_fragment")]
    )
    return render(request, "submissions/sheet.html", context, status=status)


# The sheet page's forms that start blank; a refused one comes back bound, with its errors.
BLANK_FORMS = {"dataset_form": DatasetLinkForm, "logo_form": LogoForm,
               "screenshot_form": ScreenshotForm}  # fmt: skip


SUMMARY_FORMS = ("form", "library_formset", "dataset_form", "logo_form", "screenshot_form")
SECTION_OF_FORM = {"form": "section-a", "library_formset": "section-b",
                   "dataset_form": "datasets", "logo_form": "images",
                   "screenshot_form": "images"}  # fmt: skip


def _error_summary(forms):
    """Every error of the refused form, listed at the top with a link to its field; the
    first field in error gets the focus when the page opens."""
    items = []
    for key in SUMMARY_FORMS:
        form = forms.get(key)
        if form is None or not form.is_bound:
            continue
        for each in getattr(form, "forms", [form]):
            for name, errors in each.errors.items():
                field = each[name] if name in each.fields else None
                if field is not None and not items:
                    field.field.widget.attrs["autofocus"] = True
                label = field.label if field is not None else _("The form")
                anchor = field.id_for_label if field is not None else SECTION_OF_FORM[key]
                items += [{"anchor": anchor, "label": label, "message": e} for e in errors]
        for message in getattr(form, "non_form_errors", list)():
            items.append(
                {"anchor": SECTION_OF_FORM[key], "label": _("The form"), "message": message}
            )
    return items


def _conflict_rows(form, merged, saved):
    """For the page: each conflicting field side by side, and the fields taken as saved.
    Conflicting fields are highlighted in the form too."""
    if merged is None:
        return None
    labels = {name: field.label for name, field in form.fields.items()}
    labels["libraries"] = _("External libraries and their versions")
    for name in merged.conflicts:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = (widget.attrs.get("class", "") + " conflict-field").strip()
    return {
        "rows": [
            {
                "name": name,
                "label": labels[name],
                "mine": conflicts.display(name, merged.values.get(name)),
                "theirs": conflicts.display(name, saved.get(name)),
            }
            for name in merged.conflicts
        ],
        "taken": [labels[name] for name in merged.taken],
    }


@login_required
def my_sheet(request, slug):
    """Sends a member to their team's sheet in this edition."""
    team = get_member_team(request.user, slug)
    return redirect("submissions:team_sheet", slug, team.pk)


@login_required
def team_sheet(request, slug, team_id):
    submission = get_team_sheet(request.user, slug, team_id)
    if request.method != "POST":
        return _render_sheet(request, submission)
    if not is_member(request.user, submission.team):
        raise PermissionDenied
    form = SheetForm(request.POST, instance=submission, edition=submission.edition)
    formset = LibraryFormSet(request.POST, prefix="libraries")
    if form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        data.pop("base")
        try:
            services.update_sheet(
                submission,
                by=request.user,
                lock_version=data.pop("lock_version"),
                technologies=data.pop("technologies"),
                libraries=library_pairs(formset),
                arrived_at=request_arrival(request),
                **data,
            )
        except ConcurrentEditError as exc:
            return _render_conflict(request, submission, form, formset, exc)
        except HackQCError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The sheet is saved. Submit it when it is complete."))
            return redirect(_sheet_url(submission))
    return _render_sheet(request, submission, form=form, library_formset=formset)


def _render_conflict(request, submission, form, formset, exc):
    """Merges the stale save into the saved sheet field by field (see conflicts.py) and
    shows the result with the latest lock: saving it again loses nobody's text."""
    current = type(submission).objects.get(pk=submission.pk)
    saved = conflicts.saved_values(current)
    posted = {**form.cleaned_data, "libraries": library_pairs(formset)}
    merged = conflicts.merge(form.cleaned_data.get("base", ""), posted, saved)
    data = sheet_form_data(merged.values)
    data.update(lock_version=current.lock_version, base=conflicts.digest(saved))
    form = SheetForm(data, instance=current, edition=submission.edition)
    form.is_valid()
    messages.error(request, exc.message)
    return _render_sheet(
        request,
        submission,
        status=409,
        form=form,
        library_formset=LibraryFormSet(data, prefix="libraries"),
        conflict=merged,
        conflict_saved=saved,
    )


def _member_sheet(request, slug, team_id):
    submission = get_team_sheet(request.user, slug, team_id)
    if not is_member(request.user, submission.team):
        raise PermissionDenied
    return submission


@login_required
@require_POST
def add_dataset(request, slug, team_id):
    submission = _member_sheet(request, slug, team_id)
    form = DatasetLinkForm(request.POST)
    if form.is_valid():
        try:
            dataset = services.resolve_dataset_reference(form.cleaned_data["dataset"])
            services.link_dataset(
                submission,
                by=request.user,
                dataset=dataset,
                usage=form.cleaned_data["usage"],
                arrived_at=request_arrival(request),
                resources=form.cleaned_data["resources"],
            )
        except HackQCError as exc:
            form.add_error("dataset" if exc.field in (None, "dataset") else None, exc.message)
        else:
            messages.success(
                request, _("“%(title)s” is linked to the project.") % {"title": dataset.title}
            )
            return redirect(_sheet_url(submission) + "#datasets")
    return _render_sheet(request, submission, dataset_form=form)


@login_required
def remove_dataset(request, slug, team_id, link_id):
    """GET asks for confirmation (removing drops the usage text typed for it); POST removes."""
    submission = _member_sheet(request, slug, team_id)
    link = get_object_or_404(submission.dataset_links.select_related("dataset"), pk=link_id)
    if request.method != "POST":
        return render(
            request,
            "includes/confirm_page.html",
            {
                "title": _("Remove “%(title)s” from the project?") % {"title": link.dataset.title},
                "explanation": _(
                    "The project no longer lists this dataset, and what you wrote about how it "
                    "is used is deleted."
                ),
                "action_label": _("Remove the dataset"),
                "cancel_url": _sheet_url(submission) + "#datasets",
                "cancel_label": _("Keep it"),
            },
        )
    try:
        services.unlink_dataset(link, by=request.user, arrived_at=request_arrival(request))
    except HackQCError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("“%(title)s” is no longer linked.") % {"title": link.dataset.title}
        )
    return redirect(_sheet_url(submission) + "#datasets")


@login_required
@require_POST
def upload_logo(request, slug, team_id):
    submission = _member_sheet(request, slug, team_id)
    form = LogoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.set_logo(
                submission,
                by=request.user,
                upload=form.cleaned_data["image"],
                arrived_at=request_arrival(request),
            )
        except HackQCError as exc:
            form.add_error("image", exc.message)
        else:
            messages.success(request, _("The logo is saved."))
            return redirect(_sheet_url(submission) + "#images")
    return _render_sheet(request, submission, logo_form=form)


@login_required
@require_POST
def delete_logo(request, slug, team_id):
    submission = _member_sheet(request, slug, team_id)
    try:
        services.remove_logo(submission, by=request.user, arrived_at=request_arrival(request))
    except HackQCError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The logo is removed."))
    return redirect(_sheet_url(submission) + "#images")


@login_required
@require_POST
def upload_screenshot(request, slug, team_id):
    submission = _member_sheet(request, slug, team_id)
    form = ScreenshotForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_screenshot(
                submission,
                by=request.user,
                upload=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
                arrived_at=request_arrival(request),
            )
        except HackQCError as exc:
            form.add_error("image", exc.message)
        else:
            messages.success(request, _("The screenshot is added."))
            return redirect(_sheet_url(submission) + "#images")
    return _render_sheet(request, submission, screenshot_form=form)


@login_required
@require_POST
def delete_screenshot(request, slug, team_id, screenshot_id):
    submission = _member_sheet(request, slug, team_id)
    screenshot = get_object_or_404(submission.screenshots, pk=screenshot_id)
    try:
        services.remove_screenshot(screenshot, by=request.user, arrived_at=request_arrival(request))
    except HackQCError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The screenshot is removed."))
    return redirect(_sheet_url(submission) + "#images")


@login_required
@require_POST
def submit(request, slug, team_id):
    submission = _member_sheet(request, slug, team_id)
    form = SubmitForm(request.POST)
    lock_version = form.cleaned_data["lock_version"] if form.is_valid() else None
    try:
        version = services.submit_project(
            submission,
            by=request.user,
            lock_version=lock_version,
            arrived_at=request_arrival(request),
        )
    except services.NotEligibleError as exc:
        messages.error(request, exc.message)
        for problem in exc.problems:
            messages.warning(request, problem)
        return redirect(_sheet_url(submission))
    except HackQCError as exc:
        messages.error(request, exc.message)
        return redirect(_sheet_url(submission))
    messages.success(
        request,
        _("Version %(number)d is submitted. Every member gets a confirmation by e-mail.")
        % {"number": version.number},
    )
    return redirect("submissions:history", slug, team_id)


@login_required
def preview(request, slug, team_id):
    """The saved sheet as the jury will read it, with the submit button under it."""
    submission = _member_sheet(request, slug, team_id)
    sheet = queries.sheet_with_rows(submission.pk)
    data = build_snapshot(sheet)
    context = {
        "submission": sheet,
        "edition": sheet.edition,
        "team": sheet.team,
        "data": data,
        "members": queries.member_names_for(sheet.team, request.user),
        "withdrawn_ids": queries.withdrawn_dataset_ids(data),
        "eligibility": queries.eligibility_of(sheet),
        "editable": can_edit_sheet(request.user, sheet),
        "submit_form": SubmitForm(initial={"lock_version": sheet.lock_version}),
    }
    return render(request, "submissions/preview.html", context)


@login_required
def history(request, slug, team_id):
    submission = get_team_sheet(request.user, slug, team_id)
    context = {
        "submission": submission,
        "edition": submission.edition,
        "team": submission.team,
        "versions": queries.versions_with_changes(submission),
        "judged": queries.judged_version(submission),
        "decisions": submission.decisions.select_related("decided_by"),
    }
    return render(request, "submissions/history.html", context)


@login_required
def compare_versions(request, slug, team_id):
    """Word-level changes per field, and datasets added or removed, between two versions
    (`?from=` and `?to=`; by default the latest and the one before it)."""
    submission = get_team_sheet(request.user, slug, team_id)
    versions = list(submission.versions.order_by("number").only("pk", "number", "submitted_at"))
    if len(versions) < 2:
        raise Http404
    numbers = [v.number for v in versions]
    form = CompareForm(request.GET or None, numbers=numbers)
    if form.is_bound and form.is_valid():
        old_number, new_number = form.cleaned_data["old"], form.cleaned_data["new"]
    else:
        old_number, new_number = numbers[-2], numbers[-1]
    by_number = {
        v.number: v
        for v in submission.versions.filter(number__in=[old_number, new_number]).select_related(
            "submitted_by"
        )
    }
    old, new = by_number[old_number], by_number[new_number]
    context = {
        "submission": submission,
        "edition": submission.edition,
        "team": submission.team,
        "form": form
        if form.is_bound
        else CompareForm(initial={"old": old_number, "new": new_number}, numbers=numbers),
        "old": old,
        "new": new,
        "changes": diff_snapshots(old.data, new.data),
    }
    return render(request, "submissions/compare.html", context)


@login_required
def version_detail(request, slug, team_id, number):
    submission = get_team_sheet(request.user, slug, team_id)
    version = submission.versions.select_related("submitted_by").filter(number=number).first()
    if version is None:
        raise Http404
    context = {
        "submission": submission,
        "edition": submission.edition,
        "team": submission.team,
        "version": version,
        "data": version.data,
        "members": queries.member_names_for(submission.team, request.user),
        "withdrawn_ids": queries.withdrawn_dataset_ids(version.data),
    }
    return render(request, "submissions/version_detail.html", context)
