"""Every CSV/Excel download goes through here: formula-injection cells made inert, IDs and phones
kept as text, phones masked for everyone but administrators.

A cell starting with = + - @ (or a tab / carriage return) would run as a formula in Excel or WPS
when the file is opened; it gets a leading apostrophe, which both show as plain text. The start is
judged after NFKC (full-width ＝＋－＠ and the like count) and past leading spaces and invisible characters.
"""

import io
import unicodedata

import pandas as pd

from campaign.infra.phones import mask_phone, shown_phone

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PHONE_COLUMNS = ("phone", "手机号", "电话", "联系电话")
# Columns kept as text: leading zeros and long digit strings (18-digit ID numbers) survive Excel.
TEXT_COLUMNS = ("code", "编码", "id_number", "身份证号", "entity_id", "sha256", *PHONE_COLUMNS)


def neutralise(value):
    """A text cell that Excel would read as a formula, made inert with a leading apostrophe."""
    if isinstance(value, str) and value and _starts_formula(value):
        return "'" + value
    return value


def _starts_formula(value: str) -> bool:
    if value.startswith(DANGEROUS):
        return True
    head = unicodedata.normalize("NFKC", value[:16])
    head = "".join(c for c in head if unicodedata.category(c) not in ("Cf", "Zs", "Zl", "Zp") and c not in "\n")
    return head.startswith(DANGEROUS)


def prepare(frame: pd.DataFrame, *, actor=None, text_columns=()) -> tuple[pd.DataFrame, list[str]]:
    """A copy of `frame` safe to export, and the names of the columns to keep as text.

    Phones are masked unless `actor` is an administrator (no actor: masked). Numbers stay numbers,
    so a negative count is not mistaken for a formula; every text cell is neutralised.
    """
    out = frame.copy()
    text = [c for c in out.columns if c in TEXT_COLUMNS or c in text_columns]
    for column in out.columns:
        if column in PHONE_COLUMNS:
            out[column] = [shown_phone(actor, v) if actor is not None else mask_phone(v) for v in out[column]]
        if column in text:
            out[column] = ["" if _missing(v) else str(v) for v in out[column]]
        if out[column].dtype == object or str(out[column].dtype).startswith("str"):
            out[column] = [neutralise(v) for v in out[column]]
    return out, text


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def csv_bytes(frame: pd.DataFrame, *, actor=None, text_columns=()) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads Chinese), formula cells inert, text columns as text.

    A digits-only value in a text column gets a leading tab, the usual way to stop Excel turning
    a phone or ID number into 1.38E+10; our own imports strip it again.
    """
    out, text = prepare(frame, actor=actor, text_columns=text_columns)
    for column in text:
        out[column] = ["\t" + v if isinstance(v, str) and v.isdigit() else v for v in out[column]]
    return out.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, *, actor=None, text_columns=(), sheet: str = "data") -> bytes:
    """An .xlsx workbook: every text cell stored as a string cell (never a formula), text columns formatted '@'."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    out, text = prepare(frame, actor=actor, text_columns=text_columns)
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append([str(c) for c in out.columns])
    for row in out.itertuples(index=False):
        ws.append([None if _missing(v) else (v.item() if hasattr(v, "item") else v) for v in row])
    for index, column in enumerate(out.columns, start=1):
        letter = get_column_letter(index)
        for cell in ws[letter][1:]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
            if column in text:
                cell.number_format = "@"
        ws.column_dimensions[letter].width = max(8, min(40, len(str(column)) * 2 + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
