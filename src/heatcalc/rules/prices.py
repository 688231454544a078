"""Energy prices for any number of homes: a command-line override, else the profile's price, else the state's
average residential price (EIA SEDS 2023; wood: SEDS 2021 by Census region), else the US figure; kerosene, pellets
and coal have no default (``origin`` says ``none``, and a home burning one is asked for it)."""


from typing import NamedTuple

import numpy as np

#: Where a home's price came from (``PriceRules.origin``).
ORIGINS = ("override", "profile", "state", "us", "none")


class PriceRules(NamedTuple):
    price: dict  # energy -> array (NaN where there is none)
    origin: dict  # energy -> array of ORIGINS, per home


def price_unit(key: str) -> str:
    from ..units import FUEL_UNIT

    return "$/kWh" if key == "electricity" else f"$/{FUEL_UNIT[key]}"


def table_column(key: str) -> str:
    """The state price table's column of an energy: ``natural_gas_usd_per_therm``."""
    return f"{key}_usd_per_{price_unit(key)[2:].lower()}"


def price_rules(keys, states: list, given: dict, overrides: dict) -> PriceRules:
    """Each home's price of each energy in ``keys``: ``states`` the state whose prices apply (None: not known),
    ``given`` the profile's prices (energy -> array, NaN where not given), ``overrides`` one price per energy for
    every home."""
    from ..weather import stations as st

    us = st.state_info("US")["prices"]
    codes = {s: i for i, s in enumerate(dict.fromkeys(states))}  # each distinct state once, in order met
    at = np.fromiter((codes[s] for s in states), dtype=np.int64, count=len(states))
    tables = []
    for s in codes:
        info = st.state_info(s) if s else None
        tables.append(info["prices"] if info and info["prices"] else None)
    n = len(states)
    price, origin = {}, {}
    for key in keys:
        column = table_column(key)
        if key in overrides:
            price[key], origin[key] = np.full(n, float(overrides[key])), np.full(n, "override", dtype=object)
            continue
        # per distinct state: its figure, else the US one, else none
        by_state = [(t[column], "state") if t is not None and column in t else
                    (us[column], "us") if column in us else (np.nan, "none") for t in tables]
        values = np.array([v for v, _ in by_state], dtype=float)[at]
        where = np.array([w for _, w in by_state], dtype=object)[at]
        g = given.get(key)
        if g is not None:
            mine = ~np.isnan(g)
            values = np.where(mine, g, values)
            where[mine] = "profile"
        price[key], origin[key] = values, where
    return PriceRules(price, origin)


def marginal_prices(key: str, price, origin, fixed_usd_per_month, states: list) -> tuple:
    """Where a home gives a fixed monthly charge for ``key`` (electricity or natural_gas; NaN where none) and its
    price is an average (the state's or the US figure, which spread the fixed charges over every unit sold), the
    marginal price: the average less 12 charges over the state's average household use (EIA RECS 2015).  Returns
    (prices, the household use read per home, problems as (row, field, message)) -- a charge the average cannot
    cover is one."""
    from .. import money
    from ..weather import stations as st

    price = np.array(price, dtype=float)
    fixed = np.asarray(fixed_usd_per_month, dtype=float)
    use = np.full(price.size, np.nan)
    problems = []
    us = st.state_info("US")["household_use_per_year"]
    column = "electricity_kwh" if key == "electricity" else "natural_gas_therm"
    unit = price_unit(key)
    for j in np.flatnonzero(~np.isnan(fixed) & (fixed > 0)):
        if origin[j] not in ("state", "us"):
            continue
        info = st.state_info(states[j]) if states[j] else None
        use[j] = ((info or {}).get("household_use_per_year") or us)[column]
        marginal = money.marginal_price(float(price[j]), float(fixed[j]), float(use[j]))
        if marginal <= 0:
            problems.append((int(j), f"fixed_charges.{key}", f"a ${fixed[j]:g}/month charge is more than the average "
                                                            f"price covers for a home using {use[j]:,.0f} {unit[2:]} "
                                                            f"a year"))
            continue
        price[j] = marginal
    return price, use, problems


def gas_blocks(rows, adjustment: float | None):
    """A home's monthly gas blocks (``tariff.natural_gas``: records with ``up_to`` [Btu of gas] and ``price``
    [$/therm]) with ``tariff.natural_gas_adjustment`` added to every price: (bills.GasBlocks or None, the problem as
    (field, message) or None).  No blocks: None, and an adjustment without them is a problem."""
    if not rows:
        if adjustment:
            return None, ("tariff.natural_gas_adjustment", "shifts the gas blocks' prices: give tariff.natural_gas too "
                                                           "(without blocks, set prices.natural_gas)")
        return None, None
    from ..bills import GasBlocks
    from ..units import BTU_PER_THERM

    upper, price = [], []
    for i, row in enumerate(rows):
        last = i == len(rows) - 1
        if row.up_to is None and not last:
            return None, (f"tariff.natural_gas[{i}].up_to", "only the last block may leave out up_to (it takes the "
                                                             "rest)")
        upper.append(np.inf if last else row.up_to / BTU_PER_THERM)
        price.append(row.price)
    if any(hi <= lo for lo, hi in zip(upper, upper[1:])):
        return None, ("tariff.natural_gas", "each block's up_to must be above the one before")
    price = [p + (adjustment or 0.0) for p in price]
    if any(p < 0 for p in price):
        return None, ("tariff.natural_gas_adjustment", f"makes a block's price negative (${min(price):.3f}/therm)")
    return GasBlocks(np.array(upper), np.array(price)), None
