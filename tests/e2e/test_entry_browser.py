"""Journey 1 (issue 8): a coordinator on a phone types two employees' installs, saves, and sees the ranking move."""

import pytest

from campaign.infra.i18n import t
from tests.e2e.conftest import (
    PHONE,
    grid_rows,
    navigate,
    new_page,
    page_problems,
    save_entries,
    settle,
    shot,
    sign_in,
    type_in_grid,
)

pytestmark = pytest.mark.e2e
LANG = {"zh-CN": "zh", "en-US": "en"}
UNIT = "城厢镇"  # coord_cx's township in the demo county


def township_installs(page) -> int:
    """城厢镇's installs this day in the rankings' township table, as a phone shows it: the unit pinned first, then
    rank, completion and the day's installs (issue 17: the figures that matter first)."""
    row = next(r for r in grid_rows(page, 0) if r[0] == UNIT)
    return int(row[3].replace(",", ""))


def test_coordinator_types_installs_on_a_phone_and_the_ranking_moves(server, browser, locale):
    lang = LANG[locale]
    page = new_page(browser, locale, viewport=PHONE)
    sign_in(page, server, "coord_cx", lang)
    navigate(page, "rankings", lang)
    before = township_installs(page)

    navigate(page, "entry", lang)  # (a coordinator's landing page)
    settle(page, 300)  # the grid's accessible table follows its canvas
    grid = page.get_by_test_id("stDataFrame").first
    old = [row[1] for row in grid_rows(page, 0)[:2]]  # the "installs today" column of the first two people
    new = [int(value or 0) + 3 + i for i, value in enumerate(old)]
    for i, value in enumerate(new):
        type_in_grid(grid, 1, i, str(value), x=120)  # the column after the (pinned) names
        settle(page)  # each edit reruns the page
    shot(page, f"journey1-typed-{lang}")
    added = sum(1 for value in old if value == "")
    save_entries(page, lang, 2, t("entry.saved", lang, new=added, corrected=2 - added, unchanged=0), f"journey1-unsaved-{lang}")
    settle(page)
    assert [row[1] for row in grid_rows(page, 0)[:2]] == [str(v) for v in new]
    assert page_problems(page) == []

    navigate(page, "rankings", lang)
    assert township_installs(page) == before + sum(new) - sum(int(v or 0) for v in old)
    assert page_problems(page) == []
    shot(page, f"journey1-entry-ranking-{lang}")
    page.context.close()
