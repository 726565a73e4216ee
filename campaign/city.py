"""A synthetic city for the scale benchmark: 18 counties, ~2,000 units, ~100,000 staff, 120 days of installs.

Everything is generated from one seed (same seed, same city) and plainly labelled 演示. Rows go in
with plain executemany in one transaction with the install indexes dropped; the indexes and the
summaries are built afterwards (much faster than inserting through live indexes).
"""

import datetime as dt
import time

import numpy as np

from campaign import access, audit, clock, coverage_store, settings, summaries, users
from campaign import db as database
from campaign.db import write

SEED = 9
CITY = "赣南市（演示）"
COUNTIES = ["章贡区", "南康区", "赣县区", "信丰县", "大余县", "上犹县", "崇义县", "安远县", "龙南市",
            "定南县", "全南县", "宁都县", "于都县", "兴国县", "会昌县", "寻乌县", "石城县", "瑞金市"]
SYLLABLES = "东西南北中上下新老大小长安平和兴龙凤金银石水田桥坪坝江河湖山岭塘溪沙黄白青梅竹松林"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡钟廖赖温邱黎叶"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉玲红志斌海燕鹏飞宇晨雪梅兰健林峰琳欣怡浩然子轩"
DEPARTMENTS = 97  # per county; with 12 townships and the community committee: 110 units per county
TOWNSHIPS = 12
BANDS = [(lo, lo + 4) for lo in range(0, 85, 5)] + [(85, None)]
INSTALL_INDEXES = {  # the schema's install index, rebuilt after the bulk load
    "install_reports_current": "CREATE UNIQUE INDEX install_reports_current ON install_reports(staff_id, day)"
                               " WHERE superseded_by IS NULL",
}
CITY_USERS = [("admin", access.ADMIN, (), "市反诈中心管理员"), ("leader", access.LEADER, (), "市领导"),
              ("coord_c01", access.COORDINATOR, ("C01",), "章贡区联络员")]


def _names(rng, n: int) -> list[str]:
    sur = rng.integers(0, len(SURNAMES), n)
    g1, g2 = rng.integers(0, len(GIVEN), n), rng.integers(0, len(GIVEN), n)
    two = rng.random(n) < 0.6
    return [SURNAMES[s] + GIVEN[a] + (GIVEN[b] if t else "") for s, a, b, t in zip(sur, g1, g2, two)]


