"""The work groups' robots (channels) and what each gets (subscriptions): storage, checks and masking.

A webhook address and a signing secret are secrets: they are stored here and read back in full only by the
sender (`get_channel`); everything shown (pages, `channel list`) is masked — the host and the last 4
characters — and the audit records that an address or a secret was set or changed, never what to.
Administrators write; every change is audited.
"""

import re
import urllib.parse
from dataclasses import dataclass, field

from campaign.infra import audit, clock
from campaign.infra.db import write
from campaign.infra.errors import InvalidValue, NotFound
from campaign.notify.robots import EXAMPLES, KINDS, robot_address
from campaign.org import access, units

MESSAGES = ("bulletin", "reminder", "laggards", "letters")
LANGS = ("zh", "en")
NAME = re.compile(r"^[\w\u3400-\u9fff（）() .·-]{1,40}$")
MAX_URL = 1000


@dataclass(frozen=True)
class Channel:
    """One robot as the sender needs it. The address and the secret never show in a repr (logs, tracebacks)."""

    id: int
    name: str
    kind: str
    lang: str
    url: str = field(repr=False)
    secret: str | None = field(default=None, repr=False)

    @property
    def masked_url(self) -> str:
        return mask_url(self.url)


def mask_url(url: str) -> str:
    """qyapi.weixin.qq.com/…a1b2: the host and the address's last 4 characters."""
    host = urllib.parse.urlsplit(url).hostname or ""
    return f"{host}/…{url[-4:]}" if url else ""


def mask_secret(secret: str | None) -> str:
    """…a1b2 (the last 4 characters), or "" when there is none."""
    return f"…{secret[-4:]}" if secret and len(secret) >= 12 else ("****" if secret else "")


def check_url(url, kind: str) -> str:
    """A webhook address: http(s), a host, no user name or password, no spaces, and the `kind` robot's own host,
    path and key (robots.robot_address). The error never repeats it."""
    text = str(url or "").strip()
    parts = urllib.parse.urlsplit(text)
    if (not text or len(text) > MAX_URL or parts.scheme not in ("http", "https") or not parts.hostname
            or "@" in parts.netloc or re.search(r"\s", text) or any(ord(c) < 32 for c in text)):
        raise InvalidValue("notify.error.bad_url")
    if not robot_address(kind, text):
        raise InvalidValue("notify.error.not_robot", kind=kind, example=EXAMPLES[kind])
    return text


def check_secret(kind: str, secret) -> str | None:
    """A signing secret (DingTalk, Feishu); WeCom's robots sign nothing."""
    text = str(secret or "").strip()
    if not text:
        return None
    if kind == "wecom":
        raise InvalidValue("notify.error.secret_unused", kind=kind)
    if len(text) > 200 or re.search(r"\s", text):
        raise InvalidValue("notify.error.bad_secret")
    return text


def _check_name(name) -> str:
    text = " ".join(str(name or "").split())
    if not NAME.match(text):
        raise InvalidValue("notify.error.bad_name", value=text[:60])
    return text


# ---- channels ------------------------------------------------------------------------------

