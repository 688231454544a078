"""Wall time of `heatcalc compare` end to end against the bare imports it cannot avoid.

Run by hand (not part of the tests):  python benchmarks/bench_cli.py [--runs 30]
Targets (issue 2): under 0.4 s, and at most 1.5 × `python -c "import numpy, typer, rich"`.
Issue 20: a compare with a URDB tariff and rooftop solar (profiles/boston-tariff-solar.yaml) under 2 × the plain
compare; measured with the PV cache warm (the array computed before, as on every run after a profile's first) and
cold (an empty cache each run: pvlib is imported and the year computed).
Bytecode is compiled first, as `pip install` does, so the figures match an installed tool.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import compile_bytecode  # noqa: E402  (as the batch benchmark compiles it)


def wall(cmd: list[str], runs: int, env: dict) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    env = compile_bytecode()
    exe = shutil.which("heatcalc", path=str(Path(sys.executable).parent)) or "heatcalc"
    profile = str(ROOT / "profiles" / "boston-gas.yaml")
    base_med, base_min = wall([sys.executable, "-c", "import numpy, typer, rich"], args.runs, env)
    print(f"baseline  python -c 'import numpy, typer, rich': median {base_med * 1000:6.1f} ms  min "
          f"{base_min * 1000:6.1f} ms")
    for label, extra in (("table", []), ("csv", ["--format", "csv"]), ("json", ["--format", "json"])):
        med, low = wall([exe, "compare", profile, *extra], args.runs, env)
        verdict = "ok" if med < 0.4 and med <= 1.5 * base_med else "OVER TARGET"
        print(f"compare --format {label:5s}: median {med * 1000:6.1f} ms  min {low * 1000:6.1f} ms  "
              f"ratio {med / base_med:4.2f}x  {verdict}")
        if label == "table":
            plain = med
    import tempfile

    solar = str(ROOT / "profiles" / "boston-tariff-solar.yaml")
    with tempfile.TemporaryDirectory() as cache:
        warm_env = {**env, "HEATCALC_CACHE_DIR": cache}
        subprocess.run([exe, "compare", solar], stdout=subprocess.DEVNULL, check=True, env=warm_env)
        med, low = wall([exe, "compare", solar], args.runs, warm_env)
        print(f"compare, URDB tariff + solar, cache warm: median {med * 1000:6.1f} ms  min {low * 1000:6.1f} ms  "
              f"{med / plain:4.2f}x the plain compare  {'ok' if med < 2 * plain else 'OVER TARGET'}")
    cold = []
    for _ in range(max(3, args.runs // 5)):
        with tempfile.TemporaryDirectory() as cache:
            start = time.perf_counter()
            subprocess.run([exe, "compare", solar], stdout=subprocess.DEVNULL, check=True,
                           env={**env, "HEATCALC_CACHE_DIR": cache})
            cold.append(time.perf_counter() - start)
    print(f"compare, URDB tariff + solar, cache cold: median {statistics.median(cold) * 1000:6.1f} ms "
          "(pvlib imported, the array's year computed)")


if __name__ == "__main__":
    main()
