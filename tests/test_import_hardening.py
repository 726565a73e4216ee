"""Imports under attack (issue 16): a rogue coordinator's files, squatted codes and names, absurd numbers,
files that used to crash, hidden characters, workbooks that unpack to far more than they weigh."""

import io
import zipfile

import pytest

from campaign import features
from campaign.accounts import users
from campaign.infra import i18n, imports, worker
from campaign.infra.errors import FileRejected, RowsRejected
from campaign.infra.tables import Upload
from tests.helpers import ADMIN, count, load
from tests.test_uploads import xlsx


def coordinator(db, name="coord_cx"):
    return users.get_actor(db, name)


def problems(db, kind, text, actor=ADMIN, **kw) -> list[tuple]:
    """The bad rows of a file as (row, column, code); the file must be refused whole, dry run or not."""
    found = []
    for dry_run in (True, False):
        with pytest.raises(RowsRejected) as caught:
            load(db, kind, text, actor=actor, dry_run=dry_run, **kw)
        found.append([(e.row, e.column, e.code) for e in caught.value.errors])
    assert found[0] == found[1]  # the dry run and the import agree
    return found[0]


def unit_row(db, code):
    return db.execute("SELECT u.name, u.type, p.code FROM units u LEFT JOIN units p ON p.id = u.parent_id"
                      " WHERE u.code = ?", [code]).fetchone()


GRIDS = "编码,网格名称,乡镇,村（社区）,村（社区）编码,户数\n"


# ---- 1. a new parent outside the importer's scope -------------------------------------------

@pytest.mark.parametrize("kind, text, expected", [
    # the village V01-01 (城厢镇, coord_cx's) moved under 大吉山镇 with its grid
    ("grids", GRIDS + "G01-001,城南社区第1网格,T02,城南社区,V01-01,187", [(2, "town", "row.outside_scope")]),
    # a new village under another township
    ("grids", GRIDS + "G09-901,新网格,大吉山镇,新村,,100", [(2, "town", "row.outside_scope")]),
    # a new park would hang under the county
    ("enterprises", "编码,名称,类别,主管部门,园区,职工人数\nE901,新企业,企业,城厢镇,城厢新园区,30",
     [(2, "park", "outreach.row.new_park")]),
    ("schools", "编码,学校名称,学段,乡镇\nS01-07,城厢中心小学,小学,大吉山镇", [(2, "town", "row.outside_scope")]),
    ("classes", "编码,学校,班级名称,学生家庭数\nS01-07-01,S02-01,一年级(1)班,40", [(2, "school", "row.outside_scope")]),
    ("windows", "编码,窗口名称,窗口类型,所属单位\nW901,新窗口,银行,县公安局", [(2, "host", "row.outside_scope")]),
    ("staff", "单位,姓名\n县公安局,张三", [(2, "unit", "row.outside_scope")]),
])
def test_a_coordinator_cannot_set_a_parent_outside_their_scope(demo_db, kind, text, expected):
    before = unit_row(demo_db, "V01-01"), count(demo_db, "units"), count(demo_db, "audit")
    assert problems(demo_db, kind, text, coordinator(demo_db)) == expected
    assert (unit_row(demo_db, "V01-01"), count(demo_db, "units"), count(demo_db, "audit")) == before


def test_an_administrator_may_move_a_village_and_create_a_park(demo_db):
    load(demo_db, "grids", GRIDS + "G01-001,城南社区第1网格,T02,城南社区,V01-01,187")
    assert unit_row(demo_db, "V01-01")[2] == "T02"
    load(demo_db, "enterprises", "编码,名称,类别,主管部门,园区,职工人数\nE901,新企业,企业,城厢镇,城厢新园区,30")
    assert count(demo_db, "units WHERE type = 'park'") == 4


def test_a_village_coordinator_keeps_their_own_grids(demo_db):
    users.add_user(demo_db, ADMIN, "coord_v", "coordinator", scope_codes=["V01-01"], password="village-pass")
    load(demo_db, "grids", GRIDS + "G01-001,城南社区第1网格,城厢镇,城南社区,V01-01,190", actor=coordinator(demo_db, "coord_v"))
    assert demo_db.execute("SELECT households FROM outreach_grids g JOIN units u ON u.id = g.unit_id"
                           " WHERE u.code = 'G01-001'").fetchone()[0] == 190


# ---- 2. codes and names that squat another unit ---------------------------------------------

SCHOOLS = "编码,学校名称,学段,乡镇\n"


