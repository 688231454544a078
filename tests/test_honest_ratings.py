"""Rating inputs that used to be accepted with exit 0 though no unit could give them, and the CSV that left out the
rating itself."""

import csv
import io

import pytest
from hypothesis import given, settings, strategies as st

from heatcalc.errors import HeatcalcError
from heatcalc.home import load_rating_tests

from .conftest import ROOT

GOOD = """compressor: two_stage
tests:
  - {outdoor: 47 F, stage: full, capacity: 25000 Btu/h, power: 2100 W}
  - {outdoor: 17 F, stage: full, capacity: 15000 Btu/h, power: 2000 W}
  - {outdoor: 47 F, stage: low, capacity: 13000 Btu/h, power: 1000 W}
  - {outdoor: 17 F, stage: low, capacity: 9000 Btu/h, power: 1100 W}
"""


def _problems(path):
    with pytest.raises(HeatcalcError) as err:
        load_rating_tests(path)
    return "\n".join(err.value.lines())


def test_a_good_test_set_loads(tmp_path):
    f = tmp_path / "unit.yaml"
    f.write_text(GOOD)
    ts, _ = load_rating_tests(f)
    assert len(ts.tests) == 4


def test_25000_btu_per_h_from_3_w_is_refused(tmp_path):
    # The case: HSPF2 57 from a COP of 25,000 / (3 x 3.412) = 2,442.
    f = tmp_path / "unit.yaml"
    f.write_text(GOOD.replace("power: 2100 W", "power: 3 W"))
    text = _problems(f)
    assert "tests[0].power" in text and "COP of 2,442.3" in text and "W or kW" in text


def test_a_low_stage_above_the_full_stage_is_refused(tmp_path):
    f = tmp_path / "unit.yaml"
    f.write_text(GOOD.replace("capacity: 13000 Btu/h, power: 1000 W", "capacity: 30000 Btu/h, power: 2500 W"))
    assert "tests[2].capacity" in _problems(f)


def test_a_restart_below_the_cut_out_is_refused(tmp_path):
    f = tmp_path / "unit.yaml"
    f.write_text(GOOD + "cutout: {off: 0 F, on: -5 F}\n")
    assert "cutout.on" in _problems(f)


def test_a_cop_below_1_names_the_power(tmp_path):
    f = tmp_path / "unit.yaml"
    f.write_text(GOOD.replace("capacity: 15000 Btu/h, power: 2000 W", "capacity: 5000 Btu/h, power: 2000 W"))
    text = _problems(f)
    assert "tests[1].power" in text and "below resistance heat's 1" in text


@settings(max_examples=60, deadline=None)
@given(cap=st.floats(1000, 100_000), power=st.floats(1, 20_000), low_share=st.floats(0.2, 1.5))
def test_generated_test_sets_are_refused_or_physical(tmp_path_factory, cap, power, low_share):
    # Any test set heatcalc accepts has every test's COP between 1 and 10 and no low stage above the full one.
    f = tmp_path_factory.mktemp("u") / "unit.yaml"
    f.write_text(f"compressor: two_stage\ntests:\n"
                 f"  - {{outdoor: 47 F, stage: full, capacity: {cap} Btu/h, power: {power} W}}\n"
                 f"  - {{outdoor: 17 F, stage: full, capacity: {cap * 0.6} Btu/h, power: {power * 0.95} W}}\n"
                 f"  - {{outdoor: 47 F, stage: low, capacity: {cap * low_share} Btu/h, power: {power * 0.5} W}}\n"
                 f"  - {{outdoor: 17 F, stage: low, capacity: {cap * 0.6 * min(low_share, 1)} Btu/h, "
                 f"power: {power * 0.5} W}}\n")
    try:
        ts, _ = load_rating_tests(f)
    except HeatcalcError:
        return
    for t in ts.tests:
        assert 1.0 <= t.capacity_btu_per_h / (t.power_w * 3.41214163) <= 10.0
    assert low_share <= 1.0001


