"""From a validated profile to a home the model can run: location and weather, heat-loss coefficient,
equipment, prices and emission factors, with every default that was used recorded as an assumption.
"""

from __future__ import annotations

import json
from typing import NamedTuple
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import money
from .errors import DataError
from .model import load as load_model
from .model.engine import DEFAULT_CYCLING_DEGRADATION_BY_COMPRESSOR, ElectricResistance, Furnace, HeatPump
from .model.heat_pump import (
    HeatPumpCurve, calibrated_default_curve, curve_from_points, hspf2_range, size_to_load_btu_per_h,
    sizing_temperature_f,
)
from .profile import ProfileSpec
from .units import BTU_PER_FUEL_UNIT, FUEL_UNIT, FUELS
from .weather import stations as st

DATA_DIR = Path(__file__).resolve().parent / "data"

DEFAULT_BALANCE_POINT_F = 60.0
DEFAULT_INDOOR_F = 68.0
DEFAULT_BILL_EFFICIENCY = {"natural_gas": 0.80, "propane": 0.80, "heating_oil": 0.80, "electricity": 1.0}
DEFAULT_NEW_AFUE = {"natural_gas": 0.95, "propane": 0.95, "heating_oil": 0.85}
DEFAULT_HSPF2 = 8.1
DEFAULT_COMPRESSOR = "variable_speed"
DEFAULT_CUTOFF_F = -13.0
DEFAULT_BLOWER_KWH_PER_MMBTU = 10.0
PRICE_KEYS = ("electricity",) + FUELS
# Every US ZIP centroid lies within 155 km of one of the embedded stations (checked over the ZIP table); a point
# farther than this from all of them is not in the US and would silently get a distant climate.
MAX_STATION_KM = 200.0
PRICE_UNIT = {"electricity": "$/kWh", "natural_gas": "$/therm", "propane": "$/gal", "heating_oil": "$/gal"}


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


class Economics(NamedTuple):
    current: str
    installed_cost_usd: dict
    incentives_usd: dict
    lifetime_years: float
    discount_rate: float
    escalation: dict  # per energy: electricity, natural_gas, propane, heating_oil
    gas_disconnect: bool


class Home(NamedTuple):
    spec: ProfileSpec
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
    cooling: Cooling | None = None
    tariff_usd_per_kwh: np.ndarray | None = None  # 8,760 hourly electricity prices (time of use)
    fixed_charges_usd_per_month: dict = {}
    economics: Economics | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def source(self) -> str:
        return self.spec.source

    @property
    def temp_f(self) -> np.ndarray:
        return self.weather.temp_f

    @property
    def design_temp_f(self) -> float:
        return self.weather.design_temp_f

    @property
    def design_load_btu_per_h(self) -> float:
        return float(load_model.heat_load_btu_per_h(self.ua_btu_per_h_f, self.design_temp_f, self.balance_point_f))


@lru_cache(maxsize=1)
def _fuel_factors() -> dict:
    with open(DATA_DIR / "fuels.json") as fh:
        return json.load(fh)


class _Builder:
    def __init__(self, spec: ProfileSpec):
        self.spec = spec
        self.problems: list[tuple[str, str]] = []
        self.assumptions: list[Assumption] = []

    def assume(self, fld: str, value: str, source: str):
        self.assumptions.append(Assumption(fld, value, source))

    def given_or_default(self, given, default, fld: str, shown: str, source: str):
        """The value the profile gave, or the default — which is then recorded as an assumption."""
        if given is not None:
            return given
        self.assume(fld, shown, source)
        return default

    def fail(self, fld: str, message: str):
        self.problems.append((fld, message))


