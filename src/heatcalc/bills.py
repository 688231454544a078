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


#: Export rules whose exports are paid at the sell rate hour by hour (buy-all-sell-all: all the solar).
CREDITED_RULES = ("net_billing_hourly", "net_billing_instantaneous", "buy_all_sell_all")


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
    rate: np.ndarray | None  # each event's rate when every period has one tier (the charge is then linear)
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
    rate = np.array([[t.buy[0] for t in by_month] for by_month in tiers])[period[hours_arr], months_arr] \
        if one_tier else None
    event_starts = np.concatenate(([0], hours_arr[:-1] + 1))
    # the events close the runs of hours in one period and one month: the runs whose sums every bill is made of
    if not np.array_equal(event_starts, _period_runs(period, starts, len(tiers))[0]):
        raise AssertionError("a tariff's tier events and its runs of hours disagree")
    plan = _TierPlan(hours_arr, months_arr, np.searchsorted(months_arr, np.arange(12)), np.array(linear),
                     knot, weight, rate, event_starts)
    if len(_PLANS) >= 48:
        _PLANS.pop(next(iter(_PLANS)))
    _PLANS[key] = (period, tiers, plan, starts)
    return plan


def _tiered_month_usd(quantity: np.ndarray, period: np.ndarray, tiers: tuple,
                      starts: np.ndarray = MONTH_START) -> np.ndarray:
    """Each month's energy charge [$] for hourly ``quantity`` (kWh, may be negative; (homes, 8,760)) filled through
    the month's tiers in time order: an hour's kWh fall in the tiers that the month's cumulative use passes through
    during it, at the rates of the hour's period (cumulative use below zero, a month netting negative, at the first
    tier's rate).  See :func:`_tiered_from_sums`, which this is for the sums of the quantity's runs of hours."""
    plan = _tier_plan(period, tiers, starts)
    q = np.atleast_2d(quantity)
    out = _tiered_from_sums(np.add.reduceat(q, plan.starts, axis=1), period, tiers, starts)
    return out if np.ndim(quantity) == 2 else out[0]


def _tiered_from_sums(sums: np.ndarray, period: np.ndarray, tiers: tuple, starts: np.ndarray) -> np.ndarray:
    """Each month's tiered energy charge [$], (homes, 12), from the quantity's sums over the runs of hours in one
    period and one month ((homes, runs): :func:`run_sums`).

    An hour's charge is G(c) - G(c - q), G being the integral of its period's rates over the month's cumulative use
    c; summed over a month this telescopes, so only the hours after which the period changes and the month's last
    hour are evaluated -- the ends of the runs: month charge = G_last(c_end) + the sum over changes of
    (G_before(c) - G_after(c)).  The cumulative use at a run's end is the month's runs' sums so far."""
    plan = _tier_plan(period, tiers, starts)
    if plan.rate is not None:  # one tier: each run's kWh at its rate
        return np.add.reduceat(sums * plan.rate, plan.month_first, axis=1)
    # the month's cumulative use at each event hour: the runs' sums added up within each month (every month ends on
    # an event)
    c = np.cumsum(sums, axis=1)
    ends = plan.month_first[1:] - 1  # the last event of each month but December
    c -= np.concatenate((np.zeros((sums.shape[0], 1)), c[:, ends]), axis=1)[:, plan.month]
    charge = c * plan.linear
    for j in range(plan.knot.shape[1]):
        charge += np.maximum(c - plan.knot[:, j], 0.0) * plan.weight[:, j]
    return np.add.reduceat(charge, plan.month_first, axis=1)


def run_sums(tariff: ElectricTariff, hourly: np.ndarray) -> np.ndarray | None:
    """(homes, runs): an hourly quantity's sums over the tariff's runs of consecutive hours in one time-of-use period
    and one billing month -- all that a bill's energy charges and export credits depend on (rates change only
    between runs); None for real-time prices, which price every hour."""
    if tariff.realtime_usd_per_kwh is not None:
        return None
    return np.add.reduceat(hourly, run_starts(tariff), axis=1)


