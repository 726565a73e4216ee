"""Sampled spot checks: the centre checks a random sample of a unit's staff, without warning, drawn from a
recorded seed so that anyone can draw the same sample again and check the result.

A sample is `size` people (the setting spot_check_sample: a number, or a share such as 20%) drawn with
random.Random(seed) from the unit's active staff in id order; the people whose last check (in an earlier
round) failed are drawn again on top of it (re-checks). The result per person: installed, registered, not
found (the person could not be found: counts as failed), and a short note — no resident data, no photos.
Administrators write; every write is audited.
"""

import math
import random
import re
import secrets
from decimal import Decimal

import pandas as pd

from campaign.infra import audit, clock, settings
from campaign.infra.db import write
from campaign.infra.errors import InvalidValue, NotFound, RowError, RowsRejected
from campaign.org import access, units
from campaign.supervision import spot_checks as supervision
from campaign.supervision.settings import parse_sample_size

MAX_NOTE = 100
MAX_SEED = 2**63 - 1
# A note says what the checker saw ("已卸载", "手机不在身边"), never whom they phoned: no phone or ID numbers.
PERSONAL = re.compile(r"\d{7,}|\d{17}[\dXx]")


# ---- the size and the draw, pure -----------------------------------------------------------

def size_for(setting: str, pool: int) -> int:
    """How many people a sample of a unit with `pool` active staff draws: the number (at most the pool), or the
    share rounded up (at least one)."""
    if pool <= 0:
        return 0
    if str(setting).endswith("%"):
        return min(pool, max(1, math.ceil(pool * float(Decimal(str(setting).rstrip("%"))) / 100)))
    return min(pool, int(setting))


def draw(staff_ids: list[int], size: int, seed: int) -> list[int]:
    """`size` of the staff ids, drawn by random.Random(seed) from them in ascending order: the same seed and
    staff give the same sample, on any machine."""
    pool = sorted(int(s) for s in staff_ids)
    return random.Random(int(seed)).sample(pool, min(int(size), len(pool)))


def new_seed() -> int:
    """A fresh seed (from the operating system's randomness: nobody can foresee the sample)."""
    return secrets.randbelow(10**9)


def _seed(value) -> int:
    if value is None or str(value).strip() == "":
        return new_seed()
    try:
        seed = int(str(value).strip())
    except ValueError:
        raise InvalidValue("sample.bad_seed", value=value) from None
    if not 0 <= seed <= MAX_SEED:
        raise InvalidValue("sample.bad_seed", value=value)
    return seed


def _size(db, size) -> str:
    return parse_sample_size(settings.get(db, "spot_check_sample") if size is None or str(size).strip() == "" else size)


# ---- who is drawn --------------------------------------------------------------------------

def _pool(db, unit_id: int) -> list[int]:
    """The active staff of the unit and the units below it, by id."""
    below = sorted(units.descendants(db, [int(unit_id)]))
    return [sid for (sid,) in db.execute(
        f"SELECT id FROM staff WHERE active = 1 AND unit_id IN ({','.join('?' * len(below))}) ORDER BY id", below)]


def preview(db, unit_id: int, *, size=None, seed=None) -> dict:
    """A draw without recording it (the command line's `spot-check sample`): seed, size, pool and the people
    (staff_id, name, unit) in the order drawn. The same seed over the same staff draws the same people."""
    units.get_unit(db, int(unit_id))
    pool, seed = _pool(db, unit_id), _seed(seed)
    drawn = draw(pool, size_for(_size(db, size), len(pool)), seed)
    return {"seed": seed, "size": len(drawn), "pool": len(pool), "people": _people(db, drawn)}


def _people(db, staff_ids: list[int]) -> list[dict]:
    if not staff_ids:
        return []
    rows = {sid: (name, unit) for sid, name, unit in db.execute(
        f"SELECT s.id, s.name, u.name FROM staff s JOIN units u ON u.id = s.unit_id WHERE s.id IN ({','.join('?' * len(staff_ids))})",
        staff_ids)}
    return [{"staff_id": sid, "name": rows[sid][0], "unit": rows[sid][1]} for sid in staff_ids]


