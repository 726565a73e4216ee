"""Responsibility letters as documents (issue 20): each unit's 《防范电信网络诈骗责任书》 from the template the
administrators edit (PDF with the CJK font embedded, .docx), the signed scan (PDF or image, type read from its
bytes, size-limited), and the register's signed / unsigned / scan missing."""

import io
import json
import shutil
import subprocess

import pytest
from docx import Document as Word
from pypdf import PdfReader

from campaign.infra import settings
from campaign.infra.errors import AccessDenied, FileRejected, InvalidValue
from campaign.infra.tables import Upload
from campaign.org import access
from campaign.supervision import letters, responsibility, responsibility_render
from tests.helpers import ADMIN, run, small_county

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def county(db):
    small_county(db)  # 县二局 (D2): quota 10, 赵一 (10) and 赵二 (20)
    settings.update(db, ADMIN, {"county_name": "测试县", "campaign_name": "反诈APP推广"})
    ids = {code: uid for uid, code in db.execute("SELECT id, code FROM units")}
    letters.sign(db, ADMIN, ids["D2"], "2026-11-21", "王局长")
    return db, ids


def flat(text: str) -> str:
    return "".join(text.split())


def pdf_text(data: bytes) -> str:
    """pypdf's text without the NULs it reads before each character of fpdf2's CID font (see test_supervision_letters)."""
    return "".join(page.extract_text().replace("\x00", "") for page in PdfReader(io.BytesIO(data)).pages)


def test_each_unit_s_letter_is_filled_in(county):
    db, ids = county
    d2, t1 = responsibility.documents(db, [ids["D2"]])[0], responsibility.documents(db, [ids["T1"]])[0]
    assert d2.title == t1.title == "防范电信网络诈骗责任书"
    body = flat("\n".join(d2.lines))
    for expected in ("测试县打击治理电信网络诈骗违法犯罪工作领导小组（以下简称甲方）与县二局（以下简称乙方）",
                     "乙方在职干部职工2人，每人动员亲友安装并注册国家反诈中心APP不少于10个，全单位任务数30个，于2026年12月19日前全部完成",
                     "落实行业监管责任", "本责任书自2026年11月20日起至2026年12月19日止", "负责人（签字）：王局长", "签订日期：2026年11月21日"):
        assert flat(expected) in body, expected
    town = flat("\n".join(t1.lines))
    assert "每人动员亲友安装并注册国家反诈中心APP不少于30个，全单位任务数60个" in town and "落实属地责任" in town
    assert "签订日期：年月日" in town and "负责人（签字）：＿＿＿＿＿＿＿＿" in town  # not signed yet: blanks to fill by hand


def test_the_pdf_embeds_the_font_and_says_the_same(county):
    db, ids = county
    doc = responsibility.documents(db, [ids["D2"]])[0]
    pdf = responsibility_render.pdf_bytes([doc])
    text = flat(pdf_text(pdf))
    assert text.startswith("防范电信网络诈骗责任书") and flat("\n".join(doc.lines)) in text
    fonts = [page["/Resources"]["/Font"] for page in PdfReader(io.BytesIO(pdf)).pages]
    descendant = next(iter(fonts[0].values())).get_object()["/DescendantFonts"][0].get_object()
    assert "/FontFile2" in descendant["/FontDescriptor"] or "/FontFile3" in descendant["/FontDescriptor"]  # embedded
    if shutil.which("pdftotext"):
        poppler = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert flat(poppler) == text
    every = responsibility.documents(db)
    assert len(PdfReader(io.BytesIO(responsibility_render.pdf_bytes(every))).pages) == len(every) == 5


def test_no_closing_punctuation_opens_a_line(county):
    db, ids = county
    pdf = responsibility_render.pdf_bytes(responsibility.documents(db))
    for line in pdf_text(pdf).splitlines():
        assert not line.strip() or line.strip()[0] not in "，。、；：？！）》", line


