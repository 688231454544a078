"""Many homes as columns: a block of a homes table parsed a field at a time, the homes resolved and run as arrays
(every station's temperature bins side by side, a few hundred homes per engine call) and the rows returned as
columns, in input order.

Every declared field is on the fast route (:data:`FAST_FIELDS`) but those whose homes are per home by nature or not
yet on it (:data:`PER_HOME_FIELDS`, docs/scale.md says why).  A row that gives one of those, or that the fast route
cannot resolve on its own (an unknown station, a value out of bounds, a rule's problem, weather that never falls
below the balance point), goes through the per-home route (:func:`heatcalc.homes.process_block`), which validates
it as a profile and reports its problems with field and line.  Both routes resolve by the same rules
(:mod:`heatcalc.rules`) and give the same rows: ``tests/test_columnar.py`` compares them on generated tables.
"""

from __future__ import annotations

import math
import os
import threading
from contextlib import contextmanager
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .model.heat_pump import capacity_balance_points_f, interpolation_matrix
from .model.pv import ARRAY_FIELDS as PV_PARAMETERS  # the fields that shape an array
from .profile.sections import CAMBIUM_REGIONS as MARGINAL_REGIONS  # Cambium's regions, by number here
from .rows import (  # noqa: F401  (declared there once; read here under these names too)
    BOOL_COLUMNS, NULLABLE, OBJECT_COLUMNS, OUT_COLUMNS, TEXT_COLUMNS, Block, Chunk, block_from_outcomes,
    column_values, empty_columns, materialized,
)
from .results import UNMET_COOLING_SHARE, UNMET_HEAT_SHARE
from .units import FUELS as FUEL_KEYS  # every fuel a furnace, boiler or stove burns
from .weather.stations import station_bins, station_hour_bins

#: Rows per unit of work when a table has rates or solar (at most; as many as a plain CSV table's now: 20,000 homes
#: with a rate and solar warm 5.0-5.1 s in units of 2,048 against 5.3 in units of 1,024, a worker ~10 MB more).
HOURLY_CHUNK = 2048
PV_GROUP = 32  # PV arrays of a station computed in one call (pvlib broadcasts over them: ~2x faster each)
SUB_BATCH = 256  # homes per engine call: (homes x bins) arrays of ~0.7 MB, so the few an operation reads fit in cache
PAD_TEMP_F = 1000.0  # temperature of the padding bins: no home needs heat there, and their hours are 0

SECTIONS = ("systems.heat_pump", "systems.furnace", "systems.electric_resistance")
#: Groups of fields the columnar route reads together.
BILL_AMOUNTS = ("heating_load.from_bills.amount", "heating_load.from_bills.non_heating")
COOLING_FIELDS = ("cooling_load.ua", "cooling_load.annual", "cooling_load.balance_point", "cooling_load.design.load",
                  "cooling_load.design.outdoor", "cooling_load.indoor", "cooling_load.from_bills.amount",
                  "cooling_load.from_bills.seer2")
TARIFF_FIELDS = ("tariff.urdb", "tariff.name", "tariff.year", "tariff.adjustment")
#: The rate the home moves to with the heat pump: its whole bill on it, the heat pump's row (home.BillSetup)
HP_TARIFF_FIELDS = tuple(f"systems.heat_pump.{f}" for f in TARIFF_FIELDS)
SOLAR_FIELDS = ("solar.capacity", "solar.tilt", "solar.azimuth", "solar.losses", "solar.dc_ac_ratio",
                "solar.inverter_efficiency", "solar.module", "solar.array", "solar.gcr", "solar.net_metering",
                "solar.net_metering_credit", "solar.export_rate")
SOLAR_MONEY = ("solar.installed_cost", "solar.lifetime", "solar.degradation")  # the JSON's solar_economics only
ECONOMICS_FIELDS = (
    "economics.current", "economics.replace_current", "economics.lifetime", "economics.discount_rate",
    "economics.gas_disconnect", "economics.install_date", *(f"economics.escalation.{k}" for k in ("electricity",)
                                                           + FUEL_KEYS),
    *(f"economics.installed_cost.{k}" for k in ("heat_pump", "furnace", "electric_resistance", "air_conditioner")),
    "economics.incentives.auto", "economics.incentives.programs",
    *(f"economics.incentives.{k}" for k in ("heat_pump", "furnace", "electric_resistance", "air_conditioner")))
HOUSEHOLD_FIELDS = ("household.income", "household.size", "household.owner", "household.utility",
                    "household.home_type")
#: The fields whose homes go through the per-home route, and why (docs/scale.md): per home by nature -- a file read
#: for that home, dated bills fitted to their own dates, a unit's own rating points, a ground loop whose temperature
#: carries from hour to hour.  Every other declared field is on the fast route.
PER_HOME_FIELDS = frozenset({
    "location.weather_file", "heating_load.from_bills.periods", "heating_load.from_bills.deliveries",
    "systems.heat_pump.performance", "systems.heat_pump.cop", "systems.heat_pump.loop"})
#: Fields whose value is a list (in a cell: YAML, [{...}, ...])
LIST_FIELDS = frozenset({"tariff.electricity", "tariff.natural_gas"})
PER_HOME_SECTIONS = ("heating_load.hourly.", "cooling_load.hourly.", "systems.heat_pump.tests.")


def _declared_fields(section=None, prefix: str = ""):
    from .profile import SCHEMA
    from .profile.declare import Section

    for name, spec in (section or SCHEMA).fields.items():
        path = f"{prefix}.{name}" if prefix else name
        if isinstance(spec, Section):
            yield from _declared_fields(spec, path)
        else:
            yield path


#: The fields the columnar route resolves itself: every declared leaf but the per-home ones, and `false` for a
#: system or the air conditioner.
FAST_FIELDS = frozenset(f for f in _declared_fields() if f not in PER_HOME_FIELDS and not f.startswith(
    PER_HOME_SECTIONS)) | frozenset(SECTIONS) | {"systems.air_conditioner"}
# Homes with a URDB rate or rooftop solar are billed hour by hour: their systems' hours are expanded from the
# station's temperature bins (a home's load, and so every system's hour, depends on the hour's temperature only)
# and billed as (homes x 8,760) arrays, a group of homes on one rate at a time (heatcalc.bills.electric_bills_usd).


# --- parsing ------------------------------------------------------------------------------------------------------

_MISSING = object()


def _is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def _filled(cells: list, fill) -> list:
    """``cells`` with each empty one (:func:`_is_empty`: None, blank text, NaN) replaced by ``fill``; a column of
    numbers or of text checked without a call per cell."""
    if set(map(type, cells)) <= {float, int, str, bool, type(None)}:
        # each distinct value checked once (a column has few: stations, prices, efficiencies); a NaN is found in
        # the set by identity, as every set lookup tries identity first
        empty = {cell for cell in set(cells) if _is_empty(cell)}
        if not empty or (fill is None and empty == {None}):
            return list(cells)  # a copy: the defaults' one-of rule clears cells of it
        return [fill if cell in empty else cell for cell in cells]
    return [fill if _is_empty(cell) else cell for cell in cells]


class _Parser:
    """Each field's values parsed once per distinct value, by the profile's own leaf rules; None marks a value the
    fast route leaves to the per-home route (which then says what is wrong with it)."""

    def __init__(self):
        from .profile.validation import _Validator, field_spec

        self.spec = field_spec
        self.validator = _Validator
        self.memo: dict = {}

    def __call__(self, field: str, value, fuel: str | None = None):
        key = (field, type(value), repr(value) if isinstance(value, (list, dict)) else value, fuel)
        hit = self.memo.get(key, _MISSING)
        if hit is _MISSING:
            hit = self.memo[key] = self._parse(field, value, fuel)
            if len(self.memo) > 200_000:  # continuous values (loads, prices) should not grow it without bound
                self.memo.clear()
        return hit

    def _parse(self, field: str, value, fuel: str | None):
        if isinstance(value, str):
            from .homes import _cell_value

            text = value.strip()
            if text[:1] in "[{" and field not in LIST_FIELDS:
                return None
            try:
                value = _cell_value(text)
            except Exception:  # YAML that does not read: the per-home route says what is wrong with it
                return None
        if field in SECTIONS or field == "systems.air_conditioner":
            return False if value is False else None  # only `false` (leave the system out) is for the fast route
        if isinstance(value, dict) or (isinstance(value, list) and field not in LIST_FIELDS):
            return None
        v = self.validator()
        spec = self.spec(field)
        out = v.leaf(spec, value, field, {"fuel": fuel})  # a bill's unit follows its fuel
        if v.problems:
            return None
        if field in LIST_FIELDS:  # its items as the profile's records (heatcalc.profile.validation.build)
            from .profile.validation import _frozen

            out = tuple(spec.items(**{k: _frozen(x) for k, x in item.items()}) for item in out)
        return out


@lru_cache(maxsize=1)
def _parser() -> _Parser:
    """One parser a process: its memo (bounded) keeps each field's distinct values parsed across chunks; a value's
    parsed form depends only on the field, the value and a bill's fuel."""
    return _Parser()


