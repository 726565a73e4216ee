"""Imports: each kind of bad row is explained and nothing is written; headers in Chinese or English."""

import io

import pandas as pd
import pytest

from campaign import features
from campaign.infra.errors import AccessDenied, FileRejected, RowsRejected
from campaign.infra.parse import parse_date
from campaign.infra.tables import Upload
from campaign.org import access
from tests.helpers import ADMIN, count, load, small_county


def rejected(db, kind, text, actor=ADMIN):
    with pytest.raises(RowsRejected) as caught:
        load(db, kind, text, actor)
    return [(e.row, e.column, e.code) for e in caught.value.errors]


@pytest.mark.parametrize(
    "row, expected",
    [
        ("甲镇,张一,2026-11-25,3", None),
        ("丙镇,张一,2026-11-25,3", ("unit", "row.unknown_unit")),
        ("甲镇,无名,2026-11-25,3", ("name", "row.unknown_person")),
        ("乙镇,李二,2026-11-25,3", ("name", "row.inactive_person")),
        ("甲镇,张一,2026-13-45,3", ("date", "row.bad_date")),
        ("甲镇,张一,2026-11-29,3", ("date", "row.future_date")),
        ("甲镇,张一,2026-11-19,3", ("date", "row.before_start")),
        ("甲镇,张一,2026-11-25,-2", ("installs", "row.negative")),
        ("甲镇,张一,2026-11-25,2.5", ("installs", "row.not_integer")),
        ("甲镇,张一,2026-11-25,三", ("installs", "row.not_integer")),
        ("甲镇,张一,2026-11-25,", ("installs", "row.empty_count")),
        ("甲镇,张一,2026-11-25,201", ("installs", "row.above_max")),
        ("甲镇,张一,2026-11-24,1", ("date", "row.duplicate_entry")),
    ],
)
def test_installs_bad_rows(db, row, expected):
    small_county(db)
    text = "单位,姓名,日期,安装数\n甲镇,张二,2026-11-24,1\n甲镇,张一,2026-11-24,1\n" + row
    if expected is None:
        load(db, "installs", text)
        assert count(db, "install_reports") == 3
        return
    assert rejected(db, "installs", text) == [(4, *expected)]
    assert count(db, "install_reports") == 0


def test_every_bad_row_listed_at_once(db):
    small_county(db)
    errors = rejected(db, "installs", "unit,name,date,installs\n丙镇,x,2026-11-25,1\n甲镇,张一,yesterday,-1\n甲镇,张二,2026-11-25,2")
    assert errors == [(2, "unit", "row.unknown_unit"), (3, "date", "row.bad_date"), (3, "installs", "row.negative")]
    assert count(db, "install_reports") == 0


@pytest.mark.parametrize(
    "row, expected",
    [
        ("甲镇,张三,13800000009,是,", None),
        ("丙镇,张三,,是,", ("unit", "row.unknown_unit")),
        (",张三,,是,", ("unit", "row.unknown_unit")),
        ("甲镇,,,是,", ("name", "row.missing")),
        ("甲镇,张三,1380000,是,", ("phone", "row.bad_phone")),
        ("甲镇,张三,,也许,", ("active", "row.bad_flag")),
        ("甲镇,张三,,是,0", ("quota", "row.not_positive_integer")),
        ("甲镇,王五,13800000005,是,", ("name", "row.duplicate_person")),
    ],
)
def test_staff_bad_rows(db, row, expected):
    small_county(db)
    before = count(db, "staff")
    text = "单位,姓名,手机号,在职,任务数\n甲镇,王五,13800000005,是,\n" + row
    if expected is None:
        load(db, "staff", text)
        assert count(db, "staff") == before + 2
        return
    assert rejected(db, "staff", text) == [(3, *expected)]
    assert count(db, "staff") == before


@pytest.mark.parametrize(
    "row, expected",
    [
        ("X1,新局,县直单位,C,", None),
        ("T1,重复,乡镇,C,", ("code", "row.duplicate_code")),
        ("X1,新局,外星,C,", ("type", "row.unknown_type")),
        ("X1,新局,department,NOPE,", ("parent", "row.unknown_unit")),
        ("X1,新局,department,C,-3", ("quota", "row.not_positive_integer")),
        (",新局,department,C,", ("code", "row.missing")),
    ],
)
def test_unit_bad_rows(db, row, expected):
    small_county(db)
    before = count(db, "units")
    text = "code,name,type,parent,quota\nT1,甲镇,乡镇,C,\n" + row
    if expected is None:
        load(db, "units", text)
        assert count(db, "units") == before + 1
        return
    assert rejected(db, "units", text) == [(3, *expected)]
    assert count(db, "units") == before