def build_home(spec: ProfileSpec, price_overrides: dict | None = None) -> Home:
    """Resolve a profile into a :class:`Home`; raises :class:`ProfileError` naming each field that fails."""
    b = _Builder(spec)
    if all(spec.get(f"systems.{name}") is False for name in ("heat_pump", "furnace", "electric_resistance")):
        b.fail("systems", "every system is set to false, so there is nothing to compare; keep at least one")
    location, weather = _location(b, spec)
    if location is None:
        raise spec.error(b.problems)
    design_temp_f = weather.design_temp_f
    b.assume("design temperature", f"{design_temp_f:.1f} F",
             "1st percentile of the year's hourly temperatures (the 99 % heating design condition), from the "
             "weather used; it runs about 0.5 C warmer than ASHRAE's published 99 % values")
    ua, bp, method = _heat_loss(b, spec, weather)
    prices = _prices(b, spec, location, price_overrides or {})
    emissions = _emissions(b, spec, location)
    furnace = _furnace(b, spec)
    resistance = _resistance(b, spec)
    tariff = _tariff(b, spec)
    heat_pump, nominal = (None, None)
    if ua is not None:
        # under a time-of-use tariff the switchover weighs the hours' mean price
        switch_prices = prices if tariff is None else {
            **prices, "electricity": Value(float(np.mean(tariff)), "$/kWh", "mean of the time-of-use hours")}
        heat_pump, nominal = _heat_pump(b, spec, ua, bp, weather, furnace, switch_prices)
    cooling = _cooling(b, spec, ua, weather) if ua is not None else None
    fixed = {k: v for k, v in (spec.get("fixed_charges") or {}).items()}
    economics = _economics(b, spec, location, furnace, resistance, heat_pump) if spec.get("economics") else None
    if b.problems:
        raise spec.error(b.problems)
    return Home(spec=spec, location=location, weather=weather, ua_btu_per_h_f=ua,
                balance_point_f=bp, load_method=method, heat_pump=heat_pump, heat_pump_nominal_btu_per_h=nominal,
                furnace=furnace, resistance=resistance, prices=prices, emissions=emissions,
                assumptions=tuple(b.assumptions), cooling=cooling, tariff_usd_per_kwh=tariff,
                fixed_charges_usd_per_month=fixed, economics=economics)


# --- location ---------------------------------------------------------------------------------------------------

def _location(b: _Builder, spec: ProfileSpec):
    loc = spec.get("location", {})
    state = loc.get("state")
    if state is not None:
        state = state.upper()
        if state == "US" or st.state_info(state) is None or st.representative_station(state) is None:
            b.fail("location.state", f"unknown state {state!r}; use a two-letter code such as MA, TX or DC")
            return None, None
    if "zip" in loc:
        code = _zip5(loc["zip"])
        if code is None:
            b.fail("location.zip", f"{loc['zip']!r} is not a US ZIP code; write five digits, e.g. \"02134\" "
                                   "(ZIP+4 such as 02134-1234 is fine too)")
            return None, None
        z = st.lookup_zip(code)
        if z is None:
            b.fail("location.zip", f"unknown US ZIP code {loc['zip']!r}; check it, or give location.state, "
                                   "station or lat/lon instead")
            return None, None
        price_state = state or z.state
        if z.lat is None:
            station = st.representative_station(z.state)
            b.assume("location", f"ZIP {code} has no coordinates; used {station.name} for {z.state}",
                     "ZIP table (zipcodes package, MIT); state representative station")
            return Location("zip", station.name, station.usaf, None, price_state, None, None, zip=code), \
                st.station_weather(station)
        station, dist = st.nearest_station(z.lat, z.lon)
        return (Location("zip", station.name, station.usaf, dist, price_state, z.lat, z.lon, zip=code),
                st.station_weather(station))
    if "station" in loc:
        station = st.station_by_id(loc["station"])
        if station is None:
            b.fail("location.station", f"unknown TMY3 station {loc['station']!r}; `heatcalc stations` lists them")
            return None, None
        if not station.usable:
            b.fail("location.station", f"station {station.usaf} ({station.name}) has corrupt data "
                                       f"({station.quality_flag}); choose a nearby station")
            return None, None
        return (Location("station", station.name, station.usaf, None, state or station.state, station.lat,
                         station.lon), st.station_weather(station))
    if "lat" in loc:
        lat, lon = loc["lat"], loc["lon"]
        station, dist = st.nearest_station(lat, lon)
        if dist > MAX_STATION_KM:
            b.fail("location.lat", f"{lat:g}, {lon:g} is {dist:,.0f} km from the nearest of heatcalc's US weather "
                                   f"stations (at most {MAX_STATION_KM:g} km is accepted; no US ZIP code lies "
                                   "farther than 155 km from one); outside the US give a weather_file and prices")
            return None, None
        price_state = state or st.state_of_point(lat, lon)
        if price_state is None:
            price_state = station.state
            b.assume("location.state", price_state, "state of the nearest station (no ZIP centroid within 60 km)")
        return Location("lat_lon", station.name, station.usaf, dist, price_state, lat, lon), \
            st.station_weather(station)
    if "weather_file" in loc:
        from .weather.files import read_weather_file

        path = Path(loc["weather_file"]).expanduser()
        if not path.is_absolute() and spec.base_dir is not None:
            path = spec.base_dir / path
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
                        weather_file=str(loc["weather_file"])), st.weather_from_hours(wf.temp_f)
    station = st.representative_station(state)
    b.assume("location", f"{station.name} ({station.usaf})",
             "representative station of the state: the station nearest to the most people (county populations, "
             "US Census 2014)")
    return Location("state", station.name, station.usaf, None, state, station.lat, station.lon), \
        st.station_weather(station)


