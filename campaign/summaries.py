"""Per-unit install summaries kept in step with every write, so rankings never scan install_reports.

Completion is capped per person (Σ min(installs, quota) ÷ Σ quota), so the summaries hold, per unit
and day, the change that day brings to the unit's figures: installs reported, installs *credited*
(a person's running total counted only up to their quota), people reaching their quota that day,
and reports. Summing a unit's days through D gives its figures through D; `install_unit_totals`
holds the sum over all days, so today's ranking reads one row per unit plus today's deltas.

A write for (person, day) can change that person's credited figures on later days too (where the
running total crosses the quota), so `apply_reports` recomputes the touched people's contributions
(≤ one row per day each) before and after the write and adds the differences, in the same
transaction. Changes of quotas, active flags, the unit tree or the start date rebuild everything.
"""

from sqlite_utils import Migrations

from campaign import settings, units

summaries = Migrations("summaries")

FIGURES = ("installs", "credited", "at_quota", "reports")


@summaries()
def m001_install_summaries(db):
    db.executescript(
        """
        CREATE TABLE install_unit_days (
            unit_id INTEGER NOT NULL,
            day TEXT NOT NULL,
            installs INTEGER NOT NULL DEFAULT 0,
            credited INTEGER NOT NULL DEFAULT 0,
            at_quota INTEGER NOT NULL DEFAULT 0,
            reports INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (unit_id, day)
        ) WITHOUT ROWID;
        CREATE INDEX install_unit_days_day ON install_unit_days(day);
        CREATE TABLE install_days (
            day TEXT PRIMARY KEY,
            installs INTEGER NOT NULL DEFAULT 0,
            credited INTEGER NOT NULL DEFAULT 0,
            at_quota INTEGER NOT NULL DEFAULT 0,
            reports INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE TABLE install_unit_totals (
            unit_id INTEGER PRIMARY KEY,
            staff INTEGER NOT NULL,
            quota_total INTEGER NOT NULL,
            installs INTEGER NOT NULL DEFAULT 0,
            credited INTEGER NOT NULL DEFAULT 0,
            at_quota INTEGER NOT NULL DEFAULT 0
        );
        """
    )
    rebuild(db)


@summaries()
def m002_covering_day_index(db):
    # A page reads the last days of every unit: a covering index answers that without touching the table.
    db.executescript(
        """
        DROP INDEX install_unit_days_day;
        CREATE INDEX install_unit_days_cover ON install_unit_days(day, unit_id, installs, credited, at_quota, reports);
        """
    )


# ---- who counts with which quota ---------------------------------------------------------

def _load_people(db, staff_ids=None) -> None:
    """TEMP table _sq(staff_id, unit_id, quota): the active people (all, or those given) and their quotas."""
    conf = settings.get_all(db)
    unit_quota = units.effective_quotas(db, conf["default_quota"])
    db.execute("CREATE TEMP TABLE IF NOT EXISTS _sq (staff_id INTEGER PRIMARY KEY, unit_id INTEGER, quota INTEGER)")
    db.execute("DELETE FROM temp._sq")
    sql = "SELECT id, unit_id, quota FROM staff WHERE active = 1"
    if staff_ids is None:
        rows = db.execute(sql).fetchall()
    else:
        ids, rows = sorted(set(staff_ids)), []
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            rows += db.execute(sql + f" AND id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    db.conn.executemany(
        "INSERT INTO temp._sq VALUES (?, ?, ?)",
        ((sid, uid, own if own is not None else unit_quota.get(uid, conf["default_quota"])) for sid, uid, own in rows),
    )
    return conf