def failed_before(db, round_id: int, staff_ids) -> list[int]:
    """Of these people, those whose latest check in a round before this one failed (not installed and registered,
    or not found): they are checked again."""
    day = supervision.get_round(db, round_id)["day"]
    wanted = set(int(s) for s in staff_ids)
    latest: dict = {}
    for sid, compliant in db.execute(
            """SELECT i.staff_id, i.installed * i.registered * (1 - i.not_found) FROM spot_check_items i
               JOIN supervision_rounds r ON r.id = i.round_id WHERE r.day < ? OR (r.day = ? AND r.id < ?)
               ORDER BY r.day, r.id""", [day, day, int(round_id)]):
        if sid in wanted:
            latest[sid] = compliant
    return sorted(sid for sid, compliant in latest.items() if not compliant)


# ---- recording ---------------------------------------------------------------------------

def draw_sample(db, actor, round_id: int, unit_id: int, *, size=None, seed=None) -> int:
    """Draw and record a unit's sample in a round (administrators; audited): the random part from the seed
    (a new one when none is given), then the people who failed before. Its id."""
    access.require_admin(actor)
    supervision.get_round(db, round_id)
    unit = units.get_unit(db, int(unit_id))
    setting, seed = _size(db, size), _seed(seed)
    with write(db):
        if db.execute("SELECT 1 FROM spot_check_samples WHERE round_id = ? AND unit_id = ?", [int(round_id), unit.id]).fetchone():
            raise InvalidValue("sample.exists", unit=unit.name)
        pool = _pool(db, unit.id)
        if not pool:
            raise InvalidValue("sample.no_staff", unit=unit.name)
        drawn = draw(pool, size_for(setting, len(pool)), seed)
        again = [sid for sid in failed_before(db, round_id, pool) if sid not in set(drawn)]
        sample_id = db.execute(
            "INSERT INTO spot_check_samples (round_id, unit_id, seed, size, pool, drawn_by, drawn_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [int(round_id), unit.id, str(seed), len(drawn), len(pool), actor.name, clock.stamp()]).lastrowid
        db.conn.executemany(
            "INSERT INTO spot_check_sample_people (sample_id, staff_id, position, recheck) VALUES (?, ?, ?, ?)",
            [(sample_id, sid, position, int(position > len(drawn))) for position, sid in enumerate(drawn + again, start=1)])
        audit.record(db, actor, "create", "spot_check_sample", sample_id, unit_id=unit.id,
                     new={"round": int(round_id), "seed": seed, "size": len(drawn), "setting": setting, "pool": len(pool),
                          "rechecks": len(again)})
    return sample_id


def get_sample(db, sample_id: int) -> dict:
    """One sample: round, unit, seed, size, pool, check (None until its results are recorded)."""
    cursor = db.execute("""SELECT s.*, u.code, u.name AS unit, r.name AS round FROM spot_check_samples s
                           JOIN units u ON u.id = s.unit_id JOIN supervision_rounds r ON r.id = s.round_id WHERE s.id = ?""",
                        [int(sample_id)])
    row = cursor.fetchone()
    if row is None:
        raise NotFound("sample.no_such_sample", value=sample_id)
    return dict(zip([c[0] for c in cursor.description], row))


def sample_people(db, actor, sample_id: int) -> pd.DataFrame:
    """The people of a sample in the order drawn (re-checks last), with their results once recorded (names:
    only to who may see the unit's staff)."""
    sample = get_sample(db, sample_id)
    access.require_details(db, actor, sample["unit_id"])
    frame = pd.read_sql_query(
        """SELECT p.position, p.staff_id, s.name, u.name AS unit, p.recheck, i.installed, i.registered, i.not_found, i.note
           FROM spot_check_sample_people p JOIN staff s ON s.id = p.staff_id JOIN units u ON u.id = s.unit_id
           LEFT JOIN spot_check_items i ON i.check_id = ? AND i.staff_id = p.staff_id
           WHERE p.sample_id = ? ORDER BY p.position""", db.conn, params=[sample["check_id"], int(sample_id)])
    frame["recheck"] = frame["recheck"].astype(bool)
    frame["outcome"] = [outcome(i, r, n) for i, r, n in zip(frame["installed"], frame["registered"], frame["not_found"])]
    return frame


def outcome(installed, registered, not_found) -> str | None:
    """compliant (installed and registered), installed (not registered), not_installed, not_found; None: not checked yet."""
    if installed is None or (isinstance(installed, float) and math.isnan(installed)):
        return None
    if not_found:
        return "not_found"
    return "compliant" if installed and registered else "installed" if installed else "not_installed"


def record_results(db, actor, sample_id: int, day, checker: str, results: dict) -> int:
    """Record what was found for every person of a sample: {staff_id: (installed, registered, not_found, note)}.

    Refused whole (RowsRejected, rows numbered in the sample's order) when a person of the sample has no
    result or someone else has one, when a person is registered but not installed, not found but ticked,
    already checked in this round, or the note is long or holds a phone or ID number. Its spot check's id.
    """
    access.require_admin(actor)
    sample = get_sample(db, sample_id)
    day = supervision._past_day(day)
    checker = str(checker or "").strip()
    if not checker:
        raise InvalidValue("sup.no_checker", value=checker)
    results = {int(sid): value for sid, value in results.items()}
    with write(db):
        if get_sample(db, sample_id)["check_id"] is not None:
            raise InvalidValue("sample.recorded", unit=sample["unit"])
        people = [sid for (sid,) in db.execute(
            "SELECT staff_id FROM spot_check_sample_people WHERE sample_id = ? ORDER BY position", [int(sample_id)])]
        done = {sid for (sid,) in db.execute("SELECT staff_id FROM spot_check_items WHERE round_id = ?", [sample["round_id"]])}
        items, errors = _check_results(people, results, done)
        if errors:
            raise RowsRejected(errors)
        check_id = supervision._insert_check(db, actor, sample["round_id"], sample["unit_id"], day, checker,
                                             [(sid, installed, registered) for sid, installed, registered, _, _ in items])
        db.conn.executemany("UPDATE spot_check_items SET not_found = ?, note = ? WHERE check_id = ? AND staff_id = ?",
                            [(int(nf), note, check_id, sid) for sid, _, _, nf, note in items if nf or note])
        db.execute("UPDATE spot_check_samples SET check_id = ? WHERE id = ?", [check_id, int(sample_id)])
        audit.record(db, actor, "record", "spot_check_sample", sample_id, unit_id=sample["unit_id"],
                     new={"check": check_id, "day": day.isoformat(), "checker": checker, "checked": len(items),
                          "compliant": sum(1 for _, i, r, nf, _ in items if i and r and not nf),
                          "not_found": sum(1 for *_, nf, _ in items if nf)})
    return check_id


def _check_results(people: list[int], results: dict, done: set) -> tuple[list, list]:
    items, errors = [], []
    for row, sid in enumerate(people, start=1):
        if sid not in results:
            errors.append(RowError(row, "name", "sample.row.no_result", value=sid))
            continue
        installed, registered, not_found, note = results[sid]
        installed, registered, not_found = bool(installed), bool(registered), bool(not_found)
        note = " ".join(str(note or "").split()) or None
        if sid in done:
            errors.append(RowError(row, "name", "sup.row.checked_in_round", value=sid))
        if registered and not installed:
            errors.append(RowError(row, "app_registered", "sup.row.registered_not_installed", value=sid))
        if not_found and (installed or registered):
            errors.append(RowError(row, "not_found", "sample.row.not_found_but_ticked", value=sid))
        if note and len(note) > MAX_NOTE:
            errors.append(RowError(row, "note", "sample.row.note_too_long", value=len(note), max=MAX_NOTE))
        elif note and PERSONAL.search(note):
            errors.append(RowError(row, "note", "sample.row.note_personal", value=sid))
        items.append((sid, installed, registered, not_found, note))
    for row, sid in enumerate(sorted(set(results) - set(people)), start=len(people) + 1):
        errors.append(RowError(row, "name", "sample.row.not_in_sample", value=sid))
    return items, errors


def list_samples(db, round_id: int | None = None) -> pd.DataFrame:
    """Samples (of one round), with their unit, seed, size, re-checks and whether their results are in."""
    frame = pd.read_sql_query(
        """SELECT s.id, s.round_id, r.name AS round, s.unit_id, u.code, u.name AS unit, s.seed, s.size, s.pool, s.check_id,
                  s.drawn_by, s.drawn_at, (SELECT COUNT(*) FROM spot_check_sample_people p WHERE p.sample_id = s.id AND p.recheck = 1)
                  AS rechecks
           FROM spot_check_samples s JOIN units u ON u.id = s.unit_id JOIN supervision_rounds r ON r.id = s.round_id
           WHERE (:round IS NULL OR s.round_id = :round) ORDER BY r.day DESC, s.id DESC""",
        db.conn, params={"round": round_id})
    frame["recorded"] = frame["check_id"].notna()
    return frame
