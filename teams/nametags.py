"""Name-tag sheets as PDF (ReportLab), eight tags to a Letter page, for one host site.

A tag shows a person's name only with their consent to be shown (`show_profile`, Law 25:
the most private setting by default); without it, the tag has a blank line where the person
writes the name they want to be called by.
"""

import io
import os
from dataclasses import dataclass

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

COLUMNS, ROWS = 2, 4
TAG_WIDTH, TAG_HEIGHT = 3.75 * inch, 2.5 * inch
PER_PAGE = COLUMNS * ROWS
# DejaVu (Debian's fonts-dejavu) covers most scripts people's names use; ReportLab's own Vera
# (in its wheel, so always there) covers Latin-1, enough for French.
DEJAVU = "/usr/share/fonts/truetype/dejavu"


@dataclass(frozen=True)
class Tag:
    name: str  # empty: the person did not consent to be shown, a line is left to write on
    team: str
    role: str


def tags_for(people) -> list[Tag]:
    """One tag per registration (with `team_name`, as `roster.site_roster` gives them)."""
    return [
        Tag(
            name=person.user.display_name if person.show_profile else "",
            team=person.team_name or "",
            role=person.get_role_display(),
        )
        for person in people
    ]


def _fonts() -> tuple[str, str]:
    regular, bold = "HackQCTag", "HackQCTag-Bold"
    if regular in pdfmetrics.getRegisteredFontNames():
        return regular, bold
    import reportlab

    vera = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    files = (os.path.join(DEJAVU, "DejaVuSans.ttf"), os.path.join(DEJAVU, "DejaVuSans-Bold.ttf"))
    if not all(os.path.exists(file) for file in files):
        files = (os.path.join(vera, "Vera.ttf"), os.path.join(vera, "VeraBd.ttf"))
    pdfmetrics.registerFont(TTFont(regular, files[0]))
    pdfmetrics.registerFont(TTFont(bold, files[1]))
    return regular, bold


def _fit(text, font, size, width, smallest=9):
    """The text and font size that fit `width`: the size shrunk first, then the text cut."""
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 1
    while text and pdfmetrics.stringWidth(text, font, size) > width:
        text = text[:-2] + "…"
    return text, size


def _draw_tag(canvas, tag, x, y, *, title, fonts):
    regular, bold = fonts
    inner = TAG_WIDTH - 0.4 * inch
    middle = x + TAG_WIDTH / 2
    canvas.setDash(3, 3)
    canvas.setStrokeGray(0.6)
    canvas.rect(x, y, TAG_WIDTH, TAG_HEIGHT)
    canvas.setDash()
    text, size = _fit(title, regular, 10, inner)
    canvas.setFont(regular, size)
    canvas.drawCentredString(middle, y + TAG_HEIGHT - 0.35 * inch, text)
    if tag.name:
        text, size = _fit(tag.name, bold, 24, inner)
        canvas.setFont(bold, size)
        canvas.drawCentredString(middle, y + TAG_HEIGHT / 2, text)
    else:
        canvas.setStrokeGray(0.3)
        line_y = y + TAG_HEIGHT / 2 - 4
        canvas.line(x + 0.3 * inch, line_y, x + TAG_WIDTH - 0.3 * inch, line_y)
    if tag.team:
        text, size = _fit(tag.team, regular, 13, inner)
        canvas.setFont(regular, size)
        canvas.drawCentredString(middle, y + TAG_HEIGHT / 2 - 0.4 * inch, text)
    canvas.setFont(bold, 11)
    canvas.drawCentredString(middle, y + 0.25 * inch, tag.role.upper())


def name_tags_pdf(tags, *, title) -> bytes:
    """The sheets for `tags`, eight per page; `title` (the edition) tops every tag."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter, pageCompression=1)
    canvas.setTitle(_("Name tags · %(edition)s") % {"edition": title})
    fonts = _fonts()
    page_width, page_height = letter
    left = (page_width - COLUMNS * TAG_WIDTH) / 2
    top = (page_height + ROWS * TAG_HEIGHT) / 2
    for index, tag in enumerate(tags):
        if index and index % PER_PAGE == 0:
            canvas.showPage()
        slot = index % PER_PAGE
        x = left + (slot % COLUMNS) * TAG_WIDTH
        y = top - (slot // COLUMNS + 1) * TAG_HEIGHT
        _draw_tag(canvas, tag, x, y, title=title, fonts=fonts)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
