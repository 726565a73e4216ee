"""Parsers of the outreach settings (kept free of other campaign imports so settings.py can use them)."""

from campaign import clock
from campaign.errors import InvalidValue


def parse_date_range(value):
    """A dated window as [start, end] ISO dates; accepts a pair or 'YYYY-MM-DD..YYYY-MM-DD'; empty clears it."""
    if value is None or value == "" or value == []:
        return None
    parts = value.split("..") if isinstance(value, str) else list(value)
    if len(parts) != 2:
        raise InvalidValue("error.bad_date", value=value)
    try:
        start, end = (clock.as_date(str(p).strip()) for p in parts)
    except ValueError:
        raise InvalidValue("error.bad_date", value=value) from None
    if end < start:
        raise InvalidValue("outreach.error.window_order", value=f"{start}..{end}")
    return [start.isoformat(), end.isoformat()]
