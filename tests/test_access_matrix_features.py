"""Every role against the write functions of the outreach, coverage, supervision and flyer features,
on the demo county (it holds their data). Allowed: something is written; refused: a CampaignError and
not one row changed (the connection's total_changes stays put)."""

import pytest

from campaign.accounts import users
from campaign.flyers import store as flyers_store
from campaign.infra.errors import AccessDenied
from campaign.outreach import entries as outreach
from campaign.supervision import letters
from campaign.supervision import spot_checks as supervision
from tests.test_access_matrix import EXTRA_COVERED, role_writes

DEMO = {"admin": "admin", "leader": "leader", "coordinator": "coord_cx", "coordinator_elsewhere": "coord_gaj",
        "grid_worker": "grid_cx"}
DAY = "2026-11-28"


@pytest.fixture
def demo(demo_db):
    ids = {code: uid for uid, code in demo_db.execute("SELECT id, code FROM units")}
    actors = {role: users.get_actor(demo_db, name) for role, name in DEMO.items()}
    return {"db": demo_db, "ids": ids, "actors": actors, "admin": actors["admin"]}


def _staff(c, code):
    return [sid for (sid,) in c["db"].execute(
        "SELECT id FROM staff WHERE unit_id = ? AND active = 1 ORDER BY id LIMIT 2", [c["ids"][code]])]


def _round(c):
    return supervision.add_round(c["db"], c["admin"], "抽查（矩阵）", DAY)


def _check(c):
    return supervision.record_check(c["db"], c["admin"], _round(c), c["ids"]["T01"], DAY, "检查组",
                                    [(sid, True, True) for sid in _staff(c, "T01")])


def _letter(c, sent=False):
    letter = letters.create_reminder(c["db"], c["admin"], c["ids"]["T01"], "manual",
                                     [{"code": "letter.problem.text", "params": {"text": "进度落后"}}])
    if sent:
        letters.mark_sent(c["db"], c["admin"], letter, DAY)
    return letter


def _signed(c):
    letters.sign(c["db"], c["admin"], c["ids"]["T01"], "2026-11-20", "张书记")


GRID_VALUES = {"reached": 5, "flyers": 9, "installs": 2}

# name -> (prepare (as admin) -> argument, call, roles allowed). Targets lie in 城厢镇 (T01).
WRITES = {
    "outreach.entries.save_entry": (lambda c: c["ids"]["G01-001"],
                            lambda c, a, uid: outreach.save_entry(c["db"], a, uid, DAY, GRID_VALUES),
                            {"admin", "coordinator", "grid_worker"}),
    "outreach.entries.record": (lambda c: c["ids"]["G01-001"],
                        lambda c, a, uid: outreach.record(c["db"], a, [(uid, DAY, GRID_VALUES)]),
                        {"admin", "coordinator", "grid_worker"}),
    "flyers.store.make": (lambda c: flyers_store.select(c["db"], c["admin"], ["G01-001"]),
                          lambda c, a, locs: flyers_store.make(c["db"], a, "poster", locs),
                          {"admin", "coordinator", "grid_worker"}),
    "supervision.spot_checks.add_round": (lambda c: None, lambda c, a, _: supervision.add_round(c["db"], a, "第九轮", DAY), {"admin"}),
    "supervision.spot_checks.record_check": (_round, lambda c, a, rid: supervision.record_check(
        c["db"], a, rid, c["ids"]["T01"], DAY, "检查组", [(sid, True, False) for sid in _staff(c, "T01")]), {"admin"}),
    "supervision.spot_checks.delete_check": (_check, lambda c, a, cid: supervision.delete_check(c["db"], a, cid), {"admin"}),
    "supervision.letters.sign": (lambda c: None, lambda c, a, _: letters.sign(c["db"], a, c["ids"]["T01"], "2026-11-20", "张书记"),
                     {"admin"}),
    "supervision.letters.unsign": (_signed, lambda c, a, _: letters.unsign(c["db"], a, c["ids"]["T01"]), {"admin"}),
    "supervision.letters.create_reminder": (lambda c: None, lambda c, a, _: letters.create_reminder(
        c["db"], a, c["ids"]["T01"], "manual", [{"code": "letter.problem.text", "params": {"text": "未报"}}]), {"admin"}),
    "supervision.letters.mark_sent": (_letter, lambda c, a, lid: letters.mark_sent(c["db"], a, lid, DAY), {"admin"}),
    "supervision.letters.record_reply": (lambda c: _letter(c, sent=True),
                             lambda c, a, lid: letters.record_reply(c["db"], a, lid, DAY, "已整改"), {"admin"}),
    # issue 18: a unit's personal cards (the print log, and codes for anyone still without one)
    "flyers.store.person_cards": (lambda c: _staff(c, "T01"),
                                  lambda c, a, sids: flyers_store.person_cards(c["db"], a, c["ids"]["T01"], staff_ids=sids),
                                  {"admin", "coordinator"}),
}
EXTRA_COVERED.update(name for name in WRITES)
# Reads (scope-checked or not writing), and storage steps that run only inside a checked import
# (run_import checks the role first: tests/test_access_matrix.py, every import kind).
EXTRA_COVERED.update({
    "outreach.entries.channel_units", "outreach.entries.channels_for", "outreach.entries.check_entries",
    "outreach.entries.recent_reports", "outreach.entries.redact", "flyers.store.locations_for", "flyers.store.select",
    "supervision.spot_checks.check_items", "supervision.spot_checks.unit_staff", "coverage.store.save_population",
    "coverage.store.save_registrations", "coverage.store.save_peers", "coverage.store.use_version",
    "coverage.store.set_alias", "coverage.store.remove_alias",
    # issue 18: reads of staff details, scope-checked (tests/test_scans.py::test_personal_codes_and_scans_only_in_scope)
    "flyers.store.card_units", "scans.codes.people", "scans.counts.person_scans",
})


@pytest.mark.parametrize("role", list(DEMO))
@pytest.mark.parametrize("name", list(WRITES))
def test_role_against_feature_write(demo, name, role):
    role_writes(demo, WRITES[name], role, outside_scope_rows=True)


@pytest.mark.parametrize("role", list(DEMO))
def test_coverage_settings_writes_are_admin_only(demo, role):
    from campaign.coverage import store as coverage_store

    db, actor = demo["db"], demo["actors"][role]
    township = db.execute("SELECT DISTINCT township FROM population_rows LIMIT 1").fetchone()[0]
    version = coverage_store.list_versions(db)[0].id
    before = db.conn.total_changes
    calls = [lambda: coverage_store.set_alias(db, actor, "别名镇", township),
             lambda: coverage_store.use_version(db, actor, version)]
    for call in calls:
        if actor.is_admin:
            call()
        else:
            with pytest.raises(AccessDenied):
                call()
    assert (db.conn.total_changes > before) == actor.is_admin
