"""The supervision page's responsibility letters as documents (issue 20): each unit's letter from the template
(PDF, Word), every unit's at once, the signed scan, and the template the administrators edit."""

import streamlit as st

import ui
from campaign.infra.tables import Upload
from campaign.supervision import responsibility, responsibility_render

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@st.cache_data(max_entries=16, show_spinner=False)
def _files(doc: responsibility.Document) -> tuple[bytes, bytes]:
    return responsibility_render.pdf_bytes([doc]), responsibility_render.docx_bytes(doc)


def render(db, me, register) -> None:
    """Below the register (campaign.supervision.letters.responsibility, its group already translated)."""
    t = ui.t
    st.subheader(t("resp.generate"))
    names = dict(zip(register["unit_id"].tolist(), register["unit"].tolist()))
    unit_id = st.selectbox(t("field.unit"), list(names), format_func=names.get, key="resp_doc_unit")
    row = register.set_index("unit_id").loc[unit_id]
    st.caption(t("sup.label_value", label=t("resp.status"), value=t("resp.status." + row["status"])))
    doc = responsibility.documents(db, [unit_id])[0]
    pdf, docx = _files(doc)
    left, right = st.columns(2)
    left.download_button(t("resp.download_pdf"), pdf, responsibility_render.file_name(doc, "pdf"), "application/pdf",
                         key="resp_doc_pdf")
    right.download_button(t("resp.download_docx"), docx, responsibility_render.file_name(doc, "docx"), DOCX, key="resp_doc_docx")
    if (scan := responsibility.scan(db, unit_id)) is not None:
        st.download_button(t("resp.download_scan", name=scan[0]), scan[2], scan[0], scan[1], key="resp_scan_download")
    if me.is_admin and row["signed"]:
        file = st.file_uploader(t("resp.scan"), type=["pdf", "png", "jpg", "jpeg"], help=t("resp.scan_help"), key="resp_scan_file")
        if st.button(t("resp.attach"), disabled=file is None, key="resp_scan_attach"):
            ui.run_write(lambda: responsibility.attach_scan(db, me, unit_id, Upload(file.name, file.getvalue())), t("resp.attached"))
    if st.button(t("resp.download_all", count=len(register)), key="resp_all_make"):
        every = responsibility.documents(db)
        st.download_button(t("resp.download_all", count=len(every)), responsibility_render.pdf_bytes(every),
                           responsibility_render.file_name(None, "pdf"), "application/pdf", key="resp_all_pdf")
    if me.is_admin:
        _template(db, me)


def _template(db, me) -> None:
    t = ui.t
    changed = responsibility.edited(db)
    with st.expander(t("resp.title")):
        st.caption(t("resp.template_help", fields="、".join(f"{{{f}}}" for f in responsibility.FIELDS)))
        for key in responsibility.TEMPLATES:
            label = t(f"resp.part.{key}", duties="{duties}") + (t("resp.edited") if changed[key] else "")
            text = st.text_area(label, responsibility.template(db, key), height=320 if key == "body" else 120,
                                key=f"resp_template_{key}")
            left, right = st.columns(2)
            if left.button(t("resp.save_template"), key=f"resp_template_save_{key}"):
                ui.run_write(lambda: responsibility.save_template(db, me, key, text), t("resp.template_saved"))
            if changed[key] and right.button(t("resp.reset_template"), key=f"resp_template_reset_{key}"):
                ui.run_write(lambda: responsibility.reset_template(db, me, key), t("resp.template_saved"))
