"""Accounts and sign-in: password hashes, validation, sessions, lockout, reset, disable, demo accounts."""

import datetime as dt

import pytest

from campaign import demo
from campaign.accounts import auth, users
from campaign.infra import clock, settings
from campaign.infra.errors import AccessDenied, InvalidValue, NotFound
from campaign.org import access
from tests.helpers import ADMIN, small_county

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=clock.TZ)
PASSWORD = "correct horse"


@pytest.fixture
def county(db):
    small_county(db)
    users.add_user(db, ADMIN, "boss", access.ADMIN, password="boss-password", must_change=False)
    users.add_user(db, ADMIN, "zhang", access.COORDINATOR, scope_codes=["T1"], password=PASSWORD, must_change=False)
    return db


def audit_actions(db, entity=None):
    sql = "SELECT action FROM audit" + (" WHERE entity = ?" if entity else "") + " ORDER BY id"
    return [r[0] for r in db.execute(sql, [entity] if entity else [])]


# ---- hashes ------------------------------------------------------------------------------

def test_hash_never_equals_the_password_and_differs_for_equal_passwords():
    first, second = users.hash_password(PASSWORD), users.hash_password(PASSWORD)  # the tests' cheap parameters
    assert PASSWORD not in first and first != PASSWORD
    assert first != second  # a random salt per hash
    assert first.startswith("$argon2id$") and second.startswith("$argon2id$")
    assert users.verify_password(first, PASSWORD) and users.verify_password(second, PASSWORD)
    assert not users.verify_password(first, PASSWORD + "x")
    assert not users.verify_password(None, PASSWORD) and not users.verify_password("not a hash", PASSWORD)


def test_database_keeps_only_the_hash(county):
    stored = county.execute("SELECT password_hash FROM users WHERE username = 'zhang'").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    everything = "\n".join(county.conn.iterdump())
    assert PASSWORD not in everything
    assert "$argon2" not in "".join(str(r) for r in county.execute("SELECT old, new, detail FROM audit"))


# ---- account rules -----------------------------------------------------------------------

@pytest.mark.parametrize(
    "name, role, scope, password, code",
    [
        ("x", access.LEADER, [], PASSWORD, "auth.error.bad_username"),
        ("has space", access.LEADER, [], PASSWORD, "auth.error.bad_username"),
        ("li", access.LEADER, [], "short", "auth.error.password_short"),
        ("li", access.LEADER, [], "x" * 129, "auth.error.password_long"),
        ("lisi1234", access.LEADER, [], "LiSi1234", "auth.error.password_is_username"),
        ("li", access.COORDINATOR, [], PASSWORD, "auth.error.scope_required"),
        ("li", access.GRID_WORKER, [], PASSWORD, "auth.error.scope_required"),
        ("li", "superuser", [], PASSWORD, "error.bad_role"),
        ("li", access.COORDINATOR, ["NOPE"], PASSWORD, "error.unit_not_found"),
        ("li", access.LEADER, [], None, "auth.error.password_required"),
    ],
)
def test_bad_accounts_are_refused(county, name, role, scope, password, code):
    before = len(users.list_users(county))
    with pytest.raises((InvalidValue, NotFound)) as caught:
        users.add_user(county, ADMIN, name, role, scope_codes=scope, password=password)
    assert caught.value.code == code
    assert len(users.list_users(county)) == before


def test_names_ignore_case_and_spaces_and_scope_is_stored_as_codes(county):
    users.add_user(county, ADMIN, "  WangWu ", access.COORDINATOR, scope_codes=["T2", "D1"], password=PASSWORD)
    account = users.get_account(county, "wangwu")
    assert (account["username"], account["role"], account["scope"], account["must_change"]) == (
        "wangwu", "coordinator", ["D1", "T2"], True)
    assert auth.sign_in(county, "WANGWU", PASSWORD, now=NOW).actor.name == "wangwu"


def test_leader_and_admin_scopes_are_empty(county):
    users.add_user(county, ADMIN, "lead", access.LEADER, scope_codes=["T1"], password=PASSWORD)
    assert users.get_account(county, "lead")["scope"] == []


def test_last_admin_cannot_be_disabled_or_demoted_nor_an_admin_disable_themselves(county):
    boss = users.get_actor(county, "boss")
    with pytest.raises(InvalidValue) as caught:
        users.set_active(county, boss, "boss", False)
    assert caught.value.code == "auth.error.disable_self"
    with pytest.raises(InvalidValue) as caught:
        users.set_active(county, ADMIN, "boss", False)
    assert caught.value.code == "auth.error.last_admin"
    with pytest.raises(InvalidValue) as caught:
        users.add_user(county, ADMIN, "boss", access.LEADER)
    assert caught.value.code == "auth.error.last_admin"
    users.add_user(county, ADMIN, "boss2", access.ADMIN, password=PASSWORD)
    users.set_active(county, ADMIN, "boss", False)
    assert not users.get_account(county, "boss")["active"]


