"""Data import: upload units, staff or installs; every bad row is listed; apply only a clean file."""

import streamlit as st

import ui
from campaign import features
from campaign.infra.errors import CampaignError
from campaign.infra.tables import Upload

t, db, me = ui.t, ui.db(), ui.actor()
st.header(t("import.title"))

kinds = [k for k, spec in features.import_kinds().items() if (me.is_admin or not spec.admin_only) and me.role in spec.roles]
kind = st.selectbox(t("import.kind"), kinds, format_func=lambda k: t(f"import.kind.{k}"), placeholder=ui.t("ui.choose"), key="import_kind")
spec = features.import_kinds()[kind]
st.caption(t("import.columns", columns=", ".join(f"{t('field.' + c)} ({'/'.join(a[:2])})" for c, a in spec.columns.items())))
left, right = st.columns(2)
left.download_button(t("import.template_zh"), features.template(kind, "zh"), f"{kind}_模板.csv", "text/csv", key="import_tpl_zh")
right.download_button(t("import.template_en"), features.template(kind, "en"), f"{kind}_template.csv", "text/csv", key="import_tpl_en")

file = ui.uploader(t("import.file"), ["csv", "xlsx"], key=f"import_file_{kind}")
if file is None:
    st.stop()
upload = Upload(file.name, file.getvalue())
try:
    checked = features.run_import(db, me, kind, upload, dry_run=True)
except CampaignError as error:
    ui.show_error(error)
    st.info(t("import.nothing_written"))
    st.stop()

st.success(t("import.clean", rows=checked.rows))
if st.button(t("import.apply"), type="primary", key="import_apply"):
    try:
        result = features.run_import(db, me, kind, upload)
    except CampaignError as error:
        ui.show_error(error)
    else:
        st.success(t("import.applied", rows=result.rows, **{"new": 0, "updated": 0, "corrected": 0, "unchanged": 0, **result.counts}))
