import numpy as np
import pytest

from heatcalc.model import heat_pump as hp


def test_piecewise_linear_extends_beyond_the_points():
    xp, fp = [5.0, 17.0, 47.0], [1.0, 2.0, 5.0]
    assert hp.piecewise_linear(11.0, xp, fp) == pytest.approx(1.5)
    assert hp.piecewise_linear(-7.0, xp, fp) == pytest.approx(0.0)  # slope 1/12 per F below 5 F
    assert hp.piecewise_linear(57.0, xp, fp) == pytest.approx(6.0)  # slope 0.1 per F above 47 F


def test_floors_cop_one_and_capacity_zero():
    curve = hp.HeatPumpCurve((0.0, 10.0), (1000.0, 2000.0), (1.2, 2.2), (1000.0, 2000.0), (1.2, 2.2))
    t = np.array([-100.0])
    assert curve.cop_at_max(t)[0] == 1.0
    assert curve.capacity_max(t)[0] == 0.0


def test_single_stage_default_matches_hand_calculation():
    # HSPF2 8.0 single stage, RESNET 301 Addendum 82: Q17/Q47 = 0.59, so COP47 interpolates the table row
    # HSPF2 8.0 between Q17/Q47 0.533 (3.819) and 0.6 (3.622): 3.819 + (0.59−0.533)/(0.6−0.533)·(3.622−3.819).
    cop47 = 3.819 + (0.59 - 0.533) / (0.6 - 0.533) * (3.622 - 3.819)
    cop17 = cop47 / 1.356
    # 5 F: capacity and power extend the 47–17 F lines by 12/30 of their span.
    cap5 = 0.59 - 0.41 * 0.4
    p5 = 0.59 / cop17 - (1 / cop47 - 0.59 / cop17) * 0.4
    curve = hp.default_curve(8.0, "single_stage", 36000.0)
    assert curve.temp_f == (5.0, 17.0, 47.0)
    assert curve.cop_max == pytest.approx((cap5 / p5, cop17, cop47), rel=1e-9)
    assert curve.capacity_max_btu_per_h == pytest.approx((cap5 * 36000, 0.59 * 36000, 36000.0))
    assert curve.cop_min == curve.cop_max  # one stage


# Rows of ../shared/data/heat_pump/generic_ashp_performance_by_hspf2_derived.csv (derived from the same RESNET
# Addendum 82 tables by the data curators): compressor, HSPF2, COP47, COP17, COP5, Q17/Q47, Q5/Q47.
PUBLISHED = [
    ("single_stage", 7.5, 3.345, 2.467, 1.979, 0.59, 0.426),
    ("single_stage", 9.5, 4.743, 3.498, 2.806, 0.59, 0.426),
    ("two_stage", 8.5, 3.627, 2.675, 2.146, 0.59, 0.426),
    ("variable_speed", 8.0, 2.93, 2.169, 1.681, 0.709, 0.743),
    ("variable_speed", 12.0, 4.268, 3.159, 2.448, 0.864, 0.905),
]


@pytest.mark.parametrize("compressor,hspf2,cop47,cop17,cop5,q17,q5", PUBLISHED)
def test_default_curves_reproduce_the_derived_table(compressor, hspf2, cop47, cop17, cop5, q17, q5):
    curve = hp.default_curve(hspf2, compressor, 1.0)
    if compressor == "variable_speed":
        # the table gives rated ("full") COPs and capacities; the curve holds maximum speed: full = max / ratio
        full_cop47 = curve.cop_max[2] / 0.939
        full_cop17 = curve.cop_max[1] / 0.902
        assert full_cop47 == pytest.approx(cop47, abs=2e-3)
        assert full_cop17 == pytest.approx(cop17, abs=2e-3)
        assert curve.cop_max[0] == pytest.approx(cop5, abs=2e-3)  # at 5 F full = max (eirr5full = 1)
        assert curve.capacity_max_btu_per_h[1] * 0.817 == pytest.approx(q17, abs=2e-3)
        assert curve.capacity_max_btu_per_h[0] * 0.988 == pytest.approx(q5, abs=2e-3)
    else:
        assert curve.cop_max == pytest.approx((cop5, cop17, cop47), abs=2e-3)
        assert curve.capacity_max_btu_per_h == pytest.approx((q5, q17, 1.0), abs=2e-3)


def test_variable_speed_minimum_speed_is_smaller_and_more_efficient():
    curve = hp.default_curve(9.0, "variable_speed", 36000.0)
    assert all(lo < hi for lo, hi in zip(curve.capacity_min_btu_per_h, curve.capacity_max_btu_per_h))
    assert all(lo > hi for lo, hi in zip(curve.cop_min, curve.cop_max))


def test_hspf2_outside_the_tables_is_refused():
    with pytest.raises(ValueError):
        hp.default_curve(4.0, "single_stage", 1.0)


def test_curve_from_points_sorts_and_keeps_values():
    curve = hp.curve_from_points([
        {"temp_f": 47, "cop": 3.8, "capacity_btu_per_h": 36000},
        {"temp_f": 5, "cop": 1.9, "capacity_btu_per_h": 19000},
        {"temp_f": 17, "cop": 2.5, "capacity_btu_per_h": 24000},
    ], "single_stage")
    assert curve.temp_f == (5.0, 17.0, 47.0)
    assert curve.cop_max == (1.9, 2.5, 3.8)
    assert float(curve.cop_at_max(32.0)) == pytest.approx(2.5 + 1.3 * 15 / 30)


def test_sizing_picks_smallest_standard_size():
    unit = hp.HeatPumpCurve((0.0, 47.0), (0.5, 1.0), (2.0, 3.0), (0.5, 1.0), (2.0, 3.0))
    # At 0 F a unit gives half its nominal capacity: 20,000 Btu/h needs 40,000 nominal → 3.5 ton (42,000).
    assert hp.size_to_load_btu_per_h(unit, 20000.0, 0.0) == 42000.0
    assert hp.size_to_load_btu_per_h(unit, 1e7, 0.0) == 120000.0  # capped at 10 tons
