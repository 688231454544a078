"""heatcalc's public names are typed as a type checker sees them (PEP 561: py.typed and the __init__.pyi stub),
not Any through the lazy module __getattr__."""

import subprocess
import sys

import pytest

from .conftest import ROOT

SCRIPT = """
import heatcalc

c = heatcalc.compare("profiles/boston-gas.yaml")
cost: float = c.rows[0].annual_cost_usd
cheapest: str = c.summary.cheapest
for r in heatcalc.compare_many(["profiles/boston-gas.yaml"]):
    if isinstance(r, heatcalc.ProfileError):
        print(r.problems[0].field)
    else:
        print(r.rows[0].system)
p: heatcalc.Profile = heatcalc.load_profile("profiles/boston-gas.yaml")
"""


def _mypy(tmp_path, text):
    pytest.importorskip("mypy")
    script = tmp_path / "study.py"
    script.write_text(text)
    return subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--ignore-missing-imports",
                           "--cache-dir", str(tmp_path / ".mypy"), str(script)], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)


def test_a_users_script_type_checks(tmp_path):
    r = _mypy(tmp_path, SCRIPT)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_names_are_not_any(tmp_path):
    # a wrong annotation is caught: the row's cost is a float, so it cannot be an int or a str
    r = _mypy(tmp_path, SCRIPT + "wrong: str = c.rows[0].annual_cost_usd\n")
    assert r.returncode == 1 and 'expression has type "float"' in r.stdout, r.stdout
