"""In a real browser: an administrator sets up a work group's robot pointing at a local receiver, sends a test
message and sees the robot's answer (the receiver checks the message is WeCom's documented format)."""

import pytest

from tests.e2e.conftest import navigate, new_page, settle, shot, sign_in
from tests.notify_receiver import receiver  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e


def test_an_administrator_sets_up_a_work_group_and_tests_it(server, browser, receiver):
    page = new_page(browser, "zh-CN")
    sign_in(page, server, "admin")
    navigate(page, "notify", "zh")
    page.get_by_text("添加群机器人").first.click()
    page.get_by_role("textbox", name="名称（如：县反诈工作群）").fill("浏览器测试群")
    page.get_by_role("textbox", name="webhook 地址").fill(receiver.address("wecom", "browser"))
    page.get_by_role("button", name="保存", exact=True).click()
    settle(page)
    page.get_by_text("已保存群机器人 浏览器测试群。").wait_for()
    page.get_by_role("button", name="发送测试消息").click()
    settle(page)
    page.get_by_text("机器人应答：成功（errcode 0）").wait_for()
    got, = receiver.of("browser")
    assert got.msgtype == "markdown" and got.problems == []
    assert "浏览器测试群（企业微信）" in got.body["markdown"]["content"]
    shot(page, "notify-test-answer")
    page.get_by_role("button", name="删除此群机器人").click()  # the session's server is shared: leave it as found
    settle(page)
    page.get_by_text("已删除群机器人 浏览器测试群。").wait_for()
    page.context.close()
