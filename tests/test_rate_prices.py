"""Prices and break-evens when a rate sets the price (issue "Money that adds up"): a price override a URDB rate or gas
blocks replace is refused, naming the knob that moves them (tariff.adjustment, tariff.natural_gas_adjustment); the
adjustments are priced as URDB's own `adj`; the break-even adjustments and COP are found on the bills and checked
here by bisection on the same bills."""

import json

import numpy as np
import pytest

import heatcalc
from heatcalc.bills import GasBlocks, adjusted_tariff, electric_bill
from heatcalc.simulate import ledger_total_usd, system_ledger

from .conftest import ROOT

FLAT = [[0] * 24 for _ in range(12)]


@pytest.fixture
def flat_rate(tmp_path):
    path = tmp_path / "flat.json"
    path.write_text(json.dumps({"items": [{"name": "flat 20c", "energyratestructure": [[{"rate": 0.20}]],
                                           "energyweekdayschedule": FLAT, "energyweekendschedule": FLAT,
                                           "fixedchargefirstmeter": 10, "fixedchargeunits": "$/month"}]}))
    return path


def home(rate, **tariff) -> dict:
    return {"name": "rate", "location": {"zip": "60601"}, "heating_load": {"annual": "60 MMBtu"},
            "systems": {"heat_pump": {"hspf2": 9}, "furnace": {"fuel": "natural_gas", "afue": 0.95}},
            "tariff": {"urdb": str(rate), **tariff}}


def test_an_adjustment_shifts_every_energy_charge(flat_rate):
    # a flat 20 c rate with +5 c is a flat 25 c price: every system's heating cost is its kWh x $0.25 (by hand),
    # the fixed charge ($120 a year) unchanged
    c = heatcalc.compare(home(flat_rate, adjustment="0.05 $/kWh"))
    for r in c.results:
        kwh = r.energy.electricity_kwh
        fuel = r.energy.fuel_units * c.home.prices["natural_gas"].value if r.energy.fuel else 0.0
        assert r.annual_cost_usd == pytest.approx(kwh * 0.25 + fuel, rel=1e-9)
        assert r.fixed_charges_usd == pytest.approx(120.0)


@pytest.mark.parametrize("how", ["profile", "flag", "sweep"])
def test_a_price_a_rate_replaces_is_refused_naming_the_knob(cli, write, flat_rate, how):
    text = f"location: {{zip: '60601'}}\nheating_load: {{annual: 60 MMBtu}}\ntariff: {{urdb: {flat_rate}}}\n"
    if how == "profile":
        proc = cli("compare", write("p.yaml", text + "prices: {electricity: 0.12}\n"))
    elif how == "flag":
        proc = cli("compare", write("p.yaml", text), "--electricity-price", "0.12")
    else:
        proc = cli("sweep", write("p.yaml", text), "--vary", "prices.electricity=0.1:0.3:0.1")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "prices.electricity" in proc.stderr and "tariff.adjustment" in proc.stderr
    # and the knob itself sweeps
    ok = cli("sweep", write("q.yaml", text), "--vary", "tariff.adjustment=-0.1:0.1:0.1", "-f", "json")
    assert ok.returncode == 0, ok.stderr


def test_gas_prices_under_blocks_are_refused_and_the_adjustment_moves_the_blocks(cli, write):
    blocks = "tariff: {natural_gas: [{up_to: 50 therm, price: 1.20 $/therm}, {price: 1.60 $/therm}]}\n"
    text = "location: {zip: '60601'}\nheating_load: {annual: 60 MMBtu}\n" + blocks
    proc = cli("compare", write("g.yaml", text), "--gas-price", "1.0")
    assert proc.returncode == 2 and "tariff.natural_gas_adjustment" in proc.stderr
    base = heatcalc.compare(write("a.yaml", text))
    up = heatcalc.compare(write("b.yaml", text.replace("1.60 $/therm}]", "1.60 $/therm}], "
                                                                         "natural_gas_adjustment: 0.1 $/therm")))
    furnace, furnace_up = base.result("furnace"), up.result("furnace")
    # every therm the furnace burns costs $0.10 more, whichever block it lands in
    assert furnace_up.annual_cost_usd - furnace.annual_cost_usd == pytest.approx(0.1 * furnace.energy.fuel_units,
                                                                                 rel=1e-9)


