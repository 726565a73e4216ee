"""Outreach channels (schools, grids, enterprises, windows): what each records per day, and the daily entry.

A channel's units are units of the tree (a class under its school, a grid under its village,
an enterprise under its regulator, a window under its host unit), so scope works as for staff
installs: a person enters only for the units they answer for. A day's report of a unit is
corrected by superseding it, never by overwriting, and every entry is audited.
"""

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from campaign.infra import audit, clock, settings
from campaign.infra.db import write
from campaign.infra.errors import DayLocked, NotFound, RowError, RowsRejected
from campaign.infra.parse import parse_date
from campaign.infra.phones import shown_phone
from campaign.installs import entries as installs
from campaign.org import access
from campaign.outreach.channels import CHANNEL_OF_TYPE, CHANNELS, TOWNSHIP_TYPES

REPORT_FIELDS = ("reached", "flyers", "installs", "qr_shown", "flyers_shown")
FLAG_FIELDS = ("qr_shown", "flyers_shown")
YES = {"1", "是", "yes", "y", "true", "有", "已展示", "展示"}
NO = {"0", "否", "no", "n", "false", "无", "未展示"}




@dataclass(frozen=True)
class ChannelUnit:
    """A unit one can enter a channel's figures for, with a label that says where it is."""

    id: int
    code: str
    name: str
    label: str
    channel: str


# ---- the tree around channel units -------------------------------------------------------

def townships_of(db) -> dict[int, int | None]:
    """unit id -> its township (or community) id: the nearest such ancestor, or a window's/enterprise's own."""
    rows = db.execute("SELECT id, parent_id, type FROM units").fetchall()
    parent = {uid: pid for uid, pid, _ in rows}
    kind = {uid: t for uid, _, t in rows}
    result: dict = {}

    def resolve(uid):
        seen = []
        while uid is not None and uid not in result and len(seen) < 50:
            if kind.get(uid) in TOWNSHIP_TYPES:
                result[uid] = uid
                break
            seen.append(uid)
            uid = parent.get(uid)
        found = result.get(uid) if uid is not None else None
        for visited in seen:
            result[visited] = found

    for uid in parent:
        resolve(uid)
    for table in ("outreach_windows", "outreach_enterprises"):
        for uid, township in db.execute(f"SELECT unit_id, township_id FROM {table} WHERE township_id IS NOT NULL"):
            result[uid] = township
    return result


def channel_units(db, actor, channel: str) -> list[ChannelUnit]:
    """Active units of a channel the actor may enter figures for, ordered by code."""
    spec = CHANNELS[channel]
    allowed = access.scope_units(db, actor)
    rows = db.execute(
        f"""SELECT u.id, u.code, u.name, p.name FROM units u LEFT JOIN units p ON p.id = u.parent_id
            WHERE u.active = 1 AND u.type IN ({','.join('?' * len(spec.unit_types))}) ORDER BY u.code""",
        list(spec.unit_types),
    )
    found = []
    for uid, code, name, parent in rows:
        if allowed is not None and uid not in allowed:
            continue
        label = f"{parent} · {name}" if channel in ("schools", "windows") and parent else name
        found.append(ChannelUnit(uid, code, name, f"{label} ({code})", channel))
    return found


def channels_for(db, actor) -> list[str]:
    """The channels in which the actor has at least one unit to enter for."""
    return [key for key in CHANNELS if channel_units(db, actor, key)]


