"""The daily bulletin (通报): exact tables for a small county, and the Excel, A4 PDF and phone PNG made from them."""

import io

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from campaign.cli import cli
from campaign.coverage import report as coverage_report
from campaign.infra import settings
from campaign.infra.errors import InvalidValue
from campaign.outreach import figures as outreach_figures
from campaign.supervision import bulletin, bulletin_render
from tests.helpers import ADMIN, load
from tests.outreach_helpers import outreach_county
from tests.test_coverage_report import POPULATION, SNAPSHOTS
from tests.test_rankings import INSTALLS

DAY = "2026-11-26"
PEERS = "县区,注册率,16-60周岁注册率,日期\n测试县,60%,85%,2026-11-25\n邻县,65%,80%,2026-11-25\n远县,50%,70%,2026-11-25"


@pytest.fixture
def county(db):
    """Two townships, three departments, every outreach channel, coverage snapshots, the city's bulletin, targets."""
    outreach_county(db)
    load(db, "installs", INSTALLS)
    load(db, "population", POPULATION)
    load(db, "registrations", SNAPSHOTS)
    load(db, "peers", PEERS)
    settings.update(db, ADMIN, {"county_name": "测试县", "laggard_bottom": 1, "laggard_days": 2,
                                "target_coverage": "70%", "target_coverage_16_60": "95%"})
    return db


@pytest.fixture
def made(county):
    return bulletin.build(county, DAY)


def rows(frame: pd.DataFrame) -> list[list]:
    return [[None if not isinstance(v, str) and pd.isna(v) else (round(v, 4) if isinstance(v, float) else v) for v in row]
            for row in frame.values.tolist()]


def pdf_text(data: bytes) -> str:
    """pypdf's text without the NULs it puts before each character of fpdf2's CID-keyed CFF font (see test_flyers)."""
    return "".join(page.extract_text().replace("\x00", "") for page in PdfReader(io.BytesIO(data)).pages)


# ---- the tables --------------------------------------------------------------------------

EXPECTED = {
    # rank, unit, staff, quota, installs, new this day, completion, change, rank change, no report
    "rank_township": [[1, "乙镇", 1, 30, 15, 5, 0.5, 0.1667, 0, False],
                      [2, "甲镇", 2, 60, 20, 0, 0.3333, 0.0, -1, True]],
    "rank_department": [[1, "县一局", 1, 30, 15, 0, 0.5, 0.0, 0, True],
                        [1, "县二局", 2, 30, 15, 10, 0.5, 0.3333, 1, False],
                        [1, "县三局", 1, 30, 15, 15, 0.5, 0.5, 2, False]],
    # group, rank, unit, completion, change, new this day: one each (groups of 2 and 3 units)
    "top": [["township", 1, "乙镇", 0.5, 0.1667, 5], ["department", 1, "县一局", 0.5, 0.0, 0]],
    "bottom": [["township", 2, "甲镇", 0.3333, 0.0, 0], ["department", 1, "县三局", 0.5, 0.5, 15]],
    "no_report": [["township", "甲镇", 0.3333, 20], ["department", "县一局", 0.5, 15]],
    # bottom 1 of the group on both the 25th and the 26th
    "laggards": [["township", 2, "甲镇", 0.3333, 20, 2], ["department", 1, "县三局", 0.5, 15, 1]],
    # channel, units, denominator, reached, reach, installs through the day, installs that day, coverage
    "outreach": [["schools", 4, 100, 100, 1.0, 73, 0, 0.68],
                 ["grids", 4, 350, 130, 0.3714, 52, 0, 0.1486],
                 ["enterprises", 4, 350, 230, 0.6571, 160, 40, 0.4429],
                 ["windows", 3, 3, 0, 0.0, 4, 1, 0.0]],
    # the city's bulletin of the 25th with today's computed figure (snapshot of the 21st: 3,700 / 6,000)
    "city": [[1, "邻县", 0.65, 0.8, ""], [None, "测试县", 0.6167, 0.8333, "computed"], [2, "测试县", 0.6, 0.85, "own"],
             [3, "远县", 0.5, 0.7, ""]],
}


