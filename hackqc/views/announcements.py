"""Announcements: the organizers' list, form, preview, test send, send and pin."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from hackqc import announcements
from hackqc.announcement_forms import AnnouncementForm
from hackqc.exceptions import HackQCError
from hackqc.form_errors import show_refusal
from hackqc.models import Announcement
from hackqc.permissions import OrganizerRequiredMixin, get_edition_for_organizer


def _announcement(edition, pk) -> Announcement:
    return get_object_or_404(Announcement.objects.select_related("edition"), pk=pk, edition=edition)


class AnnouncementListView(OrganizerRequiredMixin, TemplateView):
    template_name = "hackqc/organize/announcements.html"

    def get_context_data(self, **kwargs):
        rows = list(announcements.for_edition(self.edition))
        for row in rows:
            row.segment_label = announcements.segment_label(row)
        return super().get_context_data(announcements=rows, **kwargs)


class AnnouncementFormView(OrganizerRequiredMixin, FormView):
    template_name = "hackqc/organize/announcement_form.html"
    form_class = AnnouncementForm

    def dispatch(self, request, *args, **kwargs):
        self.announcement = None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if "pk" in self.kwargs:
            self.announcement = _announcement(self.edition, self.kwargs["pk"])
            if not self.announcement.is_draft:
                messages.info(request, announcements.unchangeable_reason(self.announcement))
                return redirect(self.announcement_url("preview"))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if "pk" in self.kwargs:
            self.announcement = _announcement(self.edition, self.kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def announcement_url(self, name):
        return reverse(
            f"organize:announcement_{name}",
            kwargs={"slug": self.edition.slug, "pk": self.announcement.pk},
        )

    def get_initial(self):
        if self.announcement is not None:
            return AnnouncementForm.initial_for(self.announcement)
        return {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "edition": self.edition}

    def get_context_data(self, **kwargs):
        return super().get_context_data(announcement=self.announcement, **kwargs)

    def form_valid(self, form):
        try:
            if self.announcement is None:
                self.announcement = announcements.create_announcement(
                    self.edition, by=self.request.user, **form.cleaned_data
                )
            else:
                announcements.update_announcement(
                    self.announcement, by=self.request.user, **form.cleaned_data
                )
        except HackQCError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Draft saved. Check it here before sending it."))
        return redirect(self.announcement_url("preview"))


class AnnouncementPreviewView(OrganizerRequiredMixin, TemplateView):
    template_name = "hackqc/organize/announcement_preview.html"

    def get_context_data(self, **kwargs):
        announcement = _announcement(self.edition, self.kwargs["pk"])
        return super().get_context_data(
            announcement=announcement, preview=announcements.preview(announcement), **kwargs
        )


@require_POST
def send_test_announcement(request, slug, pk):
    edition = get_edition_for_organizer(request.user, slug)
    announcement = _announcement(edition, pk)
    announcements.send_test_announcement(announcement, by=request.user)
    messages.success(
        request,
        _("A test is on its way to %(address)s, in each language written.")
        % {"address": request.user.email},
    )
    return redirect("organize:announcement_preview", slug=edition.slug, pk=announcement.pk)


@require_POST
def send_announcement(request, slug, pk):
    edition = get_edition_for_organizer(request.user, slug)
    announcement = _announcement(edition, pk)
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm the sending."))
        return redirect("organize:announcement_preview", slug=edition.slug, pk=announcement.pk)
    expected = request.POST.get("expected", "")
    expected = int(expected) if expected.isdigit() and len(expected) < 10 else -1
    try:
        announcement = announcements.send_announcement(
            announcement, by=request.user, expected=expected
        )
    except HackQCError as exc:
        messages.error(request, str(exc))
        return redirect("organize:announcement_preview", slug=edition.slug, pk=announcement.pk)
    messages.success(
        request,
        _("The announcement is being sent to %(count)s people, each in their language.")
        % {"count": announcement.recipient_count},
    )
    return redirect("organize:announcements", slug=edition.slug)


@require_POST
def pin_announcement(request, slug, pk):
    edition = get_edition_for_organizer(request.user, slug)
    announcement = _announcement(edition, pk)
    if request.POST.get("pinned") == "1":
        try:
            announcements.pin_announcement(announcement, by=request.user)
        except HackQCError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The announcement is pinned on the edition page."))
    else:
        announcements.unpin_announcement(announcement, by=request.user)
        messages.success(request, _("The announcement is no longer on the edition page."))
    return redirect("organize:announcements", slug=edition.slug)
