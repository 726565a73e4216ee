"""GET /go/{code} (issue 18): where every flyer's and personal card's QR code leads when the landing route is on.

iPhones are sent to the App Store address and Android phones to the Android address at once (302); in-app
browsers (WeChat, QQ, Alipay, DingTalk), which open no store link from a redirect, and every other device
get the landing page with both buttons. An unknown code gets the same answer and counts as unknown.

The handler runs on the server's event loop and touches no database: a scan is checked against the
in-memory dedup (one client's repeats within a few minutes count once) and added to an in-memory tally;
the flusher thread, started with the server (ui/routes.py SERVICES), writes the tally in one short
transaction about once a second and at shut-down, and re-reads the store addresses every few seconds.
Nothing about the client is stored: not its address, not its user agent.
"""

import asyncio
import sqlite3
import threading
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from campaign import features
from campaign.infra import clock, settings
from campaign.infra import db as database
from campaign.scans import counts, page, rules
from campaign.scans import settings as scan_settings
from campaign.scans.tally import UNKNOWN, Dedup, Tally

FLUSH_SECONDS = 1.0
SETTINGS_SECONDS = 5.0
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"}


@dataclass(frozen=True)
class Landing:
    """What the route answers with: the two store addresses and the page, as bytes, with and without the hint."""

    ios: str
    android: str
    in_app: bytes
    other: bytes


def landing_for(ios: str, android: str) -> Landing:
    """The answers for these store addresses (the pages built once, not per request)."""
    return Landing(ios, android, page.html(ios, android, in_app=True).encode(), page.html(ios, android, in_app=False).encode())


DEDUP, TALLY = Dedup(), Tally()
_current = [landing_for(scan_settings.IOS_URL, scan_settings.ANDROID_URL)]  # replaced by the flusher from the settings


async def go(request):
    """Send a phone to its store, or show the landing page; count the scan (in memory) once per client and window."""
    code = request.path_params.get("code", "")
    agent = request.headers.get("user-agent", "")[: rules.MAX_AGENT]
    where = rules.platform(agent)
    if request.method == "GET":  # a HEAD (link checkers, previews) is answered, not counted
        client = request.client.host if request.client else ""
        if DEDUP.first(client, agent, code[:64]):
            TALLY.add(code if rules.code_shape(code) else UNKNOWN, clock.today().isoformat(), where)
    landing = _current[0]
    target = rules.redirect_for(where, landing.ios, landing.android)
    if target:
        return RedirectResponse(target, status_code=302, headers=HEADERS)
    return Response(landing.in_app if where == "in_app" else landing.other, media_type="text/html; charset=utf-8",
                    headers=HEADERS)


ROUTES = [Route("/go/{code}", go, methods=["GET"]), Route("/go/", go, methods=["GET"])]


def seen_base(url) -> str:
    """The scheme and host of the address a browser used (what the settings page offers as this app's address)."""
    parts = urlsplit(str(url or ""))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


class Flusher:
    """The thread that writes the tally to the database about once a second and keeps the store addresses fresh."""

    def __init__(self, path):
        self.path, self.db = path, None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scan-flusher", daemon=True)
        self._read_at = 0.0

    def start(self) -> None:
        """Open the database (migrated), read the settings, start the thread."""
        self.db = features.connect(self.path)
        self.refresh()
        self._thread.start()

    def refresh(self) -> None:
        """Re-read the store addresses (a changed setting reaches the route within SETTINGS_SECONDS)."""
        conf = settings.get_all(self.db)
        if (conf["scan_ios_url"], conf["scan_android_url"]) != (_current[0].ios, _current[0].android):
            _current[0] = landing_for(conf["scan_ios_url"], conf["scan_android_url"])
        self._read_at = time.monotonic()

    def flush(self) -> int:
        """Write what the tally holds in one transaction; on a failure it goes back and out with the next one."""
        taken = TALLY.take()
        try:
            return counts.flush(self.db, taken)
        except sqlite3.Error:
            TALLY.put_back(taken)
            return 0

    def _run(self) -> None:
        while not self._stop.wait(FLUSH_SECONDS):
            self.flush()
            if time.monotonic() - self._read_at >= SETTINGS_SECONDS:
                try:
                    self.refresh()
                except sqlite3.Error:
                    pass  # the addresses stay as they were until the next read

    def stop(self) -> None:
        """Stop the thread, then write what is left."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)
        self.flush()
        self.db.conn.close()


@asynccontextmanager
async def service(app):
    """The flusher, for as long as the server runs (started and stopped off the event loop)."""
    flusher = Flusher(database.db_path())
    await asyncio.to_thread(flusher.start)
    try:
        yield
    finally:
        await asyncio.to_thread(flusher.stop)
