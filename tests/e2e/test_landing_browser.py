"""The QR codes' landing route (issue 18) on the running app: real phones' user agents get their store or the
page, each scan is counted once (a repeat within a minute from the same client is not), an unknown code still
gets the page and counts as unknown; the in-app page on a 360/390 px phone in Chromium (WeChat's user agent)."""

import sqlite3
import time
import urllib.error
import urllib.request

import pytest

from campaign.scans.settings import ANDROID_URL, IOS_URL
from tests.e2e.conftest import PHONE, shot
from tests.test_scans_rules import ANDROID_CHROME, DESKTOP_CHROME, IOS_SAFARI, WECHAT_ANDROID

pytestmark = pytest.mark.e2e
DAY = "2026-11-28"  # the server's CAMPAIGN_TODAY


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(server, path, agent):
    """(status, Location header, body) of one GET, redirects not followed."""
    request = urllib.request.Request(f"{server.url}{path}", headers={"User-Agent": agent})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as answer:
            return answer.status, answer.headers.get("Location"), answer.read().decode("utf-8")
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("Location"), answer.read().decode("utf-8")


def counted(server, code) -> dict[str, int]:
    with sqlite3.connect(server.db_path) as conn:
        return dict(conn.execute("SELECT platform, scans FROM scan_counts WHERE code = ? AND day = ?", [code, DAY]))


def wait_for(server, code, expected, seconds=8.0) -> dict[str, int]:
    deadline, found = time.time() + seconds, None
    while time.time() < deadline:
        found = counted(server, code)
        if found == expected:
            break
        time.sleep(0.25)
    return found


def test_the_landing_route_sends_each_phone_on_and_counts_each_scan_once(server):
    with sqlite3.connect(server.db_path) as conn:
        code = conn.execute("SELECT c.code FROM scan_codes c LEFT JOIN scan_counts n ON n.code = c.code"
                            " WHERE n.code IS NULL ORDER BY c.staff_id LIMIT 1").fetchone()[0]  # a code nobody scanned yet
    assert counted(server, code) == {}
    assert get(server, f"/go/{code}", IOS_SAFARI)[:2] == (302, IOS_URL)
    assert get(server, f"/go/{code}", IOS_SAFARI)[:2] == (302, IOS_URL)  # the same phone again: counted once
    assert get(server, f"/go/{code}", ANDROID_CHROME)[:2] == (302, ANDROID_URL)
    status, _, page = get(server, f"/go/{code}", WECHAT_ANDROID)
    assert status == 200 and '<html lang="zh-CN" class="in-app">' in page and "在浏览器打开" in page
    assert f'href="{IOS_URL}"' in page and f'href="{ANDROID_URL}"' in page
    status, _, page = get(server, f"/go/{code}", DESKTOP_CHROME)
    assert status == 200 and 'class="in-app"' not in page and "国家反诈中心 APP" in page and len(page.encode()) < 20_000
    assert wait_for(server, code, {"ios": 1, "android": 1, "in_app": 1, "other": 1}) == {
        "ios": 1, "android": 1, "in_app": 1, "other": 1}

    before = counted(server, "?")
    status, _, page = get(server, "/go/NO-SUCH-CODE-42", DESKTOP_CHROME)
    assert status == 200 and "App Store" in page  # an unknown code gets the page and the links, never an error
    assert get(server, "/go/%3Cscript%3E", IOS_SAFARI)[:2] == (302, IOS_URL)
    expected = {**before, "other": before.get("other", 0) + 1, "ios": before.get("ios", 0) + 1}
    assert wait_for(server, "?", expected) == expected


@pytest.mark.parametrize("width", [360, PHONE["width"]])
def test_the_in_app_page_reads_on_a_small_phone(server, browser, width):
    context = browser.new_context(user_agent=WECHAT_ANDROID, viewport={"width": width, "height": 780}, locale="zh-CN")
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server.url}/go/G01-001")
    assert page.get_by_text("点击右上角「···」，选择「在浏览器打开」").is_visible()
    assert page.get_by_role("link", name="苹果手机：App Store 下载").is_visible()
    assert page.get_by_role("link", name="安卓手机下载").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # nothing wider than the screen
    assert requests == [f"{server.url}/go/G01-001"]  # nothing else fetched
    shot(page, f"landing-wechat-{width}")
    context.close()