def run_starts(tariff: ElectricTariff) -> np.ndarray:
    """The first hour of each of the tariff's runs of consecutive hours in one time-of-use period and one billing
    month (:func:`run_sums`)."""
    return _period_runs(tariff.energy_period, month_starts(tariff), len(tariff.energy_tiers))[0]


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
                       rule: str | None = None, solar_sums: np.ndarray | None = None) -> np.ndarray:
    """:func:`electric_bill`'s year total for many homes on one tariff at once: ``use_kwh`` and ``solar_kwh`` are
    (homes, 8,760) arrays (a home without solar has a row of zeros); the same arithmetic, row by row, a few dozen
    homes at a time (their arrays stay in the processor's cache).  ``solar_sums``: :func:`run_sums` of the solar
    on this tariff, when the caller has them (the net use's are then the use's less these)."""
    use = np.asarray(use_kwh, dtype=float)
    pv = None if solar_kwh is None else np.asarray(solar_kwh, dtype=float)
    out = np.empty(use.shape[0])
    for a in range(0, use.shape[0], BILL_ROWS):
        u, p = use[a:a + BILL_ROWS], None if pv is None else pv[a:a + BILL_ROWS]
        if p is not None and solar_sums is not None and tariff.realtime_usd_per_kwh is None:
            parts = _with_solar(tariff, rule or tariff.dg_rule or "net_metering", u, p, p.any(axis=1),
                                solar_sums[a:a + BILL_ROWS])[0]
        else:
            parts = _bill_parts(tariff, u, p, rule)
        energy, demand, fixed, minimum, credit = parts
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
                    solar_year_kwh: np.ndarray | None = None, solar_sums: np.ndarray | None = None,
                    use_nonnegative: bool = False) -> SolarBills:
    """The bills a home with solar is compared by, for (homes, 8,760) use and solar on one tariff: with the
    panels, without them, and with only the self-consumed solar (so the export credit is ``without - with -
    (without - self_only)``), and the kWh used at home and exported.  The use left after self-consumption is the
    hour's imports, max(use - solar, 0), shared with the bill under the export rule.  ``lit`` (the rows whose
    solar is not all zeros), ``solar_year_kwh`` (each row's solar summed) and ``solar_sums`` (:func:`run_sums` of the
    solar on this tariff), when the caller has them from other bills of the same panels; ``use_nonnegative``: the
    caller knows no hour's use is below zero (a home's is not: its hours are read from its use by bin), which spares
    a pass over the hours to find out.

    The three bills are made of three hour-by-hour sums a run (:func:`run_sums`): of the use, of the solar and of
    the imports; the net use's are the use's less the solar's and the exports' the imports' less the net use's
    (max(solar - use, 0) = max(use - solar, 0) - (use - solar)).  The hourly imports themselves are kept only
    for demand charges."""
    use = np.asarray(use_kwh, dtype=float)
    pv = np.asarray(solar_kwh, dtype=float)
    n = use.shape[0]
    out = SolarBills(*(np.empty(n) for _ in range(5)))
    lit_rows = pv.any(axis=1) if lit is None else np.asarray(lit, dtype=bool)
    year_kwh = pv.sum(axis=1) if solar_year_kwh is None else np.asarray(solar_year_kwh, dtype=float)
    rule = rule or tariff.dg_rule or "net_metering"
    by_runs = tariff.realtime_usd_per_kwh is None
    demand = _has_demand(tariff)

    for a in range(0, n, BILL_ROWS):
        b = min(a + BILL_ROWS, n)
        u, p = use[a:b], pv[a:b]
        lit_here = lit_rows[a:b]
        imports = np.subtract(u, p)
        if not by_runs:
            net = imports.copy()
            np.maximum(imports, 0.0, out=imports)
            with_solar = _total(_bill_parts(tariff, u, p, rule, imports, net, lit_here))
            use_year, imports_year = u.sum(axis=1), imports.sum(axis=1)
            self_kwh = use_year - imports_year
            out.with_solar_usd[a:b], out.self_consumed_kwh[a:b] = with_solar, self_kwh
            out.exported_kwh[a:b] = np.maximum(year_kwh[a:b] - self_kwh, 0.0)
            out.without_solar_usd[a:b] = out.self_only_usd[a:b] = with_solar  # homes without panels
            if not lit_here.any():
                continue
            rows = slice(None) if lit_here.all() else np.flatnonzero(lit_here)
            at = slice(a, b) if lit_here.all() else a + rows
            out.without_solar_usd[at] = _total(_bill_parts(tariff, u[rows], None, rule))
            out.self_only_usd[at] = _total(_bill_parts(tariff, imports[rows], None, rule, imports[rows]))
            continue
        np.maximum(imports, 0.0, out=imports)
        use_s, imports_s = run_sums(tariff, u), run_sums(tariff, imports)
        pv_s = run_sums(tariff, p) if solar_sums is None else solar_sums[a:b]
        # the use with no panels is billed on its imports, max(use, 0): the use's own sums when it is never below
        # zero (a home's use is not, but a caller's array may be)
        billed, billed_s = u, None
        if lit_here.any() and not (use_nonnegative or u.min() >= 0.0):
            billed = np.maximum(u, 0.0)
            billed_s = run_sums(tariff, billed)
        peaks = ((u if rule == "buy_all_sell_all" else imports), billed, imports) if demand else None
        got = solar_bills_from_sums(tariff, rule, lit_here, use_s, imports_s, pv_s, year_kwh[a:b], billed_s, peaks)
        for column, values in zip(out, got):
            column[a:b] = values
    return out


