"""Users (administrators): the accounts, a new account, and per account: role, units, password, disable, unlock."""

import streamlit as st

import ui
from campaign.accounts import users
from campaign.infra.errors import CampaignError
from campaign.org import access, units

t, db, me = ui.t, ui.db(), ui.actor()
st.header(t("users.title"))
if message := st.session_state.pop("users_message", None):
    st.success(message)
accounts = users.list_users(db)
unit_names = {u.code: f"{u.name} ({u.code})" for u in units.list_units(db)}
role_label = {r: t(f"role.{r}") for r in access.ROLES}.get  # a plain lookup: widgets call it outside the run too

ui.table([{**a, "role": role_label(a["role"]), "scope": ui.scope_names(db, a["scope"])} for a in accounts], key="users_table",
         pin="display_name", times=("locked_until", "last_sign_in"),
         columns={"display_name": st.column_config.TextColumn(t("users.display_name"), width="small"),
                  "username": t("users.username"), "role": t("users.role"), "scope": t("account.scope"), "mobile": t("field.phone"),
                  "last_sign_in": t("users.last_sign_in"), "active": st.column_config.CheckboxColumn(t("users.active")),
                  "locked_until": t("users.locked_until"), "must_change": st.column_config.CheckboxColumn(t("users.must_change")),
                  "demo": st.column_config.CheckboxColumn(t("users.demo"))})


def done(message):
    st.session_state["users_message"] = message
    st.rerun()


new_tab, edit_tab = st.tabs([t("users.add"), t("users.edit")])
with new_tab, st.form("users_new", clear_on_submit=False):
    name = st.text_input(t("users.username"), key="users_new_name")
    display = st.text_input(t("users.display_name"), key="users_new_display")
    role = st.selectbox(t("users.role"), access.ROLES, format_func=role_label, placeholder=ui.t("ui.choose"), key="users_new_role")
    scope = st.multiselect(t("users.scope"), list(unit_names), format_func=unit_names.get, key="users_new_scope",
                           placeholder=t("ui.choose_units"))
    mobile = st.text_input(t("users.mobile"), key="users_new_mobile")
    password = st.text_input(t("users.initial_password"), type="password", key="users_new_password", autocomplete="new-password")
    if st.form_submit_button(t("users.create"), type="primary", key="users_create"):
        try:
            created = users.add_user(db, me, name, role, scope_codes=scope, display_name=display or None, password=password,
                                     mobile=mobile)
        except CampaignError as error:
            ui.show_error(error)
        else:
            done(t("users.created", user=created.name))

with edit_tab:
    chosen = st.selectbox(t("users.account"), [a["username"] for a in accounts], placeholder=ui.t("ui.choose"), key="users_edit_name",
                          format_func=lambda n: next(f"{a['display_name']} ({n})" for a in accounts if a["username"] == n))
    account = next(a for a in accounts if a["username"] == chosen)
    with st.form(f"users_edit_{chosen}"):
        display = st.text_input(t("users.display_name"), account["display_name"], key=f"users_edit_display_{chosen}")
        role = st.selectbox(t("users.role"), access.ROLES, index=access.ROLES.index(account["role"]),
                            format_func=role_label, placeholder=ui.t("ui.choose"), key=f"users_edit_role_{chosen}")
        scope = st.multiselect(t("users.scope"), list(unit_names), default=[c for c in account["scope"] if c in unit_names],
                               format_func=unit_names.get, key=f"users_edit_scope_{chosen}",
                               placeholder=t("ui.choose_units"))
        mobile = st.text_input(t("users.mobile"), account["mobile"] or "", key=f"users_edit_mobile_{chosen}")
        if st.form_submit_button(t("users.save"), type="primary", key=f"users_save_{chosen}"):
            try:
                users.add_user(db, me, chosen, role, scope_codes=scope, display_name=display, demo=account["demo"],
                               mobile=mobile)
            except CampaignError as error:
                ui.show_error(error)
            else:
                done(ui.tm("users.saved", user=chosen))
    with st.form(f"users_reset_{chosen}", clear_on_submit=True):
        password = st.text_input(t("users.new_password"), type="password", key=f"users_reset_pw_{chosen}", autocomplete="new-password")
        if st.form_submit_button(t("users.reset"), key=f"users_reset_{chosen}_submit"):
            try:
                users.reset_password(db, me, chosen, password)
            except CampaignError as error:
                ui.show_error(error)
            else:
                done(t("users.reset_done", user=chosen))
    left, right = st.columns(2)
    toggle = "enable" if not account["active"] else "disable"
    if left.button(t(f"users.{toggle}"), key=f"users_toggle_{chosen}", icon=":material/block:" if account["active"] else None):
        try:
            users.set_active(db, me, chosen, not account["active"])
        except CampaignError as error:
            ui.show_error(error)
        else:
            done(t(f"users.{toggle}d", user=chosen))
    if right.button(t("users.unlock"), key=f"users_unlock_{chosen}", disabled=not account["locked_until"]):
        try:
            users.unlock(db, me, chosen)
        except CampaignError as error:
            ui.show_error(error)
        else:
            done(t("users.unlocked", user=chosen))
