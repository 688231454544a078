"""Ways to describe a heat pump (issue 10): an AHRI test set in a profile or a file, hspf, 5 F capacity retention,
a field factor, and nothing derived left unsaid."""

import json

import pytest
from typer.testing import CliRunner

import heatcalc
from heatcalc.cli import app

from .conftest import ROOT

runner = CliRunner()
HOME = {"location": {"zip": "02134"}, "heating_load": {"annual": "60 MMBtu"}}
TESTS = {
    "compressor": "two_stage", "region": "IV", "cooling_capacity": "30000 Btu/h",
    "cycling_degradation": {"full": 0.22, "low": 0.18}, "defrost_credit": 1.03,
    "tests": [
        {"outdoor": "62 F", "stage": "low", "capacity": "22000 Btu/h", "power": "1450 W"},
        {"outdoor": "47 F", "stage": "full", "capacity": "25000 Btu/h", "power": "1800 W"},
        {"outdoor": "47 F", "stage": "low", "capacity": "18000 Btu/h", "power": "1350 W"},
        {"outdoor": "35 F", "stage": "full", "capacity": "21500 Btu/h", "power": "1900 W"},
        {"outdoor": "35 F", "stage": "low", "capacity": "14500 Btu/h", "power": "1450 W"},
        {"outdoor": "17 F", "stage": "full", "capacity": "19500 Btu/h", "power": "2.1 kW"},
        {"outdoor": "17 F", "stage": "low", "capacity": "10500 Btu/h", "power": "1600 W"},
    ],
}


def _with_hp(**hp):
    return {**HOME, "systems": {"heat_pump": hp}}


def test_a_profiles_test_set_is_rated_as_the_calculator_and_drives_the_hourly_model(tmp_path):
    c = heatcalc.compare(_with_hp(tests=TESTS))
    curve = c.home.heat_pump.curve
    # the hourly model's curve: each stage at 17, 35 and 47 F as tested; COP = Q / (P × 3.412)
    assert curve.temp_f == (17.0, 35.0, 47.0)
    assert curve.capacity_max_btu_per_h == (19500.0, 21500.0, 25000.0)
    assert curve.cop_min[2] == pytest.approx(18000.0 / (1350.0 * 3.41214163))
    assert c.home.heat_pump.cycling_degradation == 0.18  # the low stage's, where it cycles
    # rating the profile gives the AHRI calculator's HSPF2 (tests/validation/test_hspf2.py)
    from heatcalc.api import rate_heat_pump

    assert rate_heat_pump(_with_hp(tests=TESTS))["hspf2"] == pytest.approx(8.56889212463095, rel=1e-9)
    # the same block as a file for `heatcalc rating --tests`
    path = tmp_path / "unit.yaml"
    path.write_text(json.dumps(TESTS))
    out = runner.invoke(app, ["rating", "--tests", str(path), "-f", "json"])
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)[0]
    assert data["hspf2"] == pytest.approx(8.56889212463095, rel=1e-9) and data["region"] == "IV"
    assert data["cycling_degradation"] == {"full": 0.22, "low": 0.18} and data["defrost_credit"] == 1.03
    assert [t for t in data["tests"] if t["derived"]] == []
    region_v = json.loads(runner.invoke(app, ["rating", "--tests", str(path), "--region", "V", "-f", "json"]).stdout)
    assert region_v[0]["region"] == "V" and region_v[0]["hspf2"] != data["hspf2"]


def test_a_missing_35_f_test_is_derived_and_listed(tmp_path):
    tests = {**TESTS, "tests": [t for t in TESTS["tests"] if t["outdoor"] != "35 F"]}
    c = heatcalc.compare(_with_hp(tests=tests))
    derived = [a for a in c.home.assumptions if a.field == "systems.heat_pump.tests"]
    assert len(derived) == 2 and all("frost-zone default" in a.source and "(derived)" in a.value for a in derived)
    # 0.90 × [19,500 + 0.6 × (25,000 − 19,500)] = 20,520 Btu/h at the full stage
    assert any("full stage at 35 F: 20,520 Btu/h" in a.value for a in derived)
    doc = c.to_dict()
    assert any(a["field"] == "systems.heat_pump.tests" for a in doc["assumptions"])