def _zip5(text: str) -> str | None:
    """``"02134"``, ``"2134"`` (a ZIP whose leading zero a spreadsheet dropped) or ZIP+4 ``"02134-1234"`` → the
    five digits; None for anything else."""
    code = text.strip()
    if len(code) == 10 and code[5] == "-" and code[6:].isdigit():
        code = code[:5]
    if not code.isdigit() or not 3 <= len(code) <= 5:
        return None
    return code.zfill(5)


# --- heat loss --------------------------------------------------------------------------------------------------

def _heat_loss(b: _Builder, spec: ProfileSpec, weather: st.Weather):
    hl = spec.get("heating_load", {})
    bp = b.given_or_default(hl.get("balance_point"), DEFAULT_BALANCE_POINT_F, "heating_load.balance_point", "60 F",
                            "common residential balance point (ASHRAE Fundamentals ch. 18 variable-base "
                            "degree-day method)")
    if "ua" in hl:
        return hl["ua"], bp, "ua"
    if "design" in hl:
        indoor = b.given_or_default(hl.get("indoor"), DEFAULT_INDOOR_F, "heating_load.indoor", "68 F",
                                    "typical winter thermostat setting")
        outdoor = hl["design"]["outdoor"]
        if indoor <= outdoor:
            b.fail("heating_load.design.outdoor", f"must be below the indoor temperature ({indoor:g} F)")
            return None, bp, "design"
        return load_model.ua_from_design_btu_per_h_f(hl["design"]["load"], indoor, outdoor), bp, "design"
    if "annual" in hl:
        annual = hl["annual"]
        where = "heating_load.annual"
    else:
        bills = hl["from_bills"]
        fuel = bills["fuel"]
        eff = bills.get("efficiency")
        if eff is None:
            eff = DEFAULT_BILL_EFFICIENCY[fuel]
            b.assume("heating_load.from_bills.efficiency", f"{eff:g}",
                     "typical existing system (furnace AFUE 0.80; electric resistance 1.0)")
        elif fuel != "electricity" and eff > 1.0:
            b.fail("heating_load.from_bills.efficiency", f"a {fuel} system's AFUE is at most 1 (got {eff:g})")
            return None, bp, "from_bills"
        try:
            annual = load_model.annual_heat_from_bills_btu(bills["amount"], bills.get("non_heating", 0.0), eff)
        except ValueError as exc:
            b.fail("heating_load.from_bills.non_heating", str(exc))
            return None, bp, "from_bills"
        where = "heating_load.from_bills"
    try:
        ua = load_model.ua_from_annual_heat_btu_per_h_f(annual, weather.bin_temp_f, bp, weather.bin_hours)
    except ValueError as exc:
        b.fail("heating_load.balance_point", f"{exc}; raise the balance point or check the location")
        return None, bp, where.split(".")[-1]
    return ua, bp, where.split(".")[-1]


