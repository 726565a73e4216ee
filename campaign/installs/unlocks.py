"""Unlock requests: after the entry cut-off a coordinator asks the county anti-fraud centre to open a unit's
day again, with a reason; an administrator approves it for a set time or refuses it with a reason.

While an approved window is open the requester may enter that unit's day, and the units' below it
(`entries.unlocked_units`, which `entries.day_state` and the outreach entry honour); the window closes
by itself at `until` (an administrator may close it sooner). Every step is audited.
"""

import datetime as dt

import pandas as pd

from campaign.infra import audit, clock, settings
from campaign.infra.db import write
from campaign.infra.errors import InvalidValue, NotFound
from campaign.infra.parse import parse_date
from campaign.infra.settings import integer
from campaign.installs import entries
from campaign.org import access, units

# What a request is at a moment: awaiting an answer, approved and open, approved and closed, refused.
OPEN, ACTIVE, EXPIRED, REFUSED = "open", "active", "expired", "refused"
STATES = (OPEN, ACTIVE, EXPIRED, REFUSED)
MAX_TEXT = 300


def _text(value, code: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise InvalidValue(code, value="")
    if len(text) > MAX_TEXT:
        raise InvalidValue("unlock.too_long", value=len(text), max=MAX_TEXT)
    return text


def state_of(status: str, until, now: dt.datetime) -> str:
    """open, active (approved, window open), expired (approved, window closed) or refused."""
    if status == "approved":
        return ACTIVE if until and now < dt.datetime.fromisoformat(until) else EXPIRED
    return status


def request(db, actor, unit_id: int, day, reason: str, *, now=None) -> int:
    """Ask for a locked day of a unit in the actor's scope to be opened again (coordinators, grid workers); its id."""
    access.require_write(db, actor, [int(unit_id)], roles=access.SCOPED)
    unit = units.get_unit(db, int(unit_id))
    now = now or clock.now()
    day = clock.as_date(day) if not isinstance(day, str) else parse_date(day)
    if day is None:
        raise InvalidValue("error.bad_date", value="")
    state = entries.day_state(settings.get_all(db), actor, day, now)
    if state == "open":
        raise InvalidValue("unlock.not_locked", day=day.isoformat())
    if state != "locked":
        raise InvalidValue(f"error.day_{state}", day=day.isoformat())
    reason = _text(reason, "unlock.no_reason")
    with write(db):
        if entries.is_unlocked(db, actor, unit.id, day, now):
            raise InvalidValue("unlock.already_open", day=day.isoformat(), unit=unit.name)
        if db.execute("SELECT 1 FROM install_unlocks WHERE requested_by = ? AND unit_id = ? AND day = ? AND status = 'open'",
                      [actor.name, unit.id, day.isoformat()]).fetchone():
            raise InvalidValue("unlock.pending", day=day.isoformat(), unit=unit.name)
        request_id = db.execute(
            "INSERT INTO install_unlocks (unit_id, day, requested_by, reason, requested_at) VALUES (?, ?, ?, ?, ?)",
            [unit.id, day.isoformat(), actor.name, reason, now.isoformat(timespec="seconds")]).lastrowid
        audit.record(db, actor, "request", "install_unlock", request_id, unit_id=unit.id,
                     new={"day": day.isoformat(), "reason": reason})
    return request_id


def _open_row(db, request_id: int) -> dict:
    cursor = db.execute("SELECT * FROM install_unlocks WHERE id = ?", [int(request_id)])
    row = cursor.fetchone()
    if row is None:
        raise NotFound("unlock.no_such_request", value=request_id)
    return dict(zip([c[0] for c in cursor.description], row))


def approve(db, actor, request_id: int, *, hours=None, note: str = "", now=None) -> str:
    """Open the requested day for `hours` (default: the setting unlock_hours) from now (administrators); the closing time."""
    access.require_admin(actor)
    now = now or clock.now()
    hours = integer(1, 72)(settings.get(db, "unlock_hours") if hours is None else hours)
    note = " ".join(str(note or "").split())[:MAX_TEXT] or None
    until = (now + dt.timedelta(hours=hours)).isoformat(timespec="seconds")
    with write(db):
        row = _open_row(db, request_id)
        if row["status"] != OPEN:
            raise InvalidValue("unlock.decided", value=request_id)
        db.execute("UPDATE install_unlocks SET status = 'approved', decided_by = ?, decided_at = ?, answer = ?, until = ?"
                   " WHERE id = ?", [actor.name, now.isoformat(timespec="seconds"), note, until, int(request_id)])
        audit.record(db, actor, "approve", "install_unlock", request_id, unit_id=row["unit_id"], old={"status": OPEN},
                     new={"status": "approved", "day": row["day"], "requested_by": row["requested_by"], "until": until,
                          "hours": hours, "note": note})
    return until


def refuse(db, actor, request_id: int, reason: str, *, now=None) -> None:
    """Refuse a request with the reason the coordinator will read (administrators)."""
    access.require_admin(actor)
    now = now or clock.now()
    reason = _text(reason, "unlock.no_refusal_reason")
    with write(db):
        row = _open_row(db, request_id)
        if row["status"] != OPEN:
            raise InvalidValue("unlock.decided", value=request_id)
        db.execute("UPDATE install_unlocks SET status = 'refused', decided_by = ?, decided_at = ?, answer = ? WHERE id = ?",
                   [actor.name, now.isoformat(timespec="seconds"), reason, int(request_id)])
        audit.record(db, actor, "refuse", "install_unlock", request_id, unit_id=row["unit_id"], old={"status": OPEN},
                     new={"status": "refused", "day": row["day"], "requested_by": row["requested_by"], "reason": reason})


def close(db, actor, request_id: int, *, now=None) -> None:
    """Close an open window before its time (administrators: the correction is done)."""
    access.require_admin(actor)
    now = now or clock.now()
    with write(db):
        row = _open_row(db, request_id)
        if state_of(row["status"], row["until"], now) != ACTIVE:
            raise InvalidValue("unlock.not_active", value=request_id)
        closed = now.isoformat(timespec="seconds")
        db.execute("UPDATE install_unlocks SET until = ? WHERE id = ?", [closed, int(request_id)])
        audit.record(db, actor, "close", "install_unlock", request_id, unit_id=row["unit_id"],
                     old={"until": row["until"]}, new={"until": closed})


_SELECT = """SELECT r.id, r.unit_id, u.code, u.name AS unit, r.day, r.requested_by, r.reason, r.requested_at,
                    r.status, r.decided_by, r.decided_at, r.answer, r.until
             FROM install_unlocks r JOIN units u ON u.id = r.unit_id"""


def _framed(frame: pd.DataFrame, now) -> pd.DataFrame:
    frame["state"] = [state_of(s, u, now) for s, u in zip(frame["status"], frame["until"].where(frame["until"].notna(), None))]
    order = {OPEN: 0, ACTIVE: 1, EXPIRED: 2, REFUSED: 2}
    frame["_order"] = frame["state"].map(order)
    # open requests first, the longest waiting on top; then the open windows; then the rest, newest first
    first = frame[frame["_order"] < 2].sort_values(["_order", "requested_at", "id"])
    rest = frame[frame["_order"] == 2].sort_values(["requested_at", "id"], ascending=False)
    return pd.concat([first, rest]).drop(columns="_order").reset_index(drop=True)


def list_requests(db, *, now=None, limit: int = 500) -> pd.DataFrame:
    """Every request for the administrators' page: open ones first (longest waiting on top), then open windows,
    then the answered ones, newest first."""
    frame = pd.read_sql_query(_SELECT + " ORDER BY r.id DESC LIMIT ?", db.conn, params=[int(limit)])
    return _framed(frame, now or clock.now())


def mine(db, actor, *, unit_id=None, now=None) -> pd.DataFrame:
    """The actor's own requests (of one unit, when given), as list_requests orders them: what the entry page answers."""
    sql = _SELECT + " WHERE r.requested_by = ?" + (" AND r.unit_id = ?" if unit_id is not None else "") + " ORDER BY r.id DESC LIMIT 50"
    params = [actor.name] + ([int(unit_id)] if unit_id is not None else [])
    return _framed(pd.read_sql_query(sql, db.conn, params=params), now or clock.now())

