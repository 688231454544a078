"""Money: present value, payback, NPV, fixed charges and marginal prices, time-of-use, cooling — by hand."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from heatcalc import money
from heatcalc.cli import app
from heatcalc.home import build_home
from heatcalc.profile import validate
from heatcalc.simulate import annual_energy, compare_home
from heatcalc.weather.stations import state_info

runner = CliRunner()


def test_present_value_factor_by_hand():
    # 3 years, 10 % discount, 5 % escalation: 1/1.1 + 1.05/1.1² + 1.05²/1.1³ = 0.90909 + 0.86777 + 0.82833
    assert money.present_value_factor(0.10, 0.05, 3) == pytest.approx(0.909091 + 0.867769 + 0.828325, rel=1e-5)
    # no discounting, no escalation: N years of 1 $
    assert money.present_value_factor(0.0, 0.0, 15) == pytest.approx(15.0)
    # equal discount and escalation: N/(1+r)
    assert money.present_value_factor(0.04, 0.04, 10) == pytest.approx(10 / 1.04)


def test_payback_and_lifetime_by_hand():
    # $12,000 more up front, $800 a year saved → 15 years
    assert money.simple_payback_years(12000, 800) == pytest.approx(15.0)
    assert money.simple_payback_years(12000, -50) is None
    # lifetime: 10,000 + 1,000 electricity × PV(5 %, 2 %, 10 y) + 500 gas × PV(5 %, 3 %, 10 y)
    pv_e, pv_g = money.present_value_factor(0.05, 0.02, 10), money.present_value_factor(0.05, 0.03, 10)
    got = money.lifetime_cost_usd(10000, {"electricity": 1000, "natural_gas": 500},
                                  {"electricity": pv_e, "natural_gas": pv_g})
    assert got == pytest.approx(10000 + 1000 * pv_e + 500 * pv_g)


def test_marginal_price_by_hand():
    # MA 2023: $2.082/therm average; a $14/month charge over 871 therm/yr → 2.082 − 168/871 = $1.889/therm
    assert money.marginal_price(2.082, 14.0, 871.0) == pytest.approx(2.082 - 168 / 871)


BASE = {
    "location": {"zip": "02134"},
    "heating_load": {"annual": "60 MMBtu"},
    "systems": {"heat_pump": {"hspf2": 9.0, "compressor": "variable_speed"},
                "furnace": {"fuel": "natural_gas", "afue": 0.95, "blower": 0}},
    "prices": {"electricity": "0.25 $/kWh", "natural_gas": "1.80 $/therm"},
}


def run(extra: dict):
    data = json.loads(json.dumps(BASE))
    for key, value in extra.items():
        data[key] = value
    return compare_home(build_home(validate(data, "t")))


def test_npv_and_payback_through_the_model():
    c = run({"economics": {"current": "furnace", "installed_cost": {"heat_pump": "15000", "electric_resistance": 0},
                           "incentives": {"heat_pump": 2000}, "lifetime": 15, "discount_rate": 0.05,
                           "escalation": {"electricity": 0.02, "natural_gas": 0.03, "propane": 0, "heating_oil": 0}}})
    hp, furnace = c.result("heat_pump"), c.result("furnace")
    assert hp.net_installed_cost_usd == 13000.0 and furnace.net_installed_cost_usd == 0.0
    pv_e = money.present_value_factor(0.05, 0.02, 15)
    pv_g = money.present_value_factor(0.05, 0.03, 15)
    furnace_life = furnace.energy.electricity_kwh * 0.25 * pv_e + furnace.energy.fuel_units * 1.80 * pv_g
    hp_life = 13000 + hp.energy.electricity_kwh * 0.25 * pv_e
    assert furnace.lifetime_cost_usd == pytest.approx(furnace_life)
    assert hp.lifetime_cost_usd == pytest.approx(hp_life)
    assert hp.npv_vs_current_usd == pytest.approx(furnace_life - hp_life)
    savings = furnace.total_cost_usd - hp.total_cost_usd
    assert hp.simple_payback_years == (pytest.approx(13000 / savings) if savings > 0 else None)


def test_gas_customer_charge_saved_only_when_leaving_gas():
    stay = run({"fixed_charges": {"natural_gas": "15 $/month"}, "economics": {
        "current": "furnace", "installed_cost": {"heat_pump": 1, "electric_resistance": 1}}})
    leave = run({"fixed_charges": {"natural_gas": "15 $/month"}, "economics": {
        "current": "furnace", "installed_cost": {"heat_pump": 1, "electric_resistance": 1}, "gas_disconnect": True}})
    assert stay.result("furnace").fixed_charges_usd == 180.0
    assert stay.result("heat_pump").fixed_charges_usd == 180.0  # the range and water heater keep the gas on
    assert leave.result("heat_pump").fixed_charges_usd == 0.0
    assert leave.result("furnace").fixed_charges_usd == 180.0


def test_fixed_charges_turn_default_prices_marginal():
    data = {"location": {"zip": "02134"}, "heating_load": {"annual": 60},
            "fixed_charges": {"electricity": "12 $/month", "natural_gas": "12 $/month"}}
    home = build_home(validate(data, "t"))
    ma = state_info("MA")
    use = ma["household_use_per_year"]
    assert home.prices["electricity"].value == pytest.approx(
        ma["prices"]["electricity_usd_per_kwh"] - 144 / use["electricity_kwh"])
    assert home.prices["natural_gas"].value == pytest.approx(
        ma["prices"]["natural_gas_usd_per_therm"] - 144 / use["natural_gas_therm"])
    assert "marginal" in home.prices["natural_gas"].source


def test_time_of_use_cost_is_the_hour_by_hour_sum():
    tariff = {"electricity": [{"price": "0.60 $/kWh", "months": "12-12", "hours": "17-20", "days": "weekdays"},
                              {"price": "0.40 $/kWh", "months": [1, 2], "hours": "0-6"},
                              {"price": "0.20 $/kWh"}]}
    # the periods set the electricity price (a profile price beside them would change nothing and is refused)
    c = run({"tariff": tariff, "prices": {"natural_gas": "1.80 $/therm"}})
    home = c.home
    price = home.tariff_usd_per_kwh
    # the schedule by hand: 1 January 2023 was a Sunday; hour 17 of 1 Dec (a Friday) is peak
    day_of_1_dec = 334
    assert price[day_of_1_dec * 24 + 17] == 0.60
    assert price[(day_of_1_dec + 1) * 24 + 17] == 0.20  # Saturday
    assert price[3] == 0.40 and price[24 * 59 + 3] == 0.20  # 1 March night: default
    hourly = annual_energy(home, binned=False)
    from heatcalc.model.engine import heat_pump_hourly
    from heatcalc.model.load import heat_load_btu_per_h
    from heatcalc.simulate import DAY_OF_HOUR

    load = heat_load_btu_per_h(home.ua_btu_per_h_f, home.weather.temp_f, home.balance_point_f)
    kwh = heat_pump_hourly(load, home.weather.temp_f, home.heat_pump, DAY_OF_HOUR).electricity_kwh
    assert c.result("heat_pump").annual_cost_usd == pytest.approx(float((kwh * price).sum()), rel=1e-12)
    assert hourly["heat_pump"].electricity_kwh == pytest.approx(kwh.sum())
    assert c.summary.breakeven_electricity_usd_per_kwh["furnace"] is None  # not one price


def test_cooling_by_hand():
    c = run({"cooling_load": {"ua": "400 Btu/h/F", "balance_point": "70 F"},
             "systems": {"heat_pump": {"hspf2": 9.0, "seer2": 16}, "furnace": {"afue": 0.95, "blower": 0},
                         "air_conditioner": {"seer2": 12}}})
    t = c.home.weather.temp_f
    load_btu = (400 * np.maximum(0, t - 70)).sum()  # Btu of cooling in the year
    hp, furnace = c.result("heat_pump"), c.result("furnace")
    assert hp.cooling_electricity_kwh == pytest.approx(load_btu / 16000)  # SEER2 16 Btu/Wh
    assert furnace.cooling_electricity_kwh == pytest.approx(load_btu / 12000)
    assert hp.cooling_cost_usd == pytest.approx(load_btu / 16000 * 0.25)
    assert hp.total_cost_usd == pytest.approx(hp.annual_cost_usd + hp.cooling_cost_usd)
    none = run({"cooling_load": {"ua": "400 Btu/h/F"}, "systems": {"air_conditioner": False}})
    assert none.result("furnace").cooling_electricity_kwh == 0.0


def test_cooling_from_bills():
    # 1,500 kWh of cooling at SEER2 13 is 19.5 million Btu removed; the heat pump at SEER2 19.5 needs 1,000 kWh
    c = run({"cooling_load": {"from_bills": {"amount": "1500 kWh", "seer2": 13}},
             "systems": {"heat_pump": {"hspf2": 9, "seer2": 19.5}}})
    assert c.result("heat_pump").cooling_electricity_kwh == pytest.approx(1000.0, rel=1e-9)
    assert c.result("furnace").cooling_electricity_kwh == pytest.approx(1500.0, rel=1e-9)


@pytest.mark.parametrize("extra,message", [
    ({"economics": {}}, "economics.current: say which system the home has today"),
    ({"tariff": {"electricity": [{"price": 0.3, "hours": "16-21"}]}}, "the last period must have only a price"),
    ({"tariff": {"electricity": [{"price": 0.3, "hours": "25-27"}, {"price": 0.2}]}}, "write a range like"),
    ({"fixed_charges": {"natural_gas": "400 $/month"}}, "fixed_charges.natural_gas"),
])
def test_money_errors(extra, message):
    from heatcalc.errors import ProfileError

    data = {"location": {"zip": "02134"}, "heating_load": {"annual": 60}, **extra}
    with pytest.raises(ProfileError) as exc:
        build_home(validate(data, "t"))
    assert message in str(exc.value)


def test_economics_in_every_format(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text("location: {zip: '02134'}\nheating_load: {from_bills: {fuel: natural_gas, amount: 800}}\n"
                    "cooling_load: {}\neconomics: {installed_cost: {heat_pump: 16000, electric_resistance: 3000}}\n")
    table = runner.invoke(app, ["compare", str(path)]).stdout
    assert "Over 15 years, each system against keeping the current furnace" in table and "The whole year" in table
    doc = json.loads(runner.invoke(app, ["compare", str(path), "-f", "json"]).stdout)[0]
    assert doc["inputs"]["economics"]["current"] == "furnace"
    assert doc["rows"][1]["npv_vs_current_usd"] == 0.0


def test_monthly_costs_follow_the_tariff():
    from heatcalc.simulate import monthly_rows

    tariff = {"electricity": [{"price": "0.50 $/kWh", "months": [1]}, {"price": "0.20 $/kWh"}]}
    c = run({"tariff": tariff, "prices": {"natural_gas": "1.80 $/therm"}})
    rows = [r for r in monthly_rows(c) if r["system"] == "heat_pump"]
    assert sum(r["cost_usd"] for r in rows) == pytest.approx(c.result("heat_pump").annual_cost_usd, rel=1e-9)
    jan, feb = rows[0], rows[1]
    assert jan["cost_usd"] == pytest.approx(jan["electricity_kwh"] * 0.50)
    assert feb["cost_usd"] == pytest.approx(feb["electricity_kwh"] * 0.20)


def test_rating_refuses_ground_source(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("location: {state: VT}\nheating_load: {annual: 60}\nsystems: {heat_pump: {type: ground_source}}\n")
    r = runner.invoke(app, ["rating", str(path)])
    assert r.exit_code == 2 and "ground-source" in r.stderr


def test_time_of_use_periods_are_clock_time_with_daylight_saving():
    # Sacramento observes DST: on 1 July the 16:00-21:00 clock peak is 15:00-20:00 in the weather's standard time.
    # Phoenix does not: the peak stays at 16:00-21:00 standard time.
    import numpy as np

    from heatcalc import money

    periods = [{"price": 0.5, "months": set(range(1, 13)), "hours": set(range(16, 21)), "days": "all"},
               {"price": 0.2, "months": set(range(1, 13)), "hours": set(range(24)), "days": "all"}]
    july1 = 181 * 24
    dst = money.hourly_price_usd_per_kwh(periods, daylight_saving=True)[july1:july1 + 24]
    std = money.hourly_price_usd_per_kwh(periods, daylight_saving=False)[july1:july1 + 24]
    assert list(np.flatnonzero(dst == 0.5)) == [15, 16, 17, 18, 19]
    assert list(np.flatnonzero(std == 0.5)) == [16, 17, 18, 19, 20]
    jan1 = money.hourly_price_usd_per_kwh(periods, daylight_saving=True)[:24]  # no DST in January
    assert list(np.flatnonzero(jan1 == 0.5)) == [16, 17, 18, 19, 20]
    tou = {"tariff": {"electricity": [{"price": "0.50 $/kWh", "hours": "16-21"}, {"price": "0.20 $/kWh"}]}}
    az = build_home(validate({"location": {"zip": "85004"}, "heating_load": {"annual": 30}, **tou}, "t"))
    ca = build_home(validate({"location": {"zip": "95818"}, "heating_load": {"annual": 30}, **tou}, "t"))
    assert list(np.flatnonzero(az.tariff_usd_per_kwh[july1:july1 + 24] == 0.5)) == [16, 17, 18, 19, 20]
    assert list(np.flatnonzero(ca.tariff_usd_per_kwh[july1:july1 + 24] == 0.5)) == [15, 16, 17, 18, 19]
    assert "standard time all year (AZ)" in {a.field: a.source for a in az.assumptions}["tariff.electricity"]
