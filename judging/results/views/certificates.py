"""A person's certificate as PDF, their choice to show their name, and the public page that
verifies a certificate from the token printed on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ..certificates import is_valid, set_certificate_name_public
from ..models import Certificate


def _own_certificate(user, pk):
    """The person's own certificate, or 404 (another person's certificate does not exist)."""
    return get_object_or_404(Certificate, pk=pk, user=user)


@login_required
@require_safe
def download(request, pk):
    certificate = _own_certificate(request.user, pk)
    response = HttpResponse(bytes(certificate.pdf), content_type="application/pdf")
    filename = f"certificate-{certificate.snapshot.edition.slug}-{certificate.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def name_visibility(request, pk):
    certificate = _own_certificate(request.user, pk)
    public = request.POST.get("public") == "1"
    set_certificate_name_public(certificate, public=public)
    if public:
        messages.success(request, _("The verification page now shows your name."))
    else:
        messages.success(request, _("The verification page no longer shows your name."))
    return redirect("space")


@require_safe
def verify(request, token):
    """Public: whoever holds the token (printed on the PDF) sees what it certifies."""
    if len(token) > 64:
        raise Http404
    certificate = get_object_or_404(
        Certificate.objects.select_related("snapshot__edition")
        .defer("pdf")
        .exclude(
            person_name=""  # the account was erased: nothing left to certify
        ),
        token=token,
    )
    return render(
        request,
        "results/certificate_verify.html",
        {
            "certificate": certificate,
            "edition": certificate.snapshot.edition,
            "valid": is_valid(certificate),
        },
    )
