"""Bills and load files that used to give a wrong answer without saying so: summer-only and winter-only bills, zero
bills, gzipped and hour-ending load series, duplicate or two-year series, files that are not load CSVs."""

import datetime as dt
import gzip
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import heatcalc
from heatcalc.errors import HeatcalcError
from heatcalc.loadfile import read_load_series

from .conftest import ROOT

# A known house on Boston Logan's typical year (ZIP 02134), the one test_dated_bills generates bills from by hand:
# fuel in a period = base x days + UA / AFUE x sum over its hours of max(0, balance - T_out) [PRISM's model].
from .test_dated_bills import BALANCE, BASE_THERM_PER_DAY, UA, _therm, day_temps  # noqa: E402,F401 (a fixture)


def _profile(path, rows, extra_bills="", extra_load=""):
    path.write_text('name: dated\nlocation: {zip: "02134"}\nheating_load:\n' + extra_load + "  from_bills:\n"
                    "    fuel: natural_gas\n    efficiency: 0.8\n" + extra_bills + "    periods:\n"
                    + "".join(f"    - {{start: {a}, end: {b}, amount: {q:.4f} therm}}\n" for a, b, q in rows)
                    + "systems:\n  heat_pump: {hspf2: 9}\n")
    return path


def _monthly(first, n):
    reads = [first]
    for i in range(n):
        reads.append(reads[-1] + dt.timedelta(days=30 + i % 3))
    return list(pairwise(reads))


def _problems(exc):
    return "\n".join(f"{p.field}: {p.message}" for p in exc.problems)


def test_summer_only_bills_are_refused_with_the_coverage_and_what_to_give(tmp_path, day_temps):
    # The case: 4 gas bills from late May to September gave UA 81,026 and exit 0.
    rows = [(a, b, _therm(day_temps, a, b)) for a, b in _monthly(dt.date(2024, 5, 25), 4)]
    with pytest.raises(HeatcalcError) as err:
        heatcalc.compare(_profile(tmp_path / "h.yaml", rows))
    text = _problems(err.value)
    assert "heating_load.from_bills.periods" in text
    assert "of a typical year's heating degree-hours" in text and "at least 50 %" in text
    for hint in ("balance_point", "non_heating", "heating_load.annual", "span the winter"):
        assert hint in text


def test_summer_only_bills_exit_2_from_the_cli(tmp_path, day_temps, cli):
    rows = [(a, b, _therm(day_temps, a, b)) for a, b in _monthly(dt.date(2024, 5, 25), 4)]
    r = cli("compare", str(_profile(tmp_path / "h.yaml", rows)))
    assert r.returncode == 2 and r.stdout == ""
    assert "heating_load.from_bills.periods" in r.stderr and "Traceback" not in r.stderr


def test_a_quarter_of_the_season_is_enough_with_balance_point_and_base_given(tmp_path, day_temps):
    # Mid-February to mid-April: under half the season's degree-hours, but with both pinned only the slope is fitted,
    # and the exact bills give back the house's UA (hand formula above).
    rows = [(a, b, _therm(day_temps, a, b)) for a, b in _monthly(dt.date(2024, 2, 15), 2)]
    p = _profile(tmp_path / "h.yaml", rows, extra_bills=f"    non_heating: {BASE_THERM_PER_DAY * 365:.3f} therm/year\n",
                 extra_load=f"  balance_point: {BALANCE} F\n")
    c = heatcalc.compare(p)
    assert 0.25 <= c.home.bills_fit.coverage < 0.5
    assert c.home.ua_btu_per_h_f == pytest.approx(UA, rel=1e-3)


def test_winter_only_bills_warn_and_name_non_heating(tmp_path, day_temps):
    rows = [(a, b, _therm(day_temps, a, b)) for a, b in _monthly(dt.date(2023, 11, 2), 5)]
    c = heatcalc.compare(_profile(tmp_path / "h.yaml", rows))
    assert any("from_bills.non_heating" in w and "counted as heat" in w for w in c.home.warnings)


def test_a_full_year_of_bills_with_summer_gives_no_base_use_warning(tmp_path, day_temps):
    rows = [(a, b, _therm(day_temps, a, b)) for a, b in _monthly(dt.date(2023, 1, 4), 12)]
    c = heatcalc.compare(_profile(tmp_path / "h.yaml", rows))
    assert not any("non_heating" in w for w in c.home.warnings)
    assert c.home.ua_btu_per_h_f == pytest.approx(UA, rel=1e-3)


