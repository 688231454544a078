"""Golden outputs for the example profiles.

Regenerate after an intended change with ``HEATCALC_REGEN_GOLDEN=1 pytest tests/test_golden.py`` and review the diff.
"""

import csv
import io
import os

import pytest
from typer.testing import CliRunner

from heatcalc.cli import app

from .conftest import PROFILES

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")


@pytest.mark.parametrize("profile", PROFILES, ids=[p.stem for p in PROFILES])
def test_example_profile_matches_golden_csv(profile):
    result = CliRunner().invoke(app, ["compare", str(profile), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    path = os.path.join(GOLDEN, profile.stem + ".csv")
    if os.environ.get("HEATCALC_REGEN_GOLDEN"):
        with open(path, "w") as fh:
            fh.write(result.stdout)
    with open(path) as fh:
        expected = list(csv.DictReader(fh))
    got = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["system"] for r in got] == [r["system"] for r in expected]
    for g, e in zip(got, expected):
        for key, value in e.items():
            try:
                assert float(g[key]) == pytest.approx(float(value), rel=1e-9, abs=1e-9), key
            except ValueError:
                assert g[key] == value, key


@pytest.mark.parametrize("profile", PROFILES, ids=[p.stem for p in PROFILES])
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_example_profile_runs_in_every_format(profile, fmt):
    result = CliRunner().invoke(app, ["compare", str(profile), "--format", fmt, "--explain"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip()
