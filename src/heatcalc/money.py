"""Prices, costs and emissions: pure functions over energy totals.

Prices are in $ per sales unit ($/kWh, $/therm, $/gal) and emission factors in kg CO2e per sales unit; see
:mod:`heatcalc.units` for the heat contents that link the units.
"""

from __future__ import annotations

import math

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


def breakeven_electricity_price_usd_per_kwh(hp_kwh: float, hp_other_costs_usd: float, other_kwh: float,
                                            other_other_costs_usd: float) -> float | None:
    """Electricity price at which the heat pump and another system cost the same, all else held.

    Each side costs ``p·kWh + (everything not priced per kWh: fuel, fixed charges)``; solving
    ``p·kWh_hp + C_hp = p·kWh_other + C_other`` gives p.  None when no positive price makes them equal.
    """
    d_kwh = hp_kwh - other_kwh
    if d_kwh <= 0:
        return None
    price = (other_other_costs_usd - hp_other_costs_usd) / d_kwh
    return price if price > 0 else None


def root_of_increasing(f, lo: float, hi: float, f0: float | None = None, tol_usd: float = 0.001,
                       most: int = 40) -> float | None:
    """The ``x`` in [lo, hi] where a non-decreasing money function ``f`` (a cost gap, $) crosses zero, or None when
    it does not in that range.  Starts from a straight line through 0 and a small step (a bill is nearly linear in
    an adjustment), then keeps a bracket (the Illinois form of regula falsi), so a few bills are enough."""
    f0 = f(0.0) if f0 is None else f0
    if abs(f0) <= tol_usd:
        return 0.0
    step = 0.01
    f1 = f(step if f0 < 0 else -step)
    slope = (f1 - f0) / (step if f0 < 0 else -step)
    if slope <= 0:
        return None  # the gap does not move with x: no break-even
    guess = min(hi, max(lo, -f0 / slope))
    a, fa = 0.0, f0
    b, fb = guess, f(guess)
    while fa * fb > 0:  # extend towards the root until it is bracketed, or the range ends
        if b in (lo, hi):
            return None
        a, fa = b, fb
        b = min(hi, max(lo, 2.0 * b if b else (hi if f0 < 0 else lo)))
        fb = f(b)
    side = 0
    for _ in range(most):
        x = b - fb * (b - a) / (fb - fa) if fb != fa else 0.5 * (a + b)
        fx = f(x)
        if abs(fx) <= tol_usd:
            return x
        if fx * fb < 0:
            a, fa = b, fb
            side = 0
        else:
            fa = fa / 2.0 if side == -1 else fa
            side = -1
        b, fb = x, fx
    return b


def heat_cost_usd_per_mmbtu_heat_pump(cop, price_electricity_usd_per_kwh: float):
    """Cost of 1 MMBtu of heat from a heat pump at a given COP [$/MMBtu]."""
    return price_electricity_usd_per_kwh * BTU_PER_MMBTU / (np.asarray(cop, dtype=float) * BTU_PER_KWH)


def heat_cost_usd_per_mmbtu_furnace(fuel: str, afue: float, price_fuel_usd_per_unit: float,
                                    blower_kwh_per_mmbtu: float, price_electricity_usd_per_kwh: float) -> float:
    """Cost of 1 MMBtu of heat from a furnace [$/MMBtu]: fuel at its AFUE plus blower electricity."""
    fuel_units = BTU_PER_MMBTU / (afue * BTU_PER_FUEL_UNIT[fuel])
    return fuel_units * price_fuel_usd_per_unit + blower_kwh_per_mmbtu * price_electricity_usd_per_kwh


def switchover_grid_f(cutoff_f: float) -> np.ndarray:
    """The temperatures a dual-fuel switchover is chosen from: every 0.5 F from the cutoff (at least -40 F) to
    70 F."""
    return np.arange(max(cutoff_f, -40.0), 70.5, 0.5)


