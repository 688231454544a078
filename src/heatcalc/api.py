"""The public Python API: the calls the command line makes, for notebooks and scripts.

>>> import heatcalc
>>> c = heatcalc.compare("profiles/boston-gas.yaml", **{"prices.electricity": "0.22 $/kWh"})
>>> [(row.system, round(row.annual_cost_usd)) for row in c.rows]          # doctest: +SKIP
>>> for result in heatcalc.compare_many(["a.yaml", "b.yaml"], jobs=2):   # doctest: +SKIP
...     print(result if isinstance(result, heatcalc.ProfileError) else result.summary.cheapest)

Bad input raises :class:`heatcalc.ProfileError` (``.problems``: each with ``.field``, ``.message``, ``.line``), and
nothing else does: an input heatcalc cannot read (a missing file, a device) is a ProfileError too.
"""

from __future__ import annotations

import numbers
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, NamedTuple

from .errors import HeatcalcError, Problem, ProfileError
from .profile import Profile, copy_data, load_profile, parse_field_value, set_field, validate

if TYPE_CHECKING:
    from .incentives import Finding
    from .results import Comparison

ProfileLike = "str | Path | Mapping[str, Any] | Profile"
_PRICES = "prices."


def _arg(call: str, name: str, value, kind: type | tuple, what: str, none: bool = True):
    """Check a Python caller's argument: a value of the wrong type is a :class:`TypeError` naming the call and the
    argument (never an AttributeError from deep inside)."""
    if value is None and none:
        return value
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise TypeError(f"heatcalc.{call}: {name} must be {what}, not a bool ({value!r})")
    if not isinstance(value, kind):
        raise TypeError(f"heatcalc.{call}: {name} must be {what}, not {type(value).__name__} ({value!r})")
    return value


def _field(name: str) -> str:
    """``prices__electricity`` (a keyword) or ``prices.electricity`` → the dotted field."""
    return name.replace("__", ".")


def _flat_overrides(overrides: Mapping[str, Any]) -> dict:
    """Overrides with ``prices={"electricity": 0.2}`` (compare_frame's spelling) unfolded to ``prices.electricity``:
    one name, ``prices.electricity``, whichever way it is written."""
    out = {}
    for key, value in overrides.items():
        if key == "prices" and isinstance(value, Mapping):
            for fuel, price in value.items():
                out[f"prices.{str(fuel).removeprefix('prices.')}"] = price
        else:
            out[key] = value
    return out


def resolve(profile, overrides: Mapping[str, Any] | None = None, override_source: str = "override"):
    """The :class:`~heatcalc.home.Home` a profile describes (location, weather, load, equipment, prices), with
    ``overrides`` applied: dotted fields (``"prices.electricity"``, or ``prices__electricity`` as a keyword) set
    to values written as in a profile (``"0.22 $/kWh"``, ``0.22``, ``"3 ton"``).  Prices given this way win over
    the profile's and the state's, and are reported with ``override_source``; any other field is set in the
    profile, which is then validated again as a whole."""
    from .home import build_home

    fields = {_field(k): v for k, v in _flat_overrides(overrides or {}).items()}
    prices, problems = {}, []
    for name in [f for f in fields if f.startswith(_PRICES)]:
        try:
            prices[name[len(_PRICES):]] = parse_field_value(name, fields.pop(name), override_source)
        except ProfileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ProfileError(override_source, problems)
    spec = load_profile(profile)
    if fields:
        data = copy_data(spec.data if spec.data is not None else {})
        for name, value in fields.items():
            set_field(data, name, value)
        spec = validate(data, spec.source or "profile", spec.lines, default_name=spec.name, base_dir=spec.base_dir)
    return build_home(spec, prices, price_source=override_source)


def compare(profile: str | Path | Mapping[str, Any] | Profile, override_source: str = "override",
            **overrides: Any) -> Comparison:
    """Compare the year's cost of heating the home with each system.

    Parameters
    ----------
    profile : str, Path, mapping or Profile
        A profile file, a mapping in the YAML's shape (``{"location": {"zip": "02134"}, ...}``), or a
        :class:`~heatcalc.profile.Profile` from :func:`load_profile`.
    **overrides
        Profile fields to change, by dotted name (``**{"prices.electricity": 0.2}``) or with ``__`` for the dots
        (``systems__heat_pump__hspf2=9``), valued as in a profile.

    Returns
    -------
    Comparison
        ``.rows``: one :class:`~heatcalc.results.Row` per system with the CSV columns as attributes;
        ``.summary``; ``.to_dict()`` (one element of ``compare --format json``); ``.to_frame()`` (pandas).

    Raises
    ------
    ProfileError
        For any bad input, listing every problem with its field (and line, for files).
    """
    from .simulate import compare_many as compare_homes

    return compare_homes([resolve(profile, overrides, override_source)])[0]  # the same path as compare_many


