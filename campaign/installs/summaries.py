"""Per-unit install summaries kept in step with every write, so rankings never scan install_reports.

Completion is capped per person (Σ min(installs, quota) ÷ Σ quota), so the summaries hold, per unit
and day, the change that day brings to the unit's figures: installs reported, installs *credited*
(a person's running total counted only up to their quota), people reaching their quota that day,
and reports. Summing a unit's days through D gives its figures through D; `install_unit_totals`
holds the sum over all days, so today's ranking reads one row per unit plus today's deltas.

A write for (person, day) can change that person's credited figures on later days too (where the
running total crosses the quota), so `apply_reports` recomputes the touched people's contributions
(≤ one row per day each) before and after the write and adds the differences, in the same
transaction. An import (`campaign.installs.bulk.apply_import`) does the same for all its people at once in
numpy (`contributions_of`), from each person's first day in the file. Changes of quotas, active
flags, the unit tree or the start date rebuild everything.
"""

import datetime as dt
import json

import numpy as np
import pyarrow as pa

from campaign.infra import clock, settings
from campaign.org import units

FIGURES = ("installs", "credited", "at_quota", "reports")


# ---- who counts with which quota ---------------------------------------------------------

def _load_people(db, staff_ids=None) -> None:
    """TEMP table _sq(staff_id, unit_id, quota): the active people (all, or those given) and their quotas."""
    conf = settings.get_all(db)
    # base: a person's running total before the days a write can change (0 for a rebuild); had: a totals row
    db.execute("CREATE TEMP TABLE IF NOT EXISTS _sq (staff_id INTEGER PRIMARY KEY, unit_id INTEGER, quota INTEGER,"
               " base INTEGER NOT NULL DEFAULT 0, had INTEGER NOT NULL DEFAULT 0)")
    db.execute("DELETE FROM temp._sq")
    sql = "SELECT id, unit_id, quota FROM staff WHERE active = 1"
    if staff_ids is None:
        rows = db.execute(sql).fetchall()
        unit_quota = units.effective_quotas(db, conf["default_quota"])
    else:
        ids, rows = sorted(set(staff_ids)), []
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            rows += db.execute(sql + f" AND id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        # A save touches a unit or a few: their quotas alone, not the whole city's tree (issue 21).
        unit_ids = {uid for _, uid, own in rows if own is None}
        unit_quota = (units.effective_quotas(db, conf["default_quota"]) if len(unit_ids) > 20 else
                      {uid: units.effective_quota(db, uid, conf["default_quota"]) for uid in unit_ids})
    db.conn.executemany(
        "INSERT INTO temp._sq (staff_id, unit_id, quota) VALUES (?, ?, ?)",
        ((sid, uid, own if own is not None else unit_quota.get(uid, conf["default_quota"])) for sid, uid, own in rows),
    )
    return conf


# Each current report's contribution from a day on: installs, credited = min(run, quota) − min(run before,
# quota), and 1 in at_quota on the day the running total first reaches the quota (run starts at the base).
_CONTRIBUTIONS = """
    SELECT unit_id, day, SUM(installs), SUM(MIN(run, quota) - MIN(run - installs, quota)),
           SUM(run >= quota AND run - installs < quota), COUNT(*)
    FROM (SELECT q.unit_id, r.day, r.installs, q.quota,
                 q.base + SUM(r.installs) OVER (PARTITION BY r.staff_id ORDER BY r.day ROWS UNBOUNDED PRECEDING) AS run
          FROM temp._sq q CROSS JOIN install_reports r ON r.staff_id = q.staff_id  -- CROSS: the people outer, seeking their rows
          WHERE r.superseded_by IS NULL AND r.day >= ?)
    GROUP BY unit_id, day
"""


def _contributions(db, since: str) -> dict:
    return {(uid, day): figures for uid, day, *figures in db.execute(_CONTRIBUTIONS, [since])}


# ---- rebuild and incremental upkeep ------------------------------------------------------

def rebuild(db) -> None:
    """Recompute every summary from the raw rows (runs inside the caller's transaction, if any)."""
    conf = _load_people(db)
    db.execute("DELETE FROM install_unit_days")
    db.execute("DELETE FROM install_days")
    db.execute("DELETE FROM install_unit_totals")
    db.execute(f"INSERT INTO install_unit_days (unit_id, day, {', '.join(FIGURES)}) " + _CONTRIBUTIONS, [conf["start_date"]])
    db.execute(
        """INSERT INTO install_days (day, installs, credited, at_quota, reports)
           SELECT day, SUM(installs), SUM(credited), SUM(at_quota), SUM(reports) FROM install_unit_days GROUP BY day"""
    )
    db.execute(
        """INSERT INTO install_unit_totals (unit_id, staff, quota_total, installs, credited, at_quota)
           SELECT q.unit_id, q.staff, q.quota_total, COALESCE(d.installs, 0), COALESCE(d.credited, 0), COALESCE(d.at_quota, 0)
           FROM (SELECT unit_id, COUNT(*) AS staff, SUM(quota) AS quota_total FROM temp._sq GROUP BY unit_id) q
           LEFT JOIN (SELECT unit_id, SUM(installs) AS installs, SUM(credited) AS credited, SUM(at_quota) AS at_quota
                      FROM install_unit_days GROUP BY unit_id) d ON d.unit_id = q.unit_id"""
    )
    refresh_staff_totals(db, conf["start_date"])
    db.execute("DELETE FROM temp._sq")


class Tracker:
    """Before a write: the touched people's contributions; after it: add the differences to the summaries.

    A write from day D on (`since`) changes contributions on D and later only, and leaves each person's
    running total before D alone: that base is read once (their counted total less what D and later hold),
    so only the rows from D on are read, before and after (issue 21: a save's transaction is short)."""

    def __init__(self, db, staff_ids, since: str = ""):
        self.db = db
        self.conf = _load_people(db, staff_ids)
        self.since = max(since, self.conf["start_date"])
        db.execute(
            """UPDATE temp._sq SET
                 had = EXISTS (SELECT 1 FROM install_staff_totals t WHERE t.staff_id = _sq.staff_id),
                 base = COALESCE((SELECT installs FROM install_staff_totals t WHERE t.staff_id = _sq.staff_id), 0)
                        - COALESCE((SELECT SUM(r.installs) FROM install_reports r WHERE r.staff_id = _sq.staff_id
                                    AND r.superseded_by IS NULL AND r.day >= ?), 0)""",
            [self.since],
        )
        self.before = _contributions(db, self.since)

    def apply(self) -> None:
        db = self.db
        after = _contributions(db, self.since)
        diffs = {}
        for key in self.before.keys() | after.keys():
            old, new = self.before.get(key, (0, 0, 0, 0)), after.get(key, (0, 0, 0, 0))
            diff = tuple(n - o for n, o in zip(new, old))
            if any(diff):
                diffs[key] = diff
        db.execute("DELETE FROM install_staff_totals WHERE staff_id IN (SELECT staff_id FROM temp._sq)")
        db.execute(
            """INSERT INTO install_staff_totals (staff_id, installs)
               SELECT staff_id, base + COALESCE(later, 0) FROM
                 (SELECT q.staff_id, q.base, q.had, (SELECT SUM(r.installs) FROM install_reports r WHERE r.staff_id = q.staff_id
                         AND r.superseded_by IS NULL AND r.day >= ?) AS later FROM temp._sq q)
               WHERE had OR later IS NOT NULL""",
            [self.since],
        )
        db.execute("DELETE FROM temp._sq")
        add_differences(db, [(uid, day, *diff) for (uid, day), diff in diffs.items()])


def refresh_staff_totals(db, start: str) -> None:
    """install_staff_totals for every active person (in temp._sq): each one's counted installs (current
    reports from the campaign start), recomputed from the raw rows."""
    db.execute("DELETE FROM install_staff_totals")
    # One scan of the reports is faster than seeking 100,000 people's rows one person at a time.
    db.execute("INSERT INTO install_staff_totals (staff_id, installs) SELECT r.staff_id, SUM(r.installs)"
               " FROM install_reports r NOT INDEXED JOIN temp._sq q ON q.staff_id = r.staff_id"
               " WHERE r.superseded_by IS NULL AND r.day >= ? GROUP BY r.staff_id", [start])


def add_staff_installs(db, staff_id, change) -> None:
    """Add changes of counted installs (numpy staff_id, change per report written; reports before the
    campaign start left out) to the active people's totals in install_staff_totals (a bulk write's upkeep)."""
    ids, where = np.unique(np.asarray(staff_id, dtype=np.int64), return_inverse=True)
    sums = np.bincount(where.ravel(), weights=np.asarray(change, dtype=np.int64), minlength=len(ids)).astype(np.int64)
    # Staged, then one set-based upsert: 4× cheaper than an upsert with a subquery per person.
    db.execute("CREATE TEMP TABLE IF NOT EXISTS _staff_change (staff_id INTEGER PRIMARY KEY, installs INTEGER NOT NULL)")
    db.execute("DELETE FROM temp._staff_change")
    db.conn.executemany("INSERT INTO temp._staff_change VALUES (?, ?)", zip(ids.tolist(), sums.tolist()))
    db.execute("INSERT INTO install_staff_totals (staff_id, installs) SELECT c.staff_id, c.installs FROM temp._staff_change c"
               " JOIN staff s ON s.id = c.staff_id AND s.active = 1 WHERE true"  # WHERE: the upsert's parsing needs it
               " ON CONFLICT (staff_id) DO UPDATE SET installs = installs + excluded.installs")
    db.execute("DELETE FROM temp._staff_change")


def add_differences(db, rows) -> None:
    """Add (unit_id, day, installs, credited, at_quota, reports) changes to every summary table
    (inside the write's transaction); a (unit, day) or day left at zero everywhere is removed."""
    rows = [row for row in rows if any(row[2:])]
    if not rows:
        return
    per_day, per_unit = {}, {}
    for uid, day, *diff in rows:
        per_day[day] = tuple(a + b for a, b in zip(per_day.get(day, (0, 0, 0, 0)), diff))
        per_unit[uid] = tuple(a + b for a, b in zip(per_unit.get(uid, (0, 0, 0, 0)), diff))
    add = ", ".join(f"{f} = {f} + excluded.{f}" for f in FIGURES)
    db.conn.executemany(
        f"INSERT INTO install_unit_days (unit_id, day, {', '.join(FIGURES)}) VALUES (?, ?, ?, ?, ?, ?)"
        f" ON CONFLICT (unit_id, day) DO UPDATE SET {add}",
        rows,
    )
    db.conn.executemany(
        f"INSERT INTO install_days (day, {', '.join(FIGURES)}) VALUES (?, ?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET {add}",
        [(day, *diff) for day, diff in per_day.items()],
    )
    db.conn.executemany(
        "UPDATE install_unit_totals SET installs = installs + ?, credited = credited + ?, at_quota = at_quota + ?"
        " WHERE unit_id = ?",
        [(i, c, a, uid) for uid, (i, c, a, _r) in per_unit.items()],
    )
    # A (unit, day) whose reports were all withdrawn leaves no row, as a recomputation would (every
    # figure is a sum over reports, so only a row that lost reports can be left at zero).
    db.conn.executemany(
        "DELETE FROM install_unit_days WHERE unit_id = ? AND day = ? AND installs = 0 AND credited = 0"
        " AND at_quota = 0 AND reports = 0",
        [(uid, day) for uid, day, *diff in rows if diff[3] < 0],
    )
    db.conn.executemany(
        "DELETE FROM install_days WHERE day = ? AND installs = 0 AND credited = 0 AND at_quota = 0 AND reports = 0",
        [(day,) for day, diff in per_day.items() if diff[3] < 0],
    )


def active_quotas(db) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every active person's (staff_id, unit_id, quota) as numpy columns, sorted by staff_id."""
    conf = settings.get_all(db)
    unit_quota = units.effective_quotas(db, conf["default_quota"])
    sid, uid, own = (json.loads(column) for column in db.execute(  # one JSON array per column: 3× faster than rows
        "SELECT json_group_array(id), json_group_array(unit_id), json_group_array(quota)"
        " FROM staff WHERE active = 1").fetchone())
    quota = [q if q is not None else unit_quota.get(u, conf["default_quota"]) for u, q in zip(uid, own)]
    sid, uid, quota = np.array(sid, dtype=np.int64), np.array(uid, dtype=np.int64), np.array(quota, dtype=np.int64)
    order = np.argsort(sid, kind="stable")  # sorted already, in practice; searchsorted relies on it
    return sid[order], uid[order], quota[order]


def contributions_of(people, staff_id, day, installs, base=None) -> tuple[np.ndarray, ...]:
    """The summaries' figures of report rows, computed in numpy (the bulk import's _CONTRIBUTIONS).

    people = active_quotas(db); rows are numpy (staff_id, day as a non-negative integer in calendar
    order, installs); `base` maps staff_id -> the running total before that person's first row given
    (0 when absent). Rows of people not in `people` count for nothing. Returns numpy columns: unit_id,
    day and figures (n × installs, credited, at_quota, reports) per (unit, day), then the people
    counted and their installs summed.
    """
    sids, uids, quotas = people
    where = np.searchsorted(sids, staff_id)
    keep = where < len(sids)
    keep[keep] = sids[where[keep]] == staff_id[keep]
    staff_id, day, installs, where = staff_id[keep], day[keep], installs[keep], where[keep]
    if not len(staff_id):
        none = np.zeros(0, dtype=np.int64)
        return none, none, np.zeros((0, 4), dtype=np.int64), none, none
    width = int(day.max()) + 1
    order = np.argsort(staff_id * width + day, kind="stable")  # timsort: a file in day order is a few sorted runs
    staff_id, day, installs, where = staff_id[order], day[order], installs[order], where[order]
    starts = np.ones(len(staff_id), dtype=bool)
    starts[1:] = staff_id[1:] != staff_id[:-1]
    total = np.cumsum(installs)
    run = total - (total - installs)[starts][np.cumsum(starts) - 1]  # running total within each person
    if base:
        run += np.array([base.get(int(s), 0) for s in staff_id[starts]], dtype=np.int64)[np.cumsum(starts) - 1]
    quota, before = quotas[where], run - installs
    figures = (installs, np.minimum(run, quota) - np.minimum(before, quota), (run >= quota) & (before < quota),
               np.ones(len(run), dtype=np.int64))
    keys, inverse = np.unique(uids[where] * width + day, return_inverse=True)
    sums = np.stack([np.bincount(inverse, weights=f, minlength=len(keys)) for f in figures], axis=1).astype(np.int64)
    per_person = np.add.reduceat(installs, np.flatnonzero(starts))
    return keys // width, keys % width, sums, staff_id[starts], per_person


# ---- reads -------------------------------------------------------------------------------

# Columns travel as one group_concat text per column, parsed by numpy: fetching ~2,000 units × 10
# columns as Python row tuples costs more than every other step of a city ranking together.

def _ints(text) -> np.ndarray:
    return np.fromstring(text or "", dtype=np.int64, sep=",")


def _below(county) -> tuple[str, list]:
    """A `below` CTE with the county and every unit under it (or nothing for the whole database)."""
    if county is None:
        return "", []
    return ("WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT u.id FROM units u JOIN below ON u.parent_id = below.id) ",
            [int(county)])


_UNITS: dict = {}  # (database file, units version, types, county) -> the units' columns (see _units)


def _units(db, types, county) -> dict:
    """The active units of `types` (below `county`) by id: numpy unit_id and group_code, arrow code, name, type, group.
    Cached per database file and units version (names change rarely; reading 2,000 of them costs)."""
    path = db.execute("PRAGMA database_list").fetchone()[2]
    key = (path, db.execute("SELECT version FROM units_version").fetchone()[0], tuple(types), county)
    found = _UNITS.get(key) if path else None
    if found is None:
        cte, params = _below(county)
        rows = db.execute(
            cte + "SELECT group_concat(id), json_group_array(code), json_group_array(name), json_group_array(type)"
            f" FROM (SELECT id, code, name, type FROM units WHERE active = 1 AND type IN ({','.join('?' * len(types))})"
            + (" AND id IN below" if county is not None else "") + " ORDER BY id)",
            params + list(types),
        ).fetchone()
        found = {"unit_id": _ints(rows[0]),
                 **{name: pa.array(json.loads(text), type=pa.large_string()) for name, text in zip(("code", "name", "type"), rows[1:])}}
        if np.any(np.diff(found["unit_id"]) < 0):  # the aggregate saw the rows out of order: sort them
            order = np.argsort(found["unit_id"])
            found = {name: values[order] if name == "unit_id" else values.take(pa.array(order)) for name, values in found.items()}
        # Each unit's ranking group, and the group's number in display order (descending: township first).
        groups = [units.group_of(kind) for kind in found["type"].to_pylist()]
        number = {name: i for i, name in enumerate(sorted(set(groups), reverse=True))}
        found["group"] = pa.array(groups, type=pa.large_string())
        found["group_code"] = np.array([number[name] for name in groups], dtype=np.int64)
        if path:
            if len(_UNITS) >= 64:
                _UNITS.clear()
            _UNITS[key] = found
    return found


TOTAL_COLUMNS = ("unit_id", "staff", "quota_total", "installs", "credited", "at_quota")
NAME_COLUMNS = ("code", "name", "type", "group")


def unit_totals(db, types, county=None, columns=TOTAL_COLUMNS, *, named=True) -> dict:
    """Active units of `types` with active staff (below `county`, when given): numpy columns unit_id,
    staff, quota_total and their installs, credited and at_quota over all days (those asked for), group_code;
    arrow code, name, type, group (`named`), else "at": each unit's place for unit_names."""
    units_ = _units(db, types, county)
    picked = ["unit_id"] + [c for c in TOTAL_COLUMNS[1:] if c in columns]
    rows = db.execute(f"SELECT {', '.join(f'group_concat({n})' for n in picked)} FROM install_unit_totals"
                      + (" WHERE unit_id IN (SELECT value FROM json_each(?))" if county is not None else ""),
                      [json.dumps(units_["unit_id"].tolist())] if county is not None else []).fetchone()
    totals = {name: _ints(text) for name, text in zip(picked, rows)}
    ids = units_["unit_id"]
    at = np.minimum(np.searchsorted(ids, totals["unit_id"]), max(len(ids) - 1, 0))
    held = (ids[at] == totals["unit_id"]) if len(ids) else np.zeros(len(at), dtype=bool)  # units of other types left out
    at = at[held]
    found = {**{name: values[held] for name, values in totals.items()}, "group_code": units_["group_code"][at]}
    return {**found, **unit_names(db, types, county, at)} if named else {**found, "at": at}


def unit_names(db, types, county, at: np.ndarray) -> dict:
    """Arrow code, name, type and group of the units at places `at` (unit_totals' "at", named=False)."""
    units_ = _units(db, types, county)
    return {name: units_[name].take(pa.array(at, type=pa.int64())) for name in NAME_COLUMNS}


def unit_totals_of(db, unit_ids: np.ndarray, columns=TOTAL_COLUMNS) -> dict:
    """The totals (those asked for) of the units `unit_ids`, in that order, by a seek each: 0 for a unit
    without totals (they went in a rebuild since its ids were read)."""
    picked = [c for c in TOTAL_COLUMNS[1:] if c in columns]
    rows = db.execute(
        "SELECT group_concat(j.value)" + "".join(f", group_concat(COALESCE(t.{c}, 0))" for c in picked)
        + " FROM json_each(?) j LEFT JOIN install_unit_totals t ON t.unit_id = j.value",
        [json.dumps(np.asarray(unit_ids).tolist())]).fetchone()
    found = {name: _ints(text) for name, text in zip(["unit_id", *picked], rows)}
    order = np.argsort(found["unit_id"])
    where = order[np.searchsorted(found["unit_id"], unit_ids, sorter=order)]
    return {name: values[where] for name, values in found.items()}


DAY_COLUMNS = ("unit_id", "installs", "credited", "at_quota", "reports")


def unit_days(db, after: str, until: str, county=None, columns=DAY_COLUMNS) -> dict:
    """The per-unit day rows with after < day <= until (below `county`, when given): numpy columns
    of unit_id, installs, credited, at_quota, reports (those asked for). No day column: a caller
    reads one span of days at a time (converting the day cost more than the rest of a read)."""
    cte, params = _below(county)
    # The covering index reads only the days asked for; the primary key would seek every unit.
    return _day_rows(db, cte + "SELECT {} FROM install_unit_days INDEXED BY install_unit_days_cover WHERE day > ? AND day <= ?"
                     + (" AND unit_id IN below" if county is not None else ""), [*params, after, until], columns)


def unit_days_of(db, unit_ids: np.ndarray, after: str, until: str, columns=DAY_COLUMNS) -> dict:
    """unit_days for the units `unit_ids` only, by a seek each: for a county's units, a few times cheaper
    than finding them by walking the units tree (unit_days' county)."""
    return _day_rows(db, "SELECT {} FROM install_unit_days WHERE unit_id IN (SELECT value FROM json_each(?))"
                     " AND day > ? AND day <= ?", [json.dumps(np.asarray(unit_ids).tolist()), after, until], columns)


def day_offsets(db, first: str, last: str, unit_ids=None, column: str = "credited") -> dict:
    """The per-unit day rows with first <= day <= last (of the units `unit_ids`, by a seek each, when given) as
    numpy unit_id, `offset` (days after `first`) and `column`: what a day-by-day look back reads at once
    (issue 20: laggard_since)."""
    if column not in FIGURES:
        raise ValueError(column)
    select = (f"SELECT group_concat(unit_id), group_concat(CAST(julianday(day) - julianday(?) AS INTEGER)), group_concat({column})"
              " FROM install_unit_days ")
    if unit_ids is None:
        rows = db.execute(select + "INDEXED BY install_unit_days_cover WHERE day >= ? AND day <= ?", [first, first, last]).fetchone()
    else:
        rows = db.execute(select + "WHERE unit_id IN (SELECT value FROM json_each(?)) AND day >= ? AND day <= ?",
                          [first, json.dumps(np.asarray(unit_ids).tolist()), first, last]).fetchone()
    return {name: _ints(text) for name, text in zip(("unit_id", "offset", column), rows)}


def _day_rows(db, sql: str, params: list, columns) -> dict:
    """`sql` with {} for the columns asked for, each as one comma-joined text that numpy parses."""
    picked = [c for c in DAY_COLUMNS if c in columns]
    rows = db.execute(sql.format(", ".join(f"group_concat({c})" for c in picked)), params).fetchone()
    return {name: _ints(text) for name, text in zip(picked, rows)}


def staff_through(db, unit_id: int, day: str, start: str) -> list[tuple]:
    """The unit's active people by id: (staff_id, name, phone, own quota, counted installs through `day`,
    through the day before, and the count reported on `day` or None), from their totals (issue 9)."""
    prev = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
    people = db.execute(
        "SELECT s.id, s.name, s.phone, s.quota, COALESCE(t.installs, 0) FROM staff s"
        " LEFT JOIN install_staff_totals t ON t.staff_id = s.id WHERE s.unit_id = ? AND s.active = 1 ORDER BY s.id",
        [int(unit_id)],
    ).fetchall()
    last = day_span(db)[1]
    # Through a day = the total minus the later reports, or the reports since the start: whichever are fewer.
    backward = last is None or (dt.date.fromisoformat(max(last, prev)) - dt.date.fromisoformat(prev)) <= (
        dt.date.fromisoformat(day) - dt.date.fromisoformat(min(start, day)))
    # One range on day per person (two lower bounds let SQLite seek by the looser one: all their days).
    before_start = (dt.date.fromisoformat(start) - dt.timedelta(days=1)).isoformat()
    rows = db.execute(
        "SELECT r.staff_id, r.day, r.installs FROM staff s CROSS JOIN install_reports r ON r.staff_id = s.id"
        " WHERE s.unit_id = ? AND s.active = 1 AND r.superseded_by IS NULL AND r.day > ? AND r.day <= ?",
        [int(unit_id), max(prev, before_start), "9999-12-31"] if backward else [int(unit_id), before_start, day],
    )
    through, before, on_day = {}, {}, {}
    for sid, d, n in rows:
        if backward:  # rows after the day before
            before[sid] = before.get(sid, 0) - n
            if d > day:
                through[sid] = through.get(sid, 0) - n
        else:  # rows from the start through the day
            through[sid] = through.get(sid, 0) + n
            if d <= prev:
                before[sid] = before.get(sid, 0) + n
        if d == day:
            on_day[sid] = n
    base = (lambda total: total) if backward else (lambda total: 0)
    return [(sid, name, phone, own, base(total) + through.get(sid, 0), base(total) + before.get(sid, 0), on_day.get(sid))
            for sid, name, phone, own, total in people]


def day_span(db) -> tuple[str | None, str | None]:
    """The first and the last day with any counted report."""
    return db.execute("SELECT MIN(day), MAX(day) FROM install_days").fetchone()


def campaign_days(db, start: str, day: str) -> list[tuple]:
    """(day, installs, credited) for every day with reports between start and day."""
    return db.execute(
        "SELECT day, installs, credited FROM install_days WHERE day >= ? AND day <= ? ORDER BY day", [start, day]
    ).fetchall()


def campaign_totals(db, day: str) -> dict:
    """Staff, quota total, installs, credited and people at quota over every unit, through `day`."""
    staff, quota_total, installs, credited, at_quota = db.execute(
        "SELECT COALESCE(SUM(staff), 0), COALESCE(SUM(quota_total), 0), COALESCE(SUM(installs), 0),"
        " COALESCE(SUM(credited), 0), COALESCE(SUM(at_quota), 0) FROM install_unit_totals"
    ).fetchone()
    later = db.execute(
        "SELECT COALESCE(SUM(installs), 0), COALESCE(SUM(credited), 0), COALESCE(SUM(at_quota), 0)"
        " FROM install_days WHERE day > ?", [day]
    ).fetchone()
    return {"staff": staff, "quota_total": quota_total, "installs": installs - later[0],
            "credited": credited - later[1], "at_quota": at_quota - later[2]}


def snapshot(db) -> dict:
    """Every summary table's rows (for checks against a rebuild)."""
    return {
        "install_unit_days": db.execute("SELECT * FROM install_unit_days ORDER BY unit_id, day").fetchall(),
        "install_days": db.execute("SELECT * FROM install_days ORDER BY day").fetchall(),
        "install_unit_totals": db.execute("SELECT * FROM install_unit_totals ORDER BY unit_id").fetchall(),
    }


def installs_by_place(db, first_day, last_day) -> dict[str, dict]:
    """{"staff": {unit id: installs}} reported by active staff over days first_day..last_day (as the rankings
    count them), for reconciliation: each unit's total less the days outside the period, so a period ending
    today reads one row per unit and a few days' rows."""
    totals = dict(db.execute("SELECT unit_id, installs FROM install_unit_totals"))
    for outside, bound in (("<", first_day), (">", last_day)):
        # summed here rather than by GROUP BY, which would walk the primary key instead of the day index
        for uid, installs in db.execute(f"SELECT unit_id, installs FROM install_unit_days WHERE day {outside} ?",
                                        [clock.as_date(bound).isoformat()]):
            totals[uid] = totals.get(uid, 0) - installs
    return {"staff": {uid: total for uid, total in totals.items() if total}}
