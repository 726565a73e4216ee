"""The users' journeys in headless Chromium, each in Chinese and English."""

import pytest

from campaign.i18n import t
from tests.e2e.conftest import grid_rows, new_page, open_url, page_problems, settle, shot, sign_in

pytestmark = pytest.mark.e2e
LANG = {"zh-CN": "zh", "en-US": "en"}


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
    assert t("import.nothing_written", lang) in page.inner_text("body")
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
