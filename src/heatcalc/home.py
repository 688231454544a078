"""From a validated profile to a home the model can run: location and weather, heat-loss coefficient,
equipment, prices and emission factors, with every default that was used recorded as an assumption.
"""


import datetime as dt
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

import numpy as np

from . import money
from .errors import DataError, HeatcalcError, Problem, ProfileError
from .model import load as load_model
from .model.engine import ElectricResistance, Furnace, HeatPump
from .model import rating
from .model.heat_pump import (
    HeatPumpCurve, calibrated_default_curve, curve_from_points, curve_from_tests, size_to_load_btu_per_h,
    sizing_temperature_f, with_cop_factor,
)
from .profile import HeatPumpConfig, Profile, field_spec
from .profile.sections import MAX_UA_BTU_PER_H_F
from .profile.validation import line_of
from .rules.emissions import marginal_rates
from .rules.prices import price_unit
from .units import BIOGENIC_FUELS, BTU_PER_FUEL_UNIT, CORE_FUELS, FUEL_SHORT, FUEL_UNIT, FUELS
from .weather import stations as st

DATA_DIR = Path(__file__).resolve().parent / "data"
NO_CUTOFF_F = -100.0  # colder than any weather: the compressor never locks out
PRICE_UNIT = {key: price_unit(key) for key in ("electricity",) + FUELS}


class Assumption(NamedTuple):
    field: str
    value: str
    source: str


class Location(NamedTuple):
    method: str  # zip | state | station | lat_lon | weather_file
    weather_name: str
    station_id: str | None
    distance_km: float | None
    state: str | None  # whose prices and emissions apply
    lat: float | None
    lon: float | None
    zip: str | None = None
    weather_file: str | None = None

    def describe(self) -> str:
        if self.weather_file:
            return f"weather file {self.weather_file} ({self.weather_name})"
        text = f"TMY3 {self.weather_name} ({self.station_id})"
        if self.distance_km is not None:
            text += f", {self.distance_km:.0f} km from the home"
        return text


class Value(NamedTuple):
    """A price or emission factor with its unit and where it came from."""

    value: float
    unit: str
    source: str


class Cooling(NamedTuple):
    """A cooling season: the gain coefficient, balance point and the efficiency of each system's cooling."""

    ua_btu_per_h_f: float
    balance_point_f: float
    heat_pump_seer2: float
    air_conditioner_seer2: float | None  # None: the furnace and resistance homes have no cooling
    load_btu_per_h: np.ndarray | None = None  # 8,760 hourly cooling loads when the profile gives a series
    heat_pump_capacity_btu_per_h: float = float("inf")  # cooling capacity, constant over temperature
    air_conditioner_capacity_btu_per_h: float = float("inf")


class Economics(NamedTuple):
    current: str
    installed_cost_usd: dict  # per system (and air_conditioner): typical
    incentives_usd: dict
    lifetime_years: float
    discount_rate: float
    escalation: dict  # per energy: electricity, natural_gas, propane, heating_oil
    gas_disconnect: bool
    installed_cost_low_usd: dict  # the same systems: the low and high ends (equal to typical for costs given)
    installed_cost_high_usd: dict
    replace_current: bool
    comparison: str  # in words: what the heat pump is compared with
    incentive_range_usd: dict = {}  # per system: (low, high) where the programs that apply offer alternatives
    incentives_applied: tuple = ()  # the incentives applied automatically (heatcalc.incentives.Applied), per system
    incentives_possible: tuple = ()  # (Incentive, typical): offers that need what the profile does not say


class Home(NamedTuple):
    profile: Profile
    location: Location
    weather: st.Weather
    ua_btu_per_h_f: float
    balance_point_f: float
    load_method: str
    heat_pump: HeatPump | None
    heat_pump_nominal_btu_per_h: float | None
    furnace: Furnace | None
    resistance: ElectricResistance | None
    prices: dict
    emissions: dict
    assumptions: tuple[Assumption, ...]
    cooling: Cooling | None
    tariff_usd_per_kwh: np.ndarray | None  # 8,760 hourly electricity prices (time of use)
    fixed_charges_usd_per_month: dict[str, float]  # by energy; empty when there are none
    economics: Economics | None
    heat_pump_compressor: str | None
    heat_pump_tests: "rating.TestSet | None" = None  # the test set the rating uses, when the profile gives one
    heat_load_series_btu_per_h: np.ndarray | None = None  # 8,760 hourly loads when the profile gives a series
    warnings: tuple[str, ...] = ()  # what the user should know about the inputs (a poor bills fit), for stderr
    bills_fit: "BillsFitReport | None" = None  # dated bills: the fit and the periods used and dropped
    distribution: dict | None = None  # by system: the share of its heat (and cooling) that reaches the rooms
    bills: "BillSetup | None" = None  # what the household's bills are computed from (rates, base use, solar)
    #: 8,760 grid emission rates [kg CO2e/kWh] when they change by the hour (emissions.electricity: marginal)
    electricity_co2_kg_per_kwh_hourly: np.ndarray | None = None

    @property
    def heat_pump_nominal_capacity_btu_per_h(self) -> float | None:
        """The heat pump's nominal capacity (the JSON's ``nominal_capacity_btu_per_h``)."""
        return self.heat_pump_nominal_btu_per_h

    def distribution_efficiency(self, system: str) -> float:
        return 1.0 if self.distribution is None else self.distribution.get(system, 1.0)

    def heat_load_btu_per_h(self) -> np.ndarray:
        """The heat the home needs in each of the 8,760 hours [Btu/h]: the profile's series, else UA·(balance - T)."""
        if self.heat_load_series_btu_per_h is not None:
            return self.heat_load_series_btu_per_h
        return load_model.heat_load_btu_per_h(self.ua_btu_per_h_f, self.temp_f, self.balance_point_f)

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def source(self) -> str:
        return self.profile.source

    @property
    def temp_f(self) -> np.ndarray:
        return self.weather.temp_f

    @property
    def design_temp_f(self) -> float:
        return self.weather.design_temp_f

    @property
    def design_load_btu_per_h(self) -> float:
        return float(load_model.heat_load_btu_per_h(self.ua_btu_per_h_f, self.design_temp_f, self.balance_point_f))


def fuels_in_play(profile: Profile, overrides: dict | None = None) -> tuple:
    """The fuels a home's prices and emission factors cover: the three with state prices always, and any other the
    home burns (its furnace's, or its bills'), or whose price or factor it gives."""
    named = {_bills_fuel(profile), _burned_fuel(profile)}
    named |= {k for k in FUELS if getattr(profile.prices, k) is not None or getattr(profile.emissions, k) is not None}
    named |= set(overrides or ())
    return CORE_FUELS + tuple(f for f in FUELS if f not in CORE_FUELS and f in named)


def _burned_fuel(profile: Profile) -> str | None:
    """The fuel the profile's furnace (boiler, stove) burns, as :func:`_furnace` resolves it; None without one."""
    from .rules.furnace import default_fuel

    cfg = profile.systems.furnace
    if cfg is None:
        return None
    return cfg.fuel or default_fuel(_bills_fuel(profile))


class _Builder:
    def __init__(self, profile: Profile):
        self.profile = profile
        self.problems: list[tuple[str, str]] = []
        self.assumptions: list[Assumption] = []
        self.warnings: list[str] = []
        self.bills_fit = None

    def warn(self, fld: str, message: str):
        self.warnings.append(f"{fld}: {message}")

    def assume(self, fld: str, value: str, source: str):
        self.assumptions.append(Assumption(fld, value, source))

    def given_or_default(self, given, fld: str, key=None):
        """The value the profile gave, or the field's declared default (for ``key``, when the default depends on
        another field) -- which is then recorded as an assumption, with the declaration's source."""
        if given is not None:
            return given
        declared = field_spec(fld)
        value = declared.default_for(key)
        self.assume(fld, declared.show(value), declared.source or declared.rule or "heatcalc's default")
        return value

    def fail(self, fld: str, message: str):
        self.problems.append((fld, message))


def build_home(profile: Profile, price_overrides: dict | None = None, price_source: str = "command line") -> Home:
    """Resolve a profile into a :class:`Home`; raises :class:`ProfileError` naming each field that fails.
    ``price_overrides`` ({"electricity": 0.22, ...}, internal units) win over the profile's and the state's prices
    and are reported with ``price_source``."""
    b = _Builder(profile)
    systems = profile.systems
    if systems.heat_pump is None and systems.furnace is None and systems.electric_resistance is None:
        b.fail("systems", "every system is set to false, so there is nothing to compare; keep at least one")
    location, weather = _location(b, profile)
    if location is None:
        raise profile.error(b.problems)
    design_temp_f = weather.design_temp_f
    b.assume("design temperature", f"{design_temp_f:.1f} F",
             "1st percentile of the year's hourly temperatures (the 99 % heating design condition), from the "
             "weather used; it runs about 0.5 C warmer than ASHRAE's published 99 % values")
    distribution = _distribution(b, profile)
    ua, bp, method = _heat_loss(b, profile, weather, distribution)
    series = None
    if method == "hourly":
        series, ua, bp = _hourly_series(b, profile, location, weather, "heating_load")
    prices = _prices(b, profile, location, price_overrides or {}, price_source)
    _refuse_replaced_prices(b, profile, price_overrides or {}, price_source)
    emissions, co2_hourly = _emissions(b, profile, location)
    furnace = _furnace(b, profile)
    resistance = _resistance(b, profile)
    tariff = _tariff(b, profile, location)
    urdb = _urdb(b, profile, location)
    if urdb is not None:
        from .bills import first_tier_price_usd_per_kwh

        tariff = first_tier_price_usd_per_kwh(urdb)  # what the dispatch (dual-fuel switchover) weighs
        prices = {**prices, "electricity": Value(float(np.mean(tariff)), "$/kWh",
                                                 f"the URDB rate's first-tier hours, mean ({urdb.name})")}
    heat_pump, nominal, compressor, rating_tests = (None, None, None, None)
    cooling = _cooling(b, profile, ua, weather, location) if ua is not None else None
    hp_rate = _heat_pump_rate(b, profile, location)
    if ua is not None:
        # under a time-of-use tariff the switchover weighs the hours' mean price (the heat pump's own rate's, when
        # the home moves to one with it)
        hp_prices = tariff
        if hp_rate is not None:
            from .bills import first_tier_price_usd_per_kwh

            hp_prices = first_tier_price_usd_per_kwh(hp_rate)
        switch_prices = prices if hp_prices is None else {
            **prices, "electricity": Value(float(np.mean(hp_prices)), "$/kWh", "mean of the time-of-use hours")}
        heat_pump, nominal, compressor, rating_tests = _heat_pump(
            b, profile, ua, bp, weather, furnace, switch_prices,
            None if cooling is None else cooling_design_btu_per_h(cooling, weather)[0],
            1.0 if distribution is None else distribution["heat_pump"])
    if heat_pump is not None:
        heat_pump = _partial(b, profile, heat_pump, furnace, resistance, distribution)
    if cooling is not None:
        cooling = _cooling_capacities(b, profile, cooling, weather, nominal)
    charges = profile.fixed_charges
    fixed = {k: getattr(charges, k) for k in charges._fields if getattr(charges, k) is not None}
    design_load = None if ua is None else float(load_model.heat_load_btu_per_h(ua, weather.design_temp_f, bp))
    economics = _economics(b, profile, location, furnace, resistance, heat_pump, nominal, rating_tests,
                           design_load) if profile.economics is not None else None
    bill_setup = _bill_setup(b, profile, location, weather, urdb, hp_rate)
    if b.problems:
        raise profile.error(b.problems)
    return Home(profile=profile, location=location, weather=weather, ua_btu_per_h_f=ua,
                balance_point_f=bp, load_method=method, heat_pump=heat_pump, heat_pump_nominal_btu_per_h=nominal,
                furnace=furnace, resistance=resistance, prices=prices, emissions=emissions,
                assumptions=tuple(b.assumptions), cooling=cooling, tariff_usd_per_kwh=tariff,
                fixed_charges_usd_per_month=fixed, economics=economics, heat_pump_compressor=compressor,
                heat_pump_tests=rating_tests, heat_load_series_btu_per_h=series, warnings=tuple(b.warnings),
                bills_fit=b.bills_fit, distribution=distribution, bills=bill_setup,
                electricity_co2_kg_per_kwh_hourly=co2_hourly)


# --- location ---------------------------------------------------------------------------------------------------

