"""`heatcalc.compare_frame` from pandas: the wide shape (one row per home, with kept input columns) against the long
shape (a row per home and system), in the same run (issue 32's target: the wide within 1.5x of the long).

The frame is the batch benchmark's housing stock (benchmarks/bench_batch.py: homes over all 1,020 stations, by
station, ZIP code or state, varied loads, heat pumps, fuels and prices), read into pandas as an analyst would.  Each
shape runs `--repeat` times, the two interleaved, so a busy machine slows both alike; the medians are compared.
The progress bar is off here (it is timed on its own with --progress: a frame of more than 8,192 homes advances
it piece by piece).

Run by hand:  python benchmarks/bench_frames.py [--homes 10000] [--repeat 5] [--progress]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import write_table  # noqa: E402  (the same homes as the batch benchmark)

KEEP = ["location.station", "location.state", "systems.heat_pump.hspf2", "prices.electricity"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--homes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--progress", action="store_true", help="also time the long shape with its progress bar")
    args = parser.parse_args()

    import pandas as pd

    import heatcalc

    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "homes.csv"
        write_table(table, args.homes)
        df = pd.read_csv(table, dtype=str, keep_default_na=False).set_index("home")
    heatcalc.compare_frame(df.iloc[:200], progress=False)  # (the station data and memos, as a notebook's first call)
    runs = {"long": [], "wide, kept columns": []}
    shapes = {}
    for _ in range(args.repeat):
        for label, kwargs in (("long", {}), ("wide, kept columns", {"shape": "wide", "keep_columns": KEEP})):
            start = time.perf_counter()
            shapes[label] = heatcalc.compare_frame(df, progress=False, **kwargs)
            runs[label].append(time.perf_counter() - start)
    long_s, wide_s = (statistics.median(runs[k]) for k in runs)
    print(f"{args.homes:,} homes: long {long_s:.2f} s ({len(shapes['long']):,} rows), wide with {len(KEEP)} kept "
          f"columns {wide_s:.2f} s ({len(shapes['wide, kept columns']):,} rows): {wide_s / long_s:.2f}x the long "
          "shape (target <= 1.5x)")
    if args.progress:
        start = time.perf_counter()
        heatcalc.compare_frame(df, progress=True)
        print(f"long with its progress bar: {time.perf_counter() - start:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
