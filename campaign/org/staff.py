"""Staff of the units: storage and scoped reads of personal details (phones as campaign.infra.phones shows them)."""

import pandas as pd

from campaign.infra.parse import key
from campaign.infra.phones import shown_phone
from campaign.org import access


def list_staff(db, actor, unit_id: int, *, include_inactive=False) -> pd.DataFrame:
    """Staff of one unit with phones as the actor may see them (refused outside their scope)."""
    access.require_details(db, actor, unit_id)
    sql = "SELECT id, name, phone, active, quota, quota_reason FROM staff WHERE unit_id = ?"
    if not include_inactive:
        sql += " AND active = 1"
    frame = pd.read_sql_query(sql + " ORDER BY id", db.conn, params=[unit_id])
    frame["phone"] = [shown_phone(actor, p) for p in frame["phone"]]
    return frame


def index_by_unit_and_name(db) -> dict[tuple[int, str], list[tuple[int, str | None]]]:
    """(unit_id, campaign.infra.parse.key(name)) -> [(staff_id, phone)]; more than one entry means namesakes."""
    result: dict = {}
    for sid, uid, name, phone in db.execute("SELECT id, unit_id, name, phone FROM staff"):
        result.setdefault((uid, key(name)), []).append((sid, phone))
    return result
