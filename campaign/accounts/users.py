"""User accounts: role, scope, password (argon2), reset, disable, unlock and the demo accounts.

Passwords are stored only as argon2id hashes (slow, salted). Every change is audited; the audit
never holds a hash, only that the password changed. Sign-in and sessions live in campaign/accounts/auth.py.
"""

import os
import re
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from campaign.infra import audit, clock
from campaign.infra.db import write
from campaign.infra.errors import AccessDenied, InvalidValue, NotFound
from campaign.infra.parse import PHONE, typed_name
from campaign.org import access
from campaign.org.access import Actor

# argon2id at OWASP's baseline (19 MiB, 2 passes, 1 lane): ~35 ms of one core a check, so 20 sign-ins at once end
# within a second on 2 cores (issue 16: RFC 9106's 64 MiB, 3 passes, 4 lanes cost ~0.25 s of CPU and 64 MiB each,
# and 20 at once took 5.7 s). A hash of other parameters is redone at its account's next sign-in (auth.sign_in).
PRODUCTION = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
HASHER = PRODUCTION  # the tests swap in a cheap one for their users (tests/conftest.py)
MIN_PASSWORD = 8
MAX_PASSWORD = 128
USERNAME = re.compile(r"^[\w.@-]{2,40}$")
DEMO_PASSWORD = "demo1234"
# Password checks run on PARALLEL_CHECKS threads of their own (each check takes the hasher's memory and a core):
# a check waits up to BUSY_WAIT seconds to start, then gets auth.error.busy, so a burst of sign-ins costs time,
# never the server's memory. Own threads, not a semaphore: the C allocator keeps a freed hasher block in the
# arena of the thread that used it, and 50 script threads kept ~330 MB that way; two threads keep two blocks.
PARALLEL_CHECKS = max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))
BUSY_WAIT = 4.0
_checks = ThreadPoolExecutor(PARALLEL_CHECKS, thread_name_prefix="password-check")


def _in_turn(work, *args):
    future = _checks.submit(work, *args)
    try:
        return future.result(timeout=BUSY_WAIT)
    except FutureTimeout:
        if future.cancel():  # never started: nothing was checked
            raise AccessDenied("auth.error.busy") from None
        return future.result()  # started just now: its answer is a moment away


# ---- passwords ---------------------------------------------------------------------------

