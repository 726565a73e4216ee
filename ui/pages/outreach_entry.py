"""Outreach entry, phone-first: pick the channel and the class, grid, enterprise or window, type the day's figures, save."""

import streamlit as st

import ui
from campaign.infra import clock, settings
from campaign.infra.errors import CampaignError
from campaign.installs import entries as installs
from campaign.outreach import entries as outreach
from campaign.outreach import figures as outreach_figures
from campaign.outreach.channels import CHANNELS
from ui import flyers as ui_flyers
from ui import unlocks as ui_unlocks

t, db, me = ui.t, ui.db(), ui.actor()
st.header(t("outreach.entry.title"))

channels = outreach.channels_for(db, me)
if not channels:
    st.info(t("outreach.entry.none"))
    st.stop()
channel = channels[0]
if len(channels) > 1:
    channel = st.radio(t("outreach.entry.channel"), channels, horizontal=True, key="oe_channel",
                       format_func=lambda c: t(f"outreach.channel.{c}"))
spec = CHANNELS[channel]
choices = outreach.channel_units(db, me, channel)
unit = st.selectbox(t("outreach.entry.unit"), choices, format_func=lambda u: u.label, placeholder=ui.t("ui.choose"), key=f"oe_unit_{channel}")
day = st.date_input(t("field.date"), value=clock.today(), max_value=clock.today(), key="oe_day")

state = installs.day_state(settings.get_all(db), me, day, clock.now(), unlocked=installs.is_unlocked(db, me, unit.id, day))
if state != "open":
    st.warning(t(f"error.day_{state}", day=day.isoformat()))
ui_unlocks.panel(db, me, unit, day, state, key="oe_unlock")  # issue 20
current = outreach.current_entry(db, unit.id, day)
if current:
    st.caption(t("outreach.entry.existing"))

with st.form(f"oe_form_{unit.id}_{day.isoformat()}", border=True):
    values = {}
    for field in spec.fields:
        label, key = t(f"outreach.f.{channel}.{field}"), f"oe_{field}_{unit.id}_{day.isoformat()}"
        old = current.get(field) if current else None
        if field in outreach.FLAG_FIELDS:
            values[field] = st.toggle(label, value=bool(old), key=key)
        else:
            values[field] = st.number_input(label, min_value=0, step=1, value=old, placeholder="0", key=key)
    if channel == "windows":
        st.caption(t("outreach.entry.checked"))
    submitted = st.form_submit_button(t("outreach.entry.save"), type="primary", disabled=state != "open", width="stretch", key="oe_save")
if submitted:
    try:
        result = outreach.save_entry(db, me, unit.id, day, values)
    except CampaignError as error:
        ui.show_error(error)
    else:
        st.session_state["oe_saved"] = t("outreach.entry.saved", **result)
        st.rerun()
if message := st.session_state.pop("oe_saved", None):
    st.success(message)

card = outreach_figures.unit_card(db, unit.id, day)
if card:
    st.subheader(t("outreach.entry.totals"))
    a, b, c = st.columns(3)
    a.metric(t(f"outreach.reached.{channel}"), f"{card['reached']:,}",
             help=f"{card['denominator']:,} {t(f'outreach.den.{channel}')}")
    b.metric(t("outreach.col.installs"), f"{card['installs']:,}")
    coverage = t("outreach.no_data") if card["coverage"] is None else ui.pct(card["coverage"])
    c.metric(t("outreach.col.coverage"), coverage + (" ⚠" if card["over"] else ""),
             help=t(f"outreach.coverage_rule.{channel}"))

st.subheader(t("outreach.entry.recent"))
recent = outreach.recent_reports(db, me, unit.id, day)
if recent.empty:
    st.caption(t("outreach.entry.no_recent"))
else:
    st.dataframe(recent, hide_index=True, width="stretch", key="oe_recent",
                 column_order=["day", *spec.fields],
                 column_config={"day": st.column_config.TextColumn(t("field.date")),
                                **{f: ui.number_column(t(f"outreach.f.{channel}.{f}"))
                                   for f in spec.fields}})

if channel in ("windows", "grids", "schools"):  # QR-code flyers printed for this window, grid or class (issue 4)
    st.subheader(t("flyers.log"))
    ui_flyers.print_log(db, unit_ids=[unit.id], limit=20, key="oe_flyers_log")
