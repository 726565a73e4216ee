"""Backups while the app writes, restores that check what they restore, and the CLI commands."""

import json
import multiprocessing
import os
import sqlite3
import time
from pathlib import Path

import pytest

from campaign import features
from campaign.accounts import backup, users
from campaign.infra import db as database
from campaign.infra import schema, settings
from campaign.infra.errors import FileRejected
from campaign.installs import entries as installs
from campaign.org import access
from tests.helpers import ADMIN, count, run, small_county

ROOT = Path(__file__).resolve().parent.parent


def _writer(path: str, stop: str, days: list[str]):
    """Another process saving entries as fast as it can until `stop` exists (each save: reports + audit rows)."""
    os.environ["CAMPAIGN_TODAY"] = "2026-11-28"
    db = database.connect(path)
    unit, people = db.execute("SELECT id FROM units WHERE code = 'T1'").fetchone()[0], [
        sid for (sid,) in db.execute("SELECT s.id FROM staff s JOIN units u ON u.id = s.unit_id WHERE u.code = 'T1' AND s.active = 1")]
    value = 0
    while not os.path.exists(stop):
        value += 1
        for day in days:
            installs.save_entries(db, ADMIN, unit, day, {sid: value % 50 for sid in people})


def consistent(path) -> tuple[int, int]:
    """(install reports, their audit rows): equal in any consistent state, since each save writes both together."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        reports = conn.execute("SELECT COUNT(*) FROM install_reports").fetchone()[0]
        audited = conn.execute("SELECT COUNT(*) FROM audit WHERE entity = 'install_report'").fetchone()[0]
        return reports, audited
    finally:
        conn.close()


def test_backup_taken_while_another_process_writes_is_consistent(db, tmp_path):
    small_county(db)
    with database.write(db):  # bulk, so that a backup takes a while
        db.conn.executemany("INSERT INTO staff (unit_id, name, active) VALUES (?, ?, 0)",
                            [(6, f"filler{i}", ) for i in range(200_000)])
    path, stop = str(tmp_path / "empty.db"), str(tmp_path / "stop")
    writer = multiprocessing.get_context("spawn").Process(
        target=_writer, args=(path, stop, ["2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28"]))
    writer.start()
    try:
        deadline = time.time() + 60
        while count(db, "install_reports") < 20 and time.time() < deadline:
            time.sleep(0.05)
        copies = []
        for i in range(5):
            copies.append(backup.backup(db, tmp_path / f"copy{i}.db"))
            time.sleep(0.1)
    finally:
        Path(stop).touch()
        writer.join(60)
    assert writer.exitcode == 0
    seen = []
    for copy in copies:
        reports, audited = consistent(copy)
        assert reports == audited
        seen.append(reports)
    assert seen == sorted(seen) and seen[-1] <= count(db, "install_reports")
    assert len(set(seen)) > 1, "the writer should have written between backups"
    # a copy restores to exactly what it held
    restored = tmp_path / "restored.db"
    target = features.connect(restored)
    features.restore(target, ADMIN, copies[2], current_path=restored)
    assert consistent(restored) == (seen[2], seen[2])


def test_restore_replaces_the_live_database_and_keeps_a_dated_copy(db, tmp_path):
    small_county(db)
    live = tmp_path / "empty.db"
    copy = backup.backup(db, tmp_path / "monday.db")
    settings.update(db, ADMIN, {"default_quota": 99})
    other = database.connect(live)  # the app's connection, left open
    assert settings.get(other, "default_quota") == 99
    previous = features.restore(db, ADMIN, copy, current_path=live)
    assert settings.get(other, "default_quota") == 30  # the open connection sees the restored data
    assert previous.name == "empty-before-restore-" + previous.name.split("-before-restore-")[1]
    assert previous.parent == live.parent
    kept = database.connect(previous)
    assert settings.get(kept, "default_quota") == 99  # the dated copy is the database as it was


def make(path, sql):
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    return path


@pytest.mark.parametrize(
    "build, code",
    [
        (lambda p: p.write_bytes(b"not a database at all, just text" * 10) and p, "backup.not_sqlite"),
        (lambda p: make(p, "CREATE TABLE other (x);"), "backup.not_campaign"),
        (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000) and p, "backup.corrupt"),
    ],
)
def test_restore_refuses_what_is_not_a_campaign_backup(db, tmp_path, build, code):
    small_county(db)
    before = count(db, "units")
    bad = build(tmp_path / "bad.db")
    with pytest.raises(FileRejected) as caught:
        features.restore(db, ADMIN, bad, current_path=tmp_path / "empty.db")
    assert caught.value.code == code
    assert count(db, "units") == before
    assert not list(tmp_path.glob("*before-restore*"))


def test_restore_refuses_a_newer_schema(db, tmp_path):
    small_county(db)
    newer = backup.backup(db, tmp_path / "newer.db")
    make(newer, "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('core', 'm999_future', 'x');")
    with pytest.raises(FileRejected) as caught:
        backup.check_backup(newer, features.migration_sets())
    assert (caught.value.code, caught.value.params["migrations"]) == ("backup.unknown_version", "core/m999_future")


def test_an_older_known_schema_is_restored_and_migrated(db, tmp_path):
    old = tmp_path / "old.db"
    conn = database.connect(old)
    schema.core.apply(conn, stop_before="m002_report_entries")  # a database from before the accounts feature
    conn.execute("INSERT INTO users (username, role) VALUES ('old_admin', 'admin')")
    conn.conn.close()
    facts = backup.check_backup(old, features.migration_sets())
    assert facts["applied"] == 1 and facts["pending"] >= 1
    features.restore(db, ADMIN, old, current_path=tmp_path / "empty.db")
    assert users.get_account(db, "old_admin")["failed_count"] == 0  # the accounts columns exist now
    assert not [m for m in features.migration_sets() if m.pending(db)]


# ---- the command line ----------------------------------------------------------------------

def test_cli_user_backup_restore(tmp_path):
    path = tmp_path / "live.db"
    result = run(path, "user", "add", "Chief", "--role", "admin", env_extra={"CAMPAIGN_PASSWORD": "chief-password"})
    assert result.returncode == 0, result.stderr
    result = run(path, "user", "add", "lead", "--role", "leader", stdin="lead-password\nlead-password\n")
    assert result.returncode == 0, result.stderr
    listed = json.loads(run(path, "user", "list", "--format", "json").stdout)
    assert [(u["username"], u["role"], u["active"], u["must_change"]) for u in listed] == [
        ("chief", "admin", True, False), ("lead", "leader", True, False)]
    assert "hash" not in json.dumps(listed)
    db = features.connect(path)
    from campaign.accounts import auth

    assert auth.sign_in(db, "chief", "chief-password").actor.role == access.ADMIN
    bad = run(path, "user", "add", "c", "--role", "coordinator", env_extra={"CAMPAIGN_PASSWORD": "x"})
    assert bad.returncode == 1 and "user name" in bad.stderr.lower()

    assert run(path, "backup", str(tmp_path / "b.db")).returncode == 0
    assert run(path, "user", "disable", "lead").returncode == 0
    assert not users.get_account(db, "lead")["active"]
    result = run(path, "restore", str(tmp_path / "b.db"), "--yes")
    assert result.returncode == 0, result.stderr
    assert users.get_account(db, "lead")["active"]
    assert len(list(tmp_path.glob("live-before-restore-*.db"))) == 1
    (tmp_path / "junk.db").write_text("junk")
    refused = run(path, "restore", str(tmp_path / "junk.db"), "--yes")
    assert refused.returncode == 1 and "not an SQLite database" in refused.stderr


def test_first_real_admin_retires_the_demo_accounts(demo_path):
    result = run(demo_path, "user", "add", "chief", "--role", "admin", env_extra={"CAMPAIGN_PASSWORD": "chief-password"})
    assert result.returncode == 0, result.stderr
    db = features.connect(demo_path)
    active = {a["username"]: a["active"] for a in users.list_users(db)}
    assert active.pop("chief") is True
    assert set(active) >= {"admin", "leader", "coord_cx"} and not any(active.values())
