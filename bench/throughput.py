"""Page views per second that one machine serves to many sessions at once: one app process against two (issue 21).

    python bench/throughput.py                         # the demo county; 1 and 2 processes behind nginx
    python bench/throughput.py --db /tmp/city/city.db --sessions 24 --seconds 30 --processes 1 2

Each session is what a browser is to the server: a websocket to Streamlit (through nginx, which pins it to one process
by the `campaign_node` cookie, as it pins a browser), signed in by the session cookie, going through every page of its
role's menu, one after another, as fast as the answers come (the next page is asked for when the last one's script
run has finished). Sessions are split evenly over the processes and over the demo roles. No browser renders here, so
the machine's cores go to the app processes only: that is the server's capacity, which a real browser's own drawing
does not consume. Printed per run: page views per second, and the median and p95 of the time from asking for a page
to its run finished.
"""

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CAMPAIGN_TODAY", "2026-11-28")

import websockets  # noqa: E402  (streamlit's own dependency)
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from campaign import demo, features  # noqa: E402
from campaign.accounts import auth  # noqa: E402
from scripts.serve import Cluster  # noqa: E402

USERS = ["admin", "leader", "coord_cx", "grid_cx"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """One signed-in websocket session pinned to one process."""

    def __init__(self, url: str, token: str, node: int):
        self.url, self.token, self.node = url, token, node
        self.pages, self.views = [], []

    async def run(self, window: dict, started: asyncio.Event) -> None:
        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        cookie = f"campaign_session={self.token}; campaign_node={self.node}"
        async with websockets.connect(ws_url, subprotocols=["streamlit"], additional_headers={"Cookie": cookie},
                                      max_size=None, open_timeout=60) as ws:
            await self._view(ws, "")  # the first page; the navigation message lists the menu
            await started.wait()
            index = 0
            while time.perf_counter() < window["until"]:
                began = time.perf_counter()
                await self._view(ws, self.pages[index % len(self.pages)])
                self.views.append((time.perf_counter() - began) * 1000)
                index += 1

    async def _view(self, ws, page_hash: str) -> None:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = page_hash
        await ws.send(msg.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "navigation" and not self.pages:
                self.pages = [p.page_script_hash for p in forward.navigation.app_pages if not p.is_hidden]
            elif kind == "script_finished":
                return


async def drive(url: str, tokens: list[str], processes: int, seconds: float):
    """(page views per second, each view's milliseconds) of every session going through its menu for `seconds`."""
    sessions = [Session(url, token, i % processes) for i, token in enumerate(tokens)]
    window, started = {"until": float("inf")}, asyncio.Event()
    tasks = [asyncio.create_task(s.run(window, started)) for s in sessions]
    while any(not s.pages for s in sessions):  # every session connected and on its first page
        await asyncio.sleep(0.1)
        for task in tasks:
            if task.done():
                task.result()  # raises what went wrong
    began = time.perf_counter()
    window["until"] = began + seconds
    started.set()
    await asyncio.gather(*tasks)
    views = [v for s in sessions for v in s.views]
    return len(views) / (time.perf_counter() - began), views


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=None, help="a database to copy (default: a fresh demo county)")
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as folder:
        path = Path(folder) / "campaign.db"
        if args.db:
            shutil.copy(args.db, path)
        else:
            conn = features.connect(path)
            demo.load_demo(conn)
            conn.conn.close()
        conn = features.connect(path)
        tokens = [auth.start_session(conn, USERS[i % len(USERS)]) for i in range(args.sessions)]
        conn.conn.close()
        print(f"{args.sessions} sessions ({', '.join(USERS)} in turn), {args.seconds:.0f} s per run,"
              f" on {os.cpu_count()} cores (load {os.getloadavg()[0]:.1f})", flush=True)
        rates = {}
        for processes in args.processes:
            cluster = Cluster(processes, free_port(), folder=Path(folder) / f"serve-{processes}",
                              env={"CAMPAIGN_DB": str(path)})
            try:
                asyncio.run(drive(cluster.url, tokens[:2], processes, 3))  # warm every process's caches and imports
                rate, views = asyncio.run(drive(cluster.url, tokens, processes, args.seconds))
            finally:
                cluster.stop()
            rates[processes] = rate
            print(f"{processes} app process(es): {rate:6.1f} page views/s, {len(views)} views,"
                  f" median {statistics.median(views):5.0f} ms, p95 {p95(views):5.0f} ms", flush=True)
        if 1 in rates and len(rates) > 1:
            most = max(rates)
            print(f"{most} processes serve {rates[most] / rates[1]:.2f}× the page views of one")


if __name__ == "__main__":
    main()
