"""The bulletin as files: Excel (one sheet per table, Chinese headers), A4 PDF, and a phone-sized PNG.

Charts are drawn by matplotlib (Agg) and the PNG by Pillow, both with the CJK font that the PDF
embeds: nothing needs a browser or a display. Pure functions of a Bulletin.
"""

import io
import re

import pandas as pd

from campaign.infra import exports, i18n
from campaign.infra.formats import pct
from campaign.infra.fonts import FAMILY, matplotlib_family, new_pdf, pil_font
from campaign.supervision.bulletin import TABLES, Bulletin
from campaign.supervision.letters import format_day

PERCENT = ("completion", "rate", "rate_16_60", "reach", "coverage")
POINTS = ("change",)
PNG_WIDTH = 1080
RED = (176, 24, 30)
GREY = (242, 242, 242)
INK = (33, 33, 33)
MUTED = (110, 110, 110)


# ---- words and figures -------------------------------------------------------------------

def _int(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{int(value):,}"


def cell(column: str, value, lang: str = "zh") -> str:
    """One table cell as printed: rates as percentages, changes in percentage points, groups and channels named."""
    t = lambda key, **p: i18n.t(key, lang, **p)  # noqa: E731
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    if column in PERCENT:
        return pct(value)
    if column in POINTS:
        return f"{value * 100:+.1f}"
    if column == "rank_change":
        return "—" if value == 0 else (f"↑{int(value)}" if value > 0 else f"↓{-int(value)}")
    if column == "no_report":
        return t("bulletin.no_report_mark") if value else ""
    if column == "group":
        return t(f"group.{value}")
    if column == "channel":
        return t(f"bulletin.channel.{value}")
    if column == "note":
        return t(f"bulletin.city_note.{value}") if value else ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _int(value)
    return str(value)


def header(column: str, lang: str = "zh") -> str:
    return i18n.t(f"bulletin.col.{column}", lang)


def title(b: Bulletin, lang: str = "zh") -> str:
    return i18n.t("bulletin.title", lang, county=b.county)


def headline_lines(b: Bulletin, lang: str = "zh") -> list[tuple[str, str]]:
    """The headline as (label, value) lines, in print order."""
    t = lambda key, **p: i18n.t(key, lang, **p)  # noqa: E731
    h, lines = b.headline, [(t("bulletin.h.date"), format_day(b.day, lang))]
    cover = b.coverage
    if cover is None:
        lines.append((t("bulletin.h.coverage"), t("bulletin.no_coverage")))
    else:
        targets, gap = cover["targets"] or {}, cover["gap"] or {}
        for key in ("coverage", "coverage_16_60"):
            value = pct(cover[key])
            if targets.get(key) is not None:
                value = t("bulletin.h.vs_target", value=value, target=pct(targets[key]), gap=_int(gap.get(key)))
            if cover["as_of"] != b.day.isoformat():  # the latest snapshot may be older than the bulletin
                value += t("bulletin.h.as_of", day=format_day(cover["as_of"], lang) if cover["as_of"] else "—")
            lines.append((t(f"bulletin.h.{key}"), value))
        rank = cover["city_rank"]
        if rank:
            value = t("bulletin.h.rank_value", rank=_int(rank["coverage"]), rank_16_60=_int(rank["coverage_16_60"]),
                      counties=rank["counties"])
            if rank.get("published"):
                value += t("bulletin.h.rank_published", day=format_day(rank["bulletin"], lang),
                           rank=_int(rank["published"]["coverage"]))
            lines.append((t("bulletin.h.city_rank"), value))
    lines += [
        (t("bulletin.h.installs"), t("bulletin.h.installs_value", installs=_int(h["installs"]), quota=_int(h["quota_total"]),
                                     completion=pct(h["completion"]))),
        (t("bulletin.h.installs_day"), _int(h["installs_day"])),
        (t("bulletin.h.needed"), t("bulletin.h.needed_value", per_day=_int(h["needed_per_day"]), days=h["days_left"])),
        (t("bulletin.h.staff_at_quota"), f"{_int(h['staff_at_quota'])} / {_int(h['staff'])}"),
    ]
    for group, figures in h["groups"].items():
        lines.append((t(f"group.{group}"), t("bulletin.h.group_value", completion=pct(figures["completion"]),
                                             units=figures["units"], no_report=figures["no_report"])))
    lines += [
        (t("bulletin.h.no_report"), f"{h['units_no_report']} / {h['units']}"),
        (t("bulletin.h.laggards"), str(h["laggards"])),
        (t("bulletin.h.outreach"), _int(h["outreach_installs"])),
        (t("bulletin.h.letters"), t("letter.counts", **h["letters"])),
    ]
    sup = h["supervision"]
    if sup:
        lines.append((t("bulletin.h.supervision"), t("bulletin.h.supervision_value", round=sup["round"],
                      checked=sup["checked"], rate=pct(sup["rate"]), flagged=sup["flagged"], min_rate=pct(sup["min_rate"]))))
    return lines


def display(b: Bulletin, key: str, lang: str = "zh") -> pd.DataFrame:
    """A table as printed: headers in the language, every cell formatted."""
    frame = b.tables[key]
    columns = TABLES[key]
    rows = [[cell(c, v, lang) for c, v in zip(columns, row)] for row in frame[columns].itertuples(index=False)]
    return pd.DataFrame(rows, columns=[header(c, lang) for c in columns])


# ---- Excel -------------------------------------------------------------------------------

def xlsx_bytes(b: Bulletin, lang: str = "zh") -> bytes:
    """One sheet for the headline and one per table; numbers stay numbers (rates formatted as %)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_name(i18n.t("bulletin.sheet.overview", lang))
    sheet.append([title(b, lang)])
    for label, value in headline_lines(b, lang):
        sheet.append([label, exports.neutralise(value)])
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 28, 70
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="EEEEEE")
    for key, columns in TABLES.items():
        ws = book.create_sheet(_sheet_name(i18n.t(f"bulletin.sheet.{key}", lang)))
        ws.append([header(c, lang) for c in columns])
        for c in ws[1]:
            c.font, c.fill = bold, fill
        for row in b.tables[key][columns].itertuples(index=False):
            ws.append([_excel_value(c, v, lang) for c, v in zip(columns, row)])
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            fmt = "0.00%" if column in PERCENT else ("+0.0;-0.0;0.0" if column in POINTS else None)
            for c in ws[letter][1:]:
                if isinstance(c.value, str):
                    c.data_type = "s"
                elif fmt:
                    c.number_format = fmt
            ws.column_dimensions[letter].width = 26 if column in ("unit", "county") else 14
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(text: str) -> str:
    return "".join(ch for ch in text if ch not in "[]:*?/\\")[:31]


def _excel_value(column, value, lang):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if column in ("group", "channel", "note", "no_report") or column == "rank_change":
        return exports.neutralise(cell(column, value, lang)) if column != "rank_change" else int(value)
    if hasattr(value, "item"):
        value = value.item()
    if column in POINTS:  # percentage points, as the header says
        return round(value * 100, 6)
    return exports.neutralise(value) if isinstance(value, str) else value


# ---- charts (matplotlib, no browser) ------------------------------------------------------

def township_chart(b: Bulletin, lang: str = "zh", *, width_in: float = 7.0, dpi: int = 200, bar_scale: float = 1.0):
    """Horizontal bars of the townships' quota completion, best on top, with the change since the day before (a
    Pillow image: the PDF and the PNG place it without a PNG encoded and decoded in between)."""
    import matplotlib.pyplot as plt

    family = matplotlib_family()
    frame = b.tables["rank_township"].sort_values(["completion", "unit"], ascending=[True, False])
    height = max(2.0, 0.3 * len(frame) + 0.9) * bar_scale
    fig, ax = plt.subplots(figsize=(width_in, height), dpi=dpi)
    values = [float(v) for v in frame["completion"]]
    bars = ax.barh(list(frame["unit"]), values, color=[_bar_color(v) for v in values])
    for bar, value, change in zip(bars, values, frame["change"]):
        ax.text(bar.get_width() + 0.01, bar.get_y() + bar.get_height() / 2,
                f"{pct(value)}（{change * 100:+.1f}）" if lang == "zh" else f"{pct(value)} ({change * 100:+.1f})",
                va="center", fontsize=9, family=family)
    ax.set_xlim(0, max(1.0, max(values, default=0) + 0.25))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _: f"{x:.0%}"))
    ax.axvline(1.0, color="#888888", linewidth=0.8, linestyle="--")
    ax.set_title(i18n.t("bulletin.chart.townships", lang), family=family, fontsize=12)
    for label in ax.get_yticklabels() + ax.get_xticklabels():
        label.set_fontfamily(family)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _image(fig)


def progress_chart(b: Bulletin, lang: str = "zh", *, width_in: float = 7.0, dpi: int = 200):
    """Installs counted toward quotas, day by day, against the even pace to the deadline (a Pillow image)."""
    import matplotlib.pyplot as plt

    family = matplotlib_family()
    series = b.series
    fig, ax = plt.subplots(figsize=(width_in, 2.3), dpi=dpi)
    done = series["credited"] if "credited" in series else series["cumulative"]
    ax.plot(series["day"], done, color="#b0181e", linewidth=2, label=i18n.t("bulletin.chart.cumulative", lang))
    ax.plot(series["day"], series["pace"], color="#888888", linestyle="--", label=i18n.t("bulletin.chart.pace", lang))
    ax.legend(prop={"family": family, "size": 9}, frameon=False)
    ax.set_title(i18n.t("bulletin.chart.progress", lang), family=family, fontsize=12)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda y, _: f"{int(y):,}"))
    from matplotlib.dates import DateFormatter

    ax.xaxis.set_major_formatter(DateFormatter("%m-%d"))
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        label.set_fontsize(8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _image(fig)


def _bar_color(value: float) -> str:
    return "#2e7d32" if value >= 1 else ("#b0181e" if value < 0.5 else "#e08a00")


def _image(fig):
    """The drawn figure as an RGB Pillow image, straight from matplotlib's Agg canvas."""
    import matplotlib.pyplot as plt
    from PIL import Image

    fig.canvas.draw()
    image = Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba()).convert("RGB")
    plt.close(fig)
    return image


