"""What every page shares: the language, the translation function, the database and the signed-in user."""

import datetime as dt
import logging
import re

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
    if not all(_plain(value) for value in (*args, *kwargs.values())):
        raise TypeError("ui.cached takes plain arguments (their repr is the cache key)")
    key = repr((args, sorted(kwargs.items())))
    return _cached(path, database.data_version(path), clock.today().isoformat(), f"{fn.__module__}.{fn.__qualname__}",
                   key, fn, args, kwargs)


def _plain(value) -> bool:
    """A value whose repr says all of it (a Series' or a long list's repr is cut short)."""
    if isinstance(value, tuple):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float, dt.date)) or type(value).__name__ == "Actor"


def _read(path, version, today, name, key, _fn, _args, _kwargs):
    conn = database.connect(path)
    try:
        return _fn(conn, *_args, **_kwargs)
    finally:
        conn.conn.close()


_cache = []  # st.cache_data made at first use: made at import, it warns in every process without a Streamlit runtime


def _cached(*args):
    if not _cache:
        _cache.append(st.cache_data(max_entries=512, show_spinner=False)(_read))
    return _cache[0](*args)


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
    st.error(i18n.t(error.code, lang(), **{k: md(v) for k, v in error.params.items()}))
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


# Every character that markdown, Streamlit's directives (:red[…]) and math ($…$), HTML or an autolink could
# read as markup: a backslash before each makes it plain text.
_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:@&=\"'^%/])")


# GFM finds bare addresses (http://…, www.…, a@b.c) in the text after the escapes are read: an invisible word
# joiner inside each such pattern keeps it text.
_AUTOLINK = re.compile(r"(?i)(:)(?=/)|(www)(?=\.)|(?=@)")


def md(text) -> str:
    """User text (a unit's or a person's name, a file name…) for a place that renders markdown: st.markdown,
    captions, headers, alerts, toasts, labels, help: shown as typed, never as a link, an image or HTML."""
    if not isinstance(text, str):
        return text
    return _MARKUP.sub(r"\\\1", _AUTOLINK.sub(lambda m: (m.group(1) or m.group(2) or "") + "\u2060", text))


def tm(key: str, **params) -> str:
    """`t` for a place that renders markdown: the user's texts among the params escaped (md)."""
    return t(key, **{name: md(value) for name, value in params.items()})


_log = logging.getLogger("campaign.ui")


def on_script_error(error: Exception) -> bool:
    """An exception no page handled: logged on the server with its traceback; the user is told, in their
    language, that something went wrong and nothing was saved (no traceback, no server path)."""
    _log.error("unhandled exception in a page", exc_info=error)
    try:
        st.error(t("error.unexpected"))
    except Exception:  # noqa: BLE001 — outside a run (a callback): Streamlit's own box, without details, stays
        return False
    return True
