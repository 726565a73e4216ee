"""Benchmark: one flyer for each of 500 locations, per flyer kind, with one shared QR target and with one per location.

Run: python bench/flyers.py [--locations 500] [--out DIR]
Prints wall and CPU seconds, pages, PDF size and QR builds (cache misses: one per distinct target).
Not a test: timings depend on the machine.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaign.flyers import render as flyers  # noqa: E402
from campaign.flyers.render import Location, Options  # noqa: E402

TARGETS = {"shared": flyers.DEFAULT_TARGET, "per-location": "https://fz.example.gov.cn/q/{code}"}
KINDS = {"window": "window", "grid": "grid", "class": "class"}


def locations(n: int) -> list[Location]:
    """n synthetic locations spread over 9 townships: windows, grids and classes in turn."""
    kinds = list(KINDS)
    return [Location(f"B{i:04d}", f"演示点位第{i}号", kinds[i % 3], f"演示单位{i // 20}", f"演示镇{i % 9 + 1}",
                     contact="网格员 演示 13800000000" if i % 3 == 1 else "") for i in range(n)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locations", type=int, default=500)
    parser.add_argument("--out", type=Path, default=None, help="Keep the PDFs in this folder.")
    args = parser.parse_args()
    places = locations(args.locations)
    print(f"{args.locations} locations, one flyer (page) each")
    print(f"{'kind':8} {'target':13} {'seconds':>8} {'cpu s':>6} {'pages':>6} {'MB':>6} {'QR builds':>9} {'ms/page':>8}")
    for label, target in TARGETS.items():
        for kind in flyers.KINDS:
            flyers.qr_path.cache_clear()
            started, cpu = time.perf_counter(), time.process_time()
            data = flyers.render_pdf(kind, places, Options(target=target, county="全南县（演示）", campaign="基准测试"))
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            builds = flyers.qr_path.cache_info().misses
            print(f"{kind:8} {label:13} {seconds:8.2f} {cpu:6.2f} {len(places):6} {len(data) / 1e6:6.2f} {builds:9} "
                  f"{seconds * 1000 / len(places):8.1f}")
            if args.out:
                args.out.mkdir(parents=True, exist_ok=True)
                (args.out / f"{kind}-{label}.pdf").write_bytes(data)
    for kind in flyers.KINDS:
        started = time.perf_counter()
        flyers.render_png(kind, places[0], Options(target=TARGETS["per-location"]))
        single = time.perf_counter() - started
        started = time.perf_counter()
        flyers.render_pngs(kind, places[:50], Options(target=TARGETS["per-location"]))
        print(f"{kind} PNG: one {single:.2f} s; 50 in one batch {time.perf_counter() - started:.2f} s")

if __name__ == "__main__":
    main()
