"""Staff of the units: storage, phone masking and scoped reads of personal details."""

import re

import pandas as pd

from campaign import access


def mask_phone(phone) -> str:
    """138****0000: keep the first three and last four digits."""
    if phone is None or (isinstance(phone, float) and pd.isna(phone)):
        return ""
    text = str(phone).strip()
    digits = re.sub(r"\D", "", text)
    if len(digits) < 7:
        return "*" * len(text)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def shown_phone(actor, phone) -> str:
    """The phone as this actor may see it: full to administrators, masked to everyone else."""
    if actor.is_admin:
        return "" if phone is None or (isinstance(phone, float) and pd.isna(phone)) else str(phone)
    return mask_phone(phone)


def list_staff(db, actor, unit_id: int, *, include_inactive=False) -> pd.DataFrame:
    """Staff of one unit with phones as the actor may see them (refused outside their scope)."""
    access.require_details(db, actor, unit_id)
    sql = "SELECT id, name, phone, active, quota FROM staff WHERE unit_id = ?"
    if not include_inactive:
        sql += " AND active = 1"
    frame = pd.read_sql_query(sql + " ORDER BY id", db.conn, params=[unit_id])
    frame["phone"] = [shown_phone(actor, p) for p in frame["phone"]]
    return frame


def index_by_unit_and_name(db) -> dict[tuple[int, str], list[tuple[int, str | None]]]:
    """(unit_id, name) -> [(staff_id, phone)]; more than one entry means namesakes."""
    result: dict = {}
    for sid, uid, name, phone in db.execute("SELECT id, unit_id, name, phone FROM staff"):
        result.setdefault((uid, name), []).append((sid, phone))
    return result
