"""Posting to a robot with retries, and the send log that makes each message go out once.

Once only: before a message is posted, its send-log row (message × day × channel × subject, copy 0) is claimed
in a short write transaction — INSERT … ON CONFLICT DO NOTHING — and only the process that inserted it posts.
A second process, a restart or a re-run finds the row and does nothing; a forced resend claims the next copy.
Failures: an error answer, an HTTP error or no answer within TIMEOUT is tried again after BACKOFF (a robot that
says it is throttled, after RATE_BACKOFF), then the row is marked failed with the robot's answer. Posts to one
robot are paced to PER_MINUTE a minute (this process), the limit WeCom and DingTalk document. Redirects are not
followed, and an address that is not its kind's robot's (robots.robot_address) is never posted to. Every send is
audited. No address or secret is ever logged, stored in an answer or raised in an error: a robot's own message is
scrubbed of them.
"""

import http.client
import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import pandas as pd

from campaign.infra import audit, clock
from campaign.infra.db import write
from campaign.notify import robots
from campaign.notify.channels import Channel

TIMEOUT = 5.0  # seconds for one post: a robot that does not answer by then has failed this attempt
BACKOFF = (1.0, 4.0)  # seconds before the second and the third attempt
RATE_BACKOFF = (30.0, 60.0)  # the same after a "too fast" answer: the robot's minute must pass
RATE_LIMITED = {"wecom": {"45009"}, "dingtalk": {"130101"}, "feishu": {"11232"}}  # and HTTP 429, for any kind
PER_MINUTE, WINDOW = 20, 60.0  # at most this many posts to one robot in WINDOW seconds
STALE_MINUTES = 30  # a row still "sending" this long after its claim: the process stopped mid-send
MAX_REPLY = 64 * 1024
LOG = logging.getLogger("campaign.notify")


@dataclass
class Delivery:
    """What became of one message's bodies: sent or failed, attempts made, bodies accepted, the last answer."""

    status: str
    attempts: int = 0
    parts: int = 0
    parts_sent: int = 0
    answer: robots.Answer | None = None
    answers: list = field(default_factory=list)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, never followed: the figures go to the robot's own address or nowhere."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)
_posted: dict[str, list[float]] = {}  # a robot (its address) -> when this process posted to it lately (monotonic)
_pace_lock = threading.Lock()


def _pace(channel: Channel) -> None:
    """Wait until one more post keeps this robot within PER_MINUTE posts in WINDOW seconds."""
    while True:
        with _pace_lock:
            now = time.monotonic()
            recent = [t for t in _posted.get(channel.url, []) if now - t < WINDOW]
            if len(recent) < PER_MINUTE:
                _posted[channel.url] = recent + [now]
                return
            wait = WINDOW - (now - recent[0])
        time.sleep(wait)


def post(url: str, data: bytes, timeout: float) -> tuple[int, bytes]:
    """POST JSON; the HTTP status and the reply's first bytes (an HTTP error or a redirect is an answer too)."""
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with _OPENER.open(request, timeout=timeout) as response:  # noqa: S310 (http(s) only: channels.check_url)
            return response.status, response.read(MAX_REPLY)
    except urllib.error.HTTPError as error:
        return error.code, error.read(MAX_REPLY) if error.fp else b""


def _secrets(channel: Channel) -> list[str]:
    """The parts of a channel's address and its secret that must not appear in anything stored or shown."""
    parts = urllib.parse.urlsplit(channel.url)
    found = [channel.url, channel.secret or ""] + [v for _, v in urllib.parse.parse_qsl(parts.query)]
    found += [p for p in parts.path.split("/") if len(p) >= 8]
    return sorted({s for s in found if len(s) >= 6}, key=len, reverse=True)


def scrub(text: str, channel: Channel) -> str:
    """`text` with the channel's address, its key or token and its secret replaced by ****."""
    for secret in _secrets(channel):
        text = text.replace(secret, "****")
    return text


