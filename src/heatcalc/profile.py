"""Profiles: YAML (or a dict from a homes table) → a validated, frozen :class:`ProfileSpec`.

This is the only module that knows the profile's keys and unit strings.  It reports every problem of a profile at
once, each with its field path and, for YAML files, its line.  It never constructs arbitrary YAML objects: the file
is composed into nodes by the safe (C) loader and only plain scalars, lists and mappings are accepted, so a
``!!python/...`` tag is refused, never run, and alias bombs are cut off by a node budget.
"""

from __future__ import annotations

import difflib
import math
from typing import NamedTuple
from pathlib import Path
from typing import Any, Callable

from . import units as u
from .errors import Problem, ProfileError

MAX_PROFILE_BYTES = 1_000_000
MAX_NODES = 20_000  # after alias expansion; a real profile has fewer than 200
EXTENSION_PREFIX = "x-"  # top-level keys starting with it are ignored: they hold YAML anchors to merge elsewhere
MAX_DEPTH = 20  # nesting of mappings and lists; a real profile is 4 deep
# Plausibility bounds on what reaches the model (internal units: Btu, Btu/h, Btu/h/F).  They are generous -- ten
# times a large house -- and exist so that no input can turn results into infinities.
MAX_HEAT_BTU = 5_000e6  # 5,000 MMBtu a year
MAX_LOAD_BTU_PER_H = 2_000_000.0
MAX_UA_BTU_PER_H_F = 20_000.0
COMPRESSORS = ("single_stage", "two_stage", "variable_speed")
BACKUPS = ("electric_resistance", "furnace")
SYSTEMS = ("heat_pump", "furnace", "electric_resistance")


# --- the schema -------------------------------------------------------------------------------------------------

class Leaf(NamedTuple):
    """One value of a profile."""

    kind: str  # quantity | number | enum | string | points | per_time
    doc: str
    unit: u.UnitKind | Callable[[dict], u.UnitKind] | None = None
    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None  # exclusive lower bound
    choices: tuple[str, ...] = ()
    default: str | None = None  # as documented (the text a user would write)
    example: Any = None
    bound_unit: str = ""  # how bounds are displayed


class Section(NamedTuple):
    fields: dict
    doc: str
    one_of: tuple[str, ...] = ()  # at most one of these keys; see `required_one`
    required_one: bool = False
    required: tuple[str, ...] = ()
    can_be_false: bool = False  # `systems.furnace: false` leaves the system out


def _bill_amount_kind(values: dict) -> u.UnitKind | None:
    """The amount's unit follows the billed fuel; None while the fuel itself is wrong (that is reported there)."""
    fuel = values.get("fuel")
    if fuel is None:
        return u.fuel_amount_kind("natural_gas")
    if not isinstance(fuel, str) or fuel.strip() not in u.BILL_FUELS:
        return None
    return u.fuel_amount_kind(fuel.strip())


