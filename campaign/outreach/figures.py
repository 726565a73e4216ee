"""Outreach figures: reach, coverage and rankings per channel, and the channels' overview over time.

The rules, each tested with exact figures:
- A unit's denominator is its families (class), households (grid), people (enterprise or
  business group); a window counts as one.
- reached per unit: families sent a take-home flyer (class), households visited (grid), people
  reached (enterprise), at most the unit's denominator (a household visited twice is one household);
  for a window, 1 when its latest check shows the QR standee displayed.
- reach = reached ÷ denominator. coverage = installs ÷ denominator, counting the installs of units
  that have a denominator only (same set above and below the line); for windows, coverage is the
  share of windows displaying the QR code. Coverage may pass 100% (a family with several phones):
  allowed, shown and flagged. A zero denominator gives None ("no data"), never a division error.
- Rankings are competition ranks (1, 2, 2, 4) of the higher value; units with no data are not ranked.
"""

import datetime as dt

import pandas as pd

from campaign.infra import clock, settings
from campaign.installs import quota
from campaign.outreach.channels import CHANNEL_OF_TYPE, CHANNELS
from campaign.outreach.entries import townships_of

ALL_CHANNELS = tuple(CHANNELS)
RATE_OF_RANKING = {"schools": "coverage", "grids": "reach", "enterprises": "coverage", "windows": "reach"}


# ---- pure rules --------------------------------------------------------------------------

def share(part, whole):
    """part ÷ whole, or None when the whole is zero or unknown ("no data")."""
    if whole is None or pd.isna(whole) or whole == 0:
        return None
    return float(part) / float(whole)


def with_rates(units: pd.DataFrame, channel: str) -> pd.DataFrame:
    """Per-unit reach, coverage and flags from denominator, reached_raw and installs."""
    frame = units.copy()
    if channel == "windows":
        frame["reached"] = frame["qr_shown"].fillna(0).astype(int)
    else:
        frame["reached"] = frame[["reached_raw", "denominator"]].min(axis=1).clip(lower=0).astype(int)
    frame["counted"] = frame["installs"].where(frame["denominator"] > 0, 0)
    frame["credited"] = frame["reached"] if channel == "windows" else frame["counted"]
    frame["reach"] = [share(r, d) for r, d in zip(frame["reached"], frame["denominator"])]
    frame["coverage"] = [share(c, d) for c, d in zip(frame["credited"], frame["denominator"])]
    frame["over"] = [c is not None and c > 1 for c in frame["coverage"]]
    frame["no_data"] = frame["denominator"] == 0
    return frame


def summarise(units: pd.DataFrame, by=None) -> pd.DataFrame:
    """Sum per-unit figures (from with_rates) over groups `by` (None: one line for all)."""
    frame = units.assign(_all="all", units=1, no_data=units["no_data"].astype(int), over=units["over"].astype(int))
    for optional in ("reached_raw", "flyers", "installs_day"):
        if optional not in frame:
            frame[optional] = 0
    keys = list(by) if by else ["_all"]
    grouped = frame.groupby(keys, sort=False, dropna=False).agg(
        units=("units", "sum"),
        denominator=("denominator", "sum"),
        reached=("reached", "sum"),
        visits=("reached_raw", "sum"),
        flyers=("flyers", "sum"),
        installs=("installs", "sum"),
        installs_day=("installs_day", "sum"),
        credited=("credited", "sum"),
        over_units=("over", "sum"),
        no_data_units=("no_data", "sum"),
    ).reset_index()
    grouped["reach"] = [share(r, d) for r, d in zip(grouped["reached"], grouped["denominator"])]
    grouped["coverage"] = [share(c, d) for c, d in zip(grouped["credited"], grouped["denominator"])]
    grouped["over"] = [c is not None and c > 1 for c in grouped["coverage"]]
    grouped["no_data"] = grouped["denominator"] == 0
    grouped["per_visit"] = [share(i, v) for i, v in zip(grouped["installs"], grouped["visits"])]
    return grouped.drop(columns="_all", errors="ignore")


def rank(frame: pd.DataFrame, value: str, within: str | None = None) -> pd.Series:
    """Competition rank of `value` (higher is better) within each `within` group; None where no data."""
    ranks = pd.Series([None] * len(frame), index=frame.index, dtype="object")
    groups = frame.groupby(within, sort=False, dropna=False) if within else [(None, frame)]
    for _, part in groups:
        rated = part[part[value].notna()]
        if len(rated):
            ranks.loc[rated.index] = quota.competition_rank([round(float(v), 12) for v in rated[value]])
    return ranks.astype("Int64")