def _location(b: _Builder, profile: Profile):
    """The home's place and weather: by ZIP, station or state through the rule both routes share
    (:mod:`heatcalc.rules.location`); by a point or a weather file here."""
    from .rules.location import Place, place_rules

    loc = profile.location
    state = loc.state.upper() if loc.state is not None else None
    if (loc.lat is None and loc.weather_file is None) or state is not None:  # the rule checks a state beside them
        [place], problems = place_rules([loc.station], [loc.zip], [state])
        for _, fld, message in problems:
            b.fail(fld, message)
        if problems:
            return None, None
        if place is not None and loc.lat is None and loc.weather_file is None:
            station = place.station
            if place.no_coordinates:
                b.assume("location", f"ZIP {place.zip} has no coordinates; used {station.name} for {place.state}",
                         "ZIP table (zipcodes package, MIT); state representative station")
            elif place.kind == "state":
                b.assume("location", f"{station.name} ({station.usaf})",
                         "representative station of the state: the station nearest to the most people (county "
                         "populations, US Census 2014)")
            return (Location(place.kind, station.name, station.usaf, place.distance_km, place.state, place.lat,
                             place.lon, **({"zip": place.zip} if place.kind == "zip" else {})),
                    st.station_weather(station))
    if loc.lat is not None:
        from .rules.location import place_of_point

        place = place_of_point(loc.lat, loc.lon, state)
        if not isinstance(place, Place):
            b.fail(*place)
            return None, None
        if place.state_of_station:
            b.assume("location.state", place.state, "state of the nearest station (no ZIP centroid within 60 km)")
        station = place.station
        return Location("lat_lon", station.name, station.usaf, place.distance_km, place.state, place.lat,
                        place.lon), st.station_weather(station)
    if loc.weather_file is not None:
        from .weather.files import read_weather_file

        path = Path(loc.weather_file).expanduser()
        if not path.is_absolute() and profile.base_dir is not None:
            path = profile.base_dir / path
        try:
            wf = read_weather_file(path)
        except DataError as exc:
            b.fail("location.weather_file", str(exc))
            return None, None
        price_state = state or (wf.state if wf.state and st.state_info(wf.state) else None)
        if price_state is None and wf.lat is not None:
            price_state = st.state_of_point(wf.lat, wf.lon)
        if price_state is None:
            b.assume("location.state", "US average", "the weather file names no US state; give location.state")
        return Location("weather_file", wf.name, None, None, price_state, wf.lat, wf.lon,
                        weather_file=str(loc.weather_file)), st.weather_from_hours(wf.temp_f)
    return None, None  # not reached: a location gives one of zip, station, lat, weather_file or state


# --- heat loss --------------------------------------------------------------------------------------------------

def _distribution(b: _Builder, profile: Profile) -> dict | None:
    """Each system's distribution efficiency, when the profile describes its ducts (None: none lose heat), by the
    rule both routes share (:mod:`heatcalc.rules.ducts`)."""
    from .rules.ducts import distribution_rules

    if profile.ducts is None:
        return None
    eff = b.given_or_default(profile.ducts.efficiency, "ducts.efficiency")
    hp = profile.systems.heat_pump
    ducted = hp is not None and hp.type != "air_to_water" and (
        hp.type == "ground_source" or (hp.distribution or field_spec("systems.heat_pump.distribution").default)
        == "ducted")
    kind = profile.systems.furnace.kind if profile.systems.furnace is not None else None
    d = distribution_rules([True], [eff], [ducted], [kind])
    if hp is not None:
        b.assume("ducts (heat pump)", f"{float(d.heat_pump[0]):g}",
                 "a ducted heat pump blows through the ducts" if ducted else "an air-to-water unit heats radiators "
                 "or floors" if hp.type == "air_to_water" else "a ductless heat pump heats the rooms directly")
    if kind in ("boiler", "stove", "insert"):
        b.assume("ducts (furnace)", "1", "a boiler heats water for radiators or baseboard: no ducts"
                 if kind == "boiler" else f"a {kind} heats the room it stands in: no ducts")
    return {system: float(getattr(d, system)[0]) for system in d._fields}


def _bills_through_ducts(b: _Builder, bills, distribution: dict | None) -> float:
    """The share of a bill's heat that reached the rooms: a furnace's bills pay for its duct losses too."""
    if distribution is None or bills.fuel == "electricity":
        return 1.0
    eff = distribution["furnace"]
    if eff != 1.0:
        b.assume("heating_load.from_bills (ducts)", f"x {eff:g}",
                 "the bills' furnace blew its heat through the ducts, so the rooms received this share of it; "
                 "electric bills are taken as baseboard heat, without ducts")
    return eff


def _heat_loss(b: _Builder, profile: Profile, weather: st.Weather, distribution: dict | None = None):
    """UA, balance point and how they were found.  Dated bills and an hourly series are fitted here, home by home;
    a UA, a design load, a year's heat or a year of bills go through the rule both routes share
    (:mod:`heatcalc.rules.load`)."""
    from .rules.load import efficiency_problem, heat_loss_rules

    hl = profile.heating_load
    if hl.hourly is not None:
        return None, None, "hourly"  # read by _hourly_series, which fits UA and balance point to it
    dated = hl.from_bills is not None and (hl.from_bills.periods is not None or hl.from_bills.deliveries is not None)
    bp = hl.balance_point if dated else b.given_or_default(hl.balance_point, "heating_load.balance_point")
    bills = hl.from_bills
    nan = float("nan")
    eff, share = nan, 1.0
    if bills is not None and hl.annual is None and hl.ua is None and hl.design is None:
        if bills.efficiency is not None or field_spec("heating_load.from_bills.efficiency").default_for(bills.fuel) \
                is not None:
            eff = b.given_or_default(bills.efficiency, "heating_load.from_bills.efficiency", key=bills.fuel)
        if dated:
            problem = efficiency_problem(bills.fuel, eff)
            if problem is not None:
                b.fail("heating_load.from_bills.efficiency", problem)
                return None, None, "from_bills"
            ua, bp_fit, route = _dated_bills(b, hl, bills, eff, weather)
            return (None if ua is None else ua * _bills_through_ducts(b, bills, distribution)), bp_fit, route
        if efficiency_problem(bills.fuel, eff) is None:
            share = _bills_through_ducts(b, bills, distribution)
    design = hl.design
    indoor = b.given_or_default(hl.indoor, "heating_load.indoor") if design is not None else nan
    furnace_share = distribution["furnace"] if distribution is not None else 1.0

    def one(value):
        return np.array([nan if value is None else float(value)])

    r = heat_loss_rules(
        ua=one(hl.ua), design_load=one(design.load if design else None),
        design_outdoor=one(design.outdoor if design else None), indoor=one(indoor),
        includes_ducts=np.array([bool(design is not None and distribution is not None and design.includes_ducts)]),
        annual=one(hl.annual), billed=[bills.fuel if bills is not None else None],
        amount=one(bills.amount if bills is not None else None),
        non_heating=one(bills.non_heating if bills is not None else None), bill_efficiency=one(eff),
        bills_share=one(share), furnace_share=one(furnace_share),
        degree_hours=lambda rows: np.array([load_model.degree_hours_f_h(weather.bin_temp_f, bp, weather.bin_hours)
                                            for _ in rows]))
    for _, fld, message in r.problems:
        b.fail(fld, message)
    method = r.method[0]
    ua = None if np.isnan(r.ua[0]) else float(r.ua[0])
    if method == "design" and ua is not None:
        _design_assumptions(b, hl, ua, indoor, bp, distribution)
    return ua, bp, method


def _design_assumptions(b: _Builder, hl, ua: float, indoor: float, bp: float, distribution: dict | None) -> None:
    """What a design load was taken to mean: its ducts, and the UA its temperature difference gives."""
    outdoor = hl.design.outdoor
    if distribution is not None:
        ducted = distribution["furnace"]
        if hl.design.includes_ducts:
            b.assume("heating_load.design.includes_ducts", f"true: rooms' load = design load x {ducted:g}",
                     "the design load already holds the ducts' losses, so they are not charged twice: a ducted "
                     "system makes the design load, a ductless one heats the rooms directly")
        else:
            b.assume("heating_load.design.includes_ducts", "false: the design load is the rooms' heat loss",
                     f"ducts.efficiency {ducted:g} is charged on top for the ducted systems; if your Manual J "
                     "total already includes the duct loss, set heating_load.design.includes_ducts: true")
    b.assume("heating_load.design", f"UA {ua:,.1f} Btu/h/F = {hl.design.load:,.0f} Btu/h / ({indoor:g} F - "
             f"{outdoor:g} F); hourly load UA x ({bp:g} F - outdoor)",
             "the design load's own temperature difference gives UA; below the balance point internal and "
             "solar gains cover the first degrees. A design load is a sizing figure with margins and design-day "
             "infiltration, so the annual heat it implies runs high (79 % above NREL OCHRE's simulation of a "
             "Denver house on the same weather; M. Housh, 'Comparing Manual J to Reality', HVAC School, hvacrschool.com): "
             "bills (heating_load.from_bills) measure it; see docs/methodology.md")


class BillsFitReport(NamedTuple):
    fit: "load_model.BillsFit"
    kind: str  # "periods" or "deliveries"
    used: tuple  # (start, end, fuel Btu) of each period fitted
    dropped: tuple  # (start, end, why)
    coverage: float  # share of the typical year's heating degree-hours the periods cover
    fuel: str


MAX_BILL_DAYS = 100  # a metered period longer than this cannot tell the season's weather apart
MIN_COVERAGE = 0.75  # of the year's heating degree-hours: less than that is not a whole heating season (a warning)
# Below these the fit is refused: with the balance point and base use free, bills that see under half the heating
# degree-hours (say May to October) fit a slope to the shoulder weeks alone, and with a four-month summer UA came out
# 4x the largest a home can have. With both pinned only the slope is fitted, and a quarter of the season holds it.
MIN_COVERAGE_FIT = 0.50
MIN_COVERAGE_PINNED = 0.25


def _worst_bills(used, fit, per_unit: float, unit: str, n: int = 2) -> str:
    """The bills whose amounts the fit misses most, as 'START to END: AMOUNT (fitted FIT)'."""
    amounts = np.array([a for _, _, a in used], dtype=float) * 1.0
    miss = np.abs(amounts - fit.fitted_btu)
    order = np.argsort(-miss, kind="stable")[:n]
    return "; ".join(f"{used[i][0]} to {used[i][1]}: {amounts[i] / per_unit:,.0f} {unit} "
                     f"(fitted {fit.fitted_btu[i] / per_unit:,.0f})" for i in order)


def _weather_day(d) -> int:
    """Day of the weather year (0-364) of a calendar date; 29 February counts as the 28th."""
    return dt.date(2023, d.month, min(d.day, 28) if d.month == 2 else d.day).timetuple().tm_yday - 1


def _bill_spans(b: _Builder, bills, where: str):
    """The (start, end, amount) spans of dated bills or deliveries, checked and sorted; None after a failure."""
    if bills.periods is not None:
        if any(None in (r.start, r.end, r.amount) for r in bills.periods):
            return None  # reported by the validator
        rows = sorted(bills.periods, key=lambda r: r.start)
        for i, r in enumerate(bills.periods):
            if r.end <= r.start:
                b.fail(f"{where}.periods[{i}].end", f"{r.end} is not after the start {r.start}")
                return None
        for prev, r in pairwise(rows):
            if r.start < prev.end:
                b.fail(f"{where}.periods", f"the period starting {r.start} overlaps the one from {prev.start} "
                                           f"to {prev.end}; each day belongs to one bill")
                return None
        return [(r.start, r.end, r.amount) for r in rows]
    if any(r.date is None or r.amount is None for r in bills.deliveries):
        return None  # reported by the validator
    merged: dict = {}
    for r in bills.deliveries:  # two deliveries on one day are one fill
        merged[r.date] = merged.get(r.date, 0.0) + r.amount
    dates = sorted(merged)
    if len(dates) < 2:
        b.fail(f"{where}.deliveries", "needs at least two dated deliveries: the first marks a full tank, each "
                                      "later one what was burned since")
        return None
    return [(a, c, merged[c]) for a, c in pairwise(dates)]


