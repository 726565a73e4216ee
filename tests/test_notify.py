"""Work groups (issue 19): robots checked by a local receiver in each kind's documented format, signing, mentions,
retries and the failure record, once-only sends (a re-run, a second process), the schedule, secrets kept secret."""

import datetime as dt
import json
import logging
import subprocess
import sys
import threading

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from campaign.accounts import users
from campaign.infra import clock, settings
from campaign.infra.errors import AccessDenied, CampaignError, InvalidValue
from campaign.notify import channels, robots, schedule, sending
from campaign.org import access
from campaign.supervision import letters
from tests.helpers import ADMIN, ROOT, load, run, small_county
from tests.notify_receiver import receiver  # noqa: F401  (the fixture)

DAY = dt.date(2026, 11, 27)
NOON = dt.datetime(2026, 11, 28, 11, 40, tzinfo=clock.TZ)  # 20 minutes before the cut-off that closes 11-27


@pytest.fixture
def county(db):
    """The small county (甲镇 T1, 乙镇 T2, 县一局 D1, 县二局 D2, 县三局 D3) with 11-27 reported by 县一局 and 县二局 only;
    甲镇's coordinator has a mobile, 乙镇's has none."""
    small_county(db)
    load(db, "installs", "单位,姓名,日期,安装数\n县一局,王一,2026-11-27,3\n县二局,赵一,2026-11-27,2\n甲镇,张一,2026-11-25,5")
    users.add_user(db, ADMIN, "coord_t1", access.COORDINATOR, scope_codes=["T1"], display_name="甲镇联络员",
                   password="password-1", mobile="13912345678")
    users.add_user(db, ADMIN, "coord_t2", access.COORDINATOR, scope_codes=["T2"], display_name="乙镇联络员",
                   password="password-2")
    return db


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    """Retries without waiting, and a robot that has not answered in 0.3 s has not answered."""
    monkeypatch.setattr(sending, "BACKOFF", (0.0, 0.0))
    monkeypatch.setattr(sending, "RATE_BACKOFF", (0.0, 0.0))
    monkeypatch.setattr(sending, "_posted", {})
    monkeypatch.setattr(sending, "TIMEOUT", 0.3)


def add(db, receiver, kind, name, *, secret=None, subscribe=("reminder",), unit=None, lang="zh"):
    channels.add_channel(db, ADMIN, name, kind, receiver.address(kind, name), secret, lang=lang)
    if secret:
        receiver.secrets[name] = secret
    if subscribe:
        channels.subscribe(db, ADMIN, name, subscribe, unit)


def log_rows(db):
    return [dict(zip(("message", "day", "channel", "subject", "copy", "status", "attempts"), r)) for r in db.execute(
        "SELECT s.message, s.day, c.name, s.subject, s.copy, s.status, s.attempts FROM notify_sends s"
        " JOIN notify_channels c ON c.id = s.channel_id ORDER BY s.id")]


# ---- the three kinds, as the receiver checks them ------------------------------------------------

def test_a_wecom_reminder_lists_the_units_without_a_report_and_mentions_their_coordinators(county, receiver):
    add(county, receiver, "wecom", "county")
    outcome, = schedule.push(county, ADMIN, "reminder", DAY, now=NOON)
    assert (outcome["status"], outcome["attempts"], outcome["parts"]) == ("sent", 2, 2)
    markdown, text = receiver.of("county")
    assert [markdown.msgtype, text.msgtype] == ["markdown", "text"] and markdown.problems == text.problems == []
    content = markdown.body["markdown"]["content"]
    assert "以下 3 个单位尚未填报2026年11月27日的安装数，2026年11月28日 12:00 截止后将锁定" in content
    assert content.splitlines()[2:] == ["1. 甲镇（联络员：甲镇联络员）", "2. 乙镇（联络员：乙镇联络员）", "3. 县三局"]
    assert text.body["text"] == {"content": "请以上单位联络员于 2026年11月28日 12:00 前完成填报。",
                                 "mentioned_mobile_list": ["13912345678"]}
    assert log_rows(county) == [{"message": "reminder", "day": "2026-11-27", "channel": "county", "subject": "",
                                 "copy": 0, "status": "sent", "attempts": 2}]


def test_dingtalk_is_signed_and_mentions_in_the_text(county, receiver):
    add(county, receiver, "dingtalk", "ding", secret="SEC0123456789abcdef")
    outcome, = schedule.push(county, ADMIN, "reminder", DAY, now=NOON)
    assert outcome["status"] == "sent"
    got, = receiver.of("ding")
    assert got.problems == [] and {"timestamp", "sign", "access_token"} <= set(got.query)
    assert got.body["at"] == {"atMobiles": ["13912345678"], "isAtAll": False}
    assert got.body["markdown"]["text"].endswith("请以上单位联络员于 2026年11月28日 12:00 前完成填报。 @13912345678")


