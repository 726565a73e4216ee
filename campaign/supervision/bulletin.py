"""The daily bulletin (通报): what is posted to the WeChat groups for one date, gathered in one place.

`build(db, day)` collects the figures from the features that own them — quota rankings and the
laggard list (rankings), coverage against the city's targets and the city rank (coverage_report),
outreach per channel (outreach_figures), letters and spot checks (letters, supervision) — into a
Bulletin of plain tables. The renderers (bulletin_render) turn one Bulletin into Excel, PDF and PNG.
"""

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from campaign.coverage import report as coverage_report
from campaign.infra import clock, settings
from campaign.infra.errors import InvalidValue, NotFound
from campaign.installs import rankings
from campaign.outreach import figures as outreach_figures
from campaign.supervision import letters
from campaign.supervision import spot_checks as supervision

GROUPS = ("township", "department")
RANK_COLUMNS = ["rank", "unit", "staff", "quota_total", "installs", "installs_today", "completion", "change",
                "rank_change", "no_report"]
SHORT_COLUMNS = ["group", "rank", "unit", "completion", "change", "installs_today"]
# Each table of the bulletin, in print order: key -> its columns.
TABLES = {
    "city": ["rank", "county", "rate", "rate_16_60", "note"],
    "rank_township": RANK_COLUMNS,
    "rank_department": RANK_COLUMNS,
    "top": SHORT_COLUMNS,
    "bottom": SHORT_COLUMNS,
    "no_report": ["group", "unit", "completion", "installs"],
    "laggards": ["group", "rank", "unit", "completion", "installs", "staff"],
    "outreach": ["channel", "units", "denominator", "reached", "reach", "installs", "installs_on_day", "coverage"],
}


@dataclass
class Bulletin:
    """One day's bulletin: headline figures and its tables (canonical column names, see TABLES)."""

    day: dt.date
    county: str
    campaign: str
    headline: dict
    coverage: dict | None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    series: pd.DataFrame | None = None


def build(db, day=None) -> Bulletin:
    """Gather the bulletin for `day` (default today)."""
    day = clock.as_date(day or clock.today())
    if day > clock.today():
        raise InvalidValue("error.day_future", day=day.isoformat())
    conf = settings.get_all(db)
    table = rankings.unit_ranking(db, day)
    lag = rankings.laggards(db, day)
    progress = rankings.progress(db, day)
    cover = coverage_section(db, day)
    outreach = outreach_section(outreach_figures.summary(db, day))
    tables = {
        "city": city_section(cover),
        **{f"rank_{g}": table.loc[table["group"] == g, RANK_COLUMNS].reset_index(drop=True) for g in GROUPS},
        **top_bottom(table, conf["bulletin_top_n"]),
        "no_report": table.loc[table["no_report"], TABLES["no_report"]].reset_index(drop=True),
        "laggards": lag[TABLES["laggards"]].reset_index(drop=True),
        "outreach": outreach,
    }
    headline = {
        "installs": progress["installs"],
        "installs_day": int(table["installs_today"].sum()),
        "quota_total": progress["quota_total"],
        "completion": progress["completion"],
        "staff": progress["staff"],
        "staff_at_quota": progress["staff_at_quota"],
        "needed_per_day": progress["needed_per_day"],
        "days_left": progress["days_left"],
        "deadline": conf["deadline"],
        "units": len(table),
        "units_no_report": int(table["no_report"].sum()),
        "laggards": len(lag),
        "groups": {g: rankings.group_summary(table, g) for g in GROUPS},
        "outreach_installs": int(outreach["installs"].sum()) if len(outreach) else 0,
        "letters": letters.summary(db, day),
        "supervision": supervision_headline(db, conf),
    }
    return Bulletin(day, conf["county_name"], conf["campaign_name"], headline, cover, tables, progress["series"])


def coverage_section(db, day) -> dict | None:
    """Coverage against the city's targets and the city rank on `day`; None when no population is imported."""
    try:
        report = coverage_report.report(db, day)
    except NotFound:
        return None
    return {
        "as_of": report["as_of"],
        "population": report["population"],
        "registered": report["registered"],
        "coverage": report["coverage"],
        "coverage_16_60": report["coverage_16_60"],
        "estimated": report["coverage_16_60_estimated"],
        "targets": report["targets"],
        "gap": report["gap"],
        "per_day": report["per_day"],
        "city_rank": report["city_rank"],
        "city": report["bulletin"] or [],
    }


def city_section(cover: dict | None) -> pd.DataFrame:
    """The city's counties by coverage as published, with the county's own computed figure marked."""
    rows = [] if cover is None else cover["city"]
    frame = pd.DataFrame(rows, columns=["county", "rate", "rate_16_60", "own", "computed"])
    published = frame[~frame["computed"].astype(bool)]
    ranks = dict(zip(published.index, published["rate"].rank(method="min", ascending=False)))
    frame["rank"] = [None if c else ranks.get(i) for i, c in zip(frame.index, frame["computed"].astype(bool))]
    frame["rank"] = frame["rank"].astype("Int64")
    frame["note"] = ["computed" if c else ("own" if o else "") for c, o in zip(frame["computed"], frame["own"])]
    return frame[TABLES["city"]].reset_index(drop=True)


def top_bottom(table: pd.DataFrame, n: int) -> dict[str, pd.DataFrame]:
    """The best and worst n units of each group (at most half the group each, so the two never overlap)."""
    tops, bottoms = [], []
    for group in GROUPS:
        part = table[table["group"] == group].sort_values(["rank", "installs", "code"], ascending=[True, False, True])
        k = min(n, len(part) // 2)
        tops.append(part.head(k))
        bottoms.append(part.tail(k).iloc[::-1])
    return {
        "top": pd.concat(tops)[SHORT_COLUMNS].reset_index(drop=True),
        "bottom": pd.concat(bottoms)[SHORT_COLUMNS].reset_index(drop=True),
    }


def outreach_section(lines: list[dict]) -> pd.DataFrame:
    """Outreach per channel (outreach_figures.summary lines) as a table."""
    frame = pd.DataFrame(lines, columns=TABLES["outreach"])
    for column in ("units", "denominator", "reached", "installs", "installs_on_day"):
        frame[column] = frame[column].fillna(0).astype(int)
    return frame


def supervision_headline(db, conf) -> dict | None:
    """The latest supervision round: its name, units and staff checked, compliance and units below the mark."""
    rounds = supervision.list_rounds(db)
    rounds = rounds[rounds["checked"] > 0]
    if rounds.empty:
        return None
    latest = rounds.iloc[0]
    flagged = supervision.flagged(db, int(latest["round_id"]), conf=conf)
    return {"round": latest["round"], "day": latest["day"], "units": int(latest["units"]),
            "checked": int(latest["checked"]), "compliant": int(latest["compliant"]), "rate": latest["rate"],
            "flagged": len(flagged), "min_rate": conf["spot_check_min_rate"]}
