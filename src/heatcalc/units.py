"""Units: named conversion constants and the parser for quantities written in profiles.

Internal units, chosen once and used everywhere inside the package:

==================  ==================  ==========================================
quantity            internal unit       notes
==================  ==================  ==========================================
temperature         °F                  outdoor and indoor air
heat rate (power)   Btu/h               loads and heat pump capacity
heat / energy       Btu                 converted to MMBtu or kWh only for output
conductance (UA)    Btu/h/°F
electricity         kWh
fuel                its sales unit      therm (natural gas), gal (propane, heating oil, kerosene), cord
                                        (wood), ton (pellets, coal: short tons)
price               $ per sales unit    $/kWh, $/therm, $/gal
emission factor     kg CO2e per unit    kg/kWh, kg/therm, kg/gal
==================  ==================  ==========================================

Conversion only happens at the borders: when a profile is loaded (:func:`parse_quantity`) and when results are
rendered.
"""


import math
import re
from typing import NamedTuple

# --- energy and power -----------------------------------------------------------------------------------------
BTU_PER_KWH = 3412.14163  # 1 kWh = 3.6 MJ; 1 Btu(IT) = 1055.05585 J (NIST SP 811, 2008)
BTU_PER_MMBTU = 1.0e6
BTU_PER_THERM = 1.0e5
BTU_PER_TON_H = 12000.0  # one ton of refrigeration, per hour
BTU_PER_MJ = 1.0e6 / 1055.05585262
W_PER_BTU_H = 1.0 / 3.41214163

#: HSPF2 / HSPF for split systems (AHRI 210/240-2023 vs -2017 ratings): DOE set the 2023 minimum for split heat
#: pumps at 7.5 HSPF2 as the equivalent of 8.8 HSPF (10 CFR 430.32(c)), a ratio of 0.85; ductless units lose less
#: in the new test (its higher external static pressure mostly affects ducted units), about 0.90 by the industry's
#: common rule of thumb.
HSPF2_PER_HSPF = {"ducted": 0.85, "ductless": 0.90}

# --- fuel heat contents (higher heating value) ----------------------------------------------------------------
# EIA, Monthly Energy Review (2023), Tables A1/A4, the conversion factors behind EIA's state price tables: natural
# gas 1,036 Btu/ft3, propane 91,500 Btu/gal, No. 2 heating oil 138,700 Btu/gal.
BTU_PER_CCF_NATURAL_GAS = 103_600.0
BTU_PER_M3_NATURAL_GAS = 1036.0 * 35.3146667  # 1 m3 = 35.3147 ft3
# Kerosene 135,000 Btu/gal (EIA, and 40 CFR 98 Table C-1's 0.135 MMBtu/gal).
BTU_PER_GAL = {"propane": 91_500.0, "heating_oil": 138_700.0, "kerosene": 135_000.0}
# Solid fuels, sold by volume or weight (short tons): a cord of seasoned firewood 20 MMBtu (EIA, Units and
# calculators explained: British thermal units, "1 cord of wood = 20 million Btu"); wood pellets 16.5 MMBtu a ton
# (EIA's heating fuel comparison calculator); anthracite, the coal homes burn, 25.09 MMBtu a ton (EPA, 40 CFR 98
# Table C-1).  A cord and a ton of wood vary with species and moisture by +-20 %: give the amount in MMBtu or the
# price per MMBtu where the seller states one.
BTU_PER_CORD_WOOD = 20.0e6
BTU_PER_TON_PELLETS = 16.5e6
BTU_PER_TON_COAL = 25.09e6
LB_PER_TON = 2000.0
LB_PER_PELLET_BAG = 40.0  # pellets are sold in 40 lb bags, 50 to the ton

