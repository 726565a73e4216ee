"""The demo county's units tree and staff (Quannan-like, plainly labelled 演示): committed CSVs in data/.

Regenerate them with write_seed (only to change the demo); they are loaded through the same import
code that users use.
"""

import random
from pathlib import Path

import numpy as np
import pandas as pd

from campaign.infra import imports
from campaign.infra.actors import SYSTEM
from campaign.infra.tables import Upload
from campaign.org.imports import KINDS

DATA = Path(__file__).resolve().parents[2] / "data"
SEED = 20261128
TOWNSHIPS = ["城厢镇", "大吉山镇", "陂头镇", "金龙镇", "南迳镇", "龙源坝镇", "中寨乡", "社迳乡", "龙下乡"]
COMMUNITY = "城市社区管委会"
DEPARTMENTS = """县委办公室 县人大常委会办公室 县政府办公室 县政协办公室 县纪委监委 县委组织部 县委宣传部 县委统战部
县委政法委 县委编办 县委党校 县委巡察办 县委网信办 县委老干部局 县发展和改革委员会 县教育科技局 县工业和信息化局
县公安局 县民政局 县司法局 县财政局 县人力资源和社会保障局 县自然资源局 县生态环境分局 县住房和城乡建设局
县交通运输局 县水利局 县农业农村局 县商务局 县文化广电新闻出版旅游局 县卫生健康委员会 县退役军人事务局
县应急管理局 县审计局 县市场监督管理局 县统计局 县医疗保障局 县林业局 县城市管理局 县行政审批局 县信访局
县乡村振兴局 县国有资产监督管理办公室 县机关事务服务中心 县档案馆 县融媒体中心 县总工会 共青团县委 县妇女联合会
县科学技术协会 县文学艺术界联合会 县残疾人联合会 县工商业联合会 县红十字会 县人民法院 县人民检察院 县税务局
县气象局 县烟草专卖局 县供销合作社 县邮政分公司 县供电公司 县电信分公司 县移动分公司 县联通分公司 县人民银行
县农业银行 县工商银行 县建设银行 县中国银行 县农村商业银行 县邮政储蓄银行 县人民医院 县中医院 县妇幼保健院
县疾病预防控制中心 县第一中学 县第二中学 县中等专业学校 县实验小学 县工业园区管委会 县城市投资集团 县水务公司
县公路事业发展中心 县消防救援大队 县人民武装部 县公共资源交易中心 县不动产登记中心 县社会保险事业管理中心
县医疗保障服务中心 县住房公积金管理部 县就业创业服务中心 县畜牧水产服务中心 县农业技术推广中心 县水文站
县图书馆 县文化馆 县博物馆 县体育中心 县保密局 县接待办 县数据局 县地方志办公室 县粮食和物资储备局
县林业科学研究所 县自来水公司 县公交公司 县殡葬管理所 县广播电视台 县新华书店 县国土空间规划中心""".split()
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡钟廖赖温邱黎叶".replace(" ", "")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉玲红志斌海燕鹏飞宇晨雪梅兰健林峰琳欣怡浩然子轩"


def seed_units() -> pd.DataFrame:
    """The county tree: county, 9 townships, the community committee, 109 departments."""
    rows = [["QN", "全南县（演示）", "县", "", ""]]
    rows += [[f"T{i:02d}", name, "乡镇", "QN", ""] for i, name in enumerate(TOWNSHIPS, start=1)]
    rows += [["T10", COMMUNITY, "社区管委会", "QN", ""]]
    rows += [[f"D{i:03d}", name, "县直单位", "QN", ""] for i, name in enumerate(DEPARTMENTS[:109], start=1)]
    return pd.DataFrame(rows, columns=["编码", "名称", "类型", "上级", "任务数"])


def seed_staff(seed: int = SEED) -> pd.DataFrame:
    """A few thousand synthetic staff with synthetic phone numbers."""
    rng = random.Random(seed)
    rows, phones = [], set()
    units = [(name, rng.randint(80, 160)) for name in TOWNSHIPS] + [(COMMUNITY, 45)]
    units += [(name, max(5, int(rng.lognormvariate(2.9, 0.6)))) for name in DEPARTMENTS[:109]]
    for unit, size in units:
        names = set()
        while len(names) < size:
            names.add(rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))))
        for name in sorted(names):
            phone = ""
            if rng.random() < 0.85:
                while not phone or phone in phones:
                    phone = rng.choice(("138", "139", "150", "186", "177")) + f"{rng.randrange(10**8):08d}"
                phones.add(phone)
            rows.append([unit, name, phone, "是" if rng.random() > 0.02 else "否", ""])
    return pd.DataFrame(rows, columns=["单位", "姓名", "手机号", "在职", "任务数"])


