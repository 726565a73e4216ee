"""A synthetic city for the scale benchmark: 18 counties, ~2,000 units, ~100,000 staff, 120 days of installs.

Everything is generated from one seed (same seed, same city) and plainly labelled 演示. Each feature
writes its own part in bulk (campaign/<feature>/demo.py, `load_city`), in one transaction with the
install index dropped; the index and the summaries are built afterwards (much faster than inserting
through live indexes).
"""

import datetime as dt
import time

import numpy as np

from campaign import features
from campaign.accounts import demo as accounts_demo
from campaign.coverage import demo as coverage_demo
from campaign.infra import audit, clock, settings
from campaign.infra.actors import SYSTEM
from campaign.infra.db import write
from campaign.installs import demo as installs_demo
from campaign.installs import summaries
from campaign.org import demo as org_demo

SEED = 9


def generate(path, *, seed: int = SEED, days: int = 120, today: dt.date | None = None,
             staff_total: int = 100_000, with_installs: bool = True, echo=print) -> dict:
    """Build the city in a new database file at `path` (refused if it holds units already).

    Without installs: units, staff, settings and users only (the import benchmark fills in the rest)."""
    today = today or clock.today()
    start = today - dt.timedelta(days=days - 1)
    rng = np.random.default_rng(seed)
    db = features.connect(path)
    if db.execute("SELECT COUNT(*) FROM units").fetchone()[0]:
        raise SystemExit(f"{path} already holds units: give a new --db path")
    # A new file nobody reads yet: no journal, no syncs, a large page cache. In WAL mode the one transaction of
    # 5 million rows spilled gigabytes into the WAL (20 minutes, mostly waiting for the disk; now ~50 s). A crash leaves a
    # file to delete, not a city to repair; WAL mode comes back at the end.
    for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{128 * 1024}"):
        db.execute(f"PRAGMA {pragma}")
    began, counts = time.perf_counter(), {}
    with write(db):
        settings.update(db, SYSTEM, {"start_date": start.isoformat(), "deadline": (start + dt.timedelta(days=149)).isoformat(),
                                     "county_name": org_demo.CITY, "campaign_name": "国家反诈中心APP推广（全市演示）",
                                     "max_daily_installs": 500})
        units, ranked, unit_of, staff_ids = org_demo.load_city(db, rng, staff_total)
        counts["units"], counts["staff"] = len(units), len(unit_of)
        counts["install_reports"] = installs_demo.load_city(db, rng, ranked, unit_of, staff_ids, start,
                                                            days if with_installs else 0)
        counts["insert_s"] = round(time.perf_counter() - began, 1)
        echo(f"inserted {counts['units']:,} units, {counts['staff']:,} staff, {counts['install_reports']:,} install reports"
             f" in {counts['insert_s']} s")

        mark = time.perf_counter()
        installs_demo.build_city_indexes(db)
        counts["index_s"] = round(time.perf_counter() - mark, 1)
        echo(f"built install indexes in {counts['index_s']} s")

        mark = time.perf_counter()
        counts["registration_rows"] = coverage_demo.load_city(db, rng, units, start, days if with_installs else 0)
        echo(f"population and {counts['registration_rows']:,} registration rows in {time.perf_counter() - mark:.1f} s")

        mark = time.perf_counter()
        summaries.rebuild(db)
        counts["summaries_s"] = round(time.perf_counter() - mark, 1)
        echo(f"built summaries in {counts['summaries_s']} s")
        accounts_demo.load_city(db)
        audit.record(db, SYSTEM, "create", "city_demo", str(seed), detail=counts)
    db.execute("ANALYZE")
    db.execute("PRAGMA journal_mode=WAL")
    counts["total_s"] = round(time.perf_counter() - began, 1)
    echo(f"city ready in {counts['total_s']} s: {path}")
    db.conn.close()
    return counts
