"""My account: who I am, what I answer for, how long this sign-in lasts; change my password."""

import streamlit as st

import ui
from campaign.accounts import auth, users
from campaign.infra.errors import CampaignError
from campaign.org import units
from ui import auth as ui_auth

t, db, me = ui.t, ui.db(), ui.actor()
account = users.get_account(db, me.name)
st.header(t("account.title"))
if account["must_change"]:
    st.warning(t("auth.must_change"))

names = {u.code: u.name for u in units.list_units(db, active_only=False)}
st.markdown(f"**{ui.md(account['display_name'])}** ({ui.md(account['username'])}) · {t('account.role')}: {t('role.' + me.role)}")
scope = ", ".join(f"{ui.md(names.get(c, c))} ({ui.md(c)})" for c in account["scope"])
st.markdown(f"{t('account.scope')}: {scope or t('account.all_units')}")
until = auth.expires_at(db, st.session_state.get(ui_auth.TOKEN, ""))
if until is not None:
    st.caption(t("account.session_until", until=until.strftime("%Y-%m-%d %H:%M")))

with st.form("account_password", clear_on_submit=True, width=420):
    st.subheader(t("account.change_password"))
    old = st.text_input(t("account.old_password"), type="password", key="account_old", autocomplete="current-password")
    new = st.text_input(t("account.new_password"), type="password", key="account_new", autocomplete="new-password")
    again = st.text_input(t("account.new_password2"), type="password", key="account_new2", autocomplete="new-password")
    submitted = st.form_submit_button(t("account.save_password"), type="primary", key="account_submit")
if submitted:
    if new != again:
        st.error(t("auth.error.password_mismatch"))
    else:
        try:
            users.change_password(db, me, old, new)
        except CampaignError as error:
            ui.show_error(error)
        else:
            st.session_state["account_saved"] = True
            st.rerun()
if st.session_state.pop("account_saved", False):
    st.success(t("account.password_saved"))
