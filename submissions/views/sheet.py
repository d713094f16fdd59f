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

from .. import queries, services
from ..eligibility import check_eligibility
from ..forms import (
    DatasetLinkForm,
    LibraryFormSet,
    LogoForm,
    ScreenshotForm,
    SheetForm,
    SubmitForm,
    library_initial,
    library_pairs,
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
    counts = {
        "dataset_count": len(sheet.dataset_links.all()),
        "technology_count": len(sheet.technologies.all()),
        "member_count": sheet.team.memberships.count(),
    }
    context = {
        "submission": sheet,
        "edition": sheet.edition,
        "team": sheet.team,
        "editable": editable,
        "is_member": is_member(request.user, sheet.team),
        "eligibility": check_eligibility(sheet, **counts),
        "licence_is_osi": is_osi_approved(sheet.licence),
        "autocomplete_url": _autocomplete_url(),
        "version_count": sheet.versions.count(),
        "max_screenshots": services.MAX_SCREENSHOTS,
        "conflict_current": build_snapshot(sheet) if forms.get("conflict") else None,
        "current": None if editable else build_snapshot(sheet),
        "withdrawn_ids": set(),
    }
    if editable:
        context.update(
            form=forms.get("form") or SheetForm(instance=sheet, edition=sheet.edition),
            library_formset=forms.get("library_formset")
            or LibraryFormSet(initial=library_initial(sheet), prefix="libraries"),
            dataset_form=forms.get("dataset_form") or DatasetLinkForm(),
            logo_form=forms.get("logo_form") or LogoForm(),
            screenshot_form=forms.get("screenshot_form") or ScreenshotForm(),
            submit_form=SubmitForm(initial={"lock_version": sheet.lock_version}),
        )
    return render(request, "submissions/sheet.html", context, status=status)


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
        try:
            services.update_sheet(
                submission,
                by=request.user,
                lock_version=data.pop("lock_version"),
                technologies=data.pop("technologies"),
                libraries=library_pairs(formset),
                **data,
            )
        except ConcurrentEditError as exc:
            return _render_conflict(request, submission, exc)
        except HackQCError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The sheet is saved. Submit it when it is complete."))
            return redirect(_sheet_url(submission))
    return _render_sheet(request, submission, form=form, library_formset=formset)


def _render_conflict(request, submission, exc):
    """The user's text, kept in the form, with the latest lock so a deliberate save wins."""
    current = type(submission).objects.get(pk=submission.pk)
    data = request.POST.copy()
    data["lock_version"] = current.lock_version
    form = SheetForm(data, instance=current, edition=submission.edition)
    form.is_valid()
    messages.error(request, exc.message)
    return _render_sheet(
        request,
        submission,
        status=409,
        form=form,
        library_formset=LibraryFormSet(data, prefix="libraries"),
        conflict=True,
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
@require_POST
def remove_dataset(request, slug, team_id, link_id):
    submission = _member_sheet(request, slug, team_id)
    link = get_object_or_404(submission.dataset_links.select_related("dataset"), pk=link_id)
    try:
        services.unlink_dataset(link, by=request.user)
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
            services.set_logo(submission, by=request.user, upload=form.cleaned_data["image"])
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
        services.remove_logo(submission, by=request.user)
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
        services.remove_screenshot(screenshot, by=request.user)
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
        version = services.submit_project(submission, by=request.user, lock_version=lock_version)
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
        "withdrawn_ids": queries.withdrawn_dataset_ids(version.data),
    }
    return render(request, "submissions/version_detail.html", context)
