"""The profile, declared once: its typed sections and every field's type, unit, bounds, default and source.

Values are in internal units (:mod:`heatcalc.units`): °F, Btu, Btu/h, Btu/h/°F, $/kWh, $/therm, $/gal.  A field
left out is None; a default is applied (and reported as an assumption) by :mod:`heatcalc.home`, which reads it from
the declaration here.
"""

from __future__ import annotations

from .. import units as u
from ..errors import Problem, ProfileError
from .declare import Record, leaf, line_of, section

MAX_HEAT_BTU = 5_000e6  # 5,000 MMBtu a year: ten times a large house, so no input can overflow the model
MAX_LOAD_BTU_PER_H = 2_000_000.0
MAX_UA_BTU_PER_H_F = 20_000.0
COMPRESSORS = u.COMPRESSORS
BACKUPS = ("electric_resistance", "furnace")
SYSTEMS = ("heat_pump", "furnace", "electric_resistance")
HEAT_PUMP_TYPES = ("air_source", "ground_source", "air_to_water")
TEMP = u.TEMPERATURE

US_MINIMUM_2023 = "US minimum since 2023 (10 CFR 430.32(c))"


def _bill_amount_kind(values: dict) -> u.UnitKind | None:
    """The amount's unit follows the billed fuel; None while the fuel itself is wrong (that is reported there)."""
    fuel = values.get("fuel")
    if fuel is None:
        return u.fuel_amount_kind("natural_gas")
    if not isinstance(fuel, str) or fuel.strip() not in u.BILL_FUELS:
        return None
    return u.fuel_amount_kind(fuel.strip())


# --- where, and how much heat -----------------------------------------------------------------------------------

class Location(Record, one_of=("zip", "station", "lat", "weather_file", "state"), required_one=True):
    """Where the home is. Give one of zip, station, lat+lon, weather_file or state; `state` may also accompany the
    others to choose the state whose prices and grid emissions apply."""

    zip: str | None = leaf("string", "US ZIP code, five digits or ZIP+4 (02134-1234): state, and the nearest TMY3 "
                                     "station.", example="02134")
    state: str | None = leaf("string", "Two-letter state code (also DC, PR, GU, VI).", example="MA")
    station: str | None = leaf("string", "TMY3 station USAF id, see `heatcalc stations`.", example="725090")
    lat: float | None = leaf("number", "Latitude [degrees north]; with lon. The point must lie within 200 km of one "
                                       "of the embedded US stations.", minimum=-90, maximum=90)
    lon: float | None = leaf("number", "Longitude [degrees east, negative in the US]; with lat.", minimum=-180,
                             maximum=180)
    weather_file: str | None = leaf("string", "An EnergyPlus EPW or TMY3 CSV file, relative to the profile.")


class BillPeriod(Record, required=("start", "end", "amount")):
    """One metered bill: the fuel used from one meter read to the next."""

    start: object = leaf("date", "The first day of the period (the earlier meter read).", example="2024-01-03")
    end: object = leaf("date", "The day of the next meter read: the period ends the day before.",
                       example="2024-02-02")
    amount: float | None = leaf("quantity", "Fuel used in the period, in the bills' fuel's units.",
                                unit=_bill_amount_kind, minimum=0, maximum=MAX_HEAT_BTU * 10, example="95 therm")


class Delivery(Record, required=("date", "amount")):
    """One delivery of a delivered fuel (propane, heating oil) that filled the tank."""

    date: object = leaf("date", "The day of the delivery.", example="2024-01-15")
    amount: float | None = leaf("quantity", "Fuel delivered.", unit=_bill_amount_kind, minimum=0,
                                maximum=MAX_HEAT_BTU * 10, example="180 gal")


class Bills(Record, one_of=("amount", "periods", "deliveries"), required_one=True, required=("fuel",)):
    """Bills of the current heating fuel: a year's total, dated meter periods, or dated deliveries."""

    fuel: str | None = leaf("enum", "The billed fuel.", choices=u.BILL_FUELS, example="natural_gas")
    amount: float | None = leaf("quantity", "Fuel bought in the year (therm, ccf, Mcf, m3, gal, kWh, MMBtu).",
                                unit=_bill_amount_kind, above=0, maximum=MAX_HEAT_BTU * 10, example="780 therm")
    periods: list | None = leaf(
        "rows", "Dated bills: a list of {start, end, amount}, end being the next meter read. UA, balance point and "
                "the non-heating use per day are fitted to the weather of those dates (matched by month and day).",
        items=BillPeriod, example="[{start: 2024-01-03, end: 2024-02-02, amount: 95 therm}, ...]")
    deliveries: list | None = leaf(
        "rows", "Dated fill-up deliveries of a delivered fuel: a list of {date, amount}; each delivery refills what "
                "was burned since the one before, and the fit is as for periods.",
        items=Delivery, example="[{date: 2023-10-02, amount: 150 gal}, ...]")
    efficiency: float | None = leaf(
        "number", "Seasonal efficiency of the current system (AFUE, or COP for electric heat).", above=0, maximum=6,
        default={"natural_gas": 0.80, "propane": 0.80, "heating_oil": 0.80, "kerosene": 0.80, "wood": 0.71,
                 "pellets": 0.74, "electricity": 1.0}, default_by="fuel",
        source="a typical existing system: furnace AFUE 0.80, electric resistance 1.0; wood and pellet stoves 0.71 "
               "and 0.74, the averages of the tested efficiencies on EPA's list of certified wood heaters (HHV, CSA "
               "B415.1); coal: none, give it", example=0.8)
    non_heating: float | None = leaf(
        "per_time", "Non-heating use on the same meter (water heating, cooking), per month or per year, e.g. "
                    "`15 therm/month`.", unit=_bill_amount_kind, minimum=0, maximum=MAX_HEAT_BTU * 10, default=0.0,
        example="15 therm/month")


class DesignLoad(Record, required=("load", "outdoor")):
    """Design heat loss, e.g. from an ACCA Manual J."""

    load: float | None = leaf("quantity", "Heat loss at the design temperature.", unit=u.POWER, above=0,
                              maximum=MAX_LOAD_BTU_PER_H, example="42000 Btu/h")
    outdoor: float | None = leaf("quantity", "Design outdoor temperature.", unit=TEMP, minimum=-80, maximum=70,
                                 example="6 F")
    includes_ducts: bool | None = leaf(
        "bool", "Whether the load already includes the ducts' losses (a Manual J total with its duct loss line): "
                "then `ducts.efficiency` is not charged on top of it for the ducted systems.", default=False,
        source="ACCA Manual J lists the duct load as its own line; heatcalc takes `load` as the rooms' heat loss "
               "unless told otherwise")


