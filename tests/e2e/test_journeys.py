"""The users' journeys in headless Chromium, each in Chinese and English."""

import pytest

from campaign.i18n import t
from tests.e2e.conftest import DESKTOP, PHONE, grid_rows, new_page, open_url, page_problems, settle, shot, sign_in

pytestmark = pytest.mark.e2e
LANG = {"zh-CN": "zh", "en-US": "en"}


def township_installs(page, name: str) -> int:
    rows = grid_rows(page, 0)
    row = next(r for r in rows if name in r)
    return int(row[3])


def test_coordinator_enters_on_a_phone_and_the_ranking_changes(server, browser, locale):
    lang = LANG[locale]
    page = new_page(browser, locale, DESKTOP)
    sign_in(page, server, "coord_cx", lang)
    open_url(page, server, "rankings")
    before = township_installs(page, "城厢镇")

    page.set_viewport_size(PHONE)
    open_url(page, server, "entry")
    assert "(T01)" in page.locator('[data-testid="stSelectbox"]').first.inner_text()  # only the own unit
    grid = page.locator('[data-testid="stDataFrame"]').first
    box = grid.bounding_box()
    today_column_x = box["x"] + 130  # name | installs this day | …: the second column on a phone
    for row, value in ((0, "9"), (1, "8")):
        page.mouse.dblclick(today_column_x, box["y"] + 35 * (row + 1) + 17)
        page.wait_for_timeout(300)
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
        page.keyboard.press("Enter")
        settle(page)
    assert t("entry.changed", lang, count=2) in page.inner_text("body")
    page.get_by_role("button", name=t("entry.save", lang)).click()
    settle(page, 800)
    assert page.get_by_text(t("entry.saved", lang, new=0, corrected=0, unchanged=0)[:3]).first.is_visible()
    assert page_problems(page) == []
    shot(page, f"journey1-entry-{lang}")

    page.set_viewport_size(DESKTOP)
    open_url(page, server, "rankings")
    assert township_installs(page, "城厢镇") > before
    shot(page, f"journey1-rankings-{lang}")
    page.context.close()


def test_admin_uploads_a_bad_staff_file_then_a_good_one(server, browser, locale, tmp_path):
    lang = LANG[locale]
    page = new_page(browser, locale)
    sign_in(page, server, "admin", lang)
    open_url(page, server, "data_import")
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=t("import.kind.staff", lang)).click()
    settle(page)

    bad = tmp_path / "staff_bad.csv"
    bad.write_text("单位,姓名,手机号\n城厢镇,新同事甲,13800001111\n不存在镇,新同事乙,\n城厢镇,,12345\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    settle(page, 800)
    body = page.inner_text("body")
    assert t("row.unknown_unit", lang, value="不存在镇") in body
    assert t("import.nothing_written", lang) in body
    reasons = [row[-1] for row in grid_rows(page, 0)]
    assert reasons == [t("row.unknown_unit", lang, value="不存在镇"), t("row.missing", lang),
                       t("row.bad_phone", lang, value="12345")]
    shot(page, f"journey4-bad-{lang}")

    good = tmp_path / f"staff_good_{lang}.csv"
    good.write_text(f"unit,name,phone\n城厢镇,新同事{lang},1380000{'2222' if lang == 'zh' else '3333'}\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
    settle(page, 800)
    assert t("import.clean", lang, rows=1) in page.inner_text("body")
    page.get_by_role("button", name=t("import.apply", lang)).click()
    settle(page, 800)
    assert t("import.applied", lang, rows=1, new=1, updated=0, corrected=0, unchanged=0) in page.inner_text("body")
    assert page_problems(page) == []
    shot(page, f"journey4-good-{lang}")
    page.context.close()