def _total(parts) -> np.ndarray:
    """A bill's year total from its parts by month (:func:`_bill_parts`)."""
    energy, demand, fixed, minimum, credit = parts
    return (energy + demand + fixed + credit + minimum).sum(axis=1)


def solar_bills_from_sums(tariff: ElectricTariff, rule: str, lit: np.ndarray, use_s: np.ndarray,
                          imports_s: np.ndarray, solar_s: np.ndarray, solar_year_kwh: np.ndarray,
                          billed_s: np.ndarray | None = None, peaks: tuple | None = None) -> SolarBills:
    """:func:`solar_bills_usd` for a tariff with periods (not real-time prices), from the sums over its runs of hours
    (:func:`run_sums`, (homes, runs) each) of the use, of the imports (max(use - solar, 0)) and of the solar, which
    are all its three bills depend on: how the caller made them is its own (hour by hour, or the imports as the
    use less the self-consumed solar, min(use, solar), summed over the lit hours alone).  ``lit``: the rows whose
    solar is not all zeros; ``solar_year_kwh``: each row's solar summed; ``billed_s``: the sums of max(use, 0),
    when the use may be below zero (None: the use's own); ``peaks``: for a tariff with demand charges, the hourly
    (homes, 8,760) kWh each bill's demand is read from: (under the export rule: the imports, or the use under
    buy-all-sell-all; without the panels: max(use, 0); the self-consumed solar alone: the imports)."""
    n = use_s.shape[0]
    if peaks is None and _has_demand(tariff):
        raise ValueError("a tariff with demand charges needs the hourly peaks")
    with_peak, billed_peak, self_peak = peaks if peaks is not None else (None, None, None)
    with_solar = _total(_with_solar_parts(tariff, rule, lit, use_s, imports_s, solar_s, with_peak))
    # min(solar, use) = use - imports and max(solar - use, 0) = solar - min(solar, use), hour by hour: the year's
    # sums from the imports already made
    self_kwh = use_s.sum(axis=1) - imports_s.sum(axis=1)
    out = SolarBills(with_solar, with_solar.copy(), with_solar.copy(), self_kwh,
                     np.maximum(np.asarray(solar_year_kwh, dtype=float) - self_kwh, 0.0))
    if not lit.any():  # homes without panels: one bill
        return out
    rows = slice(None) if lit.all() else np.flatnonzero(lit)
    none = np.zeros(n if lit.all() else rows.size, dtype=bool)
    billed_s = use_s if billed_s is None else billed_s
    out.without_solar_usd[rows] = _total(_parts(tariff, rule, none, billed_s[rows], None, None,
                                                None if billed_peak is None else billed_peak[rows]))
    out.self_only_usd[rows] = _total(_parts(tariff, rule, none, imports_s[rows], None, None,
                                            None if self_peak is None else self_peak[rows]))
    return out


#: Homes billed together in one set of array operations.
BILL_ROWS = 32


def _with_solar(tariff: ElectricTariff, rule: str, use: np.ndarray, pv: np.ndarray, lit: np.ndarray,
                pv_sums: np.ndarray, imports: np.ndarray | None = None):
    """The bill's parts under the export rule for (homes, 8,760) use and solar on a tariff with periods, from the
    runs' sums of the use, the solar (``pv_sums``, given) and the imports; returns (parts, the use's sums, the
    imports' sums, the hourly imports).  ``imports``: an array to hold max(use - solar, 0) that already holds use -
    solar, when the caller made it."""
    if imports is None:
        imports = np.subtract(use, pv)
    np.maximum(imports, 0.0, out=imports)
    use_s, imports_s = run_sums(tariff, use), run_sums(tariff, imports)
    peak = (use if rule == "buy_all_sell_all" else imports) if _has_demand(tariff) else None
    parts = _with_solar_parts(tariff, rule, lit, use_s, imports_s, pv_sums, peak)
    return parts, use_s, imports_s, imports


