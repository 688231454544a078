"""Dated bills and deliveries: UA, balance point and base use fitted to the weather of the bills' dates."""

import datetime as dt
from itertools import pairwise
import subprocess
import sys

import numpy as np
import pytest

import heatcalc
from heatcalc.errors import HeatcalcError
from heatcalc.model.load import fit_bills

from .conftest import ROOT

# Bills are generated here by hand from a known house on Boston Logan's typical year (ZIP 02134):
# fuel in a period = base × days + UA / AFUE × Σ_hours max(0, T_balance − T_out).
UA, BALANCE, AFUE, BASE_THERM_PER_DAY = 450.0, 57.0, 0.8, 0.6


@pytest.fixture(scope="module")
def day_temps():
    return heatcalc.compare(ROOT / "profiles" / "boston-gas.yaml").home.temp_f.reshape(365, 24)


def _therm(day_temps, start, end, ua=UA, bp=BALANCE, base=BASE_THERM_PER_DAY):
    total, d = 0.0, start
    while d < end:
        t = day_temps[dt.date(2023, d.month, min(d.day, 28) if d.month == 2 else d.day).timetuple().tm_yday - 1]
        total += base + ua * np.maximum(0.0, bp - t).sum() / AFUE / 1e5
        d += dt.timedelta(days=1)
    return total


def _reads(first=dt.date(2023, 1, 4), last=dt.date(2024, 1, 4)):
    """Meter reads 29 to 33 days apart, as a utility's are."""
    reads, d, i = [first], first, 0
    while d < last:
        d = min(d + dt.timedelta(days=29 + i % 5), last)
        reads.append(d)
        i += 1
    return reads


def _profile(tmp_path, lines, extra=""):
    p = tmp_path / "home.yaml"
    p.write_text('name: dated\nlocation: {zip: "02134"}\nheating_load:\n' + extra + "  from_bills:\n"
                 "    fuel: natural_gas\n    efficiency: 0.8\n" + "".join(lines))
    return p


def _periods(rows):
    return ["    periods:\n"] + [f"    - {{start: {a}, end: {b}, amount: {q:.4f} therm}}\n" for a, b, q in rows]


def test_bills_from_a_known_house_are_fitted_back_within_2_percent(tmp_path, day_temps):
    rng = np.random.default_rng(3)
    reads = _reads()
    rows = [(a, b, _therm(day_temps, a, b) * (1 + rng.normal(0, 0.03))) for a, b in pairwise(reads)]
    c = heatcalc.compare(_profile(tmp_path, _periods(rows)))
    h = c.home
    assert h.ua_btu_per_h_f == pytest.approx(UA, rel=0.02)
    assert h.balance_point_f == pytest.approx(BALANCE, abs=1.0)
    fit = h.bills_fit.fit
    assert fit.base_btu_per_day / 1e5 == pytest.approx(BASE_THERM_PER_DAY, rel=0.25)
    assert fit.r2 > 0.99 and fit.periods == 12 and not h.bills_fit.dropped and not h.warnings
    # annual heat follows: UA × degree-hours below the fitted balance point, within 2 % of the house's
    true = UA * np.maximum(0.0, BALANCE - day_temps).sum() / 1e6
    assert c.rows[0].heat_delivered_mmbtu == pytest.approx(true, rel=0.02)
    out = c.to_dict()["inputs"]["heating_load"]["bills_fit"]
    assert out["kind"] == "periods" and len(out["used"]) == 12 and out["unit"] == "therm"


def test_exact_bills_give_the_exact_house(day_temps):
    reads = _reads()
    counts = np.zeros((len(reads) - 1, 365))
    for i, (a, b) in enumerate(pairwise(reads)):
        for k in range((b - a).days):
            d = a + dt.timedelta(days=k)
            counts[i, dt.date(2023, d.month, d.day).timetuple().tm_yday - 1] += 1
    fuel = np.array([_therm(day_temps, a, b) for a, b in pairwise(reads)]) * 1e5
    fit = fit_bills(counts, fuel, day_temps)
    assert fit.slope_btu_per_f_h * AFUE == pytest.approx(UA, rel=1e-3)
    assert fit.balance_point_f == pytest.approx(BALANCE, abs=0.051)
    assert fit.base_btu_per_day == pytest.approx(BASE_THERM_PER_DAY * 1e5, rel=0.01)
    assert fit.cv_rmse < 0.002


