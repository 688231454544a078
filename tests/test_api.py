"""The public Python API: heatcalc.compare, compare_many, load_profile, ProfileError -- and the one declaration of
the profile that the validator, the JSON Schema, the docs, batch columns and --explain all read."""

import io
import json

import pytest
from typer.testing import CliRunner

import heatcalc
from heatcalc import render
from heatcalc.cli import app
from heatcalc.profile import SCHEMA, Leaf, Profile, Section, field_spec, json_schema
from heatcalc.results import COLUMNS, Row

from .conftest import PROFILES, ROOT

BOSTON = ROOT / "profiles" / "boston-gas.yaml"
MAPPING = {"name": "a mapping", "location": {"zip": "02134"}, "heating_load": {"annual": "60 MMBtu"}}


def test_compare_takes_a_path_a_mapping_or_a_profile_and_they_agree():
    by_path = heatcalc.compare(BOSTON)
    by_str = heatcalc.compare(str(BOSTON))
    profile = heatcalc.load_profile(BOSTON)
    by_profile = heatcalc.compare(profile)
    assert by_path.rows == by_str.rows == by_profile.rows
    mapped = heatcalc.compare(MAPPING)
    assert mapped.name == "a mapping" and [r.system for r in mapped.rows] == ["heat_pump", "furnace",
                                                                             "electric_resistance"]


def test_rows_carry_the_csv_columns_as_attributes():
    c = heatcalc.compare(BOSTON)
    assert Row._fields == COLUMNS
    out = io.StringIO()
    render.write_csv([c], out)
    header = out.getvalue().splitlines()[0].split(",")
    assert tuple(header) == COLUMNS
    furnace = next(r for r in c.rows if r.system == "furnace")
    # 780 therm of bills at 80 % less 15 therm/month of water heating: (780 - 180) x 0.8 = 480 therm of heat =
    # 48 MMBtu; a furnace of AFUE 0.80 (the bills' own) burns 480 / 0.8 = 600 therm (README's example).
    assert furnace.heat_delivered_mmbtu == pytest.approx(48.0)
    assert furnace.fuel_use == pytest.approx(600.0)
    assert furnace.to_dict()["annual_cost_usd"] == furnace.annual_cost_usd


def test_to_dict_is_one_element_of_compare_json():
    r = CliRunner().invoke(app, ["compare", str(BOSTON), "-f", "json"])
    assert r.exit_code == 0, r.stderr
    from_cli = json.loads(r.stdout)[0]
    from_api = json.loads(json.dumps(render._clean(heatcalc.compare(BOSTON).to_dict()), default=float))
    assert from_api == from_cli


def test_to_frame_when_pandas_is_installed():
    pd = pytest.importorskip("pandas", reason="pandas is optional; the test extra installs it")
    frame = heatcalc.compare(BOSTON).to_frame()
    assert list(frame.columns) == list(COLUMNS) and len(frame) == 3
    assert frame.set_index("system").loc["furnace", "fuel_use"] == pytest.approx(600.0)
    assert isinstance(frame, pd.DataFrame)


def test_overrides_by_dotted_name_or_double_underscore():
    base = heatcalc.compare(BOSTON)
    cheaper = heatcalc.compare(BOSTON, **{"prices.electricity": "0.22 $/kWh"})
    hp, hp2 = base.result("heat_pump"), cheaper.result("heat_pump")
    # Cost is linear in the price: the same kWh at 0.22 instead of MA's 2023 average.
    pe = base.home.prices["electricity"].value
    assert hp2.annual_cost_usd == pytest.approx(hp.energy.electricity_kwh * 0.22)
    assert hp.annual_cost_usd == pytest.approx(hp.energy.electricity_kwh * pe)
    assert cheaper.home.prices["electricity"].source == "override"
    better = heatcalc.compare(BOSTON, systems__heat_pump__hspf2=10)
    assert better.result("heat_pump").energy.electricity_kwh < hp.energy.electricity_kwh
    assert "HSPF2 10 " in {a.field: a.value for a in better.home.assumptions}["systems.heat_pump.performance"]


def test_bad_input_raises_profile_error_with_field_message_and_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text('location: {zip: "02134"}\nheating_load: {annual: -5 MMBtu}\nsystms: {}\n')
    with pytest.raises(heatcalc.ProfileError) as info:
        heatcalc.compare(path)
    problems = {p.field: p for p in info.value.problems}
    assert problems["heating_load.annual"].line == 2 and "must be above 0" in problems["heating_load.annual"].message
    assert problems["systms"].line == 3 and "did you mean 'systems'" in problems["systms"].message
    for bad in (tmp_path / "missing.yaml", {"location": {"zip": "99999"}, "heating_load": {"annual": 60}},
                ["not", "a", "mapping"], 42, {"location": "nowhere"}):
        with pytest.raises(heatcalc.ProfileError) as info:
            heatcalc.compare(bad)
        assert info.value.problems and all(isinstance(p.message, str) for p in info.value.problems)
    with pytest.raises(heatcalc.ProfileError) as info:
        heatcalc.compare(BOSTON, **{"prices.electricity": "9 $/kWh"})
    assert info.value.problems[0].field == "prices.electricity"
    with pytest.raises(heatcalc.ProfileError) as info:
        heatcalc.compare(BOSTON, systems__heat_pump__hspf22=9)
    assert "did you mean 'hspf2'" in info.value.problems[0].message


