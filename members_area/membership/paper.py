"""What the membership prints (reportlab): reminder letters for members without e-mail, the paper
edition of a newsletter issue and address labels (a 3 x 8 A4 sheet) for the members who get it on
paper.

Large type throughout (14 pt and up): many readers are over 70. Addresses are the member's one
address (``Member.street_address``, ``postcode``, ``city``), the one the profile edits.
"""

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from home.text import html_to_text
from members_area.addresses import place_line

from .exports import TEXT_STYLE, TITLE_STYLE, _escape

LETTER_STYLE = ParagraphStyle("letter", fontName="Helvetica", fontSize=14, leading=20)
ADDRESS_STYLE = ParagraphStyle("address", fontName="Helvetica", fontSize=14, leading=18)


def address_lines(member):
    """[name, street, "postcode place"] for an envelope or a label; empty when unknown."""
    lines = [member.display_name]
    if member.street_address:
        lines.append(member.street_address)
        place = place_line(member.postcode, member.city)
        if place:
            lines.append(place)
    return lines


def _document(buffer, title):
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title,
        lang="nl",
    )


def _paragraph(text, style=LETTER_STYLE):
    return Paragraph(_escape(text).replace("\n", "<br/>"), style)


def _unpaid_sentence(year, amount):
    if amount:
        return _(
            "Volgens onze administratie is uw contributie voor %(year)s (€ %(amount)s) nog "
            "niet betaald."
        ) % {"year": year, "amount": amount}
    return _("Volgens onze administratie is uw contributie voor %(year)s nog niet betaald.") % {
        "year": year
    }


def reminder_letters_pdf(stadsdorp, year, members, settings_row):
    """One letter a page, the address where a window envelope shows it."""
    buffer = io.BytesIO()
    title = _("Herinnering contributie %(year)s") % {"year": year}
    document = _document(buffer, title)
    amount = None
    if settings_row is not None and settings_row.yearly_contribution is not None:
        amount = formats.number_format(settings_row.yearly_contribution, 2)
    today = formats.date_format(timezone.localdate(), "j F Y")
    story = []
    for member in members:
        if story:
            story.append(PageBreak())
        story += [
            _paragraph(stadsdorp.title, TITLE_STYLE),
            Spacer(1, 14 * mm),
            _paragraph("\n".join(address_lines(member)), ADDRESS_STYLE),
            Spacer(1, 16 * mm),
            _paragraph(today),
            Spacer(1, 6 * mm),
            _paragraph(title, TITLE_STYLE),
            Spacer(1, 6 * mm),
            _paragraph(
                _("Beste %(name)s,") % {"name": member.user.first_name or member.display_name}
            ),
            Spacer(1, 4 * mm),
            _paragraph(_unpaid_sentence(year, amount)),
            Spacer(1, 4 * mm),
        ]
        if settings_row is not None and settings_row.payment_instructions:
            story += [_paragraph(settings_row.payment_instructions), Spacer(1, 4 * mm)]
        story += [
            _paragraph(
                _(
                    "Heeft u al betaald? Dan hebben we het misschien nog niet verwerkt; u hoeft "
                    "niets te doen. Is betalen lastig voor u? Zeg het uw contactpersoon: dan "
                    "zoeken we samen een oplossing."
                )
            ),
            Spacer(1, 8 * mm),
            _paragraph(_("Met vriendelijke groet,")),
            _paragraph(stadsdorp.title),
        ]
    if not story:
        story = [
            _paragraph(title, TITLE_STYLE),
            Spacer(1, 6 * mm),
            _paragraph(_("Er zijn geen leden zonder e-mail die nog moeten betalen."), TEXT_STYLE),
        ]
    document.build(story)
    return buffer.getvalue()


# --- The paper newsletter -------------------------------------------------------------------