def test_feishu_is_signed_in_the_body_and_names_the_coordinators(county, receiver):
    add(county, receiver, "feishu", "fei", secret="feishu-secret-0123", lang="en")
    outcome, = schedule.push(county, ADMIN, "reminder", DAY, now=NOON)
    assert outcome["status"] == "sent"
    got, = receiver.of("fei")
    assert got.problems == [] and {"timestamp", "sign"} <= set(got.body)
    post = got.body["content"]["post"]["en_us"]
    assert post["title"] == "[Reminder] installs of 27 Nov 2026"
    assert ["".join(s["text"] for s in row) for row in post["content"]][1:] == [
        "1. 甲镇 (coordinator: 甲镇联络员)", "2. 乙镇 (coordinator: 乙镇联络员)", "3. 县三局",
        "Coordinators, please report before 28 Nov 2026 12:00."]


@pytest.mark.parametrize("kind, code, shown", [
    ("dingtalk", "310000", "失败（310000）：安全设置校验未通过（签名不匹配、缺少关键词或 IP 不在白名单）"),
    ("feishu", "19021", "失败（19021）：签名校验失败或时间戳与当前时间相差超过 1 小时"),
])
def test_a_wrong_secret_is_refused_by_the_robot_and_the_answer_translated(county, receiver, kind, code, shown):
    add(county, receiver, kind, "wrong", secret="the-secret-we-hold")
    receiver.secrets["wrong"] = "the-secret-the-robot-holds"
    outcome, = schedule.push(county, ADMIN, "reminder", DAY, now=NOON)
    assert (outcome["status"], outcome["attempts"], outcome["answer"]["code"]) == ("failed", 3, code)
    assert all(g.problems == ["sign does not match"] for g in receiver.of("wrong"))
    assert robots.answer_text(kind, outcome["answer"], "zh") == shown


def test_the_bulletin_goes_to_wecom_as_markdown_and_its_image(demo_db, receiver):
    add(demo_db, receiver, "wecom", "county", subscribe=("bulletin",))
    add(demo_db, receiver, "dingtalk", "ding", subscribe=("bulletin",))
    outcomes = schedule.push(demo_db, ADMIN, "bulletin", DAY, now=NOON)
    assert [(o["channel"], o["status"], o["image"]) for o in outcomes] == [("county", "sent", "png"),
                                                                           ("ding", "sent", "unsupported")]
    markdown, image = receiver.of("county")
    assert (markdown.msgtype, image.msgtype, markdown.problems, image.problems) == ("markdown", "image", [], [])
    content = markdown.body["markdown"]["content"]
    assert content.startswith("**全南县（演示）国家反诈中心APP推广工作通报**\n**通报日期：**2026年11月27日")
    assert "**当日未报单位：**25 / 119" in content
    ding, = receiver.of("ding")  # no image: the message says so, and so does the log
    assert ding.body["markdown"]["text"].endswith("（通报图片：本群机器人不支持发送图片，请在系统“每日通报”页下载。）")
    assert [d["image"] for d in sending.sends(demo_db)["detail"]] == ["unsupported", "png"]


def test_an_image_over_the_limit_is_recompressed_or_split_or_said_to_be_missing(monkeypatch, receiver, db):
    from PIL import Image
    import io
    import random

    rng = random.Random(7)
    picture = Image.frombytes("RGB", (300, 900), bytes(rng.getrandbits(8) for _ in range(300 * 900 * 3)))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    png = out.getvalue()  # noise: ~810 KB as PNG
    message = robots.Message("通报", (robots.line("正文"),), image=png)
    for limit, shape in ((len(png), "png"), (400_000, "jpeg"), (120_000, "split:")):
        monkeypatch.setattr(robots, "WECOM_IMAGE_MAX", limit)
        prepared = robots.prepare("wecom", message)
        assert prepared.image.startswith(shape)
        images = [b for b in prepared.bodies if b["msgtype"] == "image"]
        assert images and all(len(robots.base64.b64decode(b["image"]["base64"])) <= limit for b in images)
    monkeypatch.setattr(robots, "WECOM_IMAGE_MAX", 2_000)
    prepared = robots.prepare("wecom", message)
    assert prepared.image == "too_large" and [b["msgtype"] for b in prepared.bodies] == ["markdown"]
    assert prepared.bodies[0]["markdown"]["content"].endswith("（通报图片超过 2 MB，压缩和分段后仍无法发送，请在系统“每日通报”页下载。）")
    channels.add_channel(db, ADMIN, "county", "wecom", receiver.address("wecom", "county"))
    monkeypatch.setattr(robots, "WECOM_IMAGE_MAX", 120_000)
    done = sending.deliver(channels.get_channel(db, "county"), robots.prepare("wecom", message).bodies)
    assert done.status == "sent" and [g.problems for g in receiver.of("county")] == [[]] * len(receiver.of("county"))


# ---- limits: long messages are split into parts, never cut ---------------------------------------

def _texts(kind, prepared):
    """Every line of every part, as the group reads it, titles left out."""
    lines = []
    for body in prepared.bodies:
        if kind == "wecom":
            lines += body["markdown"]["content"].split("\n")[1:]
        elif kind == "dingtalk":
            lines += body["markdown"]["text"].split("\n\n")[1:]
        else:
            lines += ["".join(s["text"] for s in row) for row in body["content"]["post"]["zh_cn"]["content"]]
    return lines


def _size_ok(kind, body):
    if kind == "wecom":
        return len(body["markdown"]["content"].encode()) <= 4096
    if kind == "dingtalk":
        return len(body["markdown"]["text"].encode()) <= 4096
    return len(robots.dumps(body)) <= 20 * 1024 - robots.FEISHU_SIGN_ROOM


