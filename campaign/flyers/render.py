"""QR-code flyers (issue 4): window posters, hand-out card sheets and school take-home slips.

Pure: a list of `Location`s in, PDF or PNG bytes out; no database. The words come from
campaign/flyers/texts.py (always Chinese on paper); the font is Noto Sans SC from the PyPI
package pylopdf-fonts-zh-cn, subset-embedded, so no system font is needed. The QR code is
drawn as vector rectangles with a 4-module quiet zone, built once per distinct target.
"""

import io
from dataclasses import dataclass
from functools import lru_cache

import pylopdf_fonts_zh_cn
import segno
from fpdf import FPDF

from campaign.flyers.spec import (
    CARD_COUNTS,
    DEFAULT_CARDS,
    DEFAULT_TARGET,
    KINDS,
    MAX_COPIES,
    parse_target,
    target_for,
)
from campaign.infra import i18n
from campaign.infra.errors import InvalidValue

QUIET = 4  # modules of white around the code: the minimum the QR standard asks for

A4 = (210.0, 297.0)
BLUE, RED, GREY, DARK = (11, 78, 162), (200, 16, 46), (110, 110, 110), (33, 33, 33)


@dataclass(frozen=True)
class Location:
    """A place a flyer is printed for: a service window, a grid, a class (or any unit)."""

    code: str
    name: str
    kind: str = "window"  # window | grid | class | other
    host: str = ""  # host unit, village/community or school
    township: str = ""
    unit_id: int | None = None
    contact: str = ""  # e.g. the grid worker and phone, printed on hand-out cards
    host_code: str = ""


@dataclass(frozen=True)
class Options:
    """What every flyer of a batch shares: the QR target (template), cards per sheet, copies, issuer line."""

    target: str = DEFAULT_TARGET
    cards: int = DEFAULT_CARDS
    copies: int = 1
    county: str = ""
    campaign: str = ""


def _p(key: str, **params) -> str:
    return i18n.t(f"flyers.print.{key}", "zh", **params)


# ---- the QR code ---------------------------------------------------------------------

def qr_rects(target: str) -> tuple[int, tuple]:
    """The QR symbol of `target` as (modules per side, dark rectangles (row, col, width, height)).

    Horizontal runs of dark modules, merged with identical runs directly below: ~200 rectangles
    for an App Store address instead of ~600 modules. Error correction M; segno picks the mask
    that scans best.
    """
    matrix = segno.make(target, error="m", micro=False).matrix
    rects, open_runs = [], {}
    for row, line in enumerate(matrix):
        col, size = 0, len(line)
        while col < size:
            if not line[col]:
                col += 1
                continue
            start = col
            while col < size and line[col]:
                col += 1
            key = (start, col - start)
            run = open_runs.get(key)
            if run and run[0] + run[3] == row:
                run[3] += 1
            else:
                if run:
                    rects.append(tuple(run))
                open_runs[key] = [row, start, col - start, 1]
    rects += [tuple(run) for run in open_runs.values()]
    return len(matrix), tuple(rects)


@lru_cache(maxsize=4096)
def qr_path(target: str) -> tuple[int, str]:
    """The dark rectangles as one PDF path in module units (rows downward): built once per distinct target."""
    modules, rects = qr_rects(target)
    return modules, " ".join(f"{col} {row} {width} {height} re" for row, col, width, height in rects)