# --- prices and emissions ---------------------------------------------------------------------------------------

def _prices(b: _Builder, spec: ProfileSpec, location: Location, overrides: dict) -> dict:
    info = st.state_info(location.state) if location.state else None
    state_prices = info["prices"] if info else None
    year = st.price_year()
    out = {}
    for key in PRICE_KEYS:
        unit = PRICE_UNIT[key]
        if key in overrides:
            out[key] = Value(overrides[key], unit, "command line")
        elif spec.get(f"prices.{key}") is not None:
            out[key] = Value(spec.get(f"prices.{key}"), unit, "profile")
        else:
            table = state_prices or st.state_info("US")["prices"]
            where = location.state if state_prices else "US"
            out[key] = Value(table[f"{key}_usd_per_{unit[2:].lower()}"], unit,
                             f"EIA {year} average residential price, {where}")
            b.assume(f"prices.{key}", f"{out[key].value:g} {unit}", out[key].source +
                     ("" if state_prices else f" (no state figure for {location.state or 'this location'})"))
            fixed = spec.get(f"fixed_charges.{key}")
            if fixed:
                use_info = (info or {}).get("household_use_per_year") or st.state_info("US")["household_use_per_year"]
                use = use_info["electricity_kwh" if key == "electricity" else "natural_gas_therm"]
                marginal = money.marginal_price(out[key].value, fixed, use)
                if marginal <= 0:
                    b.fail(f"fixed_charges.{key}", f"a ${fixed:g}/month charge is more than the average price "
                                                   f"covers for a home using {use:,.0f} {unit[2:]} a year")
                    continue
                out[key] = Value(marginal, unit, f"marginal price: {out[key].source} less 12 x ${fixed:g} fixed "
                                                 f"charge over {use:,.0f} {unit[2:]}/yr per home (EIA RECS 2015)")
                b.assume(f"prices.{key}", f"{marginal:.4g} {unit}", out[key].source)
        if spec.get(f"fixed_charges.{key}") and out[key].source in ("command line", "profile"):
            b.assume(f"prices.{key}", f"{out[key].value:g} {unit}", "taken as a marginal price (fixed charges "
                                                                     "apart), since it was given")
    return out


def _emissions(b: _Builder, spec: ProfileSpec, location: Location) -> dict:
    info = st.state_info(location.state) if location.state else None
    out = {}
    given = spec.get("emissions.electricity")
    if given is not None:
        out["electricity"] = Value(given, "kg/kWh", "profile")
    else:
        rate = info["electricity_co2e_kg_per_kwh"] if info and info["electricity_co2e_kg_per_kwh"] else None
        where = location.state if rate else "US"
        rate = rate or st.state_info("US")["electricity_co2e_kg_per_kwh"]
        out["electricity"] = Value(rate, "kg/kWh", f"EPA eGRID2023 total output CO2e rate, {where}")
        b.assume("emissions.electricity", f"{rate:g} kg/kWh", out["electricity"].source)
    factors = _fuel_factors()
    for fuel in FUELS:
        given = spec.get(f"emissions.{fuel}")
        unit = f"kg/{FUEL_UNIT[fuel]}"
        if given is not None:
            out[fuel] = Value(given, unit, "profile")
            continue
        per_unit = factors["fuels"][fuel]["co2e_kg_per_mmbtu"] * BTU_PER_FUEL_UNIT[fuel] / 1e6
        out[fuel] = Value(per_unit, unit, "EPA GHG Emission Factors Hub (combustion CO2, CH4, N2O as CO2e)")
    return out