@pytest.mark.parametrize("tests, field, message", [
    ({"tests": [{"outdoor": "47 F", "stage": "full", "capacity": "25000 Btu/h", "power": "1800 W"}]},
     "tests.tests", "needs full-stage tests at 47 F and 17 F"),
    ({"tests": [{"outdoor": "47 F", "stage": "ful", "capacity": 1, "power": 1}]}, "tests.tests[0].stage",
     "did you mean 'full'"),
    ({"tests": [{"outdoor": "47 F", "stage": "full", "capacity": "25000 Btu/h"}]}, "tests.tests[0].power",
     "is required"),
    ({"cycling_degradation": {"full": 0.7}, "tests": TESTS["tests"]}, "tests.cycling_degradation.full",
     "must be between 0 and 0.5"),
])
def test_bad_test_sets_name_the_field(tests, field, message):
    with pytest.raises(heatcalc.ProfileError) as info:
        heatcalc.compare(_with_hp(compressor="two_stage", tests=tests))
    text = "; ".join(f"{p.field}: {p.message}" for p in info.value.problems)
    assert f"systems.heat_pump.{field}" in text and message in text


def test_rating_tests_file_errors_name_file_field_and_line(tmp_path):
    path = tmp_path / "unit.yaml"
    path.write_text("compressor: two_stage\nregion: VII\ntests:\n  - {outdoor: 47 F, stage: full, capacity: 1}\n")
    out = runner.invoke(app, ["rating", "--tests", str(path)])
    assert out.exit_code == 2 and out.stdout == ""
    assert f"{path}:2: region: must be one of I, II, III, IV, V, VI (got 'VII')" in out.stderr
    assert f"{path}:4: tests[0].power: is required" in out.stderr
    missing = runner.invoke(app, ["rating", "--tests", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    both = runner.invoke(app, ["rating", "--tests", str(path), "--points", "47:3:30000,17:2:20000"])
    assert both.exit_code == 2 and "give one of" in both.stderr


def test_hspf_is_converted_to_hspf2():
    c = heatcalc.compare(_with_hp(hspf=10.0))
    assumed = {a.field: a for a in c.home.assumptions}
    assert assumed["systems.heat_pump.hspf2"].value == "8.5"  # 10 × 0.85, ducted
    ductless = heatcalc.compare(_with_hp(hspf=10.0, distribution="ductless"))
    assert {a.field: a.value for a in ductless.home.assumptions}["systems.heat_pump.hspf2"] == "9"


def test_capacity_5f_sets_the_default_curves_retention():
    share = heatcalc.compare(_with_hp(capacity="3 ton", capacity_5f=0.7)).home.heat_pump.curve
    assert share.capacity_max(5.0) == pytest.approx(0.7 * share.capacity_max(47.0))
    # 17 F on the straight line between: 1 − 0.3 × 30/42 of the 47 F capacity
    assert share.capacity_max(17.0) == pytest.approx((1 - 0.3 * 30 / 42) * share.capacity_max(47.0))
    absolute = heatcalc.compare(_with_hp(capacity="36000 Btu/h", capacity_5f="25200 Btu/h")).home.heat_pump.curve
    assert absolute.capacity_max(5.0) == pytest.approx(share.capacity_max(5.0))
    with pytest.raises(heatcalc.ProfileError) as info:
        heatcalc.compare(_with_hp(capacity_5f="25200 Btu/h"))
    assert info.value.problems[0].field == "systems.heat_pump.capacity_5f"


def test_field_factor_scales_cop_and_electricity():
    base = heatcalc.compare(_with_hp(capacity="6 ton", cutoff="-40 F"))
    field = heatcalc.compare(_with_hp(capacity="6 ton", cutoff="-40 F", field_factor=0.9))
    hp0, hp1 = base.result("heat_pump").energy, field.result("heat_pump").energy
    # without backup, every kWh of the compressor is 1/0.9 as many
    assert hp0.backup_fraction == 0 and hp1.electricity_kwh == pytest.approx(hp0.electricity_kwh / 0.9, rel=1e-6)
    assert {a.field: a.value for a in base.home.assumptions}["systems.heat_pump.field_factor"] == "1"


def test_derived_minimum_speed_is_listed_for_the_minneapolis_example():
    c = heatcalc.compare(ROOT / "profiles" / "minneapolis-propane.yaml")
    derived = {a.field: a for a in c.home.assumptions}["systems.heat_pump.performance[min]"]
    assert derived.value.startswith("derived: ") and "held beyond 5 F and 47 F" in derived.source
    assert "-13 F" in derived.value


def test_json_inputs_list_every_derived_point():
    c = heatcalc.compare(ROOT / "profiles" / "minneapolis-propane.yaml")
    derived = c.to_dict()["inputs"]["systems"]["heat_pump"]["derived"]
    fields = {d["field"] for d in derived}
    assert {"systems.heat_pump.performance[min]", "systems.heat_pump.performance[beyond]"} <= fields
    assert all(d["rule"] for d in derived)
    frost = heatcalc.compare(_with_hp(tests={**TESTS, "tests": [t for t in TESTS["tests"] if t["outdoor"] != "35 F"]}))
    assert sum(d["field"] == "systems.heat_pump.tests" for d in
               frost.to_dict()["inputs"]["systems"]["heat_pump"]["derived"]) == 2
