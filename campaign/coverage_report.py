"""The coverage report: registered ÷ active population on a day, the trend, targets, gaps, pace and city rank.

`report(db, as_of)` is what the CLI prints as JSON and what the overview shows.
"""

import datetime as dt

import pandas as pd

from campaign import clock, settings
from campaign import coverage as rules
from campaign import coverage_store as store
from campaign.errors import NotFound


TREND_COLUMNS = ["day", "registered", "coverage", "registered_16_60", "coverage_16_60", "estimated"]


def _population(db, conf):
    version = store.active_version(db, conf)
    if version is None:
        raise NotFound("coverage.no_population")
    rows = store.population_rows(db, version.id)
    return version, rows, rules.summarize(rows)


def trend(db, as_of=None, *, conf=None) -> pd.DataFrame:
    """Per snapshot day up to as_of: registered and coverage, total and 16–60 (estimated flag)."""
    conf = conf or settings.get_all(db)
    _, rows, sums = _population(db, conf)
    records = []
    for day, registered in sorted(store.registration_rows(db, until=as_of or clock.today()).items()):
        total, _, _ = rules.compute(rows, registered, population_sums=sums)
        records.append({"day": day, "registered": rules.number(total.registered), "coverage": total.coverage,
                        "registered_16_60": rules.number(total.registered_16_60),
                        "coverage_16_60": total.coverage_16_60, "estimated": total.estimated})
    return pd.DataFrame(records, columns=TREND_COLUMNS)


def targets(conf: dict) -> dict | None:
    """The city's targets from settings (the deadline falls back to the campaign's), or None when unset."""
    if conf.get("target_coverage") is None and conf.get("target_coverage_16_60") is None:
        return None
    return {"coverage": conf.get("target_coverage"), "coverage_16_60": conf.get("target_coverage_16_60"),
            "deadline": conf.get("target_deadline") or conf["deadline"]}


def report(db, as_of=None) -> dict:
    """Every coverage figure on a day (the latest snapshot on or before it), ready for JSON.

    Raises NotFound("coverage.no_population") when no population has been imported.
    """
    return build(db, as_of)[0]


def build(db, as_of=None) -> tuple[dict, pd.DataFrame]:
    """The report and the trend it was computed from (see report)."""
    conf = settings.get_all(db)
    requested = clock.as_date(as_of or clock.today())
    version, rows, sums = _population(db, conf)
    day = store.latest_snapshot(db, requested)
    registered = store.registration_rows(db, since=day, until=day).get(day, []) if day else []
    total, townships, unknown = rules.compute(rows, registered, population_sums=sums)
    goal = targets(conf)
    series = trend(db, day, conf=conf) if day else pd.DataFrame(columns=TREND_COLUMNS)
    result = {
        "as_of": day and day.isoformat(),
        "requested": requested.isoformat(),
        "population_version": {"id": version.id, "year": version.year, "source": version.source,
                               "kind": version.kind},
        **total.as_dict(),
        "townships": _townships(townships, goal),
        "unknown_townships": unknown,
        "targets": goal,
        "gap": None, "per_day": None, "pace": None, "reach": None,
    }
    if goal is not None:
        deadline = clock.as_date(goal["deadline"])
        gaps = {
            "coverage": rules.gap_persons(goal["coverage"], total.population, total.registered),
            "coverage_16_60": rules.gap_persons(goal["coverage_16_60"], total.population_16_60, total.registered_16_60),
        }
        result["gap"] = gaps
        result["per_day"] = {k: rules.per_day(v, day, deadline) if day else None for k, v in gaps.items()}
    speeds = {
        "coverage": rules.pace(list(zip(series["day"], series["registered"])), day) if day else None,
        "coverage_16_60": rules.pace(list(zip(series["day"], series["registered_16_60"])), day) if day else None,
    }
    result["pace"] = {k: None if v is None else float(v) for k, v in speeds.items()}
    if result["gap"] is not None:
        result["reach"] = {}
        for key, gap in result["gap"].items():
            status, when = rules.reach_date(gap, speeds[key], day) if day else ("no_data", None)
            result["reach"][key] = {"status": status, "date": when and when.isoformat(),
                                    "after_deadline": bool(when and when > clock.as_date(goal["deadline"]))}
    bulletin_day, peers = store.peer_bulletin(db, requested)
    rank = rules.city_rank(peers, conf["county_name"], total.coverage, total.coverage_16_60)
    result["city_rank"] = rank and {**rank, "bulletin": bulletin_day.isoformat()}
    result["bulletin"] = _bulletin(peers, conf["county_name"], total) if peers else None
    return result, series


def _townships(townships: dict, goal: dict | None) -> list[dict]:
    """Townships ranked by 16–60 coverage, then total coverage; "no data" last."""
    items = []
    for name, figures in townships.items():
        item = {"township": name, **figures.as_dict()}
        if goal is not None:
            item["gap_16_60"] = rules.gap_persons(goal["coverage_16_60"], figures.population_16_60, figures.registered_16_60)
        items.append(item)
    items.sort(key=lambda i: (i["coverage_16_60"] is None, -(i["coverage_16_60"] or 0), -(i["coverage"] or 0), i["township"]))
    ranks = rules.competition_rank_desc([i["coverage_16_60"] for i in items])
    for item, rank in zip(items, ranks):
        item["rank"] = rank
    return items


def _bulletin(peers, own_name: str, total) -> list[dict]:
    """The city's counties as published, the county's own row marked, with today's computed figure beside it."""
    key = rules.county_key(own_name)
    rows = [{"county": county, "rate": r, "rate_16_60": r1660, "own": rules.county_key(county) == key,
             "computed": False} for county, r, r1660 in peers]
    rows.append({"county": own_name, "rate": total.coverage, "rate_16_60": total.coverage_16_60, "own": True,
                 "computed": True})
    rows.sort(key=lambda r: (r["rate"] is None, -(r["rate"] or 0), r["computed"]))
    return rows


def report_day(db, as_of=None) -> dt.date | None:
    """The snapshot day a report on `as_of` would use."""
    return store.latest_snapshot(db, as_of or clock.today())
