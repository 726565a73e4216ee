"""Personal cards (一人一码, issue 18): a coordinator on a phone makes one colleague's picture for WeChat Moments on
the flyers page and downloads it; its QR code leads to the landing route with that person's code."""

import sqlite3

import pytest

from campaign.infra.i18n import t
from tests.e2e.conftest import PHONE, navigate, new_page, page_problems, settle, shot, sign_in
from tests.test_flyers import png_codes

pytestmark = pytest.mark.e2e
LANG = {"zh-CN": "zh", "en-US": "en"}


def test_coordinator_downloads_a_personal_card(server, browser, locale, tmp_path):
    lang = LANG[locale]
    with sqlite3.connect(server.db_path) as conn:
        name, code = conn.execute("SELECT s.name, c.code FROM staff s JOIN scan_codes c ON c.staff_id = s.id"
                                  " JOIN units u ON u.id = s.unit_id WHERE u.code = 'D018' AND s.active = 1"
                                  " ORDER BY s.id LIMIT 1").fetchone()
    page = new_page(browser, locale, viewport=PHONE)
    sign_in(page, server, "coord_gaj", lang)
    navigate(page, "flyers", lang)
    page.get_by_role("heading", name=t("flyers.person.title", lang)).wait_for()
    assert page.get_by_role("button", name=t("flyers.person.sheet", lang, count=50)).is_visible()
    page.get_by_role("button", name=t("flyers.person.card", lang)).click()
    button = page.get_by_role("button", name=t("flyers.person.download_card", lang))
    button.wait_for(timeout=60_000)
    settle(page)
    page.get_by_test_id("stImage").last.scroll_into_view_if_needed()
    assert page_problems(page) == []
    shot(page, f"person-card-{lang}")
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == f"card-{code}.png"
    path = tmp_path / "card.png"
    download.value.save_as(path)
    assert png_codes(path.read_bytes()) == [f"http://127.0.0.1:8501/go/{code}"]
    assert name  # the card shows their name: tests/test_scans.py reads it from the PDF it is drawn from
    page.context.close()
