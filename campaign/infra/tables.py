"""Reading uploaded CSV/Excel files: header aliases in Chinese or English, every cell as text."""

import csv
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
from campaign.infra.errors import FileRejected, RowError, RowsRejected
from campaign.infra.parse import HIDDEN_RE2, INVISIBLE_RE2, show_hidden

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

    columns maps each canonical name to its accepted headers. Raises FileRejected for a file that is
    too large, not of its claimed type, unreadable, empty, or missing a required column (or naming one
    twice), and RowsRejected for cells holding hidden control or direction characters.
    """
    if len(upload.data) > max_bytes:
        raise FileRejected("file.too_large", size=len(upload.data), limit=max_bytes)
    suffix = upload.name.lower().rsplit(".", 1)[-1] if "." in upload.name else ""
    if suffix in ("xlsx", "xlsm"):
        inspect_workbook(upload, max_bytes)
        header, frame = _read_excel(upload.data)
    elif suffix in ("csv", "txt"):
        header, frame = _read_csv(upload.data)
    else:
        raise FileRejected("file.bad_type", name=upload.name)
    if frame.shape[0] > MAX_ROWS or len(header) > MAX_COLUMNS:
        raise FileRejected("file.too_many_cells", rows=frame.shape[0], columns=len(header))
    wanted = {_norm(alias): canonical for canonical, aliases in columns.items() for alias in (canonical, *aliases)}
    renamed: dict[int, str] = {}
    for position, title in enumerate(header):
        canonical = wanted.get(_norm(title))
        if canonical is None:
            continue
        if canonical in renamed.values():
            first = header[next(p for p, c in renamed.items() if c == canonical)]
            raise FileRejected("file.duplicate_columns", columns=f"{first}, {title}")
        renamed[position] = canonical
    missing = [c for c in required if c not in renamed.values()]
    if missing:
        raise FileRejected("file.missing_columns", columns=", ".join(missing))
    frame = frame[list(renamed)].set_axis(list(renamed.values()), axis=1)
    for column in columns:
        if column not in frame.columns:
            frame[column] = ""
    frame = _clean(frame.fillna("").astype(str))
    frame = frame[(frame[list(columns)] != "").any(axis=1)]
    frame.insert(0, "line", frame.index + 2)
    hidden = [RowError(line, column, "row.hidden_characters", value=show_hidden(value))
              for column in columns for line, value in _hidden_cells(frame, column)]
    if hidden:
        raise RowsRejected(sorted(hidden, key=lambda e: e.row)[:1000])
    return frame[["line", *columns]].reset_index(drop=True)


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell without invisible characters, inner tabs and line breaks as spaces, trimmed (as Arrow
    strings, so each rule runs once a column in C++, not once a cell in Python)."""
    arrow = pd.StringDtype("pyarrow", na_value=float("nan"))
    cleaned = {}
    for column in frame.columns:
        cells = frame[column].astype(arrow)
        if not cells.str.isascii().all():
            cells = cells.str.replace(INVISIBLE_RE2, "", regex=True)
        if cells.str.contains(r"[\t\r\n]", regex=True).any():
            cells = cells.str.replace(r"[\t\r\n]+", " ", regex=True)
        cleaned[column] = cells.str.strip()
    return pd.DataFrame(cleaned, index=frame.index)


def _hidden_cells(frame: pd.DataFrame, column: str) -> list[tuple[int, str]]:
    bad = frame[column].str.contains(HIDDEN_RE2, regex=True)
    if not bad.any():
        return []
    return list(zip(frame.loc[bad, "line"].tolist(), frame.loc[bad, column].tolist()))


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')
_LAST_ROW = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="(\d+)"')
_PREFIXED_CELL = re.compile(rb"<\w{1,16}:c[\s/>]")
# A workbook whose cells, or the area they span, are more than this is refused: ~2 M rows of 4 columns.
MAX_CELLS = 8_000_000
# Above either, a workbook is read by the import worker (campaign.infra.worker), not in the app's process.
IN_APP_CELLS = 200_000
IN_APP_BYTES = 24 * 1024 * 1024
_CHUNK = 1 << 20


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.decode():
        number = number * 26 + ord(char) - 64
    return number


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _beyond(column: int) -> re.Pattern:
    """A cell reference whose column is past `column` (1-based)."""
    limit = _letters(column)
    parts = [rb"[A-Z]{%d,3}" % (len(limit) + 1)] if len(limit) < 3 else []
    for i, char in enumerate(limit):  # same length, greater at position i
        if char != "Z":
            head = limit[:i].encode()
            parts.append(head + rb"[%c-Z]" % (ord(char) + 1) + rb"[A-Z]" * (len(limit) - i - 1))
    return re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="(?:' + b"|".join(parts) + rb')\d')


