"""Entry point: page config, language, the signed-in user, and the navigation for their role."""

import streamlit as st

import ui
from campaign.accounts import users
from ui import auth as ui_auth
from ui import nav

st.set_page_config(page_title="反诈APP推广台账 / Anti-Fraud App Campaign", page_icon="🛡️", layout="wide")

lang = ui.lang()
with st.sidebar:
    choice = st.radio("语言 / Language", ["zh", "en"], index=["zh", "en"].index(lang), horizontal=True,
                      format_func=lambda code: {"zh": "中文", "en": "English"}[code], key="lang_switch")
    if choice != lang:
        st.session_state["lang"] = choice
        st.rerun()

    db = ui.db()
    me = ui_auth.current_actor(db)  # None: not signed in (or the session ended)
    if me is not None:
        account = users.get_account(db, me.name)
        st.caption(ui.t("nav.user"))
        st.markdown(ui.tm("auth.signed_in_as", name=account["display_name"], role=ui.t(f"role.{me.role}")))
        if st.button(ui.t("auth.sign_out"), icon=":material/logout:", key="sign_out"):
            ui_auth.sign_out(db)
            st.rerun()
    ui_auth.sync_cookie(db)

if me is None:  # every address shows the sign-in form, and after signing in the page asked for opens
    pages = [st.Page("ui/pages/sign_in.py", title=ui.t("nav.sign_in"), icon=":material/login:", url_path=key, default=i == 0)
             for i, key in enumerate(["sign_in", *(p.key for p in nav.PAGES)])]
elif account["must_change"]:  # a temporary password set by an administrator: change it before anything else
    pages = [st.Page("ui/pages/account.py", title=ui.t("nav.account"), icon=":material/key:", url_path="account")]
else:  # issue 17: only pages with something for this user, in sections, opening on the role's daily job
    mine = nav.menu(db, me)
    home = nav.landing(db, me, mine)
    pages = {ui.t(section): [st.Page(p.path, title=ui.t(f"nav.{p.key}"), icon=p.icon, url_path=p.key, default=p.key == home)
                             for p in part] for section, part in nav.sections(mine).items()}
ui.chrome()
st.navigation(pages, position="hidden" if me is None else "sidebar", expanded=True).run()
