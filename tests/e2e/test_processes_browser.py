"""Two app processes behind nginx (scripts/serve.py): a browser stays with its process, a sign-in holds on the
other one too, and a write made elsewhere shows on both (no process keeps a stale copy)."""

import shutil
import sys
from pathlib import Path

import pytest

from campaign import features
from campaign.infra.i18n import t
from campaign.installs import entries
from campaign.org import access
from tests.e2e.conftest import ROOT, free_port, grid_column, navigate, new_page, page_problems, settle, sign_in

sys.path.insert(0, str(ROOT / "scripts"))
import serve  # noqa: E402

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def cluster(demo_template, tmp_path_factory):
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        pytest.skip("Debian nginx is not installed (.ci/run installs it)")
    folder = tmp_path_factory.mktemp("cluster")
    db_path = folder / "campaign.db"
    shutil.copy(demo_template, db_path)
    env = {"CAMPAIGN_DB": str(db_path), "CAMPAIGN_TODAY": "2026-11-28"}
    running = serve.Cluster(2, free_port(), folder=folder / "run", env=env, app_ports=[free_port(), free_port()])
    running.db_path = db_path
    yield running
    running.stop()


def node(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "campaign_node")


def township_installs(page, name="城厢镇") -> int:
    """城厢镇's installs to date in the rankings' township table (the unit pinned first)."""
    return grid_column(page, t("rank.installs", "zh"), name)


def test_sessions_stick_and_writes_show_on_every_process(cluster, browser):
    page = new_page(browser, "zh-CN")
    sign_in(page, cluster.url, "leader", "zh")
    first = node(page)
    for _ in range(2):  # reloads stay on the same process and signed in
        page.reload()
        settle(page)
        assert node(page) == first and page.get_by_text(t("auth.sign_out", "zh")).count()
    navigate(page, "rankings", "zh")
    before = township_installs(page)

    other = new_page(browser, "zh-CN")  # a second browser, pinned to the other process, with the same sign-in
    other.context.add_cookies([{"name": "campaign_node", "value": "1" if first == "0" else "0", "url": cluster.url},
                               *[c for c in page.context.cookies() if c["name"] == "campaign_session"]])
    other.goto(f"{cluster.url}/rankings")
    settle(other)
    assert node(other) != first and other.get_by_text(t("auth.sign_out", "zh")).count()  # the session is the database's
    assert township_installs(other) == before

    db = features.connect(cluster.db_path)  # a coordinator saves elsewhere (a third process: this one)
    unit = db.execute("SELECT id FROM units WHERE code = 'T01'").fetchone()[0]
    person = db.execute("SELECT id FROM staff WHERE unit_id = ? AND active = 1 ORDER BY id LIMIT 1", [unit]).fetchone()[0]
    held = db.execute("SELECT installs FROM install_reports WHERE staff_id = ? AND day = '2026-11-28'"
                      " AND superseded_by IS NULL", [person]).fetchone()
    entries.save_entries(db, access.Actor("admin", access.ADMIN), unit, "2026-11-28", {person: (held[0] if held else 0) + 7})
    for view in (page, other):
        view.reload()
        settle(view)
        assert township_installs(view) == before + 7
        assert page_problems(view) == []
    page.context.close()
    other.context.close()
