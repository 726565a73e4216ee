"""Benchmark: sign-in bursts with the production argon2 parameters (issue 16's figures).

Run: python bench/sign_in.py [--root PATH]
Three bursts, each in a fresh process on a fresh database, all threads released at once as the server's script
threads would be:
  strangers  50 parallel sign-ins with unknown names: peak resident memory above the idle process (VmHWM) and wall;
  burst      20 users signing in at once with the right passwords: p50, p99 and slowest latency;
  guesses    40 parallel wrong passwords for one account: passwords actually checked against a hash.
--root runs another checkout's code (e.g. an export of main) for a before/after comparison.
Not a test: timings depend on the machine (the load average is printed: other processes share the cores).
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def resident_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":")) / 1024


def burst(scenario: str) -> dict:
    """One burst in this process (run by main() in a child of its own)."""
    from campaign import features
    from campaign.accounts import auth, users
    from campaign.infra import db as database
    from campaign.infra.errors import CampaignError
    from campaign.org.access import Actor

    folder = Path(tempfile.mkdtemp(prefix="bench-sign-in-"))
    db = features.connect(folder / "campaign.db")
    admin = Actor("bench", "admin")
    names = [f"user{i:02d}" for i in range(20 if scenario == "burst" else 1)]
    for name in names:
        users.add_user(db, admin, name, "leader", password=f"{name}-password", must_change=False)
    real = users.HASHER

    class Counting:  # the production hasher, counting the passwords it checks
        checked = 0
        lock = threading.Lock()

        def verify(self, hashed, password):
            with self.lock:
                Counting.checked += 1
            return real.verify(hashed, password)

        def __getattr__(self, name):
            return getattr(real, name)

    users.HASHER = Counting()
    tries = {"strangers": [(f"nobody{i}", "guess-guess") for i in range(50)],
             "burst": [(name, f"{name}-password") for name in names],
             "guesses": [(names[0], f"wrong-{i}") for i in range(40)]}[scenario]
    start = threading.Barrier(len(tries))
    idle = resident_mb("VmRSS")

    def attempt(name_password):
        conn = database.connect(folder / "campaign.db")
        start.wait()
        began = time.perf_counter()
        try:
            auth.sign_in(conn, *name_password)
            answer = "signed in"
        except CampaignError as error:
            answer = error.code
        finally:
            conn.conn.close()
        return answer, time.perf_counter() - began

    began = time.perf_counter()
    with ThreadPoolExecutor(len(tries)) as pool:
        results = list(pool.map(attempt, tries))
    wall = time.perf_counter() - began
    latencies = sorted(seconds for _answer, seconds in results)
    return {"scenario": scenario, "tries": len(tries), "wall_s": round(wall, 2),
            "peak_mb_above_idle": round(resident_mb("VmHWM") - idle), "checked": Counting.checked,
            "p50_s": round(latencies[len(latencies) // 2], 2),
            "p99_s": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
            "max_s": round(latencies[-1], 2), "answers": dict(collections.Counter(a for a, _s in results)),
            "cpu_s": round(time.process_time(), 2), "load_1min": os.getloadavg()[0]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="The checkout whose campaign package to measure.")
    parser.add_argument("--scenario", help=argparse.SUPPRESS)  # one burst, in a child process
    args = parser.parse_args()
    if args.scenario:
        sys.path.insert(0, str(args.root))
        print(json.dumps(burst(args.scenario), ensure_ascii=False))
        return
    print(f"code: {args.root}")
    for scenario in ("strangers", "burst", "guesses"):
        out = subprocess.run([sys.executable, __file__, "--root", str(args.root), "--scenario", scenario],
                             capture_output=True, text=True, check=True, cwd=args.root)
        print(out.stdout.strip())


if __name__ == "__main__":
    main()