def hash_password(password: str) -> str:
    """An argon2id hash with its own random salt: two hashes of one password differ."""
    return _in_turn(HASHER.hash, password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches the stored hash (False for a missing or malformed hash)."""
    if not password_hash:
        return False
    return _in_turn(_verify, HASHER, password_hash, password)


def _verify(hasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_password(username: str, password: str) -> None:
    """Refuse a password that is too short, too long or the user name itself."""
    if password is None or len(password) < MIN_PASSWORD:
        raise InvalidValue("auth.error.password_short", min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise InvalidValue("auth.error.password_long", max=MAX_PASSWORD)
    if password.strip().lower() == normalise(username):
        raise InvalidValue("auth.error.password_is_username")


def parse_mobile(value) -> str | None:
    """An account's mobile: 11 digits starting with 1 (spaces and dashes dropped); empty is none."""
    text = re.sub(r"[\s-]", "", str(value or ""))
    if text and not PHONE.match(text):
        raise InvalidValue("auth.error.bad_mobile", value=value)
    return text or None


def normalise(username) -> str:
    """User names are matched without surrounding spaces and case (phones capitalise the first letter)."""
    return str(username or "").strip().lower()


# ---- reading -----------------------------------------------------------------------------

def get_actor(db, username: str) -> Actor:
    """The Actor for an active account."""
    row = db.execute("SELECT role FROM users WHERE username = ? AND active = 1", [normalise(username)]).fetchone()
    if row is None:
        raise NotFound("error.user_not_found", user=username)
    scope = frozenset(
        uid for (uid,) in db.execute("SELECT unit_id FROM user_scopes WHERE username = ?", [normalise(username)])
    )
    return Actor(normalise(username), row[0], scope)


def get_account(db, username: str) -> dict:
    """One account as a dict (no password hash), scope as unit codes."""
    for account in list_users(db):
        if account["username"] == normalise(username):
            return account
    raise NotFound("error.user_not_found", user=username)


def list_users(db) -> list[dict]:
    """Accounts with role, scope unit codes, state and sign-in facts (never the hash)."""
    rows = db.execute(
        """SELECT u.username, u.role, u.display_name, u.active, u.demo, group_concat(un.code, ','),
                  u.failed_count, u.locked_until, u.last_sign_in, u.password_changed, u.must_change,
                  u.password_hash IS NOT NULL, u.mobile
           FROM users u LEFT JOIN user_scopes s ON s.username = u.username LEFT JOIN units un ON un.id = s.unit_id
           GROUP BY u.username ORDER BY u.username"""
    )
    return [
        {"username": r[0], "role": r[1], "display_name": r[2], "active": bool(r[3]), "demo": bool(r[4]),
         "scope": sorted(r[5].split(",")) if r[5] else [], "failed_count": r[6], "locked_until": r[7],
         "last_sign_in": r[8], "password_changed": r[9], "must_change": bool(r[10]), "has_password": bool(r[11]),
         "mobile": r[12]}
        for r in rows
    ]


def coordinators_of(db, unit_ids) -> dict[int, list[dict]]:
    """Each unit's active coordinators (their scope is the unit or a unit above it): user name, display name, mobile."""
    ids = sorted({int(u) for u in unit_ids})
    if not ids:
        return {}
    rows = db.execute(
        f"""WITH RECURSIVE up(unit_id, above) AS (
              SELECT id, id FROM units WHERE id IN ({','.join('?' * len(ids))})
              UNION SELECT up.unit_id, un.parent_id FROM up JOIN units un ON un.id = up.above WHERE un.parent_id IS NOT NULL)
            SELECT DISTINCT up.unit_id, u.username, u.display_name, u.mobile
            FROM up JOIN user_scopes s ON s.unit_id = up.above JOIN users u ON u.username = s.username
            WHERE u.role = ? AND u.active = 1 ORDER BY up.unit_id, u.username""",
        [*ids, access.COORDINATOR],
    )
    found: dict[int, list[dict]] = {}
    for unit_id, username, display_name, mobile in rows:
        found.setdefault(unit_id, []).append({"username": username, "display_name": display_name or username,
                                              "mobile": mobile})
    return found


def demo_mode(db) -> bool:
    """A demo database: no active administrator other than the demo accounts. Demo accounts work only then."""
    row = db.execute("SELECT COUNT(*) FROM users WHERE role = ? AND active = 1 AND demo = 0", [access.ADMIN]).fetchone()
    return row[0] == 0


def has_real_accounts(db) -> bool:
    """True once any account other than a demo account exists."""
    return db.execute("SELECT 1 FROM users WHERE demo = 0 LIMIT 1").fetchone() is not None


def _active_admins(db) -> set[str]:
    return {u for (u,) in db.execute("SELECT username FROM users WHERE role = ? AND active = 1", [access.ADMIN])}


def _state(db, username):
    """The auditable state of an account (no hash)."""
    row = db.execute("SELECT role, display_name, active, mobile FROM users WHERE username = ?", [username]).fetchone()
    if row is None:
        return None
    codes = sorted(c for (c,) in db.execute(
        "SELECT un.code FROM user_scopes s JOIN units un ON un.id = s.unit_id WHERE s.username = ?", [username]))
    state = {"role": row[0], "display_name": row[1], "active": bool(row[2]), "scope": codes}
    return state | ({"mobile": row[3]} if row[3] else {})


def _require_account(db, username):
    if db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone() is None:
        raise NotFound("error.user_not_found", user=username)


def end_sessions(db, username: str) -> int:
    """Sign an account out everywhere (inside the caller's transaction); returns sessions ended."""
    return db.execute("DELETE FROM sessions WHERE username = ?", [username]).rowcount


# ---- writing -----------------------------------------------------------------------------

def add_user(db, actor, username: str, role: str, *, scope_codes=(), display_name=None, password=None,
             must_change=None, demo=False, mobile=None, hashed: str | None = None) -> Actor:
    """Create an account, or update its role, name, scope (and password, mobile when given). Administrators only.

    `mobile` None leaves an existing account's mobile as it is; "" clears it.
    A new account needs a password. Scoped roles need at least one unit; administrators and
    leaders have none. A password set by an administrator for someone else must be changed at
    the next sign-in unless must_change=False. Creating the first real administrator disables
    the demo accounts.
    """
    access.require_admin(actor)
    username = normalise(username)
    if not USERNAME.match(username):
        raise InvalidValue("auth.error.bad_username", value=username)
    if role not in access.ROLES:
        raise InvalidValue("error.bad_role", value=role)
    scope_codes = [c.strip() for c in scope_codes if c and c.strip()]
    if role in access.SCOPED and not scope_codes:
        raise InvalidValue("auth.error.scope_required", role=role)
    if role not in access.SCOPED:
        scope_codes = []
    codes = {code: uid for uid, code in db.execute("SELECT id, code FROM units")}
    unknown = [c for c in scope_codes if c not in codes]
    if unknown:
        raise NotFound("error.unit_not_found", unit=", ".join(unknown))
    if display_name is not None and str(display_name).strip():
        display_name = typed_name(display_name)  # a bidi override would make two names that look alike
    if password is not None:
        check_password(username, password)
    if mobile is not None:
        mobile = parse_mobile(mobile) or ""
    password_hash = hashed or (hash_password(password) if password is not None else None)  # hashed: of `password`
    if must_change is None:
        must_change = password is not None and not demo and actor.name != username
    with write(db):
        old = _state(db, username)
        if old is None and password_hash is None:
            raise InvalidValue("auth.error.password_required")
        if old is not None and old["role"] == access.ADMIN and role != access.ADMIN:
            _keep_an_admin(db, username)
        now = clock.stamp()
        if old is None:
            db.execute(
                "INSERT INTO users (username, role, display_name, demo, password_hash, password_changed, must_change, mobile)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [username, role, display_name or username, int(demo), password_hash, now, int(must_change), mobile or None],
            )
        else:
            db.execute("UPDATE users SET role = ?, display_name = ? WHERE username = ?",
                       [role, display_name or old["display_name"] or username, username])
            if mobile is not None:
                db.execute("UPDATE users SET mobile = ? WHERE username = ?", [mobile or None, username])
            if password_hash is not None:
                db.execute(
                    "UPDATE users SET password_hash = ?, password_changed = ?, must_change = ?, failed_count = 0,"
                    " locked_until = NULL WHERE username = ?",
                    [password_hash, now, int(must_change), username],
                )
                end_sessions(db, username)
        db.execute("DELETE FROM user_scopes WHERE username = ?", [username])
        db.conn.executemany(
            "INSERT INTO user_scopes (username, unit_id) VALUES (?, ?)", [(username, codes[c]) for c in scope_codes]
        )
        new = _state(db, username)
        if password_hash is not None:
            new["password"] = "set"
        if old != new:
            audit.record(db, actor, "create" if old is None else "update", "user", username, old=old, new=new)
        if role == access.ADMIN and not demo:
            _retire_demo_accounts(db, actor)
    return get_actor(db, username)


def _retire_demo_accounts(db, actor):
    """Once a real administrator exists the demo accounts (known password) are disabled."""
    for (name,) in db.execute("SELECT username FROM users WHERE demo = 1 AND active = 1").fetchall():
        db.execute("UPDATE users SET active = 0 WHERE username = ?", [name])
        end_sessions(db, name)
        audit.record(db, actor, "disable", "user", name, old={"active": True}, new={"active": False},
                     detail={"reason": "demo_retired"})


def _keep_an_admin(db, username):
    if _active_admins(db) <= {username}:
        raise InvalidValue("auth.error.last_admin", user=username)


def reset_password(db, actor, username: str, password: str, *, must_change=True) -> None:
    """An administrator sets a new password (to be changed at next sign-in); unlocks and signs the account out."""
    access.require_admin(actor)
    username = normalise(username)
    check_password(username, password)
    password_hash = hash_password(password)
    with write(db):
        _require_account(db, username)
        db.execute(
            "UPDATE users SET password_hash = ?, password_changed = ?, must_change = ?, failed_count = 0,"
            " locked_until = NULL WHERE username = ?",
            [password_hash, clock.stamp(), int(must_change and actor.name != username), username],
        )
        ended = end_sessions(db, username)
        audit.record(db, actor, "reset_password", "user", username, new={"password": "reset"},
                     detail={"sessions_ended": ended})


def change_password(db, actor, old_password: str, new_password: str) -> None:
    """The signed-in user changes their own password, proving the old one."""
    username = normalise(actor.name)
    row = db.execute("SELECT password_hash FROM users WHERE username = ? AND active = 1", [username]).fetchone()
    if row is None:
        raise NotFound("error.user_not_found", user=username)
    if not verify_password(row[0], old_password):
        raise AccessDenied("auth.error.wrong_old_password")
    if new_password == old_password:
        raise InvalidValue("auth.error.password_unchanged")
    check_password(username, new_password)
    password_hash = hash_password(new_password)
    with write(db):
        db.execute(
            "UPDATE users SET password_hash = ?, password_changed = ?, must_change = 0 WHERE username = ?",
            [password_hash, clock.stamp(), username],
        )
        audit.record(db, actor, "change_password", "user", username, new={"password": "changed"})


def set_active(db, actor, username: str, active: bool) -> None:
    """An administrator disables (signs out at once) or re-enables an account; not their own, not the last admin."""
    access.require_admin(actor)
    username = normalise(username)
    with write(db):
        old = _state(db, username)
        if old is None:
            raise NotFound("error.user_not_found", user=username)
        if not active and username == normalise(actor.name):
            raise InvalidValue("auth.error.disable_self")
        if not active and old["role"] == access.ADMIN:
            _keep_an_admin(db, username)
        if old["active"] == bool(active):
            return
        db.execute("UPDATE users SET active = ?, failed_count = 0, locked_until = NULL WHERE username = ?",
                   [int(bool(active)), username])
        if not active:
            end_sessions(db, username)
        audit.record(db, actor, "enable" if active else "disable", "user", username,
                     old={"active": old["active"]}, new={"active": bool(active)})


def unlock(db, actor, username: str) -> None:
    """An administrator lifts a lockout before it runs out."""
    access.require_admin(actor)
    username = normalise(username)
    with write(db):
        row = db.execute("SELECT failed_count, locked_until FROM users WHERE username = ?", [username]).fetchone()
        if row is None:
            raise NotFound("error.user_not_found", user=username)
        db.execute("UPDATE users SET failed_count = 0, locked_until = NULL WHERE username = ?", [username])
        audit.record(db, actor, "unlock", "user", username,
                     old={"failed_count": row[0], "locked_until": row[1]}, new={"failed_count": 0, "locked_until": None})
