"""The audit trail's writing side: who changed what, when, with the old and the new value (read: campaign.accounts.trail)."""

import json

from campaign.infra import clock


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


def _json(value):
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)