def rate_heat_pump(profile=None, *, points: str | None = None, min_points: str | None = None,
                   tests: str | Path | None = None, compressor: str = "single_stage", cycling_degradation=None,
                   cooling_capacity_btu_per_h: float | None = None, region: str | None = None,
                   rated_points: str | None = None) -> dict:
    """HSPF2 (AHRI 210/240-2023, appendix M1) and HSPF (2017) of one heat pump, from exactly one of: a profile (its
    test set, data-sheet rows, points or default curve), ``points``/``min_points`` text
    (``OUTDOOR_F:COP:CAPACITY_BTU_H,...``), or a test-set file ``tests`` (YAML, as in the profile's
    ``systems.heat_pump.tests``).  Returns the figures, what was rated, the tests heatcalc derived and each bin."""
    from .home import load_rating_tests
    from .model import rating as r
    from .profile import field_spec, rating_points_from_text

    for name, value in (("points", points), ("min_points", min_points), ("rated_points", rated_points)):
        _arg("rate_heat_pump", name, value, str, 'text "OUTDOOR_F:COP:CAPACITY_BTU_H,..."')
    _arg("rate_heat_pump", "tests", tests, (str, Path), "a test-set file's path")
    _arg("rate_heat_pump", "compressor", compressor, str, "single_stage, two_stage or variable_speed", none=False)
    given = [x is not None for x in (profile, points, tests)]
    if sum(given) != 1:
        raise HeatcalcError("give one of: a profile, --points, or --tests")
    if rated_points is not None:
        if points is None:
            raise HeatcalcError("--rated-points go with --points (the maximum speed)")
        profile = _rows_profile(points, min_points, rated_points, compressor)
        points = min_points = None
    cd_spec = field_spec("systems.heat_pump.cycling_degradation")
    if tests is not None:
        ts, assumptions = load_rating_tests(tests)
        note = "the test set given"
    elif profile is not None:
        home = resolve(profile)
        name = _name(profile)
        if home.heat_pump is None:
            raise HeatcalcError(f"{name}: the profile has no heat pump to rate (systems.heat_pump is false)")
        if home.heat_pump.ground is not None:
            raise HeatcalcError(f"{name}: HSPF2 rates air-source heat pumps; this one is ground-source (rated by COP "
                                "at 32 F entering water, ISO 13256-1)")
        assumptions = [a for a in home.assumptions if a.field.startswith("systems.heat_pump")]
        if home.heat_pump_tests is not None:
            ts = home.heat_pump_tests
            note = "the profile's test set" if home.profile.systems.heat_pump.tests else "the profile's data-sheet rows"
        else:
            hp = home.heat_pump
            cooling = home.profile.systems.heat_pump.cooling_capacity or home.heat_pump_nominal_btu_per_h
            ts = r.tests_from_points(r.RatingPoints(*hp.curve, compressor=home.heat_pump_compressor), cooling,
                                     hp.cycling_degradation)
            note = ("the profile's performance points" if home.heat_pump_nominal_btu_per_h is None else
                    "the profile's default curve (calibrated to its HSPF2)")
    else:
        top = rating_points_from_text(points, "--points")
        low = rating_points_from_text(min_points, "--min-points") if min_points else None
        if compressor != "single_stage" and low is None:
            raise HeatcalcError(f"--min-points: a {compressor} unit needs its lowest-speed points too")
        if low is not None and [p[0] for p in low] != [p[0] for p in top]:
            raise HeatcalcError("--min-points: give them at the same outdoor temperatures as --points")
        low = low or top
        pts = r.RatingPoints(tuple(p[0] for p in top), tuple(p[2] for p in top), tuple(p[1] for p in top),
                             tuple(p[2] for p in low), tuple(p[1] for p in low), compressor)
        ts = r.tests_from_points(pts, None, cd_spec.default_for(compressor))
        note, assumptions = "the points given", []
    if cycling_degradation is not None:
        ts = ts._replace(cd_full=cycling_degradation, cd_low=cycling_degradation)
    if cooling_capacity_btu_per_h is not None:
        ts = ts._replace(cooling_capacity_btu_per_h=cooling_capacity_btu_per_h)
    if region is not None:
        ts = ts._replace(region=region)
    if ts.cutout_off_f is None:
        cutout_note = "the compressor runs in every bin; only where its COP would fall below 1 does it stop"
    elif tests is not None or (profile is not None and home.profile.systems.heat_pump.tests is not None):
        cutout_note = "the test set's cutout"
    else:
        given = profile is not None and home.profile.systems.heat_pump.cutoff is not None
        cutout_note = ("the profile's systems.heat_pump.cutoff, taken as the unit's cut-out" if given else
                       "the model's default cutoff (systems.heat_pump.cutoff), taken as the unit's cut-out: give the "
                       "unit's own cut-out temperature as cutoff to rate it as built")
    try:
        result = r.rate_tests(ts)
    except ValueError as exc:
        raise HeatcalcError(str(exc)) from None
    return {"hspf2": result.hspf2, "hspf": result.hspf, "compressor": ts.compressor, "region": ts.region,
            "cycling_degradation": {"full": ts.cd_full, "low": ts.cd_full if ts.cd_low is None else ts.cd_low},
            "defrost_credit": ts.defrost_credit, "cooling_capacity_btu_per_h": ts.cooling_capacity_btu_per_h,
            "cutout_f": None if ts.cutout_off_f is None else {"off": ts.cutout_off_f, "on": ts.cutout_on_f},
            "cutout_source": cutout_note,
            "rated": note,
            "tests": [{"outdoor_f": t.outdoor_f, "stage": t.stage, "capacity_btu_per_h": t.capacity_btu_per_h,
                       "power_w": t.power_w, "derived": t.derived} for t in ts.tests] +
                     [{"outdoor_f": t.outdoor_f, "stage": t.stage, "capacity_btu_per_h": t.capacity_btu_per_h,
                       "power_w": t.power_w, "derived": t.derived} for t in result.derived],
            "assumptions": [{"field": a.field, "value": a.value, "source": a.source} for a in assumptions],
            "bins": result.bins}


