"""What every page shares: the language, the translation function, the database and the signed-in user,
and the one way each kind of value is shown (numbers, percentages, times, empty cells, tables, uploads)."""

import datetime as dt
import json
import logging
import re
import threading

import pandas as pd
import streamlit as st

from campaign import demo, features
from campaign.infra import db as database
from campaign.infra import clock, formats, i18n, settings
from campaign.infra.errors import CampaignError, RowsRejected
from ui import auth as ui_auth


def lang() -> str:
    if "lang" not in st.session_state:
        st.session_state["lang"] = i18n.lang_from_locale(st.context.locale)
    return st.session_state["lang"]


def t(key: str, **params) -> str:
    """The one translation function for pages."""
    return i18n.t(key, lang(), **params)


@st.cache_resource(show_spinner=False)
def _prepared(path: str) -> str:
    """Migrate the database: once per process."""
    features.connect(path).conn.close()
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


_DEMO = threading.Lock()  # one demo build per process, however many first visitors arrive at once


def _build_demo(path: str) -> None:
    """On an empty database, load the demo while the page shows each step in the user's language (issue 17)."""
    bar = st.progress(0.0, text=t("demo.building"))

    def step(done, total, part):
        name = t(f"demo.part.{part}")
        bar.progress(done / total, text=t("demo.building_step", part=part if name.startswith("demo.") else name,
                                          done=done, total=total))

    with _DEMO:
        conn = database.connect(path)
        try:
            demo.ensure_demo(conn, progress=step)  # (checks again: another visitor may have built it meanwhile)
        finally:
            conn.conn.close()
    bar.empty()


def db():
    """A connection for this run (SQLite connections must not be shared across reruns' threads)."""
    path = _prepared(str(database.db_path()))
    conn = database.connect(path)
    if demo.needs_demo(conn):
        _build_demo(path)
    return conn


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


def show_error(error: CampaignError, row_names: dict | None = None) -> None:
    """A named error as a clear message in the user's language; bad rows as a table (named by `row_names`
    {row number: person} where a grid's rows are people rather than lines of a file)."""
    st.error(i18n.t(error.code, lang(), **{k: md(v) for k, v in error.params.items()}))
    if isinstance(error, RowsRejected):
        row = t("field.staff") if row_names else t("col.row")
        st.dataframe(
            [
                {row: (row_names or {}).get(e.row, e.row), t("col.column"): t(f"field.{e.column}"),
                 t("col.reason"): i18n.error_text(e, lang())}
                for e in error.errors
            ],
            hide_index=True,
            width="stretch",
        )


# ---- one format for each kind of value (issue 17) ------------------------------------------------

def missing(value) -> bool:
    """True for None, NaN, NaT, pandas' NA and the empty string: shown as an empty cell."""
    if value is None or isinstance(value, str):
        return value is None or value == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array
        return False


def num(value) -> str:
    """The app's one number format: 12,006 (two decimals when not whole); blank when missing."""
    if missing(value):
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def pct(value) -> str:
    """The app's one percentage format, two decimals as the city ranks: 54.94% ("—" when missing)."""
    return formats.pct(value)


def when(value) -> str:
    """A time as 2026-12-03 19:30 and a day as 2026-12-03 (China time as stored); blank when missing."""
    if missing(value):
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value) if "T" in value or " " in value.strip() else dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if isinstance(value, dt.date) else str(value)


NUMBER = "%,d"  # a column of whole numbers: 12,006
PERCENT = "percent"  # a column of rates: 84.00%


def number_column(label: str, **kw):
    """A column of whole numbers in the app's format."""
    return st.column_config.NumberColumn(label, format=NUMBER, **kw)


RATE_BAR = {"min_value": 0.0, "max_value": 100.0, "format": "%.2f%%"}  # a rate ×100: Streamlit's "percent" drops zeros


def rate_column(label: str, **kw):
    """A column of rates (0–1) as a bar with the app's percentage (ui.table, ui.rates scale them)."""
    return st.column_config.ProgressColumn(label, min_value=0.0, max_value=1.0, format=PERCENT, **kw)


def rates(frame, columns):
    """A copy of `frame` with its rate columns ×100, as ui.RATE_BAR shows them (for grids ui.table cannot draw)."""
    return frame.assign(**{c: frame[c] * 100 for c in columns})


