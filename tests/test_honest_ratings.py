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
