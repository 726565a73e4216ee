"""The supervision page's issue-20 parts under AppTest: a talk recorded from the 约谈 tab, a sample drawn and its
results recorded, a responsibility letter's scan attached and the template edited; the settings page's new
settings. Checked through the domain functions."""

import datetime as dt

from campaign import features
from campaign.infra import settings
from campaign.infra.i18n import t
from campaign.supervision import letters, responsibility, samples, talks
from campaign.supervision import spot_checks as supervision
from tests.apptest import errors, open_page

TODAY = dt.date(2026, 11, 28)


def test_a_talk_is_recorded_and_the_overview_stops_flagging(demo_path):
    db = features.connect(demo_path)
    lag = talks.laggards_with_talks(db, TODAY)
    unit = int(lag[lag["talk_on"].isna()]["unit_id"].iloc[0])  # the demo talked with two of them already
    at = open_page(demo_path, "supervision")
    at.selectbox(key="talk_unit").set_value(unit)
    at.text_input(key="talk_held_by").set_value("县反诈中心 王主任")
    at.text_input(key="talk_attendees").set_value("主要负责人、联络员")
    at.text_area(key="talk_measures").set_value("三日内召开推进会；每日报送")
    at.button(key="talk_save").click().run()
    assert errors(at) == []
    assert talks.list_talks(db)[["unit_id", "held_on", "held_by"]].values.tolist()[0] == [unit, "2026-11-28", "县反诈中心 王主任"]
    at.selectbox(key="talk_pick").set_value(int(talks.list_talks(db)["id"].iloc[0])).run()
    assert any("三日内召开推进会" in text.value for text in at.text)  # the talk beside its figures
    overview = open_page(demo_path, "overview", user="leader")
    shown = " ".join(m.value for m in overview.markdown)
    name = lag.set_index("unit_id").loc[unit, "unit"]
    assert f"{name}：已于 2026-11-28 约谈" in shown.replace("\\", "")


def test_a_sample_is_drawn_and_recorded(demo_path):
    db = features.connect(demo_path)
    round_id = supervision.add_round(db, access_admin(db), "第四轮督导", "2026-11-28")
    unit = db.execute("SELECT id FROM units WHERE code = 'D018'").fetchone()[0]
    at = open_page(demo_path, "supervision", lang="en")
    at.selectbox(key="sup_round").set_value(round_id).run()
    at.selectbox(key="sample_unit").set_value(unit)
    at.text_input(key="sample_size").set_value("3")
    at.text_input(key="sample_seed").set_value("20261128")
    at.button(key="sample_draw").click().run()
    assert errors(at) == []
    sample = samples.list_samples(db, round_id).iloc[0]
    assert (sample["seed"], sample["size"], sample["pool"]) == ("20261128", 3, 50)
    at.selectbox(key="sup_round").set_value(round_id).run()
    at.text_input(key="sample_checker").set_value("Inspection team")
    at.session_state[f"sample_grid_{sample['id']}"] = {
        "edited_rows": {0: {"installed": True, "registered": True}, 1: {"not_found": True, "note": "no such person at the unit"}},
        "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="sample_save").click().run()
    assert errors(at) == []
    people = samples.sample_people(db, access_admin(db), int(sample["id"]))
    assert people["outcome"].tolist() == ["compliant", "not_found", "not_installed"]
    assert people["note"].tolist()[1] == "no such person at the unit"


def test_a_scan_is_attached_and_the_template_edited(demo_path):
    db = features.connect(demo_path)
    signed = letters.responsibility(db)
    unit = int(signed[signed["status"] == "scan_missing"]["unit_id"].iloc[0])
    at = open_page(demo_path, "supervision")
    at.selectbox(key="resp_doc_unit").set_value(unit).run()
    assert errors(at) == [] and any("已签订，缺扫描件" in c.value for c in at.caption)
    at.text_area(key="resp_template_body").set_value("{unit}责任书\n\n{unit}任务数{quota_total}个。")
    at.button(key="resp_template_save_body").click().run()
    assert errors(at) == [] and responsibility.documents(db, [unit])[0].title.endswith("责任书")
    assert responsibility.edited(db)["body"]
    at.text_area(key="resp_template_body").set_value("{unit} {boss}")
    at.button(key="resp_template_save_body").click().run()
    assert any("boss" in e.value for e in at.error) and "{boss}" not in responsibility.template(db)  # shown escaped: \{boss\}


def test_the_new_settings_on_the_settings_page(demo_path):
    db = features.connect(demo_path)
    at = open_page(demo_path, "settings", lang="en")
    at.number_input(key="set_unlock_hours").set_value(4)
    at.text_input(key="set_spot_check_sample").set_value("20%")
    next(b for b in at.button if b.label == t("settings.save", "en")).click().run()
    assert errors(at) == []
    assert (settings.get(db, "unlock_hours"), settings.get(db, "spot_check_sample")) == (4, "20%")


def access_admin(db):
    from campaign.accounts import users

    return users.get_actor(db, "admin")