def city_units(rng) -> list[tuple]:
    """(code, name, type, parent code, quota) rows: the city, its counties, their townships and departments."""
    rows = [("CITY", CITY, "city", None, None)]
    for c, county in enumerate(COUNTIES, start=1):
        cc = f"C{c:02d}"
        rows.append((cc, county + "（演示）", "county", "CITY", None))
        picked = rng.choice(len(SYLLABLES) ** 2, size=TOWNSHIPS, replace=False)
        for t, p in enumerate(picked, start=1):
            name = county[:2] + SYLLABLES[p // len(SYLLABLES)] + SYLLABLES[p % len(SYLLABLES)] + "镇"
            rows.append((f"{cc}-T{t:02d}", name, "township", cc, None))
        rows.append((f"{cc}-T{TOWNSHIPS + 1:02d}", county[:2] + "城市社区管委会", "community", cc, None))
        for d in range(1, DEPARTMENTS + 1):
            rows.append((f"{cc}-D{d:03d}", f"{county}第{d}部门", "department", cc, None))
    return rows


def generate(path, *, seed: int = SEED, days: int = 120, today: dt.date | None = None,
             staff_total: int = 100_000, with_installs: bool = True, echo=print) -> dict:
    """Build the city in a new database file at `path` (refused if it holds units already).

    Without installs: units, staff, settings and users only (the import benchmark fills in the rest)."""
    today = today or clock.today()
    start = today - dt.timedelta(days=days - 1)
    rng = np.random.default_rng(seed)
    db = database.connect(path)
    if db.execute("SELECT COUNT(*) FROM units").fetchone()[0]:
        raise SystemExit(f"{path} already holds units: give a new --db path")
    # A new file nobody reads yet: no journal, no syncs, a large page cache. In WAL mode the one transaction of
    # 5 million rows spilled gigabytes into the WAL (20 minutes, mostly waiting for the disk; now ~50 s). A crash leaves a
    # file to delete, not a city to repair; WAL mode comes back at the end.
    for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{128 * 1024}"):
        db.execute(f"PRAGMA {pragma}")
    began, counts = time.perf_counter(), {}
    actor = access.SYSTEM
    with write(db):
        settings.update(db, actor, {"start_date": start.isoformat(), "deadline": (start + dt.timedelta(days=149)).isoformat(),
                                    "county_name": CITY, "campaign_name": "国家反诈中心APP推广（全市演示）",
                                    "max_daily_installs": 500})
        units = city_units(rng)
        db.conn.executemany("INSERT INTO units (code, name, type, quota) VALUES (?, ?, ?, ?)",
                            [(c, n, t, q) for c, n, t, _, q in units])
        ids = {code: uid for uid, code in db.execute("SELECT id, code FROM units")}
        db.conn.executemany("UPDATE units SET parent_id = ? WHERE id = ?",
                            [(ids[p], ids[c]) for c, _, _, p, _ in units if p])
        ranked = [ids[c] for c, _, t, _, _ in units if t in ("township", "community", "department")]
        counts["units"] = len(units)

        # staff: unit sizes lognormal, scaled to staff_total; unique synthetic phones (a bijection mod 10^8)
        sizes = np.maximum(5, rng.lognormal(3.6, 0.7, len(ranked)))
        sizes = np.maximum(5, np.round(sizes * staff_total / sizes.sum())).astype(int)
        unit_of = np.repeat(np.array(ranked), sizes)
        n = len(unit_of)
        phones = [f"1{p}{(i * 7919 + 12345) % 10**8:08d}" for i, p in
                  zip(range(n), rng.choice(["38", "39", "50", "86", "77"], n))]
        active = (rng.random(n) > 0.02).astype(int)
        db.conn.executemany("INSERT INTO staff (unit_id, name, phone, active) VALUES (?, ?, ?, ?)",
                            zip(unit_of.tolist(), _names(rng, n), phones, active.tolist()))
        staff_ids = np.array([sid for (sid,) in db.execute("SELECT id FROM staff ORDER BY id")])
        counts["staff"] = n

        # installs: each person reports on about 42% of days; vigour varies by unit and person
        for name in INSTALL_INDEXES:
            db.execute(f"DROP INDEX IF EXISTS {name}")
        unit_vigour = dict(zip(ranked, rng.lognormal(0, 0.45, len(ranked))))
        vigour = np.array([unit_vigour[u] for u in unit_of.tolist()]) * rng.lognormal(0, 0.5, n)
        report_p = np.clip(0.42 * rng.lognormal(0, 0.3, n), 0.02, 0.95)
        entry, rows_total = db.execute("INSERT INTO entries (entered_by, entered_at, source)"
                                        " VALUES ('city-demo', ?, 'import')", [clock.stamp()]).lastrowid, 0
        for offset in range(days if with_installs else 0):
            day = (start + dt.timedelta(days=offset)).isoformat()
            fade = 1.4 - 0.8 * offset / days
            reported = rng.random(n) < report_p
            mean = 30 / days / 0.42 * vigour[reported] * fade
            values = rng.poisson(mean)
            db.conn.executemany(
                f"INSERT INTO install_reports (staff_id, day, installs, entry_id) VALUES (?, ?, ?, {entry})",
                zip(staff_ids[reported].tolist(), [day] * int(reported.sum()), values.tolist()),
            )
            rows_total += int(reported.sum())
        counts["install_reports"] = rows_total
        counts["insert_s"] = round(time.perf_counter() - began, 1)
        echo(f"inserted {counts['units']:,} units, {n:,} staff, {rows_total:,} install reports in {counts['insert_s']} s")

        mark = time.perf_counter()
        for sql in INSTALL_INDEXES.values():
            db.execute(sql)
        counts["index_s"] = round(time.perf_counter() - mark, 1)
        echo(f"built install indexes in {counts['index_s']} s")

        mark = time.perf_counter()
        counts["registration_rows"] = _coverage(db, rng, units, start, days if with_installs else 0)
        echo(f"population and {counts['registration_rows']:,} registration rows in {time.perf_counter() - mark:.1f} s")

        mark = time.perf_counter()
        summaries.rebuild(db)
        counts["summaries_s"] = round(time.perf_counter() - mark, 1)
        echo(f"built summaries in {counts['summaries_s']} s")
        for username, role, scope, label in CITY_USERS:
            users.add_user(db, actor, username, role, scope_codes=scope, display_name=label, demo=True,
                           password=users.DEMO_PASSWORD)
        audit.record(db, actor, "create", "city_demo", str(seed), detail=counts)
    db.execute("ANALYZE")
    db.execute("PRAGMA journal_mode=WAL")
    counts["total_s"] = round(time.perf_counter() - began, 1)
    echo(f"city ready in {counts['total_s']} s: {path}")
    db.conn.close()
    return counts


def _coverage(db, rng, units, start: dt.date, days: int) -> int:
    """A census version for every township (about 9 million residents) and daily registration snapshots."""
    towns = [name for _, name, t, _, _ in units if t in ("township", "community")]
    people = np.maximum(5000, rng.normal(9_000_000 / len(towns), 12_000, len(towns))).astype(int)
    shape = np.array([5.5, 5.8, 5.6, 5.2, 6.0, 6.8, 7.5, 7.6, 7.2, 7.4, 7.3, 6.6, 5.4, 4.6, 3.6, 2.6, 1.8, 1.5])
    shape = shape / shape.sum()
    stamp = clock.stamp()
    vid = db.execute("INSERT INTO population_versions (year, source, kind, filename, imported_at, imported_by)"
                     " VALUES (2020, '第七次全国人口普查（演示）', 'resident', 'city_population.csv', ?, 'system')",
                     [stamp]).lastrowid
    pop = {(town, band): int(total * share) for town, total in zip(towns, people) for band, share in zip(BANDS, shape)}
    db.conn.executemany("INSERT INTO population_rows (version_id, township, age_lo, age_hi, people) VALUES (?, ?, ?, ?, ?)",
                        [(vid, town, lo, hi, value) for (town, (lo, hi)), value in pop.items()])
    # registration share per band: highest for working ages, growing along the campaign
    base = np.array([0.05, 0.1, 0.25, 0.55, 0.75, 0.8, 0.8, 0.78, 0.75, 0.7, 0.65, 0.55, 0.45, 0.35, 0.25, 0.15, 0.08, 0.05])
    town_pull = dict(zip(towns, rng.uniform(0.45, 0.8, len(towns))))
    rows = []
    for offset in range(days):
        day = (start + dt.timedelta(days=offset)).isoformat()
        growth = 0.6 + 0.4 * (offset + 1) / days
        for town in towns:
            for band, share in zip(BANDS, base):
                rate = min(1.0, share * town_pull[town] * growth * 1.35)
                rows.append((day, town, band[0], band[1], int(pop[(town, band)] * rate), stamp, "system"))
    db.conn.executemany("INSERT INTO registration_rows (as_of, township, age_lo, age_hi, registered, imported_at, imported_by)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    coverage_store.rebuild_summaries(db)  # the coverage summaries the imports would have kept (issue 9)
    return len(rows)
