"""The county's clock: China Standard Time. CAMPAIGN_TODAY pins the date for demos and tests."""

import datetime as dt
import os
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    """The current time in the county (aware)."""
    pinned = os.environ.get("CAMPAIGN_TODAY")
    current = dt.datetime.now(TZ)
    if pinned:
        day = dt.date.fromisoformat(pinned)
        current = current.replace(year=day.year, month=day.month, day=day.day)
    return current


def today() -> dt.date:
    """Today's date in the county."""
    return now().date()


def stamp() -> str:
    """Now as an ISO string with seconds, for audit and entry records."""
    return now().isoformat(timespec="seconds")


def as_date(value) -> dt.date:
    """Accept a date, datetime or ISO string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
