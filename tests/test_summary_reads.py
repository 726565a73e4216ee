"""Issue 9: the screens' fast reads equal their raw-row references.

Rankings and laggards read the per-unit summaries (back from the last day held, or forward from the
first, whichever reads fewer days); a unit's staff ranking and the entry sheet read each person's
total from `install_staff_totals`. A seeded random sequence of entries, corrections, imports and
staff changes runs on the demo county; after every step the per-person totals must equal a plain
Python recomputation, and the reads must equal the raw-query references.
"""

import datetime as dt
import random

import pandas as pd
import pytest

from campaign.infra import settings
from campaign.installs import entries as installs
from campaign.installs import rankings, reference
from campaign.org import access
from campaign.outreach import figures as outreach_figures
from tests.helpers import ADMIN, load, small_county

TODAY = dt.date(2026, 11, 28)
COORDINATOR_VIEW = access.Actor("leader", access.LEADER)  # sees masked phones


def staff_totals(db) -> list[tuple]:
    return db.execute("SELECT staff_id, installs FROM install_staff_totals ORDER BY staff_id").fetchall()


def staff_totals_recomputed(db) -> list[tuple]:
    """Each active person's installs over their current reports from the campaign start, in plain Python."""
    start = settings.get(db, "start_date")
    active = {sid for (sid,) in db.execute("SELECT id FROM staff WHERE active = 1")}
    totals: dict = {}
    for sid, day, n in db.execute("SELECT staff_id, day, installs FROM install_reports WHERE superseded_by IS NULL"):
        if sid in active and day >= start:
            totals[sid] = totals.get(sid, 0) + n
    return sorted(totals.items())


def assert_staff_reads(db, unit_ids, days):
    for unit_id in unit_ids:
        for day in days:
            for actor in (ADMIN, COORDINATOR_VIEW):
                pd.testing.assert_frame_equal(rankings.staff_ranking(db, actor, unit_id, day),
                                              reference.staff_ranking_from_raw(db, actor, unit_id, day), check_exact=True)
                pd.testing.assert_frame_equal(installs.entry_sheet(db, actor, unit_id, day),
                                              reference.entry_sheet_from_raw(db, actor, unit_id, day), check_exact=True)


def _people(db):
    return db.execute("""SELECT s.id, s.unit_id, u.code, s.name, s.phone FROM staff s JOIN units u ON u.id = s.unit_id
                         WHERE s.active = 1 AND u.type IN ('township', 'community', 'department') ORDER BY s.id""").fetchall()


def test_the_demo_county_starts_with_equal_staff_totals(demo_db):
    assert staff_totals(demo_db) == staff_totals_recomputed(demo_db)
    biggest = demo_db.execute("SELECT unit_id FROM install_unit_totals ORDER BY staff DESC LIMIT 1").fetchone()[0]
    assert_staff_reads(demo_db, [biggest], [TODAY, TODAY - dt.timedelta(days=1), dt.date(2026, 11, 5),
                                            dt.date(2026, 10, 29), TODAY + dt.timedelta(days=1)])


