"""Large imports in worker processes, so their memory never lands in the app's (issue 9: under 400 MB).

A server process, started once by the app (`python -m campaign serve-imports SOCKET`: the command line
imports everything an import needs first), waits on a Unix socket. Each call forks one worker from it: the worker
runs the function on its own database connection, sends back the pickled result or exception, and
ends, giving all its memory back. The server is single-threaded, so forking it is safe (forking the app,
whose other threads may hold SQLite's or the allocator's locks, is not), and a worker starts in
milliseconds, not the ~1.3 s of a fresh interpreter. The server ends with the app: its stdin is a pipe
from the app, and it stops when that closes.
"""

import os
import pickle
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from campaign.infra.errors import ImportStopped

ROOT = Path(__file__).resolve().parents[2]
_server: tuple[subprocess.Popen, str] | None = None
_lock = threading.Lock()


def call(fn, *args):
    """fn(*args) in a worker process: its result, or its exception raised here.

    fn and args must pickle (fn by reference: a module-level function). ImportStopped when the
    worker ends without an answer (e.g. killed for memory)."""
    with _connect() as conn:
        with conn.makefile("wb") as out:
            pickle.dump((fn, args), out)
        conn.shutdown(socket.SHUT_WR)
        with conn.makefile("rb") as answer:
            try:
                outcome, value = pickle.load(answer)
            except (EOFError, pickle.UnpicklingError):
                raise ImportStopped() from None
    if outcome == "error":
        raise value
    return value


def wait_idle(poll: float = 0.01) -> None:
    """Wait until no worker is running, e.g. still checkpointing after its answer (Linux; benchmarks)."""
    server = _server
    children = Path(f"/proc/{server[0].pid}/task/{server[0].pid}/children") if server else None
    while children and children.exists() and children.read_text().strip():
        time.sleep(poll)


def _connect() -> socket.socket:
    """A connection to the server, started on first use or again if it has gone."""
    for attempt in (1, 2):
        conn = socket.socket(socket.AF_UNIX)
        try:
            conn.connect(_address(restart=attempt == 2))
            return conn
        except OSError:
            conn.close()
            if attempt == 2:
                raise ImportStopped() from None
    raise AssertionError("unreachable")


def _address(*, restart=False) -> str:
    """The running server's socket, starting the server on first use (or after it died)."""
    global _server
    with _lock:
        if _server is not None and restart:
            _server[0].kill()
            _server[0].wait()
        if _server is None or _server[0].poll() is not None:
            address = os.path.join(tempfile.mkdtemp(prefix="campaign-import-"), "socket")
            server = subprocess.Popen([sys.executable, "-m", "campaign", "serve-imports", address], cwd=ROOT,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            if server.stdout.readline() != b"ready\n":
                raise ImportStopped()
            _server = server, address
        return _server[1]


def serve(address: str) -> None:
    """Answer calls on the Unix socket `address` until the app that started this server closes its stdin."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps ended workers
    with socket.socket(socket.AF_UNIX) as listener, selectors.DefaultSelector() as selector:
        listener.bind(address)
        listener.listen()
        selector.register(listener, selectors.EVENT_READ, "call")
        selector.register(sys.stdin, selectors.EVENT_READ, "app")
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # nobody reads the pipe any more: a print must not block
        try:
            _loop(listener, selector)
        finally:
            os.unlink(address)
            os.rmdir(os.path.dirname(address))


def _loop(listener, selector) -> None:
    while True:
        for key, _events in selector.select():
            if key.data == "app":  # the app closed our stdin: it has ended
                return
            conn, _ = listener.accept()
            if os.fork() == 0:
                listener.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _work(conn)
            conn.close()


def _work(conn: socket.socket) -> None:
    """In a forked worker: run one call, answer, let its threads (a WAL checkpoint) finish, exit."""
    code = 0
    try:
        with conn.makefile("rb") as request:
            fn, args = pickle.load(request)
        try:
            answer = pickle.dumps(("ok", fn(*args)))
        except Exception as error:  # noqa: BLE001 — every failure goes back to the caller, raised there
            try:
                answer = pickle.dumps(("error", error))
            except Exception:  # noqa: BLE001 — an exception that does not pickle
                answer = pickle.dumps(("error", RuntimeError(f"{type(error).__name__}: {error}")))
        conn.sendall(answer)
        conn.close()
        for thread in threading.enumerate():
            if thread is not threading.current_thread():
                thread.join()
    except BaseException:  # noqa: BLE001 — a worker must never return into the server's loop
        code = 1
    finally:
        os._exit(code)
