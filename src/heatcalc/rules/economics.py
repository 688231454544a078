"""Economics and incentives, for both roads (docs/resolver.md): which system the home has today, what is bought and
what it costs installed, the price trends, the incentives a household gets for its heat pump, and each option's
installed cost, lifetime cost, NPV and payback against the current system -- the last as arrays over homes, so a
homes table computes them for a chunk at once and a single profile as a table of one row.

The rules that are per purchase by nature (an installed cost at a size and place, a household's incentives) are
functions of one purchase, memoised by their inputs where a table repeats them (:func:`heatcalc.incentives.find`
reads a ZIP's offers once)."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .. import costs
from .. import incentives as inc
from ..errors import HeatcalcError
from ..offer_conditions import Purchase
from ..profile import field_spec
from ..units import FUELS
from ..weather import stations as st

SYSTEMS = ("heat_pump", "furnace", "electric_resistance")
PURCHASES = SYSTEMS + ("air_conditioner",)  # what a home may buy: a system, and central air beside one


# --- what the home has, what it buys ---------------------------------------------------------------------------

def current_system(given: str | None, billed_fuel: str | None) -> str | None:
    """The system the home has today: the one given, else the one its bills are for (a fuel: the furnace;
    electricity: resistance heat), else None (the profile must say)."""
    if given is not None:
        return given
    if billed_fuel in FUELS:
        return "furnace"
    if billed_fuel == "electricity":
        return "electric_resistance"
    return None


def purchases(present: dict, current: str, replace: bool, cooled: bool) -> tuple[list, bool]:
    """(what is priced, whether central air is bought beside a furnace or resistance heat): every system compared
    except the current one kept; in a cooled home with an air conditioner, a new one when the current system is
    replaced or the home leaves a heat pump (which cooled it)."""
    with_ac = cooled and (replace or current == "heat_pump")
    wanted = [s for s in SYSTEMS if present.get(s) and (s != current or replace)]
    if with_ac:
        wanted.append("air_conditioner")
    return wanted, with_ac


def default_installed_cost(system: str, state: str | None, *, ground: bool = False, hp_type: str | None = None,
                           distribution: str = "ducted",
                           nameplate_btu_per_h: float | None = None, hspf2: float | None = None,
                           zones: float | None = None, furnace_kind: str = "furnace", furnace_fuel: str | None = None,
                           design_load_btu_per_h: float | None = None):
    """(the installed-cost range heatcalc assumes for a system the profile gives no cost for, or None; the problem
    as (field, message) when it has none): a heat pump at its nameplate (``nameplate_btu_per_h``; ``hspf2`` places
    it on the efficiency axis; a ductless one with its ``zones`` given, else :func:`heatcalc.costs.default_zones`),
    a furnace or boiler at the home's design load, resistance heat and central air per unit."""
    if system == "heat_pump":
        if hp_type == "air_to_water":
            return None, ("economics.installed_cost.heat_pump", "heatcalc has no installed-cost data for air-to-water "
                                                                "units yet: give your quote "
                                                                "(economics.installed_cost.heat_pump)")
        if ground:
            return _installed_cost("ground_source_heat_pump", (nameplate_btu_per_h or 36000.0) / 12000.0, state), None
        tons = nameplate_btu_per_h / 12000.0
        if distribution != "ductless":
            zones = None
        elif zones is not None and zones != int(zones):
            return None, ("systems.heat_pump.zones", f"must be a whole number of indoor units (got {zones:g})")
        else:
            zones = int(zones) if zones is not None else costs.default_zones(tons)
        hspf = costs.hspf_from_hspf2(hspf2, distribution)
        return _installed_cost(f"heat_pump_{distribution}", tons, state, hspf, zones), None
    if system == "furnace":
        if furnace_kind in ("stove", "insert") or furnace_fuel in ("wood", "pellets", "coal"):
            return None, ("economics.installed_cost.furnace", f"heatcalc has no installed-cost data for a "
                                                              f"{furnace_fuel} {furnace_kind}: give your quote")
        family = "boiler" if furnace_kind == "boiler" else "furnace"
        kind = f"gas_{family}" if furnace_fuel == "natural_gas" else f"oil_propane_{family}"
        return _installed_cost(kind, max(0.5, (design_load_btu_per_h or 36000.0) / 12000.0), state), None
    if system == "electric_resistance":
        return _installed_cost("electric_resistance", None, state), None
    return _installed_cost("central_air_conditioner", None, state), None


