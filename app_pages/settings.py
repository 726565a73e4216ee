"""Campaign settings (administrators): name, dates, quota, entry cut-off and thresholds."""

import streamlit as st

import ui
from campaign import clock, settings
from campaign.errors import CampaignError

t, db, me = ui.t, ui.db(), ui.actor()
st.header(t("settings.title"))
current = settings.get_all(db)

with st.form("settings_form"):
    values = {
        "campaign_name": st.text_input(t("settings.campaign_name"), current["campaign_name"], key="set_campaign_name"),
        "county_name": st.text_input(t("settings.county_name"), current["county_name"], key="set_county_name"),
        "start_date": st.date_input(t("settings.start_date"), clock.as_date(current["start_date"]), key="set_start_date"),
        "deadline": st.date_input(t("settings.deadline"), clock.as_date(current["deadline"]), key="set_deadline"),
        "default_quota": st.number_input(t("settings.default_quota"), 1, 10_000, current["default_quota"], key="set_default_quota"),
        "entry_cutoff": st.text_input(t("settings.entry_cutoff"), current["entry_cutoff"], help=t("settings.entry_cutoff_help"), key="set_entry_cutoff"),
        "max_daily_installs": st.number_input(t("settings.max_daily_installs"), 1, 100_000, current["max_daily_installs"], key="set_max_daily"),
        "laggard_days": st.number_input(t("settings.laggard_days"), 1, 60, current["laggard_days"], key="set_laggard_days"),
        "laggard_bottom": st.number_input(t("settings.laggard_bottom"), 1, 50, current["laggard_bottom"], key="set_laggard_bottom"),
    }
    submitted = st.form_submit_button(t("settings.save"), type="primary")
if submitted:
    try:
        settings.update(db, me, {k: v for k, v in values.items() if str(v) != str(current[k])})
    except CampaignError as error:
        ui.show_error(error)
    else:
        st.success(t("settings.saved"))