# ---- sign-in and sessions ----------------------------------------------------------------

def test_sign_in_opens_a_session_that_lasts_the_set_hours(county):
    settings.update(county, ADMIN, {"session_hours": 8})
    signed = auth.sign_in(county, "zhang", PASSWORD, now=NOW)
    assert signed.actor == users.get_actor(county, "zhang")
    assert signed.expires_at == NOW + dt.timedelta(hours=8)
    assert auth.resolve(county, signed.token, now=NOW + dt.timedelta(hours=7, minutes=59)) == signed.actor
    assert auth.resolve(county, signed.token, now=NOW + dt.timedelta(hours=8)) is None
    # only a digest of the token is stored
    assert county.execute("SELECT COUNT(*) FROM sessions WHERE token_sha256 = ?", [signed.token]).fetchone()[0] == 0
    assert users.get_account(county, "zhang")["last_sign_in"] == NOW.isoformat(timespec="seconds")


@pytest.mark.parametrize("token", [None, "", "made-up-token", "x" * 43])
def test_unknown_tokens_resolve_to_nobody(county, token):
    assert auth.resolve(county, token, now=NOW) is None


def test_sign_out_ends_only_that_session(county):
    phone = auth.sign_in(county, "zhang", PASSWORD, now=NOW)
    laptop = auth.sign_in(county, "zhang", PASSWORD, now=NOW)
    auth.sign_out(county, phone.token)
    assert auth.resolve(county, phone.token, now=NOW) is None
    assert auth.resolve(county, laptop.token, now=NOW) is not None
    assert audit_actions(county, "session") == ["sign_in", "sign_in", "sign_out"]


@pytest.mark.parametrize("name, password", [("zhang", "wrong password"), ("nobody", PASSWORD), ("", "")])
def test_wrong_credentials_get_one_message(county, name, password):
    with pytest.raises(AccessDenied) as caught:
        auth.sign_in(county, name, password, now=NOW)
    assert (caught.value.code, caught.value.params) == ("auth.error.bad_credentials", {"limit": 5, "minutes": 15})
    assert county.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0


def test_disabled_account_cannot_sign_in_and_its_sessions_end(county):
    signed = auth.sign_in(county, "zhang", PASSWORD, now=NOW)
    users.set_active(county, ADMIN, "zhang", False)
    assert auth.resolve(county, signed.token, now=NOW) is None
    with pytest.raises(AccessDenied) as caught:
        auth.sign_in(county, "zhang", PASSWORD, now=NOW)
    assert caught.value.code == "auth.error.bad_credentials"
    users.set_active(county, ADMIN, "zhang", True)
    assert auth.sign_in(county, "zhang", PASSWORD, now=NOW).actor.name == "zhang"


def test_admin_reset_signs_out_and_forces_a_change(county):
    signed = auth.sign_in(county, "zhang", PASSWORD, now=NOW)
    users.reset_password(county, ADMIN, "zhang", "temporary-1")
    assert auth.resolve(county, signed.token, now=NOW) is None
    with pytest.raises(AccessDenied):
        auth.sign_in(county, "zhang", PASSWORD, now=NOW)
    fresh = auth.sign_in(county, "zhang", "temporary-1", now=NOW)
    assert fresh.must_change and users.get_account(county, "zhang")["must_change"]
    with pytest.raises(AccessDenied) as caught:
        users.change_password(county, fresh.actor, "not the old one", "my-own-password")
    assert caught.value.code == "auth.error.wrong_old_password"
    users.change_password(county, fresh.actor, "temporary-1", "my-own-password")
    assert not users.get_account(county, "zhang")["must_change"]
    assert auth.sign_in(county, "zhang", "my-own-password", now=NOW).actor.name == "zhang"


# ---- lockout -----------------------------------------------------------------------------

