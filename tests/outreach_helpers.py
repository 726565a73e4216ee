"""A small county with every outreach channel, for tests with exact figures (see test_outreach_figures.py)."""

from campaign.outreach import entries as outreach
from tests.helpers import ADMIN, load, small_county

SCHOOLS = """
code,name,school_type,town
S1,甲镇小学,primary,T1
S2,乙镇小学,小学,乙镇
S3,甲镇幼儿园,幼儿园,T1
"""
CLASSES = """
code,school,name,head_teacher,phone,families
S1-1,S1,一年级(1)班,张老师,13900000001,40
S1-2,S1,一年级(2)班,李老师,,10
S2-1,S2,一年级(1)班,王老师,,50
S3-1,S3,小班(1),赵老师,,0
"""
GRIDS = """
code,name,town,village,households,workers,phone
G1,东村第1网格,T1,东村,100,网格员甲,13900000011
G2,东村第2网格,T1,东村,50,网格员乙,
G3,西村第1网格,T1,西村,0,网格员丙,
G4,南村第1网格,T2,南村,200,网格员丁,
"""
ENTERPRISES = """
code,name,enterprise_kind,regulator,park,town,people
E1,甲公司,企业,D1,一园,T1,100
E2,乙公司,enterprise,D1,二园,T2,50
E3,丙公司,企业,D2,一园,T1,0
B1,甲镇个体工商户,个体工商户,D2,,T1,200
"""
WINDOWS = """
code,name,window_type,host,town,location,promoters
W1,甲镇便民服务中心1号窗口,政务服务,T1,,镇政府一楼,窗口甲
W2,一局服务台,其他,D1,T2,,
W3,二局柜台,bank,D2,T1,,
"""
# (code, day, values): see the expected figures in test_outreach_figures.py
REPORTS = [
    ("S1-1", "2026-11-21", {"installs": 30, "flyers": 40}),
    ("S1-1", "2026-11-25", {"installs": 6, "flyers": 0}),
    ("S1-2", "2026-11-22", {"installs": 12, "flyers": 10}),  # 12 of 10 families: 120%, allowed and flagged
    ("S2-1", "2026-11-23", {"installs": 20, "flyers": 60}),  # 60 flyers to 50 families reach 50
    ("S3-1", "2026-11-23", {"installs": 5, "flyers": 5}),  # no families counted: no data
    ("G1", "2026-11-21", {"reached": 30, "flyers": 30, "installs": 12}),
    ("G1", "2026-11-27", {"reached": 30, "flyers": 35, "installs": 9}),
    ("G2", "2026-11-22", {"reached": 60, "flyers": 60, "installs": 30}),  # 60 visits, 50 households
    ("G3", "2026-11-28", {"reached": 0, "flyers": 0, "installs": 0}),  # a report without a visit
    ("G4", "2026-11-20", {"reached": 50, "flyers": 50, "installs": 10}),
    ("E1", "2026-11-24", {"reached": 80, "installs": 60}),
    ("E2", "2026-11-24", {"reached": 70, "installs": 55}),
    ("E3", "2026-11-24", {"reached": 10, "installs": 5}),
    ("B1", "2026-11-26", {"reached": 100, "installs": 40}),
    ("W1", "2026-11-21", {"qr_shown": 1, "flyers_shown": 1, "flyers": 20, "installs": 3}),
    ("W1", "2026-11-26", {"qr_shown": 0, "flyers_shown": 1, "flyers": 0, "installs": 1}),
    ("W2", "2026-11-27", {"qr_shown": 1, "flyers_shown": 0, "flyers": 0, "installs": 2}),
]


def ids(db) -> dict[str, int]:
    return {code: uid for uid, code in db.execute("SELECT id, code FROM units")}


def registries(db):
    """The small county (helpers.small_county) with the four channels' registries."""
    small_county(db)
    for kind, text in (("schools", SCHOOLS), ("classes", CLASSES), ("grids", GRIDS), ("enterprises", ENTERPRISES),
                       ("windows", WINDOWS)):
        load(db, kind, text)
    return db


def outreach_county(db):
    """The registries plus the reports above, entered by the administrator."""
    registries(db)
    found = ids(db)
    outreach.record(db, ADMIN, [(found[code], day, values) for code, day, values in REPORTS], source="import")
    return db
