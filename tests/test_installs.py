"""Saving the entry screen: corrections supersede, bad values reject the whole save, the day lock, scope."""

import datetime as dt

import pytest

from campaign import features
from campaign.infra import settings
from campaign.infra.clock import TZ
from campaign.infra.errors import AccessDenied, DayLocked, RowsRejected
from campaign.installs import entries as installs
from campaign.org import access
from tests.helpers import ADMIN, count, small_county

COORD = access.Actor("c1", access.COORDINATOR, frozenset())
NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=TZ)


@pytest.fixture
def county(db):
    small_county(db)
    ids = {code: uid for uid, code in db.execute("SELECT id, code FROM units")}
    people = {name: sid for sid, name in db.execute("SELECT id, name FROM staff")}
    return db, ids, people


def coordinator_of(ids, code):
    return access.Actor("c1", access.COORDINATOR, frozenset({ids[code]}))


def current(db, sid, day):
    return db.execute(
        "SELECT installs FROM install_reports WHERE staff_id = ? AND day = ? AND superseded_by IS NULL", [sid, day]
    ).fetchone()[0]


def test_save_then_correct_keeps_both_in_the_trail(county):
    db, ids, people = county
    me = coordinator_of(ids, "T1")
    assert installs.save_entries(db, me, ids["T1"], "2026-11-28", {people["张一"]: 3, people["张二"]: 0}, now=NOW) == {
        "new": 2, "corrected": 0, "unchanged": 0}
    assert installs.save_entries(db, me, ids["T1"], "2026-11-28", {people["张一"]: 5, people["张二"]: 0}, now=NOW) == {
        "new": 0, "corrected": 1, "unchanged": 1}
    assert current(db, people["张一"], "2026-11-28") == 5
    trail = installs.history(db, people["张一"])
    assert trail["installs"].tolist() == [5, 3]
    assert trail[["entered_by", "source"]].values.tolist() == [["c1", "entry"], ["c1", "entry"]]
    assert trail["supersedes"].iloc[0] == trail["id"].iloc[1]
    assert trail["superseded_by"].iloc[1] == trail["id"].iloc[0]
    rows = db.execute("SELECT actor, old, new FROM audit WHERE entity = 'install_report' ORDER BY id").fetchall()
    assert rows == [("c1", None, "3"), ("c1", None, "0"), ("c1", "3", "5")]


def test_reports_from_before_the_entries_table_keep_who_entered_them(tmp_path):
    from campaign.infra import db as database
    from campaign.infra import schema

    old = database.connect(tmp_path / "old.db")
    schema.core.apply(old, stop_before="m002_report_entries")
    old.execute("INSERT INTO units (id, code, name, type) VALUES (1, 'T1', '甲镇', 'township')")
    old.execute("INSERT INTO staff (id, unit_id, name) VALUES (1, 1, '张一'), (2, 1, '张二')")
    old.execute("INSERT INTO install_reports (id, staff_id, day, installs, entered_by, entered_at, source, superseded_by)"
                " VALUES (1, 1, '2026-11-27', 3, 'c1', '2026-11-27T20:00:00+08:00', 'entry', 3),"
                " (2, 2, '2026-11-27', 4, 'c1', '2026-11-27T20:00:00+08:00', 'entry', NULL),"
                " (3, 1, '2026-11-27', 5, 'admin', '2026-11-28T09:00:00+08:00', 'import', NULL)")
    old.execute("UPDATE install_reports SET supersedes = 1 WHERE id = 3")
    features.migrate(old)
    assert old.execute("SELECT * FROM entries ORDER BY id").fetchall() == [
        (1, "c1", "2026-11-27T20:00:00+08:00", "entry"), (2, "admin", "2026-11-28T09:00:00+08:00", "import")]
    assert old.execute("SELECT id, staff_id, day, installs, entry_id, supersedes, superseded_by FROM install_reports"
                       " ORDER BY id").fetchall() == [
        (1, 1, "2026-11-27", 3, 1, None, 3), (2, 2, "2026-11-27", 4, 1, None, None), (3, 1, "2026-11-27", 5, 2, 1, None)]
    assert installs.history(old, 1)[["installs", "entered_by", "source"]].values.tolist() == [
        [5, "admin", "import"], [3, "c1", "entry"]]


