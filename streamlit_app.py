"""Entry point: page config, language, the signed-in user, and the navigation for their role."""

import streamlit as st

import ui
from campaign import access, users

st.set_page_config(page_title="反诈APP推广台账 / Anti-Fraud App Campaign", page_icon="🛡️", layout="wide")

lang = ui.lang()
with st.sidebar:
    choice = st.radio("语言 / Language", ["zh", "en"], index=["zh", "en"].index(lang), horizontal=True,
                      format_func=lambda code: {"zh": "中文", "en": "English"}[code], key="lang_switch")
    if choice != lang:
        st.session_state["lang"] = choice
        st.rerun()

    accounts = users.list_users(ui.db())
    names = [a["username"] for a in accounts if a["active"]]
    if st.session_state.get("user") not in names:
        st.session_state["user"] = "admin" if "admin" in names else names[0]
    st.selectbox(ui.t("nav.user"), names, key="user")

role = ui.actor().role
pages = [st.Page(p.path, title=ui.t(f"nav.{p.key}"), icon=p.icon, url_path=p.key, default=i == 0)
         for i, p in enumerate(access.pages_for(role))]
st.navigation(pages).run()
