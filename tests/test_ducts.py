"""ducts.efficiency: a ducted system makes more heat than the rooms receive; a ductless one does not."""

import pytest

import heatcalc

HOME = 'name: ducts\nlocation: {zip: "80205"}\n'


def _compare(tmp_path, body, name="home.yaml"):
    p = tmp_path / name
    p.write_text(HOME + body)
    return heatcalc.compare(p)


def _by(c):
    return {r.system: r for r in c.rows}


def test_a_furnace_and_a_ducted_heat_pump_make_up_for_their_ducts(tmp_path):
    systems = ("systems:\n  heat_pump: {hspf2: 9.5, capacity: 3 ton, distribution: %s}\n"
               "  furnace: {fuel: natural_gas, afue: 0.95}\n")
    plain = _by(_compare(tmp_path, "heating_load: {ua: 520 Btu/h/F, balance_point: 58 F}\n" + systems % "ducted"))
    ducted = _compare(tmp_path, "heating_load: {ua: 520 Btu/h/F, balance_point: 58 F}\nducts: {efficiency: 0.8}\n"
                      + systems % "ducted")
    d = _by(ducted)
    # by hand: the furnace burns load / 0.8 / AFUE, so 1 / 0.8 = 1.25 times the fuel; resistance has no ducts
    assert d["furnace"].fuel_use == pytest.approx(plain["furnace"].fuel_use / 0.8, rel=1e-12)
    assert d["electric_resistance"].electricity_kwh == pytest.approx(plain["electric_resistance"].electricity_kwh)
    # a ducted heat pump runs as if the house's UA were 520 / 0.8 = 650
    bigger = _by(_compare(tmp_path, "heating_load: {ua: 650 Btu/h/F, balance_point: 58 F}\n" + systems % "ducted",
                          "b.yaml"))
    assert d["heat_pump"].electricity_kwh == pytest.approx(bigger["heat_pump"].electricity_kwh, rel=1e-12)
    # the rooms' heat is what the header and JSON report
    assert ducted.heat_needed_mmbtu == pytest.approx(plain["furnace"].heat_delivered_mmbtu, rel=1e-12)
    assert ducted.to_dict()["inputs"]["heating_load"]["annual_heat_mmbtu"] == pytest.approx(
        ducted.heat_needed_mmbtu)
    # a ductless heat pump does not see the ducts
    ductless = _by(_compare(tmp_path, "heating_load: {ua: 520 Btu/h/F, balance_point: 58 F}\n"
                            "ducts: {efficiency: 0.8}\n" + systems % "ductless", "c.yaml"))
    assert ductless["heat_pump"].electricity_kwh == pytest.approx(plain["heat_pump"].electricity_kwh, rel=1e-12)


def test_bills_of_a_ducted_furnace_come_back_as_the_same_bills(tmp_path):
    # 780 therm at AFUE 0.8 through ducts of 0.75: the rooms got 780 x 0.8 x 0.75 = 468 therm of heat, and the same
    # furnace (the billed fuel at the bills' efficiency) burns the 780 therm again
    c = _compare(tmp_path, "heating_load:\n  from_bills: {fuel: natural_gas, amount: 780 therm, efficiency: 0.8}\n"
                           "ducts: {efficiency: 0.75}\nsystems:\n  heat_pump: {distribution: ductless}\n")
    assert c.heat_needed_mmbtu == pytest.approx(780 * 0.8 * 0.75 / 10)
    assert _by(c)["furnace"].fuel_use == pytest.approx(780.0)


def test_cooling_through_ducts_removes_more(tmp_path):
    body = ("heating_load: {ua: 520 Btu/h/F}\ncooling_load: {ua: 500 Btu/h/F}\n"
            "systems:\n  heat_pump: {distribution: ductless}\n  air_conditioner: {seer2: 14}\n")
    plain = _by(_compare(tmp_path, body))
    ducted = _by(_compare(tmp_path, body + "ducts: {efficiency: 0.8}\n", "d.yaml"))
    assert ducted["furnace"].cooling_electricity_kwh == pytest.approx(plain["furnace"].cooling_electricity_kwh / 0.8)
    assert ducted["heat_pump"].cooling_electricity_kwh == pytest.approx(plain["heat_pump"].cooling_electricity_kwh)
