"""The 约谈 follow-up (issue 20): a unit on the laggard list stays flagged on the overview until a talk is
recorded since it joined the list; the talk is shown with the unit's figures in the days after it."""

import datetime as dt
import json

import pandas as pd
import pytest

from campaign.coverage import overview as coverage_overview
from campaign.infra import settings
from campaign.infra.errors import AccessDenied, InvalidValue
from campaign.installs import rankings
from campaign.org import access
from campaign.supervision import talks
from tests.helpers import ADMIN, count, load, run, small_county

DAY = dt.date(2026, 11, 28)
# 乙镇 leads 甲镇 on the 20th and from the 24th, trails it on the 21st to the 23rd; 县三局 never installs.
INSTALLS = """unit,name,date,installs
乙镇,李一,2026-11-20,5
甲镇,张一,2026-11-21,20
乙镇,李一,2026-11-24,10
县一局,王一,2026-11-20,10
县二局,赵一,2026-11-20,10
"""


@pytest.fixture
def county(db):
    small_county(db)
    settings.update(db, ADMIN, {"laggard_bottom": 1, "laggard_days": 2})
    load(db, "installs", INSTALLS)
    return db, {code: uid for uid, code in db.execute("SELECT id, code FROM units")}


def flagged(db, day=DAY):
    return {(i["code"], i["subject"]) for i in coverage_overview.overview(db, day)["attention"]
            if i["code"] in ("overview.attn.laggard", "overview.attn.laggard_talked")}


def test_the_day_each_laggard_joined_the_list(county):
    db, ids = county
    assert rankings.laggard_since(db, DAY) == {ids["T1"]: dt.date(2026, 11, 25), ids["D3"]: dt.date(2026, 11, 20)}
    assert set(rankings.laggards(db, DAY)["unit_id"]) == {ids["T1"], ids["D3"]}
    # on the 22nd 甲镇 led: 乙镇 trailed since the 21st, on the list from the 22nd (two days running)
    assert rankings.laggard_since(db, "2026-11-22") == {ids["T2"]: dt.date(2026, 11, 22), ids["D3"]: dt.date(2026, 11, 20)}


def test_a_talk_clears_the_flag_and_its_figures_follow(county):
    db, ids = county
    assert flagged(db) == {("overview.attn.laggard", "甲镇"), ("overview.attn.laggard", "县三局")}
    old = talks.record_talk(db, ADMIN, ids["T1"], "2026-11-20", "县反诈中心 王主任", "甲镇 分管副镇长", "每日通报")
    assert flagged(db) == {("overview.attn.laggard", "甲镇"), ("overview.attn.laggard", "县三局")}  # before it rejoined the list
    talk = talks.record_talk(db, ADMIN, ids["T1"], "2026-11-26", " 县反诈中心 王主任 ",
                             "甲镇党委书记、分管副镇长、联络员", "一、三日内召开全镇推进会\n二、每日通报进度")
    assert flagged(db) == {("overview.attn.laggard_talked", "甲镇"), ("overview.attn.laggard", "县三局")}
    item = next(i for i in coverage_overview.overview(db, DAY)["attention"] if i["code"] == "overview.attn.laggard_talked")
    assert item["params"] == {"completion": pytest.approx(1 / 3), "group": "township", "talk_on": "2026-11-26",
                              "held_by": "县反诈中心 王主任"}
    assert talks.get_talk(db, talk)["measures"] == "一、三日内召开全镇推进会\n二、每日通报进度"
    follow = talks.follow_up(db, talk, until=DAY)
    assert follow.values.tolist() == [
        ["2026-11-26", 2, 2, pytest.approx(1 / 3), 20, 0, True],
        ["2026-11-27", 2, 2, pytest.approx(1 / 3), 20, 0, True],
        ["2026-11-28", 2, 2, pytest.approx(1 / 3), 20, 0, True]]
    assert talks.list_talks(db)["id"].tolist() == [talk, old]
    talks.delete_talk(db, ADMIN, talk)  # recorded by mistake: flagged again
    assert ("overview.attn.laggard", "甲镇") in flagged(db)
    actions = db.execute("SELECT action FROM audit WHERE entity = 'laggard_talk' ORDER BY id").fetchall()
    assert actions == [("create",), ("create",), ("delete",)]


