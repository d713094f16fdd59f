"""Rendering mail in the recipient's language, from templates.

Every mail of the site goes through the outbox (`hackqc.outbox.queue_mail`): it is
recorded in the transaction of the action that promises it and sent by a worker, which
renders it here.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def render_templated_mail(template_prefix, *, to, context, language=None, reply_to=None):
    """Renders `<prefix>_subject.txt` and `<prefix>_body.txt` in `language` into a message.

    `to` is a user or an address; a user's preferred language wins over `language`.
    """
    address = getattr(to, "email", to)
    language = getattr(to, "preferred_language", None) or language or settings.LANGUAGE_CODE
    context = {"site_url": settings.SITE_URL, "recipient": to, **context}
    with translation.override(language):
        subject = render_to_string(f"{template_prefix}_subject.txt", context, using="text")
        body = render_to_string(f"{template_prefix}_body.txt", context, using="text")
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    return EmailMultiAlternatives(
        subject, body, settings.DEFAULT_FROM_EMAIL, [address], reply_to=reply_to
    )


def send_templated_mail(template_prefix, *, to, context, language=None, reply_to=None):
    """Renders and sends at once, without the outbox: only for tools and tests. A mail the
    site promises goes through `hackqc.outbox.queue_mail` instead."""
    message = render_templated_mail(
        template_prefix, to=to, context=context, language=language, reply_to=reply_to
    )
    message.send()
    return message