class HourlyLoad(Record, required=("file", "column", "unit")):
    """An hourly (or finer) load series from another tool: one column of a CSV file with a header."""

    file: str | None = leaf("string", "The CSV file, relative to the profile.", example="load.csv")
    column: str | None = leaf("string", "The column holding the load.", example="heat_out_kw")
    unit: str | None = leaf("string", "The column's unit: a rate (kW, W, Btu/h, kBtu/h, ton) or an amount per step "
                                      "(kWh, Wh, Btu, kBtu, MMBtu, therm).", example="kW")
    # `file` may be gzip-compressed (load.csv.gz): it is read decompressed.
    time: str | None = leaf("string", "The column of ISO timestamps (the start of each step) that places rows on "
                                      "the year's hours; without one, a column named time, timestamp or datetime is "
                                      "used if present, else row 1 is the first step of 1 January.",
                            example="Time")
    time_convention: str | None = leaf(
        "enum", "Whether each timestamp marks the start of its step (beginning) or its end (ending: ResStock's and "
                "EnergyPlus's convention, where 01:00 labels the first hour of the year).",
        choices=("beginning", "ending"), default="beginning",
        source="ISO 8601 intervals are named by their start; give `ending` for hour-ending files")


class HeatingLoad(Record, one_of=("from_bills", "annual", "design", "ua", "hourly"), required_one=True):
    """How much heat the home needs. Give exactly one of from_bills, annual, design, ua or hourly."""

    from_bills: Bills | None = section(Bills)
    hourly: HourlyLoad | None = section(HourlyLoad)
    annual: float | None = leaf("quantity", "Heat delivered to the home per year.", unit=u.ENERGY, above=0,
                                maximum=MAX_HEAT_BTU, example="62 MMBtu")
    design: DesignLoad | None = section(DesignLoad)
    ua: float | None = leaf("quantity", "Whole-house heat-loss coefficient.", unit=u.CONDUCTANCE, above=0,
                            maximum=MAX_UA_BTU_PER_H_F, example="650 Btu/h/F")
    balance_point: float | None = leaf(
        "quantity", "Outdoor temperature below which the home needs heat.", unit=TEMP, minimum=0, maximum=75,
        default=60.0, source="common residential balance point (ASHRAE Fundamentals ch. 18, variable-base "
                             "degree-day method)")
    indoor: float | None = leaf("quantity", "Indoor temperature the design load was computed for, used with `design`.",
                                unit=TEMP, minimum=50, maximum=85, default=70.0,
                                source="ACCA Manual J (8th ed.) heating design indoor condition")


# --- equipment --------------------------------------------------------------------------------------------------

SPEEDS = ("min", "rated", "max")


class PerformancePoint(Record, required=("outdoor", "capacity")):
    """A rated point of a heat pump: either {outdoor, cop, capacity[, min_cop, min_capacity]} at the highest speed,
    or, as manufacturers and the NEEP list publish them, {outdoor, speed, capacity, power or cop} rows at the min,
    rated and max speeds."""

    outdoor: float | None = leaf("quantity", "Outdoor temperature.", unit=TEMP, minimum=-60, maximum=80)
    speed: str | None = leaf("enum", "Which compressor speed the row is for (rows with a speed: min, rated, max).",
                             choices=SPEEDS)
    cop: float | None = leaf("number", "COP (indoor fan and defrost included); at the highest speed in rows without "
                                       "a speed.", minimum=1, maximum=10)
    capacity: float | None = leaf("quantity", "Capacity; at the highest speed in rows without a speed.",
                                  unit=u.POWER, above=0, maximum=600_000)
    power: float | None = leaf("quantity", "Input power, instead of cop (rows with a speed).", unit=u.ELECTRIC_POWER,
                               above=0, maximum=100_000)
    min_cop: float | None = leaf("number", "COP at the lowest speed.", minimum=1, maximum=12)
    min_capacity: float | None = leaf("quantity", "Capacity at the lowest speed.", unit=u.POWER, above=0,
                                      maximum=600_000)


class RatingTest(Record, required=("outdoor", "stage", "capacity", "power")):
    """One test of AHRI 210/240's heating set."""

    outdoor: float | None = leaf("quantity", "Outdoor temperature of the test (62, 47, 35, 17 or 5 F).", unit=TEMP,
                                 minimum=-60, maximum=80)
    stage: str | None = leaf("enum", "Compressor stage: low (a variable-speed unit's minimum), intermediate (a "
                                     "variable-speed unit's 35 F test) or full.", choices=("low", "intermediate",
                                                                                           "full"))
    capacity: float | None = leaf("quantity", "Heating capacity measured.", unit=u.POWER, above=0, maximum=600_000)
    power: float | None = leaf("quantity", "Input power measured.", unit=u.ELECTRIC_POWER, above=0,
                               maximum=100_000)


class Cutout(Record, required=("off",)):
    """A low-temperature cut-out: the compressor stops at or below `off` and restarts above `on`."""

    off: float | None = leaf("quantity", "Cut-out temperature.", unit=TEMP, minimum=-60, maximum=60)
    on: float | None = leaf("quantity", "Restart temperature.", unit=TEMP, minimum=-60, maximum=70,
                            rule="the cut-out temperature")


