"""Supervision: spot checks grouped in rounds, compliance per unit and round, the pass mark, responsibility letters."""

import pandas as pd
import pytest

from campaign.accounts import trail
from campaign.infra import settings
from campaign.infra.errors import AccessDenied, InvalidValue, NotFound, RowsRejected
from campaign.org import access
from campaign.supervision import letters, rules
from campaign.supervision import settings as supervision_settings
from campaign.supervision import spot_checks as supervision
from tests.helpers import ADMIN, count, load, small_county

LEADER = access.Actor("leader", access.LEADER)


@pytest.fixture
def county(db):
    small_county(db)
    return db


def ids(db) -> dict[str, int]:
    return {code: uid for uid, code in db.execute("SELECT id, code FROM units")}


def people(db) -> dict[str, int]:
    return {name: sid for sid, name in db.execute("SELECT id, name FROM staff")}


@pytest.fixture
def checked(county):
    """Round 1 (2026-11-25): 甲镇 1 of 2 compliant, 县二局 2 of 2, 乙镇 0 of 1. Round 2 (2026-11-27): 甲镇 1 of 1."""
    u, p = ids(county), people(county)
    first = supervision.add_round(county, ADMIN, "第一轮督导", "2026-11-25")
    second = supervision.add_round(county, ADMIN, "第二轮督导", "2026-11-27")
    supervision.record_check(county, ADMIN, first, u["T1"], "2026-11-25", "督导组甲",
                             [(p["张一"], True, True), (p["张二"], True, False)])
    supervision.record_check(county, ADMIN, first, u["D2"], "2026-11-26", "督导组乙",
                             [(p["赵一"], True, True), (p["赵二"], True, True)])
    supervision.record_check(county, ADMIN, first, u["T2"], "2026-11-26", "督导组乙", [(p["李一"], False, False)])
    supervision.record_check(county, ADMIN, second, u["T1"], "2026-11-27", "督导组甲", [(p["张二"], True, True)])
    return county


# ---- pure rules --------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("是", True), ("否", False), ("yes", True), ("No", False), ("1", True), ("0", False), ("√", True), ("×", False),
    ("已安装", True), ("未注册", False), (" Y ", True), ("", None), ("也许", None), ("2", None),
])
def test_yes_no_answers(text, expected):
    assert rules.parse_flag(text) is expected if expected is None else rules.parse_flag(text) == expected


@pytest.mark.parametrize("text, expected", [("90%", 0.9), ("0.9", 0.9), ("90", 0.9), ("87.5%", 0.875), ("100%", 1.0),
                                            ("１００％", 1.0), (1, 1.0)])
def test_pass_mark_parses(text, expected):
    assert supervision_settings.parse_min_rate(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["0", "0%", "-5%", "150%", "abc", "", "nan"])
def test_bad_pass_marks_are_refused(text):
    with pytest.raises(InvalidValue):
        supervision_settings.parse_min_rate(text)


@pytest.mark.parametrize("answers, min_rate, expected", [
    # (installed, registered) per person -> checked, installed, registered, compliant, rate, flagged
    ([(1, 1)] * 9 + [(1, 0)], 0.9, (10, 10, 9, 9, 0.9, False)),  # exactly at the mark passes
    ([(1, 1)] * 8 + [(1, 0), (0, 0)], 0.9, (10, 9, 8, 8, 0.8, True)),
    ([(1, 1), (1, 0)], 0.5, (2, 2, 1, 1, 0.5, False)),
    ([(1, 1), (1, 0)], 0.51, (2, 2, 1, 1, 0.5, True)),
    ([(0, 0)] * 3, 0.1, (3, 0, 0, 0, 0.0, True)),
    ([(1, 1)] * 7, 1.0, (7, 7, 7, 7, 1.0, False)),
])
def test_compliance_rate_and_flag(answers, min_rate, expected):
    items = pd.DataFrame([("U", i, r) for i, r in answers], columns=["unit", "installed", "registered"])
    row = rules.compliance(items, ["unit"], min_rate).iloc[0]
    assert tuple(row[["checked", "installed", "registered", "compliant"]]) == expected[:4]
    assert row["rate"] == pytest.approx(expected[4]) and bool(row["flagged"]) is expected[5]


