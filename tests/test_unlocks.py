"""Unlock requests (issue 20): a coordinator asks for a locked day, an administrator approves for a set time or
refuses with a reason; the window opens that unit's day (and the units' below it) to the requester only, and
closes by itself. Every step is audited."""

import datetime as dt
import json

import pytest

from campaign import features
from campaign.infra import clock
from campaign.infra.clock import TZ
from campaign.infra.errors import AccessDenied, CampaignError, DayLocked, InvalidValue, RowsRejected
from campaign.installs import entries as installs
from campaign.installs import rankings, unlocks
from campaign.org import access
from tests.helpers import ADMIN, count, load, run, small_county

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=TZ)
LOCKED = "2026-11-26"  # past the 12:00 cut-off of the 27th


@pytest.fixture
def county(db):
    small_county(db)
    ids = {code: uid for uid, code in db.execute("SELECT id, code FROM units")}
    people = {name: sid for sid, name in db.execute("SELECT id, name FROM staff")}
    coord = access.Actor("coord", access.COORDINATOR, frozenset({ids["T1"]}))
    return db, ids, people, coord


def trail(db):
    return [(action, json.loads(new or "null")) for action, new in
            db.execute("SELECT action, new FROM audit WHERE entity = 'install_unlock' ORDER BY id")]


def test_ask_approve_correct_and_the_window_closes_by_itself(county):
    db, ids, people, coord = county
    installs.save_entries(db, ADMIN, ids["T1"], LOCKED, {people["张一"]: 2}, now=NOW)
    with pytest.raises(DayLocked):
        installs.save_entries(db, coord, ids["T1"], LOCKED, {people["张一"]: 7}, now=NOW)
    request = unlocks.request(db, coord, ids["T1"], LOCKED, "  张一的数字录错了，应为 7 ", now=NOW)
    assert unlocks.mine(db, coord)[["id", "day", "reason", "state"]].values.tolist() == [
        [request, LOCKED, "张一的数字录错了，应为 7", "open"]]
    assert unlocks.approve(db, ADMIN, request, now=NOW) == "2026-11-28T11:00:00+08:00"  # the setting: 2 hours
    at = NOW + dt.timedelta(minutes=30)
    assert installs.day_state({"start_date": "2026-11-20", "entry_cutoff": "12:00"}, coord, dt.date(2026, 11, 26), at) == "locked"
    assert installs.unlocked_units(db, coord, at) == {LOCKED: {ids["T1"]}}
    before = int(rankings.unit_ranking(db, "2026-11-28").set_index("code").loc["T1", "installs"])
    assert installs.save_entries(db, coord, ids["T1"], LOCKED, {people["张一"]: 7}, now=at) == {
        "new": 0, "corrected": 1, "unchanged": 0}
    assert int(rankings.unit_ranking(db, "2026-11-28").set_index("code").loc["T1", "installs"]) == before + 5
    # the requester only, that unit only, and only until the window closes
    other = access.Actor("coord_b", access.COORDINATOR, frozenset({ids["T1"]}))
    with pytest.raises(DayLocked):
        installs.save_entries(db, other, ids["T1"], LOCKED, {people["张一"]: 8}, now=at)
    with pytest.raises(DayLocked):
        installs.save_entries(db, coord, ids["T1"], "2026-11-25", {people["张一"]: 8}, now=at)
    with pytest.raises(DayLocked):
        installs.save_entries(db, coord, ids["T1"], LOCKED, {people["张一"]: 8}, now=NOW + dt.timedelta(hours=2))
    assert unlocks.mine(db, coord, now=NOW + dt.timedelta(hours=2))["state"].tolist() == ["expired"]
    assert [a for a, _ in trail(db)] == ["request", "approve"]
    assert trail(db)[1][1]["until"] == "2026-11-28T11:00:00+08:00"