@pytest.mark.parametrize("kind, text, expected", [
    ("schools", SCHOOLS + "县公安局,假学校,小学,城厢镇", [(2, "code", "row.code_is_name")]),
    ("schools", SCHOOLS + "S01-99,县公安局,小学,城厢镇", [(2, "name", "row.name_taken")]),
    ("schools", SCHOOLS + "S01-99,D018,小学,城厢镇", [(2, "name", "row.name_is_code")]),
    ("schools", SCHOOLS + "D018,公安学校,小学,城厢镇", [(2, "code", "outreach.row.code_taken")]),
    ("schools", SCHOOLS + "S01-98,城厢一小,小学,城厢镇\nS01-99,城厢一小,小学,城厢镇",
     [(2, "name", "row.name_taken"), (3, "name", "row.name_taken")]),
    ("schools", SCHOOLS + "S01-99,S01-98,小学,城厢镇\nS01-98,城厢二小,小学,城厢镇",
     [(2, "name", "row.name_is_code"), (3, "code", "row.code_is_name")]),
    ("windows", "编码,窗口名称,窗口类型,所属单位\n城厢镇,窗口,银行,城厢镇", [(2, "code", "row.code_is_name")]),
    ("grids", GRIDS + "G01-901,网格,城厢镇,县公安局,,10", [(2, "name", "row.name_taken")]),
    ("enterprises", "编码,名称,类别,主管部门,职工人数\nT02,企业,企业,城厢镇,3", [(2, "code", "outreach.row.code_taken")]),
])
def test_codes_and_names_never_squat_another_unit(demo_db, kind, text, expected):
    before = count(demo_db, "units")
    assert problems(demo_db, kind, text, coordinator(demo_db)) == expected
    assert count(demo_db, "units") == before
    # the administrator's staff file still finds 县公安局 by its name
    assert load(demo_db, "staff", "单位,姓名\n县公安局,新同事").counts["new"] == 1


@pytest.mark.parametrize("text, expected", [
    ("code,name,type,parent\n县公安局,县公安二局,department,QN", [(2, "code", "row.code_is_name")]),
    ("code,name,type,parent\nD999,T01,department,QN", [(2, "name", "row.name_is_code")]),
    ("code,name,type,parent\nD999,城厢镇,department,QN", [(2, "name", "row.name_taken")]),
    ("code,name,type,parent\nS01-07,城厢中心小学,department,QN", [(2, "type", "row.type_change")]),
    ("code,name,type,parent\nd018,县公安局,department,QN\nD018,县公安局,department,QN", [(3, "code", "row.duplicate_code")]),
])
def test_the_units_file_keeps_codes_names_and_kinds_apart(demo_db, text, expected):
    assert problems(demo_db, "units", text) == expected


def test_a_code_written_in_another_case_or_width_names_the_same_unit(demo_db):
    load(demo_db, "units", "code,name,type,parent,quota\nｄ018,县公安局,department,QN,40")
    assert demo_db.execute("SELECT COUNT(*), MAX(quota) FROM units WHERE code LIKE 'D018'").fetchone() == (1, 40)
    load(demo_db, "staff", "单位,姓名\nｄ018,宽字符")  # and a file's cell finds it
    assert count(demo_db, "staff WHERE name = '宽字符'") == 1


# ---- 3. numbers: bounded, never overflowing -----------------------------------------------------

HUGE = "4611686018427387904"


@pytest.mark.parametrize("kind, text, options, expected", [
    ("classes", "编码,学校,班级名称,学生家庭数\nS01-07-01,S01-07,一年级(1)班," + HUGE, None, [(2, "families", "row.too_large")]),
    ("classes", "编码,学校,班级名称,学生家庭数\nS01-07-01,S01-07,一年级(1)班,201", None, [(2, "families", "row.too_large")]),
    ("grids", GRIDS + "G01-001,城南社区第1网格,城厢镇,城南社区,V01-01,1e30", None, [(2, "households", "row.not_integer")]),
    ("grids", GRIDS + "G01-001,城南社区第1网格,城厢镇,城南社区,V01-01,9223372036854775808", None,
     [(2, "households", "row.too_large")]),
    ("enterprises", "编码,名称,类别,主管部门,职工人数\nE001,企业,企业,县工业园区管委会,-0", None, [(2, "people", "outreach.row.negative")]),
    ("enterprises", "编码,名称,类别,主管部门,职工人数\nE001,企业,企业,县工业园区管委会,nan", None, [(2, "people", "row.not_integer")]),
    ("staff", "单位,姓名,任务数\n县公安局,张三,inf", None, [(2, "quota", "row.not_integer")]),
    ("staff", "单位,姓名,任务数\n县公安局,张三," + HUGE, None, [(2, "quota", "row.too_large")]),
    ("units", "code,name,type,parent,quota\nD999,新局,department,QN,1001", None, [(2, "quota", "row.too_large")]),
    ("population", "乡镇,年龄,人口数\n城厢镇,17," + HUGE, {"year": 2021}, [(2, "population", "row.too_large")]),
    ("population", "乡镇,年龄,人口数\n城厢镇,17,1e3", {"year": 2021}, [(2, "population", "row.not_integer")]),
    ("registrations", "乡镇,年龄,注册人数,日期\n城厢镇,17,9223372036854775808,2026-11-27", None,
     [(2, "registered", "row.too_large")]),
    ("installs", "单位,姓名,日期,安装数\n县公安局,张三,2026-11-27,1e300", None, [(2, "name", "row.unknown_person"),
                                                                         (2, "installs", "row.not_integer")]),
])
def test_every_count_has_a_bound_and_the_dry_run_agrees(demo_db, kind, text, options, expected):
    assert problems(demo_db, kind, text, options=options) == expected


