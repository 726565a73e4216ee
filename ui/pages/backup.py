"""Backup (administrators): download a consistent copy of the whole database; how to restore."""

import streamlit as st

import ui
from campaign.accounts import backup
from campaign.infra import db as database

t, db, me = ui.t, ui.db(), ui.actor()
st.header(t("backup.title"))
st.info(t("backup.help"))
st.caption(t("backup.size", **{k: f"{v:,}" for k, v in backup.summary(db).items()}))
path, name = str(database.db_path()), backup.dated_name()


def make_backup() -> bytes:
    """Runs on the click, in its own thread: so it opens its own connection."""
    conn = database.connect(path)
    try:
        return backup.download(conn, me, name)
    finally:
        conn.conn.close()


st.download_button(t("backup.download"), make_backup, name, "application/vnd.sqlite3", type="primary",
                   icon=":material/download:", key="backup_download")
st.caption(t("backup.cli_help"))
st.caption(t("backup.restore_help"))
