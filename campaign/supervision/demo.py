"""The demo's supervision: responsibility letters, three supervision rounds of spot checks, seven reminder letters.

Generated from a fixed seed relative to the load day and written through the same import code and
functions that users use: most units signed, a few did not; each round checks a handful of units;
seven letters went out (from failed spot checks, the laggard list and one picked by hand), six were
answered and one is overdue; two units on the laggard list were talked with (约谈); four in five signed
units' scans are attached.
"""

import datetime as dt
import io
import random

import pandas as pd

from campaign.infra import imports, settings
from campaign.infra.tables import Upload
from campaign.installs import rankings
from campaign.org import access
from campaign.supervision import letters, responsibility, talks
from campaign.supervision import spot_checks as supervision

SEED = 20261128
ROUNDS = (("第一轮督导", 8), ("第二轮督导", 18), ("第三轮督导", 27))  # name, days after the campaign start
UNSIGNED = 9  # units that have not signed the responsibility letter
REPLIES = (
    "已召开专题会议部署整改，逐人核查干部职工安装注册情况，未安装人员已全部完成安装注册。",
    "已明确分管领导和专人负责，每日通报进度，整改清单已上报。",
    "已组织集中推广两次，新增安装注册人员，落后情况已改善。",
    "已对未注册人员逐一督促，并建立每日报送台账。",
    "已将推广工作纳入单位考核，整改情况附后。",
    "已完成整改，附整改报告及安装注册截图说明。",
)


def _upload(name: str, frame: pd.DataFrame) -> Upload:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return Upload(name, buffer.getvalue().encode("utf-8"))


def signatures(db, start: dt.date, rng: random.Random) -> pd.DataFrame:
    """Most ranked units signed in the campaign's first week; UNSIGNED did not."""
    info = rankings.unit_info(db)
    missing = set(rng.sample(list(info["code"]), UNSIGNED))
    rows = [[code, (start + dt.timedelta(days=rng.randint(0, 6))).isoformat(), f"{unit}主要负责人"]
            for code, unit in zip(info["code"], info["unit"]) if code not in missing]
    return pd.DataFrame(rows, columns=["单位", "签订日期", "签订人"])


def spot_checks(db, start: dt.date, today: dt.date, rng: random.Random) -> pd.DataFrame:
    """Three rounds; each checks 8 units (3 townships, 5 departments), 6–10 people per unit."""
    people = pd.read_sql_query(
        """SELECT u.code, s.name, COALESCE(s.phone, '') AS phone, u.type FROM staff s JOIN units u ON u.id = s.unit_id
           WHERE s.active = 1 AND u.type IN ('township', 'community', 'department') ORDER BY u.code, s.id""",
        db.conn)
    towns = sorted(people.loc[people["type"].isin(("township", "community")), "code"].unique())
    depts = sorted(people.loc[people["type"] == "department", "code"].unique())
    diligence = {code: rng.uniform(0.45, 1.0) for code in towns + depts}
    rows = []
    for name, offset in ROUNDS:
        day = min(start + dt.timedelta(days=offset), today)
        for code in rng.sample(towns, 3) + rng.sample(depts, 5):
            staff = people[people["code"] == code]
            chosen = staff.sample(n=min(len(staff), rng.randint(6, 10)), random_state=rng.randrange(10**6))
            for person in chosen.itertuples(index=False):
                installed = rng.random() < min(1.0, diligence[code] + offset / 100)
                registered = installed and rng.random() < 0.93
                rows.append([name, day.isoformat(), "县反诈中心督导组", code, person.name, person.phone,
                             "是" if installed else "否", "是" if registered else "否"])
    return pd.DataFrame(rows, columns=["督导轮次", "抽查日期", "检查人", "单位", "姓名", "手机号", "是否安装", "是否注册"])


def _letter(db, actor, unit_id, source, problems, issued, *, round_id=None, reply=None, rng=None):
    letter_id = letters.create_reminder(db, actor, unit_id, source, problems, issued_on=issued, round_id=round_id)
    letters.mark_sent(db, actor, letter_id, issued)
    if reply is not None:
        when = issued + dt.timedelta(days=rng.randint(2, 6))
        text = REPLIES[(letter_id - 1) % len(REPLIES)]
        note = Upload(f"整改情况报告-{letter_id}.txt", f"整改情况报告\n\n{text}\n".encode("utf-8"))
        letters.record_reply(db, actor, letter_id, when, text, note)
    return letter_id