def _dated_bills(b: _Builder, hl, bills, eff: float, weather: st.Weather):
    """Fit UA, balance point and the non-heating use to dated bills or deliveries (variable-base regression)."""
    where = "heating_load.from_bills"
    kind = "periods" if bills.periods is not None else "deliveries"
    spans = _bill_spans(b, bills, where)
    if spans is None:
        return None, None, "from_bills"
    used, dropped = [], []
    limit = MAX_BILL_DAYS if kind == "periods" else 366
    for start, end, amount in spans:
        days = (end - start).days
        if days > limit:
            dropped.append((start, end, f"{days} days: longer than {limit}"))
        else:
            used.append((start, end, amount))
    if dropped and len(used) < len(spans) and not used:
        b.fail(f"{where}.{kind}", f"every period is longer than {limit} days ({dropped[0][2]}, ...), too long to "
                                  "tell the seasons apart: give monthly bills, or the year's total as "
                                  "heating_load.from_bills.amount")
        return None, None, "from_bills"
    counts = np.zeros((len(used), 365))
    for i, (start, end, _) in enumerate(used):
        d = start
        while d < end:
            counts[i, _weather_day(d)] += 1
            d += dt.timedelta(days=1)
    fuel = np.array([a for _, _, a in used], dtype=float)
    base = None if bills.non_heating is None else bills.non_heating / 365.0
    day_temp = weather.temp_f.reshape(365, 24)
    # How much of the heating season the bills see, on the balance point given or the field's default (a fixed
    # reference: the fitted one moves with the very bills being judged).
    ref_bp = hl.balance_point if hl.balance_point is not None else field_spec("heating_load.balance_point").default
    dd = load_model.daily_degree_hours_f_h(day_temp, ref_bp)
    per_day_dd = (counts @ dd) / np.maximum(counts.sum(axis=1), 1.0)
    # Without a bill in a season without heating, base use cannot be told from space heat: fitted free, it trades
    # against the balance point (four winter bills gave a 41 F balance point and 60 % too little heat). It is then
    # taken as 0 -- any water heating or cooking is counted as heat, as the warning below says.
    no_summer = base is None and len(used) > 1 and per_day_dd.min() > 0.15 * per_day_dd.max()
    try:
        fit = load_model.fit_bills(counts, fuel, day_temp, 0.0 if no_summer else base, hl.balance_point)
    except ValueError as exc:
        b.fail(f"{where}.{kind}", str(exc))
        return None, None, "from_bills"
    coverage = float(dd[counts.sum(axis=0) > 0].sum() / dd.sum()) if dd.sum() > 0 else 0.0
    pinned = hl.balance_point is not None and bills.non_heating is not None
    need = MIN_COVERAGE_PINNED if pinned else MIN_COVERAGE_FIT
    if coverage < need:
        b.fail(f"{where}.{kind}",
               f"the bills cover {coverage * 100:.0f} % of a typical year's heating degree-hours (below "
               f"{ref_bp:g} F); at least {need * 100:.0f} % is needed to tell heating from other use"
               + ("" if pinned else " when the balance point and base use are fitted")
               + (": give bills that span the winter, or give `heating_load.annual`" if pinned else
                  ": give bills that span the winter, or give `heating_load.balance_point` and "
                  "`heating_load.from_bills.non_heating` (then 25 % is enough), or give `heating_load.annual`"))
        return None, None, "from_bills"
    ua = fit.slope_btu_per_f_h * eff
    unit = FUEL_UNIT[bills.fuel]
    per_unit = BTU_PER_FUEL_UNIT[bills.fuel]
    if ua > MAX_UA_BTU_PER_H_F:
        b.fail(f"{where}.{kind}", f"the bills fit a heat-loss coefficient of {ua:,.0f} Btu/h/F, above the "
                                  f"{MAX_UA_BTU_PER_H_F:,.0f} a home can have (heating_load.ua's bound): check the "
                                  "amounts and their unit, or give `heating_load.annual`")
        return None, None, "from_bills"
    b.bills_fit = BillsFitReport(fit, kind, tuple(used), tuple(dropped), coverage, bills.fuel)
    b.assume(f"{where}.{kind}",
             f"UA {ua:,.1f} Btu/h/F, balance point {fit.balance_point_f:.1f} F, base use "
             f"{fit.base_btu_per_day / per_unit:,.2f} {unit}/day; R2 {fit.r2:.3f}, CV(RMSE) {fit.cv_rmse * 100:.1f} %; "
             f"{len(used)} used, {len(dropped)} dropped",
             "variable-base degree-hour regression of the use per day on the degree-hours of the bills' days (matched "
             "by month and day in the weather used), weighted by days; balance point searched 40-75 F"
             + ("" if base is None else "; base use from non_heating")
             + ("; base use taken as 0 (no bill in a season without heating)" if no_summer else "")
             + f"; UA = slope x efficiency {eff:g}")
    if fit.cv_rmse > 0.15 or fit.r2 < 0.75:
        worst = _worst_bills(used, fit, per_unit, unit)
        b.warn(f"{where}.{kind}", f"the bills fit the weather poorly (R2 {fit.r2:.2f}, CV(RMSE) "
                                  f"{fit.cv_rmse * 100:.0f} %; ASHRAE Guideline 14 asks 15 % of monthly data); "
                                  f"worst: {worst}. Check those dates and amounts (an estimated read: merge it with "
                                  "the next actual read), or whether other loads share the meter")
    if coverage < MIN_COVERAGE:
        b.warn(f"{where}.{kind}", f"the bills cover {coverage * 100:.0f} % of a typical year's heating "
                                  "degree-hours; a whole heating season fits the balance point and UA better")
    if base is None:
        if fit.base_btu_per_day <= 0.0 or no_summer:
            b.warn(f"{where}.non_heating",
                   ("no bill falls in a season without heating" if no_summer
                    else "the fit found no base use (water heating, cooking) on this meter")
                   + ", so the bills cannot tell it from space heat and any such use is counted as heat: give "
                     f"`heating_load.from_bills.non_heating` (e.g. '15 {unit}/month') or add summer bills")
    for i, (start, end, amount) in enumerate(used):
        if amount == 0.0:
            b.warn(f"{where}.{kind}", f"the bill from {start} to {end} is 0 {unit}: if it was skipped or "
                                      "estimated, merge it with the next actual read (one period from this start "
                                      "to that read's end, with their amounts added); a real zero is fitted as given")
    for start, end, why in dropped:
        b.warn(f"{where}.{kind}", f"{start} to {end} left out of the fit ({why})")
    return ua, fit.balance_point_f, "from_bills"


def _hourly_series(b: _Builder, profile: Profile, location: Location, weather: st.Weather, base: str):
    """Read a load series; returns (hourly loads, UA, balance point) fitted to it, or (None, None, None)."""
    from . import loadfile

    heating = base == "heating_load"
    spec = getattr(profile, base).hourly
    if getattr(profile, base).balance_point is not None:
        b.fail(f"{base}.balance_point", "is fitted to the hourly series; leave it out when giving `hourly`")
    path = Path(spec.file).expanduser()
    if not path.is_absolute() and profile.base_dir is not None:
        path = profile.base_dir / path
    station = st.station_by_id(location.station_id) if location.station_id else None
    what = "heating load" if heating else "cooling load"
    try:
        series = loadfile.read_load_series(path, spec.column, spec.unit, spec.time,
                                           station.utc_offset_h if station else None, what,
                                           spec.time_convention or "beginning")
    except DataError as exc:
        b.fail(f"{base}.hourly", str(exc))
        return None, None, None
    try:
        ua, bp, r2 = loadfile.fit_ua(series.btu_per_h, weather.temp_f, heating)
    except ValueError as exc:
        b.fail(f"{base}.hourly.column", f"{path}: {exc}")
        return None, None, None
    annual = float(series.btu_per_h.sum()) / 1e6
    steps = "hourly" if series.steps_per_hour == 1 else f"{series.steps_per_hour:g} steps per hour"
    leap = ", 29 February dropped" if series.leap_day_dropped else ""
    b.assume(f"{base}.hourly", f"{annual:,.1f} MMBtu/yr, peak {series.btu_per_h.max():,.0f} Btu/h",
             f"{series.column} of {path.name}: {series.rows:,} rows, {steps}, placed by {series.aligned_by}{leap}")
    b.assume(f"{base}.ua", f"{ua:,.1f} Btu/h/F, balance point {bp:.1f} F (R2 {r2:.2f})",
             "least-squares line through the series' hours that need load against the hour's temperature; used "
             "only to size equipment and to draw the capacity chart, the series itself is simulated")
    return series.btu_per_h, ua, bp


# --- prices and emissions ---------------------------------------------------------------------------------------

def _prices(b: _Builder, profile: Profile, location: Location, overrides: dict, override_source: str) -> dict:
    """Each energy's price, by the rule both routes share (:mod:`heatcalc.rules.prices`), as a marginal price
    where the profile gives fixed charges and the price is the state's average."""
    from .rules.prices import marginal_prices, price_rules

    year = st.price_year()
    keys = ("electricity",) + fuels_in_play(profile, overrides)
    given = {k: np.array([getattr(profile.prices, k)], dtype=float) for k in keys
             if getattr(profile.prices, k) is not None}
    rules = price_rules(keys, [location.state], given, overrides)
    out = {}
    burned = _burned_fuel(profile)
    for key in keys:
        unit = PRICE_UNIT[key]
        fixed = getattr(profile.fixed_charges, key, None)
        value, origin = float(rules.price[key][0]), rules.origin[key][0]
        if origin == "none":  # kerosene, pellets, coal: no public price series
            if key == burned:
                spec = field_spec(f"prices.{key}")
                why = spec.rule.removeprefix("none: ").removesuffix("; give yours")
                b.fail(f"prices.{key}", f"the home burns {key}, and heatcalc has no price to assume ({why}): add "
                                        f"prices.{key}, e.g. {spec.example}")
            continue
        if origin in ("override", "profile"):
            out[key] = Value(value, unit, override_source if origin == "override" else "profile")
            if fixed:
                b.assume(f"prices.{key}", f"{value:g} {unit}", "taken as a marginal price (fixed charges apart), "
                                                                "since it was given")
            continue
        where = location.state if origin == "state" else "US"
        if key == "wood":
            out[key] = Value(value, unit, f"EIA SEDS {st.data_sources()['wood_year']} residential wood price, {where} "
                                          f"(its Census region), at 20 MMBtu a cord")
            b.assume(f"prices.{key}", f"{value:g} {unit}", out[key].source + "; local cordwood often costs more: "
                                                                             "give prices.wood")
            continue
        out[key] = Value(value, unit, f"EIA {year} average residential price, {where}")
        b.assume(f"prices.{key}", f"{value:g} {unit}", out[key].source +
                 ("" if origin == "state" else f" (no state figure for {location.state or 'this location'})"))
        if fixed:
            marginal, used, problems = marginal_prices(key, [value], [origin], [fixed], [location.state])
            marginal, use = float(marginal[0]), float(used[0])
            if problems:
                b.fail(*problems[0][1:])
                continue
            out[key] = Value(marginal, unit, f"marginal price: {out[key].source} less 12 x ${fixed:g} fixed "
                                             f"charge over {use:,.0f} {unit[2:]}/yr per home (EIA RECS 2015)")
            b.assume(f"prices.{key}", f"{marginal:.4g} {unit}", out[key].source)
    return out


#: A price a tariff replaces in the bills, and the knob that does move them.
REPLACED_PRICES = {"electricity": (("urdb", "electricity"), "the tariff (tariff.urdb or tariff.electricity) sets the "
                                   "electricity prices", "tariff.adjustment",
                                   "$/kWh added to every energy charge of the rate"),
                   "natural_gas": (("natural_gas",), "the gas blocks (tariff.natural_gas) set the gas prices",
                                   "tariff.natural_gas_adjustment", "$/therm added to every block's price")}

#: A fixed charge a URDB rate replaces (the rate's own fixed charges are billed).
REPLACED_FIXED_CHARGE = ("the URDB rate (tariff.urdb) bills its own fixed charges, so this charge would change "
                         "nothing; leave it out (the rate file's fixedchargefirstmeter is what is billed)")


def _refuse_replaced_prices(b: _Builder, profile: Profile, overrides: dict, source: str) -> None:
    """A price the home's tariff replaces would change nothing: an error naming the knob that does, never silently
    ignored (prices.electricity under a URDB rate, prices.natural_gas under gas blocks; fixed_charges.electricity
    under a URDB rate)."""
    t = profile.tariff
    for key, (fields, why, knob, what) in REPLACED_PRICES.items():
        if t is None or not any(getattr(t, f) for f in fields):
            continue
        if key in overrides:
            flag = {"electricity": "--electricity-price", "natural_gas": "--gas-price"}[key]
            where = f"{flag} ({source})" if source == "command line" else f"prices.{key} ({source})"
        elif getattr(profile.prices, key) is not None:
            where = None
        else:
            continue
        b.fail(f"prices.{key}", f"{where + ': ' if where else ''}{why}, so this price would change nothing; to "
                                f"shift them give {knob} ({what}; negative lowers them), or leave the price out")
    if t is not None and t.urdb and profile.fixed_charges.electricity is not None:
        b.fail("fixed_charges.electricity", REPLACED_FIXED_CHARGE)


