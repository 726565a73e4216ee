"""Regenerate the README's screenshots in docs/screenshots/ from a fresh demo county.

    python scripts/screenshots.py            # needs Debian chromium and fonts-noto-cjk (as the e2e tests)

The app pages are photographed in headless Chromium (the e2e tests' server and helpers); the bulletin, the
reminder letter and the flyers are rendered by the same functions the app's download buttons use.
"""

import io
import os
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CAMPAIGN_TODAY", "2026-11-28")

from PIL import Image  # noqa: E402

from campaign import demo, features
from campaign.flyers import render as flyers
from campaign.flyers import store as flyers_store
from campaign.infra import clock
from campaign.infra.i18n import t  # noqa: E402
from campaign.org import access  # noqa: E402
from campaign.supervision import (
    bulletin,
    bulletin_render,
    letters,
    letters_render,  # noqa: E402
)
from tests.e2e.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    Server,
    navigate,
    new_page,
    open_url,
    settle,
    sign_in,
    type_in_grid,
    upload,
)

OUT = ROOT / "docs" / "screenshots"
ADMIN = access.Actor("admin", access.ADMIN)


def save(name: str, png: bytes, width: int | None = None) -> None:
    image = Image.open(io.BytesIO(png))
    if width and image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    image.save(OUT / f"{name}.png", optimize=True)
    print("wrote", OUT / f"{name}.png", image.size)


def documents(db) -> None:
    """The bulletin image, a reminder letter and the three flyers, as users download them."""
    day = clock.today()
    save("bulletin", bulletin_render.png_bytes(bulletin.build(db, day), "zh"), width=720)
    first = int(letters.list_letters(db).iloc[0]["id"])
    save("reminder-letter", flyers.png_from_pdf(letters_render.pdf_bytes(letters.get_letter(db, first)), dpi=100)[0])
    options = flyers_store.options(db)
    places = {loc.kind: loc for loc in reversed(flyers_store.all_locations(db))}
    for kind, where in (("poster", "window"), ("cards", "grid"), ("slip", "class")):
        pdf = flyers.render_pdf(kind, [places[where]], options)
        save(f"flyer-{kind}", flyers.png_from_pdf(pdf, dpi=110)[0])
    person_cards(db)


def person_cards(db) -> None:
    """A personal card (一人一码, the WeChat Moments picture) and the first page of a unit's card sheet (issue 18)."""
    unit = db.execute("SELECT id FROM units WHERE code = 'D018'").fetchone()[0]
    made = flyers_store.person_cards(db, ADMIN, unit, fmt="pdf")
    save("person-cards-sheet", flyers.png_from_pdf(made.data, dpi=90)[0])
    first = db.execute("SELECT id FROM staff WHERE unit_id = ? AND active = 1 ORDER BY id LIMIT 1", [unit]).fetchone()[0]
    made = flyers_store.person_cards(db, ADMIN, unit, staff_ids=[first], fmt="png")
    save("person-card", made.pictures[0][1], width=540)


def signed_in(browser, server, user: str, viewport=DESKTOP):
    page = new_page(browser, "zh-CN", viewport)
    sign_in(page, server, user)
    return page


def phone(browser, server) -> None:
    """Issue 17: entry (coordinator), rankings (leader) and flyers (grid worker) at 390 px, in Chinese and English."""
    for lang, locale in (("zh", "zh-CN"), ("en", "en-US")):
        for user, key in (("coord_cx", "entry"), ("leader", "rankings"), ("grid_cx", "flyers")):
            page = new_page(browser, locale, PHONE)
            sign_in(page, server, user, lang)
            if key != "entry":  # a coordinator opens on the entry page
                open_url(page, server, key)
            if key == "entry":
                grid = page.get_by_test_id("stDataFrame").first
                grid.wait_for()
                settle(page, 800)
                type_in_grid(grid, 1, 0, "4", x=150)
                page.get_by_test_id("stMain").evaluate("e => e.scrollTo(0, 0)")
            elif key == "flyers":
                page.get_by_role("button", name=t("flyers.make", lang)).click()
                page.get_by_role("button", name=t("flyers.download_pdf", lang)).wait_for(timeout=60_000)
            settle(page, 1200)
            save(f"{key}-phone-{lang}", page.screenshot())
            page.context.close()