TEMP = u.TEMPERATURE
SCHEMA = Section(doc="A home: where it is, how much heat it needs, which equipment and prices to compare.", fields={
    "name": Leaf("string", "Name shown in the output; defaults to the file name.", example="My house"),
    "location": Section(
        doc="Where the home is. Give one of zip, station, lat+lon, weather_file or state; `state` may also "
            "accompany the others to choose the state whose prices and grid emissions apply.",
        required_one=True, one_of=("zip", "station", "lat", "weather_file", "state"),
        fields={
            "zip": Leaf("string", "US ZIP code, five digits or ZIP+4 (02134-1234): state, and the nearest TMY3 "
                        "station.", example="02134"),
            "state": Leaf("string", "Two-letter state code (also DC, PR, GU, VI).", example="MA"),
            "station": Leaf("string", "TMY3 station USAF id, see `heatcalc stations`.", example="725090"),
            "lat": Leaf("number", "Latitude [degrees north]; with lon. The point must lie within 200 km of one of the "
                        "embedded US stations.", minimum=-90, maximum=90),
            "lon": Leaf("number", "Longitude [degrees east, negative in the US]; with lat.", minimum=-180,
                        maximum=180),
            "weather_file": Leaf("string", "An EnergyPlus EPW or TMY3 CSV file, relative to the profile."),
        }),
    "heating_load": Section(
        doc="How much heat the home needs. Give exactly one of from_bills, annual, design or ua.",
        required_one=True, one_of=("from_bills", "annual", "design", "ua"),
        fields={
            "from_bills": Section(
                doc="A year of bills of the current heating fuel.", required=("fuel", "amount"),
                fields={
                    "fuel": Leaf("enum", "The billed fuel.", choices=u.BILL_FUELS, example="natural_gas"),
                    "amount": Leaf("quantity", "Fuel bought in the year (therm, ccf, Mcf, m3, gal, kWh, MMBtu).",
                                   unit=_bill_amount_kind, above=0, maximum=MAX_HEAT_BTU * 10,
                                   example="780 therm"),
                    "efficiency": Leaf("number", "Seasonal efficiency of the current system (AFUE, or COP for "
                                       "electric heat). Default 0.80 for fuels, 1.0 for electricity.",
                                       above=0, maximum=6, example=0.8),
                    "non_heating": Leaf("per_time", "Non-heating use on the same meter (water heating, cooking), "
                                        "per month or per year, e.g. `15 therm/month`. Default 0.",
                                        unit=_bill_amount_kind, minimum=0, maximum=MAX_HEAT_BTU * 10,
                                        example="15 therm/month"),
                }),
            "annual": Leaf("quantity", "Heat delivered to the home per year.", unit=u.ENERGY, above=0,
                           maximum=MAX_HEAT_BTU, example="62 MMBtu"),
            "design": Section(
                doc="Design heat loss, e.g. from an ACCA Manual J.", required=("load", "outdoor"),
                fields={
                    "load": Leaf("quantity", "Heat loss at the design temperature.", unit=u.POWER, above=0,
                                 maximum=MAX_LOAD_BTU_PER_H, example="42000 Btu/h"),
                    "outdoor": Leaf("quantity", "Design outdoor temperature.", unit=TEMP, minimum=-80, maximum=70,
                                    example="6 F"),
                }),
            "ua": Leaf("quantity", "Whole-house heat-loss coefficient.", unit=u.CONDUCTANCE, above=0,
                       maximum=MAX_UA_BTU_PER_H_F, example="650 Btu/h/F"),
            "balance_point": Leaf("quantity", "Outdoor temperature below which the home needs heat.", unit=TEMP,
                                  minimum=0, maximum=75, default="60 F"),
            "indoor": Leaf("quantity", "Indoor temperature, used with `design`.", unit=TEMP, minimum=50,
                           maximum=85, default="68 F"),
        }),
    "systems": Section(
        doc="The systems compared (all three by default). Set one to `false` to leave it out.", fields={
            "heat_pump": Section(can_be_false=True, doc="A heat pump: air-source, or ground-source.", fields={
                "type": Leaf("enum", "Air-source (outdoor air) or ground-source (a closed water loop in the "
                             "ground).", choices=("air_source", "ground_source"), default="air_source"),
                "cop": Leaf("number", "Ground source: COP at 32 F entering water, full load (ISO 13256-1). "
                            "Default 3.6.", minimum=1, maximum=8),
                "loop": Leaf("enum", "Ground source: vertical boreholes or a horizontal trench loop.",
                             choices=("vertical", "horizontal"), default="vertical"),
                "hspf2": Leaf("number", "HSPF2 rating; gives default performance points (RESNET 301 "
                              "Addendum 82). Default 8.1.", minimum=5, maximum=16, default="8.1"),
                "performance": Leaf("points", "Explicit rated points (win over hspf2): a list of "
                                    "{outdoor, cop, capacity} at two or more outdoor temperatures, optionally with "
                                    "min_cop and min_capacity at the lowest compressor speed."),
                "compressor": Leaf("enum", "Compressor type.", choices=COMPRESSORS, default="variable_speed"),
                "capacity": Leaf("quantity", "Nominal capacity at 47 F (ground source: at 32 F entering water) when "
                                 "no points are given. Default: the smallest standard size that covers the load "
                                 "at the site's design temperature.",
                                 unit=u.POWER, above=0, maximum=600_000),
                "backup": Leaf("enum", "What heats when the heat pump cannot: resistance strips, or the furnace "
                               "(dual fuel, uses systems.furnace).", choices=BACKUPS,
                               default="electric_resistance"),
                "switchover": Leaf("quantity", "Dual fuel: below this the furnace takes over. Default: the "
                                   "temperature below which the furnace is cheaper per unit of heat.", unit=TEMP,
                                   minimum=-60, maximum=70),
                "cutoff": Leaf("quantity", "Compressor lockout: below this only backup heats.", unit=TEMP,
                               minimum=-60, maximum=60, default="-13 F"),
                "seer2": Leaf("number", "Cooling SEER2, used with cooling_load. Default 14.3 (the US minimum "
                              "for split heat pumps since 2023).", minimum=8, maximum=40),
                "cycling_degradation": Leaf("number", "Cyclic degradation coefficient C_d below minimum "
                                            "capacity (AHRI 210/240). Default 0.25 for single- and two-stage, "
                                            "0.15 for variable speed.", minimum=0, maximum=0.5),
            }),
            "furnace": Section(can_be_false=True, doc="A fuel furnace.", fields={
                "fuel": Leaf("enum", "Furnace fuel. Default: the billed fuel if it is one, else natural gas.",
                             choices=u.FUELS),
                "afue": Leaf("number", "Annual fuel utilisation efficiency. Default: the bills' efficiency when "
                             "the bills are for this fuel, else 0.95 (gas, propane) or 0.85 (oil).",
                             above=0.3, maximum=1.0),
                "blower": Leaf("quantity", "Fan electricity per MMBtu delivered (0 leaves it out).",
                               unit=u.BLOWER, minimum=0, maximum=100, default="10 kWh/MMBtu"),
            }),
            "electric_resistance": Section(can_be_false=True, doc="Electric resistance heat.", fields={
                "efficiency": Leaf("number", "Share of the electricity delivered as heat.", above=0.3, maximum=1.0,
                                   default="1.0"),
            }),
            "air_conditioner": Section(can_be_false=True, doc="The air conditioner that cools the home alongside "
                                       "the furnace or resistance heat (used with cooling_load); false: no "
                                       "cooling.", fields={
                "seer2": Leaf("number", "Cooling SEER2. Default 13.4 (the US minimum for split air "
                              "conditioners in the North since 2023).", minimum=8, maximum=40),
            }),
        }),
    "cooling_load": Section(
        doc="Optional cooling season: how much cooling the home needs. Give one of ua, design, annual or "
            "from_bills.", one_of=("ua", "design", "annual", "from_bills"), fields={
            "ua": Leaf("quantity", "Heat-gain coefficient. Default: the heating UA.", unit=u.CONDUCTANCE, above=0,
                       maximum=MAX_UA_BTU_PER_H_F),
            "design": Section(doc="Design cooling load, e.g. from a Manual J.", required=("load", "outdoor"),
                              fields={
                "load": Leaf("quantity", "Cooling load at the design temperature.", unit=u.POWER, above=0,
                             maximum=MAX_LOAD_BTU_PER_H),
                "outdoor": Leaf("quantity", "Design outdoor temperature.", unit=TEMP, minimum=60, maximum=130),
            }),
            "annual": Leaf("quantity", "Heat removed from the home per year.", unit=u.ENERGY, above=0,
                           maximum=MAX_HEAT_BTU),
            "from_bills": Section(doc="A summer of electricity for cooling with the current air conditioner.",
                                  required=("amount",), fields={
                "amount": Leaf("quantity", "Electricity used for cooling in the year.",
                               unit=u.fuel_amount_kind("electricity"), above=0,
                               maximum=MAX_HEAT_BTU),
                "seer2": Leaf("number", "SEER2 of the air conditioner those bills are for. Default 13.4.",
                              minimum=8, maximum=40),
            }),
            "balance_point": Leaf("quantity", "Outdoor temperature above which the home needs cooling.", unit=TEMP,
                                  minimum=50, maximum=90, default="65 F"),
            "indoor": Leaf("quantity", "Indoor temperature, used with design.", unit=TEMP, minimum=60, maximum=85,
                           default="75 F"),
        }),
    "tariff": Section(doc="Time-of-use electricity prices, applied hour by hour (they replace prices.electricity).",
                      fields={
        "electricity": Leaf("periods", "A list of periods {price, months, hours, days}: the first that matches an "
                            "hour sets its price; the last must have only a price (the rest of the year)."),
    }),
    "fixed_charges": Section(doc="Fixed monthly customer charges. With them, default (state average) prices are "
                                 "turned into marginal prices.", fields={
        "electricity": Leaf("quantity", "Electricity customer charge.", unit=u.MONTHLY_CHARGE, minimum=0,
                            maximum=500, example="12 $/month"),
        "natural_gas": Leaf("quantity", "Gas customer charge.", unit=u.MONTHLY_CHARGE, minimum=0, maximum=500,
                            example="12 $/month"),
    }),
    "economics": Section(doc="Installed costs, incentives and finance, for payback, net present value and "
                             "lifetime cost.", fields={
        "current": Leaf("enum", "The system the home has today (installed cost 0). Default: from the bills' fuel.",
                        choices=SYSTEMS),
        "installed_cost": Section(doc="Installed cost of each system you would buy.", fields={
            k: Leaf("quantity", f"Installed cost of the {k.replace('_', ' ')}.", unit=u.MONEY, minimum=0,
                    maximum=1e6) for k in SYSTEMS + ("air_conditioner",)}),
        "incentives": Section(doc="Rebates and incentives you expect, as amounts (no programmes are built in).",
                              fields={k: Leaf("quantity", f"Incentives for the {k.replace('_', ' ')}.",
                                              unit=u.MONEY, minimum=0, maximum=1e6)
                                      for k in SYSTEMS + ("air_conditioner",)}),
        "lifetime": Leaf("quantity", "Years the equipment lasts. Default 15.", unit=u.DURATION, minimum=1,
                         maximum=50),
        "discount_rate": Leaf("number", "Nominal discount rate per year (0.05 or 5 %). Default 0.05.", minimum=0,
                              maximum=0.3),
        "escalation": Section(doc="Nominal price change per year by energy. Default: the state's 2003-2023 trend "
                                  "(EIA SEDS).", fields={
            k: Leaf("number", f"{k.replace('_', ' ').capitalize()} price change per year.", minimum=-0.2, maximum=0.3)
            for k in ("electricity",) + u.FUELS}),
        "gas_disconnect": Leaf("bool", "The home would leave gas entirely with the heat pump or resistance heat, "
                               "so it stops paying the gas customer charge. Default false."),
    }),
    "prices": Section(doc="Energy prices; default: EIA average residential prices of the state.", fields={
        "electricity": Leaf("quantity", "Electricity price.", unit=u.price_kind("electricity"), minimum=0,
                            maximum=5, example="0.28 $/kWh"),
        "natural_gas": Leaf("quantity", "Natural gas price.", unit=u.price_kind("natural_gas"), minimum=0,
                            maximum=50, example="1.85 $/therm"),
        "propane": Leaf("quantity", "Propane price.", unit=u.price_kind("propane"), minimum=0, maximum=50,
                        example="3.10 $/gal"),
        "heating_oil": Leaf("quantity", "Heating oil price.", unit=u.price_kind("heating_oil"), minimum=0,
                            maximum=50, example="4.05 $/gal"),
    }),
    "emissions": Section(doc="Emission factors [CO2e]; default: eGRID 2023 state rate and EPA combustion "
                                 "factors.", fields={
        "electricity": Leaf("quantity", "Grid emission factor.", unit=u.emission_kind("electricity"), minimum=0,
                            maximum=3, example="0.25 kg/kWh"),
        "natural_gas": Leaf("quantity", "Natural gas factor.", unit=u.emission_kind("natural_gas"), minimum=0,
                            maximum=20),
        "propane": Leaf("quantity", "Propane factor.", unit=u.emission_kind("propane"), minimum=0, maximum=30),
        "heating_oil": Leaf("quantity", "Heating oil factor.", unit=u.emission_kind("heating_oil"), minimum=0,
                            maximum=40),
    }),
})