def _attempt(channel: Channel, body: dict) -> robots.Answer:
    if not robots.robot_address(channel.kind, channel.url):  # CAMPAIGN_ROBOT_HOSTS changed since it was added
        return robots.Answer(False, "not_robot")
    _pace(channel)
    url, data = robots.signed(channel.kind, channel.url, body, channel.secret, time.time())
    try:
        status, reply = post(url, data, TIMEOUT)
    except TimeoutError:
        return robots.Answer(False, "timeout")
    except urllib.error.URLError as error:
        return robots.Answer(False, "timeout" if isinstance(error.reason, TimeoutError) else "unreachable")
    except OSError:  # connection reset, refused, …: never the error's text (it may name the address)
        return robots.Answer(False, "unreachable")
    except (http.client.HTTPException, ValueError):  # not HTTP at all (a bad status line, a broken header)
        return robots.Answer(False, "bad_answer")
    if 300 <= status < 400:
        return robots.Answer(False, "redirect", "", status)
    found = robots.answer(channel.kind, status, reply)
    return robots.Answer(found.ok, found.code, scrub(found.message, channel), found.http)


def throttled(channel: Channel, found: robots.Answer) -> bool:
    """Whether the robot said it gets too many messages (its own code, or HTTP 429)."""
    return found.http == 429 or found.code in RATE_LIMITED[channel.kind]


def deliver(channel: Channel, bodies: list, *, retries: int | None = None) -> Delivery:
    """Post each body in order, each tried 1 + `retries` times (default: one per BACKOFF step); stop at a body that
    keeps failing, so a message never arrives with a part missing in the middle."""
    count = len(BACKOFF) if retries is None else min(retries, len(BACKOFF))
    done = Delivery("sent", parts=len(bodies))
    for body in bodies:
        for attempt in range(1 + count):
            if attempt:
                time.sleep((RATE_BACKOFF if throttled(channel, done.answer) else BACKOFF)[attempt - 1])
            found = _attempt(channel, body)
            done.attempts += 1
            done.answers.append(found.as_dict())
            done.answer = found
            if found.ok or found.code == "not_robot":
                break
            LOG.warning("robot %s (%s) answered %s (attempt %d)", channel.name, channel.kind, found.code, attempt + 1)
        if not done.answer.ok:
            done.status = "failed"
            return done
        done.parts_sent += 1
    return done


# ---- the send log --------------------------------------------------------------------------

def logged(db, message: str, key: tuple, channel_id: int) -> bool:
    """Whether (day, subject) of `message` has a row for this channel (any copy, any status)."""
    day, subject = key
    return db.execute("SELECT 1 FROM notify_sends WHERE message = ? AND day = ? AND channel_id = ? AND subject = ? LIMIT 1",
                      [message, str(day), channel_id, subject]).fetchone() is not None


