"""Opening the database (path, pragmas) and write transactions. Migrations: campaign.features.connect."""

import collections
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PATH = ROOT / "data" / "campaign.db"


def db_path() -> Path:
    """The database file: $CAMPAIGN_DB, else data/campaign.db."""
    return Path(os.environ.get("CAMPAIGN_DB") or DEFAULT_PATH)


def connect(path=None):
    """Open (creating if needed) the database as a sqlite_utils.Database, schema as it is."""
    import sqlite_utils  # here, not at the top: `python -m campaign --help` stays quick

    path = ":memory:" if path == ":memory:" else Path(path or db_path())
    if path != ":memory:":
        private(path)
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA foreign_keys=ON")
    return sqlite_utils.Database(conn)


class _Turns:
    """First come, first served: the writers of one process wait for their turn in the order they asked.

    SQLite has one writer; its busy handler makes a blocked writer sleep and try again, so under a rush a late
    arrival can take the lock before one that has slept for seconds. Queued here first, this process's writers
    take it one after another in arrival order and only ever contend with other processes."""

    def __init__(self):
        self._lock = threading.Lock()
        self._waiting: collections.deque = collections.deque()
        self._busy = False

    def __enter__(self):
        with self._lock:
            if not self._busy:
                self._busy = True
                return
            mine = threading.Lock()
            mine.acquire()
            self._waiting.append(mine)
        mine.acquire()  # released by the writer before: the turn is handed straight over

    def __exit__(self, *exc):
        # Only the next writer is woken (waking all of them to compare tickets costs O(n) per turn under a rush).
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._busy = False


_TURNS: dict[str, _Turns] = {}
_TURNS_LOCK = threading.Lock()


def _turns(db) -> _Turns:
    """The queue of writers to one database file in this process."""
    path = file_path(db) or f"memory:{id(db.conn)}"
    with _TURNS_LOCK:
        return _TURNS.setdefault(path, _Turns())
def private(path: Path) -> None:
    """The database file (created empty if new), its -wal/-shm/-journal and dated copies readable by this
    account only (0600; they hold full phone numbers and password hashes). SQLite gives the files it makes
    beside a database the database's own mode. A folder made here is 0700, and so is the default data folder."""
    path = Path(path)
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    elif path.parent == DEFAULT_PATH.parent:
        _tighten(path.parent, 0o700)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for companion in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal"))):
        _tighten(companion, 0o600)


def _tighten(path: Path, mode: int) -> None:
    try:
        if os.stat(path).st_mode & 0o077:
            os.chmod(path, mode)
    except OSError:  # gone meanwhile, or not ours to change: SQLite reports what matters
        pass


@contextmanager
def write(db, retries: int = 5, *, foreign_keys: bool = True):
    """A short write transaction that takes the write lock up front (BEGIN IMMEDIATE), in turn.

    Read-then-write under a deferred BEGIN fails with "database is locked" under load,
    because the busy timeout does not cover upgrading a read snapshot to a write. Writers of one
    process queue first come, first served (_Turns). Prepare outside, write inside: a transaction
    holds every other writer of the database up.
    foreign_keys=False skips SQLite's per-row reference checks for this transaction only: for a
    bulk write that confirms its references itself, set-based, inside the transaction.
    """
    conn = db.conn
    if conn.in_transaction:  # nested: the outer transaction owns commit/rollback
        yield db
        return
    if not foreign_keys:
        conn.execute("PRAGMA foreign_keys=OFF")  # only possible outside a transaction
        try:
            with write(db, retries):
                yield db
        finally:
            conn.execute("PRAGMA foreign_keys=ON")
        return
    with _turns(db):
        for attempt in range(retries):
            try:
                conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == retries - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        try:
            yield db
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")


_WATCHERS: dict[str, tuple] = {}
_WATCHERS_LOCK = threading.Lock()


def data_version(path: str) -> tuple:
    """A value that changes whenever a commit to this database file lands, from any connection in any process.

    SQLite's PRAGMA data_version, read on a connection of its own that never writes (so every commit is another
    connection's): what an in-process cache keys on, so no page shows stale figures after anyone's write."""
    inode = os.stat(path).st_ino  # a file put in this one's place gets a watcher of its own
    with _WATCHERS_LOCK:
        watched, conn = _WATCHERS.get(path, (None, None))
        if watched != inode:
            if conn is not None:
                conn.close()
            conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            _WATCHERS[path] = (inode, conn)
        return (inode, conn.execute("PRAGMA data_version").fetchone()[0])


CHECKPOINT_THREAD = "wal-checkpoint"


def file_path(db) -> str:
    """The main database's file ("" for an in-memory database)."""
    return next((file for _seq, name, file in db.conn.execute("PRAGMA database_list") if name == "main"), "")


@contextmanager
def checkpoint_in_background(db):
    """Around one large write: its WAL is copied into the database file by a background thread after
    the commit, not by the committing call itself (SQLite's automatic checkpoint).

    SQLite's documentation suggests this for WAL databases: the writer gets its answer at the commit
    (a million-row import ~0.4 s sooner), readers and later writers are not blocked by a PASSIVE
    checkpoint, and a crash before it finishes loses nothing (the WAL is replayed on the next open).
    """
    conn = db.conn
    path = file_path(db)
    if not path:  # an in-memory database has no WAL
        yield db
        return
    previous = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    conn.execute("PRAGMA wal_autocheckpoint=0")
    try:
        yield db
    finally:
        conn.execute(f"PRAGMA wal_autocheckpoint={previous}")
    threading.Thread(target=_checkpoint, args=(path,), name=CHECKPOINT_THREAD).start()  # not a daemon: finishes before exit


def _checkpoint(path: str) -> None:
    conn = sqlite3.connect(path, timeout=30)
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error:  # e.g. the file was removed meanwhile: the next commit's own checkpoint takes over
        pass
    finally:
        conn.close()