# ---- PDF (A4) ----------------------------------------------------------------------------

PDF_WIDTHS = {"unit": 3.2, "county": 2.6, "group": 2.0, "channel": 1.6, "note": 2.2}


def pdf_bytes(b: Bulletin, lang: str = "zh") -> bytes:
    """The bulletin on A4 portrait: headline, charts, then every table under its heading."""
    from fpdf.fonts import FontFace

    pdf = new_pdf()
    pdf.set_margins(12, 12, 12)
    pdf.set_auto_page_break(True, margin=14)
    pdf.set_title(title(b, lang))
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_text_color(*RED)
    pdf.set_font(FAMILY, size=18)
    pdf.multi_cell(width, 9, title(b, lang), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, size=10)
    pdf.cell(width, 6, i18n.t("bulletin.subtitle", lang, day=format_day(b.day, lang), campaign=b.campaign),
             align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    plain = FontFace(emphasis="", fill_color=(235, 235, 235))
    with pdf.table(col_widths=(1, 3), line_height=5.2, first_row_as_headings=False, text_align=("LEFT", "LEFT")) as table:
        for label, value in headline_lines(b, lang):
            row = table.row()
            row.cell(label, style=plain)
            row.cell(value)
    pdf.ln(3)
    pdf.image(township_chart(b, lang, width_in=7.4), w=width)
    pdf.image(progress_chart(b, lang, width_in=7.4), w=width)
    for key in ("city", "top", "bottom", "laggards", "no_report", "outreach", "rank_township", "rank_department"):
        _pdf_table(pdf, b, key, lang, width)
    pdf.set_font(FAMILY, size=8)
    pdf.set_text_color(*MUTED)
    pdf.ln(2)
    pdf.multi_cell(width, 4.5, i18n.t("bulletin.footer", lang), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _pdf_table(pdf, b, key, lang, width) -> None:
    frame = display(b, key, lang)
    columns = TABLES[key]
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FAMILY, size=12)
    pdf.set_text_color(*RED)
    pdf.cell(width, 7, _counted(i18n.t(f"bulletin.sheet.{key}", lang), len(frame), lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font(FAMILY, size=8.5)
    if frame.empty:
        pdf.cell(width, 6, i18n.t("bulletin.none", lang), new_x="LMARGIN", new_y="NEXT")
        return
    shares = [PDF_WIDTHS.get(c, 1.0) for c in columns]
    widths = [width * share / sum(shares) for share in shares]
    aligns = ["L" if c in ("unit", "county", "group", "channel", "note") else "R" for c in columns]
    _pdf_header(pdf, list(frame.columns), widths)
    for index, values in enumerate(frame.itertuples(index=False)):
        if pdf.will_page_break(5):
            pdf.add_page()
            _pdf_header(pdf, list(frame.columns), widths)
        fill = index % 2 == 1
        pdf.set_fill_color(*GREY)
        for w, align, value in zip(widths, aligns, values):
            text = str(value)
            while pdf.get_string_width(text) > w - 2 and len(text) > 2:
                text = text[:-2] + "…"
            pdf.cell(w, 5, text, border=1, align=align, fill=fill)
        pdf.ln(5)


def _pdf_header(pdf, labels, widths) -> None:
    """A table's header row: labels may wrap to two lines."""
    x, y, height = pdf.l_margin, pdf.get_y(), 8.4
    pdf.set_fill_color(230, 230, 230)
    pdf.set_font(FAMILY, size=7.5)
    for label, w in zip(labels, widths):
        pdf.rect(x, y, w, height, style="DF")
        lines = 1 if pdf.get_string_width(label) <= w - 2 else 2
        pdf.set_xy(x, y + (height - lines * 3.6) / 2)
        pdf.multi_cell(w, 3.6, label, align="C")
        x += w
    pdf.set_xy(pdf.l_margin, y + height)
    pdf.set_font(FAMILY, size=8.5)


# ---- PNG for phones ----------------------------------------------------------------------

PNG_SECTIONS = ("top", "bottom", "laggards", "outreach", "city")
PNG_COLUMNS = {
    "top": ["group", "rank", "unit", "completion", "change"],
    "bottom": ["group", "rank", "unit", "completion", "change"],
    "laggards": ["group", "rank", "unit", "completion"],
    "outreach": ["channel", "units", "installs", "installs_on_day", "coverage"],
    "city": ["rank", "county", "rate", "rate_16_60"],
}
PNG_SHARES = {"unit": 3.0, "county": 2.4, "group": 2.2, "channel": 1.8, "rank": 0.8, "completion": 1.6, "change": 1.5}


def png_bytes(b: Bulletin, lang: str = "zh") -> bytes:
    """A long image 1080 px wide (a phone screen at 3×: body text 34 px ≈ 11 pt) for the WeChat groups."""
    from PIL import Image, ImageDraw

    canvas = Image.new("RGB", (PNG_WIDTH, 30000), "white")
    draw = ImageDraw.Draw(canvas)
    pad = 48
    width = PNG_WIDTH - 2 * pad
    # title band, as tall as the title needs
    heading = _wrap(draw, title(b, lang), pil_font(52), width)
    band = 40 + len(heading) * int(52 * 1.42) + 12 + int(30 * 1.42) + 36
    draw.rectangle([0, 0, PNG_WIDTH, band], fill=RED)
    y = _text(draw, title(b, lang), pad, 40, width, 52, fill="white")
    _text(draw, i18n.t("bulletin.subtitle", lang, day=format_day(b.day, lang), campaign=b.campaign),
          pad, y + 12, width, 30, fill=(255, 225, 225))
    y = band + 36
    y = _cards(draw, cards(b, lang), pad, y, width) + 30
    for label, value in headline_lines(b, lang)[1:]:
        top = y
        y = _text(draw, label, pad, y, int(width * 0.36) - 16, 30, fill=MUTED)
        y2 = _text(draw, value, pad + int(width * 0.36), top, int(width * 0.64), 32, fill=INK)
        y = max(y, y2) + 14
        draw.line([pad, y - 7, PNG_WIDTH - pad, y - 7], fill=(225, 225, 225), width=2)
    y += 20
    chart = township_chart(b, lang, width_in=width / 150, dpi=150, bar_scale=1.5)
    canvas.paste(chart, (pad, y))
    y += chart.height + 30
    for key in PNG_SECTIONS:
        y = _png_table(draw, b, key, lang, pad, y, width) + 30
    # units without a report: names as running text
    names = ("、" if lang == "zh" else ", ").join(b.tables["no_report"]["unit"])
    y = _heading(draw, _counted(i18n.t("bulletin.sheet.no_report", lang), len(b.tables["no_report"]), lang), pad, y, width)
    y = _text(draw, names or i18n.t("bulletin.none", lang), pad, y, width, 32, fill=INK) + 30
    y = _text(draw, i18n.t("bulletin.footer", lang), pad, y, width, 24, fill=MUTED) + pad
    out = io.BytesIO()
    canvas.crop((0, 0, PNG_WIDTH, y)).save(out, format="PNG", compress_level=6)  # optimize=True: 5× the time, 10% smaller
    return out.getvalue()


def cards(b: Bulletin, lang: str = "zh") -> list[tuple[str, str, str]]:
    """The four big figures on top: (label, figure, note)."""
    t = lambda key, **p: i18n.t(key, lang, **p)  # noqa: E731
    h, cover = b.headline, b.coverage
    result = []
    for key in ("coverage", "coverage_16_60"):
        if cover is None:
            result.append((t(f"bulletin.h.{key}"), "—", t("bulletin.no_coverage")))
            continue
        target = (cover["targets"] or {}).get(key)
        note = t("bulletin.card.target", target=pct(target)) if target is not None else t("bulletin.card.no_target")
        result.append((t(f"bulletin.h.{key}"), pct(cover[key]), note))
    rank = cover and cover["city_rank"]
    if rank:
        result.append((t("bulletin.h.city_rank"), t("bulletin.card.rank", rank=_int(rank["coverage"])),
                       t("bulletin.card.counties", counties=rank["counties"])))
    else:
        result.append((t("bulletin.h.city_rank"), "—", t("bulletin.card.no_city")))
    result.append((t("bulletin.card.completion"), pct(h["completion"]),
                   t("bulletin.card.new", installs=_int(h["installs_day"]))))
    return result


def _cards(draw, items, x, y, width) -> int:
    gap, height = 24, 200
    card_w = (width - gap) // 2
    for index, (label, figure, note) in enumerate(items):
        left = x + (index % 2) * (card_w + gap)
        top = y + (index // 2) * (height + gap)
        draw.rounded_rectangle([left, top, left + card_w, top + height], radius=18, fill=(250, 240, 240))
        draw.text((left + 24, top + 18), label, font=pil_font(28), fill=MUTED)
        draw.text((left + 24, top + 58), figure, font=pil_font(64), fill=RED)
        draw.text((left + 24, top + 150), note, font=pil_font(26), fill=MUTED)
    rows = (len(items) + 1) // 2
    return y + rows * height + (rows - 1) * gap


def _counted(label: str, count: int, lang: str) -> str:
    return f"{label}（{count}）" if lang == "zh" else f"{label} ({count})"


_NO_LINE_START = set("、，。；：！？）》」』”’")
_TOKEN = re.compile(r"[A-Za-z0-9.,:%+\-/~()]+|\s+|.", re.S)


def _wrap(draw, text: str, font, width: int) -> list[str]:
    """Lines no wider than `width`; numbers and Latin words are split only when one alone is wider, Chinese breaks
    anywhere."""
    lines, current = [], ""
    for token in _TOKEN.findall(str(text)):
        if token == "\n":
            lines.append(current)
            current = ""
            continue
        if draw.textlength(current + token, font=font) <= width or (token in _NO_LINE_START and current.strip()):
            current += token  # a closing mark hangs at the end of its line rather than open the next
            continue
        if current.strip():
            lines.append(current.rstrip())
        current = token.lstrip()
        while len(current) > 1 and draw.textlength(current, font=font) > width:  # one word wider than the line
            cut = len(current) - 1
            while cut > 1 and draw.textlength(current[:cut], font=font) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    lines.append(current)
    return lines


def _text(draw, text: str, x: int, y: int, width: int, size: int, *, fill=INK) -> int:
    """Draw wrapped text; return the y below it."""
    font = pil_font(size)
    step = int(size * 1.42)
    for line in _wrap(draw, text, font, width):
        draw.text((x, y), line, font=font, fill=fill)
        y += step
    return y


def _heading(draw, text, x, y, width) -> int:
    draw.rectangle([x, y + 6, x + 10, y + 50], fill=RED)
    return _text(draw, text, x + 24, y, width - 24, 40, fill=RED) + 10


def _png_table(draw, b, key, lang, x, y, width) -> int:
    frame = b.tables[key]
    y = _heading(draw, _counted(i18n.t(f"bulletin.sheet.{key}", lang), len(frame), lang), x, y, width)
    if frame.empty:
        return _text(draw, i18n.t("bulletin.none", lang), x, y, width, 32, fill=MUTED)
    lefts, header_lines, rows = png_table_layout(draw, b, key, lang, x, width)
    for index, (cells, size, fill) in enumerate([(header_lines, 26, MUTED)] + [(row, 30, INK) for row in rows]):
        height = max(len(lines) for lines in cells) * int(size * 1.3) + 18
        if index == 0 or index % 2 == 0:
            draw.rectangle([x, y, x + width, y + height], fill=(230, 230, 230) if index == 0 else GREY)
        for left, lines in zip(lefts, cells):
            for number, line in enumerate(lines):
                draw.text((left + 8, y + 9 + number * int(size * 1.3)), line, font=pil_font(size), fill=fill)
        y += height
    return y


def png_table_layout(draw, b, key, lang, x, width):
    """Where a table of the phone image goes: each column's left edge, then the header's and each row's cells as
    wrapped lines that fit their column (nothing is cut)."""
    columns = PNG_COLUMNS[key]
    shares = [PNG_SHARES.get(c, 1.3) for c in columns]
    lefts, limits, at = [], [], x
    for share in shares:
        column_width = int(width * share / sum(shares))
        lefts.append(at)
        limits.append(column_width - 16)
        at += column_width
    header_lines = [_wrap(draw, header(c, lang), pil_font(26), limit) for c, limit in zip(columns, limits)]
    rows = [[_wrap(draw, cell(c, value, lang), pil_font(30), limit) for c, value, limit in zip(columns, row, limits)]
            for row in b.tables[key][columns].itertuples(index=False)]
    return lefts, header_lines, rows


def file_name(day, suffix: str, lang: str = "zh") -> str:
    """通报-2026-11-28.xlsx (bulletin-2026-11-28.xlsx in English)"""
    return f"{'通报' if lang == 'zh' else 'bulletin'}-{day.isoformat()}.{suffix}"
