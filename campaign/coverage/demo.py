"""Demo coverage data: a census-like population, daily registration snapshots, the city's bulletin, targets.

data/population.csv (9 townships by single year of age, about 180,000 people) and
data/city_peers.csv (the city's counties and their rates) are committed, generated once by
write_seed(). Registration snapshots (5-year bands, so 16–60 is an estimate) are generated at
load time from a fixed seed: they end on the load day, rise fast at first and level off, land
the county near the city's published figures (54.94%, 16–60 93.67%) on the bulletin day, and
rise over the campaign by somewhat more than the installs reported in each township, except
where reports outrun registrations (龙下乡 by design; any township whose reports exceed what
its population allows).
"""

import datetime as dt
import io
import random
from pathlib import Path

import numpy as np
import pandas as pd

from campaign.coverage import rules
from campaign.coverage import store as coverage_store
from campaign.coverage.imports import KINDS
from campaign.coverage.reconcile import reported_by_township
from campaign.infra import clock, imports, settings
from campaign.infra.tables import Upload
from campaign.org import access

DATA = Path(__file__).resolve().parents[2] / "data"
SEED = 20261128
SIZES = {"城厢镇": 52000, "大吉山镇": 19000, "陂头镇": 17500, "金龙镇": 16000, "南迳镇": 22000,
         "龙源坝镇": 18500, "中寨乡": 12000, "社迳乡": 13500, "龙下乡": 9500}
INFLATED = {"龙下乡": 0.7}  # registrations rose by this share of the installs reported there
RISE_CAP = 0.85
ALIASES = {"城市社区管委会": "城厢镇", "城厢": "城厢镇", "大吉山": "大吉山镇", "龙源坝": "龙源坝镇"}
# the city's published figures for the county on the bulletin day (2nd in the city)
PUBLISHED = (0.5494, 0.9367)
TARGETS = {"target_coverage": "60%", "target_coverage_16_60": "95%"}


def _age_weight(age: int, seat: bool) -> float:
    """A rural county's age profile: few births lately, young adults working away, a 1960s–70s bulge."""
    points = [(0, 1.0), (5, 1.35), (14, 1.4), (18, 1.0), (24, 0.8), (30, 0.9), (40, 1.05), (50, 1.45),
              (58, 1.4), (64, 1.45), (72, 1.05), (80, 0.6), (88, 0.22), (95, 0.05), (100, 0.006)]
    for (a0, w0), (a1, w1) in zip(points, points[1:]):
        if a0 <= age <= a1:
            weight = w0 + (w1 - w0) * (age - a0) / (a1 - a0)
            break
    else:
        weight = 0.002
    if seat and 18 <= age <= 45:  # the county seat keeps more young adults
        weight *= 1.25
    return weight


def seed_population(seed: int = SEED) -> pd.DataFrame:
    """Single years 0–99 and 100岁及以上 per township, as a census table (乡镇, 年龄, 人口数)."""
    rng = random.Random(seed)
    rows = []
    for township, size in SIZES.items():
        weights = [_age_weight(age, township == "城厢镇") * rng.gauss(1, 0.05) for age in range(101)]
        scale = size / sum(weights)
        for age, weight in enumerate(weights):
            label = "100岁及以上" if age == 100 else f"{age}岁"
            rows.append([township, label, max(0, round(weight * scale))])
    return pd.DataFrame(rows, columns=["乡镇", "年龄", "人口数"])


def seed_peers() -> pd.DataFrame:
    """The city's bulletin: every county's registration rate and 16–60 rate (percent strings)."""
    rows = [("龙南市", 57.31, 95.12), ("全南县", 54.94, 93.67), ("定南县", 53.80, 92.95), ("安远县", 52.66, 92.41),
            ("崇义县", 52.10, 91.88), ("寻乌县", 51.47, 91.02), ("大余县", 50.92, 90.77), ("上犹县", 50.35, 90.14),
            ("石城县", 49.88, 89.63), ("会昌县", 49.21, 89.05), ("信丰县", 48.76, 88.47), ("瑞金市", 48.12, 87.90),
            ("宁都县", 47.55, 87.21), ("兴国县", 46.98, 86.64), ("于都县", 46.30, 85.97), ("赣县区", 45.71, 85.33),
            ("南康区", 44.85, 84.52), ("章贡区", 43.96, 83.70)]
    return pd.DataFrame([(c, f"{r:.2f}%", f"{r16:.2f}%") for c, r, r16 in rows],
                        columns=["县区", "注册率", "16-60周岁注册率"])


def write_seed(folder: Path = DATA) -> None:
    """Regenerate data/population.csv and data/city_peers.csv (committed; rerun only to change the demo)."""
    seed_population().to_csv(folder / "population.csv", index=False, encoding="utf-8-sig")
    seed_peers().to_csv(folder / "city_peers.csv", index=False, encoding="utf-8-sig")


def _end_rate(age: int, level_16_60: float, outside: float) -> float:
    """Share of one age registered at the end: most adults 16–60, some teenagers and older people."""
    if 16 <= age <= 60:
        return min(level_16_60, 1.0)
    if 12 <= age <= 15:
        return 0.9 * outside
    if 61 <= age <= 70:
        return 2.2 * outside
    if 71 <= age <= 80:
        return 0.8 * outside
    if age > 80:
        return 0.15 * outside
    return 0.1 * outside if age >= 6 else 0.0


