"""A reminder letter (提示函) as a printable A4 PDF (fpdf2) and as an editable Word file (python-docx).

Both are built from the same paragraphs, so they say the same thing; pure functions of a Letter.
"""

import io

from campaign.infra import i18n
from campaign.infra.fonts import FAMILY, new_pdf
from campaign.supervision.letters import Letter, format_day, problem_text

RED = (192, 0, 0)
NUMERALS = "一二三四五六七八九十"


def paragraphs(letter: Letter, lang: str = "zh") -> dict:
    """The letter's text blocks: head, number, title, salutation, intro, sections [(heading, [lines])], signature, date."""
    t = lambda key, **params: i18n.t(key, lang, **params)  # noqa: E731
    problems = [f"（{i}）{problem_text(p, lang)}" if lang == "zh" else f"({i}) {problem_text(p, lang)}"
                for i, p in enumerate(letter.problems, start=1)]
    reply = t("letter.reply_text", due=format_day(letter.reply_due, lang), office=letter.letterhead)
    headings = [t("letter.section.problems"), t("letter.section.rectification"), t("letter.section.reply")]
    if lang == "zh":
        headings = [f"{NUMERALS[i]}、{h}" for i, h in enumerate(headings)]
    else:
        headings = [f"{i}. {h}" for i, h in enumerate(headings, start=1)]
    return {
        "head": letter.letterhead,
        "number": letter.number,
        "title": t("letter.title"),
        "salutation": t("letter.salutation", unit=letter.unit),
        "intro": t("letter.intro", campaign=letter.campaign),
        "sections": [(headings[0], problems), (headings[1], [letter.rectification]), (headings[2], [reply])],
        "signature": letter.letterhead,
        "date": format_day(letter.issued_on, lang),
    }


def pdf_bytes(letter: Letter, lang: str = "zh") -> bytes:
    """The letter on A4: red letterhead and rule, number, title, body, signature and date."""
    text = paragraphs(letter, lang)
    pdf = new_pdf()
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(True, margin=22)
    pdf.set_title(f"{text['title']} {letter.number}")
    pdf.set_author(letter.letterhead)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    size = 22
    pdf.set_font(FAMILY, size=size)
    while size > 13 and pdf.get_string_width(text["head"]) > width - 2 * pdf.c_margin - 1:
        size -= 1
        pdf.set_font(FAMILY, size=size)
    pdf.set_text_color(*RED)
    pdf.multi_cell(width, size * 0.5, text["head"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FAMILY, size=12)
    pdf.cell(width, 7, text["number"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y() + 1.5, pdf.w - pdf.r_margin, pdf.get_y() + 1.5)
    pdf.ln(9)
    pdf.set_font(FAMILY, size=17)
    pdf.multi_cell(width, 9, text["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FAMILY, size=12)
    # Chinese breaks between any two characters and opens a paragraph with two full-width spaces
    indent, wrap = ("\u3000\u3000", "CHAR") if lang == "zh" else ("", "WORD")
    body = dict(align="L", wrapmode=wrap, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(width, 7.5, text["salutation"], **body)
    pdf.multi_cell(width, 7.5, indent + text["intro"], **body)
    for heading, lines in text["sections"]:
        pdf.ln(1.5)
        pdf.set_font(FAMILY, size=13)
        pdf.multi_cell(width, 8, indent + heading, **body)
        pdf.set_font(FAMILY, size=12)
        for line in lines:
            pdf.multi_cell(width, 7.5, indent + line, **body)
    pdf.ln(12)
    for line in (text["signature"], text["date"]):
        pdf.multi_cell(width, 7.5, line, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def new_docx():
    """An empty A4 Word document with 25 mm margins and a 14 pt 仿宋 body, as official letters are set."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    normal.font.name = "FangSong"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    return doc


def docx_bytes(letter: Letter, lang: str = "zh") -> bytes:
    """The same letter as an editable .docx (A4, 仿宋 body, red letterhead) for offices that edit before stamping."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    text = paragraphs(letter, lang)
    doc = new_docx()

    def para(content, *, size=14, align=None, color=None, indent=False, east_asia=None, space_after=4):
        paragraph = doc.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        if indent and lang == "zh":
            paragraph.paragraph_format.first_line_indent = Pt(size * 2)
        paragraph.paragraph_format.space_after = Pt(space_after)
        run = paragraph.add_run(content)
        run.font.size = Pt(size)
        if color:
            run.font.color.rgb = RGBColor(*color)
        if east_asia:
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)
        return paragraph

    para(text["head"], size=20, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, east_asia="宋体")
    para(text["number"], size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    para(text["title"], size=18, align=WD_ALIGN_PARAGRAPH.CENTER, east_asia="黑体", space_after=12)
    para(text["salutation"])
    para(text["intro"], indent=True)
    for heading, lines in text["sections"]:
        para(heading, indent=True, east_asia="黑体")
        for line in lines:
            para(line, indent=True)
    doc.add_paragraph()
    for line in (text["signature"], text["date"]):
        para(line, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def file_name(letter: Letter, suffix: str) -> str:
    """提示函-全反诈提〔2026〕3号-县公安局.pdf"""
    return f"提示函-{letter.number}-{letter.unit}.{suffix}"
