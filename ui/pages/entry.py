"""Install entry: a coordinator types each employee's installs for a day and saves."""

import streamlit as st

import ui
from campaign.infra import clock, settings
from campaign.infra.errors import CampaignError
from campaign.installs import entries as installs
from campaign.org import access
from campaign.scans import counts as scan_counts
from ui import city as ui_city
from ui import unlocks as ui_unlocks

t, db, me = ui.t, ui.db(), ui.actor()
st.header(t("entry.title"))
st.caption(t("entry.help"))

# issue 9: at city scale an administrator picks a county first (one county is the default)
county = ui_city.county_choice(db, me, "entry_county") if access.scope_units(db, me) is None else None
choices = access.writable_units(db, me, types=("township", "community", "department"), below=county)
if not choices:
    st.info(t("entry.no_units"))
    st.stop()
unit = st.selectbox(t("field.unit"), choices, format_func=lambda u: f"{u.name} ({u.code})", key="entry_unit")
day = st.date_input(t("field.date"), value=clock.today(), max_value=clock.today(), key="entry_day")

state = installs.day_state(settings.get_all(db), me, day, clock.now(), unlocked=installs.is_unlocked(db, me, unit.id, day))
if state != "open":
    st.warning(t(f"error.day_{state}", day=day.isoformat()))
ui_unlocks.panel(db, me, unit, day, state, key="entry_unlock")  # issue 20: ask the centre to open a locked day

sheet = installs.entry_sheet(db, me, unit.id, day)
scanned = scan_counts.person_scans(db, me, unit.id, day)  # issue 18: scans of each person's code, beside the installs
sheet["scans"] = [scanned.get(int(sid), 0) for sid in sheet["id"]]
editor_key = f"entry_grid_{unit.id}_{day.isoformat()}"
edited = st.data_editor(
    sheet,
    key=editor_key,
    hide_index=True,
    width="stretch",
    disabled=state != "open" and ["id", "name", "phone", "today", "total", "quota", "progress", "quota_reason", "scans"]
    or ["id", "name", "phone", "total", "quota", "progress", "quota_reason", "scans"],
    column_order=["name", "today", "total", "quota", "progress", "scans", "phone"] + (["quota_reason"] if sheet["quota_below"].any() else []),
    column_config={
        "name": st.column_config.TextColumn(t("field.name"), width="small"),
        "today": st.column_config.NumberColumn(t("entry.today"), min_value=0, step=1, format="%d"),
        "total": st.column_config.NumberColumn(t("entry.total"), format="%d"),
        "quota": st.column_config.NumberColumn(t("field.quota"), format="%d"),
        "progress": st.column_config.ProgressColumn(t("entry.progress"), min_value=0.0, max_value=1.0, format="percent"),
        "phone": st.column_config.TextColumn(t("field.phone")),
        "quota_reason": st.column_config.TextColumn(t("quota.reason")),  # issue 20: a quota below the guidance
        "scans": st.column_config.NumberColumn(t("scans.col.scans"), format="%d"),
    },
)

held = [str(value) for value in sheet["today"].tolist()]  # a column at a time: a unit may have hundreds of people
changes = {int(sid): value for sid, value, old in zip(edited["id"].tolist(), edited["today"].tolist(), held) if str(value) != old}
st.caption(t("entry.changed", count=len(changes)))
if st.button(t("entry.save"), type="primary", disabled=not changes or state != "open", key="entry_save"):
    try:
        result = installs.save_entries(db, me, unit.id, day, changes)
    except CampaignError as error:
        ui.show_error(error)
    else:
        st.session_state["entry_saved"] = (editor_key, t("entry.saved", **result))
        st.session_state.pop(editor_key, None)
        st.rerun()
# the confirmation stays until the next edit: a rerun from the grid after the save must not hide it
if changes:
    st.session_state.pop("entry_saved", None)
elif (saved := st.session_state.get("entry_saved")) and saved[0] == editor_key:
    st.success(saved[1])
