"""Running the app's pages under streamlit.testing.v1.AppTest as a given user and language."""

import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "streamlit_app.py"


def open_page(db_path, page: str | None = None, *, user="admin", lang="zh", timeout=60) -> AppTest:
    """The app on `db_path`, signed in as `user`, switched to app_pages/<page>.py (None: the default page)."""
    os.environ["CAMPAIGN_DB"] = str(db_path)
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.session_state["user"] = user
    at.session_state["lang"] = lang
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    return at


def errors(at: AppTest) -> list[str]:
    """Exceptions and error boxes on the page, as text."""
    return [str(e.value) for e in at.exception] + [e.value for e in at.error]
