"""Fixtures: an empty database, the demo county (built once, copied per test), actors."""

import datetime as dt
import os
import shutil

import pytest
from argon2 import PasswordHasher

from campaign import demo, features
from campaign.accounts import users
from campaign.org import access

TODAY = dt.date(2026, 11, 28)

# Test users get a cheap argon2 cost (~1 ms a hash instead of ~35 ms and 19 MiB): the production parameters
# stay in campaign.accounts.users.PRODUCTION and are tested once (test_accounts.py). A sign-in verifies with the
# cost stored in the hash, so the app servers of the browser tests verify the demo's cheap hashes cheaply too.
users.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

# The work groups' robot stand-in (tests/notify_receiver.py) listens on 127.0.0.1: the one host allowed besides the
# robots' official ones, here and in every server or process a test starts (they inherit the environment).
os.environ["CAMPAIGN_ROBOT_HOSTS"] = "127.0.0.1"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    """Every test runs on 2026-11-28 (China time) unless it says otherwise."""
    monkeypatch.setenv("CAMPAIGN_TODAY", TODAY.isoformat())


@pytest.fixture
def db(tmp_path):
    """An empty, migrated database file."""
    return features.connect(tmp_path / "empty.db")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    import os

    os.environ["CAMPAIGN_TODAY"] = TODAY.isoformat()
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    conn = features.connect(path)
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
    return features.connect(demo_path)


@pytest.fixture
def admin():
    return access.Actor("admin", access.ADMIN)