def ranked(frame: pd.DataFrame, value: str, within: str | None = None, tiebreak=("installs",)) -> pd.DataFrame:
    """The frame with a rank column, ordered by group, rank (no data last), then tiebreak and name."""
    frame = frame.assign(rank=rank(frame, value, within))
    keys = ([within] if within else []) + ["rank", *tiebreak, "name"]
    ascending = ([True] if within else []) + [True] + [False] * len(tiebreak) + [True]
    return frame.sort_values(keys, ascending=ascending, na_position="last").reset_index(drop=True)


def idle(grids: pd.DataFrame, day: dt.date, days: int) -> pd.DataFrame:
    """Grids with no visit on any of the last `days` days up to `day` (never visited included)."""
    limit = (day - dt.timedelta(days=days)).isoformat()
    last = grids["last_visit"]
    return grids[last.isna() | (last.fillna("") <= limit)].sort_values(["last_visit", "code"], na_position="first")


def push_window(conf: dict) -> tuple[dt.date, dt.date]:
    """The start-of-term push (a setting); by default the campaign's first 14 days."""
    value = conf.get("school_push")
    if value:
        return clock.as_date(value[0]), clock.as_date(value[1])
    start = clock.as_date(conf["start_date"])
    return start, start + dt.timedelta(days=13)


# ---- reading ----------------------------------------------------------------------------

_BASE = {
    "schools": """SELECT u.id AS unit_id, u.code, u.name, c.families AS denominator, c.grade, c.head_teacher,
                         c.phone, s.id AS school_id, s.code AS school_code, s.name AS school, os.school_type
                  FROM units u JOIN outreach_classes c ON c.unit_id = u.id
                  JOIN units s ON s.id = u.parent_id LEFT JOIN outreach_schools os ON os.unit_id = s.id
                  WHERE u.active = 1 AND u.type = 'class' AND s.active = 1""",
    "grids": """SELECT u.id AS unit_id, u.code, u.name, g.households AS denominator, g.workers, g.phone,
                       v.id AS village_id, v.code AS village_code, v.name AS village
                FROM units u JOIN outreach_grids g ON g.unit_id = u.id LEFT JOIN units v ON v.id = u.parent_id
                WHERE u.active = 1 AND u.type = 'grid'""",
    "enterprises": """SELECT u.id AS unit_id, u.code, u.name, e.people AS denominator, e.kind, u.type,
                             r.id AS regulator_id, r.code AS regulator_code, r.name AS regulator,
                             p.id AS park_id, p.code AS park_code, p.name AS park
                      FROM units u JOIN outreach_enterprises e ON e.unit_id = u.id
                      LEFT JOIN units r ON r.id = u.parent_id LEFT JOIN units p ON p.id = e.park_id
                      WHERE u.active = 1 AND u.type IN ('enterprise', 'business_group')""",
    "windows": """SELECT u.id AS unit_id, u.code, u.name, 1 AS denominator, w.window_type, w.location, w.promoters,
                         h.id AS host_id, h.code AS host_code, h.name AS host
                  FROM units u JOIN outreach_windows w ON w.unit_id = u.id LEFT JOIN units h ON h.id = u.parent_id
                  WHERE u.active = 1 AND u.type = 'window'""",
}


def unit_figures(db, channel: str, day=None, conf=None, *, townships=True) -> pd.DataFrame:
    """One row per active unit of the channel with its figures through `day` (from the campaign start),
    with each unit's township unless `townships` is False (walking the whole units tree costs)."""
    day = clock.as_date(day or clock.today())
    conf = conf or settings.get_all(db)
    base = pd.read_sql_query(_BASE[channel], db.conn)
    params = {"start": conf["start_date"], "day": day.isoformat()}
    sums = pd.read_sql_query(
        """SELECT unit_id, SUM(reached) AS reached_sum, SUM(flyers) AS flyers, SUM(installs) AS installs,
                  SUM(CASE WHEN day = :day THEN installs ELSE 0 END) AS installs_day, MAX(day) AS last_report,
                  MAX(CASE WHEN reached > 0 THEN day END) AS last_visit,
                  MAX(CASE WHEN qr_shown IS NOT NULL THEN day END) AS last_check
           FROM outreach_reports WHERE superseded_by IS NULL AND day >= :start AND day <= :day GROUP BY unit_id""",
        db.conn, params=params)
    checks = pd.read_sql_query(
        """SELECT r.unit_id, r.qr_shown, r.flyers_shown FROM outreach_reports r
           JOIN (SELECT unit_id, MAX(day) AS d FROM outreach_reports
                 WHERE superseded_by IS NULL AND qr_shown IS NOT NULL AND day >= :start AND day <= :day GROUP BY unit_id) m
             ON m.unit_id = r.unit_id AND m.d = r.day
           WHERE r.superseded_by IS NULL""",
        db.conn, params=params)
    frame = base.merge(sums, on="unit_id", how="left").merge(checks, on="unit_id", how="left")
    for column in ("reached_sum", "flyers", "installs", "installs_day"):
        frame[column] = frame[column].fillna(0).astype(int)
    frame["denominator"] = frame["denominator"].fillna(0).astype(int)
    frame["reached_raw"] = frame["flyers"] if channel == "schools" else frame["reached_sum"]
    if not townships:
        return with_rates(frame.drop(columns="reached_sum"), channel).sort_values("code").reset_index(drop=True)
    towns = townships_of(db)
    names = {uid: (code, name) for uid, code, name in db.execute("SELECT id, code, name FROM units")}
    frame["township_id"] = frame["unit_id"].map(towns)
    frame["township_code"] = [names.get(t, (None, None))[0] for t in frame["township_id"]]
    frame["township"] = [names.get(t, (None, None))[1] for t in frame["township_id"]]
    return with_rates(frame.drop(columns="reached_sum"), channel).sort_values("code").reset_index(drop=True)


