"""Batch speed and memory (issue 3 targets, on this 2-core machine):

* 10,000 YAML profiles: under 30 s;
* 100,000 homes from a CSV: under 60 s with peak memory under 500 MB; 1,000,000 homes: memory no higher;
* the engine vectorised across homes: at least 2,000 home-years per second per core.

Inputs are realistic: homes spread over all 1,020 embedded weather stations, with varied loads, fuels, heat pumps
(some dual fuel) and prices.  About 1 % of them, at tropical stations (Hawaii, Puerto Rico, Guam) whose air never
falls below the home's balance point, fail and are reported, as they would be for a real housing stock.

Run by hand:  python benchmarks/bench_batch.py [--quick]   (--quick: 1/10 of the sizes)
Peak memory is the largest resident set of the heatcalc process and of its worker processes (ru_maxrss).
"""

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

def stations() -> list[str]:
    """Every embedded TMY3 station the model can use: homes are spread over all of them, as a housing stock is."""
    from heatcalc.weather.stations import all_stations

    return [s.usaf for s in all_stations() if s.usable]


COMPRESSORS = ["single_stage", "two_stage", "variable_speed"]


def write_profiles(folder: Path, n: int) -> None:
    """Homes over every station, with bills of each fuel, varied heat pumps (some dual fuel) and prices."""
    rng = random.Random(1)
    ids = stations()
    for i in range(n):
        fuel, unit, lo, hi = rng.choice([("natural_gas", "therm", 300, 1500), ("propane", "gal", 300, 1400),
                                         ("heating_oil", "gal", 250, 1000), ("electricity", "kWh", 6000, 30000)])
        backup = "furnace" if fuel != "electricity" and rng.random() < 0.25 else "electric_resistance"
        (folder / f"home{i:06d}.yaml").write_text(
            f"name: home {i}\nlocation: {{station: \"{rng.choice(ids)}\"}}\nheating_load:\n  from_bills: "
            f"{{fuel: {fuel}, amount: {rng.randint(lo, hi)} {unit}}}\n"
            f"systems:\n  heat_pump: {{hspf2: {rng.choice([7.5, 8.1, 9, 10])}, compressor: {rng.choice(COMPRESSORS)}, "
            f"backup: {backup}}}\n"
            f"prices: {{electricity: {rng.uniform(0.09, 0.40):.3f}}}\n")


def write_table(path: Path, n: int) -> None:
    """A homes table over every station: varied heat, heat pumps, furnace efficiency and prices."""
    rng = random.Random(2)
    ids = stations()
    with open(path, "w") as fh:
        fh.write("location.station,heating_load.annual,heating_load.balance_point,systems.heat_pump.hspf2,"
                 "systems.heat_pump.compressor,systems.furnace.afue,prices.electricity,prices.natural_gas\n")
        for _ in range(n):
            fh.write(f"{rng.choice(ids)},{rng.randint(20, 140)} MMBtu,{rng.choice([55, 58, 60, 62, 65])},"
                     f"{rng.choice([7.5, 8.1, 9, 10])},{rng.choice(COMPRESSORS)},{rng.choice([0.8, 0.9, 0.95])},"
                     f"{rng.uniform(0.09, 0.40):.3f},{rng.uniform(0.8, 2.5):.2f}\n")


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and the peak RSS [MB] of heatcalc or any of its workers (ru_maxrss is in kB on Linux)."""
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    # heatcalc runs as the child of a small timer process, its workers as grandchildren: RUSAGE_CHILDREN of the
    # timer covers the largest of them all.
    out = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "heatcalc", *args],
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]) / 1024


def engine_rate() -> float:
    from heatcalc.home import build_home
    from heatcalc.profile import validate
    from heatcalc.simulate import compare_many

    rng = random.Random(3)
    homes = [build_home(validate({"location": {"zip": "60614"}, "heating_load": {"annual": f"{rng.randint(20, 140)}"},
                                  "systems": {"heat_pump": {"hspf2": rng.choice([7.5, 8.1, 9.0])}}}, "x"))
             for _ in range(2000)]
    compare_many(homes[:10])
    start = time.perf_counter()
    compare_many(homes)
    return len(homes) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    print(f"engine + costs, 2,000 homes at one station on one core: {engine_rate():,.0f} home-years/s "
          "(target >= 2,000 per core)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        n = 10_000 // scale
        folder = tmp / "profiles"
        folder.mkdir()
        write_profiles(folder, n)
        secs, rss = timed(["batch", str(folder), "-o", str(tmp / "out1.csv")])
        print(f"{n:,} YAML profiles: {secs:6.1f} s ({n / secs:,.0f} homes/s), peak RSS {rss:,.0f} MB "
              f"(target {30 / scale:g} s)")
        for n in (100_000 // scale, 1_000_000 // scale):
            table = tmp / f"homes{n}.csv"
            write_table(table, n)
            secs, rss = timed(["batch", "--homes", str(table), "-o", str(tmp / "out2.csv")])
            print(f"{n:,} homes from CSV: {secs:6.1f} s ({n / secs:,.0f} homes/s), peak RSS {rss:,.0f} MB "
                  f"(targets: 100k under 60 s and 500 MB; 1M no more memory than 100k)")
            (tmp / "out2.csv").unlink()


if __name__ == "__main__":
    main()