def test_the_docx_says_the_same(county):
    db, ids = county
    doc = responsibility.documents(db, [ids["D2"]])[0]
    word = Word(io.BytesIO(responsibility_render.docx_bytes(doc)))
    assert flat("".join(p.text for p in word.paragraphs)) == flat(doc.title + "".join(doc.lines))


def test_an_edited_template_is_used_audited_and_can_be_reset(county):
    db, ids = county
    responsibility.save_template(db, ADMIN, "body", "{unit}目标责任书\r\n\r\n{unit}：任务 {quota_total} 个，{deadline} 前完成。\n{duties}")
    responsibility.save_template(db, ADMIN, "duties.department", "带头安装。")
    doc = responsibility.documents(db, [ids["D2"]])[0]
    assert (doc.title, doc.lines) == ("县二局目标责任书", ("", "县二局：任务 30 个，2026年12月19日 前完成。", "带头安装。"))
    assert responsibility.edited(db) == {"body": True, "duties.township": False, "duties.department": True}
    old, new = db.execute("SELECT old, new FROM audit WHERE entity = 'letter_template' ORDER BY id LIMIT 1").fetchone()
    assert old is None and "{quota_total}" in new
    responsibility.reset_template(db, ADMIN, "body")
    assert responsibility.documents(db, [ids["D2"]])[0].title == "防范电信网络诈骗责任书"


@pytest.mark.parametrize("text, code", [
    ("", "resp.empty_template"), ("   \n ", "resp.empty_template"),
    ("{unit} 与 {boss}", "resp.bad_placeholder"), ("{unit.__class__}", "resp.bad_placeholder"),
    ("{0}", "resp.bad_placeholder"), ("{}", "resp.bad_placeholder"), ("金额 {unit", "resp.bad_placeholder"),
    ("长" * 20_001, "resp.template_too_long"),
])
def test_a_bad_template_is_refused(county, text, code):
    db, _ = county
    with pytest.raises(InvalidValue) as caught:
        responsibility.save_template(db, ADMIN, "body", text)
    assert caught.value.code == code
    assert db.execute("SELECT COUNT(*) FROM letter_templates").fetchone()[0] == 0


@pytest.mark.parametrize("name, data, mime", [("扫描件.pdf", PDF, "application/pdf"), ("scan.PNG", PNG, "image/png"),
                                              ("scan.jpg", JPEG, "image/jpeg"), ("scan.jpeg", JPEG, "image/jpeg")])
def test_a_scan_is_attached_and_the_register_says_so(county, name, data, mime):
    db, ids = county
    register = letters.responsibility(db).set_index("code")
    assert register.loc["D2", "status"] == "scan_missing" and register.loc["T1", "status"] == "unsigned"
    responsibility.attach_scan(db, ADMIN, ids["D2"], Upload(name, data))
    assert responsibility.scan(db, ids["D2"]) == (name, mime, data)
    register = letters.responsibility(db).set_index("code")
    assert (register.loc["D2", "status"], register.loc["D2", "scan"]) == ("signed", name)
    assert db.execute("SELECT action FROM audit WHERE entity = 'responsibility_scan'").fetchall() == [("attach",)]
    letters.unsign(db, ADMIN, ids["D2"])  # withdrawn: the scan goes with the signature
    assert responsibility.scan(db, ids["D2"]) is None and letters.responsibility(db).set_index("code").loc["D2", "status"] == "unsigned"


@pytest.mark.parametrize("name, data, code", [
    ("scan.pdf", PNG, "resp.scan_not_as_named"), ("scan.png", PDF, "resp.scan_not_as_named"),
    ("scan.exe", b"MZ\x90\x00" + b"\x00" * 64, "resp.scan_type"), ("scan.pdf", b"<html>not a pdf</html>", "resp.scan_type"),
    ("scan.pdf", b"", "resp.scan_type"), ("scan.docx", PDF, "resp.scan_not_as_named"),
])
def test_a_bad_scan_is_refused(county, name, data, code):
    db, ids = county
    with pytest.raises(FileRejected) as caught:
        responsibility.attach_scan(db, ADMIN, ids["D2"], Upload(name, data))
    assert caught.value.code == code
    assert responsibility.scan(db, ids["D2"]) is None


