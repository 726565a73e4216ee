"""Journey 4 (issue 8): an administrator uploads a bad staff file, then a good one (Chinese and English)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from campaign.infra.i18n import t
from tests.e2e.conftest import (
    PHONE,
    ROOT,
    grid_rows,
    navigate,
    new_page,
    page_problems,
    settle,
    shot,
    sign_in,
    upload,
)

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


def test_admin_imports_a_large_installs_file_through_a_worker_process(server, browser, locale, tmp_path):
    """A file of 4 MB or more (issue 9) is checked and written by a worker forked from the import server,
    a child of the app's process: the page shows the same answers as for a small file."""
    import csv
    import re

    from campaign.infra.imports import LARGE_FILE

    lang = LANG[locale]
    with open(ROOT / "data" / "staff.csv", encoding="utf-8-sig") as handle:
        staff = [(row["单位"], row["姓名"]) for row in csv.DictReader(handle) if row["在职"] == "是"]
    people = [person for person in staff if staff.count(person) == 1][:400]
    day = "2026-11-26" if lang == "zh" else "2026-11-25"
    note = "备注" * (LARGE_FILE // len(people) // 5)  # an extra column the import ignores: the file passes 4 MB
    big = tmp_path / f"installs_large_{lang}.csv"
    big.write_text("单位,姓名,日期,安装数,备注\n" + "".join(f"{u},{n},{day},2,{note}\n" for u, n in people), encoding="utf-8")
    assert big.stat().st_size >= LARGE_FILE

    page = new_page(browser, locale, PHONE)  # an administrator away from the desk
    sign_in(page, server, "admin", lang)
    navigate(page, "data_import", lang)
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=t("import.kind.installs", lang)).click()
    settle(page)
    upload(page, big, t("import.clean", lang, rows=len(people)))
    assert _workers_of(server.process.pid), "the import server runs beside the app"
    page.get_by_role("button", name=t("import.apply", lang)).click()
    applied = re.escape(t("import.applied", lang, rows=len(people), new=901, updated=0, corrected=902, unchanged=903))
    expect(page.get_by_text(re.compile(applied.replace("901", r"\d+").replace("902", r"\d+").replace("903", r"\d+")))).to_be_visible(
        timeout=30_000)
    assert page_problems(page) == []
    shot(page, f"journey4-large-{lang}")
    page.context.close()


def _workers_of(pid: int) -> list[int]:
    """The app's child processes running the import server (`python -m campaign serve-imports`)."""
    # a child is listed under the thread that started it (a script thread, or the one starting it at start-up)
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children += (task / "children").read_text().split()
        except OSError:  # a thread that has just ended
            pass
    return [int(c) for c in children if b"serve-imports" in Path(f"/proc/{c}/cmdline").read_bytes()]
