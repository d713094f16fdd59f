"""The edition's life on its organizer page: publish, back to draft, archive, unarchive,
feature on the home page (staff), delete (a draft nobody joined). Each a POST calling one
service of `hackqc.lifecycle`; archiving and deleting ask for confirmation first."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from hackqc import lifecycle
from hackqc.exceptions import HackQCError
from hackqc.form_errors import show_refusal
from hackqc.permissions import (
    OrganizerRequiredMixin,
    can_create_edition,
    get_edition_for_organizer,
)


def lifecycle_section(edition, user) -> dict:
    """What the dashboard's “Life cycle” section offers, by the edition's status."""
    status = edition.status
    people = lifecycle.has_people(edition) if status != edition.Status.ARCHIVED else True
    return {
        "can_publish": status == edition.Status.DRAFT,
        "can_delete": status == edition.Status.DRAFT and not people,
        "can_unpublish": status == edition.Status.PUBLISHED and not people,
        "has_people": people,
        "can_archive": status == edition.Status.PUBLISHED and lifecycle.can_archive(edition),
        "can_unarchive": status == edition.Status.ARCHIVED,
        "can_feature": can_create_edition(user)
        and status != edition.Status.DRAFT
        and not edition.featured,
    }


def _back(edition):
    return redirect(reverse("organize:dashboard", kwargs={"slug": edition.slug}) + "#lifecycle")


def _transition(service, done):
    @require_POST
    def view(request, slug):
        edition = get_edition_for_organizer(request.user, slug)
        try:
            service(edition, by=request.user)
        except HackQCError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, str(done))
        return _back(edition)

    view.__name__ = service.__name__
    view.__module__ = __name__
    return view


publish = _transition(lifecycle.publish_edition, gettext_lazy("The edition is published."))
unpublish = _transition(
    lifecycle.unpublish_edition,
    gettext_lazy("The edition is a draft again: only its organizers see it."),
)
unarchive = _transition(
    lifecycle.unarchive_edition, gettext_lazy("The edition is no longer archived.")
)


@require_POST
def feature(request, slug):
    """Staff choose the edition the home page features (it is the whole site's)."""
    if not can_create_edition(request.user):
        raise PermissionDenied
    edition = get_edition_for_organizer(request.user, slug)
    try:
        lifecycle.feature_edition(edition, by=request.user)
    except HackQCError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(name)s is featured on the home page.") % {"name": edition.name}
        )
    target = request.POST.get("next") == "editions"
    return redirect("organize:editions") if target else _back(edition)


class ConfirmForm(forms.Form):
    """Archiving asks for a tick; deleting for the edition's slug, typed."""

    confirm = forms.CharField(max_length=60, required=False)

    def __init__(self, *args, expected, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = expected
        if expected is None:
            self.fields["confirm"] = forms.BooleanField(
                label=gettext_lazy("I understand that the edition becomes read-only."),
                required=True,
            )
        else:
            self.fields["confirm"].label = gettext_lazy("Type the edition's slug to confirm")
            self.fields["confirm"].required = True

    def clean_confirm(self):
        value = self.cleaned_data["confirm"]
        if self.expected is not None and value.strip() != self.expected:
            raise forms.ValidationError(_("This is not the edition's slug."))
        return value


class _ConfirmView(OrganizerRequiredMixin, FormView):
    template_name = "hackqc/organize/lifecycle_confirm.html"
    form_class = ConfirmForm
    typed = False

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "expected": self.edition.slug if self.typed else None}

    def act(self):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.act()
        except HackQCError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        return self.done()


class ArchiveView(_ConfirmView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Archive %(name)s") % {"name": self.edition.name},
            explanation=_(
                "An archived edition stays public, read-only: nothing of it can change until "
                "an organizer unarchives it."
            ),
            button=_("Archive"),
            danger=False,
            **kwargs,
        )

    def act(self):
        lifecycle.archive_edition(self.edition, by=self.request.user)

    def done(self):
        messages.success(self.request, _("The edition is archived."))
        return _back(self.edition)


class DeleteView(_ConfirmView):
    typed = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Delete %(name)s") % {"name": self.edition.name},
            explanation=_(
                "The draft, its challenges, host sites, pages and agenda are deleted for good. "
                "Type %(slug)s to confirm."
            )
            % {"slug": self.edition.slug},
            button=_("Delete for good"),
            danger=True,
            **kwargs,
        )

    def act(self):
        lifecycle.delete_edition(self.edition, by=self.request.user)

    def done(self):
        messages.success(self.request, _("The edition was deleted."))
        return redirect("organize:editions")
