"""Run the model for a home: every system over the year, then costs, emissions and the summary."""


import math

import numpy as np

from . import money
from .home import Home
from .rules.emissions import biogenic_co2_kg_per_unit
from collections import defaultdict
from typing import NamedTuple

from .model.engine import (
    AnnualEnergy, ElectricResistance, Furnace, HourlyEnergy, annual_totals, annual_totals_many, furnace_hourly,
    heat_pump_from_performance, heat_pump_hourly, resistance_hourly,
)
from .model.heat_pump import capacity_balance_point_f, interpolation_matrix
from .weather import stations as st
from .weather.stations import HOUR_MONTH, hour_label

DAY_OF_HOUR = np.arange(8760) // 24
from .model.load import cooling_electricity_kwh, cooling_load_btu_per_h, heat_load_btu_per_h
from .results import Comparison, Summary, SystemResult
from .units import BTU_PER_FUEL_UNIT, BTU_PER_KWH, FUEL_UNIT


def annual_energy(home: Home, binned: bool = True) -> dict[str, AnnualEnergy]:
    """Each system's year.  ``binned`` folds equal temperatures together (same totals, fewer evaluations)."""
    if home.heat_pump is not None and home.heat_pump.ground is not None:
        binned = False  # the loop's temperature follows the season, not only the hour's air temperature
    price = home.tariff_usd_per_kwh
    if price is not None or home.heat_load_series_btu_per_h is not None:
        binned = False  # time-of-use prices and a given series differ by hour, not by temperature
    if binned:
        temp, hours = home.weather.bin_temp_f, home.weather.bin_hours
        load = heat_load_btu_per_h(home.ua_btu_per_h_f, temp, home.balance_point_f)
    else:
        temp, hours = home.weather.temp_f, None
        load = home.heat_load_btu_per_h()
    out = {}
    first_hour = home.weather.bin_first_hour if binned else None
    eff = home.distribution_efficiency
    if home.heat_pump is not None:
        hp = home.heat_pump
        fuel = hp.backup_furnace.fuel if hp.backup == "furnace" else None
        out["heat_pump"] = annual_totals(heat_pump_hourly(load / eff("heat_pump"), temp, hp,
                                                          None if binned else DAY_OF_HOUR), fuel, hours, price,
                                         first_hour)
    if home.furnace is not None:
        out["furnace"] = annual_totals(furnace_hourly(load / eff("furnace"), home.furnace), home.furnace.fuel, hours,
                                       price, first_hour)
    if home.resistance is not None:
        out["electric_resistance"] = annual_totals(resistance_hourly(load, home.resistance), None, hours, price,
                                                   first_hour)
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
            furnace_blower_kwh_per_mmbtu=column([f.blower_kwh_per_mmbtu if f else 0.0 for f in furnaces]),
            strip_capacity_btu_per_h=column([p.strip_capacity_btu_per_h for p in pumps]),
            strip_lockout_f=column([p.strip_lockout_f for p in pumps]))
        fuels = [f.fuel if dual else None for f in furnaces]
        for i, energy in zip(idx, annual_totals_many(hourly, fuels, hours, weather.bin_first_hour)):
            out[i]["heat_pump"] = energy
    idx = [i for i, h in enumerate(homes) if h.furnace is not None]
    if idx:
        f = [homes[i].furnace for i in idx]
        heat = load[idx]
        # one call for all: the furnace's parameters as (homes, 1) columns broadcast against the bins
        hourly = furnace_hourly(heat, Furnace("", column([x.afue for x in f]),
                                              column([x.blower_kwh_per_mmbtu for x in f])))
        for i, energy in zip(idx, annual_totals_many(hourly, [x.fuel for x in f], hours, weather.bin_first_hour)):
            out[i]["furnace"] = energy
    idx = [i for i, h in enumerate(homes) if h.resistance is not None]
    if idx:
        heat = load[idx]
        eff = column([homes[i].resistance.efficiency for i in idx])
        hourly = resistance_hourly(heat, ElectricResistance(eff))
        for i, energy in zip(idx, annual_totals_many(hourly, [None] * len(idx), hours,
                                                             weather.bin_first_hour)):
            out[i]["electric_resistance"] = energy
    order = ("heat_pump", "furnace", "electric_resistance")
    return [{k: d[k] for k in order if k in d} for d in out]


def compare_many(homes: list[Home]) -> list[Comparison]:
    """:func:`compare_home` for many homes; homes sharing a weather station run together as arrays."""
    groups = defaultdict(list)
    out: list = [None] * len(homes)
    for i, h in enumerate(homes):
        if (h.heat_pump is not None and (h.heat_pump.ground is not None or h.heat_pump.share < 1.0)) \
                or h.tariff_usd_per_kwh is not None \
                or h.heat_load_series_btu_per_h is not None or h.distribution is not None:
            out[i] = compare_home(h)  # hour by hour, on its own
        else:
            groups[id(h.weather)].append(i)
    for idx in groups.values():
        for i, energies in zip(idx, annual_energy_many([homes[i] for i in idx])):
            out[i] = comparison_from_energy(homes[i], energies)
    return out


def compare_home(home: Home) -> Comparison:
    return comparison_from_energy(home, annual_energy(home))