class FlyerPDF(FPDF):
    """An A4 page in mm with the embedded Chinese font, fast single-line text and vector QR codes."""

    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        self.add_font("cjk", "", pylopdf_fonts_zh_cn.sans_path())
        self.set_font("cjk", size=10)
        self.set_creator("Anti-Fraud App Campaign Tracker")
        self.set_title(_p("title"))
        self._widths: dict[str, float] = {}  # text -> width in mm at 1 pt: lines repeat on every page
        self._wrapped: dict[tuple, list[str]] = {}

    def width_at(self, text: str, size: float) -> float:
        if text not in self._widths:
            self.set_font("cjk", size=1)
            self._widths[text] = self.get_string_width(text)
        return self._widths[text] * size

    def line_text(self, text: str, x: float, top: float, width: float, size: float, *, color=DARK,
                  align="L", smallest: float = 4.5) -> float:
        """One line of text in a box `width` wide from `top`, shrunk (by 0.5 pt) to fit; returns its height in mm."""
        if not text:
            return 0.0
        while size > smallest and self.width_at(text, size) > width:
            size -= 0.5
        self.set_font("cjk", size=size)
        self.set_text_color(*color)
        shift = {"L": 0.0, "C": (width - self.width_at(text, size)) / 2, "R": width - self.width_at(text, size)}[align]
        font_mm = size * 25.4 / 72
        # text() is ~15x faster than cell(); the baseline sits where cell() would put it.
        self.text(x + max(0.0, shift), top + 0.925 * font_mm, text)
        return font_mm * 1.25

    def wrapped(self, text: str, width: float, size: float) -> list[str]:
        """`text` broken into lines `width` mm wide at `size` pt (computed once per document)."""
        key = (text, width, size)
        if key not in self._wrapped:
            self.set_font("cjk", size=size)
            self._wrapped[key] = self.multi_cell(width, 5, text, dry_run=True, output="LINES")
        return self._wrapped[key]

    def dashed(self, x1, y1, x2, y2, color=(150, 150, 150)) -> None:
        self.set_draw_color(*color)
        self.set_line_width(0.25)
        self.set_dash_pattern(dash=2, gap=1.5)
        self.line(x1, y1, x2, y2)
        self.set_dash_pattern()

    def qr(self, target: str, x: float, y: float, size: float) -> None:
        """The QR code of `target` as vectors in a size×size mm square at (x, y), on white, quiet zone included.

        One filled path (the union of the dark rectangles: no hairline seams), scaled by a
        transformation matrix inside q/Q so fpdf2's own colour state is left as it was. fpdf2 has
        no public call for raw path operators; drawing ~200 rectangles with rect() per code was
        ~40x slower (tests decode every code, so a change in fpdf2 would show).
        """
        modules, path = qr_path(target)
        k, unit = self.k, size / (modules + 2 * QUIET)
        box = f"{x * k:.3f} {(self.h - y - size) * k:.3f} {size * k:.3f} {size * k:.3f} re f"
        origin = f"{(x + QUIET * unit) * k:.3f} {(self.h - y - QUIET * unit) * k:.3f}"
        self._out(f"q 1 g {box} 0 g {unit * k:.4f} 0 0 {-unit * k:.4f} {origin} cm {path} f Q")


# ---- drawing helpers ---------------------------------------------------------------------

def _line(pdf: FlyerPDF, text: str, x: float, y: float, width: float, size: float, *, color=DARK,
          align="L", smallest=4.5) -> float:
    """One line of text shrunk to fit `width`; returns its height in mm."""
    return pdf.line_text(text, x, y, width, size, color=color, align=align, smallest=smallest)


def _place_lines(loc: Location) -> tuple[str, str]:
    kind = loc.kind if loc.kind in ("window", "grid", "class") else "other"
    place = _p(f"place.{kind}", name=loc.name)
    host = _p(f"host.{kind}", host=loc.host) if loc.host else ""
    return place, "　".join(part for part in (host, loc.township) if part)


def _issuer(options: Options) -> str:
    parts = [part for part in (options.county, options.campaign) if part]
    return _p("issuer", county=parts[0], campaign=parts[1]) if len(parts) == 2 else (parts[0] if parts else "")


# ---- the three flyers --------------------------------------------------------------------

def poster(pdf: FlyerPDF, loc: Location, options: Options) -> None:
    """A4 portrait window poster: title band, a 130 mm QR code, fallback, hotline, the place and its code."""
    width, _ = A4
    target = target_for(options.target, loc.code)
    pdf.add_page()
    pdf.set_fill_color(*BLUE)
    pdf.rect(0, 0, width, 62, style="F")
    _line(pdf, _p("title"), 12, 12, width - 24, 38, color=(255, 255, 255), align="C")
    _line(pdf, _p("slogan"), 12, 36, width - 24, 30, color=(255, 230, 120), align="C")
    _line(pdf, _p("steps"), 15, 68, width - 30, 17, align="C")
    size = 130
    pdf.qr(target, (width - size) / 2, 80, size)
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.3)
    pdf.rect((width - size) / 2, 80, size, size)
    _line(pdf, target, 15, 211, width - 30, 8, color=GREY, align="C")
    _line(pdf, _p("fallback"), 15, 218, width - 30, 15, align="C")
    _line(pdf, _p("hotline"), 15, 228, width - 30, 17, color=RED, align="C")
    _line(pdf, _p("caution"), 15, 239, width - 30, 10, color=GREY, align="C")
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(0.5)
    pdf.rect(15, 250, width - 30, 30)
    place, host = _place_lines(loc)
    _line(pdf, place, 20, 254, 120, 15)
    _line(pdf, host, 20, 265, 120, 11, color=GREY)
    _line(pdf, _p("code"), 145, 254, 45, 10, color=GREY, align="C")
    _line(pdf, loc.code, 145, 262, 45, 20, color=BLUE, align="C")
    _line(pdf, _issuer(options), 15, 282, width - 30, 8, color=GREY, align="C")


