"""The AHRI 210/240-2023 HSPF2 procedure (10 CFR 430 subpart B appendix M1 §4.2), checked by hand and against the
published RESNET default-performance relationships.

Tolerances: hand calculations 1e-9 relative (same arithmetic); the RESNET Addendum 82 relationships 2.5 % (they were
fitted to a detailed simulation model, not to this bin procedure, and are stated to two or three digits).
"""

import numpy as np
import pytest

from heatcalc.model import rating as r
from heatcalc.model.heat_pump import calibrated_default_curve, default_curve

BTU_PER_WH = 3.41214163


def flat(cop, capacity, compressor="single_stage", cop_min=None, capacity_min=None):
    cm = capacity if capacity_min is None else capacity_min
    pm = cop if cop_min is None else cop_min
    return r.RatingPoints((5.0, 47.0), (capacity, capacity), (cop, cop), (cm, cm), (pm, pm), compressor)


def load_line(capacity=36000.0, c=1.15):
    t = np.array(r.BIN_TEMPS_F)
    return (55.0 - t) / 50.0 * c * capacity  # BL(T_j), AHRI 210/240-2023 Region IV: T_zl 55 F, T_OD 5 F


def test_region_iv_bins():
    # AHRI 210/240-2023 Table 16 / appendix M1 Table 19, Region IV: bins 62 ... -23 F
    assert r.BIN_TEMPS_F[0] == 62.0 and r.BIN_TEMPS_F[-1] == -23.0 and len(r.BIN_TEMPS_F) == 18
    assert sum(r.REGION_IV_2023) == pytest.approx(0.757)
    assert r.REGION_IV_2023[:2] == (0.0, 0.0)  # above the 55 F zero-load temperature


def test_unit_that_always_covers_the_load_without_cycling_loss_rates_its_cop():
    # capacity far above every bin's load, C_d = 0: every Btu comes at COP 3 → HSPF2 = 3 × 3.412 Btu/Wh
    value, _ = r.hspf2(flat(3.0, 1e6), 36000.0, cycling_degradation=0.0)
    assert value == pytest.approx(3.0 * BTU_PER_WH, rel=1e-9)


def test_cycling_loss_by_hand():
    # Same unit, C_d = 0.25: each bin's energy is BL/(COP·PLF) with PLF = 1 − 0.25 (1 − BL/Q).
    q = 100000.0
    bl = load_line()
    n = np.array(r.REGION_IV_2023)
    plf = 1 - 0.25 * (1 - bl / q)
    expected = (n * bl).sum() / (n * bl / (3.0 * BTU_PER_WH * plf)).sum()
    value, _ = r.hspf2(flat(3.0, q), 36000.0, cycling_degradation=0.25)
    assert value == pytest.approx(expected, rel=1e-9)


def test_a_unit_with_no_capacity_rates_as_resistance_heat():
    value, bins = r.hspf2(flat(3.0, 1e-6), 36000.0, cycling_degradation=0.25)
    assert value == pytest.approx(BTU_PER_WH, rel=1e-6)  # all resistance: 1 Wh per 3.412 Btu
    assert all(b["heat_pump_btu_per_h"] < 1e-3 for b in bins)


def test_shortfall_bins_by_hand():
    # Q = 30,000 Btu/h flat at COP 2.5, C_d 0: bins whose load exceeds 30,000 add resistance heat for the rest.
    bl = load_line()
    n = np.array(r.REGION_IV_2023)
    q = 30000.0
    hp = np.minimum(bl, q)
    energy_wh = hp / (2.5 * BTU_PER_WH) + (bl - hp) / BTU_PER_WH
    expected = (n * bl).sum() / (n * energy_wh).sum()
    value, _ = r.hspf2(flat(2.5, q), 36000.0, cycling_degradation=0.0)
    assert value == pytest.approx(expected, rel=1e-9)


def test_two_stage_between_stages_by_hand():
    # Low stage 12,000 Btu/h at COP 4, high 36,000 at COP 3, C_d 0. In a bin with load between them the unit
    # alternates: share of time at low x = (Q_high − BL)/(Q_high − Q_low); power = x·P_low + (1 − x)·P_high.
    pts = flat(3.0, 36000.0, "two_stage", cop_min=4.0, capacity_min=12000.0)
    _, bins = r.hspf2(pts, 36000.0, cycling_degradation=0.0)
    b = next(b for b in bins if b["temp_f"] == 32.0)  # BL = 23/50 × 1.15 × 36,000 = 19,044 Btu/h
    assert b["load_btu_per_h"] == pytest.approx(19044.0)
    x = (36000.0 - 19044.0) / (36000.0 - 12000.0)
    expected_w = x * 12000.0 / (4.0 * BTU_PER_WH) + (1 - x) * 36000.0 / (3.0 * BTU_PER_WH)
    assert b["electricity_w"] == pytest.approx(expected_w, rel=1e-9)


def test_variable_speed_between_speeds_by_hand():
    # eq. 11.187 with no intermediate point: COP linear in load between (Q_min, COP_min) and (Q_max, COP_max).
    pts = flat(3.0, 36000.0, "variable_speed", cop_min=4.5, capacity_min=10000.0)
    _, bins = r.hspf2(pts, 36000.0, cycling_degradation=0.15)
    b = next(b for b in bins if b["temp_f"] == 22.0)  # BL = 33/50 × 1.07 × 36,000 = 25,423.2 Btu/h
    assert b["load_btu_per_h"] == pytest.approx(25423.2)
    cop = 4.5 + (3.0 - 4.5) * (25423.2 - 10000.0) / (36000.0 - 10000.0)
    assert b["electricity_w"] == pytest.approx(25423.2 / (cop * BTU_PER_WH), rel=1e-9)


@pytest.mark.parametrize("compressor,cd", [("single_stage", 0.25), ("two_stage", 0.25), ("variable_speed", 0.15)])
@pytest.mark.parametrize("hspf2", [7.5, 8.5, 9.5, 10.5])
def test_resnet_default_curves_reproduce_their_hspf2(compressor, cd, hspf2):
    # ANSI/RESNET/ICC 301-2022 Addendum 82 gives, for a unit of a stated HSPF2, its performance at 47/17/5 F.
    # Rated by the bin procedure, those points should give back about that HSPF2.
    curve = default_curve(hspf2, compressor, 36000.0)
    value, _ = r.hspf2(r.RatingPoints(*curve, compressor=compressor), 36000.0, cd)
    assert value == pytest.approx(hspf2, rel=0.025)


@pytest.mark.parametrize("compressor", ["single_stage", "two_stage", "variable_speed"])
def test_calibrated_curves_rate_exactly(compressor):
    curve, rated, k = calibrated_default_curve(8.1, compressor, 0.2)
    value, _ = r.hspf2(r.RatingPoints(*curve, compressor=compressor), 1.0, 0.2)
    assert value == pytest.approx(8.1, abs=1e-5)
    assert 0.95 < k < 1.05


def test_hspf_2017_exceeds_hspf2():
    # DOE's 2023 crosswalk: for ducted split systems HSPF2 is about 0.85 × HSPF (10 CFR 430.32(c), 2017 final rule:
    # HSPF 8.8 ↔ HSPF2 7.5). The older load line and bins give the same points a higher figure.
    curve = default_curve(8.5, "single_stage", 36000.0)
    result = r.rate(r.RatingPoints(*curve, compressor="single_stage"), 36000.0, 0.25)
    assert 0.8 < result.hspf2 / result.hspf < 0.95