PERIOD_FIELDS = {
    "price": Leaf("quantity", "Price in this period.", unit=u.price_kind("electricity"), minimum=0, maximum=5),
    "months": Leaf("string", "Months it applies to, e.g. [6, 7, 8, 9], 6-9, or 11-3 across the new year. "
                             "Default all."),
    "hours": Leaf("string", "Clock hours it covers, e.g. 16-21 (from 16:00 to 21:00), or 22-6 across midnight. "
                            "Default all."),
    "days": Leaf("enum", "Days it applies to. Default all.", choices=("all", "weekdays", "weekends")),
}

POINT_FIELDS = {
    "outdoor": Leaf("quantity", "Outdoor temperature.", unit=TEMP, minimum=-60, maximum=80),
    "cop": Leaf("number", "COP at the highest speed (indoor fan and defrost included).", minimum=1, maximum=10),
    "capacity": Leaf("quantity", "Capacity at the highest speed.", unit=u.POWER, above=0, maximum=600_000),
    "min_cop": Leaf("number", "COP at the lowest speed.", minimum=1, maximum=12),
    "min_capacity": Leaf("quantity", "Capacity at the lowest speed.", unit=u.POWER, above=0, maximum=600_000),
}


# --- the result -------------------------------------------------------------------------------------------------

