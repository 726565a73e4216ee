"""Coordinators saving at once (issue 21): latency of each save under a rush, against a bare SQLite floor.

    python bench/saves.py                                   # /tmp/city/city.db (built by bench/city.py)
    python bench/saves.py --db PATH --savers 150 --saves 5 --processes 1 2

Each saver is a thread with its own connection, as each browser session is in the app, saving ten people's counts
of one unit five times in a row through `installs.save_entries` (checks, the reports, the entry, the audit trail and
the summaries, in one transaction). All savers start at once; `--processes 2` splits them over two processes, as
two app processes behind the proxy would. The floor is the same rush writing the same rows with bare sqlite3 (BEGIN
IMMEDIATE, ten inserts into a table of the same columns, COMMIT): what SQLite alone costs on this disk. Every saver's
last value must be the one the database holds (lost = 0) and no save may fail ('database is locked' = 0).
"""

import argparse
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

from campaign import features  # noqa: E402
from campaign.infra import clock  # noqa: E402
from campaign.infra import db as database  # noqa: E402
from campaign.installs import entries as installs  # noqa: E402
from campaign.installs import rankings, reference  # noqa: E402
from campaign.org import access  # noqa: E402

ADMIN = access.Actor("admin", access.ADMIN)
GOAL_P99 = 0.5


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] if ordered else 0.0


def _app_saver(path, unit_id, people, saves, day, start, out):
    db = database.connect(path)
    rng = random.Random(unit_id)
    last, latencies, failures = {}, [], []
    start.wait()
    for _ in range(saves):
        values = {sid: rng.randint(0, 40) for sid in rng.sample(people, k=min(len(people), 10))}
        began = time.perf_counter()
        try:
            installs.save_entries(db, ADMIN, unit_id, day, values)
            last.update(values)
        except Exception as error:  # noqa: BLE001 — every failure is counted, whatever it is
            failures.append(f"{type(error).__name__}: {error}")
        latencies.append(time.perf_counter() - began)
    db.conn.close()
    out.append((last, latencies, failures))


def _floor_saver(path, unit_id, people, saves, day, start, out):
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=30000")
    rng = random.Random(unit_id)
    latencies, failures = [], []
    start.wait()
    for _ in range(saves):
        rows = [(sid, day, rng.randint(0, 40), unit_id) for sid in rng.sample(people, k=min(len(people), 10))]
        began = time.perf_counter()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT INTO bench_floor (staff_id, day, installs, entry_id) VALUES (?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            failures.append(f"{type(error).__name__}: {error}")
        latencies.append(time.perf_counter() - began)
    conn.close()
    out.append(({}, latencies, failures))


def _process(kind, path, jobs, saves, day, go, queue):
    saver = _app_saver if kind == "app" else _floor_saver
    start, out = threading.Barrier(len(jobs) + 1), []
    threads = [threading.Thread(target=saver, args=(path, uid, people, saves, day, start, out)) for uid, people in jobs]
    for thread in threads:
        thread.start()
    go.wait()
    start.wait()
    for thread in threads:
        thread.join()
    last = {key: value for result in out for key, value in result[0].items()}
    queue.put((list(last.items()), [x for r in out for x in r[1]], [f for r in out for f in r[2]]))


def rush(kind, path, jobs, saves, day, processes):
    """(seconds, latencies, failures, last values) of one rush of every job, split over `processes`."""
    ctx = mp.get_context("fork")
    go, queue = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_process, args=(kind, path, jobs[p::processes], saves, day, go, queue))
             for p in range(processes)]
    for proc in procs:
        proc.start()
    time.sleep(1.0)  # every thread connected and waiting at its barrier
    began = time.perf_counter()
    go.set()
    results = [queue.get() for _ in procs]
    elapsed = time.perf_counter() - began
    for proc in procs:
        proc.join()
    last = {key: value for r in results for key, value in r[0]}
    return elapsed, [x for r in results for x in r[1]], [f for r in results for f in r[2]], last


def line(label, elapsed, latencies, failures, goal=None):
    p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    verdict = "" if goal is None else ("PASS  " if p99 <= goal and not failures else "FAIL  ")
    print(f"{verdict:6}{label:<34} {len(latencies) / elapsed:7.0f} saves/s   p50 {p50 * 1000:6.1f} ms"
          f"   p99 {p99 * 1000:7.1f} ms   max {max(latencies) * 1000:7.1f} ms   failures {len(failures)}", flush=True)
    return p50, p99, len(latencies) / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="/tmp/city/city.db")
    parser.add_argument("--work", default="/tmp/city/saves")
    parser.add_argument("--savers", type=int, default=150)
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    path = str(work / "saves.db")
    source = features.connect(args.db)
    source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    source.conn.close()
    shutil.copyfile(args.db, path)
    db = features.connect(path)
    db.execute("CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, staff_id INTEGER, day TEXT,"
               " installs INTEGER, entry_id INTEGER)")
    day = clock.today().isoformat()
    units = [uid for (uid,) in db.execute("SELECT unit_id FROM install_unit_totals ORDER BY unit_id LIMIT ?",
                                          [args.savers])]
    jobs = [(uid, [sid for (sid,) in db.execute("SELECT id FROM staff WHERE unit_id = ? AND active = 1", [uid])])
            for uid in units]
    print(f"{len(jobs)} savers × {args.saves} saves of 10 people each, on {args.db} (load {os.getloadavg()[0]:.1f})")
    one = [(uid, people) for uid, people in jobs[:1]]
    _, alone, _, _ = rush("app", path, one * 1, args.saves * 4, day, 1)
    _, bare, _, _ = rush("floor", path, one * 1, args.saves * 4, day, 1)
    print(f"      one save alone: app {statistics.median(alone) * 1000:.1f} ms, bare SQLite"
          f" {statistics.median(bare) * 1000:.1f} ms ({statistics.median(alone) / statistics.median(bare):.1f}×)")
    for processes in args.processes:
        elapsed, latencies, failures, last = rush("app", path, jobs, args.saves, day, processes)
        _, app_p99, app_rate = line(f"app, {processes} process(es)", elapsed, latencies, failures, GOAL_P99)
        f_elapsed, f_latencies, f_failures, _ = rush("floor", path, jobs, args.saves, day, processes)
        _, floor_p99, floor_rate = line(f"bare SQLite floor, {processes} process(es)", f_elapsed, f_latencies, f_failures)
        lost = 0
        for sid, value in last.items():
            held = db.execute("SELECT installs FROM install_reports WHERE staff_id = ? AND day = ?"
                              " AND superseded_by IS NULL", [sid, day]).fetchone()
            lost += held is None or held[0] != value
        locked = sum("locked" in f.lower() for f in failures)
        print(f"      lost {lost}, 'database is locked' {locked}; app/floor: p99 {app_p99 / floor_p99:.1f}×,"
              f" throughput {app_rate / floor_rate:.2f}×", flush=True)
    same = rankings.unit_ranking(db).equals(reference.unit_ranking_from_raw(db))
    print(f"summaries equal the raw rows after the rushes: {same}")
    db.conn.close()


if __name__ == "__main__":
    main()
