"""HTTP routes served beside the app on the same port (Streamlit's st.App takes Starlette routes), and what runs
for as long as the server does (`lifespan`). Route handlers run on the server's event loop: keep them quick and
hand any database work to a thread or a batch."""

from contextlib import asynccontextmanager

ROUTES: list = []  # starlette.routing.Route objects


@asynccontextmanager
async def lifespan(app):
    """Started with the server, stopped with it."""
    yield
