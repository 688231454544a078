"""heating_load.hourly / cooling_load.hourly: a load series from another tool, read, placed on the year's hours,
simulated as given, and refused with a clear message when the file is wrong."""

import subprocess
import sys
from datetime import datetime, timedelta

import numpy as np
import pytest

import heatcalc
from heatcalc.errors import HeatcalcError
from heatcalc.loadfile import fit_ua, read_load_series
from heatcalc.units import BTU_PER_KWH

from .conftest import ROOT

DENVER = ROOT / "profiles" / "denver-gas.yaml"  # ua 520 Btu/h/F, balance point 58 F, ZIP 80205
SYSTEMS = """systems:
  heat_pump: {hspf2: 9.5, compressor: variable_speed, capacity: 3 ton}
  furnace: {fuel: natural_gas, afue: 0.95}
"""
COMPARED = ("electricity_kwh", "fuel_use", "annual_cost_usd", "co2_kg", "backup_hours", "peak_electric_kw",
            "seasonal_efficiency", "heat_delivered_mmbtu")


@pytest.fixture(scope="module")
def reference():
    return heatcalc.compare(DENVER)


def _write_csv(path, header, rows):
    path.write_text(header + "\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n")


def _profile(tmp_path, hourly: str, extra: str = "") -> str:
    p = tmp_path / "home.yaml"
    p.write_text(f"name: Denver split-level\nlocation: {{zip: \"80205\"}}\nheating_load:\n  hourly: {hourly}\n"
                 f"{extra}{SYSTEMS}")
    return p


def _same_results(a, b, rel=1e-9):
    for ra, rb in zip(a.rows, b.rows):
        assert ra.system == rb.system
        for f in COMPARED:
            assert getattr(ra, f) == pytest.approx(getattr(rb, f), rel=rel, abs=1e-9), (ra.system, f)


def _stamps(year=2023, step_min=60):
    start = datetime(year, 1, 1)
    days = 366 if year % 4 == 0 else 365
    n = days * 24 * 60 // step_min
    return [(start + timedelta(minutes=step_min * i)).isoformat() for i in range(n)]


def test_own_load_as_a_series_reproduces_the_results(tmp_path, reference):
    load = reference.home.heat_load_btu_per_h()
    _write_csv(tmp_path / "load.csv", "Time,heat_btu_h", zip(_stamps(), map(repr, map(float, load))))
    c = heatcalc.compare(_profile(tmp_path, "{file: load.csv, column: heat_btu_h, unit: Btu/h}"))
    _same_results(c, reference)
    # the fit for sizing returns the profile's own UA and balance point: load is exactly linear below 58 F
    assert c.home.ua_btu_per_h_f == pytest.approx(520.0, rel=1e-9)
    assert c.home.balance_point_f == pytest.approx(58.0, rel=1e-9)
    assert c.home.heat_pump_nominal_btu_per_h == reference.home.heat_pump_nominal_btu_per_h
    assert c.home.load_method == "hourly"
    assert c.to_dict()["inputs"]["heating_load"]["hourly_peak_btu_per_h"] == pytest.approx(float(load.max()))


def test_kw_by_row_order_is_the_same_series(tmp_path, reference):
    kw = reference.home.heat_load_btu_per_h() / BTU_PER_KWH  # 1 kW = 3,412.14 Btu/h (NIST SP 811)
    _write_csv(tmp_path / "load.csv", "heat_out_kw", ([repr(float(v))] for v in kw))
    c = heatcalc.compare(_profile(tmp_path, "{file: load.csv, column: heat_out_kw, unit: kW}"))
    _same_results(c, reference)


@pytest.mark.parametrize("unit,scale", [("kW", 1.0), ("kWh", 0.25)])
def test_fifteen_minute_steps_fold_to_hours(tmp_path, reference, unit, scale):
    # a rate is the mean of an hour's four steps; an amount per step (kWh in 15 minutes = kW / 4) is their sum
    kw = reference.home.heat_load_btu_per_h() / BTU_PER_KWH
    steps = np.repeat(kw, 4) * scale
    _write_csv(tmp_path / "load.csv", "Time,q", zip(_stamps(step_min=15), map(repr, map(float, steps))))
    c = heatcalc.compare(_profile(tmp_path, f"{{file: load.csv, column: q, unit: {unit}}}"))
    _same_results(c, reference)
    s = read_load_series(tmp_path / "load.csv", "q", unit)
    assert s.steps_per_hour == 4 and s.rows == 8760 * 4 and s.aligned_by == "Time"


def test_uneven_steps_within_an_hour_are_summed_as_amounts(tmp_path):
    # 2023-01-01 00:00 has one 60-minute row, every other hour two 30-minute rows: each hour sums to 1 kWh
    rows = [("2023-01-01T00:00", 1.0)]
    for t in _stamps()[1:]:
        rows += [(t, 0.5), (t[:-5] + "30:00", 0.5)]
    _write_csv(tmp_path / "load.csv", "timestamp,kwh", rows)
    s = read_load_series(tmp_path / "load.csv", "kwh", "kWh")
    assert s.btu_per_h == pytest.approx(np.full(8760, BTU_PER_KWH))


@pytest.mark.parametrize("with_time", [True, False])
def test_leap_year_drops_29_february(tmp_path, reference, with_time):
    load = reference.home.heat_load_btu_per_h()
    leap = np.concatenate([load[:59 * 24], np.full(24, 1e6), load[59 * 24:]])  # 29 Feb holds a marker load
    values = [repr(float(v)) for v in leap]
    if with_time:
        _write_csv(tmp_path / "load.csv", "Time,q", zip(_stamps(2024), values))
    else:
        _write_csv(tmp_path / "load.csv", "q", ([v] for v in values))
    s = read_load_series(tmp_path / "load.csv", "q", "Btu/h")
    assert s.leap_day_dropped and s.rows == 8784
    np.testing.assert_array_equal(s.btu_per_h, load)


