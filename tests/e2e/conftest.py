"""End-to-end fixtures: the app served by `streamlit run` on 127.0.0.1 over a fresh demo database,
driven by Debian's Chromium through Playwright (no browser download, no network)."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db_path: Path):
        self.port, self.db_path = free_port(), db_path
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "CAMPAIGN_DB": str(db_path), "CAMPAIGN_TODAY": "2026-11-28"}
        self.log = open(db_path.parent / "server.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(self.port), "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the app did not become healthy in 60 s")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def server(demo_template, tmp_path_factory):
    """One app server for the e2e session over a copy of the demo county."""
    folder = tmp_path_factory.mktemp("e2e")
    shutil.copy(demo_template, folder / "campaign.db")
    app = Server(folder / "campaign.db")
    yield app
    app.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(params=["zh-CN", "en-US"], ids=["zh", "en"])
def locale(request):
    return request.param


class Runs:
    """The app's script runs on one page, followed on its websocket (Streamlit's ForwardMsg protocol): the server
    says `session_status_changed` with `script_is_running` when a run starts and when it stops, and `script_finished`
    at each run's end. A test waits for exactly the run an action caused instead of sleeping."""

    def __init__(self, page):
        self.running, self.rerun, self.finished, self.seen = False, False, 0, 0
        page.on("websocket", self._socket)

    def _socket(self, socket):
        self.running, self.rerun, self.finished, self.seen = False, False, 0, 0  # a page load: a new session
        socket.on("framereceived", self._frame)

    @property
    def busy(self) -> bool:
        return self.running or self.rerun

    def _frame(self, payload):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if not isinstance(payload, (bytes, bytearray)):
            return
        try:
            message = ForwardMsg.FromString(bytes(payload))
        except Exception:  # noqa: BLE001 — a frame that is not a ForwardMsg
            return
        kind = message.WhichOneof("type")
        if kind == "session_status_changed":
            self.running = message.session_status_changed.script_is_running
        elif kind == "new_session":  # a run begins
            self.running, self.rerun = True, False
        elif kind == "script_finished":
            self.finished += 1
            # a run that stopped for a rerun (st.rerun, a newer widget change) is followed by another run
            self.rerun = message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN


