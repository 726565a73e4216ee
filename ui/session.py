"""The session cookie, set by the server: HttpOnly (no script in the page can read it), SameSite=Strict, and Secure
when the app is served over https.

A script run answers over the websocket and cannot set a cookie itself, so the sign-in run leaves a short-lived,
one-time nonce here, bound to the session token (kept only in this process's memory), and the page POSTs the nonce
to PATH; the answer carries the Set-Cookie header. Signing out hands over a nonce that clears the cookie. The
browser then sends the cookie with the websocket's handshake, where st.context.cookies reads it (ui/auth.py).
"""

import secrets
import threading
import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

COOKIE = "campaign_session"
PATH = "/_app/session"
NONCE_SECONDS = 60
MAX_OFFERS = 10_000  # nonces not yet exchanged, at most (each lives a minute)
_offers: dict[str, tuple[float, str, int]] = {}  # nonce -> (valid until, token or "" to clear, max age in seconds)
_lock = threading.Lock()


def offer(token: str | None, max_age: int = 0) -> str:
    """A one-time nonce the page exchanges for the session cookie (token None: for clearing it)."""
    nonce = secrets.token_urlsafe(32)
    now = time.monotonic()
    with _lock:
        for stale in [n for n, (until, _t, _a) in _offers.items() if until < now]:
            del _offers[stale]
        if len(_offers) >= MAX_OFFERS:
            _offers.pop(next(iter(_offers)))
        _offers[nonce] = (now + NONCE_SECONDS, token or "", max(0, int(max_age)) if token else 0)
    return nonce


def _take(nonce: str):
    with _lock:
        entry = _offers.pop(nonce, None)
    return entry if entry is not None and entry[0] >= time.monotonic() else None


async def exchange(request: Request) -> Response:
    """POST PATH with a nonce as the body: 204 with the cookie set (or cleared), 404 for an unknown or used nonce."""
    body = await request.body()
    entry = _take(body[:128].decode("ascii", "replace").strip())
    if entry is None:
        return Response(status_code=404, headers={"Cache-Control": "no-store"})
    _until, token, max_age = entry
    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    if token:
        response.set_cookie(COOKIE, token, max_age=max_age, path="/", httponly=True, samesite="strict", secure=secure)
    else:
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=secure)
    return response


ROUTES = [Route(PATH, exchange, methods=["POST"])]