_COSTS: dict = {}  # (equipment, tons, state, HSPF, zones) -> CostRange: a table repeats its sizes and states


def _installed_cost(equipment: str, tons, state, hspf=None, zones=None):
    key = (equipment, tons, state, hspf, zones)
    cost = _COSTS.get(key)
    if cost is None:
        if len(_COSTS) > 100_000:
            _COSTS.clear()
        cost = _COSTS[key] = costs.installed_cost(equipment, tons, state, hspf=hspf, zones=zones)
    return cost


def escalation_rates(state: str | None, energies, given: dict) -> dict:
    """Each energy's price change per year: given, else the state's 2003-2023 trend (EIA SEDS; kerosene follows
    heating oil), else the field's declared default (pellets and coal: none)."""
    key = (state, tuple(energies), tuple(given.get(energy) for energy in energies))
    hit = _ESCALATION.get(key)
    if hit is None:
        info = st.state_info(state) if state else None
        trend = (info or st.state_info("US"))["escalation_per_year"]
        hit = {}
        for energy in energies:
            value = given.get(energy)
            if value is None:
                value = trend.get(energy, trend["heating_oil"] if energy == "kerosene" else
                                  field_spec(f"economics.escalation.{energy}").default)
            hit[energy] = value
        if len(_ESCALATION) > 10_000:
            _ESCALATION.clear()
        _ESCALATION[key] = hit
    return dict(hit)


_ESCALATION: dict = {}  # (state, energies, given) -> rates: a table's homes share a few states and fuels


@lru_cache(maxsize=4096)  # (a table's rows repeat a few kinds of purchase; the answer is an immutable tuple)
def purchase(hp_type: str | None, distribution: str | None, current_given: str | None, furnace_fuel: str | None,
             billed_fuel: str | None, backup: str | None, serves: float | None, home_type: str | None,
             has_heat_pump: bool = True):
    """What is bought, for the offers that ask (:class:`heatcalc.offer_conditions.Purchase`): the heat pump's kind;
    what it replaces (the current system given, a furnace by its fuel); whole-home unless the furnace stays as its
    backup (then not known) or it serves part of the home; the home type; an existing home when the profile names
    the current system."""
    if not has_heat_pump:
        item = None
    elif (hp_type or "air_source") in ("ground_source", "air_to_water"):
        item = inc.SYSTEM_ITEMS[hp_type]
    else:
        item = inc.SYSTEM_ITEMS[distribution or field_spec("systems.heat_pump.distribution").default]
    replaces = {"furnace": (furnace_fuel if furnace_fuel else billed_fuel if billed_fuel in FUELS else "natural_gas"),
                "electric_resistance": "electric_resistance", "heat_pump": "heat_pump"}.get(current_given)
    partial = serves is not None and serves < 1.0
    return Purchase(item=item, replaces=replaces,
                    whole_home=False if partial else None if backup == "furnace" else True,
                    home_type=home_type, existing_home=True if current_given else None)


class HouseholdIncentives(NamedTuple):
    """What :func:`household_incentives` finds for one heat pump: the incentives applied (or None), the finding
    they came from, and what is wrong or worth a warning, each as (field, message)."""

    applied: object  # heatcalc.incentives.Applied, or None
    finding: object  # heatcalc.incentives.Finding, or None
    problems: tuple
    warnings: tuple