class RatingTests(Record, required=("tests",)):
    """A unit's AHRI 210/240 heating test set: the rating then follows appendix M1 exactly, and the hourly model
    uses the tests' points."""

    compressor: str | None = leaf("enum", "Compressor type (else systems.heat_pump.compressor).", choices=COMPRESSORS)
    region: str | None = leaf("enum", "AHRI climate region of the rating.", choices=("I", "II", "III", "IV", "V",
                                                                                    "VI"),
                              default="IV", source="AHRI 210/240-2023: ratings are stated for Region IV")
    cooling_capacity: float | None = leaf(
        "quantity", "Cooling capacity at 95 F (full stage), for the load line.", unit=u.POWER, above=0,
        maximum=600_000, rule="the full-stage heating capacity at 47 F")
    cycling_degradation: dict | None = leaf(
        "stages", "Cyclic degradation coefficient C_d: one number, or {full, low}.", minimum=0, maximum=0.5,
        default=0.25, source="AHRI 210/240-2023's default for units not tested for cycling")
    defrost_credit: float | None = leaf("number", "Demand-defrost credit F_def (1.0 for time-temperature defrost).",
                                        minimum=1.0, maximum=1.2, default=1.0,
                                        source="AHRI 210/240-2023: 1.0 unless the unit has demand defrost")
    cutout: Cutout | None = section(Cutout)
    tests: list | None = leaf("tests", "The tests: a list of {outdoor, stage, capacity, power}; full-stage (and, for "
                                       "two-stage and variable-speed units, low-stage) tests at 47 F and 17 F are "
                                       "required; 62, 35 and 5 F ones are used when given.", items=RatingTest)


class HeatPumpTariff(Record, required=("urdb",)):
    """The rate the home moves to with the heat pump (a utility's heat-pump rate): the whole home's electricity is
    billed on it when the heat pump is installed; every other option stays on `tariff`."""

    urdb: str | None = leaf("string", "A rate file from OpenEI's Utility Rate Database (as tariff.urdb), relative to "
                                      "the profile.", example="rates/heat-pump-rate.json")
    name: str | None = leaf("string", "Which rate of a URDB file holding several (its `name` or `label`).")
    year: float | None = leaf("number", "Calendar year its schedules and daylight saving time follow.", minimum=1990,
                              maximum=2100, rule="tariff.year")
    adjustment: float | None = leaf("quantity", "Added to every energy charge of this rate, negative to lower them.",
                                    unit=u.price_kind("electricity"), minimum=-2, maximum=2, rule="tariff.adjustment",
                                    example="-0.02 $/kWh")


class SupplyTemperature(Record):
    """An air-to-water heat pump's water: an outdoor-reset curve, hottest at the design temperature."""

    design: float | None = leaf("quantity", "Supply water at the design temperature (radiators sized for 180 F water "
                                            "need it hotter than floors).", unit=TEMP, minimum=70, maximum=160,
                                default=120.0, source="low-temperature radiators or baseboard sized for a heat pump")
    mild: float | None = leaf("quantity", "Supply water at 60 F outdoors and above (give the design value for a fixed "
                                          "supply).", unit=TEMP, minimum=70, maximum=160, default=90.0,
                              source="a typical outdoor-reset curve's mild end")


class HeatPumpConfig(Record):
    """A heat pump: air-source, or ground-source."""

    type: str | None = leaf("enum", "Air-source (outdoor air to the home's air), ground-source (a closed water loop "
                                    "in the ground), or air-to-water (outdoor air to the water of radiators or "
                                    "floors).", choices=HEAT_PUMP_TYPES, default="air_source")
    supply_temperature: SupplyTemperature | None = section(SupplyTemperature, absent="empty")
    cop: float | None = leaf("number", "Ground source: COP at 32 F entering water, full load (ISO 13256-1).",
                             minimum=1, maximum=8, default=3.6,
                             source="ENERGY STAR minimum for closed-loop water-to-air units at 32 F EWT (ISO 13256-1)")
    loop: str | None = leaf("enum", "Ground source: vertical boreholes or a horizontal trench loop.",
                            choices=("vertical", "horizontal"), default="vertical",
                            source="the most common residential ground loop")
    hspf2: float | None = leaf("number", "Air source: HSPF2 rating; gives default performance points (RESNET 301 "
                                         "Addendum 82).", minimum=5, maximum=16, default=8.1,
                               source="a typical new ducted heat pump (the US minimum is 7.5 since 2023)")
    hspf: float | None = leaf("number", "Air source: the pre-2023 rating (HSPF), converted to HSPF2 by x 0.85 ducted "
                                        "or x 0.90 ductless, when no hspf2 is given.", minimum=5, maximum=20)
    capacity_5f: float | None = leaf(
        "retention", "Air source, default curves: the capacity at 5 F, as a share of the 47 F capacity (0.7) or as a "
                     "capacity (25000 Btu/h), as installers quote it; the default curve's 5 F capacity is set to it "
                     "(17 F in between).", unit=u.POWER, above=0, maximum=600_000)
    field_factor: float | None = leaf(
        "number", "COP multiplier for what installations deliver against the rating (1.0: as rated); air-source and "
                  "ground-source units (refused for an air-to-water unit).", minimum=0.5,
        maximum=1.2, default=1.0, source="as rated; field studies measure less (the Alaska Heat Pump Calculator "
                                         "uses 0.9, from metered mini-splits in Seward; Mitchell 2022)")
    cooling_capacity: float | None = leaf(
        "quantity", "Air source: rated cooling capacity at 95 F (AHRI), for the rating's load line.", unit=u.POWER,
        above=0, maximum=600_000, rule="the rated (else highest-speed) heating capacity at 47 F")
    tests: RatingTests | None = section(RatingTests)
    performance: list | None = leaf(
        "points", "Explicit rated points (win over hspf2): a list of {outdoor, cop, capacity} at two or more "
                  "outdoor temperatures, optionally with min_cop and min_capacity at the lowest compressor speed; or "
                  "rows {outdoor, speed: min|rated|max, capacity, power or cop} as a unit's data sheet gives them.",
        items=PerformancePoint)
    compressor: str | None = leaf(
        "enum", "Compressor type.", choices=COMPRESSORS,
        default={"air_source": "variable_speed", "ground_source": "single_stage"}, default_by="type",
        source="most new cold-climate air-source units are inverter-driven; most ground-source units are "
               "single-speed")
    capacity: float | None = leaf(
        "quantity", "Nominal capacity at 47 F (ground source: at 32 F entering water) when no points are given; a "
                    "plain number is Btu/h; at least 6,000 Btu/h (half a ton, the smallest unit made).",
        unit=u.POWER, minimum=6000, maximum=600_000,
        rule="the smallest standard size whose capacity at the sizing temperature covers the load there (the "
             "design temperature, or the cutoff if warmer; for single- and two-stage units at least 17 F; ground "
             "source: at the design entering water temperature)")
    distribution: str | None = leaf("enum", "Air source: ducted (a central air handler) or ductless (mini-split "
                                            "heads); sets its default installed cost.", choices=("ducted", "ductless"),
                                    default="ducted", source="most heat pumps that replace a furnace use its ducts")
    zones: float | None = leaf("number", "Ductless: the number of indoor units (heads); sets its default installed "
                                         "cost, which is priced per head.", minimum=1, maximum=12,
                               rule="one per 18,000 Btu/h of nominal capacity, rounded up (the largest common "
                                    "single-zone head)")
    serves: float | None = leaf(
        "number", "The share of the heating load the heat pump can reach (0.6 or 60 %: a ductless head heating the "
                  "main rooms); the home's current system heats the rest (economics.current, else the furnace, else "
                  "resistance) and whatever the heat pump cannot carry (so backup_capacity and backup_lockout, which "
                  "limit strips, are refused below 1).", minimum=0.05, maximum=1, default=1.0,
        source="the whole home; a share is a fraction of load served, as OpenStudio-HPXML splits a home's load")
    backup: str | None = leaf("enum", "What heats when the heat pump cannot: resistance strips, or the furnace "
                                      "(dual fuel, uses systems.furnace).", choices=BACKUPS,
                              default="electric_resistance")
    backup_capacity: float | None = leaf(
        "quantity", "Resistance backup: the strips' capacity (e.g. 10 kW); what the heat pump and strips cannot "
                    "deliver is reported as unmet heat.", unit=u.POWER, minimum=0, maximum=600_000,
        rule="unlimited: strips large enough for any shortfall (`heatcalc size` gives the kW that takes)")
    backup_lockout: float | None = leaf(
        "quantity", "Resistance backup: locked out above this outdoor temperature (a thermostat's auxiliary-heat "
                    "lockout).", unit=TEMP, minimum=-60, maximum=80, rule="no lockout")
    switchover: float | None = leaf(
        "quantity", "Dual fuel: below this the furnace takes over.", unit=TEMP, minimum=-60, maximum=70,
        rule="the economic switchover: below it the furnace's heat costs less than the heat pump's at full speed, "
             "at the prices used (ground source: always or never, at the design entering water temperature)")
    cutoff: float | None = leaf(
        "quantity", "Compressor lockout: below this only backup heats.", unit=TEMP, minimum=-60, maximum=60,
        default={"air_source": -13.0, "ground_source": None}, default_by="type",
        source="a typical low-ambient lockout of current variable-speed units; a ground loop needs none")
    seer2: float | None = leaf("number", "Cooling SEER2, used with cooling_load.", minimum=8, maximum=40,
                               default=14.3, source=f"split heat pumps' {US_MINIMUM_2023}")
    tariff: HeatPumpTariff | None = section(HeatPumpTariff)
    cycling_degradation: float | None = leaf(
        "number", "Cyclic degradation coefficient C_d below minimum capacity (AHRI 210/240).", minimum=0,
        maximum=0.5, default={"single_stage": 0.25, "two_stage": 0.25, "variable_speed": 0.15},
        default_by="compressor",
        source="AHRI 210/240-2023's default for untested units, 0.25; 0.15 for variable speed, as RESNET 301 models")


