"""The commented starter profile that `heatcalc init` writes."""

import re

STARTER_PROFILE = """\
# A heatcalc home profile. Every field is documented in docs/profile.md; `heatcalc schema` prints a JSON Schema
# that editors can use to complete and check this file.
name: My home

location:
  zip: "02134"                 # or: state: MA | station: "725090" | lat: 42.36 + lon: -71.01 | weather_file: x.epw

heating_load:                  # one of from_bills, annual, design, ua, hourly
  from_bills:
    fuel: natural_gas          # natural_gas | propane | heating_oil | kerosene | wood | pellets | coal | electricity
    amount: 780 therm          # a year of bills (therm, ccf, Mcf, m3, gal, cord, ton, kWh, MMBtu), or dated bills:
    # periods:                 #   fitted to the weather of their dates (then leave out amount and balance_point)
    #   - {start: 2024-01-03, end: 2024-02-02, amount: 95 therm}
    #   - {start: 2024-02-02, end: 2024-03-04, amount: 88 therm}
    efficiency: 0.80           # the current system's AFUE (or COP for electric heat)
    non_heating: 15 therm/month  # water heating, cooking on the same meter
  # annual: 62 MMBtu
  # design: {load: 42000 Btu/h, outdoor: 6 F}
  # ua: 650 Btu/h/F
  # hourly: {file: load.csv, column: heat_out_kw, unit: kW}   # EnergyPlus, OCHRE, BEopt or ResStock output
  balance_point: 60 F

systems:                       # all three are compared; set one to false to leave it out
  heat_pump:
    hspf2: 8.1
    compressor: variable_speed # single_stage | two_stage | variable_speed
    # capacity: 3 ton          # default: sized to the home's design load
    backup: electric_resistance  # or furnace (dual fuel)
    cutoff: -13 F
    # serves: 60 %             # a ductless head heating part of the home; the current system heats the rest
  furnace:
    # kind: boiler             # boiler (radiators) | stove | insert (default: furnace, on ducts)
    fuel: natural_gas
    afue: 0.95
  electric_resistance:
    efficiency: 1.0

# prices:                      # default: EIA 2023 state averages
#   electricity: 0.28 $/kWh
#   natural_gas: 1.85 $/therm

# --- optional sections: uncomment what applies (each is documented in docs/profile.md) ---

# cooling_load:                # the cooling season too: the heat pump cools, an air conditioner joins the others
#   annual: 20 MMBtu           # or ua, design, from_bills, hourly

# ducts:                       # what an air system's ducts lose on the way to the rooms
#   efficiency: 0.80           # ASHRAE 152's seasonal distribution efficiency (1.0: ducts inside the home)

# tariff:                      # the household's rate instead of one price per kWh
#   urdb: my-rate.json         # a rate downloaded from OpenEI's Utility Rate Database (tiers, time of use, charges)
#   adjustment: -0.02 $/kWh    # shifts every energy charge of the rate (prices.electricity is then not used)
#   natural_gas: [{up_to: 50 therm, price: 1.95 $/therm}, {price: 2.20 $/therm}]   # gas in monthly blocks

# fixed_charges:               # monthly customer charges (then default prices are taken as marginal prices)
#   electricity: 12 $/month
#   natural_gas: 15 $/month

# base_use:                    # the rest of the home on the same meters: places the heating in the right tiers
#   electricity: 600 kWh/month

# solar:                       # rooftop solar, hour by hour (PVWatts' chain on the station's weather)
#   capacity: 6 kW
#   tilt: 30
#   azimuth: 180               # 180 = south
#   installed_cost: 18000 $    # your quote: gives the array's payback and NPV

# household:                   # who buys: income-limited incentives need income and size
#   income: 95k
#   size: 3
#   owner: true
#   # utility: Eversource      # default: the ZIP's utility

# economics:                   # what each option costs to buy, after incentives, and over its life
#   current: furnace           # the system the home has today
#   incentives: auto           # the rebates and credits the household qualifies for (heatcalc incentives lists them)
#   lifetime: 15 years
#   discount_rate: 0.05

# emissions:
#   electricity: marginal      # or a factor such as 0.25 kg/kWh (default: the state's eGRID rate)
"""

#: The fuel a year of bills in a unit is most likely for (gallons could be propane or oil: the user says which).
BILL_UNIT_FUEL = {"therm": "natural_gas", "ccf": "natural_gas", "mcf": "natural_gas", "m3": "natural_gas",
                  "kwh": "electricity", "mwh": "electricity", "cord": "wood"}
#: What a stove home's starter shows for each fuel: a year's bills, and the price line (commented where heatcalc has
#: a default, an example to replace where it has none).
STOVE_STARTER = {
    "wood": ("4 cord", "# prices:\n#   wood: 300 $/cord           # default: EIA SEDS 2021 by region; local cordwood often "
                       "costs more"),
    "pellets": ("3 ton", "prices:\n  pellets: 320 $/ton           # your price: heatcalc has no default for pellets"),
    "coal": ("3 ton", "prices:\n  coal: 350 $/ton              # your price: heatcalc has no default for coal"),
    "kerosene": ("500 gal", "prices:\n  kerosene: 4.60 $/gal         # your price: heatcalc has no default for kerosene"),
}