def _rows_profile(points: str, min_points: str | None, rated_points: str, compressor: str) -> dict:
    """Points given on the command line as the data-sheet rows of a profile (speed max, min, rated), so that they
    are rated exactly as that profile is."""
    from .profile import rating_points_from_text
    from .units import BTU_PER_KWH

    rows = []
    for speed, text, option in (("max", points, "--points"), ("min", min_points, "--min-points"),
                                ("rated", rated_points, "--rated-points")):
        if text is None:
            continue
        for outdoor, cop, capacity in rating_points_from_text(text, option):
            rows.append({"outdoor": f"{outdoor!r} F", "speed": speed, "capacity": f"{capacity!r} Btu/h",
                         "power": f"{capacity / (cop * BTU_PER_KWH / 1000.0)!r} W"})
    # location and load only make the profile complete: the rating reads the unit alone
    return {"name": "the points given", "location": {"state": "MA"}, "heating_load": {"annual": "60 MMBtu"},
            "systems": {"heat_pump": {"compressor": compressor, "performance": rows}}}


def _compare_chunk(chunk: list, overrides: dict, override_source: str) -> list:
    from .simulate import compare_many as compare_homes

    homes, where, out = [], [], [None] * len(chunk)
    for i, profile in enumerate(chunk):
        try:
            homes.append(resolve(profile, overrides, override_source))
            where.append(i)
        except ProfileError as exc:
            out[i] = exc
        except HeatcalcError as exc:
            out[i] = ProfileError(_name(profile), [Problem("", str(exc))])
        # anything else is a bug, never bad input: it is raised (load_profile refuses what is not a profile)
    for i, comparison in zip(where, compare_homes(homes)):
        out[i] = comparison
    return out


def _name(profile) -> str:
    if isinstance(profile, (str, Path)):
        return str(profile)
    return getattr(profile, "source", None) or "profile"