FURNACE_KINDS = ("furnace", "boiler", "stove", "insert")


class FurnaceConfig(Record):
    """A fuel furnace, a boiler (kind: boiler) heating radiators or baseboard, or a stove or fireplace insert burning
    wood, pellets, coal or kerosene in the room."""

    kind: str | None = leaf("enum", "A furnace (a fan blows warm air through ducts), a boiler (a circulator pumps "
                                    "hot water to radiators, baseboard or floors), a stove (a free-standing wood, "
                                    "pellet, coal or kerosene heater) or an insert (a stove set into a fireplace).",
                            choices=FURNACE_KINDS, default="furnace",
                            source="the system heatcalc compares a heat pump with by default")
    fuel: str | None = leaf("enum", "Fuel burned: natural_gas, propane, heating_oil, kerosene, wood (cords), pellets "
                                    "(tons) or coal (tons of anthracite).", choices=u.FUELS,
                            rule="the billed fuel if it is one, else natural gas (the most common furnace fuel)")
    afue: float | None = leaf(
        "number", "Annual fuel utilisation efficiency (a stove: its tested efficiency, HHV).", above=0.3, maximum=1.0,
        default={"natural_gas": 0.95, "propane": 0.95, "heating_oil": 0.85, "kerosene": 0.85, "wood": 0.75,
                 "pellets": 0.75}, default_by="fuel",
        rule="the bills' efficiency when the bills are for this fuel",
        source="a new condensing gas or propane furnace 0.95, oil and kerosene 0.85 (US DOE minimums are 0.80 and "
               "0.83); a boiler: an ENERGY STAR boiler, gas and propane 0.90, oil and kerosene 0.87 (ENERGY STAR "
               "Residential Boilers v3.0; US DOE minimums for hot-water boilers 0.84 and 0.86); a wood or pellet "
               "furnace or boiler 0.75, the efficiency the federal credit for biomass stoves and boilers requires (HHV, "
               "26 USC 25C as amended in 2022); a stove or insert: wood 0.71, pellets 0.74, the averages of the tested efficiencies on "
               "EPA's list of certified wood heaters (HHV, CSA B415.1; Alliance for Green Heat's 2020 tally); coal "
               "and a kerosene stove: none, give it")
    blower: float | None = leaf(
        "quantity", "Fan (a boiler: circulator and burner; a stove: its fans and auger) electricity per MMBtu "
                    "delivered (0 leaves it out).",
        unit=u.BLOWER, minimum=0, maximum=100, default=10.0,
        source="a furnace fan of about 0.4 W per cfm at 400 cfm per 12,000 Btu/h of output; a boiler: a wet-rotor "
               "circulator of about 80 W (gas, propane, wood, coal: 2 kWh/MMBtu at a 40,000 Btu/h firing rate), "
               "with an oil, kerosene or pellet burner's motor about 100 W more (4.5); a stove: none for wood and "
               "coal, a pellet stove's fans and auger about 100 W at 30,000 Btu/h (3), a vented kerosene heater's "
               "fan about 40 W at 40,000 Btu/h (1)")


class ResistanceConfig(Record):
    """Electric resistance heat."""

    efficiency: float | None = leaf("number", "Share of the electricity delivered as heat.", above=0.3, maximum=1.0,
                                    default=1.0, source="all of the electricity becomes heat in the room")


