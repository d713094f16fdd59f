"""Licences a team may choose for its code: common SPDX identifiers.

OSI approval is recommended by the rules (winners publish their code under a licence), so
the form lists the OSI-approved ones first and the sheet flags the others.
"""

from django.utils.translation import gettext_lazy as _

# (SPDX id, label, OSI-approved)
LICENCES = [
    ("MIT", "MIT", True),
    ("Apache-2.0", "Apache 2.0", True),
    ("GPL-3.0-or-later", "GNU GPL 3.0 or later", True),
    ("AGPL-3.0-or-later", "GNU AGPL 3.0 or later", True),
    ("LGPL-3.0-or-later", "GNU LGPL 3.0 or later", True),
    ("MPL-2.0", "Mozilla Public License 2.0", True),
    ("BSD-3-Clause", "BSD 3-Clause", True),
    ("BSD-2-Clause", "BSD 2-Clause", True),
    ("ISC", "ISC", True),
    ("EUPL-1.2", "European Union Public Licence 1.2", True),
    ("Unlicense", "The Unlicense", True),
    ("CC0-1.0", "Creative Commons Zero 1.0", False),
    ("CC-BY-4.0", "Creative Commons Attribution 4.0", False),
    ("proprietary", _("Proprietary (no open licence)"), False),
    ("none", _("No licence yet"), False),
]
OSI_APPROVED = frozenset(spdx for spdx, _label, osi in LICENCES if osi)
LICENCE_CHOICES = [
    (
        _("Open source (OSI-approved, recommended)"),
        [(spdx, label) for spdx, label, osi in LICENCES if osi],
    ),
    (_("Other"), [(spdx, label) for spdx, label, osi in LICENCES if not osi]),
]
# Choices that do not count as a licence for eligibility.
NO_LICENCE = frozenset({"", "none"})


def is_osi_approved(spdx_id: str) -> bool:
    return spdx_id in OSI_APPROVED