def test_a_scan_within_the_upload_limit_and_of_a_signed_unit(county):
    db, ids = county
    settings.update(db, ADMIN, {"upload_max_mb": 1})
    with pytest.raises(FileRejected) as caught:
        responsibility.attach_scan(db, ADMIN, ids["D2"], Upload("big.pdf", PDF + b"0" * (1024 * 1024)))
    assert caught.value.code == "file.too_large"
    with pytest.raises(InvalidValue) as caught:
        responsibility.attach_scan(db, ADMIN, ids["T1"], Upload("scan.pdf", PDF))
    assert caught.value.code == "resp.sign_first"
    assert db.execute("SELECT COUNT(*) FROM responsibility_scans").fetchone()[0] == 0


@pytest.mark.parametrize("role", [access.LEADER, access.COORDINATOR, access.GRID_WORKER])
def test_only_administrators_edit_and_attach(county, role):
    db, ids = county
    actor = access.Actor("x", role, frozenset({ids["D2"]}))
    before = db.conn.total_changes
    for call in (lambda: responsibility.save_template(db, actor, "body", "{unit}"),
                 lambda: responsibility.reset_template(db, actor, "body"),
                 lambda: responsibility.attach_scan(db, actor, ids["D2"], Upload("scan.pdf", PDF))):
        with pytest.raises(AccessDenied):
            call()
    assert db.conn.total_changes == before


def test_the_command_line_register_letter_and_scan(county, tmp_path):
    db, ids = county
    path = db.execute("PRAGMA database_list").fetchone()[2]
    rows = json.loads(run(path, "report", "responsibility", "--format", "json").stdout)
    assert {r["code"]: (r["status"], r["signed_by"], r["scan"]) for r in rows} == {
        "T1": ("unsigned", None, None), "T2": ("unsigned", None, None), "D1": ("unsigned", None, None),
        "D2": ("scan_missing", "王局长", None), "D3": ("unsigned", None, None)}
    assert list(rows[0]) == ["code", "unit", "group", "signed_on", "signed_by", "scan", "status"]
    made = run(path, "responsibility", "letter", "D2", "--out", tmp_path / "d2.docx")
    assert made.returncode == 0
    assert "县二局" in flat("".join(p.text for p in Word(tmp_path / "d2.docx").paragraphs))
    assert run(path, "responsibility", "letter", "--out", tmp_path / "all.pdf").returncode == 0
    assert len(PdfReader(tmp_path / "all.pdf").pages) >= 5  # every ranked unit's letter
    bad = run(path, "responsibility", "letter", "--out", tmp_path / "all.docx")
    assert bad.returncode == 1 and "pdf" in bad.stderr and not (tmp_path / "all.docx").exists()
    assert run(path, "responsibility", "letter", "无此单位", "--out", tmp_path / "x.pdf").returncode == 1
    (tmp_path / "scan.pdf").write_bytes(PDF)
    (tmp_path / "fake.pdf").write_bytes(PNG)
    refused = run(path, "responsibility", "attach", "D2", tmp_path / "fake.pdf")
    assert refused.returncode == 1 and responsibility.scan(db, ids["D2"]) is None
    assert run(path, "responsibility", "attach", "县二局", tmp_path / "scan.pdf").returncode == 0
    assert responsibility.scan(db, ids["D2"]) == ("scan.pdf", "application/pdf", PDF)
    rows = json.loads(run(path, "report", "responsibility", "--format", "json").stdout)
    assert [(r["status"], r["scan"]) for r in rows if r["code"] == "D2"] == [("signed", "scan.pdf")]