def household_incentives(zip_code: str | None, income: float | None, size: float | None, owner: bool | None,
                         utility: str | None, install, programs: str | None, bought, cost_usd: float,
                         nameplate_btu_per_h: float) -> HouseholdIncentives:
    """``economics.incentives: auto`` (or a list of ids) for one heat pump: the incentives the household qualifies
    for on ``install`` (a date) that lower its cost (``bought``: the :class:`Purchase`), with the same problems
    and warnings on both roads."""
    base = "economics.incentives"
    if not zip_code:
        return HouseholdIncentives(None, None, ((base, "incentives by program need the home's ZIP code: give "
                                                       "location.zip, or give the amounts "
                                                       "(economics.incentives.heat_pump)"),), ())
    if size is not None and size != int(size):
        return HouseholdIncentives(None, None, (("household.size", f"must be a whole number of people (got "
                                                                   f"{size:g})"),), ())
    try:
        finding = inc.find(zip_code, income, None if size is None else int(size), True if owner is None else owner,
                           utility, install, where="location.zip", purchase=bought)
    except HeatcalcError as exc:
        field = "household.utility" if "utility" in str(exc) else "location.zip"
        return HouseholdIncentives(None, None, ((field, str(exc).split(": ", 1)[-1]),), ())
    if programs:
        wanted = [p.strip() for p in programs.split(",") if p.strip()]
        known = {r.id for r in finding.rows}
        unknown = [p for p in wanted if p not in known]
        if unknown:
            return HouseholdIncentives(None, finding, ((f"{base}.programs", f"{', '.join(unknown)} do not apply to "
                                                                           f"this household on {install.isoformat()} "
                                                                           f"(see: heatcalc incentives --zip "
                                                                           f"{zip_code} ...)"),), ())
        finding = finding._replace(rows=tuple(r for r in finding.rows if r.id in wanted))
    applied = inc.apply(finding, bought.item, cost_usd, nameplate_btu_per_h / 12000.0)
    warnings = []
    stale = inc.snapshot_warning()
    if stale:
        warnings.append((base, stale))
    if finding.utility is None:
        warnings.append((base, "utility incentive programs are left out: give household.utility (the electric "
                               "utility's name)"))
    pending = sorted({r.income_status for r in finding.rows if bought.item in r.items and not r.applies})
    if pending:
        warnings.append((base, "some incentives for the heat pump are left out until the profile says more: "
                               + "; ".join(pending) + " (household.income, household.size)"))
    return HouseholdIncentives(applied, finding, (), tuple(warnings))


# --- each option against the current system, as arrays over homes -----------------------------------------------

class Purchased(NamedTuple):
    """Per home (arrays of one entry each): the economics section resolved."""

    current: np.ndarray  # object: the current system's name
    replace: np.ndarray  # bool: the current system is bought new too
    bundles_ac: np.ndarray  # bool: central air is bought beside a furnace or resistance heat
    typical: dict  # purchase (PURCHASES) -> installed cost [$], 0 where not bought
    low: dict
    high: dict
    incentives: dict  # purchase -> incentives [$], 0 where none
    incentive_low: dict  # system -> the low and high ends of its incentives where programs offer alternatives
    incentive_high: dict  # (NaN: the incentive itself)
    pv_factor: dict  # energy -> present value of 1 $ a year escalating over the lifetime


class Option(NamedTuple):
    """Per home, one system's year (arrays; NaN or False where the home does not compare that system)."""

    present: np.ndarray  # bool
    total_cost_usd: np.ndarray  # the year: heating, cooling and fixed charges
    cost_by_energy: dict  # energy -> the year's cost in it [$] (0 where none)
    meets_load: np.ndarray  # bool


ECONOMICS_COLUMNS = ("installed_cost_usd", "installed_cost_low_usd", "installed_cost_high_usd",
                     "net_installed_cost_usd", "incentives_usd", "lifetime_cost_usd", "npv_vs_current_usd",
                     "npv_vs_current_low_usd", "npv_vs_current_high_usd", "simple_payback_years",
                     "simple_payback_years_low", "simple_payback_years_high")


