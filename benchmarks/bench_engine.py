"""Speed of the engine for one home-year (issue 2 target: under 5 ms per home-year on this 2-core machine).

Run by hand:  python benchmarks/bench_engine.py
"""

import time
from pathlib import Path

from heatcalc.home import build_home
from heatcalc.profile import load_profile
from heatcalc.simulate import annual_energy, compare_home

ROOT = Path(__file__).resolve().parents[1]


def per_call_ms(fn, repeat: int = 300) -> float:
    fn()
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat * 1000


def main() -> None:
    for name in ("boston-gas", "chicago-dual-fuel", "minneapolis-propane"):
        home = build_home(load_profile(ROOT / "profiles" / f"{name}.yaml"))
        hourly = per_call_ms(lambda h=home: annual_energy(h, binned=False))
        binned = per_call_ms(lambda h=home: annual_energy(h, binned=True))
        full = per_call_ms(lambda h=home: compare_home(h))
        print(f"{name:22s} engine, 8,760 hours: {hourly:6.3f} ms   binned: {binned:6.3f} ms   "
              f"compare_home (engine + costs): {full:6.3f} ms   target < 5 ms")


if __name__ == "__main__":
    main()
