"""The campaign's own settings: its name and county, its dates, the quota, the entry cut-off, the laggard list.

Credited installs depend on the quota and the start date, so changing either rebuilds the summaries.
"""

import datetime as dt

from campaign.infra import clock
from campaign.infra.errors import InvalidValue
from campaign.infra.settings import Setting, date, integer, text, time_of_day


def _start(values) -> str:
    return (clock.today() - dt.timedelta(days=29)).isoformat()


def _deadline(values) -> str:
    return (clock.as_date(values["start_date"]) + dt.timedelta(days=60)).isoformat()


def _rebuild(db) -> None:
    from campaign.installs import (
        summaries,  # numpy and pyarrow: only when a change needs them
    )

    summaries.rebuild(db)


def _deadline_after_start(values) -> None:
    if clock.as_date(values["deadline"]) < clock.as_date(values["start_date"]):
        raise InvalidValue("error.deadline_before_start", value=clock.as_date(values["deadline"]).isoformat())


def _default_not_below_guidance(values) -> None:
    # Every person without a quota of their own gets the default: below the guidance it would lower
    # everyone's without a reason (a unit or a person may have a lower quota, with its reason, in a file).
    if values["default_quota"] < values["quota_guidance"]:
        raise InvalidValue("error.default_below_guidance", value=values["default_quota"], guidance=values["quota_guidance"])


SETTINGS = (
    Setting("campaign_name", "国家反诈中心APP推广（演示）", text),
    Setting("county_name", "全南县（演示）", text),
    Setting("start_date", _start, date, on_change=_rebuild),
    Setting("deadline", _deadline, date, check=_deadline_after_start),
    Setting("default_quota", 30, integer(1, 10_000), on_change=_rebuild, check=_default_not_below_guidance),
    Setting("entry_cutoff", "12:00", time_of_day),
    Setting("max_daily_installs", 200, integer(1, 100_000)),
    Setting("laggard_days", 3, integer(1, 60)),
    Setting("laggard_bottom", 5, integer(1, 50)),
    Setting("unlock_hours", 2, integer(1, 72)),  # issue 20: how long an approved unlock keeps a day open
)
