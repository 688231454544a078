"""Bills: what a household pays in a year under a utility's tariff, with and without rooftop solar.

Pure functions over hourly arrays (8,760 hours of the weather year, index 0 = the hour ending 01:00 local standard
time on 1 January).  A tariff (:class:`ElectricTariff`, read from a URDB rate by :mod:`heatcalc.tariffs`) prices
the hours by its 12 x 24 weekday and weekend schedules in local clock time of a stated calendar year; tiers are
filled in time order by the month's cumulative use; demand charges take each month's (and period's) highest hourly
demand; fixed charges are per month, day or year; minimum charges raise a month's or the year's bill to them.

Solar under each export rule (URDB ``dgrules``):

* ``net_metering`` -- each hour's net (use - solar) is billed through the tiers at the hour's rate, so exported
  kWh are credited at the retail rate of their hour; a month's negative energy charge is carried forward as a
  credit to later months' energy and demand charges, and what is left at the end of the year is paid at the sell
  rate (annual netting); ``net_metering_monthly`` settles each month at the sell rate instead;
* ``net_billing_hourly`` / ``net_billing_instantaneous`` -- each hour's net import is billed at retail and its net
  export credited at the hour's sell rate (with hourly data the two are the same: within-hour flows are not known);
* ``buy_all_sell_all`` -- all use is bought at retail, all solar sold at the sell rate.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import numpy as np

MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
DG_RULES = ("net_metering", "net_metering_monthly", "net_billing_hourly", "net_billing_instantaneous",
            "buy_all_sell_all")


class Tiers(NamedTuple):
    """One period's tiers: upper bounds (cumulative, ``inf`` for the last), buy and sell rates [$ per unit]."""

    upper: np.ndarray
    buy: np.ndarray
    sell: np.ndarray


class ElectricTariff(NamedTuple):
    name: str
    fixed_usd_per_month: np.ndarray  # 12 fixed charges (all per-month, per-day and per-year charges folded in)
    energy_period: np.ndarray | None  # period of each hour (clock time of `year`), or None for real-time prices
    energy_tiers: tuple  # per period, 12 Tiers (one per month: kWh-daily bounds x the month's days)
    realtime_usd_per_kwh: np.ndarray | None  # 8,760 prices (URDB realtimepricing), or None
    realtime_sell_usd_per_kwh: np.ndarray | None
    min_usd: float  # minimum charge
    min_per: str | None  # "month" | "year" | None
    demand_period: np.ndarray | None  # time-of-use demand period of each hour
    demand_tiers: tuple  # Tiers per demand period (kW bounds, $/kW)
    flat_demand_month_period: np.ndarray | None  # flat demand period of each month
    flat_demand_tiers: tuple
    dg_rule: str | None  # one of DG_RULES, or None (no solar rule given)
    year: int
    daylight_saving: bool


class Bill(NamedTuple):
    """One year's electricity bill [$], by month and in total."""

    energy_usd: np.ndarray  # 12
    demand_usd: np.ndarray
    fixed_usd: np.ndarray
    minimum_usd: np.ndarray  # what minimum charges added
    credit_usd: np.ndarray  # export credits (negative), net-metering carry-overs applied
    total_usd: float

    @property
    def monthly_usd(self) -> np.ndarray:
        return self.energy_usd + self.demand_usd + self.fixed_usd + self.minimum_usd + self.credit_usd


def _dst_hours(year: int) -> tuple[int, int]:
    """Daylight saving time as standard-time hours of the 365-day weather year: [second Sunday of March 02:00,
    first Sunday of November 02:00 daylight time = 01:00 standard)."""
    march = dt.date(year, 3, 1)
    start = march + dt.timedelta(days=(6 - march.weekday()) % 7 + 7)
    november = dt.date(year, 11, 1)
    end = november + dt.timedelta(days=(6 - november.weekday()) % 7)
    return _day_of_weather_year(start) * 24 + 2, _day_of_weather_year(end) * 24 + 1


