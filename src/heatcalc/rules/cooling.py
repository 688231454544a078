"""The cooling season, for any number of homes: the heat-gain coefficient UA_c [Btu/h/F] above a cooling balance
point, from one of ``cooling_load.ua``; a design load (``UA_c = load / (design outdoor - indoor)``); a year's heat
removed (``UA_c = Q / cooling degree-hours above the balance point``, on the home's weather); a summer of cooling
bills (``Q = kWh x 1,000 x SEER2 of the air conditioner billed``, Btu per Wh); or, with none, the heating UA (the same
envelope gains heat in summer).  An hourly series is read home by home (:mod:`heatcalc.home`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..units import BTU_PER_KWH

NEVER_ABOVE = "the weather never rises above it; lower the balance point"


class CoolingRules(NamedTuple):
    ua: np.ndarray  # NaN where a problem stopped it
    method: list  # per home: ua, design, annual, from_bills or heating_ua
    problems: list  # (row, field, message)


def cooling_rules(*, ua, design_load, design_outdoor, indoor, annual, bills_btu, bills_seer2, heating_ua,
                  degree_hours) -> CoolingRules:
    """Each cooled home's UA_c from what it gives (NaN where not given; the declared defaults filled in):
    ``bills_btu`` a summer's cooling electricity [Btu], ``bills_seer2`` the SEER2 it was used at,
    ``degree_hours(rows)`` the rows' cooling degree-hours above their balance points on their weather."""
    given = ~np.isnan(ua)
    design = ~given & ~np.isnan(design_load)
    year = ~given & ~design & ~np.isnan(annual)
    bills = ~given & ~design & ~year & ~np.isnan(bills_btu)
    method = np.where(given, "ua", np.where(design, "design", np.where(year, "annual", np.where(
        bills, "from_bills", "heating_ua"))))
    out = np.where(given, ua, np.where(method == "heating_ua", heating_ua, np.nan))
    problems = []
    with np.errstate(divide="ignore", invalid="ignore"):
        bad = design & (design_outdoor <= indoor)
        for i in np.flatnonzero(bad):
            problems.append((int(i), "cooling_load.design.outdoor",
                             f"must be above the indoor temperature ({float(indoor[i]):g} F)"))
        out = np.where(design & ~bad, design_load / (design_outdoor - indoor), out)
        removed = np.where(year, annual, bills_btu / BTU_PER_KWH * 1000.0 * bills_seer2)
        fit = np.flatnonzero(year | bills)
        cdh = degree_hours(fit)
        for i in fit[cdh <= 0.0]:
            problems.append((int(i), "cooling_load.balance_point", NEVER_ABOVE))
        out[fit] = np.where(cdh > 0.0, removed[fit] / np.where(cdh > 0.0, cdh, 1.0), np.nan)
    return CoolingRules(out, method.tolist(), problems)


def too_small_to_cool(capacity_btu_per_h: float, design_btu_per_h: float, hot_f: float) -> tuple | None:
    """(field, warning) when a heat pump's cooling capacity is below the home's cooling design load (at the
    station's 99th-percentile hour, ``hot_f``): it cannot cool the home on hot days (the unmet cooling is reported)."""
    if not capacity_btu_per_h < design_btu_per_h:
        return None
    return ("systems.heat_pump", f"its cooling capacity ({capacity_btu_per_h:,.0f} Btu/h) is below the home's "
                                 f"cooling design load ({design_btu_per_h:,.0f} Btu/h at {hot_f:.0f} F): it is too "
                                 "small to cool this home on hot days (unmet cooling is reported)")