def economic_switchovers_f(temps_f, cop_at_temps, furnace_usd_per_mmbtu, price_electricity_usd_per_kwh) -> np.ndarray:
    """For each home (one furnace cost and electricity price each, sharing one COP curve on ``temps_f``), the lowest
    outdoor temperature [°F] above which the heat pump is always the cheaper heat: the grid's first temperature when
    it is cheaper everywhere, one step above its last when never."""
    temps = np.asarray(temps_f, dtype=float)
    pe = np.asarray(price_electricity_usd_per_kwh, dtype=float)
    furnace = np.asarray(furnace_usd_per_mmbtu, dtype=float)
    hp = heat_cost_usd_per_mmbtu_heat_pump(np.asarray(cop_at_temps, dtype=float)[None, :], pe[:, None])
    dearer = hp > furnace[:, None]
    last = temps.size - 1 - np.argmax(dearer[:, ::-1], axis=1)
    above = np.where(last + 1 < temps.size, temps[np.minimum(last + 1, temps.size - 1)],
                     temps[-1] + (temps[-1] - temps[-2]))
    return np.where(dearer.any(axis=1), above, temps[0])


def economic_switchover_f(temps_f, cop_at_temps, furnace_usd_per_mmbtu: float,
                          price_electricity_usd_per_kwh: float) -> float:
    """:func:`economic_switchovers_f` for one home."""
    return float(economic_switchovers_f(temps_f, cop_at_temps, [furnace_usd_per_mmbtu],
                                        [price_electricity_usd_per_kwh])[0])


def breakeven_fuel_price_usd_per_unit(hp_non_fuel_usd: float, hp_fuel_units: float, other_non_fuel_usd: float,
                                      other_fuel_units: float) -> float | None:
    """Fuel price at which a furnace costs the same as the heat pump, everything else held.

    Solves ``N_hp + F_hp·p_f = N_f + F_f·p_f`` (N: costs not priced per unit of this fuel; the heat pump burns the
    same fuel when it is dual fuel).  None when the furnace burns no more fuel or no positive price works.
    """
    d_fuel = other_fuel_units - hp_fuel_units
    if d_fuel <= 0:
        return None
    price = (hp_non_fuel_usd - other_non_fuel_usd) / d_fuel
    return price if price > 0 else None


def breakeven_seasonal_cop(heat_btu: float, price_electricity: float, other_cost_usd: float) -> float | None:
    """Seasonal COP an all-electric heat pump needs to cost the same as another system:
    ``heat / (COP × 3,412.14) × p_e = cost_other``."""
    if other_cost_usd <= 0 or heat_btu <= 0:
        return None
    return heat_btu / BTU_PER_KWH * price_electricity / other_cost_usd


# --- economics ------------------------------------------------------------------------------------------------------

def present_value_factor(discount_rate: float, escalation: float, years: float) -> float:
    """Present value of a yearly cost that is 1 $ in the first year and grows by ``escalation`` a year, paid at the
    end of each of ``years`` years and discounted at ``discount_rate``:  Σ_{t=1..N} (1+e)^(t−1) / (1+r)^t.

    A fractional last year counts in proportion.
    """
    whole = int(years)
    factor = sum((1.0 + escalation) ** (t - 1) / (1.0 + discount_rate) ** t for t in range(1, whole + 1))
    part = years - whole
    if part > 0:
        t = whole + 1
        factor += part * (1.0 + escalation) ** (t - 1) / (1.0 + discount_rate) ** t
    return factor


def degrading_present_value_factor(discount_rate: float, escalation: float, years: float,
                                   degradation: float) -> float:
    """Present value of 1 $ a year for ``years`` years whose amount escalates at ``escalation`` and shrinks with an
    array's output at ``degradation`` a year: sum over t = 1..n of (1 - d)^(t-1) (1 + e)^t / (1 + r)^t (the first
    year at full output)."""
    n = int(round(years))
    return sum((1.0 - degradation) ** (t - 1) * ((1.0 + escalation) / (1.0 + discount_rate)) ** t
               for t in range(1, n + 1))


