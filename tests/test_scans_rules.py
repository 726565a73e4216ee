"""Scans' pure rules (issue 18): the platform a real user agent names, where each platform goes, what a QR code
carries in each mode, the settings' parsers, the plausibility flag, the landing page, and the in-memory dedup
and tally (threads included)."""

import re
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign.infra.errors import InvalidValue
from campaign.scans import page, rules
from campaign.scans.tally import UNKNOWN, Dedup, Tally

IOS_SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
              "Version/17.5 Mobile/15E148 Safari/604.1")
ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
                  "Mobile Safari/537.36")
WECHAT_ANDROID = ("Mozilla/5.0 (Linux; Android 14; V2309A Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160117 MMWEBSDK/20240301 MMWEBID/2536 "
                  "MicroMessenger/8.0.48.2580(0x28003036) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")
DESKTOP_CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
                  "Safari/537.36")
AGENTS = [
    (IOS_SAFARI, "ios"),
    ("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 "
     "Safari/604.1", "ios"),
    ("Mozilla/5.0 (iPod touch; CPU iPhone OS 15_8 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.6 "
     "Mobile/15E148 Safari/604.1", "ios"),
    (ANDROID_CHROME, "android"),
    ("Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00; HMSCore 6.13.0.302) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/114.0.5735.196 HuaweiBrowser/14.0.6.300 Mobile Safari/537.36", "android"),
    ("Mozilla/5.0 (Linux; U; Android 13; zh-cn; 22081212C Build/TKQ1.220829.002) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/112.0.5615.136 Mobile Safari/537.36 XiaoMi/MiuiBrowser/17.7.260", "android"),
    # QQ Browser is a browser of its own (MQQBrowser), not QQ's in-app one
    ("Mozilla/5.0 (Linux; U; Android 11; zh-cn; PDEM10 Build/RKQ1.200903.002) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/109.0.5414.86 MQQBrowser/14.4 Mobile Safari/537.36 COVC/046501", "android"),
    (WECHAT_ANDROID, "in_app"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
     "MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN", "in_app"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
     "QQ/8.9.28.635 V1_IPH_SQ_8.9.28_1_APP_A Pixel/1170 Core/WKWebView Device/Apple(iPhone 13) NetType/WIFI", "in_app"),
    ("Mozilla/5.0 (Linux; U; Android 13; zh-CN; M2012K11AC Build/TKQ1.220829.002) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/69.0.3497.100 UWS/3.22.2.59 Mobile Safari/537.36 NebulaSDK/1.8.100112 Nebula "
     "AliApp(AP/10.5.26.6000) AlipayClient/10.5.26.6000 Language/zh-Hans", "in_app"),
    ("Mozilla/5.0 (Linux; U; Android 12; zh-CN; PGKM10 Build/SP1A.210812.016) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/69.0.3497.100 Mobile Safari/537.36 AliApp(DingTalk/7.0.50) com.alibaba.android.rimet/35462470 "
     "Channel/227200 language/zh-CN abi/64 UT4Aplus/0.2.25 colorScheme/light", "in_app"),
    (DESKTOP_CHROME, "other"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
     "Safari/605.1.15", "other"),
    ("curl/8.5.0", "other"),
    ("", "other"),
    (None, "other"),
]


@pytest.mark.parametrize("agent, expected", AGENTS)
def test_the_platform_of_real_user_agents(agent, expected):
    assert rules.platform(agent) == expected


@given(st.text(max_size=600))
def test_every_user_agent_has_one_of_four_platforms(agent):
    assert rules.platform(agent) in rules.PLATFORMS


@given(st.text(max_size=200), st.sampled_from(["MicroMessenger/8.0", "QQ/8.9", "AlipayClient/10.5", "DingTalk/7.0"]),
       st.text(max_size=200), st.sampled_from(["iPhone", "Android", ""]))
def test_an_in_app_browser_wins_over_the_phone_it_runs_on(before, marker, after, phone):
    assert rules.platform(f"{phone} {before[:100]} {marker} {after[:100]}") == "in_app"


@pytest.mark.parametrize("where, expected", [("ios", "https://i.example.cn/a"), ("android", "https://a.example.cn/b"),
                                             ("in_app", None), ("other", None)])
def test_only_phones_are_redirected(where, expected):
    assert rules.redirect_for(where, "https://i.example.cn/a", "https://a.example.cn/b") == expected


@pytest.mark.parametrize("code, ok", [("E2WMAA3", True), ("G01-001", True), ("S01-07-01", True), ("W001", True),
                                      ("", False), ("x" * 33, False), ("<script>", False), ("a b", False), ("码", False)])