def cooling_energy(home: Home) -> dict[str, "CoolingYear"]:
    """Electricity for cooling [kWh] of each system (and its cost when priced hour by hour).

    The heat pump cools at its SEER2; the furnace and resistance homes at the air conditioner's, or not at all.
    Each delivers at most its cooling capacity in an hour; the rest is unmet cooling.
    """
    c = home.cooling
    if c is None:
        return {}
    if home.tariff_usd_per_kwh is not None or c.load_btu_per_h is not None:
        temp, hours, price = home.weather.temp_f, np.ones(8760), home.tariff_usd_per_kwh
    else:
        temp, hours, price = home.weather.bin_temp_f, home.weather.bin_hours, None
    load = c.load_btu_per_h if c.load_btu_per_h is not None else \
        cooling_load_btu_per_h(c.ua_btu_per_h_f, temp, c.balance_point_f)
    out = {}
    ac_cap = c.air_conditioner_capacity_btu_per_h
    for system, seer2, cap in (("heat_pump", c.heat_pump_seer2, c.heat_pump_capacity_btu_per_h),
                               ("furnace", c.air_conditioner_seer2, ac_cap),
                               ("electric_resistance", c.air_conditioner_seer2, ac_cap)):
        if seer2 is None:
            out[system] = CoolingYear(0.0, 0.0 if price is not None else None)
            continue
        # through the ducts the unit removes more than the rooms need
        through = home.distribution_efficiency("heat_pump" if system == "heat_pump" else "air_conditioner")
        delivered = np.minimum(load / through, cap)
        kwh = cooling_electricity_kwh(delivered, seer2)
        short = load / through - delivered
        out[system] = CoolingYear(float(kwh @ hours), None if price is None else float(kwh @ price),
                                  float(short @ hours), float(hours[short > 1e-6].sum()),
                                  float((load / through) @ hours))
    return out


class CoolingYear(NamedTuple):
    electricity_kwh: float
    cost_usd: float | None  # when priced hour by hour
    unmet_btu: float = 0.0  # cooling load above the unit's capacity
    unmet_hours: float = 0.0
    load_btu: float = 0.0  # the cooling asked of the unit (through its ducts)


def _uses_gas(result_fuel: str | None) -> bool:
    return result_fuel == "natural_gas"


def comparison_from_energy(home: Home, energies: dict[str, AnnualEnergy]) -> Comparison:
    pe = home.prices["electricity"].value
    ee = home.emissions["electricity"].value
    cooling = cooling_energy(home)
    fixed = home.fixed_charges_usd_per_month
    econ = home.economics
    has_gas = home.furnace is not None and home.furnace.fuel == "natural_gas"
    results = []
    for system, e in energies.items():
        fuel_price = home.prices[e.fuel].value if e.fuel else 0.0
        ef = home.emissions[e.fuel].value if e.fuel else 0.0
        heat_elec_cost = e.electricity_cost_usd if e.electricity_cost_usd is not None else e.electricity_kwh * pe
        heating_cost = heat_elec_cost + e.fuel_units * fuel_price
        cool = cooling.get(system, CoolingYear(0.0, None))
        cool_kwh = cool.electricity_kwh
        cool_cost = cool_kwh * pe if cool.cost_usd is None else cool.cost_usd
        heat_co2, cool_co2 = _electric_co2_kg(home, system, e.electricity_kwh, cool_kwh, ee)
        # fixed charges: electricity for every home; gas while the home keeps gas service
        gas_service = _uses_gas(e.fuel) or (has_gas and not (econ and econ.gas_disconnect))
        fixed_elec = 12.0 * fixed.get("electricity", 0.0)
        fixed_gas = 12.0 * fixed.get("natural_gas", 0.0) if gas_service else 0.0
        balance = None
        if system == "heat_pump" and home.heat_pump.ground is None:
            balance = capacity_balance_point_f(home.heat_pump.curve, home.ua_btu_per_h_f, home.balance_point_f,
                                               home.heat_pump.cutoff_f)
        results.append(SystemResult(
            profile=home.name, system=system, energy=e,
            annual_cost_usd=heating_cost,
            co2_kg=heat_co2 + e.fuel_units * ef,
            biogenic_co2_kg=e.fuel_units * biogenic_co2_kg_per_unit(e.fuel),
            peak_hour=hour_label(e.peak_index), peak_outdoor_f=float(home.weather.temp_f[e.peak_index]),
            balance_point_f=balance,
            cooling_electricity_kwh=cool_kwh, cooling_cost_usd=cool_cost, cooling_co2_kg=cool_co2,
            unmet_cooling_btu=cool.unmet_btu, unmet_cooling_hours=cool.unmet_hours, cooling_load_btu=cool.load_btu,
            distribution_efficiency=home.distribution_efficiency(system),
            fixed_charges_usd=fixed_elec + fixed_gas,
            cost_by_energy={"electricity": heat_elec_cost + cool_cost + fixed_elec,
                            **({e.fuel: e.fuel_units * fuel_price} if e.fuel else {}),
                            **({"natural_gas": (e.fuel_units * fuel_price if e.fuel == "natural_gas" else 0.0)
                                + fixed_gas} if fixed_gas else {})},
        ))
    if home.bills is not None:
        results = with_bills(home, results)
    if econ is not None:
        results = _with_economics(home, results)
    if home.bills is not None and home.bills.solar_investment is not None:
        results = [_with_solar_economics(home, r) for r in results]
    return Comparison(home=home, results=tuple(results), summary=summarise(home, results))


def _with_solar_economics(home: Home, r: SystemResult) -> SystemResult:
    """The array as an investment with this system: what it takes off the year's electricity bill (the ledger's bill
    without the array less with it), its net cost, simple payback and NPV over its life -- the yearly saving
    escalating with electricity, shrinking with the modules' degradation, discounted as the economics section says
    (or its defaults)."""
    inv = home.bills.solar_investment
    econ = home.economics
    rate = econ.discount_rate if econ is not None else inv.discount_rate
    escalation = econ.escalation["electricity"] if econ is not None else inv.escalation_per_year
    savings = r.electric_bill_without_solar_usd - r.electric_bill_usd
    factor = money.degrading_present_value_factor(rate, escalation, inv.lifetime_years, inv.degradation_per_year)
    out = {"annual_savings_usd": savings, "lifetime_years": inv.lifetime_years,
           "degradation_per_year": inv.degradation_per_year, "lifetime_savings_usd": savings * factor,
           "installed_cost_usd": inv.installed_cost_usd, "incentives_usd": None, "net_installed_cost_usd": None,
           "simple_payback_years": None, "npv_usd": None}
    if inv.installed_cost_usd is not None:
        net = max(0.0, inv.installed_cost_usd - inv.incentives_usd)
        out.update(incentives_usd=inv.incentives_usd, net_installed_cost_usd=net,
                   simple_payback_years=money.simple_payback_years(net, savings), npv_usd=savings * factor - net)
    return r._replace(solar_economics=out)


