"""Leaders' overview: coverage against the city's targets and rank, townships, units' quota completion, what needs attention."""

import altair as alt
import pandas as pd
import streamlit as st

import ui
from campaign.coverage import overview as coverage_overview
from campaign.coverage import reconcile as coverage_reconcile
from campaign.infra import clock, settings
from campaign.scans import counts as scan_counts
from campaign.scans import rules as scan_rules
from ui import charts as ui_charts
from ui import city as ui_city

t, db = ui.t, ui.db()
# Printing leaves out the sidebar, the toolbar and the inputs; the figures follow one another on the page.
st.html("<style>@media print {[data-testid='stSidebar'], [data-testid='stHeader'], [data-testid='stToolbar'],"
        " [data-testid='stDateInput'], .no-print {display: none !important;}"
        " [data-testid='stMainBlockContainer'] {max-width: 100% !important; padding: 0 1rem !important;}}</style>")
conf = settings.get_all(db)
st.header(t("overview.title"))
day = st.date_input(t("field.date"), value=clock.today(), max_value=clock.today(), key="overview_day")
county = ui_city.county_choice(db, ui.actor(), "overview_county")  # issue 9
view = ui.cached(coverage_overview.overview, day, county)
rep, num = view["report"], lambda n: f"{n:,.0f}"

if rep is None or rep["as_of"] is None:
    st.info(t("overview.no_population" if rep is None else "overview.no_registrations"))
else:
    version = rep["population_version"]
    st.caption(f"{ui.md(rep['county'])} · " + t("overview.as_of", day=rep["as_of"], version=t(
        "coverage.version_label", year=version["year"], kind=t(f"coverage.kind.{version['kind']}"),
        source=f" · {ui.md(version['source'])}" if version["source"] else "")))
    goal, estimated = rep["targets"] or {}, rep["coverage_16_60_estimated"]
    cols = st.columns(3)
    for col, key in zip(cols, ("coverage", "coverage_16_60")):
        label = t(f"coverage.{key}") + (t("coverage.estimated_suffix") if key.endswith("60") and estimated else "")
        diff = None if goal.get(key) is None or rep[key] is None else t(
            "overview.vs_target", diff=f"{(rep[key] - goal[key]) * 100:+.2f}", target=ui.pct(goal[key]))
        col.metric(label, ui.pct(rep[key]), delta=diff or t("overview.no_target"), delta_color="normal" if diff else "off",
                   help=t("coverage.estimated_help") if key.endswith("60") and estimated else None, border=True,
                   chart_data=list(view["trend"][key].dropna()), chart_type="line")
    rank = rep["city_rank"]
    if rank:
        pub = rank["published"]
        cols[2].metric(t("overview.city_rank"), t("overview.rank_value", rank=rank["coverage"], counties=rank["counties"]),
                       delta=t("overview.rank_16_60", rank=rank["coverage_16_60"]), delta_color="off", delta_arrow="off",
                       border=True, help=t("overview.rank_help", day=rank["bulletin"]))
        if pub:
            st.caption(t("overview.published", day=rank["bulletin"], rate=ui.pct(pub["rate"]), rank=pub["coverage"],
                         rate_16_60=ui.pct(pub["rate_16_60"]), rank_16_60=pub["coverage_16_60"]))
    if rep["gap"]:
        cols = st.columns(3)
        for col, key, what in zip(cols, ("coverage", "coverage_16_60"), ("overview.gap_total", "overview.gap_16_60")):
            gap, per_day = rep["gap"][key], rep["per_day"][key]
            if gap is not None:
                need = t("overview.per_day", n=num(per_day), deadline=goal["deadline"]) if per_day is not None \
                    else t("overview.deadline_passed", deadline=goal["deadline"])
                col.metric(t("overview.gap", what=t(what)), t("overview.persons", n=num(gap)), delta=need,
                           delta_color="off", delta_arrow="off", border=True)
        pace = rep["pace"]
        cols[2].metric(t("overview.reach"), t("overview.persons", n=num(pace["coverage"] or 0)), border=True,
                       delta=t("overview.pace_16_60", n=num(pace["coverage_16_60"] or 0)), delta_color="off", delta_arrow="off")
        st.caption(t("overview.reach_line", text=t("overview.separator").join(
            t(what) + " " + t("overview.reach." + ("on_late" if r["after_deadline"] else r["status"]), date=r["date"])
            for what, r in zip(("overview.gap_total", "overview.gap_16_60"), rep["reach"].values()))))

    st.subheader(t("overview.trend"))
    lines = coverage_overview.trend_lines(view["trend"], rep["targets"])
    lines["series"] = [t(f"overview.series.{s}") for s in lines["series"]]
    names = [t(f"overview.series.{k}") for k in ("coverage_16_60", "target_coverage_16_60", "coverage", "target_coverage")]
    st.altair_chart(ui_charts.lines(  # a target dashed, in its figure's colour
        lines, series="series", names=names, colors=["#1c64b4", "#1c64b4", "#d1343a", "#d1343a"], dashed=names[1::2],
        y=alt.Y("value:Q", title=None, axis=alt.Axis(format=".0%"), scale=alt.Scale(zero=False))),
        width="stretch", key="overview_trend")
    st.caption(t("overview.trend_help"))

    st.subheader(t("overview.townships"))
    towns = pd.DataFrame(rep["townships"])
    towns["flags"] = ["、".join(t(k) for k, on in (("coverage.estimated", r.coverage_16_60_estimated),
                                                 ("coverage.over_100", r.over_100), ("coverage.no_data", r.coverage is None)) if on)
                      for r in towns.itertuples()]
    bar = lambda key: ui.rate_column(t(f"coverage.{key}"), width="small")
    ui.table(towns, key="overview_townships", pin="township",
             columns={"rank": ui.number_column(t("coverage.rank"), width=40),
                      "township": st.column_config.TextColumn(t("coverage.township"), width="small"),
                      "coverage_16_60": bar("coverage_16_60"), "coverage": bar("coverage"), "gap_16_60": t("coverage.gap_16_60"),
                      "population": t("coverage.population"), "registered": t("coverage.registered"), "flags": t("coverage.flags")})
    if rep["bulletin"]:
        with st.expander(t("overview.city"), expanded=False):
            city = pd.DataFrame(rep["bulletin"])
            city["county"] = [t("overview.computed_row", county=r.county) if r.computed else ("★ " if r.own else "") + r.county
                              for r in city.itertuples()]
            ui.table(city, key="overview_city", pin="county",
                     columns={"county": t("field.county"), "rate": bar("coverage"), "rate_16_60": bar("coverage_16_60")})

