"""What every page shares: the language, the translation function, the database and the signed-in user."""

import streamlit as st

from campaign import demo, features
from campaign.infra import db as database
from campaign.infra import clock, i18n
from campaign.infra.errors import CampaignError, RowsRejected
from ui import auth as ui_auth


def lang() -> str:
    if "lang" not in st.session_state:
        st.session_state["lang"] = i18n.lang_from_locale(st.context.locale)
    return st.session_state["lang"]


def t(key: str, **params) -> str:
    """The one translation function for pages."""
    return i18n.t(key, lang(), **params)


@st.cache_resource
def _prepared(path: str) -> str:
    """Migrate and, on an empty database, load the demo: once per process."""
    db = features.connect(path)
    demo.ensure_demo(db)
    db.conn.close()
    return path


def cached(fn, *args, **kwargs):
    """fn(db, *args, **kwargs) as a page reads it, shared by every rerun and session of this app process until
    anyone (this process or another) commits to the database (campaign.infra.db.data_version), or the day turns.

    For reads only; each caller gets its own copy (st.cache_data), so a page may change what it got."""
    path = _prepared(str(database.db_path()))
    key = repr((args, sorted(kwargs.items())))
    return _cached(path, database.data_version(path), clock.today().isoformat(), f"{fn.__module__}.{fn.__qualname__}",
                   key, fn, args, kwargs)


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(path, version, today, name, key, _fn, _args, _kwargs):
    conn = database.connect(path)
    try:
        return _fn(conn, *_args, **_kwargs)
    finally:
        conn.conn.close()


def db():
    """A connection for this run (SQLite connections must not be shared across reruns' threads)."""
    path = _prepared(str(database.db_path()))
    return database.connect(path)


def actor():
    """The signed-in user's Actor (the router shows pages only to a signed-in user)."""
    me = ui_auth.current_actor(db())
    if me is None:
        st.stop()
    return me


def run_write(action, message: str) -> None:
    """Do a write; show a named error, or the message as a toast and reload the page."""
    try:
        action()
    except CampaignError as error:
        show_error(error)
    else:
        st.toast(message)
        st.rerun()


def show_error(error: CampaignError) -> None:
    """A named error as a clear message in the user's language; bad rows as a table."""
    st.error(i18n.error_text(error, lang()))
    if isinstance(error, RowsRejected):
        st.dataframe(
            [
                {t("col.row"): e.row, t("col.column"): t(f"field.{e.column}"), t("col.reason"): i18n.error_text(e, lang())}
                for e in error.errors
            ],
            hide_index=True,
            width="stretch",
        )


def pct(value) -> str:
    return "—" if value is None else f"{value:.2%}"


def escaped(text) -> str:
    """User text safe inside markdown (issue 20): markdown's and HTML's special characters backslash-escaped."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~$&" else ch for ch in str(text))
