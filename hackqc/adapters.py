from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's mails in the recipient's preferred language."""

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        if user is None:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(email__iexact=email).first()
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name") or user.email.split("@")[0]
        user.preferred_language = translation.get_language() or user.preferred_language
        if commit:
            user.save()
        return user