# --- equipment --------------------------------------------------------------------------------------------------

def _furnace(b: _Builder, spec: ProfileSpec) -> Furnace | None:
    cfg = spec.get("systems.furnace", {})
    bills = spec.get("heating_load.from_bills") or {}
    if cfg is False:
        return None
    fuel = cfg.get("fuel")
    if fuel is None:
        fuel = bills.get("fuel") if bills.get("fuel") in FUELS else "natural_gas"
        b.assume("systems.furnace.fuel", fuel, "the billed fuel" if bills.get("fuel") == fuel else
                 "natural gas, the most common furnace fuel")
    afue = cfg.get("afue")
    if afue is None:
        if bills.get("fuel") == fuel:
            afue = bills.get("efficiency") or DEFAULT_BILL_EFFICIENCY[fuel]
            b.assume("systems.furnace.afue", f"{afue:g}", "the current system's efficiency from the bills")
        else:
            afue = DEFAULT_NEW_AFUE[fuel]
            b.assume("systems.furnace.afue", f"{afue:g}", "a new furnace: condensing gas/propane 0.95, oil 0.85 "
                                                          "(US DOE minimums are 0.80 and 0.83)")
    blower = b.given_or_default(cfg.get("blower"), DEFAULT_BLOWER_KWH_PER_MMBTU, "systems.furnace.blower",
                                "10 kWh/MMBtu", "a furnace fan of about 0.4 W per cfm at 400 cfm per 12,000 Btu/h "
                                "of output")
    return Furnace(fuel=fuel, afue=afue, blower_kwh_per_mmbtu=blower)


def _resistance(b: _Builder, spec: ProfileSpec) -> ElectricResistance | None:
    cfg = spec.get("systems.electric_resistance", {})
    if cfg is False:
        return None
    return ElectricResistance(efficiency=cfg.get("efficiency", 1.0))


