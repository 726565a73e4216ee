"""Responsibility letters as printable A4 PDF (fpdf2, the CJK font embedded) and as an editable Word file
(python-docx), from the same filled lines; pure functions of campaign.supervision.responsibility.Document."""

import io
import re

from campaign.infra.fonts import FAMILY, new_pdf
from campaign.supervision.letters_render import new_docx
from campaign.supervision.responsibility import Document

HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|\d+\.\s)")
LABEL = re.compile(r"^\s*[^：:，,。]{1,20}[：:]")  # 甲方（盖章）：…, 签订日期：…: signature lines, not indented
# Chinese typesetting keeps these off the start of a line: they hang at the end of the line before.
NO_LINE_START = set("，。、；：？！）》」』”’％,.;:?!)")


def _kind(line: str) -> str:
    if not line.strip():
        return "gap"
    if HEADING.match(line):
        return "heading"
    return "line" if LABEL.match(line) else "prose"


def _wrap(pdf, text: str, width: float) -> list[str]:
    """`text` broken into lines of at most `width` (the current font), character by character, a closing
    punctuation mark hanging at the end of a line rather than opening the next one; words kept whole in Latin text."""
    lines, line = [], ""
    for token in re.findall(r"[A-Za-z0-9@._%()'-]+\s*|.", text):
        if line and pdf.get_string_width(line + token.rstrip()) > width and not (len(token) == 1 and token in NO_LINE_START):
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return lines + [line.rstrip()] if line else lines


def pdf_bytes(documents: list[Document]) -> bytes:
    """The letters on A4, each starting on a page of its own: the title, then its lines."""
    pdf = new_pdf()
    pdf.set_margins(25, 22, 25)
    pdf.set_auto_page_break(True, margin=20)
    if documents:
        pdf.set_title(documents[0].title if len(documents) == 1 else f"{documents[0].title}（{len(documents)}）")
    for doc in documents:
        pdf.add_page()
        width = pdf.w - pdf.l_margin - pdf.r_margin
        indent = "\u3000\u3000" if re.search(r"[\u4e00-\u9fff]", doc.title) else ""
        pdf.set_font(FAMILY, size=20)
        pdf.multi_cell(width, 11, doc.title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        for line in doc.lines:
            kind = _kind(line)
            if kind == "gap":
                pdf.ln(2.5)
                continue
            pdf.set_font(FAMILY, size=13 if kind == "heading" else 12)
            for part in _wrap(pdf, (indent if kind in ("heading", "prose") else "") + line.strip(), width - 2 * pdf.c_margin):
                pdf.cell(width, 7.6, part, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def docx_bytes(doc: Document) -> bytes:
    """One letter as a .docx (A4, 仿宋 body, 黑体 headings) for a unit that edits before stamping."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    word = new_docx()
    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(doc.title)
    run.font.size = Pt(22)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "方正小标宋简体")
    for line in doc.lines:
        kind = _kind(line)
        if kind == "gap":
            continue
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(4)
        if kind in ("heading", "prose"):
            paragraph.paragraph_format.first_line_indent = Pt(28)
        run = paragraph.add_run(line.strip())
        if kind == "heading":
            run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def file_name(doc: Document | None, suffix: str) -> str:
    """责任书-县公安局.pdf, or 责任书-全部单位.pdf for all of them."""
    return f"责任书-{doc.unit if doc else '全部单位'}.{suffix}"
