"""Daily outreach entry: corrections supersede and are audited, bad values reject the whole save, scope and the day lock."""

import datetime as dt
import json

import pandas as pd
import pytest

from campaign.infra.clock import TZ
from campaign.infra.errors import AccessDenied, DayLocked, NotFound, RowsRejected
from campaign.org import access
from campaign.outreach import entries as outreach
from campaign.outreach.channels import CHANNEL_OF_TYPE
from tests.helpers import ADMIN, count
from tests.outreach_helpers import ids, registries

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=TZ)


@pytest.fixture
def county(db):
    registries(db)
    return db, ids(db)


def actor(found, role, *codes):
    return access.Actor("u1", role, frozenset(found[c] for c in codes))


def test_save_then_correct_keeps_both_in_the_trail(county):
    db, found = county
    worker = actor(found, access.GRID_WORKER, "G1")
    entry = {"reached": 12, "flyers": 15, "installs": 4}
    assert outreach.save_entry(db, worker, found["G1"], "2026-11-28", entry, now=NOW) == {"new": 1, "corrected": 0, "unchanged": 0}
    assert outreach.save_entry(db, worker, found["G1"], "2026-11-28", entry, now=NOW) == {"new": 0, "corrected": 0, "unchanged": 1}
    assert outreach.save_entry(db, worker, found["G1"], "2026-11-28", {**entry, "installs": 6}, now=NOW) == {
        "new": 0, "corrected": 1, "unchanged": 0}
    assert outreach.current_entry(db, found["G1"], "2026-11-28") == {
        "reached": 12, "flyers": 15, "installs": 6, "qr_shown": None, "flyers_shown": None}
    trail = outreach.history(db, found["G1"])
    assert trail["installs"].tolist() == [6, 4]
    assert trail["supersedes"].iloc[0] == trail["id"].iloc[1] and trail["superseded_by"].iloc[1] == trail["id"].iloc[0]
    audit = db.execute("SELECT actor, entity_id, unit_id, old, new FROM audit WHERE entity = 'outreach_report' ORDER BY id").fetchall()
    assert [(a, e, u) for a, e, u, _, _ in audit] == [("u1", "G1/2026-11-28", found["G1"])] * 2
    assert [None if o is None else json.loads(o) for *_, o, _ in audit] == [None, entry]
    assert json.loads(audit[1][4]) == {**entry, "installs": 6}


@pytest.mark.parametrize("unit, values", [
    ("S1-1", {"installs": 9, "flyers": 40}),
    ("G1", {"reached": 10, "flyers": 10, "installs": 3}),
    ("E1", {"reached": 30, "installs": 12}),
    ("W1", {"qr_shown": True, "flyers_shown": "否", "flyers": 20, "installs": 2}),
])
def test_each_channel_records_its_own_figures(county, unit, values):
    db, found = county
    outreach.save_entry(db, ADMIN, found[unit], "2026-11-27", values, now=NOW)
    stored = outreach.current_entry(db, found[unit], "2026-11-27")
    expected = {k: (1 if v is True else 0 if v == "否" else v) for k, v in values.items()}
    assert {k: v for k, v in stored.items() if v is not None} == expected


@pytest.mark.parametrize("values, problem", [
    ({"reached": -1, "flyers": 0, "installs": 0}, ("reached", "outreach.row.negative")),
    ({"reached": "2.5", "flyers": 0, "installs": 0}, ("reached", "row.not_integer")),
    ({"reached": 3, "flyers": None, "installs": 0}, ("flyers", "outreach.row.empty")),
    ({"reached": 3, "flyers": 1, "installs": 2001}, ("installs", "outreach.row.above_max")),
    ({"reached": 3, "flyers": 1, "installs": 1, "qr_shown": 1}, ("qr_shown", "outreach.row.not_a_field")),
])
def test_a_bad_value_rejects_the_whole_save(county, values, problem):
    db, found = county
    with pytest.raises(RowsRejected) as caught:
        outreach.save_entry(db, ADMIN, found["G1"], "2026-11-28", values, now=NOW)
    assert [(e.column, e.code) for e in caught.value.errors] == [problem]
    assert count(db, "outreach_reports") == 0


def test_a_window_check_is_yes_or_no(county):
    db, found = county
    with pytest.raises(RowsRejected) as caught:
        outreach.save_entry(db, ADMIN, found["W1"], "2026-11-28",
                            {"qr_shown": "maybe", "flyers_shown": 1, "flyers": 0, "installs": 0}, now=NOW)
    assert [(e.column, e.code) for e in caught.value.errors] == [("qr_shown", "row.bad_flag")]


