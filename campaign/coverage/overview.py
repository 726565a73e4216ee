"""The leaders' overview: coverage against the city's targets, the units' quota completion, and what needs attention."""

import pandas as pd

from campaign.coverage import reconcile as coverage_reconcile
from campaign.coverage import report as coverage_report
from campaign.infra import clock, hooks
from campaign.infra.errors import NotFound
from campaign.installs import rankings

GROUPS = ("township", "department")


def attention(laggards: pd.DataFrame, no_report: pd.DataFrame, reconciliation: dict, *, since=None, talks=None) -> list[dict]:
    """What needs a leader's attention, most serious first: {code, subject, params} items.

    A laggard stays flagged until a talk (约谈) is recorded since the day it joined the list (`since`: {unit id:
    day}; `talks`: {unit id: talk}); then it is listed as talked with, not flagged."""
    since, talks = since or {}, talks or {}
    items = [{"code": "overview.attn.inflated", "subject": row.township,
              "params": {"reported": int(row.reported), "increase": int(row.increase),
                         "first": reconciliation["first_day"].isoformat(), "last": reconciliation["last_day"].isoformat()}}
             for row in reconciliation["table"].itertuples() if row.flagged and row.increase is not None]
    county = reconciliation.get("county")
    if county and county["flagged"] and county["increase"] is not None:  # issue 20: departments included
        items.append({"code": "overview.attn.inflated_county", "subject": None,
                      "params": {"reported": county["reported"], "increase": county["increase"], "unplaced": county["unplaced"],
                                 "first": reconciliation["first_day"].isoformat(), "last": reconciliation["last_day"].isoformat()}})
    items += [{"code": "overview.attn.laggard", "subject": row.unit,
               "params": {"completion": float(row.completion), "group": row.group,
                          "since": since[row.unit_id].isoformat() if row.unit_id in since else ""}}
              for row in laggards.itertuples() if row.unit_id not in talks]
    items += [{"code": "overview.attn.no_report", "subject": row.unit, "params": {"group": row.group}}
              for row in no_report.itertuples()]
    items += [{"code": "overview.attn.laggard_talked", "subject": row.unit,
               "params": {"completion": float(row.completion), "group": row.group, "talk_on": talks[row.unit_id]["held_on"],
                          "held_by": talks[row.unit_id]["held_by"]}}
              for row in laggards.itertuples() if row.unit_id in talks]
    return items


def laggard_talks(db, since: dict) -> dict:
    """{unit id: talk} from every feature that records talks (the hook LAGGARD_TALKS: supervision)."""
    found: dict = {}
    for answer in hooks.call(hooks.LAGGARD_TALKS, db, since):
        found.update(answer)
    return found


def overview(db, day=None, county=None) -> dict:
    """Everything the overview page shows on a day; coverage parts are None before any population is imported."""
    day = clock.as_date(day or clock.today())
    try:
        report, trend = coverage_report.build(db, day, county)  # county: one county of a city (issue 9)
    except NotFound:
        report, trend = None, None
    units = rankings.unit_ranking(db, day, county)
    laggards = rankings.laggards(db, day, county)
    since = rankings.laggard_since(db, day, county) if len(laggards) else {}  # issue 20: flagged until a talk
    no_report = units[units["no_report"]]
    reconciliation = coverage_reconcile.reconcile(
        db, None, day, townships=None if county is None or report is None else [t["township"] for t in report["townships"]],
        county=county)
    return {
        "day": day,
        "report": report,
        "trend": trend,
        "groups": {group: rankings.group_summary(units, group) for group in GROUPS},
        "units": units,
        "reconciliation": reconciliation,
        "attention": attention(laggards, no_report, reconciliation, since=since, talks=laggard_talks(db, since)),
    }


def trend_lines(trend: pd.DataFrame, targets: dict | None) -> pd.DataFrame:
    """The trend in long form for a chart: day, series (coverage, coverage_16_60 and their targets), value, target."""
    frame = trend[["day", "coverage", "coverage_16_60"]].melt("day", var_name="series", value_name="value")
    frame["target"] = False
    if targets:
        for key in ("coverage", "coverage_16_60"):
            if targets.get(key) is not None and not trend.empty:
                frame = pd.concat([frame, pd.DataFrame({"day": trend["day"], "series": f"target_{key}",
                                                        "value": targets[key], "target": True})])
    return frame.dropna(subset=["value"]).reset_index(drop=True)
