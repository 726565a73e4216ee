"""Quota completion and rankings of units and staff, and the campaign's progress over time."""

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from campaign import access, clock, quota, settings, summaries, units

RANKED_TYPES = ("township", "community", "department")


def per_staff(db, day, conf=None, *, unit_id=None) -> pd.DataFrame:
    """Each active person with their quota, installs through `day`, through the day before, and whether reported on `day`."""
    conf = conf or settings.get_all(db)
    day = clock.as_date(day)
    frame = pd.read_sql_query(
        f"""SELECT s.id AS staff_id, s.unit_id, s.name, s.quota AS own_quota,
                  COALESCE(SUM(CASE WHEN r.day <= :day THEN r.installs END), 0) AS installs,
                  COALESCE(SUM(CASE WHEN r.day <= :prev THEN r.installs END), 0) AS installs_prev,
                  COUNT(CASE WHEN r.day = :day THEN 1 END) AS reported
           FROM staff s
           LEFT JOIN install_reports r
             ON r.staff_id = s.id AND r.superseded_by IS NULL AND r.day >= :start AND r.day <= :day
           WHERE s.active = 1{" AND s.unit_id = :unit" if unit_id is not None else ""}
           GROUP BY s.id""",
        db.conn,
        params={"day": day.isoformat(), "prev": (day - dt.timedelta(days=1)).isoformat(), "start": conf["start_date"],
                "unit": unit_id},
    )
    unit_quota = units.effective_quotas(db, conf["default_quota"])
    frame["quota"] = frame["own_quota"].fillna(frame["unit_id"].map(unit_quota)).astype(int)
    return frame.drop(columns="own_quota")


def _rank(staff: pd.DataFrame, column: str, unit_info: pd.DataFrame) -> pd.DataFrame:
    table = quota.unit_completion(staff.assign(installs=staff[column]))
    table = table.merge(unit_info, on="unit_id")
    table["rank"] = quota.rank_within(table, "completion")
    return table


def unit_info(db, county=None) -> pd.DataFrame:
    """Ranked units (optionally only those below one county), with their group."""
    below = units.descendants(db, [county]) if county is not None else None
    rows = [(u.id, u.code, u.name, u.type, u.group) for u in units.list_units(db, types=RANKED_TYPES)
            if below is None or u.id in below]
    return pd.DataFrame(rows, columns=["unit_id", "code", "unit", "type", "group"])


def counties(db) -> list:
    """The counties of the units tree; more than one means a city-scale database."""
    return units.list_units(db, types=("county",))


def unit_ranking_from_raw(db, day=None) -> pd.DataFrame:
    """Reference for unit_ranking: the same table computed from the raw install reports (slow at city scale)."""
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    staff = per_staff(db, day, conf)
    info = unit_info(db)
    today = _rank(staff, "installs", info)
    before = _rank(staff, "installs_prev", info)[["unit_id", "completion", "rank", "installs"]]
    before.columns = ["unit_id", "completion_prev", "rank_prev", "installs_prev"]
    reported = staff.groupby("unit_id")["reported"].sum().rename("reports_today")
    table = today.merge(before, on="unit_id").merge(reported, on="unit_id")
    return _with_changes(table)


def staff_ranking(db, actor, unit_id: int, day=None) -> pd.DataFrame:
    """One unit's people ranked by installs against their quota (refused outside the actor's scope)."""
    access.require_details(db, actor, unit_id)
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    unit_quota = units.effective_quota(db, unit_id, conf["default_quota"])
    people = summaries.staff_through(db, unit_id, day.isoformat(), conf["start_date"])
    ranks = quota.competition_rank([p[4] for p in people])
    order = sorted(range(len(people)), key=lambda i: (ranks[i], people[i][1]))  # stable: ties stay by id
    installs = np.array([people[i][4] for i in order], dtype=np.int64)
    quotas = np.array([people[i][3] if people[i][3] is not None else unit_quota for i in order], dtype=np.int64)
    return pd.DataFrame({
        "rank": np.array([ranks[i] for i in order], dtype=np.int64),
        "staff_id": np.array([people[i][0] for i in order], dtype=np.int64),
        "name": pd.array([people[i][1] for i in order], dtype=_STR),
        "installs": installs,
        "quota": quotas,
        "completion": np.minimum(installs / quotas, 1.0),
        "installs_today": installs - np.array([people[i][5] for i in order], dtype=np.int64),
    })


