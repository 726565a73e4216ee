"""Sign-in under attack (issue 16): parallel guesses, names that do not exist, bursts of sign-ins."""

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import extract_parameters

from campaign.accounts import auth, users
from campaign.infra import db as database
from campaign.infra.errors import AccessDenied
from tests import test_accounts
from tests.test_accounts import NOW, PASSWORD

county = test_accounts.county  # the same county: boss (an administrator) and zhang (T1's coordinator)


class CountingHasher:
    """The tests' hasher, counting (and slowing a little) every password check."""

    def __init__(self, real, delay=0.0):
        self.real, self.delay, self.checked, self.lock = real, delay, 0, threading.Lock()

    def verify(self, hashed, password):
        with self.lock:
            self.checked += 1
        time.sleep(self.delay)
        return self.real.verify(hashed, password)

    def hash(self, password):
        return self.real.hash(password)

    def check_needs_rehash(self, hashed):
        return self.real.check_needs_rehash(hashed)


def attempt(path, name, password):
    db = database.connect(path)
    try:
        auth.sign_in(db, name, password, now=NOW)
        return "signed in"
    except AccessDenied as error:
        return error.code
    finally:
        db.conn.close()


@pytest.mark.parametrize("name", ["zhang", "nobody"])
def test_forty_parallel_guesses_get_at_most_the_lockout_limit_checked(county, monkeypatch, name):
    counter = CountingHasher(users.HASHER, delay=0.05)
    monkeypatch.setattr(users, "HASHER", counter)
    path = database.file_path(county)
    with ThreadPoolExecutor(40) as pool:
        answers = list(pool.map(lambda _: attempt(path, name, "guess"), range(40)))
    assert counter.checked <= 5  # the lockout limit
    assert set(answers) <= {"auth.error.bad_credentials", "auth.error.locked"} and "auth.error.locked" in answers
    assert attempt(path, name, PASSWORD) == "auth.error.locked"  # even the right password, now


def test_an_unknown_name_gets_the_answers_a_known_one_does(county, monkeypatch):
    counter = CountingHasher(users.HASHER)
    monkeypatch.setattr(users, "HASHER", counter)

    def answers(name):
        seen = []
        for minute in range(6):
            with pytest.raises(AccessDenied) as caught:
                auth.sign_in(county, name, "guess", now=NOW + dt.timedelta(minutes=minute))
            seen.append((caught.value.code, caught.value.params))
        return seen

    before = counter.checked
    known = answers("zhang")
    known_checks, before = counter.checked - before, counter.checked
    assert answers("nobody") == known and counter.checked - before == known_checks == 5
    assert known[0] == ("auth.error.bad_credentials", {"limit": 5, "minutes": 15})
    # the dummy hash an unknown name is checked against has the parameters of a real one
    real = county.execute("SELECT password_hash FROM users WHERE username = 'zhang'").fetchone()[0]
    assert extract_parameters(auth._dummy_hash()) == extract_parameters(real)


def test_strangers_are_forgotten_after_a_lockout(county):
    with pytest.raises(AccessDenied):
        auth.sign_in(county, "nobody", "guess", now=NOW)
    with pytest.raises(AccessDenied):
        auth.sign_in(county, "someone", "guess", now=NOW + dt.timedelta(minutes=16))
    assert [r[0] for r in county.execute("SELECT username FROM sign_in_strangers")] == ["someone"]


def test_too_many_password_checks_at_once_wait_then_are_told_to_retry(county, monkeypatch):
    release = threading.Event()

    class Stuck(CountingHasher):
        def verify(self, hashed, password):
            release.wait(5)
            return self.real.verify(hashed, password)

    monkeypatch.setattr(users, "HASHER", Stuck(users.HASHER))
    monkeypatch.setattr(users, "BUSY_WAIT", 0.2)
    path = database.file_path(county)
    with ThreadPoolExecutor(users.PARALLEL_CHECKS) as pool:
        busy = [pool.submit(attempt, path, "zhang", PASSWORD) for _ in range(users.PARALLEL_CHECKS)]
        time.sleep(0.2)
        started = time.monotonic()
        assert attempt(path, "boss", "boss-password") == "auth.error.busy"
        assert 0.15 < time.monotonic() - started < 2
        assert users.get_account(county, "boss")["failed_count"] == 0  # a turn not had is no guess
        release.set()
        assert [f.result() for f in busy] == ["signed in"] * users.PARALLEL_CHECKS
    assert attempt(path, "boss", "boss-password") == "signed in"


def test_a_hash_of_other_parameters_is_redone_at_the_next_sign_in(county):
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=1, memory_cost=16, parallelism=1).hash(PASSWORD)
    with database.write(county):
        county.execute("UPDATE users SET password_hash = ? WHERE username = 'zhang'", [old])
    auth.sign_in(county, "zhang", PASSWORD, now=NOW)
    stored = county.execute("SELECT password_hash FROM users WHERE username = 'zhang'").fetchone()[0]
    assert extract_parameters(stored) == extract_parameters(users.HASHER.hash("x")) != extract_parameters(old)
    assert auth.sign_in(county, "zhang", PASSWORD, now=NOW).actor.name == "zhang"
