"""Wall time of `heatcalc compare` end to end against the bare imports it cannot avoid.

Run by hand (not part of the tests):  python benchmarks/bench_cli.py [--runs 30]
Targets (issue 2): under 0.4 s, and at most 1.5 × `python -c "import numpy, typer, rich"`.
Bytecode is compiled first, as `pip install` does, so the figures match an installed tool.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True, env=env,
                   stdout=subprocess.DEVNULL)
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


if __name__ == "__main__":
    main()
