"""Reminder letters (提示函): the problems they state, tracking (sent, replied, overdue), the PDF and the Word file."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from docx import Document
from pypdf import PdfReader

from campaign.accounts import trail
from campaign.infra import settings
from campaign.infra.errors import AccessDenied, FileRejected, InvalidValue, NotFound
from campaign.infra.tables import Upload
from campaign.org import access
from campaign.supervision import letters, letters_render, rules
from campaign.supervision import spot_checks as supervision
from tests.helpers import ADMIN, count, load, small_county
from tests.test_rankings import INSTALLS


def ids(db) -> dict[str, int]:
    return {code: uid for uid, code in db.execute("SELECT id, code FROM units")}


@pytest.fixture
def county(db):
    """The small county with the rankings' installs, a county name, and round 1 checking 甲镇 (1 of 2 compliant)."""
    small_county(db)
    load(db, "installs", INSTALLS)
    settings.update(db, ADMIN, {"county_name": "测试县", "laggard_bottom": 1, "laggard_days": 2})
    people = {name: sid for sid, name in db.execute("SELECT id, name FROM staff")}
    first = supervision.add_round(db, ADMIN, "第一轮督导", "2026-11-25")
    supervision.record_check(db, ADMIN, first, ids(db)["T1"], "2026-11-25", "督导组",
                             [(people["张一"], True, True), (people["张二"], True, False)])
    return db


def text_of(pdf: bytes) -> str:
    """The PDF's text as pypdf extracts it.

    pypdf 7 reads fpdf2's encoding CMap of the CID-keyed CFF font (Noto Sans SC) as one-byte codes,
    so every character comes with a NUL before it; dropping the NULs gives the exact text, as
    poppler's pdftotext reads it (test_pdftotext_agrees).
    """
    return "".join(page.extract_text().replace("\x00", "") for page in PdfReader(io.BytesIO(pdf)).pages)


# ---- status ------------------------------------------------------------------------------

@pytest.mark.parametrize("sent, due, reply, today, expected", [
    (None, "2026-11-27", None, "2026-11-28", "draft"),
    ("2026-11-20", "2026-11-27", None, "2026-11-26", "sent"),
    ("2026-11-20", "2026-11-27", None, "2026-11-27", "sent"),  # the due day itself is still in time
    ("2026-11-20", "2026-11-27", None, "2026-11-28", "overdue"),
    ("2026-11-20", "2026-11-27", "2026-11-25", "2026-11-28", "replied"),
    ("2026-11-20", "2026-11-27", "2026-11-28", "2026-11-28", "replied"),  # late, but replied
])
def test_letter_status(sent, due, reply, today, expected):
    assert rules.letter_status(sent, due, reply, dt.date.fromisoformat(today)) == expected


def test_counts_read_like_the_page():
    counts = rules.letter_counts(["replied"] * 6 + ["overdue"])
    assert counts == {"drafts": 0, "sent": 7, "replied": 6, "overdue": 1, "awaiting": 0}
    from campaign.infra import i18n

    assert i18n.t("letter.counts", "en", **counts) == "7 sent, 6 replied, 1 overdue"
    assert i18n.t("letter.counts", "zh", **counts) == "已发 7 份，已回复 6 份，逾期 1 份"


# ---- what a letter states ----------------------------------------------------------------

def test_problems_from_a_failed_spot_check(county):
    round_id = int(supervision.list_rounds(county)["round_id"].iloc[0])
    problems = letters.draft_problems(county, ids(county)["T1"], "spot_check", day="2026-11-26", round_id=round_id,
                                      notes="联络员未按时报送\n\n")
    assert [p["code"] for p in problems] == ["letter.problem.spot_check", "letter.problem.completion",
                                            "letter.problem.laggard", "letter.problem.no_report", "letter.problem.text"]
    assert problems[0]["params"] == {"round": "第一轮督导", "day": "2026-11-25", "checked": 2, "installed": 2,
                                     "registered": 1, "rate": 0.5, "min_rate": 0.9}
    assert problems[1]["params"] == {"day": "2026-11-26", "completion": pytest.approx(1 / 3), "rank": 2, "units": 2,
                                     "group": "township", "installs": 20, "quota": 60, "staff": 2, "at_quota": 0}
    assert [letters.problem_text(p) for p in problems] == [
        "2026年11月25日第一轮督导抽查你单位干部职工2人，已安装2人、已注册1人，合格率50.00%，低于90.00%的要求。",
        "截至2026年11月26日，你单位在职2人，任务数60个，已安装20个，任务完成率33.33%，在乡镇（社区）2个单位中排第2名，达标0人。",
        "你单位已连续2日处于乡镇（社区）排名后1名，列入约谈名单。",
        "2026年11月26日你单位未报送安装数据。",
        "联络员未按时报送",
    ]
    assert letters.problem_text(problems[0], "en") == (
        "On 25 Nov 2026 (第一轮督导) 2 of your staff were checked: 2 installed, 1 registered; compliance 50.00%, "
        "below the required 90.00%.")


