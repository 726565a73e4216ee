"""AppTest flows: real sign-in through the form, a coordinator's own unit only, sign-out; admin pages."""

import pytest
from streamlit.testing.v1 import AppTest

from campaign import features
from campaign.accounts import auth, users
from campaign.installs import entries as installs
from tests.apptest import APP, errors, open_page


def signed_out(demo_path, lang="zh") -> AppTest:
    return open_page(demo_path, user=None, lang=lang)


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="sign_in_user").input(name)
    at.text_input(key="sign_in_password").input(password)
    return at.button(key="sign_in_submit").click().run()


def test_coordinator_signs_in_sees_only_own_unit_saves_and_signs_out(demo_path):
    db = features.connect(demo_path)
    at = signed_out(demo_path)
    assert errors(at) == [] and at.text_input(key="sign_in_password") is not None
    assert "coord_cx" in at.dataframe[0].value.iloc[:, 0].tolist()  # the demo accounts are listed

    sign_in(at, "coord_cx", users.DEMO_PASSWORD)
    assert errors(at) == []
    assert "城厢镇联络员" in at.sidebar.markdown[0].value
    at.switch_page("ui/pages/entry.py").run()
    unit = at.selectbox(key="entry_unit")
    assert unit.options == ["城厢镇 (T01)"]  # only the own unit: no other unit to choose
    t01 = db.execute("SELECT id FROM units WHERE code = 'T01'").fetchone()[0]
    key = f"entry_grid_{t01}_2026-11-28"
    at.session_state[key] = {"edited_rows": {0: {"today": 7}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="entry_save").click().run()
    assert errors(at) == []
    assert any("已保存" in s.value for s in at.success)
    first = installs.entry_sheet(db, users.get_actor(db, "coord_cx"), t01, "2026-11-28").iloc[0]
    assert first["today"] == 7
    entered = db.execute("SELECT e.entered_by FROM install_reports r JOIN entries e ON e.id = r.entry_id"
                         " WHERE r.staff_id = ? AND r.day = '2026-11-28' AND r.superseded_by IS NULL",
                         [int(first["id"])]).fetchone()[0]
    assert entered == "coord_cx"

    at.button(key="sign_out").click().run()
    assert errors(at) == []
    assert at.text_input(key="sign_in_user") is not None  # back at the sign-in form
    assert db.execute("SELECT COUNT(*) FROM sessions WHERE username = 'coord_cx'").fetchone()[0] == 0
    assert [r[0] for r in db.execute("SELECT action FROM audit WHERE entity = 'session' AND actor = 'coord_cx' ORDER BY id")] == [
        "sign_in", "sign_out"]


def test_wrong_password_shows_a_clear_message(demo_path):
    at = sign_in(signed_out(demo_path, "en"), "coord_cx", "wrong password")
    assert [e.value for e in at.error] == [
        "Wrong user name or password. After 5 wrong tries in a row an account is locked for 15 minutes."]
    assert at.text_input(key="sign_in_user") is not None


def test_locked_account_message(demo_path):
    at = signed_out(demo_path, "en")
    for _ in range(5):
        sign_in(at, "leader", "wrong password")
    assert at.error[0].value.startswith("Too many failed sign-ins: the account is locked until")


def test_a_session_survives_a_new_script_run_only_while_it_lives(demo_path, monkeypatch):
    """What a reload does: a new AppTest (fresh session state) with the token restored; signing out kills it."""
    monkeypatch.setenv("CAMPAIGN_DB", str(demo_path))
    db = features.connect(demo_path)
    token = auth.sign_in(db, "leader", users.DEMO_PASSWORD).token
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["auth_token"] = token
    at.run()
    assert "县领导" in at.sidebar.markdown[0].value
    auth.sign_out(db, token)
    at.run()
    assert at.text_input(key="sign_in_user") is not None


def test_forced_password_change_after_an_admin_reset(demo_path):
    db = features.connect(demo_path)
    users.reset_password(db, users.get_actor(db, "admin"), "coord_gaj", "temporary-123")
    at = sign_in(signed_out(demo_path, "en"), "coord_gaj", "temporary-123")
    assert any("temporary password" in w.value for w in at.warning)  # only "My account" until changed
    at.text_input(key="account_old").input("temporary-123")
    at.text_input(key="account_new").input("my-own-secret")
    at.text_input(key="account_new2").input("my-own-secret")
    at.button(key="account_submit").click().run()
    assert errors(at) == []
    assert not users.get_account(db, "coord_gaj")["must_change"]
    at.switch_page("ui/pages/entry.py").run()
    assert at.selectbox(key="entry_unit").options == ["县公安局 (D018)"]


@pytest.mark.parametrize("role_user", ["leader", "coord_cx"])
@pytest.mark.parametrize("page", ["users", "audit", "backup", "settings"])
def test_admin_pages_cannot_be_opened_by_others(demo_path, role_user, page):
    at = open_page(demo_path, user=role_user)
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not in this role's navigation at all
        at.switch_page(f"ui/pages/{page}.py")


def test_admin_creates_resets_disables_and_unlocks(demo_path):
    db = features.connect(demo_path)
    at = open_page(demo_path, "users", lang="en")
    assert errors(at) == []
    at.text_input(key="users_new_name").input("wang")
    at.text_input(key="users_new_display").input("王五")
    at.selectbox(key="users_new_role").select_index(2)  # coordinator (format_func needs the script context)
    at.multiselect(key="users_new_scope").select("T03")
    at.text_input(key="users_new_password").input("first-password")
    at.button(key="users_create").click().run()
    assert errors(at) == [] and at.success[0].value == "Account wang created."
    account = users.get_account(db, "wang")
    assert (account["role"], account["scope"], account["must_change"]) == ("coordinator", ["T03"], True)

    at.selectbox(key="users_edit_name").select("wang").run()
    at.text_input(key="users_reset_pw_wang").input("second-password")
    at.button(key="users_reset_wang_submit").click().run()
    assert at.success[0].value == "Password of wang reset; their sessions were ended."
    assert auth.sign_in(db, "wang", "second-password").must_change

    at.button(key="users_toggle_wang").click().run()
    assert at.success[0].value == "wang disabled." and not users.get_account(db, "wang")["active"]
    actions = [r[0] for r in db.execute("SELECT action FROM audit WHERE entity = 'user' AND entity_id = 'wang' ORDER BY id")]
    assert actions == ["create", "reset_password", "disable"]


def test_audit_page_filters_by_user(demo_path):
    auth.sign_in(features.connect(demo_path), "admin", users.DEMO_PASSWORD)  # an audit row by "admin"
    at = open_page(demo_path, "audit", lang="en")
    assert errors(at) == []
    at.selectbox(key="audit_user").select("admin").run()
    assert errors(at) == []
    assert at.dataframe[0].value[["actor", "action"]].values.tolist() == [["admin", "sign-in"]]  # labelled in English