def _heat_pump(b: _Builder, spec: ProfileSpec, ua: float, bp: float, weather: st.Weather,
               furnace: Furnace | None, prices: dict):
    cfg = spec.get("systems.heat_pump", {})
    if cfg is False:
        return None, None
    base = "systems.heat_pump"
    design_temp_f = weather.design_temp_f
    if cfg.get("type") == "ground_source":
        return _ground_source(b, cfg, ua, bp, weather, furnace, prices)
    for key in ("cop", "loop"):
        if cfg.get(key) is not None:
            b.fail(f"{base}.{key}", "applies to ground-source units; add type: ground_source or remove it")
    compressor = b.given_or_default(cfg.get("compressor"), DEFAULT_COMPRESSOR, f"{base}.compressor",
                                    DEFAULT_COMPRESSOR, "most new cold-climate units are inverter-driven")
    cutoff = b.given_or_default(cfg.get("cutoff"), DEFAULT_CUTOFF_F, f"{base}.cutoff", "-13 F",
                                "a typical low-ambient lockout of current variable-speed units")
    cd = cfg.get("cycling_degradation")
    if cd is None:
        cd = DEFAULT_CYCLING_DEGRADATION_BY_COMPRESSOR[compressor]
        b.assume(f"{base}.cycling_degradation", f"{cd:g}",
                 "AHRI 210/240-2023 default for untested units (0.25); 0.15 for variable speed (RESNET 301 models)")
    points = cfg.get("performance")
    nominal = None
    if points:
        curve = curve_from_points([{"temp_f": p["outdoor"], "cop": p["cop"], "capacity_btu_per_h": p["capacity"],
                                    "cop_min": p.get("min_cop"), "capacity_min_btu_per_h": p.get("min_capacity")}
                                   for p in points], compressor)
        if cfg.get("hspf2") is not None or cfg.get("capacity") is not None:
            b.assume(f"{base}.performance", "used", "explicit points win over hspf2 and capacity")
    else:
        hspf2 = cfg.get("hspf2")
        if hspf2 is None:
            hspf2 = DEFAULT_HSPF2
            b.assume(f"{base}.hspf2", f"{hspf2:g}", "a typical new ducted heat pump (US minimum is 7.5 since 2023)")
        lo, hi = hspf2_range(compressor)
        if not lo <= hspf2 <= hi:
            b.fail(f"{base}.hspf2", f"the default {compressor} curves cover HSPF2 {lo:g} to {hi:g} (got "
                                    f"{hspf2:g}); give performance points instead")
            return None, None
        unit_curve, rated, k = calibrated_default_curve(round(hspf2, 6), compressor, cd)
        nominal = cfg.get("capacity")
        if nominal is None:
            t_size = sizing_temperature_f(compressor, design_temp_f, cutoff)
            need = float(load_model.heat_load_btu_per_h(ua, t_size, bp))
            nominal = size_to_load_btu_per_h(unit_curve, need, t_size)
            b.assume(f"{base}.capacity", f"{nominal / 12000:g} ton ({nominal:,.0f} Btu/h at 47 F)",
                     f"smallest standard size whose capacity at {t_size:.1f} F covers the load there, "
                     f"{need:,.0f} Btu/h (the design temperature, or the cutoff if warmer; for single- and "
                     "two-stage units at least 17 F)")
        b.assume(f"{base}.performance", f"HSPF2 {hspf2:g} {compressor}",
                 f"RESNET 301-2022 Addendum 82 default curves; rated by AHRI 210/240-2023 (Region IV) they give "
                 f"HSPF2 {rated:.2f}, so their COPs are scaled by {k:.3f} to reproduce {hspf2:g}")
        curve = unit_curve.scaled(nominal)
    backup = cfg.get("backup", "electric_resistance")
    switchover = cfg.get("switchover")
    backup_furnace = None
    if backup == "furnace":
        if furnace is None:
            b.fail(f"{base}.backup", "dual fuel needs a furnace, but systems.furnace is false")
            return None, None
        backup_furnace = furnace
        if switchover is None:
            switchover = _economic_switchover(curve, cutoff, furnace, prices)
            b.assume(f"{base}.switchover", f"{switchover:g} F",
                     "economic switchover: below it the furnace's heat costs less than the heat pump's at full "
                     "speed, at the prices used")
    elif switchover is not None:
        b.assume(f"{base}.switchover", "ignored", "only used with backup: furnace")
        switchover = None
    hp = HeatPump(curve=curve, cutoff_f=cutoff, backup=backup, switchover_f=switchover,
                  backup_furnace=backup_furnace, cycling_degradation=cd)
    return hp, nominal


def _economic_switchover(curve: HeatPumpCurve, cutoff: float, furnace: Furnace, prices: dict) -> float:
    grid = np.arange(max(cutoff, -40.0), 70.5, 0.5)
    pe = prices["electricity"].value
    furnace_cost = money.heat_cost_usd_per_mmbtu_furnace(furnace.fuel, furnace.afue, prices[furnace.fuel].value,
                                                         furnace.blower_kwh_per_mmbtu, pe)
    return money.economic_switchover_f(grid, curve.cop_at_max(grid), furnace_cost, pe)


