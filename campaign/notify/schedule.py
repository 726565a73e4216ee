"""What is due when, and pushing a message to every robot subscribed to it (the app's scheduler, `python -m
campaign push …` from cron and the work-groups page all come here).

The day a message is about: the morning bulletin and the laggard list report the day before (its figures,
which lock at that day's entry cut-off, the next day at noon by default); the cut-off reminder concerns the day
that the coming cut-off closes; letter notices are the run day's. Times are settings (campaign.notify.settings):
a message is due from its time until the end of the day (so one missed while the app was down goes out when it
is back), the reminder only in the N minutes before the cut-off, and only days from the campaign's start to its
deadline. Whatever runs it, each message goes out once per channel (campaign.notify.sending).
"""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from campaign.accounts import users
from campaign.infra import clock, settings
from campaign.infra.db import connect, file_path
from campaign.infra.errors import InvalidValue
from campaign.installs import rankings
from campaign.notify import channels, messages, robots, sending
from campaign.notify.channels import MESSAGES
from campaign.org import access
from campaign.supervision import bulletin as bulletins
from campaign.supervision import bulletin_render
from campaign.supervision import letters as supervision_letters

SCHEDULER = access.Actor("scheduler", access.ADMIN)


@dataclass
class Draft:
    """A channel's message (None when there is nothing to send: `skip` says why), and what the log keeps of it."""

    message: robots.Message | None
    skip: str | None = None
    detail: dict = field(default_factory=dict)


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _closes(conf: dict, day: dt.date) -> dt.datetime:
    """When entries for `day` close: the cut-off on the next day."""
    return dt.datetime.combine(day + dt.timedelta(days=1), _time(conf["entry_cutoff"]), tzinfo=clock.TZ)


def _in_campaign(conf: dict, day: dt.date) -> bool:
    return clock.as_date(conf["start_date"]) <= day <= clock.as_date(conf["deadline"])


def due(conf: dict, now: dt.datetime) -> list[tuple[str, dt.date]]:
    """(message, day) pairs due at `now`."""
    today, at = now.date(), now.time().replace(tzinfo=None)
    yesterday = today - dt.timedelta(days=1)
    found = []
    if at >= _time(conf["notify_bulletin_time"]) and _in_campaign(conf, yesterday):
        found.append(("bulletin", yesterday))
    for day in (yesterday, today):
        closes = _closes(conf, day)
        if closes - dt.timedelta(minutes=conf["notify_reminder_minutes"]) <= now < closes and _in_campaign(conf, day):
            found.append(("reminder", day))
    if at >= _time(conf["notify_laggards_time"]) and _in_campaign(conf, yesterday):
        found.append(("laggards", yesterday))
    if at >= _time(conf["notify_letters_time"]):
        found.append(("letters", today))
    return found


def default_day(message: str, conf: dict, now: dt.datetime) -> dt.date:
    """The day a push without --date is about (see the module's docstring)."""
    today = now.date()
    if message == "letters":
        return today
    if message == "reminder":
        return today - dt.timedelta(days=1) if now < _closes(conf, today - dt.timedelta(days=1)) else today
    return today - dt.timedelta(days=1)


def _closes_text(conf, day, lang) -> str:
    closes = _closes(conf, day)
    return f"{supervision_letters.format_day(closes.date(), lang)} {closes:%H:%M}"


# ---- what each message is, per channel ----------------------------------------------------------

class _Bulletin:
    def __init__(self, db, day, conf):
        self.db, self.day, self.made, self.images = db, day, None, {}

    def keys(self, channel, scope):
        return [(self.day, "")]

    def draft(self, channel, scope, keys, force):
        self.made = self.made or bulletins.build(self.db, self.day)
        image = b""  # a kind that takes no image only needs the note saying so
        if channel.kind == "wecom":
            if channel.lang not in self.images:
                self.images[channel.lang] = bulletin_render.png_bytes(self.made, channel.lang)
            image = self.images[channel.lang]
        return Draft(messages.bulletin(self.made, channel.lang, image))