def _emissions(b: _Builder, profile: Profile, location: Location) -> tuple[dict, np.ndarray | None]:
    """Each energy's emission factor, and the grid's hour by hour when it is the marginal rate, by the rule both
    routes share (:mod:`heatcalc.rules.emissions`)."""
    from .rules.emissions import emission_rules

    given = profile.emissions
    fuels = fuels_in_play(profile)
    r = emission_rules(fuels, [location.state], [given.electricity], [given.region],
                       {f: np.array([getattr(given, f)], dtype=float) for f in fuels if getattr(given, f) is not None})
    for _, fld, message in r.problems:
        b.fail(fld, message)
    out = {}
    hourly = None
    grid, origin = float(r.factor["electricity"][0]), r.origin["electricity"][0]
    if origin == "marginal":
        region = r.region[0]
        if region is not None:
            if given.region is None:
                b.assume("emissions.region", region,
                         f"the Cambium (eGRID) region serving most of {location.state}'s people")
            hourly = marginal_rates(region)
            out["electricity"] = Value(grid, "kg/kWh", f"NREL Cambium 2021 long-run marginal rates, {region} region, "
                                                       "mid-case; each hour at its own rate, the year's mean shown")
            b.assume("emissions.electricity", f"marginal, {region} (mean {grid:.3f} kg/kWh)",
                     "NREL Cambium 2021 mid-case long-run marginal rates by month and hour of day (local standard "
                     "time), for a lasting change in demand from 2023 over 20 years")
    elif origin == "profile":
        out["electricity"] = Value(grid, "kg/kWh", "profile")
    if "electricity" not in out:  # the state's rate (or the US one), also beside a marginal rate that failed
        state_rate = st.state_info(location.state)["electricity_co2e_kg_per_kwh"] if location.state and \
            st.state_info(location.state) else None
        where = location.state if state_rate else "US"
        rate = state_rate or st.state_info("US")["electricity_co2e_kg_per_kwh"]
        out["electricity"] = Value(rate, "kg/kWh", f"EPA eGRID2023 total output CO2e rate, {where}")
        if given.electricity is None:
            b.assume("emissions.electricity", f"{rate:g} kg/kWh", out["electricity"].source)
    for fuel in fuels:
        unit = f"kg/{FUEL_UNIT[fuel]}"
        value = float(r.factor[fuel][0])
        if r.origin[fuel][0] == "profile":
            out[fuel] = Value(value, unit, "profile")
            continue
        out[fuel] = Value(value, unit, "EPA GHG Emission Factors Hub (combustion CO2, CH4, N2O as CO2e)" +
                          ("; its CO2 is biogenic, reported apart" if fuel in BIOGENIC_FUELS else
                           ", anthracite (40 CFR 98 Tables C-1/C-2)" if fuel == "coal" else ""))
    return out, hourly


# --- equipment --------------------------------------------------------------------------------------------------

def _nan(value) -> float:
    """A leaf's number for an array rule: NaN where not given."""
    return float("nan") if value is None else float(value)


def _bills_fuel(profile: Profile) -> str | None:
    bills = profile.heating_load.from_bills
    return bills.fuel if bills is not None else None


def _furnace(b: _Builder, profile: Profile) -> Furnace | None:
    """The profile's furnace, boiler or stove, by the rule both routes share (:mod:`heatcalc.rules.furnace`)."""
    from .rules.furnace import furnace_rules

    cfg = profile.systems.furnace
    if cfg is None:
        return None
    bills = profile.heating_load.from_bills
    nan = float("nan")
    r = furnace_rules([True], [cfg.kind], [cfg.fuel], np.array([nan if cfg.afue is None else cfg.afue]),
                      np.array([nan if cfg.blower is None else cfg.blower]), [_bills_fuel(profile)],
                      np.array([nan if bills is None or bills.efficiency is None else bills.efficiency]))
    fuel, kind, afue, blower = r.fuel[0], r.kind[0], float(r.afue[0]), float(r.blower_kwh_per_mmbtu[0])
    if r.fuel_source[0]:
        b.assume("systems.furnace.fuel", fuel, r.fuel_source[0])
    if r.afue_source[0]:
        b.assume("systems.furnace.afue", f"{afue:g}", r.afue_source[0])
    if r.blower_source[0]:
        b.assume("systems.furnace.blower", f"{blower:g} kWh/MMBtu", r.blower_source[0])
    for _, fld, message in r.problems:
        b.fail(fld, message)
    if r.problems or r.quiet[0]:
        return None
    return Furnace(fuel=fuel, afue=afue, blower_kwh_per_mmbtu=blower, kind=kind)


def _resistance(b: _Builder, profile: Profile) -> ElectricResistance | None:
    cfg = profile.systems.electric_resistance
    if cfg is None:
        return None
    return ElectricResistance(efficiency=cfg.efficiency if cfg.efficiency is not None
                              else field_spec("systems.electric_resistance.efficiency").default)


def _heat_pump(b: _Builder, profile: Profile, ua: float, bp: float, weather: st.Weather,
               furnace: Furnace | None, prices: dict, cooling_design: float | None = None,
               duct_efficiency: float = 1.0):
    cfg = profile.systems.heat_pump
    if cfg is None:
        return None, None, None, None
    base = "systems.heat_pump"
    design_temp_f = weather.design_temp_f
    if cfg.type == "ground_source":
        return _ground_source(b, cfg, ua, bp, weather, furnace, prices)
    if cfg.type == "air_to_water":
        return _air_to_water(b, cfg, ua, bp, weather, furnace, prices)
    supply = cfg.supply_temperature
    if supply is not None:  # supply water is an air-to-water unit's (heatcalc.rules.heat_pump)
        from .rules.heat_pump import supply_water_problem

        problem = supply_water_problem(supply.design, supply.mild)
        if problem:
            b.fail(*problem)
    for key in ("cop", "loop"):
        if getattr(cfg, key) is not None:
            b.fail(f"{base}.{key}", "applies to ground-source units; add type: ground_source or remove it")
    given_compressor = cfg.compressor
    if cfg.tests is not None and cfg.tests.compressor is not None:
        if given_compressor is not None and given_compressor != cfg.tests.compressor:
            b.fail(f"{base}.tests.compressor", f"says {cfg.tests.compressor}, but systems.heat_pump.compressor says "
                                               f"{given_compressor}; give one")
        given_compressor = cfg.tests.compressor
    compressor = b.given_or_default(given_compressor, f"{base}.compressor", key="air_source")
    cutoff = cfg.cutoff
    if cfg.tests is not None and cfg.tests.cutout is not None and cutoff is None:
        cutoff = cfg.tests.cutout.off
        b.assume(f"{base}.cutoff", f"{cutoff:g} F", "the test set's cut-out temperature")
    cutoff = b.given_or_default(cutoff, f"{base}.cutoff", key="air_source")
    nominal, tests = None, None
    if cfg.tests is not None:
        if cfg.performance:
            b.fail(f"{base}.tests", "give the unit's tests or its performance points, not both")
            return None, None, None, None
        tests = _test_set(b, cfg, compressor)
        if tests is None:
            return None, None, None, None
        lines, derived = rating.complete_tests(tests)
        curve = curve_from_tests(lines, compressor)
        cd = tests.cd_full if compressor == "single_stage" else (tests.cd_low or tests.cd_full)
        _explain_derived_tests(b, derived)
        if any(t.stage == "intermediate" for t in tests.tests):
            b.assume(f"{base}.tests", "the intermediate test is used by the rating only",
                     "the hourly model interpolates between the lowest and highest speeds")
    else:
        cd = b.given_or_default(cfg.cycling_degradation, f"{base}.cycling_degradation", key=compressor)
    if tests is not None:
        pass
    elif cfg.performance and cfg.performance[0].speed is not None:
        curve, tests = _curve_from_speed_rows(b, cfg, compressor, cd, cutoff)
    elif cfg.performance:
        curve = curve_from_points([{"temp_f": p.outdoor, "cop": p.cop, "capacity_btu_per_h": p.capacity,
                                    "cop_min": p.min_cop, "capacity_min_btu_per_h": p.min_capacity}
                                   for p in cfg.performance], compressor)
        derived_at = {p.outdoor for p in cfg.performance if p.min_capacity is None or p.min_cop is None}
        if compressor != "single_stage" and derived_at:
            _explain_derived_minimum(b, curve, compressor, only=derived_at)
        if cfg.hspf2 is not None or cfg.capacity is not None:
            b.assume(f"{base}.performance", "used", "explicit points win over hspf2 and capacity")
    else:
        # the HSPF2 the default curves are chosen by: the rule both routes share (heatcalc.rules.heat_pump)
        from .rules.heat_pump import air_source_rules

        r = air_source_rules([True], [compressor], [np.nan], [cd], [_nan(cfg.hspf2)], [_nan(cfg.hspf)],
                             [cfg.distribution], ["electric_resistance"], [True])
        hspf2 = float(r.hspf2[0])
        if r.hspf2_from_hspf[0]:
            distribution = cfg.distribution or field_spec(f"{base}.distribution").default
            b.assume(f"{base}.hspf2", f"{hspf2:g}", f"HSPF {cfg.hspf:g} x {r.hspf2_per_hspf[0]:g} "
                                                    f"({distribution}): DOE's 2023 equivalence of 7.5 HSPF2 and 8.8 "
                                                    "HSPF for split systems, 0.90 for ductless units")
        elif r.defaulted["hspf2"][0]:
            b.given_or_default(None, f"{base}.hspf2")
        if r.problems:
            b.fail(*r.problems[0][1:])
            return None, None, None, None
        share = _capacity_5f_share(b, cfg)
        if share is False:
            return None, None, None, None
        unit_curve, rated, k = calibrated_default_curve(round(hspf2, 6), compressor, cd,
                                                        None if share is None else round(share, 6))
        nominal = cfg.capacity
        if nominal is None:
            t_size = sizing_temperature_f(compressor, design_temp_f, cutoff)
            need = float(load_model.heat_load_btu_per_h(ua, t_size, bp)) / duct_efficiency  # ducts' losses too
            served = cfg.serves if cfg.serves is not None else 1.0
            need *= served  # a heat pump that reaches part of the home is sized for its share
            nominal = size_to_load_btu_per_h(unit_curve, need, t_size)
            why = f"{field_spec(f'{base}.capacity').rule}: {need:,.0f} Btu/h at {t_size:.1f} F" + (
                f" ({served * 100:g} % of the home's load, the share it serves)" if served < 1 else "")
            sized = nominal
            if cooling_design is not None:
                from .rules.heat_pump import cooling_sized_btu_per_h

                nominal = float(cooling_sized_btu_per_h(nominal, cooling_design, cfg.cooling_capacity is None))
            if nominal != sized:
                why += (f"; raised to cover the cooling design load ({cooling_design:,.0f} Btu/h), as a heat pump "
                        "that also cools is sized for the larger of its two loads (ACCA Manual S)")
            b.assume(f"{base}.capacity", f"{nominal / 12000:g} ton ({nominal:,.0f} Btu/h at 47 F)", why)
        b.assume(f"{base}.performance", f"HSPF2 {hspf2:g} {compressor}",
                 "RESNET 301-2022 Addendum 82 default curves" + (f" with {share:.2f} of the 47 F capacity at 5 F"
                                                                   if share is not None else "") +
                 f"; rated by AHRI 210/240-2023 (Region IV, with the 35 F frost-zone point) they give "
                 f"HSPF2 {rated:.2f}, so their COPs are scaled by {k:.3f} to reproduce {hspf2:g}")
        curve = unit_curve.scaled(nominal)
        if compressor != "single_stage":
            _explain_derived_minimum(b, curve, compressor, default_curve=True)
    factor = b.given_or_default(cfg.field_factor, f"{base}.field_factor")
    if factor != 1.0:
        curve = with_cop_factor(curve, factor)
    b.assume(f"{base}.performance[beyond]", f"below {curve.temp_f[0]:g} F and above {curve.temp_f[-1]:g} F "
                                            "(derived)", "the nearest segment of the points continues, each speed "
                                                         "alike, with capacity at least 0 and COP at least 1")
    backup = b.given_or_default(cfg.backup, f"{base}.backup")
    switchover = cfg.switchover
    backup_furnace = None
    if backup == "furnace":
        from .rules.heat_pump import dual_fuel_problem

        problem = dual_fuel_problem(backup, furnace is not None)
        if problem:
            b.fail(*problem)
            return None, None, None, None
        backup_furnace = furnace
        if switchover is None:
            switchover = _economic_switchover(curve, cutoff, furnace, prices)
            b.assume(f"{base}.switchover", f"{switchover:g} F", field_spec(f"{base}.switchover").rule)
    elif switchover is not None:
        b.assume(f"{base}.switchover", "ignored", "only used with backup: furnace")
        switchover = None
    hp = HeatPump(curve=curve, cutoff_f=cutoff, backup=backup, switchover_f=switchover,
                  backup_furnace=backup_furnace, cycling_degradation=cd, **_strips(b, cfg, backup))
    return hp, nominal, compressor, tests


