"""Supervision rounds (督导) and spot checks (抽查) of a unit's own staff: storage, rules, import.

Each person checked is recorded as installed yes/no and registered yes/no, nothing more.
Figures per unit and round: checked, installed, registered, compliant, the compliance rate,
and a flag when the rate is below the setting `spot_check_min_rate`. Administrators write;
every write is audited.
"""

import re

import pandas as pd

from campaign.infra import audit, clock, settings
from campaign.infra.db import write
from campaign.infra.errors import InvalidValue, NotFound, RowError, RowsRejected
from campaign.infra.imports import ImportKind
from campaign.infra.parse import key, parse_date, typed_name
from campaign.org import access, staff, units
from campaign.supervision import rules

# ---- rounds ------------------------------------------------------------------------------


def add_round(db, actor, name: str, day) -> int:
    """Open a supervision round under a name and a date (administrators; audited)."""
    access.require_admin(actor)
    name = typed_name(name)
    day = _past_day(day)
    with write(db):
        if any(key(other) == key(name) for (other,) in db.execute("SELECT name FROM supervision_rounds")):
            raise InvalidValue("sup.round_exists", value=name)
        round_id = _insert_round(db, actor, name, day)
    return round_id


def _insert_round(db, actor, name, day) -> int:
    round_id = db.execute(
        "INSERT INTO supervision_rounds (name, day, created_by, created_at) VALUES (?, ?, ?, ?)",
        [name, day.isoformat(), actor.name, clock.stamp()],
    ).lastrowid
    audit.record(db, actor, "create", "supervision_round", round_id, new={"name": name, "day": day.isoformat()})
    return round_id


def list_rounds(db) -> pd.DataFrame:
    """Every round, newest first, with its units and staff checked and its overall compliance."""
    frame = pd.read_sql_query(
        """SELECT r.id AS round_id, r.name AS round, r.day,
                  COUNT(DISTINCT c.unit_id) AS units,
                  COUNT(i.staff_id) AS checked,
                  COALESCE(SUM(i.installed), 0) AS installed,
                  COALESCE(SUM(i.registered), 0) AS registered,
                  COALESCE(SUM(i.installed * i.registered), 0) AS compliant
           FROM supervision_rounds r
           LEFT JOIN spot_checks c ON c.round_id = r.id
           LEFT JOIN spot_check_items i ON i.check_id = c.id
           GROUP BY r.id ORDER BY r.day DESC, r.id DESC""",
        db.conn,
    )
    frame["rate"] = [c / n if n else None for c, n in zip(frame["compliant"], frame["checked"])]
    return frame


def get_round(db, round_id: int) -> dict:
    row = db.execute("SELECT id, name, day FROM supervision_rounds WHERE id = ?", [round_id]).fetchone()
    if row is None:
        raise NotFound("sup.no_such_round", value=round_id)
    return {"id": row[0], "name": row[1], "day": row[2]}


# ---- spot checks -------------------------------------------------------------------------


def record_check(db, actor, round_id: int, unit_id: int, day, checker: str, items) -> int:
    """Record one spot check of a unit's staff: items are (staff_id, installed, registered) booleans.

    Refused whole (RowsRejected, one RowError per bad item, numbered from 1) when a person is not
    active staff of the unit, is listed twice or was already checked in this round, or is
    registered without the app installed.
    """
    access.require_admin(actor)
    get_round(db, round_id)
    units.get_unit(db, unit_id)
    day = _past_day(day)
    checker = str(checker or "").strip()
    if not checker:
        raise InvalidValue("sup.no_checker", value=checker)
    items = [(int(sid), bool(installed), bool(registered)) for sid, installed, registered in items]
    if not items:
        raise InvalidValue("sup.no_staff_checked", value="")
    with write(db):
        errors = _check_items(db, round_id, unit_id, items)
        if errors:
            raise RowsRejected(errors)
        check_id = _insert_check(db, actor, round_id, unit_id, day, checker, items)
    return check_id


def _check_items(db, round_id, unit_id, items) -> list[RowError]:
    active = {sid for (sid,) in db.execute("SELECT id FROM staff WHERE unit_id = ? AND active = 1", [unit_id])}
    done = {sid for (sid,) in db.execute("SELECT staff_id FROM spot_check_items WHERE round_id = ?", [round_id])}
    errors, seen = [], {}
    for row, (sid, installed, registered) in enumerate(items, start=1):
        if sid not in active:
            errors.append(RowError(row, "name", "sup.row.not_unit_staff", value=sid))
        elif sid in seen:
            errors.append(RowError(row, "name", "sup.row.twice", value=sid, first=seen[sid]))
        elif sid in done:
            errors.append(RowError(row, "name", "sup.row.checked_in_round", value=sid))
        seen.setdefault(sid, row)
        if registered and not installed:
            errors.append(RowError(row, "app_registered", "sup.row.registered_not_installed", value=sid))
    return errors