def test_a_bound_follows_its_setting(demo_db):
    from campaign.infra import settings

    text = "编码,学校,班级名称,学生家庭数\nS01-07-01,S01-07,一年级(1)班,250"
    assert problems(demo_db, "classes", text) == [(2, "families", "row.too_large")]
    settings.update(demo_db, ADMIN, {"max_class_families": 300})
    assert load(demo_db, "classes", text).counts["updated"] == 1


# ---- 4. every kind: files that used to crash get a named error -----------------------------------

def bad_files(spec):
    headers = [aliases[0] if aliases else name for name, aliases in spec.columns.items()]
    required = [aliases[0] if aliases else name for name, aliases in spec.columns.items() if name in spec.required]
    yield "empty.csv", b"", "file.empty"
    yield "header.csv", ",".join(headers).encode(), "file.empty"
    yield "blank.csv", b"\r\n\r\n  \r\n", "file.empty"
    yield "blank.xlsx", xlsx([[None], [None]]), "file.empty"
    yield "duplicate.xlsx", xlsx([[required[0], *headers], ["x"] * (len(headers) + 1)]), "file.duplicate_columns"
    yield "duplicate.csv", ",".join([required[0], *headers]).encode() + b"\nx", "file.duplicate_columns"
    yield "utf16.csv", b"\xff\xfe" + b"\x00\xd8", "file.not_text"
    yield "bomb.csv", b"a," * 50_000, "file.too_many_cells"


@pytest.mark.parametrize("kind", sorted(features.import_kinds()))
def test_every_kind_names_what_is_wrong_with_a_file_that_used_to_crash(db, kind):
    spec = features.import_kinds()[kind]
    for name, data, code in bad_files(spec):
        with pytest.raises(FileRejected) as caught:
            features.run_import(db, ADMIN, kind, Upload(name, data), dry_run=True)
        assert caught.value.code == code, name
        for lang in ("zh", "en"):
            assert not i18n.error_text(caught.value, lang).startswith(("file.", "error."))
    assert count(db, "imports") == 0


# ---- 6. workbooks that unpack to far more than they weigh ----------------------------------------

