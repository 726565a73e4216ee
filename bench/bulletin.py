"""Making the daily bulletin (通报): the phone image, the A4 PDF and the workbook, as the bulletin page does (issue 21).

    python bench/bulletin.py                                   # the demo county (built fresh)
    python bench/bulletin.py --city /tmp/city/city.db --runs 7  # the benchmark city too (built by bench/city.py)

Each run builds the bulletin from the summaries (`bulletin.build`) and renders all three files in one language, in
the same process, as one press of 生成通报 does; the first run of a process (fonts read, modules warmed) is printed
apart. Goal: ≤ 1.5 s for the county, the city within 2× the county.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CAMPAIGN_TODAY", "2026-11-28")

from campaign import demo, features  # noqa: E402
from campaign.infra import clock  # noqa: E402
from campaign.supervision import bulletin, bulletin_render  # noqa: E402

GOAL_S = 1.5


def make(db, lang: str) -> dict:
    """Seconds per step of one bulletin: build, png, pdf, xlsx."""
    times, began = {}, time.perf_counter()
    made = bulletin.build(db, clock.today())
    times["build"] = time.perf_counter() - began
    for kind, render in (("png", bulletin_render.png_bytes), ("pdf", bulletin_render.pdf_bytes),
                         ("xlsx", bulletin_render.xlsx_bytes)):
        began = time.perf_counter()
        render(made, lang)
        times[kind] = time.perf_counter() - began
    times["total"] = sum(times.values())
    return times


def measure(name: str, path: Path, runs: int) -> dict:
    db = features.connect(path)
    results = {}
    for lang in ("zh", "en"):
        first = make(db, lang)
        rest = [make(db, lang) for _ in range(runs)]
        med = {step: statistics.median(r[step] for r in rest) for step in rest[0]}
        results[lang] = med["total"]
        steps = ", ".join(f"{step} {med[step]:.2f}" for step in ("build", "png", "pdf", "xlsx"))
        print(f"{'PASS' if med['total'] <= GOAL_S else 'FAIL'}  {name:<12} {lang}: median {med['total']:.2f} s"
              f" ({steps}); first of the process {first['total']:.2f} s", flush=True)
    db.conn.close()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo-db", default=None)
    parser.add_argument("--city", default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; goal ≤ {GOAL_S} s, city ≤ 2× county")
    with tempfile.TemporaryDirectory(prefix="bench-bulletin-") as folder:
        county = Path(args.demo_db) if args.demo_db else Path(folder) / "demo.db"
        if not args.demo_db:
            conn = features.connect(county)
            demo.load_demo(conn)
            conn.conn.close()
        base = measure("demo county", county, args.runs)
        if args.city:
            city = measure("city", Path(args.city), args.runs)
            for lang in base:
                ratio = city[lang] / base[lang]
                print(f"{'PASS' if ratio <= 2 else 'FAIL'}  city / county {lang}: {ratio:.2f}×")


if __name__ == "__main__":
    main()
