"""Unlock requests on an entry page (issue 20): the answer to the user's request for this unit and day, and the
form that asks when the day is locked. The administrators answer on ui/pages/unlocks.py."""

import streamlit as st

import ui
from campaign.infra import settings
from campaign.installs import unlocks
from campaign.org import access


def when(stamp) -> str:
    """2026-11-28T14:30:00+08:00 -> 11-28 14:30."""
    return str(stamp or "")[5:16].replace("T", " ")


def panel(db, me, unit, day, state: str, *, key: str) -> None:
    """What became of the user's unlock request for the unit's day; on a locked day without one, the form to ask."""
    t = ui.t
    if me.role not in access.SCOPED:
        return
    asked = unlocks.mine(db, me, unit_id=unit.id)
    asked = asked[asked["day"] == day.isoformat()]
    latest = asked.iloc[0] if len(asked) else None  # open requests and open windows come first
    params = {"unit": unit.name, "day": day.isoformat()}
    if latest is not None and latest["state"] == unlocks.ACTIVE:
        st.info(t("unlock.open_until", **params, until=when(latest["until"]), by=latest["decided_by"]), icon=":material/lock_open:")
        return
    if state != "locked":
        return
    if latest is not None and latest["state"] == unlocks.OPEN:
        st.info(t("unlock.waiting", **params, at=when(latest["requested_at"])), icon=":material/hourglass_top:")
        return
    if latest is not None and latest["state"] == unlocks.REFUSED:
        st.warning(t("unlock.refused_note", **params, answer=latest["answer"]))
    with st.form(f"{key}_form", border=True):
        st.caption(t("unlock.ask_help", hours=settings.get(db, "unlock_hours")))
        reason = st.text_input(t("unlock.reason"), max_chars=unlocks.MAX_TEXT, key=f"{key}_reason")
        if st.form_submit_button(t("unlock.ask"), key=f"{key}_ask"):
            ui.run_write(lambda: unlocks.request(db, me, unit.id, day, reason), t("unlock.sent"))