def pages(db_path: Path) -> None:
    """The app in the browser: the leaders' overview, phone entry, an import's explained errors, the bulletin page."""
    from playwright.sync_api import sync_playwright

    server = Server(db_path)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = signed_in(browser, server, "leader")
            page.get_by_test_id("stVegaLiteChart").first.locator("canvas, svg").first.wait_for()
            settle(page, 1500)
            save("overview", page.screenshot())
            navigate(page, "bulletin", "zh")
            page.get_by_role("button", name=t("bulletin.make")).click()
            page.get_by_role("button", name=t("bulletin.download_png")).wait_for(timeout=60_000)
            settle(page, 1000)
            save("bulletin-page", page.screenshot())
            page.context.close()

            phone(browser, server)

            page = signed_in(browser, server, "admin")
            navigate(page, "data_import", "zh")
            page.get_by_test_id("stSelectbox").first.click()
            page.get_by_role("option", name=t("import.kind.staff")).click()
            settle(page)
            bad = db_path.parent / "staff_bad.csv"
            bad.write_text("单位,姓名,手机号\n城厢镇,新同事甲,13800001111\n不存在镇,新同事乙,\n城厢镇,,12345\n", encoding="utf-8")
            upload(page, bad, t("import.nothing_written"))
            save("import-errors", page.screenshot())
            browser.close()
    finally:
        server.stop()


def loops(db) -> None:
    """Issue 20: a unit's responsibility letter, and the report of a round of random samples (drawn after the
    page shots, so the bulletin there still shows the demo's own rounds)."""
    from campaign.supervision import responsibility, responsibility_render, round_report, samples
    from campaign.supervision import spot_checks as supervision

    unit = db.execute("SELECT id FROM units WHERE code = 'D018'").fetchone()[0]  # 县公安局
    pdf = responsibility_render.pdf_bytes(responsibility.documents(db, [unit]))
    save("responsibility-letter", flyers.png_from_pdf(pdf, dpi=100)[0])
    round_id = supervision.add_round(db, ADMIN, "第四轮督导（随机抽查）", clock.today())
    third = supervision.flagged(db)
    third = third[third["round"] == "第三轮督导"].sort_values("rate")
    picked = [int(u) for u in third["unit_id"].head(2)] + [db.execute("SELECT id FROM units WHERE code = 'T01'").fetchone()[0]]
    rng = random.Random(20261128)
    for unit_id in picked:
        sample = samples.draw_sample(db, ADMIN, round_id, unit_id, size=6, seed=20261128)
        results = {}
        for person in samples.sample_people(db, ADMIN, sample).itertuples():
            roll = rng.random()
            results[person.staff_id] = (roll > 0.12, roll > 0.3, roll < 0.05, "已卸载，当场重新安装" if 0.12 < roll < 0.3 else "")
            if roll < 0.05:
                results[person.staff_id] = (False, False, True, "单位称已借调外地，无法核实")
        samples.record_results(db, ADMIN, sample, clock.today(), "县反诈中心督导组", results)
    report = round_report.build(db, ADMIN, round_id)
    save("spot-check-report", flyers.png_from_pdf(round_report.pdf_bytes(report), dpi=100)[0])


def main() -> None:
    """Every screenshot; `python scripts/screenshots.py loops` makes only issue 20's two documents, `documents` only
    the bulletin, letter, flyers and cards (neither needs a browser)."""
    OUT.mkdir(parents=True, exist_ok=True)
    if sys.argv[1:] == ["documents"]:
        with tempfile.TemporaryDirectory() as folder:
            db = features.connect(Path(folder) / "campaign.db")
            demo.load_demo(db, clock.today())
            documents(db)
            db.conn.close()
        return
    only_loops = sys.argv[1:] == ["loops"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "campaign.db"
        db = features.connect(path)
        demo.load_demo(db, clock.today())
        if not only_loops:
            documents(db)
        db.conn.close()
        if not only_loops:
            pages(path)
        db = features.connect(path)
        loops(db)
        db.conn.close()


if __name__ == "__main__":
    main()
