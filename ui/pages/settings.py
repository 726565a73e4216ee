"""Campaign settings (administrators): name, dates, quota, entry cut-off and thresholds."""

import streamlit as st

import ui
from campaign.coverage import rules as coverage
from campaign.coverage import store as coverage_store
from campaign.infra import clock, settings
from campaign.infra.errors import CampaignError
from campaign.notify import robots, sending
from campaign.outreach import figures as outreach_figures
from campaign.scans import rules as scan_rules
from ui import landing as ui_landing

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
    st.caption(t("scans.settings"))  # where QR codes lead, the stores, the scan check (issue 18)
    modes = {m: t(f"scans.mode.{m}") for m in scan_rules.MODES}
    values["scan_landing"] = st.selectbox(t("settings.scan_landing"), list(modes), list(modes).index(current["scan_landing"]),
                                          format_func=modes.get, help=t("settings.scan_landing_help"), key="set_scan_landing")
    values |= {key: st.text_input(t(f"settings.{key}"), current[key], help=t(f"settings.{key}_help"), key=f"set_{key}")
               for key in ("scan_public_url", "scan_external_url", "scan_ios_url", "scan_android_url")}
    if seen := ui_landing.seen_base(st.context.url):
        st.caption(t("scans.public_url_seen", url=seen))
    if current["scan_landing"] == "external":
        st.caption(t("scans.external_note"))
    values["scan_flag_ratio"] = st.text_input(t("settings.scan_flag_ratio"), f"{current['scan_flag_ratio']:g}",
                                              help=t("settings.scan_flag_ratio_help"), key="set_scan_flag_ratio")
    st.caption(t("nav.supervision"))  # spot checks, letters and the bulletin (issue 7)
    values["spot_check_min_rate"] = st.text_input(t("settings.spot_check_min_rate"), f"{current['spot_check_min_rate'] * 100:g}%",
                                                  help=t("settings.spot_check_min_rate_help"), key="set_spot_check_min_rate")
    values |= {key: st.number_input(t(f"settings.{key}"), 1, hi, current[key], key=f"set_{key}")
               for key, hi in (("letter_reply_days", 60), ("bulletin_top_n", 20))}
    values |= {key: st.text_input(t(f"settings.{key}"), current[key] or "", key=f"set_{key}", help=t(f"settings.{key}_help"))
               for key in ("letterhead", "letter_number_prefix")}
    st.caption(t("settings.section_issue20"))  # issue 20: the guidance number, unlock windows, spot-check samples
    values["quota_guidance"] = st.number_input(t("settings.quota_guidance"), 1, 10_000, current["quota_guidance"],
                                               help=t("settings.quota_guidance_help"), key="set_quota_guidance")
    values["unlock_hours"] = st.number_input(t("settings.unlock_hours"), 1, 72, current["unlock_hours"],
                                             help=t("settings.unlock_hours_help"), key="set_unlock_hours")
    values["spot_check_sample"] = st.text_input(t("settings.spot_check_sample"), current["spot_check_sample"],
                                                help=t("settings.spot_check_sample_help"), key="set_spot_check_sample")
    submitted = st.form_submit_button(t("settings.save"), type="primary")
if submitted:
    try:
        settings.update(db, me, {k: v for k, v in values.items() if str(v) != str(current[k])})
    except CampaignError as error:
        ui.show_error(error)
    else:
        st.success(t("settings.saved"))

failed = sending.failures(db)  # the work groups' sends that failed (issue 19): details on the work groups page
if not failed.empty:
    st.warning(t("notify.failures", count=len(failed)))
    st.caption(t("notify.failures_help"))
    st.dataframe([{t("notify.col.at"): r["claimed_at"], t("notify.col.message"): t(f"notify.message.{r['message']}"),
                   t("notify.col.day"): r["day"], t("notify.col.channel"): r["channel"],
                   t("notify.col.answer"): robots.answer_text(r["kind"], r["answer"], ui.lang()) or t(f"notify.status.{r['status']}")}
                  for r in failed.to_dict("records")], hide_index=True, width="stretch", key="settings_notify_failures")