def test_a_zero_bill_warns_and_says_how_to_merge_an_estimated_read(tmp_path, day_temps):
    spans = _monthly(dt.date(2023, 1, 4), 12)
    rows = [(a, b, 0.0 if i == 2 else _therm(day_temps, a, b)) for i, (a, b) in enumerate(spans)]
    c = heatcalc.compare(_profile(tmp_path / "h.yaml", rows))
    zero = [w for w in c.home.warnings if "is 0 therm" in w]
    assert len(zero) == 1 and str(spans[2][0]) in zero[0] and "merge it with the next actual read" in zero[0]


def test_the_poor_fit_warning_names_the_worst_bills(tmp_path, day_temps):
    spans = _monthly(dt.date(2023, 1, 4), 12)
    rows = [(a, b, _therm(day_temps, a, b) * (3.0 if i == 7 else 1.0)) for i, (a, b) in enumerate(spans)]
    c = heatcalc.compare(_profile(tmp_path / "h.yaml", rows))
    poor = [w for w in c.home.warnings if "fit the weather poorly" in w]
    assert poor and f"worst: {spans[7][0]} to {spans[7][1]}" in poor[0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(0, 364), n=st.integers(2, 12), seed=st.integers(0, 2**31))
def test_bills_over_any_window_are_refused_or_near_the_truth_or_warned(tmp_path, day_temps, start, n, seed):
    # Generated: monthly bills (3 % noise) over a random window of the year. Either the fit is refused (the bills
    # miss too much of the season), or the year's heat is within 20 % of the house's (what a few noisy bills can
    # pin down), or a warning says why not.
    rng = np.random.default_rng(seed)
    spans = _monthly(dt.date(2023, 1, 1) + dt.timedelta(days=start), n)
    rows = [(a, b, _therm(day_temps, a, b) * (1 + rng.normal(0, 0.03))) for a, b in spans]
    truth = UA * np.maximum(0.0, BALANCE - day_temps.ravel()).sum()
    try:
        c = heatcalc.compare(_profile(tmp_path / "h.yaml", rows))
    except HeatcalcError as exc:
        assert any("from_bills" in p.field for p in exc.problems)
        return
    err = c.home.heat_load_btu_per_h().sum() / truth - 1.0
    assert c.home.ua_btu_per_h_f <= 20_000
    assert abs(err) < 0.20 or c.home.warnings, (err, c.home.warnings)
    assert abs(err) < 0.6


# --- load series ----------------------------------------------------------------------------------------------

DENVER = ROOT / "profiles" / "denver-gas.yaml"


@pytest.fixture(scope="module")
def denver_load():
    return heatcalc.compare(DENVER).home.heat_load_btu_per_h()


def _stamped(path, load, shift_h=0, year=2023, extra=()):
    t0 = dt.datetime(year, 1, 1)
    lines = ["time,q"] + [f"{(t0 + dt.timedelta(hours=h + shift_h)).isoformat()},{float(v)!r}" for h, v in enumerate(load)]
    lines += list(extra)
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_gzipped_load_file_is_read(tmp_path, denver_load):
    plain = _stamped(tmp_path / "load.csv", denver_load)
    gz = tmp_path / "load.csv.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    np.testing.assert_array_equal(read_load_series(gz, "q", "Btu/h").btu_per_h, denver_load)


def test_a_gzip_bomb_is_refused_by_its_decompressed_size(tmp_path):
    gz = tmp_path / "big.csv.gz"
    gz.write_bytes(gzip.compress(b"time,q\n" + b"0" * (201 * 1024 * 1024)))
    with pytest.raises(HeatcalcError, match="decompresses to more than"):
        read_load_series(gz, "q", "Btu/h")


def test_hour_ending_stamps_are_moved_back_one_step(tmp_path, denver_load):
    # ResStock labels the first hour of the year 01:00 (its end): with time_convention ending the series lands on
    # the same hours as the hour-beginning file.
    ending = _stamped(tmp_path / "end.csv", denver_load, shift_h=1)
    s = read_load_series(ending, "q", "Btu/h", time_convention="ending")
    np.testing.assert_array_equal(s.btu_per_h, denver_load)
    late = read_load_series(ending, "q", "Btu/h")  # read as beginning: one hour late
    np.testing.assert_array_equal(late.btu_per_h, np.roll(denver_load, 1))


def test_time_convention_in_a_profile(tmp_path, denver_load):
    _stamped(tmp_path / "end.csv", denver_load, shift_h=1)
    p = tmp_path / "h.yaml"
    p.write_text('location: {zip: "80205"}\nheating_load:\n  hourly: {file: end.csv, column: q, unit: Btu/h, '
                 'time_convention: ending}\nsystems:\n  heat_pump: {hspf2: 9.5}\n')
    np.testing.assert_array_equal(heatcalc.compare(p).home.heat_load_btu_per_h(), denver_load)


