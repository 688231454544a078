import csv
import io
import json

import pytest
from typer.testing import CliRunner

from heatcalc.cli import app

from .conftest import ROOT

runner = CliRunner()
BOSTON = str(ROOT / "profiles" / "boston-gas.yaml")


def test_sweep_costs_are_linear_in_price_and_breakeven_matches_compare():
    r = runner.invoke(app, ["sweep", BOSTON, "--vary", "prices.electricity=0.08:0.40:0.04", "-f", "json"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert [p["values"]["prices.electricity"] for p in doc["points"]] == pytest.approx(
        [0.08, 0.12, 0.16, 0.20, 0.24, 0.28, 0.32, 0.36, 0.40])
    hp = [p["rows"][0] for p in doc["points"]]
    for row, point in zip(hp, doc["points"]):  # all-electric heat pump: cost = kWh × price
        assert row["annual_cost_usd"] == pytest.approx(row["electricity_kwh"] * point["values"]["prices.electricity"])
    compare = json.loads(runner.invoke(app, ["compare", BOSTON, "-f", "json"]).stdout)[0]
    expected = compare["summary"]["breakeven_electricity_usd_per_kwh"]["furnace"]
    assert len(doc["breakeven"]) == 1
    # costs are linear in the electricity price, so the interpolated crossing is exact
    assert doc["breakeven"][0]["values"]["prices.electricity"] == pytest.approx(expected, rel=1e-9)


def test_grid_sweep_csv_and_breakeven_rows():
    r = runner.invoke(app, ["sweep", BOSTON, "--vary", "prices.electricity=0.1,0.2,0.3,0.4",
                            "--vary", "prices.natural_gas=1.0:2.0:1.0", "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    points = [row for row in rows if row["system"] != "breakeven"]
    assert len(points) == 4 * 2 * 3
    marks = [row for row in rows if row["system"] == "breakeven"]
    assert [float(m["prices.natural_gas"]) for m in marks] == [1.0, 2.0]
    # doubling the gas price (furnace cost mostly gas) roughly doubles the break-even electricity price
    assert float(marks[1]["prices.electricity"]) / float(marks[0]["prices.electricity"]) == pytest.approx(2.0,
                                                                                                          rel=0.02)


def test_sweep_table_marks_breakeven():
    r = runner.invoke(app, ["sweep", BOSTON, "--vary", "prices.electricity=0.2:0.36:0.04"])
    assert r.exit_code == 0 and "break-even" in r.stdout and "Break-even (heat pump = furnace" in r.stdout


@pytest.mark.parametrize("vary,message", [
    ("prices.electrcity=1:2:1", "did you mean 'prices.electricity'"),
    ("location.zip=1:2:1", "not a numeric field"),
    ("prices.electricity=0.4:0.1:0.1", "START <= STOP"),
    ("prices.electricity", "expected FIELD=START:STOP:STEP"),
    ("systems.furnace.afue=0.9:1.2:0.1", "systems.furnace.afue: must be between 0.3 and 1 (got 1.1) (in --vary systems.furnace.afue)"),
])
def test_sweep_errors(vary, message):
    r = runner.invoke(app, ["sweep", BOSTON, "--vary", vary])
    assert r.exit_code == 2 and r.stdout == ""
    assert message in r.stderr


def test_compare_breakeven_values_are_consistent():
    r = runner.invoke(app, ["compare", BOSTON, "-f", "json"])
    obj = json.loads(r.stdout)[0]
    rows = {row["system"]: row for row in obj["rows"]}
    hp, furnace = rows["heat_pump"], rows["furnace"]
    s = obj["summary"]
    pe = obj["inputs"]["prices"]["electricity"]["value"]
    pg = obj["inputs"]["prices"]["natural_gas"]["value"]
    # at the break-even electricity price both cost the same
    be = s["breakeven_electricity_usd_per_kwh"]["furnace"]
    assert hp["electricity_kwh"] * be == pytest.approx(furnace["electricity_kwh"] * be + furnace["fuel_use"] * pg)
    # at the break-even gas price both cost the same
    bf = s["breakeven_fuel_price_usd_per_unit"]
    assert hp["annual_cost_usd"] == pytest.approx(furnace["electricity_kwh"] * pe + furnace["fuel_use"] * bf)
    # a heat pump of the break-even seasonal COP costs what the furnace costs: heat/(COP·3412.14)·price
    cop = s["breakeven_seasonal_cop"]
    assert hp["heat_delivered_mmbtu"] * 1e6 / (cop * 3412.14163) * pe == pytest.approx(furnace["annual_cost_usd"])
    table = runner.invoke(app, ["compare", BOSTON, "--breakeven"]).stdout
    assert "heat pump seasonal COP" in table and "natural gas price" in table
