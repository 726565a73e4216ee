"""The flyers' print log as a table, for the Flyers page and the window and grid pages (issue 4)."""

import streamlit as st

import ui
from campaign.flyers import store as flyers_store


def print_log(db, *, unit_ids=None, actor=None, limit: int = 100, key: str = "flyers_log") -> None:
    """What was printed (flyer, location, copies, who, when), newest first, for some units or an actor's scope."""
    frame = flyers_store.print_log(db, unit_ids=unit_ids, actor=actor, limit=limit)
    if frame.empty:
        st.caption(ui.t("flyers.log_empty"))
        return
    frame = frame.assign(kind=frame["kind"].map(lambda k: ui.t(f"flyers.kind_short.{k}")),
                         format=frame["format"].str.upper(), at=frame["at"].str.slice(0, 16).str.replace("T", " "))
    st.dataframe(frame.rename(columns={c: ui.t(f"flyers.col.{c}") for c in frame.columns}),
                 hide_index=True, width="stretch", key=key)
