"""The fuel-burning system (``systems.furnace``): its fuel, kind, efficiency and electricity, for any number of homes.

Sources of the defaults:

* a furnace: the declared defaults of ``systems.furnace.afue`` (by fuel) and ``blower`` (profile/sections.py);
* a boiler's AFUE: ENERGY STAR Residential Boilers v3.0 (2014): gas and propane 90 %, oil and kerosene (the same
  burner) 87 %; a wood or pellet boiler 75 %, the thermal efficiency (HHV) the federal credit for biomass stoves and
  boilers requires (26 USC 25C, as amended in 2022);
* a stove or insert: the averages of the tested efficiencies on EPA's list of certified wood heaters (HHV, CSA
  B415.1), wood 71 % (non-catalytic; catalytic 77 %), pellets 74 % (Alliance for Green Heat's tally, 2020).
  No cited figure for coal appliances or a kerosene stove: the profile gives theirs;
* electricity per MMBtu delivered: a boiler's wet-rotor circulator of about 80 W (e.g. a Taco 007 at 0.71 A and
  115 V) while a 40,000 Btu/h boiler fires, 2 kWh/MMBtu; an oil, kerosene or pellet burner's motor (and a pellet
  auger) about 100 W more, 4.5; none for a wood or coal stove (a natural-draft fire); a pellet stove's combustion
  and room fans and auger about 100 W at 30,000 Btu/h, 3; a vented kerosene heater's fan about 40 W at 40,000 Btu/h,
  1.  Engineering estimates from typical nameplates.
"""


from typing import NamedTuple

import numpy as np

from ..units import BIOGENIC_FUELS, FUELS
from . import by_distinct, spread

#: Fuels a stove burns (an insert: wood and pellets only).
STOVE_FUELS = ("kerosene", "wood", "pellets", "coal")
APPLIANCE_AFUE = {
    "boiler": {"natural_gas": 0.90, "propane": 0.90, "heating_oil": 0.87, "kerosene": 0.87, "wood": 0.75,
               "pellets": 0.75},
    "stove": {"wood": 0.71, "pellets": 0.74},
    "insert": {"wood": 0.71, "pellets": 0.74},
}
APPLIANCE_AFUE_SOURCE = {
    "boiler": "a new ENERGY STAR boiler (ENERGY STAR Residential Boilers v3.0: gas and propane 0.90, oil and "
              "kerosene 0.87); a wood or pellet boiler 0.75, the efficiency the federal biomass credit requires "
              "(26 USC 25C, HHV)",
    "stove": "the average tested efficiency of the stoves on EPA's list of certified wood heaters (HHV, CSA B415.1: "
             "wood 0.71 non-catalytic, pellets 0.74; Alliance for Green Heat's 2020 tally)",
}
APPLIANCE_AFUE_SOURCE["insert"] = APPLIANCE_AFUE_SOURCE["stove"]
APPLIANCE_KWH_PER_MMBTU = {
    "boiler": {"natural_gas": 2.0, "propane": 2.0, "heating_oil": 4.5, "kerosene": 4.5, "wood": 2.0,
               "pellets": 4.5, "coal": 2.0},
    "stove": {"wood": 0.0, "coal": 0.0, "pellets": 3.0, "kerosene": 1.0},
    "insert": {"wood": 0.0, "pellets": 3.0},
}
BILLS_AFUE_SOURCE = "the current system's efficiency from the bills"


class FurnaceRules(NamedTuple):
    """Each home's resolved fuel-burning system; a source where a default was taken (None: given)."""

    fuel: list  # per home: a fuel of units.FUELS, or None without a furnace
    kind: list  # furnace, boiler, stove or insert
    afue: np.ndarray  # NaN where it cannot be resolved (see problems and quiet)
    blower_kwh_per_mmbtu: np.ndarray
    fuel_source: list
    afue_source: list
    blower_source: list
    problems: list  # (row, field, message)
    quiet: np.ndarray  # rows left unresolved for a problem another field reports (the bills' efficiency)


def _blower_words(kind: str, fuel: str, kwh: float) -> str:
    if kind == "boiler":
        return "a boiler's circulator (about 80 W while it fires" + (", with the burner's motor)" if kwh > 2.0
                                                                       else ")")
    if fuel == "pellets":
        return "a pellet stove's fans and auger (about 100 W at 30,000 Btu/h)"
    if fuel == "kerosene":
        return "a vented kerosene heater's fan (about 40 W at 40,000 Btu/h)"
    return "a wood or coal stove burns by natural draft: no electricity"


def default_fuel(billed: str | None) -> str:
    """The fuel a furnace burns when the profile does not say: the billed fuel if it is one, else natural gas."""
    return billed if billed in FUELS else "natural_gas"