def staff_ranking_from_raw(db, actor, unit_id: int, day=None) -> pd.DataFrame:
    """Reference for staff_ranking, from the raw install reports (slow for a large unit)."""
    access.require_details(db, actor, unit_id)
    day = clock.as_date(day or clock.today())
    staff = per_staff(db, day, unit_id=unit_id)
    staff = staff[staff["unit_id"] == unit_id].copy()
    staff["completion"] = (staff["installs"] / staff["quota"]).clip(upper=1.0)
    staff["rank"] = quota.competition_rank(list(staff["installs"]))
    staff["installs_today"] = staff["installs"] - staff["installs_prev"]
    staff = staff.sort_values(["rank", "name"])
    return staff[["rank", "staff_id", "name", "installs", "quota", "completion", "installs_today"]].reset_index(drop=True)


def laggards_from_raw(db, day=None) -> pd.DataFrame:
    """Reference for laggards, from the raw install reports."""
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    n, days = conf["laggard_bottom"], conf["laggard_days"]
    info = unit_info(db)
    bottoms = []
    for back in range(days - 1, -1, -1):
        staff = per_staff(db, day - dt.timedelta(days=back), conf)
        bottoms.append(quota.bottom(_rank(staff, "installs", info), n))
    hit = quota.laggards(bottoms, days)
    table = unit_ranking_from_raw(db, day)
    return table[table["unit_id"].isin(hit)].reset_index(drop=True)


def progress_from_raw(db, day=None) -> dict:
    """Reference for progress, from the raw install reports."""
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    start, deadline = clock.as_date(conf["start_date"]), clock.as_date(conf["deadline"])
    staff = per_staff(db, day, conf)
    quota_total = int(staff["quota"].sum())
    reports = pd.read_sql_query(
        """SELECT r.staff_id, r.day, r.installs FROM install_reports r JOIN staff s ON s.id = r.staff_id
           WHERE s.active = 1 AND r.superseded_by IS NULL AND r.day >= ? AND r.day <= ? ORDER BY r.staff_id, r.day""",
        db.conn,
        params=[start.isoformat(), day.isoformat()],
        dtype={"installs": "int64"},  # typed even when no report exists yet (an empty frame's cumsum fails otherwise)
    )
    # Credited installs per day: each person's running total counts only up to their quota.
    reports["quota"] = reports["staff_id"].map(staff.set_index("staff_id")["quota"])
    running = reports.groupby("staff_id")["installs"].cumsum()
    credited_running = running.clip(upper=reports["quota"])
    reports["credited"] = credited_running - credited_running.groupby(reports["staff_id"]).shift(fill_value=0)
    daily = reports.groupby("day")[["installs", "credited"]].sum().reset_index()
    days = pd.date_range(start, max(day, start), freq="D")
    series = pd.DataFrame({"day": days.date})
    series = series.merge(daily.assign(day=pd.to_datetime(daily["day"]).dt.date), on="day", how="left").fillna(0)
    series["installs"] = series["installs"].astype(int)
    series["cumulative"] = series["installs"].cumsum()
    series["credited"] = series["credited"].astype(int).cumsum()
    span = max((deadline - start).days + 1, 1)
    series["pace"] = [round(quota_total * min((d - start).days + 1, span) / span) for d in series["day"]]
    credited = int(staff[["installs", "quota"]].min(axis=1).sum())
    remaining = int((staff["quota"] - staff["installs"]).clip(lower=0).sum())
    return {
        "series": series,
        "quota_total": quota_total,
        "installs": int(staff["installs"].sum()),
        "completion": credited / quota_total if quota_total else None,
        "remaining": remaining,
        "needed_per_day": quota.needed_per_day(remaining, day, deadline),
        "days_left": max((deadline - day).days + 1, 0),
        "staff_at_quota": int((staff["installs"] >= staff["quota"]).sum()),
        "staff": len(staff),
    }


def group_summary(table: pd.DataFrame, group: str) -> dict:
    """A group's units, credited completion and units without a report, from a unit_ranking table."""
    part = table[table["group"] == group]
    quota_total = part["quota_total"].sum()
    credited = (part["completion"] * part["quota_total"]).sum()
    return {
        "units": len(part),
        "completion": float(credited / quota_total) if quota_total else None,
        "no_report": int(part["no_report"].sum()),
    }


# ---- from the maintained summaries (issue 9): what every page reads --------------------------
# Plain numpy over one row per unit: a city has ~2,000 units, and pandas merges and group-bys
# cost more than the summary reads themselves.

