"""Sampled spot checks (issue 20): a random sample of a unit drawn from a recorded seed (the same seed draws the
same people), results per person (installed, registered, not found, a short note), the people who failed drawn
again next round, and the round's report with what followed."""

import io
import json

import pytest
from pypdf import PdfReader

from campaign.infra import settings
from campaign.infra.errors import AccessDenied, InvalidValue, RowsRejected
from campaign.org import access
from campaign.supervision import letters, round_report, samples
from campaign.supervision import spot_checks as supervision
from campaign.supervision.settings import parse_sample_size
from tests.helpers import ADMIN, count, load, run, small_county

LEADER = access.Actor("leader", access.LEADER)
# 甲镇 gets ten people more (twelve in all, ids in file order)
MORE = "unit,name\n" + "\n".join(f"甲镇,甲{i:02d}" for i in range(1, 11))


@pytest.fixture
def county(db):
    small_county(db)
    load(db, "staff", MORE)
    ids = {code: uid for uid, code in db.execute("SELECT id, code FROM units")}
    people = {name: sid for sid, name in db.execute("SELECT id, name FROM staff")}
    return db, ids, people


def t1_pool(db, ids):
    return [sid for (sid,) in db.execute("SELECT id FROM staff WHERE unit_id = ? AND active = 1 ORDER BY id", [ids["T1"]])]


@pytest.mark.parametrize("setting, pool, size", [("10", 50, 10), ("10", 4, 4), ("20%", 12, 3), ("1%", 5, 1), ("100%", 7, 7),
                                                 ("12.5%", 8, 1), ("3", 0, 0)])
def test_size_for(setting, pool, size):
    assert samples.size_for(setting, pool) == size


@pytest.mark.parametrize("text, kept", [("10", "10"), (" 20% ", "20%"), ("１５％", "15%"), ("12.50%", "12.5%"), (7, "7")])
def test_the_sample_setting(text, kept):
    assert parse_sample_size(text) == kept


@pytest.mark.parametrize("text", ["0", "1001", "2.5", "0%", "101%", "abc", "inf", "nan%", ""])
def test_a_bad_sample_setting(text):
    with pytest.raises(InvalidValue):
        parse_sample_size(text)


def test_the_same_seed_draws_the_same_people():
    pool = list(range(10, 0, -1))  # in any order: drawn from the ids sorted
    assert samples.draw(pool, 3, 7) == [6, 3, 7] == samples.draw(sorted(pool), 3, 7)
    assert samples.draw(pool, 3, 8) == [4, 6, 7]
    assert samples.draw(pool, 30, 7) == samples.draw(pool, 10, 7) and sorted(samples.draw(pool, 30, 7)) == sorted(pool)


def test_a_recorded_sample_is_drawn_again_from_its_seed(county):
    db, ids, _ = county
    first = supervision.add_round(db, ADMIN, "第一轮", "2026-11-25")
    sample_id = samples.draw_sample(db, ADMIN, first, ids["T1"], size="25%", seed=20261128)
    sample = samples.get_sample(db, sample_id)
    assert (sample["seed"], sample["size"], sample["pool"], sample["check_id"]) == ("20261128", 3, 12, None)
    drawn = samples.sample_people(db, ADMIN, sample_id)
    again = samples.preview(db, ids["T1"], size="25%", seed=20261128)
    assert drawn["staff_id"].tolist() == [p["staff_id"] for p in again["people"]] == samples.draw(t1_pool(db, ids), 3, 20261128)
    assert drawn["recheck"].tolist() == [False] * 3 and drawn["outcome"].isna().all()
    audit = json.loads(db.execute("SELECT new FROM audit WHERE entity = 'spot_check_sample'").fetchone()[0])
    assert audit == {"round": first, "seed": 20261128, "size": 3, "setting": "25%", "pool": 12, "rechecks": 0}
    with pytest.raises(InvalidValue) as caught:
        samples.draw_sample(db, ADMIN, first, ids["T1"], seed=1)
    assert caught.value.code == "sample.exists"


def test_a_new_seed_when_none_is_given(county, monkeypatch):
    db, ids, _ = county
    monkeypatch.setattr(samples.secrets, "randbelow", lambda n: 424242)
    assert samples.preview(db, ids["T1"], size=2)["seed"] == 424242
    settings.update(db, ADMIN, {"spot_check_sample": "5"})
    assert samples.preview(db, ids["T1"])["size"] == 5  # the setting


def results_for(db, sample_id, failing=(), not_found=(), notes=None):
    people = samples.sample_people(db, ADMIN, sample_id)["staff_id"].tolist()
    return {sid: (sid not in not_found, sid not in failing and sid not in not_found, sid in not_found, (notes or {}).get(sid, ""))
            for sid in people}