def new_page(browser, locale: str, viewport=DESKTOP):
    context = browser.new_context(locale=locale, timezone_id="Asia/Shanghai", viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.runs = Runs(page)
    return page


def shot(page, name: str) -> Path:
    """Save a screenshot of the page as a test artefact (not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def settle(page, extra_ms=0, *, start_within_ms=1500, timeout_ms=60_000):
    """Wait for the script run the last action caused to finish (one that has not begun within `start_within_ms`
    is taken as none), for elements still loading their code (skeletons) and for the page to paint; `extra_ms`
    more for what paints later (the data editor's canvas)."""
    runs, waited = page.runs, 0
    while runs.finished == runs.seen and not runs.busy and waited < start_within_ms:
        page.wait_for_timeout(20)
        waited += 20
    while runs.busy and waited < timeout_ms:  # (no run began at all: the action needed none)
        page.wait_for_timeout(20)
        waited += 20
    runs.seen = runs.finished
    # elements whose code loads on first use (metrics, charts) show a skeleton until it has: wait for them too
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout_ms)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    if extra_ms:
        page.wait_for_timeout(extra_ms)


def sign_in(page, server, user: str, lang: str = "zh", password: str = "demo1234"):
    """Open the app (a Server or its URL) and sign in through the form; the session cookie keeps it across page loads."""
    from campaign.infra.i18n import t

    page.goto(getattr(server, "url", server))
    # by role: in English the label "Password" also names Streamlit's "Show password" eye button
    page.get_by_role("textbox", name=t("auth.username", lang), exact=True).fill(user)
    page.get_by_role("textbox", name=t("auth.password", lang), exact=True).fill(password)
    page.get_by_role("button", name=t("auth.submit", lang), exact=True).click()
    page.get_by_text(t("auth.sign_out", lang)).first.wait_for(state="attached")  # hidden in a phone's collapsed sidebar
    # the server sets the (HttpOnly) session cookie when the page fetches it after the run: wait for it before any reload
    for _ in range(300):
        if any(c["name"] == "campaign_session" and c["value"] for c in page.context.cookies()):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the session cookie was never set")
    settle(page)


def open_url(page, server, path: str):
    page.goto(f"{server.url}/{path}")
    settle(page)


def navigate(page, key: str, lang: str):
    """Open a page from the sidebar menu, as a user does (on a phone the sidebar opens first and closes after)."""
    from campaign.infra.i18n import t

    sidebar = page.get_by_test_id("stSidebar")
    if sidebar.get_attribute("data-collapsed") == "true":
        page.get_by_test_id("stExpandSidebarButton").click()
    link = sidebar.get_by_test_id("stSidebarNavLink").filter(has_text=t(f"nav.{key}", lang)).first
    more = sidebar.get_by_test_id("stSidebarNavViewButton")  # a long menu shows its first ten pages
    if not link.is_visible() and more.count() and "more" in more.inner_text().lower():
        more.click()
    link.click()
    sidebar.locator('[data-testid="stSidebarNavLink"][aria-current="page"]').filter(
        has_text=t(f"nav.{key}", lang)).wait_for(state="attached")
    settle(page)
    if page.viewport_size["width"] < 640 and sidebar.get_attribute("data-collapsed") != "true":
        sidebar.get_by_test_id("stSidebarCollapseButton").click()  # on a phone the menu covers the page
        page.wait_for_timeout(300)


def upload(page, path, shows: str):
    """Choose a file in the page's file uploader and wait until the page shows `shows`.

    An uploader that the previous script run is still replacing can drop the file: choose it again then."""
    for _ in range(3):
        page.get_by_test_id("stFileUploaderDropzoneInput").last.set_input_files(str(path))
        try:
            page.get_by_text(shows).first.wait_for(timeout=15_000)
            break
        except Exception:  # Playwright's TimeoutError
            continue
    page.get_by_text(shows).first.wait_for(timeout=1_000)
    settle(page)


def page_problems(page) -> list[str]:
    """Exceptions and error boxes shown on the page."""
    boxes = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    return [boxes.nth(i).inner_text() for i in range(boxes.count())]


def type_in_grid(grid, column: int, row: int, value: str, x: int):
    """Type a value into a data editor's cell as a user does: double-click it, replace the text, Enter.

    The grid is drawn on a canvas, so the cell is clicked by position: `x` pixels from the grid's left edge, row
    `row` under the 35 px header. A click on a fresh grid may only focus it, so this tries again until the cell
    (read back from the grid's accessible table, `glide-cell-<column>-<row>`) shows the value."""
    page, box = grid.page, grid.bounding_box()
    editor = page.locator("input.gdg-input, textarea.gdg-input")
    cell = grid.get_by_test_id(f"glide-cell-{column}-{row}")
    for _ in range(5):
        page.mouse.dblclick(box["x"] + x, box["y"] + 35 * (row + 1) + 17)
        try:
            editor.wait_for(timeout=5_000)
        except Exception:  # Playwright's TimeoutError: the click only focused the grid
            continue
        editor.fill(value)
        editor.press("Enter")
        editor.wait_for(state="detached")
        for _ in range(20):  # the accessible table follows the canvas a moment later
            if cell.inner_text() == value:
                return
            page.wait_for_timeout(100)
    raise AssertionError(f"could not type {value!r} into row {row}, column {column}")


def grid_column(page, column: str, unit: str, index=0) -> int:
    """The whole number in the named column of the row whose pinned first cell is `unit` (the index-th dataframe)."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(index)
    grid.locator("[role=gridcell]").first.wait_for(state="attached")
    headers = [h.inner_text().strip() for h in grid.locator("[role=row]").first.locator("[role=columnheader]").all()]
    row = next(r for r in grid_rows(page, index) if r[0] == unit)
    return int(row[headers.index(column)].replace(",", ""))


def grid_rows(page, index=0) -> list[list[str]]:
    """The visible cells of the index-th dataframe, from the grid's accessible table."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(index)
    grid.locator("[role=gridcell]").first.wait_for(state="attached")  # the grid is drawn on a canvas
    rows = grid.locator("[role=row]")
    return [[c.inner_text() for c in rows.nth(i).locator("[role=gridcell]").all()] for i in range(rows.count())][1:]


def save_entries(page, lang: str, changed: int, expected: str, shot_name: str) -> None:
    """Tap the entry page's Save (above the grid) with `changed` people typed, and read its confirmation.

    A tap the server never got (its websocket reconnecting on a loaded machine) leaves the button saying what is
    not saved yet and shows no error: it is tapped again, as a user would. Any error fails with the page's text."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    from campaign.infra.i18n import t

    save = page.get_by_test_id("stButton").filter(has_text=t("entry.save", lang)).first
    expect(save).to_contain_text(t("entry.unsaved", lang, count=changed))
    saved = page.get_by_test_id("stAlertContentSuccess").first  # at the top, above the grid (and a toast)
    for _ in range(2):
        settle(page, start_within_ms=0)  # no run of the page still going
        save.click()
        try:
            saved.wait_for(timeout=20_000)
            break
        except PlaywrightTimeout:
            shot(page, shot_name)
            assert t("entry.unsaved", lang, count=changed) in save.inner_text(), page.inner_text("body")
    else:
        pytest.fail("the save was never confirmed: " + page.inner_text("body"))
    assert saved.inner_text().strip() == expected