def _bisect(f, lo, hi, n=80):
    flo = f(lo)
    for _ in range(n):
        mid = 0.5 * (lo + hi)
        fm = f(mid)
        if (fm > 0) == (flo > 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return 0.5 * (lo + hi)


def test_break_even_adjustments_agree_with_bisection_on_the_bills():
    # the example home on a tiered time-of-use rate, with 6 kW of solar and gas blocks: each break-even is where
    # the heat pump's ledger (bills with it less bills without it, plus fixed charges) meets the furnace's
    c = heatcalc.compare(str(ROOT / "profiles" / "boston-tariff-solar.yaml"))
    h, s = c.home, c.summary
    setup = h.bills
    base = np.full(8760, setup.base_kwh_per_h)

    def rate_gap(x):
        t = adjusted_tariff(setup.tariff, x)
        bill = electric_bill(t, base, setup.solar_kwh, setup.solar_rule)
        return ledger_total_usd(system_ledger(h, "heat_pump", t, bill)) - \
            ledger_total_usd(system_ledger(h, "furnace", t, bill))

    assert s.breakeven_rate_adjustment_usd_per_kwh == pytest.approx(_bisect(rate_gap, -1.0, 1.0), abs=1e-4)
    assert abs(rate_gap(s.breakeven_rate_adjustment_usd_per_kwh)) < 0.01

    def gas_gap(x):
        b = GasBlocks(setup.gas_blocks.upper, setup.gas_blocks.price + x)
        return ledger_total_usd(system_ledger(h, "heat_pump", gas_blocks=b)) - \
            ledger_total_usd(system_ledger(h, "furnace", gas_blocks=b))

    assert s.breakeven_gas_adjustment_usd_per_therm == pytest.approx(_bisect(gas_gap, -5.0, 5.0), abs=1e-4)

    hp = c.result("heat_pump")

    def cop_gap(k):
        return ledger_total_usd(system_ledger(h, "heat_pump", heat_kwh_scale=k)) - c.result("furnace").total_cost_usd

    assert s.breakeven_seasonal_cop == pytest.approx(hp.energy.seasonal_efficiency / _bisect(cop_gap, 0.1, 10.0),
                                                     rel=1e-4)
    # at zero adjustment the gap is the year's difference the table shows
    assert rate_gap(0.0) == pytest.approx(hp.total_cost_usd - c.result("furnace").total_cost_usd, abs=1e-6)


def test_the_break_evens_are_said(cli):
    proc = cli("compare", ROOT / "profiles" / "boston-tariff-solar.yaml", "--breakeven")
    assert proc.returncode == 0, proc.stderr
    flat = " ".join(proc.stdout.split())
    assert "if every kWh on this rate cost $" in flat and "tariff.adjustment: +0.1" in flat
    assert "if every therm in the gas blocks cost $" in flat
    data = json.loads(cli("compare", ROOT / "profiles" / "boston-tariff-solar.yaml", "-f", "json").stdout)[0]
    assert data["summary"]["breakeven_rate_adjustment_usd_per_kwh"] is not None
    assert data["summary"]["breakeven_electricity_usd_per_kwh"]["furnace"] is None
    assert any("tariff.adjustment" in n for n in data["summary"]["breakeven_notes"])


def test_an_adjustment_without_its_tariff_is_refused():
    with pytest.raises(heatcalc.ProfileError, match="tariff.adjustment: shifts a URDB rate"):
        heatcalc.compare({"location": {"zip": "60601"}, "heating_load": {"annual": "60 MMBtu"},
                          "tariff": {"adjustment": "0.02 $/kWh"}})
    with pytest.raises(heatcalc.ProfileError, match="tariff.natural_gas_adjustment: shifts the gas blocks"):
        heatcalc.compare({"location": {"zip": "60601"}, "heating_load": {"annual": "60 MMBtu"},
                          "tariff": {"natural_gas_adjustment": "0.2 $/therm"}})


def test_a_solar_homes_break_even_price_is_found_on_its_bills(tmp_path):
    # with solar credits the year's cost is not kWh x price: the linear formula said 35.8 c/kWh while the model's
    # own costs (and the report's chart) crossed at 36.4.  Now the break-even is where the bills cross, checked by
    # running the whole model at that price: the heat pump and the furnace then cost the same to the dollar.
    profile = {"location": {"zip": "02134"},
               "heating_load": {"from_bills": {"fuel": "natural_gas", "amount": "780 therm", "efficiency": 0.8}},
               "solar": {"capacity": "6 kW", "net_metering": "monthly"},
               "systems": {"heat_pump": {"hspf2": 9.5, "compressor": "variable_speed"},
                           "furnace": {"fuel": "natural_gas", "afue": 0.8}}}
    be = heatcalc.compare(profile).summary.breakeven_electricity_usd_per_kwh["furnace"]
    at = heatcalc.compare(profile, **{"prices.electricity": be})
    assert at.result("heat_pump").total_cost_usd == pytest.approx(at.result("furnace").total_cost_usd, abs=0.5)
    from heatcalc import report

    assert report.breakeven_range(heatcalc.compare(profile))[2] == be  # the chart marks the same figure


def test_a_heat_pump_rate_is_priced_by_hand_for_a_flat_seasonal_discount(tmp_path):
    # Today's rate: a flat $0.20/kWh and $10 a month.  The heat-pump rate: $0.16/kWh November to April, $0.20 the
    # rest of the year, the same $10.  With the heat pump the whole home moves to it, so by hand the heat pump's
    # heating cost is its own kWh at the heat-pump rate plus what the other use saves by the switch:
    #   sum_h heat_kWh(h) x r_hp(h) + sum_h base_kWh(h) x (r_hp(h) - 0.20);
    # the furnace and resistance options stay on today's rate, unchanged.
    from heatcalc.simulate import system_hours
    from heatcalc.weather.stations import HOUR_MONTH

    def rate(path, winter):
        sched = [[1 if m in (10, 11, 0, 1, 2, 3) else 0] * 24 for m in range(12)]
        path.write_text(json.dumps({"items": [{
            "name": path.stem, "energyratestructure": [[{"rate": 0.20}], [{"rate": winter}]],
            "energyweekdayschedule": sched, "energyweekendschedule": sched,
            "fixedchargefirstmeter": 10, "fixedchargeunits": "$/month"}]}))
        return str(path)

    today, hp_rate = rate(tmp_path / "today.json", 0.20), rate(tmp_path / "hp.json", 0.16)
    profile = {"location": {"zip": "02134"}, "heating_load": {"annual": "60 MMBtu"},
               "base_use": {"electricity": "500 kWh/month"}, "tariff": {"urdb": today},
               "systems": {"heat_pump": {"hspf2": 9, "tariff": {"urdb": hp_rate}},
                           "furnace": {"fuel": "natural_gas", "afue": 0.95}}}
    c = heatcalc.compare(profile)
    without = heatcalc.compare({**profile, "systems": {"heat_pump": {"hspf2": 9},
                                                       "furnace": {"fuel": "natural_gas", "afue": 0.95}}})
    r_hp = np.where(np.isin(HOUR_MONTH, [10, 11, 0, 1, 2, 3]), 0.16, 0.20)
    heat_kwh = system_hours(c.home, "heat_pump")[0]
    base = c.home.bills.base_kwh_per_h
    by_hand = float(heat_kwh @ r_hp) + float(np.sum(base * (r_hp - 0.20)))
    hp = c.result("heat_pump")
    assert hp.annual_cost_usd == pytest.approx(by_hand, abs=0.01)
    assert hp.fixed_charges_usd == pytest.approx(120.0)
    for system in ("furnace", "electric_resistance"):
        assert c.result(system).total_cost_usd == pytest.approx(without.result(system).total_cost_usd, rel=1e-12)
    # the heat pump's electric bill is the whole home's on the heat-pump rate
    assert hp.electric_bill_usd == pytest.approx(float((heat_kwh + base) @ r_hp) + 120.0, abs=0.01)


def test_an_adjustment_may_not_turn_charges_into_payments(flat_rate):
    with pytest.raises(heatcalc.ProfileError, match=r"tariff.adjustment: makes an energy charge of the rate negative"):
        heatcalc.compare(home(flat_rate, adjustment="-0.25 $/kWh"))


def test_time_of_use_periods_take_the_adjustment_too():
    # `--electricity-price` under hand-written time-of-use periods changed nothing, silently; the periods' knob is
    # tariff.adjustment, and the break-even adjustment (each kWh at its hour's price, all shifted alike) is exact:
    # at it the heat pump and the furnace cost the same
    path = str(ROOT / "profiles" / "sacramento-tou-economics.yaml")
    with pytest.raises(heatcalc.ProfileError, match="tariff.adjustment"):
        heatcalc.compare(path, **{"prices.electricity": 0.9})
    c = heatcalc.compare(path)
    x = c.summary.breakeven_rate_adjustment_usd_per_kwh
    at = heatcalc.compare(path, **{"tariff.adjustment": x})
    assert at.result("heat_pump").total_cost_usd == pytest.approx(at.result("furnace").total_cost_usd, abs=0.01)
    # every hour's price moves by the adjustment: a heat pump's heating cost by its kWh x the adjustment
    up = heatcalc.compare(path, **{"tariff.adjustment": 0.05})
    hp, hp_up = c.result("heat_pump"), up.result("heat_pump")
    assert hp_up.annual_cost_usd - hp.annual_cost_usd == pytest.approx(0.05 * hp.energy.electricity_kwh, rel=1e-9)