def _electric_co2_kg(home: Home, system: str, heat_kwh: float, cool_kwh: float, ee: float) -> tuple[float, float]:
    """A system's heating and cooling electricity as CO2e [kg]: kWh x the grid's rate, or hour by hour when the
    rate changes by the hour (marginal rates), so the hours a heat pump runs weigh as they should."""
    rate = home.electricity_co2_kg_per_kwh_hourly
    if rate is None:
        return heat_kwh * ee, cool_kwh * ee
    heat_hours, _, _, cool_hours = system_hours(home, system)
    return float(heat_hours @ rate), float(cool_hours @ rate)


def _gas_service(home: Home, fuel: str | None) -> bool:
    econ = home.economics
    has_gas = home.furnace is not None and home.furnace.fuel == "natural_gas"
    return _uses_gas(fuel) or (has_gas and not (econ and econ.gas_disconnect))


def _needs_hourly_bills(home: Home) -> bool:
    setup = home.bills
    return setup.tariff is not None or setup.solar_kwh is not None or setup.gas_blocks is not None or \
        setup.heat_pump_tariff is not None


def system_tariff(home: Home, system: str, tariff, shift: float = 0.0):
    """The electricity tariff a system's home is billed on: the heat pump's own rate (systems.heat_pump.tariff,
    shifted by ``shift`` $/kWh as the home's rate is) when it has one, else ``tariff`` (the home's)."""
    setup = home.bills
    if system != "heat_pump" or setup.heat_pump_tariff is None:
        return tariff
    from .bills import adjusted_tariff

    own = bill_tariff(setup.heat_pump_tariff, setup.export_rate_usd_per_kwh, None, 0.0)
    return adjusted_tariff(own, shift)


def with_bills(home: Home, results: list[SystemResult]) -> list[SystemResult]:
    """Each row's year of bills with the home's other use on the same meters (``electric_bill_usd``,
    ``fuel_bill_usd``).  Under a URDB rate, rooftop solar or gas blocks the bills are computed hour by hour and the
    row's costs become what the system adds to them (heating: the bill with the heating less the bill with the
    other use alone; cooling: with cooling less without), so its kWh land in the right tiers and hours; otherwise
    the costs stay as priced and the bills add the other use and the fixed charges."""
    if not _needs_hourly_bills(home):
        return [_simple_bills(home, r) for r in results]
    from .bills import electric_bill

    setup = home.bills
    tariff = _electric_tariff(home)
    base = np.full(8760, setup.base_kwh_per_h)
    base_bill = electric_bill(tariff, base, setup.solar_kwh, setup.solar_rule)  # the other use alone
    return [_hourly_bills(home, r, tariff, base_bill) for r in results]


def _simple_bills(home: Home, r: SystemResult) -> SystemResult:
    setup = home.bills
    pe = home.prices["electricity"].value
    price_sum = float(home.tariff_usd_per_kwh.sum()) if home.tariff_usd_per_kwh is not None else 8760.0 * pe
    fixed = home.fixed_charges_usd_per_month
    electric = setup.base_kwh_per_h * price_sum + (r.annual_cost_usd - _fuel_cost(home, r)) + r.cooling_cost_usd \
        + 12.0 * fixed.get("electricity", 0.0)
    fuel = _fuel_cost(home, r)
    if _gas_service(home, r.energy.fuel):
        fuel += 12.0 * setup.base_therm_per_month * home.prices["natural_gas"].value \
            + 12.0 * fixed.get("natural_gas", 0.0)
    return r._replace(electric_bill_usd=electric, fuel_bill_usd=fuel, electric_bill_without_solar_usd=electric)


def _fuel_cost(home: Home, r: SystemResult) -> float:
    e = r.energy
    return e.fuel_units * home.prices[e.fuel].value if e.fuel else 0.0


def system_hourly(home: Home, system: str):
    """One system run hour by hour over the year: its :class:`HourlyEnergy` and the fuel it burns (or None).  A
    ducted system makes the rooms' load over its ducts' efficiency."""
    temp = home.weather.temp_f
    load = home.heat_load_btu_per_h()
    through = load / home.distribution_efficiency(system)  # what the unit makes, ducts' losses too
    if system == "heat_pump":
        hp = home.heat_pump
        return heat_pump_hourly(through, temp, hp, DAY_OF_HOUR), (hp.backup_furnace.fuel if hp.backup == "furnace"
                                                                  else None)
    if system == "furnace":
        return furnace_hourly(through, home.furnace), home.furnace.fuel
    return resistance_hourly(load, home.resistance), None


def system_hours(home: Home, system: str):
    """A system's hourly heating electricity [kWh] and fuel [sales units], and its cooling electricity [kWh]."""
    hourly, fuel = system_hourly(home, system)
    units = hourly.fuel_btu / BTU_PER_FUEL_UNIT[fuel] if fuel else np.zeros(8760)
    cooling = hourly_cooling(home, system)
    cool_kwh = np.zeros(8760) if cooling is None else cooling[1]
    return np.asarray(hourly.electricity_kwh, dtype=float), units, fuel, cool_kwh


def _electric_tariff(home: Home):
    """The tariff the bills use: the URDB rate, else the prices (flat or time-of-use) with the fixed charges,
    with the profile's export rate for solar."""
    setup = home.bills
    price = home.tariff_usd_per_kwh if home.tariff_usd_per_kwh is not None else \
        np.full(8760, home.prices["electricity"].value)
    return bill_tariff(setup.tariff, setup.export_rate_usd_per_kwh, price,
                       home.fixed_charges_usd_per_month.get("electricity", 0.0))