class AirConditionerConfig(Record):
    """The air conditioner that cools the home alongside the furnace or resistance heat (used with cooling_load);
    false: no cooling."""

    seer2: float | None = leaf("number", "Cooling SEER2.", minimum=8, maximum=40, default=13.4,
                               source=f"split air conditioners' {US_MINIMUM_2023} in the North")
    capacity: float | None = leaf("quantity", "Rated cooling capacity; what the cooling load exceeds it by is "
                                              "reported as unmet cooling.", unit=u.POWER, above=0, maximum=600_000,
                                  rule="unlimited: sized for the cooling load")


class Systems(Record):
    """The systems compared (all three by default). Set one to `false` to leave it out."""

    heat_pump: HeatPumpConfig | None = section(HeatPumpConfig, can_be_false=True, absent="empty")
    furnace: FurnaceConfig | None = section(FurnaceConfig, can_be_false=True, absent="empty")
    electric_resistance: ResistanceConfig | None = section(ResistanceConfig, can_be_false=True, absent="empty")
    air_conditioner: AirConditionerConfig | None = section(AirConditionerConfig, can_be_false=True, absent="empty")


# --- cooling, tariffs, money ------------------------------------------------------------------------------------

class CoolingDesign(Record, required=("load", "outdoor")):
    """Design cooling load, e.g. from a Manual J."""

    load: float | None = leaf("quantity", "Cooling load at the design temperature.", unit=u.POWER, above=0,
                              maximum=MAX_LOAD_BTU_PER_H)
    outdoor: float | None = leaf("quantity", "Design outdoor temperature.", unit=TEMP, minimum=60, maximum=130)


class CoolingBills(Record, required=("amount",)):
    """A summer of electricity for cooling with the current air conditioner."""

    amount: float | None = leaf("quantity", "Electricity used for cooling in the year.",
                                unit=u.fuel_amount_kind("electricity"), above=0, maximum=MAX_HEAT_BTU)
    seer2: float | None = leaf("number", "SEER2 of the air conditioner those bills are for.", minimum=8, maximum=40,
                               default=13.4, source=f"split air conditioners' {US_MINIMUM_2023} in the North")


class CoolingLoad(Record, one_of=("ua", "design", "annual", "from_bills", "hourly")):
    """Optional cooling season: how much cooling the home needs. Give one of ua, design, annual, from_bills or
    hourly."""

    hourly: HourlyLoad | None = section(HourlyLoad)
    ua: float | None = leaf("quantity", "Heat-gain coefficient.", unit=u.CONDUCTANCE, above=0,
                            maximum=MAX_UA_BTU_PER_H_F, rule="the heating UA: the same envelope gains heat in summer")
    design: CoolingDesign | None = section(CoolingDesign)
    annual: float | None = leaf("quantity", "Heat removed from the home per year.", unit=u.ENERGY, above=0,
                                maximum=MAX_HEAT_BTU)
    from_bills: CoolingBills | None = section(CoolingBills)
    balance_point: float | None = leaf("quantity", "Outdoor temperature above which the home needs cooling.",
                                       unit=TEMP, minimum=50, maximum=90, default=65.0,
                                       source="the base of cooling degree-days")
    indoor: float | None = leaf("quantity", "Indoor temperature, used with design.", unit=TEMP, minimum=60,
                                maximum=85, default=75.0, source="a typical summer thermostat setting")


class TariffPeriod(Record, required=("price",)):
    """One period of a time-of-use tariff."""

    price: float | None = leaf("quantity", "Price in this period.", unit=u.price_kind("electricity"), minimum=0,
                               maximum=5)
    months: frozenset | None = leaf("string", "Months it applies to, e.g. [6, 7, 8, 9], 6-9, or 11-3 across the "
                                              "new year.", rule="every month")
    hours: frozenset | None = leaf("string", "Clock hours it covers, e.g. 16-21 (from 16:00 to 21:00), or 22-6 "
                                             "across midnight.", rule="every hour")
    days: str | None = leaf("enum", "Days it applies to.", choices=("all", "weekdays", "weekends"), default="all")


class GasBlock(Record, required=("price",)):
    """One block of a monthly gas rate: the price of the therms up to `up_to` each month (the last block: the rest)."""

    up_to: float | None = leaf("quantity", "Upper end of the block, per month (cumulative).",
                               unit=u.fuel_amount_kind("natural_gas"), above=0, maximum=MAX_HEAT_BTU,
                               example="50 therm")
    price: float | None = leaf("quantity", "Price of the gas in this block.", unit=u.price_kind("natural_gas"),
                               minimum=0, maximum=100, example="1.20 $/therm")


class Tariff(Record, one_of=("electricity", "urdb")):
    """The household's rates: electricity as hand-written time-of-use periods or a URDB rate file (tiers, seasons,
    time of use, fixed, minimum and demand charges, real-time prices, export rules), and gas by monthly blocks.
    With a tariff, each row's `annual_cost_usd` is what the system adds to the year's bills."""

    electricity: list | None = leaf("periods", "A list of periods {price, months, hours, days}: the first that "
                                               "matches an hour sets its price; the last must have only a price (the "
                                               "rest of the year).", items=TariffPeriod)
    urdb: str | None = leaf("string", "A rate file from OpenEI's Utility Rate Database, as downloaded (JSON: an "
                                      "`items` list, one rate, or a list), relative to the profile.",
                            example="rates.json")
    name: str | None = leaf("string", "Which rate of a URDB file holding several (its `name` or `label`).")
    year: float | None = leaf("number", "Calendar year the rate's weekday/weekend schedules and daylight saving "
                                        "time follow.", minimum=1990, maximum=2100, default=2023.0,
                              source="the year of the state price defaults (EIA 2023)")
    natural_gas: list | None = leaf(
        "rows", "Gas priced by monthly blocks: a list of {up_to, price}, the last without up_to (it replaces "
                "prices.natural_gas in the bills).", items=GasBlock,
        example="[{up_to: 50 therm, price: 1.20 $/therm}, {price: 1.60 $/therm}]")
    adjustment: float | None = leaf(
        "quantity", "Added to every energy charge of the URDB rate (as the rate's own `adj` is), negative to lower "
                    "them: the price knob of a home on a rate (prices.electricity would change nothing).",
        unit=u.price_kind("electricity"), minimum=-2, maximum=2, default=0.0, source="the rate as published",
        example="-0.04 $/kWh")
    natural_gas_adjustment: float | None = leaf(
        "quantity", "Added to the price of every gas block, negative to lower them.", unit=u.price_kind("natural_gas"),
        minimum=-20, maximum=20, default=0.0, source="the blocks as given", example="0.15 $/therm")


