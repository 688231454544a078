"""Boilers (issue "The heating systems homes have"): systems.furnace.kind: boiler, its defaults by fuel, no ducts,
its name in every surface, its installed cost, and as an air-to-water unit's backup.  Hand calculations in the
comments (heat / AFUE / heat content x price)."""

import pytest

import heatcalc
from heatcalc import costs


def boiler_home(**furnace):
    return {"location": {"zip": "02134"}, "heating_load": {"annual": "70 MMBtu"},
            "systems": {"heat_pump": False, "electric_resistance": False,
                        "furnace": {"kind": "boiler", "fuel": "heating_oil", **furnace}},
            "prices": {"heating_oil": "4.00 $/gal", "electricity": "0.30 $/kWh"}}


def test_an_oil_boilers_fuel_and_cost_by_hand():
    r = heatcalc.compare(boiler_home()).rows[0]
    # 70 MMBtu / AFUE 0.87 (ENERGY STAR oil boiler) / 0.1387 MMBtu per gal = 580.1 gal; $4.00 a gal = $2,320.3;
    # circulator and burner 70 x 4.5 = 315 kWh at $0.30 = $94.50
    gallons = 70e6 / 0.87 / 138_700
    assert r.fuel_use == pytest.approx(gallons, rel=1e-9)
    assert r.electricity_kwh == pytest.approx(315.0)
    assert r.annual_cost_usd == pytest.approx(gallons * 4.00 + 315 * 0.30)
    # a gas boiler: 0.90 and 2 kWh/MMBtu
    gas = heatcalc.compare(boiler_home(fuel="natural_gas")).rows[0]
    assert gas.fuel_use == pytest.approx(70e6 / 0.90 / 1e5) and gas.electricity_kwh == pytest.approx(140.0)


def test_given_values_win_and_bills_set_the_efficiency():
    r = heatcalc.compare(boiler_home(afue=0.82, blower="3 kWh/MMBtu")).rows[0]
    assert r.fuel_use == pytest.approx(70e6 / 0.82 / 138_700) and r.electricity_kwh == pytest.approx(210.0)


def test_a_boiler_has_no_ducts_and_is_called_a_boiler(tmp_path):
    home = {**boiler_home(), "ducts": {"efficiency": 0.8}}
    c = heatcalc.compare(home)
    assert c.home.distribution_efficiency("furnace") == 1.0
    assert c.rows[0].heat_delivered_mmbtu == pytest.approx(70.0)
    from heatcalc.report import system_name

    assert system_name(c, "furnace") == "heating oil boiler"
    from typer.testing import CliRunner

    from heatcalc.cli import app

    path = tmp_path / "boiler.yaml"
    path.write_text(__import__("json").dumps(home))
    assert "Oil boiler" in CliRunner().invoke(app, ["compare", str(path)]).stdout


def test_a_boilers_installed_cost_and_its_row_in_costs():
    # NREL Buildings ATB (via DOE Scout), replacement in an existing home, 2023 $: gas $8,339, oil/other fossil
    # $8,023 a unit, before the state index
    gas = costs.installed_cost("gas_boiler", None, None)
    oil = costs.installed_cost("oil_propane_boiler", None, None)
    assert gas.typical_usd == pytest.approx(8339.0) and oil.typical_usd == pytest.approx(8023.0)
    names = [c.equipment for c in costs.cost_table(3.0, "MA")]
    assert "gas_boiler" in names and "oil_propane_boiler" in names
    econ = {**boiler_home(), "economics": {"replace_current": True, "current": "furnace"}}
    c = heatcalc.compare(econ)
    assert c.rows[0].installed_cost_usd == pytest.approx(
        costs.installed_cost("oil_propane_boiler", None, c.home.location.state).typical_usd)


def test_a_boiler_backs_up_an_air_to_water_heat_pump():
    home = boiler_home()
    home["systems"]["heat_pump"] = {"type": "air_to_water", "backup": "furnace"}
    c = heatcalc.compare(home)
    hp = next(r for r in c.rows if r.system == "heat_pump")
    assert hp.fuel == "heating_oil" and 0 < hp.backup_fraction < 1
    from heatcalc.report import system_name

    assert "heating oil boiler" in system_name(c, "heat_pump")


def test_init_writes_a_boiler_home(tmp_path):
    from typer.testing import CliRunner

    from heatcalc.cli import app

    path = tmp_path / "boiler.yaml"
    out = CliRunner().invoke(app, ["init", str(path), "--boiler", "--zip", "02134", "--bills", "700 gal",
                                   "--fuel", "heating_oil"])
    assert out.exit_code == 0, out.output
    text = path.read_text()
    assert "kind: boiler" in text and "type: air_to_water" in text and "backup: furnace" in text
    c = heatcalc.compare(str(path))
    rows = {r.system: r for r in c.rows}
    # the bills' 700 gal are the boiler's year, at the bills' efficiency
    assert rows["furnace"].fuel_use == pytest.approx(700.0, rel=1e-6) and c.home.furnace.kind == "boiler"
    assert rows["heat_pump"].fuel == "heating_oil"
