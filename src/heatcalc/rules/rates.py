"""A home's URDB rate and rooftop solar, as both roads resolve them (docs/resolver.md): where a rate file is, which
calendar year and clock its schedules are read in, how an array is described to PVWatts, and when its exports earn
nothing.  Reading a rate (:func:`heatcalc.home._read_tariff`, memoised per file, name, year and clock) and an
array's year (:func:`heatcalc.home.solar_per_kw`, through the per-user cache) are per rate and per array by nature,
shared by every home that names the same."""

from __future__ import annotations

from pathlib import Path


def rate_path(urdb: str, folder: Path | None) -> Path:
    """A rate file named by ``tariff.urdb``: as given when absolute, else relative to the profile's folder (a
    table's rows: the table's)."""
    path = Path(urdb).expanduser()
    if not path.is_absolute() and folder is not None:
        path = folder / path
    return path


def whole_year(year: float) -> int | None:
    """The calendar year a rate's schedules are laid on, or None when it is not a whole one."""
    return int(year) if float(year) == int(year) else None


def daylight_saving(state: str | None) -> bool:
    """Whether the home's clock moves in summer (a rate's hours are local clock time): not in Arizona or Hawaii."""
    from ..money import NO_DST_STATES

    return (state or "") not in NO_DST_STATES


def array_parameters(given: dict) -> dict:
    """An array's PVWatts parameters (:data:`heatcalc.model.pv.ARRAY_FIELDS`) from the ``solar.*`` values given
    (None where not): each field's declared default, a one-axis tracker's axis flat unless tilted, and a fixed roof
    mount's ground coverage ratio the default (it has no rows to shade)."""
    from ..model.pv import ARRAY_FIELDS
    from ..profile import field_spec

    out = {f: given.get(f) if given.get(f) is not None else field_spec(f"solar.{f}").default for f in ARRAY_FIELDS}
    if given.get("tilt") is None and out["array"] == "one_axis":
        out["tilt"] = None
    return out


def exports_unpaid(rule: str, export_rate: float | None, urdb) -> bool:
    """Whether an array's exports earn nothing: billed net (or bought all and sold all) with no export rate given
    and a rate without sell prices (or none at all)."""
    if not (rule.startswith("net_billing") or rule == "buy_all_sell_all") or export_rate is not None:
        return False
    return urdb is None or urdb.realtime_usd_per_kwh is not None or not any(t[0].sell.any() for t in
                                                                            urdb.energy_tiers)


#: What a home whose array's exports earn nothing (:func:`exports_unpaid`) is told.
UNPAID_EXPORTS = ("solar.export_rate", "exports earn nothing: the rate gives no sell price; give solar.export_rate "
                                       "($/kWh) if your utility pays for them")


def adjusted_rate(tariff, adjustment: float | None, base: str = "tariff"):
    """(a URDB rate with ``adjustment`` $/kWh added to every energy charge, the problem as (field, message) when that
    turns a charge into a payment)."""
    if not adjustment:
        return tariff, None
    from ..bills import adjusted_tariff

    tariff = adjusted_tariff(tariff, adjustment)
    lowest = min((float(m.buy.min()) for period in tariff.energy_tiers for m in period), default=0.0)
    if tariff.realtime_usd_per_kwh is None and lowest < 0:
        return None, (f"{base}.adjustment", f"makes an energy charge of the rate negative (${lowest:.3f}/kWh); an "
                                            "adjustment shifts the rate's prices, it may not turn them into payments")
    return tariff, None


def period_prices(periods: list, daylight_saving: bool, adjustment: float = 0.0):
    """(each hour's price [$/kWh] under hand-written time-of-use periods (``tariff.electricity``, in local clock
    time), shifted by ``adjustment``; the problem as (field, message) when that makes a price negative)."""
    import numpy as np

    from ..money import hourly_price_usd_per_kwh

    price = hourly_price_usd_per_kwh([p.to_data() for p in periods], daylight_saving=daylight_saving)
    if adjustment:
        price = price + adjustment
        if price.min() < 0:
            return price, ("tariff.adjustment", f"makes a period's price negative (${price.min():.3f}/kWh); an "
                                                "adjustment shifts the prices, it may not turn them into payments")
    return np.asarray(price, dtype=float), None
