"""Rankings: units by quota completion within their group, the laggards, and a unit's staff."""

import streamlit as st

import ui
from campaign.infra import clock, exports, settings
from campaign.infra.errors import CampaignError
from campaign.installs import rankings
from campaign.org import access
from campaign.scans import counts as scan_counts
from ui import city as ui_city

t, db, me = ui.t, ui.db(), ui.actor()
st.header(t("rank.title"))
day = st.date_input(t("field.date"), value=clock.today(), max_value=clock.today(), key="rank_day")
county = ui_city.county_choice(db, me, "rank_county")  # issue 9: one county at a time at city scale
table = ui.cached(rankings.unit_ranking, day, county)
guidance = settings.get(db, "quota_guidance")
checks = scan_counts.unit_checks(db, table["unit_id"], table["installs"], day)  # issue 18: scans beside the installs
table = table.assign(scans=checks["scans"].to_numpy(), scan_flag=checks["flagged"].to_numpy())

columns = {  # the figures that matter first: on a phone the unit's name stays pinned and these follow it
    "rank": ui.number_column(t("rank.rank"), width=40),
    "unit": st.column_config.TextColumn(t("field.unit"), width="small"),
    "completion": ui.rate_column(t("rank.completion"), width="small"),
    "installs_today": ui.number_column(t("rank.installs_today")),
    "rank_change": st.column_config.NumberColumn(t("rank.rank_change"), format="%+d"),
    "no_report": st.column_config.CheckboxColumn(t("rank.no_report")),
    "installs": ui.number_column(t("rank.installs")),
    "staff": ui.number_column(t("rank.staff")),
    "at_quota": ui.number_column(t("rank.at_quota")),
    "quota_below": st.column_config.CheckboxColumn(t("quota.below"), help=t("quota.below_help", guidance=guidance)),  # issue 20
    "scans": st.column_config.NumberColumn(t("scans.col.scans"), format="%d"),
    "scan_flag": st.column_config.CheckboxColumn(t("scans.col.flagged")),
}
st.caption(t("scans.flag_help", ratio=settings.get(db, "scan_flag_ratio")))
tabs = st.tabs([t(f"group.{g}") for g in ("township", "department")] + [t("rank.laggards")])
for tab, group in zip(tabs, ("township", "department")):
    part = table[table["group"] == group]
    with tab:
        summary = rankings.group_summary(table, group)
        a, b, c = st.columns(3)
        a.metric(t("rank.units"), summary["units"])
        b.metric(t("rank.completion"), ui.pct(summary["completion"]))
        c.metric(t("rank.no_report_count"), summary["no_report"])
        ui.table(part, key=f"rank_table_{group}", pin="unit",
                 columns={c: v for c, v in columns.items() if c != "quota_below" or part["quota_below"].any()})
with tabs[2]:
    lag = ui.cached(rankings.laggards, day, county)
    st.caption(t("rank.laggards_help"))
    if lag.empty:
        st.success(t("rank.no_laggards"))
    else:
        ui.table(lag, key="rank_laggards", pin="unit",
                 columns={c: columns[c] for c in ("rank", "unit", "completion", "installs", "staff")})

if (flagged := table[table["scan_flag"]]).shape[0]:  # named apart from the tables: on a phone the column is far right
    st.warning(t("scans.flagged_units", count=len(flagged)))
    st.dataframe(flagged, column_order=["unit", "installs", "scans"], column_config=columns, hide_index=True,
                 width="stretch", key="rank_scan_flags")

st.download_button(t("rank.download"), exports.csv_bytes(table, actor=me),
                   file_name=f"{t('rank.file')}-{day.isoformat()}.csv", mime="text/csv", key="rank_download")

st.subheader(t("rank.staff_title"))
visible = table[[access.can_see_details(db, me, uid) for uid in table["unit_id"]]]
if visible.empty:
    st.info(t("rank.no_staff_access"))
    st.stop()
names = dict(zip(visible["unit_id"].tolist(), visible["unit"].tolist()))
unit_id = st.selectbox(t("field.unit"), list(names), placeholder=ui.t("ui.choose"), key="rank_unit", format_func=names.get)
try:
    people = rankings.staff_ranking(db, me, int(unit_id), day)
except CampaignError as error:
    ui.show_error(error)
else:
    ui.table(people, key="rank_staff", pin="name",
             columns={"rank": columns["rank"], "name": st.column_config.TextColumn(t("field.name"), width="small"),
                      "completion": columns["completion"], "installs_today": columns["installs_today"],
                      "installs": columns["installs"], "quota": ui.number_column(t("field.quota")),
                      **({"quota_reason": st.column_config.TextColumn(t("quota.reason"))} if people["quota_below"].any() else {})})