@dataclass(frozen=True)
class WorkbookFacts:
    """What streaming through a workbook's XML found: its cells (and shared strings) and unpacked bytes."""

    cells: int
    unpacked: int

    @property
    def heavy(self) -> bool:
        return self.cells > IN_APP_CELLS or self.unpacked > IN_APP_BYTES


def inspect_workbook(upload: Upload, max_bytes: int = MAX_BYTES) -> WorkbookFacts:
    """Refuse, before parsing, an .xlsx that is not a workbook, unpacks to far more than its size suggests
    (a zip bomb), or holds, declares or spans more cells than MAX_CELLS; read while streaming its sheets'
    XML in small pieces, so a bomb costs the time of reading it, never its memory. Remembered per upload."""
    facts = getattr(upload, "_workbook", None)
    if facts is None:
        facts = _inspect(upload.data, max_bytes)
        upload._workbook = facts
    return facts


def _inspect(data: bytes, max_bytes: int) -> WorkbookFacts:
    if not data.startswith(b"PK"):
        raise FileRejected("file.not_excel")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRejected("file.not_excel") from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise FileRejected("file.not_excel")
    # Real workbooks unpack to ~5-20x their size; a zip bomb to hundreds or thousands of times.
    unpacked = sum(info.file_size for info in infos)
    limit = min(max(50 * len(data), 50 * 1024 * 1024), 1024 * 1024 * 1024)
    if unpacked > limit:
        raise FileRejected("file.too_large_unpacked", size=unpacked, limit=limit)
    cells = read = 0
    try:
        for name in sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")):
            sheet_cells, sheet_bytes = _sheet(archive, name, limit - read)
            cells, read = cells + sheet_cells, read + sheet_bytes
        if "xl/sharedStrings.xml" in names:
            strings, string_bytes = _stream(archive, "xl/sharedStrings.xml", limit - read, rb"<si>", rb"<si ")
            cells, read = cells + strings, read + string_bytes
    except (zipfile.BadZipFile, RuntimeError, ValueError, OSError, EOFError, NotImplementedError):
        raise FileRejected("file.not_excel") from None
    if cells > MAX_CELLS:
        raise FileRejected("file.too_many_cells", rows=cells, columns=1)
    return WorkbookFacts(cells, read)


def _stream(archive, name: str, budget: int, *tokens: bytes, pattern=None, on_piece=None) -> tuple[int, int]:
    """Count `tokens` (and `pattern` matches) in one member, piece by piece; (count, bytes unpacked).
    A piece ends at its last "<", so no tag is cut in two; what follows goes with the next piece."""
    count = read = 0
    carry = b""
    with archive.open(name) as member:
        while True:
            block = member.read(_CHUNK)
            read += len(block)
            if read > budget:
                raise FileRejected("file.too_large_unpacked", size=read, limit=budget)
            text = carry + block
            cut = text.rfind(b"<") if block else len(text)
            piece, carry = (text[:cut], text[cut:]) if cut > 0 else (b"", text)
            if len(carry) > _CHUNK:  # no tag is this long: keep only what could start one
                carry = carry[-256:]
            count += sum(piece.count(token) for token in tokens)
            if pattern is not None and b":" in piece:
                count += len(pattern.findall(piece))
            if on_piece is not None:
                on_piece(piece)
            if count > MAX_CELLS:
                raise FileRejected("file.too_many_cells", rows=count, columns=1)
            if not block:
                return count, read


