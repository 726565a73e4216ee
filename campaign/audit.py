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


def list_audit(db, *, user=None, action=None, entity=None, unit=None, since=None, until=None,
               limit=1000) -> pd.DataFrame:
    """Audit rows, newest first, filtered by user, action, kind (entity), unit (and below) and date range.

    `unit` is a unit id; rows of that unit and every unit below it match. Dates are inclusive days.
    """
    where, params = [], []
    for column, value in (("a.actor", user), ("a.action", action), ("a.entity", entity)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if unit is not None:
        from campaign import units

        ids = sorted(units.descendants(db, [unit]))
        where.append(f"a.unit_id IN ({','.join('?' * len(ids))})")
        params += ids
    if since:
        where.append("substr(a.at, 1, 10) >= ?")
        params.append(str(since)[:10])
    if until:
        where.append("substr(a.at, 1, 10) <= ?")
        params.append(str(until)[:10])
    sql = (
        "SELECT a.id, a.at, a.actor, a.action, a.entity, a.entity_id, a.unit_id, u.code AS unit_code,"
        " u.name AS unit_name, a.old, a.new, a.detail FROM audit a LEFT JOIN units u ON u.id = a.unit_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY a.id DESC LIMIT ?"
    )
    return pd.read_sql_query(sql, db.conn, params=[*params, limit])


def kinds(db) -> dict[str, list[str]]:
    """The users, actions and kinds (entities) present in the audit, for filters."""
    return {
        column: [r[0] for r in db.execute(f"SELECT DISTINCT {column} FROM audit ORDER BY {column}")]
        for column in ("actor", "action", "entity")
    }


def imports(db, limit=200) -> pd.DataFrame:
    """Recent imports: when, who, kind, file name, SHA-256 and rows written."""
    return pd.read_sql_query("SELECT * FROM imports ORDER BY id DESC LIMIT ?", db.conn, params=[limit])


def _json(value):
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)
