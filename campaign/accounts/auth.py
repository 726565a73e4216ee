"""Sign-in: the password check, the lockout after repeated failures, and sessions that survive a reload.

A session is a random token handed to the browser (kept in a cookie); the database keeps only
its SHA-256, the account and the expiry, so signing out or disabling an account ends it at once.
"""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from campaign.accounts import users
from campaign.infra import audit, clock, settings
from campaign.infra.db import write
from campaign.infra.errors import AccessDenied
from campaign.org.access import Actor

_DUMMY_HASH = None


@dataclass(frozen=True)
class SignIn:
    """A successful sign-in: who, the session token for the browser, when it expires."""

    actor: Actor
    token: str
    expires_at: dt.datetime
    must_change: bool


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _when(text):
    return dt.datetime.fromisoformat(text) if text else None


def _dummy_verify(password: str) -> None:
    """Spend the time of a real check so an unknown user name cannot be told from a wrong password."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = users.hash_password(secrets.token_hex(16))
    users.verify_password(_DUMMY_HASH, password)


def sign_in(db, username: str, password: str, *, now: dt.datetime | None = None) -> SignIn:
    """Check the password and open a session; count failures and lock the account after too many.

    Raises AccessDenied with auth.error.bad_credentials (unknown user, wrong password, disabled
    account: one message for all), auth.error.locked (until when) or auth.error.demo_off.
    """
    now = now or clock.now()
    name = users.normalise(username)
    conf = settings.get_all(db)
    row = db.execute(
        "SELECT password_hash, active, demo, locked_until, must_change FROM users WHERE username = ?", [name]
    ).fetchone()
    if row is None or not row[1] or not row[0]:
        _dummy_verify(password or "")
        raise AccessDenied("auth.error.bad_credentials")
    password_hash, _active, demo, locked_until, must_change = row
    if _when(locked_until) and _when(locked_until) > now:
        raise AccessDenied("auth.error.locked", until=_when(locked_until).strftime("%H:%M"))
    if demo and not users.demo_mode(db):
        raise AccessDenied("auth.error.demo_off")
    if not users.verify_password(password_hash, password or ""):
        _failed(db, name, now, conf)
    rehash = users.HASHER.check_needs_rehash(password_hash)
    new_hash = users.hash_password(password) if rehash else None
    actor = users.get_actor(db, name)
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=conf["session_hours"])
    with write(db):
        db.execute("DELETE FROM sessions WHERE expires_at <= ?", [now.isoformat(timespec="seconds")])
        db.execute("UPDATE users SET failed_count = 0, locked_until = NULL, last_sign_in = ? WHERE username = ?",
                   [now.isoformat(timespec="seconds"), name])
        if new_hash:
            db.execute("UPDATE users SET password_hash = ? WHERE username = ?", [new_hash, name])
        db.execute("INSERT INTO sessions (token_sha256, username, created_at, expires_at) VALUES (?, ?, ?, ?)",
                   [_digest(token), name, now.isoformat(timespec="seconds"), expires.isoformat(timespec="seconds")])
        audit.record(db, actor, "sign_in", "session", name, detail={"expires_at": expires.isoformat(timespec="seconds")})
    return SignIn(actor, token, expires, bool(must_change))


def _failed(db, name: str, now: dt.datetime, conf: dict):
    """Count a wrong password; at the limit lock the account for a while. Always raises."""
    limit, minutes = conf["lockout_failures"], conf["lockout_minutes"]
    with write(db):
        count = db.execute("SELECT failed_count FROM users WHERE username = ?", [name]).fetchone()[0] + 1
        if count >= limit:
            until = now + dt.timedelta(minutes=minutes)
            db.execute("UPDATE users SET failed_count = 0, locked_until = ? WHERE username = ?",
                       [until.isoformat(timespec="seconds"), name])
            audit.record(db, name, "lock", "user", name, detail={"failures": count, "until": until.isoformat(timespec="seconds")})
        else:
            db.execute("UPDATE users SET failed_count = ? WHERE username = ?", [count, name])
            audit.record(db, name, "sign_in_failed", "session", name, detail={"failures": count})
    if count >= limit:
        raise AccessDenied("auth.error.locked", until=until.strftime("%H:%M"))
    raise AccessDenied("auth.error.bad_credentials_left", left=limit - count)


def resolve(db, token: str | None, *, now: dt.datetime | None = None) -> Actor | None:
    """The Actor of a live session token, or None (unknown, expired, signed out, account disabled)."""
    if not token:
        return None
    now = now or clock.now()
    row = db.execute(
        "SELECT s.username, s.expires_at, u.demo FROM sessions s JOIN users u ON u.username = s.username"
        " WHERE s.token_sha256 = ? AND u.active = 1",
        [_digest(str(token))],
    ).fetchone()
    if row is None or _when(row[1]) <= now:
        return None
    if row[2] and not users.demo_mode(db):
        return None
    return users.get_actor(db, row[0])


def expires_at(db, token: str) -> dt.datetime | None:
    """When a session ends (for the browser cookie)."""
    row = db.execute("SELECT expires_at FROM sessions WHERE token_sha256 = ?", [_digest(str(token))]).fetchone()
    return _when(row[0]) if row else None


def start_session(db, username: str, *, now: dt.datetime | None = None) -> str:
    """A session for an account without a password check: for tests and trusted tooling only."""
    now = now or clock.now()
    name = users.normalise(username)
    users.get_actor(db, name)
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=settings.get(db, "session_hours"))
    with write(db):
        db.execute("INSERT INTO sessions (token_sha256, username, created_at, expires_at) VALUES (?, ?, ?, ?)",
                   [_digest(token), name, now.isoformat(timespec="seconds"), expires.isoformat(timespec="seconds")])
    return token


def sign_out(db, token: str | None) -> None:
    """End one session (audited); unknown or already ended tokens are ignored."""
    if not token:
        return
    with write(db):
        row = db.execute("SELECT username FROM sessions WHERE token_sha256 = ?", [_digest(str(token))]).fetchone()
        if row is None:
            return
        db.execute("DELETE FROM sessions WHERE token_sha256 = ?", [_digest(str(token))])
        audit.record(db, row[0], "sign_out", "session", row[0])