#: Fuels a furnace, boiler or stove burns.  The first three have state prices and trends in the shipped data;
#: wood has state prices (EIA SEDS); kerosene, pellets and coal have no public price series, so a home that burns
#: them gives its price.
FUELS = ("natural_gas", "propane", "heating_oil", "kerosene", "wood", "pellets", "coal")
CORE_FUELS = ("natural_gas", "propane", "heating_oil")
#: Wood fuels: their CO2 is biogenic, reported apart from the fossil CO2e (as EPA's inventories do).
BIOGENIC_FUELS = ("wood", "pellets")
BILL_FUELS = FUELS + ("electricity",)
#: A fuel as a word before the appliance: "gas furnace", "oil boiler", "pellet stove".
FUEL_SHORT = {"natural_gas": "gas", "propane": "propane", "heating_oil": "oil", "kerosene": "kerosene",
              "wood": "wood", "pellets": "pellet", "coal": "coal"}
COMPRESSORS = ("single_stage", "two_stage", "variable_speed")
FUEL_UNIT = {"natural_gas": "therm", "propane": "gal", "heating_oil": "gal", "kerosene": "gal", "wood": "cord",
             "pellets": "ton", "coal": "ton", "electricity": "kWh"}
#: Btu in one sales unit of each fuel (the unit in :data:`FUEL_UNIT`).
BTU_PER_FUEL_UNIT = {
    "natural_gas": BTU_PER_THERM,
    "propane": BTU_PER_GAL["propane"],
    "heating_oil": BTU_PER_GAL["heating_oil"],
    "kerosene": BTU_PER_GAL["kerosene"],
    "wood": BTU_PER_CORD_WOOD,
    "pellets": BTU_PER_TON_PELLETS,
    "coal": BTU_PER_TON_COAL,
    "electricity": BTU_PER_KWH,
}

KG_PER_LB = 0.45359237


def f_to_c(temp_f):
    return (temp_f - 32.0) * 5.0 / 9.0


def c_to_f(temp_c):
    return temp_c * 9.0 / 5.0 + 32.0


class UnitError(ValueError):
    """A quantity string could not be understood; the message says what is accepted."""


# Each unit kind maps a normalised unit spelling to a function giving the internal value.
_TEMPERATURE = {"f": lambda v: v, "c": c_to_f, "k": lambda v: c_to_f(v - 273.15)}
_POWER = {
    "btu/h": 1.0, "kbtu/h": 1000.0, "ton": BTU_PER_TON_H,
    "w": 1.0 / W_PER_BTU_H, "kw": 1000.0 / W_PER_BTU_H,
}
_ENERGY = {
    "btu": 1.0, "kbtu": 1e3, "mmbtu": 1e6, "therm": BTU_PER_THERM, "kwh": BTU_PER_KWH, "mwh": 1000 * BTU_PER_KWH,
    "mj": BTU_PER_MJ, "gj": 1000 * BTU_PER_MJ,
}
# 1 W/K = 3.41214 Btu/h per 1.8 °F = 1.89563 Btu/h/°F
_CONDUCTANCE = {"btu/h/f": 1.0, "w/k": (1.0 / W_PER_BTU_H) / 1.8}

# Fuel amounts, per fuel: unit -> Btu of fuel energy.
_FUEL_AMOUNT = {
    "natural_gas": {
        "therm": BTU_PER_THERM, "ccf": BTU_PER_CCF_NATURAL_GAS, "mcf": 10 * BTU_PER_CCF_NATURAL_GAS,
        "m3": BTU_PER_M3_NATURAL_GAS, "mmbtu": 1e6, "kbtu": 1e3, "btu": 1.0, "dth": 1e6,
    },
    "propane": {"gal": BTU_PER_GAL["propane"], "mmbtu": 1e6, "kbtu": 1e3, "btu": 1.0},
    "heating_oil": {"gal": BTU_PER_GAL["heating_oil"], "mmbtu": 1e6, "kbtu": 1e3, "btu": 1.0},
    "kerosene": {"gal": BTU_PER_GAL["kerosene"], "mmbtu": 1e6, "kbtu": 1e3, "btu": 1.0},
    "wood": {"cord": BTU_PER_CORD_WOOD, "mmbtu": 1e6, "kbtu": 1e3, "btu": 1.0},
    "pellets": {"ton": BTU_PER_TON_PELLETS, "lb": BTU_PER_TON_PELLETS / LB_PER_TON,
                "bag": BTU_PER_TON_PELLETS * LB_PER_PELLET_BAG / LB_PER_TON, "mmbtu": 1e6, "kbtu": 1e3, "btu": 1.0},
    "coal": {"ton": BTU_PER_TON_COAL, "lb": BTU_PER_TON_COAL / LB_PER_TON, "mmbtu": 1e6, "kbtu": 1e3, "btu": 1.0},
    "electricity": {"kwh": BTU_PER_KWH, "mwh": 1000 * BTU_PER_KWH},
}

