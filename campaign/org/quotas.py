"""The guidance number (每人不少于 30): a quota below it is kept only with its reason, and marked wherever it shows.

A unit's quota holds for its staff and the units below it (campaign.org.units.effective_quotas), and so
does its reason; a person's own quota carries their own reason.
"""

import pandas as pd

MAX_REASON = 200


def check_reason(quota: int | None, reason, guidance: int) -> tuple[str | None, str | None]:
    """(the reason to keep, a row error code) for an optional quota: a quota below the guidance needs a
    reason; a reason beside a quota at or above it has nothing to explain and is not kept."""
    reason = " ".join(str(reason or "").split())
    if quota is None or quota >= guidance:
        return None, None
    if not reason:
        return None, "row.quota_below_guidance"
    if len(reason) > MAX_REASON:
        return None, "row.quota_reason_too_long"
    return reason, None


def unit_reason(db, unit_id: int) -> str | None:
    """The reason recorded with the quota a unit's staff inherit (its own, else the nearest ancestor's)."""
    row = db.execute(
        """WITH RECURSIVE up(id, parent_id, quota, reason, depth) AS (
             SELECT id, parent_id, quota, quota_reason, 0 FROM units WHERE id = ?
             UNION ALL SELECT u.id, u.parent_id, u.quota, u.quota_reason, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id
             WHERE up.quota IS NULL AND up.depth < 50)
           SELECT reason FROM up WHERE quota IS NOT NULL ORDER BY depth LIMIT 1""",
        [int(unit_id)],
    ).fetchone()
    return None if row is None else row[0]


def staff_reasons(db, unit_id: int) -> dict[int, str]:
    """staff id -> the reason of their own quota, for the unit's people who have one."""
    return dict(db.execute("SELECT id, quota_reason FROM staff WHERE unit_id = ? AND quota IS NOT NULL"
                           " AND quota_reason IS NOT NULL", [int(unit_id)]))


def units_below(db, guidance: int) -> set[int]:
    """Units with a person whose quota is below the guidance: a unit's own (or inherited) quota below it,
    or an active person's own quota below it."""
    rows = db.execute(
        """WITH RECURSIVE low(id) AS (
             SELECT id FROM units WHERE quota IS NOT NULL AND quota < :g
             UNION SELECT u.id FROM units u JOIN low ON u.parent_id = low.id WHERE u.quota IS NULL)
           SELECT id FROM low
           UNION SELECT unit_id FROM staff WHERE quota IS NOT NULL AND quota < :g AND active = 1""",
        {"g": int(guidance)},
    )
    return {uid for (uid,) in rows}


def mark_units(db, table, guidance: int):
    """A unit table (with unit_id) with `quota_below`: whether someone of the unit has a quota below the guidance."""
    low = units_below(db, guidance)
    table["quota_below"] = table["unit_id"].isin(low).to_numpy(dtype=bool)
    return table


def mark_people(db, unit_id: int, table, guidance: int, *, id_column: str = "id"):
    """A unit's people table (with their effective `quota`) with `quota_below` and `quota_reason` (theirs or
    their unit's, for a quota below the guidance; else None)."""
    below = (table["quota"] < guidance).to_numpy(dtype=bool)
    reasons = [None] * len(table)
    if below.any():
        own, inherited = staff_reasons(db, unit_id), unit_reason(db, unit_id)
        owners = {sid for (sid,) in db.execute("SELECT id FROM staff WHERE unit_id = ? AND quota IS NOT NULL", [int(unit_id)])}
        reasons = [(own.get(sid) if sid in owners else inherited) if low else None
                   for sid, low in zip(table[id_column].tolist(), below.tolist())]
    table["quota_below"] = below
    table["quota_reason"] = pd.array(reasons, dtype=pd.Series([""]).dtype)
    return table