class _Reminder:
    def __init__(self, db, day, conf):
        self.db, self.day, self.conf, self.table = db, day, conf, None

    def keys(self, channel, scope):
        return [(self.day, "")]

    def draft(self, channel, scope, keys, force):
        if self.table is None:
            self.table = rankings.unit_ranking(self.db, self.day)
        table = self.table[self.table["no_report"]]
        missing = [{"unit_id": int(r.unit_id), "unit": r.unit, "code": r.code} for r in table.itertuples()
                   if scope is None or int(r.unit_id) in scope]
        detail = {"units": [m["code"] for m in missing]}
        if not missing:
            return Draft(None, "nothing", detail)
        people = users.coordinators_of(self.db, [m["unit_id"] for m in missing])
        return Draft(messages.reminder(self.day, _closes_text(self.conf, self.day, channel.lang), missing, people,
                                       channel.lang), None, detail)


class _Laggards:
    def __init__(self, db, day, conf):
        self.db, self.day, self.conf, self.table = db, day, conf, None

    def keys(self, channel, scope):
        return [(self.day, "")]

    def draft(self, channel, scope, keys, force):
        if self.table is None:
            self.table = rankings.laggards(self.db, self.day)
        listed = [{"unit": r.unit, "code": r.code, "group": r.group, "rank": int(r.rank), "completion": float(r.completion)}
                  for r in self.table.itertuples() if scope is None or int(r.unit_id) in scope]
        codes = [u["code"] for u in listed]
        before = sending.last_detail(self.db, "laggards", channel.id, self.day)
        detail = {"units": codes, "names": [u["unit"] for u in listed]}
        if not force and before is None and not codes:
            return Draft(None, "nothing", detail)
        if not force and before is not None and sorted(before.get("units", [])) == sorted(codes):
            return Draft(None, "unchanged", detail)
        return Draft(messages.laggards(self.day, listed, self.conf["laggard_days"], self.conf["laggard_bottom"],
                                       channel.lang, before and before.get("names")), None, detail)


class _Letters:
    """Letter events of the run day: sent (yesterday or today), reply due tomorrow, overdue (first overdue day
    within the last week): one subject each, all new ones of a channel in one message."""

    def __init__(self, db, day, conf):
        self.db, self.day, self.events = db, day, None

    def _all(self):
        if self.events is None:
            table, day, events = supervision_letters.list_letters(self.db, self.day), self.day, []
            for r in table.itertuples():
                due_day = clock.as_date(r.reply_due)
                base = {"id": int(r.id), "unit_id": int(r.unit_id), "number": r.number, "unit": r.unit,
                        "sent_on": r.sent_on, "reply_due": r.reply_due}
                if r.status != "draft" and clock.as_date(r.sent_on) >= day - dt.timedelta(days=1):
                    events.append(base | {"event": "sent", "key": (clock.as_date(r.sent_on), f"sent:{r.id}")})
                if r.status == "sent" and due_day == day + dt.timedelta(days=1):
                    events.append(base | {"event": "due", "key": (day, f"due:{r.id}")})
                if r.status == "overdue" and due_day >= day - dt.timedelta(days=7):
                    events.append(base | {"event": "overdue", "key": (due_day + dt.timedelta(days=1), f"overdue:{r.id}")})
            self.events = events
        return self.events

    def keys(self, channel, scope):
        return [e["key"] for e in self._all() if scope is None or e["unit_id"] in scope]

    def draft(self, channel, scope, keys, force):
        chosen = [e for e in self._all() if e["key"] in keys]
        return Draft(messages.letters(self.day, chosen, channel.lang), None,
                     {"events": [e["key"][1] for e in chosen]})


BUILDERS = {"bulletin": _Bulletin, "reminder": _Reminder, "laggards": _Laggards, "letters": _Letters}


# ---- pushing ------------------------------------------------------------------------------------

