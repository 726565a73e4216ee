"""The demo county's print log (issue 4): what the centre, coordinators and grid workers printed this month.

Seeded, so the same day gives the same log: posters for every window on the first day, card
sheets for most grids now and then, take-home slips for every class of half the schools at the
start-of-term push. Written straight into the log (no PDF is drawn), with one audit row.
"""

import datetime as dt
import math
import random

from campaign.flyers import render as flyers
from campaign.flyers import store as flyers_store
from campaign.infra import audit, settings
from campaign.org import access
from campaign.outreach import entries as outreach

SEED = 20261128


def demo_prints(db, today: dt.date, seed: int = SEED) -> list[tuple]:
    """Rows of flyer_prints (at, actor, kind, format, unit_id, code, name, copies, pieces, target), oldest first."""
    rng = random.Random(f"{seed}-{today.isoformat()}")
    conf = settings.get_all(db)
    start = dt.date.fromisoformat(conf["start_date"])
    days = max(1, (today - start).days + 1)
    template = flyers_store.options(db).target
    families = outreach.class_families(db)
    rows = []

    def add(day: dt.date, actor: str, kind: str, loc, copies: int, pieces: int, minute: int):
        at = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(minutes=minute)
        rows.append((at.isoformat(timespec="seconds") + "+08:00", actor, kind, "pdf", loc.unit_id, loc.code, loc.name,
                     copies, pieces, flyers.target_for(template, loc.code)))

    everything = flyers_store.all_locations(db)
    for minute, loc in enumerate(loc for loc in everything if loc.kind == "window"):
        add(start, "admin", "poster", loc, 1, 1, minute // 10)
    grid_owner = {"G01-001": "grid_cx"}
    for loc in (loc for loc in everything if loc.kind == "grid"):
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            copies = rng.randint(2, 6)
            owner = grid_owner.get(loc.code) or ("coord_cx" if loc.code.startswith("G01-") else "admin")
            add(start + dt.timedelta(days=rng.randrange(days)), owner, "cards", loc, copies, copies * 8, rng.randrange(480))
    schools = sorted({loc.host_code for loc in everything if loc.kind == "class"})
    for school in rng.sample(schools, len(schools) // 2):
        for loc in (loc for loc in everything if loc.kind == "class" and loc.host_code == school):
            copies = max(1, math.ceil((families.get(loc.unit_id) or 0) / 2))  # two slips per page
            add(start + dt.timedelta(days=1), "teacher_cx" if school == "S01-07" else "admin", "slip", loc,
                copies, copies * 2, rng.randrange(60))
    return sorted(rows)


def load(db, today: dt.date) -> int:
    """Write the demo print log inside the caller's transaction; returns the rows written."""
    rows = demo_prints(db, today)
    db.conn.executemany(
        "INSERT INTO flyer_prints (at, actor, kind, format, unit_id, code, name, copies, pieces, target)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    audit.record(db, access.SYSTEM, "demo", "flyer", None, detail={"rows": len(rows)})
    return len(rows)