def test_results_the_rate_and_rechecks_next_round(county):
    db, ids, _ = county
    first = supervision.add_round(db, ADMIN, "第一轮", "2026-11-25")
    sample_id = samples.draw_sample(db, ADMIN, first, ids["T1"], size=4, seed=3)
    a, b, c, d = samples.sample_people(db, ADMIN, sample_id)["staff_id"].tolist()
    check = samples.record_results(db, ADMIN, sample_id, "2026-11-25", "督导组", results_for(
        db, sample_id, failing={a}, not_found={b}, notes={a: "已安装未注册", c: "手机不在身边，次日补查"}))
    row = supervision.compliance(db, first).iloc[0]
    assert (row["checked"], row["installed"], row["registered"], row["compliant"], row["rate"], bool(row["flagged"])) == (
        4, 3, 2, 2, 0.5, True)  # the person not found counts as failed
    assert samples.sample_people(db, ADMIN, sample_id)["outcome"].tolist() == ["installed", "not_found", "compliant", "compliant"]
    assert samples.get_sample(db, sample_id)["check_id"] == check
    # next round: a fresh random draw, and the two who failed drawn again on top
    second = supervision.add_round(db, ADMIN, "第二轮", "2026-11-27")
    next_id = samples.draw_sample(db, ADMIN, second, ids["T1"], size=2, seed=99)
    people = samples.sample_people(db, ADMIN, next_id)
    random_part = samples.draw(t1_pool(db, ids), 2, 99)
    assert people["staff_id"].tolist() == random_part + sorted({a, b} - set(random_part))
    assert people["recheck"].tolist() == [False, False] + [True] * len({a, b} - set(random_part))
    assert samples.failed_before(db, second, t1_pool(db, ids)) == sorted([a, b])
    samples.record_results(db, ADMIN, next_id, "2026-11-27", "督导组", results_for(db, next_id))
    assert samples.failed_before(db, supervision.add_round(db, ADMIN, "第三轮", "2026-11-28"), t1_pool(db, ids)) == []


@pytest.mark.parametrize("change, code", [
    (lambda r, p: r.pop(p[0]), "sample.row.no_result"),
    (lambda r, p: r.update({999: (True, True, False, "")}), "sample.row.not_in_sample"),
    (lambda r, p: r.update({p[0]: (False, True, False, "")}), "sup.row.registered_not_installed"),
    (lambda r, p: r.update({p[0]: (True, False, True, "")}), "sample.row.not_found_but_ticked"),
    (lambda r, p: r.update({p[0]: (True, True, False, "已打电话 13800000001")}), "sample.row.note_personal"),
    (lambda r, p: r.update({p[0]: (True, True, False, "身份证 36073219900101123X")}), "sample.row.note_personal"),
    (lambda r, p: r.update({p[0]: (True, True, False, "长" * 101)}), "sample.row.note_too_long"),
])
def test_bad_results_are_refused_whole(county, change, code):
    db, ids, _ = county
    first = supervision.add_round(db, ADMIN, "第一轮", "2026-11-25")
    sample_id = samples.draw_sample(db, ADMIN, first, ids["T1"], size=3, seed=1)
    results = results_for(db, sample_id)
    change(results, list(results))
    with pytest.raises(RowsRejected) as caught:
        samples.record_results(db, ADMIN, sample_id, "2026-11-25", "督导组", results)
    assert [e.code for e in caught.value.errors] == [code]
    assert count(db, "spot_check_items") == 0 and samples.get_sample(db, sample_id)["check_id"] is None


def test_a_deleted_check_leaves_its_sample_awaiting_results(county):
    db, ids, _ = county
    first = supervision.add_round(db, ADMIN, "第一轮", "2026-11-25")
    sample_id = samples.draw_sample(db, ADMIN, first, ids["T1"], size=2, seed=1)
    check = samples.record_results(db, ADMIN, sample_id, "2026-11-25", "督导组", results_for(db, sample_id))
    with pytest.raises(InvalidValue):
        samples.record_results(db, ADMIN, sample_id, "2026-11-25", "督导组", results_for(db, sample_id))
    supervision.delete_check(db, ADMIN, check)
    assert samples.get_sample(db, sample_id)["check_id"] is None
    samples.record_results(db, ADMIN, sample_id, "2026-11-26", "督导组", results_for(db, sample_id))


@pytest.mark.parametrize("role", [access.LEADER, access.COORDINATOR, access.GRID_WORKER])
def test_only_administrators_draw_and_record(county, role):
    db, ids, _ = county
    actor = access.Actor("x", role, frozenset({ids["T1"]}))
    first = supervision.add_round(db, ADMIN, "第一轮", "2026-11-25")
    with pytest.raises(AccessDenied):
        samples.draw_sample(db, actor, first, ids["T1"], seed=1)
    sample_id = samples.draw_sample(db, ADMIN, first, ids["T1"], size=2, seed=1)
    before = db.conn.total_changes
    with pytest.raises(AccessDenied):
        samples.record_results(db, actor, sample_id, "2026-11-25", "督导组", results_for(db, sample_id))
    assert db.conn.total_changes == before