@pytest.mark.parametrize("seed", [3, 4])
def test_a_random_sequence_keeps_staff_totals_and_reads_equal_to_the_raw_rows(demo_db, seed):
    db, rng = demo_db, random.Random(seed)
    start = dt.date.fromisoformat(settings.get(db, "start_date"))
    now = dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    people = _people(db)
    touched = set()
    steps = ["entry"] * 8 + ["import"] * 3 + ["quota", "deactivate", "start"]
    rng.shuffle(steps)
    for step in steps:
        by_unit: dict = {}
        for sid, uid, *_ in people:
            by_unit.setdefault(uid, []).append(sid)
        if step == "entry":  # new values, corrections (some to 0) and unchanged values for one unit and day
            uid = rng.choice(sorted(by_unit))
            day = start + dt.timedelta(days=rng.randrange((TODAY - start).days + 1))
            chosen = rng.sample(by_unit[uid], k=min(len(by_unit[uid]), rng.randint(1, 8)))
            installs.save_entries(db, ADMIN, uid, day, {sid: rng.choice([0, 1, 3, 12, 29, 30, 31, 60]) for sid in chosen},
                                  now=now)
            touched.add(uid)
        elif step == "import":  # many people and days, overlapping what is held
            lines, seen = ["unit,name,phone,date,installs"], set()
            for sid, uid, code, name, phone in rng.sample([p for p in people if p[4]], k=40):
                for _ in range(rng.randint(1, 4)):
                    day = start + dt.timedelta(days=rng.randrange((TODAY - start).days + 1))
                    if (sid, day) not in seen:
                        seen.add((sid, day))
                        lines.append(f"{code},{name},{phone},{day.isoformat()},{rng.randint(0, 40)}")
                touched.add(uid)
            load(db, "installs", "\n".join(lines))
        elif step in ("quota", "deactivate"):
            sid, uid, code, name, phone = rng.choice([p for p in people if p[4]])
            flag, own = ("否", "") if step == "deactivate" else ("是", str(rng.choice([5, 15, 40])))
            load(db, "staff", f"unit,name,phone,active,quota,quota_reason\n{code},{name},{phone},{flag},{own},病休")
            people = _people(db)
            touched.add(uid)
        else:  # a later campaign start leaves out the first days' reports
            start += dt.timedelta(days=2)
            settings.update(db, ADMIN, {"start_date": start.isoformat()})
        assert staff_totals(db) == staff_totals_recomputed(db), step
    days = [TODAY, TODAY - dt.timedelta(days=1), TODAY - dt.timedelta(days=6), start + dt.timedelta(days=2),
            start - dt.timedelta(days=1)]
    assert_staff_reads(db, sorted(touched)[:4], days)


@pytest.mark.parametrize("back", [0, 1, 2, 6, 20, 27, 29, 31, 45])
def test_rankings_read_back_or_forward_equal_the_raw_rows(demo_db, back):
    # The demo holds 2026-10-30 … 2026-11-28: early days read forward from the start, late days back from today.
    day = TODAY - dt.timedelta(days=back)
    pd.testing.assert_frame_equal(rankings.unit_ranking(demo_db, day), reference.unit_ranking_from_raw(demo_db, day),
                                  check_exact=True)
    pd.testing.assert_frame_equal(rankings.laggards(demo_db, day), reference.laggards_from_raw(demo_db, day),
                                  check_exact=True)


def test_laggards_over_more_days_equal_the_raw_rows(demo_db):
    settings.update(demo_db, ADMIN, {"laggard_days": 5, "laggard_bottom": 8})
    for day in (TODAY, TODAY - dt.timedelta(days=9)):
        expected = reference.laggards_from_raw(demo_db, day)
        assert len(expected) > 0
        pd.testing.assert_frame_equal(rankings.laggards(demo_db, day), expected, check_exact=True)


def test_a_database_without_reports_ranks_everyone_at_zero(db):
    small_county(db)
    table = rankings.unit_ranking(db, TODAY)
    assert table["rank"].tolist() == [1, 1, 1, 1, 1] and table["completion"].tolist() == [0.0] * 5
    assert table["no_report"].all() and rankings.laggards(db, TODAY).empty
    pd.testing.assert_frame_equal(table, reference.unit_ranking_from_raw(db, TODAY), check_exact=True)
    ids = {code: uid for uid, code in db.execute("SELECT id, code FROM units")}
    assert_staff_reads(db, [ids["T1"], ids["D2"]], [TODAY])


def test_the_outreach_summary_of_a_county_without_channel_units_is_all_zero(db):
    small_county(db)
    lines = outreach_figures.summary(db, TODAY)
    assert [line["channel"] for line in lines] == ["schools", "grids", "enterprises", "windows"]
    assert all(line["units"] == line["denominator"] == line["installs"] == 0 and line["coverage"] is None
               for line in lines)
    assert lines[1]["idle"] == 0 and lines[3]["without_qr"] == 0
