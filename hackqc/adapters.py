import logging
import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm
from django.contrib.auth.hashers import make_password
from django.utils import translation

logger = logging.getLogger("hackqc.mail")


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's mails in the recipient's preferred language.

    These mails (address confirmation, password reset) stay outside the outbox on purpose:
    they carry one-time secrets that must not rest in the database for a day of retries,
    and the person is on the page and can ask again (allauth's rate limits guard that). An
    SMTP failure is logged, never a 500: the account or the request stands.
    """

    def send_mail(self, template_prefix, email, context):
        try:
            self._send_mail_in_language(template_prefix, email, context)
        except Exception:
            logger.exception("allauth mail %s could not be sent", template_prefix)

    def _send_mail_in_language(self, template_prefix, email, context):
        user = context.get("user")
        if user is None:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(email__iexact=email).first()
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def get_client_ip(self, request):
        """The client's address from the trusted proxy's header, so allauth's rate limits
        count people, not the proxy (hackqc.proxy)."""
        from .proxy import client_ip

        return client_ip(request) or super().get_client_ip(request)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name") or user.email.split("@")[0]
        user.preferred_language = translation.get_language() or user.preferred_language
        if commit:
            user.save()
        return user


class EvenTimeSignupForm(SignupForm):
    """allauth's sign-up form, as slow for a known address as for a new one.

    allauth answers both alike ("verify your address"), but a new account costs a password
    hash and a known address did not: 34 ms against 546 ms told which addresses have an
    account (issue 11). A known address now spends the same hash, thrown away.
    """

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or secrets.token_urlsafe())
        return super().try_save(request)