def _band(age: int) -> tuple[int, int | None]:
    return (100, None) if age >= 100 else (age - age % 5, age - age % 5 + 4)


def _band_label(band: tuple[int, int | None]) -> str:
    return "100岁及以上" if band[1] is None else f"{band[0]}-{band[1]}岁"


def demo_registrations(population: pd.DataFrame, reported: dict[str, int], start: dt.date,
                       today: dt.date, seed: int = SEED) -> pd.DataFrame:
    """Daily snapshots by township and 5-year band from the day before `start` through `today`.

    reported: township -> installs reported over start..today. Registrations rise over the campaign
    by a bit more than that (less in INFLATED townships), fast at first and then levelling off, and
    the county lands on the city's published figures on the day before `today`.
    """
    rng = random.Random(f"{seed}-{today.isoformat()}")
    people = {(t, rules.parse_age(a).lo): int(n) for t, a, n in population.itertuples(index=False)}
    levels = {t: rng.uniform(0.91, 0.985) for t in SIZES}
    factors = {t: INFLATED.get(t, rng.uniform(1.15, 1.5)) for t in SIZES}
    days = [start - dt.timedelta(days=1) + dt.timedelta(days=i) for i in range((today - start).days + 2)]
    # registrations rise fast at first and level off as the campaign goes on
    progress = [1 - (1 - i / (len(days) - 1)) ** 3 for i in range(len(days))]

    def build(a: float, b: float):
        ends, snapshots = {}, {}
        for township in SIZES:
            bands: dict = {}
            for age in range(101):
                value = people.get((township, age), 0) * _end_rate(age, levels[township] * a, b)
                bands[_band(age)] = bands.get(_band(age), 0) + value
            end_total = sum(bands.values())
            # the campaign started from few registrations: at most RISE_CAP of today's came during it
            rise = min(factors[township] * reported.get(township, 0), RISE_CAP * end_total)
            keep = 1 - rise / end_total if end_total else 1
            ends[township] = bands
            for i, day in enumerate(days):
                share = keep + (1 - keep) * progress[i]
                snapshots[(day, township)] = {band: round(v * share) for band, v in bands.items()}
        return snapshots

    def computed(snapshots, day):
        pop = [(t, rules.Band(lo, lo), n) for (t, lo), n in people.items()]
        reg = [(t, rules.Band(*band), v) for (d, t), bands in snapshots.items() if d == day for band, v in bands.items()]
        return rules.compute(pop, reg)[0]

    a, b = 1.0, 0.07
    bulletin_day = days[-2]
    for _ in range(5):  # land the bulletin day near the city's published figures
        figures = computed(build(a, b), bulletin_day)
        a *= PUBLISHED[1] / figures.coverage_16_60
        outside = figures.registered - figures.registered_16_60
        wanted = PUBLISHED[0] * figures.population - PUBLISHED[1] * figures.population_16_60
        b *= float(wanted / outside)
    snapshots = build(a, b)
    rows = [[day.isoformat(), township, _band_label(band), value]
            for (day, township), bands in sorted(snapshots.items()) for band, value in bands.items()]
    return pd.DataFrame(rows, columns=["日期", "乡镇", "年龄", "注册人数"])


def _upload(name: str, frame: pd.DataFrame) -> Upload:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return Upload(name, buffer.getvalue().encode("utf-8"))


def load(db, today: dt.date) -> None:
    """Population, aliases, a month of registration snapshots ending today, the city's bulletin and targets."""
    actor = access.SYSTEM
    conf = settings.get_all(db)
    start = dt.date.fromisoformat(conf["start_date"])
    imports.run(db, actor, "population", KINDS["population"], Upload.from_path(DATA / "population.csv"),
                         options={"year": 2020, "source": "第七次全国人口普查（演示）", "kind": "resident"})
    for alias, township in ALIASES.items():
        coverage_store.set_alias(db, actor, alias, township)
    population = pd.read_csv(DATA / "population.csv", dtype=str, keep_default_na=False)
    per_township, _ = reported_by_township(db, start, today, list(SIZES))
    reported = {township: sum(channels.values()) for township, channels in per_township.items()}
    frame = demo_registrations(population, reported, start, today)
    imports.run(db, actor, "registrations", KINDS["registrations"], _upload("demo_registrations.csv", frame))
    imports.run(db, actor, "peers", KINDS["peers"], Upload.from_path(DATA / "city_peers.csv"),
                         options={"as_of": (today - dt.timedelta(days=1)).isoformat()})
    settings.update(db, actor, {**TARGETS, "target_deadline": conf["deadline"]})


# ---- the synthetic city (campaign.city) ---------------------------------------------------------

BANDS = [(lo, lo + 4) for lo in range(0, 85, 5)] + [(85, None)]


def load_city(db, rng, units, start: dt.date, days: int) -> int:
    """The synthetic city's census version for every township (about 9 million residents) and daily registration
    snapshots, in bulk (inside the generator's transaction); returns the registration rows written."""
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