@pytest.mark.parametrize("kind", robots.KINDS)
def test_a_thousand_units_go_in_numbered_parts_each_within_the_limit(kind):
    names = [f"{i}. 第{i}个单位（联络员：某某某）" for i in range(1, 1001)]
    prepared = robots.prepare(kind, robots.Message("【填报提醒】", tuple(robots.line(n) for n in names)))
    assert len(prepared.bodies) > 2 and all(_size_ok(kind, b) for b in prepared.bodies)
    assert _texts(kind, prepared) == names


def test_markdown_in_unit_names_is_made_inert():
    prepared = robots.prepare("wecom", robots.Message("**通报**", (robots.line("1. [点我](http://x) <font>#标题 `x` @all"),)))
    assert prepared.bodies[0]["markdown"]["content"] == "**＊＊通报＊＊**\n1. ［点我］(http://x) ＜font＞＃标题 ｀x｀ ＠all"


@hsettings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(robots.KINDS),
       lines=st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=600), max_size=40))
def test_any_lines_fit_every_kind_and_nothing_is_lost(kind, lines):
    """Whatever the lines (markup, any script, overlong): every part is within the kind's limit and the parts hold
    every character of every line, in order (markup characters in their full-width forms)."""
    prepared = robots.prepare(kind, robots.Message("标题", tuple(robots.line(x) for x in lines)))
    assert all(_size_ok(kind, b) for b in prepared.bodies)
    expected = "".join(robots.escape(x) if kind != "feishu" else robots._one_line(x) for x in lines)
    assert "".join(_texts(kind, prepared)) == expected


# ---- failures: retried with back-off, then recorded --------------------------------------------

def test_an_error_then_success_is_retried_and_sent(county, receiver):
    add(county, receiver, "dingtalk", "ding")
    receiver.modes["ding"] = ["error", "http500", "ok"]
    outcome, = schedule.push(county, ADMIN, "reminder", DAY, now=NOON)
    assert (outcome["status"], outcome["attempts"]) == ("sent", 3)
    assert [g.answered for g in receiver.of("ding")] == ["error", "http500", "ok"]


@pytest.mark.parametrize("mode, code, shown", [
    ("http500", "http", "Failed: the robot answered HTTP 500"),
    ("silent", "timeout", "Failed: the robot did not answer in time"),
    ("error", "93000", "Failed (93000): the webhook address is invalid; check its key or whether the robot left the group"),
    ("garbage", "bad_answer", "Failed: the robot's answer is not understood"),
])
def test_a_robot_that_fails_three_times_is_recorded_as_failed_and_audited(county, receiver, caplog, mode, code, shown):
    add(county, receiver, "wecom", "county")
    receiver.modes["county"] = [mode]
    receiver.silence = 0.6
    with caplog.at_level(logging.WARNING, "campaign.notify"):
        outcome, = schedule.push(county, ADMIN, "reminder", DAY, now=NOON)
    assert (outcome["status"], outcome["attempts"], outcome["answer"]["code"]) == ("failed", 3, code)
    assert len(receiver.of("county")) == 3  # the markdown, three times; the mentions never went
    row, = sending.failures(county).to_dict("records")
    assert (row["message"], row["channel"], row["status"], row["attempts"], row["parts_sent"]) == (
        "reminder", "county", "failed", 3, 0)
    assert robots.answer_text("wecom", row["answer"], "en") == shown
    audited = json.loads(county.execute("SELECT new FROM audit WHERE entity = 'notify_send'").fetchone()[0])
    assert audited["status"] == "failed" and audited["answer"]["code"] == code
    assert "wk-county" not in caplog.text and "127.0.0.1" not in caplog.text


@pytest.mark.parametrize("kind, mode, code", [
    ("wecom", "throttled", "45009"), ("dingtalk", "throttled", "130101"), ("feishu", "throttled", "11232"),
    ("wecom", "http429", "http"),
])
def test_a_throttled_robot_is_tried_again_after_its_minute(county, receiver, monkeypatch, kind, mode, code):
    """A "too fast" answer waits RATE_BACKOFF (30 s, then 60 s), not the 1 s and 4 s of other errors."""
    add(county, receiver, kind, "busy")
    receiver.modes["busy"] = [mode, "error", "ok"]
    waits = []
    monkeypatch.setattr(sending, "BACKOFF", (1.0, 4.0))
    monkeypatch.setattr(sending, "RATE_BACKOFF", (30.0, 60.0))
    monkeypatch.setattr(sending.time, "sleep", waits.append)
    outcome, = schedule.push(county, ADMIN, "reminder", DAY, now=NOON)
    assert (outcome["status"], outcome["attempts"]) == ("sent", 4 if kind == "wecom" else 3)  # + WeCom's @ message
    assert waits[:2] == [30.0, 4.0]  # after the throttled answer its minute; after the plain error the usual step
    assert [g.answered for g in receiver.of("busy")][:3] == [mode, "error", "ok"]
    receiver.modes["busy"] = [mode]
    failed, = schedule.push(county, ADMIN, "reminder", DAY, now=NOON, force=True)
    assert (failed["status"], failed["answer"]["code"]) == ("failed", code)


