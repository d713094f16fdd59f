"""Words that grammar decides: ordinal places."""

from django.utils.translation import gettext as _


def place_label(number) -> str:
    """The ordinal place: "1st place", "22nd place"; in French « 1re place », « 2e place »
    (one message per English suffix, the first place apart: French writes 1re but 21e)."""
    try:
        n = int(number)
    except (TypeError, ValueError):
        return str(number)
    if n == 1:
        return _("1st place")
    last, last_two = n % 10, n % 100
    if last == 1 and last_two != 11:
        text = _("%(n)sst place")
    elif last == 2 and last_two != 12:
        text = _("%(n)snd place")
    elif last == 3 and last_two != 13:
        text = _("%(n)srd place")
    else:
        text = _("%(n)sth place")
    return text % {"n": n}
