"""Cells of imported files, pure: whole numbers, dates, yes/no flags, mobile numbers, names and their keys."""

import datetime as dt
import re
import unicodedata

from campaign.infra.errors import InvalidValue

YES = {"1", "是", "在职", "yes", "y", "true", "active", "有效"}
NO = {"0", "否", "离职", "no", "n", "false", "inactive", "无效", "停用"}
PHONE = re.compile(r"^1\d{10}$")

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?$")
_WHOLE = re.compile(r"^([+-]?)(\d{1,30})(?:\.0*)?$")
# Invisible characters a copy from a web page or a document brings along: dropped from every cell.
INVISIBLE = "\u200b\u2060\ufeff\u00ad"
# Characters that change how a text is shown without being seen (bidi overrides and isolates,
# joiners, other format and control characters): a cell holding one is refused, so two names that look
# alike are never two different names.
HIDDEN_RANGES = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0x061C, 0x061C), (0x180E, 0x180E),
                 (0x200C, 0x200F), (0x202A, 0x202E), (0x2061, 0x206F), (0xFFF9, 0xFFFB), (0xE0000, 0xE007F))
_HIDDEN = re.compile("[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in HIDDEN_RANGES) + "]")
# The same classes for RE2 (Arrow's regular expressions, a whole column at a time).
HIDDEN_RE2 = "[" + "".join(f"\\x{{{lo:x}}}-\\x{{{hi:x}}}" for lo, hi in HIDDEN_RANGES) + "]"
INVISIBLE_RE2 = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in INVISIBLE) + "]"


def parse_whole(text) -> int | None:
    """A whole number written as text ("3", " 3 ", "3.0", full-width digits); None when it is not one
    ("inf", "nan", "1e3", "-0", more than 30 digits)."""
    if text is None:
        return None
    match = _WHOLE.match(unicodedata.normalize("NFKC", str(text)).strip())
    if match is None:
        return None
    number = int(match.group(2))
    if match.group(1) == "-":
        return None if number == 0 else -number
    return number


def parse_count(text, limit: int, *, negative: str = "row.negative") -> tuple[int | None, str | None]:
    """A required count 0..limit: (number, None) or (None, a row error code: row.missing, row.not_integer,
    `negative`, row.too_large)."""
    if text is None or str(text).strip() == "":
        return None, "row.missing"
    number = parse_whole(text)
    if number is None:
        stripped = unicodedata.normalize("NFKC", str(text)).strip()
        return None, negative if re.match(r"^-0*(\.0*)?$", stripped) else "row.not_integer"
    if number < 0:
        return None, negative
    if number > limit:
        return None, "row.too_large"
    return number, None


def parse_date(text) -> dt.date | None:
    """2026-11-01, 2026/11/1, 2026.11.1, 2026年11月1日, with an optional valid time (2026-11-01 08:30[:00]);
    None when not a date (2026-02-30, 2026-12-03T25:00)."""
    if text is None:
        return None
    match = _DATE.match(unicodedata.normalize("NFKC", str(text)).strip())
    if not match:
        return None
    year, month, day, hour, minute, second = match.groups()
    if hour is not None and (int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59):
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def positive_int(text, limit: int | None = None) -> tuple[int | None, str | None]:
    """An optional positive whole number up to `limit`: (number or None, None) or (None, a row error code)."""
    if text is None or str(text).strip() == "":
        return None, None
    number = parse_whole(text)
    if number is None:
        return None, "row.not_integer"
    if number < 1:
        return None, "row.not_positive_integer"
    if limit is not None and number > limit:
        return None, "row.too_large"
    return number, None


def hidden_characters(text: str) -> bool:
    """True when the text holds a control, format or direction character (a bidi override, a joiner…)."""
    return _HIDDEN.search(text) is not None


def clean_text(text) -> str | None:
    """A name typed in a form: NFC, invisible characters dropped, spaces trimmed; None when it holds a
    hidden control or direction character (then it is refused)."""
    value = unicodedata.normalize("NFC", str(text or "")).translate({ord(c): None for c in INVISIBLE})
    value = re.sub(r"[\t\r\n]+", " ", value).strip()
    return None if hidden_characters(value) else value


def typed_name(text) -> str:
    """A name typed in a form, cleaned as clean_text does; InvalidValue error.hidden_characters (shown with each
    hidden character written out) or error.empty."""
    value = clean_text(text)
    if value is None:
        raise InvalidValue("error.hidden_characters", value=show_hidden(str(text)))
    if not value:
        raise InvalidValue("error.empty", value="")
    return value


def key(text) -> str:
    """What two names are compared by: NFKC (full-width and half-width forms alike), spaces trimmed, case folded."""
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


def show_hidden(text: str) -> str:
    """The text with each hidden character written as <U+202E>, for an error message."""
    return _HIDDEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
