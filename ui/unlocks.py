"""Unlock requests on an entry page (issue 20): the answer to the user's request for this unit and day, and the
form that asks when the day is locked. The administrators answer on ui/pages/unlocks.py."""

import datetime as dt

import streamlit as st

import ui
from campaign.infra import clock, settings
from campaign.installs import unlocks
from campaign.org import access


def when(stamp) -> str:
    """2026-11-28T14:30:00+08:00 -> 11-28 14:30."""
    return str(stamp or "")[5:16].replace("T", " ")


def panel(db, me, unit, day, state: str, *, key: str) -> None:
    """What became of the user's unlock request for the unit's day; on a locked day without one, the form to ask."""
    if me.role not in access.SCOPED:
        return
    every = unlocks.mine(db, me)
    _day(db, me, unit, day, state, every[(every["unit_id"] == unit.id) & (every["day"] == day.isoformat())], key)
    _history(every, unit, day)


def _day(db, me, unit, day, state: str, asked, key: str) -> None:
    """The answer to the request for this unit and day, or the form to ask."""
    t = ui.t
    latest = asked.iloc[0] if len(asked) else None  # open requests and open windows come first
    params = {"unit": ui.md(unit.name), "day": day.isoformat()}  # st.info renders markdown
    if latest is not None and latest["state"] == unlocks.ACTIVE:
        st.info(t("unlock.open_until", **params, until=when(latest["until"]), by=ui.md(latest["decided_by"])), icon=":material/lock_open:")
        return
    if state != "locked":
        return
    if latest is not None and latest["state"] == unlocks.OPEN:
        st.info(t("unlock.waiting", **params, at=when(latest["requested_at"])), icon=":material/hourglass_top:")
        return
    if latest is not None and latest["state"] == unlocks.REFUSED:
        st.warning(t("unlock.refused_note", **params, answer=ui.md(latest["answer"])))
    with st.form(f"{key}_form", border=True):
        st.caption(t("unlock.ask_help", hours=settings.get(db, "unlock_hours")))
        reason = st.text_input(t("unlock.reason"), max_chars=unlocks.MAX_TEXT, key=f"{key}_reason")
        if st.form_submit_button(t("unlock.ask"), key=f"{key}_ask"):
            ui.run_write(lambda: unlocks.request(db, me, unit.id, day, reason), t("unlock.sent"))


def _history(every, unit, day) -> None:
    """The user's other requests still waiting, open, or answered in the last two days, one line each: a
    coordinator who asked yesterday opens the entry page on today and still reads the answer."""
    t = ui.t
    recent = (clock.now() - dt.timedelta(days=2)).isoformat(timespec="seconds")[:19]
    other = ~((every["unit_id"] == unit.id) & (every["day"] == day.isoformat()))
    live = every["state"].isin([unlocks.OPEN, unlocks.ACTIVE]) | (every["decided_at"].fillna("").str[:19] >= recent)
    shown = every[other & live].head(5)
    if shown.empty:
        return
    lines = [t(f"unlock.line.{r.state}", unit=ui.md(r.unit), day=r.day, at=when(r.requested_at), until=when(r.until),
               answer=ui.md(r.answer if isinstance(r.answer, str) else "")) for r in shown.itertuples()]
    st.info(t("unlock.mine", count=len(shown)) + "\n\n" + "\n".join(f"- {line}" for line in lines),
            icon=":material/lock_clock:")
