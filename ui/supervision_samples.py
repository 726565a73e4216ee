"""The supervision page's random samples (issue 20): draw a unit's sample in the chosen round from a seed, record
what was found per person, and the round's report as a PDF."""

import json

import streamlit as st

import ui
from campaign.supervision import round_report, samples


@st.cache_data(max_entries=8, show_spinner=False)
def _pdf(report_json: str, lang: str) -> bytes:
    return round_report.pdf_bytes(json.loads(report_json), lang)


def render(db, me, round_id: int, units, today) -> None:
    """The section under a round's compliance table. `units`: rankings.unit_info indexed by unit_id."""
    t = ui.t
    st.subheader(t("sample.title"))
    st.caption(t("sample.help"))
    if me.is_admin:
        with st.expander(t("sample.draw")):
            unit_id = st.selectbox(t("field.unit"), list(units.index), format_func=lambda u: units.loc[u, "unit"], key="sample_unit")
            left, right = st.columns(2)
            size = left.text_input(t("sample.size"), key="sample_size")
            seed = right.text_input(t("sample.seed"), key="sample_seed")
            if st.button(t("sample.draw"), type="primary", key="sample_draw"):
                ui.run_write(lambda: samples.draw_sample(db, me, round_id, int(unit_id), size=size, seed=seed), t("sample.drawn"))
    drawn = samples.list_samples(db, round_id)
    if drawn.empty:
        st.caption(t("sample.none"))
    else:
        labels = {int(r.id): t("sample.label", unit=r.unit, seed=r.seed, size=r.size,
                               rechecks=t("sample.label_rechecks", count=r.rechecks) if r.rechecks else "")
                  for r in drawn.itertuples()}
        sample_id = st.selectbox(t("sample.pick"), list(labels), format_func=labels.get, key="sample_pick")
        row = drawn.set_index("id").loc[sample_id]
        st.caption(t("sample.line", seed=row["seed"], pool=row["pool"], size=row["size"], rechecks=row["rechecks"]))
        people = samples.sample_people(db, me, sample_id)
        if row["recorded"] or not me.is_admin:
            _results(people)
        else:
            _entry(db, me, sample_id, people, today)
    report = round_report.build(db, me, round_id, today)
    if report["sections"]:
        st.download_button(t("sample.download"), _pdf(json.dumps(report, ensure_ascii=False, default=str), ui.lang()),
                           round_report.file_name(report), "application/pdf", key="sample_report")


def _results(people) -> None:
    t = ui.t
    shown = people.assign(outcome=[t(f"report.outcome.{o}") for o in people["outcome"]])
    st.dataframe(shown, hide_index=True, width="stretch", key="sample_results",
                 column_order=["name", "unit", "recheck", "outcome", "note"],
                 column_config={"name": t("field.name"), "unit": t("field.unit"), "outcome": t("report.col.outcome"),
                                "recheck": st.column_config.CheckboxColumn(t("sample.recheck")), "note": t("sample.note")})


def _entry(db, me, sample_id: int, people, today) -> None:
    t = ui.t
    left, right = st.columns(2)
    day = left.date_input(t("sup.check_day"), today, max_value=today, key="sample_day")
    checker = right.text_input(t("sup.checker"), key="sample_checker")
    grid = people[["staff_id", "name", "unit", "recheck"]].assign(installed=False, registered=False, not_found=False, note="")
    edited = st.data_editor(
        grid, hide_index=True, width="stretch", key=f"sample_grid_{sample_id}", disabled=["staff_id", "name", "unit", "recheck"],
        column_order=["name", "unit", "recheck", "installed", "registered", "not_found", "note"],
        column_config={"name": t("field.name"), "unit": t("field.unit"),
                       "recheck": st.column_config.CheckboxColumn(t("sample.recheck")),
                       **{k: st.column_config.CheckboxColumn(t(f"sup.{k}")) for k in ("installed", "registered")},
                       "not_found": st.column_config.CheckboxColumn(t("sample.not_found")),
                       "note": st.column_config.TextColumn(t("sample.note"), max_chars=samples.MAX_NOTE)})
    results = {int(r.staff_id): (r.installed, r.registered, r.not_found, r.note) for r in edited.itertuples()}
    if st.button(t("sample.save"), type="primary", key="sample_save"):
        ui.run_write(lambda: samples.record_results(db, me, sample_id, day, checker, results), t("sample.saved"))
