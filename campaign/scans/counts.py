"""Scan counters (issue 18): storing what the landing route counted, and reading scans beside the
self-reported installs (per person, unit, location, day and platform, and per code for the report).

A read covers the days first..last (default: the campaign's start to today). Scans of a personal code
count for the person's unit; scans of a window's, grid's or class's code for that location.
"""

import pandas as pd

from campaign.infra import clock, settings
from campaign.infra.db import write
from campaign.org import access
from campaign.scans import codes, rules
from campaign.scans.tally import UNKNOWN

LOCATION_TYPES = ("window", "grid", "class")
KINDS = ("person", *LOCATION_TYPES, "unknown")
_UPSERT = ("INSERT INTO scan_counts (code, day, platform, scans) VALUES (?, ?, ?, ?)"
           " ON CONFLICT (code, day, platform) DO UPDATE SET scans = scans + excluded.scans")


def flush(db, counted: dict) -> int:
    """Add counted scans {(code, day, platform): scans} to the counters in one short write; every code that
    is neither a person's nor a location's goes to the unknown bucket. Returns the scans written."""
    if not counted:
        return 0
    known = codes.resolve(db, {code for code, _, _ in counted if code != UNKNOWN and rules.code_shape(code)})
    merged: dict = {}
    for (code, day, platform), scans in counted.items():
        key = (known[code][0] if code in known else UNKNOWN, clock.as_date(day).isoformat(),
               platform if platform in rules.PLATFORMS else "other")
        merged[key] = merged.get(key, 0) + int(scans)
    with write(db):
        db.conn.executemany(_UPSERT, [(*key, scans) for key, scans in sorted(merged.items())])
    return sum(merged.values())


def period(db, first=None, last=None) -> tuple[str, str]:
    """The days read (ISO): from `first` (default the campaign's start) to `last` (default today)."""
    first = clock.as_date(first or settings.get(db, "start_date"))
    return first.isoformat(), clock.as_date(last or clock.today()).isoformat()


def by_code(db, first=None, last=None) -> pd.DataFrame:
    """One row per code scanned in the period, most scanned first, the unknown bucket last: code (None for the
    unknown bucket), kind, unit_id, unit (the code's unit's name), staff_id, scans, ios, android, in_app, other."""
    first, last = period(db, first, last)
    per: dict = {}
    for code, platform, scans in db.execute(
        "SELECT code, platform, SUM(scans) FROM scan_counts WHERE day >= ? AND day <= ? GROUP BY code, platform",
        [first, last],
    ):
        per.setdefault(code, dict.fromkeys(rules.PLATFORMS, 0))[platform] = scans
    known = codes.resolve(db, [code for code in per if code != UNKNOWN])
    names = _unit_names(db, {found[2] for found in known.values()})
    rows, unknown = [], dict.fromkeys(rules.PLATFORMS, 0)
    for code, platforms in per.items():
        if code not in known:
            unknown = {p: unknown[p] + platforms[p] for p in rules.PLATFORMS}
            continue
        _, kind, uid, sid = known[code]
        rows.append({"code": code, "kind": kind, "unit_id": uid, "unit": names.get(uid), "staff_id": sid,
                     "scans": sum(platforms.values()), **platforms})
    rows.sort(key=lambda row: (-row["scans"], row["code"]))
    if sum(unknown.values()):
        rows.append({"code": None, "kind": "unknown", "unit_id": None, "unit": None, "staff_id": None,
                     "scans": sum(unknown.values()), **unknown})
    frame = pd.DataFrame(rows, columns=["code", "kind", "unit_id", "unit", "staff_id", "scans", *rules.PLATFORMS])
    return frame.astype({"unit_id": "Int64", "staff_id": "Int64"})


