"""Reading uploaded CSV/Excel files: header aliases in Chinese or English, every cell as text."""

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass

import pandas as pd

from campaign.errors import FileRejected

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 2_000_000
MAX_COLUMNS = 200


@dataclass
class Upload:
    """An uploaded file: its name, its bytes and their SHA-256."""

    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @classmethod
    def from_path(cls, path) -> "Upload":
        with open(path, "rb") as handle:
            return cls(str(path).replace("\\", "/").rsplit("/", 1)[-1], handle.read())


def _norm(header) -> str:
    return re.sub(r"[\s_（）()*：:]", "", str(header)).lower()


def read_table(upload: Upload, columns: dict[str, tuple], required: tuple, *, max_bytes=MAX_BYTES) -> pd.DataFrame:
    """The file as text cells under canonical column names; `line` is the spreadsheet row (header = 1).

    columns maps each canonical name to its accepted headers. Raises FileRejected for a file
    that is too large, not of its claimed type, unreadable, or missing a required column.
    """
    if len(upload.data) > max_bytes:
        raise FileRejected("file.too_large", size=len(upload.data), limit=max_bytes)
    suffix = upload.name.lower().rsplit(".", 1)[-1] if "." in upload.name else ""
    if suffix in ("xlsx", "xlsm"):
        if not upload.data.startswith(b"PK"):
            raise FileRejected("file.not_excel", name=upload.name)
        frame = _read_excel(upload.data)
    elif suffix in ("csv", "txt"):
        frame = pd.read_csv(io.StringIO(_decode(upload.data)), dtype=str, keep_default_na=False, skip_blank_lines=True)
    else:
        raise FileRejected("file.bad_type", name=upload.name)
    if frame.shape[0] > MAX_ROWS or frame.shape[1] > MAX_COLUMNS:
        raise FileRejected("file.too_many_cells", rows=frame.shape[0], columns=frame.shape[1])
    wanted = {_norm(alias): canonical for canonical, aliases in columns.items() for alias in (canonical, *aliases)}
    renamed = {}
    for header in frame.columns:
        canonical = wanted.get(_norm(header))
        if canonical and canonical not in renamed.values():
            renamed[header] = canonical
    frame = frame[list(renamed)].rename(columns=renamed)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise FileRejected("file.missing_columns", columns=", ".join(missing))
    for column in columns:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame.fillna("").astype(str).apply(lambda col: col.str.strip())
    frame = frame[(frame[list(columns)] != "").any(axis=1)]
    frame.insert(0, "line", frame.index + 2)
    return frame.reset_index(drop=True)


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise FileRejected("file.not_text")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected("file.not_text")


def _read_excel(data: bytes) -> pd.DataFrame:
    try:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        if sheet.height > MAX_ROWS + 1 or sheet.width > MAX_COLUMNS:
            raise FileRejected("file.too_many_cells", rows=sheet.height, columns=sheet.width)
        rows = sheet.to_python(skip_empty_area=True)
    except FileRejected:
        raise
    except Exception:
        raise FileRejected("file.not_excel") from None
    if not rows:
        return pd.DataFrame()
    header, body = [str(h) for h in rows[0]], rows[1:]
    return pd.DataFrame([[_cell(v) for v in row] for row in body], columns=header)


def _cell(value) -> str:
    """Excel cell to text: 13800000000.0 -> '13800000000', dates -> ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")


def parse_date(text) -> dt.date | None:
    """2026-11-01, 2026/11/1, 2026.11.1, 2026年11月1日 (time part ignored); None when not a date."""
    match = _DATE.match(str(text).strip())
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def template_csv(columns: dict[str, tuple], example: list[list[str]], lang: str = "zh") -> bytes:
    """A template for download: Chinese (first alias) or English headers, UTF-8 with BOM for Excel."""
    headers = [aliases[0] if lang == "zh" and aliases else name for name, aliases in columns.items()]
    frame = pd.DataFrame(example, columns=headers)
    return frame.to_csv(index=False).encode("utf-8-sig")
