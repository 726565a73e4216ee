"""Channel registries: imports with Chinese or English headers, every bad row explained, nothing written on a bad file."""

import io
import json

import openpyxl
import pytest

from campaign import features
from campaign.infra.errors import AccessDenied, RowsRejected
from campaign.infra.tables import Upload
from campaign.org import access
from campaign.outreach import entries as outreach
from tests.helpers import ADMIN, count, load, small_county
from tests.outreach_helpers import ids, registries

TABLES = ("units", "outreach_schools", "outreach_classes", "outreach_grids", "outreach_enterprises", "outreach_windows")


@pytest.fixture
def county(db):
    small_county(db)
    return db


def snapshot(db):
    return {table: count(db, table) for table in TABLES}


def errors_of(db, kind, text, actor=ADMIN):
    before = snapshot(db)
    with pytest.raises(RowsRejected) as caught:
        load(db, kind, text, actor=actor)
    assert snapshot(db) == before  # nothing written
    return [(e.row, e.column, e.code) for e in caught.value.errors]


def test_every_registry_builds_the_tree(db):
    registries(db)
    tree = {code: (kind, parent) for code, kind, parent in db.execute(
        "SELECT u.code, u.type, p.code FROM units u LEFT JOIN units p ON p.id = u.parent_id")}
    assert tree["S1"] == ("school", "T1") and tree["S2"] == ("school", "T2")  # by code or by name (乙镇)
    assert tree["S1-1"] == ("class", "S1")
    assert tree["G1"] == ("grid", "T1-V01") and tree["G3"] == ("grid", "T1-V02") and tree["G4"] == ("grid", "T2-V01")
    assert tree["T1-V01"] == ("village", "T1")
    assert tree["E1"] == ("enterprise", "D1") and tree["B1"] == ("business_group", "D2")
    assert tree["PK01"] == ("park", "C") and tree["PK02"] == ("park", "C")
    assert tree["W1"] == ("window", "T1") and tree["W3"] == ("window", "D2")
    found = ids(db)
    assert db.execute("SELECT school_type FROM outreach_schools WHERE unit_id = ?", [found["S3"]]).fetchone() == ("kindergarten",)
    assert db.execute("SELECT families, head_teacher, phone FROM outreach_classes WHERE unit_id = ?",
                      [found["S1-1"]]).fetchone() == (40, "张老师", "13900000001")
    assert db.execute("SELECT households, workers FROM outreach_grids WHERE unit_id = ?", [found["G4"]]).fetchone() == (200, "网格员丁")
    assert db.execute("SELECT kind, park_id, township_id, people FROM outreach_enterprises WHERE unit_id = ?",
                      [found["E2"]]).fetchone() == ("enterprise", found["PK02"], found["T2"], 50)
    assert db.execute("SELECT window_type, township_id, location FROM outreach_windows WHERE unit_id = ?",
                      [found["W1"]]).fetchone() == ("government", None, "镇政府一楼")


@pytest.mark.parametrize("header", [
    "编码,学校名称,学段,乡镇",
    "code,name,school_type,town",
    "Code,Name,Type,Township",
    "学校编码,名称,学校类型,所属乡镇",
])
def test_chinese_or_english_headers(county, header):
    result = load(county, "schools", f"{header}\nS9,测试小学,小学,甲镇\nS8,Test Kindergarten,kindergarten,T2\n")
    assert result.counts == {"new": 2, "updated": 0, "unchanged": 0}
    assert county.execute("SELECT u.name, s.school_type FROM units u JOIN outreach_schools s ON s.unit_id = u.id ORDER BY u.code"
                          ).fetchall() == [("Test Kindergarten", "kindergarten"), ("测试小学", "primary")]


