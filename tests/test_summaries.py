"""Issue 9: the maintained install summaries always equal a recomputation from the raw reports.

A seeded random sequence of entries, corrections, imports, quota and active-flag changes runs on the
demo county; after each step every summary row must equal an independent Python recomputation, and
the rankings, laggards and progress read from summaries must equal the raw-query reference.
"""

import datetime as dt
import random

import pandas as pd
import pytest

from campaign.infra import settings
from campaign.installs import entries as installs
from campaign.installs import rankings, reference, summaries
from campaign.org import units
from tests.helpers import ADMIN, load

TODAY = dt.date(2026, 11, 28)


def recomputed(db) -> dict:
    """Every summary table, recomputed in plain Python from staff, units, settings and install_reports."""
    conf = settings.get_all(db)
    unit_quota = units.effective_quotas(db, conf["default_quota"])
    people = {sid: (uid, own if own is not None else unit_quota[uid])
              for sid, uid, own in db.execute("SELECT id, unit_id, quota FROM staff WHERE active = 1")}
    days, per_day, totals = {}, {}, {}
    for uid, q in people.values():
        staff, quota_total, *rest = totals.get(uid, (0, 0, 0, 0, 0))
        totals[uid] = (staff + 1, quota_total + q, *rest)
    running = {}
    for sid, day, n in db.execute("SELECT staff_id, day, installs FROM install_reports WHERE superseded_by IS NULL"
                                  " AND day >= ? ORDER BY staff_id, day", [conf["start_date"]]):
        if sid not in people:
            continue
        uid, q = people[sid]
        before = running.get(sid, 0)
        after = running[sid] = before + n
        figures = (n, min(after, q) - min(before, q), int(after >= q > before), 1)
        days[(uid, day)] = tuple(a + b for a, b in zip(days.get((uid, day), (0, 0, 0, 0)), figures))
        per_day[day] = tuple(a + b for a, b in zip(per_day.get(day, (0, 0, 0, 0)), figures))
        staff, quota_total, *rest = totals[uid]
        totals[uid] = (staff, quota_total, *(a + b for a, b in zip(rest, figures[:3])))
    return {
        "install_unit_days": [(uid, day, *f) for (uid, day), f in sorted(days.items())],
        "install_days": [(day, *f) for day, f in sorted(per_day.items())],
        "install_unit_totals": [(uid, *f) for uid, f in sorted(totals.items())],
    }


def assert_consistent(db, days=(TODAY, TODAY - dt.timedelta(days=3), TODAY - dt.timedelta(days=40))):
    assert summaries.snapshot(db) == recomputed(db)
    for day in days:
        pd.testing.assert_frame_equal(rankings.unit_ranking(db, day), reference.unit_ranking_from_raw(db, day))
        pd.testing.assert_frame_equal(rankings.laggards(db, day), reference.laggards_from_raw(db, day))
        fast, slow = rankings.progress(db, day), reference.progress_from_raw(db, day)
        pd.testing.assert_frame_equal(fast.pop("series"), slow.pop("series"))
        assert fast == slow


def test_the_demo_county_starts_consistent(demo_db):
    assert_consistent(demo_db)


def _people(db):
    return db.execute("""SELECT s.id, s.unit_id, u.code, s.name, s.phone FROM staff s JOIN units u ON u.id = s.unit_id
                         WHERE s.active = 1 AND u.type IN ('township', 'community', 'department') ORDER BY s.id""").fetchall()