class ProfileSpec(NamedTuple):
    """A validated profile: values in internal units (see :mod:`heatcalc.units`), absent keys absent."""

    source: str  # file path or "row 17"
    name: str
    values: dict
    base_dir: Path | None = None
    lines: dict | None = None

    def get(self, path: str, default=None):
        node: Any = self.values
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def line(self, path: str) -> int | None:
        lines = self.lines or {}
        while path:
            if path in lines:
                return lines[path]
            path = path.rpartition(".")[0]
        return lines.get("")

    def error(self, problems: list[tuple[str, str]]) -> ProfileError:
        return ProfileError(self.source, [Problem(f, m, self.line(f)) for f, m in problems])


# --- YAML → plain data with line numbers --------------------------------------------------------------------------

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp",
}


_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Budget(Exception):
    """The document is larger or deeper than a profile can be."""


def read_yaml(text: str, source: str) -> tuple[Any, dict]:
    """Parse YAML text into plain Python data and a map of dotted field path → line number."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = f", column {mark.column + 1}" if mark else ""
        what = (exc.problem or exc.context or "invalid YAML").strip()
        raise ProfileError(source, [Problem("", f"YAML syntax error{col}: {what}", line)]) from None
    except yaml.YAMLError as exc:
        raise ProfileError(source, [Problem("", f"YAML error: {exc}")]) from None
    if node is None:
        raise ProfileError(source, [Problem("", "the profile is empty; `heatcalc init` writes a starter profile")])
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    count = [0]

    def convert(n, path: str, depth: int = 0):
        count[0] += 1
        if count[0] > MAX_NODES:
            raise _Budget(f"the profile expands to more than {MAX_NODES:,} values (YAML aliases repeated many "
                          "times?); write it out plainly")
        if depth > MAX_DEPTH:
            raise _Budget(f"the profile nests more than {MAX_DEPTH} levels deep; a profile needs about 4")
        line = n.start_mark.line + 1
        if path not in lines:
            lines[path] = line
        if n.tag not in _PLAIN_TAGS:
            problems.append(Problem(path, f"the YAML tag {n.tag!r} is not allowed: a profile holds plain values "
                                          "only (heatcalc never runs code from a file)", line))
            return None
        if isinstance(n, yaml.MappingNode):
            out = {}
            merged: list = []
            for key_node, value_node in n.value:
                if key_node.tag == _MERGE_TAG:  # `<<: *base` (or a list of them): the base's keys, unless given here
                    sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                    for source_node in sources:
                        if not isinstance(source_node, yaml.MappingNode):
                            problems.append(Problem(path, "a merge key (<<) takes a mapping or a list of mappings",
                                                    key_node.start_mark.line + 1))
                            continue
                        merged.append(convert(source_node, path, depth + 1))
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    problems.append(Problem(path, "mapping keys must be plain names", key_node.start_mark.line + 1))
                    continue
                key = key_node.value
                sub = f"{path}.{key}" if path else key
                if key in out:
                    problems.append(Problem(sub, "appears twice; keep one", key_node.start_mark.line + 1))
                    continue
                lines[sub] = key_node.start_mark.line + 1
                out[key] = convert(value_node, sub, depth + 1)
            for base in merged:  # earlier merges win over later ones, and the keys written here over both
                for key, value in base.items():
                    out.setdefault(key, value)
            return out
        if isinstance(n, yaml.SequenceNode):
            return [convert(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(n.value)]
        return _scalar(n)

    try:
        data = convert(node, "")
    except _Budget as exc:
        raise ProfileError(source, [Problem("", str(exc))]) from None
    if problems:
        raise ProfileError(source, problems)
    return data, lines


def _scalar(n):
    text = n.value
    tag = n.tag
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() in ("true", "yes", "on", "y")
    if tag == "tag:yaml.org,2002:int":
        digits = text.lstrip("+-")
        if len(digits) > 1 and digits.startswith("0") and digits.isdigit():
            return text  # YAML 1.1 would read 02134 as octal; keep what the user wrote (ZIP codes)
        try:
            return int(text.replace("_", ""), 0)
        except ValueError:
            return text
    if tag == "tag:yaml.org,2002:float":
        low = text.lower().replace("_", "")
        if low in (".nan",):
            return math.nan
        if low in (".inf", "+.inf"):
            return math.inf
        if low == "-.inf":
            return -math.inf
        try:
            return float(low)
        except ValueError:
            return text
    return text


def load_profile(path: Path) -> ProfileSpec:
    """Read and validate one profile file; raises :class:`ProfileError` listing every problem."""
    from .fileio import InputError, read_limited

    source = str(path)
    try:
        raw = read_limited(path, MAX_PROFILE_BYTES, "profile")
    except InputError as exc:
        raise ProfileError(source, [Problem("", exc.reason)]) from None
    return parse_profile_text(raw, source, default_name=path.stem, base_dir=path.resolve().parent)


def parse_profile_text(raw: bytes | str, source: str, default_name: str = "profile",
                       base_dir: Path | None = None) -> ProfileSpec:
    if isinstance(raw, bytes):
        if len(raw) > MAX_PROFILE_BYTES:
            raise ProfileError(source, [Problem("", f"the input is {len(raw):,} bytes; a profile may be at most "
                                                    f"{MAX_PROFILE_BYTES:,} bytes")])
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ProfileError(source, [Problem("", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8")]) \
                from None
    data, lines = read_yaml(raw, source)
    return validate(data, source, lines, default_name=default_name, base_dir=base_dir)


# --- editing plain profile data ----------------------------------------------------------------------------------

def copy_data(data):
    """A deep copy of plain profile data (dicts, lists, scalars)."""
    if isinstance(data, dict):
        return {k: copy_data(v) for k, v in data.items()}
    if isinstance(data, list):
        return [copy_data(v) for v in data]
    return data


def set_field(data: dict, path: str, value) -> None:
    """Set a dotted field (``systems.furnace.afue``) in plain profile data, creating sections on the way."""
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value


# --- validation -----------------------------------------------------------------------------------------------------

def _suggest(key: str, known) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"


def _fmt(x: float) -> str:
    return f"{x:,.6g}"


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
        if not isinstance(data, dict):
            hint = " (or false to leave it out)" if sec.can_be_false else ""
            self.add(path, f"must be a mapping of keys{hint}, got {_describe(data)}")
            return {}
        out = {}
        for key, value in data.items():
            sub = f"{path}.{key}" if path else str(key)
            if not path and str(key).startswith(EXTENSION_PREFIX):
                continue  # a place for YAML anchors that other keys merge in (`<<: *base`); not read otherwise
            if key not in sec.fields:
                self.add(sub, "unknown key" + _suggest(str(key), sec.fields))
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
        if spec.kind == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no"):
                return value.strip().lower() in ("true", "yes")
            self.add(path, f"must be true or false, got {_describe(value)}")
            return None
        if spec.kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                self.add(path, f"must be a number, got {_describe(value)}")
                return None
            try:
                number, unit = u.split_quantity(value)
            except u.UnitError as exc:
                self.add(path, str(exc))
                return None
            if unit == "%":
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
        try:
            number = u.parse_quantity(value, kind)
        except u.UnitError as exc:
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
        if kind is TEMP:
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
            self.add(path, f"{rule} (got {f(number)}{show})")
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
                    self.add(f"{sub}.{key}", "unknown key" + _suggest(str(key), PERIOD_FIELDS))
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

    def points(self, value, path: str):
        items = self.mappings(value, path, "[{outdoor: 47 F, cop: 3.8, capacity: 36000 Btu/h}, ...]",
                              "outdoor, cop, capacity")
        if items is None:
            return None
        out = []
        for sub, item in items:
            point = {}
            for key, v in item.items():
                if key not in POINT_FIELDS:
                    self.add(f"{sub}.{key}", "unknown key" + _suggest(str(key), POINT_FIELDS))
                    continue
                if v is None:
                    continue
                converted = self.leaf(POINT_FIELDS[key], v, f"{sub}.{key}", item)
                if converted is not None:
                    point[key] = converted
            for key in ("outdoor", "cop", "capacity"):
                if item.get(key) is None:
                    self.add(f"{sub}.{key}", "is required: " + POINT_FIELDS[key].doc)
            if point.get("min_capacity", 0.0) > point.get("capacity", math.inf):
                self.add(f"{sub}.min_capacity", f"is more than the capacity at the highest speed "
                                                f"({point['min_capacity']:,.0f} > {point['capacity']:,.0f} Btu/h)")
            out.append(point)
        temps = [p["outdoor"] for p in out if "outdoor" in p]
        if len(value) < 2:
            self.add(path, "needs at least two points (e.g. at 47 F and 17 F)")
        elif len(set(round(t, 6) for t in temps)) != len(temps):
            self.add(path, "two points share an outdoor temperature; each point needs its own")
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
             base_dir: Path | None = None) -> ProfileSpec:
    """Check plain profile data against the schema; raise :class:`ProfileError` with every problem found."""
    lines = lines or {}
    if not isinstance(data, dict):
        raise ProfileError(source, [Problem("", f"a profile is a mapping of sections (location, heating_load, "
                                                f"...), got {_describe(data)}", lines.get(""))])
    v = _Validator()
    values = v.section(SCHEMA, data, "")
    for key in ("location", "heating_load"):
        if data.get(key) is None:  # left out, or left empty (`location:` with nothing under it)
            v.add(key, _required(SCHEMA.fields[key]))
    spec = ProfileSpec(source=source, name=str(values.get("name") or default_name), values=values,
                       base_dir=base_dir, lines=lines)
    if v.problems:
        raise spec.error(v.problems)
    return spec


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


# --- the JSON Schema ------------------------------------------------------------------------------------------------

def _leaf_schema(spec: Leaf) -> dict:
    if spec.kind == "enum":
        return {"enum": list(spec.choices), "description": spec.doc}
    if spec.kind == "string":
        return {"type": "string", "description": spec.doc}
    if spec.kind == "number":
        out = {"type": "number"}
        if spec.minimum is not None:
            out["minimum"] = spec.minimum
        if spec.above is not None:
            out["exclusiveMinimum"] = spec.above
        if spec.maximum is not None:
            out["maximum"] = spec.maximum
        # a share may also be written as a percentage, "5 %"
        return {"anyOf": [out, {"type": "string", "pattern": r"^\s*[-+]?[0-9.]+\s*%\s*$"}], "description": spec.doc}
    if spec.kind == "bool":
        return {"type": "boolean", "description": spec.doc}
    if spec.kind == "periods":
        return {"type": "array", "minItems": 1, "description": spec.doc, "items": {
            "type": "object", "additionalProperties": False, "required": ["price"],
            "properties": {"price": _leaf_schema(PERIOD_FIELDS["price"]), "days": _leaf_schema(PERIOD_FIELDS["days"]),
                           "months": {"description": PERIOD_FIELDS["months"].doc},
                           "hours": {"description": PERIOD_FIELDS["hours"].doc}}}}
    if spec.kind == "points":
        return {"type": "array", "minItems": 2, "description": spec.doc, "items": {
            "type": "object", "additionalProperties": False, "required": ["outdoor", "cop", "capacity"],
            "properties": {k: _leaf_schema(p) for k, p in POINT_FIELDS.items()}}}
    kind = spec.unit(({})) if callable(spec.unit) else spec.unit
    units = kind.accepted() if kind else ""
    if callable(spec.unit):
        units = "therm, ccf, Mcf, m3, gal, kWh, MMBtu"
    doc = f"{spec.doc} A number with a unit ({units})" + (
        f"; a plain number is in {u.display_unit(kind.default)}." if spec.kind == "quantity" else ".")
    if spec.kind == "per_time":
        return {"type": "string", "description": doc, "pattern": r"/\s*(month|mo|year|yr)\s*$"}
    return {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^\s*[-+]?[0-9.,_]+([eE][-+]?\d+)?\s*\S*"}],
            "description": doc}


def _section_schema(sec: Section) -> dict:
    out: dict = {"type": "object", "description": sec.doc, "additionalProperties": False,
                 "properties": {k: (_section_schema(v) if isinstance(v, Section) else _leaf_schema(v))
                                for k, v in sec.fields.items()}}
    if sec.required:
        out["required"] = list(sec.required)
    if sec.can_be_false:
        return {"anyOf": [out, {"const": False}], "description": sec.doc}
    return out


def json_schema() -> dict:
    """A JSON Schema (draft 2020-12) of the profile, for editors."""
    schema = _section_schema(SCHEMA)
    schema["required"] = ["location", "heating_load"]
    schema["patternProperties"] = {f"^{EXTENSION_PREFIX}": {"description": "Ignored: a place for YAML anchors."}}
    schema.update({"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "heatcalc home profile"})
    return schema
