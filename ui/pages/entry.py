"""Install entry, phone first: find a person, type the day's installs, see the totals move, save from the top."""

import streamlit as st

import ui
from campaign.infra import clock, settings
from campaign.infra.errors import CampaignError, RowsRejected
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
unit = st.selectbox(t("field.unit"), choices, format_func=lambda u: f"{u.name} ({u.code})", placeholder=ui.t("ui.choose"),
                    key="entry_unit")
day = st.date_input(t("field.date"), value=clock.today(), max_value=clock.today(), key="entry_day")

state = installs.day_state(settings.get_all(db), me, day, clock.now(), unlocked=installs.is_unlocked(db, me, unit.id, day))
if state != "open":
    st.warning(t(f"error.day_{state}", day=day.isoformat()))
ui_unlocks.panel(db, me, unit, day, state, key="entry_unlock")  # issue 20: ask the centre to open a locked day

sheet = installs.entry_sheet(db, me, unit.id, day)
scanned = scan_counts.person_scans(db, me, unit.id, day)  # issue 18: scans of each person's code, beside the installs
sheet["scans"] = [scanned.get(int(sid), 0) for sid in sheet["id"]]
held = {int(sid): "" if ui.missing(v) else str(int(v)) for sid, v in zip(sheet["id"].tolist(), sheet["today"].tolist())}
# What was typed and not yet saved outlives a change of the name filter (each filter has its own grid).
scope = f"{unit.id}_{day.isoformat()}"
pending = st.session_state.setdefault(f"entry_pending_{scope}", {})
bad = st.session_state.get(f"entry_bad_{scope}", set())

top = st.container()  # the confirmation, the totals and Save stay above the grid: in view on a phone
find = st.text_input(t("entry.find"), key=f"entry_find_{scope}", placeholder=t("ui.search_name"))
shown = sheet[sheet["name"].str.contains(find.strip(), regex=False)] if find.strip() else sheet
shown = shown.assign(today=[pending.get(sid, held[sid]) for sid in shown["id"].tolist()],
                     name=[("⚠ " if sid in bad else "") + n for sid, n in zip(shown["id"].tolist(), shown["name"].tolist())])
editor_key = f"entry_grid_{scope}" + (f"_{find.strip()}" if find.strip() else "")
edited = st.data_editor(
    ui.rates(shown, ["progress"]),
    key=editor_key,
    hide_index=True,
    width="stretch",
    disabled=["id", "name", "phone", "total", "quota", "progress", "quota_reason", "scans"] + (["today"] if state != "open" else []),
    column_order=["name", "today", "total", "quota", "progress", "scans", "phone"] + (["quota_reason"] if sheet["quota_below"].any() else []),
    column_config={
        "name": st.column_config.TextColumn(t("field.name"), width="small", pinned=True),
        "today": st.column_config.TextColumn(t("entry.today"), width="small"),
        "total": ui.number_column(t("entry.total")),
        "quota": ui.number_column(t("field.quota")),
        "progress": st.column_config.ProgressColumn(t("entry.progress"), **ui.RATE_BAR),
        "phone": st.column_config.TextColumn(t("field.phone")),
        "quota_reason": st.column_config.TextColumn(t("quota.reason")),  # issue 20: a quota below the guidance
        "scans": st.column_config.NumberColumn(t("scans.col.scans"), format="%d"),
    },
)
for sid, value in zip(edited["id"].tolist(), edited["today"].tolist()):
    value = "" if ui.missing(value) else str(value).strip()
    if value == held[sid]:
        pending.pop(sid, None)
    else:
        pending[sid] = value
st.caption(t("entry.shown", shown=len(shown), total=len(sheet)))


def whole(text: str) -> int:
    return int(text) if text.isdigit() else 0


with top:
    if pending:  # the confirmation stays until the next edit (a rerun from the grid after the save keeps it)
        st.session_state.pop("entry_saved", None)
    elif (saved := st.session_state.get("entry_saved")) and saved[0] == scope:
        st.success(saved[1])
    if (failed := st.session_state.get(f"entry_error_{scope}")) and failed[1] == pending:  # until the values change
        st.warning(t("entry.bad_rows"))
        ui.show_error(failed[0], row_names=failed[2])
    change = sum(whole(v) - whole(held[sid]) for sid, v in pending.items())  # the totals move as one types
    a = b = st.container(horizontal=True)  # side by side on a phone too
    a.metric(t("entry.unit_today"), ui.num(sum(whole(v) for v in held.values()) + change),
             delta=f"{change:+,}" if pending else None, delta_color="off")
    b.metric(t("entry.unit_total"), ui.num(int(sheet["total"].sum()) + change), delta=f"{change:+,}" if pending else None,
             delta_color="off")
    label = t("entry.save") + (f" · {t('entry.unsaved', count=len(pending))}" if pending else "")
    if st.button(label, type="primary", disabled=not pending or state != "open", key="entry_save", width="stretch",
                 icon=":material/save:"):
        changes = dict(pending)
        names = dict(zip(sheet["id"].tolist(), sheet["name"].tolist()))
        try:
            result = installs.save_entries(db, me, unit.id, day, changes)
        except CampaignError as error:
            if isinstance(error, RowsRejected):  # the grid's rows are people: name them, and mark them in the grid
                order = list(changes)
                st.session_state[f"entry_bad_{scope}"] = {order[e.row - 1] for e in error.errors}
                st.session_state[f"entry_error_{scope}"] = (error, changes, {i: names[sid] for i, sid in enumerate(order, 1)})
                st.rerun()
            ui.show_error(error)
        else:
            message = t("entry.saved", **result)
            st.session_state["entry_saved"] = (scope, message)
            for key in [k for k in st.session_state if str(k).startswith((f"entry_grid_{scope}", f"entry_pending_{scope}",
                                                                           f"entry_bad_{scope}", f"entry_error_{scope}"))]:
                del st.session_state[key]
            st.toast(message, icon=":material/check_circle:")
            st.rerun()
