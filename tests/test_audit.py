"""The audit trail: one row per write with who, when, what, old and new; filters by user, unit, date, kind."""

import datetime as dt
import json

import pytest

from campaign import features
from campaign.accounts import auth, backup, trail, users
from campaign.infra import clock, settings
from campaign.installs import entries as installs
from campaign.org import access
from campaign.org.access import Actor
from tests.helpers import ADMIN, load, small_county

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=clock.TZ)


@pytest.fixture
def county(db):
    small_county(db)
    ids = {code: uid for uid, code in db.execute("SELECT id, code FROM units")}
    people = {name: sid for sid, name in db.execute("SELECT id, name FROM staff")}
    return db, ids, people


def last(db, **filters):
    row = trail.list_audit(db, limit=1, **filters).iloc[0]
    return {"actor": row["actor"], "action": row["action"], "entity": row["entity"], "entity_id": row["entity_id"],
            "unit": row["unit_code"], "old": json.loads(row["old"]) if row["old"] else None,
            "new": json.loads(row["new"]) if row["new"] else None,
            "detail": json.loads(row["detail"]) if row["detail"] else None, "at": row["at"]}


def test_entry_then_correction(county):
    db, ids, people = county
    coord = Actor("zhang", access.COORDINATOR, frozenset({ids["T1"]}))
    installs.save_entries(db, coord, ids["T1"], "2026-11-28", {people["张一"]: 3}, now=NOW)
    entry = last(db)
    assert {k: entry[k] for k in ("actor", "action", "entity", "entity_id", "unit", "old", "new")} == {
        "actor": "zhang", "action": "enter", "entity": "install_report", "entity_id": f"{people['张一']}/2026-11-28",
        "unit": "T1", "old": None, "new": 3}
    assert entry["at"].startswith("2026-11-28T")
    installs.save_entries(db, coord, ids["T1"], "2026-11-28", {people["张一"]: 5}, now=NOW)
    assert (last(db)["old"], last(db)["new"]) == (3, 5)


def test_import_records_file_checksum_and_rows(county):
    db, _, _ = county
    result = load(db, "installs", "unit,name,date,installs\n甲镇,张一,2026-11-25,3\n乙镇,李一,2026-11-25,2", name="daily.csv")
    row = last(db, action="import")
    assert (row["actor"], row["entity"], row["entity_id"]) == ("admin", "installs", "daily.csv")
    assert row["detail"]["rows"] == 2 and len(row["detail"]["sha256"]) == 64 and row["detail"]["new"] == result.counts["new"]
    assert trail.imports(db).iloc[0][["kind", "filename", "rows"]].tolist() == ["installs", "daily.csv", 2]


def test_settings_change_keeps_old_and_new(county):
    db, _, _ = county
    settings.update(db, ADMIN, {"default_quota": 40})
    row = last(db)
    assert (row["action"], row["entity"], row["entity_id"], row["old"], row["new"]) == ("update", "setting", "default_quota", 30, 40)


@pytest.mark.parametrize(
    "write, action, old, new",
    [
        (lambda db: users.add_user(db, ADMIN, "li", access.LEADER, password="li-password-1"), "create",
         None, {"role": "leader", "display_name": "li", "active": True, "scope": [], "password": "set"}),
        (lambda db: users.add_user(db, ADMIN, "wang", access.COORDINATOR, scope_codes=["T2"]), "update",
         {"role": "coordinator", "display_name": "wang", "active": True, "scope": ["T1"]},
         {"role": "coordinator", "display_name": "wang", "active": True, "scope": ["T2"]}),
        (lambda db: users.reset_password(db, ADMIN, "wang", "new-password-1"), "reset_password", None, {"password": "reset"}),
        (lambda db: users.set_active(db, ADMIN, "wang", False), "disable", {"active": True}, {"active": False}),
        (lambda db: users.unlock(db, ADMIN, "wang"), "unlock", {"failed_count": 0, "locked_until": None},
         {"failed_count": 0, "locked_until": None}),
        (lambda db: users.change_password(db, users.get_actor(db, "wang"), "wang-password", "wang-password-2"),
         "change_password", None, {"password": "changed"}),
    ],
)
def test_account_writes(county, write, action, old, new):
    db, _, _ = county
    users.add_user(db, ADMIN, "wang", access.COORDINATOR, scope_codes=["T1"], password="wang-password")
    write(db)
    row = last(db, entity="user")
    assert (row["action"], row["old"], row["new"]) == (action, old, new)
    assert "argon2" not in json.dumps([row["old"], row["new"], row["detail"]])


def test_sign_in_sign_out_and_failures(county):
    db, _, _ = county
    users.add_user(db, ADMIN, "wang", access.LEADER, password="wang-password")
    with pytest.raises(Exception):
        auth.sign_in(db, "wang", "nope", now=NOW)
    signed = auth.sign_in(db, "wang", "wang-password", now=NOW)
    auth.sign_out(db, signed.token)
    rows = trail.list_audit(db, entity="session")
    assert rows[["actor", "action"]].values.tolist() == [["wang", "sign_out"], ["wang", "sign_in"], ["wang", "sign_in_failed"]]


def test_backup_download_and_restore(county, tmp_path):
    db, _, _ = county
    data = backup.download(db, ADMIN, "campaign-backup.db")
    row = last(db)
    assert (row["action"], row["entity"], row["entity_id"], row["detail"]["bytes"]) == ("backup", "database", "campaign-backup.db", len(data))
    copy = backup.backup(db, tmp_path / "copy.db")
    features.restore(db, ADMIN, copy, current_path=tmp_path / "empty.db")
    row = last(db)
    assert (row["action"], row["entity"], row["entity_id"]) == ("restore", "database", "copy.db")
    assert row["detail"]["previous_copy"].startswith("empty-before-restore-")


def test_filters_by_user_unit_date_and_kind(county):
    db, ids, people = county
    coord1 = Actor("c1", access.COORDINATOR, frozenset({ids["T1"]}))
    coord2 = Actor("c2", access.COORDINATOR, frozenset({ids["T2"]}))
    installs.save_entries(db, coord1, ids["T1"], "2026-11-28", {people["张一"]: 3, people["张二"]: 1}, now=NOW)
    installs.save_entries(db, coord2, ids["T2"], "2026-11-28", {people["李一"]: 2}, now=NOW)
    settings.update(db, ADMIN, {"laggard_days": 4})
    with campaign_db_write(db):  # an old row, to filter by date
        db.execute("UPDATE audit SET at = '2026-11-01T10:00:00+08:00' WHERE entity = 'setting' AND entity_id = 'laggard_days'")
    assert len(trail.list_audit(db, user="c1")) == 2
    assert set(trail.list_audit(db, unit=ids["T2"])["actor"]) == {"admin", "c2"}  # admin created the unit
    assert trail.list_audit(db, unit=ids["T2"], entity="install_report")["actor"].tolist() == ["c2"]
    assert len(trail.list_audit(db, unit=ids["C"], entity="install_report")) == 3  # the county and every unit below
    assert trail.list_audit(db, since="2026-11-01", until="2026-11-01")["entity_id"].tolist() == ["laggard_days"]
    assert "laggard_days" not in trail.list_audit(db, since="2026-11-02")["entity_id"].tolist()
    assert set(trail.kinds(db)["actor"]) >= {"admin", "c1", "c2"}


def campaign_db_write(db):
    from campaign.infra.db import write

    return write(db)