class BaseUse(Record):
    """The home's other use on the same meters (lights, appliances, water heating, cooking): it places the heating
    and cooling kWh in the tariff's tiers and is in each row's bills."""

    electricity: float | None = leaf(
        "per_time", "Other electricity use, per month or per year, spread evenly over the hours.",
        unit=u.fuel_amount_kind("electricity"), minimum=0, maximum=MAX_HEAT_BTU,
        rule="the state's average household use (EIA RECS 2015) less nothing: a whole household's use",
        example="650 kWh/month")
    natural_gas: float | None = leaf(
        "per_time", "Other gas use (water heater, range, dryer), per month or per year.",
        unit=u.fuel_amount_kind("natural_gas"), minimum=0, maximum=MAX_HEAT_BTU,
        rule="the bills' non_heating when the heating load is given by gas bills, else none",
        example="15 therm/month")


PV_MODULES = ("standard", "premium", "thin_film")
PV_ARRAYS = ("fixed_roof", "fixed_open_rack", "one_axis")
NET_METERING = ("annual", "monthly", "none")
#: NREL Cambium's regions (EPA eGRID subregions, New York's three as one), for marginal emission rates.
CAMBIUM_REGIONS = ("AZNM", "CAMX", "ERCT", "FRCC", "MROE", "MROW", "NEWE", "NWPP", "NYST", "RFCE", "RFCM", "RFCW",
                   "RMPA", "SPNO", "SPSO", "SRMV", "SRMW", "SRSO", "SRTV", "SRVC")


class Solar(Record, required=("capacity",)):
    """Rooftop solar: hourly output by PVWatts' model chain on the home's station's TMY3 irradiance."""

    capacity: float | None = leaf("quantity", "DC nameplate capacity (a plain number is kW).", unit=u.PV_CAPACITY,
                                  above=0, maximum=1000, example="6 kW")
    tilt: float | None = leaf("angle", "Tilt from horizontal [degrees]; a one-axis tracker's axis tilt.", minimum=0,
                              maximum=90, default=20.0,
                              source="PVWatts' default tilt (NREL PVWatts v8); 0 for a one-axis tracker's axis")
    azimuth: float | None = leaf("angle", "Direction the array faces [degrees clockwise from north; 180 = "
                                           "south].", minimum=0, maximum=360, default=180.0,
                                 source="PVWatts' default azimuth (NREL PVWatts v8)")
    losses: float | None = leaf("number", "System losses: soiling, shading, wiring, mismatch, ... (0.14 or 14 %).",
                                minimum=0, maximum=0.99, default=0.14,
                                source="PVWatts' default system losses (NREL PVWatts v5/v8 manual)")
    dc_ac_ratio: float | None = leaf("number", "Array DC capacity over inverter AC capacity.", minimum=0.5,
                                     maximum=3, default=1.2, source="PVWatts' default DC to AC ratio (NREL PVWatts v8)")
    inverter_efficiency: float | None = leaf("number", "Nominal inverter efficiency (0.96 or 96 %).", minimum=0.5,
                                             maximum=0.995, default=0.96,
                                             source="PVWatts' default inverter efficiency (NREL PVWatts v5/v8)")
    module: str | None = leaf("enum", "Module type.", choices=PV_MODULES, default="standard",
                              source="PVWatts' default module type")
    array: str | None = leaf("enum", "Mounting: on a roof, an open rack (ground or flat roof: rows shade each other, "
                                     "cooler cells), or a one-axis tracker turning east to west with backtracking "
                                     "(its axis along azimuth, tilted by tilt).", choices=PV_ARRAYS,
                             default="fixed_roof", source="a rooftop array (PVWatts' default is an open rack)")
    gcr: float | None = leaf("number", "Ground coverage ratio of an open rack or tracker field: the modules' width "
                                       "over the row spacing (0.3: rows about three times as far apart as they are "
                                       "wide); sets row-to-row shading and tracker backtracking.", minimum=0.01,
                             maximum=0.99, default=0.3, source="PVWatts v8's default ground coverage ratio")
    export_rate: float | None = leaf("quantity", "What an exported kWh earns (replaces the tariff's sell rates).",
                                     unit=u.price_kind("electricity"), minimum=0, maximum=10, example="0.05 $/kWh")
    net_metering: str | None = leaf(
        "enum", "How exports are credited: annual (net metering, credits carried to the year's end), monthly "
                "(each month settled), none (net billing: exports earn export_rate).", choices=NET_METERING,
        rule="the URDB rate's dgrules; else annual")
    net_metering_credit: str | None = leaf(
        "enum", "What net metering banks: kwh (a month's surplus kWh offset later months' use in the same "
                "time-of-use period, as NREL SAM and most utilities bill it) or dollars (a surplus valued at the "
                "retail price of the hour it was exported, offsetting later energy charges: programs that credit an "
                "export's time-of-use value); dollars_all_charges lets those dollars pay demand and fixed charges "
                "too, where the program allows.", choices=("kwh", "dollars", "dollars_all_charges"), default="kwh",
        source="retail net metering's usual reading (NREL SAM's default metering option)")
    installed_cost: float | None = leaf(
        "quantity", "The array's installed cost before incentives: with it each row's JSON gets the array's payback "
                    "and NPV (solar_economics).", unit=u.MONEY, minimum=0, maximum=1e6,
        rule="none: heatcalc ships no installed-cost data for solar yet, so give your quote", example="18000 $")
    lifetime: float | None = leaf("quantity", "Years the array produces.", unit=u.DURATION, minimum=1, maximum=50,
                                  default=25.0, source="the 25-year power warranty most modules carry")
    degradation: float | None = leaf(
        "number", "Yearly loss of output (0.005 or 0.5 %).", minimum=0, maximum=0.05, default=0.005,
        source="Jordan & Kurtz, Photovoltaic Degradation Rates -- an Analytical Review (NREL, 2013): median 0.5 %/yr")


