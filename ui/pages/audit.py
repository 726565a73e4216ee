"""Audit trail (administrators): every write with who, when, old and new; filter, export; the imports."""

import streamlit as st

import ui
from campaign.accounts import trail
from campaign.infra import clock, exports
from campaign.org import units

t, db, me = ui.t, ui.db(), ui.actor()
LIMIT = 5000
st.header(t("audit.title"))
st.caption(t("audit.help"))


label = ui.name_of  # a known action or kind in the user's language, else the stored code


present = trail.kinds(db)
unit_list = units.list_units(db, active_only=False)
# Plain lookups for the widgets' labels (they are also called outside the script run).
ALL = t("audit.all")
unit_name = {None: ALL} | {u.id: f"{u.name} ({u.code})" for u in unit_list}
entity_name = {None: ALL} | {v: label("entity", v) for v in present["entity"]}
action_name = {None: ALL} | {v: label("action", v) for v in present["action"]}
user_name = {None: ALL} | {v: v for v in present["actor"]}
a, b, c = st.columns(3)
user = a.selectbox(t("audit.user"), list(user_name), format_func=user_name.get, placeholder=ui.t("ui.choose"), key="audit_user")
entity = b.selectbox(t("audit.kind"), list(entity_name), format_func=entity_name.get, placeholder=ui.t("ui.choose"), key="audit_entity")
action = c.selectbox(t("audit.action"), list(action_name), format_func=action_name.get, placeholder=ui.t("ui.choose"), key="audit_action")
d, e, f = st.columns(3)
unit = d.selectbox(t("audit.unit"), list(unit_name), format_func=unit_name.get, placeholder=ui.t("ui.choose"), key="audit_unit")
since = e.date_input(t("audit.since"), value=None, max_value=clock.today(), key="audit_since")
until = f.date_input(t("audit.until"), value=None, max_value=clock.today(), key="audit_until")

rows = trail.list_audit(db, user=user, entity=entity, action=action, unit=unit, since=since, until=until, limit=LIMIT)
st.caption(t("audit.rows", count=len(rows), limit=LIMIT))
shown = rows.assign(action=[action_name.get(v, v) for v in rows["action"]], entity=[entity_name.get(v, v) for v in rows["entity"]],
                    entity_id=[ui.name_of("setting", i) if e == "setting" else i for e, i in zip(rows["entity"], rows["entity_id"])])
ui.table(shown, key="audit_table", pin="at", times=("at",), texts={c: ui.readable for c in ("old", "new", "detail")},
         columns={"at": st.column_config.TextColumn(t("audit.at"), width="small"), "actor": t("audit.user"),
                  "action": t("audit.action"), "entity": t("audit.kind"), "entity_id": t("audit.entity_id"),
                  "unit_name": t("field.unit"), "old": t("audit.old"), "new": t("audit.new"), "detail": t("audit.detail")})
stamp = clock.now().strftime("%Y%m%d-%H%M")
left, right = st.columns(2)
left.download_button(t("audit.download_csv"), lambda: exports.csv_bytes(rows, actor=me), f"audit-{stamp}.csv", "text/csv",
                     key="audit_csv", icon=":material/download:")
right.download_button(t("audit.download_xlsx"), lambda: exports.xlsx_bytes(rows, actor=me, sheet="audit"), f"audit-{stamp}.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="audit_xlsx", icon=":material/download:")

st.subheader(t("audit.imports"))
ui.table(trail.imports(db), key="audit_imports", pin="at", times=("at",),
         texts={"kind": lambda k: ui.name_of("kind", k), "sha256": lambda h: str(h)[:12]},
         columns={"at": st.column_config.TextColumn(t("audit.at"), width="small"), "kind": t("audit.kind"),
                  "filename": t("audit.filename"), "rows": t("audit.rows_written"), "actor": t("audit.user"),
                  "sha256": t("audit.sha256")})
