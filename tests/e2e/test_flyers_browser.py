"""Journey 3 (issues 4 and 8): a grid worker on a phone makes a sheet of hand-out cards and downloads the PDF.

The flyer itself is printed in Chinese for residents whatever the screen's language."""

import pytest

from campaign.infra.i18n import t
from tests.e2e.conftest import PHONE, navigate, new_page, page_problems, shot, sign_in
from tests.test_flyers import pdf_pages_text, qr_codes

pytestmark = pytest.mark.e2e
LANG = {"zh-CN": "zh", "en-US": "en"}


def test_grid_worker_downloads_cards_for_their_grid(server, browser, locale, tmp_path):
    lang = LANG[locale]
    page = new_page(browser, locale, viewport=PHONE)
    sign_in(page, server, "grid_cx", lang)
    navigate(page, "flyers", lang)
    page.get_by_role("heading", name=t("flyers.title", lang)).wait_for()
    page.get_by_text(t("flyers.kind.cards", lang)).click()
    page.get_by_role("button", name=t("flyers.make", lang)).click()
    button = page.get_by_role("button", name=t("flyers.download_pdf", lang))
    button.wait_for()
    assert page_problems(page) == []
    shot(page, f"journey3-flyers-{lang}")
    with page.expect_download() as download:
        button.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "cards-G01-001.pdf"
    data = path.read_bytes()
    assert qr_codes(data) == [["http://127.0.0.1:8501/go/G01-001"] * 8]  # the demo's landing route (issue 18)
    assert "编码 G01-001" in pdf_pages_text(data)[0]
    page.context.close()
