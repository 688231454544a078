"""What equipment costs to put in: installed-cost ranges by equipment, size, zones and state (2023 dollars).

Every figure is in 2023 dollars before incentives.  The shapes come from published data (``data/installed_costs.json``,
built by ``scripts/build_data.py``; see data/README.md); the levels are set against what households actually pay
(program results and installer quotes; the check is summarised in issue 21 and docs/methodology.md §5):

* **ducted air-source** (HSPF 9.2 class): Less et al. (LBNL 2021) regression of installed cost on nameplate tons, as
  NREL ResStock (EUSS round 2) evaluates it, April 2023 $.  A **cold-climate** ducted unit (HSPF 11) is priced as a
  whole-home job as programs see it: the regression at HSPF 11 scaled so that a 3.5-ton job in Massachusetts costs
  the MassCEC whole-home pilot's retrofit average ($20,000 in 2019-21, inflated by CPI-U, see
  :data:`CPI_U_2020_TO_2023`); a unit in between is interpolated on its HSPF.
* **ductless** (mini-splits): priced by indoor units, as installers quote them: a base for the outdoor unit and its
  line set, a figure per ton and one per extra head (:data:`DUCTLESS`), calibrated so a 1-ton single-zone
  cold-climate unit in Maine costs about $4,500 (Efficiency Maine examples and Maine cost guides: $3,500-6,500 for
  one zone, $8,000-18,000 for two to five).  The LBNL ductless line was fitted to multi-zone jobs and priced a
  single head 1.6-1.9x too high.
* **ground source**: per ton with its loop (:data:`GROUND_SOURCE`), inside the $4,000-10,000 per ton that cost
  guides report for closed loops (HomeGuide, Fixr, 2021-24); the Buildings ATB's one figure ($42,651 for every home)
  was 1.3-1.5x the evidence.
* **furnaces**: a full install (venting, condensate, gas work and the installer's markup), not an appliance swap:
  the Buildings ATB (via DOE Scout) replacement figure was 0.68x the evidence; :data:`FURNACE` is set on cost
  guides' national averages ($5,300-7,400 by efficiency, costimates 2023; $5,800, pickhvac), with their size
  slope; oil and propane furnaces keep the ATB's ratio to gas (5,350 / 3,861).
* **resistance heat and central air**: the Buildings ATB replacement figures (2023 $, per unit).
* **state**: the RSMeans 2021 residential city cost index (the only one the source gives is the state's largest
  city), normalised to a national 1.00 and applied to the installation half of the cost only
  (:data:`LOCAL_SHARE`): equipment is sold at national prices, so New York is priced at 1.20x, not New York City's
  1.40x.

**Ranges.** Quotes for the same job spread about 5x between their low and high ends (the evidence of issue 21;
Less et al. 2021 show the same width).  heatcalc treats the installed cost of a job as lognormal around its
typical figure (the median) with sigma = ln 5 / 3.92 = 0.41, so that 95 % of quotes fall in a 5x band; ``low`` and
``high`` are its **10th and 90th percentiles** (typical x 0.59 and x 1.69).  Payback and NPV ranges take the same
percentiles of the *difference* between two systems' costs (:func:`difference_percentiles_usd`), not opposite
extremes of the two.

Not included anywhere: duct work, electrical panel or service upgrades, venting changes for a new fuel -- give
those yourself (``economics.installed_cost``).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .units import HSPF2_PER_HSPF  # (where it is defined; named here too, where it was first)

DATA = Path(__file__).resolve().parent / "data" / "installed_costs.json"

#: The dollars every cost is in.
DOLLAR_YEAR = 2023

#: The spread of installed costs: lognormal sigma such that 95 % of quotes lie in a 5x band (ln 5 / (2 x 1.96)).
SIGMA = math.log(5.0) / (2 * 1.959964)
#: The percentiles ``low`` and ``high`` are, and the standard normal quantile of the upper one.
PERCENTILES = (10, 90)
Z90 = 1.2815516

#: CPI-U, US city average, all items (BLS series CUUR0000SA0), annual averages 2020 and 2023: 258.811 -> 304.702.
CPI_U_2020_TO_2023 = 304.702 / 258.811

#: MassCEC Whole-Home Heat Pump Pilot (2019-2021): retrofit projects averaged about $20,000 (new homes $14,000;
#: all projects $18,400), as MassCEC reported the pilot's results in 2021.  Taken at 3.5 tons in Massachusetts.
WHOLE_HOME_RETROFIT = {"usd": 20_000.0, "tons": 3.5, "state": "MA", "source": "MassCEC Whole-Home Heat Pump Pilot "
                       "(2019-21) retrofit average, inflated to 2023 $ by CPI-U"}

#: Ductless mini-splits, national 2023 $: the outdoor unit with its line set and electrical work, each ton, each
#: indoor unit beyond the first; a cold-climate unit (HSPF 11) costs ``cold_climate`` more, the LBNL regression's
#: own step between its HSPF 9.2 and 11 evaluations (+4 %).
DUCTLESS = {"base_usd": 2_000.0, "usd_per_ton": 2_400.0, "usd_per_extra_zone": 2_500.0, "cold_climate": 0.041}

#: The largest common single-zone indoor unit [Btu/h] (wall heads are sold at 6, 9, 12, 15 and 18 kBtu/h): the
#: default number of zones of a ductless system is its capacity divided by this, rounded up.
BTU_PER_H_PER_ZONE = 18_000.0

#: Ground source, national 2023 $: a fixed part (design, permits, indoor connection) and each ton with its loop.
GROUND_SOURCE = {"base_usd": 5_000.0, "usd_per_ton": 7_500.0}

#: A natural gas furnace, full install, national 2023 $: fixed part and each ton of the home's heating load (a
#: furnace for a 3-ton load, 60-80 kBtu/h input, is about $5,700; the size slope is cost guides' $20 per kBtu/h).
FURNACE = {"base_usd": 4_950.0, "usd_per_ton": 250.0}
#: Oil and propane furnaces against gas: the Buildings ATB's own ratio of the two (5,350 / 3,861).
OIL_PROPANE_PER_GAS = 5350.0 / 3861.0

#: The part of an installed cost that is local (labor, overhead, markup): the state index applies to it only.
#: Equipment is roughly half of an installed furnace or heat pump in the cost guides (units $800-2,700 plus
#: $900-3,000 labor for a furnace, HomeGuide 2023).
LOCAL_SHARE = 0.5

EQUIPMENT = {
    # name: (what it is, how the cost is found)
    "heat_pump_ducted": ("Heat pump, ducted (HSPF 9.2 class)", "ducted"),
    "heat_pump_ducted_cold_climate": ("Heat pump, ducted, cold-climate whole-home (HSPF 11)", "ducted"),
    "heat_pump_ductless": ("Heat pump, ductless (HSPF 9.2 class)", "ductless"),
    "heat_pump_ductless_cold_climate": ("Heat pump, ductless, cold-climate (HSPF 11)", "ductless"),
    "ground_source_heat_pump": ("Ground-source heat pump, loop included", "ground"),
    "gas_furnace": ("Natural gas furnace, full install", "furnace"),
    "oil_propane_furnace": ("Heating oil or propane furnace, full install", "furnace"),
    "gas_boiler": ("Natural gas boiler (hot water)", "per_unit"),
    "oil_propane_boiler": ("Heating oil or propane boiler (hot water)", "per_unit"),
    "electric_resistance": ("Electric resistance heat", "per_unit"),
    "central_air_conditioner": ("Central air conditioner", "per_unit"),
}

#: In a sentence, for tables.
SOURCES_IN_SHORT = ("2023 $; typical = median, low/high = 10th/90th percentiles of a lognormal spread (95 % of "
                    "quotes in a 5x band). Ducted: Less et al. (LBNL 2021) regression on tons, cold-climate "
                    "whole-home scaled to the MassCEC pilot; ductless: per ton and per indoor unit (Efficiency "
                    "Maine examples, cost guides); ground source: per ton with loop; furnaces: full install (cost "
                    "guides); resistance and central air: NREL Buildings ATB; states: RSMeans 2021 index on the "
                    "local half of the cost. Not included: duct work, panel upgrades, venting changes. Not priced "
                    "(no public installed-cost data): air-to-water heat pumps, and wood, pellet and coal stoves, "
                    "furnaces and boilers: give your quote as economics.installed_cost.")


class CostRange(NamedTuple):
    """An installed cost [$, of ``dollar_year``] at a size and place: typical (the median), and the 10th and 90th
    percentiles of what households pay for it, with the source."""

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
    zones: int | None = None  # ductless: indoor units priced
    percentiles: str = "10th/90th"


@lru_cache(maxsize=1)
def _data() -> dict:
    with open(DATA) as fh:
        return json.load(fh)


def state_index(state: str | None) -> tuple[float, str]:
    """The state's construction cost index (national 1.00; the state's largest city, RSMeans 2021) and the state it
    is for ('US' where there is none)."""
    table = _data()["state_index"]
    code = (state or "US").upper()
    if code in table:
        return table[code], code
    return 1.0, "US"


def state_factor(state: str | None) -> float:
    """What a state does to an installed cost: its index on the local share only (:data:`LOCAL_SHARE`)."""
    index, _ = state_index(state)
    return 1.0 - LOCAL_SHARE + LOCAL_SHARE * index


def regression_usd(distribution: str, hspf: float, tons: float) -> float:
    """Installed cost of an air-source heat pump by the LBNL regression: fixed + per ton, the coefficients
    interpolated between their HSPF 9.2 and HSPF 11 evaluations (held at the nearer end outside them) [$ 2023]."""
    r = _data()["air_source"][distribution]
    (f0, f1), (p0, p1) = r["fixed_usd"], r["usd_per_ton"]
    t = _hspf_position(distribution, hspf)
    return f0 + t * (f1 - f0) + (p0 + t * (p1 - p0)) * tons


def _hspf_position(distribution: str, hspf: float) -> float:
    h0, h1 = _data()["air_source"][distribution]["hspf"]
    return min(1.0, max(0.0, (hspf - h0) / (h1 - h0)))


@lru_cache(maxsize=1)
def whole_home_factor() -> float:
    """How much a cold-climate ducted whole-home job costs over the LBNL regression at HSPF 11: the MassCEC pilot's
    retrofit average (in 2023 $) over the regression's figure for the same size in the same state."""
    target = WHOLE_HOME_RETROFIT["usd"] * CPI_U_2020_TO_2023
    model = regression_usd("ducted", 11.0, WHOLE_HOME_RETROFIT["tons"]) * state_factor(WHOLE_HOME_RETROFIT["state"])
    return target / model