# Prices, per fuel: unit -> factor giving $ per internal sales unit ($/kWh, $/therm, $/gal).
_PRICE = {
    "electricity": {"$/kwh": 1.0, "$/mwh": 1e-3, "c/kwh": 0.01, "$/mmbtu": BTU_PER_KWH / 1e6},
    "natural_gas": {
        "$/therm": 1.0, "$/ccf": BTU_PER_THERM / BTU_PER_CCF_NATURAL_GAS,
        "$/mcf": BTU_PER_THERM / (10 * BTU_PER_CCF_NATURAL_GAS), "$/mmbtu": 0.1, "$/dth": 0.1,
        "$/m3": BTU_PER_THERM / BTU_PER_M3_NATURAL_GAS,
    },
    "propane": {"$/gal": 1.0, "$/mmbtu": BTU_PER_GAL["propane"] / 1e6},
    "heating_oil": {"$/gal": 1.0, "$/mmbtu": BTU_PER_GAL["heating_oil"] / 1e6},
    "kerosene": {"$/gal": 1.0, "$/mmbtu": BTU_PER_GAL["kerosene"] / 1e6},
    "wood": {"$/cord": 1.0, "$/mmbtu": BTU_PER_CORD_WOOD / 1e6},
    "pellets": {"$/ton": 1.0, "$/bag": LB_PER_TON / LB_PER_PELLET_BAG, "$/mmbtu": BTU_PER_TON_PELLETS / 1e6},
    "coal": {"$/ton": 1.0, "$/mmbtu": BTU_PER_TON_COAL / 1e6},
}

# Emission factors, per fuel: unit -> factor giving kg per internal sales unit.
_EMISSION = {
    "electricity": {"kg/kwh": 1.0, "lb/mwh": KG_PER_LB / 1000.0, "kg/mwh": 1e-3, "g/kwh": 1e-3, "t/mwh": 1.0},
    "natural_gas": {"kg/therm": 1.0, "kg/mmbtu": 0.1, "lb/mmbtu": 0.1 * KG_PER_LB},
    "propane": {"kg/gal": 1.0, "kg/mmbtu": BTU_PER_GAL["propane"] / 1e6,
                "lb/mmbtu": KG_PER_LB * BTU_PER_GAL["propane"] / 1e6},
    "heating_oil": {"kg/gal": 1.0, "kg/mmbtu": BTU_PER_GAL["heating_oil"] / 1e6,
                    "lb/mmbtu": KG_PER_LB * BTU_PER_GAL["heating_oil"] / 1e6},
    **{fuel: {f"kg/{FUEL_UNIT[fuel]}": 1.0, "kg/mmbtu": BTU_PER_FUEL_UNIT[fuel] / 1e6,
              "lb/mmbtu": KG_PER_LB * BTU_PER_FUEL_UNIT[fuel] / 1e6} for fuel in FUELS[3:]},
}

_BLOWER = {"kwh/mmbtu": 1.0, "wh/kbtu": 1.0, "kwh/therm": 10.0}