class FixedCharges(Record):
    """Fixed monthly customer charges. With them, default (state average) prices are turned into marginal prices."""

    electricity: float | None = leaf("quantity", "Electricity customer charge (refused beside tariff.urdb, which bills "
                                                 "its own).", unit=u.MONTHLY_CHARGE, minimum=0,
                                     maximum=500, example="12 $/month")
    natural_gas: float | None = leaf("quantity", "Gas customer charge.", unit=u.MONTHLY_CHARGE, minimum=0,
                                     maximum=500, example="12 $/month")


def _money(doc: str, rule: str | None = None):
    return leaf("quantity", doc, unit=u.MONEY, minimum=0, maximum=1e6, rule=rule)


INSTALLED_COST_RULE = ("the typical installed cost of the system at the size modelled, in the home's state "
                       "(`heatcalc costs`), with its low-high range carried to payback and NPV")


class InstalledCosts(Record):
    """Installed cost of each system you would buy (duct work, panel upgrades and venting are not in the defaults:
    add them here)."""

    heat_pump: float | None = _money("Installed cost of the heat pump.", INSTALLED_COST_RULE)
    furnace: float | None = _money("Installed cost of the furnace.", INSTALLED_COST_RULE)
    electric_resistance: float | None = _money("Installed cost of the electric resistance.", INSTALLED_COST_RULE)
    air_conditioner: float | None = _money("Installed cost of a central air conditioner (bought with a furnace or "
                                           "resistance heat when the home is cooled).", INSTALLED_COST_RULE)


class Incentives(Record):
    """Rebates and incentives: ``auto`` (the programs the household qualifies for, from the embedded snapshot of
    Rewiring America's data, by location.zip and the household section), a list of incentive ids to apply (those of
    ``heatcalc incentives``), an amount for the heat pump, or amounts per system.  Written as ``incentives: auto``,
    ``incentives: [MA-31, MA-17]``, ``incentives: 2000`` or this mapping."""

    auto: bool | None = leaf("bool", "Apply the incentives the household qualifies for on the install date "
                                     "(federal, state, utility, city), with the programs' stacking rules.",
                             default=False)
    programs: str | None = leaf("string", "Only these incentives (ids from `heatcalc incentives`, separated by "
                                          "commas or as a list), where the household qualifies.")
    heat_pump: float | None = _money("Incentives for the heat pump.")
    furnace: float | None = _money("Incentives for the furnace.")
    electric_resistance: float | None = _money("Incentives for the electric resistance.")
    air_conditioner: float | None = _money("Incentives for the air conditioner.")


def _trend(doc: str):
    return leaf("number", doc, minimum=-0.2, maximum=0.3, rule="the state's 2003-2023 trend (EIA SEDS)")


class Escalation(Record):
    """Nominal price change per year by energy."""

    electricity: float | None = _trend("Electricity price change per year.")
    natural_gas: float | None = _trend("Natural gas price change per year.")
    propane: float | None = _trend("Propane price change per year.")
    heating_oil: float | None = _trend("Heating oil price change per year.")
    kerosene: float | None = leaf("number", "Kerosene price change per year.", minimum=-0.2, maximum=0.3,
                                  rule="the state's heating oil trend (both are middle distillates)")
    wood: float | None = leaf("number", "Firewood price change per year.", minimum=-0.2, maximum=0.3,
                              rule="the state's 2003-2021 wood trend (EIA SEDS; its series ends in 2021)")
    pellets: float | None = leaf("number", "Pellet price change per year.", minimum=-0.2, maximum=0.3, default=0.0,
                                 source="no public price series: held at today's price")
    coal: float | None = leaf("number", "Coal price change per year.", minimum=-0.2, maximum=0.3, default=0.0,
                              source="no public residential price series since 2008: held at today's price")


class Household(Record):
    """Who lives in the home, for the incentives they qualify for (``economics.incentives: auto``)."""

    income: float | None = leaf("quantity", "Household income before tax, per year.", unit=u.INCOME, minimum=0,
                                maximum=1e8, example="85000 $/year")
    size: float | None = leaf("number", "People in the household (income limits depend on it).", minimum=1,
                              maximum=20)
    owner: bool | None = leaf("bool", "The household owns the home (false: rents it).", default=True)
    utility: str | None = leaf("string", "The electric utility's name, e.g. Eversource (utility programs need it; "
                                         "`heatcalc incentives --zip ...` lists the state's).")
    home_type: str | None = leaf("enum", "The kind of home, for offers that are only for one kind (a "
                                         "manufactured-home program); left out, such offers are listed as possible, "
                                         "not counted.", choices=("single_family", "manufactured", "multifamily"))


class EconomicsConfig(Record):
    """Installed costs, incentives and finance, for payback, net present value and lifetime cost."""

    current: str | None = leaf("enum", "The system the home has today (installed cost 0).", choices=SYSTEMS,
                               rule="the system the bills are for")
    installed_cost: InstalledCosts | None = section(InstalledCosts, absent="empty")
    incentives: Incentives | None = section(Incentives, absent="empty")
    install_date: object | None = leaf("date", "When the equipment is bought: only incentives in effect then "
                                               "apply.", rule="today")
    lifetime: float | None = leaf("quantity", "Years the equipment lasts.", unit=u.DURATION, minimum=1, maximum=50,
                                  default=15.0, source="typical service life of heat pumps and furnaces (15-20 "
                                                       "years)")
    discount_rate: float | None = leaf("number", "Nominal discount rate per year (0.05 or 5 %).", minimum=0,
                                       maximum=0.3, default=0.05, source="a household's cost of money; give your own")
    escalation: Escalation | None = section(Escalation, absent="empty")
    gas_disconnect: bool | None = leaf("bool", "The home would leave gas entirely with the heat pump or resistance "
                                               "heat, so it stops paying the gas customer charge.", default=False)
    replace_current: bool | None = leaf(
        "bool", "The current system is at the end of its life: price a new one too (with a new central air "
                "conditioner beside a furnace or resistance heat when the home is cooled), so the heat pump is "
                "compared with buying that; otherwise the current system costs nothing to keep.", default=False)


