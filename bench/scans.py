"""Benchmark (issue 18): QR-code scans the running app sustains while 150 coordinators save, the saves' latency
with and without the scans, and the landing route's time to first byte.

    python bench/scans.py [--savers 150] [--saves 10] [--scanners 16] [--rate 0] [--db PATH]

The app runs as users run it (`streamlit run app.py` over a copy of the demo county, on 127.0.0.1). The savers
are processes × threads calling the same save as the entry page (installs.entries.save_entries), each on its own
connection to the app's database; the scanners are threads of a separate process requesting /go/{code} over
keep-alive connections, each with a user agent of its own so that every request counts (the dedup keys on the
client's address and user agent). `--rate N` paces the scanners to N requests a second in all (0: as fast as
they go). Not a test: figures depend on the machine (2 shared cores here).
"""

import argparse
import http.client
import multiprocessing as mp
import os
import random
import shutil
import sqlite3
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CAMPAIGN_TODAY", "2026-11-28")

from campaign import demo, features  # noqa: E402
from campaign.infra import clock  # noqa: E402
from campaign.infra import db as database  # noqa: E402
from campaign.installs import entries as installs  # noqa: E402
from campaign.org import access  # noqa: E402
from tests.e2e.conftest import Server  # noqa: E402

ADMIN = access.Actor("bench", access.ADMIN)
WECHAT = ("Mozilla/5.0 (Linux; Android 14; V2309A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
          "Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160117 MicroMessenger/8.0.48.2580 WeChat/arm64 Weixin")
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def quantile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] if values else 0.0


# ---- savers -------------------------------------------------------------------------------------

def _saver(path, unit_id, people, saves, day, latencies, failures, lock):
    db = database.connect(path)
    rng = random.Random(unit_id)
    mine, errors = [], []
    for _ in range(saves):
        values = {sid: rng.randint(0, 40) for sid in rng.sample(people, k=min(len(people), 10))}
        start = time.perf_counter()
        try:
            installs.save_entries(db, ADMIN, unit_id, day, values)
        except Exception as error:  # noqa: BLE001 — every failure is counted
            errors.append(f"{type(error).__name__}: {error}")
        mine.append(time.perf_counter() - start)
    db.conn.close()
    with lock:
        latencies += mine
        failures += errors


def _saver_process(path, jobs, saves, day, queue):
    latencies, failures, lock = [], [], threading.Lock()
    threads = [threading.Thread(target=_saver, args=(path, uid, people, saves, day, latencies, failures, lock))
               for uid, people in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, failures))


def save_round(path, jobs, saves, processes=6):
    """Every saver saves `saves` times; returns (latencies, failures, seconds)."""
    queue, procs = mp.Queue(), []
    start = time.perf_counter()
    for p in range(processes):
        proc = mp.Process(target=_saver_process, args=(path, jobs[p::processes], saves, clock.today().isoformat(), queue))
        proc.start()
        procs.append(proc)
    results = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    return [x for r in results for x in r[0]], [f for r in results for f in r[1]], time.perf_counter() - start


# ---- scanners -----------------------------------------------------------------------------------

def _scanner(port, codes, stop, rate, n, out):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    done, errors, i = 0, 0, 0
    rng = random.Random(n)
    pause = 1.0 / rate if rate else 0.0
    while not stop.is_set():
        i += 1
        try:
            conn.request("GET", f"/go/{rng.choice(codes)}", headers={"User-Agent": f"{WECHAT} bench/{n}-{i}"})
            answer = conn.getresponse()
            answer.read()
            done += 1 if answer.status == 200 else 0
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        if pause:
            time.sleep(pause)
    out.put((done, errors))


def _scanner_process(port, codes, threads, rate, stop, out):
    stop_local = threading.Event()
    workers = [threading.Thread(target=_scanner, args=(port, codes, stop_local, rate / threads if rate else 0, n, out))
               for n in range(threads)]
    for worker in workers:
        worker.start()
    stop.wait()
    stop_local.set()
    for worker in workers:
        worker.join()


def ttfb(port, agent, n=200):
    """Time to the status line and headers of /go/{code}, one request after the other on a fresh connection each."""
    found = []
    for i in range(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        start = time.perf_counter()
        conn.request("GET", f"/go/G01-00{i % 9 + 1}", headers={"User-Agent": f"{agent} ttfb/{i}"})
        answer = conn.getresponse()
        found.append(time.perf_counter() - start)
        answer.read()
        conn.close()
    return found


def counted(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT COALESCE(SUM(scans), 0) FROM scan_counts").fetchone()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--savers", type=int, default=150)
    parser.add_argument("--saves", type=int, default=10)
    parser.add_argument("--scanners", type=int, default=16, help="scanner threads (in one process)")
    parser.add_argument("--rate", type=float, default=0, help="scans a second in all (0: as fast as they go)")
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench-scans/demo.db"))
    args = parser.parse_args()

    template = args.db.with_name("template.db")
    if not template.exists():
        template.parent.mkdir(parents=True, exist_ok=True)
        db = features.connect(template)
        demo.load_demo(db, clock.today())
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.close()
    shutil.copy(template, args.db)
    for suffix in ("-wal", "-shm"):
        Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    db = features.connect(args.db)
    units = [uid for (uid,) in db.execute(
        "SELECT s.unit_id FROM staff s WHERE s.active = 1 GROUP BY s.unit_id HAVING COUNT(*) >= 5 ORDER BY s.unit_id")]
    jobs = [(uid, [sid for (sid,) in db.execute("SELECT id FROM staff WHERE unit_id = ? AND active = 1", [uid])])
            for uid in (units * (args.savers // len(units) + 1))[: args.savers]]
    codes = [code for (code,) in db.execute("SELECT code FROM scan_codes")]
    db.conn.close()

    server = Server(args.db)
    try:
        page, redirect = ttfb(server.port, WECHAT), ttfb(server.port, IPHONE)
        print(f"time to first byte, {len(page)} requests each: landing page median {ms(statistics.median(page))}, "
              f"p95 {ms(quantile(page, .95))}; iPhone redirect median {ms(statistics.median(redirect))}, "
              f"p95 {ms(quantile(redirect, .95))}")
        time.sleep(2)

        alone, failures, seconds = save_round(args.db, jobs, args.saves)
        print(f"{len(jobs)} savers × {args.saves} saves without scans: {seconds:.1f} s; p50 {ms(statistics.median(alone))}, "
              f"p99 {ms(quantile(alone, .99))}, max {ms(max(alone))}; failures {len(failures)}")

        before = counted(args.db)
        stop, out = mp.Event(), mp.Queue()
        scanner = mp.Process(target=_scanner_process, args=(server.port, codes, args.scanners, args.rate, stop, out))
        start = time.perf_counter()
        scanner.start()
        time.sleep(1)
        during, failures, seconds = save_round(args.db, jobs, args.saves)
        stop.set()
        results = [out.get() for _ in range(args.scanners)]
        scanned = time.perf_counter() - start
        scanner.join()
        done, errors = sum(r[0] for r in results), sum(r[1] for r in results)
        time.sleep(3)  # the flusher writes about once a second
        stored = counted(args.db) - before
        print(f"{len(jobs)} savers × {args.saves} saves with scans: {seconds:.1f} s; p50 {ms(statistics.median(during))}, "
              f"p99 {ms(quantile(during, .99))}, max {ms(max(during))}; failures {len(failures)}")
        print(f"scans: {done} answered in {scanned:.1f} s = {done / scanned:.0f}/s ({args.scanners} clients"
              f"{f', paced to {args.rate:g}/s' if args.rate else ''}); errors {errors}; counted in the database {stored}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