def test_a_passed_check_is_not_called_a_failure(county):
    settings.update(county, ADMIN, {"spot_check_min_rate": "50%"})
    round_id = int(supervision.list_rounds(county)["round_id"].iloc[0])
    assert letters.check_problems(county, ids(county)["T1"], round_id)[0]["code"] == "letter.problem.spot_check_passed"
    with pytest.raises(NotFound):
        letters.check_problems(county, ids(county)["T2"], round_id)


def test_candidates_are_the_laggards_and_the_failed_checks(county):
    found = letters.candidates(county, "2026-11-26")
    assert found["laggard"]["code"].tolist() == ["T1", "D3"]  # 县三局 last on the 25th, tied last on the 26th
    assert found["spot_check"]["code"].tolist() == ["T1"]


# ---- issuing and tracking ----------------------------------------------------------------

@pytest.fixture
def issued(county):
    """Four letters, looked at on 2026-11-28: replied, overdue, awaiting a reply, and a draft not yet sent."""
    u = ids(county)
    text = [{"code": "letter.problem.text", "params": {"text": "问题"}}]
    a = letters.create_reminder(county, ADMIN, u["T1"], "spot_check", text, issued_on="2026-11-20")
    b = letters.create_reminder(county, ADMIN, u["T2"], "laggard", text, issued_on="2026-11-21", reply_due="2026-11-26")
    c = letters.create_reminder(county, ADMIN, u["D1"], "manual", text, issued_on="2026-11-27")
    d = letters.create_reminder(county, ADMIN, u["D3"], "manual", text, issued_on="2026-11-28")
    for letter_id, day in ((a, "2026-11-20"), (b, "2026-11-22"), (c, "2026-11-27")):
        letters.mark_sent(county, ADMIN, letter_id, day)
    letters.record_reply(county, ADMIN, a, "2026-11-25", "已整改", Upload("整改报告.pdf", b"%PDF-1.4 reply"))
    return county, (a, b, c, d)


def test_tracking_sent_replied_overdue(issued):
    db, _ = issued
    table = letters.list_letters(db)
    assert table[["number", "code", "issued_on", "reply_due", "status"]].values.tolist() == [
        ["测反诈提〔2026〕4号", "D3", "2026-11-28", "2026-12-05", "draft"],
        ["测反诈提〔2026〕3号", "D1", "2026-11-27", "2026-12-04", "sent"],
        ["测反诈提〔2026〕2号", "T2", "2026-11-21", "2026-11-26", "overdue"],
        ["测反诈提〔2026〕1号", "T1", "2026-11-20", "2026-11-27", "replied"],
    ]
    assert letters.summary(db) == {"drafts": 1, "sent": 3, "replied": 1, "overdue": 1, "awaiting": 1}
    assert letters.summary(db, "2026-11-26") == {"drafts": 1, "sent": 3, "replied": 1, "overdue": 0, "awaiting": 2}
    assert letters.attachment(db, 1) == ("整改报告.pdf", "application/pdf", b"%PDF-1.4 reply")
    assert trail.list_audit(db, entity="reminder_letter")["action"].tolist() == ["update"] * 4 + ["create"] * 4


def test_a_late_reply_is_marked_late(issued):
    db, (_, b, _, _) = issued
    letters.record_reply(db, ADMIN, b, "2026-11-28", "已整改（逾期）")
    row = letters.list_letters(db).set_index("id").loc[b]
    assert (row["status"], row["late"]) == ("replied", True)
    assert letters.summary(db)["overdue"] == 0


