"""Organizers' pages: their editions, the timeline, challenges, host sites and the team."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView, TemplateView

from hackqc import cloning, services
from hackqc.exceptions import HackQCError
from hackqc.form_errors import show_refusal
from hackqc.forms import (
    ChallengeForm,
    CloneEditionForm,
    EditionForm,
    HostSiteForm,
    OrganizerForm,
)
from hackqc.models import Challenge, Edition, EditionOrganizer, HostSite
from hackqc.permissions import (
    OrganizerRequiredMixin,
    StaffRequiredMixin,
    get_edition_for_organizer,
)
from hackqc.phases import current_phase, timeline
from hackqc.views.dashboard import edition_numbers
from hackqc.views.lifecycle import lifecycle_section


class OrganizedEditionsView(LoginRequiredMixin, ListView):
    template_name = "hackqc/organize/edition_list.html"
    context_object_name = "editions"

    def get_queryset(self):
        return Edition.objects.organized_by(self.request.user).order_by("-year", "-pk")


class DashboardView(OrganizerRequiredMixin, TemplateView):
    template_name = "hackqc/organize/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            phase=current_phase(self.edition),
            timeline=timeline(self.edition),
            challenges=self.edition.challenges.order_by("number"),
            host_sites=self.edition.host_sites.order_by("name"),
            organizers=EditionOrganizer.objects.filter(edition=self.edition)
            .select_related("user")
            .order_by("user__display_name"),
            organizer_form=OrganizerForm(),
            clone_form=CloneEditionForm(source=self.edition),
            numbers=edition_numbers(self.edition),
            lifecycle=lifecycle_section(self.edition, self.request.user),
        )
        return context


class EditionCreateView(StaffRequiredMixin, FormView):
    template_name = "hackqc/organize/edition_form.html"
    form_class = EditionForm

    def form_valid(self, form):
        try:
            edition = services.create_edition(by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Edition created."))
        return redirect("organize:dashboard", slug=edition.slug)


class EditionUpdateView(OrganizerRequiredMixin, FormView):
    template_name = "hackqc/organize/edition_form.html"
    form_class = EditionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.edition}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            edition = services.update_edition(self.edition, by=self.request.user, **fields)
        except ValidationError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Edition saved."))
        return redirect("organize:dashboard", slug=edition.slug)


class CloneEditionView(OrganizerRequiredMixin, FormView):
    """Next year's edition from this one: setup copied, no people, no projects."""

    template_name = "hackqc/organize/clone_form.html"
    form_class = CloneEditionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "source": self.edition}

    def form_valid(self, form):
        try:
            new = cloning.clone_edition(self.edition, by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is ready: check its dates, then invite its judges.") % {"name": new.name},
        )
        return redirect("organize:dashboard", slug=new.slug)


class _EditionChildFormView(OrganizerRequiredMixin, FormView):
    """Adds or edits one challenge or host site of the organizer's edition."""

    model = None
    save_service = None
    success_message = ""
    template_name = "hackqc/organize/child_form.html"
    heading = ""

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(self.model, pk=self.kwargs["pk"], edition=self.edition)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_object(), "edition": self.edition}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)

    def form_valid(self, form):
        self.save_service(form.instance, by=self.request.user)
        messages.success(self.request, self.success_message)
        return redirect("organize:dashboard", slug=self.edition.slug)


class ChallengeFormView(_EditionChildFormView):
    model = Challenge
    form_class = ChallengeForm
    save_service = staticmethod(services.save_challenge)

    @property
    def heading(self):
        return _("Challenge")

    @property
    def success_message(self):
        return _("Challenge saved.")


class HostSiteFormView(_EditionChildFormView):
    model = HostSite
    form_class = HostSiteForm
    save_service = staticmethod(services.save_host_site)

    @property
    def heading(self):
        return _("Host site")

    @property
    def success_message(self):
        return _("Host site saved.")


