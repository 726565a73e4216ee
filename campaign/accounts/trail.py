"""The audit trail for administrators: every write, filtered by user, action, kind, unit (and below) and dates."""

import pandas as pd

from campaign.org import units


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
