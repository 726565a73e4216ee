"""Sign-in: the password check, the lockout after repeated failures, and sessions that survive a reload.

A session is a random token handed to the browser (kept in a cookie); the database keeps only
its SHA-256, the account and the expiry, so signing out or disabling an account ends it at once.
"""

import datetime as dt
import hashlib
import secrets
import threading
from dataclasses import dataclass

from campaign.accounts import users
from campaign.infra import audit, clock, settings
from campaign.infra.db import write
from campaign.infra.errors import AccessDenied
from campaign.org.access import Actor

_DUMMY_HASH = None
_DUMMY_LOCK = threading.Lock()


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


def _dummy_hash() -> str:
    """A hash of a random password with the hasher's parameters: an unknown name costs what a known one does."""
    global _DUMMY_HASH
    with _DUMMY_LOCK:  # made once: a burst of unknown names must not each make one first
        if _DUMMY_HASH is None:
            _DUMMY_HASH = users.hash_password(secrets.token_hex(16))
    return _DUMMY_HASH


def sign_in(db, username: str, password: str, *, now: dt.datetime | None = None) -> SignIn:
    """Check the password and open a session; count failures and lock the account after too many.

    Every guess is counted, and refused once the limit is reached, inside one write transaction *before*
    the password is checked, so parallel guesses never get more than the lockout limit evaluated. An
    unknown name (or a disabled account) is counted the same way in `sign_in_strangers` and checked
    against a dummy hash: the same answers at the same cost, so names cannot be told apart. Raises
    AccessDenied with auth.error.bad_credentials, auth.error.locked (until when), auth.error.busy (too
    many password checks at once: try again) or auth.error.demo_off.
    """
    now = now or clock.now()
    name = users.normalise(username)
    conf = settings.get_all(db)
    wrong = AccessDenied("auth.error.bad_credentials", limit=conf["lockout_failures"], minutes=conf["lockout_minutes"])
    row = db.execute("SELECT password_hash, active, demo, must_change FROM users WHERE username = ?", [name]).fetchone()
    known = row is not None and bool(row[1]) and bool(row[0])
    if known and row[2] and not users.demo_mode(db):
        raise AccessDenied("auth.error.demo_off")
    _reserve(db, name, known, now, conf)
    password = password or ""
    try:
        matched = users.verify_password(row[0] if known else _dummy_hash(), password[: users.MAX_PASSWORD * 8])
    except AccessDenied:  # busy: the guess was not checked, so it does not count
        with write(db):
            db.execute(f"UPDATE {_table(known)} SET failed_count = MAX(failed_count - 1, 0) WHERE username = ?", [name])
        raise
    if not (known and matched):
        _failed(db, name, known, now, conf)
        raise wrong
    try:
        new_hash = users.hash_password(password) if users.HASHER.check_needs_rehash(row[0]) else None
    except AccessDenied:  # busy: the old hash still serves, and is redone at a later sign-in
        new_hash = None
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
    return SignIn(actor, token, expires, bool(row[3]))


def _table(known: bool) -> str:
    return "users" if known else "sign_in_strangers"


def _reserve(db, name: str, known: bool, now: dt.datetime, conf: dict) -> None:
    """Count this guess before its password is checked; refuse it while locked or while the limit's
    guesses are already counted (then the account is locked now)."""
    stamp = now.isoformat(timespec="seconds")
    locked = None
    with write(db):
        if not known:  # strangers are remembered only for a lockout's time
            old = (now - dt.timedelta(minutes=conf["lockout_minutes"])).isoformat(timespec="seconds")
            db.execute("DELETE FROM sign_in_strangers WHERE updated_at < ? AND (locked_until IS NULL OR locked_until < ?)",
                       [old, stamp])
            db.execute("INSERT OR IGNORE INTO sign_in_strangers (username, updated_at) VALUES (?, ?)", [name, stamp])
        count, until = db.execute(f"SELECT failed_count, locked_until FROM {_table(known)} WHERE username = ?", [name]).fetchone()
        if _when(until) and _when(until) > now:
            locked = _when(until)
        elif count >= conf["lockout_failures"]:
            locked = _lock(db, name, known, now, conf, count)
        else:
            db.execute(f"UPDATE {_table(known)} SET failed_count = failed_count + 1, locked_until = NULL"
                       + ("" if known else ", updated_at = ?") + " WHERE username = ?", [*([] if known else [stamp]), name])
    if locked is not None:
        raise AccessDenied("auth.error.locked", until=locked.strftime("%H:%M"))


def _lock(db, name: str, known: bool, now: dt.datetime, conf: dict, failures: int) -> dt.datetime:
    until = now + dt.timedelta(minutes=conf["lockout_minutes"])
    db.execute(f"UPDATE {_table(known)} SET failed_count = 0, locked_until = ? WHERE username = ?",
               [until.isoformat(timespec="seconds"), name])
    if known:
        audit.record(db, name, "lock", "user", name, detail={"failures": failures, "until": until.isoformat(timespec="seconds")})
    return until


def _failed(db, name: str, known: bool, now: dt.datetime, conf: dict) -> None:
    """A wrong password (its guess already counted): at the limit lock the account (raising auth.error.locked)."""
    with write(db):
        count, until = db.execute(f"SELECT failed_count, locked_until FROM {_table(known)} WHERE username = ?",
                                  [name]).fetchone() or (0, None)
        locked = _lock(db, name, known, now, conf, count) if count >= conf["lockout_failures"] and not until else None
        if locked is None and known:
            audit.record(db, name, "sign_in_failed", "session", name, detail={"failures": count})
    if locked is not None:
        raise AccessDenied("auth.error.locked", until=locked.strftime("%H:%M"))


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
