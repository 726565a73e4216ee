"""Progress: completion over time against the pace needed to meet every quota by the deadline."""

import altair as alt
import streamlit as st

import ui
from campaign.infra import clock
from campaign.installs import rankings

t, db = ui.t, ui.db()
st.header(t("progress.title"))
day = st.date_input(t("field.date"), value=clock.today(), max_value=clock.today(), key="progress_day")
figures = ui.cached(rankings.progress, day)

a, b, c, d = st.columns(4)
a.metric(t("rank.completion"), ui.pct(figures["completion"]))
b.metric(t("progress.installs"), f"{figures['installs']:,}", help=t("progress.quota_total", total=f"{figures['quota_total']:,}"))
c.metric(t("progress.needed_per_day"), "—" if figures["needed_per_day"] is None else f"{figures['needed_per_day']:,}",
         help=t("progress.remaining", remaining=f"{figures['remaining']:,}", days=figures["days_left"]))
d.metric(t("progress.staff_at_quota"), f"{figures['staff_at_quota']:,} / {figures['staff']:,}")

series = figures["series"]
lines = series.melt(id_vars="day", value_vars=["credited", "pace"], var_name="line", value_name="value")
lines["line"] = lines["line"].map({"credited": t("progress.credited"), "pace": t("progress.pace")})
chart = alt.Chart(lines).mark_line().encode(
    x=alt.X("day:T", title=t("field.date"), axis=alt.Axis(format="%m-%d")),
    y=alt.Y("value:Q", title=t("progress.credited")),
    color=alt.Color("line:N", title=None, legend=alt.Legend(orient="bottom")),
    strokeDash=alt.StrokeDash("line:N", legend=None),
)
st.altair_chart(chart, width="stretch")
st.caption(t("progress.help"))
