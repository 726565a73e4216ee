"""The daily bulletin (通报): one click makes the phone image, the A4 PDF and the Excel workbook for a date."""

import streamlit as st

import ui
from campaign.infra import clock
from campaign.infra.errors import CampaignError
from campaign.supervision import bulletin, bulletin_render

t, db, lang = ui.t, ui.db(), ui.lang()
st.header(t("bulletin.page_title"))
st.caption(t("bulletin.help"))
day = st.date_input(t("field.date"), clock.today(), max_value=clock.today(), key="bulletin_day")
key = (day.isoformat(), lang)

if st.button(t("bulletin.make"), type="primary", key="bulletin_make"):
    try:
        with st.spinner(t("bulletin.making")):
            made = bulletin.build(db, day)
            # kept for this tab only, so that the download clicks (each a rerun) do not rebuild the files
            st.session_state["bulletin_files"] = (key, {
                "png": bulletin_render.png_bytes(made, lang),
                "pdf": bulletin_render.pdf_bytes(made, lang),
                "xlsx": bulletin_render.xlsx_bytes(made, lang),
            })
    except CampaignError as error:
        ui.show_error(error)

saved = st.session_state.get("bulletin_files")
if saved and saved[0] == key:
    files = saved[1]
    st.success(t("bulletin.made", day=day.isoformat()))
    mimes = {"png": "image/png", "pdf": "application/pdf",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    for column, (kind, mime) in zip(st.columns(3), mimes.items()):
        column.download_button(t(f"bulletin.download_{kind}"), files[kind], bulletin_render.file_name(day, kind, lang), mime,
                               key=f"bulletin_{kind}")
    st.image(files["png"], width=540)
