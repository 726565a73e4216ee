"""Issue 9: the coverage summaries always equal a recomputation from the raw population and registration rows.

A seeded random sequence of registration imports, corrections (a day and township imported again with
other bands), population imports (new versions and replacements), changes of the active version and
rejected files runs on a small county; after each step every summary row must equal an independent
recomputation in plain Python, and the report and trend must equal coverage.compute over the raw rows.
"""

import datetime as dt
import random
from fractions import Fraction

import pytest

from campaign.coverage import report as coverage_report
from campaign.coverage import rules, store
from campaign.infra import settings
from campaign.infra.errors import RowsRejected
from tests.helpers import ADMIN, load, small_county

TOWNSHIPS = ("甲镇", "乙镇", "丙镇")
FIRST_DAY = dt.date(2026, 11, 1)


def share(lo: int, hi: int | None) -> tuple[Fraction, bool]:
    """The part of a band inside 16–60, spread evenly over its years ("85+" ends at 100)."""
    top = hi if hi is not None else max(lo, 100)
    inside = max(0, min(top, 60) - max(lo, 16) + 1)
    return Fraction(inside, top - lo + 1), 0 < inside < top - lo + 1


def sums(rows) -> dict:
    """key -> [total, total aged 16–60, estimated] from (key, lo, hi, value) rows."""
    out: dict = {}
    for key, lo, hi, value in rows:
        part, estimated = share(lo, hi)
        slot = out.setdefault(key, [0, Fraction(0), False])
        slot[0] += value
        slot[1] += value * part
        slot[2] = slot[2] or estimated
    return out


def recomputed(db) -> dict:
    """Every coverage summary table, recomputed from population_rows and registration_rows."""
    versions = [vid for (vid,) in db.execute("SELECT id FROM population_versions")]
    people = {vid: sums(((vid, t), lo, hi, n) for t, lo, hi, n in db.execute(
        "SELECT township, age_lo, age_hi, people FROM population_rows WHERE version_id = ?", [vid])) for vid in versions}
    registered = sums(((day, t), lo, hi, n) for day, t, lo, hi, n in db.execute(
        "SELECT as_of, township, age_lo, age_hi, registered FROM registration_rows"))
    days = sorted({day for day, _ in registered})
    totals = []
    for vid in versions:
        pop = {t: figures for (v, t), figures in people[vid].items()}
        for day in days:
            reg = {t: figures for (d, t), figures in registered.items() if d == day}
            both = [t for t in pop if t in reg]
            counted = both or list(pop)
            totals.append((vid, day, sum(pop[t][0] for t in counted), str(sum((pop[t][1] for t in counted), Fraction(0))),
                           sum(reg[t][0] for t in both) if both else None,
                           str(sum((reg[t][1] for t in both), Fraction(0))) if both else None,
                           int(any(pop[t][2] or (t in reg and reg[t][2]) for t in counted))))
    return {
        "registration_days": sorted((d, t, n, str(inside), int(e)) for (d, t), (n, inside, e) in registered.items()),
        "population_townships": sorted((v, t, n, str(inside), int(e)) for vid in versions
                                       for (v, t), (n, inside, e) in people[vid].items()),
        "coverage_days": sorted(totals),
    }


def assert_consistent(db):
    assert store.summaries_snapshot(db) == recomputed(db)
    version = store.active_version(db)
    if version is None:
        return
    population = store.population_rows(db, version.id)
    snapshots = store.registration_rows(db)
    trend = coverage_report.trend(db, dt.date(2026, 11, 28))
    assert [d for d in trend["day"]] == sorted(snapshots)
    for row in trend.astype(object).where(trend.notna(), None).itertuples():  # "no data" as None, not NaN
        total, _, _ = rules.compute(population, snapshots[row.day])
        assert (row.registered, row.registered_16_60, row.estimated) == (
            rules.number(total.registered), rules.number(total.registered_16_60), total.estimated)
        assert (row.coverage, row.coverage_16_60) == (total.coverage, total.coverage_16_60)
    for day in sorted(snapshots)[-2:]:
        report = coverage_report.report(db, day)
        total, townships, unknown = rules.compute(population, snapshots[day])
        assert {k: report[k] for k in total.as_dict()} == total.as_dict()
        assert {t["township"]: {k: t[k] for k in total.as_dict()} for t in report["townships"]} == {
            name: figures.as_dict() for name, figures in townships.items()}
        assert report["unknown_townships"] == unknown


def bands_csv(rng: random.Random) -> list[tuple[str, int]]:
    """A random split of ages 0..100+ into bands written as people write them, with a count for each."""
    cuts = sorted(rng.sample(range(1, 100), rng.randint(1, 8)))
    edges = [0, *cuts]
    out = []
    for lo, hi in zip(edges, [*cuts, None]):  # hi: the next band's first year
        text = f"{lo}岁及以上" if hi is None else (f"{lo}" if hi - 1 == lo else f"{lo}-{hi - 1}")
        out.append((text, rng.randint(0, 900)))
    return out


def registrations(rng, pairs) -> str:
    lines = ["日期,乡镇,年龄,注册人数"]
    for day, township in pairs:
        lines += [f"{day},{township},{age},{n}" for age, n in bands_csv(rng)]
    return "\n".join(lines)


