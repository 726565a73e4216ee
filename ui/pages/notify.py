"""Work groups (administrators): the group robots, what each gets, a test message, the schedule, what was sent."""

import streamlit as st

import ui
from campaign.infra import settings
from campaign.infra.db import file_path
from campaign.infra.errors import CampaignError
from campaign.notify import channels, robots, schedule, sending
from campaign.org import units
from ui import scheduler

t, db, me, lang = ui.t, ui.db(), ui.actor(), ui.lang()
st.header(t("notify.title"))
st.caption(t("notify.help"))
if message := st.session_state.pop("notify_message", None):
    st.success(message)
listed = channels.list_channels(db)
kind_label = {k: t(f"notify.kind.{k}") for k in robots.KINDS}.get
message_label = {m: t(f"notify.message.{m}") for m in (*channels.MESSAGES, "test")}.get
ranked = {u.id: f"{u.name} ({u.code})" for u in units.list_units(db, types=("township", "community", "department"))}
unit_label = {None: t("notify.unit_all"), **ranked}.get
lang_label = {x: t(f"notify.lang.{x}") for x in channels.LANGS}.get  # plain lookups: widgets call them outside the run too


def plain(text: str) -> str:
    """A robot's own words shown as they are: its markdown characters escaped (st.success renders markdown)."""
    return "".join("\\" + c if c in "\\`*_{}[]()<>#+-.!|~$:" else c for c in text)


def done(text):
    st.session_state["notify_message"] = text
    st.rerun()


def attempt(action, text):
    try:
        action()
    except CampaignError as error:
        ui.show_error(error)
    else:
        done(text)


st.subheader(t("notify.channels"))
if not listed:
    st.info(t("notify.none"))
else:
    ui.table([{"name": c["name"], "kind": kind_label(c["kind"]), "lang": lang_label(c["lang"]), "url": c["url"],
               "secret": c["secret"], "subscriptions": "；".join(f"{message_label(s['message'])}（{unit_label(s['unit_id'])}）"
                                                               for s in c["subscriptions"])} for c in listed],
             key="notify_channels", pin="name",
             columns={"name": t("notify.col.name"), "kind": t("notify.kind"), "subscriptions": t("notify.subscriptions"),
                      "lang": t("notify.col.lang"), "url": t("notify.url"), "secret": t("notify.col.secret")})

with st.expander(t("notify.add"), expanded=not listed), st.form("notify_add", clear_on_submit=True):
    name = st.text_input(t("notify.name"), key="notify_add_name")
    kind = st.selectbox(t("notify.kind"), robots.KINDS, format_func=kind_label, key="notify_add_kind")
    url = st.text_input(t("notify.url"), type="password", help=t("notify.url_help"), key="notify_add_url")
    secret = st.text_input(t("notify.secret"), type="password", key="notify_add_secret")
    chosen_lang = st.radio(t("notify.lang"), ["zh", "en"], format_func=lang_label, horizontal=True, key="notify_add_lang")
    everything = st.checkbox(t("notify.subscribe_all"), key="notify_add_all")
    if st.form_submit_button(t("notify.save"), type="primary", key="notify_add_save"):
        def save():
            channels.add_channel(db, me, name, kind, url, secret, lang=chosen_lang)
            if everything:
                channels.subscribe(db, me, name, channels.MESSAGES)

        attempt(save, t("notify.added", name=" ".join(name.split())))

if listed:
    st.subheader(t("notify.manage"))
    pick = st.selectbox(t("notify.pick"), [c["name"] for c in listed], key="notify_pick")
    left, right = st.columns(2)
    if left.button(t("notify.test"), type="primary", icon=":material/send:", key="notify_test"):
        try:
            answer = schedule.test_channel(db, me, pick)
        except CampaignError as error:
            ui.show_error(error)
        else:
            found = answer.as_dict() | {"message": plain(answer.message)}
            shown = t("notify.test_answer", answer=robots.answer_text(channels.get_channel(db, pick).kind, found, lang))
            (st.success if answer.ok else st.error)(shown)
    if right.button(t("notify.remove"), icon=":material/delete:", key="notify_remove"):
        attempt(lambda: channels.remove_channel(db, me, pick), t("notify.removed", name=pick))
    with st.form(f"notify_subs_{pick}"):
        chosen = st.multiselect(t("notify.messages"), channels.MESSAGES, format_func=message_label, placeholder=t("notify.choose"),
                                key=f"notify_subs_messages_{pick}")
        unit = st.selectbox(t("notify.unit"), [None, *ranked], format_func=unit_label, help=t("notify.unit_help"),
                            key=f"notify_subs_unit_{pick}")
        code = unit and units.get_unit(db, unit).code
        add_col, drop_col = st.columns(2)
        if add_col.form_submit_button(t("notify.subscribe"), key=f"notify_subscribe_{pick}"):
            attempt(lambda: channels.subscribe(db, me, pick, chosen, code), t("notify.subscribed"))
        if drop_col.form_submit_button(t("notify.unsubscribe"), key=f"notify_unsubscribe_{pick}"):
            attempt(lambda: channels.unsubscribe(db, me, pick, chosen, code), t("notify.subscribed"))
    with st.form("notify_send_now"):
        st.caption(t("notify.send_now_help"))
        what = st.selectbox(t("notify.messages"), channels.MESSAGES, format_func=message_label, key="notify_send_message")
        force = st.checkbox(t("notify.force"), key="notify_send_force")
        if st.form_submit_button(t("notify.send_now"), key="notify_send"):
            scheduler.send_now(file_path(db), me, what, force=force)  # in the background: a slow robot holds up no page
            st.info(t("notify.queued"))

st.subheader(t("notify.schedule"))
current = settings.get_all(db)
with st.form("notify_schedule"):
    values = {key: st.text_input(t(f"settings.{key}"), current[key], key=f"notify_{key}")
              for key in ("notify_bulletin_time", "notify_laggards_time", "notify_letters_time")}
    values["notify_reminder_minutes"] = st.number_input(t("settings.notify_reminder_minutes"), 5, 720,
                                                        current["notify_reminder_minutes"], key="notify_reminder_minutes")
    if st.form_submit_button(t("settings.save"), key="notify_schedule_save"):
        attempt(lambda: settings.update(db, me, {k: v for k, v in values.items() if str(v) != str(current[k])}),
                t("notify.schedule_saved"))

st.subheader(t("notify.log"))
log = sending.sends(db, limit=200)
if log.empty:
    st.info(t("notify.log_empty"))
else:
    def note(row):
        detail = row["detail"] or {}
        parts = [t(f"notify.reason.{detail['reason']}")] if detail.get("reason") else []
        image, _, count = (detail.get("image") or "").partition(":")
        parts += [t(f"notify.note.image.{image}", count=count)] if image else []
        return "；".join(parts + ([t("notify.note.forced")] if row["copy"] else []))

    ui.table([{"at": r["finished_at"] or r["claimed_at"], "message": message_label(r["message"]), "day": r["day"],
               "channel": r["channel"], "status": t(f"notify.status.{r['status']}"), "attempts": r["attempts"],
               "answer": robots.answer_text(r["kind"], r["answer"], lang), "note": note(r)} for r in log.to_dict("records")],
             key="notify_log", pin="at", times=("at",),
             columns={"at": t("notify.col.at"), "message": t("notify.col.message"), "status": t("notify.col.status"),
                      "channel": t("notify.col.channel"), "day": t("notify.col.day"), "attempts": t("notify.col.attempts"),
                      "answer": t("notify.col.answer"), "note": t("notify.col.note")})