# Spellings accepted for each canonical unit (lower case, spaces removed).
_ALIASES = {
    "°f": "f", "degf": "f", "fahrenheit": "f", "°c": "c", "degc": "c", "celsius": "c",
    "btuh": "btu/h", "btu/hr": "btu/h", "btu/hour": "btu/h", "kbtuh": "kbtu/h", "kbtu/hr": "kbtu/h",
    "mbh": "kbtu/h", "mbtu/h": "kbtu/h", "tons": "ton", "tr": "ton", "watt": "w", "watts": "w",
    "kbtus": "kbtu", "therms": "therm", "thm": "therm", "kwhs": "kwh", "gallon": "gal", "gallons": "gal",
    "gals": "gal", "m³": "m3", "btu/hf": "btu/h/f", "btu/h·f": "btu/h/f", "btu/h-f": "btu/h/f",
    "btu/hr/f": "btu/h/f", "btu/h/°f": "btu/h/f", "btu/(h·f)": "btu/h/f", "btu/(h*f)": "btu/h/f",
    "usd/kwh": "$/kwh", "usd/therm": "$/therm", "usd/gal": "$/gal", "usd/ccf": "$/ccf", "usd/mcf": "$/mcf",
    "usd/mmbtu": "$/mmbtu", "¢/kwh": "c/kwh", "cents/kwh": "c/kwh", "$/gallon": "$/gal",
    "kgco2/kwh": "kg/kwh", "kgco2e/kwh": "kg/kwh", "lbs/mwh": "lb/mwh",
    "cords": "cord", "bags": "bag", "lbs": "lb", "pound": "lb", "pounds": "lb", "usd/cord": "$/cord",
    "usd/ton": "$/ton", "usd/bag": "$/bag", "$/tons": "$/ton",
}

_DISPLAY = {
    "f": "F", "c": "C", "k": "K", "btu/h": "Btu/h", "kbtu/h": "kBtu/h", "ton": "ton", "w": "W",
    "kw": "kW", "btu": "Btu", "kbtu": "kBtu", "mmbtu": "MMBtu", "therm": "therm", "kwh": "kWh", "mwh": "MWh",
    "mj": "MJ", "gj": "GJ", "btu/h/f": "Btu/h/F", "w/k": "W/K", "ccf": "ccf", "mcf": "Mcf", "m3": "m3",
    "gal": "gal", "dth": "Dth", "cord": "cord", "bag": "bag", "lb": "lb",
}