def test_utc_timestamps_move_to_local_standard_time(tmp_path):
    # a load of 1 kW only in the hour 07:00-08:00 UTC on 2 January is 00:00-01:00 there in Denver (UTC-7)
    stamps = [(datetime(2023, 1, 1, 7) + timedelta(hours=i)).isoformat() + "+00:00" for i in range(8760)]
    values = [1.0 if s.startswith("2023-01-02T07:00") else 0.0 for s in stamps]
    _write_csv(tmp_path / "load.csv", "Time,q", zip(stamps, values))
    s = read_load_series(tmp_path / "load.csv", "q", "kW", utc_offset_h=-7.0)
    assert np.flatnonzero(s.btu_per_h).tolist() == [24]


def test_fit_recovers_ua_and_balance_point_from_a_noisy_series():
    # a synthetic house (UA 400 Btu/h/F, 62 F) with ±3 % noise: the fit is within 1 %
    rng = np.random.default_rng(7)
    temp = np.linspace(-10, 90, 8760)
    load = 400.0 * np.maximum(0.0, 62.0 - temp) * (1 + rng.normal(0, 0.03, temp.size))
    ua, bp, r2 = fit_ua(load, temp)
    assert ua == pytest.approx(400.0, rel=0.01) and bp == pytest.approx(62.0, abs=0.3) and r2 > 0.95
    ua_c, bp_c, _ = fit_ua(300.0 * np.maximum(0.0, temp - 70.0), temp, heating=False)
    assert ua_c == pytest.approx(300.0) and bp_c == pytest.approx(70.0)


def test_cooling_series_reproduces_the_cooling_results(tmp_path):
    base = ("name: cooled\nlocation: {zip: \"80205\"}\nheating_load: {ua: 520 Btu/h/F, balance_point: 58 F}\n"
            + SYSTEMS + "  air_conditioner: {seer2: 14}\n")
    (tmp_path / "a.yaml").write_text(base + "cooling_load: {ua: 450 Btu/h/F, balance_point: 66 F}\n")
    ref = heatcalc.compare(tmp_path / "a.yaml")
    temp = ref.home.temp_f
    q = 450.0 * np.maximum(0.0, temp - 66.0)
    _write_csv(tmp_path / "cool.csv", "q", ([repr(float(v))] for v in q))
    (tmp_path / "b.yaml").write_text(base + "cooling_load:\n  hourly: {file: cool.csv, column: q, unit: Btu/h}\n")
    c = heatcalc.compare(tmp_path / "b.yaml")
    assert c.home.cooling.ua_btu_per_h_f == pytest.approx(450.0) and c.home.cooling.balance_point_f == \
        pytest.approx(66.0)
    for ra, rb in zip(c.rows, ref.rows):
        assert ra.cooling_electricity_kwh == pytest.approx(rb.cooling_electricity_kwh, rel=1e-9)
        assert ra.cooling_electricity_kwh > 0


BAD = [
    ("Time,heat\n", "other", "kW", "has no column 'other'; its columns are 'Time', 'heat'"),
    ("q\n" + "1\n" * 100, "q", "kW", "has 100 rows; without a time column"),
    ("q\n" + "1\n" * 50 + "nan\n", "q", "kW", "load.csv:52: q is 'nan'"),
    ("q\n" + "1\n" * 5 + "\n-2\n", "q", "kW", "load.csv:8: q is negative (-2)"),
    ("q\n1\nabc\n", "q", "kW", "load.csv:3: q is not a number ('abc')"),
    ("Time,q\n2023-01-01T00:00,1\nyesterday,1\n", "q", "kW", "Time is not an ISO date and time ('yesterday')"),
    ("Time,q\n2023-01-01T00:00,1\n", "q", "kW", "leaves 8,759 hour(s) of the year without a row, the first at"),
    ("q\n1\n", "q", "furlongs", "unknown unit 'furlongs'"),
    ("", "q", "kW", "is empty"),
]


@pytest.mark.parametrize("text,column,unit,message", BAD)
def test_bad_files_give_one_clear_message(tmp_path, text, column, unit, message):
    (tmp_path / "load.csv").write_text(text)
    profile = _profile(tmp_path, f"{{file: load.csv, column: {column}, unit: {unit}}}")
    with pytest.raises(HeatcalcError) as err:
        heatcalc.compare(profile)
    assert message in str(err.value)
    assert "heating_load.hourly" in str(err.value) and "home.yaml" in str(err.value)


def test_missing_file_and_balance_point_on_the_command_line(tmp_path):
    profile = _profile(tmp_path, "{file: nowhere.csv, column: q, unit: kW}", extra="  balance_point: 60 F\n")
    run = subprocess.run([sys.executable, "-m", "heatcalc", "compare", str(profile)], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 2 and run.stdout == "" and "Traceback" not in run.stderr
    assert "nowhere.csv: no such file" in run.stderr
    assert "heating_load.balance_point: is fitted to the hourly series" in run.stderr


def test_a_series_that_does_not_grow_with_cold_is_refused(tmp_path):
    # a cooling-shaped column given as heating: more load as it warms
    ref = heatcalc.compare(DENVER)
    q = np.maximum(0.0, ref.home.temp_f - 60.0)
    _write_csv(tmp_path / "load.csv", "q", ([repr(float(v))] for v in q))
    with pytest.raises(HeatcalcError, match="does not grow as the air gets colder"):
        heatcalc.compare(_profile(tmp_path, "{file: load.csv, column: q, unit: kW}"))