def printables(db, township: str | None = None, kinds=("window", "grid", "class")) -> pd.DataFrame:
    """Locations that get a printed QR flyer: windows, grids and classes with their stable code.

    Columns: kind, code, name, host_code, host (host unit, village or school), township_code,
    township. `township` (a code or name) keeps one township. Ordered by township, kind, code.
    """
    rows = db.execute(
        f"""SELECT u.id, u.type, u.code, u.name, p.code, p.name FROM units u LEFT JOIN units p ON p.id = u.parent_id
            WHERE u.active = 1 AND u.type IN ({','.join('?' * len(kinds))})""",
        list(kinds),
    ).fetchall()
    towns = townships_of(db)
    names = {uid: (code, name) for uid, code, name in db.execute("SELECT id, code, name FROM units")}
    records = []
    for uid, kind, code, name, host_code, host in rows:
        tcode, tname = names.get(towns.get(uid), (None, None))
        records.append([kind, code, name, host_code, host, tcode, tname])
    frame = pd.DataFrame(records, columns=["kind", "code", "name", "host_code", "host", "township_code", "township"])
    if township:
        frame = frame[(frame["township_code"] == township) | (frame["township"] == township)]
    order = {kind: i for i, kind in enumerate(kinds)}
    frame = frame.assign(_k=frame["kind"].map(order)).sort_values(["township_code", "_k", "code"], na_position="last")
    return frame.drop(columns="_k").reset_index(drop=True)


def grid_workers(db) -> dict[int, tuple[str, str | None]]:
    """Each grid's unit id -> (its grid workers, their phone), for grids that name someone (the hand-out cards)."""
    return {uid: (workers, phone) for uid, workers, phone in db.execute("SELECT unit_id, workers, phone FROM outreach_grids")
            if workers}


def class_families(db) -> dict[int, int]:
    """Each class's unit id -> its pupils' families (one take-home slip each)."""
    return dict(db.execute("SELECT unit_id, families FROM outreach_classes").fetchall())


PEOPLE_COLUMNS = ("head_teacher", "workers", "promoters")


def redact(db, actor, frame: pd.DataFrame) -> pd.DataFrame:
    """A channel table as the actor may see it: people's names only for units they may see details of,
    phones masked for everyone but administrators (the rule of staff details)."""

    frame = frame.copy()
    if "unit_id" in frame:
        hidden = [not access.can_see_details(db, actor, int(uid)) for uid in frame["unit_id"]]
        for column in PEOPLE_COLUMNS:
            if column in frame:
                frame.loc[hidden, column] = None
    if "phone" in frame:
        frame["phone"] = [shown_phone(actor, p) if p else "" for p in frame["phone"]]
        if "unit_id" in frame:
            frame.loc[hidden, "phone"] = ""
    return frame


# ---- daily entry -------------------------------------------------------------------------

