"""Sign in with a user name and password; in a demo database the demo accounts are listed."""

import streamlit as st

import ui
from campaign.accounts import auth, users
from campaign.infra import settings
from campaign.infra.errors import CampaignError
from ui import auth as ui_auth

t, db = ui.t, ui.db()
st.header(ui.md(settings.get(db, "campaign_name")))

with st.form("sign_in_form", width=420):
    st.subheader(t("auth.title"))
    username = st.text_input(t("auth.username"), key="sign_in_user", autocomplete="username")
    password = st.text_input(t("auth.password"), type="password", key="sign_in_password", autocomplete="current-password")
    submitted = st.form_submit_button(t("auth.submit"), type="primary", icon=":material/login:", key="sign_in_submit")
if submitted:
    try:
        result = auth.sign_in(db, username, password)
    except CampaignError as error:
        ui.show_error(error)
    else:
        ui_auth.remember(result)
        st.rerun()
st.caption(t("auth.kept_for", hours=settings.get(db, "session_hours")))

if users.demo_mode(db):
    demo = [a for a in users.list_users(db) if a["demo"] and a["active"]]
    if demo:
        st.subheader(t("auth.demo_title"))
        st.info(t("auth.demo_help", password=users.DEMO_PASSWORD))
        ui.table([{**a, "role": t(f"role.{a['role']}"), "scope": ui.scope_names(db, a["scope"])} for a in demo],
                 key="sign_in_demo", pin="username",
                 columns={"username": t("auth.username"), "role": t("users.role"), "display_name": t("users.display_name"),
                          "scope": t("account.scope")})
