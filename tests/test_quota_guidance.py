"""The guidance number (每人不少于 30, issue 20): a quota below it needs a reason, is audited with it, and is
marked in the rankings, the entry sheet, a unit's staff and the exports."""

import json

import pytest

from campaign.infra import settings
from campaign.infra.errors import InvalidValue, RowsRejected
from campaign.installs import entries as installs
from campaign.installs import rankings, reference
from campaign.org import quotas, staff
from tests.helpers import ADMIN, count, load, run, small_county


@pytest.fixture
def county(db):
    small_county(db)  # 县二局 (D2): quota 10 "人员多为外勤"; 赵二: 20 "新入职"
    return db, {code: uid for uid, code in db.execute("SELECT id, code FROM units")}


def rejected(db, kind, text):
    with pytest.raises(RowsRejected) as caught:
        load(db, kind, text)
    return [(e.row, e.column, e.code, e.params.get("value"), e.params.get("guidance")) for e in caught.value.errors]


@pytest.mark.parametrize("quota, reason, kept", [
    (None, "", None), (30, "", None), (45, "", None),
    (30, "多余的说明", None),  # at the guidance there is nothing to explain: the reason is not kept
    (29, "  病休  半年 ", "病休 半年"),  # spaces tidied
    (1, "借调市局", "借调市局"),
])
def test_check_reason_accepts(quota, reason, kept):
    assert quotas.check_reason(quota, reason, 30) == (kept, None)


@pytest.mark.parametrize("quota, reason, code", [
    (29, "", "row.quota_below_guidance"), (10, "   ", "row.quota_below_guidance"),
    (25, "长" * 201, "row.quota_reason_too_long"),
])
def test_check_reason_refuses(quota, reason, code):
    assert quotas.check_reason(quota, reason, 30) == (None, code)


def test_a_staff_quota_below_the_guidance_without_a_reason_is_a_row_error(county):
    db, _ = county
    before = count(db, "staff")
    text = "单位,姓名,任务数,原因\n甲镇,新人甲,25,\n甲镇,新人乙,25,借调\n甲镇,新人丙,40,\n乙镇,新人丁,10,"
    assert rejected(db, "staff", text) == [(2, "quota_reason", "row.quota_below_guidance", 25, 30),
                                           (5, "quota_reason", "row.quota_below_guidance", 10, 30)]
    assert count(db, "staff") == before


def test_a_unit_quota_below_the_guidance_without_a_reason_is_a_row_error(county):
    db, _ = county
    assert rejected(db, "units", "编码,名称,类型,上级,任务数\nD9,县九局,县直单位,C,20") == [
        (2, "quota_reason", "row.quota_below_guidance", 20, 30)]
    load(db, "units", "code,name,type,parent,quota,quota_reason\nD9,县九局,department,C,20,仅三人在岗")
    assert db.execute("SELECT quota, quota_reason FROM units WHERE code = 'D9'").fetchone() == (20, "仅三人在岗")


def test_the_reason_is_stored_and_audited(county):
    db, ids = county
    load(db, "staff", "unit,name,phone,active,quota,quota_reason\n甲镇,张一,13800000001,是,12,长期病休\n甲镇,新人,,是,15,试用期")
    assert db.execute("SELECT name, quota, quota_reason FROM staff WHERE unit_id = ? ORDER BY id", [ids["T1"]]).fetchall() == [
        ("张一", 12, "长期病休"), ("张二", None, None), ("新人", 15, "试用期")]
    trail = [(a, e, json.loads(new)) for a, e, new in db.execute(
        "SELECT action, entity, new FROM audit WHERE entity IN ('staff', 'staff_quota') AND new IS NOT NULL ORDER BY id")]
    assert trail[-2:] == [
        ("update", "staff", {"phone": "13800000001", "active": 1, "quota": 12, "quota_reason": "长期病休"}),
        ("create", "staff_quota", {"quota": 15, "quota_reason": "试用期"})]
    # back to the guidance: the reason goes with the lower quota, and that is audited too
    load(db, "staff", "unit,name,phone,active,quota\n甲镇,张一,13800000001,是,30")
    assert db.execute("SELECT quota, quota_reason FROM staff WHERE name = '张一'").fetchone() == (30, None)
    old = json.loads(db.execute("SELECT old FROM audit WHERE entity = 'staff' AND action = 'update' ORDER BY id DESC LIMIT 1").fetchone()[0])
    assert old["quota_reason"] == "长期病休"


def test_the_default_quota_may_not_go_below_the_guidance(county):
    db, _ = county
    with pytest.raises(InvalidValue) as caught:
        settings.update(db, ADMIN, {"default_quota": 25})
    assert (caught.value.code, caught.value.params) == ("error.default_below_guidance", {"value": 25, "guidance": 30})
    with pytest.raises(InvalidValue):
        settings.update(db, ADMIN, {"quota_guidance": 35})  # above today's default: the same refusal
    settings.update(db, ADMIN, {"quota_guidance": 20, "default_quota": 25})
    assert (settings.get(db, "quota_guidance"), settings.get(db, "default_quota")) == (20, 25)


def test_marks_in_rankings_entry_sheet_and_staff(county):
    db, ids = county
    table = rankings.unit_ranking(db, "2026-11-28")
    assert table.set_index("code")["quota_below"].to_dict() == {"T1": False, "T2": False, "D1": False, "D2": True, "D3": False}
    sheet = installs.entry_sheet(db, ADMIN, ids["D2"], "2026-11-28")
    assert sheet[["name", "quota", "quota_below", "quota_reason"]].values.tolist() == [
        ["赵一", 10, True, "人员多为外勤"], ["赵二", 20, True, "新入职"]]
    people = rankings.staff_ranking(db, ADMIN, ids["D2"], "2026-11-28")
    assert people.set_index("name")["quota_reason"].to_dict() == {"赵一": "人员多为外勤", "赵二": "新入职"}
    plain = installs.entry_sheet(db, ADMIN, ids["T1"], "2026-11-28")
    assert plain["quota_below"].tolist() == [False, False] and plain["quota_reason"].isna().all()
    assert staff.list_staff(db, ADMIN, ids["D2"])["quota_reason"].fillna("").tolist() == ["", "新入职"]
    # the raw-row references carry the same marks
    assert reference.unit_ranking_from_raw(db, "2026-11-28")["quota_below"].tolist() == table["quota_below"].tolist()
    # a higher guidance judges every later file by it
    settings.update(db, ADMIN, {"default_quota": 40, "quota_guidance": 40})
    assert rankings.unit_ranking(db, "2026-11-28").set_index("code")["quota_below"].sum() == 1
    assert rejected(db, "staff", "unit,name,quota\n甲镇,张一,35") == [(2, "quota_reason", "row.quota_below_guidance", 35, 40)]


def test_the_units_report_marks_the_quota(tmp_path, county):
    db, _ = county
    path = db.execute("PRAGMA database_list").fetchone()[2]
    result = run(path, "report", "units", "--format", "json")
    assert result.returncode == 0
    marks = {row["code"]: row["quota_below"] for row in json.loads(result.stdout)}
    assert marks == {"T1": False, "T2": False, "D1": False, "D2": True, "D3": False}