def compare_many(profiles: Iterable[str | Path | Mapping[str, Any] | Profile], jobs: int = 1,
                 override_source: str = "override", **overrides: Any) -> Iterator[Comparison | ProfileError]:
    """:func:`compare` for many profiles, yielding each one's :class:`Comparison` -- or its
    :class:`ProfileError`, which is yielded, not raised -- in input order.  Homes at the same weather station
    are computed together; ``jobs`` > 1 spreads chunks of profiles over that many processes."""
    import itertools

    _arg("compare_many", "jobs", jobs, numbers.Integral, "a whole number of processes", none=False)
    if isinstance(profiles, (str, Path, Mapping, Profile)):
        raise TypeError("heatcalc.compare_many: profiles must be an iterable of profiles (for one, use compare)")
    try:
        items = iter(profiles)
    except TypeError:
        raise TypeError(f"heatcalc.compare_many: profiles must be an iterable of profiles, not "
                        f"{type(profiles).__name__}") from None
    chunks = iter(lambda: list(itertools.islice(items, 64)), [])  # lists of 64 profiles until none are left
    if jobs <= 1:
        for chunk in chunks:
            yield from _compare_chunk(chunk, overrides, override_source)
        return
    import multiprocessing
    import os
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.submit(_compare_chunk, chunk, overrides, override_source))
            while len(pending) >= 2 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


__all__ = ["Profile", "ProfileError", "compare", "compare_many", "load_profile", "resolve"]


# --- one call per command -------------------------------------------------------------------------------------


class SweepResult(NamedTuple):
    """What ``heatcalc sweep`` computes: every point (its values and Comparison) and the break-evens found."""

    fields: list
    points: list
    breakevens: list

    def rows(self) -> list[dict]:
        """One row per point and system (the varied fields' values, ``cheapest``, the output columns), then one
        per break-even crossing (``system`` "breakeven"): ``sweep --format csv``'s rows."""
        from .render import _sweep_rows

        return _sweep_rows(self.points, self.breakevens, self.fields)

    def to_frame(self):
        """:meth:`rows` as a pandas DataFrame."""
        from .frames import records_frame
        from .results import COLUMNS, typed_frame

        return typed_frame(records_frame(self.rows(), list(self.fields) + ["cheapest"] + list(COLUMNS)))


def size(profile: str | Path | Mapping[str, Any] | Profile, **overrides: Any):
    """``heatcalc size``: the design load, standard sizes by compressor type, the profile's own unit with the
    strips it needs, and rooftop solar to offset the heat pump (:class:`heatcalc.sizing.SizingResult`)."""
    from .sizing import size_home

    return size_home(resolve(profile, overrides))


def sweep(profile: str | Path | Mapping[str, Any] | Profile, *vary: str, **overrides: Any) -> SweepResult:
    """``heatcalc sweep``: the profile at every value of one or two fields, each ``"FIELD=START:STOP:STEP"`` or
    ``"FIELD=A,B,C"`` (``"prices.electricity=0.10:0.40:0.05"``); overrides as for :func:`compare`."""
    from . import sweeps as sw

    if not 1 <= len(vary) <= 2:
        raise HeatcalcError("sweep: vary one field, or two for a grid")
    for v in vary:
        _arg("sweep", "vary", v, str, 'text such as "prices.electricity=0.10:0.40:0.05"', none=False)
    varies = [sw.parse_vary(v) for v in vary]
    if len(varies) == 2 and varies[0].field == varies[1].field:
        raise HeatcalcError("sweep: the two fields must differ")
    fields = {_field(k): v for k, v in _flat_overrides(overrides).items()}
    prices, problems = {}, []
    for name in [f for f in fields if f.startswith(_PRICES)]:
        try:
            prices[name[len(_PRICES):]] = parse_field_value(name, fields.pop(name), "override")
        except ProfileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ProfileError("override", problems)
    spec = load_profile(profile)
    resolve(spec, {**{f"prices.{k}": v for k, v in prices.items()}, **fields})  # sound before it is varied
    data = copy_data(spec.data if spec.data is not None else spec.to_dict())
    for name, value in fields.items():
        set_field(data, name, value)
    points = sw.run_sweep(data, spec.source or "profile", varies, base_dir=spec.base_dir, lines=spec.lines,
                          price_overrides=prices)
    return SweepResult([v.field for v in varies], points, sw.breakevens(points, len(varies[0].values)))


def _in_tons(size):
    """``--size``'s value with its documented default unit: a bare number is tons (3 → '3 ton'), as the option's
    own default '3 ton' reads."""
    from .units import UnitError, split_quantity

    if isinstance(size, bool):
        return size
    try:
        number, unit = split_quantity(size)
    except UnitError:
        return size  # the parser says what is wrong with it
    return f"{number!r} ton" if not unit else size


