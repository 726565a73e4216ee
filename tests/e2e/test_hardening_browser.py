"""Attacked from the browser (issue 16): names full of markdown and HTML render as plain text and make no request
to another host; bad files that used to crash get a translated error, never a traceback (one language: the point
is not the words)."""

import io
import json
import re
import shutil
from urllib.parse import urlparse

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from campaign import features
from campaign.infra.i18n import t
from tests.e2e.conftest import Server, navigate, new_page, page_problems, settle, shot, sign_in, upload

pytestmark = pytest.mark.e2e
EVIL = "evil.example"
PAYLOAD = f"![b](http://{EVIL}/beacon.png)**粗体**<img src=x onerror=\"fetch('http://{EVIL}/x')\">[链接](http://{EVIL}/)"


@pytest.fixture(scope="module")
def hostile_server(demo_template, tmp_path_factory):
    """The app over a demo copy whose township, display name and campaign name are markup."""
    folder = tmp_path_factory.mktemp("hostile")
    shutil.copy(demo_template, folder / "campaign.db")
    db = features.connect(folder / "campaign.db")
    with db.conn:
        db.execute("UPDATE units SET name = ? WHERE code = 'T01'", ["城厢镇" + PAYLOAD])
        db.execute("UPDATE users SET display_name = ? WHERE username = 'coord_cx'", ["联络员" + PAYLOAD])
        db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('campaign_name', ?)", [json.dumps("推广" + PAYLOAD)])
    db.conn.close()
    app = Server(folder / "campaign.db")
    yield app
    app.stop()


def outside_requests(page) -> list[str]:
    """Every request the page makes to a host other than the app's own, refused and remembered."""
    seen = []

    def route(request_route):
        host = urlparse(request_route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            request_route.continue_()
        else:
            seen.append(request_route.request.url)
            request_route.abort()

    page.context.route("**/*", route)
    return seen


def test_names_full_of_markup_render_as_text_and_fetch_nothing(hostile_server, browser):
    page = new_page(browser, "zh-CN")
    outside = outside_requests(page)
    page.goto(hostile_server.url)
    page.get_by_role("textbox", name="用户名").wait_for()
    sign_in(page, hostile_server, "coord_cx")
    for key in ("overview", "account", "rankings", "entry"):  # the overview: where 51 fetches were seen
        navigate(page, key, "zh")
        page.wait_for_timeout(300)  # time for an image, had one been rendered, to be requested
        assert page.locator(f'img[src*="{EVIL}"], img[src="x"], a[href*="{EVIL}"]').count() == 0, key
        assert page.locator("strong, b").filter(has_text=re.compile(r"^粗体$")).count() == 0, key  # not made bold
        if key == "overview":
            shot(page, "hostile-names-overview")
    # the account page shows the display name and the township exactly as typed
    navigate(page, "account", "zh")
    expect(page.get_by_text("**粗体**").first).to_be_visible()
    assert "<img src=x onerror" in page.inner_text("body")
    assert outside == []
    assert page_problems(page) == []
    shot(page, "hostile-names-account")
    page.context.close()


def xlsx_with_two(header: str, other: str) -> bytes:
    book = Workbook()
    book.active.append([header, other, header])
    book.active.append(["x", "y", "z"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_bad_files_of_every_kind_get_a_translated_error_not_a_traceback(server, browser, tmp_path):
    page = new_page(browser, "zh-CN")
    sign_in(page, server, "coord_cx")
    navigate(page, "data_import", "zh")
    kinds = {name: spec for name, spec in features.import_kinds().items() if not spec.admin_only and "coordinator" in spec.roles}
    assert set(kinds) == {"staff", "installs", "schools", "classes", "grids", "enterprises", "windows"}
    for i, (kind, spec) in enumerate(kinds.items()):
        page.locator('[data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name=t(f"import.kind.{kind}", "zh"), exact=True).click()
        settle(page)
        first = spec.columns[spec.required[0]][0]
        if i % 2 == 0:  # an empty file
            bad, code, params = tmp_path / f"{kind}.csv", "file.empty", {}
            bad.write_bytes(b"")
        else:  # a workbook naming one column twice
            bad = tmp_path / f"{kind}.xlsx"
            bad.write_bytes(xlsx_with_two(first, spec.columns[spec.required[1]][0]))
            code, params = "file.duplicate_columns", {"columns": f"{first}, {first}"}
        upload(page, bad, t("import.nothing_written", "zh"))
        alerts = page.get_by_test_id("stAlertContentError").all_inner_texts()
        assert alerts == [t(code, "zh", **params)], kind
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.inner_text("body")
        assert "Traceback" not in body and "/campaign/" not in body and ".py" not in body
    shot(page, "bad-file-no-traceback")
    page.context.close()