def _sheet(archive, name: str, budget: int) -> tuple[int, int]:
    """A worksheet's cells and unpacked bytes; refused when its declared or real extent is too large.

    The declared <dimension> is refused when absurd (the reader reserves room for it) but not trusted:
    the rows (they come in order) and the columns of the cells themselves decide the area spanned."""
    rows = [0]
    too_wide = _beyond(MAX_COLUMNS)

    def look(piece: bytes) -> None:
        if not rows[0] and (match := _DIMENSION.search(piece)) is not None:
            declared, columns = int(match.group(4) or match.group(2)), _column_number(match.group(3) or match.group(1))
            if declared > MAX_ROWS + 1 or columns > MAX_COLUMNS or declared * columns > MAX_CELLS:
                raise FileRejected("file.too_many_cells", rows=declared, columns=columns)
        last = piece.rfind(b"<row")
        if last >= 0 and (match := _LAST_ROW.match(piece, last)) is not None:
            rows[0] = max(rows[0], int(match.group(1)))
        if rows[0] > MAX_ROWS + 1 or too_wide.search(piece):
            raise FileRejected("file.too_many_cells", rows=rows[0], columns=f">{MAX_COLUMNS}")

    cells, read = _stream(archive, name, budget, b"<c ", b"<c>", b"<c/>", pattern=_PREFIXED_CELL, on_piece=look)
    if rows[0] * MAX_COLUMNS > MAX_CELLS:  # so many rows that a wide sheet would span too much: how wide is it?
        widest = max(1, MAX_CELLS // rows[0])
        beyond = _beyond(widest)

        def refuse(piece: bytes) -> None:
            if beyond.search(piece):
                raise FileRejected("file.too_many_cells", rows=rows[0], columns=f">{widest}")

        _stream(archive, name, budget, on_piece=refuse)
    return cells, read


def _read_csv(data: bytes) -> tuple[list[str], pd.DataFrame]:
    """A CSV's header and its rows as text cells (columns by position): Arrow's parser (issue 9: a million
    rows in well under a second) for a regular UTF-8 or GB18030 file, Python's csv module for anything
    Arrow refuses (ragged rows, …)."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise FileRejected("file.empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (Excel's "Unicode text"): read as UTF-8
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise FileRejected("file.not_text") from None
    if b"\x00" in data[:4096]:
        raise FileRejected("file.not_text")
    first = data[: data.find(b"\n") if b"\n" in data else len(data)]
    if first.count(b",") >= MAX_COLUMNS or len(first) > 64 * 1024:  # a column bomb: refused before any parser
        raise FileRejected("file.too_many_cells", rows=0, columns=first.count(b",") + 1)
    options = {"header": None, "dtype": str, "keep_default_na": False, "engine": "pyarrow"}
    try:
        frame = pd.read_csv(io.BytesIO(data), **options)
    except Exception:  # noqa: BLE001 — any refusal (encoding, ragged rows) gets the tolerant parser below
        frame = None
    text = _decode(data)
    if frame is None and text.encode("utf-8") != data.removeprefix(b"\xef\xbb\xbf"):
        try:  # GB18030 (Excel's Chinese CSV): Arrow reads UTF-8 only
            frame = pd.read_csv(io.BytesIO(text.encode("utf-8")), **options)
        except Exception:  # noqa: BLE001
            frame = None
    if frame is None:
        rows = _csv_rows(text)
    else:
        if frame.empty:
            raise FileRejected("file.empty")
        if frame.shape[1] and str(frame.iat[0, 0]).startswith("\ufeff"):
            frame.iat[0, 0] = str(frame.iat[0, 0])[1:]
        header = ["" if pd.isna(v) else str(v) for v in frame.iloc[0].tolist()]
        return header, frame.iloc[1:].reset_index(drop=True).set_axis(range(frame.shape[1]), axis=1).rename(lambda i: i)
    return rows[0], pd.DataFrame(rows[1:], columns=range(len(rows[0])), dtype=object)


def _csv_rows(text: str) -> list[list[str]]:
    """Rows of a CSV Arrow refused: short rows padded, blank extra cells dropped; a row with more
    filled cells than the header is refused with its line."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    rows: list[list[str]] = []
    try:
        for fields in reader:
            if not fields or all(not f.strip() for f in fields) and rows:
                if rows:
                    rows.append([""] * len(rows[0]))
                continue
            if len(fields) > MAX_COLUMNS * 2:
                raise FileRejected("file.too_many_cells", rows=len(rows), columns=len(fields))
            if not rows:
                rows.append(fields)
                continue
            width = len(rows[0])
            if len(fields) > width and any(f.strip() for f in fields[width:]):
                raise FileRejected("file.ragged", line=reader.line_num, columns=len(fields), header=width)
            rows.append((fields + [""] * width)[:width])
    except csv.Error:
        raise FileRejected("file.bad_csv", line=reader.line_num) from None
    if not rows:
        raise FileRejected("file.empty")
    return rows


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise FileRejected("file.not_text")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected("file.not_text")


def _read_excel(data: bytes) -> tuple[list[str], pd.DataFrame]:
    try:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        if sheet.height > MAX_ROWS + 1 or sheet.width > MAX_COLUMNS or sheet.height * sheet.width > MAX_CELLS:
            raise FileRejected("file.too_many_cells", rows=sheet.height, columns=sheet.width)
        rows = sheet.to_python(skip_empty_area=True)
    except FileRejected:
        raise
    except Exception:  # noqa: BLE001 — whatever the workbook library refuses is not a workbook we can read
        raise FileRejected("file.not_excel") from None
    if not rows or not any(_cell(v).strip() for v in rows[0]):
        raise FileRejected("file.empty")
    header = [_cell(h) for h in rows[0]]
    width = len(header)
    body = [[_cell(v) for v in row] if len(row) == width else ([_cell(v) for v in row] + [""] * width)[:width]
            for row in rows[1:]]
    return header, pd.DataFrame(body, columns=range(width), dtype=object)


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