def bill_tariff(urdb, export_usd_per_kwh, price_usd_per_kwh, fixed_usd_per_month: float):
    """The tariff a home's bills use: its URDB rate (with ``export_usd_per_kwh`` as every sell rate, when given),
    else hourly prices (8,760, or one price) with a fixed monthly charge and that export rate."""
    from .bills import ElectricTariff, Tiers

    export = export_usd_per_kwh
    if urdb is not None:
        t = urdb
        if export is None:
            return t
        if t.realtime_usd_per_kwh is not None:
            return t._replace(realtime_sell_usd_per_kwh=np.full(8760, export))
        tiers = tuple(tuple(Tiers(m.upper, m.buy, np.full(m.sell.size, export)) for m in period)
                      for period in t.energy_tiers)
        return t._replace(energy_tiers=tiers)
    price = np.broadcast_to(np.asarray(price_usd_per_kwh, dtype=float), (8760,)).copy()
    fixed = np.full(12, fixed_usd_per_month)
    return ElectricTariff("the prices", fixed, None, (), price, np.full(8760, export or 0.0), 0.0, None, None, (),
                          None, (), None, 2023, True)


_HOME = object()  # "the home's own" for an optional argument that may be None


class Ledger(NamedTuple):
    """A system's year of money under the home's bills, month by month: what every surface reads (the row's year
    is the sum of its months, the hours share out their month).  Heating and cooling are what the system adds to
    the bills of the home's other use; the bills are the whole home's."""

    heating_usd: np.ndarray  # 12: the bills with heating less the bills of the other use alone (fixed charges out)
    cooling_usd: np.ndarray  # 12: with cooling less without
    electric_bill_usd: np.ndarray  # 12: the home's electricity bill (other use, fixed and minimum charges, solar)
    fuel_bill_usd: np.ndarray  # 12: gas (with its service's fixed charge) or delivered fuel
    electric_fixed_usd: float  # the year's fixed electricity charges
    gas_fixed_usd: float  # the year's fixed gas charges (0 without gas service)
    by_energy: dict  # the year's cost split by energy (heating, cooling and fixed charges), for escalation


def system_ledger(home: Home, system: str, tariff=None, base_bill=None, gas_blocks=_HOME,
                  heat_kwh_scale: float = 1.0, shift: float = 0.0) -> Ledger:
    """:class:`Ledger` of one system of a home billed hour by hour (a URDB rate, solar or gas blocks).  ``tariff``
    and ``base_bill`` (the other use's bill) may be given when already made for the home's other systems; ``shift``
    is what ``tariff`` was shifted by ($/kWh), applied to the heat pump's own rate too.

    A heat pump on its own rate (systems.heat_pump.tariff) is billed on it, whole home included, against the other
    use's bill on the home's rate: what the option adds is the bill after the switch less the bill before it, each
    without its fixed charges, which are the option's own rate's."""
    from .bills import HOUR_MONTH, electric_bill, gas_months_usd

    setup = home.bills
    tariff = _electric_tariff(home) if tariff is None else tariff
    pv, rule = setup.solar_kwh, setup.solar_rule
    base = np.full(8760, setup.base_kwh_per_h)
    if base_bill is None:
        base_bill = electric_bill(tariff, base, pv, rule)
    own = system_tariff(home, system, tariff, shift)
    heat_kwh, fuel_units, fuel, cool_kwh = system_hours(home, system)
    heat_kwh = heat_kwh * heat_kwh_scale  # (the break-even COP: the heating electricity of a better or worse unit)
    with_heat = electric_bill(own, base + heat_kwh, pv, rule).monthly_usd
    with_all = electric_bill(own, base + heat_kwh + cool_kwh, pv, rule).monthly_usd if cool_kwh.any() \
        else with_heat
    # the other use's bill on the option's own rate's footing: fixed charges out of both, the option's own back in
    before = base_bill.monthly_usd - np.asarray(tariff.fixed_usd_per_month) + np.asarray(own.fixed_usd_per_month)
    gas_service = _gas_service(home, fuel)
    fixed_gas = home.fixed_charges_usd_per_month.get("natural_gas", 0.0) if gas_service else 0.0
    base_gas = np.full(12, setup.base_therm_per_month if gas_service else 0.0)
    price = home.prices["natural_gas"].value
    blocks = setup.gas_blocks if gas_blocks is _HOME else gas_blocks
    system_fuel = np.bincount(HOUR_MONTH, fuel_units, 12)
    gas_other = gas_months_usd(base_gas, blocks, price)
    if fuel == "natural_gas":
        gas_with = gas_months_usd(base_gas + system_fuel, blocks, price)
        fuel_cost = gas_with - gas_other
    else:
        gas_with = gas_other
        fuel_cost = system_fuel * home.prices[fuel].value if fuel else np.zeros(12)
    fuel_bill = (gas_with + fixed_gas if gas_service else np.zeros(12)) + (fuel_cost if fuel and fuel != "natural_gas"
                                                                            else 0.0)
    heating = with_heat - before + fuel_cost
    cooling = with_all - with_heat
    fixed_elec = float(np.sum(own.fixed_usd_per_month))
    by_energy = {"electricity": float((with_all - before).sum()) + fixed_elec}
    if fuel:
        by_energy[fuel] = float(fuel_cost.sum())
    if gas_service and fixed_gas:
        by_energy["natural_gas"] = by_energy.get("natural_gas", 0.0) + 12.0 * fixed_gas
    return Ledger(heating, cooling, with_all, fuel_bill, fixed_elec, 12.0 * fixed_gas, by_energy)


def ledger_total_usd(ledger: Ledger) -> float:
    """A ledger's year as a row's ``total_cost_usd``: heating, cooling and fixed charges."""
    return float(ledger.heating_usd.sum() + ledger.cooling_usd.sum()) + ledger.electric_fixed_usd + \
        ledger.gas_fixed_usd


#: The range searched for a break-even adjustment, as the profile's fields bound them.
ADJUSTMENT_RANGE = {"electricity": (-2.0, 2.0), "natural_gas": (-20.0, 20.0)}


