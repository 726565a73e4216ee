"""HTTP routes served beside the app on the same port (Streamlit's st.App takes Starlette routes), and the services
that run for as long as the server does. Each part of the UI that needs one keeps it in its own module (a list of
routes, or an async context manager started with the server) and is listed here.

Route handlers run on the server's event loop: keep them quick and hand any database work to a thread or a batch.
"""

from contextlib import AsyncExitStack, asynccontextmanager

from ui import landing

ROUTES: list = []  # starlette.routing.Route objects, from each module that serves some
SERVICES: list = []  # functions app -> async context manager, entered at start-up, left at shut-down

ROUTES += landing.ROUTES  # issue 18: GET /go/{code}, the QR codes' landing route
SERVICES.append(landing.service)  # and the thread that writes its counts


@asynccontextmanager
async def lifespan(app):
    """Start every service with the server and stop them with it, last started first stopped."""
    async with AsyncExitStack() as stack:
        for service in SERVICES:
            await stack.enter_async_context(service(app))
        yield


# Issue 19: the work groups' schedule (ui/scheduler.py).
from ui import scheduler  # noqa: E402

SERVICES.append(scheduler.service)
from ui import session  # noqa: E402 — the session cookie, set by the server (issue 16)

ROUTES += session.ROUTES
