"""Checking plain profile data against the declaration, every problem at once, and building the typed profile.

Problems carry their dotted field path (and the line, where the data came from a file); messages show values in the
field's default unit and suggest the key meant when one is misspelt.
"""

from __future__ import annotations

import datetime
import difflib
import re
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import units as u
from ..errors import Problem, ProfileError
from .declare import Leaf, Section, section_declaration
from .declare import line_of  # noqa: F401  (a public name of this module too)
from .sections import PerformancePoint, Profile, TariffPeriod

EXTENSION_PREFIX = "x-"  # top-level keys starting with it are ignored: they hold YAML anchors to merge elsewhere
#: The whole profile's declaration, as the validator, the JSON Schema and the docs walk it.
SCHEMA: Section = section_declaration(Profile)
POINT_FIELDS: dict = dict(PerformancePoint._declarations)
PERIOD_FIELDS: dict = dict(TariffPeriod._declarations)


ANGLE_UNITS = ("deg", "degree", "degrees", "°")


_THOUSANDS = re.compile(r"^\d{3}(\s.*)?$")


def _split_by_comma(data: dict) -> dict:
    """Keys of a mapping that a thousands comma made (``{capacity: 36,000 Btu/h}`` reads as ``capacity: 36`` and a
    key ``000 Btu/h`` with no value): {the number's key: (its value, the rest), the made key: (None, None)}."""
    out: dict = {}
    keys = list(data)
    for before, key in zip(keys, keys[1:]):
        value = data[before]
        if isinstance(key, str) and data[key] is None and _THOUSANDS.match(key) and isinstance(value, (int, float)) \
                and not isinstance(value, bool):
            out[before] = (f"{value:g}" if isinstance(value, float) else str(value), key)
            out[key] = (None, None)
    return out


def suggest(key: str, known) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"


def _fmt(x: float) -> str:
    return f"{x:,.6g}"


#: The highest COP a heating test can show: the best cold-climate units reach about 5-6 at 47 F full stage and
#: 6-7 at 62 F minimum speed (NEEP cold-climate list); 10 leaves room and still catches W given as kW.
MAX_TEST_COP = 10.0


def _incentives_shorthand(value):
    """``economics.incentives`` written short: ``auto``, a list of incentive ids, or one amount (the heat pump's)."""
    if isinstance(value, str) and value.strip().lower() == "auto":
        return {"auto": True}
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return {"programs": ",".join(value)}
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return {"heat_pump": value}
    return value


#: Sections that may be written as a single value, and the mapping each stands for.
SHORTHANDS = {"economics.incentives": _incentives_shorthand}


