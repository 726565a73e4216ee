"""Unlock requests (administrators): open requests first; approve for a set time, refuse with a reason, or close a window."""

import streamlit as st

import ui
from campaign.infra import settings
from campaign.installs import unlocks
from ui.unlocks import when

t, db, me = ui.t, ui.db(), ui.actor()
st.header(t("unlock.title"))
st.caption(t("unlock.help"))
table = unlocks.list_requests(db)
st.metric(t("unlock.state.open"), int((table["state"] == unlocks.OPEN).sum()))
if table.empty:
    st.info(t("unlock.none"))
    st.stop()
shown = table.assign(state=[t(f"unlock.state.{s}") for s in table["state"]], until=table["until"].map(when),
                     requested_at=table["requested_at"].map(when)).fillna({"answer": "", "decided_by": ""})
st.dataframe(shown, hide_index=True, width="stretch", key="unlock_table",
             column_order=["state", "unit", "day", "requested_by", "reason", "requested_at", "answer", "until", "decided_by"],
             column_config={"state": t("unlock.state"), "unit": t("field.unit"),
                            **{c: t(f"unlock.col.{c}") for c in ("day", "requested_by", "reason", "requested_at", "answer",
                                                                  "until", "decided_by")}})

pending = table[table["state"].isin([unlocks.OPEN, unlocks.ACTIVE])]
if pending.empty:
    st.stop()
labels = {int(r.id): f"{r.unit} {r.day} · {r.requested_by}" for r in pending.itertuples()}
chosen = st.selectbox(t("unlock.pick"), list(labels), format_func=labels.get, key="unlock_pick")
row = pending.set_index("id").loc[chosen]
if row["state"] == unlocks.ACTIVE:
    if st.button(t("unlock.close"), key="unlock_close"):
        ui.run_write(lambda: unlocks.close(db, me, chosen), t("unlock.closed"))
    st.stop()
left, right = st.columns(2)
with left:
    hours = st.number_input(t("unlock.hours"), 1, 72, settings.get(db, "unlock_hours"), key="unlock_hours")
    note = st.text_input(t("unlock.note"), key="unlock_note")
    if st.button(t("unlock.approve"), type="primary", key="unlock_approve"):
        ui.run_write(lambda: unlocks.approve(db, me, chosen, hours=hours, note=note), t("unlock.approved"))
with right:
    reason = st.text_input(t("unlock.refusal_reason"), key="unlock_refusal")
    if st.button(t("unlock.refuse"), key="unlock_refuse"):
        ui.run_write(lambda: unlocks.refuse(db, me, chosen, reason), t("unlock.refused"))