# ---- rounds and spot checks --------------------------------------------------------------

def test_compliance_per_unit_and_round(checked):
    table = supervision.compliance(checked)
    assert table[["round", "code", "checked", "installed", "registered", "compliant", "rate", "flagged"]].values.tolist() == [
        ["第二轮督导", "T1", 1, 1, 1, 1, 1.0, False],
        ["第一轮督导", "T2", 1, 0, 0, 0, 0.0, True],
        ["第一轮督导", "T1", 2, 2, 1, 1, 0.5, True],
        ["第一轮督导", "D2", 2, 2, 2, 2, 1.0, False],
    ]
    rounds = supervision.list_rounds(checked)
    assert rounds[["round", "units", "checked", "installed", "registered", "compliant"]].values.tolist() == [
        ["第二轮督导", 1, 1, 1, 1, 1], ["第一轮督导", 3, 5, 4, 3, 3]]
    assert rounds["rate"].tolist() == [1.0, pytest.approx(0.6)]
    assert supervision.flagged(checked)["code"].tolist() == ["T2", "T1"]


def test_the_pass_mark_is_a_setting(checked):
    settings.update(checked, ADMIN, {"spot_check_min_rate": "50%"})
    assert supervision.flagged(checked)["code"].tolist() == ["T2"]
    settings.update(checked, ADMIN, {"spot_check_min_rate": "100%"})
    assert supervision.flagged(checked)["code"].tolist() == ["T2", "T1"]


def test_a_check_stores_yes_no_only_and_is_audited(checked):
    columns = [row[1] for row in checked.execute("PRAGMA table_info(spot_check_items)")]
    # issue 20 adds "not found" and a short note (no phone or ID number: tests/test_samples.py)
    assert columns == ["check_id", "round_id", "staff_id", "installed", "registered", "not_found", "note"]
    rows = trail.list_audit(checked, entity="spot_check")
    assert len(rows) == 4 and set(rows["actor"]) == {"admin"}


@pytest.mark.parametrize("items, code", [
    (lambda p: [(p["李一"], True, True)], "sup.row.not_unit_staff"),  # 李一 works in 乙镇, not 甲镇
    (lambda p: [(p["李二"], True, True)], "sup.row.not_unit_staff"),  # inactive
    (lambda p: [(p["张一"], True, True), (p["张一"], True, True)], "sup.row.twice"),
    (lambda p: [(p["张一"], False, True)], "sup.row.registered_not_installed"),
    (lambda p: [(p["张二"], True, True)], "sup.row.checked_in_round"),  # already checked in round 2
])
def test_bad_checks_are_refused_whole(checked, items, code):
    second = int(supervision.list_rounds(checked)["round_id"].iloc[0])
    before = count(checked, "spot_check_items")
    with pytest.raises(RowsRejected) as caught:
        supervision.record_check(checked, ADMIN, second, ids(checked)["T1"], "2026-11-28", "督导组", items(people(checked)))
    assert code in {e.code for e in caught.value.errors}
    assert count(checked, "spot_check_items") == before


@pytest.mark.parametrize("call, error", [
    (lambda db, r, u: supervision.record_check(db, ADMIN, r, u, "2026-11-29", "组", [(1, True, True)]), InvalidValue),
    (lambda db, r, u: supervision.record_check(db, ADMIN, r, u, "2026-11-28", " ", [(1, True, True)]), InvalidValue),
    (lambda db, r, u: supervision.record_check(db, ADMIN, r, u, "2026-11-28", "组", []), InvalidValue),
    (lambda db, r, u: supervision.record_check(db, ADMIN, 999, u, "2026-11-28", "组", [(1, True, True)]), NotFound),
    (lambda db, r, u: supervision.add_round(db, ADMIN, "第一轮督导", "2026-11-28"), InvalidValue),
    (lambda db, r, u: supervision.add_round(db, ADMIN, "", "2026-11-28"), InvalidValue),
])
def test_bad_rounds_and_checks(checked, call, error):
    with pytest.raises(error):
        call(checked, int(supervision.list_rounds(checked)["round_id"].iloc[0]), ids(checked)["T1"])


