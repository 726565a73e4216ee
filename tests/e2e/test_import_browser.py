"""Journey 4 (issue 8): an administrator uploads a bad staff file, then a good one (Chinese and English)."""

import pytest
from playwright.sync_api import expect

from campaign.i18n import t
from tests.e2e.conftest import grid_rows, navigate, new_page, page_problems, settle, shot, sign_in, upload

pytestmark = pytest.mark.e2e
LANG = {"zh-CN": "zh", "en-US": "en"}


def test_admin_uploads_a_bad_staff_file_then_a_good_one(server, browser, locale, tmp_path):
    lang = LANG[locale]
    page = new_page(browser, locale)
    sign_in(page, server, "admin", lang)
    navigate(page, "data_import", lang)
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=t("import.kind.staff", lang)).click()
    expect(page.get_by_test_id("stSelectbox").first.get_by_role("combobox")).to_have_value(t("import.kind.staff", lang))
    settle(page)

    bad = tmp_path / "staff_bad.csv"
    bad.write_text("单位,姓名,手机号\n城厢镇,新同事甲,13800001111\n不存在镇,新同事乙,\n城厢镇,,12345\n", encoding="utf-8")
    upload(page, bad, t("import.nothing_written", lang))
    reasons = [row[-1] for row in grid_rows(page, 0)]
    assert reasons == [t("row.unknown_unit", lang, value="不存在镇"), t("row.missing", lang),
                       t("row.bad_phone", lang, value="12345")]
    shot(page, f"journey4-bad-{lang}")

    good = tmp_path / f"staff_good_{lang}.csv"
    good.write_text(f"unit,name,phone\n城厢镇,新同事{lang},1380000{'2222' if lang == 'zh' else '3333'}\n", encoding="utf-8")
    upload(page, good, t("import.clean", lang, rows=1))
    page.get_by_role("button", name=t("import.apply", lang)).click()
    page.get_by_text(t("import.applied", lang, rows=1, new=1, updated=0, corrected=0, unchanged=0)).wait_for()
    assert page_problems(page) == []
    shot(page, f"journey4-good-{lang}")
    page.context.close()
