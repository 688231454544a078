"""Installed costs: the embedded figures against their sources by hand, the ranges' order, `heatcalc costs`, and the
defaults and payback ranges in profiles."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import heatcalc
from heatcalc import costs
from heatcalc.cli import app

runner = CliRunner()
STATES = sorted(costs._data()["state_index"])


def test_three_ton_ducted_heat_pump_in_new_york_by_hand():
    # LBNL regression as ResStock EUSS round 2 evaluates it (installed_cost/resstock_euss_rr2_hp_costs.csv):
    # ducted ASHP at HSPF 9.2 = $4,821.83 + $2,011.68 per ton (April 2023 $).  3 ton: 4,821.83 + 6,035.04 =
    # $10,856.87.  New York's RSMeans 2021 residential index is 1.36 (New York City); the 50 states' and DC's mean
    # is 0.974, so NY = 1.36 / 0.974 = 1.3964.  Typical: 10,856.87 x 1.3964 = $15,160.53.
    c = costs.installed_cost("heat_pump_ducted", 3.0, "NY")
    assert c.state_index == pytest.approx(1.36 / 0.974, abs=1e-4)
    assert c.typical_usd == pytest.approx(10_856.87 * 1.3964, abs=0.01)
    # low and high: Buildings ATB replacement costs, reference $13,355 and best $20,135 against ENERGY STAR $14,247
    assert c.low_usd == pytest.approx(c.typical_usd * 13_355 / 14_247)
    assert c.high_usd == pytest.approx(c.typical_usd * 20_135 / 14_247)
    assert c.size_tons == 3.0 and c.dollar_year == 2023 and "LBNL" in c.source


def test_the_regression_is_interpolated_on_hspf_and_held_outside():
    # halfway between HSPF 9.2 and 11: the fixed part halfway between $4,821.83 and $10,229.58
    mid = costs.regression_usd("ducted", 10.1, 2.0)
    assert mid == pytest.approx((4_821.83 + 10_229.58) / 2 + 2 * 2_011.68)
    assert costs.regression_usd("ducted", 7.0, 2.0) == costs.regression_usd("ducted", 9.2, 2.0)
    assert costs.regression_usd("ducted", 13.0, 2.0) == costs.regression_usd("ducted", 11.0, 2.0)
    # ductless per ton also moves: $4,259.52 at 9.2, $4,433.16 at 11
    assert costs.regression_usd("ductless", 11.0, 1.0) == pytest.approx(2_844.81 + 4_433.16)
    # HSPF2 8.1 ducted is HSPF 8.1 / 0.85 = 9.53 (DOE: 7.5 HSPF2 for 8.8 HSPF)
    assert costs.hspf_from_hspf2(7.5) == pytest.approx(8.8, abs=0.03)


def test_per_unit_equipment_does_not_scale_with_size_and_national_is_one():
    a = costs.installed_cost("gas_furnace", 2.0, None)
    b = costs.installed_cost("gas_furnace", 5.0, None)
    assert a.typical_usd == b.typical_usd == 3_861.0  # Buildings ATB reference gas furnace, replacement
    assert a.high_usd == 4_280.0 and a.size_tons is None and a.state == "US" and a.state_index == 1.0
    gshp = costs.installed_cost("ground_source_heat_pump", 3.0, "VT")
    assert gshp.low_usd == gshp.typical_usd == gshp.high_usd == pytest.approx(42_651 * 1.0 / 0.974, rel=1e-3)
    assert "one figure" in gshp.source


@settings(max_examples=60, deadline=None)
@given(equipment=st.sampled_from(list(costs.EQUIPMENT)), tons=st.floats(0.5, 10.0),
       state=st.sampled_from(STATES + ["PR", None]))
def test_ranges_are_ordered_and_positive(equipment, tons, state):
    c = costs.installed_cost(equipment, tons, state)
    assert 0 < c.low_usd <= c.typical_usd <= c.high_usd and math.isfinite(c.high_usd)


def test_a_bigger_heat_pump_costs_more():
    small, big = (costs.installed_cost("heat_pump_ductless", t, "TX").typical_usd for t in (1.5, 4.0))
    assert big - small == pytest.approx(2.5 * 4_259.52 * costs.state_index("TX")[0])


def test_costs_command_json_table_and_errors():
    r = runner.invoke(app, ["costs", "--state", "NY", "--size", "3 ton", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [row["equipment"] for row in rows] == list(costs.EQUIPMENT)
    ducted = rows[0]
    assert {"low_usd", "typical_usd", "high_usd", "source"} <= set(ducted)
    assert ducted["typical_usd"] == pytest.approx(15_160.53, abs=0.01)
    same = json.loads(runner.invoke(app, ["costs", "--state", "NY", "--size", "36000 Btu/h", "-f", "json"]).stdout)
    assert same == rows
    table = runner.invoke(app, ["costs", "--state", "NY"], env={"COLUMNS": "100"})
    assert table.exit_code == 0 and "$15,161" in table.stdout and "not included" in table.stdout.lower()
    assert runner.invoke(app, ["costs", "--state", "XX"]).exit_code == 2
    bad = runner.invoke(app, ["costs", "--size", "-3 ton"])
    assert bad.exit_code == 2 and "--size" in bad.stderr


BOSTON_BILLS = {"location": {"zip": "02134"},
                "heating_load": {"from_bills": {"fuel": "natural_gas", "amount": "780 therm", "efficiency": 0.8,
                                                "non_heating": "15 therm/month"}}}


def test_economics_with_no_costs_uses_the_typical_cost_at_the_modelled_size():
    c = heatcalc.compare({**BOSTON_BILLS, "economics": {}})
    rows = {r.system: r for r in c.rows}
    tons = c.home.heat_pump_nominal_btu_per_h / 12000
    expected = costs.installed_cost("heat_pump_ducted", tons, "MA", hspf=8.1 / 0.85)
    hp = rows["heat_pump"]
    assert (hp.installed_cost_low_usd, hp.installed_cost_usd, hp.installed_cost_high_usd) == pytest.approx(
        (expected.low_usd, expected.typical_usd, expected.high_usd))
    assert rows["furnace"].installed_cost_usd == 0.0  # kept: the current system
    assumed = {a.field: a for a in c.home.assumptions}
    assert assumed["economics.installed_cost.heat_pump"].value.startswith(f"${expected.typical_usd:,.0f} (")
    assert "LBNL" in assumed["economics.installed_cost.heat_pump"].source
    assert "keeping the current furnace" in assumed["economics.comparison"].value
    # the ranges bracket the typical figure
    if hp.simple_payback_years is not None:
        assert hp.simple_payback_years_low <= hp.simple_payback_years <= hp.simple_payback_years_high
    assert hp.npv_vs_current_low_usd <= hp.npv_vs_current_usd <= hp.npv_vs_current_high_usd


def test_replacing_a_furnace_and_ac_compares_the_heat_pump_with_both():
    c = heatcalc.compare({**BOSTON_BILLS, "cooling_load": {}, "economics": {"replace_current": True}})
    rows = {r.system: r for r in c.rows}
    furnace = costs.installed_cost("gas_furnace", None, "MA")
    ac = costs.installed_cost("central_air_conditioner", None, "MA")
    # the furnace option is a new furnace plus a new central air conditioner; the heat pump does both jobs
    assert rows["furnace"].installed_cost_usd == pytest.approx(furnace.typical_usd + ac.typical_usd)
    assert rows["furnace"].installed_cost_high_usd == pytest.approx(furnace.high_usd + ac.high_usd)
    assert "a new central air conditioner" in c.home.economics.comparison


def test_a_given_cost_has_no_range_and_wins():
    c = heatcalc.compare({**BOSTON_BILLS, "economics": {"installed_cost": {"heat_pump": "16000 $"},
                                                        "incentives": {"heat_pump": "2000 $"}}})
    hp = c.result("heat_pump")
    assert hp.installed_cost_usd == hp.installed_cost_low_usd == hp.installed_cost_high_usd == 16_000
    assert hp.net_installed_cost_usd == 14_000
    savings = c.result("furnace").total_cost_usd - hp.total_cost_usd
    if savings > 0:
        assert hp.simple_payback_years == pytest.approx(14_000 / savings)
    resistance = c.result("electric_resistance")
    assert resistance.installed_cost_low_usd == resistance.installed_cost_usd == resistance.installed_cost_high_usd


def test_payback_range_pairs_this_low_with_the_current_high():
    # A home heated by resistance today, replacing it: the heat pump saves money every year, so its payback is
    # (heat pump cost - new resistance cost) / savings, with the range from the ends of both ranges.
    data = {"location": {"zip": "30301"},
            "heating_load": {"from_bills": {"fuel": "electricity", "amount": "9000 kWh"}},
            "economics": {"replace_current": True}}
    c = heatcalc.compare(data)
    hp, res = c.result("heat_pump"), c.result("electric_resistance")
    savings = res.total_cost_usd - hp.total_cost_usd
    assert savings > 0
    assert hp.simple_payback_years == pytest.approx((hp.installed_cost_usd - res.installed_cost_usd) / savings)
    assert hp.simple_payback_years_low == pytest.approx(
        (hp.installed_cost_low_usd - res.installed_cost_high_usd) / savings)
    assert hp.simple_payback_years_high == pytest.approx(
        (hp.installed_cost_high_usd - res.installed_cost_low_usd) / savings)
    assert hp.simple_payback_years_low < hp.simple_payback_years < hp.simple_payback_years_high