def test_delete_a_check(checked):
    check_id = int(supervision.list_checks(checked)["check_id"].iloc[0])
    supervision.delete_check(checked, ADMIN, check_id)
    assert supervision.compliance(checked)["round"].tolist() == ["第一轮督导"] * 3
    assert trail.list_audit(checked, entity="spot_check", action="delete")["entity_id"].tolist() == [str(check_id)]


@pytest.mark.parametrize("role", [access.LEADER, access.COORDINATOR, access.GRID_WORKER])
def test_only_administrators_write(checked, role):
    actor = access.Actor("someone", role, frozenset(ids(checked).values()))
    u, p = ids(checked), people(checked)
    first = int(supervision.list_rounds(checked)["round_id"].iloc[-1])
    calls = [
        lambda: supervision.add_round(checked, actor, "第三轮", "2026-11-28"),
        lambda: supervision.record_check(checked, actor, first, u["D1"], "2026-11-28", "组", [(p["王一"], True, True)]),
        lambda: supervision.delete_check(checked, actor, 1),
        lambda: letters.sign(checked, actor, u["T1"], "2026-11-28", "某某"),
        lambda: letters.unsign(checked, actor, u["T1"]),
    ]
    for call in calls:
        with pytest.raises(AccessDenied):
            call()
    assert count(checked, "spot_checks") == 4 and count(checked, "responsibility_letters") == 0


def test_check_items_show_names_to_who_may_see_the_unit(checked):
    check_id = int(supervision.list_checks(checked).query("code == 'T1' and round == '第一轮督导'")["check_id"].iloc[0])
    assert supervision.check_items(checked, LEADER, check_id).values.tolist() == [["张一", True, True], ["张二", True, False]]
    outsider = access.Actor("c", access.COORDINATOR, frozenset({ids(checked)["T2"]}))
    with pytest.raises(AccessDenied):
        supervision.check_items(checked, outsider, check_id)


# ---- the spot-check sheet import ---------------------------------------------------------

SHEET = """
督导轮次,抽查日期,检查人,单位,姓名,手机号,是否安装,是否注册
第三轮督导,2026-11-27,督导组甲,甲镇,张一,,是,是
第三轮督导,2026-11-27,督导组甲,甲镇,张二,13800000002,是,否
第三轮督导,2026-11-28,督导组乙,县三局,钱一,,否,否
第四轮督导,2026-11-28,督导组乙,县一局,王一,,√,√
"""


def test_import_a_spot_check_sheet(county):
    result = load(county, "spot_checks", SHEET)
    assert result.counts == {"new": 4, "checks": 3, "rounds": 2}
    rounds = supervision.list_rounds(county)
    assert rounds[["round", "day", "units", "checked", "compliant"]].values.tolist() == [
        ["第四轮督导", "2026-11-28", 1, 1, 1], ["第三轮督导", "2026-11-27", 2, 3, 1]]
    assert supervision.flagged(county)["code"].tolist() == ["D3", "T1"]


