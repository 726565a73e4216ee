"""Every role against the write functions issue 20 added (unlock requests, sampled spot checks, 约谈 records,
responsibility-letter templates and scans), on the demo county. Allowed: something is written; refused: a
CampaignError and not one row changed (the connection's total_changes stays put)."""

import pytest

from campaign.accounts import users
from campaign.infra.errors import AccessDenied, CampaignError
from campaign.installs import unlocks
from tests.test_access_matrix import EXTRA_COVERED

DEMO = {"admin": "admin", "leader": "leader", "coordinator": "coord_cx", "coordinator_elsewhere": "coord_gaj",
        "grid_worker": "grid_cx"}
LOCKED = "2026-11-26"


@pytest.fixture
def demo(demo_db):
    ids = {code: uid for uid, code in demo_db.execute("SELECT id, code FROM units")}
    actors = {role: users.get_actor(demo_db, name) for role, name in DEMO.items()}
    return {"db": demo_db, "ids": ids, "actors": actors, "admin": actors["admin"]}


def _asked(c):
    return unlocks.request(c["db"], c["actors"]["coordinator"], c["ids"]["T01"], LOCKED, "补录")


def _approved(c):
    request = _asked(c)
    unlocks.approve(c["db"], c["admin"], request)
    return request


# name -> (prepare (as admin or the coordinator) -> argument, call, roles allowed). Targets lie in 城厢镇 (T01).
WRITES = {
    "installs.unlocks.request": (lambda c: c["ids"]["G01-001"],
                                 lambda c, a, uid: unlocks.request(c["db"], a, uid, LOCKED, "网格数据漏报"),
                                 {"coordinator", "grid_worker"}),
    "installs.unlocks.approve": (_asked, lambda c, a, rid: unlocks.approve(c["db"], a, rid), {"admin"}),
    "installs.unlocks.refuse": (_asked, lambda c, a, rid: unlocks.refuse(c["db"], a, rid, "请核实"), {"admin"}),
    "installs.unlocks.close": (_approved, lambda c, a, rid: unlocks.close(c["db"], a, rid), {"admin"}),
}
EXTRA_COVERED.update(WRITES)
# Reads: the lock's windows and one's own requests (scope is checked by the write that uses them).
EXTRA_COVERED.update({"installs.entries.unlocked_units", "installs.entries.is_unlocked", "installs.unlocks.mine"})


@pytest.mark.parametrize("role", list(DEMO))
@pytest.mark.parametrize("name", list(WRITES))
def test_role_against_issue_20_write(demo, name, role):
    prepare, call, allowed = WRITES[name]
    argument = prepare(demo)
    conn, actor = demo["db"].conn, demo["actors"][role]
    before = conn.total_changes
    if role in allowed:
        call(demo, actor, argument)
        assert conn.total_changes > before
    else:
        with pytest.raises(CampaignError) as caught:
            call(demo, actor, argument)
        assert isinstance(caught.value, AccessDenied)
        assert conn.total_changes == before