def _ground_source(b: _Builder, cfg: dict, ua: float, bp: float, weather: st.Weather, furnace: Furnace | None,
                   prices: dict):
    from .model import ground

    base = "systems.heat_pump"
    for key in ("hspf2", "performance"):
        if cfg.get(key) is not None:
            b.fail(f"{base}.{key}", "rates air-source units; for a ground-source unit give cop (at 32 F entering "
                                    "water) and capacity")
    compressor = cfg.get("compressor", "single_stage")
    cd = cfg.get("cycling_degradation", DEFAULT_CYCLING_DEGRADATION_BY_COMPRESSOR[compressor])
    cop = cfg.get("cop")
    if cop is None:
        cop = 3.6
        b.assume(f"{base}.cop", "3.6", "ENERGY STAR closed-loop water-to-air minimum COP at 32 F EWT (ISO 13256-1)")
    loop_type = cfg.get("loop", "vertical")
    design_load = float(load_model.heat_load_btu_per_h(ua, weather.design_temp_f, bp))
    loop = ground.loop_from_weather(weather.temp_f, loop_type, design_load)
    ewt_design = ground.design_ewt_f(loop)
    b.assume(f"{base}.loop", f"{loop_type}, ground {loop.mean_f:.1f} F mean, design EWT {ewt_design:.1f} F",
             f"Kusuda-Achenbach ground model (depth {loop.depth_ft:g} ft, soil diffusivity "
             f"{loop.diffusivity_ft2_per_day:g} ft2/day); EWT {loop.approach_f:g} F below the ground at design load")
    unit = ground.ground_source_curve(cop, 1.0, compressor)
    nominal = cfg.get("capacity")
    if nominal is None:
        nominal = size_to_load_btu_per_h(unit, design_load, ewt_design)
        b.assume(f"{base}.capacity", f"{nominal / 12000:g} ton ({nominal:,.0f} Btu/h at 32 F EWT)",
                 f"smallest standard size whose capacity at the design EWT covers the design load, "
                 f"{design_load:,.0f} Btu/h")
    backup = cfg.get("backup", "electric_resistance")
    switchover = None
    if backup == "furnace":
        if furnace is None:
            b.fail(f"{base}.backup", "dual fuel needs a furnace, but systems.furnace is false")
            return None, None
        switchover = cfg.get("switchover")
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
    hp = HeatPump(curve=unit.scaled(nominal), cutoff_f=cfg.get("cutoff", -100.0), backup=backup,
                  switchover_f=switchover, backup_furnace=furnace if backup == "furnace" else None,
                  cycling_degradation=cd, ground=loop._replace(design_load_btu_per_h=max(design_load, 1.0)))
    return hp, nominal


# --- cooling, tariffs, economics --------------------------------------------------------------------------------

DEFAULT_HP_SEER2 = 14.3  # US minimum for split heat pumps from 2023 (10 CFR 430.32(c))
DEFAULT_AC_SEER2 = 13.4  # US minimum for split air conditioners in the North from 2023 (10 CFR 430.32(c))
DEFAULT_COOLING_BALANCE_F = 65.0
DEFAULT_COOLING_INDOOR_F = 75.0
DEFAULT_LIFETIME_YEARS = 15.0
DEFAULT_DISCOUNT_RATE = 0.05


def _cooling(b: _Builder, spec: ProfileSpec, heating_ua: float, weather: st.Weather) -> Cooling | None:
    cfg = spec.get("cooling_load")
    if cfg is None:
        return None
    base = "cooling_load"
    bp = b.given_or_default(cfg.get("balance_point"), DEFAULT_COOLING_BALANCE_F, f"{base}.balance_point", "65 F",
                            "the base of cooling degree-days")
    hp_seer2 = b.given_or_default(spec.get("systems.heat_pump.seer2"), DEFAULT_HP_SEER2, "systems.heat_pump.seer2",
                                  "14.3", "US minimum for split heat pumps since 2023 (10 CFR 430.32)")
    ac = spec.get("systems.air_conditioner", {})
    ac_seer2 = None
    if ac is not False:
        ac_seer2 = ac.get("seer2")
        if ac_seer2 is None:
            ac_seer2 = (cfg.get("from_bills") or {}).get("seer2") or DEFAULT_AC_SEER2
            b.assume("systems.air_conditioner.seer2", f"{ac_seer2:g}",
                     "the bills' air conditioner" if (cfg.get("from_bills") or {}).get("seer2") else
                     "US minimum for split air conditioners in the North since 2023 (10 CFR 430.32)")
    if "ua" in cfg:
        ua = cfg["ua"]
    elif "design" in cfg:
        indoor = cfg.get("indoor", DEFAULT_COOLING_INDOOR_F)
        if cfg["design"]["outdoor"] <= indoor:
            b.fail(f"{base}.design.outdoor", f"must be above the indoor temperature ({indoor:g} F)")
            return None
        ua = cfg["design"]["load"] / (cfg["design"]["outdoor"] - indoor)
    elif "annual" in cfg or "from_bills" in cfg:
        if "annual" in cfg:
            annual = cfg["annual"]
        else:
            seer2 = cfg["from_bills"].get("seer2") or DEFAULT_AC_SEER2
            annual = cfg["from_bills"]["amount"] / 3412.14163 * 1000.0 * seer2  # kWh → Wh × Btu/Wh
        cdh = load_model.cooling_degree_hours_f_h(weather.bin_temp_f, bp, weather.bin_hours)
        if cdh <= 0:
            b.fail(f"{base}.balance_point", "the weather never rises above it; lower the balance point")
            return None
        ua = annual / cdh
    else:
        ua = heating_ua
        b.assume(f"{base}.ua", f"{ua:,.0f} Btu/h/F", "the heating UA: the same envelope gains heat in summer")
    return Cooling(ua, bp, hp_seer2, ac_seer2)