@pytest.mark.parametrize(
    "value, reason",
    [(-1, "row.negative"), ("2.5", "row.not_integer"), ("abc", "row.not_integer"), (201, "row.above_max"), (None, "row.empty_count")],
)
def test_a_bad_value_rejects_the_whole_save(county, value, reason):
    db, ids, people = county
    with pytest.raises(RowsRejected) as caught:
        installs.save_entries(db, ADMIN, ids["T1"], "2026-11-28", {people["张一"]: 4, people["张二"]: value}, now=NOW)
    assert [(e.row, e.code) for e in caught.value.errors] == [(2, reason)]
    assert count(db, "install_reports") == 0


@pytest.mark.parametrize(
    "day, now_hour, actor_kind, state",
    [
        ("2026-11-28", 9, "coordinator", "open"),
        ("2026-11-27", 11, "coordinator", "open"),  # yesterday, before the 12:00 cut-off
        ("2026-11-27", 12, "coordinator", "locked"),  # at the cut-off
        ("2026-11-26", 9, "coordinator", "locked"),
        ("2026-11-26", 9, "admin", "open"),  # the centre can still correct
        ("2026-11-29", 9, "admin", "future"),
        ("2026-11-19", 9, "admin", "before_start"),
    ],
)
def test_day_state(county, day, now_hour, actor_kind, state):
    db, ids, _ = county
    actor = ADMIN if actor_kind == "admin" else coordinator_of(ids, "T1")
    now = NOW.replace(hour=now_hour)
    assert installs.day_state(settings.get_all(db), actor, dt.date.fromisoformat(day), now) == state


def test_locked_day_refused_for_coordinator(county):
    db, ids, people = county
    with pytest.raises(DayLocked) as caught:
        installs.save_entries(db, coordinator_of(ids, "T1"), ids["T1"], "2026-11-26", {people["张一"]: 1}, now=NOW)
    assert caught.value.code == "error.day_locked"
    assert count(db, "install_reports") == 0


@pytest.mark.parametrize("role", [access.LEADER, access.COORDINATOR])
def test_outside_scope_refused(county, role):
    db, ids, people = county
    other = access.Actor("x", role, frozenset({ids["T2"]}))
    with pytest.raises(AccessDenied):
        installs.save_entries(db, other, ids["T1"], "2026-11-28", {people["张一"]: 1}, now=NOW)
    assert count(db, "install_reports") == 0


def test_person_of_another_unit_is_rejected(county):
    db, ids, people = county
    with pytest.raises(RowsRejected) as caught:
        installs.save_entries(db, ADMIN, ids["T1"], "2026-11-28", {people["李一"]: 1}, now=NOW)
    assert caught.value.errors[0].code == "row.unknown_person"


def test_entry_sheet(county):
    db, ids, people = county
    installs.save_entries(db, ADMIN, ids["D2"], "2026-11-27", {people["赵一"]: 4, people["赵二"]: 6}, now=NOW)
    installs.save_entries(db, ADMIN, ids["D2"], "2026-11-28", {people["赵一"]: 7}, now=NOW)
    sheet = installs.entry_sheet(db, ADMIN, ids["D2"], "2026-11-28")
    assert sheet[["name", "total", "quota"]].values.tolist() == [["赵一", 11, 10], ["赵二", 6, 20]]
    assert sheet["today"].iloc[0] == 7 and sheet["today"].isna().tolist() == [False, True]  # no report yet
    assert sheet["progress"].tolist() == [1.0, 0.3]
