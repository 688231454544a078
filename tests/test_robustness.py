"""Generated inputs (hypothesis): whatever a profile, a field or a homes table holds, heatcalc gives a result or a
ProfileError listing problems with their field -- never another exception -- and its results keep their invariants.
"""

import csv
import io
import json
import math

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from heatcalc import batch as b
from heatcalc import render
from heatcalc.errors import Problem, ProfileError
from heatcalc.home import build_home
from heatcalc.profile import (
    POINT_FIELDS, PERIOD_FIELDS, SCHEMA, Leaf, Section, copy_data, parse_profile_text, read_yaml, set_field,
    validate,
)
from heatcalc.simulate import compare_home, monthly_rows

from .conftest import PROFILES

SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
BASES = [read_yaml(p.read_text(), str(p))[0] for p in PROFILES]


def _paths(section: Section, prefix: str = ""):
    for key, spec in section.fields.items():
        path = f"{prefix}.{key}" if prefix else key
        yield path, spec
        if isinstance(spec, Section):
            yield from _paths(spec, path)


FIELDS = list(_paths(SCHEMA))
FIELD_PATHS = [p for p, _ in FIELDS]
LEAF_PATHS = [p for p, spec in FIELDS if isinstance(spec, Leaf)]
KEYS = sorted({p.rsplit(".", 1)[-1] for p in FIELD_PATHS} | set(POINT_FIELDS) | set(PERIOD_FIELDS))

# What people (and mistakes) put in fields: numbers of every size, text with and without units, markup, escapes.
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=16),
    st.sampled_from([
        "02134", "02134-1234", "2134", "MA", "US", "XX", "725090", "natural_gas", "natural_gaz", "electricity",
        "propane", "heating_oil", "furnace", "variable_speed", "single_stage", "ground_source", "60 F", "-5 F",
        "-40 C", "780 therm", "36000 Btu/h", "3 ton", "0 Btu/h", "1e308 Btu/h", "1e308", "-1e308", "inf", "nan",
        "0", "-1", "0.28 $/kWh", "18 c/kWh", "15 therm/month", "22-6", "11-3", "6-9", "16-21", "5-5", "1 Btu/h/F",
        "1e9 Btu/h/F", "1e-9 MMBtu", "x [/]", "[red]x", "\x1b[31m", "true", "false", "{}", "[]",
    ]),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=3),
    st.dictionaries(st.sampled_from(KEYS), SCALARS, max_size=4),
    st.lists(st.dictionaries(st.sampled_from(KEYS), SCALARS, max_size=5), max_size=4),
)


def _plausible(spec):
    """Values a careful user might write in this field: in its bounds, or one of its choices."""
    if isinstance(spec, Section):
        return st.just(False) if spec.can_be_false else st.just({})
    if spec.kind == "enum":
        return st.sampled_from(spec.choices)
    if spec.kind in ("number", "quantity") and spec.maximum is not None:
        low = spec.minimum if spec.minimum is not None else (spec.above or 0.0)
        scale = 1.0
        kind = spec.unit if not callable(spec.unit) else None
        if kind is not None and not callable(kind.table[kind.default]):
            scale = kind.table[kind.default]
        return st.floats(low / scale, spec.maximum / scale).filter(lambda x: x > low / scale or spec.above is None)
    return SCALARS


PLAUSIBLE = {path: _plausible(spec) for path, spec in FIELDS}


def _outcome_or_problems(data, source="gen.yaml"):
    """Run a profile's data end to end; return the Comparison, or None when it was refused with problems."""
    try:
        comparison = compare_home(build_home(validate(data, source)))
    except ProfileError as exc:
        assert exc.problems, "a ProfileError lists at least one problem"
        for p in exc.problems:
            assert isinstance(p, Problem) and isinstance(p.field, str) and p.message
        return None
    return comparison


def _check_invariants(comparison):
    rows = comparison.row_dicts()
    assert rows, "a comparison that ran has at least one system"
    for row in rows:
        for key, value in row.items():
            if isinstance(value, float) and key not in ("peak_outdoor_f", "balance_point_f", "npv_vs_current_usd",
                                                         "npv_vs_current_low_usd", "npv_vs_current_high_usd",
                                                         "simple_payback_years", "simple_payback_years_low",
                                                         "simple_payback_years_high", "lifetime_cost_usd"):
                assert math.isfinite(value) and value >= 0, (key, value)
            elif isinstance(value, float):
                assert math.isfinite(value), (key, value)


@st.composite
def _edit(draw):
    path = draw(st.sampled_from(FIELD_PATHS))
    return path, draw(st.one_of(PLAUSIBLE[path], VALUES))


