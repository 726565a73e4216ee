"""The outreach channels' settings: idle grids, the start-of-term push window, the daily maximum."""

from campaign.infra import clock
from campaign.infra.errors import InvalidValue
from campaign.infra.settings import Setting, integer


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


SETTINGS = (
    Setting("grid_idle_days", 7, integer(1, 90)),
    Setting("school_push", None, parse_date_range),  # [start, end]; None: the campaign's first 14 days
    Setting("outreach_max_daily", 2000, integer(1, 100_000)),
    # the largest base a registry row may give (a bigger one is a slip of the keyboard, not a class or a grid)
    Setting("max_class_families", 200, integer(1, 10_000)),
    Setting("max_grid_households", 5000, integer(1, 1_000_000)),
    Setting("max_enterprise_people", 100_000, integer(1, 10_000_000)),
)