def hspf_from_hspf2(hspf2: float, distribution: str = "ducted") -> float:
    """The 2017 rating (HSPF) that corresponds to an HSPF2, by :data:`HSPF2_PER_HSPF`."""
    return hspf2 / HSPF2_PER_HSPF[distribution]


def default_zones(tons: float) -> int:
    """Indoor units a ductless system of ``tons`` has when the profile does not say: one per 18,000 Btu/h."""
    return max(1, math.ceil(tons * 12000.0 / BTU_PER_H_PER_ZONE - 1e-9))


def lognormal_range(typical_usd: float, sigma: float = SIGMA) -> tuple[float, float]:
    """The 10th and 90th percentiles of a lognormal cost whose median is ``typical_usd``."""
    return typical_usd * math.exp(-Z90 * sigma), typical_usd * math.exp(Z90 * sigma)


@lru_cache(maxsize=4)
def _normal_quantiles(points: int):
    """The standard normal's quantiles at the midpoints of ``points`` equal-probability slices (read-only)."""
    import numpy as np

    from statistics import NormalDist

    z = np.array([NormalDist().inv_cdf((i + 0.5) / points) for i in range(points)])
    z.flags.writeable = False
    return z


def net_difference_percentiles_usd(a: tuple, b: tuple, points: int = 200) -> tuple[float, float]:
    """The 10th and 90th percentiles of ``net(A) - net(B)``, each ``net(X) = max(0, X - I)``: X an independent
    lognormal cost given as ``(typical, sigma)`` (the median; sigma 0 for a fixed figure), I its incentives,
    uniform between ``(low, high)``.  ``a`` and ``b`` are ``(typical, sigma, incentive_low, incentive_high)``.

    Computed on an even grid of quantiles (``points`` per cost, the midpoints of equal-probability slices; 11 per
    incentive range), so it is deterministic and within a fraction of a percent of the spread.  One purchase of
    :func:`net_difference_percentiles_many_usd`."""
    import numpy as np

    lo, hi = net_difference_percentiles_many_usd(tuple(np.array([v], dtype=float) for v in a),
                                                 tuple(np.array([v], dtype=float) for v in b), points)
    return float(lo[0]), float(hi[0])