def _through(db, day: dt.date, county=None, back: int = 1) -> tuple[dict, dict]:
    """The ranked units (of one county, when given) with their totals, and from the summaries:
    "day": (installs, credited, at_quota, reports on the day) through `day`, "prev": (installs, credited)
    through the day before, and "credited": {d: credited through d} for the `back` days before `day`."""
    held = summaries.unit_totals(db, RANKED_TYPES, county)
    first_held, last_held = summaries.day_span(db)
    prev, first = day - dt.timedelta(days=1), day - dt.timedelta(days=back)
    # Through a day = all days minus the later ones, or the days since the start: whichever reads fewer rows.
    backward = last_held is None or (clock.as_date(last_held) - first) <= (day - clock.as_date(first_held))
    if backward:
        only_day = last_held is None or last_held <= day.isoformat()  # then every row read is the day's own
        late = summaries.unit_days(db, prev.isoformat(), "9999-12-31", county,
                                   [c for c in summaries.DAY_COLUMNS if c != "day" or not only_day])
        if only_day:
            late["day"] = np.full(len(late["unit_id"]), int(day.strftime("%Y%m%d")), dtype=np.int64)
        parts = [_Rows(held, late)]
        if back > 1:  # the days before that: only credited is asked for them (and their day, if more than one)
            early = summaries.unit_days(db, first.isoformat(), prev.isoformat(), county,
                                        ("unit_id", "credited") + (("day",) if back > 2 else ()))
            if back == 2:
                early["day"] = np.full(len(early["unit_id"]), int(prev.strftime("%Y%m%d")), dtype=np.int64)
            parts.append(_Rows(held, early))
    else:
        parts = [_Rows(held, summaries.unit_days(db, "", day.isoformat(), county))]

    def through(on: dt.date, column: str) -> np.ndarray:
        key = int(on.strftime("%Y%m%d"))
        if not backward:
            return parts[0].sum(column, lambda d: d <= key)
        return held[column] - sum(part.sum(column, lambda d: d > key) for part in parts if column in part.rows)

    on_day = int(day.strftime("%Y%m%d"))
    return held, {
        "day": (*(through(day, c) for c in ("installs", "credited", "at_quota")), parts[0].sum("reports", lambda d: d == on_day)),
        "prev": (through(prev, "installs"), through(prev, "credited")),
        "credited": {prev - dt.timedelta(days=k): through(prev - dt.timedelta(days=k), "credited") for k in range(back)},
    }


class _Rows:
    """Per-unit day rows placed against the held units (rows of units not held are left out)."""

    def __init__(self, held: dict, rows: dict):
        ids, n = held["unit_id"], len(held["unit_id"])
        self.rows, self.n = rows, n
        order = np.argsort(ids)
        if n:
            self.at = order[np.minimum(np.searchsorted(ids, rows["unit_id"], sorter=order), n - 1)]
            self.known = ids[self.at] == rows["unit_id"]
        else:
            self.at, self.known = rows["unit_id"], np.zeros(len(rows["unit_id"]), dtype=bool)

    def sum(self, column: str, on) -> np.ndarray:
        """Per held unit, the sum of `column` over its rows whose day satisfies `on`."""
        mask = self.known & on(self.rows["day"])
        return np.bincount(self.at[mask], weights=self.rows[column][mask], minlength=self.n).astype(np.int64)


