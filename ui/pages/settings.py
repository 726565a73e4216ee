"""Campaign settings (administrators): name, dates, quota, entry cut-off and thresholds."""

import streamlit as st

import ui
from campaign.coverage import rules as coverage
from campaign.coverage import store as coverage_store
from campaign.infra import clock, settings
from campaign.infra.errors import CampaignError
from campaign.outreach import figures as outreach_figures

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
    st.caption(t("settings.security"))
    values |= {key: st.number_input(t(f"settings.{key}"), lo, hi, current[key], key=f"set_{key}")
               for key, lo, hi in (("session_hours", 1, 720), ("lockout_failures", 3, 20), ("lockout_minutes", 1, 1440),
                                   ("upload_max_mb", 1, 200))}
    st.caption(t("coverage.targets"))  # city targets, the denominator and the reconciliation margin (issue 5)
    values |= {key: st.text_input(t(f"coverage.{key}"), coverage.rate_text(current[key]), key=f"set_{key}", help=t("coverage.target_help"))
               for key in ("target_coverage", "target_coverage_16_60", "reconcile_margin")}
    values["target_deadline"] = st.date_input(t("coverage.target_deadline"), current["target_deadline"], key="set_target_deadline")
    if versions := {v.id: f"{v.year} {t('coverage.kind.' + v.kind)} {v.source}" for v in coverage_store.list_versions(db)}:
        values["coverage_population_version"] = st.selectbox(
            t("coverage.population_version"), list(versions), list(versions).index(coverage_store.active_version(db, current).id),
            format_func=versions.get, placeholder=ui.t("ui.choose"), key="set_population_version")
    st.caption(t("nav.outreach_overview"))  # outreach channels (issue 3)
    values["grid_idle_days"] = st.number_input(t("outreach.settings.grid_idle_days"), 1, 90, current["grid_idle_days"], key="set_grid_idle_days")
    values["school_push"] = st.date_input(t("outreach.settings.school_push"), outreach_figures.push_window(current), key="set_school_push")
    values["outreach_max_daily"] = st.number_input(t("outreach.settings.max_daily"), 1, 100_000, current["outreach_max_daily"], key="set_outreach_max_daily")
    st.caption(t("nav.flyers"))  # QR-code flyers (issue 4)
    values["flyer_qr_target"] = st.text_input(t("settings.flyer_qr_target"), current["flyer_qr_target"],
                                              help=t("settings.flyer_qr_target_help"), key="set_flyer_qr_target")
    st.caption(t("nav.supervision"))  # spot checks, letters and the bulletin (issue 7)
    values["spot_check_min_rate"] = st.text_input(t("settings.spot_check_min_rate"), f"{current['spot_check_min_rate'] * 100:g}%",
                                                  help=t("settings.spot_check_min_rate_help"), key="set_spot_check_min_rate")
    values |= {key: st.number_input(t(f"settings.{key}"), 1, hi, current[key], key=f"set_{key}")
               for key, hi in (("letter_reply_days", 60), ("bulletin_top_n", 20))}
    values |= {key: st.text_input(t(f"settings.{key}"), current[key] or "", key=f"set_{key}", help=t(f"settings.{key}_help"))
               for key in ("letterhead", "letter_number_prefix")}
    submitted = st.form_submit_button(t("settings.save"), type="primary")
if submitted:
    try:
        settings.update(db, me, {k: v for k, v in values.items() if str(v) != str(current[k])})
    except CampaignError as error:
        ui.show_error(error)
    else:
        st.success(t("settings.saved"))