EDITION_TITLE = ParagraphStyle("edition-title", fontName="Helvetica-Bold", fontSize=26, leading=32)
EDITION_HEADING = ParagraphStyle(
    "edition-heading", fontName="Helvetica-Bold", fontSize=20, leading=26, spaceBefore=8
)
EDITION_ITEM = ParagraphStyle("edition-item", fontName="Helvetica-Bold", fontSize=17, leading=22)
EDITION_TEXT = ParagraphStyle("edition-text", fontName="Helvetica", fontSize=16, leading=22)
EDITION_META = ParagraphStyle("edition-meta", fontName="Helvetica-Oblique", fontSize=15, leading=20)


def _text_paragraphs(html):
    return [_paragraph(block, EDITION_TEXT) for block in html_to_text(html).split("\n\n") if block]


def newsletter_edition_pdf(newsletter, sections, organisation=""):
    """A newsletter issue on paper: 16 pt text, 20 pt headings, no links to click."""
    buffer = io.BytesIO()
    document = _document(buffer, newsletter.title)
    story = []
    if organisation:
        story += [_paragraph(organisation, EDITION_META), Spacer(1, 2 * mm)]
    story += [_paragraph(newsletter.title, EDITION_TITLE), Spacer(1, 6 * mm)]
    if newsletter.introduction:
        story += _text_paragraphs(str(newsletter.introduction))
        story.append(Spacer(1, 4 * mm))
    for section in sections:
        story += [_paragraph(section.heading, EDITION_HEADING), Spacer(1, 2 * mm)]
        if section.html:
            story += _text_paragraphs(section.html)
        for item in [*section.items, *section.events]:
            story.append(_paragraph(item.title, EDITION_ITEM))
            if item.meta:
                story.append(_paragraph(item.meta, EDITION_META))
            if item.summary:
                story.append(_paragraph(item.summary, EDITION_TEXT))
            story.append(Spacer(1, 4 * mm))
    story += [
        Spacer(1, 6 * mm),
        _paragraph(
            _(
                "Deze nieuwsbrief is de papieren versie voor leden zonder e-mail. Vragen? Bel uw "
                "contactpersoon of de coördinator van uw stadsdorp."
            ),
            EDITION_META,
        ),
    ]
    document.build(story)
    return buffer.getvalue()


# A common A4 label sheet: 3 across, 8 down, 70 x 37 mm each (Avery 3474 / Herma 4453 and the
# like), no gaps between labels.
LABEL_COLUMNS, LABEL_ROWS = 3, 8
LABEL_WIDTH, LABEL_HEIGHT = 70 * mm, 37 * mm
LABEL_PADDING = 5 * mm
LABEL_FONT_SIZE = 12


def address_labels_pdf(members):
    """One label per member: name, street, postcode and place; 24 to a page."""
    buffer = io.BytesIO()
    page_width, page_height = A4
    sheet = canvas.Canvas(buffer, pagesize=A4)
    sheet.setTitle(_("Adresetiketten nieuwsbrief"))
    left = (page_width - LABEL_COLUMNS * LABEL_WIDTH) / 2
    top = page_height - (page_height - LABEL_ROWS * LABEL_HEIGHT) / 2
    per_page = LABEL_COLUMNS * LABEL_ROWS
    for index, member in enumerate(members):
        if index and index % per_page == 0:
            sheet.showPage()
        position = index % per_page
        column, row = position % LABEL_COLUMNS, position // LABEL_COLUMNS
        x = left + column * LABEL_WIDTH + LABEL_PADDING
        y = top - row * LABEL_HEIGHT - LABEL_PADDING - LABEL_FONT_SIZE
        text = sheet.beginText(x, y)
        text.setFont("Helvetica", LABEL_FONT_SIZE)
        text.setLeading(LABEL_FONT_SIZE * 1.3)
        width = LABEL_WIDTH - 2 * LABEL_PADDING
        for line in address_lines(member)[:4]:
            text.textLine(_fit(line, width))
        sheet.drawText(text)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def _fit(line, width):
    """Shorten a line that would run off the label."""
    while line and stringWidth(line, "Helvetica", LABEL_FONT_SIZE) > width:
        line = line[:-2] + "…"
    return line