def test_what_a_printed_code_can_look_like(code, ok):
    assert rules.code_shape(code) is ok


BASE = {"scan_public_url": "https://fz.example.gov.cn", "scan_external_url": "https://www.example.gov.cn/fzapp/?c={code}"}


@pytest.mark.parametrize("mode, template", [
    ("app", "https://fz.example.gov.cn/go/{code}"),
    ("external", "https://www.example.gov.cn/fzapp/?c={code}"),
    ("off", None),
])
def test_what_qr_codes_carry_in_each_mode(mode, template):
    conf = {**BASE, "scan_landing": mode}
    assert rules.qr_template(conf) == template
    assert rules.counting(conf) is (mode == "app")


def test_a_code_is_url_quoted_into_the_template():
    assert rules.fill("https://fz.example.gov.cn/go/{code}", "S01-07-01") == "https://fz.example.gov.cn/go/S01-07-01"
    assert rules.fill("https://x.example.cn/go/{code}", "a/b c") == "https://x.example.cn/go/a%2Fb%20c"
    assert rules.fill("https://apps.apple.com/cn/app/id1552823102", "W001") == "https://apps.apple.com/cn/app/id1552823102"


@pytest.mark.parametrize("value, expected", [
    ("https://fz.example.gov.cn/", "https://fz.example.gov.cn"),
    ("http://127.0.0.1:8501", "http://127.0.0.1:8501"),
    ("http://10.2.3.4:8501/fz", "http://10.2.3.4:8501/fz"),
    ("", ""),
])
def test_the_public_address(value, expected):
    assert rules.parse_public_url(value) == expected


@pytest.mark.parametrize("parse, value, code", [
    (rules.parse_public_url, "https://fz.example.gov.cn/?a=1", "scans.error.bad_public_url"),
    (rules.parse_public_url, "ftp://fz.example.gov.cn", "scans.error.bad_url"),
    (rules.parse_public_url, "http://localhost:8501", "scans.error.bad_url"),  # no phone reaches it
    (rules.parse_store_url, "", "scans.error.bad_url"),
    (rules.parse_store_url, "javascript:alert(1)", "scans.error.bad_url"),
    (rules.parse_store_url, 'https://x.example.cn/"><script>', "scans.error.bad_url"),
    (rules.parse_external_url, "https://x.example.cn/{code}/{other}", "scans.error.bad_url"),
    (rules.parse_external_url, "https://x.example.cn/" + "a" * 300, "scans.error.url_too_long"),
    (rules.parse_mode, "on", "scans.error.bad_mode"),
    (rules.parse_ratio, "0.5", "scans.error.bad_ratio"),
    (rules.parse_ratio, "many", "error.invalid_value"),
])
def test_bad_settings_are_refused_by_name(parse, value, code):
    with pytest.raises(InvalidValue) as refused:
        parse(value)
    assert refused.value.code == code


@pytest.mark.parametrize("value, expected", [("3", 3.0), ("2.5", 2.5), ("300%", 3.0), (4, 4.0)])
def test_the_ratio(value, expected):
    assert rules.parse_ratio(value) == expected


@given(st.text(max_size=400))
def test_an_accepted_address_is_plain_http_and_safe_in_html(value):
    for parse in (rules.parse_store_url, rules.parse_external_url, rules.parse_public_url):
        try:
            parsed = parse(value)
        except InvalidValue:
            continue
        assert parsed == "" or re.match(r"^https?://", parsed, re.I)
        assert not set(parsed) & set("<>\"'`\\ \n\t")


@pytest.mark.parametrize("values, code", [({"scan_landing": "app", "scan_public_url": ""}, "scans.error.needs_public_url"),
                                          ({"scan_landing": "external", "scan_external_url": ""}, "scans.error.needs_external_url")])
def test_a_mode_needs_its_address(values, code):
    with pytest.raises(InvalidValue) as refused:
        rules.check_mode(values)
    assert refused.value.code == code
    rules.check_mode({**values, "scan_public_url": "https://a.example.cn", "scan_external_url": "https://b.example.cn/{code}"})


@pytest.mark.parametrize("installs, scans, ratio, flagged", [
    (300, 50, 3.0, True), (150, 50, 3.0, False), (151, 50, 3.0, True), (300, 0, 3.0, False),  # no scans: no personal codes used
    (29, 1, 3.0, False), (30, 1, 3.0, True), (300, 100, 2.5, True), (250, 100, 2.5, False),
])
def test_implausibly_many_installs_for_the_scans(installs, scans, ratio, flagged):
    assert rules.implausible(installs, scans, ratio) is flagged


