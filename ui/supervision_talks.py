"""The supervision page's 约谈 tab (issue 20): the laggard list with each unit's talk, recording a talk, and a
talk beside the unit's figures in the days after it."""

import streamlit as st

import ui
from campaign.supervision import talks


def render(db, me, today) -> None:
    """The tab's content."""
    t = ui.t
    st.caption(t("talk.help"))
    st.subheader(t("talk.list"))
    laggards = talks.laggards_with_talks(db, today)
    if laggards.empty:
        st.success(t("talk.none_needed"))
    else:
        st.dataframe(laggards.assign(talk_on=laggards["talk_on"].fillna(t("talk.not_yet"))), hide_index=True, width="stretch", key="talk_laggards",
                     column_order=["unit", "since", "talk_on", "rank", "completion", "installs"],
                     column_config={"unit": t("field.unit"), "since": st.column_config.DateColumn(t("talk.since")),
                                    "talk_on": t("talk.talk_on"), "rank": t("rank.rank"), "installs": t("rank.installs"),
                                    "completion": st.column_config.ProgressColumn(t("rank.completion"), min_value=0.0,
                                                                                  max_value=1.0, format="percent")})
    if me.is_admin and not laggards.empty:
        with st.expander(t("talk.record"), expanded=bool(laggards["talk_on"].isna().any())):
            names = dict(zip(laggards["unit_id"].tolist(), laggards["unit"].tolist()))
            unit_id = st.selectbox(t("field.unit"), list(names), format_func=names.get, key="talk_unit")
            held_on = st.date_input(t("talk.held_on"), today, max_value=today, key="talk_day")
            held_by = st.text_input(t("talk.held_by"), key="talk_held_by")
            attendees = st.text_input(t("talk.attendees"), key="talk_attendees")
            measures = st.text_area(t("talk.measures"), key="talk_measures")
            if st.button(t("talk.record"), type="primary", key="talk_save"):
                ui.run_write(lambda: talks.record_talk(db, me, int(unit_id), held_on, held_by, attendees, measures),
                             t("talk.saved"))

    st.subheader(t("talk.records"))
    recorded = talks.list_talks(db)
    if recorded.empty:
        st.caption(t("talk.no_records"))
        return
    labels = {int(r.id): f"{r.held_on} {r.unit} · {r.held_by}" for r in recorded.itertuples()}
    talk_id = st.selectbox(t("talk.pick"), list(labels), format_func=labels.get, key="talk_pick")
    talk = talks.get_talk(db, talk_id)
    left, right = st.columns([2, 3])
    with left:  # plain text: what the administrator typed is not markdown
        for field in ("held_on", "held_by", "attendees", "measures"):
            st.text(t("sup.label_value", label=t("talk." + field), value=talk[field]))
    with right:
        st.caption(t("talk.follow_up"))
        st.dataframe(talks.follow_up(db, talk_id, today), hide_index=True, width="stretch", key="talk_follow_up",
                     column_config={"day": t("field.date"), "rank": t("talk.rank"), "units": t("rank.units"),
                                    "completion": st.column_config.ProgressColumn(t("rank.completion"), min_value=0.0,
                                                                                  max_value=1.0, format="percent"),
                                    "installs": t("rank.installs"), "installs_today": t("rank.installs_today"),
                                    "on_list": st.column_config.CheckboxColumn(t("talk.on_list"))})
    if me.is_admin and st.button(t("talk.delete"), key="talk_delete"):
        ui.run_write(lambda: talks.delete_talk(db, me, talk_id), t("talk.deleted"))
