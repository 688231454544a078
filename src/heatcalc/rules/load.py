"""The heat a home needs, as a heat-loss coefficient UA [Btu/h/F] and a balance point, for any number of homes, from
one of: ``heating_load.ua``; a design load (``UA = load / (indoor - design outdoor)``, ACCA Manual J style); a
year's heat (``UA = Q / degree-hours below the balance point`` on the home's weather); or a year of bills (``Q =
(fuel - non-heating use) x the current system's efficiency x the share its ducts delivered``).

Dated bills, deliveries and an hourly series are fitted home by home (:mod:`heatcalc.home`): per-home by nature.
The declared defaults (balance point, indoor temperature, the bills' efficiency by fuel) are filled in before.
"""


from typing import NamedTuple

import numpy as np

NEVER_BELOW = ("the weather never falls below the balance point, so no heating load can be fitted; raise the "
               "balance point or check the location")
NOTHING_LEFT = "the non-heating use is as large as the whole bill, leaving nothing for heating"


class HeatLossRules(NamedTuple):
    ua: np.ndarray  # NaN where a problem stopped it
    method: list  # per home: ua, design, annual or from_bills
    problems: list  # (row, field, message)


def efficiency_problem(fuel: str, efficiency: float) -> str | None:
    """What is wrong with the bills' efficiency of their system, or None."""
    if np.isnan(efficiency):
        return (f"heatcalc has no cited default efficiency for a {fuel} heater: add "
                "heating_load.from_bills.efficiency (the stove's or boiler's rated efficiency, e.g. 0.70)")
    if fuel != "electricity" and efficiency > 1.0:
        return f"a {fuel} system's AFUE is at most 1 (got {efficiency:g})"
    return None


def heat_loss_rules(*, ua, design_load, design_outdoor, indoor, includes_ducts, annual, billed, amount,
                    non_heating, bill_efficiency, bills_share, furnace_share, degree_hours) -> HeatLossRules:
    """Each home's UA from what it gives (one of them; the profile's rules see to it).

    Arrays per home, NaN (None for ``billed``) where not given: ``ua``; ``design_load``, ``design_outdoor`` and the
    ``indoor`` temperature, ``includes_ducts`` (the design load already holds the ducts' losses: the rooms get
    ``furnace_share`` of it); ``annual`` heat [Btu]; the bills' fuel, ``amount`` and ``non_heating`` use [Btu], the
    current system's ``bill_efficiency`` (NaN: none to assume) and ``bills_share`` (what its ducts delivered).
    ``degree_hours(rows, balance points)`` gives the rows' heating degree-hours on their weather.
    """
    n = len(billed)
    ua_given = ~np.isnan(ua)
    design = ~ua_given & ~np.isnan(design_load)
    from_annual = ~ua_given & ~design & ~np.isnan(annual)
    bills = ~ua_given & ~design & ~from_annual & np.array([f is not None for f in billed], dtype=bool)
    method = np.where(ua_given, "ua", np.where(design, "design", np.where(from_annual, "annual", "from_bills")))
    out = np.where(ua_given, ua, np.nan)
    problems = []
    good = np.ones(n, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        # a design load
        bad = design & (indoor <= design_outdoor)
        for i in np.flatnonzero(bad):
            problems.append((int(i), "heating_load.design.outdoor",
                             f"must be below the indoor temperature ({float(indoor[i]):g} F)"))
        ok = design & ~bad
        out = np.where(ok, design_load / (indoor - design_outdoor) * np.where(includes_ducts, furnace_share, 1.0),
                       out)
        # a year's heat, from the bills or given
        heat = np.where(from_annual, annual, np.nan)
        for i in np.flatnonzero(bills):
            problem = efficiency_problem(billed[i], float(bill_efficiency[i]))
            if problem is not None:
                problems.append((int(i), "heating_load.from_bills.efficiency", problem))
                good[i] = False
        heating = amount - np.where(np.isnan(non_heating), 0.0, non_heating)
        empty = bills & good & ~(heating > 0.0)
        for i in np.flatnonzero(empty):
            problems.append((int(i), "heating_load.from_bills.non_heating", NOTHING_LEFT))
        good &= ~empty
        heat = np.where(bills & good, heating * bill_efficiency * bills_share, heat)
        fit = np.flatnonzero((from_annual | bills) & good)
        dh = degree_hours(fit)
        for i in fit[dh <= 0.0]:
            problems.append((int(i), "heating_load.balance_point", NEVER_BELOW))
        out[fit] = np.where(dh > 0.0, heat[fit] / np.where(dh > 0.0, dh, 1.0), np.nan)
    return HeatLossRules(out, method.tolist(), problems)
