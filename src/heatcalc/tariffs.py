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

from .bills import MONTH_DAYS, DG_RULES, ElectricTariff, Tiers, clock_hour_index, schedule_period
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
    # the current API's spelling of supercedes, and the time-of-use periods' names (labels only)
    "supersedes", "energytoulabels", "demandtoulabels",
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
    except RecursionError:
        raise TariffError(f"{source}: is nested too deeply to be a URDB rate; download the rate from the URDB as "
                          "JSON") from None
    except ValueError as exc:  # an integer literal of thousands of digits
        raise TariffError(f"{source}: is not a URDB rate ({exc})") from None
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
    rates = [canonical_fields(r, source) for r in rates]  # the website export's camelCase names as the API's
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


#: Bounds of what a residential rate's numbers can be, as a profile's prices are bounded: a number outside them is a
#: typing or unit mistake, and left in it would give a bill of billions (or NaN).  By kind: (least, most, unit).
BOUNDS = {
    "energy": (-10.0, 10.0, "$/kWh"),  # energy rates, adjustments and sell rates; real-time prices
    "demand": (-1000.0, 1000.0, "$/kW"),
    "month": (0.0, 10_000.0, "$/month"),  # fixed and minimum charges
    "day": (0.0, 350.0, "$/day"),
    "year": (0.0, 120_000.0, "$/year"),
    "kWh": (0.0, 1e7, "kWh"),  # tier maxima
    "kWh daily": (0.0, 3e5, "kWh a day"),
    "kW": (0.0, 1e5, "kW"),
    "minutes": (0.0, 1440.0, "minutes"),
}


PER = {"$/month": "month", "$/day": "day", "$/year": "year"}  # a charge's units → its bounds' kind


def _charge_units(source: str, field: str, units) -> str:
    if not isinstance(units, str) or units not in PER:
        raise TariffError(f"{source}: {field} {_shown(units)} must be $/month, $/day or $/year")
    return units


def _number(source: str, where: str, value, minimum: float | None = None, kind: str | None = None) -> float:
    """A number of a rate file, bounded by its ``kind`` (:data:`BOUNDS`): booleans, text that is not a number,
    integers too large for a float, NaN and infinities are errors naming the field's path in the file."""
    if isinstance(value, bool) or value is None:
        raise TariffError(f"{source}: {where} must be a number (got {json.dumps(value)})")
    if not isinstance(value, (int, float)):
        try:
            value = float(value)
        except (TypeError, ValueError, OverflowError):
            raise TariffError(f"{source}: {where} must be a number (got {_shown(value)})") from None
    try:
        value = float(value)
    except OverflowError:
        raise TariffError(f"{source}: {where} is too large to be a number heatcalc can use") from None
    if not np.isfinite(value):
        raise TariffError(f"{source}: {where} must be a finite number (got {value!r})")
    if kind is not None:
        low, high, unit = BOUNDS[kind]
        low = low if minimum is None else max(low, minimum)
        if not low <= value <= high:
            raise TariffError(f"{source}: {where} must be between {low:,g} and {high:,g} {unit} (got {value:g}); "
                              "check the rate's units")
    elif minimum is not None and value < minimum:
        raise TariffError(f"{source}: {where} must be at least {minimum:g} (got {value!r})")
    return value


def _prices(source: str, prices: list) -> np.ndarray:
    """``realtimepricing``'s numbers as an array: at once when every one is a plain number inside the energy bounds
    (a rate's 8,760 prices; each checked on its own took ~20 ms a rate), else each by :func:`_number`, which names
    the first that is not."""
    if all(type(v) is float or type(v) is int for v in prices):
        try:
            values = np.array(prices, dtype=float)
        except OverflowError:
            values = None
        low, high, _ = BOUNDS["energy"]
        if values is not None and np.isfinite(values).all() and ((values >= low) & (values <= high)).all():
            return values
    return np.array([_number(source, f"realtimepricing[{i}]", v, kind="energy") for i, v in enumerate(prices)])


