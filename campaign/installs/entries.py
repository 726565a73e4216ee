"""Install reports: entry, correction by superseding, the day lock and the entry sheet."""

import datetime as dt

import numpy as np
import pandas as pd

from campaign.infra import audit, clock, settings
from campaign.infra.db import write
from campaign.infra.errors import DayLocked, RowError, RowsRejected
from campaign.infra.parse import parse_whole
from campaign.infra.phones import shown_phone
from campaign.installs import summaries
from campaign.org import access, quotas, units


def day_state(conf: dict, actor, day: dt.date, now: dt.datetime, *, unlocked: bool = False) -> str:
    """'open', or why entries for `day` are refused: 'future', 'before_start', 'locked'.

    `unlocked`: an administrator opened this day for the unit at hand (an approved unlock request whose
    window is still open, see `unlocked_units`), so a day past its cut-off is open again until the window closes.
    """
    if day > now.date():
        return "future"
    if day < clock.as_date(conf["start_date"]):
        return "before_start"
    if actor.role == access.ADMIN:
        return "open"
    cutoff = dt.time.fromisoformat(conf["entry_cutoff"])
    closes = dt.datetime.combine(day + dt.timedelta(days=1), cutoff, tzinfo=now.tzinfo)
    return "open" if now < closes or unlocked else "locked"


def unlocked_units(db, actor, now=None) -> dict[str, set[int]]:
    """{day: unit ids} the actor may enter although the day is past its cut-off: their approved unlock
    requests (campaign.installs.unlocks) whose window is still open, each for its unit and the units below it."""
    if actor.role not in access.SCOPED:
        return {}
    now = now or clock.now()
    windows: dict[str, set[int]] = {}
    for unit_id, day, until in db.execute(
            "SELECT unit_id, day, until FROM install_unlocks WHERE requested_by = ? AND status = 'approved'", [actor.name]):
        if now < dt.datetime.fromisoformat(until):
            windows.setdefault(day, set()).update(units.descendants(db, [unit_id]))
    return windows


def is_unlocked(db, actor, unit_id: int, day, now=None) -> bool:
    """Whether an approved unlock window opens `day` for the actor on this unit now."""
    return int(unit_id) in unlocked_units(db, actor, now).get(clock.as_date(day).isoformat(), ())


def check_value(value, max_daily: int):
    """(installs, None) for a valid count, else (None, reason code)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None, "row.empty_count"
    number = parse_whole(str(value).strip())
    if number is None:
        return None, "row.not_integer"
    if number < 0:
        return None, "row.negative"
    if number > max_daily:
        return None, "row.above_max"
    return number, None


def current_values(db, pairs) -> dict[tuple[int, str], tuple[int, int]]:
    """(staff_id, day) -> (report id, installs) for the current report of each pair."""
    found = {}
    pairs = list(pairs)
    for start in range(0, len(pairs), 400):
        chunk = pairs[start : start + 400]
        params = [v for pair in chunk for v in pair]
        # CROSS JOIN: each pair seeks its row in the one-current-report index (an OR of the pairs
        # would scan every report: the partial index serves no OR term).
        for rid, sid, day, installs in db.execute(
            f"WITH pairs (staff_id, day) AS (VALUES {', '.join(['(?, ?)'] * len(chunk))})"
            " SELECT r.id, r.staff_id, r.day, r.installs FROM pairs p CROSS JOIN install_reports r"
            " ON r.staff_id = p.staff_id AND r.day = p.day WHERE r.superseded_by IS NULL",
            params,
        ):
            found[(sid, day)] = (rid, installs)
    return found


def apply_reports(db, actor, rows, *, source: str) -> dict:
    """Write (staff_id, day, installs, unit_id) rows; a changed value supersedes the old report.

    Runs inside the caller's transaction. Returns counts of new, corrected and unchanged rows.
    """
    rows = list(rows)
    # issue 9: summaries move in the same transaction
    tracker = summaries.Tracker(db, {sid for sid, _, _, _ in rows}, since=min((day for _, day, _, _ in rows), default=""))
    existing = current_values(db, [(sid, day) for sid, day, _, _ in rows]) if has_reports(db) else {}
    fresh, corrections, audit_rows = [], [], []
    for sid, day, installs, uid in rows:
        old = existing.get((sid, day))
        if old is None:
            fresh.append((sid, day, installs))
            if source == "entry":
                audit_rows.append((f"{sid}/{day}", uid, None, installs))
        elif old[1] != installs:
            corrections.append((old[0], sid, day, installs))
            audit_rows.append((f"{sid}/{day}", uid, old[1], installs))
    entry = new_entry(db, actor, source) if fresh or corrections else None
    db.conn.executemany(
        "INSERT INTO install_reports (staff_id, day, installs, entry_id) VALUES (?, ?, ?, ?)",
        [(*row, entry) for row in fresh],
    )
    for old_id, sid, day, installs in corrections:
        # Mark the old report first (pointing at itself) so the one-current-report index allows the new one.
        db.execute("UPDATE install_reports SET superseded_by = id WHERE id = ?", [old_id])
        new_id = db.execute(
            "INSERT INTO install_reports (staff_id, day, installs, entry_id, supersedes) VALUES (?, ?, ?, ?, ?)",
            [sid, day, installs, entry, old_id],
        ).lastrowid
        db.execute("UPDATE install_reports SET superseded_by = ? WHERE id = ?", [new_id, old_id])
    audit.record_many(db, actor, "enter", "install_report", audit_rows)
    tracker.apply()
    return {"new": len(fresh), "corrected": len(corrections), "unchanged": len(rows) - len(fresh) - len(corrections)}


def new_entry(db, actor, source: str) -> int:
    """One save's record (who, when, how: "entry" or "import") that its reports point at; its id."""
    return db.execute("INSERT INTO entries (entered_by, entered_at, source) VALUES (?, ?, ?)",
                      [actor.name, clock.stamp(), source]).lastrowid


