"""Cells of imported files, pure: whole numbers, dates, yes/no flags, mobile numbers."""

import datetime as dt
import re

YES = {"1", "是", "在职", "yes", "y", "true", "active", "有效"}
NO = {"0", "否", "离职", "no", "n", "false", "inactive", "无效", "停用"}
PHONE = re.compile(r"^1\d{10}$")

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")


def parse_whole(text) -> int | None:
    """A whole number written as text ("3", " 3 ", "3.0"); None when it is not one (also "inf", "nan")."""
    try:
        number = float(text)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def parse_date(text) -> dt.date | None:
    """2026-11-01, 2026/11/1, 2026.11.1, 2026年11月1日 (time part ignored); None when not a date."""
    match = _DATE.match(str(text).strip())
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def positive_int(text) -> tuple[int | None, str | None]:
    """An optional positive whole number: (number or None, None) or (None, a row error code)."""
    if text == "":
        return None, None
    try:
        number = float(text)
    except ValueError:
        return None, "row.not_integer"
    if number != int(number) or number < 1:
        return None, "row.not_positive_integer"
    return int(number), None
