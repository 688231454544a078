"""compare --hourly: every hour of the typical year for each system, summing to the year."""

import csv
import io

import pytest
from typer.testing import CliRunner

import heatcalc
from heatcalc.cli import app
from heatcalc.simulate import HOURLY_COLUMNS, hourly_rows

from .conftest import ROOT

runner = CliRunner()


@pytest.mark.parametrize("name", ["chicago-dual-fuel", "sacramento-tou-economics", "boston-gas"])
def test_hours_sum_to_the_year(name):
    c = heatcalc.compare(ROOT / "profiles" / f"{name}.yaml")
    rows = list(hourly_rows(c))
    assert len(rows) == 8760 * len(c.rows)
    for r in c.rows:
        mine = [h for h in rows if h["system"] == r.system]
        assert sum(h["electricity_kwh"] for h in mine) == pytest.approx(r.electricity_kwh, rel=1e-9)
        assert sum(h["fuel_use"] for h in mine) == pytest.approx(r.fuel_use, rel=1e-9, abs=1e-9)
        assert sum(h["cost_usd"] for h in mine) == pytest.approx(r.annual_cost_usd, rel=1e-9)
    temps = c.home.weather.temp_f
    hp = [h for h in rows if h["system"] == "heat_pump"]
    assert [h["outdoor_f"] for h in hp[:48]] == pytest.approx(list(temps[:48]))
    assert hp[0]["hour"] == "01-01 01:00" and hp[-1]["hour"] == "12-31 24:00"
    # energy is conserved hour by hour: heat pump output + backup = the load
    for h in hp:
        assert h["heat_pump_btu"] + h["backup_heat_btu"] == pytest.approx(h["load_btu"], abs=1e-6)


def test_heat_pump_cop_is_compressor_heat_over_compressor_electricity():
    c = heatcalc.compare(ROOT / "profiles" / "boston-gas.yaml")
    for h in hourly_rows(c):
        if h["system"] != "heat_pump" or not h["heat_pump_btu"] or h["backup_heat_btu"]:
            continue
        # no backup in this hour: all the electricity is the compressor's
        assert h["heat_pump_cop"] == pytest.approx(h["heat_pump_btu"] / (h["electricity_kwh"] * 3412.14163))
        break
    else:
        pytest.fail("no hour without backup")


def test_compare_writes_the_hourly_file(tmp_path):
    out = tmp_path / "hours.csv"
    r = runner.invoke(app, ["compare", str(ROOT / "profiles" / "denver-gas.yaml"), "--hourly", str(out), "-f", "csv"])
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert tuple(rows[0]) == HOURLY_COLUMNS and len(rows) == 3 * 8760
    assert [p.name for p in tmp_path.iterdir()] == ["hours.csv"]  # written whole, no temporary left
    profile = tmp_path / "home.yaml"
    profile.write_text((ROOT / "profiles" / "denver-gas.yaml").read_text())
    bad = runner.invoke(app, ["compare", str(profile), "--hourly", str(profile)])
    assert bad.exit_code == 2 and "is one of the inputs" in bad.stderr
