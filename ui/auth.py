"""The signed-in user in the app: the session token lives in st.session_state and in an HttpOnly cookie.

st.session_state dies with a reload, so the token is also kept in a cookie that the server sets (ui/session.py:
HttpOnly, SameSite=Strict, Secure over https; no script in the page ever sees the token) and that
st.context.cookies reads back when the next session starts. A run hands the page a one-time nonce, and a tiny
inline component (st.components.v2: its JavaScript runs in the page, offline) exchanges it with a fetch() for the
Set-Cookie answer. The database decides whether a token is still good (campaign.accounts.auth.resolve): signing
out, expiry or a disabled account end it for every copy.
"""

import time

import streamlit as st

from campaign.accounts import auth
from campaign.infra import clock
from ui import session

COOKIE = session.COOKIE
TOKEN = "auth_token"
PENDING = "auth_cookie_nonce"  # (nonce, valid until): the cookie the page is still to fetch

_JS = """
export default function (component) {
  const data = component.data || {};
  if (!data.nonce) return;
  const sent = (window.__campaignSessionNonces = window.__campaignSessionNonces || new Set());
  if (sent.has(data.nonce)) return;
  sent.add(data.nonce);
  fetch(data.url, {method: "POST", body: data.nonce, credentials: "same-origin", cache: "no-store"});
}
"""
_cookie_exchange = st.components.v2.component("campaign_session_cookie", js=_JS)


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
        _hand_over(None)  # a cookie whose session has ended: cleared
        st.session_state["auth_ended"] = cookie
    return None


def remember(sign_in: auth.SignIn) -> None:
    """Keep a fresh sign-in for this tab and, through the cookie the page fetches next, for reloads."""
    st.session_state[TOKEN] = sign_in.token
    st.session_state.pop("auth_ended", None)
    _hand_over(sign_in.token, int((sign_in.expires_at - clock.now()).total_seconds()))


def sign_out(db) -> None:
    """End the session in the database and forget it here; the page fetches the cookie's removal next."""
    token = st.session_state.pop(TOKEN, None) or st.context.cookies.get(COOKIE)
    auth.sign_out(db, token)
    st.session_state["auth_ended"] = token
    _hand_over(None)


def _hand_over(token: str | None, max_age: int = 0) -> None:
    st.session_state[PENDING] = (session.offer(token, max_age), time.monotonic() + session.NONCE_SECONDS)


def sync_cookie(db) -> None:
    """While a cookie change is pending, let the page fetch it (every run until it expires: a run can be cut short)."""
    pending = st.session_state.get(PENDING)
    if pending is None:
        return
    if pending[1] < time.monotonic():
        st.session_state.pop(PENDING, None)
        return
    _cookie_exchange(data={"nonce": pending[0], "url": session.PATH}, key="campaign_session_cookie", height=0,
                     width="content")