@pytest.mark.parametrize("line, column, code", [
    ("第三轮督导,2026-11-27,组,丙镇,张一,,是,是", "unit", "row.unknown_unit"),
    ("第三轮督导,2026-11-27,组,甲镇,张三,,是,是", "name", "row.unknown_person"),
    ("第三轮督导,2026-11-27,组,乙镇,李二,,是,是", "name", "row.inactive_person"),
    ("第三轮督导,2026-11-27,组,县二局,赵一,,也许,是", "app_installed", "row.bad_flag"),
    ("第三轮督导,2026-11-27,组,县二局,赵一,,否,是", "app_registered", "sup.row.registered_not_installed"),
    ("第三轮督导,2026-11-29,组,县二局,赵一,,是,是", "date", "row.future_date"),
    ("第三轮督导,11月27日,组,县二局,赵一,,是,是", "date", "row.bad_date"),
    (",2026-11-27,组,县二局,赵一,,是,是", "check_round", "row.missing"),
    ("第三轮督导,2026-11-27,,县二局,赵一,,是,是", "checker", "row.missing"),
])
def test_bad_sheet_rows_are_listed_and_nothing_is_written(county, line, column, code):
    text = SHEET.strip() + "\n" + line
    with pytest.raises(RowsRejected) as caught:
        load(county, "spot_checks", text)
    assert [(e.row, e.column, e.code) for e in caught.value.errors] == [(6, column, code)]
    assert count(county, "spot_checks") == count(county, "supervision_rounds") == 0


def test_a_person_checked_twice_in_a_round_is_refused(checked):
    text = "督导轮次,抽查日期,检查人,单位,姓名,是否安装,是否注册\n第二轮督导,2026-11-28,组,甲镇,张二,是,是"
    with pytest.raises(RowsRejected) as caught:
        load(checked, "spot_checks", text)
    assert [e.code for e in caught.value.errors] == ["sup.row.checked_in_round"]


# ---- responsibility letters --------------------------------------------------------------

def test_responsibility_letters_signed_and_not(county):
    u = ids(county)
    letters.sign(county, ADMIN, u["T1"], "2026-11-21", "甲镇镇长")
    result = load(county, "responsibility_letters", "单位,签订日期,签订人\n县一局,2026/11/22,王局长\nD2,2026年11月23日,赵局长")
    assert result.counts == {"new": 2, "updated": 0, "unchanged": 0}
    table = letters.responsibility(county)
    assert table[["code", "signed", "signed_on", "signed_by"]].fillna("").values.tolist() == [
        ["T2", False, "", ""], ["D3", False, "", ""],
        ["T1", True, "2026-11-21", "甲镇镇长"], ["D1", True, "2026-11-22", "王局长"], ["D2", True, "2026-11-23", "赵局长"]]
    assert letters.unsigned(county)["unit"].tolist() == ["乙镇", "县三局"]
    letters.sign(county, ADMIN, u["T1"], "2026-11-24", "甲镇书记")  # a correction
    letters.unsign(county, ADMIN, u["D1"])
    assert letters.unsigned(county)["code"].tolist() == ["T2", "D1", "D3"]
    changes = trail.list_audit(county, entity="responsibility_letter")
    assert changes["action"].tolist() == ["delete", "update", "create", "create", "create"]


@pytest.mark.parametrize("call, error", [
    (lambda db, u: letters.sign(db, ADMIN, u, "2026-11-29", "某"), InvalidValue),
    (lambda db, u: letters.sign(db, ADMIN, u, "2026-11-20", " "), InvalidValue),
    (lambda db, u: letters.sign(db, ADMIN, 9999, "2026-11-20", "某"), NotFound),
    (lambda db, u: letters.unsign(db, ADMIN, u), NotFound),
])
def test_bad_signatures(county, call, error):
    with pytest.raises(error):
        call(county, ids(county)["T1"])
    assert count(county, "responsibility_letters") == 0


def test_bad_signature_sheet_writes_nothing(county):
    with pytest.raises(RowsRejected) as caught:
        load(county, "responsibility_letters", "单位,签订日期,签订人\n甲镇,2026-11-21,某\n丙镇,2026-11-21,某\n乙镇,,某\n县一局,2026-11-21,")
    assert [(e.row, e.column, e.code) for e in caught.value.errors] == [
        (3, "unit", "row.unknown_unit"), (4, "signed_on", "row.bad_date"), (5, "signed_by", "row.missing")]
    assert count(county, "responsibility_letters") == 0