class Prices(Record):
    """Energy prices."""

    electricity: float | None = leaf("quantity", "Electricity price.", unit=u.price_kind("electricity"), minimum=0,
                                     maximum=5, rule="the state's average residential price (EIA)",
                                     example="0.28 $/kWh")
    natural_gas: float | None = leaf("quantity", "Natural gas price.", unit=u.price_kind("natural_gas"), minimum=0,
                                     maximum=50, rule="the state's average residential price (EIA)",
                                     example="1.85 $/therm")
    propane: float | None = leaf("quantity", "Propane price.", unit=u.price_kind("propane"), minimum=0, maximum=50,
                                 rule="the state's average residential price (EIA)", example="3.10 $/gal")
    heating_oil: float | None = leaf("quantity", "Heating oil price.", unit=u.price_kind("heating_oil"), minimum=0,
                                     maximum=50, rule="the state's average residential price (EIA)",
                                     example="4.05 $/gal")
    kerosene: float | None = leaf("quantity", "Kerosene price (needed when the home burns kerosene).",
                                  unit=u.price_kind("kerosene"), minimum=0, maximum=50,
                                  rule="none: EIA publishes no current state kerosene price; give yours",
                                  example="4.60 $/gal")
    wood: float | None = leaf("quantity", "Firewood price per full cord (4 x 4 x 8 ft), delivered.",
                              unit=u.price_kind("wood"), minimum=0, maximum=5000,
                              rule="the state's residential wood price (EIA SEDS 2021, by Census region, at 20 MMBtu "
                                   "a cord); local cordwood often costs more: give yours",
                              example="300 $/cord")
    pellets: float | None = leaf("quantity", "Wood pellet price per short ton (50 bags of 40 lb), or per bag "
                                             "(needed when the home burns pellets).",
                                 unit=u.price_kind("pellets"), minimum=0, maximum=5000,
                                 rule="none: no public state or national pellet price series; give yours",
                                 example="320 $/ton")
    coal: float | None = leaf("quantity", "Coal (anthracite) price per short ton (needed when the home burns coal).",
                              unit=u.price_kind("coal"), minimum=0, maximum=5000,
                              rule="none: EIA stopped publishing residential coal prices; give yours",
                              example="350 $/ton")


class Emissions(Record):
    """Emission factors [CO2e]."""

    electricity: float | str | None = leaf(
        "quantity", "Grid emission factor, or `marginal`: NREL Cambium's long-run marginal rate of the home's grid "
                    "region, hour by hour (what a lasting change in demand, such as a heat pump's, brings on).",
        unit=u.emission_kind("electricity"), choices=("marginal",), minimum=0, maximum=3,
        rule="the state's eGRID total output CO2e rate", example="0.25 kg/kWh")
    region: str | None = leaf("enum", "Cambium (eGRID) region for `electricity: marginal`.", choices=CAMBIUM_REGIONS,
                              rule="the region serving most of the state's people")
    natural_gas: float | None = leaf("quantity", "Natural gas factor.", unit=u.emission_kind("natural_gas"),
                                     minimum=0, maximum=20, rule="EPA GHG Emission Factors Hub (CO2, CH4, N2O)")
    propane: float | None = leaf("quantity", "Propane factor.", unit=u.emission_kind("propane"), minimum=0,
                                 maximum=30, rule="EPA GHG Emission Factors Hub (CO2, CH4, N2O)")
    heating_oil: float | None = leaf("quantity", "Heating oil factor.", unit=u.emission_kind("heating_oil"),
                                     minimum=0, maximum=40, rule="EPA GHG Emission Factors Hub (CO2, CH4, N2O)")
    kerosene: float | None = leaf("quantity", "Kerosene factor.", unit=u.emission_kind("kerosene"), minimum=0,
                                  maximum=40, rule="EPA GHG Emission Factors Hub (CO2, CH4, N2O)")
    wood: float | None = leaf("quantity", "Firewood factor, fossil-equivalent CO2e only (its CO2 is biogenic and "
                                          "reported apart, as biogenic_co2_kg).", unit=u.emission_kind("wood"),
                              minimum=0, maximum=5000, rule="EPA GHG Emission Factors Hub, wood: CH4 and N2O")
    pellets: float | None = leaf("quantity", "Pellet factor, fossil-equivalent CO2e only (its CO2 is biogenic).",
                                 unit=u.emission_kind("pellets"), minimum=0, maximum=5000,
                                 rule="EPA GHG Emission Factors Hub, wood: CH4 and N2O")
    coal: float | None = leaf("quantity", "Coal factor.", unit=u.emission_kind("coal"), minimum=0, maximum=5000,
                              rule="40 CFR 98 Tables C-1/C-2, anthracite (CO2, CH4, N2O)")


class Ducts(Record):
    """The ducts of the home's air systems: a furnace, a ducted heat pump and an air conditioner blow through them;
    a ductless heat pump and resistance heat do not."""

    efficiency: float | None = leaf(
        "number", "Seasonal distribution efficiency: the share of the heat (or cooling) an air system makes that "
                  "reaches the rooms (ASHRAE 152 measures it; ducts in an attic or crawlspace lose the most).",
        above=0.3, maximum=1.0, default=1.0,
        source="ducts inside the conditioned space, whose losses stay in the home")


class Profile(Record):
    """A home: where it is, how much heat it needs, which equipment and prices to compare."""

    # where it came from: a file path or "row 17", its folder, its lines, and the plain data it was validated from
    _meta = ("source", "base_dir", "lines", "data")

    name: str | None = leaf("string", "Name shown in the output.", rule="the file name", example="My house")
    location: Location | None = section(Location)
    heating_load: HeatingLoad | None = section(HeatingLoad)
    systems: Systems | None = section(Systems, absent="empty")
    cooling_load: CoolingLoad | None = section(CoolingLoad)
    ducts: Ducts | None = section(Ducts)
    tariff: Tariff | None = section(Tariff)
    base_use: BaseUse | None = section(BaseUse)
    solar: Solar | None = section(Solar)
    fixed_charges: FixedCharges | None = section(FixedCharges, absent="empty")
    economics: EconomicsConfig | None = section(EconomicsConfig)
    household: Household | None = section(Household)
    prices: Prices | None = section(Prices, absent="empty")
    emissions: Emissions | None = section(Emissions, absent="empty")

    def line(self, path: str) -> int | None:
        """The line of a dotted field in the profile's file (or of its nearest section), when known."""
        return line_of(self.lines or {}, path)

    def error(self, problems: list[tuple[str, str]]) -> ProfileError:
        """A :class:`ProfileError` for (field, message) pairs, each with its line."""
        return ProfileError(self.source or "profile", [Problem(f, m, self.line(f)) for f, m in problems])
