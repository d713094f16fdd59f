"""Closing an account: the person's identity is removed, their place in the competition
stays. Nothing cascades: teams keep their members and captain, judges' submitted reviews
keep counting (as "Judge withdrawn N"), so rankings, published results and their digests
do not move. The admin's "delete user" calls this too (hackqc.privacy.signals).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hackqc import audit
from hackqc.exceptions import HackQCError
from hackqc.service import service

from . import registry
from .models import ErasedAccount

ERASED_DOMAIN = "erased.invalid"

ACCOUNT_CLOSED = audit.action(
    "privacy.account_closed",
    _lazy("A person of the edition closed their account (now shown under a neutral name)"),
)


def erased_email(number) -> str:
    return f"erased-{number}@{ERASED_DOMAIN}"


def is_erased(user) -> bool:
    return bool(user.email) and user.email.endswith("@" + ERASED_DOMAIN)


# A person's erasure (Law 25) reaches every edition, archived ones included.
@service(on_archived=True)
def erase_account(user, *, by, reason=ErasedAccount.Reason.REQUEST):
    """Anonymises `user` everywhere; `by` is the person, an administrator or None (retention).

    Each app's hook runs first (a captain hands over to another member, names in old
    snapshots are removed), then every ERASE field of the person's rows is emptied and the
    account itself gets a neutral name and address, no password, no rights.
    """
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    if is_erased(user) or ErasedAccount.objects.filter(user=user).exists():
        raise HackQCError(_("This account is already closed."))
    erased = ErasedAccount.objects.create(user=user, reason=reason)
    entries = registry.personal_data()
    if reason != ErasedAccount.Reason.RETENTION:
        # The organizers of each edition the person took part in read it on its log.
        from hackqc.models import Edition

        for edition in Edition.objects.filter(pk__in=_editions_of(user, entries)).order_by("pk"):
            audit.record(ACCOUNT_CLOSED, actor=None, edition=edition, target=user)
    for entry in entries:
        if entry.erase is not None:
            entry.erase(user, erased)
    for entry in entries:
        empty_fields(entry, entry.rows(user))
    _anonymise_user(user, erased)
    return erased


def _editions_of(user, entries) -> set[int]:
    ids = set()
    for entry in entries:
        if entry.edition:
            ids.update(entry.rows(user).values_list(entry.edition, flat=True))
    return ids - {None}


def empty_fields(entry, rows) -> None:
    """Puts each ERASE field of `rows` back to its empty value."""
    model = entry.model_class
    plain, many = {}, []
    for name in entry.fields_with(registry.ERASE):
        model_field = model._meta.get_field(name)
        if model_field.many_to_many:
            many.append(name)
        else:
            plain[name] = registry.empty_value(model_field)
    if plain:
        rows.update(**plain)
    for name in many:
        through = model._meta.get_field(name).remote_field.through
        source = model._meta.get_field(name).m2m_field_name()
        through._default_manager.filter(**{f"{source}__in": rows.values("pk")}).delete()


def erased_label(number) -> str:
    """The name an erased account keeps, in the site's language (it is stored once)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Withdrawn person %(number)s") % {"number": number}


def _anonymise_user(user, erased) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from hackqc.models import OutgoingMail

    label = erased_label(erased.number)
    address = erased_email(erased.number)
    # Mails to the person: the unsent ones are cancelled, none keeps the address or context.
    OutgoingMail.objects.filter(user=user, state=OutgoingMail.State.PENDING).update(
        state=OutgoingMail.State.CANCELLED
    )
    OutgoingMail.objects.filter(user=user).update(address=address)
    OutgoingMail.objects.filter(address__iexact=user.email).update(
        address=address, context={}, last_error=""
    )
    EmailAddress.objects.filter(user=user).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
    ).update(object_repr=label)
    user.email = address
    user.display_name = label
    user.password = make_password(None)
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.save(
        update_fields=[
            "email",
            "display_name",
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
        ]
    )