def economics_columns(p: Purchased, options: dict) -> dict:
    """Installed cost (typical, low, high), net of incentives, lifetime cost, NPV and simple payback of each system
    against the current one, per home: ``options`` maps a system to its :class:`Option`; returns system -> column ->
    array (NaN where not defined: a system the home does not compare, payback that never comes, NPV of an option
    that leaves heat unmet).  Payback and NPV ranges are the 10th and 90th percentiles of the difference in net cost
    (:func:`heatcalc.costs.net_difference_percentiles_many_usd`)."""
    from ..costs import net_difference_percentiles_many_usd, sigma_of_many
    from ..money import simple_payback_years_many

    n = p.current.size
    zero = np.zeros(n)
    tables = {"typical": p.typical, "low": p.low, "high": p.high}
    memo: dict = {}  # each figure of each system once (a table of one home is most of the per-home route's calls)

    def once(fn):
        def cached(*key):
            hit = memo.get((fn, key))
            if hit is None:
                hit = memo[(fn, key)] = fn(*key)
            return hit
        return cached

    @once
    def kept(system):
        return (p.current == system) & ~p.replace

    def with_ac(system, table, bought_now):
        """A furnace or resistance heat bought with central air: its cost and the air conditioner's together."""
        if system == "heat_pump":
            return table.get(system, zero)
        return table.get(system, zero) + np.where(p.bundles_ac & bought_now, table.get("air_conditioner", zero), 0.0)

    @once
    def gross(system, which):
        return with_ac(system, tables[which], ~kept(system) | p.replace)

    @once
    def incentive(system):
        return with_ac(system, p.incentives, np.ones(n, dtype=bool))

    @once
    def net(system, which):
        """Installed cost less incentives, never below 0 (a system kept, not bought, gets none)."""
        return np.where(kept(system), 0.0, np.maximum(0.0, gross(system, which) - incentive(system)))

    @once
    def spread(system):
        """(typical, sigma, incentives low, incentives high) of a system's purchase; a system kept costs 0."""
        k = kept(system)
        inc = incentive(system)
        low_i = np.where(np.isnan(p.incentive_low.get(system, np.full(n, np.nan))), inc,
                         p.incentive_low.get(system, zero))
        high_i = np.where(np.isnan(p.incentive_high.get(system, np.full(n, np.nan))), inc,
                          p.incentive_high.get(system, zero))
        sigma = sigma_of_many(gross(system, "low"), gross(system, "high"))
        return tuple(np.where(k, 0.0, v) for v in (gross(system, "typical"), sigma, low_i, high_i))

    def lifetime(system):
        o = options[system]
        return net(system, "typical") + sum(cost * p.pv_factor[energy] for energy, cost in o.cost_by_energy.items())

    out = {}
    life = {}
    for system, o in options.items():
        typical = gross(system, "typical")
        net_typical = net(system, "typical")
        life[system] = lifetime(system)
        out[system] = {
            "installed_cost_usd": typical, "installed_cost_low_usd": gross(system, "low"),
            "installed_cost_high_usd": gross(system, "high"), "net_installed_cost_usd": net_typical,
            "incentives_usd": np.where(kept(system), 0.0, typical - net_typical), "lifetime_cost_usd": life[system],
            **{c: np.full(n, np.nan) for c in ECONOMICS_COLUMNS[6:]}}
    for current in set(p.current.tolist()):
        homes = (p.current == current) & options[current].present if current in options else np.zeros(n, bool)
        if not homes.any():
            continue  # no current system among the rows: no NPV or payback
        cur = options[current]
        for system, o in options.items():
            cols = out[system]
            if system == current:
                for c in ("npv_vs_current_usd", "npv_vs_current_low_usd", "npv_vs_current_high_usd"):
                    cols[c] = np.where(homes, 0.0, cols[c])
                continue
            # an option that leaves heat unmet is cheap because the house is cold: it saves nothing, never pays back
            take = np.flatnonzero(homes & o.present & o.meets_load)
            if take.size == 0:
                continue
            savings = (cur.total_cost_usd - o.total_cost_usd)[take]
            d_low, d_high = net_difference_percentiles_many_usd(tuple(v[take] for v in spread(system)),
                                                                tuple(v[take] for v in spread(current)))
            net_s, net_c = net(system, "typical")[take], net(current, "typical")[take]
            energy = (life[current][take] - net_c) - (life[system][take] - net_s)
            cols["npv_vs_current_usd"][take] = life[current][take] - life[system][take]
            cols["npv_vs_current_low_usd"][take] = energy - d_high
            cols["npv_vs_current_high_usd"][take] = energy - d_low
            cols["simple_payback_years"][take] = simple_payback_years_many(net_s - net_c, savings)
            cols["simple_payback_years_low"][take] = simple_payback_years_many(d_low, savings)
            cols["simple_payback_years_high"][take] = simple_payback_years_many(d_high, savings)
    return out
