"""User accounts: role and scope. (Sign-in and passwords build on this.)"""

from campaign import access, audit
from campaign.access import Actor
from campaign.db import write
from campaign.errors import InvalidValue, NotFound


def add_user(db, actor, username: str, role: str, *, scope_codes=(), display_name=None, demo=False) -> Actor:
    """Create or update an account with its role and, for scoped roles, the units it answers for."""
    access.require_admin(actor)
    if role not in access.ROLES:
        raise InvalidValue("error.bad_role", value=role)
    codes = {code: uid for uid, code in db.execute("SELECT id, code FROM units")}
    unknown = [c for c in scope_codes if c not in codes]
    if unknown:
        raise NotFound("error.unit_not_found", unit=", ".join(unknown))
    with write(db):
        old = db.execute("SELECT role FROM users WHERE username = ?", [username]).fetchone()
        db.execute(
            "INSERT INTO users (username, role, display_name, demo) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(username) DO UPDATE SET role = excluded.role, display_name = excluded.display_name",
            [username, role, display_name or username, int(demo)],
        )
        db.execute("DELETE FROM user_scopes WHERE username = ?", [username])
        db.conn.executemany(
            "INSERT INTO user_scopes (username, unit_id) VALUES (?, ?)", [(username, codes[c]) for c in scope_codes]
        )
        audit.record(db, actor, "create" if old is None else "update", "user", username,
                     old=None if old is None else {"role": old[0]}, new={"role": role, "scope": list(scope_codes)})
    return get_actor(db, username)


def get_actor(db, username: str) -> Actor:
    """The Actor for an active account."""
    row = db.execute("SELECT role FROM users WHERE username = ? AND active = 1", [username]).fetchone()
    if row is None:
        raise NotFound("error.user_not_found", user=username)
    scope = frozenset(uid for (uid,) in db.execute("SELECT unit_id FROM user_scopes WHERE username = ?", [username]))
    return Actor(username, row[0], scope)


def list_users(db) -> list[dict]:
    """Accounts with their role and scope unit codes."""
    rows = db.execute(
        """SELECT u.username, u.role, u.display_name, u.active, u.demo, group_concat(un.code, ',')
           FROM users u LEFT JOIN user_scopes s ON s.username = u.username LEFT JOIN units un ON un.id = s.unit_id
           GROUP BY u.username ORDER BY u.username"""
    )
    return [
        {"username": r[0], "role": r[1], "display_name": r[2], "active": bool(r[3]), "demo": bool(r[4]),
         "scope": r[5].split(",") if r[5] else []}
        for r in rows
    ]
