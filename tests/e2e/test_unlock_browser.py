"""Journey 6 (issue 20): a coordinator asks to unlock a locked day, an administrator approves, the coordinator
corrects a figure of that day and the ranking moves."""

import datetime as dt

import pytest

from campaign.infra import clock
from campaign.infra.i18n import t
from tests.e2e.conftest import (grid_column, grid_rows, navigate, new_page, page_problems, save_entries, settle, shot,
                                sign_in, type_in_grid)

pytestmark = pytest.mark.e2e
UNIT = "城厢镇"  # coord_cx's township in the demo county
LANG = {"zh-CN": "zh", "en-US": "en"}


def locked_day(lang: str) -> dt.date:
    """Yesterday once the 12:00 cut-off has passed (the server's date is pinned, its time is the real one), else the
    day before; the English journey asks for the day before that (the Chinese one's window is still open)."""
    now = clock.now()
    return now.date() - dt.timedelta(days=(1 if now.hour >= 12 else 2) + (lang == "en"))


def installs_of(page, lang) -> int:
    """城厢镇's installs to date in the rankings' township table (the unit pinned first)."""
    return grid_column(page, t("rank.installs", lang), UNIT)


def choose_day(page, day: dt.date) -> None:
    # the date field is a row of spin buttons (year / month / day): type into the day's, in the pinned month
    field = page.get_by_test_id("stDateInputField").locator('[data-type="day"]')
    field.click()
    field.press_sequentially(f"{day.day:02d}")
    page.keyboard.press("Escape")  # close the calendar
    page.locator("h1, h2").first.click()  # and leave the field: the value is sent
    settle(page)


def test_a_coordinator_asks_the_administrator_approves_and_the_correction_moves_the_ranking(server, browser, locale):
    lang, unit = LANG[locale], UNIT
    day = locked_day(lang)
    page = new_page(browser, locale)
    sign_in(page, server, "coord_cx", lang)
    navigate(page, "rankings", lang)
    before = installs_of(page, lang)

    navigate(page, "entry", lang)
    choose_day(page, day)
    page.get_by_text(t("error.day_locked", lang, day=day.isoformat())).wait_for()
    page.get_by_role("textbox", name=t("unlock.reason", lang)).fill("第一位同事的数字录错了")
    page.get_by_role("button", name=t("unlock.ask", lang)).click()
    settle(page)
    page.get_by_text(t("unlock.waiting", lang, unit=unit, day=day.isoformat(), at="")[:12]).first.wait_for()

    admin = new_page(browser, locale)
    sign_in(admin, server, "admin", lang)
    navigate(admin, "unlocks", lang)
    assert grid_rows(admin, 0)[0][1:3] == [unit, day.isoformat()]  # the open request first: state, unit, day, …
    admin.get_by_role("button", name=t("unlock.approve", lang), exact=True).click()
    settle(admin)
    assert page_problems(admin) == []
    shot(admin, f"journey6-approved-{lang}")
    admin.context.close()

    navigate(page, "rankings", lang)  # back to the entry page: it asks the database again
    navigate(page, "entry", lang)
    choose_day(page, day)
    page.get_by_text(t("unlock.open_until", lang, unit=unit, day=day.isoformat(), until="", by="")[:10]).first.wait_for()
    grid = page.get_by_test_id("stDataFrame").first
    old = grid_rows(page, 0)[0][1]
    new = int(old or 0) + 7
    type_in_grid(grid, 1, 0, str(new), x=200)  # the column after the names, on a desktop-wide grid
    settle(page)
    save_entries(page, lang, 1, t("entry.saved", lang, new=0 if old else 1, corrected=1 if old else 0, unchanged=0),
                 f"journey6-unsaved-{lang}")
    shot(page, f"journey6-corrected-{lang}")

    navigate(page, "rankings", lang)
    assert installs_of(page, lang) == before + new - int(old or 0)
    assert page_problems(page) == []
    page.context.close()