def _flatten(data: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            out.update(_flatten(value, path))
        elif value is not None:
            out[path] = value
    return out


# --- resolving ----------------------------------------------------------------------------------------------------

def _place(station, zip_code, state, lat=None, lon=None):
    """(station index, the state whose prices apply) for a row's location, by the rule the per-home route uses
    (heatcalc.rules.location), or None for the per-home route (which says what is wrong)."""
    from .rules.location import Place, place_of, place_of_point

    if sum(x is not None for x in (station, zip_code, lat)) > 1 or (lat is None) != (lon is None):
        return None  # more than one, or half a point: the profile's rules ask for one
    found = place_of_point(lat, lon, state) if lat is not None else place_of(station, zip_code, state)
    return (found.station.index, found.state) if isinstance(found, Place) else None


def _default(field: str, key=None):
    from .profile import field_spec

    return field_spec(field).default_for(key)


class _Curves:
    """Default heat-pump curves per 1 Btu/h (by HSPF2, compressor and C_d) and their capacity at a sizing
    temperature, each computed once."""

    def __init__(self):
        self.capacity_at: dict = {}

    @staticmethod
    def curve(hspf2: float, compressor: str, cd: float, share: float | None = None, factor: float = 1.0):
        """The default curve per 1 Btu/h (its 5 F capacity at ``share`` of the 47 F one when given), its COPs times
        the field ``factor``, as the per-home route makes it."""
        from .model.heat_pump import calibrated_default_curve, with_cop_factor

        c = calibrated_default_curve(round(hspf2, 6), compressor, cd, None if share is None else round(share, 6))[0]
        return c if factor == 1.0 else with_cop_factor(c, factor)

    @staticmethod
    def water_curve(design_f: float, design_supply_f: float, mild_supply_f: float):
        """An air-to-water unit's curve per 1 Btu/h at a station of design temperature ``design_f``, its water on
        the outdoor reset (heatcalc.model.air_to_water.curve, as the per-home route makes it)."""
        from .model.air_to_water import curve

        return curve(1.0, design_f, design_supply_f, mild_supply_f)

    def per_unit_capacity(self, key, curve, temp_f: float) -> float:
        hit = self.capacity_at.get((key, temp_f))
        if hit is None:
            hit = self.capacity_at[(key, temp_f)] = float(curve.capacity_max(temp_f))
            if len(self.capacity_at) > 100_000:
                self.capacity_at.clear()
        return hit


_CURVES = _Curves()
_PLACES: dict = {}  # (station, zip, state, lat, lon) → (station index, price state) or None
_DEGREE_HOURS: dict = {}  # (station index, balance point) → degree hours of the year


def _memo(table: dict) -> dict:
    """A process-wide memo, emptied when it grows large (continuous values must not grow it without bound)."""
    if len(table) > 100_000:
        table.clear()
    return table


# --- the fast route ---------------------------------------------------------------------------------------------

def _values(chunk: Chunk, parse: _Parser, fast: np.ndarray) -> dict:
    """Each fast field's parsed values (None where not given), the defaults filled in; rows the fast route cannot
    take are cleared in ``fast``."""
    n = len(chunk)
    defaults = _flatten(chunk.defaults) if chunk.defaults else {}
    if any(f not in FAST_FIELDS for f in defaults):
        fast[:] = False
        return {}
    raw = {}
    for field, cells in zip(chunk.fields, chunk.cells):
        if field not in FAST_FIELDS:
            for i, cell in enumerate(cells):
                if fast[i] and not _is_empty(cell):
                    fast[i] = False
            continue
        raw[field] = _filled(cells, defaults.get(field))
    for field, value in defaults.items():
        raw.setdefault(field, [value] * n)
    if defaults:
        _replace_defaults(chunk, defaults, raw)
    out = {}
    none = [None] * n
    for field in sorted(raw, key=lambda f: f in BILL_AMOUNTS):  # the bills' fuel before the amounts it sets units of
        fuel = out.get("heating_load.from_bills.fuel", none) if field in BILL_AMOUNTS else none
        cells = raw[field]
        kinds = set(map(type, cells)) - {type(None)}
        if not kinds:  # (a column no row gives)
            out[field] = [None] * n
            continue
        if field not in BILL_AMOUNTS and len(kinds) == 1 and kinds <= {float, int, str, bool}:
            # a column of one kind of value: each distinct value parsed once (the parser's memo would be asked
            # once per cell), then looked up
            parsed = {cell: parse(field, cell, None) for cell in dict.fromkeys(cells) if cell is not None}
            parsed[None] = None
            values = list(map(parsed.__getitem__, cells))
            if any(v is None for k, v in parsed.items() if k is not None):
                for i, (cell, value) in enumerate(zip(cells, values)):
                    if value is None and cell is not None:
                        fast[i] = False
            out[field] = values
            continue
        values = [None] * n
        for i, cell in enumerate(cells):
            if cell is None:
                continue
            parsed = parse(field, cell, fuel[i])
            if parsed is None:
                fast[i] = False
            values[i] = parsed
        out[field] = values
    for section in SECTIONS + ("systems.air_conditioner",):  # `false` and a field inside it: the per-home route
        inside = [values for field, values in out.items() if field.startswith(section + ".")]
        if section in out and inside:
            for i, value in enumerate(out[section]):
                if value is False and any(v[i] is not None for v in inside):
                    fast[i] = False
    return out


def _replace_defaults(chunk: Chunk, defaults: dict, raw: dict) -> None:
    """Where a row chooses a member of a one-of group the defaults chose another of, the defaults' fields of that
    group are not filled in for the row (:func:`heatcalc.profile.replaced_defaults`, as the per-home route does)."""
    from .profile import one_of_members, replaced_defaults

    if not any(one_of_members(f) for f in defaults):
        return
    given = [(f, cells) for f, cells in zip(chunk.fields, chunk.cells) if one_of_members(f)]
    choices: dict = {}  # the fields a row gives → its rows
    for i in range(len(chunk)):
        key = tuple(f for f, cells in given if not _is_empty(cells[i]))
        if key:
            choices.setdefault(key, []).append(i)
    own = {f: cells for f, cells in zip(chunk.fields, chunk.cells)}
    for fields, rows in choices.items():
        for field in replaced_defaults(fields, defaults):
            cells = own.get(field)
            for i in rows:
                if cells is None or _is_empty(cells[i]):
                    raw[field][i] = None


def _numbers(values: dict, field: str, rows: np.ndarray, default) -> np.ndarray:
    given = values.get(field)
    if given is None:
        return np.full(rows.size, np.nan if default is None else float(default))
    out = np.array(given, dtype=float)  # (None reads as NaN)
    if default is not None:
        out[np.array(given, dtype=object) == None] = default  # noqa: E711  (element by element: the cells not given)
    return out[rows]


def _at_rows(cells: list, rows: np.ndarray) -> list:
    """A column's cells at ``rows`` (all of them when the rows are every row, in order)."""
    return cells if len(rows) == len(cells) else [cells[i] for i in rows.tolist()]


def _texts(values: dict, field: str, rows: np.ndarray, default=None) -> list:
    given = values.get(field)
    if given is None:
        return [default] * rows.size
    cells = _at_rows(given, rows)
    return list(cells) if default is None else [cell if cell is not None else default for cell in cells]


class _Homes(NamedTuple):
    """The fast route's homes, resolved: one entry per home in each array."""

    rows: np.ndarray  # which rows of the chunk
    names: list
    station: np.ndarray
    ua: np.ndarray
    bp: np.ndarray
    has_hp: np.ndarray
    has_furnace: np.ndarray
    has_resistance: np.ndarray
    hp_group: list  # (curve temperatures, a furnace behind it, the share it serves) or None
    hp_points: np.ndarray  # (homes, 4, points) capacity max/min [Btu/h], COP max/min; zeros without a heat pump
    cutoff: np.ndarray
    cd: np.ndarray
    switchover: np.ndarray
    strip_capacity: np.ndarray  # the resistance backup's capacity [Btu/h] (inf: unlimited)
    strip_lockout: np.ndarray  # above this outdoor temperature [F] the strips are off (inf: never)
    rest_factor: np.ndarray  # a heat pump serving part of the home: heat its rest system makes per unit of its own
    fuel: list  # the furnace's fuel (None without one)
    afue: np.ndarray
    blower: np.ndarray
    efficiency: np.ndarray
    price: dict  # energy → array
    co2: dict  # energy → array
    base_kwh: np.ndarray  # the home's other electricity use in the year (base_use, else the state's average)
    base_therm: np.ndarray  # its other gas use (base_use, else the gas bills' non_heating, else none)
    billing: "_Billing | None" = None  # homes billed hour by hour (a URDB rate or solar), or None for none
    co2_region: np.ndarray | None = None  # per home, the Cambium region whose hourly rates weigh its kWh (-1: none)
    duct: dict | None = None  # system → the share of its heat that reaches the rooms (heatcalc.rules.ducts); None: 1
    cooling: dict | None = None  # system → its cooling year (_cooling_years); None: no home is cooled
    fixed: dict | None = None  # energy -> the fixed monthly charge [$] per home (fixed_charges), or None for none
    tou: np.ndarray | None = None  # per home, its time-of-use prices' index in tou_prices (-1: none), or None
    tou_prices: list | None = None  # (8,760,) hourly prices [$/kWh]
    gas_block: np.ndarray | None = None  # per home, its monthly gas blocks' index in gas_blocks (-1: none), or None
    gas_blocks: list | None = None  # bills.GasBlocks (tariff.natural_gas, adjusted)
    economics: "_Economics | None" = None  # homes with an economics section, or None for none
    warnings: list | None = None  # per home: what its inputs warn of (a tuple of "field: message"), or None: none
    refused: dict | None = None  # chunk row -> its problems, for rows refused here as the per-home route refuses them


class _Economics(NamedTuple):
    """The homes with an economics section: which, what they buy (heatcalc.rules.economics.Purchased, one entry
    per such home) and whether they leave gas."""

    homes: np.ndarray  # positions among the fast homes
    bought: object  # rules.economics.Purchased
    gas_disconnect: np.ndarray  # bool per fast home


class _Billing(NamedTuple):
    """Homes billed hour by hour: which, on what tariff and export rule, with what array."""

    hourly: np.ndarray  # bool per home
    tariff: np.ndarray  # index into `tariffs` (-1: not billed hourly)
    tariffs: list  # bills.ElectricTariff, as simulate.bill_tariff makes them
    rule: np.ndarray  # index into bills.DG_RULES per home
    pv: np.ndarray  # index into `pv_per_kw` (-1: no array)
    pv_per_kw: list  # how to get each array's (8,760,) AC output of 1 kW DC: solar_per_kw's arguments
    pv_keys: list  # and each one's (key, group) in the per-user PV cache (heatcalc.home.pv_cache_key)
    looked: list  # [True] once the chunk's arrays the cache lacks were computed (a read missed one)
    pv_kw: np.ndarray  # the array's DC capacity [kW]
    fixed: np.ndarray  # the tariff's fixed charges in the year [$]
    hp_tariff: np.ndarray  # index into `tariffs` of the rate the home moves to with the heat pump (-1: its own)
    hp_fixed: np.ndarray  # that rate's fixed charges in the year [$] (the home's where it has none)
    hp_price: np.ndarray  # that rate's first-tier hours' mean price [$/kWh], which the dual-fuel dispatch weighs (NaN)
    unpaid: np.ndarray  # bool per home: its array's exports earn nothing (rules.rates.exports_unpaid), a warning


def _resolve(chunk: Chunk, values: dict, fast: np.ndarray, overrides: dict) -> _Homes | None:
    from .model.heat_pump import nominal_sizes_btu_per_h, sizing_temperature_f
    from .model.load import degree_hours_f_h, heat_load_btu_per_h

    rows = np.flatnonzero(fast)
    if rows.size == 0:
        return None
    curves = _CURVES
    places, degree_hours = _memo(_PLACES), _memo(_DEGREE_HOURS)
    none = [None] * len(chunk)

    def col(field):
        return values.get(field, none)

    # location
    station_c, zip_c, state_c = col("location.station"), col("location.zip"), col("location.state")
    lat_c, lon_c = col("location.lat"), col("location.lon")
    keys = list(zip(*(_at_rows(c, rows) for c in (station_c, zip_c, state_c, lat_c, lon_c))))
    for key in dict.fromkeys(keys):  # each distinct place once (a table's homes share stations and ZIP codes)
        if key not in places:
            places[key] = _place(*key)
    found = [places[key] for key in keys]
    ok = np.fromiter((place is not None for place in found), bool, len(found))
    station = np.fromiter((place[0] if place is not None else 0 for place in found), np.int64, len(found))
    price_state: list = [place[1] if place is not None else None for place in found]
    # the heat the home needs: UA from a UA, a design load, a year's heat or a year of bills, by the rule the
    # per-home route uses (heatcalc.rules.load); which of them a row gives, and whether it gives only one, is checked
    # here (the per-home route's profile rules say what is wrong otherwise)
    from .rules.ducts import distribution_rules
    from .errors import Problem
    from .rules.load import NEVER_BELOW, heat_loss_rules

    annual = _numbers(values, "heating_load.annual", rows, None)
    bp = _numbers(values, "heating_load.balance_point", rows, _default("heating_load.balance_point"))
    billed = _texts(values, "heating_load.from_bills.fuel", rows, None)
    amount = _numbers(values, "heating_load.from_bills.amount", rows, None)
    bill_eff = bill_eff_given = _numbers(values, "heating_load.from_bills.efficiency", rows, None)
    non_heating = _numbers(values, "heating_load.from_bills.non_heating", rows, None)
    has_bills = np.array([f is not None for f in billed]) | ~np.isnan(amount) | ~np.isnan(bill_eff) \
        | ~np.isnan(non_heating)
    ok &= ~has_bills | np.array([f is not None for f in billed])  # bills without their fuel: it says so
    eff_default = {f: _default("heating_load.from_bills.efficiency", f) for f in set(billed) if f is not None}
    eff_default = {f: np.nan if v is None else v for f, v in eff_default.items()}
    bill_eff = np.where(np.isnan(bill_eff), [eff_default.get(f, np.nan) for f in billed], bill_eff)
    # ducts: the rule the per-home route uses (heatcalc.rules.ducts); a heat pump here is the default ducted unit
    duct_eff = _numbers(values, "ducts.efficiency", rows, None)
    has_ducts = ~np.isnan(duct_eff)
    hp_distribution = _texts(values, "systems.heat_pump.distribution", rows)
    hp_type = _texts(values, "systems.heat_pump.type", rows)
    water = np.array([t == "air_to_water" for t in hp_type], dtype=bool)  # radiators or floors, not ducts
    duct = distribution_rules(has_ducts, duct_eff, np.array([d != "ductless" for d in hp_distribution], dtype=bool)
                              & ~water, _texts(values, "systems.furnace.kind", rows))
    ua_given = _numbers(values, "heating_load.ua", rows, None)
    design_load = _numbers(values, "heating_load.design.load", rows, None)
    design_outdoor = _numbers(values, "heating_load.design.outdoor", rows, None)
    indoor = _numbers(values, "heating_load.indoor", rows, _default("heating_load.indoor"))
    includes_ducts = _texts(values, "heating_load.design.includes_ducts", rows)
    has_design = ~np.isnan(design_load) | ~np.isnan(design_outdoor) | np.array([x is not None for x in includes_ducts])
    routes = (~np.isnan(annual) | has_bills).astype(int) + ~np.isnan(ua_given) + has_design + \
        (has_bills & ~np.isnan(annual))
    ok &= routes == 1  # none, or more than one: the per-home route says which to give
    ok &= ~has_design | (~np.isnan(design_load) & ~np.isnan(design_outdoor))

    def degree_hours_of(fit):
        return _station_degree_hours(fit, station, bp, degree_hours, degree_hours_f_h)

    fits = heat_loss_rules(ua=np.where(ok, ua_given, np.nan), design_load=np.where(ok, design_load, np.nan),
                           design_outdoor=design_outdoor, indoor=indoor,
                           includes_ducts=np.array([x is True for x in includes_ducts]) & has_ducts & has_design,
                           annual=np.where(ok, annual, np.nan),
                           billed=[f if good else None for f, good in zip(billed, ok)],
                           amount=amount, non_heating=non_heating, bill_efficiency=bill_eff,
                           bills_share=duct.bills_share(billed), furnace_share=duct.furnace,
                           degree_hours=degree_hours_of)
    # a row whose only problem is weather that never falls below its balance point (a tropical station) is said
    # here, as the per-home route says it, when nothing else about it would be (below): a stock's share of such
    # homes each cost a run of the per-home route, a tenth of a million homes' time. Until then its rules run on a
    # stand-in UA; every other problem sends the row home by home, which says what is wrong with it.
    never_below = np.zeros(rows.size, dtype=bool)
    for j, field, message in fits.problems:
        if message == NEVER_BELOW:
            never_below[j], never_field = True, field
        else:
            ok[j] = False
    never_below &= ok
    ua = np.where(never_below, 1.0, fits.ua)
    design_of = {k: station_bins(k).design_temp_f for k in _distinct(station[ok]).tolist()}
    design = np.array([design_of[s] if good else 0.0 for s, good in zip(station.tolist(), ok.tolist())])
    # systems present
    present = {s: np.array([v is not False for v in _texts(values, s, rows, True)]) for s in SECTIONS}
    has_hp, has_furnace, has_resistance = (present[s] for s in SECTIONS)
    ok &= has_hp | has_furnace | has_resistance
    # furnace, boiler or stove: the rule the per-home route uses (heatcalc.rules.furnace); a row it finds a problem
    # in goes home by home, which says what it is
    from .rules.furnace import furnace_rules

    furnace = furnace_rules(has_furnace, _texts(values, "systems.furnace.kind", rows),
                            _texts(values, "systems.furnace.fuel", rows),
                            _numbers(values, "systems.furnace.afue", rows, None),
                            _numbers(values, "systems.furnace.blower", rows, None), billed, bill_eff_given)
    bad = np.zeros(rows.size, dtype=bool)
    bad[[p[0] for p in furnace.problems]] = True
    ok &= ~bad & ~furnace.quiet
    fuel = furnace.fuel
    afue = np.where(np.isnan(furnace.afue), 1.0, furnace.afue)
    blower = np.where(np.isnan(furnace.blower_kwh_per_mmbtu), 0.0, furnace.blower_kwh_per_mmbtu)
    efficiency = _numbers(values, "systems.electric_resistance.efficiency", rows,
                          _default("systems.electric_resistance.efficiency"))
    # prices and emissions, by the rules the per-home route uses (heatcalc.rules.prices, .emissions); a row they
    # find a problem in goes home by home, which says what it is
    from .rules.emissions import emission_rules
    from .rules.prices import marginal_prices, price_rules

    grid = _texts(values, "emissions.electricity", rows, None)
    emissions = emission_rules(FUEL_KEYS, price_state, grid, _texts(values, "emissions.region", rows, None),
                               {k: _numbers(values, f"emissions.{k}", rows, None) for k in FUEL_KEYS})
    ok[[p[0] for p in emissions.problems]] = False
    co2 = emissions.factor
    co2_region = np.array([MARGINAL_REGIONS.index(r) if r is not None else -1 for r in emissions.region])
    priced = price_rules(("electricity",) + FUEL_KEYS, price_state,
                         {k: _numbers(values, f"prices.{k}", rows, None) for k in ("electricity",) + FUEL_KEYS},
                         overrides)
    price = priced.price
    # fixed charges: an average price becomes a marginal one (heatcalc.rules.prices.marginal_prices)
    fixed = {k: _numbers(values, f"fixed_charges.{k}", rows, 0.0) for k in ("electricity", "natural_gas")}
    for k, charge in fixed.items():
        if (charge > 0).any():
            price[k], _, problems = marginal_prices(k, price[k], priced.origin[k], np.where(charge > 0, charge, np.nan),
                                                    price_state)
            ok[[p[0] for p in problems]] = False
    # time-of-use periods (heatcalc.rules.rates.period_prices): each hour's price, priced bin by bin below; the
    # dual-fuel switchover weighs their mean.  A price they replace, or a home also on a URDB rate, with solar or
    # cooled, goes home by home
    tou, tou_prices = _period_prices(values, rows, ok, price_state, overrides)
    # a fuel burned without a price (kerosene, pellets, coal have no default): home by home, which asks for it
    for f in set(fuel) - {None}:  # a fuel without a price (none given, none for its state)
        ok &= ~(np.array([x == f for x in fuel], dtype=bool) & np.isnan(price[f]))
    # the home's other use on the same meters, for the bills: the rule the per-home route uses (heatcalc.rules.base_use)
    from .rules.base_use import base_use_rules

    base = base_use_rules(price_state, _numbers(values, "base_use.electricity", rows, None),
                          _numbers(values, "base_use.natural_gas", rows, None), billed, non_heating)
    base_kwh, base_therm = base.kwh_per_year, base.therm_per_year
    billing = _billing(chunk, values, rows, ok, station, price_state, price, overrides,
                       (tou, tou_prices, fixed["electricity"]))
    # monthly gas blocks (heatcalc.rules.prices.gas_blocks): a problem, a gas price they replace, fixed charges or
    # periods beside them go home by home
    gas_block, blocks_list = _gas_blocks_of(values, rows, ok, overrides)
    # the cooling season, by the per-home route's rule (heatcalc.rules.cooling); a cooled home billed hour by hour
    # (a rate, solar) or weighed by marginal emission rates goes home by home
    cool = _cooling_inputs(values, rows, ok, station, ua, duct)
    # heat pump: its defaults and the HSPF2 its default curves are chosen by, by the rule the per-home route uses
    # (heatcalc.rules.heat_pump); a row it finds a problem in goes home by home, which says what it is
    from .rules.heat_pump import (
        NOT_AIR_TO_WATER, air_source_rules, air_to_water_rules, capacity_5f_share, cooling_sized_btu_per_h,
        partial_rest,
    )

    capacity = _numbers(values, "systems.heat_pump.capacity", rows, None)
    switch_given = _numbers(values, "systems.heat_pump.switchover", rows, None)
    hp_rules = air_source_rules(has_hp, _texts(values, "systems.heat_pump.compressor", rows),
                                _numbers(values, "systems.heat_pump.cutoff", rows, None),
                                _numbers(values, "systems.heat_pump.cycling_degradation", rows, None),
                                _numbers(values, "systems.heat_pump.hspf2", rows, None),
                                _numbers(values, "systems.heat_pump.hspf", rows, None),
                                hp_distribution, _texts(values, "systems.heat_pump.backup", rows), has_furnace,
                                default_curve=~water)
    ok[[p[0] for p in hp_rules.problems]] = False
    # an air-source or air-to-water unit: a ground-source one goes home by home (PER_HOME_FIELDS says why)
    ok &= ~has_hp | np.array([t in (None, "air_source", "air_to_water") for t in hp_type], dtype=bool)
    # an air-to-water unit (heatcalc.rules.heat_pump.air_to_water_rules): its water's outdoor reset and the problems
    # of the fields that rate other units
    a2w = air_to_water_rules(water & has_hp, {f: _texts(values, f"systems.heat_pump.{f}", rows)
                                              for f in NOT_AIR_TO_WATER + ("distribution",)},
                             _numbers(values, "systems.heat_pump.supply_temperature.design", rows, None),
                             _numbers(values, "systems.heat_pump.supply_temperature.mild", rows, None),
                             other=has_hp & ~water)
    ok[[p[0] for p in a2w.problems]] = False
    compressor, cutoff, cd, hspf2 = hp_rules.compressor, hp_rules.cutoff_f, hp_rules.cycling_degradation, \
        hp_rules.hspf2
    factor = _numbers(values, "systems.heat_pump.field_factor", rows, _default("systems.heat_pump.field_factor"))
    # resistance strips of a given capacity, or locked out above a temperature (unlimited and never, unless given);
    # given with a dual-fuel backup, the per-home route says they apply to strips only
    strip_capacity = _numbers(values, "systems.heat_pump.backup_capacity", rows, np.inf)
    strip_lockout = _numbers(values, "systems.heat_pump.backup_lockout", rows, np.inf)
    strips = np.isfinite(strip_capacity) | np.isfinite(strip_lockout)
    ok &= ~(has_hp & strips & np.array([x != "electric_resistance" for x in hp_rules.backup], dtype=bool))
    shares = [capacity_5f_share(given, cap) for given, cap in
              zip(_texts(values, "systems.heat_pump.capacity_5f", rows), capacity)]
    # (an air-to-water unit's curve is its water's: the per-home route reads no 5 F share for it)
    ok &= ~(has_hp & ~water & np.array([problem is not None for _, problem in shares], dtype=bool))
    kinds: dict = {}  # (HSPF2, compressor, C_d, 5 F share, field factor) → its number in `unit`
    unit: list = []  # per kind: (curve per Btu/h, its points as a (4, points) array)
    kind = np.full(rows.size, -1)
    keys: list = []  # per kind: its key
    dual = np.array([x == "furnace" for x in hp_rules.backup])
    # a heat pump serving part of the home (heatcalc.rules.heat_pump.partial_rest): the furnace or resistance heats
    # the rest, and what it cannot carry of its share; sized for its share
    serves = _numbers(values, "systems.heat_pump.serves", rows, _default("systems.heat_pump.serves"))
    current_given = _texts(values, "economics.current", rows)
    rest = [None] * rows.size
    strips_given = [("backup_capacity" if c is not None else "backup_lockout" if k is not None else None)
                    for c, k in zip(_texts(values, "systems.heat_pump.backup_capacity", rows),
                                    _texts(values, "systems.heat_pump.backup_lockout", rows))]
    for j in np.flatnonzero(ok & has_hp & (serves < 1.0)):
        rest[j], problem = partial_rest(float(serves[j]), current_given[j], bool(has_furnace[j]),
                                        strips=strips_given[j] if hp_rules.backup[j] != "furnace" else None)
        if problem:  # the per-home route says what is wrong
            ok[j] = False
    partial = np.array([r is not None for r in rest], dtype=bool)
    rest_furnace = np.array([r == "furnace" for r in rest], dtype=bool)
    dual = np.where(partial, rest_furnace, dual)
    # the rest system's heat per unit of the heat pump's: its own ducts against the heat pump's
    rest_factor = np.where(partial, duct.heat_pump / np.where(rest_furnace, duct.furnace, duct.electric_resistance),
                           1.0)
    hp = np.flatnonzero(ok & has_hp)
    # each home's curve kind: an air-to-water unit's by the station's design temperature and its water (no 5 F share
    # or field factor), an air-source unit's by its rating; each kind's curve made once
    hp_keys = [("air_to_water", d, ds, ms) if w else (h2, comp, c_d, share, f) for w, d, ds, ms, h2, comp, c_d, share, f
               in zip(water[hp].tolist(), design[hp].tolist(), a2w.design_supply_f[hp].tolist(),
                      a2w.mild_supply_f[hp].tolist(), hspf2[hp].tolist(), [compressor[j] for j in hp],
                      cd[hp].tolist(), [shares[j][0] for j in hp], factor[hp].tolist())]
    for key in dict.fromkeys(hp_keys):
        c = curves.water_curve(*key[1:]) if key[0] == "air_to_water" else curves.curve(*key)
        kinds[key] = len(unit)
        unit.append((c, np.array([c.capacity_max_btu_per_h, c.capacity_min_btu_per_h, c.cop_max, c.cop_min])))
        keys.append(key)
    kind[hp] = [kinds[key] for key in hp_keys]
    # sizing: the smallest standard size whose capacity at the sizing temperature covers the load there (the model's
    # sizing functions, which the per-home route uses too)
    t_size = np.where(water, np.maximum(design, cutoff), sizing_temperature_f(compressor, design, cutoff))
    need = heat_load_btu_per_h(ua, t_size, bp) / duct.heat_pump * serves  # the ducts' losses too; its share
    per_unit = np.ones(rows.size)
    at = list(zip(kind[hp].tolist(), t_size[hp].tolist()))
    capacity_of = {(k, t): curves.per_unit_capacity(keys[k], unit[k][0], t) for k, t in dict.fromkeys(at)}
    per_unit[hp] = [capacity_of[pair] for pair in at]
    sized = cooling_sized_btu_per_h(nominal_sizes_btu_per_h(per_unit, need),
                                    np.where(cool.cooled, cool.design_load, np.nan),
                                    np.isnan(cool.hp_capacity) & ~water)  # an air-to-water unit: its heating size
    nominal = np.where(np.isnan(capacity), sized, capacity)
    hp_cool_cap = np.where(np.isnan(cool.hp_capacity), nominal, cool.hp_capacity)
    # a heat pump too small to cool the home: a warning (heatcalc.rules.cooling.too_small_to_cool), as one home gets
    from .rules.cooling import too_small_to_cool

    cool_warnings = {j: too_small_to_cool(hp_cool_cap[j], cool.design_load[j], cool.hot[j])
                     for j in np.flatnonzero(ok & cool.cooled & has_hp & (hp_cool_cap < cool.design_load)).tolist()}
    # economics and incentives, by the rules the per-home route uses (heatcalc.rules.economics); a home billed hour
    # by hour with them, or one the rules find a problem in, goes home by home
    econ = _economics_inputs(values, rows, ok, billed, present, furnace, nominal, hspf2,
                             heat_load_btu_per_h(ua, design, bp), price_state, cool)
    n_points = max((len(c.temp_f) for c, _ in unit), default=2)
    points = np.zeros((rows.size, 4, n_points))
    hp_group: list = [None] * rows.size
    switchover = np.full(rows.size, -np.inf)
    economic: dict = {}  # (curve, cutoff) → dual-fuel homes whose switchover is the economic one
    for k, (c, pts) in enumerate(unit):
        mine = hp[kind[hp] == k]
        points[mine, :, :len(c.temp_f)] = pts
    for j, k, d, part, share in zip(hp.tolist(), kind[hp].tolist(), dual[hp].tolist(), partial[hp].tolist(),
                                    serves[hp].tolist()):
        hp_group[j] = (unit[k][0].temp_f, d, share if part else 1.0)
    for j in hp[dual[hp] & ~partial[hp]]:
        if math.isnan(switch_given[j]):
            economic.setdefault((int(kind[j]), float(cutoff[j])), []).append(j)
        else:
            switchover[j] = switch_given[j]
    for (k, cut), homes in economic.items():
        homes = np.array(homes)
        # on the rate the home moves to with the heat pump, its first tier's mean (whatever the home's own tariff);
        # else under periods, their hours' mean (heatcalc.home.build_home's order)
        own = billing.hp_price if billing is not None else np.full(rows.size, np.nan)
        switch_pe = np.array([own[j] if not np.isnan(own[j]) else float(np.mean(tou_prices[tou[j]])) if tou[j] >= 0
                              else price["electricity"][j] for j in homes])
        switchover[homes] = _economic_switchovers(unit[k][0], cut, [fuel[j] for j in homes], afue[homes],
                                                  blower[homes], switch_pe,
                                                  np.array([price[fuel[j]][j] for j in homes]))
    # as HeatPumpCurve.scaled: each capacity point times the nominal size
    points[:, :2, :] *= nominal[:, None, None]
    # rows whose only problem is the weather: said here, unless they have what the per-home route checks only with
    # a heat load (cooling, economics, bills hour by hour) -- those go home by home
    said = never_below & ok & ~cool.cooled
    if econ is not None:
        said &= ~econ[0]
    if billing is not None:
        said &= ~billing.hourly
    ok &= ~never_below
    refused = {int(rows[j]): [Problem(never_field, NEVER_BELOW, chunk.lines[int(rows[j])])]
               for j in np.flatnonzero(said)}
    fast[rows[~ok]] = False
    keep = np.flatnonzero(ok)
    names = _texts(values, "name", rows, None)
    pick = keep.tolist()
    at = rows.tolist()
    return _Homes(
        rows=rows[keep],
        names=[names[j] if names[j] is not None else _row_name(chunk, at[j]) for j in pick],
        station=station[keep], ua=ua[keep], bp=bp[keep],
        has_hp=has_hp[keep], has_furnace=has_furnace[keep], has_resistance=has_resistance[keep],
        hp_group=[hp_group[j] for j in pick], hp_points=points[keep], cutoff=cutoff[keep], cd=cd[keep],
        switchover=switchover[keep], strip_capacity=strip_capacity[keep], strip_lockout=strip_lockout[keep],
        rest_factor=rest_factor[keep],
        fuel=[fuel[j] for j in pick], afue=afue[keep], blower=blower[keep],
        efficiency=efficiency[keep], price={k: v[keep] for k, v in price.items()},
        co2={k: v[keep] for k, v in co2.items()}, base_kwh=base_kwh[keep], base_therm=base_therm[keep],
        billing=None if billing is None or not billing.hourly[keep].any() else billing._replace(
            **{f: v[keep] for f, v in billing._asdict().items() if isinstance(v, np.ndarray)}),  # each per-home array
        co2_region=co2_region[keep] if (co2_region[keep] >= 0).any() else None,
        duct=None if not has_ducts[keep].any() else {"heat_pump": duct.heat_pump[keep], "furnace": duct.furnace[keep]},
        cooling=None if not cool.cooled[keep].any() else _cooling_years(
            cool, station, hp_cool_cap, keep, co2_region, tou, tou_prices,
            np.zeros(rows.size, bool) if billing is None else billing.hourly),
        fixed=None if not any((v[keep] > 0).any() for v in fixed.values()) else {k: v[keep] for k, v in fixed.items()},
        tou=tou[keep] if (tou[keep] >= 0).any() else None, tou_prices=tou_prices,
        gas_block=gas_block[keep] if (gas_block[keep] >= 0).any() else None, gas_blocks=blocks_list,
        economics=_economics_of(econ, keep),
        warnings=_warnings_of(pick, cool_warnings, econ, billing), refused=refused)


def _warnings_of(pick: list, cooling: dict, econ, billing) -> list | None:
    """Each kept row's warnings ("field: message"), in the order the per-home route gives them: the cooling's, the
    incentives', the solar exports'; None when there are none."""
    from .rules.rates import UNPAID_EXPORTS

    if not cooling and econ is None and (billing is None or not billing.unpaid.any()):
        return None
    out = []
    for j in pick:
        found = ((f"{cooling[j][0]}: {cooling[j][1]}",) if j in cooling else ()) + \
            (tuple(econ[3][j]) if econ is not None else ()) + \
            ((f"{UNPAID_EXPORTS[0]}: {UNPAID_EXPORTS[1]}",) if billing is not None and billing.unpaid[j] else ())
        out.append(found)
    return out if any(out) else None


def _economics_inputs(values: dict, rows: np.ndarray, ok: np.ndarray, billed: list, present: dict, furnace,
                      nominal: np.ndarray, hspf2: np.ndarray, design_load: np.ndarray, price_state: list,
                      cool) -> tuple | None:
    """The economics section of the rows that give one, by the rules the per-home route uses
    (:mod:`heatcalc.rules.economics`): (which rows have one, per row its :class:`Purchased` of one entry or None,
    whether it leaves gas, its warnings).  Rows the rules find a problem in are cleared in ``ok``."""
    import datetime as dt

    from .rules import economics as e

    given = [values.get(f) for f in ECONOMICS_FIELDS if values.get(f) is not None]
    if not given:
        return None
    has = np.array([any(v[i] is not None for v in given) for i in rows], dtype=bool)
    n = rows.size
    bought: list = [None] * n
    disconnect = np.zeros(n, dtype=bool)
    warnings: list = [()] * n
    text = {f: _texts(values, f, rows) for f in ECONOMICS_FIELDS + HOUSEHOLD_FIELDS + ("location.zip",)}
    default = {f: _default(f) for f in ("economics.replace_current", "economics.lifetime", "economics.discount_rate",
                                        "economics.gas_disconnect")}
    cooled_ac = cool.cooled & ~np.isnan(cool.ac_seer2)
    today = dt.date.today()
    # what the offers read of the heat pump and furnace is what the profile gives (rules.economics.purchase)
    fuel_given = _texts(values, "systems.furnace.fuel", rows)
    distribution = _texts(values, "systems.heat_pump.distribution", rows)
    zones = _texts(values, "systems.heat_pump.zones", rows)
    backup_given = _texts(values, "systems.heat_pump.backup", rows)
    serves_given = _texts(values, "systems.heat_pump.serves", rows)
    hp_type = _texts(values, "systems.heat_pump.type", rows)
    default_distribution = _default("systems.heat_pump.distribution")
    # what rows share, made once: each row's systems, the purchases a set of systems leads to, the fields' names,
    # the present value factors of a rate, lifetime and trends
    names = [s.rsplit(".", 1)[1] for s in SECTIONS]
    systems_of = [dict(zip(names, row)) for row in zip(*(present[s].astype(bool).tolist() for s in SECTIONS))]
    bought_by: dict = {}
    factors: dict = {}
    quote_field = {system: f"economics.installed_cost.{system}" for system in e.PURCHASES}
    incentive_field = [(k, f"economics.incentives.{k}") for k in e.PURCHASES]
    for j in np.flatnonzero(has & ok):
        def get(field, fallback=None):
            v = text[field][j]
            return fallback if v is None else v

        current = e.current_system(get("economics.current"), billed[j])
        systems = systems_of[j]
        if current is None or not systems.get(current):
            ok[j] = False
            continue
        replace = bool(get("economics.replace_current", default["economics.replace_current"]))
        asked = (tuple(systems.values()), current, replace, bool(cooled_ac[j]))
        if asked not in bought_by:
            bought_by[asked] = e.purchases(systems, current, replace, bool(cooled_ac[j]))[0]
        wanted = bought_by[asked]
        costs: dict = {}
        for system in wanted:
            quote = get(quote_field[system])
            if quote is not None:
                costs[system] = (quote, quote, quote)
                continue
            kw: dict = {}
            if system == "heat_pump":
                kw = {"hp_type": hp_type[j], "nameplate_btu_per_h": float(nominal[j]), "hspf2": float(hspf2[j]),
                      "distribution": distribution[j] or default_distribution,
                      "zones": zones[j]}
            elif system == "furnace":
                kw = {"furnace_kind": furnace.kind[j], "furnace_fuel": furnace.fuel[j],
                      "design_load_btu_per_h": float(design_load[j])}
            cost, problem = e.default_installed_cost(system, price_state[j], **kw)
            if problem:
                break
            costs[system] = (cost.typical_usd, cost.low_usd, cost.high_usd)
        else:
            problem = None
        if problem:
            ok[j] = False
            continue
        costs.setdefault(current, (0.0, 0.0, 0.0))
        incentives = {k: v for k, v in ((k, get(field)) for k, field in incentive_field) if v is not None}
        ranges: dict = {}
        programs = get("economics.incentives.programs")
        if (get("economics.incentives.auto") or programs) and "heat_pump" in costs and systems["heat_pump"]:
            found = e.household_incentives(
                get("location.zip"), get("household.income"), get("household.size"), get("household.owner"),
                get("household.utility"), get("economics.install_date", today), programs,
                e.purchase(hp_type[j], distribution[j], get("economics.current"),
                           fuel_given[j] if systems["furnace"] else None, billed[j], backup_given[j], serves_given[j],
                           get("household.home_type")),
                costs["heat_pump"][0], float(nominal[j]))
            if found.problems:
                ok[j] = False
                continue
            warnings[j] = tuple(f"{f}: {m}" for f, m in found.warnings)
            if "heat_pump" not in incentives:
                incentives["heat_pump"] = found.applied.usd
                ranges["heat_pump"] = (found.applied.low_usd, found.applied.high_usd)
        lifetime = float(get("economics.lifetime", default["economics.lifetime"]))
        rate = float(get("economics.discount_rate", default["economics.discount_rate"]))
        fuel = furnace.fuel[j] if systems["furnace"] else None
        energies = ("electricity",) + ((fuel,) if fuel else ())
        trend = e.escalation_rates(price_state[j], energies,
                                   {k: get(f"economics.escalation.{k}") for k in energies})
        pv_key = (rate, lifetime, tuple(trend.items()))
        if pv_key not in factors:
            factors[pv_key] = {k: _present_value(rate, v, lifetime) for k, v in trend.items()}
        bought[j] = (current, replace, "air_conditioner" in costs, costs, incentives, ranges, dict(factors[pv_key]))
        disconnect[j] = bool(get("economics.gas_disconnect", default["economics.gas_disconnect"]))
    return has, bought, disconnect, warnings


_PV_FACTORS: dict = {}  # (discount rate, escalation, years) -> present value factor


def _present_value(rate: float, escalation: float, years: float) -> float:
    from .money import present_value_factor

    key = (rate, escalation, years)
    hit = _PV_FACTORS.get(key)
    if hit is None:
        hit = _memo(_PV_FACTORS)[key] = present_value_factor(rate, escalation, years)
    return hit


def _economics_of(econ: tuple | None, keep: np.ndarray) -> _Economics | None:
    """The kept homes' economics as arrays (:class:`heatcalc.rules.economics.Purchased`), or None for none."""
    from .rules.economics import PURCHASES, Purchased

    if econ is None:
        return None
    has, bought, disconnect, _ = econ
    homes = np.flatnonzero(has[keep])
    if homes.size == 0:
        return None
    picked = [bought[j] for j in keep[homes]]
    m = len(picked)

    def table(k: int, key: str) -> np.ndarray:
        return np.array([b[3].get(key, (0.0, 0.0, 0.0))[k] for b in picked], dtype=float)

    # electricity first, then each fuel; gas always (its fixed charge is a cost in gas wherever the home keeps gas)
    energies = sorted({x for b in picked for x in b[6]} | {"natural_gas"}, key=lambda x: x != "electricity")
    p = Purchased(
        current=np.array([b[0] for b in picked], dtype=object), replace=np.array([b[1] for b in picked], dtype=bool),
        bundles_ac=np.array([b[2] for b in picked], dtype=bool),
        typical={k: table(0, k) for k in PURCHASES}, low={k: table(1, k) for k in PURCHASES},
        high={k: table(2, k) for k in PURCHASES},
        incentives={k: np.array([b[4].get(k, 0.0) for b in picked], dtype=float) for k in PURCHASES},
        incentive_low={"heat_pump": np.array([b[5].get("heat_pump", (np.nan, np.nan))[0] for b in picked])},
        incentive_high={"heat_pump": np.array([b[5].get("heat_pump", (np.nan, np.nan))[1] for b in picked])},
        pv_factor={x: np.array([b[6].get(x, 0.0) for b in picked], dtype=float) for x in energies})
    assert p.current.size == m
    return _Economics(homes, p, disconnect[keep])


_PERIODS: dict = {}  # (periods, daylight saving, adjustment) -> (8,760,) prices


def _gas_blocks_of(values: dict, rows: np.ndarray, ok: np.ndarray, overrides: dict) -> tuple:
    """Each row's monthly gas blocks (``tariff.natural_gas`` and its adjustment, by
    :func:`heatcalc.rules.prices.gas_blocks`): (per row an index into the list of distinct blocks, -1 for none; the
    list).  A row whose blocks have a problem, or that gives a gas price they would replace, is cleared in ``ok``
    (the per-home route names it)."""
    from .rules.prices import gas_blocks

    given = values.get("tariff.natural_gas")
    adjust = values.get("tariff.natural_gas_adjustment")
    index = np.full(rows.size, -1)
    found: list = []
    if given is None and adjust is None:
        return index, found
    seen: dict = {}
    price = values.get("prices.natural_gas")
    for j, i in enumerate(rows.tolist()):
        key = (given[i] if given is not None else None, adjust[i] if adjust is not None else None)
        if key == (None, None) or not ok[j]:
            continue
        if key not in seen:
            blocks, problem = gas_blocks(*key)
            seen[key] = -2 if problem else -1 if blocks is None else len(found)
            if blocks is not None and not problem:
                found.append(blocks)
        index[j] = seen[key]
        if index[j] == -2 or (index[j] >= 0 and ("natural_gas" in overrides
                                                 or (price is not None and price[i] is not None))):
            ok[j] = False
    index[index == -2] = -1
    return index, found


def _period_prices(values: dict, rows: np.ndarray, ok: np.ndarray, states: list, overrides: dict) -> tuple:
    """(per row, the index of its time-of-use prices in the list, -1 without; the list of (8,760,) price arrays),
    by the rule the per-home route uses (heatcalc.rules.rates.period_prices); rows it finds a problem in, or that
    give a price the periods replace, are cleared in ``ok``."""
    from .rules.rates import daylight_saving, period_prices

    out = np.full(rows.size, -1)
    given = values.get("tariff.electricity")
    if given is None:
        return out, []
    periods = _texts(values, "tariff.electricity", rows)
    adjustment = _numbers(values, "tariff.adjustment", rows, 0.0)
    urdb = _texts(values, "tariff.urdb", rows)
    own_price = _numbers(values, "prices.electricity", rows, None)
    prices: list = []
    index: dict = {}
    for j in np.flatnonzero(ok & np.array([p is not None for p in periods], dtype=bool)):
        if urdb[j] is not None or not np.isnan(own_price[j]) or "electricity" in overrides:
            ok[j] = False  # both rates, or a price the periods replace: the per-home route says so
            continue
        key = (repr([p.to_data() for p in periods[j]]), daylight_saving(states[j]), float(adjustment[j]))
        k = index.get(key)
        if k is None:
            hit = _PERIODS.get(key)
            if hit is None:
                hit = period_prices(periods[j], key[1], key[2])
                if len(_PERIODS) >= 256:
                    _PERIODS.pop(next(iter(_PERIODS)))
                _PERIODS[key] = hit
            k = index[key] = len(prices)
            prices.append(hit)
        if prices[k][1] is not None:
            ok[j] = False
            continue
        out[j] = k
    return out, [p for p, _ in prices]


_PRICE_SUMS: dict = {}  # (station, time-of-use prices) -> the prices summed over each temperature bin's hours


def _price_sums(k: int, prices: np.ndarray) -> np.ndarray:
    """A station's bins' sums of time-of-use prices [$/kWh x hours]: a bin's kWh (the same in each of its hours)
    times this is its hours' cost, as the per-home route prices them hour by hour."""
    key = (k, id(prices))
    hit = _PRICE_SUMS.get(key)
    if hit is None or hit[0] is not prices:
        hit = (prices, np.bincount(station_hour_bins(k), weights=prices, minlength=station_bins(k).temp_f.size))
        if len(_PRICE_SUMS) >= 4096:
            _PRICE_SUMS.pop(next(iter(_PRICE_SUMS)))
        _PRICE_SUMS[key] = hit
    return hit[1]


_BILL_TARIFFS: dict = {}  # (rate, export rate, price) -> (the rate, the tariff its bills use)


def _pv_per_kw(args) -> np.ndarray:
    """The hourly AC output of 1 kW of an array at a station (heatcalc.home.solar_per_kw, through its cache)."""
    from .home import solar_per_kw

    usaf, array, site, station = args
    return solar_per_kw(usaf, array, site, lambda: _station_temps(station))  # read only when computing


def _compute_lacking(pv_list: list, pv_keys: list) -> set:
    """Compute the arrays of a chunk (``pv_list``: :class:`_Billing`'s ``pv_per_kw``) that the cache lacks, a
    station's together (its sun and irradiance read once, a group a pvlib call; kept in the per-user cache, not
    here: 70 kB each); returns the arrays whose computation failed (a data problem: the per-home route reports it)."""
    from . import pvcache
    from .home import solar_per_kw_many

    lacks = pvcache.lacking(pv_keys)  # (asked for all at once: each pack's status once)
    failed: set = set()
    by_station: dict = {}
    for pv in (pv for pv, lacking in enumerate(lacks) if lacking):
        by_station.setdefault(pv_list[pv][0], []).append(pv)
    for usaf, todo in sorted(by_station.items()):
        for a in range(0, len(todo), PV_GROUP):
            group = todo[a:a + PV_GROUP]
            _, _, site, k = pv_list[group[0]]
            try:
                solar_per_kw_many(usaf, [pv_list[g][1] for g in group], site, _station_temps(k))
            except Exception:
                failed.update(group)
    return failed


def _pv_lit(args) -> tuple:
    """:func:`_pv_per_kw` at the hours the array may make anything: (hours, kWh of 1 kW DC), read from the cache
    without spreading it over the year (computed, and cached, where it is not there)."""
    from . import pvcache
    from .home import pv_cache_key

    usaf, array, site, _ = args
    hit = pvcache.get_lit(*pv_cache_key(usaf, array, site))
    if hit is None:
        whole = _pv_per_kw(args)
        hours = np.flatnonzero(whole)
        hit = (hours, whole[hours])
    return hit


_ARRAY_COLUMNS = tuple(f"solar.{f}" for f in ("capacity", *PV_PARAMETERS))  # (a row's cells that shape its array)


def _pv_array(col: dict, i: int, memo: dict):
    """Row ``i``'s array per kW (heatcalc.home._solar's PVArray at 1 kW), its parameters parsed in ``col``; made
    once per distinct set of the row's solar values (``memo``: a chunk's)."""
    given = tuple(col[f][i] for f in _ARRAY_COLUMNS)
    hit = memo.get(given)
    if hit is None:
        from .model.pv import array_per_kw
        from .rules.rates import array_parameters

        params = array_parameters(dict(zip(PV_PARAMETERS, given[1:])))
        hit = memo[given] = array_per_kw(float(given[0] or 1.0), params)
    return hit


def has_solar_rows(chunk: Chunk) -> bool:
    """Whether a chunk's homes may have rooftop solar (a solar column, or solar in --defaults)."""
    return "solar.capacity" in chunk.fields or "solar.capacity" in (_flatten(chunk.defaults) if chunk.defaults
                                                                     else {})


def pv_to_compute(chunk: Chunk) -> list:
    """The PV arrays a chunk's homes need that the per-user cache does not hold yet, as (station USAF, array per
    kW, site, station index): only the location and solar columns are read, so a batch can compute them a
    station at a time for many chunks at once (:func:`compute_pv`) before running the chunks.  Rows the fast route
    would not take are left to it (it computes or reports them as before)."""
    from . import pvcache
    from .home import pv_cache_key
    from .model.pv import Site
    from .weather import stations as st
    from .weather.solar import has_solar

    chunk = materialized(chunk)

    if not has_solar_rows(chunk):
        return []
    n = len(chunk)
    defaults = _flatten(chunk.defaults) if chunk.defaults else {}
    wanted = ("location.station", "location.zip", "location.state", "location.lat", "location.lon", *SOLAR_FIELDS)
    parse = _parser()  # (the process's: its memo kept across chunks)
    col = {}
    usable = np.ones(n, dtype=bool)
    usable[list(chunk.errors)] = False
    given = dict(zip(chunk.fields, chunk.cells))
    for field in wanted:
        cells = given.get(field)
        filled = _filled(cells, defaults.get(field)) if cells is not None else [defaults.get(field)] * n
        try:  # each distinct cell parsed once
            parsed = {cell: parse(field, cell) for cell in dict.fromkeys(filled) if cell is not None}
            values = [None if cell is None else parsed[cell] for cell in filled]
        except TypeError:  # (a default that is a list or a mapping: cell by cell)
            values = [None if cell is None else parse(field, cell) for cell in filled]
        for i, (cell, value) in enumerate(zip(filled, values)):
            if not usable[i]:
                values[i] = None
            elif value is None and cell is not None:
                usable[i] = False
        col[field] = values
    places = _memo(_PLACES)
    stations = st.all_stations()
    candidates, seen, arrays = [], set(), {}
    for i in np.flatnonzero(usable):
        if col["solar.capacity"][i] is None:
            continue
        key = tuple(col[f"location.{f}"][i] for f in ("station", "zip", "state", "lat", "lon"))
        place = places.get(key, _MISSING)
        if place is _MISSING:
            place = places[key] = _place(*key)
        if place is None:
            continue
        array = _pv_array(col, i, arrays)
        if (place[0], array) in seen:
            continue
        seen.add((place[0], array))
        s_obj = stations[int(place[0])]
        if not has_solar(s_obj.usaf):
            continue
        site = Site(s_obj.lat, s_obj.lon, s_obj.elevation_m, s_obj.utc_offset_h)
        candidates.append((s_obj.usaf, array, site, int(place[0])))
    # (a look per array, each pack's status taken once for the chunk: docs/scale.md)
    present = pvcache.on_disk_many([pv_cache_key(usaf, array, site) for usaf, array, site, _ in candidates])
    return [c for c, there in zip(candidates, present) if not there]


def compute_pv(stations: list) -> int:
    """Compute and cache the arrays of each (station USAF, site, station index, arrays) given, a group of arrays a
    pvlib call (the sun's path and the station's irradiance read once): what :func:`pv_to_compute` found missing.
    Returns how many were computed; an array that cannot be is left for its chunk to report."""
    from .home import solar_per_kw_many

    keep_array_memory()
    done = 0
    for usaf, site, k, arrays in stations:
        temps = _station_temps(k)
        for a in range(0, len(arrays), PV_GROUP):
            try:
                solar_per_kw_many(usaf, arrays[a:a + PV_GROUP], site, temps, keep=False)  # (read from the packs)
                done += len(arrays[a:a + PV_GROUP])
            except Exception:  # a data problem: the chunk's own run reports it
                pass
    return done


def pv_work(needed: list, parts: int) -> list:
    """The arrays :func:`pv_to_compute` found for several chunks, grouped by station (each station's arrays once)
    and dealt into about ``parts`` lists of similar size, for :func:`compute_pv`."""
    by_station: dict = {}
    for usaf, array, site, k in (x for found in needed for x in found):
        entry = by_station.setdefault(usaf, (usaf, site, k, {}))
        entry[3].setdefault(array, None)
    stations = sorted(((u, site, k, list(arrays)) for u, site, k, arrays in by_station.values()),
                      key=lambda e: -len(e[3]))
    out: list = [[] for _ in range(max(1, parts))]
    load = [0] * len(out)
    for entry in stations:  # the largest first, each to the least loaded list
        j = load.index(min(load))
        out[j].append(entry)
        load[j] += 2 + len(entry[3])  # a station's sun and irradiance cost about two arrays
    return [work for work in out if work]


def _billing(chunk: Chunk, values: dict, rows: np.ndarray, ok: np.ndarray, station: np.ndarray, price_state: list,
             price: dict, overrides: dict, flat: tuple) -> "_Billing | None":
    """The homes with a URDB rate or rooftop solar, resolved as heatcalc.home resolves them (the rate read once
    per process, the array's output per kW from the per-user cache); a row the fast route cannot take as the
    per-home route would (a rate that does not read, a station without irradiance, a rule that warns) is cleared
    in ``ok``.  Sets the URDB homes' electricity price to the rate's mean first-tier price, as the per-home route
    does for the dispatch.  ``flat``: (each row's time-of-use periods' index, their hourly prices, its fixed monthly
    electricity charge), which the bills of a row without a rate are on (heatcalc.simulate._electric_tariff); a
    rate's fixed charges are its own."""
    from . import pvcache
    from .bills import DG_RULES, export_rule, first_tier_price_usd_per_kwh
    from .home import _read_tariff, pv_cache_key
    from .rules.rates import adjusted_rate, daylight_saving, exports_unpaid, rate_path, whole_year
    from .model.pv import Site
    from .simulate import bill_tariff
    from .tariffs import TariffError
    from .weather import stations as st
    from .weather.solar import has_solar

    every = (*TARIFF_FIELDS, *HP_TARIFF_FIELDS, *SOLAR_FIELDS, *SOLAR_MONEY)
    given = [f for f in every if f in values]
    if not given:
        return None
    n = rows.size
    none = [None] * len(chunk)
    col = {f: values.get(f, none) for f in every}
    periods = values.get("tariff.electricity", none)  # time-of-use periods, which an adjustment shifts too
    hourly = np.zeros(n, dtype=bool)
    tariff_of = np.full(n, -1)
    rule_of = np.zeros(n, dtype=np.int64)
    pv_of = np.full(n, -1)
    pv_kw = np.zeros(n)
    fixed = np.zeros(n)
    hp_tariff_of = np.full(n, -1)
    hp_price = np.full(n, np.nan)
    unpaid = np.zeros(n, dtype=bool)
    tariffs: list = []
    tariff_index: dict = {}
    pv_list: list = []
    pv_index: dict = {}
    from .homes import table_folder

    folder = table_folder(chunk.source)
    read: dict = {}  # each rate file read (and checked) once per chunk
    by_cells: dict = {}  # a row's rate cells -> the rate they read as

    def rate(urdb_path, name, year, adjustment, state):
        """A rate as heatcalc.home._read_rate reads it (None where it does not read: the per-home route says why)."""
        cells = (urdb_path, name, year, adjustment, state)  # (a row's own cells: most rows repeat another's)
        hit = by_cells.get(cells, _MISSING)
        if hit is _MISSING:
            hit = by_cells[cells] = _rate(urdb_path, name, year, adjustment, state)
        return hit

    def _rate(urdb_path, name, year, adjustment, state):
        year = whole_year(_default("tariff.year") if year is None else year)
        if year is None:
            return None
        memo_key = (urdb_path, name, year, daylight_saving(state), adjustment or 0.0)
        urdb = read.get(memo_key, _MISSING)
        if urdb is _MISSING:
            path = rate_path(urdb_path, folder)
            try:
                urdb, problem = adjusted_rate(_read_tariff(path, *memo_key[1:4])[0], adjustment)
            except (TariffError, OSError):
                urdb, problem = None, None
            read[memo_key] = urdb = None if problem else urdb
        return urdb

    tou, tou_prices, fixed_e = flat
    mean_price: dict = {}  # id(rate) -> its mean first-tier price
    fixed_of: dict = {}  # a bill tariff's index -> its fixed charges in a year
    arrays: dict = {}  # a row's solar cells -> its array per kW

    def bill_tariff_of(urdb, export, flat_price, period=-1, fixed_month=0.0) -> int:
        """The index in ``tariffs`` of a rate, or of the prices (one, or time-of-use periods' hours, ``period``) with
        a fixed monthly charge, billed with an export rate."""
        key = (id(urdb), export) if urdb is not None else (None, export, float(flat_price) if period < 0 else
                                                              ("periods", id(tou_prices[period])), float(fixed_month))
        t = tariff_index.get(key, -1)
        if t < 0:
            t = tariff_index[key] = len(tariffs)
            made = _BILL_TARIFFS.get(key)  # the same object from chunk to chunk: its hour layout is made once
            if made is None or made[0] is not urdb or (period >= 0 and made[2] is not tou_prices[period]):
                made = (urdb, bill_tariff(urdb, export, flat_price if period < 0 else tou_prices[period],
                                          fixed_month if urdb is None else 0.0),
                        None if period < 0 else tou_prices[period])
                if len(_BILL_TARIFFS) >= 64:
                    _BILL_TARIFFS.pop(next(iter(_BILL_TARIFFS)))
                _BILL_TARIFFS[key] = made
            tariffs.append(made[1])
        return t
    for j, i in enumerate(rows):
        if not ok[j]:
            continue
        urdb_path = col["tariff.urdb"][i]
        capacity = col["solar.capacity"][i]
        solar_given = any(col[f][i] is not None for f in SOLAR_FIELDS + SOLAR_MONEY)
        adjustment = col["tariff.adjustment"][i]
        if urdb_path is None and (col["tariff.name"][i] is not None or col["tariff.year"][i] is not None
                                  or (adjustment and periods[i] is None)):
            ok[j] = False  # a rate's name, year or adjustment without the rate (or periods): the per-home route says so
            continue
        hp_path = col["systems.heat_pump.tariff.urdb"][i]
        if hp_path is None and any(col[f][i] is not None for f in HP_TARIFF_FIELDS):
            ok[j] = False  # the heat pump's rate's name, year or adjustment without the rate: home by home
            continue
        if urdb_path is None and hp_path is None and not solar_given:
            continue
        if urdb_path is not None and periods[i] is not None:
            ok[j] = False  # a rate and time-of-use periods: one or the other, as the per-home route says
            continue
        if solar_given and capacity is None:
            ok[j] = False  # solar without its capacity: the per-home route says what is missing
            continue
        state = price_state[j]
        urdb = None
        if urdb_path is not None:
            given_price = values.get("prices.electricity")
            if "electricity" in overrides or (given_price is not None and given_price[i] is not None):
                ok[j] = False  # a price the rate replaces: the per-home route refuses it, naming tariff.adjustment
                continue
            given_fixed = values.get("fixed_charges.electricity")
            if given_fixed is not None and given_fixed[i] is not None:
                ok[j] = False  # a fixed charge the rate replaces: the per-home route refuses it
                continue
            urdb = rate(urdb_path, col["tariff.name"][i], col["tariff.year"][i], adjustment, state)
            if urdb is None:
                ok[j] = False
                continue
            mean = mean_price.get(id(urdb))
            if mean is None:  # (a rate read once per chunk: the same object for each of its homes)
                mean = mean_price[id(urdb)] = float(np.mean(first_tier_price_usd_per_kwh(urdb)))
            price["electricity"][j] = mean
        hp_urdb = None
        if hp_path is not None:  # its year and adjustment, else the home's rate's (heatcalc.home._heat_pump_rate)
            hp_year, hp_adjustment = col["systems.heat_pump.tariff.year"][i], \
                col["systems.heat_pump.tariff.adjustment"][i]
            hp_urdb = rate(hp_path, col["systems.heat_pump.tariff.name"][i],
                           col["tariff.year"][i] if hp_year is None else hp_year,
                           adjustment if hp_adjustment is None else hp_adjustment, state)
            if hp_urdb is None:
                ok[j] = False
                continue
        rule, export, pv = None, None, -1
        if solar_given:
            s_obj = st.all_stations()[int(station[j])]
            if not has_solar(s_obj.usaf):
                ok[j] = False  # the per-home route says the station has no irradiance
                continue
            array = _pv_array(col, i, arrays)
            key = (s_obj.usaf, array)
            pv = pv_index.get(key, -1)
            if pv < 0:
                args = (s_obj.usaf, array, Site(s_obj.lat, s_obj.lon, s_obj.elevation_m, s_obj.utc_offset_h),
                        int(station[j]))
                pv = pv_index[key] = len(pv_list)
                pv_list.append(args)
            metering = col["solar.net_metering"][i]
            rule = export_rule(metering, col["solar.net_metering_credit"][i],
                               urdb.dg_rule if urdb is not None else None)
            export = col["solar.export_rate"][i]
            unpaid[j] = exports_unpaid(rule, export, urdb)  # a warning, as one home gets
        t = bill_tariff_of(urdb, export, price["electricity"][j], int(tou[j]), float(fixed_e[j]))
        if hp_urdb is not None:
            hp_tariff_of[j] = bill_tariff_of(hp_urdb, export, None)
            hp_price[j] = float(np.mean(first_tier_price_usd_per_kwh(hp_urdb)))
        hourly[j] = True
        tariff_of[j] = t
        rule_of[j] = DG_RULES.index(rule) if rule else 0
        pv_of[j] = pv
        pv_kw[j] = capacity if pv >= 0 else 0.0
        if t not in fixed_of:
            fixed_of[t] = float(np.sum(tariffs[t].fixed_usd_per_month))
        fixed[j] = fixed_of[t]
    # the arrays the cache lacks, computed a station's together (its sun once): with a cache folder, only once a
    # read finds one missing (_LitSolar.of): a warm cache's chunk reads its arrays without first asking for each
    # (every pack looked at and every array looked up twice: ~5 % of such a chunk)
    pv_keys = [pv_cache_key(usaf, array, site) for usaf, array, site, _ in pv_list]
    failed = set() if pvcache.enabled() else _compute_lacking(pv_list, pv_keys)
    if failed:
        bad = np.isin(pv_of, list(failed))
        ok[bad] = False
        hourly[bad] = False
    if not hourly.any():
        return None
    hp_fixed = np.array([float(np.sum(tariffs[t].fixed_usd_per_month)) if t >= 0 else f
                         for t, f in zip(hp_tariff_of.tolist(), fixed.tolist())])
    return _Billing(hourly, tariff_of, tariffs, rule_of, pv_of, pv_list, pv_keys, [], pv_kw, fixed, hp_tariff_of,
                    hp_fixed, hp_price, unpaid)


def _economic_switchovers(curve, cutoff: float, fuels: list, afue, blower, pe, pf) -> np.ndarray:
    """:func:`heatcalc.home._economic_switchover` for dual-fuel homes sharing a curve and cutoff: the lowest
    temperature of the 0.5 F grid above which the heat pump's heat is always the cheaper."""
    from . import money

    grid = money.switchover_grid_f(cutoff)
    furnace = np.empty(pe.size)
    for fuel in set(fuels):
        same = np.array([f == fuel for f in fuels])
        furnace[same] = money.heat_cost_usd_per_mmbtu_furnace(fuel, afue[same], pf[same], blower[same], pe[same])
    return money.economic_switchovers_f(grid, curve.cop_at_max(grid), furnace, pe)


class _Year(NamedTuple):
    """One system's year for a group of homes (arrays, one entry per home)."""

    heat: np.ndarray
    kwh: np.ndarray
    fuel_btu: np.ndarray
    backup: np.ndarray
    backup_hours: np.ndarray
    peak_kw: np.ndarray
    peak_hour: np.ndarray
    peak_temp: np.ndarray
    grid_co2: np.ndarray | None = None  # the kWh weighed by the hours' marginal rates [kg] (homes with them)
    unmet: np.ndarray | float = 0.0  # heat neither the heat pump nor its strips could deliver [Btu]
    kwh_cost: np.ndarray | None = None  # the kWh priced hour by hour by time-of-use periods [$] (homes with them)
    unmet_hours: np.ndarray | float = 0.0
    fuel_month: np.ndarray | None = None  # (homes, 12) fuel [Btu] of each month, for homes with gas blocks (or None)


_RATE_SUMS: dict = {}  # (station, region) -> the marginal rates summed over each temperature bin's hours


def _rate_sums(k: int, region: int) -> np.ndarray:
    """A station's bins' sums of a region's hourly marginal rates [kg/kWh x hours]: a bin's kWh (the same in each
    of its hours) times this is its hours' CO2e, as the per-home route sums it hour by hour."""
    hit = _RATE_SUMS.get((k, region))
    if hit is None:
        from .rules.emissions import marginal_rates

        hit = np.bincount(station_hour_bins(k), weights=marginal_rates(MARGINAL_REGIONS[region]),
                          minlength=station_bins(k).temp_f.size)
        if len(_RATE_SUMS) >= 4096:
            _RATE_SUMS.pop(next(iter(_RATE_SUMS)))
        _RATE_SUMS[(k, region)] = hit
    return hit


def _bin_sums(which: np.ndarray | None, idx: np.ndarray, stations: np.ndarray, bounds: list, used: list,
              width: int, sums_of) -> np.ndarray | None:
    """For a sub-batch's homes, each bin's sum of an hourly series over its hours -- ``sums_of(station, which[home])``
    -- (zeros for homes without one, ``which`` -1), or None when none has one."""
    if which is None or not (which[idx] >= 0).any():
        return None
    out = np.zeros((idx.size, width))
    for (a, z), m in zip(bounds, used):
        k = int(stations[a])
        for j in range(a, z):
            series = int(which[idx[j]])
            if series >= 0 and m:
                out[j, :m] = sums_of(k, series)[:m]
    return out


def _totals(hourly, temp, hours, first) -> _Year:
    from .model.engine import peak_entries

    rows = np.arange(temp.shape[0])
    peak_at = peak_entries(hourly.electricity_kwh, first, hours)  # the first hour of the year at the highest kW
    unmet = hourly.unmet_btu
    return _Year(np.einsum("ij,ij->i", hourly.heat_btu, hours), np.einsum("ij,ij->i", hourly.electricity_kwh, hours),
                 np.einsum("ij,ij->i", hourly.fuel_btu, hours), np.einsum("ij,ij->i", hourly.backup_heat_btu, hours),
                 np.einsum("ij,ij->i", (hourly.backup_heat_btu > 1e-9).astype(float), hours),
                 hourly.electricity_kwh[rows, peak_at], first[rows, peak_at], temp[rows, peak_at],
                 unmet=0.0 if unmet is None else np.einsum("ij,ij->i", unmet, hours),
                 unmet_hours=0.0 if unmet is None else np.einsum("ij,ij->i", (unmet > 1e-6).astype(float), hours))


def _no_electricity_peak(year: _Year, stations: np.ndarray) -> None:
    """A year that draws no electricity peaks in the year's first hour (heatcalc.model.engine's
    NO_ELECTRICITY_PEAK_HOUR), at its station's temperature then: its bins hold only the hours below the balance
    point, so the bin the peak was taken from is set right here."""
    from .model.engine import NO_ELECTRICITY_PEAK_HOUR as hour

    none = np.flatnonzero(year.peak_kw <= 0.0)
    if none.size:
        year.peak_hour[none] = hour
        year.peak_temp[none] = [_station_temps(int(k))[hour] for k in stations[none].tolist()]


def _proportional_year(make, whole: tuple, sel: np.ndarray, temp: np.ndarray, first: np.ndarray) -> _Year:
    """The year of a system whose every bin is the load's times a number of its home's (a furnace, a resistance
    heater): ``make`` (the engine's rule, for the rows ``sel``) applied to the year's load and to the load of its
    peak bin (``whole``: the sub-batch's load summed over the hours, the load in its peak bin, that bin).  (A year
    drawing no electricity -- a furnace without a blower -- is given its first hour after: _no_electricity_peak.)"""
    load_sum, load_peak, at_load = whole
    total, peak = make(load_sum[sel]), make(load_peak[sel])
    kw = peak.electricity_kwh[:, 0]
    at = at_load[sel]
    rows = np.flatnonzero(sel)
    return _Year(total.heat_btu[:, 0], total.electricity_kwh[:, 0], total.fuel_btu[:, 0],
                 total.backup_heat_btu[:, 0], np.zeros(rows.size), kw, first[rows, at], temp[rows, at])


def _station_degree_hours(fit: np.ndarray, station: np.ndarray, bp: np.ndarray, memo: dict, of) -> np.ndarray:
    """Rows ``fit``'s degree-hours ``of(bins' temperatures, balance point, bins' hours)`` on their station's bins,
    memoised by station and balance point (a table's homes share a few of each)."""
    keys = list(zip(station[fit].tolist(), bp[fit].tolist()))
    for key in dict.fromkeys(keys):
        if key not in memo:
            b = station_bins(key[0])
            memo[key] = of(b.temp_f, key[1], b.hours)
    return np.array([memo[key] for key in keys], dtype=float)


class _Cool(NamedTuple):
    """The cooling season of a chunk's fast homes (arrays per home; NaN or False where a home has none)."""

    cooled: np.ndarray
    ua: np.ndarray
    bp: np.ndarray
    design_load: np.ndarray  # at the station's 99th-percentile hour
    hp_seer2: np.ndarray
    ac_seer2: np.ndarray  # NaN: no air conditioner
    hp_capacity: np.ndarray  # given cooling capacity (NaN: the nominal size)
    ac_capacity: np.ndarray
    hp_through: np.ndarray
    ac_through: np.ndarray
    hot: np.ndarray  # the station's 99th-percentile hour's temperature [F], which the design load is at


_HOT: dict = {}  # station → its 99th-percentile hour's temperature
_COOLING_DH: dict = {}  # (station, balance point) → cooling degree-hours of the year


def _cooling_inputs(values: dict, rows: np.ndarray, ok: np.ndarray, station: np.ndarray, heating_ua, duct) -> _Cool:
    """The cooled homes' UA_c (heatcalc.rules.cooling), SEER2s and capacities; rows the rule or the route cannot
    take are cleared in ``ok``."""
    from .model.load import cooling_degree_hours_f_h, cooling_load_btu_per_h
    from .rules.cooling import cooling_rules
    from .weather.stations import bins_percentile_f

    num = {f: _numbers(values, f, rows, None) for f in COOLING_FIELDS}
    given = {f: ~np.isnan(v) for f, v in num.items()}
    cooled = np.logical_or.reduce([given[f] for f in COOLING_FIELDS])
    if not cooled.any():  # most tables: nothing to resolve
        nan = np.full(rows.size, np.nan)
        return _Cool(cooled, nan, nan, nan, nan, nan, nan, nan, duct.heat_pump, duct.air_conditioner, nan)
    design = given["cooling_load.design.load"] | given["cooling_load.design.outdoor"]
    bills = given["cooling_load.from_bills.amount"] | given["cooling_load.from_bills.seer2"]
    routes = given["cooling_load.ua"].astype(int) + design + given["cooling_load.annual"] + bills
    ok &= ~cooled | (routes <= 1)  # more than one: the per-home route says which to give
    ok &= ~design | (given["cooling_load.design.load"] & given["cooling_load.design.outdoor"])
    ok &= ~bills | given["cooling_load.from_bills.amount"]
    bp = np.where(given["cooling_load.balance_point"], num["cooling_load.balance_point"],
                  _default("cooling_load.balance_point"))
    indoor = np.where(given["cooling_load.indoor"], num["cooling_load.indoor"], _default("cooling_load.indoor"))
    bills_seer2 = num["cooling_load.from_bills.seer2"]
    take = cooled & ok
    memo = _memo(_COOLING_DH)

    def degree_hours(fit):
        return _station_degree_hours(fit, station, bp, memo, cooling_degree_hours_f_h)

    def only(field):
        return np.where(take, num[field], np.nan)

    r = cooling_rules(ua=only("cooling_load.ua"), design_load=only("cooling_load.design.load"),
                      design_outdoor=num["cooling_load.design.outdoor"], indoor=indoor,
                      annual=only("cooling_load.annual"), bills_btu=only("cooling_load.from_bills.amount"),
                      bills_seer2=np.where(np.isnan(bills_seer2), _default("cooling_load.from_bills.seer2"),
                                           bills_seer2),
                      heating_ua=np.where(take, heating_ua, np.nan), degree_hours=degree_hours)
    ok[[p[0] for p in r.problems]] = False
    hot = np.full(rows.size, np.nan)
    for j in np.flatnonzero(take):
        k = station[j]
        h = _HOT.get(int(k))
        if h is None:
            b = station_bins(int(k))
            h = _HOT[int(k)] = bins_percentile_f(b.temp_f, b.hours, 99.0)
        hot[j] = h
    ac = np.array([v is not False for v in _texts(values, "systems.air_conditioner", rows, True)], dtype=bool)
    ac_seer2 = _numbers(values, "systems.air_conditioner.seer2", rows, None)
    ac_seer2 = np.where(np.isnan(ac_seer2), np.where(np.isnan(bills_seer2),
                                                     _default("systems.air_conditioner.seer2"), bills_seer2), ac_seer2)
    with np.errstate(invalid="ignore"):
        design_load = np.where(take, cooling_load_btu_per_h(r.ua, hot, bp), np.nan)
    return _Cool(take, r.ua, bp, design_load,
                 _numbers(values, "systems.heat_pump.seer2", rows, _default("systems.heat_pump.seer2")),
                 np.where(ac, ac_seer2, np.nan), _numbers(values, "systems.heat_pump.cooling_capacity", rows, None),
                 _numbers(values, "systems.air_conditioner.capacity", rows, np.inf), duct.heat_pump,
                 duct.air_conditioner, hot)


def _cooling_years(c: _Cool, station: np.ndarray, hp_capacity: np.ndarray, keep: np.ndarray, co2_region: np.ndarray,
                   tou: np.ndarray, tou_prices: list, billed: np.ndarray) -> dict:
    """Each system's cooling year for the kept homes, as heatcalc.simulate.cooling_energy computes it on the station's
    bins: what the unit is asked (the load through its ducts), what it delivers (at most its capacity), its kWh at
    its SEER2 and what is left unmet.  The heat pump cools at its own SEER2; the furnace and resistance homes at the
    air conditioner's, or not at all.  Homes weighed by a region's marginal emission rates (``co2_region`` >= 0) get
    their kWh's CO2e, and homes on time-of-use periods (``tou`` >= 0) their kWh's cost, each bin's kWh at its hours'
    summed rates or prices (as the per-home route weighs the hours); NaN for the others.

    Returns {system: (kWh, unmet Btu, unmet hours, load Btu, marginal CO2e kg, time-of-use cost $, {home: its
    station's bins' kWh} for the homes ``billed`` hour by hour, whose bills take the cooling's hours too)}."""
    from .model.load import cooling_electricity_kwh, cooling_load_btu_per_h

    n = keep.size
    systems = ("heat_pump", "furnace", "electric_resistance")
    out = {s: tuple(np.zeros(n) for _ in range(4)) + (np.full(n, np.nan), np.full(n, np.nan), {}) for s in systems}
    cooled = c.cooled[keep]
    st_kept = station[keep]
    # each kept home's three systems side by side (the heat pump at its own SEER2 and capacity, the furnace and
    # resistance homes at the air conditioner's; NaN SEER2: that system does not cool): a station's homes and
    # systems in one set of array operations
    seer2 = np.stack([c.hp_seer2[keep], c.ac_seer2[keep], c.ac_seer2[keep]], axis=1)
    cap = np.stack([hp_capacity[keep], c.ac_capacity[keep], c.ac_capacity[keep]], axis=1)
    through = np.stack([c.hp_through[keep], c.ac_through[keep], c.ac_through[keep]], axis=1)
    sums = np.zeros((n, 3, 4))  # kWh, unmet Btu, unmet hours, load Btu
    # (the homes weighed by marginal rates or time-of-use prices, and those billed hour by hour, are looked for at a
    # station only when the chunk has any)
    weighed = [(series, column) for series, column in ((co2_region, 4), (tou, 5)) if (series[keep] >= 0).any()]
    any_billed = bool(billed[keep].any())
    for k in _distinct(st_kept[cooled]):
        at = np.flatnonzero(cooled & (st_kept == k))
        home, system = np.nonzero(~np.isnan(seer2[at]))
        if not home.size:
            continue
        rows_at = at[home]
        src = keep[rows_at]
        b = station_bins(int(k))
        asked = cooling_load_btu_per_h(c.ua[src, None], b.temp_f[None, :], c.bp[src, None]) / \
            through[rows_at, system][:, None]
        delivered = np.minimum(asked, cap[rows_at, system][:, None])
        kwh = cooling_electricity_kwh(delivered, seer2[rows_at, system][:, None])
        short = asked - delivered
        sums[rows_at, system] = np.stack([kwh @ b.hours, short @ b.hours, (short > 1e-6) @ b.hours,
                                          asked @ b.hours], axis=1)
        for series, column in weighed:
            mine = series[src]
            for value in _distinct(mine[mine >= 0]).tolist():
                which = np.flatnonzero(mine == value)
                weights = _rate_sums(int(k), value) if column == 4 else _price_sums(int(k), tou_prices[value])
                got = kwh[which] @ weights
                for s_no, name in enumerate(systems):
                    mask = system[which] == s_no
                    out[name][column][rows_at[which[mask]]] = got[mask]
        if any_billed:
            for r in np.flatnonzero(billed[src]).tolist():
                out[systems[int(system[r])]][6][int(rows_at[r])] = kwh[r]
    for s_no, name in enumerate(systems):
        for q in range(4):
            out[name][q][:] = sums[:, s_no, q]
    return out


class _BinTable:
    """Every station's temperature bins side by side, one row per station (a station's row is filled when a batch
    first meets it), padded past its last bin with PAD_TEMP_F and 0 hours: a sub-batch's homes take their rows in
    one gather instead of a copy per station.  About 11 MB with every station filled."""

    def __init__(self):
        self.temp = np.zeros((0, 0))
        self.hours = np.zeros((0, 0), dtype=np.float32)  # whole hours: exact in float32
        self.first = np.zeros((0, 0), dtype=np.int32)
        self.filled = np.zeros(0, dtype=bool)
        self.lock = threading.Lock()

    def of(self, stations: np.ndarray) -> tuple:
        """(temperatures, hours, first hours) of every station, the rows of ``stations`` filled (a lock keeps threads
        that share the table from growing it under each other)."""
        with self.lock:
            self._fill(stations)
            return self.temp, self.hours, self.first

    def _fill(self, stations: np.ndarray) -> None:
        new = _distinct(stations[~self.filled[stations]]) if stations.max() < self.filled.size else \
            _distinct(stations)
        if new.size:
            bins = {int(k): station_bins(int(k)) for k in new}
            rows = max(int(stations.max()) + 1, self.filled.size)
            cols = max(max(b.temp_f.size for b in bins.values()), self.temp.shape[1])
            if (rows, cols) != self.temp.shape:
                self._grow(rows, cols)
            for k, b in bins.items():
                m = b.temp_f.size
                self.temp[k, :m], self.hours[k, :m], self.first[k, :m] = b.temp_f, b.hours, b.first_hour
                self.filled[k] = True

    def _grow(self, rows: int, cols: int) -> None:
        r, c = self.temp.shape
        for name, pad in (("temp", PAD_TEMP_F), ("hours", 0), ("first", 0)):
            old = getattr(self, name)
            grown = np.full((rows, cols), pad, dtype=old.dtype)
            grown[:r, :c] = old
            setattr(self, name, grown)
        filled = np.zeros(rows, dtype=bool)
        filled[:r] = self.filled
        self.filled = filled


_BIN_TABLE = _BinTable()


def _bin_table(stations: np.ndarray) -> tuple:
    return _BIN_TABLE.of(stations)


_WEIGHTS: dict = {}  # (station, curve temperatures) -> the interpolation weights at its bins, transposed


def _station_weights(station: int, used: int, xp: tuple) -> np.ndarray:
    """``interpolation_matrix(bins, xp).T`` of a station's first ``used`` temperature bins: a view of its bins'
    weights, computed once per process and curve (a station's homes meet it in many sub-batches, each needing
    another number of its bins; ~16 kB a station and curve)."""
    key = (station, xp)
    hit = _WEIGHTS.get(key)
    if hit is None:
        if len(_WEIGHTS) > 20_000:
            _WEIGHTS.clear()
        hit = _WEIGHTS[key] = interpolation_matrix(station_bins(station).temp_f, xp).T.copy()
        hit.flags.writeable = False
    return hit[:, :used]


def _run_homes(h: _Homes) -> dict:
    """Each system's year for the resolved homes: {system: [(home positions, _Year, fueled, balance points)]}.

    Homes run a few hundred at a time, sorted by heat-pump curve, by how many bins they need and by station.  Each
    row holds its station's temperature bins below its own balance point (above it the home needs no heat, so those
    bins add nothing), padded with hours of weight 0; the homes get their curves' values at their bins in one stacked
    matrix product over their stations' interpolation weights."""
    from .model.engine import (
        ElectricResistance,
        Furnace,
        furnace_hourly,
        heat_pump_from_performance,
        peak_entries,
        resistance_hourly,
    )

    n = h.rows.size
    key = [(g if g is not None else ((), False, 1.0)) for g in h.hp_group]
    kinds = sorted(set(key), key=lambda g: (g[1], g[0], g[2]))
    rank = {g: r for r, g in enumerate(kinds)}
    kind = np.array([rank[g] for g in key], dtype=np.int64)
    # within a curve, homes by how many of their station's bins lie below their balance point (then by station):
    # a batch is as wide as its widest home, so homes of like width together do not pad each other (half the
    # engine's work was padding when homes were ordered by station alone)
    width_of = np.zeros(n, dtype=np.int64)
    by_station = np.argsort(h.station, kind="stable")
    sorted_station = h.station[by_station]
    cuts = np.flatnonzero(np.diff(sorted_station)) + 1
    for a, z in zip(np.concatenate(([0], cuts)), np.concatenate((cuts, [n])) if n else ()):
        mine = by_station[a:z]
        width_of[mine] = np.searchsorted(station_bins(int(sorted_station[a])).temp_f, h.bp[mine], side="left")
    order = np.lexsort((h.station, width_of // 24, kind))
    years: dict = {s: [] for s in ("heat_pump", "furnace", "electric_resistance")}
    base_bills: list = []  # (positions, the bill with the other use alone) of homes billed hour by hour
    years["base"] = base_bills
    balance_of: dict = {}  # curve temperatures -> its batches' places in years["heat_pump"]
    table_temp, table_hours, table_first = _bin_table(h.station) if n else (None, None, None)
    kind_cuts = np.flatnonzero(np.diff(kind[order])) + 1
    pending: list = []  # sub-batches whose homes are billed hour by hour, and the years their bills go in
    batches = [(a, min(a + SUB_BATCH, z)) for a0, z in zip(np.concatenate(([0], kind_cuts)),
                                                          np.concatenate((kind_cuts, [n])))
               for a in range(int(a0), int(z), SUB_BATCH)]
    for start, stop in batches:
        idx = order[start:stop]
        g = key[idx[0]]
        stations = h.station[idx]
        runs = np.flatnonzero(np.diff(stations)) + 1
        heads = np.concatenate(([0], runs))
        bounds = list(zip(heads.tolist(), np.concatenate((runs, [idx.size])).tolist()))
        # each row holds its own station's bins below its own balance point (the bins above need no heat: nothing
        # to add), and a station's homes their curves' values at the most bins any of them holds
        own = width_of[idx]
        used = np.maximum.reduceat(own, heads).tolist()
        width = max(1, max(used))
        temp = table_temp[:, :width][stations]
        inside = np.arange(width) < own[:, None]
        temp[~inside] = PAD_TEMP_F
        hours = np.where(inside, table_hours[:, :width][stations], np.float64(0.0))
        first = np.where(inside, table_first[:, :width][stations], np.int64(0))
        load = h.ua[idx, None] * np.maximum(0.0, h.bp[idx, None] - temp)
        xp, dual, share = g
        # each bin's marginal emission rates, and time-of-use prices, summed over its hours (homes with them)
        weights = _bin_sums(h.co2_region, idx, stations, bounds, used, width, _rate_sums)
        priced = _bin_sums(h.tou, idx, stations, bounds, used, width, lambda k, t: _price_sums(k, h.tou_prices[t]))

        def with_grid(year, kwh, sel):
            if priced is not None:  # time-of-use periods: each bin's kWh at its hours' prices
                year = year._replace(kwh_cost=np.einsum("ij,ij->i", kwh, pick(priced, sel)))
            if weights is None:
                return year
            return year._replace(grid_co2=np.einsum("ij,ij->i", kwh, pick(weights, sel)))

        expand = None
        to_bill: dict = {}
        if h.billing is not None and h.billing.hourly[idx].any():
            expand = _hour_bins(stations, bounds, used, width)

        def pick(array, sel):
            return array if sel.all() else array[sel]

        def through(load_rows, system, homes):
            """What a system makes for the rooms' load: more, by its ducts' losses."""
            return load_rows if h.duct is None else load_rows / h.duct[system][homes, None]

        sel = h.has_hp[idx]
        if sel.any():
            hp = idx[sel]
            npts = len(xp)
            # the batch's stations' interpolation weights side by side (zeros past the bins each computes), a row
            # for each home, and every home's curves at its bins in one stacked product: (4, homes, bins) of
            # capacity max, min and COP max, min (a product a station took ~4 us each, a few hundred a batch)
            stack = np.zeros((len(bounds), npts, width))
            for s_no, ((a, _), m) in enumerate(zip(bounds, used)):
                if m:
                    stack[s_no, :, :m] = _station_weights(int(stations[a]), m, xp)
            at_bins = stack[np.repeat(np.arange(len(bounds)), np.diff(np.append(heads, idx.size)))]
            perf = np.empty((4, idx.size, width))
            np.matmul(np.ascontiguousarray(h.hp_points[idx, :, :npts]), at_bins, out=perf.transpose(1, 0, 2))
            t = pick(temp, sel)
            # (each held to its bounds in place: the performance is not read again)
            cap_max, cap_min, cop_max, cop_min = (pick(p, sel) for p in perf)
            np.maximum(0.0, cap_max, out=cap_max)
            np.minimum(np.maximum(0.0, cap_min, out=cap_min), cap_max, out=cap_min)
            np.maximum(1.0, cop_max, out=cop_max)
            np.maximum(1.0, cop_min, out=cop_min)
            hourly = heat_pump_from_performance(
                through(pick(load, sel), "heat_pump", hp), t, cap_max, cap_min, cop_max, cop_min, cutoff_f=h.cutoff[hp, None], dual_fuel=dual,
                switchover_f=h.switchover[hp, None], cycling_degradation=h.cd[hp, None],
                backup_efficiency=h.efficiency[hp, None] if share < 1.0 else 1.0,  # resistance heating the rest
                furnace_afue=h.afue[hp, None] if dual else 1.0,
                furnace_blower_kwh_per_mmbtu=h.blower[hp, None] if dual else 0.0,
                strip_capacity_btu_per_h=h.strip_capacity[hp, None], strip_lockout_f=h.strip_lockout[hp, None],
                share=share, rest_factor=h.rest_factor[hp, None])
            balance_of.setdefault(xp, []).append(len(years["heat_pump"]))  # filled in below, a curve at a time
            year = _totals(hourly, t, pick(hours, sel), pick(first, sel))._replace(
                fuel_month=_fuel_months(h, hp, hourly.fuel_btu))
            years["heat_pump"].append([hp, with_grid(year, hourly.electricity_kwh, sel), dual, None, None])
            to_bill["heat_pump"] = (hp, hourly.electricity_kwh, sel)
        # a furnace's and a resistance heater's bins are the load's times a number of each home: where nothing needs
        # their bins (a bill hour by hour, periods' prices, marginal rates, gas blocks) their year is the engine's
        # rule applied to the year's load and to the load at its peak, without bins of their own
        whole = None
        if expand is None and priced is None and weights is None:
            at_load = peak_entries(load, first, hours)
            whole = (np.einsum("ij,ij->i", load, hours)[:, None], load[np.arange(idx.size), at_load][:, None], at_load)
        sel = h.has_furnace[idx]
        if sel.any():
            f = idx[sel]
            furnace = Furnace("", h.afue[f, None], h.blower[f, None])
            if whole is not None and (h.gas_block is None or not (h.gas_block[f] >= 0).any()):
                years["furnace"].append([f, _proportional_year(
                    lambda q: furnace_hourly(through(q, "furnace", f), furnace), whole, sel, temp, first), True,
                    None, None])
            else:
                hourly = furnace_hourly(through(pick(load, sel), "furnace", f), furnace)
                year = _totals(hourly, pick(temp, sel), pick(hours, sel), pick(first, sel))._replace(
                    fuel_month=_fuel_months(h, f, hourly.fuel_btu))
                years["furnace"].append([f, with_grid(year, hourly.electricity_kwh, sel), True, None, None])
                to_bill["furnace"] = (f, hourly.electricity_kwh, sel)
        sel = h.has_resistance[idx]
        if sel.any():
            r = idx[sel]
            heater = ElectricResistance(h.efficiency[r, None])
            if whole is not None:
                years["electric_resistance"].append([r, _proportional_year(
                    lambda q: resistance_hourly(q, heater), whole, sel, temp, first), False, None, None])
            else:
                hourly = resistance_hourly(pick(load, sel), heater)
                years["electric_resistance"].append([r, with_grid(_totals(hourly, pick(temp, sel), pick(hours, sel),
                                                                          pick(first, sel)), hourly.electricity_kwh,
                                                                  sel), False, None, None])
                to_bill["electric_resistance"] = (r, hourly.electricity_kwh, sel)
        if expand is not None:  # billed with the next sub-batches' homes: a rate's homes of a chunk together
            computed = np.array(expand[2])[expand[0]]  # the bins computed for each home's station (its homes' most)
            to_bill = {system: (homes, _use_by_bin(h, homes, kwh_bins, pick(computed, sel)), sel)
                       for system, (homes, kwh_bins, sel) in to_bill.items()}
            pending.append(((idx, to_bill, expand), {system: years[system][-1] for system in to_bill}))
            if sum(p[0][0].size for p in pending) >= BILL_PENDING:
                _bill_pending(h, pending, base_bills)
    if pending:
        _bill_pending(h, pending, base_bills)
    for system in ("heat_pump", "furnace", "electric_resistance"):  # a year drawing no electricity at all
        for entry in years[system]:
            _no_electricity_peak(entry[1], h.station[entry[0]])
    for xp, entries in balance_of.items():  # each heat pump's own balance point: all of a curve's homes in one call
        hp = np.concatenate([years["heat_pump"][e][0] for e in entries])
        balance = capacity_balance_points_f(xp, h.hp_points[hp, 0, :len(xp)], h.ua[hp], h.bp[hp], h.cutoff[hp])
        start = 0
        for e in entries:
            size = years["heat_pump"][e][0].size
            years["heat_pump"][e][3] = balance[start:start + size]
            start += size
    return years


def _use_by_bin(h: _Homes, homes: np.ndarray, kwh_bins: np.ndarray, computed: np.ndarray) -> np.ndarray:
    """(homes, bins + 1): each bin's hourly use, the system's kWh and the home's other use, with a column for the
    hours whose bins were not computed (no heat: the other use alone) -- what a home's hours are read out of, by
    its station's hour -> bin map (:func:`_bill_sub_batches`).  ``computed``: each home's station's bins that
    were (the first ones); the others, padding up to the sub-batch's width, hold the other use alone too, so a bin
    past them reads the same as the last column.  Made in place of the kWh bins, which are then let go."""
    out = np.empty((kwh_bins.shape[0], kwh_bins.shape[1] + 1))
    out[:, :-1] = kwh_bins
    out[:, :-1][np.arange(kwh_bins.shape[1]) >= computed[:, None]] = 0.0
    out[:, -1] = 0.0
    out += h.base_kwh[homes, None] / 8760.0
    return out


#: Homes of sub-batches billed hour by hour that wait to be billed together (their bins a few MB at most).
BILL_PENDING = 1024


def _bill_pending(h: _Homes, pending: list, base_bills: list) -> None:
    """Bill the waiting sub-batches' homes (:func:`_bill_sub_batches`) and put each system's bills in its year."""
    for (_, slots), billed in zip(pending, _bill_sub_batches(h, [p[0] for p in pending])):
        base_bills.append(billed.pop("base"))
        for system, bills in billed.items():
            slots[system][4] = bills
    pending.clear()


@lru_cache(maxsize=256)
def _month_hours(k: int) -> np.ndarray:
    """(bins, 12): how many of each temperature bin's hours fall in each month, at station ``k`` (~60 kB)."""
    from .bills import HOUR_MONTH

    bins = station_bins(k).temp_f.size
    hours = np.bincount(station_hour_bins(k).astype(np.int64) * 12 + HOUR_MONTH, minlength=bins * 12)
    out = hours.reshape(bins, 12).astype(float)
    out.flags.writeable = False
    return out


def _fuel_months(h: _Homes, homes: np.ndarray, fuel_btu: np.ndarray) -> np.ndarray | None:
    """(homes, 12): each month's fuel [Btu] of the homes billed by monthly gas blocks (zeros for the others), from
    their bins' fuel (the per-home route sums the hours by month); None when none of them is."""
    if h.gas_block is None or not (h.gas_block[homes] >= 0).any():
        return None
    out = np.zeros((homes.size, 12))
    for r in np.flatnonzero(h.gas_block[homes] >= 0).tolist():
        months = _month_hours(int(h.station[homes[r]]))
        w = min(fuel_btu.shape[1], months.shape[0])  # (the columns past a station's bins are padding: no fuel)
        out[r] = fuel_btu[r, :w] @ months[:w]
    return out


def _station_temps(k: int) -> np.ndarray:
    """A station's hourly temperatures (read through the station module's own small cache)."""
    from .weather import stations as st

    return st.hourly_temperature_f(st.all_stations()[k])


def _hour_bins(stations: np.ndarray, bounds: list, used: list, width: int):
    """For a sub-batch's homes: the station of each (as a number among the sub-batch's stations), and for each of
    those stations its index and how many of its bins were computed, with the sub-batch's width: how each hour of
    a home is read out of the (homes x bins) arrays (:func:`_use_by_bin`)."""
    local = np.zeros(stations.size, dtype=np.int64)
    for s_no, (a, z) in enumerate(bounds):
        local[a:z] = s_no
    return local, [int(stations[a]) for a, _ in bounds], list(used), width


#: Homes billed hour by hour expanded and billed at a time: each (homes x 8,760) array 2.2 MB, within a core's
#: 4 MB second-level cache here (64 homes' were 4.5 MB: a warm rate-and-solar chunk took ~5 % longer).
BILL_GROUP = 32


class _Bills(NamedTuple):
    """One system's year of bills for homes billed hour by hour (arrays, one entry per home in ``at``)."""

    at: np.ndarray  # positions of the homes (in _Homes)
    index: np.ndarray  # and their places among the system's homes of the sub-batch
    electric: np.ndarray  # the year's electricity bill with the system and the other use (and solar)
    without_solar: np.ndarray
    self_only: np.ndarray  # the bill with only the self-consumed solar taken off the use
    self_kwh: np.ndarray
    exported_kwh: np.ndarray
    fixed: np.ndarray  # the fixed charges in the year of the rate the bills are on (the heat pump's own, if any)
    with_heat: np.ndarray  # the year's bill with the other use and the heating alone (`electric` adds the cooling)


class _LitSolar:
    """A group's homes' rooftop solar at the hours each array may make anything (a station's lit hours: about half
    the year), laid end to end, a home after another: what the bills of homes whose use is never below zero need
    of it.  Their imports, max(use - solar, 0), are the use less the self-consumed solar, min(use, solar), which is
    nothing where the solar is nothing, so each run of a rate's hours (:func:`heatcalc.bills.run_sums`), or each
    month's hours at a real-time price, sums it over its lit hours alone; the solar is never spread over the year
    unless a bill reads it hour by hour (demand charges, a cooled home's bill with the heating alone:
    :meth:`dense`)."""

    def __init__(self, hours: list, values: list, scale: np.ndarray | None = None):
        # per home: indices into its year (16-bit as a pack keeps them, or index-sized), its values: self.values
        # between its offsets
        self.hours = hours
        self.n = len(hours)
        self.offsets = np.zeros(self.n + 1, dtype=np.intp)
        np.cumsum([x.size for x in hours], out=self.offsets[1:])
        self.size = int(self.offsets[-1])
        self.flat = np.empty(self.size, dtype=np.intp)  # each value's place in (homes x 8,760)
        self.values = np.empty(self.size)  # the kWh at each
        # laid out a home at a time, each home's values times its own number (an array per kW times its kW): one
        # pass over each home's hours and values, where spreading the homes' numbers over all the values first
        # took twice the time
        bounds = self.offsets.tolist()
        for i, (h, v, k) in enumerate(zip(hours, values, [1.0] * self.n if scale is None else scale.tolist())):
            np.add(h, i * 8760, out=self.flat[bounds[i]:bounds[i + 1]], dtype=np.intp)
            np.multiply(v, k, out=self.values[bounds[i]:bounds[i + 1]])
        self._local = None  # (each value's hour: made at first need)
        self._homes = None  # (each home's values as stretches: made at first need)
        self.year_kwh = self._per_home(self.values)
        self.lit = self.year_kwh > 0.0  # (no value is below zero: a row of zeros sums to zero, any other above)
        self._starts: dict = {}
        self._dense = None

    @classmethod
    def of(cls, billing: _Billing, homes: np.ndarray) -> "_LitSolar":
        """The homes' arrays (``homes``: their places in the chunk) scaled to their capacity, read from the cache
        together (an array the cache does not hold is computed)."""
        from . import pvcache

        arrays = billing.pv[homes].tolist()
        keys = [billing.pv_keys[k] for k in arrays if k >= 0]
        found = pvcache.get_lit_many(keys, index_sized=False)
        if None in found and not billing.looked:  # the first miss of the chunk: its lacking arrays computed now,
            billing.looked.append(True)  # a station's together, and the missed ones read
            if _compute_lacking(billing.pv_per_kw, billing.pv_keys):
                raise RuntimeError("a PV array could not be computed")  # (the chunk goes home by home, which says)
            missed = [i for i, hit in enumerate(found) if hit is None]
            for i, hit in zip(missed, pvcache.get_lit_many([keys[i] for i in missed], index_sized=False)):
                found[i] = hit
        found = iter(found)
        empty = np.zeros(0, dtype=np.intp)
        hours, values = [], []
        for k in arrays:
            if k < 0:
                hours.append(empty)
                values.append(np.zeros(0))
                continue
            hit = next(found)
            at, per_kw = hit if hit is not None else _pv_lit(billing.pv_per_kw[k])
            hours.append(at)
            values.append(per_kw)
        return cls(hours, values, billing.pv_kw[homes])

    def _stretches(self, starts: np.ndarray) -> tuple:
        """Consecutive ``starts`` among the values (the last to the end) as :meth:`_segments` sums them: how many,
        which hold any value (None: all) and where those begin -- made once for a set of starts."""
        filled = starts < np.append(starts[1:], self.size)
        return starts.size, None if filled.all() else filled, starts[filled]

    def _segments(self, x: np.ndarray, stretches: tuple, per_home: int) -> np.ndarray:
        """(homes, per_home) sums of ``x`` (laid out as the values are) over :meth:`_stretches`; an empty stretch
        sums to zero."""
        size, filled, at = stretches
        if not self.size:
            return np.zeros((self.n, per_home))
        sums = np.add.reduceat(x, at)  # (the stretches that hold values tile them)
        if filled is not None:
            sums, part = np.zeros(size), sums
            sums[filled] = part
        return sums.reshape(self.n, per_home)

    def _per_home(self, x: np.ndarray) -> np.ndarray:
        """``x`` (laid out as the values are) summed over each home's values."""
        if self._homes is None:
            self._homes = self._stretches(self.offsets[:-1])
        return self._segments(x, self._homes, 1)[:, 0]

    def _sums(self, x: np.ndarray, first: np.ndarray, last: int = 0) -> np.ndarray:
        """(homes, stretches): ``x`` (laid out as the values are) summed over each home's stretches of the year
        that begin at the hours ``first`` (but its ``last`` ones: where the year ends), kept with where they begin
        among the values while ``first`` is."""
        hit = self._starts.get(id(first))
        if hit is None or hit[0] is not first:
            begins = first[:first.size - last]
            narrow = begins.astype(np.uint16)  # (searched for among a pack's 16-bit hours as they are)
            starts = np.concatenate([np.searchsorted(h, narrow if h.dtype == np.uint16 else begins) + o
                                     for h, o in zip(self.hours, self.offsets.tolist())])
            hit = self._starts[id(first)] = (first, self._stretches(starts), begins.size)
        return self._segments(x, hit[1], hit[2])

    def run_sums(self, tariff, x: np.ndarray | None = None) -> np.ndarray:
        """(homes, runs): the rate's run sums of the solar (or of ``x``, laid out as the values are); the solar's
        made once a rate (every system of the homes reads them)."""
        from .bills import run_starts

        if x is not None:
            return self._sums(x, run_starts(tariff))
        return self._of_rate(tariff, "runs", lambda: self._sums(self.values, run_starts(tariff)))

    def _of_rate(self, tariff, what: str, make):
        """What ``make`` makes of the solar alone under a rate, made once (kept with the rate, as :meth:`_sums`
        keeps its starts)."""
        hit = self._starts.get((id(tariff), what))
        if hit is None or hit[0] is not tariff:
            made = make()
            for x in made if isinstance(made, tuple) else (made,):
                x.flags.writeable = False  # (shared by the systems' bills: none may change it)
            hit = self._starts[(id(tariff), what)] = (tariff, made)
        return hit[1]

    def month_sums(self, tariff, x: np.ndarray) -> np.ndarray:
        """(homes, 12): ``x`` (laid out as the values are) summed over each of the rate's billing months."""
        from .bills import month_starts

        return self._sums(x, month_starts(tariff), last=1)  # (the months' starts end with the year's end)

    def at_hours(self, hourly: np.ndarray) -> np.ndarray:
        """An hourly series of the year (a price) at each value's hour."""
        if self._local is None:
            self._local = np.concatenate(self.hours) if self.size else np.zeros(0, dtype=np.intp)
        return np.asarray(hourly, dtype=float).take(self._local)

    def self_consumed(self, use: np.ndarray) -> np.ndarray:
        """min(use, solar) at each value's hour, for (homes, 8,760) ``use``."""
        # (the array's own take, its result then made the minimum in place: a third of the time of indexing by the
        # places and a new minimum on 32 homes alone; inside a batch's chunk no difference was measurable)
        out = use.reshape(-1).take(self.flat)
        return np.minimum(out, self.values, out=out)

    def self_consumed_flat(self, use_kwh_per_h: np.ndarray) -> np.ndarray:
        """:meth:`self_consumed` for a use the same every hour of a home (``use_kwh_per_h``, one per home)."""
        # (a home at a time: a seventh of the time of spreading the homes' uses over all the values first)
        out = np.empty(self.size)
        bounds = self.offsets.tolist()
        for i, use in enumerate(np.asarray(use_kwh_per_h, dtype=float).tolist()):
            np.minimum(self.values[bounds[i]:bounds[i + 1]], use, out=out[bounds[i]:bounds[i + 1]])
        return out

    def self_sums(self, tariff, use: np.ndarray) -> np.ndarray:
        """(homes, runs): the run sums of the self-consumed solar, min(use, solar), for (homes, 8,760) ``use``."""
        return self.run_sums(tariff, self.self_consumed(use))

    def self_sums_flat(self, tariff, use_kwh_per_h: np.ndarray) -> np.ndarray:
        """:meth:`self_sums` for a use the same every hour of a home (``use_kwh_per_h``, one per home)."""
        return self.run_sums(tariff, self.self_consumed_flat(use_kwh_per_h))

    def realtime_sums(self, tariff, use_usd: np.ndarray, consumed: np.ndarray) -> tuple:
        """What :func:`heatcalc.bills.realtime_solar_bills_from_sums` bills a real-time rate's homes from, after the
        rows whose solar is not all zeros: each month's use at the hour's price (``use_usd``, (homes, 12), given),
        imports at the price, solar at the price, exports and solar at the sell price, then the year's self-consumed
        kWh and solar kWh, for homes whose self-consumed solar at each value's hour is ``consumed``."""
        def solar_alone():  # (the same for every system of the homes: made once a rate)
            price = self.at_hours(tariff.realtime_usd_per_kwh)
            sell_hourly = tariff.realtime_sell_usd_per_kwh
            sell = self.at_hours(sell_hourly) if sell_hourly is not None else np.zeros(self.size)
            return price, sell, self.month_sums(tariff, self.values * price), self.month_sums(tariff,
                                                                                           self.values * sell)

        price, sell, solar_priced, solar_sold = self._of_rate(tariff, "realtime", solar_alone)
        return (self.lit, use_usd, use_usd - self.month_sums(tariff, consumed * price), solar_priced,
                solar_sold - self.month_sums(tariff, consumed * sell), solar_sold, self._per_home(consumed),
                self.year_kwh)

    def dense(self) -> np.ndarray:
        """(homes, 8,760): the solar at every hour (made once)."""
        if self._dense is None:
            self._dense = np.zeros((self.n, 8760))
            self._dense.reshape(-1)[self.flat] = self.values
        return self._dense

    def subset(self, rows: np.ndarray) -> "_LitSolar":
        """The solar of some of the homes (``rows``, their places here), its year spread out already if it was."""
        rows = rows.tolist()
        out = _LitSolar([self.hours[i] for i in rows],
                        [self.values[self.offsets[i]:self.offsets[i + 1]] for i in rows])
        if self._dense is not None:
            out._dense = self._dense[rows]
        return out


def _month_priced(tariff, hourly: np.ndarray) -> np.ndarray:
    """(homes, 12): (homes, 8,760) kWh at a real-time rate's price each hour, summed by billing month."""
    from .bills import month_starts

    return np.add.reduceat(hourly * tariff.realtime_usd_per_kwh, month_starts(tariff)[:-1], axis=1)


class _BillJobs:
    """Bills made from sums, gathered by rate, kind and export rule so that each is made in one call for a chunk's
    groups of homes on it, their other use and every system (the calls cost mostly NumPy's work per call on small
    (homes x runs) arrays: one call for a rate's homes instead of four a group of 32).  Each set of rows is a tuple
    of the arrays the bill function takes after the rate and the rule, with what to do with its bills."""

    def __init__(self):
        self.jobs: dict = {}

    def add(self, tariff, kind: str, rule: str, arrays: tuple, put) -> None:
        entry = self.jobs.get((id(tariff), kind, rule))
        if entry is None:
            entry = self.jobs[(id(tariff), kind, rule)] = (tariff, kind, rule, [])
        entry[3].append((arrays, put))

    def run(self) -> None:
        from .bills import SolarBills, realtime_solar_bills_from_sums, solar_bills_from_sums

        for tariff, kind, rule, items in self.jobs.values():
            arrays = items[0][0] if len(items) == 1 else [np.concatenate(x) for x in zip(*(a for a, _ in items))]
            made = (solar_bills_from_sums if kind == "runs" else realtime_solar_bills_from_sums)(tariff, rule,
                                                                                                   *arrays)
            at = 0
            for a, put in items:
                n = a[0].shape[0]
                put(SolarBills(*(x[at:at + n] for x in made)))
                at += n
        self.jobs.clear()


def _by_sums(tariff) -> str | None:
    """How a rate's bills are made from sums alone: "runs" (its runs of hours in one period and month), "months"
    (real-time prices: each month's kWh at each hour's price), or None (demand charges read the hourly peaks)."""
    from .bills import _has_demand

    if _has_demand(tariff):
        return None
    return "runs" if tariff.realtime_usd_per_kwh is None else "months"


def _bill_sub_batches(h: _Homes, batches: list) -> list:
    """The bills of the homes billed hour by hour in several sub-batches (each (idx, systems, expand): its homes,
    each system's (homes, use by bin (:func:`_use_by_bin`), selection) and :func:`_hour_bins`), every system's and
    the other use's alone, a group of homes on one tariff and export rule at a time across the sub-batches (a
    chunk's homes on one rate billed together; each home's solar array read once for all its bills): each system's
    hours read out of its use by bin, billed as heatcalc.simulate._hourly_bills bills one home (with solar, from the
    sums of its rate's runs of hours and of its self-consumed solar at the lit hours, :class:`_LitSolar`, every
    group's on a rate made in one call at the end, :class:`_BillJobs`).  Returns, per sub-batch, {"base": (positions,
    bills), system: _Bills}."""
    from .bills import DG_RULES, electric_bills_usd, run_sums, solar_bills_usd

    billing = h.billing
    systems_all = ("heat_pump", "furnace", "electric_resistance")
    # each system's rows numbered over all the sub-batches (the outputs' order); a row's hourly use is read from its
    # sub-batch's (rows x bins + 1) array (_use_by_bin)
    sizes = {s: [b[1][s][0].size if s in b[1] else 0 for b in batches] for s in systems_all}
    offsets = {s: np.concatenate(([0], np.cumsum(sizes[s]))) for s in systems_all}
    by_bin = {s: [b[1][s][1] if s in b[1] else None for b in batches] for s in systems_all if offsets[s][-1]}
    sub_of = {s: np.repeat(np.arange(len(batches)), sizes[s]) for s in by_bin}
    sub_list = {s: x.tolist() for s, x in sub_of.items()}  # (as Python numbers, for the loop a home at a time)
    first_list = {s: offsets[s].tolist() for s in by_bin}
    # the billed homes of all the sub-batches: their sub-batch, station column maps and rows in each system's array
    mine_of = [np.flatnonzero(billing.hourly[idx]) for idx, _, _ in batches]
    sub = np.concatenate([np.full(m.size, k) for k, m in enumerate(mine_of)])
    where = np.concatenate([idx[m] for (idx, _, _), m in zip(batches, mine_of)])  # positions in _Homes
    # each billed home's station: its hours are its bins' (_use_by_bin: a bin past the sub-batch's reads its last
    # column, the other use alone)
    station_of = [int(batches[k][2][1][batches[k][2][0][r]]) for k, m in enumerate(mine_of) for r in m.tolist()]
    row_in = {}
    for s in systems_all:
        parts = []
        for k, ((idx, systems, _), m) in enumerate(zip(batches, mine_of)):
            row_of = np.full(idx.size, -1)
            if s in systems:
                row_of[np.flatnonzero(systems[s][2])] = offsets[s][k] + np.arange(sizes[s][k])
            parts.append(row_of[m])
        row_in[s] = np.concatenate(parts)
    total = {s: int(offsets[s][-1]) for s in systems_all}
    names = ("electric", "without_solar", "self_only", "self_kwh", "exported", "fixed", "with_heat")
    out = {s: {name: np.full(total[s], np.nan) if name == "with_heat" else np.zeros(total[s]) for name in names}
           for s in systems_all}
    base = np.zeros(where.size)
    # each system's least use by bin in each sub-batch: a group whose homes' are none below zero needs no look at
    # its hours for it (the bills' use with no panels)
    floor = {s: np.array([b.min() if b is not None and b.size else 0.0 for b in by_bin[s]]) for s in by_bin}
    tariff_of, rule_of = billing.tariff[where], billing.rule[where]
    jobs = _BillJobs()
    for t, r in sorted(set(zip(tariff_of.tolist(), rule_of.tolist()))):
        tariff, rule = billing.tariffs[t], DG_RULES[r]
        group = np.flatnonzero((tariff_of == t) & (rule_of == r))
        for start in range(0, group.size, BILL_GROUP):
            g = group[start:start + BILL_GROUP]
            homes = where[g]
            base_h = h.base_kwh[homes] / 8760.0  # the other use, the same every hour
            solar = _LitSolar.of(billing, homes) if (billing.pv[homes] >= 0).any() else None
            rule_name = rule or tariff.dg_rule or "net_metering"
            sums = _by_sums(tariff) if solar is not None and (base_h >= 0.0).all() else None

            def put_base(sb, at=g):
                base[at] = sb.with_solar_usd

            if sums == "runs":
                from .bills import run_starts

                use_s = base_h[:, None] * np.diff(np.append(run_starts(tariff), 8760))[None, :]
                jobs.add(tariff, sums, rule_name, (solar.lit, use_s, use_s - solar.self_sums_flat(tariff, base_h),
                                                   solar.run_sums(tariff), solar.year_kwh), put_base)
            elif sums == "months":
                month_price = _month_priced(tariff, np.ones((1, 8760)))  # each month's prices summed
                jobs.add(tariff, sums, rule_name, solar.realtime_sums(tariff, base_h[:, None] * month_price,
                                                                      solar.self_consumed_flat(base_h)), put_base)
            else:
                pv = None if solar is None else solar.dense()
                base[g] = electric_bills_usd(tariff, np.broadcast_to(base_h[:, None], (homes.size, 8760)), pv, rule,
                                             None if pv is None else run_sums(tariff, pv))
            columns = {}  # station -> its hour -> bin map as index-sized integers, for this group's homes
            for k in g.tolist():
                if station_of[k] not in columns:
                    columns[station_of[k]] = station_hour_bins(station_of[k]).astype(np.intp)
            for system in by_bin:
                at = row_in[system][g]
                present = at >= 0
                if not present.any():
                    continue
                at = at[present]
                use = np.empty((at.size, 8760))  # each hour's heating and other use
                sys_sub, sys_first, sys_by_bin = sub_list[system], first_list[system], by_bin[system]
                for i, (row, k) in enumerate(zip(at.tolist(), g[present].tolist())):
                    b_no = sys_sub[row]
                    # ("clip": a bin past the row's reads its last column)
                    # (the array's own method: np.take's wrapper costs a fifth of a take of 8,760 values)
                    sys_by_bin[b_no][row - sys_first[b_no]].take(columns[station_of[k]], out=use[i], mode="clip")
                o = out[system]
                cool_bins = h.cooling[system][6] if h.cooling is not None else {}
                sys_homes = homes[present]
                cooled = [i for i, j in enumerate(sys_homes.tolist()) if j in cool_bins]
                nonnegative = bool(floor[system][sub_of[system][at]].min() >= 0.0) and all(
                    cool_bins[int(sys_homes[i])].min() >= 0.0 for i in cooled)
                # the heat pump's rows of homes that move to a rate of its own: billed whole on it
                own = billing.hp_tariff[sys_homes] if system == "heat_pump" else np.full(at.size, -1)
                every = bool(present.all())
                sys_solar = None if solar is None else solar if every else solar.subset(np.flatnonzero(present))
                for u in (_distinct(own + 1) - 1).tolist():  # (-1: no rate of its own)
                    part = own == u
                    whole = bool(part.all())  # (no copies of the (homes x 8,760) arrays when one rate takes all)
                    on = tariff if u < 0 else billing.tariffs[u]
                    o["fixed"][at[part]] = (billing.fixed if u < 0 else billing.hp_fixed)[sys_homes[part]]
                    cool_rows = [i for i in cooled if part[i]]
                    if cool_rows:  # the bill with the heating alone, then the cooling's hours added to the use
                        rows = np.array(cool_rows)
                        o["with_heat"][at[rows]] = electric_bills_usd(on, use[rows], None if sys_solar is None else
                                                                      sys_solar.subset(rows).dense(), rule)
                        for i in cool_rows:
                            j = int(sys_homes[i])
                            use[i] += cool_bins[j][station_hour_bins(int(h.station[j]))]
                    part_use = use if whole else use[part]
                    if sys_solar is None:
                        electric = electric_bills_usd(on, part_use, None, rule)
                        o["electric"][at[part]] = o["without_solar"][at[part]] = o["self_only"][at[part]] = electric
                        continue
                    part_solar = sys_solar if whole else sys_solar.subset(np.flatnonzero(part))
                    sums = _by_sums(on) if nonnegative else None  # (the imports: the use less the self-consumed)

                    def put(sb, o=o, idx=at[part]):
                        o["electric"][idx], o["without_solar"][idx], o["self_only"][idx] = \
                            sb.with_solar_usd, sb.without_solar_usd, sb.self_only_usd
                        o["self_kwh"][idx], o["exported"][idx] = sb.self_consumed_kwh, sb.exported_kwh

                    on_rule = rule or on.dg_rule or "net_metering"
                    if sums == "runs":
                        use_s = run_sums(on, part_use)
                        jobs.add(on, sums, on_rule, (part_solar.lit, use_s, use_s - part_solar.self_sums(on, part_use),
                                                     part_solar.run_sums(on), part_solar.year_kwh), put)
                    elif sums == "months":
                        jobs.add(on, sums, on_rule, part_solar.realtime_sums(on, _month_priced(on, part_use),
                                                                             part_solar.self_consumed(part_use)), put)
                    else:
                        put(solar_bills_usd(on, part_use, part_solar.dense(), rule, part_solar.lit,
                                            part_solar.year_kwh, None, nonnegative))
    jobs.run()  # (each rate's bills from sums at once, for all its groups)
    results = []
    for k, ((idx, systems, _), m) in enumerate(zip(batches, mine_of)):
        mine = sub == k
        result = {"base": (idx[m], base[mine])}
        for system, (homes, _, _) in systems.items():
            billed_rows = np.flatnonzero(billing.hourly[homes])
            o = {name: values[offsets[system][k]:offsets[system][k + 1]][billed_rows]
                 for name, values in out[system].items()}
            result[system] = _Bills(homes[billed_rows], billed_rows, o["electric"], o["without_solar"],
                                    o["self_only"], o["self_kwh"], o["exported"], o["fixed"],
                                    np.where(np.isnan(o["with_heat"]), o["electric"], o["with_heat"]))
        results.append(result)
    return results


@lru_cache(maxsize=1)
def _hour_labels() -> np.ndarray:
    from .weather.stations import hour_label

    return np.array([hour_label(i) for i in range(8760)], dtype=object)


def _fast_rows(chunk: Chunk, h: _Homes, years: dict) -> tuple[np.ndarray, dict]:
    """Rows of the fast route's homes: (rows per home, columns), homes in chunk order, systems in the usual
    order (heat pump, furnace, electric resistance)."""
    from .rules.emissions import biogenic_co2_kg_per_unit
    from .rules import texts
    from .units import BTU_PER_FUEL_UNIT, BTU_PER_KWH, BTU_PER_MMBTU, FUEL_UNIT

    counts = h.has_hp.astype(np.int64) + h.has_furnace + h.has_resistance
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    cols = empty_columns(int(counts.sum()))
    labels = _hour_labels()
    homes = np.array(chunk.homes, dtype=object)[h.rows]
    names = np.array(h.names, dtype=object)
    zero, nan = 0.0, float("nan")
    # each home's fuel (its furnace's) as a number, -1 without one: the per-fuel figures by lookup, not home by home
    fuel_names = sorted({f for f in h.fuel if f is not None})
    number = {f: k for k, f in enumerate(fuel_names)}
    fuel_code = np.fromiter((number.get(f, -1) for f in h.fuel), np.int64, len(h.fuel))
    gas_code = number.get("natural_gas", -2)
    per_unit_of = np.array([BTU_PER_FUEL_UNIT[f] for f in fuel_names] + [np.nan])
    biogenic_of = np.array([biogenic_co2_kg_per_unit(f) for f in fuel_names] + [np.nan])
    name_of = np.array(fuel_names + [None], dtype=object)
    unit_of = np.array([FUEL_UNIT[f] for f in fuel_names] + [None], dtype=object)
    price_of = np.array([h.price[f] for f in fuel_names] + [np.full(h.rows.size, np.nan)])
    co2_of = np.array([h.co2[f] for f in fuel_names] + [np.full(h.rows.size, np.nan)])
    base_bill = None
    if h.billing is not None:
        base_bill = np.full(h.rows.size, np.nan)
        for entry in years["base"]:
            if entry is not None:
                base_bill[entry[0]] = entry[1]
    econ = h.economics
    nh = h.rows.size
    # each system's year per home, for the economics (heatcalc.rules.economics.Option)
    year = {s: {"present": np.zeros(nh, dtype=bool), "total": np.full(nh, np.nan), "at": np.zeros(nh, np.int64),
                "meets": np.zeros(nh, dtype=bool), "energy": {"electricity": np.zeros(nh)}}
            for s in ("heat_pump", "furnace", "electric_resistance")} if econ is not None else None
    leaves_gas = econ.gas_disconnect if econ is not None else np.zeros(nh, dtype=bool)
    for system, slot in (("heat_pump", 0), ("furnace", h.has_hp.astype(np.int64)),
                         ("electric_resistance", h.has_hp.astype(np.int64) + h.has_furnace)):
        for pos, y, fueled, balance, bills in _merged(years[system]):
            at = offsets[pos] + (slot if isinstance(slot, int) else slot[pos])
            pe = h.price["electricity"][pos]
            ee = h.co2["electricity"][pos]
            if fueled:
                c = fuel_code[pos]
                fuel_units = y.fuel_btu / per_unit_of[c]
                pf, ef = price_of[c, pos], co2_of[c, pos]
                biogenic = fuel_units * biogenic_of[c]
                fuel_text, unit_text = name_of[c], unit_of[c]
            else:
                fuel_units = biogenic = np.zeros(pos.size)
                pf = ef = np.zeros(pos.size)
                fuel_text = unit_text = texts(pos.size, "")
            # the electricity priced: by time-of-use periods hour by hour, else at the home's price
            tou = h.tou[pos] >= 0 if h.tou is not None else np.zeros(pos.size, dtype=bool)
            kwh_cost = np.where(tou, y.kwh_cost, y.kwh * pe) if y.kwh_cost is not None else y.kwh * pe
            base_cost = h.base_kwh[pos] * pe
            if tou.any():  # the other use spread evenly over the hours, at each hour's price
                sums = np.array([float(h.tou_prices[t].sum()) if t >= 0 else 0.0 for t in h.tou[pos]])
                base_cost = np.where(tou, h.base_kwh[pos] / 8760.0 * sums, base_cost)
            fuel_cost = fuel_units * pf
            grid = y.kwh * ee if y.grid_co2 is None else np.where(h.co2_region[pos] >= 0, y.grid_co2, y.kwh * ee)
            co2 = grid + fuel_units * ef
            # the other gas use is billed where the home keeps gas service: a gas system, or a gas furnace kept
            gas_home = (fuel_code[pos] == gas_code) & ~leaves_gas[pos]
            gas_service = gas_home | (fuel_text == "natural_gas")
            gas_base = np.where(gas_service, h.base_therm[pos], 0.0) * h.price["natural_gas"][pos]
            if h.gas_block is not None and (h.gas_block[pos] >= 0).any():  # monthly gas blocks
                fuel_cost, gas_base = _blocked_gas(h, pos, gas_service, fuel_text, y, fuel_cost, gas_base)
            cost = kwh_cost + fuel_cost
            # the year's fixed charges: electricity's always, gas's while the home keeps gas service
            fixed_e = 12.0 * h.fixed["electricity"][pos] if h.fixed is not None else 0.0
            fixed_g = np.where(gas_service, 12.0 * h.fixed["natural_gas"][pos], 0.0) if h.fixed is not None else 0.0
            used = y.kwh * BTU_PER_KWH + y.fuel_btu
            # heat to the rooms: what the unit made less its ducts' losses (heatcalc.results.heat_to_rooms_mmbtu)
            heat_mmbtu = y.heat / BTU_PER_MMBTU * (h.duct[system][pos] if h.duct is not None and system in h.duct
                                                   else 1.0)
            with np.errstate(divide="ignore", invalid="ignore"):
                per_mmbtu = np.where(heat_mmbtu > 0, cost / heat_mmbtu, 0.0)
                seasonal = np.where(used > 0, y.heat / used, 0.0)
                backup_fraction = np.where(y.heat > 0, y.backup / y.heat, 0.0)
            is_hp = system == "heat_pump"
            cool_kwh, cool_unmet, cool_hours, cool_load, cool_grid, cool_priced = \
                (h.cooling[system][i][pos] for i in range(6)) if h.cooling is not None else (zero,) * 4 + (nan,) * 2
            # at the hours' prices (time-of-use periods) and marginal rates, else at the year's
            cooling_cost = np.where(np.isnan(cool_priced), cool_kwh * pe, cool_priced)
            cooling_co2 = np.where(np.isnan(cool_grid), cool_kwh * ee, cool_grid)
            with np.errstate(divide="ignore", invalid="ignore"):
                meets = np.where(cool_load > 0, cool_unmet / np.where(cool_load > 0, cool_load, 1.0), 0.0) \
                    <= UNMET_COOLING_SHARE
                need = y.heat + y.unmet  # the heat asked of it: what it delivered and what it could not
                meets &= np.where(need > 0, y.unmet / np.where(need > 0, need, 1.0), 0.0) <= UNMET_HEAT_SHARE
            values = {
                "home": homes[pos], "profile": names[pos], "system": system,
                "heat_delivered_mmbtu": heat_mmbtu, "electricity_kwh": y.kwh, "fuel": fuel_text,
                "fuel_use": fuel_units, "fuel_unit": unit_text, "annual_cost_usd": cost,
                "cost_per_mmbtu_usd": per_mmbtu, "seasonal_efficiency": seasonal,
                "backup_fraction": backup_fraction if is_hp else 0.0, "co2_kg": co2,
                "biogenic_co2_kg": biogenic,
                "backup_hours": y.backup_hours if is_hp else 0.0, "peak_electric_kw": y.peak_kw,
                "peak_hour": labels[y.peak_hour], "peak_outdoor_f": y.peak_temp,
                "balance_point_f": balance if is_hp else np.nan,
                "cooling_electricity_kwh": cool_kwh, "cooling_cost_usd": cooling_cost, "cooling_co2_kg": cooling_co2,
                "fixed_charges_usd": fixed_e + fixed_g, "total_cost_usd": cost + cooling_cost + (fixed_e + fixed_g),
                "total_co2_kg": co2 + cooling_co2,
                "unmet_heat_mmbtu": y.unmet * (h.duct[system][pos] if h.duct is not None and system in h.duct
                                               else 1.0) / 1e6, "unmet_hours": y.unmet_hours,
                "unmet_cooling_mmbtu": cool_unmet / 1e6, "unmet_cooling_hours": cool_hours,
                "meets_load": meets,  # heat left unmet by limited strips, cooling by the unit's capacity
                "electric_bill_usd": base_cost + kwh_cost + cooling_cost + fixed_e,
                "fuel_bill_usd": fuel_cost + (gas_base + fixed_g),
                "solar_self_consumed_kwh": 0.0, "solar_exported_kwh": 0.0, "solar_export_credit_usd": 0.0,
                "electric_bill_without_solar_usd": base_cost + kwh_cost + cooling_cost + fixed_e,
            }
            if bills is not None:
                _billed_values(values, bills, pos, fuel_cost, base_bill, h, heat_mmbtu, fixed_g)
            for name, value in values.items():
                cols[name][at] = value
            if year is not None:
                o = year[system]
                o["present"][pos], o["total"][pos], o["at"][pos], o["meets"][pos] = True, values["total_cost_usd"], \
                    at, meets
                # what it costs in electricity: heating (what it adds to the bills, billed hour by hour), cooling
                # and the fixed charges (a rate's, billed hour by hour)
                o["energy"]["electricity"][pos] = (values["annual_cost_usd"] - fuel_cost) \
                    + values["cooling_cost_usd"] + (values["fixed_charges_usd"] - fixed_g) if bills is not None \
                    else kwh_cost + cooling_cost + fixed_e
                if fueled:
                    for f in set(fuel_text.tolist()):
                        mine = fuel_text == f
                        o["energy"].setdefault(f, np.zeros(nh))[pos[mine]] = fuel_cost[mine]
                if h.fixed is not None:  # gas's fixed charge, with the gas burned when the system burns gas
                    gas = o["energy"].setdefault("natural_gas", np.zeros(nh))
                    gas[pos] = np.where(fuel_text == "natural_gas", gas[pos], 0.0) + fixed_g
    if econ is not None:
        _economics_rows(econ, year, cols)
    return counts, cols


def _merged(entries: list) -> list:
    """A system's years of a chunk's sub-batches, (positions, _Year, fueled, balance points, bills), joined into
    one entry for each kind of them (fueled or not, the same fields given): their rows are made once for the kind,
    not once for each of ~30 sub-batches, whose Python cost was more than their arithmetic.  Entries billed hour
    by hour stay as they are."""

    def kind(value):
        return "none" if value is None else ("array", value.ndim) if isinstance(value, np.ndarray) else value

    groups: dict = {}
    out = []
    for entry in entries:
        pos, y, fueled, balance, bills = entry
        if bills is not None:
            out.append(entry)
            continue
        groups.setdefault((fueled, kind(balance), tuple(kind(v) for v in y)), []).append(entry)
    for (fueled, _, _), group in groups.items():
        if len(group) == 1:
            out.append(group[0])
            continue
        fields = [[e[1][i] for e in group] for i in range(len(_Year._fields))]
        y = _Year(*[np.concatenate(f) if isinstance(f[0], np.ndarray) else f[0] for f in fields])
        balance = None if group[0][3] is None else np.concatenate([e[3] for e in group])
        out.append([np.concatenate([e[0] for e in group]), y, fueled, balance, None])
    return out


def _blocked_gas(h: _Homes, pos: np.ndarray, gas_service: np.ndarray, fuel_text: np.ndarray, y: _Year,
                 fuel_cost: np.ndarray, gas_base: np.ndarray) -> tuple:
    """(fuel cost, other gas bill) of homes ``pos`` with those of homes billed by monthly gas blocks replaced, as
    heatcalc.simulate.system_ledger bills them: each month's gas (the other use's, where the home keeps gas
    service, and a gas system's) through the blocks, the system's cost what it adds to the other use's bill."""
    from .bills import gas_months_usd
    from .units import BTU_PER_FUEL_UNIT

    fuel_cost, gas_base = fuel_cost.copy(), gas_base.copy()
    for r in np.flatnonzero(h.gas_block[pos] >= 0).tolist():
        j = pos[r]
        blocks = h.gas_blocks[h.gas_block[j]]
        base = np.full(12, h.base_therm[j] / 12.0 if gas_service[r] else 0.0)
        other = gas_months_usd(base, blocks, 0.0)
        gas_base[r] = other.sum()
        if fuel_text[r] == "natural_gas":
            therm = y.fuel_month[r] / BTU_PER_FUEL_UNIT["natural_gas"]
            fuel_cost[r] = (gas_months_usd(base + therm, blocks, 0.0) - other).sum()
    return fuel_cost, gas_base


def _economics_rows(econ: _Economics, year: dict, cols: dict) -> None:
    """The economics columns of the homes with an economics section, by the rule the per-home route uses
    (:func:`heatcalc.rules.economics.economics_columns`), written into their rows."""
    from .rules.economics import Option, economics_columns

    k = econ.homes
    priced = econ.bought.pv_factor  # the energies these homes pay for (another home's fuel costs them nothing)
    options = {}
    for s, o in year.items():
        if o["present"][k].any():
            assert all(not v[k].any() for x, v in o["energy"].items() if x not in priced)
            options[s] = Option(o["present"][k], o["total"][k], {x: v[k] for x, v in o["energy"].items()
                                                                  if x in priced}, o["meets"][k])
    for system, columns in economics_columns(econ.bought, options).items():
        there = options[system].present
        at = year[system]["at"][k][there]
        for name, value in columns.items():
            cols[name][at] = value[there]


def _billed_values(values: dict, bills: _Bills, pos: np.ndarray, fuel_cost: np.ndarray, base_bill: np.ndarray,
                   h: _Homes, heat_mmbtu: np.ndarray, fixed_gas) -> None:
    """The columns of the homes billed hour by hour, as heatcalc.simulate._hourly_bills makes them: the cost is
    what the system adds to the bills, the fixed charges are the rate's (the peak stays the bins': the first hour of
    the year at the highest kW, as for every home)."""
    k = bills.index

    def put(name, new):
        old = values[name]
        arr = np.array(old, dtype=float) if np.ndim(old) else np.full(pos.size, float(old))
        arr[k] = new
        values[name] = arr

    # against the other use's bill on the home's rate, its fixed charges exchanged for those of the rate the bills
    # are on (heatcalc.simulate.system_ledger's `before`: a heat pump on a rate of its own)
    before = base_bill[bills.at] - h.billing.fixed[bills.at] + bills.fixed
    annual = bills.with_heat - before + fuel_cost[k]
    cooling = bills.electric - bills.with_heat  # what the cooling's hours add to the bill
    has_pv = h.billing.pv[bills.at] >= 0
    fixed = bills.fixed + (fixed_gas[k] if np.ndim(fixed_gas) else fixed_gas)  # gas's while the home keeps gas
    put("annual_cost_usd", annual)
    put("cooling_cost_usd", cooling)
    put("fixed_charges_usd", fixed)
    put("total_cost_usd", annual + cooling + fixed)
    with np.errstate(divide="ignore", invalid="ignore"):
        put("cost_per_mmbtu_usd", np.where(heat_mmbtu[k] > 0, annual / heat_mmbtu[k], 0.0))
    put("electric_bill_usd", bills.electric)
    put("electric_bill_without_solar_usd", np.where(has_pv, bills.without_solar, bills.electric))
    put("solar_self_consumed_kwh", np.where(has_pv, bills.self_kwh, 0.0))
    put("solar_exported_kwh", np.where(has_pv, bills.exported_kwh, 0.0))
    put("solar_export_credit_usd", np.where(has_pv, (bills.without_solar - bills.electric)
                                            - (bills.without_solar - bills.self_only), 0.0))


def run_chunk(chunk: Chunk, price_overrides: dict | None = None, text: str | None = None,
              hand_off: str | None = None) -> Block:
    """Every row of a chunk, in order: the fast route's homes as arrays, the others home by home.  With
    ``text="csv"`` the block also carries its rows as CSV text, formatted here (in the worker) rather than by the
    process that writes them; with ``text="parquet"`` as an Arrow record batch, left in the folder ``hand_off``
    (shared memory: :func:`heatcalc.rows.hand_off`) when one is given."""
    keep_array_memory()
    with _cycles_collected_after():
        block = _run_chunk(chunk, price_overrides, text)
    if hand_off is not None and block.table is not None:
        from .rows import hand_off as leave

        block = block._replace(table=leave(block.table, hand_off))
    return block


_COLLECTOR = {"chunks": 0, "was_on": True}  # chunks running in this process (threads share the collector)
_COLLECTOR_LOCK = threading.Lock()


@contextmanager
def _cycles_collected_after():
    """Hold Python's cycle collector off while a chunk runs: a chunk makes a few hundred thousand short-lived
    objects (its cells, parsed values, rows), none of them in reference cycles worth finding, yet each 700 of them
    set a collection going (4-5 % of a million homes' time: 3.17 -> 3.04 s a 100,000).  What a chunk leaves in a
    cycle is collected as usual after it: the collector is back as it was found when the last chunk running in the
    process ends."""
    import gc

    with _COLLECTOR_LOCK:
        if _COLLECTOR["chunks"] == 0:
            _COLLECTOR["was_on"] = gc.isenabled()
            gc.disable()
        _COLLECTOR["chunks"] += 1
    try:
        yield
    finally:
        with _COLLECTOR_LOCK:
            _COLLECTOR["chunks"] -= 1
            if _COLLECTOR["chunks"] == 0 and _COLLECTOR["was_on"]:
                gc.enable()


def _run_chunk(chunk: Chunk, price_overrides: dict | None, text: str | None) -> Block:
    from . import homes as b

    chunk = materialized(chunk)  # (a Parquet chunk's columns become Python values here, in the worker)
    n = len(chunk)
    fast = np.ones(n, dtype=bool)
    fast[list(chunk.errors)] = False
    homes = None
    try:
        values = _values(chunk, _parser(), fast)
        homes = _resolve(chunk, values, fast, price_overrides or {})
        if homes is not None:
            with _one_blas_thread():
                fast_counts, fast_cols = _fast_rows(chunk, homes, _run_homes(homes))
    except Exception:  # pragma: no cover - a bug must not lose homes: the per-home route runs (and reports) them
        if os.environ.get("HEATCALC_STRICT_FAST_ROUTE"):  # the tests: a bug here must fail them, not hide
            raise
        homes = None
    if homes is None:
        fast[:] = False
    refused = homes.refused if homes is not None and homes.refused else {}
    slow = np.array([i for i in np.flatnonzero(~fast).tolist() if i not in refused], dtype=np.int64)
    items = []
    for i in slow:
        if i in chunk.errors:
            items.append(b.HomeInput(chunk.homes[i], "error", chunk.errors[i], chunk.source, chunk.lines[i]))
        else:
            cells = {f: c[i] for f, c in zip(chunk.fields, chunk.cells)}
            items.append(b.HomeInput(chunk.homes[i], "row", (cells, chunk.defaults), chunk.source, chunk.lines[i],
                                     _row_name(chunk, i)))
    parts = []
    problems: list = [None] * n
    warnings: list = [()] * n
    for i, said in refused.items():
        problems[i] = said
    if homes is not None:
        parts.append((homes.rows, fast_counts, fast_cols))
        if homes.warnings is not None:
            for i, said in zip(homes.rows, homes.warnings):
                warnings[i] = said
    if items:
        # a few hundred at a time: a home with hourly data (solar, a load series) holds its arrays until its
        # rows are made, so a whole chunk of them at once would hold hundreds of megabytes
        outcomes = [o for k in range(0, len(items), b.BLOCK)
                    for o in b.process_block(items[k:k + b.BLOCK], price_overrides)]
        slow_block = block_from_outcomes(outcomes)
        parts.append((slow, slow_block.counts, slow_block.columns))
        for j, i in enumerate(slow):
            problems[i] = slow_block.problems[j]
            warnings[i] = slow_block.warnings[j]
    counts = np.zeros(n, dtype=np.int64)
    for rows, part_counts, _ in parts:
        counts[rows] = part_counts
    starts = np.cumsum(counts) - counts
    giving = [part for part in parts if part[1].sum()]
    if len(giving) == 1 and np.all(np.diff(giving[0][0]) > 0):
        columns = giving[0][2]  # one part holds every row, in the chunk's order: its columns as they are
    else:
        columns = empty_columns(int(counts.sum()))
        for rows, part_counts, part_cols in giving:
            at = np.repeat(starts[rows], part_counts) + ranks(part_counts)
            for name in OUT_COLUMNS:
                columns[name][at] = part_cols[name]
    block = Block(list(chunk.homes), [chunk.source] * n, problems, warnings, counts, columns,
                  0 if homes is None else int(homes.rows.size))
    if text == "csv":
        from .rows import csv_rows_text

        block = block._replace(text=csv_rows_text(block))
    elif text == "parquet":  # the rows as Arrow arrays, made here: the writing process only writes them
        from .rows import arrow_batch, arrow_schema

        block = block._replace(table=arrow_batch(block, arrow_schema()))
    if block.text is not None or block.table is not None:
        block = block._replace(columns={})  # the writer reads the text or the table (a process need not carry both)
    return block


#: glibc's ``mallopt`` parameters: arrays up to 32 MB (its largest) from the heap rather than each a fresh mapping,
#: and up to 64 MB freed at the heap's top kept for the next ones.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
KEEP_FREED_BYTES, MAPPED_FROM_BYTES = 64 << 20, 32 << 20
_ALLOCATOR: list = []


def keep_array_memory() -> None:
    """Once a process: let the C allocator reuse the memory of freed arrays instead of returning it to the system.

    By default glibc gives each array over 128 kB pages of its own and hands them back when the array is freed, so
    the next one of that size faults every page in again.  A batch makes and frees many (homes x 8,760) and
    (homes x bins) arrays; on a virtual machine (where a page fault is dear) the faults cost more than the
    arithmetic: three bills of 32 homes took 8 ms instead of 2 (benchmarks/bench_batch.py --tariffs-solar), and a
    million plain homes spent 4-5 s of system time instead of 1.6.  A process holds at most
    :data:`KEEP_FREED_BYTES` freed.  Elsewhere than glibc (musl, macOS) nothing is changed."""
    if _ALLOCATOR:
        return
    _ALLOCATOR.append(True)
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own symbols: the C library's, where it has one
    except (OSError, AttributeError, TypeError):  # (no such function; on Windows, no "process's own" library)
        return
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    mallopt(M_MMAP_THRESHOLD, MAPPED_FROM_BYTES)
    mallopt(M_TRIM_THRESHOLD, KEEP_FREED_BYTES)


def _one_blas_thread():
    """The engine's matrix products are small: with BLAS's own threads on top of one process per core they ran
    1.5x slower (100,000 homes on 2 cores: 8.8 s, 5.8 s with one BLAS thread)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of non-negative integers (station, rate and period numbers), in order: np.unique would
    import numpy.ma on its first call, 15-20 ms of each batch worker's first chunk."""
    return np.flatnonzero(np.bincount(np.asarray(values, dtype=np.int64)))


def ranks(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., counts[i]-1 for each i, concatenated."""
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


# --- reading ------------------------------------------------------------------------------------------------------

def chunks_from_items(items, defaults: dict, size: int):
    """Group a homes table's rows (``batch.HomeInput`` of kind row or error) into chunks of ``size`` rows."""
    homes, lines, errors, rows, names = [], [], {}, [], []
    source = None
    hourly = set(TARIFF_FIELDS) | set(HP_TARIFF_FIELDS) | set(SOLAR_FIELDS)
    for item in items:
        source = item.source
        if item.kind == "row":
            if not rows and hourly & set(item.payload[0]) and size > HOURLY_CHUNK:
                size = HOURLY_CHUNK  # homes billed hour by hour take ~2 ms each: smaller units keep every core busy
            rows.append(item.payload[0])
        else:
            errors[len(homes)] = item.payload
            rows.append(None)
        homes.append(item.home)
        lines.append(item.line)
        names.append(item.profile_name)
        if len(homes) >= size:
            yield _chunk(source, rows, homes, lines, errors, defaults, names)
            homes, lines, errors, rows, names = [], [], {}, [], []
    if homes:
        yield _chunk(source, rows, homes, lines, errors, defaults, names)


def _chunk(source, rows, homes, lines, errors, defaults, names) -> Chunk:
    fields = tuple(next((r for r in rows if r is not None), {}))
    cells = [[None if r is None else r.get(f) for r in rows] for f in fields]
    return Chunk(source, fields, cells, homes, lines, errors, defaults, names)


def _row_name(chunk: Chunk, i: int) -> str:
    """What names row ``i``'s profile when it has no ``name``: ``row 12``."""
    name = None if chunk.names is None else chunk.names[i]
    return f"row {chunk.homes[i]}" if name is None else name