def _delete_child(request, slug, pk, model, delete, done_message):
    """Deletes one challenge or host site of the organizer's edition, or says why not."""
    edition = get_edition_for_organizer(request.user, slug)
    obj = get_object_or_404(model, pk=pk, edition=edition)
    try:
        delete(obj, by=request.user)
    except HackQCError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done_message)
    return redirect("organize:dashboard", slug=edition.slug)


@require_POST
def delete_challenge(request, slug, pk):
    return _delete_child(
        request, slug, pk, Challenge, services.delete_challenge, _("Challenge deleted.")
    )


@require_POST
def delete_host_site(request, slug, pk):
    return _delete_child(
        request, slug, pk, HostSite, services.delete_host_site, _("Host site deleted.")
    )


@require_POST
def add_organizer(request, slug):
    edition = get_edition_for_organizer(request.user, slug)
    form = OrganizerForm(request.POST)
    if form.is_valid():
        try:
            services.grant_organizer(edition, user=form.user, by=request.user)
        except HackQCError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("%(name)s now organizes this edition.") % {"name": form.user}
            )
    else:
        messages.error(request, " ".join(form.errors["email"]))
    return redirect(reverse("organize:dashboard", kwargs={"slug": edition.slug}) + "#organizers")


@require_POST
def remove_organizer(request, slug, pk):
    edition = get_edition_for_organizer(request.user, slug)
    role = get_object_or_404(EditionOrganizer, pk=pk, edition=edition)
    if role.user == request.user:
        messages.error(request, _("You cannot remove yourself; ask another organizer."))
    else:
        services.revoke_organizer(edition, user=role.user, by=request.user)
        messages.success(request, _("Organizer removed."))
    return redirect(reverse("organize:dashboard", kwargs={"slug": edition.slug}) + "#organizers")


class FailedMailsView(OrganizerRequiredMixin, ListView):
    """The edition's mails that failed or are failing, newest first, each with a resend."""

    template_name = "hackqc/organize/failed_mails.html"
    context_object_name = "mails"
    paginate_by = 50

    def get_queryset(self):
        from hackqc.outbox import failed_mails

        return failed_mails(self.edition)

    def get_context_data(self, **kwargs):
        from hackqc.outbox import kind_label

        context = super().get_context_data(**kwargs)
        for mail in context["mails"]:
            mail.kind = kind_label(mail.template)
        return context


@require_POST
def resend_mail(request, slug, pk):
    from hackqc.models import OutgoingMail

    edition = get_edition_for_organizer(request.user, slug)
    mail = get_object_or_404(OutgoingMail, pk=pk, edition=edition)
    mail = services.resend_failed_mail(mail, by=request.user)
    if mail.state == OutgoingMail.State.PENDING:
        messages.success(
            request, _("The mail to %(address)s is being sent again.") % {"address": mail.address}
        )
    else:
        messages.info(request, _("This mail was already sent or cancelled: nothing to do."))
    return redirect("organize:failed_mails", slug=edition.slug)


class StaffHomeView(StaffRequiredMixin, TemplateView):
    """Staff's landing page: portals, the site log, incidents, health, and every edition's
    organizers, failed mails and log, one click away."""

    template_name = "hackqc/organize/staff.html"

    def get_context_data(self, **kwargs):
        editions = (
            Edition.objects.filter(is_synthetic=False)
            .annotate(organizer_count=Count("organizer_roles", distinct=True))
            .order_by("-year", "-pk")
        )
        return super().get_context_data(editions=editions, **kwargs)


class HealthView(StaffRequiredMixin, TemplateView):
    """Whether workers are alive: the last heartbeat of each (written by a beat task)."""

    template_name = "hackqc/organize/health.html"

    def get_context_data(self, **kwargs):
        from django.conf import settings
        from django.db import connection

        from hackqc.models import WorkerHeartbeat

        return super().get_context_data(
            heartbeats=WorkerHeartbeat.objects.all()[:50],
            eager=settings.CELERY_TASK_ALWAYS_EAGER,
            database=connection.vendor,
            **kwargs,
        )
