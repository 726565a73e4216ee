"""Progress: completion over time against the pace needed to meet every quota by the deadline."""

import altair as alt
import streamlit as st

import ui
from campaign.infra import clock
from campaign.installs import rankings
from ui import charts as ui_charts

t, db = ui.t, ui.db()
st.header(t("progress.title"))
day = st.date_input(t("field.date"), value=clock.today(), max_value=clock.today(), key="progress_day")
figures = ui.cached(rankings.progress, day)

a, b, c, d = st.columns(4)
a.metric(t("rank.completion"), ui.pct(figures["completion"]))
b.metric(t("progress.installs"), ui.num(figures["installs"]), help=t("progress.quota_total", total=ui.num(figures["quota_total"])))
c.metric(t("progress.needed_per_day"), ui.num(figures["needed_per_day"]) or "—",
         help=t("progress.remaining", remaining=ui.num(figures["remaining"]), days=figures["days_left"]))
d.metric(t("progress.staff_at_quota"), f"{ui.num(figures['staff_at_quota'])} / {ui.num(figures['staff'])}")

series = figures["series"]
lines = series.melt(id_vars="day", value_vars=["credited", "pace"], var_name="line", value_name="value")
names = {"credited": t("progress.credited"), "pace": t("progress.pace")}
lines["line"] = lines["line"].map(names)
chart = ui_charts.lines(lines, series="line", names=list(names.values()), colors=["#1c64b4", "#7a7a7a"],
                        dashed={names["pace"]}, y=alt.Y("value:Q", title=t("progress.credited"), axis=alt.Axis(format=",d")))
st.altair_chart(chart, width="stretch", key="progress_chart")
st.caption(t("progress.help", dashed=names["pace"], solid=names["credited"]))
