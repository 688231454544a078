import numpy as np
import pytest

from heatcalc.model import load


def test_hourly_load_is_ua_times_deficit():
    # 500 Btu/h/F × (60 − 20) F = 20,000 Btu/h; no load at or above the balance point.
    t = np.array([20.0, 60.0, 75.0])
    assert load.heat_load_btu_per_h(500.0, t, 60.0).tolist() == [20000.0, 0.0, 0.0]


def test_ua_from_design():
    # 42,000 Btu/h at 6 F with 68 F indoors: UA = 42,000 / 62 = 677.4 Btu/h/F.
    assert load.ua_from_design_btu_per_h_f(42000, 68, 6) == pytest.approx(677.419, rel=1e-5)
    with pytest.raises(ValueError):
        load.ua_from_design_btu_per_h_f(42000, 60, 65)


def test_ua_from_annual_heat_reproduces_the_annual_heat():
    t = np.array([30.0, 40.0, 50.0, 70.0])  # degree-hours below 60 F: 30 + 20 + 10 = 60
    ua = load.ua_from_annual_heat_btu_per_h_f(6000.0, t, 60.0)
    assert ua == pytest.approx(100.0)
    assert load.heat_load_btu_per_h(ua, t, 60.0).sum() == pytest.approx(6000.0)


def test_ua_from_annual_needs_some_cold():
    with pytest.raises(ValueError):
        load.ua_from_annual_heat_btu_per_h_f(1e6, np.array([70.0, 80.0]), 60.0)


def test_annual_heat_from_bills():
    # (780 − 12×15) therm × 100,000 Btu/therm × 0.80 = 48 MMBtu
    heat = load.annual_heat_from_bills_btu(780e5, 180e5, 0.80)
    assert heat == pytest.approx(48e6)
    with pytest.raises(ValueError):
        load.annual_heat_from_bills_btu(100.0, 100.0, 0.8)