def lifetime_cost_usd(net_installed_usd: float, annual_cost_by_energy: dict, pv_factor_by_energy: dict) -> float:
    """Net installed cost plus the present value of each energy's escalating yearly cost."""
    return net_installed_usd + sum(cost * pv_factor_by_energy[energy] for energy, cost in annual_cost_by_energy.items())


#: A yearly saving below half a cent is none: two options whose costs are the same figure (a dual-fuel heat pump
#: that never runs against the furnace it switches to) must not pay back in 10^13 years on one route's rounding and
#: never on another's.
NO_SAVINGS_USD = 0.005


def simple_payback_years(extra_cost_usd: float, annual_savings_usd: float) -> float | None:
    """Years for yearly savings to repay an extra first cost; 0 when it costs nothing more and saves; None when it
    never pays back (no savings: less than :data:`NO_SAVINGS_USD` a year)."""
    years = float(simple_payback_years_many(extra_cost_usd, annual_savings_usd))
    return None if math.isnan(years) else years


def simple_payback_years_many(extra_cost_usd, annual_savings_usd):
    """:func:`simple_payback_years` of arrays (NaN: never pays back)."""
    extra, savings = np.asarray(extra_cost_usd, dtype=float), np.asarray(annual_savings_usd, dtype=float)
    saves = savings >= NO_SAVINGS_USD
    return np.where(saves, np.maximum(0.0, extra) / np.where(saves, savings, 1.0), np.nan)


def marginal_price(average_price: float, fixed_usd_per_month: float, annual_use: float) -> float:
    """Marginal price from an average revenue price that includes a fixed charge: p − 12·F / annual use per home."""
    return average_price - 12.0 * fixed_usd_per_month / annual_use


# --- time-of-use ----------------------------------------------------------------------------------------------------

#: The typical year is laid on calendar 2023, whose 1 January was a Sunday (Monday = 0).
FIRST_WEEKDAY = 6


#: Daylight saving time on that calendar: from 12 March 02:00 to 5 November 02:00 local time (US rule: second
#: Sunday of March to first Sunday of November), as hours of the standard-time year: [start, end).
DST_2023_STANDARD_HOURS = ((31 + 28 + 11) * 24 + 2, (304 + 4) * 24 + 1)
#: Where clocks stay on standard time all year (Arizona outside the Navajo Nation, Hawaii and the territories).
NO_DST_STATES = frozenset({"AZ", "HI", "PR", "GU", "VI", "AS", "MP"})


def clock_hours(daylight_saving: bool):
    """Each standard-time hour of the typical year as clock time: (hour of day 0-23, day of year 0-364, month 1-12).
    Weather files keep standard time all year; tariffs are written in clock time, one hour ahead during DST."""
    from .weather.stations import HOUR_MONTH

    hour = np.arange(8760)
    if daylight_saving:
        start, end = DST_2023_STANDARD_HOURS
        hour = hour + ((hour >= start) & (hour < end))
    hour = np.minimum(hour, 8759)  # the year's last hour stays in it
    return hour % 24, hour // 24, HOUR_MONTH[hour] + 1


def hourly_price_usd_per_kwh(periods: list[dict], daylight_saving: bool = False) -> "np.ndarray":
    """The price of each of the 8,760 standard-time hours from time-of-use periods written in clock time (first
    match wins); with ``daylight_saving`` the clock runs an hour ahead from mid-March to early November.

    ``periods``: [{price, months: set of 1–12, hours: set of 0–23 (hour starting), days: all|weekdays|weekends}].
    """
    hour_of_day, day, month = clock_hours(daylight_saving)
    weekday = (day + FIRST_WEEKDAY) % 7
    price = np.full(8760, np.nan)
    for p in periods:
        match = np.isin(month, list(p["months"])) & np.isin(hour_of_day, list(p["hours"]))
        if p.get("days") == "weekdays":
            match &= weekday < 5
        elif p.get("days") == "weekends":
            match &= weekday >= 5
        price = np.where(np.isnan(price) & match, p["price"], price)
    return price
