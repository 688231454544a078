"""Run the model for a home: every system over the year, then costs, emissions and the summary."""

from __future__ import annotations

import numpy as np

from . import money
from .home import Home
from collections import defaultdict

from .model.engine import (
    AnnualEnergy, annual_totals, annual_totals_many, furnace_hourly, heat_pump_from_performance, heat_pump_hourly,
    resistance_hourly,
)
from .model.heat_pump import capacity_balance_point_f, interpolation_matrix
from .weather.stations import HOUR_MONTH, hour_label

DAY_OF_HOUR = np.arange(8760) // 24
from .model.load import heat_load_btu_per_h
from .results import Comparison, Summary, SystemResult
from .units import BTU_PER_FUEL_UNIT, BTU_PER_KWH, FUEL_UNIT


def annual_energy(home: Home, binned: bool = True) -> dict[str, AnnualEnergy]:
    """Each system's year.  ``binned`` folds equal temperatures together (same totals, fewer evaluations)."""
    if home.heat_pump is not None and home.heat_pump.ground is not None:
        binned = False  # the loop's temperature follows the season, not only the hour's air temperature
    if binned:
        temp, hours = home.weather.bin_temp_f, home.weather.bin_hours
    else:
        temp, hours = home.weather.temp_f, None
    load = heat_load_btu_per_h(home.ua_btu_per_h_f, temp, home.balance_point_f)
    out = {}
    first_hour = home.weather.bin_first_hour if binned else None
    if home.heat_pump is not None:
        hp = home.heat_pump
        fuel = hp.backup_furnace.fuel if hp.backup == "furnace" else None
        out["heat_pump"] = annual_totals(heat_pump_hourly(load, temp, hp, None if binned else DAY_OF_HOUR), fuel,
                                         hours)
    if home.furnace is not None:
        out["furnace"] = annual_totals(furnace_hourly(load, home.furnace), home.furnace.fuel, hours)
    if home.resistance is not None:
        out["electric_resistance"] = annual_totals(resistance_hourly(load, home.resistance), None, hours)
    if first_hour is not None:  # bins → the first hour of the year at the peak's temperature
        out = {k: e._replace(peak_index=int(first_hour[e.peak_index])) for k, e in out.items()}
    return out


def annual_energy_many(homes: list[Home]) -> list[dict[str, AnnualEnergy]]:
    """:func:`annual_energy` for homes that share one weather, computed together as (homes × bins) arrays."""
    weather = homes[0].weather
    temp, hours = weather.bin_temp_f, weather.bin_hours
    if any(h.weather is not weather for h in homes):
        raise ValueError("annual_energy_many needs homes that share one weather")
    ua = np.array([h.ua_btu_per_h_f for h in homes])[:, None]
    bp = np.array([h.balance_point_f for h in homes])[:, None]
    load = heat_load_btu_per_h(ua, temp[None, :], bp)
    out: list[dict] = [{} for _ in homes]

    def column(values):
        return np.array(values, dtype=float)[:, None]

    groups = defaultdict(list)
    for i, h in enumerate(homes):
        if h.heat_pump is not None:
            groups[(h.heat_pump.curve.temp_f, h.heat_pump.backup == "furnace")].append(i)
    for (xp, dual), idx in groups.items():
        pumps = [homes[i].heat_pump for i in idx]
        w = interpolation_matrix(temp, xp).T
        cap_max = np.maximum(0.0, np.array([p.curve.capacity_max_btu_per_h for p in pumps]) @ w)
        cap_min = np.minimum(np.maximum(0.0, np.array([p.curve.capacity_min_btu_per_h for p in pumps]) @ w), cap_max)
        cop_max = np.maximum(1.0, np.array([p.curve.cop_max for p in pumps]) @ w)
        cop_min = np.maximum(1.0, np.array([p.curve.cop_min for p in pumps]) @ w)
        furnaces = [p.backup_furnace for p in pumps]
        hourly = heat_pump_from_performance(
            load[idx], temp, cap_max, cap_min, cop_max, cop_min,
            cutoff_f=column([p.cutoff_f for p in pumps]), dual_fuel=dual,
            switchover_f=column([-np.inf if p.switchover_f is None else p.switchover_f for p in pumps]),
            cycling_degradation=column([p.cycling_degradation for p in pumps]),
            backup_efficiency=column([p.backup_efficiency for p in pumps]),
            furnace_afue=column([f.afue if f else 1.0 for f in furnaces]),
            furnace_blower_kwh_per_mmbtu=column([f.blower_kwh_per_mmbtu if f else 0.0 for f in furnaces]))
        fuels = [f.fuel if dual else None for f in furnaces]
        for i, energy in zip(idx, annual_totals_many(hourly, fuels, hours)):
            out[i]["heat_pump"] = energy
    idx = [i for i, h in enumerate(homes) if h.furnace is not None]
    if idx:
        f = [homes[i].furnace for i in idx]
        heat = load[idx]
        hourly = furnace_hourly(heat, f[0])._replace(
            electricity_kwh=heat / 1e6 * column([x.blower_kwh_per_mmbtu for x in f]),
            fuel_btu=heat / column([x.afue for x in f]))
        for i, energy in zip(idx, annual_totals_many(hourly, [x.fuel for x in f], hours)):
            out[i]["furnace"] = energy
    idx = [i for i, h in enumerate(homes) if h.resistance is not None]
    if idx:
        heat = load[idx]
        eff = column([homes[i].resistance.efficiency for i in idx])
        hourly = resistance_hourly(heat, homes[idx[0]].resistance)._replace(
            electricity_kwh=heat / (BTU_PER_KWH * eff))
        for i, energy in zip(idx, annual_totals_many(hourly, [None] * len(idx), hours)):
            out[i]["electric_resistance"] = energy
    order = ("heat_pump", "furnace", "electric_resistance")
    first = weather.bin_first_hour
    return [{k: d[k]._replace(peak_index=int(first[d[k].peak_index])) for k in order if k in d} for d in out]