def _with_solar_parts(tariff: ElectricTariff, rule: str, lit: np.ndarray, use_s: np.ndarray, imports_s: np.ndarray,
                      pv_s: np.ndarray, peak: np.ndarray | None):
    """The bill's parts under the export rule from the runs' sums of the use, the imports and the solar: the energy
    charge on the imports (on all the use when all is bought and all the solar sold), the net use's sums the use's
    less the solar's; ``peak``: the hourly kWh the demand charges read (None without them)."""
    billed = use_s if rule == "buy_all_sell_all" else imports_s
    return _parts(tariff, rule, lit, billed, use_s - pv_s, pv_s, peak)


def _has_demand(tariff: ElectricTariff) -> bool:
    return tariff.demand_period is not None or tariff.flat_demand_month_period is not None


def _bill_parts(tariff: ElectricTariff, use: np.ndarray, pv: np.ndarray | None, rule: str | None,
                imports: np.ndarray | None = None, net: np.ndarray | None = None, lit: np.ndarray | None = None):
    """The bill's parts by month for (homes, 8,760) use and solar: energy, demand, fixed, minimum and credit
    charges, each (homes, 12) (fixed: (12,)).  A home whose solar row is all zeros is billed as without solar.
    ``imports``: max(use - solar, 0), ``net``: use - solar, and ``lit``: the rows whose solar is not all zeros,
    when the caller has them already.  Months are the meter's (clock time)."""
    n = use.shape[0]
    rule = rule or tariff.dg_rule or "net_metering"
    has_pv = np.zeros(n, dtype=bool) if pv is None else pv.any(axis=1) if lit is None else lit
    if not has_pv.any():
        pv = None
    # what the energy charge is on: with no exports every rule bills the imports; all the use when all is bought
    if pv is None:
        imports = np.maximum(use, 0.0) if imports is None else imports
    elif rule == "buy_all_sell_all":
        imports = use
    else:
        net = use - pv if net is None else net
        imports = np.maximum(net, 0.0) if imports is None else imports
    if tariff.realtime_usd_per_kwh is not None:
        return _realtime_parts(tariff, rule, has_pv, imports, net, pv)
    net_s = None if pv is None else run_sums(tariff, net if rule != "buy_all_sell_all" else use - pv)
    pv_s = run_sums(tariff, pv) if pv is not None and rule == "buy_all_sell_all" else None
    return _parts(tariff, rule, has_pv, run_sums(tariff, imports), net_s, pv_s, imports)


def _parts(tariff: ElectricTariff, rule: str, has_pv: np.ndarray, imports_s: np.ndarray, net_s: np.ndarray | None,
           pv_s: np.ndarray | None, peak: np.ndarray | None):
    """:func:`_bill_parts` from the sums of the tariff's runs of hours (:func:`run_sums`; a tariff with periods,
    not real-time prices): ``imports_s`` of what the energy charge is on with no exports (max(use - solar, 0), or
    the use under buy-all-sell-all), ``net_s`` of use - solar and ``pv_s`` of the solar (None without panels), and
    ``peak``, the hourly imports the demand charges read (needed only when the tariff has them)."""
    n = imports_s.shape[0]
    starts = month_starts(tariff)
    if net_s is None or not has_pv.any():
        has_pv = np.zeros(n, dtype=bool)
    metering = rule.startswith("net_metering") & has_pv
    # kWh banking (net metering's usual reading, as NREL SAM bills it): each month's net kWh by time-of-use period
    in_kwh = rule in ("net_metering", "net_metering_monthly")
    # what the energy charge is on: the net use under dollar-banked net metering, the imports otherwise
    billed = imports_s
    if has_pv.any() and rule != "buy_all_sell_all":
        dollars = metering & (not in_kwh)
        billed = net_s if dollars.all() else (np.where(dollars[:, None], net_s, imports_s) if dollars.any()
                                              else imports_s)
    if in_kwh and metering.all():
        energy = np.zeros((n, 12))  # every home's energy charge is the bank's (below)
    else:
        energy = _tiered_from_sums(billed, tariff.energy_period, tariff.energy_tiers, starts)
    credit = np.zeros((n, 12))
    if has_pv.any() and rule in CREDITED_RULES:
        # each hour's export, max(solar - use, 0), is its imports less its net use
        exports = pv_s if rule == "buy_all_sell_all" else imports_s - net_s
        plan = _tier_plan(tariff.energy_period, tariff.energy_tiers, starts)
        sell = _first_tier_sell(tariff.energy_period, tariff.energy_tiers)[plan.hours]  # constant over a run
        credit = -np.add.reduceat(exports * sell, plan.month_first, axis=1)
        credit[~has_pv] = 0.0
    demand = _demand_usd(tariff, peak, n, starts)
    if metering.any() and in_kwh:
        every = bool(metering.all())  # (no copies of the net when every home is banked)
        rows = np.flatnonzero(metering)
        kwh_energy, kwh_credit = _kwh_banked(tariff, net_s if every else net_s[rows], starts,
                                             annual=rule == "net_metering")
        energy[rows], credit[rows] = kwh_energy, kwh_credit
    return _finish(tariff, rule, metering, in_kwh, energy, demand, credit)