def installed_costs(size: str | float = "3 ton", state: str | None = None, zones: int | None = None) -> list[dict]:
    """``heatcalc costs``: installed-cost ranges of each kind of equipment at a size (``"3 ton"``, ``"36000 Btu/h"``,
    or a bare number of tons) in a
    state (default: the national average), with their sources, in 2023 dollars: typical (the median), low and high
    (10th and 90th percentiles); ``zones``: indoor units of the ductless systems (default one per 18,000 Btu/h)."""
    from .costs import cost_table
    from .units import split_quantity
    from .weather import stations as st

    _arg("installed_costs", "state", state, str, "a two-letter state code")
    if state is not None and (st.state_info(state) is None or state.upper() == "US"):
        raise HeatcalcError(f"--state: unknown state {state!r}; use a two-letter code such as NY")
    given = _in_tons(size)
    if given != size and split_quantity(size)[0] > 600_000 / 12000.0:
        raise HeatcalcError(f"--size {size}: a bare number is tons (at most 50); for Btu/h write '{size} Btu/h'")
    # the heat pump's capacity field bounds it: below 6,000 Btu/h (half a ton, the smallest unit made) is refused
    btu_per_h = parse_field_value("systems.heat_pump.capacity", given, "command line", label="--size")
    if zones is not None and (isinstance(zones, bool) or not isinstance(zones, int) or not 1 <= zones <= 12):
        raise HeatcalcError(f"--zones: a whole number of indoor units from 1 to 12 (got {zones!r})")
    from .frames import Records

    return Records(r._asdict() for r in cost_table(btu_per_h / 12000.0, state, zones))


def find_incentives(zip: str, income: float | None = None, household_size: int | None = None, owner: bool = True,
                    utility: str | None = None, date: str | None = None,
                    include_unlaunched: bool = False, heat_pump: str | None = None, replaces: str | None = None,
                    home_type: str | None = None) -> "Finding":
    """``heatcalc incentives``: the incentives for heat pumps (and the electrical and weatherization work around
    one) that apply to a household at a ZIP code on a date (default today), from the embedded dated snapshot of
    Rewiring America's data (:class:`heatcalc.incentives.Finding`; ``finding_dict`` gives the JSON).

    The purchase, as far as it is given: ``heat_pump`` (ducted, ductless or ground_source), what it ``replaces``
    (natural_gas, propane, heating_oil, electric_resistance, heat_pump or none) and the ``home_type``
    (single_family, manufactured, multifamily).  Offers that ask for another purchase are left out (``notes`` says
    why); offers that ask for what is not given carry ``condition`` ("also possible if ...")."""
    import datetime as dt

    from .incentives import find

    _arg("find_incentives", "zip", zip, str, 'a ZIP code as text ("02134")', none=False)
    _arg("find_incentives", "income", income, numbers.Real, "a yearly income in dollars (a number)")
    _arg("find_incentives", "household_size", household_size, numbers.Integral, "a whole number of people")
    _arg("find_incentives", "owner", owner, bool, "True or False", none=False)
    _arg("find_incentives", "utility", utility, str, "a utility's name or key")
    _arg("find_incentives", "date", date, (str, dt.date), 'a date ("2026-03-01" or a datetime.date)')
    on = None
    if date is not None:
        try:
            on = dt.date.fromisoformat(str(date))
        except ValueError:
            raise HeatcalcError(f"--date: a date as YYYY-MM-DD, got {date!r}") from None
    _arg("find_incentives", "include_unlaunched", include_unlaunched, bool, "True or False", none=False)
    from .incentives import RELATED_ITEMS, SYSTEM_ITEMS
    from .offer_conditions import HOME_TYPES, REPLACED, Purchase

    # the short names people type, as the profile's fuels and systems read
    aliases = {"gas": "natural_gas", "oil": "heating_oil", "resistance": "electric_resistance",
               "electric": "electric_resistance", "ground": "ground_source", "geothermal": "ground_source",
               "mobile": "manufactured"}
    for name, value, choices in (("heat_pump", heat_pump, tuple(SYSTEM_ITEMS)), ("replaces", replaces, REPLACED),
                                 ("home_type", home_type, HOME_TYPES)):
        _arg("find_incentives", name, value, str, f"one of {', '.join(choices)}")
    heat_pump, replaces, home_type = (None if v is None else aliases.get(v.strip().lower(), v.strip().lower())
                                      for v in (heat_pump, replaces, home_type))
    for name, value, choices in (("heat_pump", heat_pump, tuple(SYSTEM_ITEMS)), ("replaces", replaces, REPLACED),
                                 ("home_type", home_type, HOME_TYPES)):
        if value is not None and value not in choices:
            raise HeatcalcError(f"--{name.replace('_', '-')}: one of {', '.join(choices)}, got {value!r}")
    purchase = Purchase(item=SYSTEM_ITEMS.get(heat_pump), replaces=replaces,
                        home_type=home_type, existing_home=True if replaces not in (None, "none") else None)
    items = None if heat_pump is None else (SYSTEM_ITEMS[heat_pump],) + RELATED_ITEMS  # that heat pump only
    return find(str(zip), income, household_size, owner, utility, on, items=items,
                include_unlaunched=include_unlaunched, purchase=purchase)


