"""Bills: what a household pays in a year under a utility's tariff, with and without rooftop solar.

Pure functions over hourly arrays (8,760 hours of the weather year, index 0 = the hour ending 01:00 local standard
time on 1 January).  A tariff (:class:`ElectricTariff`, read from a URDB rate by :mod:`heatcalc.tariffs`) prices
the hours by its 12 x 24 weekday and weekend schedules in local clock time of a stated calendar year, and bills by
the meter's months (clock time too: :func:`month_starts`); tiers are filled in time order by the month's cumulative
use; demand charges take each month's (and period's) highest hourly demand; fixed charges are per month, day or
year; minimum charges raise a month's or the year's bill to them.

Solar under each export rule (URDB ``dgrules``):

* ``net_metering`` -- kWh banking, as NREL SAM bills it (:func:`_kwh_banked`): each month's net kWh by time-of-use
  period, a surplus banked in kWh for the next month's matching period, the year's remaining surplus paid at the
  sell rate in December; ``net_metering_monthly`` pays each month's surplus at the sell rate instead;
* ``net_metering_dollars`` -- dollar banking (programs that credit an export's time-of-use value): each hour's net
  (use - solar) is billed through the tiers at the hour's rate, a month's negative energy charge is carried to later
  months' energy charges, what is left at the year's end paid at the sell rate (real-time prices, which have no
  periods to bank kWh in, are always banked so);
* ``net_billing_hourly`` / ``net_billing_instantaneous`` -- each hour's net import is billed at retail and its net
  export credited at the hour's sell rate (with hourly data the two are the same: within-hour flows are not known);
* ``buy_all_sell_all`` -- all use is bought at retail, all solar sold at the sell rate.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import NamedTuple

import numpy as np

MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
DG_RULES = ("net_metering", "net_metering_monthly", "net_metering_dollars", "net_metering_dollars_monthly",
            "net_metering_dollars_all", "net_metering_dollars_all_monthly", "net_billing_hourly",
            "net_billing_instantaneous", "buy_all_sell_all")
#: ``solar.net_metering`` and ``solar.net_metering_credit`` as export rules.
NET_METERING_RULES = {("annual", "kwh"): "net_metering", ("annual", "dollars"): "net_metering_dollars",
                      ("monthly", "kwh"): "net_metering_monthly",
                      ("monthly", "dollars"): "net_metering_dollars_monthly",
                      ("annual", "dollars_all_charges"): "net_metering_dollars_all",
                      ("monthly", "dollars_all_charges"): "net_metering_dollars_all_monthly"}


def export_rule(net_metering: str | None, credit: str | None, rate_rule: str | None) -> str:
    """The export rule of a home with solar: ``solar.net_metering`` (annual, monthly, none) with
    ``solar.net_metering_credit`` (kwh, the default, or dollars), else the rate's own rule (URDB ``dgrules``), else
    net metering with kWh banking."""
    if net_metering == "none":
        return "net_billing_hourly"
    if net_metering is None:
        rule = rate_rule or "net_metering"
        if credit in ("dollars", "dollars_all_charges") and rule.startswith("net_metering"):
            return NET_METERING_RULES[("monthly" if rule == "net_metering_monthly" else "annual", credit)]
        return rule
    return NET_METERING_RULES[(net_metering, credit or "kwh")]


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


def clock_hour_index(year: int, daylight_saving: bool) -> np.ndarray:
    """For each standard-time hour of the weather year, the clock hour of the year it falls in (one ahead during
    daylight saving time; the year's last hour stays in it): how an hourly price series written in the meter's clock
    time is read on the weather's hours."""
    hour = np.arange(8760)
    if daylight_saving:
        start, end = _dst_hours(year)
        hour = hour + ((hour >= start) & (hour < end))
    return np.minimum(hour, 8759)


@lru_cache(maxsize=64)
def _month_starts(year: int, daylight_saving: bool) -> np.ndarray:
    _, month, _ = clock_calendar(year, daylight_saving)
    starts = np.searchsorted(month, np.arange(12))  # month is non-decreasing over the standard-time hours
    starts.setflags(write=False)
    return np.concatenate((starts, [8760]))


def month_starts(tariff: ElectricTariff) -> np.ndarray:
    """The first standard-time hour of each of the tariff's billing months and 8,760 (13 values): months as the
    meter's clock reads them, so under daylight saving time a month's last standard-time hour (23:00-24:00, clock
    00:00-01:00 of the next day) belongs to the next month."""
    return _month_starts(int(tariff.year), bool(tariff.daylight_saving))


@lru_cache(maxsize=16)
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
    out = (hour % 24, month[day], weekday[day] >= 5)
    for part in out:
        part.setflags(write=False)  # shared by every caller (cached)
    return out


def schedule_period(weekday: list, weekend: list, year: int, daylight_saving: bool) -> np.ndarray:
    """The period of each hour from URDB's 12 x 24 weekday and weekend schedules (clock time)."""
    hod, month, weekend_day = clock_calendar(year, daylight_saving)
    wd, we = np.asarray(weekday, dtype=np.int64), np.asarray(weekend, dtype=np.int64)
    return np.where(weekend_day, we[month, hod], wd[month, hod])


HOUR_MONTH = np.repeat(np.arange(12), MONTH_DAYS * 24)
MONTH_START = np.concatenate(([0], np.cumsum(MONTH_DAYS * 24)))


_PLANS: dict = {}


class _TierPlan(NamedTuple):
    """What a month's tiered energy charge depends on, made once per tariff: the hours at which it is read (each
    hour after which the period changes, and each month's last hour), the month of each, and the charge as a
    function of the month's cumulative use at that hour: ``linear * c + sum(weight * max(0, c - knot))``."""

    hours: np.ndarray  # (events,)
    month: np.ndarray  # (events,) the month of each
    month_first: np.ndarray  # (12,) the first event of each month
    linear: np.ndarray  # (events,)
    knot: np.ndarray  # (events, knots) cumulative kWh (inf: padding)
    weight: np.ndarray  # (events, knots)
    rate: np.ndarray | None  # each hour's rate when every period has one tier (the charge is then linear)
    starts: np.ndarray  # (events,) the first hour of the use that each event closes


def _integral(tiers: Tiers) -> tuple[float, list, list]:
    """The charge for the month's first ``x`` kWh through ``tiers``, as ``r0 * x + sum(w * max(0, x - u))`` (below
    zero, a month netting negative, at the first tier's rate): (r0, bounds u, rate steps w)."""
    bounds = [float(u) for u in tiers.upper[:-1]]
    steps = [float(tiers.buy[t + 1] - tiers.buy[t]) for t in range(len(bounds))]
    return float(tiers.buy[0]), bounds, steps


def _tier_plan(period: np.ndarray, tiers: tuple, starts: np.ndarray = MONTH_START) -> _TierPlan:
    key = (id(period), id(tiers), id(starts))
    hit = _PLANS.get(key)
    if hit is not None and hit[0] is period and hit[1] is tiers and hit[3] is starts:
        return hit[2]
    hours, months, linear, knots, weights = [], [], [], [], []
    for m in range(12):
        a, b = int(starts[m]), int(starts[m + 1])
        p = period[a:b]
        switches = a + np.flatnonzero(p[:-1] != p[1:])
        for h in [*switches.tolist(), b - 1]:
            r0, u, w = _integral(tiers[int(period[h])][m])
            if h < b - 1:  # the charge so far by this period's tiers, less what the next period's would count
                r1, u1, w1 = _integral(tiers[int(period[h + 1])][m])
                r0, u, w = r0 - r1, u + u1, w + [-x for x in w1]
            hours.append(h)
            months.append(m)
            linear.append(r0)
            knots.append(u)
            weights.append(w)
    k = max(1, max(len(u) for u in knots))
    knot = np.full((len(hours), k), np.inf)
    weight = np.zeros((len(hours), k))
    for e, (u, w) in enumerate(zip(knots, weights)):
        knot[e, :len(u)], weight[e, :len(w)] = u, w
    months_arr, hours_arr = np.array(months), np.array(hours)
    one_tier = all(t.upper.size == 1 for by_month in tiers for t in by_month)
    hour_month = np.repeat(np.arange(12), np.diff(starts))
    rate = np.array([[t.buy[0] for t in by_month] for by_month in tiers])[period, hour_month] if one_tier else None
    plan = _TierPlan(hours_arr, months_arr, np.searchsorted(months_arr, np.arange(12)), np.array(linear),
                     knot, weight, rate, np.concatenate(([0], hours_arr[:-1] + 1)))
    if len(_PLANS) >= 48:
        _PLANS.pop(next(iter(_PLANS)))
    _PLANS[key] = (period, tiers, plan, starts)
    return plan


def _tiered_month_usd(quantity: np.ndarray, period: np.ndarray, tiers: tuple,
                      starts: np.ndarray = MONTH_START) -> np.ndarray:
    """Each month's energy charge [$] for hourly ``quantity`` (kWh, may be negative; (homes, 8,760)) filled through
    the month's tiers in time order: an hour's kWh fall in the tiers that the month's cumulative use passes through
    during it, at the rates of the hour's period (cumulative use below zero, a month netting negative, at the first
    tier's rate).

    An hour's charge is G(c) - G(c - q), G being the integral of its period's rates over the month's cumulative use
    c; summed over a month this telescopes, so only the hours after which the period changes and the month's last
    hour are evaluated: month charge = G_last(c_end) + the sum over changes of (G_before(c) - G_after(c))."""
    plan = _tier_plan(period, tiers, starts)
    q = np.atleast_2d(quantity)
    if plan.rate is not None:  # one tier: each hour's kWh at its rate
        out = np.add.reduceat(q * plan.rate, starts[:-1], axis=1)
        return out if np.ndim(quantity) == 2 else out[0]
    # the month's cumulative use at each event hour: the use between events, added up within each month (every
    # month ends on an event)
    c = np.cumsum(np.add.reduceat(q, plan.starts, axis=1), axis=1)
    ends = plan.month_first[1:] - 1  # the last event of each month but December
    c -= np.concatenate((np.zeros((q.shape[0], 1)), c[:, ends]), axis=1)[:, plan.month]
    charge = c * plan.linear
    for j in range(plan.knot.shape[1]):
        charge += np.maximum(c - plan.knot[:, j], 0.0) * plan.weight[:, j]
    out = np.add.reduceat(charge, plan.month_first, axis=1)
    return out if np.ndim(quantity) == 2 else out[0]


def first_tier_price_usd_per_kwh(tariff: ElectricTariff) -> np.ndarray:
    """Each hour's first-tier price [$/kWh] (the real-time price where the rate has those): what a dispatch rule
    such as a dual-fuel switchover weighs; bills are computed in full by :func:`electric_bill`."""
    if tariff.realtime_usd_per_kwh is not None:
        return np.asarray(tariff.realtime_usd_per_kwh, dtype=float)
    first = np.array([t[0].buy[0] for t in tariff.energy_tiers])
    return first[tariff.energy_period]


def adjusted_tariff(tariff: ElectricTariff, adjustment_usd_per_kwh: float) -> ElectricTariff:
    """The rate with ``adjustment_usd_per_kwh`` added to every energy charge (each tier's buy rate, or each hour's
    real-time price), as a URDB rate's own ``adj`` is; sell rates, fixed, minimum and demand charges unchanged."""
    if not adjustment_usd_per_kwh:
        return tariff
    if tariff.realtime_usd_per_kwh is not None:
        return tariff._replace(realtime_usd_per_kwh=np.asarray(tariff.realtime_usd_per_kwh) + adjustment_usd_per_kwh)
    tiers = tuple(tuple(Tiers(m.upper, m.buy + adjustment_usd_per_kwh, m.sell) for m in period)
                  for period in tariff.energy_tiers)
    return tariff._replace(energy_tiers=tiers)


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


class SolarBills(NamedTuple):
    """Year totals for homes with solar, one value per home."""

    with_solar_usd: np.ndarray  # the bill under the export rule
    without_solar_usd: np.ndarray  # the same use without the panels
    self_only_usd: np.ndarray  # the bill with only the solar used at home taken off the use (exports earn nothing)
    self_consumed_kwh: np.ndarray  # solar used in the hour it is made
    exported_kwh: np.ndarray


def solar_bills_usd(tariff: ElectricTariff, use_kwh: np.ndarray, solar_kwh: np.ndarray,
                    rule: str | None = None, lit: np.ndarray | None = None,
                    solar_year_kwh: np.ndarray | None = None) -> SolarBills:
    """The bills a home with solar is compared by, for (homes, 8,760) use and solar on one tariff: with the
    panels, without them, and with only the self-consumed solar (so the export credit is ``without - with -
    (without - self_only)``), and the kWh used at home and exported.  The use left after self-consumption is the
    hour's imports, max(use - solar, 0), shared with the bill under the export rule.  ``lit`` (the rows whose
    solar is not all zeros) and ``solar_year_kwh`` (each row's solar summed), when the caller has them from other
    bills of the same panels."""
    use = np.asarray(use_kwh, dtype=float)
    pv = np.asarray(solar_kwh, dtype=float)
    n = use.shape[0]
    out = SolarBills(*(np.empty(n) for _ in range(5)))
    lit_rows = pv.any(axis=1) if lit is None else np.asarray(lit, dtype=bool)
    year_kwh = pv.sum(axis=1) if solar_year_kwh is None else np.asarray(solar_year_kwh, dtype=float)

    def total(parts) -> np.ndarray:
        energy, demand, fixed, minimum, credit = parts
        return (energy + demand + fixed + credit + minimum).sum(axis=1)

    for a in range(0, n, BILL_ROWS):
        b = min(a + BILL_ROWS, n)
        u, p = use[a:b], pv[a:b]
        net = u - p
        imports = np.maximum(net, 0.0)
        lit_here = lit_rows[a:b]
        out.with_solar_usd[a:b] = total(_bill_parts(tariff, u, p, rule, imports, net, lit_here))
        # min(solar, use) = use - imports and max(solar - use, 0) = solar - min(solar, use), hour by hour: the
        # year's sums from the imports already made
        self_kwh = u.sum(axis=1) - imports.sum(axis=1)
        out.self_consumed_kwh[a:b] = self_kwh
        out.exported_kwh[a:b] = np.maximum(year_kwh[a:b] - self_kwh, 0.0)
        out.without_solar_usd[a:b] = out.self_only_usd[a:b] = out.with_solar_usd[a:b]  # homes without panels
        if lit_here.all():
            out.without_solar_usd[a:b] = total(_bill_parts(tariff, u, None, rule))
            out.self_only_usd[a:b] = total(_bill_parts(tariff, imports, None, rule, imports))
        elif lit_here.any():
            rows = a + np.flatnonzero(lit_here)
            out.without_solar_usd[rows] = total(_bill_parts(tariff, u[lit_here], None, rule))
            out.self_only_usd[rows] = total(_bill_parts(tariff, imports[lit_here], None, rule, imports[lit_here]))
    return out


#: Homes billed together in one set of array operations.
BILL_ROWS = 32


def _bill_parts(tariff: ElectricTariff, use: np.ndarray, pv: np.ndarray | None, rule: str | None,
                imports: np.ndarray | None = None, net: np.ndarray | None = None, lit: np.ndarray | None = None):
    """The bill's parts by month for (homes, 8,760) use and solar: energy, demand, fixed, minimum and credit
    charges, each (homes, 12) (fixed: (12,)).  A home whose solar row is all zeros is billed as without solar.
    ``imports``: max(use - solar, 0), ``net``: use - solar, and ``lit``: the rows whose solar is not all zeros,
    when the caller has them already.  Months are the meter's (clock time)."""
    n = use.shape[0]
    rule = rule or tariff.dg_rule or "net_metering"
    starts = month_starts(tariff)
    has_pv = np.zeros(n, dtype=bool) if pv is None else pv.any(axis=1) if lit is None else lit
    if not has_pv.any():
        pv = None
    month_sum = np.add.reduceat
    realtime = tariff.realtime_usd_per_kwh is not None
    metering = rule.startswith("net_metering") & has_pv
    # kWh banking (net metering's usual reading, as NREL SAM bills it): each month's net kWh by time-of-use period;
    # real-time prices have no periods, so their exports are banked in dollars at the hour's price
    in_kwh = rule in ("net_metering", "net_metering_monthly") and not realtime
    # what the energy charge is on: the net use under dollar-banked net metering, the imports otherwise (with no
    # exports every rule bills the same: the imports)
    if pv is None:
        imports = np.maximum(use, 0.0) if imports is None else imports
        billed = imports
    elif rule == "buy_all_sell_all":
        imports = use
        billed = imports
    else:
        net = use - pv if net is None else net
        imports = np.maximum(net, 0.0) if imports is None else imports
        dollars = metering & (not in_kwh)
        billed = net if dollars.all() else (np.where(dollars[:, None], net, imports) if dollars.any() else imports)
    if in_kwh and metering.all():
        energy = np.zeros((n, 12))  # every home's energy charge is the bank's (below)
    elif realtime:
        energy = month_sum(billed * tariff.realtime_usd_per_kwh, starts[:-1], axis=1)
    else:
        energy = _tiered_month_usd(billed, tariff.energy_period, tariff.energy_tiers, starts)
    credit = np.zeros((n, 12))
    if pv is not None and rule in ("net_billing_hourly", "net_billing_instantaneous", "buy_all_sell_all"):
        exports = pv if rule == "buy_all_sell_all" else np.maximum(pv - use, 0.0)
        sell = tariff.realtime_sell_usd_per_kwh if realtime else \
            _first_tier_sell(tariff.energy_period, tariff.energy_tiers)
        credit = -month_sum(exports * (sell if sell is not None else 0.0), starts[:-1], axis=1)
        credit[~has_pv] = 0.0
    # demand: each month's (and period's) highest hourly import [kW = kWh in an hour]
    demand = np.zeros((n, 12))
    if tariff.demand_period is not None or tariff.flat_demand_month_period is not None:
        demand_kw = imports
        for m in range(12):
            a, b = starts[m], starts[m + 1]
            if tariff.demand_period is not None:
                for p in np.unique(tariff.demand_period[a:b]):
                    sel = tariff.demand_period[a:b] == p
                    demand[:, m] += _demand_charge(demand_kw[:, a:b][:, sel].max(axis=1),
                                                   tariff.demand_tiers[int(p)])
            if tariff.flat_demand_month_period is not None:
                demand[:, m] += _demand_charge(demand_kw[:, a:b].max(axis=1),
                                               tariff.flat_demand_tiers[int(tariff.flat_demand_month_period[m])])
    if metering.any() and in_kwh:
        every = bool(metering.all())  # (no copies of the (homes x 8,760) net when every home is banked)
        rows = np.flatnonzero(metering)
        kwh_energy, kwh_credit = _kwh_banked(tariff, net if every else net[rows], starts,
                                             annual=rule == "net_metering")
        energy[rows], credit[rows] = kwh_energy, kwh_credit
    elif metering.any():
        # Dollar banking: a month whose energy charge nets below zero owes nothing for energy; its surplus (in
        # dollars at the retail rates its exports were credited at) is carried to later months' energy charges --
        # their demand and fixed charges too only where the rule says so (``_all``) -- and what is left at the end
        # of the year (each month, with monthly netting) is paid at the sell rate: the surplus's kWh (dollars / the
        # average retail rate) x the average sell rate.
        buy, sell_rate = _average_buy(tariff), _average_sell(tariff)
        to_sell = (sell_rate / buy) if buy > 0 else 0.0
        carry = np.zeros(n)
        annual = not rule.endswith("_monthly")
        all_charges = "_all" in rule
        fixed_usd = np.asarray(tariff.fixed_usd_per_month, dtype=float)
        for m in range(12):
            negative = metering & (energy[:, m] < 0.0)
            surplus = np.where(negative, -energy[:, m], 0.0)
            energy[:, m] = np.where(negative, 0.0, energy[:, m])
            if annual:
                carry += surplus
                owed = energy[:, m] + (demand[:, m] + fixed_usd[m] if all_charges else 0.0)
                used = np.where(carry > 0.0, np.minimum(carry, owed), 0.0)
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


#: Weekday clock hours whose periods pair a month's periods with the next month's for carried kWh (midnight, 6 am,
#: noon, 6 pm), as NREL SAM's utility rate model pairs them.
ROLLOVER_HOURS = (0, 5, 11, 17)


@lru_cache(maxsize=64)
def _rollover_periods(year: int, daylight_saving: bool, period_key: bytes) -> tuple:
    """Per month, the energy periods at :data:`ROLLOVER_HOURS` of its weekdays (clock time): kWh banked in period
    ``p`` of one month are used in the next month's period that holds the same place in this list (the first place
    ``p`` has)."""
    period = np.frombuffer(period_key, dtype=np.int64)
    hod, month, weekend = clock_calendar(year, daylight_saving)
    out = []
    for m in range(12):
        at = []
        for h in ROLLOVER_HOURS:
            hit = np.flatnonzero((month == m) & ~weekend & (hod == h))
            at.append(int(period[hit[0]]) if hit.size else -1)
        out.append(tuple(at))
    return tuple(out)


_GROUPS: dict = {}


def _period_runs(period: np.ndarray, starts: np.ndarray, periods: int):
    """The runs of consecutive hours in one period and one month (where each begins) and a matrix adding each run
    to its (month, period) group, index month x periods + period: one pass over the hours and a small product give
    every month's kWh in every period."""
    key = (id(period), id(starts))
    hit = _GROUPS.get(key)
    if hit is not None and hit[0] is period and hit[1] is starts:
        return hit[2]
    month = np.repeat(np.arange(12), np.diff(starts))
    group = month * periods + np.asarray(period, dtype=np.int64)
    run_starts = np.flatnonzero(np.concatenate(([True], group[1:] != group[:-1])))
    to_group = np.zeros((run_starts.size, 12 * periods))
    to_group[np.arange(run_starts.size), group[run_starts]] = 1.0
    out = (run_starts, to_group)
    if len(_GROUPS) >= 48:
        _GROUPS.pop(next(iter(_GROUPS)))
    _GROUPS[key] = (period, starts, out)
    return out


def _kwh_banked(tariff: ElectricTariff, net_use: np.ndarray, starts: np.ndarray, annual: bool):
    """Net metering with kWh banking, for (homes, 8,760) net use (use less solar), as NREL SAM's utility rate model
    bills it
    (``ur_metering_option`` 0, true-up in December): each month, each time-of-use period's net kWh (use less
    solar, over the month's hours in that period) plus the kWh banked in the previous month's matching period; a
    period that nets to use is billed through the tiers (the month's total use spread over the periods' tiers in
    proportion to each period's use), a period that nets to surplus banks it for the next month.  Banked kWh never
    pay demand or fixed charges.  At the true-up (December; ``annual=False``: every month) the surplus kWh left,
    counted on the month's total net as the banked kWh run down, are paid at the sell rate.

    Returns (energy, credit) by month, each (homes, 12)."""
    n = net_use.shape[0]
    periods = len(tariff.energy_tiers)
    run_starts, to_group = _period_runs(tariff.energy_period, starts, periods)
    # each month's net kWh in each period (surplus positive, as the bank counts): the sums over the runs of hours
    # in one period, added up by group
    by_period = -(np.add.reduceat(net_use, run_starts, axis=1) @ to_group).reshape(n, 12, periods)
    moves, lower, upper, price = _bank_plan(tariff, periods)
    credit = np.zeros((n, 12))
    banked = np.zeros((n, periods))
    used = np.zeros((n, 12, periods))
    monthly_net = by_period.sum(axis=2)
    sell = _average_sell(tariff)
    for m in range(12):
        current = by_period[:, m, :]
        if m > 0 and annual:  # the previous month's surplus, period by matching period
            current = current + banked @ moves[m]
        banked = np.maximum(current, 0.0)
        used[:, m, :] = np.maximum(-current, 0.0)
        if not annual:
            credit[:, m] -= banked.sum(axis=1) * sell
    # each month's use through the tiers: the month's total over each period's tiers, shared in proportion to the
    # period's use ((homes, months, periods, tiers) at once)
    total = used.sum(axis=2)
    share = np.divide(used, total[:, :, None], out=np.zeros_like(used), where=total[:, :, None] > 0)
    filled = np.maximum(0.0, np.minimum(total[:, :, None, None], upper) - lower)
    energy = np.einsum("nmp,nmpt,mpt->nm", share, filled, price)
    if annual:  # the true-up: the monthly net accumulated, never below zero, paid in December
        bank_total = np.zeros(n)
        for m in range(12):
            bank_total = np.maximum(bank_total + monthly_net[:, m], 0.0)
        credit[:, 11] -= bank_total * sell
    return energy, credit


_BANK_PLANS: dict = {}


def _bank_plan(tariff: ElectricTariff, periods: int):
    """Per tariff: for each month, the matrix moving the previous month's banked kWh from each period to the
    period that holds its place at :data:`ROLLOVER_HOURS`; and the tiers as (months, periods, tiers) arrays of lower
    and upper bounds and prices (padded with empty tiers)."""
    key = (id(tariff.energy_period), id(tariff.energy_tiers))
    hit = _BANK_PLANS.get(key)
    if hit is not None and hit[0] is tariff.energy_period and hit[1] is tariff.energy_tiers:
        return hit[2]
    pairs = _rollover_periods(int(tariff.year), bool(tariff.daylight_saving),
                              np.ascontiguousarray(tariff.energy_period, dtype=np.int64).tobytes())
    moves = np.zeros((12, periods, periods))
    for m in range(1, 12):
        before, now = pairs[m - 1], pairs[m]
        for p in range(periods):
            if p in before and now[before.index(p)] >= 0:
                moves[m, p, now[before.index(p)]] = 1.0
    tiers = max(t.upper.size for by_month in tariff.energy_tiers for t in by_month)
    upper = np.zeros((12, periods, tiers))
    lower = np.zeros((12, periods, tiers))
    price = np.zeros((12, periods, tiers))
    for p in range(periods):
        for m in range(12):
            t = tariff.energy_tiers[p][m]
            k = t.upper.size
            upper[m, p, :k] = t.upper
            lower[m, p, 1:k] = t.upper[:-1]
            price[m, p, :k] = t.buy
    out = (moves, lower, upper, price)
    if len(_BANK_PLANS) >= 48:
        _BANK_PLANS.pop(next(iter(_BANK_PLANS)))
    _BANK_PLANS[key] = (tariff.energy_period, tariff.energy_tiers, out)
    return out


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


def gas_months_usd(therm, blocks: GasBlocks | None, price_usd_per_therm) -> np.ndarray:
    """Each month's gas energy charge, for an array of months (any shape: homes x months): its therms through the
    blocks (or at one price)."""
    therm = np.asarray(therm, dtype=float)
    if blocks is None:
        return therm * price_usd_per_therm
    total, lo = np.zeros_like(therm), 0.0
    for hi, price in zip(blocks.upper, blocks.price):
        total = total + np.maximum(0.0, np.minimum(therm, hi) - lo) * price
        lo = hi
    return total


def gas_bill_usd(monthly_therm: np.ndarray, blocks: GasBlocks | None, price_usd_per_therm: float,
                 fixed_usd_per_month: float) -> float:
    """A year's gas bill: each month's therms through the blocks (or at one price), plus the fixed charge."""
    return 12.0 * fixed_usd_per_month + float(np.sum(gas_months_usd(monthly_therm, blocks, price_usd_per_therm)))
