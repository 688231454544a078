import numpy as np
import pytest

from heatcalc.model import engine as en
from heatcalc.model.heat_pump import HeatPumpCurve
from heatcalc.units import BTU_PER_KWH


def flat_curve(cop=3.0, capacity=30000.0, cop_min=None, capacity_min=None):
    """A unit whose COP and capacity do not change with temperature."""
    cm = capacity if capacity_min is None else capacity_min
    pm = cop if cop_min is None else cop_min
    return HeatPumpCurve((0.0, 50.0), (capacity, capacity), (cop, cop), (cm, cm), (pm, pm))


def test_furnace_fuel_and_blower():
    # 1 MMBtu at AFUE 0.8 burns 1.25 MMBtu; blower 10 kWh/MMBtu → 10 kWh.
    h = en.furnace_hourly(np.array([1e6]), en.Furnace("natural_gas", 0.8, 10.0))
    assert h.fuel_btu[0] == pytest.approx(1.25e6)
    assert h.electricity_kwh[0] == pytest.approx(10.0)
    totals = en.annual_totals(h, "natural_gas")
    assert totals.fuel_units == pytest.approx(12.5)  # therms
    # seasonal efficiency = 1e6 / (1.25e6 + 10 × 3412.14)
    assert totals.seasonal_efficiency == pytest.approx(1e6 / (1.25e6 + 34121.4163))


def test_resistance_is_3412_btu_per_kwh():
    h = en.resistance_hourly(np.array([3412.14163 * 100]), en.ElectricResistance(1.0))
    assert h.electricity_kwh[0] == pytest.approx(100.0)


def test_heat_pump_at_fixed_cop_hand_calculation():
    # 20,000 Btu/h for 10 hours at COP 3 with no cycling loss: 200,000 / (3 × 3412.14) = 19.54 kWh, no backup.
    load = np.full(10, 20000.0)
    temp = np.full(10, 30.0)
    hp = en.HeatPump(flat_curve(), cutoff_f=-10.0, backup="electric_resistance", cycling_degradation=0.0)
    t = en.annual_totals(en.heat_pump_hourly(load, temp, hp), None)
    assert t.electricity_kwh == pytest.approx(200000 / (3 * BTU_PER_KWH))
    assert t.backup_heat_btu == 0.0
    assert t.seasonal_efficiency == pytest.approx(3.0)
    # The same single-stage unit cycling with C_d 0.25 at PLR 2/3: PLF = 1 − 0.25/3, COP 2.75.
    cycling = en.HeatPump(flat_curve(), cutoff_f=-10.0, backup="electric_resistance")
    t = en.annual_totals(en.heat_pump_hourly(load, temp, cycling), None)
    assert t.seasonal_efficiency == pytest.approx(2.75)


def test_capacity_shortfall_goes_to_strips():
    # load 40,000 Btu/h, capacity 30,000: 30,000 at COP 3 + 10,000 by strips at COP 1.
    hp = en.HeatPump(flat_curve(), cutoff_f=-10.0, backup="electric_resistance")
    h = en.heat_pump_hourly(np.array([40000.0]), np.array([20.0]), hp)
    assert h.backup_heat_btu[0] == pytest.approx(10000.0)
    assert h.electricity_kwh[0] == pytest.approx((30000 / 3 + 10000) / BTU_PER_KWH)


def test_cutoff_hands_everything_to_backup():
    hp = en.HeatPump(flat_curve(), cutoff_f=0.0, backup="electric_resistance")
    h = en.heat_pump_hourly(np.array([10000.0]), np.array([-5.0]), hp)
    assert h.compressor_heat_btu[0] == 0.0
    assert h.electricity_kwh[0] == pytest.approx(10000 / BTU_PER_KWH)