def _realtime_parts(tariff: ElectricTariff, rule: str, has_pv: np.ndarray, imports: np.ndarray,
                    net: np.ndarray | None, pv: np.ndarray | None):
    """:func:`_bill_parts` for real-time prices, hour by hour: exports are banked in dollars at the hour's price
    (there are no periods to bank kWh in).  Each month's priced sums are made here, the bill from them by
    :func:`_realtime_from_sums`."""
    starts = month_starts(tariff)[:-1]
    metering = rule.startswith("net_metering") & has_pv

    def priced(x, price):
        return np.add.reduceat(x * price, starts, axis=1)

    net_usd = exports_usd = None
    if pv is not None and rule != "buy_all_sell_all" and metering.any():
        net_usd = priced(net, tariff.realtime_usd_per_kwh)
    imports_usd = None if net_usd is not None and metering.all() else priced(imports, tariff.realtime_usd_per_kwh)
    if pv is not None and rule in CREDITED_RULES:
        sell = tariff.realtime_sell_usd_per_kwh
        exports_usd = priced(pv if rule == "buy_all_sell_all" else np.maximum(-net, 0.0),
                             sell if sell is not None else 0.0)
    return _realtime_from_sums(tariff, rule, has_pv, imports_usd, net_usd, exports_usd, imports)


def _realtime_from_sums(tariff: ElectricTariff, rule: str, has_pv: np.ndarray, imports_usd: np.ndarray | None,
                        net_usd: np.ndarray | None, exports_usd: np.ndarray | None, peak: np.ndarray | None):
    """A real-time rate's bill parts from each month's sums, (homes, 12) each, of the imports (or, under
    buy-all-sell-all, the use) at the hour's price, of the net use at the hour's price (rows banked in dollars under
    net metering; None where none is), and of the exports (buy-all-sell-all: the solar) at the hour's sell price
    (None under net metering); ``peak``: the hourly imports the demand charges read (None without them)."""
    n = has_pv.shape[0]
    metering = rule.startswith("net_metering") & has_pv
    if net_usd is not None and metering.all():
        energy = np.array(net_usd, dtype=float)
    elif net_usd is not None and metering.any():
        energy = np.where(metering[:, None], net_usd, imports_usd)
    else:
        energy = np.array(imports_usd, dtype=float)
    credit = np.zeros((n, 12))
    if exports_usd is not None and has_pv.any():
        credit = -np.asarray(exports_usd, dtype=float)
        credit[~has_pv] = 0.0
    return _finish(tariff, rule, metering, False, energy, _demand_usd(tariff, peak, n, month_starts(tariff)),
                   credit)