def card_boxes(cards: int) -> list[tuple[float, float, float, float]]:
    """The (x, y, width, height) of each card on the A4 sheet: two columns inside an 8 mm margin."""
    margin, columns = 8.0, 2
    rows = cards // columns
    width, height = (A4[0] - 2 * margin) / columns, (A4[1] - 2 * margin) / rows
    return [(margin + c * width, margin + r * height, width, height) for r in range(rows) for c in range(columns)]


def cards_sheet(pdf: FlyerPDF, loc: Location, options: Options) -> None:
    """An A4 sheet of `options.cards` identical hand-out cards with dashed cut lines."""
    pdf.add_page()
    boxes = card_boxes(options.cards)
    target = target_for(options.target, loc.code)
    lines = [
        (_p("title"), 13, DARK),
        (_p("scan_short"), 10, BLUE),
        (_p("fallback_short"), 9, DARK),
        (_p("hotline_short"), 10, RED),
        (loc.name, 8, GREY),
        (loc.contact, 8, GREY),
        (_p("code_short", code=loc.code), 9, BLUE),
    ]
    lines = [line for line in lines if line[0]]
    pad, leading = 4.0, 25.4 / 72 * 1.45  # mm of line per pt of font size
    for x, y, w, h in boxes:
        size = min(h - 2 * pad, w * 0.48)
        pdf.qr(target, x + pad, y + (h - size) / 2, size)
        text_x, text_w = x + pad + size + 2, w - size - 2 * pad - 2
        scale = min(1.0, (h - 2 * pad) / sum(pt * leading for _, pt, _ in lines))
        cursor = y + (h - sum(pt * scale * leading for _, pt, _ in lines)) / 2
        for text, pt, color in lines:
            _line(pdf, text, text_x, cursor, text_w, pt * scale, color=color)
            cursor += pt * scale * leading
    right, bottom = boxes[-1][0] + boxes[-1][2], boxes[-1][1] + boxes[-1][3]
    for x in sorted({b[0] for b in boxes} | {right}):
        pdf.dashed(x, 2, x, A4[1] - 2)
    for y in sorted({b[1] for b in boxes} | {bottom}):
        pdf.dashed(2, y, A4[0] - 2, y)
    _line(pdf, _p("cut_here"), boxes[0][0], 2.5, 60, 7, color=GREY)


def slip_box(half: int) -> tuple[float, float, float, float]:
    """The (x, y, width, height) of the top (0) or bottom (1) slip on an A4 page."""
    return 0.0, half * A4[1] / 2, A4[0], A4[1] / 2


def _rule(pdf: FlyerPDF, x1, y, x2, width=0.3) -> None:
    pdf.set_draw_color(*DARK)
    pdf.set_line_width(width)
    pdf.line(x1, y, x2, y)


def _slip(pdf: FlyerPDF, loc: Location, options: Options, top: float) -> None:
    width = A4[0]
    left, inner, qr = 12.0, A4[0] - 24.0, 56.0
    _line(pdf, "　".join(part for part in (loc.host, loc.name) if part), left, top + 8, inner - 50, 10, color=GREY)
    _line(pdf, _p("code_short", code=loc.code), width - left - 50, top + 8, 50, 10, color=BLUE, align="R")
    _line(pdf, _p("slip_title"), left, top + 15, inner, 18, align="C")
    pdf.qr(target_for(options.target, loc.code), width - left - qr, top + 27, qr)
    _line(pdf, _p("scan_here"), width - left - qr, top + 27 + qr, qr, 9, color=GREY, align="C")
    body_width = inner - qr - 6
    for number, text in enumerate(pdf.wrapped(_p("slip_body"), body_width, 11)):
        _line(pdf, text, left, top + 29 + number * 6.2, body_width, 11)
    _line(pdf, _p("hotline"), left, top + 62, body_width, 12, color=RED)
    _line(pdf, _p("caution"), left, top + 71, body_width, 9, color=GREY)
    tear = top + 90
    pdf.dashed(4, tear, width - 4, tear, color=(90, 90, 90))
    _line(pdf, _p("tear_here"), left, tear + 1, inner, 8, color=GREY, align="C")
    _line(pdf, _p("receipt"), left, tear + 7, inner, 14, align="C")
    _line(pdf, _p("receipt_place", host=loc.host or "＿＿＿＿", name=loc.name, code=loc.code), left, tear + 16, inner, 11)
    row = tear + 27
    _line(pdf, _p("pupil"), left, row, 25, 11)
    _rule(pdf, left + 22, row + 5.5, left + 75)
    label = _p("installed")
    _line(pdf, label, left + 85, row, 60, 11)
    pdf.set_line_width(0.4)
    pdf.rect(left + 85 + pdf.width_at(label, 11) + 2, row + 0.8, 4.5, 4.5)  # the box parents tick
    row += 12
    _line(pdf, _p("signature"), left, row, 25, 11)
    _rule(pdf, left + 22, row + 5.5, left + 75)
    _line(pdf, _p("date"), left + 85, row, 80, 11)