def price_shift_breakeven(home: Home, hp: SystemResult, other: SystemResult, lo: float = -2.0,
                          hi: float = 2.0) -> float | None:
    """The shift of every electricity price of the home's bills [$/kWh] (a URDB rate's energy charges, or the
    profile's prices) at which the heat pump's ledger costs what ``other``'s does, found on the bills (solar
    credits, tiers and minimums included); None when they do not cross within [lo, hi]."""
    from .bills import adjusted_tariff, electric_bill

    setup = home.bills
    tariff = _electric_tariff(home)
    base = np.full(8760, setup.base_kwh_per_h)

    def gap(x: float) -> float:
        shifted = adjusted_tariff(tariff, x)
        base_bill = electric_bill(shifted, base, setup.solar_kwh, setup.solar_rule)
        return ledger_total_usd(system_ledger(home, hp.system, shifted, base_bill, shift=x)) - \
            ledger_total_usd(system_ledger(home, other.system, shifted, base_bill, shift=x))

    return money.root_of_increasing(gap, lo, hi, hp.total_cost_usd - other.total_cost_usd)


def breakeven_adjustments(home: Home, hp: SystemResult, other: SystemResult) -> tuple:
    """(rate adjustment [$/kWh], gas adjustment [$/therm], seasonal COP, notes): the shift of every energy charge of the home's
    URDB rate, and of every gas block, at which the heat pump's ledger costs the same as the other system's (the
    profile's own adjustment included), found on the bills themselves; None where the home has no such tariff or
    the costs do not cross in the fields' range (then a note says so).  The COP is the all-electric heat pump's
    seasonal COP at which its bills equal the other's (its heating kWh scaled, the rate's tiers and credits kept)."""
    from .bills import GasBlocks

    setup = home.bills
    notes = []
    rate = gas = None
    t = home.profile.tariff
    if setup.tariff is not None or home.tariff_usd_per_kwh is not None:  # a URDB rate, or time-of-use periods
        own = (t.adjustment or 0.0) if t is not None else 0.0
        lo, hi = ADJUSTMENT_RANGE["electricity"]
        x = price_shift_breakeven(home, hp, other, lo - own, hi - own)
        rate = None if x is None else own + x
        if rate is None:
            notes.append(f"no tariff.adjustment from ${lo:+.2f} to ${hi:+.2f}/kWh makes the heat pump cost the same as "
                         f"the {other.system.replace('_', ' ')} on this rate")
    if setup.gas_blocks is not None:
        blocks = setup.gas_blocks

        def gas_gap(x: float) -> float:
            shifted = GasBlocks(blocks.upper, blocks.price + x)
            return ledger_total_usd(system_ledger(home, hp.system, gas_blocks=shifted)) - \
                ledger_total_usd(system_ledger(home, other.system, gas_blocks=shifted))

        own = (t.natural_gas_adjustment or 0.0) if t is not None else 0.0
        lo, hi = ADJUSTMENT_RANGE["natural_gas"]
        # the other system burns more gas: its cost rises faster with the blocks' prices, so the gap falls
        x = money.root_of_increasing(lambda g: -gas_gap(g), lo - own, hi - own,
                                     other.total_cost_usd - hp.total_cost_usd)
        gas = None if x is None else own + x
        if gas is None:
            notes.append(f"no tariff.natural_gas_adjustment from ${lo:+.0f} to ${hi:+.0f}/therm makes the heat pump "
                         f"cost the same as the {other.system.replace('_', ' ')}")
    cop = None
    if hp.energy.fuel is None and hp.energy.electricity_kwh > 0:
        other_total = other.total_cost_usd

        def cop_gap(x: float) -> float:  # the heat pump's heating kWh x (1 + x), everything else held
            return ledger_total_usd(system_ledger(home, hp.system, heat_kwh_scale=1.0 + x)) - other_total

        x = money.root_of_increasing(cop_gap, -0.95, 9.0, hp.total_cost_usd - other_total)
        cop = None if x is None else hp.energy.seasonal_efficiency / (1.0 + x)
    return rate, gas, cop, tuple(notes)


def monthly_bills(home: Home, system: str) -> tuple[np.ndarray, np.ndarray]:
    """A system's home's electricity and fuel bills in each month [$] (other use, fixed and minimum charges and
    solar credits included), summing to the row's ``electric_bill_usd`` and ``fuel_bill_usd``."""
    ledger = system_ledger(home, system)
    return ledger.electric_bill_usd, ledger.fuel_bill_usd


def _hourly_bills(home: Home, r: SystemResult, tariff, base_bill) -> SystemResult:
    from .bills import solar_bills_usd

    setup = home.bills
    pv = setup.solar_kwh
    ledger = system_ledger(home, r.system, tariff, base_bill)
    e_all = float(ledger.electric_bill_usd.sum())
    out = r._replace(annual_cost_usd=float(ledger.heating_usd.sum()), cooling_cost_usd=float(ledger.cooling_usd.sum()),
                     fixed_charges_usd=ledger.electric_fixed_usd + ledger.gas_fixed_usd, electric_bill_usd=e_all,
                     fuel_bill_usd=float(ledger.fuel_bill_usd.sum()), electric_bill_without_solar_usd=e_all,
                     cost_by_energy=ledger.by_energy)
    if pv is not None:
        heat_kwh, _, _, cool_kwh = system_hours(home, r.system)
        base = np.full(8760, setup.base_kwh_per_h)
        sb = solar_bills_usd(system_tariff(home, r.system, tariff), (base + heat_kwh + cool_kwh)[None, :],
                             pv[None, :], setup.solar_rule)
        no_pv, self_only = float(sb.without_solar_usd[0]), float(sb.self_only_usd[0])
        out = out._replace(solar_self_consumed_kwh=float(sb.self_consumed_kwh[0]),
                           solar_exported_kwh=float(sb.exported_kwh[0]),
                           solar_export_credit_usd=(no_pv - e_all) - (no_pv - self_only),
                           electric_bill_without_solar_usd=no_pv)
    return out