def realtime_solar_bills_from_sums(tariff: ElectricTariff, rule: str, lit: np.ndarray, use_usd: np.ndarray,
                                   imports_usd: np.ndarray, solar_usd: np.ndarray, exports_sold_usd: np.ndarray,
                                   solar_sold_usd: np.ndarray, self_kwh: np.ndarray,
                                   solar_year_kwh: np.ndarray) -> SolarBills:
    """:func:`solar_bills_usd` for a real-time rate without demand charges, from each month's sums ((homes, 12)
    each) at the hour's price of the use (never below zero), the imports (max(use - solar, 0)) and the solar, and at
    the hour's sell price of the exports (max(solar - use, 0)) and the solar; ``self_kwh``: the year's
    self-consumed solar, min(use, solar), and ``solar_year_kwh`` its solar, per row.  The net use's sums are the
    use's less the solar's; what a caller sums how is its own (:func:`solar_bills_from_sums` for rates with
    periods)."""
    if _has_demand(tariff):
        raise ValueError("a tariff with demand charges needs the hourly peaks")
    n = use_usd.shape[0]
    solar = bool(lit.any())
    everything = rule == "buy_all_sell_all"
    with_solar = _total(_realtime_from_sums(
        tariff, rule, lit, use_usd if everything else imports_usd,
        use_usd - solar_usd if solar and not everything else None,
        (solar_sold_usd if everything else exports_sold_usd) if solar and rule in CREDITED_RULES else None, None))
    out = SolarBills(with_solar, with_solar.copy(), with_solar.copy(), np.asarray(self_kwh, dtype=float),
                     np.maximum(np.asarray(solar_year_kwh, dtype=float) - self_kwh, 0.0))
    if not solar:
        return out
    rows = slice(None) if lit.all() else np.flatnonzero(lit)
    none = np.zeros(n if lit.all() else rows.size, dtype=bool)
    out.without_solar_usd[rows] = _total(_realtime_from_sums(tariff, rule, none, use_usd[rows], None, None, None))
    out.self_only_usd[rows] = _total(_realtime_from_sums(tariff, rule, none, imports_usd[rows], None, None, None))
    return out


def _demand_usd(tariff: ElectricTariff, demand_kw: np.ndarray | None, n: int, starts: np.ndarray) -> np.ndarray:
    """(homes, 12): each month's (and period's) demand charges on its highest hourly import [kW = kWh in an
    hour]."""
    demand = np.zeros((n, 12))
    if not _has_demand(tariff):
        return demand
    for m in range(12):
        a, b = starts[m], starts[m + 1]
        if tariff.demand_period is not None:
            for p in np.unique(tariff.demand_period[a:b]):
                sel = tariff.demand_period[a:b] == p
                demand[:, m] += _demand_charge(demand_kw[:, a:b][:, sel].max(axis=1), tariff.demand_tiers[int(p)])
        if tariff.flat_demand_month_period is not None:
            demand[:, m] += _demand_charge(demand_kw[:, a:b].max(axis=1),
                                           tariff.flat_demand_tiers[int(tariff.flat_demand_month_period[m])])
    return demand


def _finish(tariff: ElectricTariff, rule: str, metering: np.ndarray, in_kwh: bool, energy: np.ndarray,
            demand: np.ndarray, credit: np.ndarray):
    """Dollar-banked net metering's carry-overs and the minimum charges, after the energy, demand and credit
    charges: the bill's parts (energy, demand, fixed, minimum, credit)."""
    n = energy.shape[0]
    if metering.any() and not in_kwh:
        # Dollar banking: a month whose energy charge nets below zero owes nothing for energy; its surplus (in
        # dollars at the retail rates its exports were credited at) is carried to later months' energy charges --
        # their demand and fixed charges too only where the rule says so (``_all``) -- and what is left at the end
        # of the year (each month, with monthly netting) is paid at the sell rate: the surplus's kWh (dollars / the
        # average retail rate) x the average sell rate.
        buy, sell_rate = _averages(tariff)
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


