"""Outreach overview: one line per channel (reach, installs, coverage), installs over time with the start-of-term push."""

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

import ui
from campaign.infra import clock, settings
from campaign.outreach import figures as outreach_figures
from campaign.outreach.channels import CHANNELS
from campaign.scans import counts as scan_counts
from ui import charts as ui_charts

t, db = ui.t, ui.db()
st.header(t("outreach.overview.title"))
day = st.date_input(t("field.date"), value=clock.today(), max_value=clock.today(), key="oo_day")
lines = ui.cached(outreach_figures.summary, day)
by_type = scan_counts.location_totals(db, day)  # issue 18: scans of the channels' QR codes
scanned = {key: sum(by_type.get(kind, 0) for kind in channel.unit_types) for key, channel in CHANNELS.items()
           if set(channel.unit_types) & set(scan_counts.LOCATION_TYPES)}  # enterprises print no code of their own: blank


def rate(value, over=False) -> str:
    return t("outreach.no_data") if value is None else ui.pct(value) + (" ⚠" if over else "")


table = pd.DataFrame([{
    "channel": t(f"outreach.channel.{line['channel']}"),
    "units": line["units"],
    "denominator": f"{line['denominator']:,} {t('outreach.den.' + line['channel'])}",
    "reached": line["reached"],
    "reach": rate(line["reach"]),
    "installs": line["installs"],
    "installs_on_day": line["installs_on_day"],
    "coverage": rate(line["coverage"], line["coverage"] is not None and line["coverage"] > 1),
    "scans": scanned.get(line["channel"]),
} for line in lines])
ui.table(table, key="oo_summary", pin="channel", columns={
    "channel": st.column_config.TextColumn(t("outreach.col.channel"), width="small"),
    "coverage": st.column_config.TextColumn(t("outreach.col.coverage")),
    "scans": st.column_config.NumberColumn(t("scans.col.scans"), format="%d"),
    "installs": ui.number_column(t("outreach.col.installs")),
    "reach": st.column_config.TextColumn(t("outreach.col.reach")),
    "installs_on_day": ui.number_column(t("outreach.col.installs_day")),
    "reached": ui.number_column(t("outreach.col.reached")),
    "denominator": st.column_config.TextColumn(t("outreach.col.denominator")),
    "units": ui.number_column(t("outreach.col.units")),
})
with st.expander(t("outreach.over_note")):
    for line in lines:
        st.caption(f"{t('outreach.channel.' + line['channel'])}: {t('outreach.coverage_rule.' + line['channel'])}")

st.subheader(t("outreach.attention"))
conf = settings.get_all(db)
by_channel = {line["channel"]: line for line in lines}
notes = [
    t("outreach.attention.idle", count=by_channel["grids"]["idle"], days=conf["grid_idle_days"]) if by_channel["grids"]["idle"] else None,
    t("outreach.attention.without_qr", count=by_channel["windows"]["without_qr"]) if by_channel["windows"]["without_qr"] else None,
    t("outreach.attention.over", count=sum(line["over_100"] for line in lines)) if any(line["over_100"] for line in lines) else None,
    t("outreach.attention.no_data", count=sum(line["no_data"] for line in lines)) if any(line["no_data"] for line in lines) else None,
]
notes = [note for note in notes if note]
st.markdown("\n".join(f"- {note}" for note in notes) if notes else t("outreach.attention.none"))

st.subheader(t("outreach.chart.title"))
push = ui.cached(outreach_figures.push_figures, day)
series = ui.cached(outreach_figures.series, day)
series = series.assign(day=pd.to_datetime(series["day"]), channel=series["channel"].map(lambda c: t(f"outreach.channel.{c}")))
band = pd.DataFrame([{"start": pd.Timestamp(push["start"]), "end": pd.Timestamp(push["end"] + dt.timedelta(days=1)),
                      "label": t("outreach.push.label")}])
window = alt.Chart(band).mark_rect(opacity=0.15, color="#f28e2b").encode(x="start:T", x2="end:T")
label = alt.Chart(band).mark_text(align="left", dx=4, dy=8, baseline="top", color="#b35806").encode(
    x="start:T", y=alt.value(0), text="label:N")
names = [t(f"outreach.channel.{c}") for c in CHANNELS]
lines_chart = ui_charts.lines(
    series, series="channel", names=names, colors=["#1c64b4", "#d1343a", "#2e8b57", "#e69f00"],
    y=alt.Y("cumulative:Q", title=t("outreach.chart.cumulative"), axis=alt.Axis(format=",d")),
    tooltip=[alt.Tooltip("day:T", title=t("outreach.chart.day"), format=ui_charts.day_format()),
             alt.Tooltip("channel:N", title=t("outreach.col.channel")),
             alt.Tooltip("installs:Q", title=t("outreach.col.installs_day"), format=",d"),
             alt.Tooltip("cumulative:Q", title=t("outreach.chart.cumulative"), format=",d")])
st.altair_chart(window + label + lines_chart, width="stretch")
st.caption(t("outreach.push", start=push["start"].isoformat(), end=push["end"].isoformat(),
             installs=f"{push['installs']:,}", share=rate(push["share"])))
