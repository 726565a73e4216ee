"""Pages as people feel them: time from a click in the menu to the page drawn, in headless Chromium (issue 21).

    python bench/pages.py                                  # the demo county, every role, 1366 px and 390 px
    python bench/pages.py --city /tmp/city/city.db         # the benchmark city too (built by bench/city.py)
    python bench/pages.py --city /tmp/city/city.db --city-only
    python bench/pages.py --runs 7 --widths 1366 --roles admin leader

The app runs with `streamlit run app.py` on a free port over a copy of each database (as the browser tests do).
For every role's menu, each page is opened from the sidebar `--runs` times; a page's time runs from the click until
the script run it caused has finished and its elements are drawn (read from the app's websocket: the same signal
the browser tests wait for), so network, server and browser all count. Sign-in to the first page drawn is timed
too. The median and p95 of each page are printed beside the goal (median ≤ 400 ms, p95 ≤ 800 ms).
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CAMPAIGN_TODAY", "2026-11-28")

from playwright.sync_api import sync_playwright  # noqa: E402

import campaign.features  # noqa: E402,F401  (the texts and settings every helper reads)
from campaign import demo  # noqa: E402
from campaign.accounts import users  # noqa: E402
from campaign.infra.i18n import t  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server, new_page, settle  # noqa: E402
from ui import nav  # noqa: E402

GOAL_MEDIAN, GOAL_P95 = 400, 800
DEMO_ROLES = {"admin": "admin", "leader": "leader", "coord_cx": "coordinator", "grid_cx": "grid_worker",
              "teacher_cx": "coordinator"}
CITY_ROLES = {"admin": "admin", "leader": "leader", "coord_c01": "coordinator"}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def timed_sign_in(page, url: str, user: str, lang: str) -> float:
    """Milliseconds from pressing the sign-in button to the first page drawn."""
    page.goto(url)
    settle(page)
    page.get_by_role("textbox", name=t("auth.username", lang), exact=True).fill(user)
    page.get_by_role("textbox", name=t("auth.password", lang), exact=True).fill(users.DEMO_PASSWORD)
    began = time.perf_counter()
    page.get_by_role("button", name=t("auth.submit", lang), exact=True).click()
    page.get_by_text(t("auth.sign_out", lang)).first.wait_for(state="attached")
    settle(page, start_within_ms=0)
    return (time.perf_counter() - began) * 1000


def open_from_menu(page, key: str, lang: str) -> float:
    """Milliseconds from the click on the page's menu entry to the page drawn."""
    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.get_attribute("data-collapsed") == "true":
        page.get_by_test_id("stExpandSidebarButton").click()
        page.wait_for_timeout(300)
    link = sidebar.get_by_test_id("stSidebarNavLink").filter(has_text=t(f"nav.{key}", lang)).first
    more = sidebar.get_by_test_id("stSidebarNavViewButton")
    if not link.is_visible() and more.count() and "more" in more.inner_text().lower():
        more.click()
    began = time.perf_counter()
    link.click()
    settle(page)
    elapsed = (time.perf_counter() - began) * 1000
    if page.viewport_size["width"] < 640 and sidebar.get_attribute("data-collapsed") != "true":
        sidebar.get_by_test_id("stSidebarCollapseButton").click()
        page.wait_for_timeout(300)
    return elapsed


def measure(browser, server, roles: dict, widths, runs: int, lang: str) -> tuple[dict, list]:
    """{(role user, width, page): [ms, …]} and the sign-in times: every page of each user's menu, as the app shows it
    (a page where the user can do nothing is not in it)."""
    times, sign_ins = {}, []
    db = campaign.features.connect(server.db_path)
    menus = {user: [p.key for p in nav.menu(db, users.get_actor(db, user))] for user in roles}
    db.conn.close()
    url = server.url
    for width in widths:
        viewport = {"width": width, "height": 900 if width > 640 else 844}
        for user in roles:
            keys = menus[user]
            page = new_page(browser, "zh-CN" if lang == "zh" else "en-US", viewport)
            sign_ins.append(timed_sign_in(page, url, user, lang))
            for _ in range(runs):
                for key in keys[1:] + keys[:1]:  # the first page last: every page is opened from another one
                    times.setdefault((user, width, key), []).append(open_from_menu(page, key, lang))
            page.context.close()
    return times, sign_ins


def print_table(name: str, times: dict, sign_ins: list) -> bool:
    print(f"\n== {name}: time to content after a menu click (ms), goal median ≤ {GOAL_MEDIAN}, p95 ≤ {GOAL_P95}")
    print(f"{'page':<22}{'role':<12}{'width':>6}{'median':>9}{'p95':>8}  ok")
    ok_all = True
    for (user, width, key), values in sorted(times.items(), key=lambda item: (item[0][2], item[0][0], item[0][1])):
        median, high = statistics.median(values), p95(values)
        ok = median <= GOAL_MEDIAN and high <= GOAL_P95
        ok_all &= ok
        print(f"{key:<22}{user:<12}{width:>6}{median:>9.0f}{high:>8.0f}  {'PASS' if ok else 'FAIL'}")
    every = [v for values in times.values() for v in values]
    print(f"all page views: {len(every)}, median {statistics.median(every):.0f} ms, p95 {p95(every):.0f} ms")
    print(f"sign-in to the first page: median {statistics.median(sign_ins):.0f} ms, worst {max(sign_ins):.0f} ms (goal ≤ 1000)")
    return ok_all and max(sign_ins) <= 1000


def serve(db_path: Path, folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / db_path.name
    shutil.copy(db_path, copy)
    return Server(copy)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo-db", default=None, help="A demo county database (default: built fresh)")
    parser.add_argument("--city", default=None, help="The benchmark city's database (bench/city.py builds it)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--widths", type=int, nargs="+", default=[1366, 390])
    parser.add_argument("--roles", nargs="+", default=None, help="Only these demo users")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    parser.add_argument("--city-only", action="store_true", help="Only the city (with --city)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        folder = Path(folder)
        demo_db = Path(args.demo_db) if args.demo_db else folder / "demo.db"
        if not args.demo_db:
            db = campaign.features.connect(demo_db)
            demo.load_demo(db)
            db.conn.close()
        roles = {u: r for u, r in DEMO_ROLES.items() if not args.roles or u in args.roles}
        results = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for name, path, who in (("demo county", demo_db, roles), ("city", args.city, CITY_ROLES)):
                if path is None or (args.city_only and name != "city"):
                    continue
                server = serve(Path(path), folder / name.replace(" ", "_"))
                try:
                    times, sign_ins = measure(browser, server, who, args.widths, args.runs, args.lang)
                finally:
                    server.stop()
                results.append(print_table(name, times, sign_ins))
            browser.close()
    print("\nall within the goal" if all(results) else "\nsome pages miss the goal")


if __name__ == "__main__":
    main()
