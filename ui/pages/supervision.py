"""Supervision: rounds of spot checks with compliance per unit, and who signed the responsibility letter."""

import pandas as pd
import streamlit as st

import ui
from campaign.infra import clock, settings
from campaign.installs import rankings
from campaign.supervision import letters
from campaign.supervision import spot_checks as supervision
from ui import supervision_letters, supervision_samples, supervision_talks

t, db, me = ui.t, ui.db(), ui.actor()
st.header(t("sup.title"))
if not me.is_admin:
    st.caption(t("sup.read_only"))
today = clock.today()
units = ui.cached(rankings.unit_info).set_index("unit_id")
cols = {
    "round": st.column_config.TextColumn(t("sup.round")), "day": st.column_config.TextColumn(t("field.date")),
    "unit": st.column_config.TextColumn(t("field.unit")), "units": st.column_config.NumberColumn(t("sup.units_checked")),
    "checker": st.column_config.TextColumn(t("sup.checker")),
    **{k: ui.number_column(t(f"sup.{k}")) for k in ("checked", "installed", "registered", "compliant")},
    "rate": ui.rate_column(t("sup.rate")),
    "flagged": st.column_config.CheckboxColumn(t("sup.flagged")),
    "signed_on": st.column_config.TextColumn(t("field.signed_on")), "signed_by": st.column_config.TextColumn(t("field.signed_by")),
    "group": st.column_config.TextColumn(t("bulletin.col.group")),
}
pick = lambda *names: {name: cols[name] for name in names}  # noqa: E731 — the columns of one table, in order


checks_tab, resp_tab, talks_tab = st.tabs([t("sup.tab.checks"), t("sup.tab.responsibility"), t("sup.tab.talks")])
with talks_tab:  # issue 20: the 约谈 follow-up
    supervision_talks.render(db, me, today)
with checks_tab:
    st.caption(t("sup.pass_mark", rate=f"{settings.get(db, 'spot_check_min_rate') * 100:g}%"))
    if me.is_admin:
        with st.expander(t("sup.add_round")):
            name = st.text_input(t("sup.round_name"), key="sup_round_name")
            day = st.date_input(t("sup.round_day"), today, max_value=today, key="sup_round_day")
            if st.button(t("sup.add_round"), key="sup_round_add"):
                ui.run_write(lambda: supervision.add_round(db, me, name, day), t("sup.round_added"))
    rounds = supervision.list_rounds(db)
    if rounds.empty:
        st.info(t("sup.no_rounds"))
    else:
        ui.table(rounds, key="sup_rounds", pin="round", columns=pick("round", "day", "units", "checked", "compliant", "rate"))
        round_id = st.selectbox(t("sup.round"), list(rounds["round_id"]), placeholder=ui.t("ui.choose"), key="sup_round",
                                format_func=lambda r: rounds.set_index("round_id").loc[r, "round"])
        table = supervision.compliance(db, round_id)
        a, b, c, d = st.columns(4)
        a.metric(t("sup.units_checked"), len(table))
        b.metric(t("sup.staff_checked"), int(table["checked"].sum()))
        c.metric(t("sup.rate"), ui.pct(table["compliant"].sum() / table["checked"].sum() if len(table) else None))
        d.metric(t("sup.flagged_units"), int(table["flagged"].sum()))
        ui.table(table, key="sup_compliance", pin="unit",
                 columns=pick("unit", "rate", "flagged", "checked", "installed", "registered", "compliant"))
        supervision_samples.render(db, me, int(round_id), units, today)  # issue 20: random samples, the round's report
        if me.is_admin:
            with st.expander(t("sup.record")):
                unit_id = st.selectbox(t("field.unit"), list(units.index), format_func=lambda u: units.loc[u, "unit"],
                                       placeholder=ui.t("ui.choose"), key="sup_unit")
                left, right = st.columns(2)
                check_day = left.date_input(t("sup.check_day"), today, max_value=today, key="sup_check_day")
                checker = right.text_input(t("sup.checker"), key="sup_checker")
                st.caption(t("sup.tick_help"))
                people = supervision.unit_staff(db, me, int(unit_id)).assign(checked=False, installed=False, registered=False)
                edited = st.data_editor(
                    people, hide_index=True, width="stretch", key=f"sup_items_{unit_id}", disabled=["name", "phone"],
                    column_order=["name", "phone", "checked", "installed", "registered"],
                    column_config={"name": st.column_config.TextColumn(t("field.name")),
                                   "phone": st.column_config.TextColumn(t("field.phone")),
                                   **{k: st.column_config.CheckboxColumn(t(f"sup.{k}")) for k in ("checked", "installed", "registered")}})
                items = [(r.id, r.installed, r.registered) for r in edited.itertuples() if r.checked]
                if st.button(t("sup.save_check"), type="primary", key="sup_save_check"):
                    ui.run_write(lambda: supervision.record_check(db, me, round_id, int(unit_id), check_day, checker, items),
                        t("sup.check_saved", checked=len(items)))
        st.subheader(t("sup.checks"))
        checks = supervision.list_checks(db, round_id)
        ui.table(checks, key="sup_checks", pin="unit",
                 columns=pick("unit", "day", "rate", "checked", "installed", "registered", "checker"))
        if me.is_admin and not checks.empty:
            labels = {r.check_id: f"{r.day} {r.unit} {r.checker}" for r in checks.itertuples()}
            chosen = st.selectbox(t("sup.checks"), list(labels), format_func=labels.get, placeholder=ui.t("ui.choose"), key="sup_delete_pick")
            if st.button(t("sup.delete_check"), key="sup_delete"):
                ui.run_write(lambda: supervision.delete_check(db, me, int(chosen)), t("sup.deleted"))

with resp_tab:
    table = letters.responsibility(db)
    table["group"] = [t(f"group.{g}") for g in table["group"]]
    signed_col, scans_col = st.columns(2)
    signed_col.metric(t("letter.resp.signed"), t("letter.resp.count", signed=int(table["signed"].sum()), units=len(table)))
    scans_col.metric(t("resp.scans_missing"), int((table["status"] == "scan_missing").sum()))  # issue 20
    st.subheader(t("letter.resp.unsigned"))
    missing = table[~table["signed"]]
    if missing.empty:
        st.success(t("letter.resp.all_signed"))
    else:
        ui.table(missing, key="resp_unsigned", pin="unit", columns=pick("unit", "group"))
    if me.is_admin:
        with st.expander(t("letter.resp.record"), expanded=not missing.empty):
            unit_id = st.selectbox(t("field.unit"), list(table["unit_id"]), format_func=lambda u: units.loc[u, "unit"],
                                   placeholder=ui.t("ui.choose"), key="resp_unit")
            left, right = st.columns(2)
            signed_on = left.date_input(t("field.signed_on"), today, max_value=today, key="resp_day")
            signed_by = right.text_input(t("field.signed_by"), key="resp_signer")
            if st.button(t("letter.resp.record"), type="primary", key="resp_save"):
                ui.run_write(lambda: letters.sign(db, me, int(unit_id), signed_on, signed_by), t("letter.resp.saved"))
    st.subheader(t("letter.resp.signed_list"))
    ui.table(pd.DataFrame(table[table["signed"]]).assign(status=lambda f: [t(f"resp.status.{s}") for s in f["status"]]),
             key="resp_signed", pin="unit", columns={**pick("unit", "group", "signed_on", "signed_by"),
                                                     "status": t("resp.status"), "scan": t("resp.scan")})
    supervision_letters.render(db, me, table)  # issue 20: the letters as documents, the signed scans, the template
