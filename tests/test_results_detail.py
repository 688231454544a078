"""Monthly results, peak demand and its hour, the heat pump's balance point, and `heatcalc rating`."""

import csv
import io
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from heatcalc.cli import app
from heatcalc.home import build_home
from heatcalc.model.engine import heat_pump_hourly
from heatcalc.model.load import heat_load_btu_per_h
from heatcalc.profile import load_profile
from heatcalc.simulate import annual_energy, compare_home, monthly_rows
from heatcalc.weather.stations import HOUR_MONTH, hour_label

from .conftest import ROOT

runner = CliRunner()
PROFILE = ROOT / "profiles" / "minneapolis-propane.yaml"


def test_hour_labels():
    assert hour_label(0) == "01-01 01:00"
    assert hour_label(23) == "01-01 24:00"
    assert hour_label(24 * 31) == "02-01 01:00"
    assert hour_label(8759) == "12-31 24:00"
    assert len(HOUR_MONTH) == 8760 and HOUR_MONTH[-1] == 11


def test_months_add_up_to_the_year():
    c = compare_home(build_home(load_profile(PROFILE)))
    rows = monthly_rows(c)
    for result in c.results:
        mine = [r for r in rows if r["system"] == result.system]
        assert [r["month"] for r in mine] == list(range(1, 13))
        assert sum(r["cost_usd"] for r in mine) == pytest.approx(result.annual_cost_usd, rel=1e-9)
        assert sum(r["heat_delivered_mmbtu"] for r in mine) == pytest.approx(result.energy.heat_mmbtu, rel=1e-9)
        assert max(r["peak_electric_kw"] for r in mine) == pytest.approx(result.energy.peak_electric_kw)


def test_peak_hour_is_the_same_hourly_and_binned():
    home = build_home(load_profile(PROFILE))
    hourly = annual_energy(home, binned=False)
    binned = annual_energy(home, binned=True)
    for system in hourly:
        assert binned[system].peak_electric_kw == pytest.approx(hourly[system].peak_electric_kw)
        t = home.weather.temp_f
        assert t[binned[system].peak_index] == t[hourly[system].peak_index]  # same temperature, the peak's
    # the peak of the heat pump with strips is the coldest hour's: all backup at the highest load
    load = heat_load_btu_per_h(home.ua_btu_per_h_f, home.weather.temp_f, home.balance_point_f)
    kwh = heat_pump_hourly(load, home.weather.temp_f, home.heat_pump).electricity_kwh
    assert int(np.argmax(kwh)) == hourly["heat_pump"].peak_index


def test_balance_point_is_where_capacity_meets_load():
    home = build_home(load_profile(PROFILE))
    row = compare_home(home).result("heat_pump")
    t = row.balance_point_f
    cap = float(home.heat_pump.curve.capacity_max(t))
    load = home.ua_btu_per_h_f * (home.balance_point_f - t)
    assert cap == pytest.approx(load, rel=0.01)


def test_monthly_cli_formats():
    r = runner.invoke(app, ["compare", str(PROFILE), "--monthly", "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 36 and rows[0]["month"] == "1"
    doc = json.loads(runner.invoke(app, ["compare", str(PROFILE), "--monthly", "-f", "json"]).stdout)[0]
    assert len(doc["monthly"]) == 36
    table = runner.invoke(app, ["compare", str(PROFILE), "--monthly"]).stdout
    assert "Cost by month" in table and "█" in table


def test_rating_cli():
    r = runner.invoke(app, ["rating", str(ROOT / "profiles" / "boston-gas.yaml"), "-f", "json"])
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)[0]["hspf2"] == pytest.approx(8.1, abs=1e-4)  # the calibrated default curve
    r = runner.invoke(app, ["rating", "--points", "47:3.0:36000,17:3.0:36000", "--cd", "0", "-f", "json"])
    # flat COP 3 with more capacity than most bins need: between 3 × 3.412 (all heat pump) and resistance
    assert 3.41 < json.loads(r.stdout)[0]["hspf2"] < 3 * 3.4122
    for bad in (["rating"], ["rating", "--points", "47:3"], ["rating", "--points", "47:0.5:1000,17:2:900"],
                ["rating", "--points", "47:3:36000,17:2:20000", "--compressor", "two_stage"]):
        r = runner.invoke(app, bad)
        assert r.exit_code == 2 and r.stdout == "" and "Error" in r.stderr