def _day_of_weather_year(d: dt.date) -> int:
    day = (d - dt.date(d.year, 1, 1)).days
    leap = d.year % 4 == 0 and (d.year % 100 != 0 or d.year % 400 == 0)
    return day - 1 if leap and d > dt.date(d.year, 2, 28) else day


def clock_calendar(year: int, daylight_saving: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each standard-time hour of the weather year: (clock hour of day 0-23, month 0-11, is weekend) in
    ``year``'s calendar; a leap year's 29 February is skipped (the weather year has 365 days)."""
    hour = np.arange(8760)
    if daylight_saving:
        start, end = _dst_hours(year)
        hour = hour + ((hour >= start) & (hour < end))
    hour = np.minimum(hour, 8759)
    day = hour // 24
    first = dt.date(year, 1, 1)
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    weekday = np.array([(first + dt.timedelta(days=int(d) + (1 if leap and d >= 59 else 0))).weekday()
                        for d in range(365)])
    month = np.repeat(np.arange(12), MONTH_DAYS)
    return hour % 24, month[day], weekday[day] >= 5


def schedule_period(weekday: list, weekend: list, year: int, daylight_saving: bool) -> np.ndarray:
    """The period of each hour from URDB's 12 x 24 weekday and weekend schedules (clock time)."""
    hod, month, weekend_day = clock_calendar(year, daylight_saving)
    wd, we = np.asarray(weekday, dtype=np.int64), np.asarray(weekend, dtype=np.int64)
    return np.where(weekend_day, we[month, hod], wd[month, hod])


HOUR_MONTH = np.repeat(np.arange(12), MONTH_DAYS * 24)
MONTH_START = np.concatenate(([0], np.cumsum(MONTH_DAYS * 24)))


_LAYOUTS: dict = {}


def _tier_layout(period: np.ndarray, tiers: tuple):
    """Each hour's tier bounds and rates as (tiers, 8,760) arrays, from its period and month: made once per
    tariff, so a bill is a few whole-year array operations."""
    key = (id(period), id(tiers))
    hit = _LAYOUTS.get(key)
    if hit is not None and hit[0] is period and hit[1] is tiers:
        return hit[2]
    k = max(t[0].upper.size for t in tiers)
    n = len(tiers)
    upper = np.full((n, 12, k), np.inf)
    buy = np.zeros((n, 12, k))
    sell = np.zeros((n, 12, k))
    for p, months in enumerate(tiers):
        for m, t in enumerate(months):
            size = t.upper.size
            upper[p, m, :size], buy[p, m, :size], sell[p, m, :size] = t.upper, t.buy, t.sell
            if size < k:  # pad with the last tier's rates (its bound is infinite, so nothing reaches the pads)
                buy[p, m, size:], sell[p, m, size:] = t.buy[-1], t.sell[-1]
    layout = (upper[period, HOUR_MONTH].T, buy[period, HOUR_MONTH].T, sell[period, HOUR_MONTH].T)
    if len(_LAYOUTS) >= 48:
        _LAYOUTS.pop(next(iter(_LAYOUTS)))
    _LAYOUTS[key] = (period, tiers, layout)
    return layout


def _tiered_charge(quantity: np.ndarray, period: np.ndarray, tiers: tuple, sell: bool = False) -> np.ndarray:
    """Each hour's charge [$] for ``quantity`` (kWh, may be negative; 8,760 hours, or (homes, 8,760)) filled
    through its month's tiers in time order: an hour's kWh fall in the tiers that the month's cumulative use passes
    through during it (below zero cumulative use, a month netting negative, at the first tier's rate).

    An hour whose cumulative use starts and ends in one tier is charged at that tier's rate; only the few hours
    that cross a tier bound are split between the tiers they pass through."""
    upper, buy, sold = _tier_layout(period, tiers)
    rates = sold if sell else buy
    q = np.atleast_2d(quantity)
    k = upper.shape[0]
    if k == 1 or not np.isfinite(upper[:-1]).any():  # one tier in every period: linear in the hour's use
        charge = q * rates[0]
        return charge if np.ndim(quantity) == 2 else charge[0]
    work = _workspace(q.shape)
    cum, prev, rate = work["cum"], work["prev"], work["rate"]
    np.cumsum(q, axis=1, out=cum)
    for m in range(11, 0, -1):  # each month's cumulative use starts from zero (latest first: the earlier
        a, b = MONTH_START[m], MONTH_START[m + 1]  # months' ends are still the year's running totals)
        cum[:, a:b] -= cum[:, a - 1:a]
    np.subtract(cum, q, out=prev)
    # the rate of the tier the hour ends in, by this hour's bounds (tier 0 also takes cumulative use below zero),
    # and the hours that start in another tier (bounds rise within a period, so above one bound is above those
    # before it)
    above = np.greater(cum, upper[0], out=work["above"])
    rate[...] = rates[0]
    np.copyto(rate, rates[1], where=above)
    crossing = np.greater(prev, upper[0], out=work["crossing"])
    np.not_equal(crossing, above, out=crossing)
    for t in range(1, k - 1):
        np.greater(cum, upper[t], out=above)
        np.copyto(rate, rates[t + 1], where=above)
        flip = np.greater(prev, upper[t], out=work["flip"])
        np.not_equal(flip, above, out=flip)
        crossing |= flip
    charge = q * rate
    flat = np.flatnonzero(crossing)  # (np.nonzero on a 2-D mask is ten times slower)
    if flat.size:
        rows, cols = np.divmod(flat, q.shape[1])
        c, p = cum[rows, cols], prev[rows, cols]
        exact = (np.minimum(c, 0.0) - np.minimum(p, 0.0)) * rates[0, cols]
        lo = np.zeros(cols.size)
        for t in range(k):
            hi = upper[t, cols]
            with np.errstate(invalid="ignore"):  # inf - inf in padded tiers, zeroed below
                overlap = np.clip(c, lo, hi) - np.clip(p, lo, hi)
            if t:
                overlap[np.isinf(lo)] = 0.0  # a padded tier above a period's last one: nothing falls in it
            exact += overlap * rates[t, cols]
            lo = hi
        charge[rows, cols] = exact
    return charge if np.ndim(quantity) == 2 else charge[0]


_WORK: dict = {}


def _workspace(shape: tuple) -> dict:
    """Arrays reused from bill to bill (a fresh 2 MB array a time costs page faults on every call)."""
    hit = _WORK.get(shape)
    if hit is None:
        if len(_WORK) >= 4:
            _WORK.clear()
        hit = _WORK[shape] = {"cum": np.empty(shape), "prev": np.empty(shape), "rate": np.empty(shape),
                              "above": np.empty(shape, dtype=bool), "crossing": np.empty(shape, dtype=bool),
                              "flip": np.empty(shape, dtype=bool)}
    return hit


def first_tier_price_usd_per_kwh(tariff: ElectricTariff) -> np.ndarray:
    """Each hour's first-tier price [$/kWh] (the real-time price where the rate has those): what a dispatch rule
    such as a dual-fuel switchover weighs; bills are computed in full by :func:`electric_bill`."""
    if tariff.realtime_usd_per_kwh is not None:
        return np.asarray(tariff.realtime_usd_per_kwh, dtype=float)
    first = np.array([t[0].buy[0] for t in tariff.energy_tiers])
    return first[tariff.energy_period]


def _first_tier_sell(period: np.ndarray, tiers: tuple) -> np.ndarray:
    return np.array([tiers[p][0].sell[0] for p in range(len(tiers))])[period]


def _demand_charge(kw, tiers: Tiers):
    """The demand charge [$] of a month's (or period's) highest demand ``kw`` (one value, or one per home)."""
    kw = np.asarray(kw, dtype=float)
    lo, out = 0.0, np.zeros_like(kw)
    for k in range(tiers.upper.size):
        hi = tiers.upper[k]
        out = out + np.maximum(0.0, np.minimum(kw, hi) - lo) * tiers.buy[k]
        lo = hi
    return out


def electric_bill(tariff: ElectricTariff, use_kwh: np.ndarray, solar_kwh: np.ndarray | None = None,
                  rule: str | None = None) -> Bill:
    """The year's electricity bill for hourly use (and solar output) [kWh] under ``tariff`` and the export rule
    (``rule``, else the tariff's own, else net metering)."""
    energy, demand, fixed, minimum, credit = _bill_parts(
        tariff, np.asarray(use_kwh, dtype=float)[None, :],
        None if solar_kwh is None else np.asarray(solar_kwh, dtype=float)[None, :], rule)
    total = float((energy + demand + fixed + credit + minimum).sum())
    return Bill(energy[0], demand[0], fixed, minimum[0], credit[0], total)


def electric_bills_usd(tariff: ElectricTariff, use_kwh: np.ndarray, solar_kwh: np.ndarray | None = None,
                       rule: str | None = None) -> np.ndarray:
    """:func:`electric_bill`'s year total for many homes on one tariff at once: ``use_kwh`` and ``solar_kwh`` are
    (homes, 8,760) arrays (a home without solar has a row of zeros); the same arithmetic, row by row, a few dozen
    homes at a time (their arrays stay in the processor's cache)."""
    use = np.asarray(use_kwh, dtype=float)
    pv = None if solar_kwh is None else np.asarray(solar_kwh, dtype=float)
    out = np.empty(use.shape[0])
    for a in range(0, use.shape[0], BILL_ROWS):
        energy, demand, fixed, minimum, credit = _bill_parts(tariff, use[a:a + BILL_ROWS],
                                                             None if pv is None else pv[a:a + BILL_ROWS], rule)
        out[a:a + BILL_ROWS] = (energy + demand + fixed + credit + minimum).sum(axis=1)
    return out


#: Homes billed together in one set of array operations.
BILL_ROWS = 32


def _bill_parts(tariff: ElectricTariff, use: np.ndarray, pv: np.ndarray | None, rule: str | None):
    """The bill's parts by month for (homes, 8,760) use and solar: energy, demand, fixed, minimum and credit
    charges, each (homes, 12) (fixed: (12,)).  A home whose solar row is all zeros is billed as without solar."""
    n = use.shape[0]
    rule = rule or tariff.dg_rule or "net_metering"
    has_pv = np.zeros(n, dtype=bool) if pv is None else pv.any(axis=1)
    if not has_pv.any():
        pv = None
    month_sum = np.add.reduceat
    realtime = tariff.realtime_usd_per_kwh is not None
    metering = rule.startswith("net_metering") & has_pv
    # what the energy charge is on: the net use under net metering, the imports otherwise (with no exports every
    # rule bills the same: the imports)
    if pv is None:
        imports = np.maximum(use, 0.0)
        billed = imports
    elif rule == "buy_all_sell_all":
        imports = use
        billed = imports
    else:
        net = use - pv
        imports = np.maximum(net, 0.0)
        billed = net if metering.all() else (np.where(metering[:, None], net, imports) if metering.any()
                                             else imports)
    hourly = billed * tariff.realtime_usd_per_kwh if realtime else \
        _tiered_charge(billed, tariff.energy_period, tariff.energy_tiers)
    energy = month_sum(hourly, MONTH_START[:-1], axis=1)
    credit = np.zeros((n, 12))
    if pv is not None and rule in ("net_billing_hourly", "net_billing_instantaneous", "buy_all_sell_all"):
        exports = pv if rule == "buy_all_sell_all" else np.maximum(pv - use, 0.0)
        sell = tariff.realtime_sell_usd_per_kwh if realtime else \
            _first_tier_sell(tariff.energy_period, tariff.energy_tiers)
        credit = -month_sum(exports * (sell if sell is not None else 0.0), MONTH_START[:-1], axis=1)
        credit[~has_pv] = 0.0
    # demand: each month's (and period's) highest hourly import [kW = kWh in an hour]
    demand = np.zeros((n, 12))
    if tariff.demand_period is not None or tariff.flat_demand_month_period is not None:
        demand_kw = imports
        for m in range(12):
            a, b = MONTH_START[m], MONTH_START[m + 1]
            if tariff.demand_period is not None:
                for p in np.unique(tariff.demand_period[a:b]):
                    sel = tariff.demand_period[a:b] == p
                    demand[:, m] += _demand_charge(demand_kw[:, a:b][:, sel].max(axis=1),
                                                   tariff.demand_tiers[int(p)])
            if tariff.flat_demand_month_period is not None:
                demand[:, m] += _demand_charge(demand_kw[:, a:b].max(axis=1),
                                               tariff.flat_demand_tiers[int(tariff.flat_demand_month_period[m])])
    if metering.any():
        # A month whose energy charge nets below zero owes nothing for energy; its surplus (in dollars at the
        # retail rates its exports were credited at) is carried to later months' energy and demand charges
        # (annual netting), and what is left at the end of the year -- or each month, with monthly netting -- is
        # paid at the sell rate: the surplus's kWh (dollars / the average retail rate) x the average sell rate.
        buy, sell_rate = _average_buy(tariff), _average_sell(tariff)
        to_sell = (sell_rate / buy) if buy > 0 else 0.0
        carry = np.zeros(n)
        annual = rule == "net_metering"
        for m in range(12):
            negative = metering & (energy[:, m] < 0.0)
            surplus = np.where(negative, -energy[:, m], 0.0)
            energy[:, m] = np.where(negative, 0.0, energy[:, m])
            if annual:
                carry += surplus
                used = np.where(carry > 0.0, np.minimum(carry, energy[:, m] + demand[:, m]), 0.0)
                credit[:, m] -= used
                carry -= used
            else:
                credit[:, m] -= surplus * to_sell
        credit[:, 11] -= np.where(carry > 0.0, carry * to_sell, 0.0)
    fixed = np.asarray(tariff.fixed_usd_per_month, dtype=float)
    minimum = np.zeros((n, 12))
    subtotal = energy + demand + fixed + credit
    if tariff.min_per == "month":
        minimum = np.maximum(0.0, tariff.min_usd - subtotal)
    elif tariff.min_per == "year":
        short = subtotal.sum(axis=1) < tariff.min_usd
        minimum[short, 11] = tariff.min_usd - subtotal[short].sum(axis=1)
    return energy, demand, fixed, minimum, credit


def _average_buy(tariff: ElectricTariff) -> float:
    if tariff.realtime_usd_per_kwh is not None:
        return float(np.mean(tariff.realtime_usd_per_kwh))
    return float(np.mean([t[0].buy[0] for t in tariff.energy_tiers]))


def _average_sell(tariff: ElectricTariff) -> float:
    if tariff.realtime_sell_usd_per_kwh is not None:
        return float(np.mean(tariff.realtime_sell_usd_per_kwh))
    return float(np.mean([t[0].sell[0] for t in tariff.energy_tiers]))


class GasBlocks(NamedTuple):
    """A gas rate by monthly blocks: upper bounds [therm] (``inf`` last) and prices [$/therm]."""

    upper: np.ndarray
    price: np.ndarray


def gas_month_usd(therm: float, blocks: GasBlocks | None, price_usd_per_therm: float) -> float:
    """One month's gas energy charge: its therms through the blocks (or at one price)."""
    if blocks is None:
        return therm * price_usd_per_therm
    total, lo = 0.0, 0.0
    for hi, price in zip(blocks.upper, blocks.price):
        total += max(0.0, min(therm, hi) - lo) * price
        lo = hi
    return total


def gas_bill_usd(monthly_therm: np.ndarray, blocks: GasBlocks | None, price_usd_per_therm: float,
                 fixed_usd_per_month: float) -> float:
    """A year's gas bill: each month's therms through the blocks (or at one price), plus the fixed charge."""
    return 12.0 * fixed_usd_per_month + sum(gas_month_usd(t, blocks, price_usd_per_therm)
                                            for t in np.asarray(monthly_therm, dtype=float))