def test_posts_to_one_robot_are_paced_within_its_limit(db, receiver, monkeypatch):
    monkeypatch.setattr(sending, "PER_MINUTE", 3)
    monkeypatch.setattr(sending, "WINDOW", 0.5)
    channels.add_channel(db, ADMIN, "county", "wecom", receiver.address("wecom", "county"))
    bodies = [{"msgtype": "markdown", "markdown": {"content": f"part {i}"}} for i in range(5)]
    done = sending.deliver(channels.get_channel(db, "county"), bodies)
    assert (done.status, done.parts_sent) == ("sent", 5)
    times = [g.at for g in receiver.of("county")]
    assert times[3] - times[0] >= 0.45 and times[4] - times[1] >= 0.45  # never 4 posts within one window
    assert times[2] - times[0] < 0.45  # the first 3 went at once


def test_an_unreachable_robot_fails_without_naming_its_address(county):
    channels.add_channel(county, ADMIN, "gone", "wecom", "http://127.0.0.1:9/cgi-bin/webhook/send?key=secret-key-1234")
    channels.subscribe(county, ADMIN, "gone", ["reminder"])
    outcome, = schedule.push(county, ADMIN, "reminder", DAY, now=NOON)
    assert (outcome["status"], outcome["answer"]["code"]) == ("failed", "unreachable")
    assert "secret-key" not in "".join(str(r) for r in county.execute("SELECT * FROM notify_sends"))


def test_a_send_stopped_midway_shows_as_interrupted_and_goes_again_only_when_forced(county, receiver):
    add(county, receiver, "wecom", "county")
    (send_id, _), = sending.claim(county, ADMIN, "reminder", [(DAY, "")], 1)  # then the process died
    assert sending.sends(county)["status"].tolist() == ["sending"]
    county.execute("UPDATE notify_sends SET claimed_at = ? WHERE id = ?",
                   [(clock.now() - dt.timedelta(minutes=31)).isoformat(timespec="seconds"), send_id])
    assert sending.sends(county)["status"].tolist() == ["interrupted"]
    assert sending.failures(county)[["message", "channel", "status"]].values.tolist() == [["reminder", "county", "interrupted"]]
    again, = schedule.push(county, ADMIN, "reminder", DAY, now=NOON)
    assert again["status"] == "already" and receiver.got == []
    forced, = schedule.push(county, ADMIN, "reminder", DAY, now=NOON, force=True)
    assert forced["status"] == "sent" and len(receiver.got) == 2


def test_a_robot_s_message_is_scrubbed_of_the_address_and_secret():
    channel = channels.Channel(1, "x", "dingtalk", "zh", "https://oapi.dingtalk.com/robot/send?access_token=abcdef123456",
                               "SECsecretsecret")
    assert sending.scrub("token abcdef123456 / SECsecretsecret rejected", channel) == "token **** / **** rejected"
    assert "abcdef" not in repr(channel) and "SECsecret" not in repr(channel)


# ---- once only ---------------------------------------------------------------------------------

def test_push_bulletin_twice_sends_once_and_force_sends_again(demo_path, receiver):
    db = __import__("campaign.features", fromlist=["connect"]).connect(demo_path)
    add(db, receiver, "wecom", "county", subscribe=("bulletin",))
    first = run(demo_path, "push", "bulletin", "--channel", "county", "--format", "json")
    again = run(demo_path, "push", "bulletin", "--channel", "county", "--format", "json")
    assert first.returncode == again.returncode == 0
    assert [o["status"] for o in json.loads(first.stdout)] == ["sent"]
    assert [o["status"] for o in json.loads(again.stdout)] == ["already"]
    assert [g.msgtype for g in receiver.of("county")] == ["markdown", "image"]
    forced = run(demo_path, "push", "bulletin", "--channel", "county", "--force")
    assert forced.returncode == 0 and "sent" in forced.stdout
    assert [(r["copy"], r["status"]) for r in log_rows(db)] == [(0, "sent"), (1, "sent")]
    assert len(receiver.of("county")) == 4
    details = [json.loads(d) for (d,) in db.execute("SELECT detail FROM audit WHERE entity = 'notify_send' ORDER BY id")]
    assert [d["forced"] for d in details] == [False, True]