def workbook_with(sheet_xml: bytes) -> bytes:
    """A minimal workbook whose first sheet is `sheet_xml` (deflated: repetitive XML packs very small)."""
    base = zipfile.ZipFile(io.BytesIO(xlsx([["a"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in base.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else base.read(info.filename)
            target.writestr(info.filename, data)
    return out.getvalue()


def sheet(rows: bytes, dimension: bytes = b"") -> bytes:
    return (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + dimension + b"<sheetData>" + rows + b"</sheetData></worksheet>")


@pytest.mark.parametrize("xml", [
    # 9 million cells in a file of a few hundred KB, with no (or a modest) declared dimension
    sheet(b'<row r="1">' + b"<c/>" * 9_000_000 + b"</row>"),
    sheet(b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 100)) +
          b'<row r="100"><c r="GS100"><v>1</v></c></row>', b'<dimension ref="A1:A100"/>'),  # a cell past 200 columns
    sheet(b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1000000"><c r="AZ1000000"><v>1</v></c></row>'),  # sparse
], ids=["9M-cells", "past-the-columns", "sparse-corner"])
def test_workbooks_are_refused_by_what_they_hold_before_parsing(db, xml):
    data = workbook_with(xml)
    assert len(data) < 4 * 1024 * 1024
    with pytest.raises(FileRejected) as caught:
        features.run_import(db, ADMIN, "installs", Upload("bomb.xlsx", data))
    assert caught.value.code == "file.too_many_cells"


def test_a_small_workbook_with_many_cells_is_parsed_by_the_worker(db, monkeypatch):
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c><c r="B%d"><v>1</v></c></row>'
                    % (i, i, i) for i in range(1, 120_001))
    data = workbook_with(sheet(rows))
    assert len(data) < imports.LARGE_FILE
    calls = []
    monkeypatch.setattr(worker, "call", lambda fn, *args: calls.append(args[2]) or "in the worker")
    assert features.run_import(db, ADMIN, "installs", Upload("many.xlsx", data)) == "in the worker"
    assert calls == ["installs"]


# ---- 7. hidden characters, look-alike names, dates ------------------------------------------------

@pytest.mark.parametrize("name", ["张\u202e三", "张\u200d三", "张\u2066三", "张\x07三"])
def test_names_with_hidden_characters_are_refused(demo_db, name):
    assert problems(demo_db, "staff", f"单位,姓名\n县公安局,{name}") == [(2, "name", "row.hidden_characters")]


def test_look_alike_names_are_one_name(demo_db):
    load(demo_db, "staff", "单位,姓名,手机号\n县公安局,Ｌｉ Ｍｉｎｇ,13800000009")
    load(demo_db, "staff", "单位,姓名,手机号,在职\n县公安局,li ming\u200b,13800000009,否")  # the same person
    assert demo_db.execute("SELECT COUNT(*), MIN(active) FROM staff WHERE phone = '13800000009'").fetchone() == (1, 0)


@pytest.mark.parametrize("text", ["2026-12-03T25:00", "2026-11-27 12:61", "2026-11-27 anything", "2026-11-27T10:00:99"])
def test_dates_with_an_impossible_time_are_refused(demo_db, text):
    assert problems(demo_db, "installs", f"单位,姓名,日期,安装数\n县公安局,{name_in(demo_db, 'D018')},{text},1") == [
        (2, "date", "row.bad_date")]


def name_in(db, code):
    return db.execute("SELECT s.name FROM staff s JOIN units u ON u.id = s.unit_id WHERE u.code = ? AND s.active = 1"
                      " GROUP BY s.name HAVING COUNT(*) = 1 ORDER BY s.id LIMIT 1", [code]).fetchone()[0]


@pytest.mark.parametrize("typed", ["张\u202e三", "张\u2066三", "张\x07三"])
def test_names_typed_in_forms_with_hidden_characters_are_refused(demo_db, typed):
    from campaign.infra import settings
    from campaign.infra.errors import InvalidValue
    from campaign.supervision import spot_checks

    before = count(demo_db, "audit"), count(demo_db, "users"), count(demo_db, "supervision_rounds")
    for write in (lambda: users.add_user(demo_db, ADMIN, "newbie", "leader", display_name=typed, password="newbie-pass"),
                  lambda: settings.update(demo_db, ADMIN, {"campaign_name": typed}),
                  lambda: spot_checks.add_round(demo_db, ADMIN, typed, "2026-11-20")):
        with pytest.raises(InvalidValue) as caught:
            write()
        assert caught.value.code == "error.hidden_characters" and "<U+" in caught.value.params["value"]
    assert (count(demo_db, "audit"), count(demo_db, "users"), count(demo_db, "supervision_rounds")) == before


def test_a_round_named_like_another_in_another_width_is_the_same_round(demo_db):
    from campaign.infra.errors import InvalidValue
    from campaign.supervision import spot_checks

    spot_checks.add_round(demo_db, ADMIN, "Round A", "2026-11-20")
    with pytest.raises(InvalidValue) as caught:
        spot_checks.add_round(demo_db, ADMIN, "ｒｏｕｎｄ ａ\u200b", "2026-11-21")
    assert caught.value.code == "sup.round_exists"


@pytest.mark.parametrize("cell", ["＝1+1", "＋1", "－1", "＠SUM(A1)", " =1+1", "\u200b=1+1", "\u3000＝cmd|' /C calc'!A0"])
def test_formula_starts_in_any_width_are_made_inert_in_exports(cell):
    import pandas as pd

    from campaign.infra import exports

    assert exports.neutralise(cell) == "'" + cell
    frame, _text = exports.prepare(pd.DataFrame({"name": [cell]}), actor=ADMIN)
    assert frame["name"].tolist() == ["'" + cell]


@pytest.mark.parametrize("phone, shown", [("13800001234", "138****1234"), ("138****1234", "138****1234"),
                                          ("+86 138 0000 1234", "861******1234"), ("", ""), ("12345", "*****")])
def test_masking_a_phone_twice_changes_nothing(phone, shown):
    from campaign.infra.phones import mask_phone

    assert mask_phone(phone) == shown and mask_phone(mask_phone(phone)) == shown
