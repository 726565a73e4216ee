"""The audit trail: who changed what, when, with the old and the new value."""

import json

import pandas as pd

from campaign import clock


def record(db, actor, action: str, entity: str, entity_id=None, *, unit_id=None, old=None, new=None, detail=None):
    """Append one audit row; call inside the write transaction it describes."""
    db.execute(
        "INSERT INTO audit (at, actor, action, entity, entity_id, unit_id, old, new, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            clock.stamp(),
            getattr(actor, "name", actor),
            action,
            entity,
            None if entity_id is None else str(entity_id),
            unit_id,
            _json(old),
            _json(new),
            _json(detail),
        ],
    )


def record_many(db, actor, action: str, entity: str, rows):
    """Append audit rows given as (entity_id, unit_id, old, new) tuples in one statement."""
    at, name = clock.stamp(), getattr(actor, "name", actor)
    db.conn.executemany(
        "INSERT INTO audit (at, actor, action, entity, entity_id, unit_id, old, new) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(at, name, action, entity, str(eid), uid, _json(old), _json(new)) for eid, uid, old, new in rows],
    )


def list_audit(db, *, actor=None, action=None, entity=None, since=None, until=None, limit=1000) -> pd.DataFrame:
    """Audit rows, newest first, filtered by user, action, entity and date range."""
    where, params = [], []
    for column, value in (("actor", actor), ("action", action), ("entity", entity)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if since:
        where.append("at >= ?")
        params.append(str(since))
    if until:
        where.append("substr(at, 1, 10) <= ?")
        params.append(str(until))
    sql = "SELECT * FROM audit" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC LIMIT ?"
    return pd.read_sql_query(sql, db.conn, params=[*params, limit])


def _json(value):
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)
