"""Personal cards (一人一码, issue 18): an employee's own QR code with their name and unit, as a picture for
WeChat Moments (1080 × 1350 px, the 4:5 shape Moments shows whole) and as an A4 sheet for a unit (nine cards
a page, one per person, with cut lines).

Pure, like campaign.flyers.render: people and a QR target template in, PNG or PDF bytes out. One drawing
serves both: the card is laid out in millimetres on a 90 × 112.5 mm page and scaled into each sheet box.
"""

import io
from dataclasses import dataclass

from campaign.flyers.render import BLUE, DARK, GREY, RED, FlyerPDF, png_from_pdf
from campaign.flyers.spec import target_for
from campaign.infra import i18n

CARD = (90.0, 112.5)  # mm: 4:5
PNG_SIZE = (1080, 1350)
COLUMNS, ROWS, MARGIN = 3, 3, 8.0
PER_SHEET = COLUMNS * ROWS


@dataclass(frozen=True)
class Card:
    """Whose card: their personal code, name and unit."""

    code: str
    name: str
    unit: str


def _p(key: str, **params) -> str:
    return i18n.t(f"flyers.print.{key}", "zh", **params)


def draw(pdf: FlyerPDF, card: Card, template: str, x: float, y: float, width: float) -> None:
    """One card `width` mm wide (its height is 5/4 of that) with its top left corner at (x, y)."""
    s = width / CARD[0]
    pdf.set_fill_color(*BLUE)
    pdf.rect(x, y, width, 19 * s, style="F")
    pdf.line_text(_p("title"), x + 4 * s, y + 3 * s, width - 8 * s, 15 * s, color=(255, 255, 255), align="C")
    pdf.line_text(_p("scan_short"), x + 4 * s, y + 11.5 * s, width - 8 * s, 9.5 * s, color=(255, 230, 120), align="C")
    size = 60 * s
    pdf.qr(target_for(template, card.code), x + (width - size) / 2, y + 21 * s, size)
    cursor = y + 82 * s
    for text, pt, color in ((card.name, 19, DARK), (card.unit, 10.5, GREY), (_p("person_code", code=card.code), 9.5, BLUE),
                            (_p("fallback_short"), 8.5, DARK), (_p("hotline_short"), 9, RED)):
        cursor += pdf.line_text(text, x + 4 * s, cursor, width - 8 * s, pt * s, color=color, align="C", smallest=3)


def sheet_pdf(cards, template: str) -> bytes:
    """A unit's print sheet: A4 pages of nine cards (three by three), one per person, with dashed cut lines."""
    cards = list(cards)
    pdf = FlyerPDF()
    box_w = (210.0 - 2 * MARGIN) / COLUMNS
    box_h = (297.0 - 2 * MARGIN) / ROWS
    width = min(box_w - 4, (box_h - 4) * CARD[0] / CARD[1])
    for first in range(0, len(cards), PER_SHEET):
        pdf.add_page()
        for place, card in enumerate(cards[first : first + PER_SHEET]):
            row, column = divmod(place, COLUMNS)
            left, top = MARGIN + column * box_w, MARGIN + row * box_h
            draw(pdf, card, template, left + (box_w - width) / 2, top + (box_h - width * CARD[1] / CARD[0]) / 2, width)
        for column in range(COLUMNS + 1):
            pdf.dashed(MARGIN + column * box_w, 2, MARGIN + column * box_w, 295)
        for row in range(ROWS + 1):
            pdf.dashed(2, MARGIN + row * box_h, 208, MARGIN + row * box_h)
        pdf.line_text(_p("cut_here"), MARGIN, 2.5, 60, 7, color=GREY)
    return bytes(pdf.output())


def card_pdf(cards, template: str) -> bytes:
    """Each card on a page of its own, 90 × 112.5 mm (what the pictures are made from)."""
    pdf = FlyerPDF()
    for card in cards:
        pdf.add_page(format=CARD)
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(0, 0, *CARD, style="F")
        draw(pdf, card, template, 0, 0, CARD[0])
    return bytes(pdf.output())


def card_pngs(cards, template: str, progress=None) -> list[bytes]:
    """Each card as a 1080 × 1350 PNG for WeChat Moments."""
    from PIL import Image

    dpi = PNG_SIZE[0] / (CARD[0] / 25.4)
    found = []
    for png in png_from_pdf(card_pdf(cards, template), dpi=round(dpi, 3), progress=progress):
        image = Image.open(io.BytesIO(png))
        if image.size != PNG_SIZE:  # a pixel lost to rounding
            image = image.resize(PNG_SIZE)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        found.append(out.getvalue())
    return found
