"""Heating load of a home from its whole-house heat-loss coefficient (UA) and the outdoor temperature.

The model is the variable-base degree-hour method (ASHRAE Handbook of Fundamentals, 2021, ch. 14 and 18):

    load_h = UA × max(0, T_balance − T_out,h)                                   [Btu/h]

where T_balance is the outdoor temperature at which internal and solar gains cover the losses.
"""

from __future__ import annotations

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
