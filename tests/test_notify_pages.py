"""The work groups page (AppTest): an administrator adds a robot, tests it and sees its answer, subscribes it and
reads the send log; a failed send shows on the settings page."""

import pytest

from campaign import features
from campaign.notify import channels, schedule, sending
from tests.apptest import errors, open_page
from tests.helpers import ADMIN
from tests.notify_receiver import receiver  # noqa: F401  (the fixture)


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    monkeypatch.setattr(sending, "BACKOFF", (0.0, 0.0))
    monkeypatch.setattr(sending, "RATE_BACKOFF", (0.0, 0.0))
    monkeypatch.setattr(sending, "_posted", {})
    monkeypatch.setattr(sending, "TIMEOUT", 0.5)


def test_an_administrator_adds_a_robot_tests_it_and_subscribes_it(demo_path, receiver):
    at = open_page(demo_path, "notify")
    assert errors(at) == [] and "尚未添加群机器人。" in [i.value for i in at.info]
    at.text_input(key="notify_add_name").input("县反诈工作群")
    at.selectbox(key="notify_add_kind").select("dingtalk")
    at.text_input(key="notify_add_url").input(receiver.address("dingtalk", "county"))
    at.text_input(key="notify_add_secret").input("SECcounty-secret-1234")
    receiver.secrets["county"] = "SECcounty-secret-1234"
    at.button(key="notify_add_save").click().run()
    assert errors(at) == [] and at.success[0].value == "已保存群机器人 县反诈工作群。"
    shown = at.dataframe[0].value
    assert shown.iloc[0].tolist()[:5] == ["县反诈工作群", "钉钉", "中文", "127.0.0.1/…6789", "…1234"]
    at.button(key="notify_test").click().run()
    assert [s.value for s in at.success] == ["机器人应答：成功（errcode 0）"]
    got, = receiver.of("county")
    assert got.problems == [] and got.body["markdown"]["text"].startswith("#### 【测试】")
    at.multiselect(key="notify_subs_messages_县反诈工作群").select("reminder")
    at.button(key="notify_subscribe_县反诈工作群").click().run()
    assert errors(at) == []
    db = features.connect(demo_path)
    assert [(s["channel"], s["message"], s["unit_id"]) for s in channels.subscriptions(db)] == [("县反诈工作群", "reminder", None)]
    log = at.dataframe[-1].value
    assert log.iloc[0].tolist()[1:7] == ["测试消息", "2026-11-28", "县反诈工作群", "已发送", 1, "成功（errcode 0）"]


def test_a_bad_address_is_explained_and_a_failed_test_shows_the_robot_s_answer_in_english(demo_path, receiver):
    at = open_page(demo_path, "notify", lang="en")
    at.text_input(key="notify_add_name").input("county")
    at.text_input(key="notify_add_url").input("qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc")
    at.button(key="notify_add_save").click().run()
    assert [e.value for e in at.error] == [
        "A webhook address is an http(s) address with a host, without spaces, user or password."]
    db = features.connect(demo_path)
    channels.add_channel(db, ADMIN, "county", "wecom", receiver.address("wecom", "county"))
    receiver.modes["county"] = ["error"]
    at = open_page(demo_path, "notify", lang="en")
    at.button(key="notify_test").click().run()
    assert [e.value for e in at.error] == ["The robot answered: Failed (93000): the webhook address is invalid; "
                                           "check its key or whether the robot left the group"]


def test_a_failed_send_shows_on_the_settings_page(demo_path, receiver):
    db = features.connect(demo_path)
    channels.add_channel(db, ADMIN, "county", "wecom", receiver.address("wecom", "county"))
    channels.subscribe(db, ADMIN, "county", ["letters"])
    receiver.modes["county"] = ["http500"]
    outcome, = schedule.push(db, ADMIN, "letters")
    assert outcome["status"] == "failed"
    at = open_page(demo_path, "settings")
    assert errors(at) == [] and [w.value for w in at.warning] == ["工作群推送失败（近 7 天）：1 条"]
    row = at.dataframe[-1].value.iloc[0].tolist()
    assert row[1:] == ["提示函动态", "2026-11-27", "county", "失败：机器人返回 HTTP 500"]


def test_a_robot_s_own_words_are_shown_inert(demo_path, receiver):
    db = features.connect(demo_path)
    channels.add_channel(db, ADMIN, "county", "wecom", receiver.address("wecom", "county"))
    receiver.modes["county"] = ["error"]
    receiver.errors["county"] = {"errcode": 40008, "errmsg": "**bad** [click](http://evil.example) :red[x]"}
    at = open_page(demo_path, "notify", lang="en")
    at.button(key="notify_test").click().run()
    assert [e.value for e in at.error] == [
        "The robot answered: Failed: code 40008, \\*\\*bad\\*\\* \\[click\\]\\(http\\://evil\\.example\\) \\:red\\[x\\]"]