def check_field(field: str, value, max_daily: int):
    """(value, None) for a valid entry of `field`, else (None, reason code)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None, "outreach.row.empty"
    if field in FLAG_FIELDS:
        if isinstance(value, bool):
            return int(value), None
        text = str(value).strip().lower()
        if text in YES:
            return 1, None
        if text in NO:
            return 0, None
        return None, "row.bad_flag"
    number, reason = installs.check_value(value, max_daily)
    if reason == "row.negative":
        return None, "outreach.row.negative"
    if reason == "row.above_max":
        return None, "outreach.row.above_max"
    return number, reason


def _unit_types(db, unit_ids) -> dict[int, tuple]:
    ids = sorted({int(u) for u in unit_ids})
    found = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for uid, code, kind, active in db.execute(
            f"SELECT id, code, type, active FROM units WHERE id IN ({','.join('?' * len(chunk))})", chunk
        ):
            found[uid] = (code, kind, active)
    return found


def check_entries(db, actor, entries, *, now=None, conf=None):
    """Check (unit_id, day, {field: value}) entries; returns (plan, errors). Row numbers count from 1."""
    now = now or clock.now()
    conf = conf or settings.get_all(db)
    max_daily = conf["outreach_max_daily"]
    allowed = access.scope_units(db, actor)
    windows = installs.unlocked_units(db, actor, now)  # issue 20: locked days an administrator opened again
    known = _unit_types(db, [uid for uid, _, _ in entries])
    plan, errors, seen = [], [], {}
    for row, (uid, day, values) in enumerate(entries, start=1):
        info = known.get(int(uid))
        channel = CHANNEL_OF_TYPE.get(info[1]) if info else None
        if info is None or not info[2]:
            errors.append(RowError(row, "unit", "row.unknown_unit", value=uid))
            continue
        if channel is None:
            errors.append(RowError(row, "unit", "outreach.row.not_channel_unit", value=info[0]))
            continue
        if allowed is not None and int(uid) not in allowed:
            errors.append(RowError(row, "unit", "row.outside_scope", value=info[0]))
            continue
        date = day if isinstance(day, dt.date) else parse_date(day)
        if date is None:
            errors.append(RowError(row, "date", "row.bad_date", value=day))
            continue
        state = installs.day_state(conf, actor, date, now, unlocked=int(uid) in windows.get(date.isoformat(), ()))
        if state != "open":
            code = {"future": "row.future_date", "before_start": "row.before_start", "locked": "row.day_locked"}[state]
            errors.append(RowError(row, "date", code, value=date.isoformat(), start=conf["start_date"]))
            continue
        fields = CHANNELS[channel].fields
        extra = sorted(set(values) - set(fields))
        if extra:
            errors.append(RowError(row, extra[0], "outreach.row.not_a_field", value=extra[0]))
        record = dict.fromkeys(REPORT_FIELDS)
        for field in fields:
            number, reason = check_field(field, values.get(field), max_daily)
            if reason:
                errors.append(RowError(row, field, reason, value=values.get(field), max=max_daily))
            record[field] = number
        key = (int(uid), date.isoformat())
        if key in seen:
            errors.append(RowError(row, "date", "outreach.row.duplicate_entry", value=info[0], first=seen[key]))
        seen[key] = row
        plan.append((int(uid), date.isoformat(), record))
    return plan, errors


def current_reports(db, pairs) -> dict[tuple[int, str], tuple[int, dict]]:
    """(unit_id, day) -> (report id, values) for the current report of each pair."""
    found, pairs = {}, list(pairs)
    columns = ", ".join(REPORT_FIELDS)
    for start in range(0, len(pairs), 400):
        chunk = pairs[start : start + 400]
        clause = " OR ".join(["(unit_id = ? AND day = ?)"] * len(chunk))
        for rid, uid, day, *values in db.execute(
            f"SELECT id, unit_id, day, {columns} FROM outreach_reports WHERE superseded_by IS NULL AND ({clause})",
            [v for pair in chunk for v in pair],
        ):
            found[(uid, day)] = (rid, dict(zip(REPORT_FIELDS, values)))
    return found


def apply_reports(db, actor, plan, *, source: str) -> dict:
    """Write checked (unit_id, day, values) rows inside the caller's transaction; a change supersedes.

    The rule of staff installs: a new report is inserted, a changed one is superseded (both kept),
    an identical one is left alone; entries and every correction are audited.
    """
    has_reports = db.execute("SELECT 1 FROM outreach_reports LIMIT 1").fetchone() is not None
    existing = current_reports(db, [(uid, day) for uid, day, _ in plan]) if has_reports else {}
    now = clock.stamp()
    codes = {uid: code for uid, (code, _, _) in _unit_types(db, [uid for uid, _, _ in plan]).items()}
    fresh, corrections, trail = [], [], []
    for uid, day, values in plan:
        old = existing.get((uid, day))
        row = [values[f] for f in REPORT_FIELDS]
        if old is None:
            fresh.append((uid, day, *row, actor.name, now, source))
            if source == "entry":
                trail.append((f"{codes[uid]}/{day}", uid, None, _shown(values)))
        elif old[1] != values:
            corrections.append((old[0], uid, day, row))
            trail.append((f"{codes[uid]}/{day}", uid, _shown(old[1]), _shown(values)))
    columns = ", ".join(REPORT_FIELDS)
    db.conn.executemany(
        f"INSERT INTO outreach_reports (unit_id, day, {columns}, entered_by, entered_at, source)"
        f" VALUES (?, ?, {', '.join('?' * len(REPORT_FIELDS))}, ?, ?, ?)",
        fresh,
    )
    for old_id, uid, day, row in corrections:
        # Mark the old report first (pointing at itself) so the one-current-report index allows the new one.
        db.execute("UPDATE outreach_reports SET superseded_by = id WHERE id = ?", [old_id])
        new_id = db.execute(
            f"INSERT INTO outreach_reports (unit_id, day, {columns}, entered_by, entered_at, source, supersedes)"
            f" VALUES (?, ?, {', '.join('?' * len(REPORT_FIELDS))}, ?, ?, ?, ?)",
            [uid, day, *row, actor.name, now, source, old_id],
        ).lastrowid
        db.execute("UPDATE outreach_reports SET superseded_by = ? WHERE id = ?", [new_id, old_id])
    audit.record_many(db, actor, "enter", "outreach_report", trail)
    return {"new": len(fresh), "corrected": len(corrections), "unchanged": len(plan) - len(fresh) - len(corrections)}


def _shown(values: dict) -> dict:
    return {k: v for k, v in values.items() if v is not None}


def record(db, actor, entries, *, source: str = "entry", now=None) -> dict:
    """Check and write many (unit_id, day, values) entries at once; one bad entry rejects them all."""
    plan, errors = check_entries(db, actor, list(entries), now=now)
    if errors:
        raise RowsRejected(errors)
    with write(db):
        counts = apply_reports(db, actor, plan, source=source)
        if source != "entry":
            audit.record(db, actor, source, "outreach_report", None, detail={"rows": len(plan), **counts})
    return counts


def save_entry(db, actor, unit_id: int, day, values: dict, *, now=None) -> dict:
    """Save one unit's figures for one day from the entry screen (refused outside scope or on a locked day)."""
    day = clock.as_date(day)
    now = now or clock.now()
    found = _unit_types(db, [unit_id]).get(int(unit_id))
    if found is None or CHANNEL_OF_TYPE.get(found[1]) is None:
        raise NotFound("error.unit_not_found", unit=unit_id)
    access.require_write(db, actor, [int(unit_id)])
    state = installs.day_state(settings.get_all(db), actor, day, now,
                               unlocked=installs.is_unlocked(db, actor, int(unit_id), day, now))
    if state != "open":
        raise DayLocked(f"error.day_{state}", day=day.isoformat())
    return record(db, actor, [(int(unit_id), day, values)], source="entry", now=now)