class _Validator:
    def __init__(self):
        self.problems: list[tuple[str, str]] = []

    def add(self, path: str, message: str):
        self.problems.append((path, message))

    def section(self, sec: Section, data, path: str):
        if data is None:
            return {}
        if data is False and sec.can_be_false:
            return False
        if path in SHORTHANDS and not isinstance(data, dict):
            data = SHORTHANDS[path](data)
        if not isinstance(data, dict):
            hint = " (or false to leave it out)" if sec.can_be_false else ""
            self.add(path, f"must be a mapping of keys{hint}, got {_describe(data)}")
            return {}
        out = {}
        split = _split_by_comma(data)
        for key, value in data.items():
            sub = f"{path}.{key}" if path else str(key)
            if not path and str(key).startswith(EXTENSION_PREFIX):
                continue  # a place for YAML anchors that other keys merge in (`<<: *base`); not read otherwise
            if key in split:
                first, rest = split[key]
                if rest is not None:
                    self.add(sub, f"reads as {first}, with {rest!r} as another key: in a {{...}} mapping a comma "
                                  f"separates keys, so a thousands comma splits the number; drop the comma "
                                  f"({first}{rest}) or quote the value ('{first},{rest}')")
                continue
            if key not in sec.fields:
                self.add(sub, "unknown key" + suggest(str(key), sec.fields))
                continue
            spec = sec.fields[key]
            if value is None:
                continue  # an empty key is the same as leaving it out
            if isinstance(spec, Section):
                out[key] = self.section(spec, value, sub)
            else:
                converted = self.leaf(spec, value, sub, data)
                if converted is not None:
                    out[key] = converted
        for key in sec.required:
            if data.get(key) is None:
                self.add(f"{path}.{key}" if path else key, _required(sec.fields[key]))
        if sec.one_of:
            given = [k for k in sec.one_of if data.get(k) is not None]
            if path == "location":
                main = [k for k in given if k != "state"]
                if len(main) > 1:
                    self.add(path, f"give only one of zip, station, lat/lon or weather_file (got {', '.join(main)})")
                if "lat" in data or "lon" in data:
                    if (data.get("lat") is None) != (data.get("lon") is None):
                        self.add(f"{path}.{'lon' if data.get('lat') is not None else 'lat'}",
                                 "lat and lon go together; give both")
            elif len(given) > 1:
                self.add(path, f"give only one of {', '.join(sec.one_of)} (got {', '.join(given)})")
            if sec.required_one and not given:
                self.add(path, f"needs one of {', '.join(sec.one_of)}")
        return out

    def leaf(self, spec: Leaf, value, path: str, siblings: dict):
        if spec.kind == "string":
            if isinstance(value, (dict, list)):
                self.add(path, f"must be text, got {_describe(value)}")
                return None
            return str(value).strip()
        if spec.kind == "enum":
            text = str(value).strip()
            if text not in spec.choices:
                close = difflib.get_close_matches(text, spec.choices, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                self.add(path, f"must be one of {', '.join(spec.choices)} (got {text!r}){hint}")
                return None
            return text
        if spec.kind == "points":
            return self.points(value, path)
        if spec.kind == "periods":
            return self.periods(value, path)
        if spec.kind == "tests":
            return self.tests(spec, value, path)
        if spec.kind == "rows":
            return self.rows(spec, value, path, siblings)
        if spec.kind == "date":
            return self.date(value, path)
        if spec.kind == "stages":
            return self.stages(spec, value, path)
        if spec.kind == "retention":
            return self.retention(spec, value, path)
        if spec.kind == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no"):
                return value.strip().lower() in ("true", "yes")
            self.add(path, f"must be true or false, got {_describe(value)}")
            return None
        if spec.kind in ("number", "angle"):
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                self.add(path, f"must be a number, got {_describe(value)}")
                return None
            try:
                number, unit = u.split_quantity(value)
            except u.UnitError as exc:
                self.add(path, str(exc))
                return None
            if spec.kind == "angle":  # degrees, plain or written so; a share (30 %) is not an angle
                if unit and unit.lower() not in ANGLE_UNITS:
                    self.add(path, f"is an angle in degrees (a plain number, or with deg); got the unit {unit!r}")
                    return None
            elif unit == "%":
                number /= 100.0
            elif unit:
                self.add(path, f"is a plain number and takes no unit (got {unit!r})")
                return None
            return self.bounded(spec, number, path, "")
        kind = spec.unit(siblings) if callable(spec.unit) else spec.unit
        if kind is None:
            return None  # its unit depends on a sibling that is itself wrong, and reported there
        if spec.kind == "per_time":
            return self.per_time(spec, kind, value, path)
        if spec.choices and isinstance(value, str) and value.strip() in spec.choices:
            return value.strip()  # a quantity that may also be named by a word (emissions.electricity: marginal)
        try:
            number = u.parse_quantity(value, kind)
        except u.UnitError as exc:
            text = str(value).strip()
            if spec.choices and not any(c.isdigit() for c in text):  # a word, not a number: which words it takes
                close = difflib.get_close_matches(text, spec.choices, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                self.add(path, f"must be a number in {u.display_unit(kind.default)} (or with a unit: "
                               f"{kind.accepted()}) or one of {', '.join(spec.choices)} (got {text!r}){hint}")
            else:
                self.add(path, str(exc))
            return None
        return self.bounded(spec, number, path, u.display_unit(kind.default))

    def per_time(self, spec: Leaf, kind: u.UnitKind, value, path: str):
        """``15 therm/month`` or ``180 therm/year`` → the yearly amount [Btu of fuel]."""
        months = 1.0
        if isinstance(value, str):
            text = value.strip()
            for suffix, factor in (("/month", 12.0), ("/mo", 12.0), ("per month", 12.0), ("/year", 1.0),
                                   ("/yr", 1.0), ("per year", 1.0)):
                if text.lower().endswith(suffix):
                    value, months = text[: -len(suffix)].strip(), factor
                    break
            else:
                self.add(path, "say whether it is per month or per year, e.g. '15 therm/month'")
                return None
        else:
            self.add(path, "say whether it is per month or per year, e.g. '15 therm/month'")
            return None
        try:
            number = u.parse_quantity(value, kind) * months
        except u.UnitError as exc:
            self.add(path, str(exc))
            return None
        return self.bounded(spec, number, path, "")

    def bounded(self, spec: Leaf, number: float, path: str, unit: str):
        """Check bounds (given in internal units); messages show values in the field's default unit."""
        if math.isnan(number):
            self.add(path, "must be a number (got nan)")
            return None
        kind = spec.unit if isinstance(spec.unit, u.UnitKind) else None
        scale = kind.table[kind.default] if kind and not callable(kind.table[kind.default]) else 1.0
        show = f" {unit}" if unit else ""
        if kind is u.TEMPERATURE:
            show = " F"
        if callable(spec.unit):  # a fuel amount whose unit follows the fuel: bounds in MMBtu of fuel
            scale, show = 1e6, " MMBtu"

        def f(x):
            return _fmt(x / scale)

        low = spec.minimum if spec.minimum is not None else spec.above
        too_low = (spec.minimum is not None and number < spec.minimum) or (spec.above is not None
                                                                           and number <= spec.above)
        too_high = spec.maximum is not None and number > spec.maximum
        if too_low or too_high:
            exclusive_low = spec.minimum is None
            if spec.maximum is not None and low is not None and not (too_low and exclusive_low):
                rule = f"must be between {f(low)} and {f(spec.maximum)}{show}"
            elif too_low:
                rule = f"must be {'above' if exclusive_low else 'at least'} {f(low)}{show}"
            else:
                rule = f"must be at most {f(spec.maximum)}{show}"
            hint = ""
            if too_low and kind is u.POWER and number < 100:  # "3" meant as tons or kW is 3 Btu/h
                hint = (f"; a plain number is Btu/h: for tons or kW write the unit ('{_fmt(number)} ton', "
                        f"'{_fmt(number)} kW')")
            if too_high and kind is not None and kind.default.startswith("$/") and low is not None \
                    and low <= number / 100.0 <= spec.maximum and "/kwh" in kind.default.lower():
                hint = f"; prices are in dollars: if you meant {f(number)} cents, write {f(number / 100.0)}"
            if too_low and path.rsplit(".", 1)[-1] in ("cop", "min_cop"):
                hint = ("; below 1 a heat pump would do worse than resistance heat: if the data sheet gives input "
                        "power, give rows {outdoor, speed, capacity, power} instead of a COP")
            self.add(path, f"{rule} (got {f(number)}{show}){hint}")
            return None
        return number

    def mappings(self, value, path: str, example: str, keys: str):
        """The (path, mapping) items of a list of mappings; anything else is reported.  None if not a list."""
        if not isinstance(value, list) or not value:
            self.add(path, f"must be a list like {example}, got {_describe(value)}")
            return None
        items = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                items.append((f"{path}[{i}]", item))
            else:
                self.add(f"{path}[{i}]", f"must be a mapping {{{keys}}}, got {_describe(item)}")
        return items

    def periods(self, value, path: str):
        """Time-of-use periods → [{price, months: set, hours: set, days}] with the catch-all last."""
        items = self.mappings(value, path, "[{price: 0.42 $/kWh, months: 6-9, hours: 16-21}, {price: 0.25}]",
                              "price, months, hours, days")
        if items is None:
            return None
        out = []
        for sub, item in items:
            period = {"months": set(range(1, 13)), "hours": set(range(24)), "days": "all"}
            for key, v in item.items():
                if key not in PERIOD_FIELDS:
                    self.add(f"{sub}.{key}", "unknown key" + suggest(str(key), PERIOD_FIELDS))
                elif key == "price":
                    period["price"] = self.leaf(PERIOD_FIELDS["price"], v, f"{sub}.price", item)
                elif key == "days":
                    period["days"] = self.leaf(PERIOD_FIELDS["days"], v, f"{sub}.days", item)
                else:
                    span = _int_set(v, 1 if key == "months" else 0, 12 if key == "months" else 24,
                                    end_exclusive=key == "hours")
                    if span is None:
                        self.add(f"{sub}.{key}", "write a range like 6-9, a list like [6, 7, 8] or one number "
                                                 f"({'1-12' if key == 'months' else '0-24'})")
                    else:
                        period[key] = span
            if item.get("price") is None:
                self.add(f"{sub}.price", "is required: the price in this period")
            out.append(period)
        last = value[-1] if isinstance(value[-1], dict) else {}
        if set(last) - {"price"}:
            self.add(path, "the last period must have only a price: it covers every hour the others do not")
        return out

    def rows(self, spec: Leaf, value, path: str, siblings: dict) -> list | None:
        """A list of ``spec.items`` records; their fields see the enclosing section's values (a bill's amount is in
        the units of the bills' fuel)."""
        records = self.records(spec.items, value, path, spec.example or "[{...}, ...]", parent=siblings)
        return None if records is None else [row for _, _, row in records]

    def date(self, value, path: str):
        """A calendar date: YAML's 2024-01-03, or the same as text."""
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            self.add(path, f"must be a date written 2024-01-03 (got {_describe(value)})")
            return None

    def records(self, record, value, path: str, example: str, parent: dict | None = None) -> list | None:
        """A list of mappings whose items are ``record`` (checked field by field, required ones demanded): the
        (path, mapping given, checked values) of each mapping."""
        fields = record._declarations
        items = self.mappings(value, path, example, ", ".join(fields))
        if items is None:
            return None
        out = []
        for sub, item in items:
            row = {}
            for key, v in item.items():
                if key not in fields:
                    self.add(f"{sub}.{key}", "unknown key" + suggest(str(key), fields))
                elif v is not None:
                    converted = self.leaf(fields[key], v, f"{sub}.{key}", {**(parent or {}), **item})
                    if converted is not None:
                        row[key] = converted
            for key in record._rules["required"]:
                if item.get(key) is None:
                    self.add(f"{sub}.{key}", "is required: " + fields[key].doc)
            out.append((sub, item, row))
        return out

    def tests(self, spec: Leaf, value, path: str):
        records = self.records(spec.items, value, path, "[{outdoor: 47 F, stage: full, capacity: 25000 Btu/h, "
                                                        "power: 1800 W}, ...]")
        if records is None:
            return None
        seen = set()
        by_key = {}
        for sub, _, row in records:
            key = (round(row.get("outdoor", math.nan), 6), row.get("stage"))
            if None not in key and key in seen:
                self.add(sub, f"a second {key[1]}-stage test at {key[0]:g} F; give each test once")
            seen.add(key)
            by_key[key] = (sub, row)
            cap, power = row.get("capacity"), row.get("power")
            if cap is not None and power is not None:
                cop = cap / (power * u.BTU_PER_KWH / 1000.0)
                if cop > MAX_TEST_COP:
                    self.add(f"{sub}.power", f"{cap:,.0f} Btu/h from {power:,.0f} W is a COP of {cop:,.1f}; no "
                                             f"air-source test reaches {MAX_TEST_COP:g}: check the power and its "
                                             "unit (W or kW)")
                elif cop < 1.0:
                    self.add(f"{sub}.power", f"{cap:,.0f} Btu/h from {power:,.0f} W is a COP of {cop:.2f}, below "
                                             "resistance heat's 1: check the capacity and the power")
        for (outdoor, stage), (sub, row) in by_key.items():
            full = by_key.get((outdoor, "full"))
            if stage in ("low", "intermediate") and full is not None and None not in (
                    row.get("capacity"), full[1].get("capacity")) and row["capacity"] > full[1]["capacity"] * 1.0001:
                self.add(f"{sub}.capacity", f"the {stage} stage at {outdoor:g} F gives more heat "
                                            f"({row['capacity']:,.0f} Btu/h) than the full stage there "
                                            f"({full[1]['capacity']:,.0f}); check which test is which")
        return [row for _, _, row in records]

    def stages(self, spec: Leaf, value, path: str):
        """One number for both stages, or {full, low}."""
        single = Leaf("number", spec.doc, minimum=spec.minimum, maximum=spec.maximum)
        if isinstance(value, dict):
            out = {}
            for key, v in value.items():
                if key not in ("full", "low"):
                    self.add(f"{path}.{key}", "unknown key" + suggest(str(key), ("full", "low")))
                    continue
                converted = self.leaf(single, v, f"{path}.{key}", value)
                if converted is not None:
                    out[key] = converted
            if "full" not in value:
                self.add(f"{path}.full", "is required: the full stage's coefficient")
            return out or None
        converted = self.leaf(single, value, path, {})
        return None if converted is None else {"full": converted, "low": converted}

    def retention(self, spec: Leaf, value, path: str):
        """A share of the 47 F capacity (a plain number up to 1.5) or a capacity (a number with a power unit)."""
        try:
            number, unit = u.split_quantity(value)
        except u.UnitError as exc:
            self.add(path, str(exc))
            return None
        if not unit and not isinstance(value, str) or not unit and number <= 1.5:
            if not 0.1 <= number <= 1.5:
                self.add(path, f"as a share of the 47 F capacity it must be between 0.1 and 1.5 (got {number:g}); "
                               "give a capacity with its unit, e.g. 25000 Btu/h")
                return None
            return {"share": number}
        capacity = self.leaf(spec._replace(kind="quantity"), value, path, {})
        return None if capacity is None else {"capacity": capacity}

    def points(self, value, path: str):
        records = self.records(PerformancePoint, value, path, "[{outdoor: 47 F, cop: 3.8, capacity: 36000 Btu/h}, "
                                                              "...]")
        if records is None:
            return None
        out = []
        for sub, item, point in records:
            if item.get("cop") is None and item.get("power") is None:
                self.add(f"{sub}.cop", "is required (or power): the COP at this point")
            if item.get("speed") is None and (item.get("power") is not None):
                self.add(f"{sub}.power", "goes with speed rows ({outdoor, speed, capacity, power}); else give cop")
            if item.get("speed") is not None and (item.get("min_cop") is not None or
                                                  item.get("min_capacity") is not None):
                self.add(f"{sub}.speed", "a row with a speed gives one speed's values: put the minimum speed in "
                                         "its own row (speed: min), not min_cop/min_capacity")
            if point.get("min_capacity", 0.0) > point.get("capacity", math.inf):
                self.add(f"{sub}.min_capacity", f"is more than the capacity at the highest speed "
                                                f"({point['min_capacity']:,.0f} > {point['capacity']:,.0f} Btu/h)")
            out.append(point)
        with_speed = [p for p in out if p.get("speed")]
        if with_speed and len(with_speed) != len(out):
            self.add(path, "give every row a speed (min, rated, max), or none")
            return out
        groups = {}
        for p in out:
            groups.setdefault(p.get("speed", "max"), []).append(p.get("outdoor"))
        maxima = groups.get("max") or groups.get("rated", [])
        if len(value) < 2 or len([t for t in maxima if t is not None]) < 2:
            self.add(path, "needs at least two points at the highest speed (e.g. at 47 F and 17 F)"
                     + (" with speed: max (or rated, for a single-speed unit)" if with_speed else ""))
        for speed, temps in groups.items():
            temps = [t for t in temps if t is not None]
            if len(set(round(t, 6) for t in temps)) != len(temps):
                self.add(path, "two points share an outdoor temperature" + (f" at speed {speed}" if with_speed else "")
                         + "; each point needs its own")
        return out


def _int_set(value, low: int, high: int, end_exclusive: bool):
    """``6-9`` / ``[6, 7]`` / ``7`` → a set of ints; hours ``16-21`` mean 16:00 up to 21:00 (16..20).

    A range whose end comes before its start wraps around: hours ``22-6`` are 22:00 to 06:00 (22, 23, 0..5) and
    months ``11-3`` are November to March.
    """
    items = value if isinstance(value, list) else [value]
    out = set()
    top = high - 1 if end_exclusive else high
    for item in items:
        if isinstance(item, (bool, float, dict, list)) or item is None:
            return None
        text = str(item).strip()
        try:
            if "-" in text:
                a, b = (int(x) for x in text.split("-", 1))
                if not (low <= a <= top and low <= b <= high):
                    return None
                if a == b and end_exclusive:
                    return None  # hours 5-5 cover nothing
                if a <= b:
                    values = list(range(a, b) if end_exclusive else range(a, b + 1))
                else:  # wraps past midnight, or past December
                    values = list(range(a, top + 1)) + list(range(low, b) if end_exclusive else range(low, b + 1))
            else:
                values = [int(text)]
        except ValueError:
            return None
        for v in values:
            if not low <= v <= top:
                return None
            out.add(v)
    return out or None


def _describe(value) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value)


def _required(spec) -> str:
    if isinstance(spec, Section) and spec.one_of:
        return f"is required: give one of {', '.join(spec.one_of)}"
    return "is required: " + spec.doc


def validate(data: Any, source: str, lines: dict | None = None, default_name: str = "profile",
             base_dir: Path | None = None) -> Profile:
    """Check plain profile data (the YAML's shape) against the declaration and build the typed :class:`Profile`;
    raise :class:`ProfileError` with every problem found."""
    lines = lines or {}
    if not isinstance(data, dict):
        raise ProfileError(source, [Problem("", f"a profile is a mapping of sections (location, heating_load, "
                                                f"...), got {_describe(data)}", lines.get(""))])
    v = _Validator()
    values = v.section(SCHEMA, data, "")
    for key in ("location", "heating_load"):
        if data.get(key) is None:  # left out, or left empty (`location:` with nothing under it)
            v.add(key, _required(SCHEMA.fields[key]))
    if v.problems:
        raise ProfileError(source, [Problem(f, m, line_of(lines, f)) for f, m in v.problems])
    values.setdefault("name", default_name)
    profile = build(SCHEMA, values).replace(source=source, base_dir=base_dir, lines=lines, data=data)
    object.__setattr__(profile, "_validated", True)  # load_profile takes it as it is; a .replace() copy is checked
    return profile


def validate_record(record, data: Any, source: str, lines: dict | None = None):
    """Check plain data against one Record class's declaration (a test-set file, say) and build it; raise
    :class:`ProfileError` with every problem found."""
    lines = lines or {}
    if not isinstance(data, dict):
        raise ProfileError(source, [Problem("", f"must be a mapping of keys, got {_describe(data)}", lines.get(""))])
    sec = section_declaration(record)
    v = _Validator()
    values = v.section(sec, data, "")
    if v.problems:
        raise ProfileError(source, [Problem(f, m, line_of(lines, f)) for f, m in v.problems])
    return build(sec, values)


def build(sec: Section, values: dict):
    """The typed record of a section from its validated values (sections absent from ``values`` take the record's
    default: None, or a record of defaults; ``false`` becomes None)."""
    given = {}
    for name, spec in sec.fields.items():
        if name not in values:
            continue
        value = values[name]
        if isinstance(spec, Section):
            given[name] = None if value is False else build(spec, value)
        elif spec.items is not None:
            given[name] = tuple(spec.items(**{k: _frozen(x) for k, x in item.items()}) for item in value)
        else:
            given[name] = value
    return sec.record(**given)


def _frozen(value):
    return frozenset(value) if isinstance(value, set) else value


@lru_cache(maxsize=None)
def one_of_members(path: str) -> list:
    """Each choice a dotted field makes: (the section's path, the member) for every section along the path whose
    fields are one-of (``heating_load.from_bills.amount`` → ``[("heating_load", "from_bills"), ("heating_load.
    from_bills", "amount")]``).  Location's lon is part of the lat member; its state accompanies any member."""
    out = []
    node: Any = SCHEMA
    parts = path.split(".")
    for k, part in enumerate(parts):
        if not isinstance(node, Section) or part not in node.fields:
            break
        if node.one_of:
            member = "lat" if (k == 1 and parts[0] == "location" and part == "lon") else part
            if member in node.one_of and not (parts[0] == "location" and member == "state"):
                out.append((".".join(parts[:k]), member))
        node = node.fields[part]
    return out


def replaced_defaults(given, defaults) -> set:
    """The dotted fields of ``defaults`` (a --defaults profile, flattened) that a row's own fields ``given``
    replace: a row that chooses one member of a one-of group (``heating_load.annual``, ``location.zip``) replaces
    the defaults' other members of it (``heating_load.from_bills.*``, ``location.station``)."""
    chosen: dict = {}
    for field in given:
        for section, member in one_of_members(field):
            chosen.setdefault(section, set()).add(member)
    if not chosen:
        return set()
    return {d for d in defaults if any(section in chosen and member not in chosen[section]
                                       for section, member in one_of_members(d))}


def field_spec(path: str) -> Leaf | Section | None:
    """The declaration of a dotted field (``prices.electricity``), or None if the profile has no such field."""
    node: Any = SCHEMA
    for part in path.split("."):
        if not isinstance(node, Section) or part not in node.fields:
            return None
        node = node.fields[part]
    return node


def parse_field_value(path: str, value, source: str, label: str | None = None):
    """Check one value of a dotted field as the profile would (unit, bounds, finiteness) and return it in internal
    units; raise :class:`ProfileError` naming ``label`` (default: the field) otherwise.  Used for command-line
    overrides and ``sweep --vary``, so they obey exactly the profile's rules."""
    spec = field_spec(path)
    if not isinstance(spec, Leaf):
        raise ProfileError(source, [Problem(label or path, "is not a field of the profile")])
    v = _Validator()
    converted = v.leaf(spec, value, label or path, {})
    if v.problems or converted is None:
        raise ProfileError(source, [Problem(f, m) for f, m in v.problems] or [Problem(label or path, "is empty")])
    return converted


def rating_points_from_text(text: str, option: str) -> list[tuple[float, float, float]]:
    """``"47:3.8:36000,17:2.5:24000"`` (outdoor °F, COP, capacity Btu/h) → sorted points, each value checked by the
    same rules as a profile's performance points; :class:`ProfileError` lists every bad one."""
    v = _Validator()
    out = []
    for part in text.split(","):
        fields = part.strip().split(":")
        if len(fields) != 3:
            v.add(option, f"each point is OUTDOOR_F:COP:CAPACITY_BTU_H, e.g. 47:3.8:36000 (got {part.strip()!r})")
            continue
        values = [v.leaf(POINT_FIELDS[key], text, f"{option} {part.strip()}: {key}", {})
                  for key, text in zip(("outdoor", "cop", "capacity"), fields)]
        if None not in values:
            out.append(tuple(values))
    if not v.problems and (len(out) < 2 or len({p[0] for p in out}) != len(out)):
        v.add(option, "give at least two points at different outdoor temperatures")
    if v.problems:
        raise ProfileError("command line", [Problem(f, m) for f, m in v.problems])
    return sorted(out)