def test_staff_reimport_updates_instead_of_duplicating(db):
    small_county(db)
    result = load(db, "staff", "unit,name,phone,active,quota\n甲镇,张一,13800000001,否,\n甲镇,张二,13800000002,是,40")
    assert result.counts == {"new": 0, "updated": 2}
    assert db.execute("SELECT active, quota FROM staff WHERE name IN ('张一', '张二') ORDER BY name").fetchall() == [(0, None), (1, 40)]


def test_excel_with_english_headers_keeps_phone_as_text(db):
    small_county(db)
    buffer = io.BytesIO()
    pd.DataFrame({"Unit": ["甲镇"], "Name": ["新人"], "Phone": [13900000000], "Active": ["yes"]}).to_excel(buffer, index=False)
    features.run_import(db, ADMIN, "staff", Upload("staff.xlsx", buffer.getvalue()))
    assert db.execute("SELECT phone FROM staff WHERE name = '新人'").fetchone()[0] == "13900000000"


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("staff.xlsx", b"unit,name\n", "file.not_excel"),
        ("staff.pdf", b"%PDF-1.4", "file.bad_type"),
        ("staff.csv", b"foo,bar\n1,2\n", "file.missing_columns"),
        ("staff.csv", b"unit,name\n", "file.empty"),
        ("staff.csv", b"\x00\x01\x02", "file.not_text"),
    ],
)
def test_unreadable_files(db, name, data, code):
    small_county(db)
    with pytest.raises(FileRejected) as caught:
        features.run_import(db, ADMIN, "staff", Upload(name, data))
    assert caught.value.code == code


def test_dry_run_writes_nothing(db):
    small_county(db)
    result = load(db, "installs", "unit,name,date,installs\n甲镇,张一,2026-11-25,3", dry_run=True)
    assert (result.rows, result.dry_run, count(db, "install_reports")) == (1, True, 0)


def test_coordinator_imports_only_own_units(db):
    small_county(db)
    t1 = db.execute("SELECT id FROM units WHERE code = 'T1'").fetchone()[0]
    me = access.Actor("c", access.COORDINATOR, frozenset({t1}))
    assert rejected(db, "installs", "unit,name,date,installs\n甲镇,张一,2026-11-28,3\n乙镇,李一,2026-11-28,3", me) == [
        (3, "unit", "row.outside_scope")]
    with pytest.raises(AccessDenied):
        load(db, "units", "code,name,type\nX,x,乡镇", me)
    assert count(db, "install_reports") == 0


def test_import_is_recorded(db):
    small_county(db)
    load(db, "installs", "unit,name,date,installs\n甲镇,张一,2026-11-25,3", name="daily.csv")
    assert db.execute("SELECT actor, kind, filename, rows, length(sha256) FROM imports WHERE kind = 'installs'").fetchone() == (
        "admin", "installs", "daily.csv", 1, 64)


@pytest.mark.parametrize(
    "text, expected",
    [("2026-11-01", "2026-11-01"), ("2026/11/1", "2026-11-01"), ("2026.11.01", "2026-11-01"),
     ("2026年11月1日", "2026-11-01"), ("2026-11-01 00:00:00", "2026-11-01"), ("11/01/2026", None), ("2026-02-30", None)],
)
def test_parse_date(text, expected):
    parsed = parse_date(text)
    assert (parsed.isoformat() if parsed else None) == expected


@pytest.mark.parametrize("kind", ["units", "staff", "installs"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_templates_read_back(kind, lang):
    from campaign.infra.tables import read_table

    spec = features.import_kinds()[kind]
    frame = read_table(Upload(f"{kind}.csv", features.template(kind, lang)), spec.columns, spec.required)
    assert len(frame) == 1 and set(spec.required) <= set(frame.columns)


@pytest.mark.parametrize("text, number", [("3", 3), (" 12 ", 12), ("3.0", 3), ("-2", -2), ("2.5", None), ("abc", None),
                                          ("", None), ("inf", None), ("nan", None), (None, None)])
def test_a_whole_number_is_read_from_a_cell(text, number):
    from campaign.infra.parse import parse_whole

    assert parse_whole(text) == number


@pytest.mark.parametrize("value, result", [("7", (7, None)), ("inf", (None, "row.not_integer")),
                                           ("nan", (None, "row.not_integer")), ("-1", (None, "row.negative")),
                                           ("", (None, "row.empty_count")), ("999", (None, "row.above_max"))])
def test_an_install_count_is_checked_with_a_reason(value, result):
    from campaign.installs.entries import check_value

    assert check_value(value, 200) == result