@pytest.mark.parametrize("key", list(EXPECTED))
def test_bulletin_tables(made, key):
    assert list(made.tables[key].columns) == bulletin.TABLES[key]
    assert rows(made.tables[key]) == EXPECTED[key]


def test_headline(made):
    h = made.headline
    assert (h["installs"], h["installs_day"], h["quota_total"], h["staff"], h["staff_at_quota"]) == (80, 30, 180, 7, 0)
    assert h["completion"] == pytest.approx(80 / 180) and h["needed_per_day"] == 5 and h["days_left"] == 24
    assert (h["units"], h["units_no_report"], h["laggards"], h["outreach_installs"]) == (5, 2, 2, 289)
    assert h["groups"]["township"] == {"units": 2, "completion": pytest.approx(35 / 90), "no_report": 1}
    cover = made.coverage
    assert (cover["as_of"], cover["population"], cover["registered"]) == ("2026-11-21", 6000, 3700)
    assert cover["gap"] == {"coverage": 500, "coverage_16_60": 490}  # ceil(70% × 6,000 − 3,700), ceil(95% × 4,200 − 3,500)
    assert {k: cover["city_rank"][k] for k in ("coverage", "coverage_16_60", "counties")} == {
        "coverage": 2, "coverage_16_60": 1, "counties": 3}


def test_headline_lines_in_chinese(made):
    lines = dict(bulletin_render.headline_lines(made))
    assert lines["注册覆盖率"] == "61.67%（市目标 70.00%，还差 500 人）（2026年11月21日数据）"
    assert lines["16-60岁注册覆盖率"] == "83.33%（市目标 95.00%，还差 490 人）（2026年11月21日数据）"
    assert lines["全市排名"] == "第 2 名（16-60岁第 1 名），共 3 个县（市、区）；市2026年11月25日通报第 2 名"
    assert lines["累计安装"] == "80 个 / 任务 180 个，完成率 44.44%"
    assert lines["当日未报单位"] == "2 / 5" and lines["约谈单位"] == "2" and lines["分渠道推广累计安装"] == "289"


def test_the_bulletin_takes_its_figures_from_the_features_that_own_them(made, county):
    report = coverage_report.report(county, DAY)
    assert made.coverage["coverage"] == report["coverage"] and made.coverage["city_rank"] == report["city_rank"]
    summary = outreach_figures.summary(county, DAY)
    assert made.tables["outreach"]["installs"].tolist() == [line["installs"] for line in summary]