def starter_profile(zip_code: str | None = None, bills: str | None = None, fuel: str | None = None,
                    boiler: bool = False, stove: bool = False) -> str:
    """The starter with the home's ZIP and a year of its bills filled in where given (checked as a profile checks
    them; :class:`~heatcalc.errors.HeatcalcError` says what is wrong); ``boiler``: a boiler home on radiators, its
    heat pump an air-to-water unit on the same radiators, the boiler its backup; ``stove``: a home heated by a wood
    (or pellet, coal, kerosene: ``fuel``) stove, its heat pump a ductless mini-split."""
    from .errors import HeatcalcError
    from .units import UnitError, split_quantity
    from .weather.stations import zip5

    text = STARTER_PROFILE
    if boiler and stove:
        raise HeatcalcError("--boiler and --stove: choose one (a stove home, or a boiler home)")
    if stove:
        return _stove_starter(zip_code, bills, fuel)
    if zip_code is not None:
        code = zip5(str(zip_code))
        if code is None:
            raise HeatcalcError(f"--zip: a 5-digit US ZIP code, got {zip_code!r}")
        text = text.replace('zip: "02134"  ', f'zip: "{code}"  ', 1)
    if bills is not None:
        try:
            amount, unit = split_quantity(bills)
        except UnitError as exc:
            raise HeatcalcError(f"--bills: {exc}") from None
        if not unit:
            raise HeatcalcError(f"--bills {bills!r}: give the unit, e.g. '850 therm', '600 gal' or '9000 kWh'")
        fuel = fuel or BILL_UNIT_FUEL.get(unit.lower())
        if fuel is None:
            raise HeatcalcError(f"--bills {bills!r}: gallons could be propane or heating oil: give --fuel")
        text = text.replace("    fuel: natural_gas          # natural_gas", f"    fuel: {fuel:<19}# natural_gas", 1)
        text = text.replace("    amount: 780 therm          #", f"    amount: {f'{amount:g} {unit}':<19}#", 1)
        if fuel != "natural_gas":  # non_heating is in the bills' unit; the example's therms would not fit
            text = text.replace("    non_heating: 15 therm/month", "    # non_heating: 15 therm/month", 1)
        if fuel in ("propane", "heating_oil"):  # the furnace compared is one of the same fuel
            afue = "0.85" if fuel == "heating_oil" else "0.95"
            text = text.replace("    fuel: natural_gas\n    afue: 0.95", f"    fuel: {fuel}\n    afue: {afue}", 1)
    if boiler:
        text = text.replace("    # kind: boiler             # boiler (radiators) | stove | insert (default: furnace, on "
                            "ducts)", "    kind: boiler               # on radiators or baseboard: no ducts", 1)
        text = text.replace("    hspf2: 8.1\n    compressor: variable_speed # single_stage | two_stage | variable_speed\n",
                            "    type: air_to_water         # heats the radiators' water\n"
                            "    supply_temperature: {design: 120 F, mild: 90 F}   # outdoor reset: hottest water on "
                            "the coldest days\n", 1)
        text = text.replace("    backup: electric_resistance  # or furnace (dual fuel)",
                            "    backup: furnace            # the boiler takes over in the coldest hours", 1)
        text = re.sub(r"    afue: 0\.\d+\n", "", text, count=1)  # a boiler's own default (ENERGY STAR), or the bills'
    return text


def _stove_starter(zip_code: str | None, bills: str | None, fuel: str | None) -> str:
    """A stove home: its bills in cords (tons, gallons), the stove as the system compared, a ductless heat pump."""
    from .errors import HeatcalcError
    from .units import UnitError, split_quantity

    if fuel is None and bills is not None:
        try:
            unit = split_quantity(bills)[1]
        except UnitError:
            unit = ""  # starter_profile says what is wrong with it
        if unit == "ton":
            raise HeatcalcError(f"--bills {bills!r}: tons could be pellets or coal: give --fuel")
        fuel = {"gal": "kerosene"}.get(unit, BILL_UNIT_FUEL.get(unit))
    fuel = fuel or "wood"
    if fuel not in STOVE_STARTER:
        raise HeatcalcError(f"--stove: a stove burns wood, pellets, coal or kerosene (got --fuel {fuel})")
    amount, price = STOVE_STARTER[fuel]
    text = starter_profile(zip_code, bills or amount, fuel)
    text = text.replace("    efficiency: 0.80           # the current system's AFUE (or COP for electric heat)\n",
                        "    efficiency: 0.70           # the stove's tested efficiency: no cited default for coal\n"
                        if fuel == "coal" else "", 1)
    text = text.replace("    non_heating: 15 therm/month", "    # non_heating: 15 therm/month", 1)
    text = text.replace("    # kind: boiler             # boiler (radiators) | stove | insert (default: furnace, on "
                        "ducts)", "    kind: stove                # in the main room: no ducts (insert: in a fireplace)", 1)
    text = re.sub(r"    fuel: \w+\n    afue: 0\.\d+\n", f"    fuel: {fuel}\n", text, count=1)
    text = text.replace("    hspf2: 8.1\n", "    hspf2: 9.5\n    distribution: ductless     # mini-split heads in the main "
                        "rooms\n", 1)
    text = text.replace("# prices:                      # default: EIA 2023 state averages\n"
                        "#   electricity: 0.28 $/kWh\n#   natural_gas: 1.85 $/therm", price, 1)
    return text