def test_rating_csv_carries_the_rating(cli):
    r = cli("rating", ROOT / "profiles" / "boston-gas.yaml", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert r.returncode == 0 and rows
    js = cli("rating", ROOT / "profiles" / "boston-gas.yaml", "--format", "json").stdout
    import json

    data = json.loads(js)[0]
    assert float(rows[0]["hspf2"]) == pytest.approx(data["hspf2"]) and rows[0]["region"] == data["region"]
    assert float(rows[0]["hspf"]) == pytest.approx(data["hspf"])


VS = """compressor: variable_speed
tests:
  - {outdoor: 47 F, stage: full, capacity: 36000 Btu/h, power: 3000 W}
  - {outdoor: 17 F, stage: full, capacity: 26000 Btu/h, power: 3100 W}
  - {outdoor: 5 F, stage: full, capacity: 21000 Btu/h, power: 2900 W}
  - {outdoor: 47 F, stage: low, capacity: 12000 Btu/h, power: 700 W}
  - {outdoor: 17 F, stage: low, capacity: 8000 Btu/h, power: 800 W}
"""


def test_a_variable_speed_unit_without_its_intermediate_test_is_rated_openly(tmp_path, cli):
    # Appendix M1 needs the H2V (35 F intermediate) test; without it heatcalc's rule is shown with its effect, the
    # HSPF2 bounded by the two speeds' own COPs.
    import json

    f = tmp_path / "vs.yaml"
    f.write_text(VS)
    data = json.loads(cli("rating", "--tests", f, "--format", "json").stdout)[0]
    mid = [t for t in data["tests"] if t["stage"] == "intermediate"]
    assert len(mid) == 1 and "appendix M1 requires" in mid[0]["derived"]
    import re

    low, high = (float(x) for x in re.findall(r"it would be ([\d.]+), at the minimum's ([\d.]+)", mid[0]["derived"])[0])
    assert low < data["hspf2"] < high
    # a variable-speed unit's minimum speed runs on its 17-47 F line: no "derived low 35 F" is shown
    assert not any(t["stage"] == "low" and t["outdoor_f"] == 35.0 for t in data["tests"])
    f.write_text(VS + "  - {outdoor: 35 F, stage: intermediate, capacity: 20000 Btu/h, power: 1600 W}\n")
    given = json.loads(cli("rating", "--tests", f, "--format", "json").stdout)[0]
    assert not any(t["derived"] and t["stage"] == "intermediate" for t in given["tests"])


def test_tests_made_from_data_sheet_rows_are_marked_derived(cli):
    import json

    data = json.loads(cli("rating", ROOT / "profiles" / "portland-real-unit-ductless.yaml", "--format",
                          "json").stdout)[0]
    assert all(t["derived"] for t in data["tests"])  # none of them is an AHRI test the profile gave
    assert any("rated-speed rows" in t["derived"] for t in data["tests"] if t["stage"] == "intermediate")


def test_the_cut_out_used_is_stated(cli):
    out = cli("rating", ROOT / "profiles" / "portland-real-unit-ductless.yaml", "--region", "V").stdout
    assert "Cut-out: off -13 F" in out and "systems.heat_pump.cutoff" in out
    out = cli("rating", "--points", "47:3.8:36000,17:2.5:24000,5:1.9:19000").stdout
    assert "Cut-out: none" in out


def test_rated_points_rate_as_the_profile_with_those_rows(tmp_path, cli):
    import json

    f = tmp_path / "rows.yaml"
    f.write_text("location: {state: MA}\nheating_load: {annual: 60 MMBtu}\nsystems:\n  heat_pump:\n"
                 "    compressor: variable_speed\n    performance:\n"
                 "      - {outdoor: 47 F, speed: max, capacity: 36000 Btu/h, cop: 3.2}\n"
                 "      - {outdoor: 17 F, speed: max, capacity: 26000 Btu/h, cop: 2.4}\n"
                 "      - {outdoor: 5 F, speed: max, capacity: 21000 Btu/h, cop: 2.0}\n"
                 "      - {outdoor: 47 F, speed: min, capacity: 10000 Btu/h, cop: 4.5}\n"
                 "      - {outdoor: 17 F, speed: min, capacity: 7000 Btu/h, cop: 3.0}\n"
                 "      - {outdoor: 47 F, speed: rated, capacity: 30000 Btu/h, cop: 3.6}\n"
                 "      - {outdoor: 17 F, speed: rated, capacity: 20000 Btu/h, cop: 2.6}\n")
    by_profile = json.loads(cli("rating", f, "--format", "json").stdout)[0]
    by_points = json.loads(cli("rating", "--compressor", "variable_speed", "--points",
                               "47:3.2:36000,17:2.4:26000,5:2.0:21000", "--min-points", "47:4.5:10000,17:3.0:7000",
                               "--rated-points", "47:3.6:30000,17:2.6:20000", "--format", "json").stdout)[0]
    assert by_points["hspf2"] == pytest.approx(by_profile["hspf2"], rel=1e-12)
    assert by_points["hspf"] == pytest.approx(by_profile["hspf"], rel=1e-12)


def test_a_minimum_speed_cop_below_1_says_to_give_power(tmp_path, cli):
    f = tmp_path / "h.yaml"
    f.write_text("location: {state: MA}\nheating_load: {annual: 60 MMBtu}\nsystems:\n  heat_pump:\n    performance:\n"
                 "      - {outdoor: 47 F, cop: 3, capacity: 30000 Btu/h, min_cop: 0.8, min_capacity: 9000 Btu/h}\n"
                 "      - {outdoor: 17 F, cop: 2, capacity: 20000 Btu/h, min_cop: 2, min_capacity: 6000 Btu/h}\n")
    r = cli("compare", f)
    assert r.returncode == 2 and "performance[0].min_cop" in r.stderr and "{outdoor, speed, capacity, power}" in r.stderr


@settings(max_examples=40, deadline=None)
@given(q47=st.floats(12_000, 60_000), cop47=st.floats(2.5, 5.0), r17=st.floats(0.5, 0.9), cop17=st.floats(1.5, 3.0),
       low=st.floats(0.25, 0.6), region=st.sampled_from(["I", "II", "III", "IV", "V", "VI"]),
       compressor=st.sampled_from(["single_stage", "two_stage", "variable_speed"]))
def test_random_test_sets_rate_the_same_by_both_routes(tmp_path_factory, q47, cop47, r17, cop17, low, region,
                                                       compressor):
    # A test set rated on its own (`rating --tests`) and inside a profile (systems.heat_pump.tests) is one unit:
    # the two routes must give the same HSPF2 and HSPF.
    import yaml

    from heatcalc.api import rate_heat_pump

    def w(q, cop):
        return q / (cop * 3.41214163)

    tests = [{"outdoor": "47 F", "stage": "full", "capacity": f"{q47} Btu/h", "power": f"{w(q47, cop47)} W"},
             {"outdoor": "17 F", "stage": "full", "capacity": f"{q47 * r17} Btu/h",
              "power": f"{w(q47 * r17, cop17)} W"}]
    if compressor != "single_stage":
        tests += [{"outdoor": "47 F", "stage": "low", "capacity": f"{q47 * low} Btu/h",
                   "power": f"{w(q47 * low, cop47 * 1.1)} W"},
                  {"outdoor": "17 F", "stage": "low", "capacity": f"{q47 * low * r17} Btu/h",
                   "power": f"{w(q47 * low * r17, cop17 * 1.1)} W"}]
    block = {"compressor": compressor, "region": region, "tests": tests}
    folder = tmp_path_factory.mktemp("r")
    (folder / "unit.yaml").write_text(yaml.safe_dump(block))
    alone = rate_heat_pump(tests=folder / "unit.yaml")
    profile = {"location": {"state": "MA"}, "heating_load": {"annual": "60 MMBtu"},
               "systems": {"heat_pump": {"compressor": compressor, "tests": block}}}
    inside = rate_heat_pump(profile)
    assert inside["hspf2"] == pytest.approx(alone["hspf2"], rel=1e-12)
    assert inside["hspf"] == pytest.approx(alone["hspf"], rel=1e-12)
    assert 1.0 < alone["hspf2"] < 25.0
