"""Heating load of a home from its whole-house heat-loss coefficient (UA) and the outdoor temperature.

The model is the variable-base degree-hour method (ASHRAE Handbook of Fundamentals, 2021, ch. 14 and 18):

    load_h = UA × max(0, T_balance − T_out,h)                                   [Btu/h]

where T_balance is the outdoor temperature at which internal and solar gains cover the losses.
"""


from typing import NamedTuple

import numpy as np


def heat_load_btu_per_h(ua_btu_per_h_f, temp_outdoor_f, temp_balance_f):
    """Hourly heating load [Btu/h]: ``UA × max(0, T_balance − T_out)``.

    Parameters
    ----------
    ua_btu_per_h_f : numeric
        Whole-house heat-loss coefficient [Btu/h/°F].
    temp_outdoor_f : numeric
        Outdoor dry-bulb temperature [°F].
    temp_balance_f : numeric
        Balance-point temperature [°F].
    """
    return ua_btu_per_h_f * np.maximum(0.0, temp_balance_f - np.asarray(temp_outdoor_f, dtype=float))


def degree_hours_f_h(temp_outdoor_f, temp_balance_f, hours=None) -> float:
    """Heating degree-hours [°F·h] below the balance point; ``hours`` weights each temperature (default 1 h)."""
    deficit = np.maximum(0.0, temp_balance_f - np.asarray(temp_outdoor_f, dtype=float))
    return float(deficit.sum() if hours is None else (deficit * hours).sum())


def ua_from_design_btu_per_h_f(design_load_btu_per_h: float, temp_indoor_f: float, temp_design_f: float) -> float:
    """UA [Btu/h/°F] from a design heat loss: ``UA = load / (T_indoor − T_design)`` (e.g. an ACCA Manual J)."""
    if temp_indoor_f <= temp_design_f:
        raise ValueError("the indoor temperature must be above the design outdoor temperature")
    return design_load_btu_per_h / (temp_indoor_f - temp_design_f)


def ua_from_annual_heat_btu_per_h_f(annual_heat_btu: float, temp_outdoor_f, temp_balance_f: float,
                                    hours=None) -> float:
    """UA [Btu/h/°F] that makes the year's load equal ``annual_heat_btu``: ``UA = Q_year / Σ max(0, T_b − T_h)``."""
    dh = degree_hours_f_h(temp_outdoor_f, temp_balance_f, hours)
    if dh <= 0.0:
        raise ValueError("the weather never falls below the balance point, so no heating load can be fitted")
    return annual_heat_btu / dh


def annual_heat_from_bills_btu(fuel_btu: float, non_heating_btu: float, efficiency: float) -> float:
    """Heat delivered in a year [Btu] from a year of bills: ``(fuel − non-heating use) × seasonal efficiency``.

    ``fuel_btu`` and ``non_heating_btu`` are the energy content of the billed fuel over the year [Btu];
    ``efficiency`` is the current system's seasonal efficiency (AFUE for a furnace, COP for electric heat).
    """
    heating = fuel_btu - non_heating_btu
    if heating <= 0.0:
        raise ValueError("the non-heating use is as large as the whole bill, leaving nothing for heating")
    return heating * efficiency


def cooling_load_btu_per_h(ua_btu_per_h_f, temp_outdoor_f, temp_balance_f):
    """Hourly cooling load [Btu/h]: ``UA_c × max(0, T_out − T_balance,c)`` (the same degree-hour method)."""
    return ua_btu_per_h_f * np.maximum(0.0, np.asarray(temp_outdoor_f, dtype=float) - temp_balance_f)


def cooling_degree_hours_f_h(temp_outdoor_f, temp_balance_f, hours=None) -> float:
    excess = np.maximum(0.0, np.asarray(temp_outdoor_f, dtype=float) - temp_balance_f)
    return float(excess.sum() if hours is None else (excess * hours).sum())


def cooling_electricity_kwh(cooling_load_btu, seer2: float):
    """Electricity for cooling [kWh] at a seasonal efficiency: load [Btu] / (SEER2 [Btu/Wh] × 1,000)."""
    return np.asarray(cooling_load_btu, dtype=float) / (seer2 * 1000.0)


