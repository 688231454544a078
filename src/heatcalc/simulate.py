"""Run the model for a home: every system over the year, then costs, emissions and the summary."""

from __future__ import annotations

import numpy as np

from . import money
from .home import Home
from .model.engine import AnnualEnergy, annual_totals, furnace_hourly, heat_pump_hourly, resistance_hourly
from .model.load import heat_load_btu_per_h
from .results import Comparison, Summary, SystemResult


def temperature_bins(temp_f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fold a year of hourly temperatures into its distinct values and their hour counts (ascending)."""
    ordered = np.sort(np.asarray(temp_f, dtype=float))
    starts = np.concatenate(([0], np.flatnonzero(np.diff(ordered)) + 1))
    counts = np.diff(np.concatenate((starts, [ordered.size])))
    return ordered[starts], counts.astype(float)


def annual_energy(home: Home, binned: bool = True) -> dict[str, AnnualEnergy]:
    """Each system's year.  ``binned`` folds equal temperatures together (same totals, fewer evaluations)."""
    if binned:
        temp, hours = temperature_bins(home.temp_f)
    else:
        temp, hours = home.temp_f, None
    load = heat_load_btu_per_h(home.ua_btu_per_h_f, temp, home.balance_point_f)
    out = {}
    if home.heat_pump is not None:
        hp = home.heat_pump
        fuel = hp.backup_furnace.fuel if hp.backup == "furnace" else None
        out["heat_pump"] = annual_totals(heat_pump_hourly(load, temp, hp), fuel, hours)
    if home.furnace is not None:
        out["furnace"] = annual_totals(furnace_hourly(load, home.furnace), home.furnace.fuel, hours)
    if home.resistance is not None:
        out["electric_resistance"] = annual_totals(resistance_hourly(load, home.resistance), None, hours)
    return out


def compare_home(home: Home) -> Comparison:
    energies = annual_energy(home)
    pe = home.prices["electricity"].value
    ee = home.emissions["electricity"].value
    results = []
    for system, e in energies.items():
        pf = home.prices[e.fuel].value if e.fuel else 0.0
        ef = home.emissions[e.fuel].value if e.fuel else 0.0
        results.append(SystemResult(
            profile=home.name, system=system, energy=e,
            annual_cost_usd=money.energy_cost_usd(e.electricity_kwh, e.fuel_units, pe, pf),
            co2_kg=money.emissions_kg(e.electricity_kwh, e.fuel_units, ee, ef),
        ))
    return Comparison(home=home, results=tuple(results), summary=summarise(home, results))


def summarise(home: Home, results: list[SystemResult]) -> Summary:
    by = {r.system: r for r in results}
    cheapest = min(results, key=lambda r: r.annual_cost_usd).system if results else ""
    lowest = min(results, key=lambda r: r.co2_kg).system if results else ""
    savings, breakeven = {}, {}
    hp = by.get("heat_pump")
    if hp is not None:
        hp_fuel_price = home.prices[hp.energy.fuel].value if hp.energy.fuel else 0.0
        for other in results:
            if other.system == "heat_pump":
                continue
            savings[other.system] = other.annual_cost_usd - hp.annual_cost_usd
            other_price = home.prices[other.energy.fuel].value if other.energy.fuel else 0.0
            breakeven[other.system] = money.breakeven_electricity_price_usd_per_kwh(
                hp.energy.electricity_kwh, hp.energy.fuel_units, other.energy.electricity_kwh,
                other.energy.fuel_units, hp_fuel_price, other_price)
    return Summary(cheapest=cheapest, heat_pump_savings_usd=savings, breakeven_electricity_usd_per_kwh=breakeven,
                   lowest_co2=lowest)
