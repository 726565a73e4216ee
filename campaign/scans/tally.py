"""Scans held in memory between writes (issue 18): nothing here touches the database or keeps who scanned.

`Dedup` remembers, for a few minutes, a keyed hash of client address + user agent + code, so that a page
reloaded or a QR code scanned twice counts once; the key is drawn when the process starts and never
stored, so the hashes say nothing even to someone reading the process's memory later. `Tally` adds scans up
per (code, day, platform) under a lock, for a flusher to take in one piece about once a second.
Both are bounded: a flood of made-up codes or clients costs a fixed amount of memory.
"""

import hashlib
import secrets
import threading
import time
from collections import OrderedDict

UNKNOWN = "?"  # the bucket of every code that is neither a person's nor a location's
WINDOW = 180.0  # seconds within which one client's repeated scans of one code count once
MAX_SEEN = 200_000  # hashes kept at most (≈ 1,100 different scans a second for the whole window)
MAX_CODES = 20_000  # distinct codes held between two writes; more go to the unknown bucket


class Dedup:
    """Whether a (client, user agent, code) is new within the last `window` seconds; in memory only."""

    def __init__(self, window: float = WINDOW, limit: int = MAX_SEEN):
        self.window, self.limit = window, limit
        self._key = secrets.token_bytes(32)
        self._seen: OrderedDict[bytes, float] = OrderedDict()  # oldest first: every entry lives `window` seconds
        self._lock = threading.Lock()

    def first(self, client: str, agent: str, code: str, now: float | None = None) -> bool:
        """True the first time within the window (count it), False for a repeat."""
        digest = hashlib.blake2b(f"{client}\n{agent}\n{code}".encode("utf-8", "replace"), key=self._key,
                                 digest_size=16).digest()
        now = time.monotonic() if now is None else now
        with self._lock:
            seen = self._seen
            while seen:
                oldest = next(iter(seen.values()))
                if now - oldest < self.window and len(seen) < self.limit:
                    break
                seen.popitem(last=False)
            if digest in seen:
                return False
            seen[digest] = now
            return True

    def __len__(self) -> int:
        return len(self._seen)


class Tally:
    """Scans counted since the last take: (code, day, platform) -> scans, thread-safe."""

    def __init__(self, max_codes: int = MAX_CODES):
        self.max_codes = max_codes
        self._counts: dict[tuple[str, str, str], int] = {}
        self._codes: set[str] = set()
        self._lock = threading.Lock()

    def add(self, code: str, day: str, platform: str, scans: int = 1) -> None:
        """Count scans of `code` on `day` from `platform` (a new code past the limit counts as unknown)."""
        with self._lock:
            if code not in self._codes:
                if len(self._codes) >= self.max_codes:
                    code = UNKNOWN
                self._codes.add(code)
            key = (code, day, platform)
            self._counts[key] = self._counts.get(key, 0) + scans

    def take(self) -> dict[tuple[str, str, str], int]:
        """Everything counted so far, leaving the tally empty."""
        with self._lock:
            taken, self._counts, self._codes = self._counts, {}, set()
        return taken

    def put_back(self, counts: dict) -> None:
        """Return counts a failed write could not store (they go out with the next one)."""
        for (code, day, platform), scans in counts.items():
            self.add(code, day, platform, scans)

    def pending(self) -> int:
        """Scans counted and not yet taken."""
        with self._lock:
            return sum(self._counts.values())