def stations(state: str | None = None, near: str | None = None, limit: int = 0) -> list[dict]:
    """``heatcalc stations``: the embedded weather stations, one state's, or nearest a ZIP code first."""
    from .catalog import station_records

    _arg("stations", "state", state, str, "a two-letter state code")
    _arg("stations", "near", near, str, 'a ZIP code as text ("02134")')
    _arg("stations", "limit", limit, numbers.Integral, "a whole number (0: every station)", none=False)
    if limit < 0:
        raise HeatcalcError(f"stations: limit must be 0 (every station) or more, not {limit}")
    from .frames import Records

    return Records(station_records(state=state, near=near, limit=limit)[0])


def prices(state: str | None = None) -> list[dict]:
    """``heatcalc prices``: default prices and grid emission rate of a state (or of every state)."""
    from .catalog import price_records

    _arg("prices", "state", state, str, "a two-letter state code")
    from .frames import Records

    return Records(price_records(state)[0])


def schema() -> dict:
    """``heatcalc schema``: the JSON Schema of a profile."""
    from .profile import json_schema

    return json_schema()


def write_report(profiles, path: str | Path, format: str = "html", chart: str | None = None,
                 override_source: str = "override", **overrides: Any) -> int:
    """``heatcalc report``: the HTML report of one or more profiles, or one chart (``format="svg"`` or ``"png"``
    with ``chart``), written to ``path`` (a file, or ``"-"`` for stdout) as the CLI writes it.  Every profile's
    problems are raised together (:class:`heatcalc.errors.ProfileErrors`); returns the bytes or characters
    written."""
    from .errors import ProfileErrors
    from .fileio import Output

    _arg("write_report", "path", path, (str, Path), 'a file path, or "-" for stdout', none=False)
    if format not in ("html", "svg", "png"):
        raise HeatcalcError(f"format: give html, svg or png, not {format!r}")
    items = [profiles] if isinstance(profiles, (str, Path, Mapping, Profile)) else list(profiles)
    if format == "html" and chart is not None:
        raise HeatcalcError("--chart goes with --format svg or png (one chart); the HTML report has them all")
    if format != "html":
        from .charts import CHARTS

        if chart not in CHARTS:
            raise HeatcalcError(f"--chart: give one of {', '.join(CHARTS)}")
        if len(items) != 1:
            raise HeatcalcError("a single chart is drawn for one profile at a time")
    with Output(path, binary=format == "png") as out:  # a bad path fails here, before any work
        comparisons = list(compare_many(items, override_source=override_source, **overrides))
        errors = [c for c in comparisons if isinstance(c, ProfileError)]
        if errors:
            raise errors[0] if len(errors) == 1 else ProfileErrors(errors)
        from . import report as rp

        if format == "html":
            text = rp.html_report(comparisons)
            out.file.write(text)
            return len(text)
        c = comparisons[0]
        if chart not in rp.chart_names(c):
            raise HeatcalcError(f"--chart {chart}: does not apply to {c.name} (it needs " + {
                "heat_pump_capacity": "an air-source heat pump", "breakeven": "a heat pump, a furnace and one "
                "electricity price (no time-of-use tariff)", "lifetime_cost": "an economics section",
                "monthly_bills": "a URDB tariff, gas blocks or solar", "solar": "a solar section"}.get(chart, "")
                                + ")")
        from .charts import png, svg

        figure = rp.chart(c, chart)
        data = svg(figure, desc=rp.CAPTIONS.get(chart, ""), standalone=True) if format == "svg" else png(figure)
        out.file.write(data)
        return len(data)