def _insert_check(db, actor, round_id, unit_id, day, checker, items) -> int:
    check_id = db.execute(
        "INSERT INTO spot_checks (round_id, unit_id, day, checker, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [round_id, unit_id, day.isoformat(), checker, actor.name, clock.stamp()],
    ).lastrowid
    db.conn.executemany(
        "INSERT INTO spot_check_items (check_id, round_id, staff_id, installed, registered) VALUES (?, ?, ?, ?, ?)",
        [(check_id, round_id, sid, int(i), int(r)) for sid, i, r in items],
    )
    audit.record(db, actor, "create", "spot_check", check_id, unit_id=unit_id,
                 new={"round": round_id, "day": day.isoformat(), "checker": checker, "checked": len(items),
                      "installed": sum(i for _, i, _ in items), "registered": sum(r for *_, r in items)})
    return check_id


def delete_check(db, actor, check_id: int) -> None:
    """Remove a spot check entered by mistake, with its items (administrators; audited)."""
    access.require_admin(actor)
    with write(db):
        row = db.execute("SELECT unit_id, round_id, day, checker FROM spot_checks WHERE id = ?", [check_id]).fetchone()
        if row is None:
            raise NotFound("sup.no_such_check", value=check_id)
        counts = db.execute("SELECT COUNT(*), SUM(installed), SUM(registered) FROM spot_check_items WHERE check_id = ?",
                            [check_id]).fetchone()
        db.execute("DELETE FROM spot_check_items WHERE check_id = ?", [check_id])
        db.execute("UPDATE spot_check_samples SET check_id = NULL WHERE check_id = ?", [check_id])  # its sample awaits results again
        db.execute("DELETE FROM spot_checks WHERE id = ?", [check_id])
        audit.record(db, actor, "delete", "spot_check", check_id, unit_id=row[0],
                     old={"round": row[1], "day": row[2], "checker": row[3], "checked": counts[0],
                          "installed": counts[1], "registered": counts[2]})


def list_checks(db, round_id: int | None = None) -> pd.DataFrame:
    """Spot checks (optionally of one round), newest first, with their figures."""
    frame = pd.read_sql_query(
        """SELECT c.id AS check_id, c.round_id, r.name AS round, c.day, c.checker, c.unit_id, u.code, u.name AS unit,
                  COUNT(i.staff_id) AS checked, SUM(i.installed) AS installed, SUM(i.registered) AS registered,
                  SUM(i.installed * i.registered) AS compliant
           FROM spot_checks c JOIN supervision_rounds r ON r.id = c.round_id JOIN units u ON u.id = c.unit_id
           LEFT JOIN spot_check_items i ON i.check_id = c.id
           WHERE (:round IS NULL OR c.round_id = :round)
           GROUP BY c.id ORDER BY c.day DESC, c.id DESC""",
        db.conn, params={"round": round_id},
    )
    frame["rate"] = frame["compliant"] / frame["checked"]
    return frame


def check_items(db, actor, check_id: int) -> pd.DataFrame:
    """The people checked in one spot check, yes/no each (names shown only to who may see the unit's staff)."""
    row = db.execute("SELECT unit_id FROM spot_checks WHERE id = ?", [check_id]).fetchone()
    if row is None:
        raise NotFound("sup.no_such_check", value=check_id)
    access.require_details(db, actor, row[0])
    return pd.read_sql_query(
        """SELECT s.name, i.installed, i.registered FROM spot_check_items i JOIN staff s ON s.id = i.staff_id
           WHERE i.check_id = ? ORDER BY s.id""",
        db.conn, params=[check_id],
    ).astype({"installed": bool, "registered": bool})


def compliance(db, round_id: int | None = None, *, conf=None) -> pd.DataFrame:
    """Per unit and round: checked, installed, registered, compliant, rate and the below-the-mark flag.

    Ordered by round (newest first), then worst rate first.
    """
    conf = conf or settings.get_all(db)
    items = pd.read_sql_query(
        """SELECT c.round_id, r.name AS round, r.day AS round_day, c.unit_id, u.code, u.name AS unit, u.type,
                  i.installed, i.registered
           FROM spot_check_items i JOIN spot_checks c ON c.id = i.check_id
           JOIN supervision_rounds r ON r.id = c.round_id JOIN units u ON u.id = c.unit_id
           WHERE (:round IS NULL OR c.round_id = :round)""",
        db.conn, params={"round": round_id},
    )
    keys = ["round_id", "round", "round_day", "unit_id", "code", "unit", "type"]
    table = rules.compliance(items, keys, conf["spot_check_min_rate"])
    if table.empty:
        return table.assign(group=pd.Series(dtype=str))
    table["group"] = table["type"].map(units.group_of)
    table = table.sort_values(["round_day", "round_id", "rate", "code"], ascending=[False, False, True, True])
    return table.reset_index(drop=True)


def flagged(db, round_id: int | None = None, *, conf=None) -> pd.DataFrame:
    """Units whose compliance in a round is below the pass mark (the failed spot checks)."""
    table = compliance(db, round_id, conf=conf)
    return table[table["flagged"]].reset_index(drop=True)


