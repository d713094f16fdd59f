"""The person's privacy page: what the site holds, who sees it, consents and their history,
a copy of one's data and closing one's account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hackqc.exceptions import HackQCError

from . import consents, registry, visibility
from .erasure import erase_account
from .exporting import export_for_token, request_export
from .forms import CloseAccountForm
from .models import DataExport


@login_required
def privacy_page(request):
    user = request.user
    held = []
    for entry in registry.personal_data():
        count = entry.rows(user).count()
        if count:
            held.append({"entry": entry, "count": count})
    context = {
        "held": held,
        "audiences": [title for _key, title in visibility.AUDIENCES],
        "visibility": visibility.table(),
        "in_force": consents.consents_in_force(user),
        "history": consents.history(user),
        "exports": DataExport.objects.filter(user=user).order_by("-requested_at")[:5],
    }
    return render(request, "privacy/page.html", context)


@login_required
@require_POST
def export_request(request):
    request_export(request.user, by=request.user)
    messages.success(
        request,
        _(
            "Your copy is being prepared: we will e-mail you a link to it in a few minutes. "
            "The link works for %(hours)s hours."
        )
        % {"hours": _link_hours()},
    )
    return redirect("privacy:page")


def _link_hours():
    from django.conf import settings

    return settings.PRIVACY_EXPORT_LINK_HOURS


def _export_or_gone(request, token):
    export = export_for_token(token, request.user)
    if export is None:
        response = render(request, "privacy/export_gone.html", status=404)
        return None, response
    return export, None


@login_required
def export_view(request, token):
    """The copy, readable: every section with its fields, who sees it and what erasure does."""
    export, gone = _export_or_gone(request, token)
    if gone:
        return gone
    entries = {entry.model: entry for entry in registry.personal_data()}
    sections = [
        {
            **section,
            "rows": [_labelled(entries.get(section["model"]), row) for row in section["rows"]],
        }
        for section in export.data["sections"]
    ]
    context = {"export": export, "sections": sections, "token": token}
    return render(request, "privacy/export.html", context)


def _labelled(entry, row) -> dict:
    """The row with each field's name in the reader's language where the model says it."""
    if entry is None:
        return row
    labelled = {}
    for key, value in row.items():
        try:
            label = str(entry.model_class._meta.get_field(key).verbose_name)
        except Exception:  # context keys ("edition", "team") are not always fields
            label = key
        labelled[label[:1].upper() + label[1:]] = value
    return labelled


@login_required
def export_json(request, token):
    export, gone = _export_or_gone(request, token)
    if gone:
        return gone
    response = HttpResponse(
        json.dumps(export.data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"hackqc-personal-data-{export.built_at:%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def close_account(request):
    form = CloseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            erase_account(user, by=user)
        except HackQCError as error:
            messages.error(request, str(error))
            return redirect("privacy:page")
        logout(request)
        messages.success(
            request,
            _(
                "Your account is closed. Your name and address are erased; "
                "thank you for taking part."
            ),
        )
        return redirect(reverse("home"))
    return render(request, "privacy/close.html", {"form": form})
