"""Pages read slow figures through ui.cached (issue 21): shared across reruns, never stale after a write."""

import subprocess
import sys

import pytest

from campaign.infra import clock, settings
from campaign.infra import db as database
from campaign.installs import entries as installs
from campaign.installs import rankings

pytestmark = pytest.mark.filterwarnings("ignore")


def _a_unit_and_people(db):
    uid = db.execute("SELECT id FROM units WHERE code = 'T01'").fetchone()[0]
    people = [sid for (sid,) in db.execute("SELECT id FROM staff WHERE unit_id = ? AND active = 1 ORDER BY id", [uid])]
    return uid, people


def test_the_data_version_moves_with_every_commit_from_any_connection_or_process(demo_path, demo_db, admin):
    path = str(demo_path)
    first = database.data_version(path)
    assert database.data_version(path) == first  # nothing written: the same
    settings.update(demo_db, admin, {"default_quota": 31})
    second = database.data_version(path)
    assert second != first
    subprocess.run([sys.executable, "-c", f"import sqlite3; c = sqlite3.connect({path!r}); "
                    "c.execute(\"UPDATE settings SET value = '32' WHERE key = 'default_quota'\"); c.commit()"], check=True)
    assert database.data_version(path) not in (first, second)


def test_a_cached_ranking_is_reused_until_a_save_then_shows_the_save(demo_path, demo_db, admin, monkeypatch):
    import ui

    monkeypatch.setenv("CAMPAIGN_DB", str(demo_path))
    day = clock.today()
    calls = []
    real = rankings.unit_ranking

    def counted(db, *args):
        calls.append(args)
        return real(db, *args)

    counted.__qualname__ = "counted_unit_ranking"
    before = ui.cached(counted, day, None)
    again = ui.cached(counted, day, None)
    assert len(calls) == 1 and again.equals(before)
    again.loc[:, "installs"] = -1  # a page changing its copy changes nobody else's
    assert ui.cached(counted, day, None).equals(before)

    uid, people = _a_unit_and_people(demo_db)
    sheet = installs.entry_sheet(demo_db, admin, uid, day).set_index("id")
    held = int(sheet.loc[people[:2], "today"].fillna(0).sum())
    installs.save_entries(demo_db, admin, uid, day, {people[0]: 40, people[1]: 40})  # from another connection
    after = ui.cached(counted, day, None)
    assert len(calls) == 2
    assert after.equals(real(demo_db, day, None))
    installs_of = lambda frame: int(frame.set_index("unit_id").loc[uid, "installs"])  # noqa: E731
    assert installs_of(after) - installs_of(before) == 80 - held
