"""Data at rest (issue 16): a restore takes only an untampered schema; files are the server account's alone;
every backup is audited."""

import os
import sqlite3
import stat

import pytest

from campaign import features
from campaign.accounts import backup
from campaign.infra import db as database
from campaign.infra.errors import FileRejected
from tests.helpers import ADMIN, count, run, small_county


def tampered(path, sql):
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    return path


@pytest.mark.parametrize("change, part", [
    ("ALTER TABLE staff DROP COLUMN phone", "table staff"),
    ("CREATE TRIGGER hide AFTER INSERT ON audit BEGIN DELETE FROM audit WHERE id = new.id; END", "trigger hide"),
    ("DROP INDEX sessions_user", "index sessions_user"),
    ("CREATE INDEX sneaky ON users(password_hash)", "index sneaky"),
    ("CREATE TABLE extra (x)", "table extra"),
    ("CREATE VIEW everyone AS SELECT * FROM users", "view everyone"),
    ("DROP INDEX install_reports_current; CREATE INDEX install_reports_current ON install_reports(staff_id, day)",
     "index install_reports_current"),  # the same name, no longer unique
])
def test_restore_refuses_a_tampered_schema(db, tmp_path, change, part):
    small_county(db)
    bad = tampered(backup.backup(db, tmp_path / "bad.db"), change)
    before = count(db, "units"), count(db, "audit")
    with pytest.raises(FileRejected) as caught:
        features.restore(db, ADMIN, bad, current_path=tmp_path / "empty.db")
    assert caught.value.code == "backup.schema_changed" and part in caught.value.params["parts"]
    assert (count(db, "units"), count(db, "audit")) == before
    assert not list(tmp_path.glob("*before-restore*"))


def test_a_restored_untampered_backup_keeps_auditing(db, tmp_path):
    small_county(db)
    copy = backup.backup(db, tmp_path / "good.db")
    features.restore(db, ADMIN, copy, current_path=tmp_path / "empty.db")
    assert db.execute("SELECT action FROM audit ORDER BY id DESC LIMIT 1").fetchone()[0] == "restore"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_files_and_copies_are_private(tmp_path):
    folder = tmp_path / "data"
    db = features.connect(folder / "campaign.db")
    small_county(db)
    assert mode(folder) == 0o700
    assert mode(folder / "campaign.db") == 0o600
    assert mode(folder / "campaign.db-wal") == 0o600 and mode(folder / "campaign.db-shm") == 0o600
    copy = backup.backup(db, folder / "copy.db")
    previous = features.restore(db, ADMIN, copy, current_path=folder / "campaign.db")
    assert mode(copy) == 0o600 and mode(previous) == 0o600


def test_existing_readable_files_are_made_private_on_start(tmp_path):
    path = tmp_path / "old.db"
    db = features.connect(path)
    small_county(db)
    for name in ("old.db", "old.db-wal", "old.db-shm"):
        os.chmod(tmp_path / name, 0o644)
    database.connect(path).conn.close()
    assert [mode(tmp_path / n) for n in ("old.db", "old.db-wal", "old.db-shm")] == [0o600] * 3


def test_the_backup_command_is_audited(tmp_path):
    path = tmp_path / "live.db"
    db = features.connect(path)
    small_county(db)
    result = run(path, "backup", tmp_path / "nightly.db", env_extra={"CAMPAIGN_USER": "cron"})
    assert result.returncode == 0, result.stderr
    row = db.execute("SELECT actor, action, entity, entity_id, detail FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    assert row[:4] == ("cron", "backup", "database", "nightly.db") and '"sha256"' in row[4]
    assert mode(tmp_path / "nightly.db") == 0o600