@pytest.mark.parametrize("role, scope, unit, allowed", [
    (access.GRID_WORKER, ("G1",), "G1", True),
    (access.GRID_WORKER, ("G1",), "G2", False),  # the next grid in the same village is not theirs
    (access.COORDINATOR, ("T1",), "G2", True),  # a township coordinator: every grid below the township
    (access.COORDINATOR, ("T1",), "S1-1", True),
    (access.COORDINATOR, ("T1",), "W1", True),  # a window hosted by the township
    (access.COORDINATOR, ("T1",), "G4", False),
    (access.COORDINATOR, ("T1",), "W3", False),  # in the township, but hosted by 县二局
    (access.COORDINATOR, ("S1",), "S1-2", True),  # a school coordinator: the school's classes
    (access.COORDINATOR, ("S1-1",), "S1-2", False),  # a head teacher: their own class only
    (access.COORDINATOR, ("D1",), "E2", True),  # a regulator: its enterprises
    (access.COORDINATOR, ("D1",), "B1", False),
    (access.LEADER, (), "G1", False),  # leaders read, never write
])
def test_scope(county, role, scope, unit, allowed):
    db, found = county
    values = {"S": {"installs": 1, "flyers": 1}, "G": {"reached": 1, "flyers": 1, "installs": 1},
              "E": {"reached": 1, "installs": 1}, "B": {"reached": 1, "installs": 1},
              "W": {"qr_shown": 1, "flyers_shown": 1, "flyers": 0, "installs": 1}}[unit[0]]
    who = actor(found, role, *scope)
    if allowed:
        assert outreach.save_entry(db, who, found[unit], "2026-11-28", values, now=NOW)["new"] == 1
        assert unit in [u.code for u in outreach.channel_units(db, who, CHANNEL_OF_TYPE[_type(db, unit)])]
    else:
        with pytest.raises(AccessDenied):
            outreach.save_entry(db, who, found[unit], "2026-11-28", values, now=NOW)
        assert count(db, "outreach_reports") == 0


def _type(db, code):
    return db.execute("SELECT type FROM units WHERE code = ?", [code]).fetchone()[0]


def test_each_person_sees_the_units_they_answer_for(county):
    db, found = county
    assert [u.code for u in outreach.channel_units(db, actor(found, access.GRID_WORKER, "G1"), "grids")] == ["G1"]
    township = actor(found, access.COORDINATOR, "T1")
    assert outreach.channels_for(db, township) == ["schools", "grids", "windows"]
    assert [u.code for u in outreach.channel_units(db, township, "grids")] == ["G1", "G2", "G3"]
    assert [u.label for u in outreach.channel_units(db, township, "schools")] == [
        "甲镇小学 · 一年级(1)班 (S1-1)", "甲镇小学 · 一年级(2)班 (S1-2)", "甲镇幼儿园 · 小班(1) (S3-1)"]
    assert outreach.channels_for(db, access.Actor("l", access.LEADER)) == []
    assert outreach.channels_for(db, ADMIN) == ["schools", "grids", "enterprises", "windows"]


@pytest.mark.parametrize("day, hour, who, state", [
    ("2026-11-27", 11, "worker", None),  # yesterday, before the 12:00 cut-off
    ("2026-11-27", 12, "worker", "error.day_locked"),
    ("2026-11-25", 9, "worker", "error.day_locked"),
    ("2026-11-25", 9, "admin", None),  # the centre can still correct
    ("2026-11-29", 9, "admin", "error.day_future"),
    ("2026-11-19", 9, "admin", "error.day_before_start"),
])
def test_the_day_lock_is_the_rule_of_staff_installs(county, day, hour, who, state):
    db, found = county
    me = ADMIN if who == "admin" else actor(found, access.GRID_WORKER, "G1")
    call = lambda: outreach.save_entry(db, me, found["G1"], day, {"reached": 1, "flyers": 1, "installs": 1},
                                       now=NOW.replace(hour=hour))
    if state is None:
        assert call()["new"] == 1
    else:
        with pytest.raises(DayLocked) as caught:
            call()
        assert caught.value.code == state
        assert count(db, "outreach_reports") == 0


def test_only_channel_units_take_reports(county):
    db, found = county
    with pytest.raises(NotFound):
        outreach.save_entry(db, ADMIN, found["T1"], "2026-11-28", {"installs": 1}, now=NOW)


def test_many_entries_at_once_are_checked_together(county):
    db, found = county
    good = (found["G1"], "2026-11-27", {"reached": 1, "flyers": 1, "installs": 1})
    with pytest.raises(RowsRejected) as caught:
        outreach.record(db, ADMIN, [good, good, (found["T1"], "2026-11-27", {}), (found["G2"], "11/27", {})], source="import")
    assert [(e.row, e.column, e.code) for e in caught.value.errors] == [
        (2, "date", "outreach.row.duplicate_entry"), (3, "unit", "outreach.row.not_channel_unit"), (4, "date", "row.bad_date")]
    assert count(db, "outreach_reports") == 0
    assert outreach.record(db, ADMIN, [good], source="import") == {"new": 1, "corrected": 0, "unchanged": 0}
    detail = db.execute("SELECT detail FROM audit WHERE action = 'import' AND entity = 'outreach_report'").fetchone()[0]
    assert json.loads(detail) == {"rows": 1, "new": 1, "corrected": 0, "unchanged": 0}


def test_recent_reports_and_personal_details_follow_the_staff_rule(county):
    db, found = county
    outreach.save_entry(db, ADMIN, found["G1"], "2026-11-27", {"reached": 5, "flyers": 5, "installs": 2}, now=NOW)
    worker = actor(found, access.GRID_WORKER, "G1")
    assert outreach.recent_reports(db, worker, found["G1"], "2026-11-28")["installs"].tolist() == [2]
    with pytest.raises(AccessDenied):
        outreach.recent_reports(db, worker, found["G2"], "2026-11-28")
    from campaign.outreach import figures as outreach_figures

    grids = outreach_figures.tables(db, "grids", "2026-11-28")["grids"]
    seen = outreach.redact(db, worker, grids).set_index("code")
    assert (seen.loc["G1", "workers"], seen.loc["G1", "phone"]) == ("网格员甲", "139****0011")
    assert pd.isna(seen.loc["G2", "workers"])
    assert outreach.redact(db, ADMIN, grids).set_index("code").loc["G1", "phone"] == "13900000011"