def claim(db, actor, message: str, keys: list, channel_id: int, *, force=False, status="sending", detail=None) -> list:
    """Claim the rows for (day, subject) keys in one short write transaction; returns [(row id, key)] of those
    this call inserted (none when another process or an earlier run holds them). `force` claims the next copy."""
    claimed = []
    with write(db):
        first = None
        for day, subject in keys:
            copy = 0
            if force:
                copy = db.execute("SELECT COALESCE(MAX(copy) + 1, 0) FROM notify_sends WHERE message = ? AND day = ?"
                                  " AND channel_id = ? AND subject = ?", [message, str(day), channel_id, subject]).fetchone()[0]
            row = db.execute(
                "INSERT INTO notify_sends (message, day, channel_id, subject, copy, status, actor, claimed_at, detail, batch)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [message, str(day), channel_id, subject, copy, status, actor.name, clock.stamp(), _json(detail), first])
            if row.rowcount:
                first = first or row.lastrowid
                claimed.append((row.lastrowid, (day, subject)))
        if status != "sending":
            for send_id, (day, subject) in claimed:
                _audit(db, actor, send_id, message, day, channel_id, subject, status, None, detail, force)
    return claimed


def finish(db, actor, claimed: list, message: str, channel: Channel, done: Delivery, detail: dict, *, force=False) -> None:
    """Record how the claimed rows' message went (sent or failed, attempts, the answer), each audited."""
    answer = done.answer.as_dict() if done.answer else None
    with write(db):
        for send_id, (day, subject) in claimed:
            db.execute("UPDATE notify_sends SET status = ?, finished_at = ?, attempts = ?, parts = ?, parts_sent = ?,"
                       " answer = ?, detail = ? WHERE id = ?",
                       [done.status, clock.stamp(), done.attempts, done.parts, done.parts_sent, _json(answer),
                        _json(detail), send_id])
            _audit(db, actor, send_id, message, day, channel.id, subject, done.status, answer, detail, force,
                   attempts=done.attempts, parts=done.parts, parts_sent=done.parts_sent)


def _audit(db, actor, send_id, message, day, channel_id, subject, status, answer, detail, force, **extra):
    name = db.execute("SELECT name FROM notify_channels WHERE id = ?", [channel_id]).fetchone()[0]
    audit.record(db, actor, "send" if status in ("sent", "failed") else status, "notify_send", send_id,
                 new={"message": message, "day": str(day), "channel": name, "subject": subject or None, "status": status,
                      "answer": answer and {"code": answer["code"], "message": answer["message"]}},
                 detail={"forced": bool(force), **extra, **({"reason": detail.get("reason")} if detail and detail.get("reason") else {}),
                         **({"image": detail["image"]} if detail and detail.get("image") else {})})


def last_detail(db, message: str, channel_id: int, day) -> dict | None:
    """The detail of the latest message of this kind that reached (or was judged unchanged for) this channel."""
    row = db.execute("SELECT detail FROM notify_sends WHERE message = ? AND channel_id = ? AND day <= ?"
                     " AND (status = 'sent' OR (status = 'skipped' AND detail LIKE '%\"unchanged\"%'))"
                     " ORDER BY day DESC, id DESC LIMIT 1", [message, channel_id, str(day)]).fetchone()
    return json.loads(row[0]) if row and row[0] else None


def sends(db, *, limit: int = 200) -> pd.DataFrame:
    """The send log, newest first: when, message, day, channel, status, attempts, parts, the robot's answer.

    A row claimed more than STALE_MINUTES ago and never finished (the process was stopped or crashed while
    posting) shows as `interrupted`: nobody will finish it, and only a forced resend sends it again."""
    frame = pd.read_sql_query(
        """SELECT s.id, s.claimed_at, s.finished_at, s.message, s.day, c.name AS channel, c.kind, s.subject, s.copy,
                  s.status, s.attempts, s.parts, s.parts_sent, s.answer, s.detail, s.actor
           FROM notify_sends s JOIN notify_channels c ON c.id = s.channel_id ORDER BY s.id DESC LIMIT ?""",
        db.conn, params=[limit])
    frame["answer"] = [json.loads(a) if a else None for a in frame["answer"]]
    frame["detail"] = [json.loads(d) if d else {} for d in frame["detail"]]
    stale = (clock.now() - pd.Timedelta(minutes=STALE_MINUTES)).isoformat(timespec="seconds")
    frame.loc[(frame["status"] == "sending") & (frame["claimed_at"] < stale), "status"] = "interrupted"
    return frame


def failures(db, *, days: int = 7) -> pd.DataFrame:
    """Sends that failed or were interrupted in the last `days` days (the settings page shows them)."""
    since = (clock.now() - pd.Timedelta(days=days)).isoformat(timespec="seconds")
    frame = sends(db, limit=1000)
    return frame[frame["status"].isin(["failed", "interrupted"]) & (frame["claimed_at"] >= since)].reset_index(drop=True)


def _json(value):
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)