def test_refused_with_a_reason_and_answered_once(county):
    db, ids, _, coord = county
    request = unlocks.request(db, coord, ids["T1"], LOCKED, "补录", now=NOW)
    with pytest.raises(InvalidValue) as caught:
        unlocks.refuse(db, ADMIN, request, "  ", now=NOW)
    assert caught.value.code == "unlock.no_refusal_reason"
    unlocks.refuse(db, ADMIN, request, "请先核实数据来源", now=NOW)
    assert unlocks.mine(db, coord)[["state", "answer", "decided_by"]].values.tolist() == [["refused", "请先核实数据来源", "admin"]]
    for answer in (lambda: unlocks.approve(db, ADMIN, request, now=NOW), lambda: unlocks.refuse(db, ADMIN, request, "x", now=NOW)):
        with pytest.raises(InvalidValue) as caught:
            answer()
        assert caught.value.code == "unlock.decided"
    assert [a for a, _ in trail(db)] == ["request", "refuse"]
    again = unlocks.request(db, coord, ids["T1"], LOCKED, "已核实，张一实际 7 个", now=NOW)  # a refused request can be asked anew
    assert unlocks.list_requests(db, now=NOW)["id"].tolist() == [again, request]  # open first


def test_close_before_time(county):
    db, ids, people, coord = county
    request = unlocks.request(db, coord, ids["T1"], LOCKED, "补录", now=NOW)
    unlocks.approve(db, ADMIN, request, hours=5, note="改完请告知", now=NOW)
    unlocks.close(db, ADMIN, request, now=NOW + dt.timedelta(hours=1))
    with pytest.raises(DayLocked):
        installs.save_entries(db, coord, ids["T1"], LOCKED, {people["张一"]: 1}, now=NOW + dt.timedelta(hours=1, minutes=1))
    with pytest.raises(InvalidValue):
        unlocks.close(db, ADMIN, request, now=NOW + dt.timedelta(hours=2))
    assert [a for a, _ in trail(db)] == ["request", "approve", "close"]


@pytest.mark.parametrize("day, reason, code", [
    ("2026-11-28", "补录", "unlock.not_locked"),  # today is open
    ("2026-11-27", "补录", "unlock.not_locked"),  # yesterday before 12:00
    ("2026-11-29", "补录", "error.day_future"),
    ("2026-11-19", "补录", "error.day_before_start"),
    (LOCKED, "   ", "unlock.no_reason"),
    (LOCKED, "长" * 301, "unlock.too_long"),
])
def test_bad_requests_are_refused_and_write_nothing(county, day, reason, code):
    db, ids, _, coord = county
    with pytest.raises(InvalidValue) as caught:
        unlocks.request(db, coord, ids["T1"], day, reason, now=NOW)
    assert caught.value.code == code
    assert count(db, "install_unlocks") == 0


def test_a_second_request_while_one_waits_or_a_window_is_open(county):
    db, ids, _, coord = county
    request = unlocks.request(db, coord, ids["T1"], LOCKED, "补录", now=NOW)
    with pytest.raises(InvalidValue) as caught:
        unlocks.request(db, coord, ids["T1"], LOCKED, "再次申请", now=NOW)
    assert caught.value.code == "unlock.pending"
    unlocks.approve(db, ADMIN, request, now=NOW)
    with pytest.raises(InvalidValue) as caught:
        unlocks.request(db, coord, ids["T1"], LOCKED, "再次申请", now=NOW)
    assert caught.value.code == "unlock.already_open"


ROLES = {"admin": ADMIN, "leader": access.Actor("l", access.LEADER), "coordinator": None,
         "coordinator_elsewhere": "T2", "grid_worker": "grid"}