def test_repeated_failures_lock_the_account_for_the_set_minutes(county):
    settings.update(county, ADMIN, {"lockout_failures": 5, "lockout_minutes": 15})
    codes = []
    for minute in range(5):
        with pytest.raises(AccessDenied) as caught:
            auth.sign_in(county, "zhang", "guess", now=NOW + dt.timedelta(minutes=minute))
        codes.append((caught.value.code, caught.value.params))
    wrong = ("auth.error.bad_credentials", {"limit": 5, "minutes": 15})
    assert codes == [wrong, wrong, wrong, wrong, ("auth.error.locked", {"until": "09:19"})]
    # locked: even the right password is refused, and does not count
    with pytest.raises(AccessDenied) as caught:
        auth.sign_in(county, "zhang", PASSWORD, now=NOW + dt.timedelta(minutes=18))
    assert caught.value.code == "auth.error.locked"
    assert auth.sign_in(county, "zhang", PASSWORD, now=NOW + dt.timedelta(minutes=19)).actor.name == "zhang"
    account = users.get_account(county, "zhang")
    assert (account["failed_count"], account["locked_until"]) == (0, None)
    assert audit_actions(county, "session").count("sign_in_failed") == 4
    assert audit_actions(county, "user").count("lock") == 1


def test_success_resets_the_failure_count(county):
    for _ in range(4):
        with pytest.raises(AccessDenied):
            auth.sign_in(county, "zhang", "guess", now=NOW)
    auth.sign_in(county, "zhang", PASSWORD, now=NOW)
    assert users.get_account(county, "zhang")["failed_count"] == 0
    for _ in range(4):  # four more wrong ones do not lock it
        with pytest.raises(AccessDenied) as caught:
            auth.sign_in(county, "zhang", "guess", now=NOW)
        assert caught.value.code == "auth.error.bad_credentials"


def test_admin_unlocks_early(county):
    settings.update(county, ADMIN, {"lockout_failures": 3})
    for _ in range(3):
        with pytest.raises(AccessDenied):
            auth.sign_in(county, "zhang", "guess", now=NOW)
    assert users.get_account(county, "zhang")["locked_until"] == "2026-11-28T09:15:00+08:00"
    users.unlock(county, ADMIN, "zhang")
    assert auth.sign_in(county, "zhang", PASSWORD, now=NOW).actor.name == "zhang"


def test_a_lockout_on_one_account_leaves_others_alone(county):
    settings.update(county, ADMIN, {"lockout_failures": 3})
    for _ in range(3):
        with pytest.raises(AccessDenied):
            auth.sign_in(county, "zhang", "guess", now=NOW)
    assert auth.sign_in(county, "boss", "boss-password", now=NOW).actor.role == access.ADMIN


# ---- demo accounts -----------------------------------------------------------------------

def test_demo_accounts_work_only_in_a_demo_database(demo_db):
    assert users.demo_mode(demo_db)
    names = {a["username"]: a["role"] for a in users.list_users(demo_db) if a["demo"]}
    assert set(names.values()) == set(access.ROLES)  # a demo account for every role
    assert {"admin": "admin", "leader": "leader", "coord_cx": "coordinator"}.items() <= names.items()
    for name in names:
        assert auth.sign_in(demo_db, name, users.DEMO_PASSWORD, now=NOW).actor.name == name
    kept = auth.sign_in(demo_db, "coord_cx", users.DEMO_PASSWORD, now=NOW)
    users.add_user(demo_db, ADMIN, "realadmin", access.ADMIN, password=PASSWORD, must_change=False)
    assert not users.demo_mode(demo_db)
    assert auth.resolve(demo_db, kept.token, now=NOW) is None
    assert not any(a["active"] for a in users.list_users(demo_db) if a["demo"])
    for name in names:
        with pytest.raises(AccessDenied):
            auth.sign_in(demo_db, name, users.DEMO_PASSWORD, now=NOW)
    # re-enabled by mistake: still refused while a real administrator exists
    users.set_active(demo_db, ADMIN, "admin", True)
    with pytest.raises(AccessDenied) as caught:
        auth.sign_in(demo_db, "admin", users.DEMO_PASSWORD, now=NOW)
    assert caught.value.code == "auth.error.demo_off"


def test_no_demo_for_an_install_whose_admin_exists(db):
    users.add_user(db, access.SYSTEM, "chief", access.ADMIN, password=PASSWORD, must_change=False)
    assert demo.ensure_demo(db) is False
    assert db.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0


def test_production_passwords_are_argon2id_at_owasp_baseline():
    """The one production-cost hash of the suite (every other test user has a cheap one: tests/conftest.py)."""
    hasher = users.PRODUCTION
    assert (hasher.memory_cost, hasher.time_cost, hasher.parallelism) == (19456, 2, 1)
    stored = hasher.hash(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert users.verify_password(stored, PASSWORD) and not users.verify_password(stored, "wrong-password")