def _partial(b: _Builder, profile: Profile, hp: HeatPump, furnace: Furnace | None,
             resistance: ElectricResistance | None, distribution: dict | None) -> HeatPump:
    """A heat pump that reaches part of the home (``systems.heat_pump.serves`` < 1): the rest, and what it cannot
    carry of its own share, is heated by the home's current system: ``economics.current`` when that is the furnace
    or resistance, else the furnace, else resistance heat."""
    from .rules.heat_pump import partial_rest

    cfg = profile.systems.heat_pump
    share = b.given_or_default(cfg.serves, "systems.heat_pump.serves")
    if share >= 1.0:
        return hp
    current = profile.economics.current if profile.economics is not None else None
    strips = "backup_capacity" if cfg.backup_capacity is not None else \
        "backup_lockout" if cfg.backup_lockout is not None else None
    rest, problem = partial_rest(share, current, furnace is not None, hp.ground is not None,
                                 strips=strips if hp.backup != "furnace" else None)
    if problem:
        b.fail(*problem)
        return hp
    eff = (lambda system: 1.0) if distribution is None else (lambda system: distribution.get(system, 1.0))
    factor = eff("heat_pump") / eff(rest)
    fuel_words = {"natural_gas": "gas", "propane": "propane", "heating_oil": "oil"}
    what = f"{fuel_words.get(furnace.fuel, furnace.fuel)} furnace" if rest == "furnace" else "electric resistance"
    b.assume("systems.heat_pump.rest", f"{(1 - share) * 100:g} % of the load, and what the heat pump cannot carry "
                                       f"of its {share * 100:g} %, by the {what}",
             "economics.current" if current == rest else "the home's other system in the profile")
    if rest == "furnace":
        return hp._replace(share=share, rest_factor=factor, backup="furnace", backup_furnace=furnace,
                           switchover_f=None)
    return hp._replace(share=share, rest_factor=factor, backup="electric_resistance", backup_furnace=None,
                       switchover_f=None, backup_efficiency=(resistance or ElectricResistance()).efficiency,
                       strip_capacity_btu_per_h=np.inf, strip_lockout_f=np.inf)


def _strips(b: _Builder, cfg: HeatPumpConfig, backup: str) -> dict:
    """The resistance backup's capacity and lockout as HeatPump fields (unlimited and none unless given)."""
    base = "systems.heat_pump"
    if cfg.backup_capacity is None and cfg.backup_lockout is None:
        return {}
    if backup != "electric_resistance":
        b.fail(f"{base}.backup_capacity" if cfg.backup_capacity is not None else f"{base}.backup_lockout",
               "applies to resistance strips; a dual-fuel furnace is taken to cover any shortfall")
        return {}
    out = {}
    if cfg.backup_capacity is not None:
        out["strip_capacity_btu_per_h"] = cfg.backup_capacity
    else:
        b.assume(f"{base}.backup_capacity", "unlimited", field_spec(f"{base}.backup_capacity").rule)
    if cfg.backup_lockout is not None:
        out["strip_lockout_f"] = cfg.backup_lockout
    return out


def _test_set(b: _Builder, cfg: HeatPumpConfig, compressor: str):
    """The profile's AHRI test set (systems.heat_pump.tests), or None after reporting why it cannot be used."""
    base = "systems.heat_pump.tests"
    given = cfg.tests
    points = tuple(rating.TestPoint(t.outdoor, t.stage, t.capacity, t.power) for t in given.tests)
    if compressor == "single_stage" and any(t.stage != "full" for t in points):
        b.fail(f"{base}.tests", "a single-stage unit has full-stage tests only")
        return None
    if compressor == "two_stage" and any(t.stage == "intermediate" for t in points):
        b.fail(f"{base}.tests", "intermediate tests are for variable-speed units")
        return None
    full47 = next((t.capacity_btu_per_h for t in points if t.stage == "full" and t.outdoor_f == 47.0), None)
    cooling = given.cooling_capacity
    if cooling is None and full47 is not None:
        cooling = full47
        b.assume(f"{base}.cooling_capacity", f"{cooling:,.0f} Btu/h", field_spec(f"{base}.cooling_capacity").rule)
    cd = given.cycling_degradation or {"full": field_spec(f"{base}.cycling_degradation").default}
    cutout = given.cutout
    if cutout is not None and cutout.on is not None and cutout.off is not None and cutout.on < cutout.off:
        b.fail(f"{base}.cutout.on", f"the restart temperature ({cutout.on:g} F) is below the cut-out ({cutout.off:g} "
                                    "F): the compressor stops at `off` and restarts above `on`, so on >= off")
        return None
    ts = rating.TestSet(compressor, points, cooling or 1.0,
                        b.given_or_default(given.region, f"{base}.region"), cd["full"], cd.get("low"),
                        b.given_or_default(given.defrost_credit, f"{base}.defrost_credit"),
                        cutout.off if cutout else None, (cutout.on if cutout.on is not None else cutout.off)
                        if cutout else None)
    try:
        rating.complete_tests(ts)
    except ValueError as exc:
        b.fail(f"{base}.tests", str(exc))
        return None
    return ts