def _unit_names(db, unit_ids) -> dict[int, str]:
    ids = sorted(uid for uid in unit_ids if uid is not None)
    found = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found |= dict(db.execute(f"SELECT id, name FROM units WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return found


def person_scans(db, actor, unit_id: int, last=None, first=None) -> dict[int, int]:
    """staff id -> scans of their personal code, for one unit's people (refused outside the staff-details scope)."""
    access.require_details(db, actor, unit_id)
    first, last = period(db, first, last)
    return dict(db.execute(
        "SELECT c.staff_id, SUM(n.scans) FROM staff s JOIN scan_codes c ON c.staff_id = s.id"
        " JOIN scan_counts n ON n.code = c.code WHERE s.unit_id = ? AND n.day >= ? AND n.day <= ? GROUP BY c.staff_id",
        [int(unit_id), first, last]))


def unit_scans(db, last=None, first=None) -> dict[int, int]:
    """unit id -> scans of its staff's personal codes."""
    first, last = period(db, first, last)
    return dict(db.execute(
        "SELECT s.unit_id, SUM(n.scans) FROM scan_counts n JOIN scan_codes c ON c.code = n.code"
        " JOIN staff s ON s.id = c.staff_id WHERE n.day >= ? AND n.day <= ? GROUP BY s.unit_id", [first, last]))


def location_scans(db, last=None, first=None) -> dict[int, int]:
    """unit id of a window, grid or class -> scans of its code."""
    first, last = period(db, first, last)
    return dict(db.execute(
        "SELECT u.id, SUM(n.scans) FROM scan_counts n JOIN units u ON u.code = n.code"
        f" WHERE u.type IN {LOCATION_TYPES} AND n.day >= ? AND n.day <= ? GROUP BY u.id", [first, last]))


def location_totals(db, last=None, first=None) -> dict[str, int]:
    """Scans of every location's code by the location's type ('window', 'grid', 'class')."""
    first, last = period(db, first, last)
    return dict(db.execute(
        "SELECT u.type, SUM(n.scans) FROM scan_counts n JOIN units u ON u.code = n.code"
        f" WHERE u.type IN {LOCATION_TYPES} AND n.day >= ? AND n.day <= ? GROUP BY u.type", [first, last]))


def place_scans(db, first, last) -> dict[int, int]:
    """unit id -> every scan made there: its staff's personal codes and, for a location, its own code."""
    found = unit_scans(db, last, first)
    for uid, scans in location_scans(db, last, first).items():
        found[uid] = found.get(uid, 0) + scans
    return found


def daily(db, first=None, last=None, county=None) -> pd.DataFrame:
    """Scans per day and platform over the period: day, platform, scans. Every code and the unknown bucket, or,
    for a `county` (a unit id, at city scale), the codes of its staff and locations only."""
    first, last = period(db, first, last)
    where, params = "", [first, last]
    if county is not None:
        where = (" AND code IN (SELECT c.code FROM scan_codes c JOIN staff s ON s.id = c.staff_id WHERE s.unit_id IN below"
                 " UNION SELECT code FROM units WHERE id IN below)")
        params = [int(county), *params]
    below = ("WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT u.id FROM units u JOIN below ON u.parent_id = below.id) "
             if county is not None else "")
    return pd.read_sql_query(
        below + "SELECT day, platform, SUM(scans) AS scans FROM scan_counts WHERE day >= ? AND day <= ?" + where
        + " GROUP BY day, platform ORDER BY day, platform", db.conn, params=params)


def unit_checks(db, unit_ids, installs, last=None, first=None) -> pd.DataFrame:
    """Beside each unit's self-reported installs (same order): the scans of its staff's personal codes and
    whether the installs are implausibly many for them (more than the setting `scan_flag_ratio` × scans)."""
    scanned = unit_scans(db, last, first)
    ratio = settings.get(db, "scan_flag_ratio")
    ids = [int(uid) for uid in unit_ids]
    scans = [scanned.get(uid, 0) for uid in ids]
    return pd.DataFrame({"unit_id": ids, "scans": scans,
                         "flagged": [rules.implausible(int(n), s, ratio) for n, s in zip(installs, scans)]})


def total(db, first=None, last=None) -> int:
    """Every scan counted over the period."""
    first, last = period(db, first, last)
    return db.execute("SELECT COALESCE(SUM(scans), 0) FROM scan_counts WHERE day >= ? AND day <= ?",
                      [first, last]).fetchone()[0]

