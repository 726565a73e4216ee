"""The demo county (Quannan-like, plainly labelled 演示), loaded on first start of an empty database.

Each feature loads its own part (its Feature's `demo`), in the order below: the registries before
the accounts that answer for a grid and a class, and coverage last, because its registrations follow
every channel's installs. Units, staff and registries are committed CSV files in data/; the daily
figures end on the load day and come from fixed seeds, so the same day gives the same data.
"""

import datetime as dt

from campaign import features
from campaign.accounts import users
from campaign.infra import clock, settings
from campaign.infra.actors import SYSTEM
from campaign.infra.db import write

ORDER = ("org", "installs", "supervision", "outreach", "scans", "flyers", "coverage", "accounts")


def load_demo(db, today: dt.date | None = None, progress=None) -> None:
    """Load the demo county into an empty database: settings, every feature's part, the demo accounts.

    `progress(done, total, part)` is called before each feature's part (and once at the end with part "done")."""
    today = today or clock.today()
    start = today - dt.timedelta(days=29)
    with write(db):  # all or nothing: a half-loaded demo would never be completed
        if not is_empty(db):  # another app process loaded it meanwhile
            return
        settings.update(db, SYSTEM, {"start_date": start.isoformat(), "deadline": (start + dt.timedelta(days=59)).isoformat()})
        for done, name in enumerate(ORDER):
            if progress:
                progress(done, len(ORDER), name)
            features.by_name(name).demo(db, today)
    if progress:
        progress(len(ORDER), len(ORDER), "done")


def is_empty(db) -> bool:
    return db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0


def needs_demo(db) -> bool:
    """True on an empty database without a real administrator: the first start loads the demo."""
    return is_empty(db) and not users.has_real_accounts(db)  # a real install (its admin exists) gets no demo


def ensure_demo(db, today=None, progress=None) -> bool:
    """Load the demo on an empty database; True when it was loaded."""
    if not needs_demo(db):
        return False
    load_demo(db, today, progress)
    return True