def _with_economics(home: Home, results: list[SystemResult]) -> list[SystemResult]:
    """Installed cost (typical, low, high), lifetime cost, NPV and simple payback of each system against the
    current one, by the rule both routes share (:func:`heatcalc.rules.economics.economics_columns`, for a table of
    one home)."""
    from .rules.economics import PURCHASES, Option, Purchased, economics_columns

    econ = home.economics

    def one(value):
        return np.array([value], dtype=float)

    bought = Purchased(
        current=np.array([econ.current], dtype=object), replace=np.array([econ.replace_current]),
        bundles_ac=np.array(["air_conditioner" in econ.installed_cost_usd]),
        typical={k: one(econ.installed_cost_usd.get(k, 0.0)) for k in PURCHASES},
        low={k: one(econ.installed_cost_low_usd.get(k, 0.0)) for k in PURCHASES},
        high={k: one(econ.installed_cost_high_usd.get(k, 0.0)) for k in PURCHASES},
        incentives={k: one(econ.incentives_usd.get(k, 0.0)) for k in PURCHASES},
        incentive_low={k: one(v[0]) for k, v in econ.incentive_range_usd.items()},
        incentive_high={k: one(v[1]) for k, v in econ.incentive_range_usd.items()},
        pv_factor={energy: one(money.present_value_factor(econ.discount_rate, econ.escalation[energy],
                                                          econ.lifetime_years)) for energy in econ.escalation})
    options = {r.system: Option(np.array([True]), one(r.total_cost_usd),
                                {k: one(v) for k, v in (r.cost_by_energy or {}).items()}, np.array([r.meets_load]))
               for r in results}
    columns = economics_columns(bought, options)
    out = []
    for r in results:
        cols = columns[r.system]
        out.append(r._replace(**{c: None if math.isnan(v[0]) else float(v[0]) for c, v in cols.items()}))
    return out


def summarise(home: Home, results: list[SystemResult]) -> Summary:
    """Cheapest and lowest-CO2 system over the year (heating, cooling and fixed charges), what the heat pump saves,
    and the prices at which it breaks even (not defined under a time-of-use tariff)."""
    by = {r.system: r for r in results}
    # Only a system that does the job can be the cheapest, or save money against another: one that leaves heat
    # unmet is cheap because the house is cold.
    able = [r for r in results if r.meets_load]
    cheapest = min(able, key=lambda r: r.total_cost_usd).system if able else ""
    lowest = min(able, key=lambda r: r.total_co2_kg).system if able else ""
    savings, breakeven = {}, {}
    hp = by.get("heat_pump")
    flat = home.tariff_usd_per_kwh is None
    pe = home.prices["electricity"].value

    def kwh(r):
        return r.energy.electricity_kwh + r.cooling_electricity_kwh

    def non_electric(r):
        return r.total_cost_usd - kwh(r) * pe

    billed = home.bills is not None and _needs_hourly_bills(home)
    if hp is not None and hp.meets_load:
        for other in results:
            if other.system == "heat_pump" or not other.meets_load:
                continue
            savings[other.system] = other.total_cost_usd - hp.total_cost_usd
            if flat and billed and home.bills.tariff is None:  # solar credits or gas blocks: on the bills
                x = price_shift_breakeven(home, hp, other)
                breakeven[other.system] = pe + x if x is not None and pe + x > 0 else None
            else:
                breakeven[other.system] = money.breakeven_electricity_price_usd_per_kwh(
                    kwh(hp), non_electric(hp), kwh(other), non_electric(other)) if flat else None
    fuel_price = cop = None
    furnace = by.get("furnace")
    if hp is not None and furnace is not None and hp.meets_load and furnace.meets_load:
        fuel = furnace.energy.fuel
        pf = home.prices[fuel].value
        hp_fuel = hp.energy.fuel_units if hp.energy.fuel == fuel else 0.0
        fuel_price = money.breakeven_fuel_price_usd_per_unit(
            hp.total_cost_usd - hp_fuel * pf, hp_fuel, furnace.total_cost_usd - furnace.energy.fuel_units * pf,
            furnace.energy.fuel_units)
        if flat:
            cop = money.breakeven_seasonal_cop(hp.energy.heat_btu, pe, furnace.annual_cost_usd)
    rate_adj = gas_adj = None
    notes: tuple = ()
    both = hp is not None and furnace is not None and hp.meets_load and furnace.meets_load
    if both and home.bills is not None and billed:
        rate_adj, gas_adj, ledger_cop, notes = breakeven_adjustments(home, hp, furnace)
        cop = cop if flat and home.bills.tariff is None else ledger_cop
    elif both and not flat:  # time-of-use periods, priced kWh by kWh: every price shifted by x moves each by x kWh
        extra_kwh = kwh(hp) - kwh(furnace)
        t = home.profile.tariff
        own = (t.adjustment or 0.0) if t is not None else 0.0
        rate_adj = own - (hp.total_cost_usd - furnace.total_cost_usd) / extra_kwh if extra_kwh > 0 else None
        if hp.energy.fuel is None and hp.annual_cost_usd > 0:  # its heating kWh x k, each at its hour's price
            k = 1.0 - (hp.total_cost_usd - furnace.total_cost_usd) / hp.annual_cost_usd
            cop = hp.energy.seasonal_efficiency / k if k > 0 else None
    if not flat:
        notes = ("under a rate or time-of-use prices the break-even is a tariff.adjustment (every energy charge "
                 "shifted), not an electricity price",) + notes
    return Summary(cheapest=cheapest, heat_pump_savings_usd=savings, breakeven_electricity_usd_per_kwh=breakeven,
                   lowest_co2=lowest, breakeven_fuel_price_usd_per_unit=fuel_price, breakeven_seasonal_cop=cop,
                   breakeven_rate_adjustment_usd_per_kwh=rate_adj, breakeven_gas_adjustment_usd_per_therm=gas_adj,
                   breakeven_notes=notes)


class HourlySeries(NamedTuple):
    """One system's year, hour by hour, priced: what the monthly and hourly outputs are summed from."""

    system: str
    hourly: HourlyEnergy
    fuel: str | None
    fuel_units: np.ndarray  # fuel burned each hour, in its sales unit
    cost_usd: np.ndarray  # heating cost of each hour: its months add up to the row's annual_cost_usd
    cooling_cost_usd: np.ndarray  # cooling cost of each hour: its months add up to the row's cooling_cost_usd