def test_an_excel_workbook(county):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["窗口编码", "窗口名称", "窗口类型", "所属单位", "乡镇", "位置"])
    sheet.append(["W7", "一局服务台", "其他", "县一局", "乙镇", "一楼"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = features.run_import(county, ADMIN, "windows", Upload("windows.xlsx", buffer.getvalue()))
    assert result.counts == {"new": 1, "updated": 0, "unchanged": 0}
    assert [p.code for p in outreach.printables(county).itertuples()] == ["W7"]


def test_grids_file_with_bad_rows_is_refused_whole(county):
    assert errors_of(county, "grids", """
code,name,town,village,households,phone
G1,一网格,T1,东村,100,
G1,重复,T1,东村,50,
G2,,T1,东村,50,
G3,三网格,T9,东村,50,
G4,四网格,D1,东村,50,
G5,五网格,T1,东村,-3,
G6,六网格,T1,东村,abc,
G7,七网格,T1,东村,,
T2,八网格,T1,东村,10,
G8,九网格,T1,,10,12345
""") == [
        (3, "code", "row.duplicate_code"),
        (4, "name", "row.missing"),
        (5, "town", "row.unknown_unit"),
        (6, "town", "outreach.row.wrong_type"),
        (7, "households", "outreach.row.negative"),
        (8, "households", "row.not_integer"),
        (9, "households", "row.missing"),
        (10, "code", "outreach.row.code_taken"),
        (11, "village", "row.missing"),
        (11, "phone", "row.bad_phone"),
    ]


@pytest.mark.parametrize("kind, text, expected", [
    ("schools", "code,name,school_type,town\nS1,一校,大学,T1\nS2,二校,小学,S1\n",
     [(2, "school_type", "outreach.row.unknown_school_type"), (3, "town", "row.unknown_unit")]),
    ("classes", "code,school,name,families\nC1,S404,一班,30\nC2,T1,二班,2.5\n",
     [(2, "school", "row.unknown_unit"), (3, "school", "outreach.row.wrong_type"), (3, "families", "row.not_integer")]),
    ("enterprises", "code,name,enterprise_kind,regulator,park,people\nE1,甲,工厂,D1,,10\nE2,乙,企业,县九局,,10\nE3,丙,企业,D1,县一局,5\n",
     [(2, "enterprise_kind", "outreach.row.unknown_enterprise_kind"), (3, "regulator", "row.unknown_unit"),
      (4, "park", "outreach.row.wrong_type")]),
    ("windows", "code,name,window_type,host,town\nW1,甲,银行,D1,D2\nW2,乙,柜台,D1,\nW3,丙,银行,,T1\n",
     [(2, "town", "outreach.row.wrong_type"), (3, "window_type", "outreach.row.unknown_window_type"), (4, "host", "row.missing")]),
    ("grids", "code,name,town,village,village_code,households\nG1,一,T1,东村,V1,10\nG2,二,T2,东村,V1,10\nG3,三,T1,西村,T1,10\n",
     [(3, "village_code", "outreach.row.village_conflict"), (4, "village_code", "outreach.row.code_taken")]),
])
def test_row_errors(county, kind, text, expected):
    if kind == "classes":
        load(county, "schools", "code,name,school_type,town\nS1,一校,小学,T1\n")
    assert errors_of(county, kind, text) == expected


def test_reimport_is_unchanged_and_a_change_is_audited(db):
    registries(db)
    from tests.outreach_helpers import GRIDS

    assert load(db, "grids", GRIDS).counts == {"new": 0, "updated": 0, "unchanged": 4, "villages": 0}
    result = load(db, "grids", "code,name,town,village,households\nG1,东村第1网格,T1,东村,120\n")
    assert result.counts == {"new": 0, "updated": 1, "unchanged": 0, "villages": 0}
    old, new = db.execute("SELECT old, new FROM audit WHERE entity = 'grid' AND action = 'update'").fetchone()
    assert (json.loads(old)["households"], json.loads(new)["households"]) == (100, 120)
    assert json.loads(new)["parent"] == "T1-V01"  # unit ids shown as codes in the trail


def test_a_unit_marked_inactive_leaves_entry_and_figures(db):
    registries(db)
    load(db, "windows", "code,name,window_type,host,active\nW3,二局柜台,bank,D2,否\n")
    assert [u.code for u in outreach.channel_units(db, ADMIN, "windows")] == ["W1", "W2"]
    assert "W3" not in set(outreach.printables(db)["code"])


def test_village_codes_given_in_the_file_are_kept(county):
    load(county, "grids", "code,name,town,village,village_code,households\nG1,一,T1,东村,V01-07,10\nG2,二,T1,东村,V01-07,20\n")
    found = ids(county)
    assert county.execute("SELECT parent_id FROM units WHERE code IN ('G1', 'G2')").fetchall() == [(found["V01-07"],)] * 2


def test_a_coordinator_keeps_the_registry_of_their_own_units_only(county):
    found = ids(county)
    coord = access.Actor("c1", access.COORDINATOR, frozenset({found["T1"]}))
    load(county, "grids", "code,name,town,village,households\nG1,一,T1,东村,10\n", actor=coord)
    assert errors_of(county, "grids", "code,name,town,village,households\nG2,二,T2,南村,10\n", actor=coord) == [
        (2, "town", "row.outside_scope")]
    # a unit already registered elsewhere cannot be taken over by naming it in one's own township
    load(county, "grids", "code,name,town,village,households\nG9,九,T2,南村,10\n")
    assert errors_of(county, "grids", "code,name,town,village,households\nG9,九,T1,东村,10\n", actor=coord) == [
        (2, "code", "row.outside_scope")]


@pytest.mark.parametrize("role", [access.LEADER, access.GRID_WORKER])
def test_leaders_and_grid_workers_do_not_keep_registries(county, role):
    with pytest.raises(AccessDenied):
        load(county, "schools", "code,name,school_type,town\nS1,一校,小学,T1\n", actor=access.Actor("x", role))
    assert count(county, "outreach_schools") == 0


def test_printable_codes_per_township(db):
    registries(db)
    frame = outreach.printables(db, "T1")
    assert frame[["kind", "code", "host_code", "township_code"]].values.tolist() == [
        ["window", "W1", "T1", "T1"], ["window", "W3", "D2", "T1"],
        ["grid", "G1", "T1-V01", "T1"], ["grid", "G2", "T1-V01", "T1"], ["grid", "G3", "T1-V02", "T1"],
        ["class", "S1-1", "S1", "T1"], ["class", "S1-2", "S1", "T1"], ["class", "S3-1", "S3", "T1"],
    ]
    assert outreach.printables(db, "乙镇")["code"].tolist() == ["W2", "G4", "S2-1"]
    assert outreach.printables(db, kinds=("class",))["host"].tolist() == ["甲镇小学", "甲镇小学", "甲镇幼儿园", "乙镇小学"]


def test_templates_have_chinese_and_english_headers():
    for kind in ("schools", "classes", "grids", "enterprises", "windows"):
        zh = features.template(kind, "zh").decode("utf-8-sig").splitlines()[0]
        en = features.template(kind, "en").decode("utf-8-sig").splitlines()[0]
        assert zh.startswith("编码,") and en.startswith("code,")
