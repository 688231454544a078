"""Prices, costs and emissions: pure functions over energy totals.

Prices are in $ per sales unit ($/kWh, $/therm, $/gal) and emission factors in kg CO2e per sales unit; see
:mod:`heatcalc.units` for the heat contents that link the units.
"""

from __future__ import annotations

import numpy as np

from .units import BTU_PER_FUEL_UNIT, BTU_PER_KWH, BTU_PER_MMBTU


def energy_cost_usd(electricity_kwh: float, fuel_units: float, price_electricity_usd_per_kwh: float,
                    price_fuel_usd_per_unit: float = 0.0) -> float:
    """Energy cost [$] = kWh × $/kWh + fuel units × $/unit."""
    return electricity_kwh * price_electricity_usd_per_kwh + fuel_units * price_fuel_usd_per_unit


def emissions_kg(electricity_kwh: float, fuel_units: float, electricity_kg_per_kwh: float,
                 fuel_kg_per_unit: float = 0.0) -> float:
    """CO2e [kg] = kWh × kg/kWh + fuel units × kg/unit."""
    return electricity_kwh * electricity_kg_per_kwh + fuel_units * fuel_kg_per_unit


def cost_per_mmbtu_usd(annual_cost_usd: float, heat_mmbtu: float) -> float:
    return annual_cost_usd / heat_mmbtu if heat_mmbtu > 0 else 0.0


def breakeven_electricity_price_usd_per_kwh(hp_kwh: float, hp_fuel_units: float, other_kwh: float,
                                            other_fuel_units: float, price_hp_fuel: float,
                                            price_other_fuel: float) -> float | None:
    """Electricity price at which the heat pump and another system cost the same, other prices held.

    Solves ``p·kWh_hp + F_hp·p_f,hp = p·kWh_other + F_other·p_f,other`` for p.  None when no positive price
    makes them equal (the heat pump uses no more electricity, or the other system's fuel costs nothing).
    """
    d_kwh = hp_kwh - other_kwh
    d_fuel = other_fuel_units * price_other_fuel - hp_fuel_units * price_hp_fuel
    if d_kwh <= 0:
        return None
    price = d_fuel / d_kwh
    return price if price > 0 else None


def heat_cost_usd_per_mmbtu_heat_pump(cop, price_electricity_usd_per_kwh: float):
    """Cost of 1 MMBtu of heat from a heat pump at a given COP [$/MMBtu]."""
    return price_electricity_usd_per_kwh * BTU_PER_MMBTU / (np.asarray(cop, dtype=float) * BTU_PER_KWH)


def heat_cost_usd_per_mmbtu_furnace(fuel: str, afue: float, price_fuel_usd_per_unit: float,
                                    blower_kwh_per_mmbtu: float, price_electricity_usd_per_kwh: float) -> float:
    """Cost of 1 MMBtu of heat from a furnace [$/MMBtu]: fuel at its AFUE plus blower electricity."""
    fuel_units = BTU_PER_MMBTU / (afue * BTU_PER_FUEL_UNIT[fuel])
    return fuel_units * price_fuel_usd_per_unit + blower_kwh_per_mmbtu * price_electricity_usd_per_kwh


def economic_switchover_f(temps_f, cop_at_temps, furnace_usd_per_mmbtu: float,
                          price_electricity_usd_per_kwh: float) -> float:
    """The lowest outdoor temperature [°F] above which the heat pump is always the cheaper heat.

    ``temps_f`` is an ascending grid of temperatures and ``cop_at_temps`` the heat pump's COP there.  Returns the
    grid's first temperature when the heat pump is cheaper everywhere, and one step above its last when never.
    """
    temps = np.asarray(temps_f, dtype=float)
    hp = heat_cost_usd_per_mmbtu_heat_pump(cop_at_temps, price_electricity_usd_per_kwh)
    dearer = np.flatnonzero(hp > furnace_usd_per_mmbtu)
    if dearer.size == 0:
        return float(temps[0])
    last = dearer[-1]
    return float(temps[last + 1]) if last + 1 < temps.size else float(temps[-1] + (temps[-1] - temps[-2]))


def breakeven_fuel_price_usd_per_unit(hp_kwh: float, hp_fuel_units: float, other_kwh: float,
                                      other_fuel_units: float, price_electricity: float) -> float | None:
    """Fuel price at which a furnace costs the same as the heat pump, electricity price held.

    Solves ``kWh_hp·p_e + F_hp·p_f = kWh_f·p_e + F_f·p_f`` for p_f (the heat pump burns the same fuel when it is
    dual fuel).  None when the furnace burns no more fuel than the heat pump or no positive price works.
    """
    d_fuel = other_fuel_units - hp_fuel_units
    if d_fuel <= 0:
        return None
    price = (hp_kwh - other_kwh) * price_electricity / d_fuel
    return price if price > 0 else None


def breakeven_seasonal_cop(heat_btu: float, price_electricity: float, other_cost_usd: float) -> float | None:
    """Seasonal COP an all-electric heat pump needs to cost the same as another system:
    ``heat / (COP × 3,412.14) × p_e = cost_other``."""
    if other_cost_usd <= 0 or heat_btu <= 0:
        return None
    return heat_btu / BTU_PER_KWH * price_electricity / other_cost_usd