def hourly_series(comparison: Comparison) -> list[HourlySeries]:
    """Each system of a comparison run hour by hour over the typical year, with each hour's fuel and costs.

    With flat or time-of-use prices an hour's cost is its kWh at the hour's price plus its fuel.  Under a URDB rate,
    gas blocks or solar, a month's cost is the system's :class:`Ledger` month (the bills with the system less the
    bills without it: tiers, credits and minimums included), shared among the month's hours in proportion to what
    each would cost at its price (evenly where none would), so that hours add up to months and months to the year."""
    from .bills import HOUR_MONTH

    home = comparison.home
    price = home.tariff_usd_per_kwh if home.tariff_usd_per_kwh is not None else \
        np.full(8760, home.prices["electricity"].value)
    billed = home.bills is not None and _needs_hourly_bills(home)
    tariff = _electric_tariff(home) if billed else None
    out = []
    for result in comparison.results:
        hourly, _ = system_hourly(home, result.system)
        fuel = result.energy.fuel
        units = hourly.fuel_btu / BTU_PER_FUEL_UNIT[fuel] if fuel else np.zeros_like(hourly.fuel_btu)
        pf = home.prices[fuel].value if fuel else 0.0
        cooling = hourly_cooling(home, result.system)
        cool_kwh = np.zeros(8760) if cooling is None else cooling[1]
        heat_cost = hourly.electricity_kwh * price + units * pf
        cool_cost = cool_kwh * price
        if billed:
            ledger = system_ledger(home, result.system, tariff)
            heat_cost = share_out_usd(ledger.heating_usd, heat_cost, HOUR_MONTH)
            cool_cost = share_out_usd(ledger.cooling_usd, cool_cost, HOUR_MONTH)
        out.append(HourlySeries(result.system, hourly, fuel, units, heat_cost, cool_cost))
    return out


def share_out_usd(month_usd: np.ndarray, weight: np.ndarray, hour_month: np.ndarray) -> np.ndarray:
    """Each month's dollars shared among its hours in proportion to ``weight`` (evenly in a month whose weights are
    all zero): the hours of a month add up to it exactly, up to rounding."""
    weight = np.maximum(np.asarray(weight, dtype=float), 0.0)
    total = np.bincount(hour_month, weight, 12)
    count = np.bincount(hour_month, None, 12)
    even = total[hour_month] <= 0.0
    share = np.where(even, 1.0 / count[hour_month], weight / np.where(even, 1.0, total[hour_month]))
    return share * month_usd[hour_month]


def monthly_rows(comparison: Comparison) -> list[dict]:
    """Heat, energy, cost and CO2 of each system in each month of the typical year (runs the year hour by hour)."""
    home = comparison.home
    ee = home.emissions["electricity"].value
    rows = []
    for series in hourly_series(comparison):
        hourly, fuel = series.hourly, series.fuel
        ef = home.emissions[fuel].value if fuel else 0.0
        heat = np.bincount(HOUR_MONTH, hourly.heat_btu, 12) * home.distribution_efficiency(series.system)
        kwh = np.bincount(HOUR_MONTH, hourly.electricity_kwh, 12)
        cost = np.bincount(HOUR_MONTH, series.cost_usd, 12)
        cool_cost = np.bincount(HOUR_MONTH, series.cooling_cost_usd, 12)
        fuel_units = np.bincount(HOUR_MONTH, series.fuel_units, 12)
        backup = np.bincount(HOUR_MONTH, hourly.backup_heat_btu, 12)
        peak = np.zeros(12)
        np.maximum.at(peak, HOUR_MONTH, hourly.electricity_kwh)
        rate = home.electricity_co2_kg_per_kwh_hourly
        grid_co2 = None if rate is None else np.bincount(HOUR_MONTH, hourly.electricity_kwh * rate, 12)
        bill_e, bill_f = monthly_bills(home, series.system) if home.bills is not None else (np.zeros(12),) * 2
        for m in range(12):
            rows.append({
                "profile": home.name, "system": series.system, "month": m + 1,
                "heat_delivered_mmbtu": heat[m] / 1e6, "electricity_kwh": kwh[m], "fuel": fuel or "",
                "fuel_use": fuel_units[m], "fuel_unit": FUEL_UNIT[fuel] if fuel else "",
                "cost_usd": cost[m],
                "co2_kg": (money.emissions_kg(kwh[m], fuel_units[m], ee, ef) if grid_co2 is None
                           else float(grid_co2[m]) + fuel_units[m] * ef),
                "backup_heat_mmbtu": backup[m] / 1e6, "peak_electric_kw": peak[m],
                "electric_bill_usd": float(bill_e[m]), "fuel_bill_usd": float(bill_f[m]),
                "cooling_cost_usd": cool_cost[m],
            })
    return rows


def hour_times(home: Home) -> list[str]:
    """The start of each hour of the typical year as an ISO 8601 timestamp in local clock time with its UTC
    offset (2023-07-01T13:00-04:00): the weather's standard time moved an hour ahead during daylight saving time
    (2023 dates) where the state keeps it. Without a known time zone (a weather file outside the embedded
    stations) the standard time is written without an offset."""
    from datetime import datetime, timedelta, timezone

    station = st.station_by_id(home.location.station_id) if home.location.station_id else None
    from .rules.rates import daylight_saving

    dst = daylight_saving(home.location.state) and station is not None
    start, end = money.DST_2023_STANDARD_HOURS
    t0 = datetime(2023, 1, 1)
    out = []
    for i in range(8760):
        t = t0 + timedelta(hours=i)
        if station is None:
            out.append(t.strftime("%Y-%m-%dT%H:%M"))
            continue
        shift = 1 if dst and start <= i < end else 0
        tz = timezone(timedelta(hours=station.utc_offset_h + shift))
        out.append((t + timedelta(hours=shift)).replace(tzinfo=tz).isoformat(timespec="minutes"))
    return out