def test_the_round_report_with_what_followed(county):
    db, ids, people = county
    first = supervision.add_round(db, ADMIN, "第一轮", "2026-11-25")
    sample_id = samples.draw_sample(db, ADMIN, first, ids["T1"], size=4, seed=3)
    a, b, *_ = samples.sample_people(db, ADMIN, sample_id)["staff_id"].tolist()
    samples.record_results(db, ADMIN, sample_id, "2026-11-25", "督导组甲", results_for(db, sample_id, failing={a}, not_found={b},
                                                                                    notes={a: "已安装未注册"}))
    supervision.record_check(db, ADMIN, first, ids["D2"], "2026-11-25", "督导组乙",
                             [(people["赵一"], True, True), (people["赵二"], True, True)])  # picked by hand
    letter = letters.create_reminder(db, ADMIN, ids["T1"], "spot_check", letters.check_problems(db, ids["T1"], first),
                                     issued_on="2026-11-26", round_id=first)
    second = supervision.add_round(db, ADMIN, "第二轮", "2026-11-27")
    supervision.record_check(db, ADMIN, second, ids["T1"], "2026-11-27", "督导组甲", [(a, True, True)])
    with pytest.raises(AccessDenied):
        round_report.build(db, access.Actor("c", access.COORDINATOR, frozenset({ids["T1"]})), first)
    report = round_report.build(db, LEADER, first)
    assert {k: report[k] for k in ("round", "units", "checked", "compliant", "rate", "flagged", "not_found", "rechecks", "letters")} == {
        "round": "第一轮", "units": 2, "checked": 6, "compliant": 4, "rate": 4 / 6, "flagged": 1, "not_found": 1, "rechecks": 0,
        "letters": 1}
    t1, d2 = report["sections"][1], report["sections"][0]  # by code: D2, T1
    assert (t1["seed"], t1["size"], t1["pool"], t1["rate"], t1["flagged"]) == (3, 4, 12, 0.5, True)
    assert [(p["outcome"], p["note"], p["next"]) for p in t1["people"]][:2] == [
        ("installed", "已安装未注册", ("第二轮", "compliant")), ("not_found", None, None)]
    assert [x["number"] for x in t1["letters"]] == [letters.get_letter(db, letter).number]
    assert (d2["seed"], d2["rate"], d2["flagged"], d2["letters"]) == (None, 1.0, False, [])
    text = "".join(page.extract_text().replace("\x00", "") for page in PdfReader(io.BytesIO(round_report.pdf_bytes(report))).pages)
    for expected in ("第一轮抽查情况报告", "随机种子 3，从 12 人中随机抽取 4 人", "查无此人", "已安装未注册；第二轮复查：已安装并注册",
                     "人工选定人员", letters.get_letter(db, letter).number, "合格率 66.67%"):
        assert "".join(expected.split()) in "".join(text.split()), expected


def test_the_command_line_draws_a_sample(county, tmp_path):
    db, ids, _ = county
    path = db.execute("PRAGMA database_list").fetchone()[2]
    result = run(path, "spot-check", "sample", "T1", "--size", "3", "--seed", "7", "--format", "json")
    names = dict(db.execute("SELECT id, name FROM staff"))
    assert json.loads(result.stdout) == {"seed": 7, "people": [{"name": names[sid], "unit": "甲镇"}
                                                               for sid in samples.draw(t1_pool(db, ids), 3, 7)]}
    fresh = json.loads(run(path, "spot-check", "sample", "甲镇", "--size", "3", "--format", "json").stdout)
    again = json.loads(run(path, "spot-check", "sample", "T1", "--size", "3", "--seed", fresh["seed"], "--format", "json").stdout)
    assert again == fresh and isinstance(fresh["seed"], int)
    bad = run(path, "spot-check", "sample", "无此单位", "--format", "json")
    assert bad.returncode == 1 and "Unit not found" in bad.stderr
    assert run(path, "spot-check", "sample", "T1", "--size", "0").returncode == 1
    first = supervision.add_round(db, ADMIN, "第一轮", "2026-11-25")
    samples.record_results(db, ADMIN, samples.draw_sample(db, ADMIN, first, ids["T1"], size=2, seed=1), "2026-11-25", "组",
                           results_for(db, samples.get_sample(db, 1)["id"]))
    made = run(path, "spot-check", "report", first, "--out", tmp_path / "r.pdf")
    assert made.returncode == 0 and (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