def test_without_population_the_coverage_says_so(db):
    from tests.helpers import small_county

    small_county(db)
    made = bulletin.build(db, "2026-11-28")
    assert made.coverage is None and made.tables["city"].empty
    assert dict(bulletin_render.headline_lines(made))["注册覆盖率"] == "尚未导入人口数据，无法计算"
    assert dict(bulletin_render.headline_lines(made, "en"))["Coverage"] == "No population imported yet"
    assert bulletin_render.png_bytes(made)[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_future_day_is_refused(county):
    with pytest.raises(InvalidValue):
        bulletin.build(county, "2026-11-29")


def test_letters_and_spot_checks_reach_the_headline(county):
    from campaign.supervision import letters
    from campaign.supervision import spot_checks as supervision

    people = {name: sid for sid, name in county.execute("SELECT id, name FROM staff")}
    unit = county.execute("SELECT id FROM units WHERE code = 'T1'").fetchone()[0]
    round_id = supervision.add_round(county, ADMIN, "第一轮督导", "2026-11-25")
    supervision.record_check(county, ADMIN, round_id, unit, "2026-11-25", "组", [(people["张一"], True, False)])
    letter = letters.create_reminder(county, ADMIN, unit, "manual", [{"code": "letter.problem.text", "params": {"text": "x"}}],
                                     issued_on="2026-11-18")
    letters.mark_sent(county, ADMIN, letter, "2026-11-18")
    lines = dict(bulletin_render.headline_lines(bulletin.build(county, DAY)))
    assert lines["提示函"] == "已发 1 份，已回复 0 份，逾期 1 份"
    assert lines["最近一轮督导抽查"] == "第一轮督导：抽查 1 人，合格率 0.00%，1 个单位低于 90.00%"


# ---- the files ---------------------------------------------------------------------------

def test_excel_has_a_sheet_per_table_with_chinese_headers(made):
    book = load_workbook(io.BytesIO(bulletin_render.xlsx_bytes(made)))
    assert book.sheetnames == ["概况", "全市排名", "乡镇（社区）排名", "县直单位排名", "排名靠前单位", "排名靠后单位",
                               "当日未报单位", "约谈名单", "分渠道推广"]
    ranking = [[c.value for c in row] for row in book["乡镇（社区）排名"].iter_rows()]
    assert ranking[0] == ["名次", "单位", "人数", "任务数", "累计安装", "当日新增", "完成率", "较前日(百分点)", "名次变化", "当日未报"]
    assert ranking[1][:7] == [1, "乙镇", 1, 30, 15, 5, 0.5] and ranking[1][7] == pytest.approx(16.666667)
    assert ranking[2][1] == "甲镇" and ranking[2][9] == "未报"
    assert book["乡镇（社区）排名"]["G2"].number_format == "0.00%"
    outreach = [[c.value for c in row] for row in book["分渠道推广"].iter_rows()]
    assert outreach[0] == ["渠道", "单位数", "对象数", "已触达", "触达率", "累计安装", "当日安装", "覆盖率"]
    assert [r[0] for r in outreach[1:]] == ["学校（家长）", "网格（住户）", "企业（员工）", "服务窗口"]
    assert [r[5] for r in outreach[1:]] == [73, 52, 160, 4]
    overview = {row[0].value: row[1].value for row in book["概况"].iter_rows(min_row=2)}
    assert overview["全市排名"].startswith("第 2 名")


def test_excel_in_english(made):
    book = load_workbook(io.BytesIO(bulletin_render.xlsx_bytes(made, "en")))
    assert book.sheetnames[:3] == ["Overview", "City ranking", "Townships ranking"]
    assert [c.value for c in book["Laggard list"][1]] == ["Group", "Rank", "Unit", "Completion", "Installs", "Staff"]


def test_pdf_is_a4_and_holds_the_names_and_figures(made):
    data = bulletin_render.pdf_bytes(made)
    reader = PdfReader(io.BytesIO(data))
    assert all([round(float(v)) for v in page.mediabox[2:]] == [595, 842] for page in reader.pages)
    text = pdf_text(data)
    for expected in ("测试县国家反诈中心APP推广工作通报", "2026年11月26日", "61.67%", "还差 500 人", "第 2 名", "共 3 个县",
                     "乙镇", "甲镇", "县一局", "县二局", "县三局", "邻县", "远县", "约谈名单", "学校（家长）", "160",
                     "+16.7", "44.44%", "↑2", "未报"):
        assert expected in text, expected


def test_png_is_a_long_phone_image(made):
    image = Image.open(io.BytesIO(bulletin_render.png_bytes(made)))
    assert image.format == "PNG" and image.mode == "RGB"
    assert image.size == (1080, 3951)  # 1080 px wide (a phone at 3×); this county's content is 3,951 px long
    assert image.getpixel((5, 5)) == bulletin_render.RED  # the title band
    english = Image.open(io.BytesIO(bulletin_render.png_bytes(made, "en")))
    assert english.width == 1080 and english.height > 1080


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_cell_of_the_phone_image_is_cut(demo_db, lang):
    """Every header and cell of the PNG's tables is drawn whole: wrapped within its column, never shortened."""
    from PIL import ImageDraw

    from campaign.infra.fonts import pil_font

    made = bulletin.build(demo_db, "2026-11-28")
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    width = bulletin_render.PNG_WIDTH - 96
    for key in bulletin_render.PNG_SECTIONS:
        columns = bulletin_render.PNG_COLUMNS[key]
        lefts, header_lines, rows = bulletin_render.png_table_layout(draw, made, key, lang, 48, width)
        limits = [right - left - 16 for left, right in zip(lefts, lefts[1:] + [48 + width])]
        shown = [[bulletin_render.header(c, lang) for c in columns]] + [
            [bulletin_render.cell(c, v, lang) for c, v in zip(columns, row)]
            for row in made.tables[key][columns].itertuples(index=False)]
        for size, texts, cells in zip([26] + [30] * len(rows), shown, [header_lines] + rows):
            for text, lines, limit in zip(texts, cells, limits):
                assert "".join(lines).replace(" ", "") == text.replace(" ", ""), (key, text, lines)
                assert all(draw.textlength(line, font=pil_font(size)) <= limit for line in lines), (key, lines)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_cell_of_the_pdf_is_cut(demo_db, lang):
    """The A4 PDF shortens a cell wider than its column with …: in the demo county none is (names, marks, figures)."""
    from campaign.infra.fonts import FAMILY, new_pdf

    made = bulletin.build(demo_db, "2026-11-28")
    pdf = new_pdf()
    pdf.set_margins(12, 12, 12)  # as pdf_bytes
    pdf.add_page()
    pdf.set_font(FAMILY, size=8.5)
    for key in made.tables:
        columns = bulletin_render.TABLES[key]
        shares = [bulletin_render.PDF_WIDTHS.get(c, 1.0) for c in columns]
        for values in bulletin_render.display(made, key, lang).itertuples(index=False):
            for share, value in zip(shares, values):
                assert pdf.get_string_width(str(value)) <= pdf.epw * share / sum(shares) - 2, (key, value)


def test_the_bulletin_gives_rates_as_the_city_ranks_them(demo_db):
    """Two decimals everywhere (the city's bulletin says 54.94%), in the PDF and the phone image's cards."""
    made = bulletin.build(demo_db, "2026-11-28")
    assert "54.94%" in pdf_text(bulletin_render.pdf_bytes(made))
    assert bulletin_render.cards(made)[0][1] == "54.94%" and bulletin_render.cards(made)[1][1] == "93.67%"


def test_charts_render_without_a_browser(made):
    for image in (bulletin_render.township_chart(made), bulletin_render.progress_chart(made)):
        assert image.mode == "RGB" and image.width == 1400  # 7 in at 200 dpi
        assert len(set(image.resize((70, 20)).getdata())) > 3  # something was drawn


# ---- the command line --------------------------------------------------------------------

@pytest.mark.parametrize("suffix, magic", [("xlsx", b"PK"), ("pdf", b"%PDF"), ("png", b"\x89PNG")])
def test_cli_writes_the_bulletin(county, tmp_path, monkeypatch, suffix, magic):
    path = county.conn.execute("PRAGMA database_list").fetchone()[2]
    monkeypatch.setenv("CAMPAIGN_DB", path)
    out = tmp_path / f"通报.{suffix}"
    result = CliRunner().invoke(cli, ["bulletin", "--date", DAY, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic) and f"bulletin {DAY} written" in result.output


def test_cli_refuses_an_unknown_format_and_a_future_day(county, tmp_path, monkeypatch):
    monkeypatch.setenv("CAMPAIGN_DB", county.conn.execute("PRAGMA database_list").fetchone()[2])
    result = CliRunner().invoke(cli, ["bulletin", "--out", str(tmp_path / "x.docx")])
    assert result.exit_code != 0 and not (tmp_path / "x.docx").exists()
    result = CliRunner().invoke(cli, ["bulletin", "--date", "2026-11-29", "--out", str(tmp_path / "x.png")])
    assert result.exit_code == 1 and not (tmp_path / "x.png").exists()


# ---- the demo county ---------------------------------------------------------------------

def test_demo_bulletin_has_real_coverage_and_outreach(demo_db):
    made = bulletin.build(demo_db, "2026-11-28")
    report = coverage_report.report(demo_db, "2026-11-28")
    assert made.coverage["coverage"] == report["coverage"] and made.coverage["city_rank"]["counties"] > 1
    assert made.tables["outreach"]["installs"].sum() > 0 and made.headline["outreach_installs"] > 0
    assert len(made.tables["rank_township"]) == 10 and len(made.tables["rank_department"]) == 109
    assert made.headline["letters"]["sent"] == 7 and made.headline["supervision"]["round"] == "第三轮督导"
    text = pdf_text(bulletin_render.pdf_bytes(made))
    assert f"{report['coverage']:.2%}" in text and "城厢镇" in text
