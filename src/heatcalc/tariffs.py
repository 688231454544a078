"""Utility rates as the OpenEI Utility Rate Database (URDB) publishes them, read into a :class:`bills.ElectricTariff`.

A rate file is JSON as users download it: ``{"items": [rate, ...]}``, a list of rates, or one rate.  Every field
of a residential rate that changes the bill is read: fixed charges ($/month, $/day, $/year, and the older
``fixedmonthlycharge``), the energy rate structure (periods x tiers with ``max``, ``rate``, ``adj``, ``sell``; tier
bounds in kWh per month or kWh per day), its 12 x 24 weekday and weekend schedules, minimum charges (monthly,
daily, annual), time-of-use and flat monthly demand charges (kW), real-time prices (8,760 values) and the
distributed-generation rule (``dgrules``, ``usenetmetering``).  A field that would change the bill and is not
modelled (coincident demand, demand ratchets, reactive power, look-back demand, demand windows under an hour,
tiers by kWh per kW) is an error that names it; fields that only describe the rate are listed as not used.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .bills import MONTH_DAYS, DG_RULES, ElectricTariff, Tiers, schedule_period
from .errors import DataError

MAX_BYTES = 20 * 1024 * 1024

#: Fields that describe a rate without changing its bill.
DESCRIPTIVE = frozenset({
    "label", "uri", "utility", "eiaid", "name", "sector", "description", "source", "sourceparent",
    "basicinformationcomments", "startdate", "enddate", "supercedes", "approved", "is_default", "country",
    "servicetype", "peakkwcapacitymin", "peakkwcapacitymax", "peakkwcapacityhistory", "peakkwhusagemin",
    "peakkwhusagemax", "peakkwhusagehistory", "voltageminimum", "voltagemaximum", "voltagecategory",
    "phasewiring", "energycomments", "demandcomments", "revisions", "latest_update", "energyattrs", "demandattrs",
    "fixedattrs", "fixedkeyvals", "energykeyvals", "demandkeyvals", "type", "ratetype", "fueladjustmentsmonthly",
    "demandunits", "fixedchargeeaaddl", "utility_id", "rate_name", "approved_date",
})
SUPPORTED = frozenset({
    "fixedchargefirstmeter", "fixedchargeunits", "fixedmonthlycharge", "mincharge", "minchargeunits",
    "minmonthlycharge", "annualmincharge", "energyratestructure", "energyweekdayschedule", "energyweekendschedule",
    "demandratestructure", "demandweekdayschedule", "demandweekendschedule", "demandrateunit",
    "flatdemandstructure", "flatdemandmonths", "flatdemandunit", "realtimepricing", "dgrules", "usenetmetering",
    "demandwindow",
})
#: Fields that change a bill and are not modelled: present with a value that matters, they are refused.
UNSUPPORTED = {
    "coincidentratestructure": "coincident demand charges", "coincidentrateschedule": "coincident demand charges",
    "coincidentrateunit": "coincident demand charges", "demandratchetpercentage": "demand ratchets",
    "demandreactivepowercharge": "reactive power charges", "lookbackpercent": "look-back demand",
    "lookbackrange": "look-back demand", "lookbackmonths": "look-back demand",
}
DG_RULE_NAMES = {"net metering": "net_metering", "net billing instantaneous": "net_billing_instantaneous",
                 "net billing hourly": "net_billing_hourly", "buy all sell all": "buy_all_sell_all"}


class TariffError(DataError):
    """A rate file that cannot be used, naming the file and the field."""


def read_urdb(path: str | Path, name: str | None = None) -> tuple[dict, str]:
    """The rate (a dict of URDB fields) from a URDB JSON file, and how it was chosen; ``name`` picks one of
    several by its ``name`` or ``label``."""
    from .fileio import InputError, read_limited

    source = str(path)
    try:
        raw = read_limited(path, MAX_BYTES, "rate file")
    except InputError as exc:
        raise TariffError(str(exc)) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise TariffError(f"{source}: is not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise TariffError(f"{source}: is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); download the "
                          "rate from the URDB as JSON") from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        items = data["items"]
    elif isinstance(data, list):
        items = data
    elif isinstance(data, dict):
        items = [data]
    else:
        raise TariffError(f"{source}: is not a URDB rate (an object with `items`, a list of rates, or one rate)")
    rates = [r for r in items if isinstance(r, dict)]
    if not rates or len(rates) != len(items):
        raise TariffError(f"{source}: is not a URDB rate: its items must be rate objects")
    if not any(k in r for r in rates for k in ("energyratestructure", "realtimepricing", "fixedchargefirstmeter",
                                               "fixedmonthlycharge", "demandratestructure", "flatdemandstructure")):
        raise TariffError(f"{source}: is not a URDB rate: no energy, demand or fixed charges in it (fields such as "
                          "energyratestructure)")
    if name is not None:
        chosen = [r for r in rates if name in (r.get("name"), r.get("label"))]
        if not chosen:
            names = ", ".join(repr(str(r.get("name", r.get("label", "?")))) for r in rates[:10])
            raise TariffError(f"{source}: tariff.name {name!r} is not among its rates ({names})")
        return chosen[0], f"the rate named {name!r}"
    if len(rates) > 1:
        names = ", ".join(repr(str(r.get("name", r.get("label", "?")))) for r in rates[:10])
        raise TariffError(f"{source}: holds {len(rates)} rates ({names}); pick one with tariff.name")
    return rates[0], "its one rate"


def _number(source: str, where: str, value, minimum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise TariffError(f"{source}: {where} must be a number (got {value!r})") from None
    value = float(value)
    if not np.isfinite(value) or (minimum is not None and value < minimum):
        least = "" if minimum is None else f" of at least {minimum:g}"
        raise TariffError(f"{source}: {where} must be a finite number{least} (got {value!r})")
    return value


def _schedule(source: str, field: str, value, periods: int) -> np.ndarray:
    arr = None
    if isinstance(value, list) and len(value) == 12 and all(isinstance(r, list) and len(r) == 24 for r in value):
        try:
            arr = np.array(value, dtype=float)
        except (TypeError, ValueError):
            arr = None
    if arr is None:
        raise TariffError(f"{source}: {field} must be 12 months x 24 hours of period numbers")
    if not np.all(arr == np.round(arr)) or arr.min() < 0 or arr.max() >= periods:
        raise TariffError(f"{source}: {field} names period {int(arr.max())}, but the rate structure has "
                          f"{periods} period(s) (numbered from 0)")
    return arr.astype(np.int64)


def _tiers(source: str, field: str, structure, units: tuple[str, ...], days_scaled: bool) -> tuple:
    """Each period's tiers as month-scaled cumulative bounds; returns (tuple of Tiers per month) when a daily
    unit makes bounds depend on the month, else a plain tuple of Tiers."""
    if not isinstance(structure, list) or not structure:
        raise TariffError(f"{source}: {field} must be a list of periods, each a list of tiers")
    out, daily_any = [], False
    for p, period in enumerate(structure):
        if not isinstance(period, list) or not period:
            raise TariffError(f"{source}: {field}[{p}] must be a list of tiers")
        upper, buy, sell = [], [], []
        for k, tier in enumerate(period):
            where = f"{field}[{p}][{k}]"
            if not isinstance(tier, dict):
                raise TariffError(f"{source}: {where} must be an object with a rate")
            if "rate" not in tier:
                raise TariffError(f"{source}: {where} has no rate; every tier needs one ($ per kWh or kW)")
            rate = _number(source, f"{where}.rate", tier["rate"]) + _number(source, f"{where}.adj",
                                                                              tier.get("adj", 0.0))
            unit = str(tier.get("unit", units[0]))
            if unit not in units:
                raise TariffError(f"{source}: {where}.unit {unit!r} is not modelled (heatcalc takes "
                                  f"{' or '.join(units)}); tiers by kWh per kW depend on demand")
            daily_any |= unit.endswith("daily")
            bound = tier.get("max")
            upper.append(np.inf if bound is None else _number(source, f"{where}.max", bound, 0.0))
            buy.append(rate)
            sell.append(_number(source, f"{where}.sell", tier.get("sell", 0.0)))
            if k == len(period) - 1:
                upper[-1] = np.inf  # the last tier has no top, whatever its max says
        if any(b <= a for a, b in zip(upper, upper[1:])):
            raise TariffError(f"{source}: {field}[{p}]: tier maxima must rise from tier to tier")
        out.append((np.array(upper), np.array(buy), np.array(sell), daily_any))
    return tuple(Tiers(u, b, s) for u, b, s, _ in out), daily_any


def tariff_from_urdb(rate: dict, source: str, year: int = 2023, daylight_saving: bool = True,
                     notes: list | None = None) -> ElectricTariff:
    """An :class:`ElectricTariff` from one URDB rate; :class:`TariffError` names any field that cannot be used."""
    notes = notes if notes is not None else []
    unknown = sorted(k for k in rate if k not in DESCRIPTIVE and k not in SUPPORTED and k not in UNSUPPORTED)
    if unknown:
        raise TariffError(f"{source}: {', '.join(unknown)}: not a URDB field heatcalc knows, so it cannot tell "
                          "whether it changes the bill; remove it if it does not")
    for key, what in UNSUPPORTED.items():
        value = rate.get(key)
        if value in (None, "", [], 0, 0.0) or (isinstance(value, list) and not any(value)):
            continue
        raise TariffError(f"{source}: {key}: {what} are not modelled, so this rate's bill cannot be computed; "
                          "remove the field only if it does not apply to a home")
    used = [k for k in rate if k in DESCRIPTIVE and k not in ("name", "label", "utility", "sector")]
    if used:
        notes.append("descriptive fields not used: " + ", ".join(sorted(used)[:12]))
    # fixed charges
    fixed = np.zeros(12)
    first = rate.get("fixedchargefirstmeter")
    if first not in (None, ""):
        amount = _number(source, "fixedchargefirstmeter", first, 0.0)
        units = rate.get("fixedchargeunits", "$/month")
        if units == "$/month":
            fixed += amount
        elif units == "$/day":
            fixed += amount * MONTH_DAYS
        elif units == "$/year":
            fixed += amount / 12.0
        else:
            raise TariffError(f"{source}: fixedchargeunits {units!r} must be $/month, $/day or $/year")
    if rate.get("fixedmonthlycharge") not in (None, ""):
        fixed += _number(source, "fixedmonthlycharge", rate["fixedmonthlycharge"], 0.0)
    # minimum charges
    min_usd, min_per = 0.0, None
    if rate.get("mincharge") not in (None, ""):
        amount = _number(source, "mincharge", rate["mincharge"], 0.0)
        units = rate.get("minchargeunits", "$/month")
        if units == "$/month":
            min_usd, min_per = amount, "month"
        elif units == "$/day":
            min_usd, min_per = amount * 365.0 / 12.0, "month"
            notes.append(f"minimum charge ${amount:g}/day taken as ${min_usd:.2f} a month")
        elif units == "$/year":
            min_usd, min_per = amount, "year"
        else:
            raise TariffError(f"{source}: minchargeunits {units!r} must be $/month, $/day or $/year")
    elif rate.get("minmonthlycharge") not in (None, ""):
        min_usd, min_per = _number(source, "minmonthlycharge", rate["minmonthlycharge"], 0.0), "month"
    elif rate.get("annualmincharge") not in (None, ""):
        min_usd, min_per = _number(source, "annualmincharge", rate["annualmincharge"], 0.0), "year"
    # energy
    realtime = realtime_sell = None
    period = None
    energy_tiers: tuple = ()
    if rate.get("realtimepricing") is not None:
        prices = rate["realtimepricing"]
        if not isinstance(prices, list) or len(prices) not in (8760, 8784):
            raise TariffError(f"{source}: realtimepricing must be 8,760 hourly prices ($/kWh)")
        values = np.array([_number(source, f"realtimepricing[{i}]", v) for i, v in enumerate(prices)])
        if values.size == 8784:
            values = np.concatenate([values[:59 * 24], values[60 * 24:]])
            notes.append("realtimepricing: a leap year's 29 February left out")
        realtime = values
        realtime_sell = np.zeros(8760)
        if rate.get("energyratestructure") is not None:
            raise TariffError(f"{source}: gives both realtimepricing and energyratestructure; a rate prices energy "
                              "one way")
    elif rate.get("energyratestructure") is not None:
        energy_tiers, daily = _tiers(source, "energyratestructure", rate["energyratestructure"],
                                     ("kWh", "kWh daily"), True)
        n = len(energy_tiers)
        wd, we = rate.get("energyweekdayschedule"), rate.get("energyweekendschedule")
        if wd is None and we is None:
            if n != 1:
                raise TariffError(f"{source}: energyratestructure has {n} periods but no energyweekdayschedule "
                                  "or energyweekendschedule to say when each applies")
            wd = we = [[0] * 24 for _ in range(12)]
        wd = _schedule(source, "energyweekdayschedule", wd if wd is not None else we, n)
        we = _schedule(source, "energyweekendschedule", we if we is not None else wd, n)
        period = schedule_period(wd, we, year, daylight_saving)
        if daily:
            energy_tiers = tuple(_daily_tiers(t) for t in energy_tiers)
            notes.append("tier maxima in kWh daily: x the days of each month")
        else:
            energy_tiers = tuple(_monthly_tiers(t) for t in energy_tiers)
    else:
        raise TariffError(f"{source}: has no energyratestructure or realtimepricing: heatcalc needs the energy "
                          "prices")
    # demand
    demand_period = flat_month_period = None
    demand_tiers: tuple = ()
    flat_tiers: tuple = ()
    has_demand = rate.get("demandratestructure") is not None or rate.get("flatdemandstructure") is not None
    if has_demand:
        window = rate.get("demandwindow")
        if window not in (None, "") and _number(source, "demandwindow", window, 0.0) < 60.0:
            raise TariffError(f"{source}: demandwindow {window} minutes: heatcalc knows each hour's mean demand, not "
                              "peaks within the hour, so a demand measured over less than 60 minutes is not modelled")
        for key in ("demandrateunit", "flatdemandunit"):
            if rate.get(key) not in (None, "", "kW"):
                raise TariffError(f"{source}: {key} {rate[key]!r}: only kW demand charges are modelled")
    if rate.get("demandratestructure") is not None:
        demand_tiers, _ = _tiers(source, "demandratestructure", rate["demandratestructure"], ("kW",), False)
        n = len(demand_tiers)
        wd, we = rate.get("demandweekdayschedule"), rate.get("demandweekendschedule")
        if wd is None and we is None:
            if n != 1:
                raise TariffError(f"{source}: demandratestructure has {n} periods but no demand schedules")
            wd = we = [[0] * 24 for _ in range(12)]
        wd = _schedule(source, "demandweekdayschedule", wd if wd is not None else we, n)
        we = _schedule(source, "demandweekendschedule", we if we is not None else wd, n)
        demand_period = schedule_period(wd, we, year, daylight_saving)
        demand_tiers = tuple(Tiers(t.upper, t.buy, t.sell) for t in demand_tiers)
    if rate.get("flatdemandstructure") is not None:
        flat_tiers, _ = _tiers(source, "flatdemandstructure", rate["flatdemandstructure"], ("kW",), False)
        months = rate.get("flatdemandmonths", [0] * 12)
        if not isinstance(months, list) or len(months) != 12:
            raise TariffError(f"{source}: flatdemandmonths must be 12 period numbers, one per month")
        flat_month_period = np.array([int(_number(source, f"flatdemandmonths[{i}]", m, 0.0))
                                      for i, m in enumerate(months)])
        if flat_month_period.max() >= len(flat_tiers):
            raise TariffError(f"{source}: flatdemandmonths names a period flatdemandstructure does not have")
    # distributed generation
    dg = rate.get("dgrules")
    rule = None
    if dg not in (None, ""):
        rule = DG_RULE_NAMES.get(str(dg).strip().lower())
        if rule is None:
            raise TariffError(f"{source}: dgrules {dg!r} must be one of Net Metering, Net Billing Instantaneous, "
                              "Net Billing Hourly or Buy All Sell All")
    elif rate.get("usenetmetering") is True:
        rule = "net_metering"
    assert rule is None or rule in DG_RULES
    return ElectricTariff(str(rate.get("name") or rate.get("label") or "URDB rate"), fixed, period, energy_tiers,
                          realtime, realtime_sell, min_usd, min_per, demand_period, demand_tiers, flat_month_period,
                          flat_tiers, rule, year, daylight_saving)


def _monthly_tiers(t: Tiers) -> tuple:
    return tuple(t for _ in range(12))


def _daily_tiers(t: Tiers) -> tuple:
    return tuple(Tiers(t.upper * days, t.buy, t.sell) for days in MONTH_DAYS)