def write_seed(folder: Path = DATA) -> None:
    """Regenerate data/units.csv and data/staff.csv (committed; rerun only to change the demo)."""
    folder.mkdir(exist_ok=True)
    seed_units().to_csv(folder / "units.csv", index=False, encoding="utf-8-sig")
    seed_staff().to_csv(folder / "staff.csv", index=False, encoding="utf-8-sig")


def load(db, today) -> None:
    """The county tree and its staff (inside the demo's transaction)."""
    for kind in ("units", "staff"):
        imports.run(db, SYSTEM, kind, KINDS[kind], Upload.from_path(DATA / f"{kind}.csv"))


# ---- the synthetic city (campaign.city) ---------------------------------------------------------

CITY = "赣南市（演示）"
COUNTIES = ["章贡区", "南康区", "赣县区", "信丰县", "大余县", "上犹县", "崇义县", "安远县", "龙南市",
            "定南县", "全南县", "宁都县", "于都县", "兴国县", "会昌县", "寻乌县", "石城县", "瑞金市"]
SYLLABLES = "东西南北中上下新老大小长安平和兴龙凤金银石水田桥坪坝江河湖山岭塘溪沙黄白青梅竹松林"
CITY_DEPARTMENTS = 97  # per county; with 12 townships and the community committee: 110 units per county
CITY_TOWNSHIPS = 12


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
        picked = rng.choice(len(SYLLABLES) ** 2, size=CITY_TOWNSHIPS, replace=False)
        for t, p in enumerate(picked, start=1):
            name = county[:2] + SYLLABLES[p // len(SYLLABLES)] + SYLLABLES[p % len(SYLLABLES)] + "镇"
            rows.append((f"{cc}-T{t:02d}", name, "township", cc, None))
        rows.append((f"{cc}-T{CITY_TOWNSHIPS + 1:02d}", county[:2] + "城市社区管委会", "community", cc, None))
        for d in range(1, CITY_DEPARTMENTS + 1):
            rows.append((f"{cc}-D{d:03d}", f"{county}第{d}部门", "department", cc, None))
    return rows


def load_city(db, rng, staff_total: int):
    """The city's units and staff in bulk (inside the generator's transaction): (units rows, the ranked units'
    ids, every person's unit id and their staff ids, both numpy, in staff id order)."""
    units = city_units(rng)
    db.conn.executemany("INSERT INTO units (code, name, type, quota) VALUES (?, ?, ?, ?)",
                        [(c, n, t, q) for c, n, t, _, q in units])
    ids = {code: uid for uid, code in db.execute("SELECT id, code FROM units")}
    db.conn.executemany("UPDATE units SET parent_id = ? WHERE id = ?", [(ids[p], ids[c]) for c, _, _, p, _ in units if p])
    ranked = [ids[c] for c, _, t, _, _ in units if t in ("township", "community", "department")]
    # staff: unit sizes lognormal, scaled to staff_total; unique synthetic phones (a bijection mod 10^8)
    sizes = np.maximum(5, rng.lognormal(3.6, 0.7, len(ranked)))
    sizes = np.maximum(5, np.round(sizes * staff_total / sizes.sum())).astype(int)
    unit_of = np.repeat(np.array(ranked), sizes)
    n = len(unit_of)
    phones = [f"1{p}{(i * 7919 + 12345) % 10**8:08d}" for i, p in zip(range(n), rng.choice(["38", "39", "50", "86", "77"], n))]
    active = (rng.random(n) > 0.02).astype(int)
    db.conn.executemany("INSERT INTO staff (unit_id, name, phone, active) VALUES (?, ?, ?, ?)",
                        zip(unit_of.tolist(), _names(rng, n), phones, active.tolist()))
    staff_ids = np.array([sid for (sid,) in db.execute("SELECT id FROM staff ORDER BY id")])
    return units, ranked, unit_of, staff_ids