# --- dated bills: variable-base degree-hour regression ------------------------------------------------------------

class BillsFit(NamedTuple):
    """A fit of dated bills: fuel_i = base × days_i + slope × Σ_h∈i max(0, T_balance − T_out,h)."""

    slope_btu_per_f_h: float  # fuel [Btu] per degree-hour (UA / efficiency)
    balance_point_f: float
    base_btu_per_day: float  # non-heating use on the meter
    r2: float  # of the use per day
    cv_rmse: float  # root-mean-square error of the use per day over its mean, with n − p degrees of freedom
    periods: int
    fitted_btu: np.ndarray  # each period's fitted fuel [Btu]


BALANCE_GRID_F = np.arange(40.0, 75.0001, 0.1)  # balance points searched


def daily_degree_hours_f_h(day_temp_f: np.ndarray, temp_balance_f: float) -> np.ndarray:
    """Σ over each day's hours of max(0, T_balance − T_out) [°F·h]; ``day_temp_f`` is (days, 24)."""
    return np.maximum(0.0, temp_balance_f - day_temp_f).sum(axis=1)


def fit_bills(day_counts: np.ndarray, fuel_btu: np.ndarray, day_temp_f: np.ndarray,
              base_btu_per_day: float | None = None, balance_point_f: float | None = None) -> BillsFit:
    """Fit dated bills to the weather of their days (PRISM-style variable-base regression).

    ``day_counts`` is (periods, days of the weather year): how often each weather day falls in each period;
    ``fuel_btu`` each period's fuel [Btu]; ``day_temp_f`` the weather's hourly temperatures as (days, 24).  The
    non-heating use and the balance point are fitted unless given.  Each period's use per day is fitted, weighted by
    its length, and the balance point is the one of :data:`BALANCE_GRID_F` with the least squared error.
    """
    days = day_counts.sum(axis=1).astype(float)
    y = fuel_btu / days
    grid = BALANCE_GRID_F if balance_point_f is None else np.array([balance_point_f])
    n = y.size
    p = (1 if base_btu_per_day is not None else 2) + (1 if balance_point_f is None else 0)
    if n < p + 1:
        raise ValueError(f"{n} period(s) cannot fit {p} unknowns; give at least {p + 1}")
    w = days / days.sum()
    best = None
    for bp in grid:
        x = (day_counts @ daily_degree_hours_f_h(day_temp_f, bp)) / days
        if base_btu_per_day is not None:
            base = base_btu_per_day
            denom = float(w @ (x * x))
            slope = float(w @ (x * (y - base))) / denom if denom > 0 else 0.0
        else:
            xm, ym = float(w @ x), float(w @ y)
            var = float(w @ ((x - xm) ** 2))
            slope = float(w @ ((x - xm) * (y - ym))) / var if var > 0 else 0.0
            base = ym - slope * xm
            if base < 0.0:  # no negative non-heating use: through the origin instead
                base = 0.0
                denom = float(w @ (x * x))
                slope = float(w @ (x * y)) / denom if denom > 0 else 0.0
        if slope <= 0.0:
            continue
        sse = float(w @ ((y - base - slope * x) ** 2))
        if best is None or sse < best[0] - 1e-12 * max(sse, 1.0):
            best = (sse, bp, slope, base, x)
    if best is None:
        raise ValueError("the bills do not rise in colder periods, so no heating can be fitted to them")
    _, bp, slope, base, x = best
    fitted = base + slope * x
    resid = y - fitted
    ss_tot = float(w @ ((y - float(w @ y)) ** 2))
    r2 = 1.0 - float(w @ resid ** 2) / ss_tot if ss_tot > 0 else 1.0
    dof = max(n - p, 1)
    cv = float(np.sqrt((days @ resid ** 2) / days.sum() * n / dof)) / float(w @ y)
    return BillsFit(slope, float(bp), base, r2, cv, n, fitted * days)
