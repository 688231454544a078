import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROFILES = sorted((ROOT / "profiles").glob("*.yaml"))

#: ``heatcalc`` as a terminal starts it, Ctrl-C raising as it does by default, for the tests that send one: a suite
#: started as a background job of a non-interactive shell (``pytest &``) runs with SIGINT and SIGQUIT ignored, as
#: POSIX shells set for such jobs, and its subprocesses inherit that -- heatcalc then ignores the Ctrl-C, as any
#: program must, and a test waiting for it to stop waited for ever.
HEATCALC_AT_A_TERMINAL = [sys.executable, "-c", "import runpy, signal; "
                          "signal.signal(signal.SIGINT, signal.default_int_handler); "
                          "signal.signal(signal.SIGQUIT, signal.SIG_DFL); "
                          "runpy.run_module('heatcalc', run_name='__main__', alter_sys=True)"]

# Fixed terminal width and no colour, so table output is the same everywhere.
os.environ.setdefault("COLUMNS", "100")
os.environ["NO_COLOR"] = "1"
os.environ.pop("FORCE_COLOR", None)
# A bug on the columnar route fails the test rather than quietly sending its rows home by home (which gives the same
# rows, slower: tests comparing the routes would pass while the fast route covered nothing).
os.environ["HEATCALC_STRICT_FAST_ROUTE"] = "1"


@pytest.fixture
def write(tmp_path):
    """Write a text file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return _write


@pytest.fixture
def cli():
    """Run the real CLI (``python -m heatcalc ARGS``) in a subprocess; text stdout and stderr, never a traceback."""
    import subprocess
    import sys

    def _run(*args, input=None, timeout=120, cwd=None, env=None):
        proc = subprocess.run([sys.executable, "-m", "heatcalc", *map(str, args)], input=input, capture_output=True,
                              text=True, timeout=timeout, cwd=cwd, env={**os.environ, **(env or {})})
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc

    return _run