def slip_page(pdf: FlyerPDF, loc: Location, options: Options) -> None:
    """An A4 page with two identical half-A4 take-home slips, each with a tear-off receipt."""
    pdf.add_page()
    for half in (0, 1):
        _slip(pdf, loc, options, slip_box(half)[1])
    pdf.dashed(2, A4[1] / 2, A4[0] - 2, A4[1] / 2)
    _line(pdf, _p("cut_here"), 4, A4[1] / 2 - 4.5, 60, 7, color=GREY)


DRAW = {"poster": poster, "cards": cards_sheet, "slip": slip_page}


def pieces_per_page(kind: str, cards: int = DEFAULT_CARDS) -> int:
    """How many flyers one printed page gives: 1 poster, `cards` cards, 2 slips."""
    return {"poster": 1, "cards": cards, "slip": 2}[kind]


def check_options(kind: str, options: Options) -> None:
    """Refuse an unknown flyer kind, card count, copy count or QR target."""
    if kind not in KINDS:
        raise InvalidValue("flyers.error.unknown_kind", value=kind)
    if options.cards not in CARD_COUNTS:
        raise InvalidValue("flyers.error.bad_cards", value=options.cards, allowed="/".join(map(str, CARD_COUNTS)))
    if not 1 <= options.copies <= MAX_COPIES:
        raise InvalidValue("flyers.error.bad_copies", value=options.copies, max=MAX_COPIES)
    parse_target(options.target)


def render_pdf(kind: str, locations, options: Options = Options(), progress=None) -> bytes:
    """One PDF: for each location in order, `options.copies` pages of its flyer.

    `progress(done, total)` is called after each location (for a progress bar).
    """
    check_options(kind, options)
    locations = list(locations)
    draw = DRAW[kind]
    pdf = FlyerPDF()
    for done, loc in enumerate(locations, start=1):
        for _ in range(options.copies):
            draw(pdf, loc, options)
        if progress:
            progress(done, len(locations))
    return bytes(pdf.output())


# ---- pictures ----------------------------------------------------------------------------

def png_box(kind: str, cards: int = DEFAULT_CARDS) -> tuple[float, float, float, float]:
    """The part of the first page a picture shows (mm): the whole poster, one card, one slip."""
    if kind == "cards":
        return card_boxes(cards)[0]
    if kind == "slip":
        return slip_box(0)
    return 0.0, 0.0, *A4


def png_from_pdf(pdf_bytes: bytes, box=None, dpi: int = 200, progress=None) -> list[bytes]:
    """Every page of a PDF (optionally a box of each, in mm) as PNG bytes at `dpi`; `progress(done, total)` per page."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf_bytes)
    found = []
    try:
        for index in range(len(document)):
            image = document[index].render(scale=dpi / 72).to_pil()
            if box is not None:
                x, y, w, h = (round(v * dpi / 25.4) for v in box)
                image = image.crop((x, y, x + w, y + h))
            out = io.BytesIO()
            image.convert("RGB").save(out, format="PNG", dpi=(dpi, dpi))
            found.append(out.getvalue())
            if progress:
                progress(index + 1, len(document))
    finally:
        document.close()
    return found


def render_pngs(kind: str, locations, options: Options = Options(), dpi: int | None = None, progress=None) -> list[bytes]:
    """A picture of each location's flyer for sharing in WeChat groups: the poster, one card, one slip.

    One PDF for all (the font is read once), each page rasterised with pdfium; 150 dpi for a
    poster, 300 dpi for the smaller card and slip.
    """
    single = Options(options.target, options.cards, 1, options.county, options.campaign)
    pdf_bytes = render_pdf(kind, locations, single)
    return png_from_pdf(pdf_bytes, png_box(kind, options.cards), dpi or (150 if kind == "poster" else 300), progress)


def render_png(kind: str, loc: Location, options: Options = Options(), dpi: int | None = None) -> bytes:
    """The picture of one location's flyer (see render_pngs)."""
    return render_pngs(kind, [loc], options, dpi)[0]
