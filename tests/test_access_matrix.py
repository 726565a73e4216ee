"""Every role against every write function: allowed, or refused with nothing changed.

Scope is enforced inside `campaign`, so each call here is the "crafted request" a page would
never offer: a coordinator of 乙镇 (T2) writing for 甲镇 (T1), a leader saving an entry, a grid
worker changing settings. A refused call must raise a CampaignError and leave every table as it was.
"""

import hashlib
import importlib
import inspect

import pytest

from campaign import features
from campaign.accounts import auth, backup, users
from campaign.infra import settings
from campaign.infra.db import write
from campaign.infra.errors import AccessDenied, CampaignError, RowsRejected
from campaign.infra.tables import Upload
from campaign.installs import entries as installs
from campaign.installs import rankings
from campaign.org import access, staff
from campaign.org.access import Actor
from tests import core_modules
from tests.helpers import ADMIN, small_county
from ui import nav

PASSWORD = "matrix-password"
ROLES = ["admin", "leader", "coordinator", "coordinator_elsewhere", "grid_worker"]


@pytest.fixture
def county(db, tmp_path):
    small_county(db)
    ids = {code: uid for uid, code in db.execute("SELECT id, code FROM units")}
    people = {name: sid for sid, name in db.execute("SELECT id, name FROM staff")}
    actors = {
        "admin": Actor("admin", access.ADMIN),
        "leader": Actor("leader", access.LEADER),
        "coordinator": Actor("coord", access.COORDINATOR, frozenset({ids["T1"]})),
        "coordinator_elsewhere": Actor("coord2", access.COORDINATOR, frozenset({ids["T2"]})),
        "grid_worker": Actor("grid", access.GRID_WORKER, frozenset({ids["T1"]})),
    }
    users.add_user(db, ADMIN, "target", access.COORDINATOR, scope_codes=["T1"], password=PASSWORD)
    backup_file = backup.backup(db, tmp_path / "before.db")
    return {"db": db, "ids": ids, "people": people, "actors": actors, "backup": backup_file, "path": tmp_path / "empty.db"}


def role_writes(demo, spec, role, *, outside_scope_rows=False) -> None:
    """One write of the matrix (prepare, call, allowed roles) by one demo role: it changes rows when allowed, else is
    refused (AccessDenied; or, for an import, every row refused as outside the role's scope) and changes nothing."""
    prepare, call, allowed = spec
    argument = prepare(demo)
    conn, actor = demo["db"].conn, demo["actors"][role]
    before = conn.total_changes
    if role in allowed:
        call(demo, actor, argument)
        assert conn.total_changes > before
        return
    with pytest.raises(CampaignError) as caught:
        call(demo, actor, argument)
    assert isinstance(caught.value, AccessDenied) or (outside_scope_rows and isinstance(caught.value, RowsRejected)
                                                     and {e.code for e in caught.value.errors} == {"row.outside_scope"})
    assert conn.total_changes == before


def fingerprint(db) -> str:
    """Every row of every table but sessions, as one digest."""
    dump = [line for line in db.conn.iterdump() if "INSERT INTO \"sessions\"" not in line]
    return hashlib.sha256("\n".join(dump).encode()).hexdigest()


def csv(name, text):
    return Upload(name, text.strip().encode("utf-8"))


def _lock(c):
    with write(c["db"]):
        c["db"].execute("UPDATE users SET locked_until = '2099-01-01T00:00:00+08:00' WHERE username = 'target'")


def _change(c):
    settings.update(c["db"], ADMIN, {"laggard_days": 4})


def _nothing(c):
    pass