@pytest.mark.parametrize("role", list(ROLES))
def test_who_may_ask_and_who_may_answer(county, role):
    db, ids, _, coord = county
    actor = {"coordinator": coord, "coordinator_elsewhere": access.Actor("c2", access.COORDINATOR, frozenset({ids["T2"]})),
             "grid_worker": access.Actor("g", access.GRID_WORKER, frozenset({ids["T1"]}))}.get(role, ROLES[role])
    before = db.conn.total_changes
    if role in ("coordinator", "grid_worker"):
        unlocks.request(db, actor, ids["T1"], LOCKED, "补录", now=NOW)
        assert db.conn.total_changes > before
    else:
        with pytest.raises(AccessDenied):
            unlocks.request(db, actor, ids["T1"], LOCKED, "补录", now=NOW)
        assert db.conn.total_changes == before
    request = unlocks.request(db, coord, ids["T1"], "2026-11-25", "补录", now=NOW)
    for answer in (lambda: unlocks.approve(db, actor, request, now=NOW), lambda: unlocks.refuse(db, actor, request, "否", now=NOW)):
        before = db.conn.total_changes
        if role == "admin":
            continue
        with pytest.raises(AccessDenied):
            answer()
        assert db.conn.total_changes == before
    if role == "admin":
        unlocks.approve(db, actor, request, now=NOW)
        before = db.conn.total_changes
        unlocks.close(db, actor, request, now=NOW)
        assert db.conn.total_changes > before


def test_an_import_honours_the_window_unit_by_unit(county, monkeypatch):
    db, ids, _, _ = county
    both = access.Actor("coord", access.COORDINATOR, frozenset({ids["T1"], ids["T2"]}))
    request = unlocks.request(db, both, ids["T1"], LOCKED, "补录一批", now=clock.now())
    unlocks.approve(db, ADMIN, request)
    text = "单位,姓名,日期,安装数\n甲镇,张一,2026-11-26,4\n乙镇,李一,2026-11-26,5\n甲镇,张二,2026-11-25,1"
    with pytest.raises(RowsRejected) as caught:
        load(db, "installs", text, actor=both)
    assert [(e.row, e.column, e.code) for e in caught.value.errors] == [(3, "date", "row.day_locked"), (4, "date", "row.day_locked")]
    assert load(db, "installs", "单位,姓名,日期,安装数\n甲镇,张一,2026-11-26,4", actor=both).counts["new"] == 1


def test_outreach_entry_honours_the_window(demo_db):
    from campaign.accounts import users
    from campaign.outreach import entries as outreach

    coord = users.get_actor(demo_db, "coord_cx")
    grid = demo_db.execute("SELECT id FROM units WHERE code = 'G01-001'").fetchone()[0]
    values = {"reached": 5, "flyers": 9, "installs": 2}
    with pytest.raises(DayLocked):
        outreach.save_entry(demo_db, coord, grid, LOCKED, values, now=NOW)
    township = demo_db.execute("SELECT id FROM units WHERE code = 'T01'").fetchone()[0]
    unlocks.approve(demo_db, ADMIN, unlocks.request(demo_db, coord, township, LOCKED, "网格数据漏报", now=NOW), now=NOW)
    outreach.save_entry(demo_db, coord, grid, LOCKED, values, now=NOW)  # the township's window covers its grids
    assert {k: v for k, v in outreach.current_entry(demo_db, grid, LOCKED).items() if v is not None} == values


def test_the_command_line_lists_and_answers(county, tmp_path):
    db, ids, _, coord = county
    path = db.execute("PRAGMA database_list").fetchone()[2]
    first = unlocks.request(db, coord, ids["T1"], LOCKED, "补录", now=NOW)
    second = unlocks.request(db, coord, ids["T1"], "2026-11-25", "补录", now=NOW)
    listed = json.loads(run(path, "unlock", "list", "--format", "json").stdout)
    assert [(r["id"], r["state"], r["reason"]) for r in listed] == [(first, "open", "补录"), (second, "open", "补录")]
    approved = run(path, "unlock", "approve", first, "--hours", "3")
    assert approved.returncode == 0 and approved.stdout.startswith("open until 2026-11-28T")
    assert run(path, "unlock", "refuse", second, "--reason", "请先核实").stdout.strip() == "refused"
    again = run(path, "unlock", "refuse", second, "--reason", "再")
    assert again.returncode == 1 and "answered" in again.stderr
    conn = features.connect(path)
    assert unlocks.list_requests(conn)["state"].tolist() == ["active", "refused"]
    with pytest.raises(CampaignError):
        unlocks.approve(conn, ADMIN, 999)