def test_duplicate_timestamps_are_refused(tmp_path, denver_load):
    f = _stamped(tmp_path / "dup.csv", denver_load, extra=["2023-03-01T05:00,1000"])
    with pytest.raises(HeatcalcError, match="fall on the same time of the year"):
        read_load_series(f, "q", "Btu/h")


def test_two_years_of_rows_are_refused_not_summed(tmp_path, denver_load):
    # The case: a 48 MMBtu series given twice (2023 and 2024) was read as 96 MMBtu.
    t0 = dt.datetime(2023, 1, 1)
    rows = [f"{(t0 + dt.timedelta(hours=h)).isoformat()},{float(v)!r}" for h, v in enumerate(denver_load)]
    rows += [f"{(t0 + dt.timedelta(hours=h)).replace(year=2024).isoformat()},{float(v)!r}" for h, v in enumerate(denver_load)]
    f = tmp_path / "two.csv"
    f.write_text("time,q\n" + "\n".join(rows) + "\n")
    with pytest.raises(HeatcalcError, match="more than a year"):
        read_load_series(f, "q", "Btu/h")


def test_utc_stamps_that_cross_new_year_still_read(tmp_path, denver_load):
    # UTC stamps of 2023 moved to Denver's UTC-7 begin on 31 December 2022: one year, not two.
    t0 = dt.datetime(2023, 1, 1, 7)
    f = tmp_path / "utc.csv"
    f.write_text("time,q\n" + "\n".join(f"{(t0 + dt.timedelta(hours=h)).isoformat()}+00:00,{float(v)!r}"
                                        for h, v in enumerate(denver_load)) + "\n")
    np.testing.assert_array_equal(read_load_series(f, "q", "Btu/h", utc_offset_h=-7).btu_per_h, denver_load)


@pytest.mark.parametrize("content", [
    b"HOME=/root\x00SECRET_TOKEN=abc123\x00PATH=/usr/bin\x00",
    b"SECRET_TOKEN=abc123,other=1\n1,2\n",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR secret",
])
def test_a_file_that_is_not_a_load_csv_is_never_echoed(tmp_path, content):
    f = tmp_path / "environ"
    f.write_bytes(content)
    with pytest.raises(HeatcalcError) as err:
        read_load_series(f, "q", "Btu/h")
    assert "secret" not in str(err.value).lower() and "not a CSV header" in str(err.value)


def test_a_long_bad_cell_is_not_echoed_whole(tmp_path):
    f = tmp_path / "load.csv"
    f.write_text("time,q\n2023-01-01T00:00," + "x" * 500 + "\n")
    with pytest.raises(HeatcalcError) as err:
        read_load_series(f, "q", "Btu/h")
    assert "x" * 30 not in str(err.value)


def test_a_constant_load_is_refused_not_crashed(tmp_path, cli):
    # 1 kW every hour does not follow the weather: its fitted line reaches zero hundreds of degrees away
    f = tmp_path / "flat.csv"
    f.write_text("q\n" + "1\n" * 8760)
    p = tmp_path / "h.yaml"
    p.write_text("location: {zip: '02134'}\nheating_load:\n  hourly: {file: flat.csv, column: q, unit: kW}\n")
    r = cli("compare", p)
    assert r.returncode == 2 and "hardly follows the outdoor temperature" in r.stderr


def test_winter_bills_alone_count_other_use_as_heat_not_a_low_balance_point(tmp_path, day_temps):
    # Four winter bills (Nov 6 to Mar 8; 3 % noise, seed 483): with base use fitted free they gave a 41 F balance
    # point and 61 % too little heat (hypothesis found it). Without a bill in a season without heating, base use is
    # taken as 0 and counted as heat, as the warning says: the year's heat comes out high by about the base use
    # (0.6 therm/day here), not low by more than half.
    rng = np.random.default_rng(483)
    spans = _monthly(dt.date(2023, 1, 1) + dt.timedelta(days=309), 4)
    rows = [(a, b, _therm(day_temps, a, b) * (1 + rng.normal(0, 0.03))) for a, b in spans]
    c = heatcalc.compare(_profile(tmp_path / "h.yaml", rows))
    truth = UA * np.maximum(0.0, BALANCE - day_temps.ravel()).sum()
    err = c.home.heat_load_btu_per_h().sum() / truth - 1.0
    assert 0.0 < err < 0.4
    assert c.home.bills_fit.fit.base_btu_per_day == 0.0
    assert any("no bill falls in a season without heating" in w and "counted as heat" in w for w in c.home.warnings)
