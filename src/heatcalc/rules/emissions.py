"""Emission factors for any number of homes: the grid's (a number given; ``marginal``: NREL Cambium's long-run
marginal rates of the home's region, given or its state's; else the state's eGRID2023 total output CO2e rate, else
the US one) and each fuel's (given, else EPA's combustion factors as CO2e, wood's CO2 apart as biogenic)."""


import json
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..units import BIOGENIC_FUELS, BTU_PER_FUEL_UNIT
from . import by_distinct, spread, texts

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


@lru_cache(maxsize=1)
def _fuel_factors() -> dict:
    """fuels.json: each fuel's combustion CO2e (and wood's biogenic CO2) per MMBtu (EPA)."""
    with open(DATA_DIR / "fuels.json") as fh:
        return json.load(fh)


def biogenic_co2_kg_per_unit(fuel: str | None) -> float:
    """Biogenic CO2 [kg] per sales unit of a wood fuel (EPA: wood and wood residuals, 93.80 kg/MMBtu), reported apart
    from the fossil CO2e; 0 for every other fuel."""
    if fuel not in BIOGENIC_FUELS:
        return 0.0
    return _fuel_factors()["fuels"][fuel]["biogenic_co2_kg_per_mmbtu"] * BTU_PER_FUEL_UNIT[fuel] / 1e6


@lru_cache(maxsize=1)
def _marginal_table() -> dict:
    with open(DATA_DIR / "marginal_co2.json") as fh:
        return json.load(fh)


def marginal_region(state: str | None) -> str | None:
    """The Cambium region serving most of a contiguous state's people (None elsewhere)."""
    return _marginal_table()["state_region"].get(state or "")


@lru_cache(maxsize=32)
def marginal_rates(region: str) -> np.ndarray:
    """A Cambium region's long-run marginal rate [kg CO2e/kWh] for each of the 8,760 hours, read by month and hour of
    day in the weather's local standard time (read-only)."""
    from ..weather.stations import HOUR_MONTH

    months = np.asarray(_marginal_table()["regions"][region])  # 12 x 24
    hourly = months[HOUR_MONTH, np.arange(8760) % 24]
    hourly.flags.writeable = False
    return hourly


class EmissionRules(NamedTuple):
    factor: dict  # energy -> array [kg per sales unit]; for marginal homes, the mean of their region's hours
    origin: dict  # energy -> array of "profile", "state", "us", "marginal" or "epa"
    region: list  # per home: the Cambium region whose hours weigh its kWh, or None
    problems: list  # (row, field, message)


def no_region_message(state: str | None) -> str:
    where = f"in {state}" if state else "without a known state"
    return (f"Cambium's marginal rates cover the 48 contiguous states and DC, not a home {where}; set "
            "emissions.region, or give a rate such as 0.4 kg/kWh")


REGION_WITHOUT_MARGINAL = "applies to marginal rates: add emissions.electricity: marginal, or remove it"


def emission_rules(fuels, states: list, grid: list, regions: list, given: dict) -> EmissionRules:
    """``grid``: per home ``emissions.electricity`` (a number, ``"marginal"`` or None); ``regions``:
    ``emissions.region`` (None where not given); ``given``: each fuel's factor (energy -> array, NaN where not)."""
    from ..weather import stations as st

    n = len(states)
    us = st.state_info("US")["electricity_co2e_kg_per_kwh"]
    rates = {}
    for s in set(states):
        info = st.state_info(s) if s else None
        rates[s] = info["electricity_co2e_kg_per_kwh"] if info and info["electricity_co2e_kg_per_kwh"] else None
    def one(s, g, r):  # (factor, origin, region, problems as (field, message)) of a home's state and fields
        said = [("emissions.region", REGION_WITHOUT_MARGINAL)] if r is not None and g != "marginal" else []
        if g == "marginal":
            r = r or marginal_region(s)
            if r is None:
                return np.nan, "marginal", None, said + [("emissions.electricity", no_region_message(s))]
            return float(marginal_rates(r).mean()), "marginal", r, said
        if g is not None:
            return float(g), "profile", None, said
        return (rates[s], "state", None, said) if rates[s] else (us, "us", None, said)

    answers, codes = by_distinct(list(zip(states, grid, regions)), one)  # each distinct answer once
    factor = np.array([a[0] for a in answers], dtype=float)[codes]
    origin = spread([a[1] for a in answers], codes)
    region: list = spread([a[2] for a in answers], codes).tolist()
    problems = sorted(((i, *p) for j, a in enumerate(answers) if a[3] for i in np.flatnonzero(codes == j).tolist()
                       for p in a[3]), key=lambda p: p[0])
    out, where = {"electricity": factor}, {"electricity": origin}
    table = _fuel_factors()["fuels"]
    for fuel in fuels:
        epa = table[fuel]["co2e_kg_per_mmbtu"] * BTU_PER_FUEL_UNIT[fuel] / 1e6
        g = given.get(fuel)
        mine = np.zeros(n, dtype=bool) if g is None else ~np.isnan(g)
        out[fuel] = np.where(mine, g if g is not None else 0.0, epa)
        where[fuel] = texts(n, "epa")
        where[fuel][mine] = "profile"
    return EmissionRules(out, where, region, problems)
