"""Outreach rankings: per channel, its units and groups ranked by coverage or reach, with flags and lists."""

import streamlit as st

import ui
from campaign.infra import clock, exports, settings
from campaign.outreach import entries as outreach
from campaign.outreach import figures as outreach_figures
from campaign.outreach.channels import CHANNELS
from campaign.scans import counts as scan_counts

t, db, me = ui.t, ui.db(), ui.actor()
st.header(t("outreach.rankings.title"))
own = outreach.channels_for(db, me)  # open on the user's own channel (a grid worker's grids), else the first
channel = st.radio(t("outreach.entry.channel"), list(CHANNELS), horizontal=True, key="or_channel",
                   index=list(CHANNELS).index(own[0]) if own and not me.is_admin else 0,
                   format_func=lambda c: t(f"outreach.channel.{c}"))
day = st.date_input(t("field.date"), value=clock.today(), max_value=clock.today(), key="or_day")
tables = ui.cached(outreach_figures.tables, channel, day)
scanned = scan_counts.location_scans(db, day)  # issue 18: scans of each window's, grid's and class's QR code
for located in ("classes", "grids", "windows"):
    if located in tables:
        tables[located] = tables[located].assign(scans=[scanned.get(int(u), 0) for u in tables[located]["unit_id"]])
st.caption(t(f"outreach.coverage_rule.{channel}") + ("" if channel == "windows" else " " + t("outreach.over_note")))

SUMMED = ["rank", "name", "units", "denominator", "reached", "reach", "installs", "installs_day", "coverage", "no_data_units"]
COLUMNS = {
    "schools": ["rank", "name", "school_type", "township", *SUMMED[2:]],
    "school_types": SUMMED, "townships": SUMMED, "villages": ["rank", "name", "township", *SUMMED[2:]],
    "regulators": SUMMED, "parks": SUMMED, "hosts": SUMMED,
    "classes": ["rank", "name", "school", "head_teacher", "denominator", "reached", "installs", "coverage", "scans"],
    "grids": ["rank", "code", "name", "village", "workers", "denominator", "visits", "reach", "installs", "per_visit",
              "coverage", "last_visit", "scans"],
    "idle": ["code", "name", "village", "township", "workers", "last_visit"],
    "units": ["rank", "code", "name", "kind", "regulator", "park", "denominator", "reached", "installs", "coverage"],
    "windows": ["code", "name", "qr_shown", "flyers_shown", "last_check", "host", "township", "location", "installs",
                "promoters", "scans"],
}
# A long table is shown one group at a time: classes by school, grids by township, enterprises by regulator…
FILTER = {"schools": "school_type", "classes": "school", "grids": "township", "villages": "township", "idle": "township", "units": "regulator",
          "windows": "township"}
LABELS = {"school_type": "outreach.school_type.", "kind": "outreach.kind.", "window_type": "outreach.window_type."}


def shown(frame):
    """Rates as percentages ("no data" when missing, ⚠ above 100%), kinds and yes/no in words."""
    frame = outreach.redact(db, me, frame)
    for column in ("reach", "coverage", "per_visit"):
        if column in frame:
            over = frame["over"] if column == "coverage" and "over" in frame else [False] * len(frame)
            frame[column] = [t("outreach.no_data") if v is None or v != v else (f"{v:.2f}" if column == "per_visit" else ui.pct(v))
                             + (" ⚠" if o else "") for v, o in zip(frame[column], over)]
    for column, prefix in LABELS.items():
        if column in frame:
            frame[column] = [t(prefix + str(v)) if v == v and v is not None else "" for v in frame[column]]
    for column in ("qr_shown", "flyers_shown"):
        if column in frame:
            frame[column] = [t("outreach.unchecked") if v != v or v is None else t("outreach.yes" if v else "outreach.no")
                             for v in frame[column]]
    return frame


config = {column: ui.number_column(t(f"outreach.col.{column}"))
          for column in ("rank", "units", "reached", "installs", "installs_day", "visits")}
config |= {"denominator": st.column_config.NumberColumn(t("outreach.col.denominator") + f" ({t('outreach.den.' + channel)})", format="%d"),
           "no_data_units": ui.number_column(t("outreach.col.no_data")),
           "name": st.column_config.TextColumn(t("outreach.col.name"))}
config |= {column: st.column_config.TextColumn(t(f"outreach.col.{column}"))
           for column in ("reach", "coverage", "per_visit", "last_visit", "last_check", "qr_shown", "flyers_shown")}
config |= {column: st.column_config.TextColumn(t(f"field.{column}"))
           for column in ("code", "school", "school_type", "head_teacher", "village", "workers", "regulator", "park", "host",
                          "location", "promoters")}
config["scans"] = st.column_config.NumberColumn(t("scans.col.scans"), format="%d")
config |= {"township": st.column_config.TextColumn(t("field.town")), "kind": st.column_config.TextColumn(t("field.enterprise_kind"))}

tabs = st.tabs([t(f"outreach.t.{channel}.{name}") for name in tables])
for tab, (name, frame) in zip(tabs, tables.items()):
    with tab:
        if name == "idle":
            st.caption(t("outreach.attention.idle", count=len(frame), days=settings.get_all(db)["grid_idle_days"]))
        group = FILTER.get(name)
        if group and frame[group].nunique() > 1:
            options = [None, *sorted(frame[group].dropna().unique())]
            pick = st.selectbox(t("outreach.filter"), options, placeholder=ui.t("ui.choose"), key=f"or_filter_{channel}_{name}",
                                format_func=lambda v: t("outreach.filter.all") if v is None else t(LABELS[group] + v) if group in LABELS else v)
            frame = frame if pick is None else frame[frame[group] == pick]
        if name == "school_types":
            frame = frame.assign(name=frame["school_type"].map(lambda v: t(f"outreach.school_type.{v}")))
        view = shown(frame)
        ui.table(view, key=f"or_table_{channel}_{name}", pin="name", times=("last_visit", "last_check"),
                 columns={c: config.get(c, c) for c in COLUMNS[name]})
        st.download_button(t("outreach.download"), exports.csv_bytes(view[COLUMNS[name]], actor=me),
                           file_name=f"outreach-{channel}-{name}-{day.isoformat()}.csv", mime="text/csv",
                           key=f"or_download_{channel}_{name}")