def furnace_rules(present, kind, fuel, afue, blower, billed, bill_eff) -> FurnaceRules:
    """Resolve ``systems.furnace`` for every home.

    Parameters are per home: ``present`` (the home has the system), ``kind``, ``fuel`` (None where not given),
    ``afue`` and ``blower`` [kWh/MMBtu] (NaN where not given), the bills' fuel (``billed``, None without bills) and
    the bills' efficiency as given (``bill_eff``, NaN where not).  A furnace burning the billed fuel is the home's
    current system: its AFUE is the bills' efficiency (given, else the bills' default for the fuel).
    """
    n = len(present)
    out_fuel, out_kind = [None] * n, ["furnace"] * n
    out_afue, out_blower = np.full(n, np.nan), np.full(n, np.nan)
    fuel_src, afue_src, blower_src = [None] * n, [None] * n, [None] * n
    problems, quiet = [], np.zeros(n, dtype=bool)

    on = np.flatnonzero(np.asarray(present, dtype=bool)).tolist()

    def given(values):  # NaN as None, so that homes giving nothing share one answer
        return [None if x != x else x for x in np.asarray(values, dtype=float)[on].tolist()]

    def cells(values):  # (every row's, when every home has one)
        return values if len(on) == len(values) else [values[i] for i in on]

    keys = list(zip([k or "furnace" for k in cells(kind)], cells(fuel), given(afue), given(blower), cells(billed),
                    given(bill_eff)))
    answers, codes = by_distinct(keys, _one_furnace)  # each distinct furnace resolved once
    if answers:
        columns = list(zip(*answers))
        at = np.asarray(on, dtype=np.intp)
        lists = []
        for values, out in zip((columns[0], columns[1], columns[4], columns[5], columns[6]),
                               (out_fuel, out_kind, fuel_src, afue_src, blower_src)):
            spread_out = np.array(out, dtype=object)
            spread_out[at] = spread(list(values), codes)
            lists.append(spread_out.tolist())
        out_fuel, out_kind, fuel_src, afue_src, blower_src = lists
        out_afue[at] = np.array(columns[2], dtype=float)[codes]
        out_blower[at] = np.array(columns[3], dtype=float)[codes]
        quiet[at] = np.array(columns[8], dtype=bool)[codes]
        for j, problem in enumerate(columns[7]):
            if problem:
                problems.extend((i, *problem) for i in at[codes == j].tolist())
        problems.sort(key=lambda p: p[0])  # (row order, as one by one)
    return FurnaceRules(out_fuel, out_kind, out_afue, out_blower, fuel_src, afue_src, blower_src, problems, quiet)


def _one_furnace(k: str, f: str | None, a: float | None, w: float | None, billed: str | None,
                 bill_eff: float | None) -> tuple:
    """One furnace's (fuel, kind, AFUE, blower kWh/MMBtu, where the fuel, AFUE and blower figures come from, a
    problem (field, message) or None, quiet) from its kind, fuel, AFUE and blower as given (None: not given), the
    bills' fuel and their efficiency."""
    from ..profile import field_spec

    afue_spec, blower_spec = field_spec("systems.furnace.afue"), field_spec("systems.furnace.blower")
    bills_spec = field_spec("heating_load.from_bills.efficiency")
    nan = float("nan")
    fuel_src = afue_src = blower_src = None
    if f is None:
        f = default_fuel(billed)
        fuel_src = "the billed fuel" if billed == f else "natural gas, the most common furnace fuel"
    if k in ("stove", "insert") and f not in STOVE_FUELS:
        return (f, k, nan, nan, fuel_src, None, None,
                ("systems.furnace.kind", f"a {k} here burns wood, pellets, coal or kerosene, not "
                                         f"{f.replace('_', ' ')}: use kind: furnace or boiler, or change the fuel"),
                False)
    if k == "insert" and f not in BIOGENIC_FUELS:
        return (f, k, nan, nan, fuel_src, None, None,
                ("systems.furnace.kind", f"a fireplace insert burns wood or pellets, not {f}: use kind: stove"), False)
    if a is None and billed == f:
        a = bill_eff
        if a is None:
            a = bills_spec.default_for(f)
            if a is None:  # no efficiency to assume: the bills' field says so
                return (f, k, nan, nan, fuel_src, None, None, None, True)
        afue_src = BILLS_AFUE_SOURCE
    if a is None:
        a = afue_spec.default_for(f) if k == "furnace" else APPLIANCE_AFUE[k].get(f)
        if a is None:
            what = "default" if k == "furnace" else "cited default"
            return (f, k, nan, nan, fuel_src, None, None,
                    ("systems.furnace.afue", f"heatcalc has no {what} efficiency for a {f} {k}: add "
                                             f"systems.furnace.afue (its rated or tested efficiency, e.g. 0.70)"),
                    False)
        afue_src = (afue_spec.source or afue_spec.rule) if k == "furnace" else APPLIANCE_AFUE_SOURCE[k]
    if w is None:
        w = blower_spec.default if k == "furnace" else APPLIANCE_KWH_PER_MMBTU[k][f]
        blower_src = (blower_spec.source or blower_spec.rule) if k == "furnace" else _blower_words(k, f, w)
    return (f, k, a, w, fuel_src, afue_src, blower_src, None, False)
