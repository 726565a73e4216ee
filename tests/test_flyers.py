"""QR-code flyers on synthetic locations: the PDF's text, every QR code decoded, pictures, the QR target rules.

Independent checks: pypdf (and poppler's pdftotext) read the text back; pypdfium2 renders each
page and zxing-cpp decodes every QR code on it.
"""

import io
import shutil
import subprocess

import pypdf
import pypdfium2
import pytest
import zxingcpp
from PIL import Image

from campaign.flyers import render as flyers
from campaign.flyers import spec
from campaign.flyers.render import Location, Options
from campaign.infra.errors import InvalidValue

APP_STORE = "https://apps.apple.com/cn/app/id1552823102"
TITLE = "下载国家反诈中心APP"
FALLBACK = {"poster": "在手机应用市场搜索「国家反诈中心」", "cards": "应用市场搜索「国家反诈中心」",
            "slip": "在手机应用市场搜索「国家反诈中心」"}
PLACES = [
    Location("W001", "农业银行城厢支行1号柜台", "window", "县农业银行", "城厢镇"),
    Location("G01-003", "城南社区第3网格", "grid", "城南社区", "城厢镇", contact="网格员 田明英 19973712444"),
    Location("S01-07-12", "六年(2)班", "class", "城厢中心小学", "城厢镇"),
]


def pdf_pages_text(data: bytes) -> list[str]:
    """Each page's text as pypdf extracts it.

    pypdf 7 reads fpdf2's embedded encoding CMap of a CID-keyed CFF font (Noto Sans SC) as one-byte
    codes, so every character comes with a NUL before it; dropping the NULs gives the exact text
    (pdftotext, which reads the CMap, agrees: see test_pdftotext_agrees).
    """
    return [page.extract_text().replace("\x00", "") for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def qr_codes(data: bytes, dpi: int = 200) -> list[list[str]]:
    """Every QR code decoded on each page, rendered at `dpi`."""
    document = pypdfium2.PdfDocument(data)
    try:
        return [[found.text for found in zxingcpp.read_barcodes(page.render(scale=dpi / 72).to_pil(),
                                                                 formats=zxingcpp.BarcodeFormat.QRCode)]
                for page in document]
    finally:
        document.close()


def png_codes(data: bytes) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)), formats=zxingcpp.BarcodeFormat.QRCode)]


@pytest.mark.parametrize("kind, per_page", [("poster", 1), ("cards", 8), ("slip", 2)])
def test_each_page_has_title_code_fallback_and_decodable_qr(kind, per_page):
    data = flyers.render_pdf(kind, PLACES, Options())
    texts, codes = pdf_pages_text(data), qr_codes(data)
    assert len(texts) == len(codes) == len(PLACES)
    for place, text, found in zip(PLACES, texts, codes):
        assert TITLE in text
        assert place.code in text
        assert FALLBACK[kind] in text
        assert "96110" in text
        assert found == [APP_STORE] * per_page
    assert "守护群众钱袋子" in texts[0] if kind == "poster" else True


@pytest.mark.parametrize("kind", flyers.KINDS)
def test_template_gives_each_location_its_own_code(kind):
    data = flyers.render_pdf(kind, PLACES, Options(target="https://fz.example.gov.cn/q/{code}?from=flyer"))
    for place, found in zip(PLACES, qr_codes(data)):
        assert set(found) == {f"https://fz.example.gov.cn/q/{place.code}?from=flyer"}


@pytest.mark.parametrize("cards", flyers.CARD_COUNTS)
def test_card_sheet_has_n_decodable_cards(cards):
    data = flyers.render_pdf("cards", PLACES[1:2], Options(cards=cards))
    assert qr_codes(data) == [[APP_STORE] * cards]
    assert pdf_pages_text(data)[0].count("编码 G01-003") == cards
    assert pdf_pages_text(data)[0].count("网格员 田明英 19973712444") == cards


@pytest.mark.parametrize("kind, copies, pages", [("poster", 1, 3), ("poster", 3, 9), ("cards", 2, 6), ("slip", 5, 15)])
def test_copies_repeat_each_location_in_order(kind, copies, pages):
    data = flyers.render_pdf(kind, PLACES, Options(copies=copies))
    texts = pdf_pages_text(data)
    assert len(texts) == pages
    assert [next(p.code for p in PLACES if p.code in text) for text in texts] == \
        [p.code for p in PLACES for _ in range(copies)]


def test_the_slip_has_a_receipt_for_the_head_teacher():
    text = pdf_pages_text(flyers.render_pdf("slip", PLACES[2:], Options()))[0]
    for words in ("回　执", "学生姓名", "家长已安装并注册", "家长签名", "学校：城厢中心小学", "班级：六年(2)班",
                  "（编码 S01-07-12）", "交班主任"):
        assert text.count(words) == 2, words  # two slips per A4 page


def test_poster_names_the_window_host_and_issuer():
    text = pdf_pages_text(flyers.render_pdf("poster", PLACES[:1], Options(county="全南县（演示）", campaign="推广（演示）")))[0]
    for words in ("服务窗口：农业银行城厢支行1号柜台", "所属单位：县农业银行", "城厢镇", "点位编码", "全南县（演示） · 推广（演示）", APP_STORE):
        assert words in text