def _ranks(completion: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Competition ranks (1, 2, 2, 4) of completion, higher first, within each group (integer codes)."""
    ranks = np.zeros(len(completion), dtype=np.int64)
    rounded = np.round(completion, 12)
    for group in range(int(groups.max()) + 1 if len(groups) else 0):
        where = np.flatnonzero(groups == group)
        values = rounded[where]
        ranks[where] = len(values) - np.searchsorted(np.sort(values), values, side="right") + 1
    return ranks


def _table(held: dict, today: tuple, before: tuple, only=None) -> pd.DataFrame:
    """The unit ranking table (see unit_ranking) from the figures through the day and the day before
    (ranked among every held unit; only the units in `only`, when given, are shown)."""
    names, groups = held["group"], held["group_code"]
    installs, credited, at_quota, reports = today
    completion = credited / held["quota_total"]
    completion_prev = before[1] / held["quota_total"]
    rank, rank_prev = _ranks(completion, groups), _ranks(completion_prev, groups)
    shown = np.arange(len(groups)) if only is None else np.flatnonzero(np.isin(held["unit_id"], list(only)))
    codes = held["code"].take(pa.array(shown, type=pa.int64()))
    code_order = pc.rank(codes, sort_keys="ascending", tiebreaker="dense").to_numpy() if len(shown) else shown
    order = shown[np.lexsort((code_order, -installs[shown], rank[shown], groups[shown]))]
    columns = {
        "unit_id": held["unit_id"], "code": held["code"], "unit": held["name"], "type": held["type"], "group": names,
        "rank": rank, "staff": held["staff"], "quota_total": held["quota_total"], "installs": installs,
        "completion": completion, "at_quota": at_quota, "installs_today": installs - before[0],
        "change": completion - completion_prev, "rank_change": rank_prev - rank, "no_report": reports == 0,
    }
    return pd.DataFrame({name: values[order] if isinstance(values, np.ndarray) else _text(values, order)
                         for name, values in columns.items()})


_STR = pd.Series([""]).dtype  # pandas' default text dtype (arrow-backed where pyarrow is installed, as Streamlit needs it)


def _text(values: pa.Array, order: np.ndarray):
    """An arrow text column in `order`, as pandas' text (no Python object per cell when pandas keeps text in arrow)."""
    picked = values.take(pa.array(order, type=pa.int64()))
    if getattr(_STR, "storage", None) == "pyarrow":
        return pd.arrays.ArrowStringArray(picked.cast(pa.large_string()), dtype=_STR)
    return pd.array(picked.to_pylist(), dtype=_STR)


def unit_ranking(db, day=None, county=None) -> pd.DataFrame:
    """Units ranked by quota completion within their group (of one county, when given), with the change since the day before."""
    day = clock.as_date(day or clock.today())
    held, figures = _through(db, day, county)
    return _table(held, figures["day"], figures["prev"])


def _bottom(held: dict, groups: np.ndarray, credited: np.ndarray, n: int) -> set:
    """quota.bottom on numpy columns: the worst n of each group larger than n, never a unit at 100%."""
    completion = credited / held["quota_total"]
    rank = _ranks(completion, groups)
    hit = set()
    for group in range(int(groups.max()) + 1 if len(groups) else 0):
        where = np.flatnonzero(groups == group)
        if len(where) <= n:
            continue
        threshold = np.sort(rank[where])[::-1][n - 1]
        chosen = where[(rank[where] >= threshold) & (completion[where] < 1)]
        hit |= {int(uid) for uid in held["unit_id"][chosen]}
    return hit


def laggards(db, day=None, county=None) -> pd.DataFrame:
    """Units in the bottom N of their group on each of the last D days (the bulletin's 约谈 list)."""
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    n, days = conf["laggard_bottom"], conf["laggard_days"]
    held, figures = _through(db, day, county, back=max(days - 1, 1))
    credited = {**figures["credited"], day: figures["day"][1]}
    recent = [day - dt.timedelta(days=back) for back in range(days - 1, -1, -1)]  # oldest first
    hit = quota.laggards([_bottom(held, held["group_code"], credited[d], n) for d in recent], days)
    return _table(held, figures["day"], figures["prev"], only=hit)


def progress(db, day=None) -> dict:
    """Campaign completion day by day (installs, and installs credited up to each quota) against
    the straight pace that meets every quota by the deadline."""
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    start, deadline = clock.as_date(conf["start_date"]), clock.as_date(conf["deadline"])
    totals = summaries.campaign_totals(db, day.isoformat())
    daily = {d: (i, c) for d, i, c in summaries.campaign_days(db, start.isoformat(), day.isoformat())}
    quota_total = int(totals["quota_total"])
    span = max((deadline - start).days + 1, 1)
    dates = [start + dt.timedelta(days=k) for k in range((max(day, start) - start).days + 1)]
    figures = np.array([daily.get(d.isoformat(), (0, 0)) for d in dates], dtype=np.int64).reshape(len(dates), 2)
    series = pd.DataFrame({
        "day": np.array(dates, dtype=object),
        "installs": figures[:, 0],
        "credited": figures[:, 1].cumsum(),
        "cumulative": figures[:, 0].cumsum(),
        "pace": np.array([round(quota_total * min(k + 1, span) / span) for k in range(len(dates))], dtype=np.int64),
    })
    remaining = quota_total - int(totals["credited"])
    return {
        "series": series,
        "quota_total": quota_total,
        "installs": int(totals["installs"]),
        "completion": totals["credited"] / quota_total if quota_total else None,
        "remaining": remaining,
        "needed_per_day": quota.needed_per_day(remaining, day, deadline),
        "days_left": max((deadline - day).days + 1, 0),
        "staff_at_quota": int(totals["at_quota"]),
        "staff": int(totals["staff"]),
    }


def _with_changes(table: pd.DataFrame) -> pd.DataFrame:
    """Add the day-over-day change columns to a ranked table and order it for display."""
    table["change"] = table["completion"] - table["completion_prev"]
    table["installs_today"] = table["installs"] - table["installs_prev"]
    table["rank_change"] = table["rank_prev"] - table["rank"]
    table["no_report"] = table["reports_today"] == 0
    table = table.sort_values(["group", "rank", "installs", "code"], ascending=[False, True, False, True])
    columns = ["unit_id", "code", "unit", "type", "group", "rank", "staff", "quota_total", "installs",
               "completion", "at_quota", "installs_today", "change", "rank_change", "no_report"]
    return table[columns].reset_index(drop=True)