@settings(max_examples=600, **SETTINGS)
@given(base=st.sampled_from(range(len(BASES))), edits=st.lists(_edit(), min_size=1, max_size=3))
def test_any_value_in_any_field_gives_a_result_or_field_problems(base, edits):
    data = copy_data(BASES[base])
    for path, value in edits:
        set_field(data, path, value)
    comparison = _outcome_or_problems(data)
    event("ran" if comparison is not None else "refused")
    if comparison is not None:
        _check_invariants(comparison)


def _tree(depth):
    leaves = SCALARS
    if depth == 0:
        return leaves
    return st.one_of(leaves, st.lists(_tree(depth - 1), max_size=3),
                     st.dictionaries(st.sampled_from(KEYS + ["bogus", "<<"]), _tree(depth - 1), max_size=5))


@settings(max_examples=200, **SETTINGS)
@given(tree=_tree(4))
def test_any_yaml_tree_gives_a_result_or_problems(tree):
    text = yaml.safe_dump(tree, allow_unicode=True)
    try:
        spec = parse_profile_text(text.encode("utf-8"), "tree.yaml")
    except ProfileError as exc:
        assert exc.problems
        return
    try:
        _check_invariants(compare_home(build_home(spec)))
    except ProfileError as exc:
        assert exc.problems


@settings(max_examples=200, **SETTINGS)
@given(raw=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda t: t.encode("utf-8", "replace"))))
def test_any_bytes_as_a_profile_give_problems_not_exceptions(raw):
    try:
        parse_profile_text(raw, "bytes.yaml")
    except ProfileError as exc:
        assert exc.problems


CELLS = st.one_of(st.sampled_from(["", "02134", "60", "60 MMBtu", "0.9", "false", "true", "natural_gas", "MA",
                                   "8.5", "[1, 2]", "{a: 1}", "[", "x,y", '"', "\ufeff", "1e308", "-5"]),
                  st.text(max_size=8))


@settings(max_examples=150, **SETTINGS)
@given(columns=st.lists(st.sampled_from(LEAF_PATHS + ["home", "systems.furnace", "heating_load", "nope.x", ""]),
                        min_size=1, max_size=5),
       rows=st.lists(st.lists(CELLS, min_size=0, max_size=6), max_size=6),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]))
def test_any_homes_table_gives_one_outcome_per_home_or_a_header_error(columns, rows, encoding):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding, errors="replace")
    try:
        items = list(b.table_inputs(io.BytesIO(data), "gen.csv", {}))
    except ProfileError as exc:  # the header itself: unknown, repeated, nested or unnamed columns
        assert exc.problems and all(p.line == 1 for p in exc.problems)
        return
    outcomes = b.process_block(items)
    assert len(outcomes) == len(items)  # rows out + failures = homes in
    for item, outcome in zip(items, outcomes):
        assert outcome.home == item.home
        assert (outcome.rows is None) != (outcome.problems is None)
        if outcome.problems is not None:
            assert not any("internal error" in p.message for p in outcome.problems), outcome.problems


@settings(max_examples=100, **SETTINGS)
@given(raw=st.binary(max_size=300))
def test_any_bytes_as_a_homes_table_give_outcomes_or_a_header_error(raw):
    try:
        items = list(b.table_inputs(io.BytesIO(raw), "bytes.csv", {}))
    except ProfileError as exc:
        assert exc.problems
        return
    assert len(b.process_block(items)) == len(items)


# --- the model's invariants, through whole profiles ---------------------------------------------------------------

HOMES = st.fixed_dictionaries({
    "location": st.fixed_dictionaries({"zip": st.sampled_from(["02134", "55401", "30301", "98101", "80202",
                                                                "99701", "77001", "05401"])}),
    "heating_load": st.fixed_dictionaries({"annual": st.integers(10, 150).map(lambda x: f"{x} MMBtu")}),
    "systems": st.fixed_dictionaries({
        "heat_pump": st.fixed_dictionaries({"hspf2": st.floats(7.5, 10.5).map(lambda x: round(x, 2)),
                                            "compressor": st.sampled_from(["single_stage", "two_stage",
                                                                           "variable_speed"]),
                                            "backup": st.sampled_from(["electric_resistance", "furnace"])}),
        "furnace": st.fixed_dictionaries({"fuel": st.sampled_from(["natural_gas", "propane", "heating_oil"]),
                                          "afue": st.floats(0.78, 0.98).map(lambda x: round(x, 3))}),
    }),
    "prices": st.fixed_dictionaries({"electricity": st.floats(0.08, 0.45).map(lambda x: round(x, 3)),
                                     "natural_gas": st.floats(0.8, 3.0).map(lambda x: round(x, 3)),
                                     "propane": st.floats(1.5, 4.5).map(lambda x: round(x, 3)),
                                     "heating_oil": st.floats(2.5, 5.5).map(lambda x: round(x, 3))}),
})