def _tariff(b: _Builder, spec: ProfileSpec):
    periods = spec.get("tariff.electricity")
    if not periods:
        return None
    price = money.hourly_price_usd_per_kwh(periods)
    b.assume("tariff.electricity", f"time of use, ${np.mean(price):.3f}/kWh on average over the hours",
             "profile; weekdays follow calendar 2023 (1 January a Sunday); holidays are not treated specially")
    return price


def _economics(b: _Builder, spec: ProfileSpec, location: Location, furnace, resistance, heat_pump) -> Economics:
    cfg = spec.get("economics")
    base = "economics"
    bills = spec.get("heating_load.from_bills") or {}
    current = cfg.get("current")
    if current is None:
        if bills.get("fuel") in FUELS:
            current = "furnace"
        elif bills.get("fuel") == "electricity":
            current = "electric_resistance"
        else:
            b.fail(f"{base}.current", "say which system the home has today (furnace, heat_pump or "
                                      "electric_resistance); it cannot be told from the load given")
            current = "furnace"
        b.assume(f"{base}.current", current, "the system the bills are for")
    present = {"heat_pump": heat_pump, "furnace": furnace, "electric_resistance": resistance}
    if present.get(current) is None:
        b.fail(f"{base}.current", f"the {current.replace('_', ' ')} is not among the systems compared")
    installed = dict(cfg.get("installed_cost") or {})
    for system, obj in present.items():
        if obj is not None and system != current and system not in installed:
            b.fail(f"{base}.installed_cost.{system}", "is needed for the payback and lifetime cost of the "
                                                      f"{system.replace('_', ' ')} (the current system's is 0)")
    installed[current] = 0.0
    lifetime = b.given_or_default(cfg.get("lifetime"), DEFAULT_LIFETIME_YEARS, f"{base}.lifetime", "15 years",
                                  "typical service life of heat pumps and furnaces (15–20 years)")
    rate = b.given_or_default(cfg.get("discount_rate"), DEFAULT_DISCOUNT_RATE, f"{base}.discount_rate",
                              "5 % a year (nominal)", "a household's cost of money; give your own")
    info = st.state_info(location.state) if location.state else None
    trend = (info or st.state_info("US"))["escalation_per_year"]
    escalation = {}
    for energy in ("electricity",) + FUELS:
        given = (cfg.get("escalation") or {}).get(energy)
        escalation[energy] = trend[energy] if given is None else given
    if not cfg.get("escalation"):
        b.assume(f"{base}.escalation", ", ".join(f"{k} {v * 100:+.1f} %/yr" for k, v in escalation.items()),
                 st.data_sources()["escalation"] + f", {location.state or 'US'}")
    return Economics(current, installed, dict(cfg.get("incentives") or {}), lifetime, rate, escalation,
                     bool(cfg.get("gas_disconnect", False)))
