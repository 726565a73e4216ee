"""Personal codes (一人一码, issue 18): one per employee, stable, short, printable and not guessable from the name.

Seven characters from an alphabet without look-alikes (no 0/O, 1/I/L): 31⁷ ≈ 27 billion codes, drawn with
`secrets`, so knowing a colleague's name or code tells nothing about another's. A code never changes once
issued (it is printed on cards); it is unique among persons and never equal to a unit's code. Existing
staff get theirs from the feature's rebuild (once, after the migration), new staff whenever the units or
staff change (the hook campaign.infra.hooks.UNITS_CHANGED) and, at the latest, when their cards are made.
"""

import random
import secrets
from dataclasses import dataclass

from campaign.infra import clock
from campaign.org import access

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 7


@dataclass(frozen=True)
class Person:
    """An employee with their personal code, for a card."""

    staff_id: int
    code: str
    name: str
    unit_id: int
    unit: str
    active: bool


def new_code(rng, taken) -> str:
    """A fresh code not in `taken` (the codes of persons and units)."""
    while True:
        code = "".join(rng.choice(ALPHABET) for _ in range(LENGTH))
        if code not in taken:
            return code


def issue_missing(db, rng: random.Random | None = None) -> int:
    """Give every employee without a personal code one (inside the caller's transaction); returns how many."""
    missing = [sid for (sid,) in db.execute(
        "SELECT s.id FROM staff s LEFT JOIN scan_codes c ON c.staff_id = s.id WHERE c.staff_id IS NULL ORDER BY s.id")]
    if not missing:
        return 0
    rng = rng or secrets.SystemRandom()
    taken = {code for (code,) in db.execute("SELECT code FROM scan_codes")}
    taken |= {code for (code,) in db.execute("SELECT code FROM units")}
    rows, at = [], clock.stamp()
    for sid in missing:
        code = new_code(rng, taken)
        taken.add(code)
        rows.append((sid, code, at))
    db.conn.executemany("INSERT INTO scan_codes (staff_id, code, issued_at) VALUES (?, ?, ?)", rows)
    return len(rows)


def people(db, actor, unit_id: int, *, staff_ids=None, include_inactive=False) -> list[Person]:
    """The unit's employees with their codes, by id (refused outside the actor's staff-details scope)."""
    access.require_details(db, actor, unit_id)
    sql = ("SELECT s.id, c.code, s.name, s.unit_id, u.name, s.active FROM staff s JOIN units u ON u.id = s.unit_id"
           " JOIN scan_codes c ON c.staff_id = s.id WHERE s.unit_id = ?")
    if not include_inactive:
        sql += " AND s.active = 1"
    found = [Person(sid, code, name, uid, unit, bool(active))
             for sid, code, name, uid, unit, active in db.execute(sql + " ORDER BY s.id", [int(unit_id)])]
    if staff_ids is not None:
        wanted = {int(s) for s in staff_ids}
        found = [p for p in found if p.staff_id in wanted]
    return found


def resolve(db, codes) -> dict[str, tuple[str, str, int, int | None]]:
    """code -> (the code as issued, kind, unit id, staff id) for the codes that are a person's ('person') or a
    window's, grid's or class's ('window', 'grid', 'class'); a code typed in lower case is found too."""
    codes = sorted(set(codes))
    found: dict = {}
    for start in range(0, len(codes), 400):
        chunk = codes[start : start + 400]
        marks = ",".join("?" * len(chunk))
        for code, uid, sid in db.execute(
            f"SELECT c.code, s.unit_id, s.id FROM scan_codes c JOIN staff s ON s.id = c.staff_id WHERE c.code IN ({marks})",
            chunk,
        ):
            found[code] = (code, "person", uid, sid)
        for code, kind, uid in db.execute(
            f"SELECT code, type, id FROM units WHERE code IN ({marks}) AND type IN ('window', 'grid', 'class')", chunk,
        ):
            found.setdefault(code, (code, kind, uid, None))
    lower = [code for code in codes if code not in found and code.upper() != code]
    if lower:
        upper = resolve(db, {code.upper() for code in lower})
        found |= {code: upper[code.upper()] for code in lower if code.upper() in upper}
    return found
