"""The rest of a home's use on its meters (``base_use``), for any number of homes: electricity given, else the
state's average household use (EIA RECS 2015, via NREL OpenStudio-HPXML; the US one where the state has none);
natural gas given, else a gas bill's ``non_heating`` use, else none.  It places the heating in the right tiers of a
rate and pays a meter's fixed charges alike with every system."""


from typing import NamedTuple

import numpy as np

from . import texts


class BaseUse(NamedTuple):
    kwh_per_year: np.ndarray
    therm_per_year: np.ndarray
    kwh_origin: np.ndarray  # "profile", "state" or "us"
    therm_origin: np.ndarray  # "profile", "bills" or "none"


def base_use_rules(states: list, electricity_btu, gas_btu, billed: list, non_heating_btu) -> BaseUse:
    """Per home: the state whose averages apply, ``base_use.electricity`` and ``.natural_gas`` [Btu a year, NaN where
    not given], and the bills' fuel and ``non_heating`` use [Btu a year, NaN where not given]."""
    from ..units import BTU_PER_KWH, BTU_PER_THERM
    from ..weather import stations as st

    us = float(st.state_info("US")["household_use_per_year"]["electricity_kwh"])
    average = {}
    for s in set(states):
        info = st.state_info(s) if s else None
        use = (info or {}).get("household_use_per_year")
        average[s] = (float(use["electricity_kwh"]), "state") if use else (us, "us")
    electricity_btu = np.asarray(electricity_btu, dtype=float)
    given = ~np.isnan(electricity_btu)
    kwh = np.where(given, electricity_btu / BTU_PER_KWH, [average[s][0] for s in states])
    kwh_origin = np.array([average[s][1] for s in states], dtype=object)
    kwh_origin[given] = "profile"
    gas_btu = np.asarray(gas_btu, dtype=float)
    non_heating_btu = np.asarray(non_heating_btu, dtype=float)
    from_bills = np.array([f == "natural_gas" for f in billed], dtype=bool) & (non_heating_btu > 0)
    gas_given = ~np.isnan(gas_btu)
    therm = np.where(gas_given, gas_btu / BTU_PER_THERM,
                     np.where(from_bills, non_heating_btu / BTU_PER_THERM, 0.0))
    therm_origin = texts(therm.size, "none")
    therm_origin[from_bills] = "bills"
    therm_origin[gas_given] = "profile"
    return BaseUse(kwh, therm, kwh_origin, therm_origin)
