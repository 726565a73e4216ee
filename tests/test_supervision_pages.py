"""The supervision, reminder-letter and bulletin pages under AppTest: flows checked through the domain functions."""

import pytest

from campaign import features
from campaign.org import access
from campaign.supervision import letters
from campaign.supervision import spot_checks as supervision
from tests.apptest import errors, open_page
from ui import nav


def test_pages_and_roles():
    roles = {p.key: set(p.roles) for p in nav.PAGES}
    assert roles["bulletin"] == set(access.ROLES)  # everyone reads the bulletin
    assert roles["supervision"] == roles["letters"] == {access.ADMIN, access.LEADER}


def test_admin_opens_a_round_and_records_a_spot_check(demo_path):
    db = features.connect(demo_path)
    at = open_page(demo_path, "supervision")
    assert errors(at) == []
    at.text_input(key="sup_round_name").set_value("第四轮督导")
    at.button(key="sup_round_add").click().run()
    assert errors(at) == []
    assert supervision.list_rounds(db)["round"].iloc[0] == "第四轮督导"

    at.selectbox(key="sup_round").set_value(int(supervision.list_rounds(db)["round_id"].iloc[0])).run()
    unit = db.execute("SELECT id FROM units WHERE code = 'D018'").fetchone()[0]  # 县公安局
    at.selectbox(key="sup_unit").set_value(unit).run()
    at.text_input(key="sup_checker").set_value("县反诈中心 李四").run()
    at.session_state[f"sup_items_{unit}"] = {"edited_rows": {0: {"checked": True, "installed": True, "registered": True},
                                                             1: {"checked": True, "installed": True},
                                                             2: {"checked": False, "installed": True}},
                                             "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="sup_save_check").click().run()
    assert errors(at) == []
    row = supervision.compliance(db).iloc[0]
    assert (row["round"], row["code"], row["checked"], row["installed"], row["registered"]) == ("第四轮督导", "D018", 2, 2, 1)
    assert bool(row["flagged"]) and row["rate"] == 0.5


def test_a_bad_check_shows_the_reason_and_saves_nothing(demo_path):
    db = features.connect(demo_path)
    at = open_page(demo_path, "supervision", lang="en")
    before = len(supervision.list_checks(db))
    at.text_input(key="sup_checker").set_value("Li").run()
    unit = at.selectbox(key="sup_unit").value
    at.session_state[f"sup_items_{unit}"] = {"edited_rows": {0: {"checked": True, "registered": True}},
                                             "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="sup_save_check").click().run()
    assert any("Registered but not installed" in str(d.value.values.tolist()) for d in at.dataframe) or \
        any("problems found" in e.value for e in at.error)
    assert len(supervision.list_checks(db)) == before


def test_leader_reads_supervision_without_writing(demo_path):
    at = open_page(demo_path, "supervision", user="leader")
    assert errors(at) == []
    keys = {b.key for b in at.button}
    assert not keys & {"sup_round_add", "sup_save_check", "sup_delete", "resp_save"}
    assert any("110 / 119" in m.value or "110 of 119" in m.value for m in at.metric)


def test_responsibility_letter_recorded_from_the_page(demo_path):
    db = features.connect(demo_path)
    missing = letters.unsigned(db)
    at = open_page(demo_path, "supervision")
    at.selectbox(key="resp_unit").set_value(int(missing["unit_id"].iloc[0])).run()
    at.text_input(key="resp_signer").set_value("局长 王五").run()
    at.button(key="resp_save").click().run()
    assert errors(at) == []
    assert len(letters.unsigned(db)) == len(missing) - 1


def test_letters_page_shows_the_counts_and_generates_a_letter(demo_path):
    db = features.connect(demo_path)
    at = open_page(demo_path, "letters")
    assert errors(at) == []
    assert at.subheader[0].value == "已发 7 份，已回复 6 份，逾期 1 份"
    assert {"letter_pdf", "letter_docx"} <= {b.key for b in at.get("download_button")}
    at.radio(key="letter_source").set_value("manual").run()
    at.text_area(key="letter_notes").set_value("多次未按时报送").run()
    at.button(key="letter_generate").click().run()
    assert errors(at) == []
    table = letters.list_letters(db)
    assert len(table) == 8 and table.iloc[0]["source"] == "manual" and table.iloc[0]["status"] == "draft"
    assert letters.get_letter(db, int(table.iloc[0]["id"])).problems[-1]["params"] == {"text": "多次未按时报送"}


def test_letters_page_marks_sent_and_records_a_reply(demo_path):
    db = features.connect(demo_path)
    overdue = letters.list_letters(db).query("status == 'overdue'").iloc[0]
    at = open_page(demo_path, "letters", lang="en")
    at.selectbox(key="letter_pick").set_value(int(overdue["id"])).run()
    at.text_area(key="letter_reply_summary").set_value("Rectified; report attached").run()
    at.button(key="letter_reply_save").click().run()
    assert errors(at) == []
    assert letters.summary(db) == {"drafts": 0, "sent": 7, "replied": 7, "overdue": 0, "awaiting": 0}


def test_leader_reads_letters_without_writing(demo_path):
    at = open_page(demo_path, "letters", user="leader")
    assert errors(at) == []
    assert not {b.key for b in at.button} & {"letter_generate", "letter_mark_sent", "letter_reply_save"}


@pytest.mark.parametrize("user", ["coord_cx", "leader"])
def test_bulletin_in_one_click_for_every_role(demo_path, user):
    at = open_page(demo_path, "bulletin", user=user)
    assert errors(at) == []
    at.button(key="bulletin_make").click().run(timeout=180)
    assert errors(at) == []
    assert any("2026-11-28" in s.value for s in at.success)
    assert {"bulletin_png", "bulletin_pdf", "bulletin_xlsx"} <= {b.key for b in at.get("download_button")}


def test_settings_page_sets_the_pass_mark_and_the_letters(demo_path):
    from campaign.infra import settings

    at = open_page(demo_path, "settings")
    assert at.text_input(key="set_spot_check_min_rate").value == "90%"
    at.text_input(key="set_spot_check_min_rate").set_value("85%")
    at.number_input(key="set_letter_reply_days").set_value(5)
    at.text_input(key="set_letterhead").set_value("全南县反诈中心")
    at.get("form_submit_button")[0].click().run()
    assert errors(at) == []
    conf = settings.get_all(features.connect(demo_path))
    assert (conf["spot_check_min_rate"], conf["letter_reply_days"], conf["letterhead"]) == (0.85, 5, "全南县反诈中心")
    assert conf["letter_number_prefix"] is None  # left empty: the default


def test_settings_page_refuses_a_bad_pass_mark(demo_path):
    from campaign.infra import settings

    at = open_page(demo_path, "settings", lang="en")
    at.text_input(key="set_spot_check_min_rate").set_value("150%")
    at.get("form_submit_button")[0].click().run()
    assert any("Not a valid rate" in e.value for e in at.error)
    assert settings.get(features.connect(demo_path), "spot_check_min_rate") == 0.9