st.subheader(t("overview.units"))
cols = st.columns(2)
for col, (group, summary) in zip(cols, view["groups"].items()):
    col.metric(t(f"group.{group}"), ui.pct(summary["completion"]), border=True, delta_color="off", delta_arrow="off",
               delta=t("overview.units_line", units=summary["units"], completion=ui.pct(summary["completion"]),
                       no_report=summary["no_report"]))
st.page_link("ui/pages/rankings.py", label=t("nav.rankings"), icon=":material/leaderboard:")

st.subheader(t("overview.attention"))
items = view["attention"]
if not items:
    st.success(t("overview.attention_none"))
for code, title in (("overview.attn.inflated_county", "overview.attn_inflated_county"),  # issue 20
                    ("overview.attn.inflated", "overview.attn_inflated"), ("overview.attn.laggard", "overview.attn_laggards"),
                    ("overview.attn.laggard_talked", "overview.attn_talked")):
    part = [i for i in items if i["code"] == code]
    if part:
        st.markdown(f"**{t(title)}**\n\n" + "\n".join(
            f"- {ui.tm(code, subject=i['subject'], **{**i['params'], 'completion': ui.pct(i['params'].get('completion'))})}"
            for i in part))
silent = [i["subject"] for i in items if i["code"] == "overview.attn.no_report"]
if silent:
    with st.expander(t("overview.attn_no_report", count=len(silent))):
        st.markdown(ui.md("、".join(silent)))

recon = view["reconciliation"]
with st.expander(t("overview.reconciliation")):
    if recon["table"].empty:
        st.info(t("coverage.reconcile_none"))
    else:
        st.caption(t("coverage.reconcile_help", first=recon["first_day"], last=recon["last_day"], margin=ui.pct(recon["margin"])))
        st.caption(t("coverage.reconcile_county", unplaced=ui.num(recon['county']['unplaced'])))  # issue 20
        ui.table(coverage_reconcile.with_county_row(recon, t("coverage.county_row")), key="overview_reconcile", pin="township",
                 columns={"township": t("coverage.township"), "excess": t("coverage.excess"),
                          "flagged": st.column_config.CheckboxColumn(t("coverage.flagged")), "reported": t("coverage.reported"),
                          "increase": t("coverage.increase"), "unplaced": t("coverage.unplaced"), "scans": t("scans.col.scans")})
st.subheader(t("scans.daily"))  # issue 18: QR-code scans per day, by phone type
scans = scan_counts.daily(db, last=day, county=county)
if scans.empty:
    st.caption(t("scans.daily_none"))
else:
    names = [t(f"scans.platform.{p}") for p in scan_rules.PLATFORMS]  # one colour per phone type in either language
    scans["platform"] = [t(f"scans.platform.{p}") for p in scans["platform"]]
    st.altair_chart(alt.Chart(scans).mark_bar().encode(
        x=alt.X("day:T", title=None, axis=alt.Axis(format="%m-%d")), y=alt.Y("sum(scans):Q", title=None),
        color=alt.Color("platform:N", title=None, sort=names, legend=alt.Legend(orient="bottom", columns=2),
                        scale=alt.Scale(domain=names, range=["#5f6368", "#2e7d32", "#0b4ea2", "#bdbdbd"]))),
        width="stretch", key="overview_scans")
    st.caption(t("scans.daily_caption", first=scans["day"].iloc[0], last=scans["day"].iloc[-1], total=f"{scans['scans'].sum():,}"))
st.caption(t("overview.print_hint"))
