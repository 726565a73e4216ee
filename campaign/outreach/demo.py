"""The demo county's outreach channels: seed registries in data/outreach_*.csv and seeded daily figures.

Sized for a county of about 180,000 people: ~55 schools with ~700 classes, ~300 grids in ~80
villages, ~90 enterprises and business groups in 3 parks, ~100 service windows, across the 9
townships. The registries are committed CSV files (regenerate with write_seed); the daily figures
end on the load day and come from a fixed seed, so the same day gives the same data.
"""

import datetime as dt
import random
from pathlib import Path

import pandas as pd

from campaign.infra import imports, settings
from campaign.infra.tables import Upload
from campaign.org import access
from campaign.org import demo as county
from campaign.outreach import entries as outreach
from campaign.outreach.channels import CHANNELS
from campaign.outreach.registry import KINDS

DATA = Path(__file__).resolve().parents[2] / "data"
FILES = {kind: DATA / f"outreach_{kind}.csv" for kind in ("schools", "classes", "grids", "enterprises", "windows")}
# township population (sums to 180,000): drives households, pupils, businesses
POPULATION = [62000, 17000, 16000, 15000, 17000, 13000, 11000, 14000, 15000]
SHORT = ["城厢", "大吉山", "陂头", "金龙", "南迳", "龙源坝", "中寨", "社迳", "龙下"]
COMMUNITIES = ["城南社区", "城北社区", "东门社区", "西门社区", "龙湖社区", "桃江社区", "中心社区", "新城社区",
               "沿江社区", "金鸡社区", "书院社区", "月岭社区"]
FIRST = "上下东西南北中大小新老高"
SECOND = "坑坝塘岭田水石龙桥湾岗坪溪洞江源竹桃"
GRADES = {
    "kindergarten": (["小班", "中班", "大班"], 27),
    "primary": (["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"], 42),
    "middle": (["七年级", "八年级", "九年级"], 48),
}
BRANDS = "赣南 全南 南岭 华泰 金盛 宏达 新锐 恒发 鑫源 瑞丰 富康 聚力 天成 中晟 博远 永安 锦程 盛和".split()
TRADES = "电子 稀土新材料 服装 食品 建材 竹木 五金 光电 电机 包装 纺织 塑胶".split()
PARKS = [("全南工业园（演示）", 0), ("大吉山产业园（演示）", 1), ("南迳工业小区（演示）", 4)]
SMALL_TRADES = [("餐饮", 0.35), ("零售", 0.4), ("美容美发及其他服务", 0.25)]


def _rng(*parts) -> random.Random:
    return random.Random("-".join(str(p) for p in (county.SEED, "outreach", *parts)))