# Each current report's contribution: installs, credited = min(run, quota) − min(run before, quota),
# and 1 in at_quota on the day the running total first reaches the quota.
_CONTRIBUTIONS = """
    SELECT unit_id, day, SUM(installs), SUM(MIN(run, quota) - MIN(run - installs, quota)),
           SUM(run >= quota AND run - installs < quota), COUNT(*)
    FROM (SELECT q.unit_id, r.day, r.installs, q.quota,
                 SUM(r.installs) OVER (PARTITION BY r.staff_id ORDER BY r.day ROWS UNBOUNDED PRECEDING) AS run
          FROM temp._sq q CROSS JOIN install_reports r ON r.staff_id = q.staff_id  -- CROSS: the people outer, seeking their rows
          WHERE r.superseded_by IS NULL AND r.day >= ?)
    GROUP BY unit_id, day
"""


def _contributions(db, start: str) -> dict:
    return {(uid, day): figures for uid, day, *figures in db.execute(_CONTRIBUTIONS, [start])}


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
    db.execute("DELETE FROM temp._sq")


class Tracker:
    """Before a write: the touched people's contributions; after it: add the differences to the summaries."""

    def __init__(self, db, staff_ids):
        self.db = db
        self.conf = _load_people(db, staff_ids)
        self.before = _contributions(db, self.conf["start_date"])

    def apply(self) -> None:
        db = self.db
        after = _contributions(db, self.conf["start_date"])
        diffs = {}
        for key in self.before.keys() | after.keys():
            old, new = self.before.get(key, (0, 0, 0, 0)), after.get(key, (0, 0, 0, 0))
            diff = tuple(n - o for n, o in zip(new, old))
            if any(diff):
                diffs[key] = diff
        db.execute("DELETE FROM temp._sq")
        if not diffs:
            return
        per_day, per_unit = {}, {}
        for (uid, day), diff in diffs.items():
            per_day[day] = tuple(a + b for a, b in zip(per_day.get(day, (0, 0, 0, 0)), diff))
            per_unit[uid] = tuple(a + b for a, b in zip(per_unit.get(uid, (0, 0, 0, 0)), diff))
        add = ", ".join(f"{f} = {f} + excluded.{f}" for f in FIGURES)
        db.conn.executemany(
            f"INSERT INTO install_unit_days (unit_id, day, {', '.join(FIGURES)}) VALUES (?, ?, ?, ?, ?, ?)"
            f" ON CONFLICT (unit_id, day) DO UPDATE SET {add}",
            [(uid, day, *diff) for (uid, day), diff in diffs.items()],
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
        # A (unit, day) whose reports were all withdrawn leaves no row, as a recomputation would.
        db.conn.executemany(
            "DELETE FROM install_unit_days WHERE unit_id = ? AND day = ? AND installs = 0 AND credited = 0"
            " AND at_quota = 0 AND reports = 0",
            list(diffs),
        )
        db.conn.executemany(
            "DELETE FROM install_days WHERE day = ? AND installs = 0 AND credited = 0 AND at_quota = 0 AND reports = 0",
            [(day,) for day in per_day],
        )


# ---- reads -------------------------------------------------------------------------------

def unit_figures(db, day: str, prev: str) -> list[tuple]:
    """Per unit with active staff: (unit_id, staff, quota_total, installs, credited, at_quota,
    installs_prev, credited_prev, reports_today) through `day` and through `prev` (the day before)."""
    later: dict = {}  # unit -> [installs after day, credited after day, at_quota after day, installs after prev, credited after prev, reports on day]
    for uid, d, installs, credited, at_quota, reports in db.execute(
        "SELECT unit_id, day, installs, credited, at_quota, reports FROM install_unit_days WHERE day > ?", [prev]
    ):
        acc = later.setdefault(uid, [0, 0, 0, 0, 0, 0])
        if d > day:
            acc[0] += installs
            acc[1] += credited
            acc[2] += at_quota
        elif d == day:
            acc[5] += reports
        acc[3] += installs
        acc[4] += credited
    none = (0, 0, 0, 0, 0, 0)
    return [(uid, staff, quota_total, i - a[0], c - a[1], q - a[2], i - a[3], c - a[4], a[5])
            for uid, staff, quota_total, i, c, q in db.execute(
                "SELECT unit_id, staff, quota_total, installs, credited, at_quota FROM install_unit_totals")
            for a in (later.get(uid, none),)]


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
