"""The UI under attack (issue 16): user text never read as markup, no traceback or server path shown to a user,
the session cookie set by the server only (HttpOnly, SameSite=Strict, Secure over https)."""

import asyncio
import logging
import re
import time
import tomllib
from pathlib import Path

import pytest
from starlette.requests import Request
from streamlit.testing.v1 import AppTest

import ui
from campaign.infra import i18n
from ui import session

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = ["![b](http://evil.example/beacon.png)**粗体**", "<img src=x onerror=alert(1)>", "[链接](http://evil.example/)",
            "http://evil.example/x www.evil.example a@evil.example", ":red[红] $x^2$ `code` # 标题 > 引用 - 列表 1. 二",
            "<https://evil.example>", "a\\*b\\*"]


@pytest.mark.parametrize("text", PAYLOADS)
def test_user_text_is_escaped_for_markdown(text):
    shown = ui.md(text)
    # every markup character is preceded by a backslash, and nothing else changed but word joiners in addresses
    assert re.sub(r"\\(.)", r"\1", shown).replace("\u2060", "") == text
    assert not re.search(r"(?<!\\)[\[\]()<>!*`$:#_]", shown)
    assert "http:/" not in shown and "www." not in shown and re.search(r"\w@\w", shown) is None  # no bare autolink


def test_tm_escapes_the_params_not_the_sentence():
    assert ui.tm("users.saved", user="**x**") == i18n.t("users.saved", "zh", user="\\*\\*x\\*\\*")


def test_no_error_details_reach_the_browser():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    import app

    assert app.app._on_script_error is ui.on_script_error


def _failing_page():
    import ui as page_ui

    try:
        raise RuntimeError("/srv/campaign/secret.py line 3")
    except RuntimeError as error:
        page_ui.on_script_error(error)


def test_an_unexpected_exception_is_logged_and_the_user_told_nothing_was_saved(caplog):
    at = AppTest.from_function(_failing_page)
    at.session_state["lang"] = "en"
    with caplog.at_level(logging.ERROR, logger="campaign.ui"):
        at.run()
    assert [e.value for e in at.error] == [i18n.t("error.unexpected", "en")]
    assert "secret.py" not in str([e.value for e in at.error]) and not at.exception
    assert any(r.exc_info and "secret.py" in str(r.exc_info[1]) for r in caplog.records)  # the server's log has it


def exchange(nonce: str, scheme: str = "http"):
    scope = {"type": "http", "method": "POST", "path": session.PATH, "headers": [], "scheme": scheme,
             "server": ("127.0.0.1", 8501), "query_string": b""}

    async def receive():
        return {"type": "http.request", "body": nonce.encode(), "more_body": False}

    response = asyncio.run(session.exchange(Request(scope, receive)))
    return response.status_code, "; ".join(v.decode() for k, v in response.raw_headers if k == b"set-cookie")


@pytest.mark.parametrize("scheme, secure", [("http", False), ("https", True)])
def test_the_server_sets_the_session_cookie_httponly_and_strict(scheme, secure):
    nonce = session.offer("the-token", 3600)
    status, cookie = exchange(nonce, scheme)
    assert status == 204 and cookie.startswith("campaign_session=the-token;")
    assert {"HttpOnly", "Max-Age=3600", "Path=/", "SameSite=strict"} <= {part.strip() for part in cookie.split(";")}
    assert ("Secure" in cookie) == secure
    assert exchange(nonce, scheme) == (404, "")  # a nonce is good once


def test_a_stale_or_made_up_nonce_sets_nothing_and_sign_out_clears(monkeypatch):
    assert exchange("made-up") == (404, "")
    stale = session.offer("old-token", 60)
    monkeypatch.setattr(time, "monotonic", lambda: 10**9)
    assert exchange(stale) == (404, "")
    monkeypatch.undo()
    status, cookie = exchange(session.offer(None))
    assert status == 204 and 'campaign_session=""' in cookie and "Max-Age=0" in cookie and "HttpOnly" in cookie
