"""In a real browser (issue 4): a grid worker on a phone makes a sheet of hand-out cards and downloads the PDF."""

import pytest

from tests.e2e.conftest import PHONE, new_page, shot, sign_in
from tests.test_flyers import APP_STORE, pdf_pages_text, qr_codes

pytestmark = pytest.mark.e2e


def test_grid_worker_downloads_cards_for_their_grid(server, browser, tmp_path):
    page = new_page(browser, "zh-CN", viewport=PHONE)
    sign_in(page, server.url, "grid_cx")
    page.goto(f"{server.url}/flyers")
    page.get_by_role("heading", name="二维码宣传单").wait_for()
    page.get_by_text("发放卡片（A4 多张，带裁切线）").click()
    page.get_by_role("button", name="生成 PDF").click()
    button = page.get_by_role("button", name="下载 PDF")
    button.wait_for()
    shot(page, "flyers-phone")
    with page.expect_download() as download:
        button.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "cards-G01-001.pdf"
    data = path.read_bytes()
    assert qr_codes(data) == [[APP_STORE] * 8]
    assert "编码 G01-001" in pdf_pages_text(data)[0]
    page.context.close()