def _kwh_banked(tariff: ElectricTariff, net_sums: np.ndarray, starts: np.ndarray, annual: bool):
    """Net metering with kWh banking, for the net use's (use less solar) sums over the tariff's runs of hours
    ((homes, runs): :func:`run_sums`), as NREL SAM's utility rate model bills it
    (``ur_metering_option`` 0, true-up in December): each month, each time-of-use period's net kWh (use less
    solar, over the month's hours in that period) plus the kWh banked in the previous month's matching period; a
    period that nets to use is billed through the tiers (the month's total use spread over the periods' tiers in
    proportion to each period's use), a period that nets to surplus banks it for the next month.  Banked kWh never
    pay demand or fixed charges.  At the true-up (December; ``annual=False``: every month) the surplus kWh left,
    counted on the month's total net as the banked kWh run down, are paid at the sell rate.

    Returns (energy, credit) by month, each (homes, 12)."""
    n = net_sums.shape[0]
    periods = len(tariff.energy_tiers)
    _, to_group = _period_runs(tariff.energy_period, starts, periods)
    # each month's net kWh in each period (surplus positive, as the bank counts): the runs' sums added up by group
    by_period = -(net_sums @ to_group).reshape(n, 12, periods)
    moves, lower, upper, price, in_place = _bank_plan(tariff, periods)
    credit = np.zeros((n, 12))
    sell = _averages(tariff)[1]
    if not annual:  # each month's surplus paid at the sell rate; nothing carried
        used = np.maximum(-by_period, 0.0)
        credit -= np.maximum(by_period, 0.0).sum(axis=2) * sell
    elif in_place:
        # every period's surplus carried to the same period next month: each period's bank is the running sum of
        # its months' net kWh less the lowest that sum has been (never below zero; a Lindley recursion), so the
        # months need no loop
        banked = _carried(by_period)
        used = np.maximum(-by_period, 0.0)
        used[:, 1:] = np.maximum(-(by_period[:, 1:] + banked[:, :-1]), 0.0)
    else:
        banked = np.zeros((n, periods))
        used = np.zeros((n, 12, periods))
        for m in range(12):
            current = by_period[:, m, :]
            if m > 0:  # the previous month's surplus, period by matching period
                current = current + banked @ moves[m]
            banked = np.maximum(current, 0.0)
            used[:, m, :] = np.maximum(-current, 0.0)
    # each month's use through the tiers: the month's total over each period's tiers, shared in proportion to the
    # period's use ((homes, months, periods, tiers) at once)
    total = used.sum(axis=2)
    share = np.divide(used, total[:, :, None], out=np.zeros_like(used), where=total[:, :, None] > 0)
    filled = np.maximum(0.0, np.minimum(total[:, :, None, None], upper) - lower)
    energy = np.einsum("nmp,nmpt,mpt->nm", share, filled, price)
    if annual:  # the true-up: the monthly net accumulated, never below zero, paid in December
        credit[:, 11] -= _carried(by_period.sum(axis=2)[:, :, None])[:, 11, 0] * sell
    return energy, credit


def _carried(net: np.ndarray) -> np.ndarray:
    """(homes, 12, k): what a bank holds after each month, for (homes, 12, k) monthly surpluses (negative: use)
    carried from month to month and never below zero -- ``x[m] = max(x[m - 1] + net[m], 0)``, worked out as the
    running sum less its running minimum (zero included)."""
    running = np.cumsum(net, axis=1)
    return running - np.minimum(np.minimum.accumulate(running, axis=1), 0.0)


_BANK_PLANS: dict = {}


def _bank_plan(tariff: ElectricTariff, periods: int):
    """Per tariff: for each month, the matrix moving the previous month's banked kWh from each period to the
    period that holds its place at :data:`ROLLOVER_HOURS`; the tiers as (months, periods, tiers) arrays of lower
    and upper bounds and prices (padded with empty tiers); and whether every month's matrix keeps each period's
    kWh in that period."""
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
    in_place = all(np.array_equal(moves[m], np.eye(periods)) for m in range(1, 12))
    out = (moves, lower, upper, price, in_place)
    if len(_BANK_PLANS) >= 48:
        _BANK_PLANS.pop(next(iter(_BANK_PLANS)))
    _BANK_PLANS[key] = (tariff.energy_period, tariff.energy_tiers, out)
    return out


_AVERAGES: dict = {}


def _averages(tariff: ElectricTariff) -> tuple[float, float]:
    """The tariff's average buy and sell rates [$/kWh] (first tiers, or the real-time prices), worked out once a
    tariff."""
    parts = (tariff.realtime_usd_per_kwh, tariff.realtime_sell_usd_per_kwh, tariff.energy_tiers)
    key = tuple(id(x) for x in parts)
    hit = _AVERAGES.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], parts)):
        return hit[1]
    if tariff.realtime_usd_per_kwh is not None:
        buy = float(np.mean(tariff.realtime_usd_per_kwh))
    else:
        buy = float(np.mean([t[0].buy[0] for t in tariff.energy_tiers]))
    if tariff.realtime_sell_usd_per_kwh is not None:
        sell = float(np.mean(tariff.realtime_sell_usd_per_kwh))
    else:
        sell = float(np.mean([t[0].sell[0] for t in tariff.energy_tiers]))
    if len(_AVERAGES) >= 48:
        _AVERAGES.pop(next(iter(_AVERAGES)))
    _AVERAGES[key] = (parts, (buy, sell))
    return buy, sell


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
