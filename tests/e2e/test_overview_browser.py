"""Journey 2 (issue 8): a leader opens the overview, sees coverage, the city rank and the targets, and downloads
the daily bulletin."""

import pytest
from openpyxl import load_workbook

from campaign.infra.i18n import t
from tests.e2e.conftest import navigate, new_page, page_problems, shot, sign_in

pytestmark = pytest.mark.e2e
LANG = {"zh-CN": "zh", "en-US": "en"}


def test_leader_sees_coverage_rank_and_targets_then_downloads_the_bulletin(server, browser, locale, tmp_path):
    lang = LANG[locale]
    page = new_page(browser, locale)
    sign_in(page, server, "leader", lang)  # the overview is the first page
    page.get_by_role("heading", name=t("overview.title", lang)).wait_for()
    body = page.inner_text("body")
    # the demo county on 2026-11-28: the published figures of the report, 2nd of 18 counties, against 60% and 95%
    for text in ("54.94%", "93.67%", t("overview.rank_value", lang, rank=2, counties=18),
                 t("overview.vs_target", lang, diff="-5.06", target="60.00%"),
                 t("overview.vs_target", lang, diff="-1.33", target="95.00%")):
        assert text in body
    chart = page.get_by_test_id("stVegaLiteChart").first  # the trend with its target lines
    chart.locator("canvas, svg").first.wait_for()
    assert chart.bounding_box()["height"] > 150
    assert page_problems(page) == []
    shot(page, f"journey2-overview-{lang}")

    navigate(page, "bulletin", lang)
    page.get_by_role("button", name=t("bulletin.make", lang)).click()
    button = page.get_by_role("button", name=t("bulletin.download_xlsx", lang))
    button.wait_for(timeout=60_000)
    with page.expect_download() as download:
        button.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.endswith("2026-11-28.xlsx")
    sheets = load_workbook(path).sheetnames
    assert len(sheets) >= 2
    assert page_problems(page) == []
    shot(page, f"journey2-bulletin-{lang}")
    page.context.close()
