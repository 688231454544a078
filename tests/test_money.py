import numpy as np
import pytest

from heatcalc import money


def test_cost_and_emissions():
    assert money.energy_cost_usd(1000, 50, 0.2, 1.5) == pytest.approx(275.0)
    assert money.emissions_kg(1000, 50, 0.4, 5.3) == pytest.approx(665.0)


def test_breakeven_price_hand_calculation():
    # HP 5,000 kWh; furnace 500 kWh + 600 therm at $2: p·5000 = p·500 + 1200 → p = 1200/4500 = $0.2667/kWh.
    p = money.breakeven_electricity_price_usd_per_kwh(5000, 0.0, 500, 600 * 2.0)
    assert p == pytest.approx(1200 / 4500)
    # at that price both cost the same
    assert money.energy_cost_usd(5000, 0, p) == pytest.approx(money.energy_cost_usd(500, 600, p, 2.0))
    assert money.breakeven_electricity_price_usd_per_kwh(100, 0.0, 500, 1200.0) is None


def test_breakeven_fuel_price_hand_calculation():
    # HP costs $1,500 in all; the furnace $100 of electricity plus 700 therm: 100 + 700·p = 1500 → p = $2.00/therm
    assert money.breakeven_fuel_price_usd_per_unit(1500.0, 0.0, 100.0, 700.0) == pytest.approx(2.0)
    assert money.breakeven_fuel_price_usd_per_unit(1500.0, 700.0, 100.0, 700.0) is None


def test_heat_cost_per_mmbtu():
    # COP 3 at $0.30/kWh: 1e6/(3 × 3412.14) kWh × 0.30 = $29.31/MMBtu
    assert float(money.heat_cost_usd_per_mmbtu_heat_pump(3.0, 0.30)) == pytest.approx(29.305, rel=1e-4)
    # gas at $1.50/therm, AFUE 0.95, no blower: 10/0.95 therm × 1.5 = $15.79/MMBtu
    assert money.heat_cost_usd_per_mmbtu_furnace("natural_gas", 0.95, 1.5, 0.0, 0.3) == pytest.approx(15.789, 1e-4)


def test_economic_switchover():
    temps = np.arange(-10.0, 51.0, 1.0)
    cop = 1.5 + 0.05 * (temps + 10)  # COP 1.5 at -10 F rising to 4.5 at 50 F
    # Furnace heat at $29.00/MMBtu. At 0.30 $/kWh the heat pump's heat costs 87.92/COP $/MMBtu:
    # at 20 F (COP 3.00) $29.31, dearer; at 21 F (COP 3.05) $28.83, cheaper → switchover 21 F.
    sw = money.economic_switchover_f(temps, cop, 29.0, 0.30)
    assert sw == pytest.approx(21.0)
    assert money.economic_switchover_f(temps, cop, 1000.0, 0.30) == -10.0  # heat pump always cheaper
