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
    frame = frame.assign(kind=frame["kind"].map(lambda k: ui.t(f"flyers.kind_short.{k}")), format=frame["format"].str.upper())
    order = ["name", "at", "kind", "copies", "pieces", "code", "format", "actor", "target"]  # the place first, pinned
    ui.table(frame, key=key, times=("at",), pin="name", columns={c: ui.t(f"flyers.col.{c}") for c in order})
