"""Fixtures: an empty database, the demo county (built once, copied per test), actors."""

import datetime as dt
import shutil

import pytest

from campaign import access, db as database, demo

TODAY = dt.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    """Every test runs on 2026-11-28 (China time) unless it says otherwise."""
    monkeypatch.setenv("CAMPAIGN_TODAY", TODAY.isoformat())


@pytest.fixture
def db(tmp_path):
    """An empty, migrated database file."""
    return database.connect(tmp_path / "empty.db")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    import os

    os.environ["CAMPAIGN_TODAY"] = TODAY.isoformat()
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    conn = database.connect(path)
    demo.load_demo(conn, TODAY)
    conn.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.conn.close()
    return path


@pytest.fixture
def demo_path(demo_template, tmp_path):
    """A fresh copy of the demo database file."""
    path = tmp_path / "campaign.db"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture
def demo_db(demo_path):
    return database.connect(demo_path)


@pytest.fixture
def admin():
    return access.Actor("admin", access.ADMIN)
