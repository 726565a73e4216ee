"""Reminder letters (提示函): generate from the laggard list, a failed spot check or a chosen unit; track replies."""

import datetime as dt

import streamlit as st

import ui
from campaign.infra import clock, i18n, settings
from campaign.infra.tables import Upload
from campaign.installs import rankings
from campaign.supervision import letters, letters_render, rules
from campaign.supervision import spot_checks as supervision

t, db, me, lang = ui.t, ui.db(), ui.actor(), ui.lang()
st.header(t("letter.page_title"))
today = clock.today()
table = letters.list_letters(db)
st.subheader(t("letter.counts", **letters.summary(db)))


@st.cache_data(max_entries=16, show_spinner=False)
def letter_files(letter: letters.Letter) -> tuple[bytes, bytes]:
    """The printed letter (Chinese, as sent to the unit): PDF and Word."""
    return letters_render.pdf_bytes(letter), letters_render.docx_bytes(letter)


if table.empty:
    st.info(t("letter.none"))
else:
    shown = table.assign(status=[t(f"letter.status.{s}") for s in table["status"]],
                         source=[t(f"letter.source.{s}") for s in table["source"]])
    ui.table(shown, key="letter_table", pin="unit", times=("issued_on", "reply_due", "sent_on", "reply_on"),
             columns={"unit": st.column_config.TextColumn(t("field.unit"), width="small"), "status": t("letter.status"),
                      "reply_due": t("letter.reply_due"), "late": st.column_config.CheckboxColumn(t("letter.late")),
                      "number": t("letter.number"), "source": t("letter.source"), "issued_on": t("letter.issued_on"),
                      "sent_on": t("letter.sent_on"), "reply_on": t("letter.reply_on"),
                      "reply_summary": t("letter.reply_summary"), "attachment": t("letter.attachment")})

if me.is_admin:
    with st.expander(t("letter.new"), expanded=table.empty):
        sources = {s: t(f"letter.source.{s}") for s in rules.SOURCES}
        source = st.radio(t("letter.source"), list(sources), format_func=sources.get, horizontal=True, key="letter_source")
        pool = {"laggard": lambda: rankings.laggards(db, today), "spot_check": lambda: supervision.flagged(db),
                "manual": lambda: rankings.unit_ranking(db, today)}[source]().reset_index(drop=True)
        if pool.empty:
            st.info(t("letter.no_candidates"))
        else:
            label = (lambda i: f"{pool.loc[i, 'unit']} · {pool.loc[i, 'round']} {ui.pct(pool.loc[i, 'rate'])}") \
                if source == "spot_check" else (lambda i: f"{pool.loc[i, 'unit']} · {ui.pct(pool.loc[i, 'completion'])}")
            pick = st.selectbox(t("field.unit"), list(pool.index), format_func=label, placeholder=ui.t("ui.choose"), key=f"letter_unit_{source}")
            unit_id, round_id = int(pool.loc[pick, "unit_id"]), (int(pool.loc[pick, "round_id"]) if source == "spot_check" else None)
            notes = st.text_area(t("letter.notes"), key="letter_notes")
            rectification = st.text_area(t("letter.rectification"), i18n.t("letter.rectification_default", "zh"),
                                         key="letter_rectification")
            due = st.date_input(t("letter.reply_due"), today + dt.timedelta(days=settings.get(db, "letter_reply_days")),
                                min_value=today + dt.timedelta(days=1), key="letter_due")
            known = {"laggard": {"laggards": pool}, "manual": {"table": pool}}.get(source, {})
            problems = letters.draft_problems(db, unit_id, source, day=today, round_id=round_id, notes=notes, **known)
            st.caption(t("letter.preview"))
            st.markdown("\n".join(f"{i}. {ui.md(letters.problem_text(p, lang))}" for i, p in enumerate(problems, start=1)))
            if st.button(t("letter.generate"), type="primary", key="letter_generate"):
                ui.run_write(lambda: letters.create_reminder(db, me, unit_id, source, problems, rectification=rectification,
                                                    reply_due=due, round_id=round_id), t("letter.saved"))

if not table.empty:
    labels = {r.id: f"{r.number} {r.unit} · {t('letter.status.' + r.status)}" for r in table.itertuples()}
    letter_id = st.selectbox(t("letter.pick"), list(labels), format_func=labels.get, placeholder=ui.t("ui.choose"), key="letter_pick")
    letter = letters.get_letter(db, int(letter_id))
    if lang != "zh":
        st.caption(t("letter.chinese_note"))
    pdf, docx = letter_files(letter)
    left, right = st.columns(2)
    left.download_button(t("letter.download_pdf"), pdf, letters_render.file_name(letter, "pdf"), "application/pdf",
                         key="letter_pdf")
    right.download_button(t("letter.download_docx"), docx, letters_render.file_name(letter, "docx"),
                          "application/vnd.openxmlformats-officedocument.wordprocessingml.document", key="letter_docx")
    if (attached := letters.attachment(db, letter.id)) is not None:
        st.download_button(ui.tm("letter.download_attachment", name=attached[0]), attached[2], attached[0], attached[1],
                           key="letter_attachment")
    if me.is_admin and letter.sent_on is None:
        sent_on = st.date_input(t("letter.sent_on"), today, max_value=today, key="letter_sent_on")
        if st.button(t("letter.mark_sent"), key="letter_mark_sent"):
            ui.run_write(lambda: letters.mark_sent(db, me, letter.id, sent_on), t("letter.saved"))
    elif me.is_admin:
        with st.expander(t("letter.record_reply"), expanded=letter.reply_on is None):
            reply_on = st.date_input(t("letter.reply_on"), today, max_value=today, key="letter_reply_on")
            summary = st.text_area(t("letter.reply_summary"), letter.reply_summary or "", key="letter_reply_summary")
            file = ui.uploader(t("letter.reply_file"), key="letter_reply_file")
            if st.button(t("letter.record_reply"), type="primary", key="letter_reply_save"):
                upload = Upload(file.name, file.getvalue()) if file is not None else None
                ui.run_write(lambda: letters.record_reply(db, me, letter.id, reply_on, summary, upload), t("letter.saved"))