def _named(frame: pd.DataFrame, code: str, name: str) -> pd.DataFrame:
    return frame.rename(columns={code: "code", name: "name"})


def tables(db, channel: str, day=None) -> dict[str, pd.DataFrame]:
    """The channel's figures and rankings, by name (see the module docstring for the rules)."""
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    units = unit_figures(db, channel, day, conf)
    value = RATE_OF_RANKING[channel]
    town = ["township_code", "township"]
    if channel == "schools":
        schools = summarise(units, ["school_code", "school", "school_type", *town])
        return {
            "schools": ranked(_named(schools, "school_code", "school"), value, "school_type"),
            "school_types": ranked(summarise(units, ["school_type"]).assign(name=lambda f: f["school_type"]), value),
            "townships": ranked(_named(summarise(units, town), "township_code", "township"), value),
            "classes": ranked(units, value, "school_code"),
        }
    if channel == "grids":
        grids = ranked(units.assign(visits=units["reached_raw"],
                                    per_visit=[share(i, v) for i, v in zip(units["installs"], units["reached_raw"])]),
                       value, "township_code")
        villages = summarise(units, ["village_code", "village", *town])
        return {
            "grids": grids,
            "villages": ranked(_named(villages, "village_code", "village"), value, "township_code"),
            "townships": ranked(_named(summarise(units, town), "township_code", "township"), value),
            "idle": idle(grids, day, conf["grid_idle_days"]).reset_index(drop=True),
        }
    if channel == "enterprises":
        regulators = summarise(units, ["regulator_code", "regulator"])
        parks = summarise(units[units["park_code"].notna()], ["park_code", "park"])
        return {
            "regulators": ranked(_named(regulators, "regulator_code", "regulator"), value),
            "parks": ranked(_named(parks, "park_code", "park"), value),
            "units": ranked(units, value, "regulator_code"),
        }
    hosts = summarise(units, ["host_code", "host"])
    windows = units.assign(_shown=units["qr_shown"].fillna(0)).sort_values(
        ["_shown", "last_check", "code"], na_position="first").drop(columns="_shown").reset_index(drop=True)
    return {
        "windows": windows,
        "hosts": ranked(_named(hosts, "host_code", "host"), value),
        "townships": ranked(_named(summarise(units, town), "township_code", "township"), value),
    }


def unit_card(db, unit_id: int, day=None) -> dict | None:
    """One channel unit's figures through `day` (for the entry screen), or None if not a channel unit."""
    row = db.execute("SELECT type FROM units WHERE id = ?", [int(unit_id)]).fetchone()
    channel = CHANNEL_OF_TYPE.get(row[0]) if row else None
    if channel is None:
        return None
    units = unit_figures(db, channel, day)
    found = units[units["unit_id"] == int(unit_id)]
    if found.empty:
        return None
    card = found.iloc[0]
    return {"channel": channel, "denominator": int(card["denominator"]), "reached": int(card["reached"]),
            "installs": int(card["installs"]), "reach": card["reach"], "coverage": card["coverage"],
            "over": bool(card["over"]), "no_data": bool(card["no_data"])}