def table(frame, *, key: str, columns: dict, pin: str | None = None, times=(), texts: dict | None = None, **kw):
    """st.dataframe the app's way: only `columns` ({column: label or column config}, in order, the figures that
    matter first), the `pin` column (the unit's or person's name) pinned so that it stays in view when a phone
    swipes sideways, `times` as 2026-12-03 19:30, `texts` ({column: function}) mapped to words, empty cells blank."""
    frame = pd.DataFrame(frame).copy()
    config = {}
    for column, spec in columns.items():
        if column not in frame:
            continue
        spec = st.column_config.Column(spec) if isinstance(spec, str) else dict(spec)
        if column in times:
            frame[column] = [when(v) for v in frame[column]]
        elif texts and column in texts:
            frame[column] = [texts[column](v) if not missing(v) else "" for v in frame[column]]
        elif frame[column].dtype == object or str(frame[column].dtype) in ("str", "string"):
            frame[column] = ["" if missing(v) else v for v in frame[column]]
        elif frame[column].isna().any():  # Streamlit draws a missing number as "None": show it blank instead
            kind = (spec.get("type_config") or {}).get("type")
            show = pct if kind == "progress" or spec.get("type_config", {}).get("format") == PERCENT else num
            frame[column] = ["" if missing(v) else show(v) for v in frame[column]]
            spec = {"label": spec.get("label"), "help": spec.get("help"), "type_config": {"type": "text"}}
        elif (spec.get("type_config") or {}).get("type") == "progress":  # a bar's figure as 54.94%, as everywhere
            frame[column] = frame[column] * 100
            spec["type_config"] = {**spec["type_config"], **RATE_BAR}
        elif (spec.get("type_config") or {}).get("type") is None and pd.api.types.is_integer_dtype(frame[column]):
            spec = dict(number_column(spec.get("label")))
        if column == pin:
            spec["pinned"] = True
        config[column] = spec
    return st.dataframe(frame, column_order=list(config), column_config=config, hide_index=True, width="stretch",
                        key=key, **kw)


def uploader(label: str, types=None, *, key: str, **kw):
    """st.file_uploader with the app's own size limit (the `upload_max_mb` setting), said in the user's language."""
    limit = settings.get(db(), "upload_max_mb")
    file = st.file_uploader(label, type=types, key=key, max_upload_size=limit, **kw)
    kinds = "、".join(x.upper() for x in types) if types else t("ui.any_file")
    st.caption(t("ui.upload_limit", mb=limit, kinds=kinds))
    return file


NAMES = {  # kind -> where its translated name is looked for, in order (the first text found wins)
    "setting": ("setting.{}", "settings.{}", "coverage.{}", "outreach.settings.{}"),
    "entity": ("audit.entity.{}", "import.kind.{}"),
    "action": ("audit.action.{}",),
    "field": ("field.{}", "audit.field.{}"),
    "role": ("role.{}",),
    "kind": ("import.kind.{}", "audit.entity.{}"),
}


def name_of(kind: str, code) -> str:
    """The translated name of a setting, entity, action, field, role or import kind; the code itself if it has none."""
    for pattern in NAMES[kind]:
        key = pattern.format(code)
        if key in i18n.catalog():
            return t(key)
    return "" if missing(code) else str(code)


def scope_names(db, codes) -> str:
    """Units by name with their code: 城厢镇 (T01), 县公安局 (D018)."""
    names = dict(db.execute("SELECT code, name FROM units").fetchall())
    return "、".join(f"{names[c]} ({c})" if c in names else str(c) for c in codes)


def readable(value) -> str:
    """A stored JSON value (an audit record's old, new or detail) as words: 角色：单位联络员；在职：是…"""
    if missing(value):
        return ""
    try:
        data = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)

    def one(key, item):
        if isinstance(item, bool):
            return t("ui.yes" if item else "ui.no")
        if item is None:
            return "—"
        if isinstance(item, (list, tuple)):
            return "、".join(one(key, v) for v in item)
        if isinstance(item, dict):
            return readable(item)
        if key == "role":
            return name_of("role", item)
        if key == "password" and item == "set":
            return t("ui.set")
        if key == "sha256":
            return str(item)[:12]
        return when(item) if isinstance(item, str) and len(item) >= 19 and item[10:11] == "T" else (
            num(item) if isinstance(item, (int, float)) else str(item))

    if isinstance(data, dict):
        return t("ui.separator").join(f"{name_of('field', k)}：{one(k, v)}" for k, v in data.items())
    return one("", data)


def chrome() -> None:
    """Once per run, from the router: the app's own words over Streamlit's English where it offers no setting
    (the uploader's "Upload" button and its "200MB per file" line; ui.uploader says the app's limit below it)."""
    st.html(f"""<style>
[data-testid="stFileUploaderDropzoneInstructions"] {{display: none;}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {{display: none;}}
[data-testid="stFileUploaderDropzone"] button > div > span::after {{content: "{t('ui.upload_button')}";}}
</style>""")



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