def test_pdftotext_agrees():
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    data = flyers.render_pdf("poster", PLACES[:1], Options())
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert TITLE in text and "W001" in text and "「国家反诈中心」" in text


def test_font_is_embedded_subset():
    reader = pypdf.PdfReader(io.BytesIO(flyers.render_pdf("poster", PLACES[:1], Options())))
    fonts = list(reader.pages[0]["/Resources"]["/Font"].values())
    assert len(fonts) == 1
    font = fonts[0].get_object()
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    assert "+NotoSansSC" in font["/BaseFont"]  # subset tag
    assert "/FontFile3" in descriptor or "/FontFile2" in descriptor


@pytest.mark.parametrize("kind, size_mm, dpi", [
    ("poster", (210, 297), 150),
    ("cards", (97, 281 / 4), 300),
    ("slip", (210, 148.5), 300),
])
def test_picture_of_one_flyer_decodes(kind, size_mm, dpi):
    png = flyers.render_png(kind, PLACES[1], Options(target="https://fz.example.gov.cn/q/{code}"))
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == tuple(round(v * dpi / 25.4) for v in size_mm)
    assert png_codes(png) == ["https://fz.example.gov.cn/q/G01-003"]


def test_qr_is_built_once_per_distinct_target():
    flyers.qr_path.cache_clear()
    many = [Location(f"X{i:03d}", f"点位{i}") for i in range(30)]
    flyers.render_pdf("cards", many, Options())  # 240 cards
    assert flyers.qr_path.cache_info().misses == 1
    flyers.render_pdf("poster", many, Options(target="https://fz.example.gov.cn/{code}"))
    assert flyers.qr_path.cache_info().misses == 31


def test_qr_rectangles_cover_exactly_the_dark_modules():
    import segno

    matrix = segno.make(APP_STORE, error="m", micro=False).matrix
    size, rects = flyers.qr_rects(APP_STORE)
    painted = {(r + dr, c + dc) for r, c, w, h in rects for dr in range(h) for dc in range(w)}
    dark = {(r, c) for r, row in enumerate(matrix) for c, value in enumerate(row) if value}
    assert size == len(matrix) and painted == dark
    assert sum(w * h for _, _, w, h in rects) == len(dark)  # no overlaps


@pytest.mark.parametrize("value, expected", [
    (APP_STORE, APP_STORE),
    ("  https://fz.example.gov.cn/q/{code}  ", "https://fz.example.gov.cn/q/{code}"),
    ("http://10.1.2.3/app?loc={code}&src=flyer", "http://10.1.2.3/app?loc={code}&src=flyer"),
    ("https://example.gov.cn", "https://example.gov.cn"),
])
def test_valid_targets(value, expected):
    assert spec.parse_target(value) == expected


@pytest.mark.parametrize("value, code", [
    ("", "flyers.error.bad_target"),
    ("apps.apple.com/cn/app/id1552823102", "flyers.error.bad_target"),
    ("ftp://example.gov.cn/x", "flyers.error.bad_target"),
    ("https://example.gov.cn/{name}", "flyers.error.bad_target"),
    ("https://example.gov.cn/{code", "flyers.error.bad_target"),
    ("https://exa mple.gov.cn/", "flyers.error.bad_target"),
    ("https://localhost/x", "flyers.error.bad_target"),
    ("https://example.gov.cn/" + "a" * 300, "flyers.error.target_too_long"),
])
def test_invalid_targets(value, code):
    with pytest.raises(InvalidValue) as caught:
        spec.parse_target(value)
    assert caught.value.code == code


@pytest.mark.parametrize("template, code, expected", [
    (APP_STORE, "W001", APP_STORE),
    ("https://fz.example.gov.cn/q/{code}", "G01-003", "https://fz.example.gov.cn/q/G01-003"),
    ("https://fz.example.gov.cn/q?c={code}", "城厢/1 号", "https://fz.example.gov.cn/q?c=%E5%9F%8E%E5%8E%A2%2F1%20%E5%8F%B7"),
])
def test_target_for(template, code, expected):
    assert spec.target_for(template, code) == expected
    assert spec.one_per_location(template) == ("{code}" in template)


@pytest.mark.parametrize("kind, options, code", [
    ("banner", Options(), "flyers.error.unknown_kind"),
    ("cards", Options(cards=7), "flyers.error.bad_cards"),
    ("poster", Options(copies=0), "flyers.error.bad_copies"),
    ("poster", Options(copies=flyers.MAX_COPIES + 1), "flyers.error.bad_copies"),
    ("poster", Options(target="not a url"), "flyers.error.bad_target"),
])
def test_bad_options_are_refused(kind, options, code):
    with pytest.raises(InvalidValue) as caught:
        flyers.render_pdf(kind, PLACES, options)
    assert caught.value.code == code


@pytest.mark.parametrize("kind, cards, pieces", [("poster", 8, 1), ("cards", 8, 8), ("cards", 12, 12), ("slip", 8, 2)])
def test_pieces_per_page(kind, cards, pieces):
    assert flyers.pieces_per_page(kind, cards) == pieces


def test_progress_is_reported_per_location():
    seen = []
    flyers.render_pdf("poster", PLACES, Options(copies=2), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
