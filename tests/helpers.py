"""Small builders for tests: load CSV text through the same import code users use."""

from campaign import access, importing
from campaign.tables import Upload

ADMIN = access.Actor("admin", access.ADMIN)


def load(db, kind: str, text: str, actor=ADMIN, name=None, **kw):
    """Import CSV text (first line = headers) as `kind`."""
    return importing.run_import(db, actor, kind, Upload(name or f"{kind}.csv", text.strip().encode("utf-8")), **kw)


def small_county(db, start="2026-11-20", deadline="2026-12-19"):
    """Two townships and three departments; staff with overrides and an inactive person."""
    from campaign import settings

    settings.update(db, ADMIN, {"start_date": start, "deadline": deadline})
    load(db, "units", """
code,name,type,parent,quota
C,测试县,county,,
T1,甲镇,township,C,
T2,乙镇,township,C,
D1,县一局,department,C,
D2,县二局,department,C,10
D3,县三局,department,C,
""")
    load(db, "staff", """
unit,name,phone,active,quota
甲镇,张一,13800000001,是,
甲镇,张二,13800000002,是,
乙镇,李一,13800000003,是,
乙镇,李二,13800000004,否,
县一局,王一,,是,
县二局,赵一,,是,
县二局,赵二,,是,20
县三局,钱一,,是,
""")


def count(db, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
