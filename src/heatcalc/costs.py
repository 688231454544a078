"""What equipment costs to put in: installed-cost ranges by equipment, size and state (2023 dollars).

Sources (``data/installed_costs.json``, built by ``scripts/build_data.py``; see data/README.md):

* air-source heat pumps: Less et al. (LBNL 2021) regressions of installed cost on nameplate tons, as NREL ResStock
  (EUSS round 2) evaluates them at HSPF 9.2 and at HSPF 11 (cold-climate units), ducted and ductless, April 2023 $;
  a unit in between is interpolated on its HSPF, one outside is held at the nearer end;
* the other equipment: NREL's Buildings Annual Technology Baseline unit costs (via DOE Scout), replacement in an
  existing home, 2023 $, per unit (the source gives no size, so these do not change with size);
* state: RSMeans 2021 residential city cost index of the state's largest city, divided by the states' mean.

Low and high: for heat pumps, the regression scaled by the spread of the Buildings ATB's reference and best heat
pumps around its ENERGY STAR one (0.94 and 1.41); for per-unit equipment, the ATB's reference and best tiers where
it has two, and the one figure where it has one.  Not included anywhere: duct work, electrical panel upgrades and
venting changes -- give those yourself.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).resolve().parent / "data" / "installed_costs.json"

#: HSPF2 / HSPF for split systems (AHRI 210/240-2023 vs -2017 ratings): DOE set the 2023 minimum for split heat
#: pumps at 7.5 HSPF2 as the equivalent of 8.8 HSPF (10 CFR 430.32(c)), a ratio of 0.85; ductless units lose less
#: in the new test (its higher external static pressure mostly affects ducted units), about 0.90 by the industry's
#: common rule of thumb.
HSPF2_PER_HSPF = {"ducted": 0.85, "ductless": 0.90}

EQUIPMENT = {
    # name: (what it is, how the cost is found)
    "heat_pump_ducted": ("Heat pump, ducted (HSPF 9.2 class)", "regression"),
    "heat_pump_ducted_cold_climate": ("Heat pump, ducted, cold-climate (HSPF 11)", "regression"),
    "heat_pump_ductless": ("Heat pump, ductless (HSPF 9.2 class)", "regression"),
    "heat_pump_ductless_cold_climate": ("Heat pump, ductless, cold-climate (HSPF 11)", "regression"),
    "ground_source_heat_pump": ("Ground-source heat pump, loop included", "per_unit"),
    "gas_furnace": ("Natural gas furnace", "per_unit"),
    "oil_propane_furnace": ("Heating oil or propane furnace", "per_unit"),
    "electric_resistance": ("Electric resistance heat", "per_unit"),
    "central_air_conditioner": ("Central air conditioner", "per_unit"),
}

#: In a sentence, for tables.
SOURCES_IN_SHORT = ("heat pumps: Less et al. (LBNL 2021) cost regressions on tons, as NREL ResStock evaluates them "
                    "(April 2023 $), low/high by the spread of NREL Buildings ATB's reference and best heat pumps; "
                    "other equipment: NREL Buildings ATB via DOE Scout (2023 $, replacement, per unit: no size "
                    "given); states: RSMeans 2021 residential cost index. Not included: duct work, electrical panel "
                    "upgrades, venting changes.")


class CostRange(NamedTuple):
    """An installed cost [$, of ``dollar_year``] at a size and place, with its low and high ends and its source."""

    equipment: str
    description: str
    low_usd: float
    typical_usd: float
    high_usd: float
    size_tons: float | None  # None: a per-unit figure, not scaled by size
    state: str
    state_index: float
    dollar_year: int
    source: str


@lru_cache(maxsize=1)
def _data() -> dict:
    with open(DATA) as fh:
        return json.load(fh)


def state_index(state: str | None) -> tuple[float, str]:
    """The state's construction cost index (national 1.00) and the state it is for ('US' where there is none)."""
    table = _data()["state_index"]
    code = (state or "US").upper()
    if code in table:
        return table[code], code
    return 1.0, "US"


def regression_usd(distribution: str, hspf: float, tons: float) -> float:
    """Installed cost of an air-source heat pump by the LBNL regression: fixed + per ton, the coefficients
    interpolated between their HSPF 9.2 and HSPF 11 evaluations (held at the nearer end outside them) [$ 2023]."""
    r = _data()["air_source"][distribution]
    (h0, h1), (f0, f1), (p0, p1) = r["hspf"], r["fixed_usd"], r["usd_per_ton"]
    t = min(1.0, max(0.0, (hspf - h0) / (h1 - h0)))
    return f0 + t * (f1 - f0) + (p0 + t * (p1 - p0)) * tons


def hspf_from_hspf2(hspf2: float, distribution: str = "ducted") -> float:
    """The 2017 rating (HSPF) that corresponds to an HSPF2, by :data:`HSPF2_PER_HSPF`."""
    return hspf2 / HSPF2_PER_HSPF[distribution]


def installed_cost(equipment: str, tons: float | None = None, state: str | None = None,
                   hspf: float | None = None) -> CostRange:
    """The installed-cost range of one kind of equipment (a name of :data:`EQUIPMENT`) at ``tons`` in ``state``.

    ``hspf`` places an air-source heat pump on the regression's efficiency axis (default: the class of its name,
    9.2 or 11).  Per-unit equipment ignores ``tons``.
    """
    if equipment not in EQUIPMENT:
        raise ValueError(f"unknown equipment {equipment!r}; one of {', '.join(EQUIPMENT)}")
    data = _data()
    index, where = state_index(state)
    description, method = EQUIPMENT[equipment]
    if method == "regression":
        if tons is None or not tons > 0:
            raise ValueError("an air-source heat pump's cost needs its size in tons")
        distribution = "ductless" if "ductless" in equipment else "ducted"
        if hspf is None:
            hspf = 11.0 if equipment.endswith("cold_climate") else 9.2
        typical = regression_usd(distribution, hspf, tons) * index
        spread = data["heat_pump_spread"]
        source = (f"{data['air_source'][distribution]['source']} ({data['air_source'][distribution]['projects']} "
                  f"projects), at HSPF {hspf:.1f}; low/high: {spread['source']} reference/best vs ENERGY STAR")
        low, high, size = typical * spread["low"], typical * spread["high"], tons
    else:
        tiers = data["per_unit"][equipment]["tiers"]
        typical, low, high = tiers[0] * index, min(tiers) * index, max(tiers) * index
        source = data["per_unit"][equipment]["source"] + (
            "; low/high: its reference and best tiers" if len(tiers) > 1 else "; one figure (no range published)")
        size = None
    return CostRange(equipment, description, low, typical, high, size, where, index, data["dollar_year"],
                     f"{source}; x {index:.3f} {where} cost index ({data['state_index_source']})")


def cost_table(tons: float, state: str | None = None) -> list[CostRange]:
    """Every kind of equipment at one size in one state (``heatcalc costs``)."""
    return [installed_cost(name, tons, state) for name in EQUIPMENT]