def unit_staff(db, actor, unit_id: int) -> pd.DataFrame:
    """The active staff of a unit to tick in a spot check (phones as the actor may see them)."""
    return staff.list_staff(db, actor, unit_id)[["id", "name", "phone"]]


def _past_day(value):
    day = clock.as_date(value) if not isinstance(value, str) else parse_date(value)
    if day is None:
        raise InvalidValue("error.bad_date", value=value)
    if day > clock.today():
        raise InvalidValue("error.day_future", day=day.isoformat())
    return day


# ---- import: a spot-check sheet ----------------------------------------------------------

PHONE = re.compile(r"[\s-]")


def validate_checks(db, actor, frame, conf):
    """Rows of people checked; rows with the same round, unit, date and checker make one spot check.

    An unknown round name opens a new round dated by its earliest row.
    """
    errors, plan = [], {}
    ids = units.lookup(db)
    people = staff.index_by_unit_and_name(db)
    active = {sid for (sid,) in db.execute("SELECT id FROM staff WHERE active = 1")}
    rounds = {key(name): rid for name, rid in db.execute("SELECT name, id FROM supervision_rounds")}
    done = {(rid, sid) for rid, sid in db.execute("SELECT round_id, staff_id FROM spot_check_items")}
    seen = {}
    for row in frame.itertuples(index=False):
        r = row.line
        if not row.check_round:
            errors.append(RowError(r, "check_round", "row.missing"))
        if not row.checker:
            errors.append(RowError(r, "checker", "row.missing"))
        day = parse_date(row.date)
        if day is None:
            errors.append(RowError(r, "date", "row.bad_date", value=row.date))
        elif day > clock.today():
            errors.append(RowError(r, "date", "row.future_date", value=day.isoformat()))
        flags = {}
        for column in ("app_installed", "app_registered"):
            flags[column] = rules.parse_flag(getattr(row, column))
            if flags[column] is None:
                errors.append(RowError(r, column, "row.bad_flag", value=getattr(row, column)))
        if flags["app_registered"] and flags["app_installed"] is False:
            errors.append(RowError(r, "app_registered", "sup.row.registered_not_installed", value=row.name))
        uid, sid = ids.get(row.unit), None
        if uid is None:
            errors.append(RowError(r, "unit", "row.unknown_unit", value=row.unit))
        else:
            phone = PHONE.sub("", row.phone) or None
            matches = [m for m in people.get((uid, key(row.name)), []) if phone is None or m[1] == phone]
            if not matches:
                errors.append(RowError(r, "name", "row.unknown_person", value=row.name, unit=row.unit))
            elif len(matches) > 1:
                errors.append(RowError(r, "name", "row.ambiguous_person", value=row.name, unit=row.unit))
            elif matches[0][0] not in active:
                errors.append(RowError(r, "name", "row.inactive_person", value=row.name))
            else:
                sid = matches[0][0]
        if sid is None or day is None or not row.check_round or not row.checker:
            continue
        checked = (key(row.check_round), sid)
        if checked in seen:
            errors.append(RowError(r, "name", "row.duplicate_person", value=row.name, first=seen[checked]))
            continue
        seen[checked] = r
        if (rounds.get(key(row.check_round)), sid) in done:
            errors.append(RowError(r, "name", "sup.row.checked_in_round", value=row.name))
            continue
        check = plan.setdefault((row.check_round, uid, day, row.checker), [])
        check.append((sid, bool(flags["app_installed"]), bool(flags["app_registered"])))
    return plan, errors


def apply_checks(db, actor, plan):
    """Write the planned checks (inside the import's transaction), opening new rounds as needed."""
    rounds = {key(name): rid for name, rid in db.execute("SELECT name, id FROM supervision_rounds")}
    first_day = {}
    for name, _uid, day, _checker in plan:
        first_day[name] = min(first_day.get(name, day), day)
    new_rounds = 0
    for name, day in sorted(first_day.items(), key=lambda item: (item[1], item[0])):
        if key(name) not in rounds:
            rounds[key(name)] = _insert_round(db, actor, name, day)
            new_rounds += 1
    for (name, uid, day, checker), items in plan.items():
        _insert_check(db, actor, rounds[key(name)], uid, day, checker, items)
    return {"new": sum(len(items) for items in plan.values()), "checks": len(plan), "rounds": new_rounds}


KINDS = {
    "spot_checks": ImportKind(
        columns={"check_round": ("督导轮次", "轮次", "督导"), "date": ("抽查日期", "日期", "检查日期"),
                 "checker": ("检查人", "抽查人", "督导人"), "unit": ("单位", "单位名称", "被查单位"),
                 "name": ("姓名", "被查人员"), "phone": ("手机号", "手机", "电话"),
                 "app_installed": ("是否安装", "已安装", "安装"), "app_registered": ("是否注册", "已注册", "注册")},
        required=("check_round", "date", "checker", "unit", "name", "app_installed", "app_registered"),
        validate=validate_checks, apply=apply_checks, admin_only=True,
        example=[["第一轮督导", "2026-11-10", "县反诈中心 李四", "县示例局", "张三", "", "是", "否"]],
    ),
}