def has_reports(db) -> bool:
    return db.execute("SELECT 1 FROM install_reports LIMIT 1").fetchone() is not None


def save_entries(db, actor, unit_id: int, day, values: dict, *, now=None) -> dict:
    """Save one unit's counts for one day from the entry screen: {staff_id: installs}.

    Every value is checked first; one bad value rejects the whole save (nothing written).
    """
    day = clock.as_date(day)
    now = now or clock.now()
    access.require_write(db, actor, [unit_id], roles=(access.ADMIN, access.COORDINATOR))
    conf = settings.get_all(db)
    state = day_state(conf, actor, day, now, unlocked=is_unlocked(db, actor, unit_id, day, now))
    if state != "open":
        raise DayLocked(f"error.day_{state}", day=day.isoformat())
    staff_ids = {sid for (sid,) in db.execute("SELECT id FROM staff WHERE unit_id = ? AND active = 1", [unit_id])}
    errors, rows = [], []
    for position, (sid, value) in enumerate(values.items(), start=1):
        if int(sid) not in staff_ids:
            errors.append(RowError(position, "staff", "row.unknown_person", value=sid))
            continue
        number, reason = check_value(value, conf["max_daily_installs"])
        if reason:
            errors.append(RowError(position, "installs", reason, value=value, max=conf["max_daily_installs"]))
        else:
            rows.append((int(sid), day.isoformat(), number, unit_id))
    if errors:
        raise RowsRejected(errors)
    with write(db):
        return apply_reports(db, actor, rows, source="entry")


def entry_sheet(db, actor, unit_id: int, day) -> pd.DataFrame:
    """The entry grid: each active person of the unit with the day's count, running total and quota."""

    access.require_details(db, actor, unit_id)
    conf = settings.get_all(db)
    unit_quota = units.effective_quota(db, unit_id, conf["default_quota"])
    people = summaries.staff_through(db, unit_id, clock.as_date(day).isoformat(), conf["start_date"])
    total = np.array([p[4] for p in people], dtype=np.int64)
    quota = np.array([p[3] if p[3] is not None else unit_quota for p in people], dtype=np.int64)
    sheet = pd.DataFrame({
        "id": np.array([p[0] for p in people], dtype=np.int64),
        "name": pd.array([p[1] for p in people], dtype="str"),
        "phone": pd.array([shown_phone(actor, p[2]) for p in people], dtype="str"),
        "today": pd.array([p[6] for p in people], dtype="Int64"),
        "total": total,
        "quota": quota,
        "progress": np.minimum(total / quota, 1.0),
    })
    return quotas.mark_people(db, unit_id, sheet, conf["quota_guidance"])


def history(db, staff_id: int) -> pd.DataFrame:
    """Every report of one person, superseded ones included, newest first."""
    return pd.read_sql_query(
        "SELECT r.id, r.day, r.installs, e.entered_by, e.entered_at, e.source, r.supersedes, r.superseded_by"
        " FROM install_reports r JOIN entries e ON e.id = r.entry_id WHERE r.staff_id = ? ORDER BY r.day DESC, r.id DESC",
        db.conn,
        params=[staff_id],
    )