def hourly_cooling(home: Home, system: str):
    """Each hour's cooling for a system's home: (load asked of the unit, electricity, unmet), or None without
    cooling."""
    c = home.cooling
    if c is None:
        return None
    seer2, cap = ((c.heat_pump_seer2, c.heat_pump_capacity_btu_per_h) if system == "heat_pump"
                  else (c.air_conditioner_seer2, c.air_conditioner_capacity_btu_per_h))
    temp = home.weather.temp_f
    load = c.load_btu_per_h if c.load_btu_per_h is not None else \
        cooling_load_btu_per_h(c.ua_btu_per_h_f, temp, c.balance_point_f)
    if seer2 is None:
        zero = np.zeros(8760)
        return load, zero, zero
    through = home.distribution_efficiency("heat_pump" if system == "heat_pump" else "air_conditioner")
    delivered = np.minimum(load / through, cap)
    return load, cooling_electricity_kwh(delivered, seer2), load / through - delivered


def hourly_rows(comparison: Comparison):
    """Each hour of the typical year for each system (``compare --hourly``): when (``hour``, the standard-time
    label MM-DD HH:00 of the hour's end, as TMY3 writes it; ``time``, the hour's start in local clock time with its
    UTC offset), outdoor temperature, the home's load, the heat pump's output and COP, backup heat, electricity,
    fuel, cost, unmet heat, and with cooling the cooling load, electricity, cost and unmet cooling.  The heat pump's
    COP is its compressor heat over its compressor electricity (strips and a dual-fuel furnace's fan left out);
    empty when it is off."""
    home = comparison.home
    temp = home.weather.temp_f
    load = home.heat_load_btu_per_h()
    labels = [hour_label(i) for i in range(temp.size)]
    times = hour_times(home)
    setup = home.bills
    pv = setup.solar_kwh if setup is not None and setup.solar_kwh is not None else np.zeros(8760)
    base = setup.base_kwh_per_h if setup is not None else 0.0
    for series in hourly_series(comparison):
        cooling = hourly_cooling(home, series.system)
        if cooling is None:
            cool_load = cool_kwh = cool_short = np.zeros(8760)
        else:
            cool_load, cool_kwh, cool_short = cooling
        net = base + series.hourly.electricity_kwh + cool_kwh - pv  # the whole home at its meter
        h = series.hourly
        is_hp = series.system == "heat_pump"
        if is_hp:
            hp = home.heat_pump
            made = h.backup_heat_btu * hp.rest_factor  # the backup's (or rest system's) own heat
            if hp.backup == "furnace":
                other_kwh = made / 1e6 * hp.backup_furnace.blower_kwh_per_mmbtu
            else:
                other_kwh = made / (BTU_PER_KWH * hp.backup_efficiency)
            compressor_kwh = np.maximum(h.electricity_kwh - other_kwh, 0.0)
            with np.errstate(divide="ignore", invalid="ignore"):
                cop = np.where(compressor_kwh > 1e-12, h.compressor_heat_btu / (compressor_kwh * BTU_PER_KWH), np.nan)
        unit = FUEL_UNIT[series.fuel] if series.fuel else ""
        for i in range(temp.size):
            yield {"profile": home.name, "system": series.system, "hour": labels[i], "time": times[i],
                   "outdoor_f": float(temp[i]),
                   "load_btu": float(load[i]),
                   "heat_pump_btu": float(h.compressor_heat_btu[i]) if is_hp else None,
                   "heat_pump_cop": (None if np.isnan(cop[i]) else float(cop[i])) if is_hp else None,
                   "backup_heat_btu": float(h.backup_heat_btu[i]) if is_hp else None,
                   "electricity_kwh": float(h.electricity_kwh[i]), "fuel": series.fuel or "",
                   "fuel_use": float(series.fuel_units[i]), "fuel_unit": unit, "cost_usd": float(series.cost_usd[i]),
                   "unmet_heat_btu": 0.0 if h.unmet_btu is None else float(h.unmet_btu[i]),
                   "cooling_load_btu": float(cool_load[i]), "cooling_electricity_kwh": float(cool_kwh[i]),
                   "cooling_cost_usd": float(series.cooling_cost_usd[i]), "unmet_cooling_btu": float(cool_short[i]),
                   "solar_kwh": float(pv[i]), "grid_import_kwh": float(max(net[i], 0.0)),
                   "grid_export_kwh": float(max(-net[i], 0.0))}


HOURLY_COLUMNS = ("profile", "system", "hour", "time", "outdoor_f", "load_btu", "heat_pump_btu", "heat_pump_cop",
                  "backup_heat_btu", "electricity_kwh", "fuel", "fuel_use", "fuel_unit", "cost_usd", "unmet_heat_btu",
                  "cooling_load_btu", "cooling_electricity_kwh", "cooling_cost_usd", "unmet_cooling_btu",
                  "solar_kwh", "grid_import_kwh", "grid_export_kwh")
MONTHLY_COLUMNS = ("profile", "system", "month", "heat_delivered_mmbtu", "electricity_kwh", "fuel", "fuel_use",
                   "fuel_unit", "cost_usd", "co2_kg", "backup_heat_mmbtu", "peak_electric_kw", "electric_bill_usd",
                   "fuel_bill_usd", "cooling_cost_usd")


def monthly_frame(comparison: Comparison):
    """Each system's months (``compare --monthly``) as a pandas DataFrame (pandas is imported here only)."""
    import pandas as pd

    return pd.DataFrame(monthly_rows(comparison), columns=list(MONTHLY_COLUMNS))


def hourly_frame(comparison: Comparison):
    """Every hour of the year for each system (``compare --hourly``) as a pandas DataFrame indexed by the hour's
    start in the weather's local standard time (a DatetimeIndex of 2023, repeated per system); the column ``time``
    is the same hour in local clock time with its UTC offset (daylight saving time included)."""
    import pandas as pd

    frame = pd.DataFrame(list(hourly_rows(comparison)), columns=list(HOURLY_COLUMNS))
    hours = pd.date_range("2023-01-01", periods=8760, freq="h")
    frame.index = pd.DatetimeIndex(list(hours) * (len(frame) // 8760), name="standard_time")
    return frame.drop(columns=["hour"])


Comparison.monthly_frame = monthly_frame
Comparison.hourly_frame = hourly_frame