def compare_many(homes: list[Home]) -> list[Comparison]:
    """:func:`compare_home` for many homes; homes sharing a weather station run together as arrays."""
    groups = defaultdict(list)
    out: list = [None] * len(homes)
    for i, h in enumerate(homes):
        if h.heat_pump is not None and h.heat_pump.ground is not None:
            out[i] = compare_home(h)  # hour by hour, on its own
        else:
            groups[id(h.weather)].append(i)
    for idx in groups.values():
        for i, energies in zip(idx, annual_energy_many([homes[i] for i in idx])):
            out[i] = comparison_from_energy(homes[i], energies)
    return out


def compare_home(home: Home) -> Comparison:
    return comparison_from_energy(home, annual_energy(home))


def comparison_from_energy(home: Home, energies: dict[str, AnnualEnergy]) -> Comparison:
    pe = home.prices["electricity"].value
    ee = home.emissions["electricity"].value
    results = []
    for system, e in energies.items():
        pf = home.prices[e.fuel].value if e.fuel else 0.0
        ef = home.emissions[e.fuel].value if e.fuel else 0.0
        balance = None
        if system == "heat_pump" and home.heat_pump.ground is None:
            balance = capacity_balance_point_f(home.heat_pump.curve, home.ua_btu_per_h_f, home.balance_point_f,
                                               home.heat_pump.cutoff_f)
        results.append(SystemResult(
            profile=home.name, system=system, energy=e,
            annual_cost_usd=money.energy_cost_usd(e.electricity_kwh, e.fuel_units, pe, pf),
            co2_kg=money.emissions_kg(e.electricity_kwh, e.fuel_units, ee, ef),
            peak_hour=hour_label(e.peak_index), peak_outdoor_f=float(home.weather.temp_f[e.peak_index]),
            balance_point_f=balance,
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
    fuel_price = cop = None
    furnace = by.get("furnace")
    if hp is not None and furnace is not None:
        pe = home.prices["electricity"].value
        fuel_price = money.breakeven_fuel_price_usd_per_unit(
            hp.energy.electricity_kwh, hp.energy.fuel_units if hp.energy.fuel == furnace.energy.fuel else 0.0,
            furnace.energy.electricity_kwh, furnace.energy.fuel_units, pe)
        cop = money.breakeven_seasonal_cop(hp.energy.heat_btu, pe, furnace.annual_cost_usd)
    return Summary(cheapest=cheapest, heat_pump_savings_usd=savings, breakeven_electricity_usd_per_kwh=breakeven,
                   lowest_co2=lowest, breakeven_fuel_price_usd_per_unit=fuel_price, breakeven_seasonal_cop=cop)


def monthly_rows(comparison: Comparison) -> list[dict]:
    """Heat, energy, cost and CO2 of each system in each month of the typical year (runs the year hour by hour)."""
    home = comparison.home
    temp = home.weather.temp_f
    load = heat_load_btu_per_h(home.ua_btu_per_h_f, temp, home.balance_point_f)
    pe = home.prices["electricity"].value
    ee = home.emissions["electricity"].value
    rows = []
    for result in comparison.results:
        if result.system == "heat_pump":
            hourly = heat_pump_hourly(load, temp, home.heat_pump, DAY_OF_HOUR)
        elif result.system == "furnace":
            hourly = furnace_hourly(load, home.furnace)
        else:
            hourly = resistance_hourly(load, home.resistance)
        fuel = result.energy.fuel
        per_unit = BTU_PER_FUEL_UNIT[fuel] if fuel else 1.0
        pf = home.prices[fuel].value if fuel else 0.0
        ef = home.emissions[fuel].value if fuel else 0.0
        heat = np.bincount(HOUR_MONTH, hourly.heat_btu, 12)
        kwh = np.bincount(HOUR_MONTH, hourly.electricity_kwh, 12)
        fuel_units = np.bincount(HOUR_MONTH, hourly.fuel_btu, 12) / per_unit if fuel else np.zeros(12)
        backup = np.bincount(HOUR_MONTH, hourly.backup_heat_btu, 12)
        peak = np.zeros(12)
        np.maximum.at(peak, HOUR_MONTH, hourly.electricity_kwh)
        for m in range(12):
            rows.append({
                "profile": home.name, "system": result.system, "month": m + 1,
                "heat_delivered_mmbtu": heat[m] / 1e6, "electricity_kwh": kwh[m], "fuel": fuel or "",
                "fuel_use": fuel_units[m], "fuel_unit": FUEL_UNIT[fuel] if fuel else "",
                "cost_usd": money.energy_cost_usd(kwh[m], fuel_units[m], pe, pf),
                "co2_kg": money.emissions_kg(kwh[m], fuel_units[m], ee, ef),
                "backup_heat_mmbtu": backup[m] / 1e6, "peak_electric_kw": peak[m],
            })
    return rows


MONTHLY_COLUMNS = ("profile", "system", "month", "heat_delivered_mmbtu", "electricity_kwh", "fuel", "fuel_use",
                   "fuel_unit", "cost_usd", "co2_kg", "backup_heat_mmbtu", "peak_electric_kw")