def test_dual_fuel_switchover_and_shortfall_use_the_furnace_alone():
    furnace = en.Furnace("natural_gas", 0.95, 0.0)
    hp = en.HeatPump(flat_curve(capacity=30000.0), cutoff_f=-20.0, backup="furnace", switchover_f=25.0,
                     backup_furnace=furnace)
    load = np.array([10000.0, 10000.0, 40000.0])
    temp = np.array([20.0, 30.0, 30.0])  # below switchover; heat pump; shortfall → furnace alone
    h = en.heat_pump_hourly(load, temp, hp)
    assert h.fuel_btu.tolist() == pytest.approx([10000 / 0.95, 0.0, 40000 / 0.95])
    assert h.compressor_heat_btu.tolist() == [0.0, 10000.0, 0.0]


def test_cycling_degradation_below_minimum_capacity():
    # Q_min 10,000 at COP 4; delivering 5,000 (PLR 0.5) with C_d 0.25: PLF = 1 − 0.25 × 0.5 = 0.875 → COP 3.5.
    hp = en.HeatPump(flat_curve(cop=3.0, capacity=30000, cop_min=4.0, capacity_min=10000), cutoff_f=-20,
                     backup="electric_resistance", cycling_degradation=0.25)
    h = en.heat_pump_hourly(np.array([5000.0]), np.array([30.0]), hp)
    assert h.electricity_kwh[0] == pytest.approx(5000 / (3.5 * BTU_PER_KWH))


def test_modulating_cop_is_linear_between_speeds():
    # Halfway between Q_min 10,000 (COP 4) and Q_max 30,000 (COP 3): COP 3.5.
    cop = en.heat_pump_cop(20000.0, 10000.0, 30000.0, 4.0, 3.0, 0.25)
    assert float(cop) == pytest.approx(3.5)


@pytest.mark.parametrize("backup", ["electric_resistance", "furnace"])
def test_energy_is_conserved_hour_by_hour(backup):
    rng = np.random.default_rng(7)
    temp = rng.uniform(-30, 65, 8760)
    load = np.maximum(0.0, 60.0 - temp) * 600.0
    from heatcalc.model.heat_pump import default_curve

    furnace = en.Furnace("propane", 0.9, 8.0)
    hp = en.HeatPump(default_curve(8.5, "two_stage", 30000.0), cutoff_f=-5.0, backup=backup,
                     switchover_f=10.0 if backup == "furnace" else None, backup_furnace=furnace)
    h = en.heat_pump_hourly(load, temp, hp)
    np.testing.assert_allclose(h.compressor_heat_btu + h.backup_heat_btu, load, rtol=0, atol=1e-6)
    assert (h.compressor_heat_btu >= 0).all() and (h.backup_heat_btu >= -1e-9).all()
    for other in (en.furnace_hourly(load, furnace), en.resistance_hourly(load, en.ElectricResistance(0.98))):
        np.testing.assert_array_equal(other.heat_btu, load)


def test_binned_totals_equal_hourly_totals():
    rng = np.random.default_rng(3)
    temp = np.round(rng.uniform(-10, 60, 8760), 1)
    load = np.maximum(0.0, 60.0 - temp) * 500.0
    hp = en.HeatPump(flat_curve(cop=2.5, capacity=20000.0), cutoff_f=-5.0, backup="electric_resistance")
    hourly = en.annual_totals(en.heat_pump_hourly(load, temp, hp), None)
    values, counts = np.unique(temp, return_counts=True)
    bload = np.maximum(0.0, 60.0 - values) * 500.0
    binned = en.annual_totals(en.heat_pump_hourly(bload, values, hp), None, counts)
    assert binned.electricity_kwh == pytest.approx(hourly.electricity_kwh, rel=1e-12)
    assert binned.backup_hours == hourly.backup_hours
    assert binned.peak_electric_kw == pytest.approx(hourly.peak_electric_kw)


def test_interpolation_matrix_equals_piecewise_linear():
    from heatcalc.model.heat_pump import interpolation_matrix, piecewise_linear

    x = np.linspace(-40, 80, 241)
    xp = (5.0, 17.0, 47.0)
    fp = np.array([1.7, 2.4, 3.6])
    np.testing.assert_allclose(interpolation_matrix(x, xp) @ fp, piecewise_linear(x, xp, fp), atol=1e-12)