@pytest.mark.parametrize("call, error", [
    (lambda db, ids_: letters.record_reply(db, ADMIN, ids_[3], "2026-11-28", "回复"), InvalidValue),  # not sent yet
    (lambda db, ids_: letters.record_reply(db, ADMIN, ids_[2], "2026-11-26", "回复"), InvalidValue),  # before sent
    (lambda db, ids_: letters.record_reply(db, ADMIN, ids_[2], "2026-11-28", " "), InvalidValue),
    (lambda db, ids_: letters.record_reply(db, ADMIN, ids_[2], "2026-11-29", "回复"), InvalidValue),
    (lambda db, ids_: letters.record_reply(db, ADMIN, 99, "2026-11-28", "回复"), NotFound),
    (lambda db, ids_: letters.mark_sent(db, ADMIN, ids_[3], "2026-11-27"), InvalidValue),  # before issue
    (lambda db, ids_: letters.create_reminder(db, ADMIN, 1, "manual", []), InvalidValue),
    (lambda db, ids_: letters.create_reminder(db, ADMIN, 1, "rumour", [{"code": "x"}]), InvalidValue),
    (lambda db, ids_: letters.create_reminder(db, ADMIN, 1, "manual", [{"code": "x"}], reply_due="2026-11-28"), InvalidValue),
])
def test_bad_tracking_is_refused(issued, call, error):
    db, letter_ids = issued
    before = letters.list_letters(db).to_dict()
    with pytest.raises(error):
        call(db, letter_ids)
    assert letters.list_letters(db).to_dict() == before


def test_an_attachment_over_the_upload_limit_is_refused(issued):
    db, (_, b, _, _) = issued
    settings.update(db, ADMIN, {"upload_max_mb": 1})
    with pytest.raises(FileRejected):
        letters.record_reply(db, ADMIN, b, "2026-11-28", "附件过大", Upload("big.pdf", b"x" * (1024 * 1024 + 1)))
    assert count(db, "letter_attachments") == 1


@pytest.mark.parametrize("role", [access.LEADER, access.COORDINATOR, access.GRID_WORKER])
def test_only_administrators_issue_and_track(issued, role):
    db, (a, b, c, d) = issued
    actor = access.Actor("someone", role, frozenset(ids(db).values()))
    for call in (lambda: letters.create_reminder(db, actor, ids(db)["T1"], "manual", [{"code": "x"}]),
                 lambda: letters.mark_sent(db, actor, d), lambda: letters.record_reply(db, actor, b, "2026-11-28", "回复")):
        with pytest.raises(AccessDenied):
            call()
    assert count(db, "reminder_letters") == 4


# ---- the printed letter ------------------------------------------------------------------

@pytest.fixture
def letter(county):
    round_id = int(supervision.list_rounds(county)["round_id"].iloc[0])
    unit = ids(county)["T1"]
    problems = letters.draft_problems(county, unit, "spot_check", day="2026-11-26", round_id=round_id)
    letter_id = letters.create_reminder(county, ADMIN, unit, "spot_check", problems, issued_on="2026-11-26",
                                        round_id=round_id)
    return letters.get_letter(county, letter_id)


def test_letter_pdf_states_the_unit_problems_figures_and_deadline(letter):
    pdf = letters_render.pdf_bytes(letter)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1 and [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]  # A4
    text = text_of(pdf).replace("\n", "")
    for expected in ("测试县打击治理电信网络诈骗违法犯罪工作领导小组办公室", "测反诈提〔2026〕1号", "提示函", "甲镇：",
                     "抽查你单位干部职工2人", "合格率50.00%", "低于90.00%", "任务完成率33.33%", "排第2名",
                     "2026年12月3日前", "2026年11月26日"):
        assert expected in text, expected


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdftotext_agrees(letter):
    pdf = letters_render.pdf_bytes(letter)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "".join(text.split()) == "".join(text_of(pdf).split())  # the same characters; spacing may differ


def test_letter_pdf_in_english(letter):
    text = text_of(letters_render.pdf_bytes(letter, "en")).replace("\n", " ")
    assert "To: 甲镇" in text and "compliance 50.00%" in text and "3 Dec 2026" in text


def test_letter_docx_is_editable_and_says_the_same(letter):
    doc = Document(io.BytesIO(letters_render.docx_bytes(letter)))
    text = "\n".join(p.text for p in doc.paragraphs)
    pdf_text = letters_render.paragraphs(letter)
    assert pdf_text["head"] in text and "甲镇：" in text and "合格率50.00%" in text and "2026年12月3日" in text
    assert round(doc.sections[0].page_width.mm) == 210 and round(doc.sections[0].page_height.mm) == 297  # A4
    assert letters_render.file_name(letter, "docx") == "提示函-测反诈提〔2026〕1号-甲镇.docx"


def test_letterhead_and_number_prefix_are_settings(county, letter):
    settings.update(county, ADMIN, {"letterhead": "测试县反诈中心", "letter_number_prefix": "测反诈函"})
    second = letters.create_reminder(county, ADMIN, ids(county)["D1"], "manual", [{"code": "letter.problem.text",
                                                                                    "params": {"text": "问题"}}])
    made = letters.get_letter(county, second)
    assert (made.letterhead, made.number) == ("测试县反诈中心", "测反诈函〔2026〕2号")
    assert "测试县反诈中心" in text_of(letters_render.pdf_bytes(made))
