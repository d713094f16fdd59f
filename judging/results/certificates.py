"""Participation and prize certificates: who gets one, issuing them, the PDF (ReportLab).

After results are published, `issue_certificates` gives each member of a team whose project
was judged a participation certificate, and each member of a winning team one per place won.
Each is issued once (its `key`), in the person's language, and kept as issued. The PDF
prints a verification URL whose token is unguessable; the public page it opens confirms the
edition and the prize, and the name only if the person chose to show it.
"""

import io

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hackqc.service import service
from submissions.queries import judgeable_submissions
from teams.models import Membership

from .models import Award, Certificate, ResultSnapshot


def verification_url(certificate) -> str:
    with translation.override(certificate.language):
        path = reverse("results:certificate_verify", kwargs={"token": certificate.token})
    return settings.SITE_URL + path


def _people(snapshot):
    """[(key, fields)] of every certificate `snapshot` gives: three queries."""
    edition = snapshot.edition
    judged = judgeable_submissions(edition).values("team_id")
    members = list(
        Membership.objects.filter(edition=edition, team__in=judged)
        .select_related("user", "team__submission")
        .order_by("team_id", "pk")
    )
    by_team: dict[int, list] = {}
    for membership in members:
        by_team.setdefault(membership.team_id, []).append(membership)
    out = []
    for membership in members:
        fields = _fields(snapshot, membership, Certificate.Kind.PARTICIPATION)
        out.append((f"{snapshot.pk}:{membership.user_id}:participation", fields))
    awards = Award.objects.filter(
        snapshot=snapshot, place__isnull=False, submission__isnull=False
    ).select_related("prize", "submission")
    for award in awards:
        for membership in by_team.get(award.submission.team_id, []):
            fields = _fields(snapshot, membership, Certificate.Kind.PRIZE)
            fields.update(award=award, prize_name=award.prize.name, place=award.place)
            out.append((f"{snapshot.pk}:{membership.user_id}:prize:{award.pk}", fields))
    return out


def _fields(snapshot, membership, kind) -> dict:
    user, team = membership.user, membership.team
    submission = getattr(team, "submission", None)
    return {
        "snapshot": snapshot,
        "user": user,
        "kind": kind,
        "person_name": user.display_name[:100],
        "team_name": team.name,
        "project_title": submission.title if submission else "",
        "language": user.preferred_language or settings.LANGUAGE_CODE,
    }


def issue_certificates(snapshot) -> int:
    """Issues the certificates of a published snapshot that are not issued yet; returns how
    many it issued. Each commits on its own with its PDF, so a run interrupted halfway
    resumes where it stopped, and a second run (or a concurrent one) issues nothing twice."""
    if snapshot.state != ResultSnapshot.State.PUBLISHED:
        return 0
    wanted = _people(snapshot)
    issued = set(
        Certificate.objects.filter(key__in=[key for key, _f in wanted]).values_list(
            "key", flat=True
        )
    )
    count = 0
    for key, fields in wanted:
        if key not in issued and issue_certificate(key, **fields) is not None:
            count += 1
    return count


# Certificates are issued and downloaded from archives too.
@service(on_archived=True)
def issue_certificate(key, **fields) -> Certificate | None:
    """One certificate with its PDF, or None if another run issued it first."""
    certificate = Certificate(key=key, **fields)
    certificate.pdf = render_pdf(certificate)
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        return None
    return certificate


# A person's choice about their own certificate, archived or not.
@service(on_archived=True)
def set_certificate_name_public(certificate, *, public: bool) -> Certificate:
    """Whether the verification page shows the person's name (their choice, off by default)."""
    Certificate.objects.filter(pk=certificate.pk).update(name_is_public=public)
    certificate.name_is_public = public
    return certificate


def place_label(place) -> str:
    if place == 1:
        return pgettext("place", "1st place")
    return pgettext("place", "%(n)sth place") % {"n": place}


def _texts(certificate) -> dict:
    edition = certificate.snapshot.edition
    if certificate.kind == Certificate.Kind.PRIZE:
        title = _("Certificate of achievement")
        reason = _("%(prize)s, %(place)s") % {
            "prize": certificate.prize_name,
            "place": place_label(certificate.place),
        }
    else:
        title = _("Certificate of participation")
        reason = _("for taking part in the competition")
    return {
        "title": title,
        "awarded": _("awarded to"),
        "reason": reason,
        "edition": _("%(edition)s (%(year)s)") % {"edition": edition.name, "year": edition.year},
        "project": _("with the team %(team)s, project “%(project)s”")
        % {"team": certificate.team_name, "project": certificate.project_title or "—"},
        "issued": _("Issued on %(date)s")
        % {"date": formats.date_format(timezone.localtime(certificate.issued_at), "DATE_FORMAT")},
        "verify": _("Check this certificate at"),
    }


def render_pdf(certificate) -> bytes:
    """The certificate as a one-page A4 landscape PDF, in the certificate's language."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.pdfgen import canvas

    with translation.override(certificate.language):
        texts = _texts(certificate)
        url = verification_url(certificate)
    buffer = io.BytesIO()
    width, height = landscape(A4)
    # Uncompressed: a one-page certificate is a few kilobytes, and its text stays searchable.
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=0)
    pdf.setTitle(f"{texts['title']} — {certificate.person_name}")
    pdf.setAuthor("HackQC")
    pdf.setStrokeColorRGB(0.04, 0.37, 0.84)
    pdf.setLineWidth(4)
    pdf.rect(1.2 * cm, 1.2 * cm, width - 2.4 * cm, height - 2.4 * cm)
    middle = width / 2
    lines = [
        ("Helvetica-Bold", 30, height - 5 * cm, texts["title"]),
        ("Helvetica", 14, height - 6.6 * cm, texts["awarded"]),
        ("Helvetica-Bold", 26, height - 8.2 * cm, _printable(certificate.person_name)),
        ("Helvetica", 16, height - 9.8 * cm, texts["reason"]),
        ("Helvetica-Bold", 18, height - 11.2 * cm, texts["edition"]),
        ("Helvetica", 13, height - 12.6 * cm, _printable(texts["project"])),
        ("Helvetica", 11, 4.2 * cm, texts["issued"]),
        ("Helvetica", 9, 3.2 * cm, f"{texts['verify']} {url}"),
    ]
    for font, size, y, text in lines:
        pdf.setFont(font, size)
        pdf.drawCentredString(middle, y, _fit(pdf, _printable(text), font, size, width - 4 * cm))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _printable(text: str) -> str:
    """Text the standard PDF fonts can draw: control characters dropped, others kept (a
    character outside the font shows as a blank, never breaks the PDF)."""
    return "".join(ch for ch in str(text) if ch.isprintable())


def _fit(pdf, text, font, size, room) -> str:
    """`text` cut with an ellipsis to fit `room` points."""
    if pdf.stringWidth(text, font, size) <= room:
        return text
    while text and pdf.stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"


def certificates_of(user):
    """The person's certificates, newest first, with their edition (one query)."""
    return Certificate.objects.filter(user=user).select_related("snapshot__edition").defer("pdf")


def is_valid(certificate) -> bool:
    """A certificate stands while the results it was issued from stay published."""
    return certificate.snapshot.state == ResultSnapshot.State.PUBLISHED
