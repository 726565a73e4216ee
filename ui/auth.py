"""The signed-in user in the app: the session token lives in st.session_state and in a browser cookie.

st.session_state dies with a reload, so the token is also written to a cookie by a tiny inline
component (st.components.v2 runs its JavaScript in the page, offline) and read back from
st.context.cookies when the next session starts. The database decides whether a token is still
good (campaign.auth.resolve): signing out, expiry or a disabled account end it for every copy.
"""

import streamlit as st

from campaign.accounts import auth
from campaign.infra import clock

COOKIE = "campaign_session"
TOKEN = "auth_token"

_JS = """
export default function (component) {
  const data = component.data || {};
  if (!data.name) return;
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  const value = data.token ? encodeURIComponent(data.token) : "";
  const age = data.token ? Math.max(0, Math.floor(data.max_age)) : 0;
  document.cookie = `${data.name}=${value}; Max-Age=${age}; Path=/; SameSite=Strict${secure}`;
}
"""
_cookie_writer = st.components.v2.component("campaign_session_cookie", js=_JS)


def current_actor(db):
    """The Actor of this browser's live session, or None (then only the sign-in page is shown)."""
    token = st.session_state.get(TOKEN)
    if token:
        actor = auth.resolve(db, token)
        if actor is not None:
            return actor
        st.session_state.pop(TOKEN, None)
    cookie = st.context.cookies.get(COOKIE)
    if cookie and cookie != st.session_state.get("auth_ended"):
        actor = auth.resolve(db, cookie)
        if actor is not None:
            st.session_state[TOKEN] = cookie
            return actor
    return None


def remember(sign_in: auth.SignIn) -> None:
    """Keep a fresh sign-in for this tab (and, through the cookie, for reloads)."""
    st.session_state[TOKEN] = sign_in.token
    st.session_state.pop("auth_ended", None)


def sign_out(db) -> None:
    """End the session in the database and forget it here; the cookie is cleared on the next run."""
    token = st.session_state.pop(TOKEN, None)
    auth.sign_out(db, token)
    st.session_state["auth_ended"] = token


def sync_cookie(db) -> None:
    """Write the live session's token to the cookie, or clear a stale cookie."""
    token = st.session_state.get(TOKEN)
    until = auth.expires_at(db, token) if token else None
    if until is not None:
        data = {"name": COOKIE, "token": token, "max_age": int((until - clock.now()).total_seconds()) // 60 * 60}
    elif COOKIE in st.context.cookies or st.session_state.get("auth_ended"):
        data = {"name": COOKIE, "token": "", "max_age": 0}
    else:
        return
    _cookie_writer(data=data, key="campaign_session_cookie", height=0, width="content")
