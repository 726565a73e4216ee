"""The demo county (Quannan-like, plainly labelled 演示): seed CSVs in data/ and seeded daily installs.

Units and staff are committed CSV files; the month of installs ending on the load day is
generated from a fixed seed, so the same day gives the same data. Everything is loaded
through the same import code that users use.
"""

import datetime as dt
import io
import random
from pathlib import Path

import pandas as pd

from campaign import access, clock, importing, settings, users
from campaign.db import write
from campaign.tables import Upload
from campaign import coverage_demo  # issue 5: coverage demo
from campaign import outreach_demo  # issue 3: outreach channels demo
from campaign import flyers_demo  # issue 4: the flyers' print log
from campaign import supervision_demo  # issue 7: spot checks, responsibility and reminder letters

DATA = Path(__file__).resolve().parent.parent / "data"
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


def demo_installs(staff: pd.DataFrame, today: dt.date, days: int = 30, seed: int = SEED) -> pd.DataFrame:
    """About a month of daily installs ending `today`: some units far ahead, some lagging, some days unreported."""
    rng = random.Random(f"{seed}-{today.isoformat()}")
    active = staff[staff["在职"] == "是"]
    rows = []
    start = today - dt.timedelta(days=days - 1)
    for unit, people in active.groupby("单位", sort=True):
        vigour = min(rng.lognormvariate(-0.1, 0.45), 2.2)  # 1.0 ≈ quota reached in a month
        diligence = rng.uniform(0.55, 0.97)
        for offset in range(days):
            day = start + dt.timedelta(days=offset)
            reporting = diligence * (0.6 if offset == days - 1 else 1.0)
            if rng.random() > reporting:
                continue
            fade = 1.4 - 0.8 * offset / days  # the push is strongest at the start
            for row in people.itertuples(index=False):
                mean = 30 / days * vigour * fade
                count = max(0, int(rng.gauss(mean, mean * 0.9) + 0.5))
                if count or rng.random() < 0.25:
                    rows.append([unit, row.姓名, row.手机号, day.isoformat(), count])
    return pd.DataFrame(rows, columns=["单位", "姓名", "手机号", "日期", "安装数"])


def _csv_upload(name: str, frame: pd.DataFrame) -> Upload:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return Upload(name, buffer.getvalue().encode("utf-8"))


DEMO_USERS = [
    ("admin", access.ADMIN, (), "县反诈中心管理员"),
    ("leader", access.LEADER, (), "县领导"),
    ("coord_cx", access.COORDINATOR, ("T01",), "城厢镇联络员"),
    ("coord_gaj", access.COORDINATOR, ("D018",), "县公安局联络员"),
    ("grid_cx", access.GRID_WORKER, ("G01-001",), "城南社区第1网格网格员"),  # issue 3: one grid
    ("teacher_cx", access.COORDINATOR, ("S01-07-01",), "城厢中心小学一年级(1)班班主任"),  # issue 3: one class
]
# Demo accounts sign in with users.DEMO_PASSWORD ("demo1234") and only while the database has no
# real administrator (users.demo_mode); creating one with `python -m campaign user add` disables them.


def load_demo(db, today: dt.date | None = None) -> None:
    """Load the demo county into an empty database (units, staff, a month of installs, settings, users)."""
    today = today or clock.today()
    actor = access.SYSTEM
    start = today - dt.timedelta(days=29)
    with write(db):  # all or nothing: a half-loaded demo would never be completed
        settings.update(db, actor, {"start_date": start.isoformat(), "deadline": (start + dt.timedelta(days=59)).isoformat()})
        importing.run_import(db, actor, "units", Upload.from_path(DATA / "units.csv"))
        importing.run_import(db, actor, "staff", Upload.from_path(DATA / "staff.csv"))
        staff = pd.read_csv(DATA / "staff.csv", dtype=str, keep_default_na=False)
        importing.run_import(db, actor, "installs", _csv_upload("demo_installs.csv", demo_installs(staff, today)))
        supervision_demo.load_supervision_demo(db, today, start)  # rounds, spot checks, letters (issue 7)
        outreach_demo.load_outreach_demo(db, today)  # schools, grids, enterprises, windows and their days (issue 3)
        flyers_demo.load_flyers_demo(db, today)  # what was printed for those windows, grids and classes (issue 4)
        coverage_demo.load_coverage_demo(db, today)  # issue 5; keep last: registrations follow every channel's installs
        for username, role, scope, label in DEMO_USERS:
            users.add_user(db, actor, username, role, scope_codes=scope, display_name=label, demo=True,
                           password=users.DEMO_PASSWORD)


def is_empty(db) -> bool:
    return db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0


def ensure_demo(db, today=None) -> bool:
    """Load the demo on an empty database; True when it was loaded."""
    if not is_empty(db) or users.has_real_accounts(db):  # a real install (its admin exists) gets no demo
        return False
    load_demo(db, today)
    return True