@pytest.mark.parametrize("seed", [1, 2])
def test_a_random_sequence_keeps_every_summary_equal_to_a_recomputation(demo_db, seed):
    db, rng = demo_db, random.Random(seed)
    start = dt.date.fromisoformat(settings.get(db, "start_date"))
    people = _people(db)
    by_unit = {}
    for sid, uid, *_ in people:
        by_unit.setdefault(uid, []).append(sid)
    now = dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.timezone(dt.timedelta(hours=8)))
    steps = ["entry"] * 8 + ["import"] * 3 + ["corrections"] * 2 + ["quota", "deactivate", "default_quota", "start"]
    rng.shuffle(steps)
    for step in steps:
        if step == "entry":  # a save for one unit and day: new values, corrections (some down to 0), unchanged
            uid = rng.choice(sorted(by_unit))
            day = start + dt.timedelta(days=rng.randrange((TODAY - start).days + 1))
            chosen = rng.sample(by_unit[uid], k=min(len(by_unit[uid]), rng.randint(1, 8)))
            values = {sid: rng.choice([0, 1, 3, 12, 29, 30, 31, 45, 60]) for sid in chosen}
            installs.save_entries(db, ADMIN, uid, day, values, now=now)
        elif step == "import":  # a file of many people and days, overlapping what is held
            picked = rng.sample(people, k=40)
            lines = ["unit,name,phone,date,installs"]
            seen = set()
            for sid, uid, code, name, phone in picked:
                for _ in range(rng.randint(1, 4)):
                    day = start + dt.timedelta(days=rng.randrange((TODAY - start).days + 1))
                    if (sid, day) not in seen:
                        seen.add((sid, day))
                        lines.append(f"{code},{name},{phone or ''},{day.isoformat()},{rng.randint(0, 40)}")
            ambiguous = {(code, name) for _, _, code, name, phone in people if not phone}
            lines = [line for line in lines if tuple(line.split(",")[:2]) not in ambiguous or line.split(",")[2]]
            load(db, "installs", "\n".join(lines))
        elif step == "corrections":  # a file re-sending held reports: some changed (a few to 0), some the same
            held = db.execute("""SELECT u.code, s.name, s.phone, r.day, r.installs FROM install_reports r
                                 JOIN staff s ON s.id = r.staff_id JOIN units u ON u.id = s.unit_id
                                 WHERE r.superseded_by IS NULL AND s.active = 1 AND s.phone IS NOT NULL
                                 AND u.type IN ('township', 'community', 'department') AND r.day >= ?
                                 ORDER BY r.id""", [start.isoformat()]).fetchall()
            lines = ["unit,name,phone,date,installs"]
            for code, name, phone, day, n in rng.sample(held, k=min(len(held), 60)):
                lines.append(f"{code},{name},{phone},{day},{rng.choice([n, n, 0, n + 1, n + 25, max(n - 7, 0)])}")
            counts = load(db, "installs", "\n".join(lines)).counts
            assert counts["new"] == 0 and counts["corrected"] + counts["unchanged"] == len(lines) - 1
        elif step in ("quota", "deactivate"):  # a staff file changes one person's quota or active flag
            sid, uid, code, name, phone = rng.choice([p for p in people if p[4]])
            flag, own = ("否", "") if step == "deactivate" else ("是", str(rng.choice([5, 15, 40])))
            load(db, "staff", f"unit,name,phone,active,quota,quota_reason\n{code},{name},{phone},{flag},{own},病休")
            people = _people(db)
            by_unit = {}
            for p_sid, p_uid, *_ in people:
                by_unit.setdefault(p_uid, []).append(p_sid)
        elif step == "default_quota":
            settings.update(db, ADMIN, {"quota_guidance": 20, "default_quota": rng.choice([20, 25, 35])})
        else:  # a later campaign start leaves out the first days' reports
            settings.update(db, ADMIN, {"start_date": (start + dt.timedelta(days=2)).isoformat()})
            start += dt.timedelta(days=2)
        assert summaries.snapshot(db) == recomputed(db), step
    assert_consistent(db)


def test_a_correction_across_the_quota_moves_credit_between_days(db):
    from tests.helpers import small_county

    small_county(db)
    ids = {code: uid for uid, code in db.execute("SELECT id, code FROM units")}
    zhang = db.execute("SELECT id FROM staff WHERE name = '张一'").fetchone()[0]
    now = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for day, n in (("2026-11-21", 20), ("2026-11-22", 20)):
        installs.save_entries(db, ADMIN, ids["T1"], day, {zhang: n}, now=now)
    # quota 30: 20 credited on the 21st, 10 on the 22nd (reaching the quota that day)
    assert db.execute("SELECT day, installs, credited, at_quota FROM install_unit_days WHERE unit_id = ? ORDER BY day",
                      [ids["T1"]]).fetchall() == [("2026-11-21", 20, 20, 0), ("2026-11-22", 20, 10, 1)]
    installs.save_entries(db, ADMIN, ids["T1"], "2026-11-21", {zhang: 35}, now=now)  # now the quota is reached earlier
    assert db.execute("SELECT day, installs, credited, at_quota FROM install_unit_days WHERE unit_id = ? ORDER BY day",
                      [ids["T1"]]).fetchall() == [("2026-11-21", 35, 30, 1), ("2026-11-22", 20, 0, 0)]
    assert summaries.snapshot(db) == recomputed(db)
