"""Population and registrations (administrators): import official figures, choose the denominator, township aliases, reconciliation."""

import dataclasses

import pandas as pd
import streamlit as st

import ui
from campaign import features
from campaign.coverage import reconcile as coverage_reconcile
from campaign.coverage import store
from campaign.infra import clock, settings
from campaign.infra.errors import CampaignError
from campaign.infra.tables import Upload

t, db, me = ui.t, ui.db(), ui.actor()
st.header(t("coverage.data_title"))
tabs = st.tabs([t("coverage.tab_import"), t("coverage.tab_versions"), t("coverage.tab_aliases"), t("coverage.tab_reconcile")])

with tabs[0]:
    kind = st.radio(t("import.kind"), ["population", "registrations", "peers"], horizontal=True, key="cov_kind",
                    format_func=lambda k: t(f"import.kind.{k}"))
    spec = features.import_kinds()[kind]
    st.caption(t("import.columns", columns=", ".join(f"{t('field.' + c)} ({'/'.join(a[:2])})" for c, a in spec.columns.items())))
    if kind != "peers":
        st.caption(t("coverage.age_forms"))
    if kind == "population":
        a, b, c = st.columns(3)
        options = {"year": a.number_input(t("coverage.year"), 1950, 2100, clock.today().year, key="cov_year"),
                   "source": b.text_input(t("coverage.source"), key="cov_source"),
                   "kind": c.selectbox(t("coverage.pop_kind"), ["resident", "household"], placeholder=ui.t("ui.choose"), key="cov_pop_kind",
                                       format_func=lambda k: t(f"coverage.kind.{k}"))}
    else:
        options = {"as_of": st.date_input(t("coverage.as_of"), clock.today(), max_value=clock.today(), key="cov_as_of").isoformat()}
    left, right = st.columns(2)
    left.download_button(t("import.template_zh"), features.template(kind, "zh"), f"{kind}_模板.csv", "text/csv", key="cov_tpl_zh")
    right.download_button(t("import.template_en"), features.template(kind, "en"), f"{kind}_template.csv", "text/csv", key="cov_tpl_en")
    file = ui.uploader(t("import.file"), ["csv", "xlsx"], key=f"cov_file_{kind}")
    if file is not None:
        upload = Upload(file.name, file.getvalue())
        try:
            checked = features.run_import(db, me, kind, upload, dry_run=True, options=options)
        except CampaignError as error:
            ui.show_error(error)
            st.info(t("import.nothing_written"))
        else:
            st.success(t("import.clean", rows=checked.rows))
            if st.button(t("import.apply"), type="primary", key="cov_apply"):
                try:
                    result = features.run_import(db, me, kind, upload, options=options)
                except CampaignError as error:
                    ui.show_error(error)
                else:
                    st.success(t("import.applied", rows=result.rows, **{"new": 0, "updated": 0, "corrected": 0,
                                                                        "unchanged": 0, **result.counts}))

with tabs[1]:
    versions, active = store.list_versions(db), store.active_version(db)
    if not versions:
        st.info(t("coverage.versions_empty"))
    else:
        label = {v.id: f"{v.id} · " + t("coverage.version_label", year=v.year, kind=t(f"coverage.kind.{v.kind}"),
                                         source=f" · {v.source}" if v.source else "") for v in versions}
        frame = pd.DataFrame([dataclasses.asdict(v) for v in versions]).assign(active=lambda f: f["id"] == active.id)
        frame["label"] = frame["id"].map(label)
        st.dataframe(frame, hide_index=True, width="stretch", key="cov_versions",
                     column_order=["active", "label", "people", "townships", "filename", "imported_at"],
                     column_config={"active": st.column_config.CheckboxColumn(t("coverage.active")),
                                    "label": t("coverage.population_version"), "people": t("coverage.people"),
                                    "townships": t("coverage.townships"), "imported_at": t("coverage.imported_at")})
        chosen = st.selectbox(t("coverage.population_version"), list(label), index=list(label).index(active.id),
                              format_func=label.get, placeholder=ui.t("ui.choose"), key="cov_version")
        if st.button(t("coverage.use"), disabled=chosen == active.id, key="cov_use"):
            try:
                store.use_version(db, me, chosen)
            except CampaignError as error:
                ui.show_error(error)
            else:
                st.success(t("coverage.used"))
    days = store.snapshot_days(db)
    if days:
        st.caption(t("coverage.snapshots", count=len(days), first=days[0], last=days[-1]))

with tabs[2]:
    aliases = store.aliases(db)
    if aliases:
        st.dataframe(pd.DataFrame(aliases.items(), columns=[t("coverage.alias"), t("coverage.township")]),
                     hide_index=True, width="stretch", key="cov_aliases")
    else:
        st.info(t("coverage.no_aliases"))
    with st.form("cov_alias_form", clear_on_submit=True):
        a, b = st.columns(2)
        alias = a.text_input(t("coverage.alias"), key="cov_alias")
        township = b.selectbox(t("coverage.township"), store.alias_targets(db), placeholder=ui.t("ui.choose"), key="cov_alias_township")
        if st.form_submit_button(t("coverage.alias_add")):
            try:
                store.set_alias(db, me, alias, township or "")
            except CampaignError as error:
                ui.show_error(error)
            else:
                st.success(t("coverage.alias_added"))
    if aliases:
        gone = st.selectbox(t("coverage.alias_remove"), list(aliases), placeholder=ui.t("ui.choose"), key="cov_alias_gone")
        if st.button(t("coverage.alias_remove"), key="cov_alias_remove"):
            store.remove_alias(db, me, gone)
            st.rerun()

with tabs[3]:
    a, b = st.columns(2)
    first = a.date_input(t("coverage.from"), clock.as_date(settings.get(db, "start_date")), max_value=clock.today(), key="cov_rec_from")
    last = b.date_input(t("coverage.to"), clock.today(), max_value=clock.today(), key="cov_rec_to")
    recon = coverage_reconcile.reconcile(db, first, last)
    if recon["table"].empty:
        st.info(t("coverage.reconcile_none"))
    else:
        st.caption(t("coverage.reconcile_help", first=recon["first_day"], last=recon["last_day"], margin=ui.pct(recon["margin"])))
        channels = {f"reported_{c}": t(f"coverage.channel.{c}") if c == "staff" else t(f"outreach.channel.{c}") for c in recon["channels"]}
        st.caption(t("coverage.reconcile_county", unplaced=f"{recon['county']['unplaced']:,}"))  # issue 20
        st.dataframe(coverage_reconcile.with_county_row(recon, t("coverage.county_row")), hide_index=True, width="stretch",
                     key="cov_reconcile", column_order=["township", *channels, "reported", "increase", "excess", "flagged", "unplaced", "scans"],
                     column_config={"township": t("coverage.township"), **channels, "reported": t("coverage.reported"),
                                    "unplaced": t("coverage.unplaced"), "scans": t("scans.col.scans"),
                                    "increase": t("coverage.increase"), "excess": t("coverage.excess"),
                                    "flagged": st.column_config.CheckboxColumn(t("coverage.flagged"))})
        st.caption(t("coverage.outside", count=f"{sum(recon['outside'].values()):,}"))
