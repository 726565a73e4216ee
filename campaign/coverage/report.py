"""The coverage report: registered ÷ active population on a day, the trend, targets, gaps, pace and city rank.

`report(db, as_of)` is what the CLI prints as JSON and what the overview shows.
"""

import datetime as dt

import pandas as pd

from campaign.coverage import rules, store
from campaign.infra import clock, settings
from campaign.infra.errors import NotFound

TREND_COLUMNS = ["day", "registered", "coverage", "registered_16_60", "coverage_16_60", "estimated"]


def _version(db, conf):
    version = store.active_version(db, conf)
    if version is None:
        raise NotFound("coverage.no_population")
    return version


def trend(db, as_of=None, *, conf=None) -> pd.DataFrame:
    """Per snapshot day up to as_of: registered and coverage, total and 16–60 (estimated flag)."""
    version = _version(db, conf or settings.get_all(db))
    return pd.DataFrame(_trend(db, version, as_of or clock.today()), columns=TREND_COLUMNS)


def _trend(db, version, until, people=None) -> dict[str, list]:
    """The trend's columns: the day totals kept for the population version, or for a county (people: its
    townships' population sums) the totals of its townships' registrations."""
    if people is None:
        days = store.day_totals(db, version.id, until)
    else:
        days, cache = [], {}
        for day, present, registered, registered_16_60, estimated in store.registration_totals_by_day(db, people, until):
            both = tuple(name for name in people if name in present)
            total = rules.total_over(people, both, (registered, registered_16_60, estimated), cache)
            days.append((day, total.population, total.population_16_60, total.registered, total.registered_16_60,
                         total.estimated))
    columns = {name: [] for name in TREND_COLUMNS}
    for day, population, pop_range, registered, reg_range, estimated in days:
        for name, value in zip(TREND_COLUMNS, (day, registered, rules.rate(registered, population), rules.number(reg_range),
                                               rules.rate(reg_range, pop_range), estimated)):
            columns[name].append(value)
    return columns


def targets(conf: dict) -> dict | None:
    """The city's targets from settings (the deadline falls back to the campaign's), or None when unset."""
    if conf.get("target_coverage") is None and conf.get("target_coverage_16_60") is None:
        return None
    return {"coverage": conf.get("target_coverage"), "coverage_16_60": conf.get("target_coverage_16_60"),
            "deadline": conf.get("target_deadline") or conf["deadline"]}


def report(db, as_of=None, county=None) -> dict:
    """Every coverage figure on a day (the latest snapshot on or before it), ready for JSON.

    county: a county unit's id in a city-scale database: only the townships under it count.
    Raises NotFound("coverage.no_population") when no population has been imported.
    """
    return _build(db, as_of, county)[0]


def build(db, as_of=None, county=None) -> tuple[dict, pd.DataFrame]:
    """The report and the trend it was computed from (see report)."""
    result, columns = _build(db, as_of, county)
    return result, pd.DataFrame(columns, columns=TREND_COLUMNS)


def _build(db, as_of, county) -> tuple[dict, dict[str, list]]:
    conf = settings.get_all(db)
    requested = clock.as_date(as_of or clock.today())
    version = _version(db, conf)
    day = store.latest_snapshot(db, requested)
    name, inside = conf["county_name"], None
    if county is not None:  # one county of a city: its townships, its trend
        name, inside = store.county_scope(db, county, set(store.version_townships(db, version.id)))
    sums = store.population_sums(db, version.id, inside)
    registered = store.registration_sums(db, day, inside) if day else {}
    people = None if county is None else sums
    total, townships, unknown = rules.combine(sums, registered)
    goal = targets(conf)
    columns = _trend(db, version, day, people) if day else {column: [] for column in TREND_COLUMNS}
    result = {
        "county": name,
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
        "coverage": rules.pace(list(zip(columns["day"], columns["registered"])), day) if day else None,
        "coverage_16_60": rules.pace(list(zip(columns["day"], columns["registered_16_60"])), day) if day else None,
    }
    result["pace"] = {k: None if v is None else float(v) for k, v in speeds.items()}
    if result["gap"] is not None:
        result["reach"] = {}
        for key, gap in result["gap"].items():
            status, when = rules.reach_date(gap, speeds[key], day) if day else ("no_data", None)
            result["reach"][key] = {"status": status, "date": when and when.isoformat(),
                                    "after_deadline": bool(when and when > clock.as_date(goal["deadline"]))}
    bulletin_day, peers = store.peer_bulletin(db, requested)
    rank = rules.city_rank(peers, name, total.coverage, total.coverage_16_60)
    result["city_rank"] = rank and {**rank, "bulletin": bulletin_day.isoformat()}
    result["bulletin"] = _bulletin(peers, name, total) if peers else None
    return result, columns


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