def test_given_balance_point_and_non_heating_are_held(tmp_path, day_temps):
    reads = _reads()
    rows = [(a, b, _therm(day_temps, a, b)) for a, b in pairwise(reads)]
    p = _profile(tmp_path, _periods(rows) + ["    non_heating: 0.6 therm/month\n"], extra="  balance_point: 60 F\n")
    h = heatcalc.compare(p).home
    assert h.balance_point_f == 60.0
    assert h.bills_fit.fit.base_btu_per_day == pytest.approx(0.6 * 12 / 365 * 1e5)


def test_deliveries_refill_what_was_burned(tmp_path, day_temps):
    # oil delivered every ~2 months; each delivery is what was burned since the one before
    dates = [dt.date(2023, 1, 10) + dt.timedelta(days=61 * i) for i in range(7)]
    lines = ["    deliveries:\n", f"    - {{date: {dates[0]}, amount: 150 gal}}\n"]
    for a, b in pairwise(dates):
        gal = _therm(day_temps, a, b) * 1e5 / 138_700  # heating oil 138,700 Btu/gal (EIA)
        lines.append(f"    - {{date: {b}, amount: {gal:.3f} gal}}\n")
    text = "".join(lines).replace("natural_gas", "heating_oil")
    p = tmp_path / "oil.yaml"
    p.write_text('name: oil\nlocation: {zip: "02134"}\nheating_load:\n  from_bills:\n    fuel: heating_oil\n'
                 "    efficiency: 0.8\n" + text)
    h = heatcalc.compare(p).home
    assert h.bills_fit.kind == "deliveries" and h.bills_fit.fit.periods == 6
    assert h.ua_btu_per_h_f == pytest.approx(UA, rel=0.02)


def test_winter_only_bills_warn_and_long_periods_are_dropped(tmp_path, day_temps):
    reads = [dt.date(2023, 1, 4), dt.date(2023, 2, 3), dt.date(2023, 3, 5), dt.date(2023, 4, 4)]
    rows = [(a, b, _therm(day_temps, a, b)) for a, b in pairwise(reads)]
    rows.append((dt.date(2023, 4, 4), dt.date(2023, 9, 1), _therm(day_temps, dt.date(2023, 4, 4),
                                                                  dt.date(2023, 9, 1))))
    p = _profile(tmp_path, _periods(rows), extra="  balance_point: 57 F\n")
    h = heatcalc.compare(p).home
    assert [str(d[0]) for d in h.bills_fit.dropped] == ["2023-04-04"]
    assert any("heating degree-hours" in w for w in h.warnings)
    assert any("left out of the fit (150 days" in w for w in h.warnings)
    run = subprocess.run([sys.executable, "-m", "heatcalc", "compare", str(p), "--format", "csv"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "Warning:" in run.stderr and "Warning" not in run.stdout


def test_noisy_bills_warn_of_a_poor_fit(tmp_path, day_temps):
    rng = np.random.default_rng(1)
    reads = _reads()
    rows = [(a, b, _therm(day_temps, a, b) * rng.uniform(0.4, 1.6)) for a, b in pairwise(reads)]
    h = heatcalc.compare(_profile(tmp_path, _periods(rows))).home
    assert any("fit the weather poorly" in w for w in h.warnings)


@pytest.mark.parametrize("lines,message", [
    (["    periods:\n    - {start: 2023-02-01, end: 2023-01-01, amount: 90 therm}\n"],
     "periods[0].end: 2023-01-01 is not after the start 2023-02-01"),
    (["    periods:\n    - {start: 2023-01-01, end: 2023-02-10, amount: 90 therm}\n",
      "    - {start: 2023-02-01, end: 2023-03-01, amount: 90 therm}\n"], "overlaps the one from 2023-01-01"),
    (["    periods:\n    - {start: Jan 3, end: 2023-02-01, amount: 90 therm}\n"],
     "periods[0].start: must be a date written 2024-01-03"),
    (["    periods:\n    - {start: 2023-01-01, end: 2023-02-01}\n"], "periods[0].amount: is required"),
    (["    periods:\n    - {start: 2023-01-01, end: 2023-02-01, amount: 90 gal}\n"], "periods[0].amount"),
    (["    periods:\n    - {start: 2023-01-01, end: 2023-02-01, amount: 90 therm}\n"],
     "1 period(s) cannot fit 3 unknowns; give at least 4"),
    (["    amount: 700 therm\n    periods:\n    - {start: 2023-01-01, end: 2023-02-01, amount: 90 therm}\n"],
     "give only one of amount, periods, deliveries"),
])
def test_bad_bills_are_named(tmp_path, lines, message):
    with pytest.raises(HeatcalcError) as err:
        heatcalc.compare(_profile(tmp_path, lines))
    assert message in str(err.value) and "home.yaml" in str(err.value)