# name -> (prepare, call, roles allowed). Each call acts on 甲镇 (T1) or on county-wide things.
WRITES = {
    "installs.entries.save_entries": (_nothing,
        lambda c, a: installs.save_entries(c["db"], a, c["ids"]["T1"], "2026-11-28", {c["people"]["张一"]: 4}),
        {"admin", "coordinator"}),
    "features.run_import[installs]": (_nothing,
        lambda c, a: features.run_import(c["db"], a, "installs", csv("i.csv", "单位,姓名,日期,安装数\n甲镇,张一,2026-11-28,4")),
        {"admin", "coordinator"}),
    "features.run_import[staff]": (_nothing,
        lambda c, a: features.run_import(c["db"], a, "staff", csv("s.csv", "单位,姓名,手机号\n甲镇,张三,13800000009")),
        {"admin", "coordinator"}),
    "features.run_import[units]": (_nothing,
        lambda c, a: features.run_import(c["db"], a, "units", csv("u.csv", "编码,名称,类型,上级\nT3,丙镇,乡镇,C")),
        {"admin"}),
    "infra.settings.update": (_nothing, lambda c, a: settings.update(c["db"], a, {"default_quota": 40}), {"admin"}),
    "accounts.users.add_user": (_nothing,
        lambda c, a: users.add_user(c["db"], a, "newbie", access.COORDINATOR, scope_codes=["T1"], password=PASSWORD),
        {"admin"}),
    "accounts.users.add_user[promote self]": (_nothing,
        lambda c, a: users.add_user(c["db"], a, a.name, access.ADMIN, password=PASSWORD), {"admin"}),
    "accounts.users.reset_password": (_nothing, lambda c, a: users.reset_password(c["db"], a, "target", "another-password"), {"admin"}),
    "accounts.users.set_active": (_nothing, lambda c, a: users.set_active(c["db"], a, "target", False), {"admin"}),
    "accounts.users.unlock": (_lock, lambda c, a: users.unlock(c["db"], a, "target"), {"admin"}),
    "accounts.backup.download": (_nothing, lambda c, a: backup.download(c["db"], a, "x.db"), {"admin"}),
    "accounts.backup.restore": (_change,
        lambda c, a: backup.restore(c["db"], a, c["backup"], current_path=c["path"], migration_sets=features.migration_sets(),
                                      migrate=features.migrate), {"admin"}),
    "accounts.backup.save": (_nothing, lambda c, a: backup.save(c["db"], a, c["path"].with_name("saved.db")), {"admin"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(WRITES))
def test_role_against_write(county, name, role):
    prepare, call, allowed = WRITES[name]
    prepare(county)
    db, actor = county["db"], county["actors"][role]
    before = fingerprint(db)
    if role in allowed:
        call(county, actor)
        assert fingerprint(db) != before
    else:
        with pytest.raises(CampaignError) as caught:
            call(county, actor)
        refusal = caught.value
        assert isinstance(refusal, AccessDenied) or (
            isinstance(refusal, RowsRejected) and {e.code for e in refusal.errors} == {"row.outside_scope"})
        assert fingerprint(db) == before


@pytest.mark.parametrize("role", ROLES)
def test_everyone_changes_only_their_own_password(county, role):
    db, actor = county["db"], county["actors"][role]
    users.add_user(db, ADMIN, actor.name, actor.role, scope_codes=["T1"] if actor.role in access.SCOPED else [],
                   password=PASSWORD, must_change=False)
    users.change_password(db, actor, PASSWORD, "brand-new-password")
    assert auth.sign_in(db, actor.name, "brand-new-password").actor.name == actor.name
    assert auth.sign_in(db, "target", PASSWORD).actor.name == "target"  # nobody else's changed


# Staff details (names, phones) are read only in scope: the same table of roles for every read.
READS = {
    "org.staff.list_staff": lambda c, a, unit: staff.list_staff(c["db"], a, unit),
    "installs.entries.entry_sheet": lambda c, a, unit: installs.entry_sheet(c["db"], a, unit, "2026-11-28"),
    "installs.rankings.staff_ranking": lambda c, a, unit: rankings.staff_ranking(c["db"], a, unit, "2026-11-28"),
}
SEES_T1 = {"admin", "leader", "coordinator", "grid_worker"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(READS))
def test_staff_details_only_in_scope(county, name, role):
    call, actor = READS[name], county["actors"][role]
    if role in SEES_T1:
        assert len(call(county, actor, county["ids"]["T1"])) == 2
    else:
        with pytest.raises(AccessDenied):
            call(county, actor, county["ids"]["T1"])


@pytest.mark.parametrize("role, shown", [("admin", "13800000001"), ("leader", "138****0001"), ("coordinator", "138****0001"),
                                         ("grid_worker", "138****0001")])
def test_phones_are_masked_for_all_but_admins(county, role, shown):
    frame = staff.list_staff(county["db"], county["actors"][role], county["ids"]["T1"])
    assert frame.set_index("name").loc["张一", "phone"] == shown


@pytest.mark.parametrize("role", ROLES)
def test_every_import_kind_checks_the_role_before_reading_the_file(county, role):
    """Import kinds of every feature: a role that may not import a kind is refused before anything is read."""
    actor = county["actors"][role]
    for kind, spec in features.import_kinds().items():
        allowed = actor.role in spec.roles and (actor.is_admin or not spec.admin_only)
        before = fingerprint(county["db"])
        try:
            features.run_import(county["db"], actor, kind, Upload(f"{kind}.csv", features.template(kind)), dry_run=True)
        except AccessDenied:
            assert not allowed, kind
        except CampaignError:
            assert allowed, kind  # past the role gate: the example row may not fit this small county
        else:
            assert allowed, kind
        assert fingerprint(county["db"]) == before


def test_roles_see_only_their_pages():
    keys = {role: [p.key for p in nav.pages_for(role)] for role in access.ROLES}
    for admin_page in ("settings", "users", "audit", "backup"):
        assert admin_page in keys["admin"]
        assert all(admin_page not in keys[r] for r in (access.LEADER, access.COORDINATOR, access.GRID_WORKER))
    assert "entry" not in keys[access.LEADER] and "data_import" not in keys[access.LEADER]
    assert all("account" in keys[r] for r in access.ROLES)


# ---- every write function is in the table above --------------------------------------------

# Functions taking (db, actor, ...) that only read, or that are plumbing reached solely through a
# checked entry point (an import kind's validate_/apply_ run only inside campaign.infra.imports.run).
NOT_WRITES = {
    "org.access.scope_units", "org.access.require_write", "org.access.can_see_details", "org.access.require_details",
    "org.access.writable_units", "org.staff.list_staff", "infra.audit.record", "infra.audit.record_many",
    "infra.imports.run",  # every import kind's role gate: test_every_import_kind_checks_the_role_before_reading_the_file
    "installs.entries.entry_sheet", "installs.rankings.staff_ranking",  # scoped reads: test_staff_details_only_in_scope
    "installs.reference.entry_sheet_from_raw", "installs.reference.staff_ranking_from_raw",  # the tests' raw-row references
    "installs.entries.new_entry",  # a save's who/when row, written inside the scoped save or import that calls it
    "accounts.users.change_password",  # test_everyone_changes_only_their_own_password
    "features.restore",  # backup.restore with this version's schema (the row below)
}


def functions_taking_actor():
    """Every public function of the core taking (db, actor, …), as found from the composition root, recursively."""
    for name in core_modules.module_names():
        if name == "campaign.__main__":
            continue
        module = importlib.import_module(name)
        for function_name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or function_name.startswith("_"):
                continue
            params = list(inspect.signature(function).parameters)
            if params[:2] == ["db", "actor"] and not function_name.startswith(("validate_", "apply_")):
                yield f"{name.removeprefix('campaign.')}.{function_name}"


def covered() -> set[str]:
    import tests.test_access_matrix_features  # noqa: F401  (adds the other features' functions to EXTRA_COVERED)
    import tests.test_access_matrix_loops  # noqa: F401  (issue 20's functions)

    return {name.split("[")[0] for name in WRITES} | NOT_WRITES | EXTRA_COVERED


def test_every_write_function_is_in_the_matrix():
    missing = sorted(set(functions_taking_actor()) - covered())
    assert missing == [], f"write functions without a role test in tests/test_access_matrix.py: {missing}"


def test_the_matrix_names_only_functions_that_exist():
    assert sorted(covered() - set(functions_taking_actor())) == []


def test_an_unlisted_write_is_caught(monkeypatch):
    """The meta-test fails when a feature gains a write function nobody listed (here, one planted in a subpackage's module)."""
    from campaign.supervision import letters

    def plant(db, actor, unit_id):  # what a new write would look like
        """A write nobody listed."""

    plant.__module__ = letters.__name__
    monkeypatch.setattr(letters, "plant", plant, raising=False)
    assert sorted(set(functions_taking_actor()) - covered()) == ["supervision.letters.plant"]


# Filled in by tests/test_access_matrix_features.py (outreach, coverage, supervision, flyers).
EXTRA_COVERED: set[str] = set()

# QR-code flyers (issue 4): `make` (the one write: the print log) has its role × scope table with
# nothing written on a refusal in tests/test_flyers_app.py; `locations_for` and `select` only read.
EXTRA_COVERED |= {"flyers.store.make", "flyers.store.locations_for", "flyers.store.select"}

# Supervision and letters (issue 7): every write has its role table with nothing written on a refusal in
# tests/test_supervision.py (test_role_against_supervision_write); check_items and unit_staff only read (in scope).
EXTRA_COVERED |= {"supervision.spot_checks.add_round", "supervision.spot_checks.record_check",
                  "supervision.spot_checks.delete_check", "supervision.spot_checks.check_items",
                  "supervision.spot_checks.unit_staff", "supervision.letters.sign", "supervision.letters.unsign",
                  "supervision.letters.create_reminder", "supervision.letters.mark_sent", "supervision.letters.record_reply"}

# Work groups (issue 19): every write and send has its role table with nothing written on a refusal in
# tests/test_notify.py (test_only_administrators_change_or_send); claim and finish are the send log's steps, run
# only inside push, run_due and test_channel, after their administrator check.
EXTRA_COVERED |= {"notify.channels.add_channel", "notify.channels.remove_channel", "notify.channels.subscribe",
                  "notify.channels.unsubscribe", "notify.schedule.push", "notify.schedule.run_due",
                  "notify.schedule.test_channel", "notify.sending.claim", "notify.sending.finish"}