# ---- the landing page ----------------------------------------------------------------------------

IOS, ANDROID = "https://apps.apple.com/cn/app/id1552823102", "https://sj.qq.com/appdetail/com.hicorenational.antifraud"


@pytest.mark.parametrize("html", [page.html(IOS, ANDROID, in_app=True), page.html(IOS, ANDROID, in_app=False),
                                  page.static_html(IOS, ANDROID)], ids=["in_app", "other", "static"])
def test_the_page_is_small_plain_and_self_contained(html):
    assert len(html.encode("utf-8")) < page.LIMIT
    assert not re.search(r"\bsrc\s*=|<link|@import|url\(|<img|<iframe", html, re.I)  # nothing fetched from anywhere
    assert set(re.findall(r'href="([^"]+)"', html)) == {IOS, ANDROID}
    assert '<meta name="viewport" content="width=device-width,initial-scale=1">' in html
    assert "在手机应用商店搜索「国家反诈中心」" in html
    assert html.index("国家反诈中心 APP") < html.index("National Anti-Fraud Center app")  # Chinese first
    assert html.count('class="btn') == 2 and "96110" in html


def test_the_hint_to_open_the_browser_shows_in_app_only():
    assert '<html lang="zh-CN" class="in-app">' in page.html(IOS, ANDROID, in_app=True)
    other = page.html(IOS, ANDROID, in_app=False)
    assert 'class="in-app"' not in other and ".in-app .hint{display:block}" in other  # drawn, shown by the class
    assert "点击右上角「···」，选择「在浏览器打开」" in other and "<svg" in other


def test_the_page_escapes_the_addresses():
    html = page.html('https://x.example.cn/?a=1&b="2"', ANDROID, in_app=False)
    assert 'href="https://x.example.cn/?a=1&amp;b=&quot;2&quot;"' in html


def test_the_static_page_chooses_in_the_browser():
    html = page.static_html(IOS, "https://x.example.cn/</script>")
    script = html[html.index("<script>") + 8 : html.index("</script></head>")]
    assert "</" not in script and "location.replace(s.ios)" in script and IOS in script
    assert "micromessenger|qq\\/|alipayclient|dingtalk" in script


# ---- dedup and tally -----------------------------------------------------------------------------

def test_one_client_s_repeats_count_once_within_the_window():
    seen = Dedup(window=180)
    assert seen.first("1.2.3.4", IOS_SAFARI, "W001", now=0.0)
    assert not seen.first("1.2.3.4", IOS_SAFARI, "W001", now=60.0)
    assert seen.first("1.2.3.4", IOS_SAFARI, "W002", now=60.0)  # another code
    assert seen.first("1.2.3.4", ANDROID_CHROME, "W001", now=60.0)  # another phone behind the same address
    assert seen.first("1.2.3.5", IOS_SAFARI, "W001", now=60.0)
    assert seen.first("1.2.3.4", IOS_SAFARI, "W001", now=181.0)  # the window has passed
    assert not any("1.2.3.4" in repr(key) for key in seen._seen)  # keyed hashes only


def test_the_dedup_is_bounded():
    seen = Dedup(window=180, limit=3)
    for n in range(10):
        assert seen.first(f"10.0.0.{n}", "a", "W1", now=float(n))
    assert len(seen) <= 3


def test_the_tally_counts_every_scan_from_many_threads():
    tally = Tally()

    def scan(n):
        for i in range(2000):
            tally.add(f"W{i % 7}", "2026-11-28", rules.PLATFORMS[n % 4])

    threads = [threading.Thread(target=scan, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    taken = tally.take()
    assert sum(taken.values()) == 16_000 and tally.pending() == 0
    assert taken[("W0", "2026-11-28", "ios")] == 2 * 286  # threads 0 and 4, i = 0, 7, …, 1995


def test_the_tally_holds_a_bounded_number_of_codes_and_takes_back_a_failed_write():
    tally = Tally(max_codes=2)
    for code in ("A1", "B2", "C3", "D4", "A1"):
        tally.add(code, "2026-11-28", "other")
    taken = tally.take()
    assert taken == {("A1", "2026-11-28", "other"): 2, ("B2", "2026-11-28", "other"): 1, (UNKNOWN, "2026-11-28", "other"): 2}
    tally.put_back(taken)
    assert tally.pending() == 5
