"""Running the app's pages under streamlit.testing.v1.AppTest as a given user and language."""

import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parent.parent / "streamlit_app.py"


def open_page(db_path, page: str | None = None, *, user="admin", lang="zh", timeout=60) -> AppTest:
    """The app on `db_path`, signed in as `user` (None: signed out), switched to ui/pages/<page>.py (None: the default page)."""
    os.environ["CAMPAIGN_DB"] = str(db_path)
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    if user is not None:  # None: nobody signed in (the sign-in page)
        at.session_state["auth_token"] = session_token(db_path, user)  # as ui/pages/sign_in.py leaves it (ui_auth.TOKEN)
    at.session_state["lang"] = lang
    if page:  # only this page is rendered: its url_path is its file's name, so the switch needs no first run
        at.switch_page(f"ui/pages/{page}.py")
    return at.run()


def session_token(db_path, user: str) -> str:
    """A live session for `user`, as a successful sign-in creates (without the password check)."""
    from campaign import features
    from campaign.accounts import auth

    conn = features.connect(db_path)
    try:
        return auth.start_session(conn, user)
    finally:
        conn.conn.close()


def errors(at: AppTest) -> list[str]:
    """Exceptions and error boxes on the page, as text."""
    return [str(e.value) for e in at.exception] + [e.value for e in at.error]
