"""Whole-path cost comparisons that can be done on paper: fixed COP, given heat, given prices.

Tolerance 1e-9 relative: the arithmetic is the same, only its order differs.
"""

import json

import pytest
from typer.testing import CliRunner

from heatcalc.cli import app

PROFILE = """\
name: paper
location: {state: MA}
heating_load: {annual: 60 MMBtu}
systems:
  heat_pump:
    compressor: single_stage
    cycling_degradation: 0
    cutoff: -60 F
    performance:
      - {outdoor: -60 F, cop: 3.0, capacity: 500000 Btu/h}
      - {outdoor: 80 F, cop: 3.0, capacity: 500000 Btu/h}
  furnace: {fuel: natural_gas, afue: 0.95, blower: 0}
  electric_resistance: {efficiency: 1.0}
prices: {electricity: 0.20 $/kWh, natural_gas: 1.50 $/therm}
emissions: {electricity: 0.4 kg/kWh, natural_gas: 5.3 kg/therm}
"""


def test_paper_comparison(tmp_path):
    path = tmp_path / "paper.yaml"
    path.write_text(PROFILE)
    r = CliRunner().invoke(app, ["compare", str(path), "-f", "json"])
    assert r.exit_code == 0, r.stderr
    rows = {row["system"]: row for row in json.loads(r.stdout)[0]["rows"]}
    kwh_heat = 60e6 / 3412.14163  # 17,584.26 kWh of heat
    hp, furnace, res = rows["heat_pump"], rows["furnace"], rows["electric_resistance"]
    # heat pump: 60 MMBtu at COP 3 = 5,861.42 kWh × $0.20 = $1,172.28
    assert hp["electricity_kwh"] == pytest.approx(kwh_heat / 3, rel=1e-9)
    assert hp["annual_cost_usd"] == pytest.approx(kwh_heat / 3 * 0.20, rel=1e-9)
    assert hp["co2_kg"] == pytest.approx(kwh_heat / 3 * 0.4, rel=1e-9)
    # furnace: 600 therm of heat at AFUE 0.95 = 631.58 therm × $1.50 = $947.37
    assert furnace["fuel_use"] == pytest.approx(600 / 0.95, rel=1e-9)
    assert furnace["annual_cost_usd"] == pytest.approx(600 / 0.95 * 1.50, rel=1e-9)
    assert furnace["co2_kg"] == pytest.approx(600 / 0.95 * 5.3, rel=1e-9)
    # resistance: 17,584.26 kWh × $0.20 = $3,516.85
    assert res["annual_cost_usd"] == pytest.approx(kwh_heat * 0.20, rel=1e-9)
    assert hp["seasonal_efficiency"] == pytest.approx(3.0, rel=1e-9)
    assert hp["backup_fraction"] == 0.0
