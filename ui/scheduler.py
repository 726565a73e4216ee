"""The work groups' schedule, run for as long as the server runs (listed in ui/routes.py SERVICES): one background
thread wakes every INTERVAL seconds and sends what is due (campaign.notify.schedule.run_due), so the daily loop
needs no cron on the embedded default. Several servers over one database send each message once (the send log).

The thread opens its own connection each tick and does nothing until every migration is in (the first page view
migrates a new database); a failing tick is logged (never with a robot's address) and the next one tries again.
"""

import asyncio
import logging
import threading
from contextlib import asynccontextmanager

from campaign import features
from campaign.infra import db as database
from campaign.notify import schedule

INTERVAL = 30  # seconds between ticks
FIRST = 5  # seconds after start-up before the first tick
LOG = logging.getLogger("campaign.notify")


def tick(path, now=None) -> list[dict]:
    """One look at the schedule over the database at `path`: send what is due (nothing before it is migrated)."""
    db = database.connect(path)
    try:
        if any(step_set.pending(db) for step_set in features.migration_sets()):
            return []
        return schedule.run_due(db, schedule.SCHEDULER, now)
    finally:
        db.conn.close()


def _loop(stop: threading.Event, path) -> None:
    wait = FIRST
    while not stop.wait(wait):
        wait = INTERVAL
        try:
            for outcome in tick(path):
                if outcome["status"] in ("sent", "failed"):
                    LOG.info("%s %s to %s: %s", outcome["message"], outcome["day"], outcome["channel"], outcome["status"])
        except Exception:  # noqa: BLE001 — the schedule must outlive one bad tick (the log says which)
            LOG.exception("the work groups' schedule failed this tick")


def send_now(path, actor, message: str, *, force: bool = False) -> threading.Thread:
    """Push one message from a thread of its own (the page's "send now"): the page does not wait; the send log
    shows the result."""
    def run():
        db = database.connect(path)
        try:
            schedule.push(db, actor, message, force=force, parallel=True)
        except Exception:  # noqa: BLE001 — nobody waits for this thread: the log says what went wrong
            LOG.exception("sending %s now failed", message)
        finally:
            db.conn.close()

    thread = threading.Thread(target=run, name="notify-send-now", daemon=True)
    thread.start()
    return thread


@asynccontextmanager
async def service(app):
    """Run the schedule's thread with the server; stop it at shut-down."""
    stop = threading.Event()
    thread = threading.Thread(target=_loop, args=(stop, database.db_path()), name="notify-scheduler", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        await asyncio.to_thread(thread.join, 10)