def _person(rng) -> str:
    return rng.choice(county.SURNAMES) + "".join(rng.choice(county.GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng, prefix="199") -> str:
    return prefix + f"{rng.randrange(10**8):08d}"


def _villages(rng, index: int, count: int) -> list[str]:
    names = list(COMMUNITIES) if index == 0 else []
    while len(names) < count:
        name = rng.choice(FIRST) + rng.choice(SECOND) + "村"
        if name not in names:
            names.append(name)
    return names[:count]


def seed_grids() -> pd.DataFrame:
    """~300 grids in ~80 villages: about 190 households a grid, ~3.1 people a household."""
    rng, rows = _rng("grids"), []
    for t, (township, people) in enumerate(zip(county.TOWNSHIPS, POPULATION), start=1):
        households = round(people / 3.1)
        villages = _villages(rng, t - 1, max(5, round(households / 700)))
        weights = [rng.uniform(0.6, 1.4) for _ in villages]
        grid_no = 0
        for v, (village, weight) in enumerate(zip(villages, weights), start=1):
            village_households = round(households * weight / sum(weights))
            count = max(1, round(village_households / 190))
            for k in range(1, count + 1):
                grid_no += 1
                size = max(40, round(village_households / count * rng.uniform(0.8, 1.2)))
                workers = "、".join(_person(rng) for _ in range(1 if rng.random() < 0.85 else 2))
                rows.append([f"G{t:02d}-{grid_no:03d}", f"{village}第{k}网格", township, village, f"V{t:02d}-{v:02d}",
                             size, workers, _phone(rng)])
    rows[-1][5] = 0  # a grid just drawn in a new estate: households not yet counted ("no data")
    return pd.DataFrame(rows, columns=["编码", "网格名称", "乡镇", "村（社区）", "村（社区）编码", "户数", "网格员", "网格员电话"])


def seed_schools() -> tuple[pd.DataFrame, pd.DataFrame]:
    """~55 schools (kindergartens, primary, middle) and their classes with pupil families."""
    rng, schools, classes = _rng("schools"), [], []
    for t, (township, people) in enumerate(zip(county.TOWNSHIPS, POPULATION), start=1):
        short, seat = SHORT[t - 1], t == 1
        plan = [("kindergarten", f"{short}中心幼儿园")] + [("kindergarten", f"{short}第{n}幼儿园") for n in "二三四五六"[: 5 if seat else rng.choice((0, 1))]]
        plan += [("primary", f"{short}中心小学")] + [("primary", f"{short}第{n}小学") for n in "二三四五六"[: 5 if seat else rng.choice((1, 2))]]
        plan += [("middle", f"{short}中学")] + [("middle", f"{short}第{n}中学") for n in "二三"[: 2 if seat else 0]]
        share = {"kindergarten": 0.03, "primary": 0.075, "middle": 0.055}
        for s, (kind, name) in enumerate(plan, start=1):
            code = f"S{t:02d}-{s:02d}"
            schools.append([code, name, {"kindergarten": "幼儿园", "primary": "小学", "middle": "中学"}[kind], township])
            siblings = sum(1 for k, _ in plan if k == kind)
            grades, size = GRADES[kind]
            pupils = people * share[kind] / siblings
            per_grade = max(1, round(pupils / len(grades) / size))
            number = 0
            for grade in grades:
                for n in range(1, per_grade + 1):
                    number += 1
                    families = max(8, round(size * rng.uniform(0.75, 1.1)))
                    label = f"{grade}({n})" if kind == "kindergarten" else f"{grade}({n})班"
                    classes.append([f"{code}-{number:02d}", code, label, grade, _person(rng) + "老师",
                                    _phone(rng, "135"), families])
    classes[3][6] = 0  # a class whose families were not yet counted: shows "no data"
    return (pd.DataFrame(schools, columns=["编码", "学校名称", "学段", "乡镇"]),
            pd.DataFrame(classes, columns=["编码", "学校", "班级名称", "年级", "班主任", "班主任电话", "学生家庭数"]))


def seed_enterprises() -> pd.DataFrame:
    """Park and other enterprises (workers) and groups of private and individual businesses (people)."""
    rng, rows, names = _rng("enterprises"), [], set()
    for n in range(1, 57):
        while True:
            name = f"{rng.choice(BRANDS)}{rng.choice(TRADES)}有限公司（演示）"
            if name not in names:
                names.add(name)
                break
        park, town = PARKS[n % len(PARKS)] if n % 5 else ("", rng.randrange(9))
        regulator = "县工业园区管委会" if park else "县工业和信息化局"
        workers = min(1200, max(12, int(rng.lognormvariate(4.4, 0.8))))
        rows.append([f"E{n:03d}", name, "企业", regulator, park, county.TOWNSHIPS[town], workers])
    rows[-1][6] = 0  # a new enterprise not yet staffed: "no data"
    n = 0
    for t, (township, people) in enumerate(zip(county.TOWNSHIPS, POPULATION)):
        for trade, part in SMALL_TRADES:
            n += 1
            rows.append([f"B{n:03d}", f"{township}个体工商户（{trade}）", "个体工商户", "县市场监督管理局", "", township,
                         round(people * 0.035 * part * rng.uniform(0.8, 1.2))])
        n += 1
        rows.append([f"B{n:03d}", f"{township}私营业主", "私营业主", "县工商业联合会", "", township,
                     round(people * 0.006 * rng.uniform(0.7, 1.3))])
    return pd.DataFrame(rows, columns=["编码", "名称", "类别", "主管部门", "园区", "乡镇", "职工人数"])


def seed_windows(schools: pd.DataFrame) -> pd.DataFrame:
    """~100 windows: bank counters, telecom shops, service halls, hospital desks, school receptions."""
    rng, rows = _rng("windows"), []

    def add(name, kind, host, t, place):
        promoters = "、".join(_person(rng) for _ in range(rng.choice((1, 1, 2))))
        rows.append([f"W{len(rows) + 1:03d}", name, kind, host, county.TOWNSHIPS[t], place, promoters])

    road = ["城南大道", "人民路", "桃江路", "建设路", "龙泉路", "和平路"]
    for bank, short in (("县农业银行", "农业银行"), ("县工商银行", "工商银行"), ("县建设银行", "建设银行"),
                        ("县中国银行", "中国银行"), ("县农村商业银行", "农商银行"), ("县邮政储蓄银行", "邮储银行")):
        for c in range(1, (4 if bank in ("县农村商业银行", "县农业银行") else 3)):
            add(f"{short}城厢支行{c}号柜台", "银行", bank, 0, f"城厢镇{rng.choice(road)}{rng.randint(1, 199)}号")
        if bank in ("县农村商业银行", "县邮政储蓄银行"):
            for t in range(1, 9) if bank == "县农村商业银行" else (1, 2, 4, 5, 7, 8):
                for c in range(1, (3 if bank == "县农村商业银行" and t in (1, 4) else 2)):
                    add(f"{short}{SHORT[t]}网点{c}号柜台", "银行", bank, t, f"{county.TOWNSHIPS[t]}圩镇")
    for carrier, short, towns in (("县移动分公司", "移动", range(1, 9)), ("县电信分公司", "电信", (1, 2, 4, 5, 8)),
                                  ("县联通分公司", "联通", (1, 4))):
        add(f"{short}城厢营业厅", "营业厅", carrier, 0, f"城厢镇{rng.choice(road)}{rng.randint(1, 199)}号")
        add(f"{short}城南营业厅", "营业厅", carrier, 0, f"城厢镇{rng.choice(road)}{rng.randint(1, 199)}号")
        for t in towns:
            add(f"{short}{SHORT[t]}营业厅", "营业厅", carrier, t, f"{county.TOWNSHIPS[t]}圩镇")
    for c in range(1, 13):
        add(f"县政务服务中心{c}号窗口", "政务服务", "县行政审批局", 0, "城厢镇政务服务中心一楼")
    for t in range(9):
        for c in range(1, 3 if t in (0, 1, 4) else 2):
            add(f"{county.TOWNSHIPS[t]}便民服务中心{c}号窗口", "政务服务", f"T{t + 1:02d}", t, f"{county.TOWNSHIPS[t]}人民政府一楼")
    for host, short, desks in (("县人民医院", "县人民医院", ("门诊服务台", "住院部服务台", "急诊服务台")),
                               ("县中医院", "县中医院", ("门诊服务台", "住院部服务台")), ("县妇幼保健院", "县妇幼保健院", ("服务台",))):
        for desk in desks:
            add(f"{short}{desk}", "医院", host, 0, f"城厢镇{short}")
    for t in range(1, 9):
        add(f"{SHORT[t]}卫生院服务台", "医院", "县卫生健康委员会", t, f"{county.TOWNSHIPS[t]}卫生院")
    middle = schools[schools["学段"] == "中学"]
    for code, name, township in middle[["编码", "学校名称", "乡镇"]].values[:6]:
        add(f"{name}门卫接待室", "学校", code, county.TOWNSHIPS.index(township), name)
    return pd.DataFrame(rows, columns=["编码", "窗口名称", "窗口类型", "所属单位", "乡镇", "位置", "宣传人员"])


def write_seed(folder: Path = DATA) -> None:
    """Regenerate data/outreach_*.csv (committed; rerun only to change the demo)."""
    schools, classes = seed_schools()
    frames = {"schools": schools, "classes": classes, "grids": seed_grids(), "enterprises": seed_enterprises(),
              "windows": seed_windows(schools)}
    for kind, frame in frames.items():
        frame.to_csv(folder / f"outreach_{kind}.csv", index=False, encoding="utf-8-sig")


# ---- daily figures -----------------------------------------------------------------------

def demo_reports(db, today: dt.date, start: dt.date, push: tuple) -> list[tuple]:
    """Seeded (unit_id, day, values) entries from `start` to `today` for every channel unit."""
    rng = _rng(today.isoformat())
    days = [start + dt.timedelta(days=n) for n in range((today - start).days + 1)]
    last = len(days) - 1
    entries = []

    def units_of(channel, table, column):
        return db.execute(
            f"""SELECT u.id, u.parent_id, a.{column} FROM units u JOIN {table} a ON a.unit_id = u.id
                WHERE u.type IN ({','.join('?' * len(CHANNELS[channel].unit_types))}) ORDER BY u.code""",
            list(CHANNELS[channel].unit_types),
        ).fetchall()

    def spread(total, chosen):
        counts = [0] * len(chosen)
        for _ in range(max(0, total)):
            counts[rng.randrange(len(chosen))] += 1
        return counts

    school_vigour = {}
    for uid, school, families in units_of("schools", "outreach_classes", "families"):
        vigour = school_vigour.setdefault(school, min(rng.lognormvariate(-0.45, 0.28), 1.5))
        in_push = [i for i, d in enumerate(days) if push[0] <= d <= push[1]]
        chosen = sorted({i for i in range(len(days)) if rng.random() < (0.45 if i in in_push else 0.12)} or {0})
        target = round((families or rng.randint(20, 30)) * vigour * rng.uniform(0.8, 1.25))
        installs = spread(target, chosen)
        for n, (i, count) in enumerate(zip(chosen, installs)):
            flyers = round(families * rng.choice((1, 1, 1, 0.9, 0.8, 0.6))) if n == 0 else (
                families // 3 if rng.random() < 0.1 else 0)
            entries.append((uid, days[i], {"installs": count, "flyers": flyers}))

    for uid, _, households in units_of("grids", "outreach_grids", "households"):
        diligence = rng.uniform(0.25, 0.75)
        stops = last - rng.randint(8, 20) if rng.random() < 0.06 else last + 1  # some grids fall silent
        rate = rng.uniform(0.2, 0.6)
        for i, day in enumerate(days):
            if i > stops or rng.random() > diligence * (0.6 if i == last else 1):
                continue
            visits = min(max(households // 6, 1), max(0, int(rng.gauss(6, 3))))
            entries.append((uid, day, {"reached": visits, "flyers": int(visits * rng.uniform(1, 1.6)),
                                       "installs": min(int(visits * rate * rng.uniform(0.6, 1.4) + 0.5), visits * 3)}))

    for uid, _, people in units_of("enterprises", "outreach_enterprises", "people"):
        if rng.random() < 0.1:
            continue  # not visited yet
        sessions = sorted(rng.sample(range(len(days)), rng.randint(1, 4)))
        pull = rng.uniform(0.35, 0.85)
        for i in sessions:
            reached = int(max(people, 10) * rng.uniform(0.2, 0.5))
            entries.append((uid, days[i], {"reached": reached, "installs": int(reached * pull * rng.uniform(0.6, 1.1))}))

    for uid, _, _ in units_of("windows", "outreach_windows", "window_type"):
        showing = rng.random() > 0.12
        for i, day in enumerate(days):
            if rng.random() > 0.35:
                continue
            entries.append((uid, day, {"qr_shown": showing if rng.random() > 0.05 else not showing,
                                       "flyers_shown": rng.random() < 0.85,
                                       "flyers": rng.choice((0, 0, 0, 20, 50)), "installs": max(0, int(rng.gauss(2.5, 2)))}))
    return entries


def load(db, today: dt.date) -> None:
    """Load the channel registries through the import code, then the seeded daily figures."""
    actor = access.SYSTEM
    for kind, path in FILES.items():
        imports.run(db, actor, kind, KINDS[kind], Upload.from_path(path))
    conf = settings.get_all(db)
    start = dt.date.fromisoformat(conf["start_date"])
    push = (start, start + dt.timedelta(days=13))
    settings.update(db, actor, {"school_push": [push[0].isoformat(), push[1].isoformat()]})  # shown as a dated window
    outreach.record(db, actor, demo_reports(db, today, start, push), source="demo")