def summary(db, day=None) -> list[dict]:
    """One line per channel: units, denominator, reached, reach, installs, coverage and what needs attention."""
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    present = _channels_with_units(db)
    lines = []
    for channel in ALL_CHANNELS:
        # A channel without a unit has nothing to read (a city running only the staff campaign: issue 9).
        units = unit_figures(db, channel, day, conf, townships=False) if channel in present else _NO_UNITS
        total = summarise(units).iloc[0] if len(units) else None
        line = {
            "channel": channel,
            "date": day.isoformat(),
            "units": int(len(units)),
            "denominator": int(total["denominator"]) if total is not None else 0,
            "reached": int(total["reached"]) if total is not None else 0,
            "installs": int(total["installs"]) if total is not None else 0,
            "installs_on_day": int(total["installs_day"]) if total is not None else 0,
            "reach": _float(total["reach"]) if total is not None else None,
            "coverage": _float(total["coverage"]) if total is not None else None,
            "over_100": int(units["over"].sum()),
            "no_data": int(units["no_data"].sum()),
        }
        if channel == "grids":
            line["idle"] = int(len(idle(units, day, conf["grid_idle_days"]))) if len(units) else 0
        if channel == "windows":
            line["without_qr"] = int((units["reached"] == 0).sum())
        lines.append(line)
    return lines


_NO_UNITS = pd.DataFrame({"over": [], "no_data": [], "reached": []}, dtype=bool)


def _channels_with_units(db) -> set[str]:
    """The channels with at least one active unit of their types (one query over the units)."""
    kinds = list(CHANNEL_OF_TYPE)
    found = db.execute(f"SELECT DISTINCT type FROM units WHERE active = 1 AND type IN ({','.join('?' * len(kinds))})", kinds)
    return {CHANNEL_OF_TYPE[kind] for (kind,) in found}


def _float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def series(db, day=None) -> pd.DataFrame:
    """Installs per channel and day from the campaign start to `day`, with running totals (long form)."""
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    start = clock.as_date(conf["start_date"])
    daily = pd.read_sql_query(
        """SELECT r.day, u.type, SUM(r.installs) AS installs FROM outreach_reports r JOIN units u ON u.id = r.unit_id
           WHERE r.superseded_by IS NULL AND u.active = 1 AND r.day >= ? AND r.day <= ? GROUP BY r.day, u.type""",
        db.conn, params=[start.isoformat(), day.isoformat()])
    daily["channel"] = daily["type"].map(CHANNEL_OF_TYPE)
    days = [d.date() for d in pd.date_range(start, max(day, start), freq="D")]
    grid = pd.MultiIndex.from_product([days, ALL_CHANNELS], names=["day", "channel"]).to_frame(index=False)
    daily = daily.dropna(subset=["channel"]).assign(day=lambda f: pd.to_datetime(f["day"]).dt.date)
    frame = grid.merge(daily.groupby(["day", "channel"], as_index=False)["installs"].sum(), on=["day", "channel"], how="left")
    frame["installs"] = frame["installs"].fillna(0).astype(int)
    frame["cumulative"] = frame.groupby("channel")["installs"].cumsum()
    return frame


def push_figures(db, day=None) -> dict:
    """The start-of-term push: its dates, school installs inside it and their share of all school installs."""
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    start, end = push_window(conf)
    schools = series(db, day)
    schools = schools[schools["channel"] == "schools"]
    inside = int(schools.loc[(schools["day"] >= start) & (schools["day"] <= end), "installs"].sum())
    total = int(schools["installs"].sum())
    return {"start": start, "end": end, "installs": inside, "total": total, "share": share(inside, total),
            "active": start <= day <= end}


def installs_by_township(db, since, until) -> pd.DataFrame:
    """Installs reported through each channel per township between two dates (for reconciliation)."""
    frame = pd.read_sql_query(
        """SELECT r.unit_id, u.type, SUM(r.installs) AS installs FROM outreach_reports r JOIN units u ON u.id = r.unit_id
           WHERE r.superseded_by IS NULL AND r.day >= ? AND r.day <= ? GROUP BY r.unit_id""",
        db.conn, params=[clock.as_date(since).isoformat(), clock.as_date(until).isoformat()])
    towns = townships_of(db)
    names = {uid: (code, name) for uid, code, name in db.execute("SELECT id, code, name FROM units")}
    frame["channel"] = frame["type"].map(CHANNEL_OF_TYPE)
    frame["township_id"] = frame["unit_id"].map(towns)
    frame = frame.dropna(subset=["channel"]).groupby(["township_id", "channel"], as_index=False, dropna=False)["installs"].sum()
    frame["township_code"] = [names.get(t, (None, None))[0] for t in frame["township_id"]]
    frame["township"] = [names.get(t, (None, None))[1] for t in frame["township_id"]]
    return frame[["township_id", "township_code", "township", "channel", "installs"]]


def installs_by_place(db, first_day, last_day) -> dict[str, dict]:
    """{channel: {township unit id (None: outside any township): installs}} over the days given (for reconciliation)."""
    result: dict = {}
    for row in installs_by_township(db, first_day, last_day).itertuples(index=False):
        key = None if pd.isna(row.township_id) else int(row.township_id)
        slot = result.setdefault(str(row.channel), {})
        slot[key] = slot.get(key, 0) + int(row.installs)
    return result
