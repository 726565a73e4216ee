"""Unlock requests on the pages (issue 20): a coordinator asks on the entry page, an administrator answers on
the unlock page, and the entry page shows the answer."""

import datetime as dt

from campaign import features
from campaign.installs import unlocks
from tests.apptest import errors, open_page
from tests.helpers import ADMIN

LOCKED = dt.date(2026, 11, 26)


def test_ask_on_the_entry_page_answer_on_the_unlock_page(demo_path):
    db = features.connect(demo_path)
    at = open_page(demo_path, "entry", user="coord_cx")
    at.date_input(key="entry_day").set_value(LOCKED).run()
    assert "2026-11-26" in at.warning[0].value  # the day is locked
    at.text_input(key="entry_unlock_reason").set_value("何峰的数字录错了")
    at.button(key="entry_unlock_ask").click().run()
    assert errors(at) == []
    asked = unlocks.list_requests(db)
    assert asked[["unit", "day", "requested_by", "reason", "state"]].values.tolist() == [
        ["城厢镇", "2026-11-26", "coord_cx", "何峰的数字录错了", "open"]]
    assert any("待审批" in info.value for info in at.info)

    admin = open_page(demo_path, "unlocks", lang="en")
    assert errors(admin) == [] and admin.metric[0].value == "1"
    admin.number_input(key="unlock_hours").set_value(3)
    admin.button(key="unlock_approve").click().run()
    assert errors(admin) == []
    assert unlocks.list_requests(db)["state"].tolist() == ["active"]

    at = open_page(demo_path, "entry", user="coord_cx")
    at.date_input(key="entry_day").set_value(LOCKED).run()
    assert not at.warning and any("已解锁" in info.value for info in at.info)
    admin = open_page(demo_path, "unlocks")
    admin.button(key="unlock_close").click().run()
    assert unlocks.list_requests(db)["state"].tolist() == ["expired"]


def test_a_refusal_is_read_on_the_entry_page(demo_path):
    db = features.connect(demo_path)
    at = open_page(demo_path, "entry", user="coord_cx", lang="en")
    at.date_input(key="entry_day").set_value(LOCKED).run()
    at.button(key="entry_unlock_ask").click().run()
    assert any("Give the reason" in e.value for e in at.error) and unlocks.list_requests(db).empty
    at.text_input(key="entry_unlock_reason").set_value("late figures")
    at.button(key="entry_unlock_ask").click().run()
    admin = open_page(demo_path, "unlocks")
    admin.text_input(key="unlock_refusal").set_value("请于明日一并报送")
    admin.button(key="unlock_refuse").click().run()
    assert errors(admin) == [] and unlocks.list_requests(db)["state"].tolist() == ["refused"]
    at = open_page(demo_path, "entry", user="coord_cx", lang="en")
    at.date_input(key="entry_day").set_value(LOCKED).run()
    assert any("was refused: 请于明日一并报送" in w.value for w in at.warning)


def test_the_answer_is_read_on_the_entry_page_of_another_day(demo_path):
    db = features.connect(demo_path)
    at = open_page(demo_path, "entry", user="coord_cx")
    at.date_input(key="entry_day").set_value(LOCKED).run()
    at.text_input(key="entry_unlock_reason").set_value("漏报两人")
    at.button(key="entry_unlock_ask").click().run()
    request_id = int(unlocks.list_requests(db)["id"].iloc[0])
    unlocks.refuse(db, ADMIN, request_id, "请*明日*一并报送")
    at = open_page(demo_path, "entry", user="coord_cx")  # today's sheet, as the page opens
    assert any(i.value == "我的其他解锁申请（1）：\n\n- 城厢镇 2026-11-26：未批准。请\\*明日\\*一并报送" for i in at.info)
    at.date_input(key="entry_day").set_value(LOCKED).run()
    assert any(r"请\*明日\*一并报送" in w.value for w in at.warning)  # typed text is not markdown
    assert not [i for i in at.info if "其他解锁申请" in i.value]  # this day's answer is not repeated
    other = open_page(demo_path, "entry", user="coord_gaj")  # another coordinator's page: only their own requests
    assert not [i for i in other.info if "解锁申请" in i.value]