def population(rng, townships) -> str:
    return "\n".join(["乡镇,年龄,人口数"] + [f"{t},{age},{n * 10 + 1}" for t in townships for age, n in bands_csv(rng)])


@pytest.fixture
def county(db):
    small_county(db)
    load(db, "units", "code,name,type,parent\nT3,丙镇,township,C\n")
    return db


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_imports_and_corrections_keep_the_summaries_equal_to_the_raw_rows(county, seed):
    rng = random.Random(seed)
    assert_consistent(county)
    load(county, "population", population(rng, TOWNSHIPS), options={"year": "2020", "kind": "resident"})
    assert_consistent(county)
    held: list = []
    for step in range(25):
        action = rng.choice(["import", "import", "correct", "correct", "population", "switch", "reject"])
        versions = [v.id for v in store.list_versions(county)]
        if action == "import" or not held or action == "correct" and not {t for _, t in held} & set(
                store.alias_targets(county)):
            days = rng.sample(range(28), rng.randint(1, 4))
            pairs = [((FIRST_DAY + dt.timedelta(days=d)).isoformat(), t) for d in days
                     for t in rng.sample(store.alias_targets(county), rng.randint(1, min(2, len(store.alias_targets(county)))))]
            load(county, "registrations", registrations(rng, pairs))
            held += pairs
        elif action == "correct":  # the same day and township again, other bands and counts: replaced whole
            known = [pair for pair in held if pair[1] in store.alias_targets(county)]
            load(county, "registrations", registrations(rng, rng.sample(known, min(len(known), rng.randint(1, 3)))))
        elif action == "population":  # a new version (another year or kind), or a version imported again
            year, kind = rng.choice([("2020", "resident"), ("2021", "resident"), ("2020", "household")])
            load(county, "population", population(rng, rng.sample(TOWNSHIPS, rng.randint(1, 3))),
                 options={"year": year, "kind": kind})
        elif action == "switch":
            settings.update(county, ADMIN, {"coverage_population_version": rng.choice(versions)})
        else:  # a file with one bad row is refused whole: nothing changes
            before = store.summaries_snapshot(county)
            text = registrations(rng, [("2026-11-05", "甲镇")]) + "\n2026-11-05,乙镇,abc,5"
            with pytest.raises(RowsRejected):
                load(county, "registrations", text)
            assert store.summaries_snapshot(county) == before
        assert_consistent(county)
    assert len(store.summaries_snapshot(county)["coverage_days"]) > 10


def test_a_rebuild_gives_the_same_rows(county):
    rng = random.Random(7)
    load(county, "population", population(rng, TOWNSHIPS), options={"year": "2020"})
    load(county, "registrations", registrations(rng, [("2026-11-03", "甲镇"), ("2026-11-03", "乙镇"),
                                                      ("2026-11-04", "丙镇")]))
    kept = store.summaries_snapshot(county)
    store.rebuild_summaries(county)
    assert store.summaries_snapshot(county) == kept == recomputed(county)


def test_the_demo_county_summaries_equal_the_raw_rows(demo_db):
    assert_consistent(demo_db)


def test_a_county_of_a_city_counts_its_townships_only(county):
    """At city scale the overview's county choice narrows the coverage report and its trend to that county."""
    from campaign.coverage import overview as coverage_overview

    load(county, "units", "code,name,type,parent,quota\nC2,第二县,county,,\nT4,丁镇,township,C2,\nD4,二县一局,department,C2,\n")
    rng = random.Random(11)
    load(county, "population", population(rng, (*TOWNSHIPS, "丁镇")), options={"year": "2020"})
    pairs = [((FIRST_DAY + dt.timedelta(days=d)).isoformat(), t) for d in (2, 9, 16, 27) for t in (*TOWNSHIPS, "丁镇")]
    load(county, "registrations", registrations(rng, [p for p in pairs if p != ("2026-11-10", "甲镇")]))
    ids = {code: uid for uid, code in county.execute("SELECT id, code FROM units")}
    population_rows = store.population_rows(county, store.active_version(county).id)
    snapshots = store.registration_rows(county)
    for code, name, townships in (("C", "测试县", set(TOWNSHIPS)), ("C2", "第二县", {"丁镇"})):
        report, trend = coverage_report.build(county, "2026-11-28", ids[code])
        mine = [row for row in population_rows if row[0] in townships]
        total, per_township, _ = rules.compute(mine, [row for row in snapshots[dt.date(2026, 11, 28)] if row[0] in townships])
        assert report["county"] == name and {t["township"] for t in report["townships"]} == townships
        assert {k: report[k] for k in total.as_dict()} == total.as_dict()
        for row in trend.itertuples():
            day_total = rules.compute(mine, [r for r in snapshots[row.day] if r[0] in townships])[0]
            assert (row.registered, row.registered_16_60, row.coverage, row.coverage_16_60, row.estimated) == (
                rules.number(day_total.registered), rules.number(day_total.registered_16_60), day_total.coverage,
                day_total.coverage_16_60, day_total.estimated)
        view = coverage_overview.overview(county, "2026-11-28", ids[code])
        assert set(view["reconciliation"]["table"]["township"]) == townships
    whole = coverage_report.report(county, "2026-11-28")  # the whole database, named by the county setting
    assert (whole["county"], len(whole["townships"])) == (settings.get_all(county)["county_name"], 4)