def load_rating_tests(path) -> tuple:
    """A test-set file (the block of ``systems.heat_pump.tests``) → (TestSet, assumptions made); ProfileError for
    any problem, naming the file and field."""
    from .fileio import InputError, read_limited
    from .profile import MAX_PROFILE_BYTES, read_yaml
    from .profile.sections import HeatPumpConfig, RatingTests
    from .profile.validation import validate_record

    source = str(path)
    try:
        raw = read_limited(path, MAX_PROFILE_BYTES, "test set")
        text = raw.decode("utf-8-sig")
    except InputError as exc:
        raise ProfileError(source, [Problem("", exc.reason)]) from None
    except UnicodeDecodeError as exc:
        raise ProfileError(source, [Problem("", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8")]) \
            from None
    data, lines = read_yaml(text, source)
    given = validate_record(RatingTests, data, source, lines)
    profile = Profile(source=source, lines=lines, systems=None)
    b = _Builder(profile)
    compressor = b.given_or_default(given.compressor, "systems.heat_pump.compressor", key="air_source")
    ts = _test_set(b, HeatPumpConfig(tests=given), compressor)
    if b.problems or ts is None:
        raise ProfileError(source, [Problem(f.replace("systems.heat_pump.tests.", ""), m,
                                            line_of(lines, f.replace("systems.heat_pump.tests.", "")))
                                    for f, m in b.problems])
    _explain_derived_tests(b, rating.complete_tests(ts)[1])
    return ts, b.assumptions


def _explain_derived_tests(b: _Builder, derived) -> None:
    for t in derived:
        b.assume("systems.heat_pump.tests", f"{t.stage} stage at {t.outdoor_f:g} F: {t.capacity_btu_per_h:,.0f} "
                                            f"Btu/h, {t.power_w:,.0f} W (derived)", t.derived)


def _explain_derived_minimum(b: _Builder, curve: HeatPumpCurve, compressor: str, default_curve: bool = False,
                             only: set | None = None) -> None:
    """List the minimum-speed points heatcalc derived (at the temperatures ``only``, else all), with the rule."""
    points = ", ".join(f"{t:g} F {q:,.0f} Btu/h COP {c:.2f}" for t, q, c in
                       zip(curve.temp_f, curve.capacity_min_btu_per_h, curve.cop_min) if only is None or t in only)
    if compressor == "two_stage":
        rule = "RESNET 301 Addendum 82: the low stage gives 0.712 of the capacity at 1/0.85 of the energy ratio"
    else:
        rule = ("RESNET 301 Addendum 82 minimum/maximum ratios at 47, 17 and 5 F, interpolated in temperature and "
                "held beyond 5 F and 47 F")
    b.assume("systems.heat_pump.performance[min]", f"derived: {points}",
             rule + ("; part of the default curve" if default_curve else "; no minimum-speed values were given"))


def _capacity_5f_share(b: _Builder, cfg: HeatPumpConfig):
    """The 5 F capacity as a share of the 47 F one (:func:`heatcalc.rules.heat_pump.capacity_5f_share`); None when
    not given, False on a problem."""
    from .rules.heat_pump import capacity_5f_share

    share, problem = capacity_5f_share(cfg.capacity_5f, cfg.capacity)
    if problem:
        b.fail(*problem)
        return False
    return share


def _curve_from_speed_rows(b: _Builder, cfg: HeatPumpConfig, compressor: str, cd: float, cutoff: float):
    """A unit's data-sheet rows {outdoor, speed, capacity, power or cop}: the max rows are the highest speed, the min
    rows the lowest (interpolated in temperature at the max rows' temperatures; derived by RESNET's ratios when
    there are none); the rated rows feed the rating only.  Returns the curve and the rating's test set."""
    from .model.rating import W_PER_BTU_H

    def cop_of(p):
        return p.cop if p.cop is not None else p.capacity / (p.power * 3.41214163)

    rows = {speed: sorted((p for p in cfg.performance if p.speed == speed), key=lambda p: p.outdoor)
            for speed in ("min", "rated", "max")}
    top = rows["max"] or rows["rated"]
    if rows["min"]:
        mins = rows["min"]
        t_min = [p.outdoor for p in mins]
        at = [p.outdoor for p in top]
        if len(mins) == 1:
            q_min = [mins[0].capacity * p.capacity / top_q for p, top_q in
                     zip(top, [float(np.interp(mins[0].outdoor, at, [q.capacity for q in top]))] * len(top))]
            c_min = [cop_of(mins[0])] * len(top)
        else:
            q_min = list(np.interp(at, t_min, [p.capacity for p in mins]))
            c_min = list(np.interp(at, t_min, [cop_of(p) for p in mins]))
        curve = HeatPumpCurve(tuple(at), tuple(p.capacity for p in top), tuple(cop_of(p) for p in top),
                              tuple(min(a, q.capacity) for a, q in zip(q_min, top)), tuple(c_min))
        if any(t < min(t_min) or t > max(t_min) for t in at):
            b.assume("systems.heat_pump.performance", "minimum speed held beyond its rows",
                     f"min rows at {', '.join(f'{t:g}' for t in t_min)} F; outside them their nearest values")
    else:
        curve = curve_from_points([{"temp_f": p.outdoor, "cop": cop_of(p), "capacity_btu_per_h": p.capacity}
                                   for p in top], compressor)
        if compressor != "single_stage":
            _explain_derived_minimum(b, curve, compressor)
    tests = []
    top_kind = "max" if rows["max"] else "rated" if rows["rated"] else "given"
    for p in top:
        if p.outdoor in (47.0, 35.0, 17.0, 5.0):
            tests.append(rating.TestPoint(p.outdoor, "full", p.capacity, p.capacity / cop_of(p) * W_PER_BTU_H,
                                          f"the data sheet's {top_kind}-speed row, standing in for the test"))
    if compressor != "single_stage":
        for p in rows["min"]:
            if p.outdoor in (62.0, 47.0, 35.0, 17.0):
                tests.append(rating.TestPoint(p.outdoor, "low", p.capacity, p.capacity / cop_of(p) * W_PER_BTU_H,
                                              "the data sheet's min-speed row, standing in for the test"))
    rated = {p.outdoor: p for p in rows["rated"]}
    if rows["max"] and rated:
        b.assume("systems.heat_pump.performance[rated]", "used by the rating only",
                 "the hourly model runs between the minimum and maximum speeds")
        if compressor == "variable_speed" and 47.0 in rated and 17.0 in rated:
            q35, p35 = rating.frost_point(rated[17.0].capacity, rated[47.0].capacity,
                                          rated[17.0].capacity / cop_of(rated[17.0]) * W_PER_BTU_H,
                                          rated[47.0].capacity / cop_of(rated[47.0]) * W_PER_BTU_H)
            tests.append(rating.TestPoint(35.0, "intermediate", q35, p35,
                                          "from the rated-speed rows at 47 and 17 F by the frost-zone rule, standing "
                                          "in for the H2V test"))
            b.assume("systems.heat_pump.tests", f"intermediate speed at 35 F: {q35:,.0f} Btu/h, {p35:,.0f} W "
                                                "(derived)", "from the rated-speed rows at 47 and 17 F by the frost-"
                                                             "zone rule, standing in for the H2V test")
    cooling = cfg.cooling_capacity
    if cooling is None:
        cooling = next((p.capacity for p in rows["rated"] if p.outdoor == 47.0), None) or \
            next((p.capacity for p in top if p.outdoor == 47.0), None)
        if cooling is not None:
            b.assume("systems.heat_pump.cooling_capacity", f"{cooling:,.0f} Btu/h",
                     field_spec("systems.heat_pump.cooling_capacity").rule)
    try:
        ts = rating.tests_from_points(rating.RatingPoints(*curve, compressor=compressor), cooling, cd,
                                      None if cutoff is None else cutoff)
        needed = {(47.0, "full"), (17.0, "full")} | ({(47.0, "low"), (17.0, "low")}
                                                     if compressor != "single_stage" else set())
        if {(t.outdoor_f, t.stage) for t in tests} >= needed:
            ts = ts._replace(tests=tuple(tests))
            _explain_derived_tests(b, rating.complete_tests(ts)[1])
    except ValueError:
        ts = None
    return curve, ts


def _economic_switchover(curve: HeatPumpCurve, cutoff: float, furnace: Furnace, prices: dict) -> float:
    grid = money.switchover_grid_f(cutoff)
    pe = prices["electricity"].value
    furnace_cost = money.heat_cost_usd_per_mmbtu_furnace(furnace.fuel, furnace.afue, prices[furnace.fuel].value,
                                                         furnace.blower_kwh_per_mmbtu, pe)
    return money.economic_switchover_f(grid, curve.cop_at_max(grid), furnace_cost, pe)


def _air_to_water(b: _Builder, cfg: HeatPumpConfig, ua: float, bp: float, weather: st.Weather,
                  furnace: Furnace | None, prices: dict):
    """An air-to-water heat pump on radiators or floors: its points against the outdoor air, the water following
    the outdoor-reset curve (:mod:`heatcalc.model.air_to_water`), sized at the design temperature's water."""
    from .model import air_to_water as atw
    from .rules.heat_pump import NOT_AIR_TO_WATER, air_to_water_rules

    base = "systems.heat_pump"
    supply = cfg.supply_temperature
    r = air_to_water_rules([True], {**{k: [getattr(cfg, k)] for k in NOT_AIR_TO_WATER},
                                    "distribution": [cfg.distribution]},
                           [_nan(supply.design if supply else None)], [_nan(supply.mild if supply else None)])
    for key in ("design", "mild"):
        if r.defaulted[f"supply_temperature.{key}"][0]:
            b.given_or_default(None, f"{base}.supply_temperature.{key}")
    design_supply, mild_supply = float(r.design_supply_f[0]), float(r.mild_supply_f[0])
    for _, fld, message in r.problems:
        b.fail(fld, message)
    if any(fld.endswith("supply_temperature.mild") for _, fld, _ in r.problems):
        return None, None, None, None
    design_temp_f = weather.design_temp_f
    unit = atw.curve(1.0, design_temp_f, design_supply, mild_supply)
    b.assume(f"{base}.performance", f"air-to-water, water {design_supply:g} F at {design_temp_f:.1f} F outdoors to "
                                    f"{mild_supply:g} F at {atw.MILD_OUTDOOR_F:g} F",
             "hplib 1.9's generic outdoor-air/water models fitted to Heat Pump Keymark certificates (full speed: "
             "on-off model; minimum speed a quarter of it at the regulated model's COP); nominal capacity at A7/W35")
    cd = b.given_or_default(cfg.cycling_degradation, f"{base}.cycling_degradation", key="variable_speed")
    cutoff = b.given_or_default(cfg.cutoff, f"{base}.cutoff", key="air_source")
    nominal = cfg.capacity
    if nominal is None:
        t_size = max(design_temp_f, cutoff)
        need = float(load_model.heat_load_btu_per_h(ua, t_size, bp)) * (cfg.serves if cfg.serves else 1.0)
        nominal = size_to_load_btu_per_h(unit, need, t_size)
        b.assume(f"{base}.capacity", f"{nominal / 12000:g} ton ({nominal:,.0f} Btu/h at A7/W35)",
                 f"the smallest standard size whose capacity at {t_size:.1f} F, with {design_supply:g} F water, "
                 f"covers the load there ({need:,.0f} Btu/h)")
    curve = unit.scaled(nominal)
    backup = b.given_or_default(cfg.backup, f"{base}.backup")
    switchover = cfg.switchover
    if backup == "furnace":
        if furnace is None:
            b.fail(f"{base}.backup", "a boiler backup needs systems.furnace (the boiler), but it is false")
            return None, None, None, None
        if switchover is None:
            switchover = _economic_switchover(curve, cutoff, furnace, prices)
            b.assume(f"{base}.switchover", f"{switchover:g} F", field_spec(f"{base}.switchover").rule)
    else:
        switchover = None
    hp = HeatPump(curve=curve, cutoff_f=cutoff, backup=backup, switchover_f=switchover,
                  backup_furnace=furnace if backup == "furnace" else None, cycling_degradation=cd,
                  **_strips(b, cfg, backup))
    return hp, nominal, "variable_speed", None


def _ground_source(b: _Builder, cfg: HeatPumpConfig, ua: float, bp: float, weather: st.Weather,
                   furnace: Furnace | None, prices: dict):
    from .model import ground

    base = "systems.heat_pump"
    for key in ("hspf2", "performance"):
        if getattr(cfg, key) is not None:
            b.fail(f"{base}.{key}", "rates air-source units; for a ground-source unit give cop (at 32 F entering "
                                    "water) and capacity")
    compressor = b.given_or_default(cfg.compressor, f"{base}.compressor", key="ground_source")
    cd = b.given_or_default(cfg.cycling_degradation, f"{base}.cycling_degradation", key=compressor)
    cop = b.given_or_default(cfg.cop, f"{base}.cop")
    loop_type = b.given_or_default(cfg.loop, f"{base}.loop")
    design_load = float(load_model.heat_load_btu_per_h(ua, weather.design_temp_f, bp))
    loop = ground.loop_from_weather(weather.temp_f, loop_type, design_load)
    ewt_design = ground.design_ewt_f(loop)
    b.assume(f"{base}.loop", f"{loop_type}, ground {loop.mean_f:.1f} F mean, design EWT {ewt_design:.1f} F",
             f"Kusuda-Achenbach ground model (depth {loop.depth_ft:g} ft, soil diffusivity "
             f"{loop.diffusivity_ft2_per_day:g} ft2/day); EWT {loop.approach_f:g} F below the ground at design load")
    unit = ground.ground_source_curve(cop, 1.0, compressor)
    nominal = cfg.capacity
    if nominal is None:
        nominal = size_to_load_btu_per_h(unit, design_load, ewt_design)
        b.assume(f"{base}.capacity", f"{nominal / 12000:g} ton ({nominal:,.0f} Btu/h at 32 F EWT)",
                 f"{field_spec(f'{base}.capacity').rule}: {design_load:,.0f} Btu/h")
    backup = cfg.backup or field_spec(f"{base}.backup").default
    cutoff = b.given_or_default(cfg.cutoff, f"{base}.cutoff", key="ground_source")
    switchover = None
    if backup == "furnace":
        if furnace is None:
            b.fail(f"{base}.backup", "dual fuel needs a furnace, but systems.furnace is false")
            return None, None, None, None
        switchover = cfg.switchover
        if switchover is None:
            pe = prices["electricity"].value
            furnace_cost = money.heat_cost_usd_per_mmbtu_furnace(furnace.fuel, furnace.afue,
                                                                 prices[furnace.fuel].value,
                                                                 furnace.blower_kwh_per_mmbtu, pe)
            hp_cost = float(money.heat_cost_usd_per_mmbtu_heat_pump(unit.cop_at_max(ewt_design), pe))
            switchover = -100.0 if hp_cost <= furnace_cost else 100.0
            b.assume(f"{base}.switchover", "never" if switchover < 0 else "always",
                     "a ground loop's temperature barely follows the air, so the choice is made once, at the "
                     "design EWT's COP and the prices used")
    hp = HeatPump(curve=unit.scaled(nominal), cutoff_f=NO_CUTOFF_F if cutoff is None else cutoff, backup=backup,
                  switchover_f=switchover, backup_furnace=furnace if backup == "furnace" else None,
                  cycling_degradation=cd, ground=loop._replace(design_load_btu_per_h=max(design_load, 1.0)),
                  **_strips(b, cfg, backup))
    return hp, nominal, compressor, None


# --- cooling, tariffs, economics --------------------------------------------------------------------------------

def cooling_design_btu_per_h(cooling: Cooling, weather: st.Weather) -> tuple[float, float]:
    """The cooling design load [Btu/h] and its outdoor temperature: the load at the 1 % hottest hour (the 99th
    percentile of the hourly temperatures), or a given series' 99th-percentile hour."""
    hot = st.percentile_f(weather, 99.0)
    if cooling.load_btu_per_h is not None:
        return float(np.percentile(cooling.load_btu_per_h, 99.0)), hot
    return float(load_model.cooling_load_btu_per_h(cooling.ua_btu_per_h_f, hot, cooling.balance_point_f)), hot


def _cooling_capacities(b: _Builder, profile: Profile, cooling: Cooling, weather: st.Weather,
                        heat_pump_nominal: float | None) -> Cooling:
    """Each cooling unit's capacity, and a warning when the heat pump cannot carry the cooling design load."""
    hp = profile.systems.heat_pump
    hp_cap = float("inf")
    if hp is not None:
        hp_cap = hp.cooling_capacity or heat_pump_nominal or float("inf")
        if hp.cooling_capacity is None and heat_pump_nominal:
            b.assume("systems.heat_pump.cooling_capacity", f"{hp_cap:,.0f} Btu/h",
                     "its nominal heating capacity at 47 F: heat pumps are sold by one nominal size for both modes; "
                     "taken as constant over outdoor temperature")
        from .rules.cooling import too_small_to_cool

        warning = too_small_to_cool(hp_cap, *cooling_design_btu_per_h(cooling, weather))
        if warning:
            b.warn(*warning)
    ac = profile.systems.air_conditioner
    ac_cap = ac.capacity if ac is not None and ac.capacity is not None else float("inf")
    return cooling._replace(heat_pump_capacity_btu_per_h=hp_cap, air_conditioner_capacity_btu_per_h=ac_cap)


def _cooling(b: _Builder, profile: Profile, heating_ua: float, weather: st.Weather,
             location: Location) -> Cooling | None:
    cfg = profile.cooling_load
    if cfg is None:
        return None
    base = "cooling_load"
    bp = b.given_or_default(cfg.balance_point, f"{base}.balance_point") if cfg.hourly is None else None
    hp = profile.systems.heat_pump
    hp_seer2 = b.given_or_default(hp.seer2 if hp is not None else None, "systems.heat_pump.seer2")
    ac = profile.systems.air_conditioner
    bills_seer2 = cfg.from_bills.seer2 if cfg.from_bills is not None else None
    ac_seer2 = None
    if ac is not None:
        ac_seer2 = ac.seer2
        if ac_seer2 is None and bills_seer2 is not None:
            ac_seer2 = bills_seer2
            b.assume("systems.air_conditioner.seer2", f"{ac_seer2:g}", "the bills' air conditioner")
        ac_seer2 = b.given_or_default(ac_seer2, "systems.air_conditioner.seer2")
    series = None
    if cfg.hourly is not None:
        series, ua, bp = _hourly_series(b, profile, location, weather, base)
        if series is None:
            return None
        return Cooling(ua, bp, hp_seer2, ac_seer2, series)
    from .rules.cooling import cooling_rules  # the rule both routes share

    nan = float("nan")

    def one(value):
        return np.array([nan if value is None else float(value)])

    indoor = b.given_or_default(cfg.indoor, f"{base}.indoor") if cfg.design is not None and cfg.ua is None else nan
    seer2 = nan
    if cfg.from_bills is not None and cfg.ua is None and cfg.design is None and cfg.annual is None:
        seer2 = b.given_or_default(bills_seer2, f"{base}.from_bills.seer2")
    r = cooling_rules(ua=one(cfg.ua), design_load=one(cfg.design.load if cfg.design else None),
                      design_outdoor=one(cfg.design.outdoor if cfg.design else None), indoor=one(indoor),
                      annual=one(cfg.annual), bills_btu=one(cfg.from_bills.amount if cfg.from_bills else None),
                      bills_seer2=one(seer2), heating_ua=one(heating_ua),
                      degree_hours=lambda rows: np.array([load_model.cooling_degree_hours_f_h(
                          weather.bin_temp_f, bp, weather.bin_hours) for _ in rows]))
    for _, fld, message in r.problems:
        b.fail(fld, message)
    if r.problems:
        return None
    ua = float(r.ua[0])
    if r.method[0] == "heating_ua":
        b.assume(f"{base}.ua", f"{ua:,.0f} Btu/h/F", field_spec(f"{base}.ua").rule)
    return Cooling(ua, bp, hp_seer2, ac_seer2, series)


def _tariff(b: _Builder, profile: Profile, location: Location):
    periods = profile.tariff.electricity if profile.tariff is not None else None
    if not periods:
        return None
    from .rules.rates import daylight_saving, period_prices

    dst = daylight_saving(location.state)
    adjustment = profile.tariff.adjustment
    price, problem = period_prices(periods, dst, adjustment or 0.0)
    if problem:
        b.fail(*problem)
        return None
    if adjustment:
        b.assume("tariff.adjustment", f"{adjustment:+.4g} $/kWh", "profile: added to every period's price")
    b.assume("tariff.electricity", f"time of use, ${np.mean(price):.3f}/kWh on average over the hours",
             "profile, in local clock time: " + ("daylight saving time from 12 March to 5 November (2023 dates)"
                                                 if dst else f"standard time all year ({location.state})")
             + "; weekdays follow calendar 2023 (1 January a Sunday); holidays are not treated specially")
    return price


def _urdb(b: _Builder, profile: Profile, location: Location):
    """The URDB rate the profile names, read and checked; None without one."""
    t = profile.tariff
    if t is None or t.urdb is None:
        if t is not None and t.name is not None:
            b.fail("tariff.name", "picks a rate of a URDB file: give tariff.urdb too")
        if t is not None and t.adjustment and not t.electricity:
            b.fail("tariff.adjustment", "shifts a URDB rate's energy charges (or the prices of tariff.electricity's "
                                        "periods): give one of them too (without a rate, set prices.electricity)")
        return None
    return _read_rate(b, profile, location, "tariff", t.urdb, t.name, t.year, t.adjustment)


def _heat_pump_rate(b: _Builder, profile: Profile, location: Location):
    """The rate the home moves to with the heat pump (systems.heat_pump.tariff), or None."""
    hp = profile.systems.heat_pump
    t = hp.tariff if hp is not None else None
    if t is None:
        return None
    main = profile.tariff
    year = t.year if t.year is not None else (main.year if main is not None else None)
    adjustment = t.adjustment if t.adjustment is not None else (main.adjustment if main is not None else None)
    return _read_rate(b, profile, location, "systems.heat_pump.tariff", t.urdb, t.name, year, adjustment)


def _read_rate(b: _Builder, profile: Profile, location: Location, base: str, urdb: str, name, year_given,
               adjustment):
    """A URDB rate a profile names at ``base`` (tariff, or systems.heat_pump.tariff), read, checked and adjusted."""
    from .rules.rates import adjusted_rate, daylight_saving, rate_path, whole_year
    from .tariffs import TariffError

    path = rate_path(urdb, profile.base_dir)
    year_given = b.given_or_default(year_given, "tariff.year")
    year = whole_year(year_given)
    if year is None:
        b.fail(f"{base}.year", f"must be a whole calendar year (got {year_given:g})")
        return None
    dst = daylight_saving(location.state)
    try:
        tariff, how, notes = _read_tariff(path, name, year, dst)
    except TariffError as exc:
        b.fail(f"{base}.urdb", str(exc))
        return None
    b.assume(f"{base}.urdb", f"{tariff.name} ({how} of {path.name})",
             f"OpenEI URDB rate; schedules in local clock time of {year}"
             + (" with daylight saving time" if dst else f", standard time all year ({location.state})")
             + "; holidays not treated specially" + ("; " + "; ".join(notes) if notes else ""))
    if adjustment:
        tariff, problem = adjusted_rate(tariff, adjustment, base)
        if problem:
            b.fail(*problem)
            return None
        b.assume(f"{base}.adjustment", f"{adjustment:+.4g} $/kWh", "profile: added to every energy charge of the "
                                                                   "rate")
    return tariff


_TARIFFS: dict = {}


def _read_tariff(path: Path, name, year: int, dst: bool):
    """A URDB rate read and checked once per process and file version (a batch of homes on one rate reads it
    once; a named pipe can be read only once)."""
    import os
    import stat as _stat

    from .tariffs import read_urdb, tariff_from_urdb

    try:
        info = os.stat(path)
        ident = ("pipe",) if _stat.S_ISFIFO(info.st_mode) else (info.st_ino, info.st_size, info.st_mtime_ns)
    except OSError:
        ident = None
    key = (str(path), ident, name, year, dst)
    if ident is not None and key in _TARIFFS:
        return _TARIFFS[key]
    notes: list = []
    rate, how = read_urdb(path, name)
    out = (tariff_from_urdb(rate, str(path), year, dst, notes), how, tuple(notes))
    if ident is not None:
        if len(_TARIFFS) >= 64:
            _TARIFFS.pop(next(iter(_TARIFFS)))
        _TARIFFS[key] = out
    return out


def _gas_blocks(b: _Builder, profile: Profile):
    from .rules.prices import gas_blocks

    t = profile.tariff
    adjust = t.natural_gas_adjustment if t is not None else None
    blocks, problem = gas_blocks(t.natural_gas if t is not None else None, adjust)
    if problem:
        b.fail(*problem)
        return None
    if blocks is None:
        return None
    b.assume("tariff.natural_gas", "; ".join(f"{'rest' if np.isinf(u) else f'to {u:g} therm'} at ${p:.3f}"
                                             for u, p in zip(blocks.upper, blocks.price)),
             "profile: monthly blocks (they replace prices.natural_gas in the bills)"
             + (f", each {adjust:+.4g} $/therm (tariff.natural_gas_adjustment)" if adjust else ""))
    return blocks


class BillSetup(NamedTuple):
    """What the year's bills are computed from."""

    tariff: object  # bills.ElectricTariff from a URDB rate, or None (the prices or time-of-use periods)
    gas_blocks: object  # bills.GasBlocks or None
    base_kwh_per_h: float  # other electricity use, spread evenly over the hours
    base_therm_per_month: float  # other gas use
    solar_kwh: np.ndarray | None  # the array's AC output each hour
    solar_rule: str | None  # bills.DG_RULES member
    export_rate_usd_per_kwh: float | None
    heat_pump_tariff: object = None  # bills.ElectricTariff the home moves to with the heat pump, or None
    solar_investment: object = None  # SolarInvestment: the array's cost, incentives, life and degradation


class SolarInvestment(NamedTuple):
    """Rooftop solar as an investment: its installed cost (None when not given), the incentives taken off it, how
    long it produces and how fast its output falls."""

    installed_cost_usd: float | None
    incentives_usd: float
    lifetime_years: float
    degradation_per_year: float
    discount_rate: float  # the economics section's, or its default
    escalation_per_year: float  # electricity's: the economics section's, or the state's trend
    incentives_applied: tuple = ()  # (Incentive, typical, low, high) of the programs used


def _bill_setup(b: _Builder, profile: Profile, location: Location, weather: st.Weather, urdb,
                hp_rate=None) -> BillSetup:
    from .rules.base_use import base_use_rules

    base = profile.base_use
    bills = profile.heating_load.from_bills
    nan = float("nan")
    r = base_use_rules([location.state], [nan if base is None or base.electricity is None else base.electricity],
                       [nan if base is None or base.natural_gas is None else base.natural_gas],
                       [bills.fuel if bills is not None else None],
                       [nan if bills is None or bills.non_heating is None else bills.non_heating])
    kwh_year, therm_year = float(r.kwh_per_year[0]), float(r.therm_per_year[0])
    if r.kwh_origin[0] != "profile":
        b.assume("base_use.electricity", f"{kwh_year / 12:,.0f} kWh/month",
                 f"average household use, {location.state if r.kwh_origin[0] == 'state' else 'US'} (EIA RECS 2015, "
                 "via NREL OpenStudio-HPXML), spread evenly over the hours")
    if r.therm_origin[0] == "bills":
        b.assume("base_use.natural_gas", f"{therm_year / 12:,.1f} therm/month", "the bills' non_heating")
    solar, rule, export = _solar(b, profile, location, weather, urdb)
    return BillSetup(urdb, _gas_blocks(b, profile), kwh_year / 8760.0, therm_year / 12.0, solar, rule, export,
                     hp_rate, _solar_investment(b, profile, location) if solar is not None else None)


def _solar_investment(b: _Builder, profile: Profile, location: Location) -> SolarInvestment:
    """The array's cost, the incentives for it (``economics.incentives: auto`` or programs, from the same snapshot as
    the heat pump's) and its life and degradation."""
    cfg = profile.solar
    lifetime = b.given_or_default(cfg.lifetime, "solar.lifetime")
    degradation = b.given_or_default(cfg.degradation, "solar.degradation")
    cost = cfg.installed_cost
    incentives, used = 0.0, ()
    econ = profile.economics
    if cost is not None and econ is not None and (econ.incentives.auto or econ.incentives.programs):
        from . import incentives as inc

        found = _household_finding(b, profile, "rooftop_solar_installation")
        if found is not None:
            kw = cfg.capacity
            applied = inc.apply(found, "rooftop_solar_installation", cost, None,
                                quantities={"kilowatt": kw, "watt": kw * 1000.0})
            incentives, used = applied.usd, applied.used
            b.assume("solar.incentives", f"${applied.usd:,.0f}: " + (", ".join(
                f"{u[0].id} {u[0].program} (${u[1]:,.0f})" for u in applied.used) or "none applies"),
                f"{inc._data()['source']}; rooftop solar installation")
    given = econ.escalation.electricity if econ is not None else None
    if given is None:
        info = st.state_info(location.state) if location.state else None
        given = (info or st.state_info("US"))["escalation_per_year"]["electricity"]
    rate = econ.discount_rate if econ is not None and econ.discount_rate is not None else \
        field_spec("economics.discount_rate").default
    return SolarInvestment(cost, incentives, lifetime, degradation, rate, given, used)


def _solar(b: _Builder, profile: Profile, location: Location, weather: st.Weather, urdb):
    cfg = profile.solar
    if cfg is None:
        return None, None, None
    from .errors import DataError
    from .model.pv import ARRAY_FIELDS, Site, array_per_kw

    station = st.station_by_id(location.station_id) if location.station_id else None
    if station is None:
        b.fail("solar", "rooftop solar needs an embedded TMY3 station's irradiance; a weather file has none")
        return None, None, None
    from .rules.rates import UNPAID_EXPORTS, array_parameters, exports_unpaid

    values = array_parameters({f: getattr(cfg, f) for f in ARRAY_FIELDS})
    kind = b.given_or_default(cfg.array, "solar.array")  # the defaults taken, in words: the mount first
    for f in ARRAY_FIELDS:
        if f == "array" or (f == "gcr" and kind == "fixed_roof"):
            continue
        if f == "tilt" and values["tilt"] is None:
            b.assume("solar.tilt", "0 (a flat tracker axis)", "PVWatts: one-axis trackers' axes lie flat")
        elif getattr(cfg, f) is None:
            b.given_or_default(None, f"solar.{f}")
    array = array_per_kw(cfg.capacity, values)._replace(capacity_kw=cfg.capacity)
    try:
        per_kw = solar_per_kw(station.usaf, array._replace(capacity_kw=1.0),
                              Site(station.lat, station.lon, station.elevation_m, station.utc_offset_h),
                              weather.temp_f)
    except DataError as exc:
        b.fail("solar", str(exc))
        return None, None, None
    kwh = per_kw * array.capacity_kw
    b.assume("solar", f"{array.capacity_kw:g} kW DC, {kwh.sum():,.0f} kWh AC a year",
             f"PVWatts' model chain with pvlib on TMY3 {station.usaf} irradiance (docs/methodology.md)")
    from .bills import export_rule

    rule = export_rule(cfg.net_metering, cfg.net_metering_credit, urdb.dg_rule if urdb is not None else None)
    if cfg.net_metering is None:
        b.assume("solar.net_metering", rule.replace("_", " "),
                 "the URDB rate's dgrules" if urdb is not None and urdb.dg_rule else
                 "net metering (annual netting) where no rule is given")
    if exports_unpaid(rule, cfg.export_rate, urdb):
        b.warn(*UNPAID_EXPORTS)
    return kwh, rule, cfg.export_rate


def pv_cache_key(usaf: str, array, site) -> tuple:
    """(key, group) of an array per kW in the per-user PV cache: the array at its station and site, kept in the
    station's pack."""
    return (usaf, tuple(array), tuple(site)), (usaf, tuple(site))


def solar_per_kw(usaf: str, array, site, temp_f) -> np.ndarray:
    """Hourly AC output of 1 kW (DC) of the array [kWh], from a per-user cache when it was computed before (the
    chain is linear in capacity at a fixed DC-to-AC ratio; pvlib takes a second to import).  ``temp_f``: the
    station's hourly temperatures, or a function giving them, called only when the array must be computed."""
    from . import pvcache

    key, group = pv_cache_key(usaf, array, site)
    cached = pvcache.get(key, group)
    if cached is not None:  # (a batch asks once a home: the chain's modules only when it runs)
        return cached
    from .model.pv import ac_output_kwh
    from .weather.solar import solar_resource

    r = solar_resource(usaf)
    temp_f = temp_f() if callable(temp_f) else temp_f
    out = ac_output_kwh(array, site, r.ghi_w_per_m2, r.dni_w_per_m2, r.dhi_w_per_m2, (temp_f - 32.0) / 1.8,
                        r.wind_m_per_s, r.albedo)
    return pvcache.put(key, out, group)  # (what the cache keeps: a cached run and this one use the same values)


def solar_per_kw_many(usaf: str, arrays: list, site, temp_f: np.ndarray, keep: bool = True) -> None:
    """:func:`solar_per_kw` for several arrays at one station, computed together (pvlib's functions broadcast over
    the arrays: each row is the same, bit for bit, as computing it alone) and put in the per-user cache (``keep``:
    :func:`heatcalc.pvcache.put_many`'s)."""
    from . import pvcache
    from .model.pv import ac_output_kwh_many
    from .weather.solar import solar_resource

    r = solar_resource(usaf)
    out = ac_output_kwh_many(arrays, site, r.ghi_w_per_m2, r.dni_w_per_m2, r.dhi_w_per_m2, (temp_f - 32.0) / 1.8,
                             r.wind_m_per_s, r.albedo)
    pvcache.put_many([(pv_cache_key(usaf, array, site)[0], row) for array, row in zip(arrays, out)],
                     pv_cache_key(usaf, arrays[0], site)[1], keep)  # (one write of the station's pack)


def _economics(b: _Builder, profile: Profile, location: Location, furnace, resistance, heat_pump,
               nominal_btu_per_h: float | None, tests=None, design_load_btu_per_h: float | None = None
               ) -> Economics:
    from .rules.economics import current_system, escalation_rates, purchases

    cfg = profile.economics
    base = "economics"
    current = current_system(cfg.current, _bills_fuel(profile))
    if current is None:
        b.fail(f"{base}.current", "say which system the home has today (furnace, heat_pump or "
                                  "electric_resistance); it cannot be told from the load given")
        current = "furnace"
    if cfg.current is None:
        b.assume(f"{base}.current", current, field_spec(f"{base}.current").rule)
    present = {"heat_pump": heat_pump, "furnace": furnace, "electric_resistance": resistance}
    if present.get(current) is None:
        b.fail(f"{base}.current", f"the {current.replace('_', ' ')} is not among the systems compared")
    replace = bool(b.given_or_default(cfg.replace_current, f"{base}.replace_current"))
    cooled = profile.cooling_load is not None and profile.systems.air_conditioner is not None
    wanted, with_ac = purchases({k: v is not None for k, v in present.items()}, current, replace, cooled)
    typical, low, high = {}, {}, {}
    for system in wanted:
        given = getattr(cfg.installed_cost, system)
        if given is not None:
            typical[system] = low[system] = high[system] = given
            continue
        cost = _default_installed_cost(b, system, profile, location, heat_pump, nominal_btu_per_h, furnace, tests,
                                       design_load_btu_per_h)
        if cost is None:
            continue
        typical[system], low[system], high[system] = cost.typical_usd, cost.low_usd, cost.high_usd
        size = f" at {cost.size_tons:.3g} ton" if cost.size_tons else ""
        size += f", {cost.zones} indoor unit{'s' if cost.zones > 1 else ''}" if cost.zones else ""
        b.assume(f"{base}.installed_cost.{system}",
                 f"${cost.typical_usd:,.0f} (${cost.low_usd:,.0f} to ${cost.high_usd:,.0f}){size}, "
                 f"{cost.dollar_year} $", f"{cost.description}: {cost.source}")
    if current not in typical:
        typical[current] = low[current] = high[current] = 0.0
    incentives = {k: getattr(cfg.incentives, k) for k in ("heat_pump", "furnace", "electric_resistance",
                                                           "air_conditioner") if getattr(cfg.incentives, k) is not None}
    incentive_range, applied, possible = {}, (), ()
    if (cfg.incentives.auto or cfg.incentives.programs) and "heat_pump" in typical and heat_pump is not None:
        found = _auto_incentives(b, profile, heat_pump, typical["heat_pump"],
                                 _nameplate_btu_per_h(profile.systems.heat_pump, heat_pump, nominal_btu_per_h, tests)
                                 if heat_pump.ground is None else (nominal_btu_per_h or 36000.0))
        if found is not None and "heat_pump" not in incentives:
            incentives["heat_pump"] = found.usd
            incentive_range["heat_pump"] = (found.low_usd, found.high_usd)
            applied, possible = found.used, found.possible
    current_name = current.replace("_", " ")
    if current == "furnace" and furnace is not None and furnace.kind != "furnace":  # 'oil boiler', 'wood stove'
        current_name = f"{FUEL_SHORT[furnace.fuel]} {furnace.kind}"
    if replace:
        comparison = f"each system bought new, the current {current_name} too" + (
            " (a furnace or resistance heat with a new central air conditioner)" if with_ac else "")
    else:
        comparison = f"each system against keeping the current {current_name} (installed cost 0)" + (
            "; leaving the heat pump means buying an air conditioner too" if with_ac else "")
    b.assume(f"{base}.comparison", comparison, "economics.replace_current and economics.current")
    lifetime = b.given_or_default(cfg.lifetime, f"{base}.lifetime")
    rate = b.given_or_default(cfg.discount_rate, f"{base}.discount_rate")
    escalation = escalation_rates(location.state, ("electricity",) + fuels_in_play(profile),
                                  {k: getattr(cfg.escalation, k) for k in cfg.escalation._fields})
    if all(getattr(cfg.escalation, k) is None for k in cfg.escalation._fields):
        b.assume(f"{base}.escalation", ", ".join(f"{k} {v * 100:+.1f} %/yr" for k, v in escalation.items()),
                 st.data_sources()["escalation"] + f", {location.state or 'US'}")
    return Economics(current, typical, incentives, lifetime, rate, escalation,
                     bool(b.given_or_default(cfg.gas_disconnect, f"{base}.gas_disconnect")), low, high, replace,
                     comparison, incentive_range, applied, possible)


def _auto_incentives(b, profile: Profile, heat_pump, cost_usd: float, nameplate_btu_per_h: float):
    """``economics.incentives: auto`` (or a list of ids): the incentives the household qualifies for on the install
    date that lower the heat pump's cost, by the rule both routes share
    (:func:`heatcalc.rules.economics.household_incentives`), or None when they cannot be looked up."""
    import datetime as dt

    from . import incentives as inc
    from .rules.economics import household_incentives

    base = "economics.incentives"
    zip_code = profile.location.zip if profile.location is not None else None
    hh = profile.household
    install = profile.economics.install_date
    if install is None and zip_code:
        install = dt.date.today()
        b.assume("economics.install_date", install.isoformat(), field_spec("economics.install_date").rule)
    bought = purchase_of(profile)
    found = household_incentives(zip_code, None if hh is None else hh.income, None if hh is None else hh.size,
                                 None if hh is None else hh.owner, None if hh is None else hh.utility, install,
                                 profile.economics.incentives.programs, bought, cost_usd, nameplate_btu_per_h)
    for fld, message in found.problems:
        b.fail(fld, message)
    if found.applied is None:
        return None
    for fld, message in found.warnings:
        b.warn(fld, message)
    finding, applied = found.finding, found.applied
    if finding.utility is not None and finding.utility_how and not finding.utility_how.startswith("given"):
        b.assume("household.utility", finding.utility, finding.utility_how.replace("give it", "give household."
                                                                                                "utility"))
    used = ", ".join(f"{u[0].id} {u[0].program} (${u[1]:,.0f})" for u in applied.used) or "none applies"
    possible = "".join(f"; not counted: {p[0].id} {p[0].program} (${p[1]:,.0f}), {p[0].condition}"
                       for p in applied.possible)
    b.assume(base, f"${applied.usd:,.0f} for the heat pump"
                   + (f" (${applied.low_usd:,.0f} to ${applied.high_usd:,.0f})"
                      if applied.high_usd > applied.low_usd else "") + f": {used}{possible}",
             f"{inc._data()['source']}; on {install.isoformat()}, {bought.item.replace('_', ' ')}, ZIP {zip_code}"
             + (f", {finding.utility}" if finding.utility else ""))
    return applied


def purchase_of(profile: Profile):
    """What the profile says is bought, for the offers that ask (:func:`heatcalc.rules.economics.purchase`)."""
    from .rules.economics import purchase

    cfg = profile.systems.heat_pump
    hh = profile.household
    return purchase(None if cfg is None else cfg.type, None if cfg is None else cfg.distribution,
                    profile.economics.current if profile.economics is not None else None,
                    profile.systems.furnace.fuel if profile.systems.furnace is not None else None,
                    _bills_fuel(profile), None if cfg is None else cfg.backup, None if cfg is None else cfg.serves,
                    None if hh is None else hh.home_type, has_heat_pump=cfg is not None)


def _household_finding(b, profile: Profile, item: str):
    """The incentives for ``item`` (rooftop_solar_installation) that apply to the profile's household on its install
    date (:func:`heatcalc.incentives.find`), or None where they cannot be looked up (the heat pump's incentives say
    why); the programs listed in economics.incentives.programs, when given, are the only ones kept."""
    import datetime as dt

    from . import incentives as inc

    hh = profile.household
    install = profile.economics.install_date or dt.date.today()
    zip_code = profile.location.zip if profile.location is not None else None
    if not zip_code:
        return None
    try:
        finding = inc.find(zip_code, None if hh is None else hh.income, None if hh is None or hh.size is None
                           else int(hh.size), True if hh is None or hh.owner is None else hh.owner,
                           None if hh is None else hh.utility, install, where="location.zip",
                           items=(item,), purchase=purchase_of(profile))
    except HeatcalcError:
        return None
    if profile.economics.incentives.programs:
        wanted = {p.strip() for p in profile.economics.incentives.programs.split(",") if p.strip()}
        finding = finding._replace(rows=tuple(r for r in finding.rows if r.id in wanted))
    return finding


def _default_installed_cost(b, system: str, profile: Profile, location: Location, heat_pump,
                            nominal_btu_per_h: float | None, furnace, tests=None,
                            design_load_btu_per_h: float | None = None):
    """The installed-cost range heatcalc assumes for a system the profile gives no cost for, at the size modelled
    (:func:`heatcalc.rules.economics.default_installed_cost`): a heat pump at its nameplate (the nominal size; for a
    unit given by rows or tests, its rated capacity at 47 F), a furnace at the home's design load."""
    from .rules.economics import default_installed_cost

    kw: dict = {}
    zones_given = None
    if system == "heat_pump":
        if profile.systems.heat_pump.type == "air_to_water":
            kw = {"hp_type": "air_to_water"}
        elif heat_pump.ground is not None:
            kw = {"ground": True, "nameplate_btu_per_h": nominal_btu_per_h}
        else:
            cfg = profile.systems.heat_pump
            zones_given = cfg.zones
            compressor = cfg.compressor or field_spec("systems.heat_pump.compressor").default_for("air_source")
            kw = {"distribution": cfg.distribution or field_spec("systems.heat_pump.distribution").default,
                  "nameplate_btu_per_h": _nameplate_btu_per_h(cfg, heat_pump, nominal_btu_per_h, tests),
                  "hspf2": heat_pump_hspf2(cfg, heat_pump, compressor), "zones": zones_given}
    elif system == "furnace":
        kw = {"furnace_kind": furnace.kind, "furnace_fuel": furnace.fuel,
              "design_load_btu_per_h": design_load_btu_per_h}
    cost, problem = default_installed_cost(system, location.state, **kw)
    if problem:
        b.fail(*problem)
        return None
    if kw.get("distribution") == "ductless" and zones_given is None:
        b.assume("systems.heat_pump.zones", f"{cost.zones}", field_spec("systems.heat_pump.zones").rule)
    elif "distribution" in kw and kw["distribution"] != "ductless" and zones_given is not None:
        b.assume("systems.heat_pump.zones", "not used", "indoor units price a ductless system only")
    return cost


def _nameplate_btu_per_h(cfg, heat_pump, nominal_btu_per_h: float | None, tests) -> float:
    """What a heat pump is sold as: its nominal size when heatcalc sized it or the profile gave one; for a unit
    given by data-sheet rows, its rated-speed row at 47 F; by tests, its full-stage 47 F test; by points, its
    capacity at 47 F (the unit's maximum there is not its nameplate: an 18,000 Btu/h mini-split reaches 30,400)."""
    if cfg.capacity is not None:
        return float(cfg.capacity)
    if nominal_btu_per_h:
        return float(nominal_btu_per_h)
    rated = [p.capacity for p in (cfg.performance or []) if p.speed == "rated" and abs(p.outdoor - 47.0) < 0.5]
    if rated:
        return float(rated[0])
    if tests is not None:
        full = [t.capacity_btu_per_h for t in tests.tests if t.stage == "full" and abs(t.outdoor_f - 47.0) < 0.5]
        if full:
            return float(full[0])
    return float(heat_pump.curve.capacity_max(47.0))


def heat_pump_hspf2(cfg, heat_pump: HeatPump, compressor: str) -> float:
    """The HSPF2 a profile's air-source heat pump stands for: the one given (with no points), the default when
    neither a rating nor points are given, else its points rated by AHRI 210/240-2023 (for its installed cost and
    the size table's 'as given' row)."""
    if not cfg.performance:  # the rule that chose its default curves (heatcalc.rules.heat_pump)
        from .rules.heat_pump import air_source_rules

        return float(air_source_rules([True], [compressor], [np.nan], [np.nan], [_nan(cfg.hspf2)], [_nan(cfg.hspf)],
                                      [cfg.distribution], [None], [True]).hspf2[0])
    return _rated_hspf2(heat_pump, compressor)


def _rated_hspf2(heat_pump: HeatPump, compressor: str) -> float:
    """HSPF2 of a heat pump given by its points (AHRI 210/240-2023 procedure), for its default installed cost."""
    from .model import rating

    return rating.rate(rating.RatingPoints(*heat_pump.curve, compressor=compressor), None,
                       heat_pump.cycling_degradation).hspf2
