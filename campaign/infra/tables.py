"""Reading uploaded CSV/Excel files: header aliases in Chinese or English, every cell as text."""

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from campaign.infra import exports
from campaign.infra.actors import SYSTEM
from campaign.infra.errors import FileRejected

# Arrow's allocator for the whole process (the CSV reader here, Streamlit's tables): with its default
# (mimalloc) reading a 4 MB CSV keeps +41 MB resident, with jemalloc +15 MB (issue 9: the app under 400 MB).
try:
    pa.set_memory_pool(pa.jemalloc_memory_pool())
except NotImplementedError:  # a pyarrow built without jemalloc keeps its default
    pass

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
        check_workbook(upload.data, max_bytes)
        frame = _read_excel(upload.data)
    elif suffix in ("csv", "txt"):
        frame = _read_csv(upload.data)
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


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.decode():
        number = number * 26 + ord(char) - 64
    return number


def check_workbook(data: bytes, max_bytes: int = MAX_BYTES) -> None:
    """Refuse, before parsing, an .xlsx that is not a workbook, unpacks to far more than its size
    suggests (a zip bomb), or declares a sheet of absurd dimensions."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise FileRejected("file.not_excel") from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise FileRejected("file.not_excel")
    # Real workbooks unpack to ~5-20x their size; a zip bomb to hundreds or thousands of times.
    unpacked = sum(info.file_size for info in infos)
    limit = min(max(50 * len(data), 50 * 1024 * 1024), 1024 * 1024 * 1024)
    if unpacked > limit:
        raise FileRejected("file.too_large_unpacked", size=unpacked, limit=limit)
    for name in sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")):
        try:
            with archive.open(name) as sheet:
                head = sheet.read(4096)
        except (zipfile.BadZipFile, RuntimeError, ValueError, OSError):
            raise FileRejected("file.not_excel") from None
        match = _DIMENSION.search(head)
        if not match:
            continue
        rows = int(match.group(4) or match.group(2))
        columns = _column_number(match.group(3) or match.group(1))
        if rows > MAX_ROWS + 1 or columns > MAX_COLUMNS:
            raise FileRejected("file.too_many_cells", rows=rows, columns=columns)


def _read_csv(data: bytes) -> pd.DataFrame:
    """A CSV as text cells: Arrow's parser (issue 9: a million rows in well under a second) for a
    regular UTF-8 or GB18030 file, pandas' own parser for anything Arrow refuses (ragged rows, …)."""
    if b"\x00" in data[:4096]:
        raise FileRejected("file.not_text")
    options = {"dtype": str, "keep_default_na": False}
    try:
        return pd.read_csv(io.BytesIO(data), engine="pyarrow", **options)
    except Exception:  # noqa: BLE001 — any refusal (encoding, ragged rows) gets the tolerant parser below
        pass
    text = _decode(data)
    utf8 = text.encode("utf-8")
    if utf8 != data.removeprefix(b"\xef\xbb\xbf"):  # GB18030 (Excel's Chinese CSV): Arrow reads UTF-8 only
        try:
            return pd.read_csv(io.BytesIO(utf8), engine="pyarrow", **options)
        except Exception:  # noqa: BLE001
            pass
    return pd.read_csv(io.StringIO(text), skip_blank_lines=True, **options)


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


def template_csv(columns: dict[str, tuple], example: list[list[str]], lang: str = "zh") -> bytes:
    """A template for download: Chinese (first alias) or English headers, UTF-8 with BOM for Excel."""
    headers = [aliases[0] if lang == "zh" and aliases else name for name, aliases in columns.items()]

    # A made-up example row: shown as is (not masked), phones kept as text for Excel.
    return exports.csv_bytes(pd.DataFrame(example, columns=headers), actor=SYSTEM)
