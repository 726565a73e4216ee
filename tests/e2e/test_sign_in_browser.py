"""In a real browser: sign in, the sign-in survives a reload (cookie), sign out, a reload shows the sign-in form."""

import pytest

from campaign import features
from campaign.accounts import backup
from tests.e2e.conftest import DESKTOP, PHONE, new_page, shot, sign_in

pytestmark = pytest.mark.e2e


def sign_out(page):
    """The sign-out button sits in the sidebar, collapsed on a phone."""
    expand = page.get_by_test_id("stExpandSidebarButton")
    if expand.is_visible():
        expand.click()
    page.get_by_role("button", name="退出登录").click()


def test_sign_in_survives_a_reload_until_sign_out(server, browser):
    page = new_page(browser, "zh-CN", viewport=PHONE)
    page.goto(server.url)
    page.get_by_role("textbox", name="用户名").wait_for()
    shot(page, "sign-in-phone")
    sign_in(page, server.url, "coord_cx")
    cookie = next(c for c in page.context.cookies() if c["name"] == "campaign_session")
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Strict", "/")  # set by the server
    assert "campaign_session" not in page.evaluate("document.cookie")  # no script in the page can read it
    page.goto(f"{server.url}/entry")  # a fresh page load: a new Streamlit session
    page.get_by_role("heading", name="安装数录入").wait_for()
    page.reload()
    # still signed in, same page, after a reload: st.context.cookies sees the HttpOnly cookie
    page.get_by_role("heading", name="安装数录入").wait_for()
    page.get_by_test_id("stDataFrame").wait_for()
    assert "城厢镇 (T01)" in page.content()
    assert page.get_by_role("textbox", name="密码").count() == 0
    shot(page, "entry-after-reload-phone")
    sign_out(page)
    page.get_by_role("textbox", name="用户名").wait_for()
    for _ in range(100):  # the page fetches the cookie's removal after the run
        if not [c for c in page.context.cookies() if c["name"] == "campaign_session" and c["value"]]:
            break
        page.wait_for_timeout(100)
    page.reload()
    page.get_by_role("textbox", name="用户名").wait_for()  # signed out stays signed out
    assert not [c for c in page.context.cookies() if c["name"] == "campaign_session" and c["value"]]  # cleared by the server
    # signing in again on a page's own address opens that page
    page.set_viewport_size(DESKTOP)  # the phone's sidebar, opened to sign out, would cover the form
    page.get_by_role("textbox", name="用户名").fill("coord_cx")
    page.get_by_role("textbox", name="密码").fill("demo1234")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="安装数录入").wait_for()
    page.context.close()


def test_wrong_password_is_refused_in_english(server, browser):
    page = new_page(browser, "en-US")
    page.goto(server.url)
    page.get_by_role("textbox", name="User name").fill("leader")
    page.get_by_role("textbox", name="Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Wrong user name or password.").wait_for()
    shot(page, "sign-in-refused-en")
    page.context.close()


def test_admin_downloads_a_backup_that_restores(server, browser, tmp_path):
    page = new_page(browser, "zh-CN")
    sign_in(page, server.url, "admin")
    page.goto(f"{server.url}/backup")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载备份").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("campaign-backup-") and path.suffix == ".db"
    facts = backup.check_backup(path, features.migration_sets())
    assert facts["pending"] == 0 and facts["counts"]["units"] > 100
    page.context.close()