def push(db, actor, message: str, day=None, *, channel: str | None = None, dry_run=False, force=False, now=None,
         parallel=False) -> list[dict]:
    """Send `message` about `day` to every robot subscribed to it (or to `channel` alone), once each.

    Returns one outcome per channel: status sent, failed, skipped (nothing to send, or the laggard list is
    unchanged), already (sent before: nothing done), none (no letter event) or dry_run (what would go: nothing
    is sent or recorded). `force` sends again and records the copy. `parallel` posts to the channels at once,
    each from its own thread and connection, so that a slow robot holds up no other (administrators)."""
    access.require_admin(actor)
    if message not in MESSAGES:
        raise InvalidValue("notify.error.bad_message", value=message)
    now = now or clock.now()
    conf = settings.get_all(db)
    day = clock.as_date(day) if day else default_day(message, conf, now)
    if day > now.date():
        raise InvalidValue("error.day_future", day=day.isoformat())
    builder = BUILDERS[message](db, day, conf)
    outcomes, jobs = [], []
    for target, scope in channels.targets(db, message, channel):
        base = {"message": message, "day": day.isoformat(), "channel": target.name, "kind": target.kind,
                "forced": bool(force), "attempts": 0, "parts": 0, "answer": None, "reason": None, "image": None}
        every = builder.keys(target, scope)
        keys = every if force else [k for k in every if not sending.logged(db, message, k, target.id)]
        if not keys:
            outcomes.append(base | {"status": "already" if every else "none"})
            continue
        draft = builder.draft(target, scope, keys, force)
        if draft.skip:
            status = "dry_run"
            if not dry_run:
                detail = draft.detail | {"reason": draft.skip}
                claimed = sending.claim(db, actor, message, keys, target.id, force=force, status="skipped", detail=detail)
                status = "skipped" if claimed else "already"
            outcomes.append(base | {"status": status, "reason": draft.skip})
            continue
        if dry_run:
            prepared = robots.prepare(target.kind, draft.message, target.lang)
            outcomes.append(base | {"status": "dry_run", "parts": len(prepared.bodies), "image": prepared.image,
                                    "preview": [preview(b) for b in prepared.bodies]})
            continue
        claimed = sending.claim(db, actor, message, keys, target.id, force=force)
        if not claimed:
            outcomes.append(base | {"status": "already"})
            continue
        if len(claimed) < len(keys):  # another process took some of a channel's letter events meanwhile
            draft = builder.draft(target, scope, [key for _, key in claimed], force)
        prepared = robots.prepare(target.kind, draft.message, target.lang)
        jobs.append((target, claimed, prepared, draft.detail | {"image": prepared.image}, base))
    path = file_path(db)

    def run(job):
        target, claimed, prepared, detail, base = job
        own = connect(path) if parallel and path else db
        try:
            done = sending.deliver(target, prepared.bodies)
            sending.finish(own, actor, claimed, message, target, done, detail, force=force)
        finally:
            if own is not db:
                own.conn.close()
        return base | {"status": done.status, "attempts": done.attempts, "parts": done.parts,
                       "answer": done.answer and done.answer.as_dict(), "image": prepared.image}

    if parallel and path and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=min(4, len(jobs)), thread_name_prefix="notify-send") as pool:
            outcomes += list(pool.map(run, jobs))
    else:
        outcomes += [run(job) for job in jobs]
    return outcomes


def run_due(db, actor=SCHEDULER, now=None, *, parallel=True) -> list[dict]:
    """Push whatever is due at `now` (default: the county's clock) to every subscribed robot (administrators)."""
    access.require_admin(actor)
    now = now or clock.now()
    outcomes = []
    for message, day in due(settings.get_all(db), now):
        outcomes += push(db, actor, message, day, now=now, parallel=parallel)
    return outcomes


def test_channel(db, actor, name: str) -> robots.Answer:
    """Send a test message to one robot, once (no retries: the page waits for it), recorded and audited."""
    access.require_admin(actor)
    target = channels.get_channel(db, name)
    conf = settings.get_all(db)
    stamp = clock.now()
    prepared = robots.prepare(target.kind, messages.test(target.name, target.kind, f"{stamp:%Y-%m-%d %H:%M:%S}",
                                                         conf["campaign_name"], target.lang), target.lang)
    claimed = sending.claim(db, actor, "test", [(stamp.date(), "")], target.id, force=True)
    done = sending.deliver(target, prepared.bodies, retries=0)
    sending.finish(db, actor, claimed, "test", target, done, {}, force=True)
    return done.answer


def preview(body: dict) -> str:
    """A body's text as the group would read it (markdown or text as sent; Feishu's post lines)."""
    for key in ("markdown", "text"):
        if key in body:
            return body[key].get("content") or body[key].get("text", "")
    if "image" in body:
        return f"[image {len(body['image']['base64']) * 3 // 4:,} bytes]"
    post = next(iter(body["content"]["post"].values()))
    return "\n".join([post["title"], *("".join(s["text"] for s in row) for row in post["content"])])
