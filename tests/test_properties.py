"""Invariants of the model (hypothesis)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from heatcalc import money
from heatcalc.model import engine as en
from heatcalc.model.heat_pump import HeatPumpCurve, default_curve
from heatcalc.weather import stations

TEMPS = stations.hourly_temperature_f(stations.station_by_id("725340"))  # Chicago Midway
LOAD = np.maximum(0.0, 60.0 - TEMPS) * 600.0

prices = st.floats(min_value=0.01, max_value=1.0)
compressors = st.sampled_from(["single_stage", "two_stage", "variable_speed"])


def hp_year(curve, backup="electric_resistance", cutoff=-13.0):
    hp = en.HeatPump(curve, cutoff_f=cutoff, backup=backup, switchover_f=20.0 if backup == "furnace" else None,
                     backup_furnace=en.Furnace("natural_gas", 0.95, 10.0))
    return en.annual_totals(en.heat_pump_hourly(LOAD, TEMPS, hp), "natural_gas" if backup == "furnace" else None)


@settings(max_examples=40, deadline=None)
@given(p1=prices, p2=prices, hspf2=st.floats(7.5, 10.5), compressor=compressors)
def test_cost_rises_with_price(p1, p2, hspf2, compressor):
    e = hp_year(default_curve(hspf2, compressor, 36000.0))
    lo, hi = sorted((p1, p2))
    assert money.energy_cost_usd(e.electricity_kwh, 0, lo) <= money.energy_cost_usd(e.electricity_kwh, 0, hi)


@settings(max_examples=40, deadline=None)
@given(h1=st.floats(7.5, 10.5), h2=st.floats(7.5, 10.5), compressor=compressors)
def test_higher_hspf2_never_costs_more(h1, h2, compressor):
    lo, hi = sorted((h1, h2))
    assert hp_year(default_curve(hi, compressor, 36000.0)).electricity_kwh <= \
        hp_year(default_curve(lo, compressor, 36000.0)).electricity_kwh + 1e-9


@settings(max_examples=40, deadline=None)
@given(cops=st.lists(st.floats(1.0, 6.0), min_size=3, max_size=3), boost=st.floats(0.0, 2.0),
       cap=st.floats(5000, 80000))
def test_a_higher_cop_never_costs_more(cops, boost, cap):
    temps = (5.0, 17.0, 47.0)
    caps = (cap * 0.6, cap * 0.8, cap)
    base = HeatPumpCurve(temps, caps, tuple(cops), caps, tuple(cops))
    better = HeatPumpCurve(temps, caps, tuple(c + boost for c in cops), caps, tuple(c + boost for c in cops))
    assert hp_year(better).electricity_kwh <= hp_year(base).electricity_kwh + 1e-9


@settings(max_examples=30, deadline=None)
@given(hspf2=st.floats(7.5, 10.5), compressor=compressors, cap=st.floats(12000, 60000),
       backup=st.sampled_from(["electric_resistance", "furnace"]), cutoff=st.floats(-30, 20))
def test_delivered_heat_equals_load(hspf2, compressor, cap, backup, cutoff):
    hp = en.HeatPump(default_curve(hspf2, compressor, cap), cutoff_f=cutoff, backup=backup,
                     switchover_f=cutoff + 5 if backup == "furnace" else None,
                     backup_furnace=en.Furnace("natural_gas", 0.9, 10.0))
    h = en.heat_pump_hourly(LOAD, TEMPS, hp)
    np.testing.assert_allclose(h.compressor_heat_btu + h.backup_heat_btu, LOAD, atol=1e-6)
    assert en.annual_totals(h, None).heat_btu == np.float64(LOAD.sum())


@settings(max_examples=40, deadline=None)
@given(hspf2=st.floats(7.5, 10.5), compressor=compressors, cap=st.floats(6000, 60000), price=prices)
def test_resistance_never_cheaper_than_a_heat_pump_with_cop_at_least_one(hspf2, compressor, cap, price):
    # Same price per kWh for both, and the heat pump's COP is floored at 1 everywhere.
    e_hp = hp_year(default_curve(hspf2, compressor, cap))
    e_res = en.annual_totals(en.resistance_hourly(LOAD, en.ElectricResistance(1.0)), None)
    assert money.energy_cost_usd(e_hp.electricity_kwh, 0, price) <= \
        money.energy_cost_usd(e_res.electricity_kwh, 0, price) * (1 + 1e-12)