def _reminder_letters(db, actor, today: dt.date, rng: random.Random) -> None:
    """Seven letters: two from failed spot checks of the first round, then on the second round's day three
    from the laggard list, one picked by hand and one from a failed check of that round; all replied
    except the last, issued nine days ago and overdue."""
    rounds = supervision.list_rounds(db).sort_values("day")
    failed = supervision.flagged(db)
    used = set()
    figures = {}  # day -> (unit_ranking, laggards): the costly part, computed once per day

    def ranked(day):
        if day not in figures:
            figures[day] = (rankings.unit_ranking(db, day), rankings.laggards(db, day))
        return figures[day]

    def problems_of(unit_id, day):
        table, lag = ranked(day)
        return letters.ranking_problems(db, unit_id, day, table=table, laggards=lag)

    def worst(round_id, n):
        part = failed[(failed["round_id"] == round_id) & ~failed["unit_id"].isin(used)]
        if len(part) < n:  # fewer failures than letters wanted: the lowest rates of the round instead
            part = supervision.compliance(db, round_id)
            part = part[~part["unit_id"].isin(used)]
        picked = [int(u) for u in part.sort_values(["rate", "code"])["unit_id"].head(n)]
        used.update(picked)
        return picked

    first, second = (int(r) for r in rounds["round_id"].head(2))
    first_day, second_day = (dt.date.fromisoformat(d) for d in rounds["day"].head(2))
    for unit_id in worst(first, 2):
        _letter(db, actor, unit_id, "spot_check", letters.check_problems(db, unit_id, first) + problems_of(unit_id, first_day),
                first_day + dt.timedelta(days=1), round_id=first, reply=True, rng=rng)
    table, lag = ranked(second_day)
    lag_units = [int(u) for u in lag.sort_values(["completion", "code"])["unit_id"] if int(u) not in used][:3]
    if len(lag_units) < 3:  # a short laggard list: the lowest completion that day instead
        rest = table[~table["unit_id"].isin(used | set(lag_units))].sort_values(["completion", "code"])
        lag_units += [int(u) for u in rest["unit_id"].head(3 - len(lag_units))]
    for unit_id in lag_units:
        used.add(unit_id)
        _letter(db, actor, unit_id, "laggard", problems_of(unit_id, second_day), second_day, reply=True, rng=rng)
    rest = table[~table["unit_id"].isin(used)].sort_values(["no_report", "completion", "code"], ascending=[False, True, True])
    pick = int(rest["unit_id"].iloc[0])
    used.add(pick)
    problems = problems_of(pick, second_day)
    problems.append({"code": "letter.problem.text", "params": {"text": "单位联络员多次未按时报送数据，督导组电话联系未果。"}})
    _letter(db, actor, pick, "manual", problems, second_day, reply=True, rng=rng)
    for unit_id in worst(second, 1):  # issued nine days ago, due two days ago, never answered: overdue
        _letter(db, actor, unit_id, "spot_check", letters.check_problems(db, unit_id, second) + problems_of(unit_id, second_day),
                today - dt.timedelta(days=9), round_id=second, reply=None)


TALK_MEASURES = ("一、单位主要负责同志亲自部署，三日内召开全体干部职工推进会；\n二、逐人核查未达标人员，明确分管领导和联络员每日报送；"
                 "\n三、一周内完成率达到全县平均水平，未完成的再次约谈。")


def _talks(db, actor, today: dt.date) -> None:
    """Issue 20: the first two units on today's laggard list (by code) were talked with the day after they joined it."""
    lagging = talks.laggards_with_talks(db, today).sort_values("code").head(2)
    for row in lagging.itertuples():
        held_on = min(row.since + dt.timedelta(days=1), today)
        talks.record_talk(db, actor, int(row.unit_id), held_on, "县打击治理电信网络诈骗违法犯罪工作领导小组办公室主任",
                          f"{row.unit}主要负责人、分管负责人、联络员", TALK_MEASURES)


def _scan() -> bytes:
    """A stand-in for a signed letter's scan: a small grey A-proportioned page (PNG)."""
    from PIL import Image, ImageDraw

    page = Image.new("L", (105, 148), 250)
    draw = ImageDraw.Draw(page)
    for y in range(20, 120, 8):
        draw.line([(12, y), (93, y)], fill=170)
    draw.ellipse([(62, 112), (90, 140)], outline=120)  # the seal
    out = io.BytesIO()
    page.save(out, "PNG", optimize=True)
    return out.getvalue()


def _scans(db, actor) -> None:
    """Issue 20: most signed units' scans are attached; every fifth signed unit (by code) has not sent it yet."""
    signed = letters.responsibility(db)
    signed = signed[signed["signed"]].sort_values("code")
    data = _scan()
    for k, row in enumerate(signed.itertuples()):
        if k % 5 != 4:
            responsibility.attach_scan(db, actor, int(row.unit_id), Upload(f"责任书-{row.unit}-已签.png", data))


def load(db, today: dt.date) -> None:
    """Signatures, spot checks and letters for the demo county (inside the demo's transaction)."""
    actor = access.SYSTEM
    start = dt.date.fromisoformat(settings.get(db, "start_date"))
    rng = random.Random(f"{SEED}-{today.isoformat()}")
    imports.run(db, actor, "responsibility_letters", letters.KINDS["responsibility_letters"], _upload("demo_responsibility.csv", signatures(db, start, rng)))
    imports.run(db, actor, "spot_checks", supervision.KINDS["spot_checks"], _upload("demo_spot_checks.csv", spot_checks(db, start, today, rng)))
    _reminder_letters(db, actor, today, rng)
    _talks(db, actor, today)
    _scans(db, actor)