def add_channel(db, actor, name: str, kind: str, url: str, secret: str | None = None, *, lang: str = "zh") -> int:
    """Add a robot, or replace an existing one's kind, address, secret and language (administrators; audited)."""
    access.require_admin(actor)
    name = _check_name(name)
    if kind not in KINDS:
        raise InvalidValue("notify.error.bad_kind", value=kind)
    if lang not in LANGS:
        raise InvalidValue("notify.error.bad_lang", value=lang)
    url, secret = check_url(url, kind), check_secret(kind, secret)
    with write(db):
        old = db.execute("SELECT id, kind, lang, url, secret, active FROM notify_channels WHERE name = ?", [name]).fetchone()
        new = {"name": name, "kind": kind, "lang": lang, "url": "set", "secret": "set" if secret else None}
        if old is None:
            channel_id = db.execute(
                "INSERT INTO notify_channels (name, kind, url, secret, lang, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [name, kind, url, secret, lang, actor.name, clock.stamp()]).lastrowid
            audit.record(db, actor, "create", "notify_channel", channel_id, new=new)
            return channel_id
        channel_id, was = old[0], {"name": name, "kind": old[1], "lang": old[2], "url": "set" if old[5] else None,
                                   "secret": "set" if old[4] else None}
        new |= {"url": "unchanged" if old[5] and old[3] == url else "changed" if old[5] else "set",
                "secret": None if not secret else "unchanged" if old[4] == secret else "changed"}
        db.execute("UPDATE notify_channels SET kind = ?, url = ?, secret = ?, lang = ?, active = 1 WHERE id = ?",
                   [kind, url, secret, lang, channel_id])
        audit.record(db, actor, "update" if old[5] else "create", "notify_channel", channel_id, old=was, new=new)
    return channel_id


def remove_channel(db, actor, name: str) -> None:
    """Remove a robot: its address and secret are erased, its subscriptions dropped, its send log kept (audited)."""
    access.require_admin(actor)
    with write(db):
        channel = get_channel(db, name)
        dropped = db.execute("DELETE FROM notify_subscriptions WHERE channel_id = ?", [channel.id]).rowcount
        db.execute("UPDATE notify_channels SET active = 0, url = '', secret = NULL WHERE id = ?", [channel.id])
        audit.record(db, actor, "delete", "notify_channel", channel.id, old={"name": channel.name, "kind": channel.kind},
                     detail={"subscriptions": dropped})


def get_channel(db, name: str) -> Channel:
    """An active robot by name, with its address and secret (for sending only)."""
    row = db.execute("SELECT id, name, kind, lang, url, secret FROM notify_channels WHERE name = ? AND active = 1",
                     [" ".join(str(name or "").split())]).fetchone()
    if row is None:
        raise NotFound("notify.error.no_channel", name=name)
    return Channel(*row)


def _channel_by_id(db, channel_id: int) -> Channel:
    row = db.execute("SELECT id, name, kind, lang, url, secret FROM notify_channels WHERE id = ?", [channel_id]).fetchone()
    return Channel(*row)


def list_channels(db) -> list[dict]:
    """Active robots, masked: name, kind, language, address (host and last 4), secret (last 4), subscriptions."""
    subs = subscriptions(db)
    return [{"id": cid, "name": name, "kind": kind, "lang": lang, "url": mask_url(url), "secret": mask_secret(secret),
             "subscriptions": [s for s in subs if s["channel_id"] == cid]}
            for cid, name, kind, lang, url, secret in db.execute(
                "SELECT id, name, kind, lang, url, secret FROM notify_channels WHERE active = 1 ORDER BY name")]


# ---- subscriptions -------------------------------------------------------------------------

def _unit_id(db, unit) -> int | None:
    if unit in (None, ""):
        return None
    found = units.lookup(db).get(str(unit).strip())
    if found is None:
        raise NotFound("error.unit_not_found", unit=unit)
    return found


def _check_messages(messages) -> list[str]:
    chosen = list(dict.fromkeys(messages))
    bad = [m for m in chosen if m not in MESSAGES]
    if bad or not chosen:
        raise InvalidValue("notify.error.bad_message", value=", ".join(bad))
    return chosen


def subscribe(db, actor, name: str, messages, unit=None) -> int:
    """Let a robot get these messages, for one unit and those below it (a code or name), or for every unit
    (None: the county's group); returns how many were added (administrators; audited)."""
    access.require_admin(actor)
    messages, unit_id = _check_messages(messages), _unit_id(db, unit)
    added = 0
    with write(db):
        channel = get_channel(db, name)
        for message in messages:
            row = db.execute("INSERT INTO notify_subscriptions (channel_id, message, unit_id) VALUES (?, ?, ?)"
                             " ON CONFLICT DO NOTHING", [channel.id, message, unit_id])
            if row.rowcount:
                added += 1
                audit.record(db, actor, "create", "notify_subscription", row.lastrowid, unit_id=unit_id,
                             new={"channel": channel.name, "message": message, "unit_id": unit_id})
    return added


def unsubscribe(db, actor, name: str, messages, unit=None) -> int:
    """Stop these messages to a robot for that unit (None: the whole-county subscription); returns how many went."""
    access.require_admin(actor)
    messages, unit_id = _check_messages(messages), _unit_id(db, unit)
    removed = 0
    with write(db):
        channel = get_channel(db, name)
        for message in messages:
            for (sub_id,) in db.execute("SELECT id FROM notify_subscriptions WHERE channel_id = ? AND message = ?"
                                        " AND unit_id IS ?", [channel.id, message, unit_id]).fetchall():
                db.execute("DELETE FROM notify_subscriptions WHERE id = ?", [sub_id])
                removed += 1
                audit.record(db, actor, "delete", "notify_subscription", sub_id, unit_id=unit_id,
                             old={"channel": channel.name, "message": message, "unit_id": unit_id})
    return removed


def subscriptions(db) -> list[dict]:
    """Every subscription of an active robot: channel, message, unit (None: every unit)."""
    rows = db.execute(
        """SELECT s.channel_id, c.name, s.message, s.unit_id, u.code, u.name FROM notify_subscriptions s
           JOIN notify_channels c ON c.id = s.channel_id LEFT JOIN units u ON u.id = s.unit_id
           WHERE c.active = 1 ORDER BY c.name, s.message, u.code""")
    return [{"channel_id": r[0], "channel": r[1], "message": r[2], "unit_id": r[3], "unit_code": r[4], "unit": r[5]}
            for r in rows]


def targets(db, message: str, channel: str | None = None) -> list[tuple[Channel, set | None]]:
    """The robots that get `message` and, for each, the units it is for (None: every unit).

    Naming one `channel` sends to it alone, as subscribed, or for every unit when it has no subscription
    to this message (the operator asked for it by name)."""
    chosen = get_channel(db, channel) if channel else None
    found: dict[int, list] = {}
    for sub in subscriptions(db):
        if sub["message"] == message and (chosen is None or sub["channel_id"] == chosen.id):
            found.setdefault(sub["channel_id"], []).append(sub["unit_id"])
    if chosen is not None and chosen.id not in found:
        found[chosen.id] = [None]
    result = []
    for channel_id, unit_ids in found.items():
        scope = None if None in unit_ids else units.descendants(db, unit_ids)
        result.append((_channel_by_id(db, channel_id), scope))
    return sorted(result, key=lambda pair: pair[0].name)
