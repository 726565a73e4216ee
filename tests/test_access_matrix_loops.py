"""Every role against the write functions issue 20 added (unlock requests, sampled spot checks, 约谈 records,
responsibility-letter templates and scans), on the demo county. Allowed: something is written; refused: a
CampaignError and not one row changed (the connection's total_changes stays put)."""

import pytest

from campaign.accounts import users
from campaign.infra.errors import AccessDenied
from campaign.installs import unlocks
from campaign.infra.tables import Upload
from campaign.supervision import letters, responsibility, round_report, samples, talks
from campaign.supervision import spot_checks as supervision
from tests.test_access_matrix import EXTRA_COVERED, role_writes

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


def _round(c):
    return supervision.add_round(c["db"], c["admin"], "抽样（矩阵）", "2026-11-28")


def _sample(c):
    return samples.draw_sample(c["db"], c["admin"], _round(c), c["ids"]["T01"], size=3, seed=1)


def _results(c, sample_id):
    people = samples.sample_people(c["db"], c["admin"], sample_id)["staff_id"].tolist()
    return {sid: (True, True, False, "") for sid in people}


def _laggard(c):
    return int(talks.laggards_with_talks(c["db"], "2026-11-28")["unit_id"].iloc[0])


def _talk(c):
    return talks.record_talk(c["db"], c["admin"], _laggard(c), "2026-11-28", "县反诈中心", "单位负责人", "三日内整改")


def _edited(c):
    responsibility.save_template(c["db"], c["admin"], "body", "{unit}责任书")


def _signed(c):
    letters.sign(c["db"], c["admin"], c["ids"]["T01"], "2026-11-20", "张书记")


# name -> (prepare (as admin or the coordinator) -> argument, call, roles allowed). Targets lie in 城厢镇 (T01).
WRITES = {
    "installs.unlocks.request": (lambda c: c["ids"]["G01-001"],
                                 lambda c, a, uid: unlocks.request(c["db"], a, uid, LOCKED, "网格数据漏报"),
                                 {"coordinator", "grid_worker"}),
    "installs.unlocks.approve": (_asked, lambda c, a, rid: unlocks.approve(c["db"], a, rid), {"admin"}),
    "installs.unlocks.refuse": (_asked, lambda c, a, rid: unlocks.refuse(c["db"], a, rid, "请核实"), {"admin"}),
    "installs.unlocks.close": (_approved, lambda c, a, rid: unlocks.close(c["db"], a, rid), {"admin"}),
    "supervision.samples.draw_sample": (_round, lambda c, a, rid: samples.draw_sample(c["db"], a, rid, c["ids"]["T01"], seed=5),
                                        {"admin"}),
    "supervision.samples.record_results": (_sample, lambda c, a, sid: samples.record_results(
        c["db"], a, sid, "2026-11-28", "督导组", _results(c, sid)), {"admin"}),
    "supervision.talks.record_talk": (_laggard, lambda c, a, uid: talks.record_talk(
        c["db"], a, uid, "2026-11-28", "县反诈中心", "单位负责人", "三日内整改"), {"admin"}),
    "supervision.talks.delete_talk": (_talk, lambda c, a, tid: talks.delete_talk(c["db"], a, tid), {"admin"}),
    "supervision.responsibility.save_template": (lambda c: None, lambda c, a, _: responsibility.save_template(
        c["db"], a, "duties.township", "带头安装。"), {"admin"}),
    "supervision.responsibility.reset_template": (_edited, lambda c, a, _: responsibility.reset_template(c["db"], a, "body"),
                                                  {"admin"}),
    "supervision.responsibility.attach_scan": (_signed, lambda c, a, _: responsibility.attach_scan(
        c["db"], a, c["ids"]["T01"], Upload("scan.pdf", b"%PDF-1.4 signed")), {"admin"}),
}
EXTRA_COVERED.update(WRITES)
# Reads: the lock's windows and one's own requests (scope is checked by the write that uses them).
EXTRA_COVERED.update({"installs.entries.unlocked_units", "installs.entries.is_unlocked", "installs.unlocks.mine"})
# Reads of staff names: a sample's people (require_details) and a round's report (administrators and leaders),
# each with its refusal tested below.
EXTRA_COVERED.update({"supervision.samples.sample_people", "supervision.round_report.build"})


@pytest.mark.parametrize("role", list(DEMO))
@pytest.mark.parametrize("name", list(WRITES))
def test_role_against_issue_20_write(demo, name, role):
    role_writes(demo, WRITES[name], role)


@pytest.mark.parametrize("role", list(DEMO))
def test_names_of_a_sample_and_a_report_only_to_who_may_see_them(demo, role):
    sample_id = _sample(demo)
    samples.record_results(demo["db"], demo["admin"], sample_id, "2026-11-28", "督导组", _results(demo, sample_id))
    actor = demo["actors"][role]
    sees_people = role in ("admin", "leader", "coordinator")  # 城厢镇 (T01) is coord_cx's
    for call, allowed in ((lambda: samples.sample_people(demo["db"], actor, sample_id), sees_people),
                          (lambda: round_report.build(demo["db"], actor, samples.get_sample(demo["db"], sample_id)["round_id"]),
                           role in ("admin", "leader"))):
        if allowed:
            assert len(call()) > 0
        else:
            with pytest.raises(AccessDenied):
                call()