@pytest.mark.parametrize("jobs", [1, 2])
def test_compare_many_yields_results_or_errors_in_input_order(jobs):
    bad = {"location": {"zip": "99999"}, "heating_load": {"annual": 60}}
    inputs = list(PROFILES) + [bad, MAPPING] * 40
    results = list(heatcalc.compare_many(inputs, jobs=jobs))
    assert len(results) == len(inputs)
    for given, got in zip(inputs, results):
        if given is bad:
            assert isinstance(got, heatcalc.ProfileError)
            assert got.problems[0].field == "location.zip"
        else:
            alone = heatcalc.compare(given)
            assert isinstance(got, heatcalc.Comparison) and got.name == alone.name
            for a, b in zip(got.rows, alone.rows):
                assert a.annual_cost_usd == pytest.approx(b.annual_cost_usd, rel=1e-9)


def test_load_profile_gives_typed_immutable_attributes():
    p = heatcalc.load_profile(BOSTON)
    assert isinstance(p, Profile)
    assert p.location.zip == "02134"
    assert p.heating_load.from_bills.fuel == "natural_gas"
    assert p.heating_load.from_bills.amount == pytest.approx(780 * 1e5)  # internal unit: Btu
    assert p.systems.furnace.afue == 0.8
    assert p.systems.electric_resistance.efficiency is None  # not given: the declared default applies later
    assert p.cooling_load is None and p.economics is None
    with pytest.raises(AttributeError):
        p.location.zip = "10001"
    assert p.replace(name="x").name == "x" and p.name != "x"
    off = heatcalc.load_profile({**MAPPING, "systems": {"furnace": False}})
    assert off.systems.furnace is None and off.systems.heat_pump is not None


# --- one declaration: nothing can drift -----------------------------------------------------------------------

def _leaves(section: Section, prefix=""):
    for key, spec in section.fields.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(spec, Section):
            yield from _leaves(spec, path)
        else:
            yield path, spec


def _schema_node(schema: dict, path: str) -> dict:
    node = schema
    for part in path.split("."):
        node = node.get("anyOf", [node])[0] if "properties" not in node else node
        node = node["properties"][part]
    return node


def test_json_schema_docs_validator_and_classes_come_from_one_declaration():
    schema = json_schema()
    docs = (ROOT / "docs" / "profile.md").read_text()
    for path, spec in _leaves(SCHEMA):
        node = _schema_node(schema, path)
        assert spec.doc in node["description"], path
        assert f"| `{path}` |" in docs, path
        if spec.default_text():
            assert spec.default_text() in docs and spec.default_text() in node["description"], path
        # the typed class holds the same field
        record = field_spec(path.rsplit(".", 1)[0]).record if "." in path else Profile
        assert path.rsplit(".", 1)[-1] in record._fields, path


def test_every_table_column_and_vary_field_is_a_declared_field(tmp_path):
    from heatcalc import batch
    from heatcalc import sweeps as sweep

    names = [p for p, _ in _leaves(SCHEMA)]
    assert batch.check_table_header(["home"] + names, "t.csv") == ["home"] + names
    numeric = [p for p, s in _leaves(SCHEMA) if s.kind in ("number", "quantity")]
    for path in numeric:
        assert sweep._leaf(path) is field_spec(path)


@pytest.mark.parametrize("path, key", [
    ("heating_load.balance_point", None), ("systems.heat_pump.hspf2", None), ("systems.furnace.blower", None),
    ("systems.heat_pump.compressor", "air_source"), ("systems.heat_pump.cutoff", "air_source"),
    ("systems.heat_pump.cycling_degradation", "variable_speed"),
])
def test_explain_reports_the_declared_default_and_its_source(path, key):
    c = heatcalc.compare(MAPPING)
    assumed = {a.field: a for a in c.home.assumptions}
    spec: Leaf = field_spec(path)
    assert assumed[path].value == spec.show(spec.default_for(key))
    assert assumed[path].source == spec.source


def test_defaults_follow_the_type_for_ground_source():
    c = heatcalc.compare({**MAPPING, "systems": {"heat_pump": {"type": "ground_source"}}})
    assumed = {a.field: a.value for a in c.home.assumptions}
    assert assumed["systems.heat_pump.compressor"] == "single_stage"
    assert assumed["systems.heat_pump.cutoff"] == "none"
    assert c.home.heat_pump_compressor == "single_stage"