def test_two_processes_running_the_schedule_send_once(county, receiver, tmp_path):
    """Two `push due` processes at once, as two app servers' schedulers would tick: each message goes once."""
    add(county, receiver, "wecom", "county", subscribe=("bulletin", "reminder", "laggards", "letters"))
    add(county, receiver, "feishu", "fei", subscribe=("reminder",))
    path = county.execute("PRAGMA database_list").fetchone()[2]
    env = {**__import__("os").environ, "CAMPAIGN_DB": path, "CAMPAIGN_TODAY": "2026-11-28"}
    args = [sys.executable, "-m", "campaign", "push", "due", "--at", "11:45", "--format", "json"]
    procs = [subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    statuses = sorted(o["status"] for out, _ in results for o in json.loads(out))
    # due at 11:45: the bulletin (08:00), the reminder (11:30-12:00), letters (09:00: no event, nothing logged)
    assert statuses == ["already", "already", "already", "none", "none", "sent", "sent", "sent"]
    assert sorted(g.msgtype for g in receiver.got) == ["image", "markdown", "markdown", "post", "text"]
    assert sorted((r["message"], r["channel"]) for r in log_rows(county)) == [
        ("bulletin", "county"), ("reminder", "county"), ("reminder", "fei")]


def test_two_scheduler_threads_over_one_file_send_once(county, receiver):
    from ui import scheduler

    add(county, receiver, "wecom", "county")
    path = county.execute("PRAGMA database_list").fetchone()[2]
    start = threading.Barrier(2)

    def tick():
        start.wait()
        scheduler.tick(path, NOON)

    threads = [threading.Thread(target=tick) for _ in range(2)]
    [t.start() for t in threads]
    [t.join(60) for t in threads]
    assert [g.msgtype for g in receiver.of("county")] == ["markdown", "text"]
    assert [r["status"] for r in log_rows(county)] == ["sent"]


SERVE = """
import asyncio, sys
from ui import scheduler
scheduler.FIRST, scheduler.INTERVAL = 0.1, 0.2
async def main():
    async with scheduler.service(None):  # what the app's server starts with it (ui/routes.py SERVICES)
        await asyncio.sleep(float(sys.argv[1]))
asyncio.run(main())
"""


def test_two_app_servers_schedules_send_once_and_a_restart_sends_nothing_again(county, receiver):
    add(county, receiver, "wecom", "county", subscribe=("letters",))
    settings.update(county, ADMIN, {"notify_letters_time": "00:00"})  # due whatever the time of day the test runs
    t1 = county.execute("SELECT id FROM units WHERE code = 'T1'").fetchone()[0]
    problem = [{"code": "letter.problem.text", "params": {"text": "进度落后"}}]
    letter = letters.create_reminder(county, ADMIN, t1, "manual", problem, issued_on="2026-11-27", reply_due="2026-11-29")
    letters.mark_sent(county, ADMIN, letter, "2026-11-28")
    path = county.execute("PRAGMA database_list").fetchone()[2]
    env = {**__import__("os").environ, "CAMPAIGN_DB": path, "CAMPAIGN_TODAY": "2026-11-28"}

    procs = [subprocess.Popen([sys.executable, "-c", SERVE, "1.5"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    assert [(p.wait(60), p.stderr.read()) for p in procs] == [(0, ""), (0, "")]
    assert [g.msgtype for g in receiver.of("county")] == ["markdown"] and receiver.got[0].problems == []
    from ui import scheduler

    assert [o["status"] for o in scheduler.tick(path)] == ["already"]  # a restarted server's first tick
    assert len(receiver.got) == 1
    assert sorted((r["subject"], r["status"]) for r in log_rows(county)) == [(f"due:{letter}", "sent"), (f"sent:{letter}", "sent")]


# ---- the schedule ---------------------------------------------------------------------------------

@pytest.mark.parametrize("at, expected", [
    ("07:59", []),
    ("08:00", [("bulletin", "2026-11-27")]),
    ("11:29", [("bulletin", "2026-11-27"), ("letters", "2026-11-28")]),
    ("11:30", [("bulletin", "2026-11-27"), ("reminder", "2026-11-27"), ("letters", "2026-11-28")]),
    ("11:59", [("bulletin", "2026-11-27"), ("reminder", "2026-11-27"), ("letters", "2026-11-28")]),
    ("12:00", [("bulletin", "2026-11-27"), ("letters", "2026-11-28")]),
    ("12:10", [("bulletin", "2026-11-27"), ("laggards", "2026-11-27"), ("letters", "2026-11-28")]),
])
def test_what_is_due_when(db, at, expected):
    settings.update(db, ADMIN, {"start_date": "2026-11-20", "deadline": "2026-12-19"})
    conf = settings.get_all(db)
    now = dt.datetime.combine(dt.date(2026, 11, 28), dt.time.fromisoformat(at), tzinfo=clock.TZ)
    assert sorted((m, d.isoformat()) for m, d in schedule.due(conf, now)) == sorted(expected)


def test_a_reminder_before_a_midnight_cut_off_is_for_the_day_itself(db):
    settings.update(db, ADMIN, {"start_date": "2026-11-20", "deadline": "2026-12-19", "entry_cutoff": "00:30",
                                "notify_reminder_minutes": 60})
    now = dt.datetime(2026, 11, 27, 23, 45, tzinfo=clock.TZ)
    assert ("reminder", DAY) in schedule.due(settings.get_all(db), now)


def test_nothing_is_due_outside_the_campaign_but_letters(db):
    settings.update(db, ADMIN, {"start_date": "2026-11-28", "deadline": "2026-12-19"})
    now = dt.datetime(2026, 11, 28, 12, 30, tzinfo=clock.TZ)
    assert schedule.due(settings.get_all(db), now) == [("letters", dt.date(2026, 11, 28))]


# ---- the laggard list when it changes; letters; scope --------------------------------------------

def test_the_laggard_list_goes_when_it_changes(county, receiver, monkeypatch):
    from campaign.installs import rankings

    add(county, receiver, "wecom", "county", subscribe=("laggards",))
    settings.update(county, ADMIN, {"laggard_bottom": 1})  # groups of 2 and 3 units: the last of each
    real = rankings.laggards(county, DAY)
    assert list(real["unit"])  # the small county: its bottom units
    first, = schedule.push(county, ADMIN, "laggards", DAY, now=NOON)
    same, = schedule.push(county, ADMIN, "laggards", DAY + dt.timedelta(days=1), now=NOON + dt.timedelta(days=1))
    assert (first["status"], same["status"], same["reason"]) == ("sent", "skipped", "unchanged")
    monkeypatch.setattr(rankings, "laggards", lambda db, day: real[real["code"] != real["code"].iloc[0]])
    changed, = schedule.push(county, ADMIN, "laggards", DAY + dt.timedelta(days=2), now=NOON + dt.timedelta(days=2))
    assert changed["status"] == "sent"
    content = receiver.of("county")[-1].body["markdown"]["content"]
    assert content.endswith(f"**移出：**{real['unit'].iloc[0]}")
    assert len(receiver.of("county")) == 2


def test_letter_notices_go_once_each_in_one_message(county, receiver):
    add(county, receiver, "wecom", "county", subscribe=("letters",))
    t1 = county.execute("SELECT id FROM units WHERE code = 'T1'").fetchone()[0]
    problem = [{"code": "letter.problem.text", "params": {"text": "进度落后"}}]
    sent = letters.create_reminder(county, ADMIN, t1, "manual", problem, issued_on="2026-11-27", reply_due="2026-11-29")
    letters.mark_sent(county, ADMIN, sent, "2026-11-28")
    late = letters.create_reminder(county, ADMIN, t1, "manual", problem, issued_on="2026-11-20", reply_due="2026-11-25")
    letters.mark_sent(county, ADMIN, late, "2026-11-21")
    now = dt.datetime(2026, 11, 28, 9, 5, tzinfo=clock.TZ)
    outcome, = schedule.push(county, ADMIN, "letters", now=now)
    assert outcome["status"] == "sent"
    content = receiver.of("county")[0].body["markdown"]["content"].splitlines()
    number = {lid: n for lid, n in county.execute("SELECT id, number FROM reminder_letters")}
    assert content == ["**【提示函动态】2026年11月28日**",
                       f"已发出 {number[sent]}（甲镇），请于 2026年11月29日 前书面回复。",
                       f"{number[sent]}（甲镇）回复期限为明天（2026年11月29日），尚未回复。",
                       f"{number[late]}（甲镇）已超过回复期限（2026年11月25日），仍未回复。"]
    assert sorted(r["subject"] for r in log_rows(county)) == [f"due:{sent}", f"overdue:{late}", f"sent:{sent}"]
    again, = schedule.push(county, ADMIN, "letters", now=now + dt.timedelta(minutes=1))
    assert again["status"] == "already" and len(receiver.of("county")) == 1


def test_a_township_group_gets_its_own_units_only(county, receiver):
    add(county, receiver, "wecom", "t1", unit="T1")
    add(county, receiver, "wecom", "d", unit="D3", subscribe=("reminder",))
    add(county, receiver, "wecom", "t2", unit="T2", subscribe=("laggards",))
    outcomes = schedule.push(county, ADMIN, "reminder", DAY, now=NOON)
    assert [(o["channel"], o["status"]) for o in outcomes] == [("d", "sent"), ("t1", "sent")]
    assert receiver.of("t1")[0].body["markdown"]["content"].splitlines()[2:] == ["1. 甲镇（联络员：甲镇联络员）"]
    assert receiver.of("d")[0].body["markdown"]["content"].splitlines()[2:] == ["1. 县三局"]
    assert [g.msgtype for g in receiver.of("d")] == ["markdown"]  # nobody to @


def test_a_dry_run_sends_and_records_nothing(county, receiver):
    add(county, receiver, "wecom", "county")
    ran = run(county.execute("PRAGMA database_list").fetchone()[2], "push", "reminder", "--dry-run", "--date", "2026-11-27")
    assert ran.returncode == 0 and "dry_run" in ran.stdout and "1. 甲镇（联络员：甲镇联络员）" in ran.stdout
    assert receiver.got == [] and log_rows(county) == []


# ---- channels: secrets, checks, access -----------------------------------------------------------

def test_addresses_and_secrets_are_stored_but_shown_masked_and_never_audited(county, receiver):
    url = receiver.address("dingtalk", "ding")
    channels.add_channel(county, ADMIN, "ding", "dingtalk", url, "SEC-a-very-secret-1234")
    channels.add_channel(county, ADMIN, "ding", "dingtalk", url + "x", "SEC-a-very-secret-1234")
    listed, = channels.list_channels(county)
    assert (listed["url"], listed["secret"]) == ("127.0.0.1/…789x", "…1234")
    trail = [(a, json.loads(o or "null"), json.loads(n)) for a, o, n in
             county.execute("SELECT action, old, new FROM audit WHERE entity = 'notify_channel' ORDER BY id")]
    assert trail == [("create", None, {"name": "ding", "kind": "dingtalk", "lang": "zh", "url": "set", "secret": "set"}),
                     ("update", {"name": "ding", "kind": "dingtalk", "lang": "zh", "url": "set", "secret": "set"},
                      {"name": "ding", "kind": "dingtalk", "lang": "zh", "url": "changed", "secret": "unchanged"})]
    dump = "\n".join(county.conn.iterdump())
    assert "SEC-a-very" not in dump.split("INSERT INTO \"notify_channels\"")[0]  # only the channel row holds it
    shown = run(county.execute("PRAGMA database_list").fetchone()[2], "channel", "list", "--format", "json")
    assert "dt" + "ding0123456789" not in shown.stdout and "SEC-a" not in shown.stdout
    channels.remove_channel(county, ADMIN, "ding")
    assert county.execute("SELECT url, secret, active FROM notify_channels").fetchone() == ("", None, 0)


@pytest.mark.parametrize("kind, url, secret, code", [
    ("wecom", "ftp://qyapi.weixin.qq.com/x", None, "notify.error.bad_url"),
    ("wecom", "https://user:pw@qyapi.weixin.qq.com/x", None, "notify.error.bad_url"),
    ("wecom", "https://qyapi.weixin.qq.com/x y", None, "notify.error.bad_url"),
    ("wecom", "not a url", None, "notify.error.bad_url"),
    ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "SEC123", "notify.error.secret_unused"),
    ("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=t", "two words", "notify.error.bad_secret"),
    ("slack", "https://hooks.slack.com/x", None, "notify.error.bad_kind"),
])
def test_a_bad_channel_is_refused_without_echoing_the_address(db, kind, url, secret, code):
    with pytest.raises(InvalidValue) as caught:
        channels.add_channel(db, ADMIN, "x", kind, url, secret)
    assert caught.value.code == code and url not in str(caught.value)
    assert db.execute("SELECT COUNT(*) FROM notify_channels").fetchone()[0] == 0


@pytest.mark.parametrize("kind, url, allowed", [
    ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx", True),
    ("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc123", True),
    ("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/2f8c-41d0", True),
    ("feishu", "https://open.larksuite.com/open-apis/bot/v2/hook/2f8c-41d0", True),
    ("wecom", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", False),  # not https
    ("wecom", "https://qyapi.weixin.qq.com.evil.cn/cgi-bin/webhook/send?key=k", False),  # a look-alike host
    ("wecom", "https://evil.cn/cgi-bin/webhook/send?key=k&host=qyapi.weixin.qq.com", False),
    ("wecom", "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=k", False),  # another port
    ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", False),  # no key
    ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/gettoken?key=k", False),  # another API
    ("dingtalk", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", False),  # another kind's robot
    ("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/", False),
    ("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/a/../../im/v1/messages", False),
    ("wecom", "http://169.254.169.254/latest/meta-data/?key=k", False),  # the cloud's metadata service
    ("wecom", "http://127.0.0.1:8501/cgi-bin/webhook/send?key=k", False),  # the app itself
])
def test_only_the_kind_s_own_robot_host_is_accepted(db, monkeypatch, kind, url, allowed):
    monkeypatch.delenv("CAMPAIGN_ROBOT_HOSTS")
    if allowed:
        channels.add_channel(db, ADMIN, "x", kind, url)
        assert channels.list_channels(db)[0]["url"].startswith(url.split("/")[2] + "/…")
        return
    with pytest.raises(InvalidValue) as caught:
        channels.add_channel(db, ADMIN, "x", kind, url)
    assert caught.value.code == "notify.error.not_robot" and caught.value.params["example"] == robots.EXAMPLES[kind]
    assert db.execute("SELECT COUNT(*) FROM notify_channels").fetchone()[0] == 0


def test_a_private_deployment_s_host_is_allowed_by_the_environment(db, monkeypatch):
    monkeypatch.setenv("CAMPAIGN_ROBOT_HOSTS", "wecom.gov.example, im.example.cn")
    channels.add_channel(db, ADMIN, "x", "wecom", "https://wecom.gov.example/cgi-bin/webhook/send?key=k")
    channels.add_channel(db, ADMIN, "y", "feishu", "http://im.example.cn:8080/hook/1")
    with pytest.raises(InvalidValue):
        channels.add_channel(db, ADMIN, "z", "wecom", "https://other.example/cgi-bin/webhook/send?key=k")


def test_a_host_no_longer_allowed_is_never_posted_to(county, receiver, monkeypatch):
    add(county, receiver, "wecom", "county")
    monkeypatch.setenv("CAMPAIGN_ROBOT_HOSTS", "")
    outcome, = schedule.push(county, ADMIN, "reminder", DAY, now=NOON)
    assert (outcome["status"], outcome["attempts"], outcome["answer"]["code"]) == ("failed", 1, "not_robot")
    assert receiver.got == []
    assert robots.answer_text("wecom", outcome["answer"], "zh") == "未发送：该地址不是此类群机器人的地址（已不在允许的主机内）"


def test_a_redirect_is_an_answer_never_followed(county, receiver):
    add(county, receiver, "wecom", "county")
    receiver.modes["county"] = ["redirect"]
    outcome, = schedule.push(county, ADMIN, "reminder", DAY, now=NOON)
    assert (outcome["status"], outcome["answer"]["code"], outcome["answer"]["http"]) == ("failed", "redirect", 302)
    assert [g.name for g in receiver.got] == ["county"] * 3  # nothing went to /wecom/elsewhere


ROLES = {"leader": access.Actor("leader", access.LEADER), "coordinator": access.Actor("c", access.COORDINATOR),
         "grid_worker": access.Actor("g", access.GRID_WORKER)}


@pytest.mark.parametrize("role", ["admin", *ROLES])
@pytest.mark.parametrize("call", ["add_channel", "remove_channel", "subscribe", "unsubscribe", "test_channel", "push",
                                  "run_due"])
def test_only_administrators_change_or_send(county, receiver, role, call):
    add(county, receiver, "wecom", "county")
    actor = ADMIN if role == "admin" else ROLES[role]
    calls = {
        "add_channel": lambda: channels.add_channel(county, actor, "new", "wecom", receiver.address("wecom", "new")),
        "remove_channel": lambda: channels.remove_channel(county, actor, "county"),
        "subscribe": lambda: channels.subscribe(county, actor, "county", ["letters"]),
        "unsubscribe": lambda: channels.unsubscribe(county, actor, "county", ["reminder"]),
        "test_channel": lambda: schedule.test_channel(county, actor, "county"),
        "push": lambda: schedule.push(county, actor, "reminder", DAY, now=NOON),
        "run_due": lambda: schedule.run_due(county, actor, NOON),
    }
    before = county.conn.total_changes
    if role == "admin":
        calls[call]()
        assert county.conn.total_changes > before
    else:
        with pytest.raises(AccessDenied):
            calls[call]()
        assert county.conn.total_changes == before and receiver.got == []


def test_channel_test_prints_the_robot_s_answer(county, receiver):
    path = county.execute("PRAGMA database_list").fetchone()[2]
    add(county, receiver, "wecom", "county", subscribe=())
    ok = run(path, "channel", "test", "county")
    assert ok.returncode == 0 and ok.stdout.splitlines()[0] == "county: OK (errcode 0)"
    assert receiver.of("county")[0].body["markdown"]["content"].startswith("**【测试】")
    receiver.modes["county"] = ["error"]
    bad = run(path, "channel", "test", "county", "--lang", "zh")
    assert bad.returncode == 1 and "失败（93000）：webhook 地址无效" in bad.stdout
    assert len(receiver.of("county")) == 2  # a test is tried once: the page waits for it
    assert [r["message"] for r in log_rows(county)] == ["test", "test"]


def test_the_cli_adds_subscribes_and_removes(county, receiver):
    path = county.execute("PRAGMA database_list").fetchone()[2]
    added = run(path, "channel", "add", "甲镇工作群", "--kind", "dingtalk", "--url", receiver.address("dingtalk", "t1"),
                "--secret", "SEC0123456789", "--subscribe", "reminder", "--subscribe", "letters", "--unit", "T1")
    assert added.returncode == 0 and added.stdout.strip() == "channel 甲镇工作群 (dingtalk) saved: 127.0.0.1/…6789"
    listed = json.loads(run(path, "channel", "list", "--format", "json").stdout)
    assert listed == [{"name": "甲镇工作群", "kind": "dingtalk", "lang": "zh", "url": "127.0.0.1/…6789", "secret": "…6789",
                       "subscriptions": "letters:T1,reminder:T1"}]
    assert run(path, "channel", "unsubscribe", "甲镇工作群", "letters", "--unit", "T1").stdout.strip() == \
        "甲镇工作群: 1 subscription(s) removed"
    missing = run(path, "channel", "remove", "乙镇工作群")
    assert missing.returncode == 1 and "No work-group robot is named 乙镇工作群." in missing.stderr
    assert run(path, "channel", "remove", "甲镇工作群").returncode == 0
    assert json.loads(run(path, "channel", "list", "--format", "json").stdout) == []


# ---- accounts: an optional mobile ---------------------------------------------------------------

def test_an_account_s_mobile_is_checked_audited_and_used_for_mentions(county):
    path = county.execute("PRAGMA database_list").fetchone()[2]
    ran = run(path, "user", "add", "coord_d3", "--role", "coordinator", "--scope", "D3", "--phone", "139 0000 0003",
              env_extra={"CAMPAIGN_PASSWORD": "password-3"})
    assert ran.returncode == 0
    assert users.get_account(county, "coord_d3")["mobile"] == "13900000003"
    d3 = county.execute("SELECT id FROM units WHERE code = 'D3'").fetchone()[0]
    assert [p["mobile"] for p in users.coordinators_of(county, [d3])[d3]] == ["13900000003"]
    with pytest.raises(CampaignError) as caught:
        users.add_user(county, ADMIN, "coord_d3", access.COORDINATOR, scope_codes=["D3"], mobile="12345")
    assert caught.value.code == "auth.error.bad_mobile"
    users.add_user(county, ADMIN, "coord_d3", access.COORDINATOR, scope_codes=["D3"])  # mobile not given: kept
    assert users.get_account(county, "coord_d3")["mobile"] == "13900000003"
    users.add_user(county, ADMIN, "coord_d3", access.COORDINATOR, scope_codes=["D3"], mobile="")
    assert users.get_account(county, "coord_d3")["mobile"] is None
    changes = [json.loads(n).get("mobile") for (n,) in county.execute(
        "SELECT new FROM audit WHERE entity = 'user' AND entity_id = 'coord_d3' ORDER BY id")]
    assert changes == ["13900000003", None]
    listed = json.loads(run(path, "user", "list", "--format", "json").stdout)
    assert next(u for u in listed if u["username"] == "coord_t1")["mobile"] == "13912345678"