def _run(data):
    return compare_home(build_home(validate(data, "home.yaml")))


@settings(max_examples=25, **SETTINGS)
@given(home=HOMES)
def test_monthly_sums_equal_the_year(home):
    c = _run(home)
    months = monthly_rows(c)
    for row in c.row_dicts():
        mine = [m for m in months if m["system"] == row["system"]]
        assert len(mine) == 12
        for year_key, month_key in (("electricity_kwh", "electricity_kwh"), ("fuel_use", "fuel_use"),
                                    ("annual_cost_usd", "cost_usd"), ("co2_kg", "co2_kg"),
                                    ("heat_delivered_mmbtu", "heat_delivered_mmbtu")):
            assert sum(m[month_key] for m in mine) == pytest.approx(row[year_key], rel=1e-9, abs=1e-9)


@settings(max_examples=25, **SETTINGS)
@given(home=HOMES, factor=st.floats(1.1, 3.0))
def test_cost_is_linear_in_each_price(home, factor):
    # annual cost = kWh x electricity price + fuel x fuel price, so raising one price by a factor adds exactly
    # (factor - 1) x that energy x that price, and nothing else moves (dual fuel's switchover is pinned here, since
    # by default it follows the prices).
    home["systems"]["heat_pump"]["switchover"] = "20 F"
    base = {r["system"]: r for r in _run(home).row_dicts()}
    for key in ("electricity", "natural_gas", "propane", "heating_oil"):
        more = copy_data(home)
        more["prices"][key] = round(home["prices"][key] * factor, 6)
        price_gap = more["prices"][key] - home["prices"][key]
        for r in _run(more).row_dicts():
            was = base[r["system"]]
            used = was["electricity_kwh"] if key == "electricity" else (
                was["fuel_use"] if was["fuel"] == key else 0.0)
            assert r["annual_cost_usd"] == pytest.approx(was["annual_cost_usd"] + used * price_gap, rel=1e-9)


@settings(max_examples=25, **SETTINGS)
@given(home=HOMES, h1=st.floats(7.5, 10.5), h2=st.floats(7.5, 10.5))
def test_a_better_rated_heat_pump_of_the_same_size_never_costs_more(home, h1, h2):
    lo, hi = sorted((round(h1, 2), round(h2, 2)))
    home["systems"]["heat_pump"].update(capacity="3 ton", backup="electric_resistance")
    costs = []
    for hspf2 in (lo, hi):
        data = copy_data(home)
        data["systems"]["heat_pump"]["hspf2"] = hspf2
        costs.append(_run(data).result("heat_pump").annual_cost_usd)
    assert costs[1] <= costs[0] + 1e-9


@settings(max_examples=15, **SETTINGS)
@given(home=HOMES)
def test_csv_json_and_library_numbers_agree(home):
    c = _run(home)
    out = io.StringIO()
    render.write_csv([c], out)
    csv_rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    out = io.StringIO()
    render.write_json([c], out)
    json_rows = json.loads(out.getvalue())[0]["rows"]
    for lib, from_csv, from_json in zip(c.row_dicts(), csv_rows, json_rows):
        for key, value in lib.items():
            if isinstance(value, float):
                assert float(from_csv[key]) == value and from_json[key] == value, key
            elif isinstance(value, str):
                assert from_csv[key] == value and from_json[key] == value, key


def test_every_number_that_reaches_the_model_has_finite_bounds():
    # The declaration itself guarantees finiteness: each numeric field has a lower and an upper bound, so no value
    # that passes validation can overflow the model (1e308 Btu/h, 1e308 Btu/h/F ...).
    leaves = [(p, spec) for p, spec in FIELDS if isinstance(spec, Leaf)]
    leaves += [(f"performance.{k}", spec) for k, spec in POINT_FIELDS.items()]
    leaves += [(f"tariff.electricity.{k}", spec) for k, spec in PERIOD_FIELDS.items()]
    for path, spec in leaves:
        if spec.kind in ("number", "quantity", "per_time"):
            low = spec.minimum if spec.minimum is not None else spec.above
            assert low is not None and spec.maximum is not None, path
            assert math.isfinite(low) and math.isfinite(spec.maximum) and low < spec.maximum, path