@pytest.mark.parametrize("unit, day, field, code", [
    ("T1", "2026-11-22", None, "talk.not_laggard"),  # 甲镇 led its group then
    ("T2", "2026-11-28", None, "talk.not_laggard"),
    ("T1", "2026-11-29", None, "error.day_future"),
    ("T1", "2026-11-28", "held_by", "talk.no_held_by"),
    ("T1", "2026-11-28", "attendees", "talk.no_attendees"),
    ("T1", "2026-11-28", "measures", "talk.no_measures"),
])
def test_bad_talks_write_nothing(county, unit, day, field, code):
    db, ids = county
    values = {"held_by": "王主任", "attendees": "书记", "measures": "整改"}
    if field:
        values[field] = "  "
    with pytest.raises(InvalidValue) as caught:
        talks.record_talk(db, ADMIN, ids[unit], day, **values)
    assert caught.value.code == code
    assert count(db, "laggard_talks") == 0


@pytest.mark.parametrize("role", [access.LEADER, access.COORDINATOR, access.GRID_WORKER])
def test_only_administrators_record_talks(county, role):
    db, ids = county
    with pytest.raises(AccessDenied):
        talks.record_talk(db, access.Actor("x", role, frozenset({ids["T1"]})), ids["T1"], "2026-11-28", "王", "书记", "整改")
    assert count(db, "laggard_talks") == 0


def test_the_laggard_list_with_talks(county):
    db, ids = county
    talks.record_talk(db, ADMIN, ids["D3"], "2026-11-21", "县反诈中心", "县三局局长", "本周内全员安装")
    table = talks.laggards_with_talks(db, DAY).set_index("code")
    assert table.loc["D3", ["since", "talk_on"]].tolist() == [dt.date(2026, 11, 20), "2026-11-21"]
    assert table.loc["T1", "talk_on"] is None or pd.isna(table.loc["T1", "talk_on"])


@pytest.mark.parametrize("day", ["2026-11-08", "2026-11-28"])
def test_laggard_since_follows_the_daily_lists_of_the_demo(demo_db, day):
    start = dt.date.fromisoformat(settings.get(demo_db, "start_date"))
    since = rankings.laggard_since(demo_db, day)
    assert set(since) == set(rankings.laggards(demo_db, day)["unit_id"])
    lists = {}
    for unit, first in since.items():
        for d in [first + dt.timedelta(days=k) for k in range((dt.date.fromisoformat(day) - first).days + 1)] + [first - dt.timedelta(days=1)]:
            if d not in lists:
                lists[d] = set(rankings.laggards(demo_db, d)["unit_id"])
        assert all(unit in lists[first + dt.timedelta(days=k)] for k in range((dt.date.fromisoformat(day) - first).days + 1))
        assert first == start or unit not in lists[first - dt.timedelta(days=1)]


def test_the_demo_talked_with_two_laggards(demo_db):
    table = talks.laggards_with_talks(demo_db, DAY).sort_values("code")
    talked = table[table["talk_on"].notna()]
    assert len(talked) == 2 and talked["code"].tolist() == table["code"].head(2).tolist()
    assert all(dt.date.fromisoformat(on) > since for on, since in zip(talked["talk_on"], talked["since"]))


def test_the_command_line_lists_the_laggards_with_their_talks(county):
    db, ids = county
    talks.record_talk(db, ADMIN, ids["D3"], "2026-11-21", "县反诈中心", "县三局局长", "本周内全员安装")
    path = db.execute("PRAGMA database_list").fetchone()[2]
    rows = json.loads(run(path, "report", "talks", "--date", "2026-11-28", "--format", "json").stdout)
    assert list(rows[0]) == ["code", "unit", "group", "rank", "completion", "since", "talk_on"]
    table = talks.laggards_with_talks(db, DAY)
    assert {r["code"]: (r["since"], r["talk_on"]) for r in rows} == {
        code: (since.isoformat(), None if pd.isna(on) else on) for code, since, on in zip(table["code"], table["since"], table["talk_on"])}
    assert [(r["since"], r["talk_on"]) for r in rows if r["code"] == "D3"] == [("2026-11-20", "2026-11-21")]
    assert run(path, "report", "talks", "--date", "2026-13-01").returncode == 2  # a usage error, as for every command's --date