MAX_SPREAD_VALUES = 4_000_000  # differences held at once by the many-homes percentiles (~32 MB)


def net_difference_percentiles_many_usd(a: tuple, b: tuple, points: int = 200) -> tuple:
    """:func:`net_difference_percentiles_usd` for many purchases at once: ``a`` and ``b`` are four arrays each
    (typical, sigma, incentive low, incentive high), one entry per purchase; returns the (10th, 90th) arrays.
    Purchases are taken in groups of the same grid (a fixed cost or a spread, one incentive or a range), a few
    thousand differences each."""
    import numpy as np

    a = tuple(np.asarray(v, dtype=float) for v in a)
    b = tuple(np.asarray(v, dtype=float) for v in b)
    n = a[0].size
    z = _normal_quantiles(points)
    lo_out, hi_out = np.empty(n), np.empty(n)

    def shape(typical, sigma, low, high):
        return (sigma > 0) & (typical > 0), high > low

    def net(rows, typical, sigma, low, high, spread, ranged):
        t = typical[rows][:, None]
        costs = t * np.exp(sigma[rows][:, None] * z[None, :]) if spread else t
        offsets = np.linspace(low[rows], high[rows], 11, axis=1) if ranged else low[rows][:, None]
        return np.maximum(0.0, costs[:, :, None] - offsets[:, None, :]).reshape(rows.size, -1)

    sa, ra = shape(*a)
    sb, rb = shape(*b)
    key = sa * 8 + ra * 4 + sb * 2 + rb
    for k in np.flatnonzero(np.bincount(key, minlength=16)):  # not np.unique: it imports numpy.ma (15 ms a run)
        group = np.flatnonzero(key == k)
        flags = bool(k & 8), bool(k & 4), bool(k & 2), bool(k & 1)
        size = (points if flags[0] else 1) * (11 if flags[1] else 1) * (points if flags[2] else 1) * (
            11 if flags[3] else 1)
        step = max(1, MAX_SPREAD_VALUES // size)
        for s in range(0, group.size, step):
            rows = group[s:s + step]
            diff = net(rows, *a, flags[0], flags[1])[:, :, None] - net(rows, *b, flags[2], flags[3])[:, None, :]
            lo, hi = np.percentile(diff.reshape(rows.size, -1), PERCENTILES, axis=1)
            lo_out[rows], hi_out[rows] = lo, hi
    return lo_out, hi_out


def sigma_of_many(low_usd, high_usd):
    """The lognormal sigma each (10th, 90th) percentile pair implies (0 for a cost given as one figure)."""
    import numpy as np

    low_usd, high_usd = np.asarray(low_usd, dtype=float), np.asarray(high_usd, dtype=float)
    spread = (low_usd > 0) & (high_usd > low_usd)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(spread, np.log(np.where(spread, high_usd / np.where(spread, low_usd, 1.0), 1.0)) / (2 * Z90),
                        0.0)


def installed_cost(equipment: str, tons: float | None = None, state: str | None = None,
                   hspf: float | None = None, zones: int | None = None) -> CostRange:
    """The installed-cost range of one kind of equipment (a name of :data:`EQUIPMENT`) at ``tons`` of heating
    capacity (nameplate at 47 F; for a furnace, the home's heating load) in ``state``.

    ``hspf`` places an air-source heat pump on the efficiency axis (default: the class of its name, 9.2 or 11);
    ``zones`` is a ductless system's number of indoor units (default :func:`default_zones`).  Resistance heat and
    central air are per unit and ignore ``tons``.
    """
    if equipment not in EQUIPMENT:
        raise ValueError(f"unknown equipment {equipment!r}; one of {', '.join(EQUIPMENT)}")
    data = _data()
    index, where = state_index(state)
    factor = state_factor(state)
    description, method = EQUIPMENT[equipment]
    sized = method != "per_unit"
    if sized and (tons is None or not tons > 0):
        raise ValueError(f"{equipment}: the cost needs the size in tons")
    priced_zones = None
    if method in ("ducted", "ductless"):
        if hspf is None:
            hspf = 11.0 if equipment.endswith("cold_climate") else 9.2
        t = _hspf_position(method, hspf)
        description = _class_description(method, t, hspf)
        if method == "ducted":
            base = regression_usd("ducted", hspf, tons) * (1.0 + t * (whole_home_factor() - 1.0))
            r = data["air_source"]["ducted"]
            source = (f"{r['source']} ({r['projects']} projects) at HSPF {hspf:.1f}" + (
                f"; x {1.0 + t * (whole_home_factor() - 1.0):.3f} toward the {WHOLE_HOME_RETROFIT['source']}"
                if t > 0 else ""))
        else:
            priced_zones = int(zones) if zones else default_zones(tons)
            d = DUCTLESS
            base = ((d["base_usd"] + d["usd_per_ton"] * tons + d["usd_per_extra_zone"] * (priced_zones - 1))
                    * (1.0 + t * d["cold_climate"]))
            source = (f"ductless by tons and indoor units ({priced_zones} zone{'s' if priced_zones > 1 else ''}), "
                      f"calibrated to Efficiency Maine single-zone examples and Maine cost guides, HSPF {hspf:.1f}")
    elif method == "ground":
        base = GROUND_SOURCE["base_usd"] + GROUND_SOURCE["usd_per_ton"] * tons
        source = "ground source per ton with its closed loop (cost guides' $4,000-10,000 per ton, 2021-24)"
    elif method == "furnace":
        base = FURNACE["base_usd"] + FURNACE["usd_per_ton"] * tons
        if equipment == "oil_propane_furnace":
            base *= OIL_PROPANE_PER_GAS
        source = ("furnace, full install (venting, condensate, fuel piping, markup), cost guides' national "
                  "averages (costimates, pickhvac, HomeGuide; 2021-23)" + (
                      "; oil/propane at the Buildings ATB's ratio to gas" if equipment == "oil_propane_furnace"
                      else ""))
    else:
        tiers = data["per_unit"][equipment]["tiers"]
        base = tiers[0]
        source = data["per_unit"][equipment]["source"] + " (per unit)"
    typical = base * factor
    low, high = lognormal_range(typical)
    return CostRange(equipment, description, low, typical, high, tons if sized else None, where, index,
                     DOLLAR_YEAR, f"{source}; low/high: 10th/90th percentiles of the market's spread (sigma "
                                  f"{SIGMA:.2f}); {where} index {index:.3f} on the local half "
                                  f"({data['state_index_source']})", priced_zones)


def _class_description(method: str, t: float, hspf: float) -> str:
    """What an air-source heat pump priced at ``hspf`` is called: the class it is priced as (the same words as
    ``heatcalc costs``' rows), or where between the two classes it lies."""
    standard = EQUIPMENT[f"heat_pump_{method}"][0]
    cold = EQUIPMENT[f"heat_pump_{method}_cold_climate"][0]
    if t <= 0.0:
        return standard
    if t >= 1.0:
        return cold
    return f"Heat pump, {method}, HSPF {hspf:.1f}: priced {t * 100:.0f} % of the way from the HSPF 9.2 class to the " \
           f"cold-climate class (HSPF 11)"


def cost_table(tons: float, state: str | None = None, zones: int | None = None) -> list[CostRange]:
    """Every kind of equipment at one size in one state (``heatcalc costs``); ``zones`` for the ductless rows."""
    return [installed_cost(name, tons, state, zones=zones) for name in EQUIPMENT]