# ---- the demo county ---------------------------------------------------------------------

def test_demo_has_rounds_signatures_and_letters(demo_db):
    rounds = supervision.list_rounds(demo_db)
    assert rounds["round"].tolist() == ["第三轮督导", "第二轮督导", "第一轮督导"]
    assert rounds["units"].tolist() == [8, 8, 8]
    assert len(supervision.flagged(demo_db)) > 0
    assert len(letters.unsigned(demo_db)) == 9 and len(letters.responsibility(demo_db)) == 119
    assert letters.summary(demo_db) == {"drafts": 0, "sent": 7, "replied": 6, "overdue": 1, "awaiting": 0}
    table = letters.list_letters(demo_db)
    assert sorted(table["source"].value_counts().items()) == [("laggard", 3), ("manual", 1), ("spot_check", 3)]
    assert table["attachment"].notna().sum() == 6


# ---- every role against every supervision write: allowed, or refused with nothing changed ----

def _matrix_setup(db):
    u, p = ids(db), people(db)
    first = supervision.add_round(db, ADMIN, "第一轮督导", "2026-11-25")
    check = supervision.record_check(db, ADMIN, first, u["T1"], "2026-11-25", "组", [(p["张一"], True, True)])
    letters.sign(db, ADMIN, u["T2"], "2026-11-21", "乙镇镇长")
    text = [{"code": "letter.problem.text", "params": {"text": "问题"}}]
    sent = letters.create_reminder(db, ADMIN, u["D1"], "manual", text, issued_on="2026-11-20")
    letters.mark_sent(db, ADMIN, sent, "2026-11-20")
    draft = letters.create_reminder(db, ADMIN, u["D2"], "manual", text, issued_on="2026-11-27")
    return {"u": u, "p": p, "round": first, "check": check, "sent": sent, "draft": draft}


SUPERVISION_WRITES = {
    "supervision.add_round": lambda db, a, c: supervision.add_round(db, a, "第二轮督导", "2026-11-28"),
    "supervision.record_check": lambda db, a, c: supervision.record_check(
        db, a, c["round"], c["u"]["D3"], "2026-11-28", "组", [(c["p"]["钱一"], True, False)]),
    "supervision.delete_check": lambda db, a, c: supervision.delete_check(db, a, c["check"]),
    "letters.sign": lambda db, a, c: letters.sign(db, a, c["u"]["T1"], "2026-11-22", "甲镇镇长"),
    "letters.unsign": lambda db, a, c: letters.unsign(db, a, c["u"]["T2"]),
    "letters.create_reminder": lambda db, a, c: letters.create_reminder(
        db, a, c["u"]["T1"], "manual", [{"code": "letter.problem.text", "params": {"text": "问题"}}]),
    "letters.mark_sent": lambda db, a, c: letters.mark_sent(db, a, c["draft"], "2026-11-28"),
    "letters.record_reply": lambda db, a, c: letters.record_reply(db, a, c["sent"], "2026-11-28", "已整改"),
}


@pytest.mark.parametrize("role", [access.ADMIN, access.LEADER, access.COORDINATOR, access.GRID_WORKER])
@pytest.mark.parametrize("name", list(SUPERVISION_WRITES))
def test_role_against_supervision_write(county, name, role):
    from tests.test_access_matrix import fingerprint

    made = _matrix_setup(county)
    actor = access.Actor("someone", role, frozenset(ids(county).values()) if role in access.SCOPED else frozenset())
    before = fingerprint(county)
    if role == access.ADMIN:
        SUPERVISION_WRITES[name](county, actor, made)
        assert fingerprint(county) != before
    else:
        with pytest.raises(AccessDenied):
            SUPERVISION_WRITES[name](county, actor, made)
        assert fingerprint(county) == before