def current_entry(db, unit_id: int, day) -> dict | None:
    """The unit's current report for the day (channel fields only), or None."""
    found = current_reports(db, [(int(unit_id), clock.as_date(day).isoformat())])
    return found[(int(unit_id), clock.as_date(day).isoformat())][1] if found else None


def recent_reports(db, actor, unit_id: int, day, days: int = 7) -> pd.DataFrame:
    """The unit's current reports of the last `days` days up to `day`, newest first."""
    access.require_details(db, actor, int(unit_id))
    day = clock.as_date(day)
    return pd.read_sql_query(
        f"SELECT day, {', '.join(REPORT_FIELDS)}, entered_by, entered_at FROM outreach_reports"
        " WHERE unit_id = ? AND superseded_by IS NULL AND day <= ? AND day > ? ORDER BY day DESC",
        db.conn,
        params=[int(unit_id), day.isoformat(), (day - dt.timedelta(days=days)).isoformat()],
    )


def history(db, unit_id: int) -> pd.DataFrame:
    """Every report of one unit, superseded ones included, newest first."""
    return pd.read_sql_query(
        f"SELECT id, day, {', '.join(REPORT_FIELDS)}, entered_by, entered_at, source, supersedes, superseded_by"
        " FROM outreach_reports WHERE unit_id = ? ORDER BY day DESC, id DESC",
        db.conn,
        params=[int(unit_id)],
    )