_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:[eE][-+]?\d+)?$")  # 36,000 or 1,234,567.5
_NUMBER = re.compile(r"^\s*\$?\s*([-+]?(?:\d+(?:[.,_]\d+)*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


class UnitKind(NamedTuple):
    """A family of interchangeable units with a default for plain numbers."""

    name: str
    default: str
    table: dict

    def accepted(self) -> str:
        return ", ".join(display_unit(u) for u in self.table)


def display_unit(unit: str) -> str:
    if unit.startswith(("$/", "c/")):
        return unit[:2] + _DISPLAY.get(unit[2:], unit[2:])
    if "/" in unit:
        top, _, rest = unit.partition("/")
        return f"{_DISPLAY.get(top, top)}/{_DISPLAY.get(rest, rest)}"
    return _DISPLAY.get(unit, unit)


TEMPERATURE = UnitKind("temperature", "f", _TEMPERATURE)
MONEY = UnitKind("money", "$", {"$": 1.0, "usd": 1.0, "k$": 1000.0})
MONTHLY_CHARGE = UnitKind("monthly charge", "$/month", {"$/month": 1.0, "$/mo": 1.0, "$/year": 1 / 12, "$/yr": 1 / 12})
#: A household's income [$ per year].
INCOME = UnitKind("income", "$/year", {"$/year": 1.0, "$/yr": 1.0, "usd/year": 1.0, "$": 1.0, "k$/year": 1000.0,
                                       "k": 1000.0, "k$": 1000.0, "k/year": 1000.0, "$/month": 12.0, "$/mo": 12.0})
DURATION = UnitKind("duration", "year", {"year": 1.0, "years": 1.0, "yr": 1.0, "month": 1 / 12, "months": 1 / 12})
POWER = UnitKind("power", "btu/h", _POWER)
ENERGY = UnitKind("energy", "mmbtu", _ENERGY)
CONDUCTANCE = UnitKind("conductance", "btu/h/f", _CONDUCTANCE)
BLOWER = UnitKind("fan energy per heat", "kwh/mmbtu", _BLOWER)
#: Electric input power of equipment under test [W] (ratings state it in W or kW).
ELECTRIC_POWER = UnitKind("electric power", "w", {"w": 1.0, "kw": 1000.0})
#: A PV array's DC nameplate [kW] (arrays are sold in kW).
PV_CAPACITY = UnitKind("PV capacity", "kw", {"kw": 1.0, "w": 0.001, "mw": 1000.0, "kwdc": 1.0, "kwp": 1.0})


def fuel_amount_kind(fuel: str) -> UnitKind:
    return UnitKind(f"{fuel} amount", next(iter(_FUEL_AMOUNT[fuel])), _FUEL_AMOUNT[fuel])


def price_kind(fuel: str) -> UnitKind:
    return UnitKind(f"{fuel} price", next(iter(_PRICE[fuel])), _PRICE[fuel])


def emission_kind(fuel: str) -> UnitKind:
    return UnitKind(f"{fuel} emission factor", next(iter(_EMISSION[fuel])), _EMISSION[fuel])


def normalise_unit(text: str) -> str:
    unit = text.strip().lower().replace(" ", "").replace("per", "/") if text else ""
    unit = unit.replace("btu/h/°f", "btu/h/f")
    return _ALIASES.get(unit, unit)


def split_quantity(value) -> tuple[float, str]:
    """Split ``"780 therm"`` into ``(780.0, "therm")``; a plain number gives an empty unit."""
    if isinstance(value, bool):
        raise UnitError(f"expected a number, got {str(value).lower()}")
    if isinstance(value, (int, float)) or (type(value).__module__ == "numpy" and hasattr(value, "item")
                                            and isinstance(value.item(), (int, float))
                                            and not isinstance(value.item(), bool)):
        try:
            number, unit = float(value), ""
        except OverflowError:
            raise UnitError(f"must be a finite number (got a {len(str(value))}-digit integer)") from None
    elif isinstance(value, str):
        match = _NUMBER.match(value)
        if not match:
            raise UnitError(f"expected a number with a unit, like '36000 Btu/h', got {value!r}")
        digits = match.group(1)
        if "," in digits and not _GROUPED.match(digits.lstrip("+-")):
            # "3,5 ton" is a decimal comma, not 35 tons: a comma only groups thousands (36,000)
            raise UnitError(f"{value.strip()!r}: a comma separates thousands (36,000); write a decimal with a point "
                            f"({digits.replace(',', '.')})")
        number = float(digits.replace(",", "").replace("_", ""))
        unit = match.group(2)
    else:
        raise UnitError(f"expected a number with a unit, got a {type(value).__name__}")
    if math.isnan(number) or math.isinf(number):
        raise UnitError(f"must be a finite number (got {value!r})")
    return number, normalise_unit(unit)


def parse_quantity(value, kind: UnitKind) -> float:
    """Parse a profile quantity into the internal unit of ``kind``.

    Parameters
    ----------
    value : str or float
        ``"36000 Btu/h"``, ``"-5 C"`` or a plain number in the kind's default unit.
    kind : UnitKind
        What the value measures.

    Returns
    -------
    float
        The value in the internal unit (see the module docstring).
    """
    number, unit = split_quantity(value)
    unit = unit or kind.default
    if unit not in kind.table:
        raise UnitError(f"unit {unit!r} is not a {kind.name} unit; use one of: {kind.accepted()}")
    convert = kind.table[unit]
    return convert(number) if callable(convert) else number * convert


# --- output in SI units (``--units si``) ---------------------------------------------------------------------------
# heatcalc computes in US customary units; ``--units si`` converts what it writes, in the render layer only, by
# these rules on the output's own names (a column or JSON key says its unit: ``_mmbtu``, ``_btu_per_h``, ``_f``).

GJ_PER_MMBTU = 1e6 / (1000.0 * BTU_PER_MJ)  # 1.05505585 (1 Btu = 1055.05585 J, NIST SP 811)
L_PER_GAL = 3.785411784  # US gallon (NIST Handbook 44)
W_PER_K_PER_BTU_H_F = W_PER_BTU_H * 1.8  # 1 Btu/h/F = 0.52753 W/K
M3_PER_CORD = 128 * 0.028316846592  # a cord is 4 x 4 x 8 ft of stacked wood
T_PER_TON = 0.90718474  # short ton in metric tonnes
#: Fuel sales units in SI output: natural gas in cubic metres (at EIA's 1,036 Btu/ft3), propane, oil and kerosene in
#: litres, wood in stacked cubic metres, pellets and coal in tonnes.
SI_FUEL_UNIT = {"therm": ("m3", BTU_PER_THERM / BTU_PER_M3_NATURAL_GAS), "gal": ("L", L_PER_GAL),
                "cord": ("m3 stacked", M3_PER_CORD), "ton": ("t", T_PER_TON)}
UNIT_SYSTEMS = ("us", "si")

# names whose SI form the suffix rules would make ambiguous: an hour's heat from the heat pump, beside its kWh
_SI_NAMES = {"heat_pump_btu": "heat_pump_heat_kwh"}
_SI_SUFFIXES = (  # (suffix, SI suffix, conversion), first match wins
    ("_btu_per_h_f", "_w_per_k", lambda v: v * W_PER_K_PER_BTU_H_F),
    ("_per_mmbtu_usd", "_per_gj_usd", lambda v: v / GJ_PER_MMBTU),
    ("_per_mmbtu", "_per_gj", lambda v: v / GJ_PER_MMBTU),
    ("_mmbtu", "_gj", lambda v: v * GJ_PER_MMBTU),
    ("_btu_per_h", "_kw", lambda v: v * W_PER_BTU_H / 1000.0),
    ("_btu", "_kwh", lambda v: v / BTU_PER_KWH),
    ("_f", "_c", f_to_c),
)


def si_name(name: str):
    """An output name's SI form and the conversion of its values: ``("heat_delivered_gj", f)``; ``(name, None)``
    when it is already SI or unitless (kWh, kW, kg, $)."""
    for suffix, si, convert in _SI_SUFFIXES:
        if name.endswith(suffix):
            return _SI_NAMES.get(name, name[: -len(suffix)] + si), convert
    return name, None


def si_fuel(use, unit):
    """A fuel amount in its SI sales unit: (amount, unit); kWh and unknown units unchanged."""
    new, factor = SI_FUEL_UNIT.get(unit, (unit, None))
    if factor is None or use is None:
        return use, unit if factor is None else new
    return use * factor, new


def to_si(value):
    """Output data (a row, a JSON document, lists of them) with every figure in SI units and every name saying so:
    MMBtu as GJ, Btu as kWh, Btu/h as kW, F as C, Btu/h/F as W/K, fuel in m3 or L (``fuel_use`` with its
    ``fuel_unit``).  Prices stay in the units the profile's fields take ($/kWh, $/therm, $/gal)."""
    if isinstance(value, list):
        return [to_si(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, v in value.items():
        name, convert = si_name(key) if isinstance(key, str) else (key, None)
        if convert is not None and isinstance(v, (int, float)) and not isinstance(v, bool):
            out[name] = convert(v)
        else:
            out[name] = to_si(v)
    if "fuel_use" in out and "fuel_unit" in out:
        out["fuel_use"], out["fuel_unit"] = si_fuel(out["fuel_use"], out["fuel_unit"])
    return out