def _shown(value) -> str:
    """A value of the file as JSON writes it (null, true), cut to a line's length."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _schedule(source: str, field: str, value, periods: int) -> np.ndarray:
    """A 12 x 24 schedule of period numbers: whole numbers only (no booleans, nulls or NaN)."""
    if not (isinstance(value, list) and len(value) == 12 and all(isinstance(r, list) and len(r) == 24
                                                                 for r in value)):
        raise TariffError(f"{source}: {field} must be 12 months x 24 hours of period numbers")
    for m, row in enumerate(value):
        for h, cell in enumerate(row):
            whole = not isinstance(cell, bool) and (isinstance(cell, int) or (isinstance(cell, float)
                                                                              and cell.is_integer()))
            if not whole or not 0 <= cell < periods:
                what = "is not a period number" if not whole else \
                    f"names period {cell}, but the rate structure has {periods} period(s) (numbered from 0)"
                raise TariffError(f"{source}: {field}[{m}][{h}] {what} (got {_shown(cell)})")
    return np.array(value, dtype=np.int64)


TIER_FIELDS = frozenset({"max", "unit", "rate", "adj", "sell"})


def _tiers(source: str, field: str, structure, units: tuple[str, ...], rate_kind: str) -> tuple:
    """Each period's tiers, and per period which tiers' maxima are per day (``kWh daily``: x the month's days),
    each tier by its own unit."""
    if not isinstance(structure, list) or not structure:
        raise TariffError(f"{source}: {field} must be a list of periods, each a list of tiers")
    out, daily = [], []
    for p, period in enumerate(structure):
        if not isinstance(period, list) or not period:
            raise TariffError(f"{source}: {field}[{p}] must be a list of tiers")
        upper, buy, sell, per_day = [], [], [], []
        for k, tier in enumerate(period):
            where = f"{field}[{p}][{k}]"
            if not isinstance(tier, dict):
                raise TariffError(f"{source}: {where} must be an object with a rate")
            unknown = sorted(str(key) for key in tier if key not in TIER_FIELDS)
            if unknown:
                raise TariffError(f"{source}: {where}: {', '.join(unknown)}: not a field of a URDB tier (those are "
                                  f"{', '.join(sorted(TIER_FIELDS))}), so heatcalc cannot tell whether it changes "
                                  "the bill; remove it if it does not")
            if "rate" not in tier:
                raise TariffError(f"{source}: {where} has no rate; every tier needs one ($ per kWh or kW)")
            rate = _number(source, f"{where}.rate", tier["rate"], kind=rate_kind) + (
                _number(source, f"{where}.adj", tier["adj"], kind=rate_kind) if "adj" in tier else 0.0)
            unit = tier.get("unit", units[0])
            if not isinstance(unit, str) or unit not in units:
                raise TariffError(f"{source}: {where}.unit {_shown(unit)} is not modelled (heatcalc takes "
                                  f"{' or '.join(units)}); tiers by kWh per kW depend on demand")
            bound = tier.get("max")
            upper.append(np.inf if bound is None else _number(source, f"{where}.max", bound, kind=unit))
            per_day.append(unit.endswith("daily"))
            buy.append(rate)
            sell.append(_number(source, f"{where}.sell", tier["sell"], kind=rate_kind) if "sell" in tier else 0.0)
            if k == len(period) - 1:
                upper[-1] = np.inf  # the last tier has no top, whatever its max says
        if any(b <= a for a, b in zip(upper, upper[1:])) and not any(per_day):
            raise TariffError(f"{source}: {field}[{p}]: tier maxima must rise from tier to tier")
        out.append(Tiers(np.array(upper), np.array(buy), np.array(sell)))
        daily.append(np.array(per_day))
    return tuple(out), tuple(daily)


def canonical_fields(rate: dict, source: str) -> dict:
    """A rate's fields under the API's names: URDB's website JSON export spells them in camelCase (``dgRules``,
    ``energyRateStructure``, ``fixedChargeFirstMeter``); every name heatcalc knows is matched without regard to case,
    so both exports read alike.  Two spellings of one field in one rate are an error (which would win?)."""
    known = {k.lower(): k for k in (*DESCRIPTIVE, *SUPPORTED, *UNSUPPORTED)}
    out: dict = {}
    spelled: dict = {}
    for key, value in rate.items():
        name = known.get(key.lower(), key) if isinstance(key, str) else key
        if name in out:
            raise TariffError(f"{source}: gives {spelled[name]!r} and {key!r}, two spellings of {name}; keep one")
        out[name] = value
        spelled[name] = key
    return out


def tariff_from_urdb(rate: dict, source: str, year: int = 2023, daylight_saving: bool = True,
                     notes: list | None = None) -> ElectricTariff:
    """An :class:`ElectricTariff` from one URDB rate; :class:`TariffError` names any field that cannot be used."""
    notes = notes if notes is not None else []
    rate = canonical_fields(rate, source)
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
        units = _charge_units(source, "fixedchargeunits", rate.get("fixedchargeunits", "$/month"))
        amount = _number(source, "fixedchargefirstmeter", first, kind=PER[units])
        if units == "$/month":
            fixed += amount
        elif units == "$/day":
            fixed += amount * MONTH_DAYS
        elif units == "$/year":
            fixed += amount / 12.0
        else:
            raise TariffError(f"{source}: fixedchargeunits {units!r} must be $/month, $/day or $/year")
    if rate.get("fixedmonthlycharge") not in (None, ""):
        older = _number(source, "fixedmonthlycharge", rate["fixedmonthlycharge"], kind="month")
        if first in (None, ""):
            fixed += older
        else:  # the older field beside the current one: the same charge written twice, charged once
            notes.append(f"fixedmonthlycharge (${older:g}, URDB's older field) not charged: fixedchargefirstmeter "
                         "is the rate's current fixed charge")
    # minimum charges
    min_usd, min_per = 0.0, None
    if rate.get("mincharge") not in (None, ""):
        units = _charge_units(source, "minchargeunits", rate.get("minchargeunits", "$/month"))
        amount = _number(source, "mincharge", rate["mincharge"], kind=PER[units])
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
        min_usd, min_per = _number(source, "minmonthlycharge", rate["minmonthlycharge"], kind="month"), "month"
    elif rate.get("annualmincharge") not in (None, ""):
        min_usd, min_per = _number(source, "annualmincharge", rate["annualmincharge"], kind="year"), "year"
    # energy
    realtime = realtime_sell = None
    period = None
    energy_tiers: tuple = ()
    if rate.get("realtimepricing") is not None:
        prices = rate["realtimepricing"]
        if not isinstance(prices, list) or len(prices) not in (8760, 8784):
            raise TariffError(f"{source}: realtimepricing must be 8,760 hourly prices ($/kWh)")
        values = _prices(source, prices)
        if values.size == 8784:
            values = np.concatenate([values[:59 * 24], values[60 * 24:]])
            notes.append("realtimepricing: a leap year's 29 February left out")
        # the prices are the meter's hours (clock time); the weather's hours are standard time: read each standard
        # hour's price at its clock hour (one ahead during daylight saving time)
        realtime = values[clock_hour_index(year, daylight_saving)]
        realtime_sell = np.zeros(8760)
        if rate.get("energyratestructure") is not None:
            raise TariffError(f"{source}: gives both realtimepricing and energyratestructure; a rate prices energy "
                              "one way")
    elif rate.get("energyratestructure") is not None:
        energy_tiers, daily = _tiers(source, "energyratestructure", rate["energyratestructure"],
                                     ("kWh", "kWh daily"), "energy")
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
        energy_tiers = tuple(_month_tiers(source, p, t, d) for p, (t, d) in enumerate(zip(energy_tiers, daily)))
        if any(d.any() for d in daily):
            notes.append("tier maxima in kWh daily: x the days of each month")
    else:
        raise TariffError(f"{source}: has no energyratestructure or realtimepricing: heatcalc needs the energy "
                          "prices")
    # demand
    demand_period = flat_month_period = None
    demand_tiers: tuple = ()
    flat_tiers: tuple = ()
    has_demand = rate.get("demandratestructure") is not None or rate.get("flatdemandstructure") is not None
    window = rate.get("demandwindow")
    window = None if window in (None, "") else _number(source, "demandwindow", window, kind="minutes")
    if has_demand:
        if window is not None and window < 60.0:
            raise TariffError(f"{source}: demandwindow {window} minutes: heatcalc knows each hour's mean demand, not "
                              "peaks within the hour, so a demand measured over less than 60 minutes is not modelled")
        for key in ("demandrateunit", "flatdemandunit"):
            if rate.get(key) not in (None, "", "kW"):
                raise TariffError(f"{source}: {key} {rate[key]!r}: only kW demand charges are modelled")
    if rate.get("demandratestructure") is not None:
        demand_tiers, _ = _tiers(source, "demandratestructure", rate["demandratestructure"], ("kW",), "demand")
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
        flat_tiers, _ = _tiers(source, "flatdemandstructure", rate["flatdemandstructure"], ("kW",), "demand")
        months = rate.get("flatdemandmonths", [0] * 12)
        if not isinstance(months, list) or len(months) != 12:
            raise TariffError(f"{source}: flatdemandmonths must be 12 period numbers, one per month")
        flat_month_period = _schedule(source, "flatdemandmonths", [[m] * 24 for m in months], len(flat_tiers))[:, 0]
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
    if rate.get("usenetmetering") not in (None, True, False):
        raise TariffError(f"{source}: usenetmetering must be true or false (got {_shown(rate['usenetmetering'])})")
    assert rule is None or rule in DG_RULES
    named = [v.strip() for v in (rate.get("name"), rate.get("label")) if isinstance(v, str) and v.strip()]
    return ElectricTariff(named[0] if named else "URDB rate", fixed, period, energy_tiers,
                          realtime, realtime_sell, min_usd, min_per, demand_period, demand_tiers, flat_month_period,
                          flat_tiers, rule, year, daylight_saving)


def _month_tiers(source: str, p: int, t: Tiers, daily: np.ndarray) -> tuple:
    """A period's tiers for each month: a ``kWh daily`` tier's maximum x that month's days, a ``kWh`` one as it is."""
    out = []
    for days in MONTH_DAYS:
        upper = np.where(daily, t.upper * days, t.upper)
        if any(b <= a for a, b in zip(upper, upper[1:])):
            raise TariffError(f"{source}: energyratestructure[{p}]: tier maxima must rise from tier to tier in every "
                              "month (kWh daily maxima count x the month's days)")
        out.append(Tiers(upper, t.buy, t.sell))
    return tuple(out)
