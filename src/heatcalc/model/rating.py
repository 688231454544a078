"""HSPF2 and HSPF of a heat pump: the heating bin procedure of AHRI 210/240-2023 (10 CFR 430 subpart B appendix M1,
section 4.2) and of AHRI 210/240-2017 (appendix M), from a unit's test set, in any of the six climate regions.

HSPF2 = Σ_j n_j·BL(T_j) / Σ_j [e(T_j) + RH(T_j)] · F_def                                     [Btu/Wh]

over the bins T_j = 62, 57, …, −23 °F with fractional hours n_j of the region, where:

* BL(T_j) = (T_zl − T_j)/(T_zl − T_OD) · C · Q_A,full(95 °F) is the 2023 load line (T_zl, T_OD and C — C_vs for
  variable-speed units — by region); the 2017 line runs from 65 °F with C = 0.77 and the standard design heating
  requirement nearest to Q(47 °F)·(65 − T_OD)/60;
* capacity Q and power P of each stage are piecewise linear in T_j through the tests: full stage from 17 to 47 °F at
  and above 45 °F, from 17 to 35 °F between 17 and 45 °F, and at and below 17 °F from 5 to 17 °F where the 5 °F test
  was run, continuing below 5 °F from the 5 °F test with the 17–47 °F slope (else the 17–47 °F line); the two-stage
  low stage from 47 to 62 °F at and above 40 °F, from 17 to 35 °F between 17 and 40 °F and from 17 to 47 °F below;
  a variable-speed unit's minimum speed on its 47–62 °F line throughout (docs/methodology.md §6);
* a missing 35 °F test is the frost-zone default Q35 = 0.90·[Q17 + 0.6·(Q47 − Q17)],
  P35 = 0.985·[P17 + 0.6·(P47 − P17)] (for each stage); a missing 62 °F low-stage test extends the 17–47 °F line;
* a unit (or stage) that exceeds the load cycles: X = BL/Q, PLF = 1 − C_d·(1 − X), e = X·P·δ/PLF, with C_d of the
  full or low stage; a two-stage unit between its stages alternates (e = X_low·P_low + (1 − X_low)·P_full); a
  variable-speed unit between its speeds runs at the COP interpolated in load between the minimum, intermediate
  (35 °F test, where given) and maximum speeds;
* below its capacity the unit runs flat out and resistance heat RH = (BL − Q·δ)/3.412 covers the rest;
* δ = 0 at or below the cut-out temperature T_off (or where the COP would fall below 1), ½ between T_off and T_on,
  else 1;
* F_def is the demand-defrost credit (1.0 for time-temperature defrost).
"""


import json
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ..units import BTU_PER_KWH

W_PER_BTU_H = 1.0 / (BTU_PER_KWH / 1000.0)
STANDARD_TEMPS_F = (62.0, 47.0, 35.0, 17.0, 5.0)
STAGES = ("low", "intermediate", "full")
REGION_NAMES = ("I", "II", "III", "IV", "V", "VI")


@lru_cache(maxsize=1)
def constants() -> dict:
    """The rating's constants by region (data/ahri_210_240.json, from AHRI 210/240-2023 and -2017)."""
    with open(Path(__file__).resolve().parents[1] / "data" / "ahri_210_240.json") as fh:
        return json.load(fh)


def bin_temps_f() -> np.ndarray:
    return np.array(constants()["bin_temp_f"])


class TestPoint(NamedTuple):
    """One test of the standard: outdoor temperature [°F], stage, capacity [Btu/h] and power [W], indoor fan
    included."""

    outdoor_f: float
    stage: str  # low | intermediate | full
    capacity_btu_per_h: float
    power_w: float
    derived: str = ""  # how heatcalc made it, when it was not given (empty for a test given)


class TestSet(NamedTuple):
    """What the rating needs: the tests and the unit's rating options."""

    compressor: str  # single_stage | two_stage | variable_speed
    tests: tuple[TestPoint, ...]
    cooling_capacity_btu_per_h: float  # Q_A,full at 95 °F, for the load line
    region: str = "IV"
    cd_full: float = 0.25
    cd_low: float | None = None  # default: cd_full
    defrost_credit: float = 1.0
    cutout_off_f: float | None = None
    cutout_on_f: float | None = None


class RatingResult(NamedTuple):
    hspf2: float
    hspf: float
    bins: list  # per bin: temp_f, fraction, load, heat_pump_heat, electricity_w, resistance_w
    derived: tuple[TestPoint, ...] = ()  # the tests heatcalc derived (frost point, 62 °F low stage), with the rule


class _Line(NamedTuple):
    q: dict  # outdoor °F → capacity
    p: dict  # outdoor °F → power

    def at(self, t: np.ndarray, a: float, b: float) -> tuple[np.ndarray, np.ndarray]:
        """Capacity and power on the straight line through the tests at ``a`` and ``b`` °F."""
        def line(v):
            return v[a] + (v[b] - v[a]) * (t - a) / (b - a)
        return line(self.q), line(self.p)


def frost_point(q17: float, q47: float, p17: float, p47: float) -> tuple[float, float]:
    """The default 35 °F test (frost zone) of a stage without one: Q35 = 0.90·[Q17 + 0.6·(Q47 − Q17)],
    P35 = 0.985·[P17 + 0.6·(P47 − P17)] (appendix M1, section 4.2)."""
    return 0.90 * (q17 + 0.6 * (q47 - q17)), 0.985 * (p17 + 0.6 * (p47 - p17))


def complete_tests(ts: TestSet) -> tuple[dict, tuple[TestPoint, ...]]:
    """The tests by stage ({stage: _Line}) with the standard's defaults for what is missing, and those defaults."""
    by_stage: dict = {}
    for tp in ts.tests:
        line = by_stage.setdefault(tp.stage, _Line({}, {}))
        line.q[float(tp.outdoor_f)] = float(tp.capacity_btu_per_h)
        line.p[float(tp.outdoor_f)] = float(tp.power_w)
    needed = ["full"] if ts.compressor == "single_stage" else ["full", "low"]
    for stage in needed:
        line = by_stage.get(stage)
        if line is None or 47.0 not in line.q or 17.0 not in line.q:
            raise ValueError(f"a {ts.compressor.replace('_', '-')} rating needs {stage}-stage tests at 47 F and 17 F")
    derived = []
    for stage in needed:
        line = by_stage[stage]
        if stage == "low" and ts.compressor == "variable_speed":
            continue  # a variable-speed unit's minimum speed runs on its 17-47 F line: no 35 F point is used
        if 35.0 not in line.q:
            q35, p35 = frost_point(line.q[17.0], line.q[47.0], line.p[17.0], line.p[47.0])
            line.q[35.0], line.p[35.0] = q35, p35
            derived.append(TestPoint(35.0, stage, q35, p35, "frost-zone default: Q35 = 0.90·[Q17 + 0.6·(Q47 − Q17)], "
                                                         "P35 = 0.985·[P17 + 0.6·(P47 − P17)]"))
    low = by_stage.get("low")
    if low is not None and 62.0 not in low.q:
        q62, p62 = low.at(np.array(62.0), 17.0, 47.0)
        low.q[62.0], low.p[62.0] = float(q62), float(p62)
        derived.append(TestPoint(62.0, "low", float(q62), float(p62), "no 62 F test: the low stage's 17-47 F line"))
    return by_stage, tuple(derived)


def stage_performance(line: _Line, stage: str, compressor: str, t: np.ndarray):
    """Capacity [Btu/h] and power [W] of a stage at the bin temperatures, piecewise linear through its tests."""
    if stage == "full":
        q_hi, p_hi = line.at(t, 17.0, 47.0)
        q_mid, p_mid = line.at(t, 17.0, 35.0)
        if 5.0 in line.q:
            # 5-17 F between the tests; below 5 F the standard continues from the 5 F test with the 17-47 F slope
            q_5, p_5 = line.at(t, 5.0, 17.0)
            q_cold = line.q[5.0] + (line.q[47.0] - line.q[17.0]) * (t - 5.0) / 30.0
            p_cold = line.p[5.0] + (line.p[47.0] - line.p[17.0]) * (t - 5.0) / 30.0
            q_lo, p_lo = np.where(t >= 5.0, q_5, q_cold), np.where(t >= 5.0, p_5, p_cold)
        else:
            q_lo, p_lo = q_hi, p_hi
        q = np.where(t >= 45.0, q_hi, np.where(t > 17.0, q_mid, q_lo))
        p = np.where(t >= 45.0, p_hi, np.where(t > 17.0, p_mid, p_lo))
    elif compressor == "variable_speed":
        # the minimum speed on its 62-47 F line at every temperature (its 62 F test; without one, the derived 62 F
        # point lies on the 17-47 F line, so the line is that one)
        q, p = line.at(t, 47.0, 62.0)
    else:
        q_hi, p_hi = line.at(t, 47.0, 62.0)
        q_lo, p_lo = line.at(t, 17.0, 47.0)
        q_mid, p_mid = line.at(t, 17.0, 35.0)
        q = np.where(t >= 40.0, q_hi, np.where(t > 17.0, q_mid, q_lo))
        p = np.where(t >= 40.0, p_hi, np.where(t > 17.0, p_mid, p_lo))
    return np.maximum(q, 0.0), np.maximum(p, 1e-9)


def _intermediate(lines: dict, t: np.ndarray):
    """A variable-speed unit's intermediate speed from its 35 °F intermediate test: Q_v(T) = Q_v(35) + M·(T − 35),
    the slope M blending the minimum speed's (62–47 °F) and the maximum's (17–35 °F) by where Q_v(35) lies between
    them (N = [Q_v(35) − Q_min(35)]/[Q_max(35) − Q_min(35)]); power likewise."""
    v, low, full = lines["intermediate"], lines["low"], lines["full"]
    out = []
    for values in ("q", "p"):
        vv, lo, fu = getattr(v, values), getattr(low, values), getattr(full, values)
        lo35 = lo[17.0] + (lo[47.0] - lo[17.0]) * (35.0 - 17.0) / 30.0
        n = (vv[35.0] - lo35) / (fu[35.0] - lo35) if fu[35.0] != lo35 else 0.5
        slope = (lo[62.0] - lo[47.0]) / 15.0 * (1.0 - n) + n * (fu[35.0] - fu[17.0]) / 18.0
        out.append(vv[35.0] + slope * (t - 35.0))
    return np.maximum(out[0], 0.0), np.maximum(out[1], 1e-9)


def _cutout(t: np.ndarray, cop: np.ndarray, off: float | None, on: float | None) -> np.ndarray:
    delta = np.where(cop >= 1.0, 1.0, 0.0)
    if off is not None:
        on = off if on is None else on
        delta = np.where(t <= off, 0.0, np.where(t <= on, 0.5 * delta, delta))
    return delta


def seasonal_sums(ts: TestSet, load_btu_per_h: np.ndarray, fractions, lines: dict, vs_mid: str = "halfway"):
    """Σ n·BL and Σ n·(e + RH) [per hour of the season], and the per-bin detail."""
    t = bin_temps_f()
    n = np.asarray(fractions, dtype=float)
    bl = np.maximum(0.0, np.asarray(load_btu_per_h, dtype=float))
    cd_full = ts.cd_full
    cd_low = ts.cd_full if ts.cd_low is None else ts.cd_low
    q2, p2 = stage_performance(lines["full"], "full", ts.compressor, t)
    cop2 = q2 / (p2 / W_PER_BTU_H)
    delta2 = _cutout(t, cop2, ts.cutout_off_f, ts.cutout_on_f)
    with np.errstate(divide="ignore", invalid="ignore"):
        x2 = np.where(q2 > 0, np.minimum(1.0, bl / q2), 1.0)
        e_full = x2 * p2 * delta2 / (1.0 - cd_full * (1.0 - x2))
        hp_full = x2 * q2 * delta2
        if ts.compressor == "single_stage":
            e, hp = e_full, hp_full
        else:
            q1, p1 = stage_performance(lines["low"], "low", ts.compressor, t)
            cop1 = np.where(p1 > 0, q1 / (p1 / W_PER_BTU_H), 0.0)
            delta1 = _cutout(t, cop1, ts.cutout_off_f, ts.cutout_on_f)
            x1 = np.where(q1 > 0, bl / q1, np.inf)
            e_low = np.minimum(1.0, x1) * p1 * delta1 / (1.0 - cd_low * (1.0 - np.minimum(1.0, x1)))
            hp_low = bl * delta1
            if ts.compressor == "two_stage":
                share_low = (q2 - bl) / np.where(q2 > q1, q2 - q1, 1.0)
                e_mid = (share_low * p1 + (1.0 - share_low) * p2) * delta2
                hp_mid = bl * delta2
            else:
                if "intermediate" in lines:
                    qv, pv = _intermediate(lines, t)
                else:  # no intermediate test: heatcalc's stated rule (see rate_tests), not the standard's
                    qv = 0.5 * (q1 + q2)
                    copv = {"halfway": 0.5 * (cop1 + cop2), "low": cop1, "full": cop2}[vs_mid]
                    pv = qv / copv * W_PER_BTU_H
                copv = qv / (pv / W_PER_BTU_H)
                below_v = bl <= qv
                cop_mid = np.where(below_v, cop1 + (copv - cop1) * (bl - q1) / np.where(qv > q1, qv - q1, 1.0),
                                   copv + (cop2 - copv) * (bl - qv) / np.where(q2 > qv, q2 - qv, 1.0))
                delta_mid = _cutout(t, cop_mid, ts.cutout_off_f, ts.cutout_on_f)
                e_mid = bl * W_PER_BTU_H / cop_mid * delta_mid
                hp_mid = bl * delta_mid
            at_low = bl <= q1
            at_full = bl >= q2
            e = np.where(at_full, e_full, np.where(at_low, e_low, e_mid))
            hp = np.where(at_full, hp_full, np.where(at_low, hp_low, hp_mid))
    e = np.where(bl > 0, e, 0.0)
    hp = np.where(bl > 0, hp, 0.0)
    rh = (bl - hp) / constants()["resistance_btu_per_wh"]
    bins = [{"temp_f": float(t[j]), "fraction": float(n[j]), "load_btu_per_h": float(bl[j]),
             "heat_pump_btu_per_h": float(hp[j]), "electricity_w": float(e[j]), "resistance_w": float(rh[j])}
            for j in range(t.size)]
    # plain sums, not `@`: a dot product goes through BLAS, whose thread pool costs more than these 18 bins
    return float((n * bl).sum()), float((n * e).sum()), float((n * rh).sum()), bins


def load_line_2023(ts: TestSet) -> np.ndarray:
    r = constants()["regions"][ts.region]
    c = r["load_factor_variable_speed"] if ts.compressor == "variable_speed" else r["load_factor"]
    t = bin_temps_f()
    return (r["zero_load_f"] - t) / (r["zero_load_f"] - r["outdoor_design_f"]) * c * ts.cooling_capacity_btu_per_h


def load_line_2017(ts: TestSet, q47: float) -> np.ndarray:
    """65 °F zero load, C = 0.77, through the standard design heating requirement nearest to the minimum one."""
    k = constants()
    r = k["regions"][ts.region]
    dhr_min = q47 * (65.0 - r["outdoor_design_f"]) / 60.0
    dhr = min(k["hspf_2017_design_heating_requirements_btu_per_h"], key=lambda d: abs(d - dhr_min))
    t = bin_temps_f()
    return (65.0 - t) / (65.0 - r["outdoor_design_f"]) * k["hspf_2017_load_factor"] * dhr


def rate_tests(ts: TestSet, with_hspf: bool = True) -> RatingResult:
    """HSPF2 (appendix M1) and, unless ``with_hspf`` is false, HSPF (appendix M) of a test set, in its region."""
    if ts.region not in REGION_NAMES:
        raise ValueError(f"region must be one of {', '.join(REGION_NAMES)}")
    lines, derived = complete_tests(ts)
    region = constants()["regions"][ts.region]
    heat, e, rh, bins = seasonal_sums(ts, load_line_2023(ts), region["fractions_2023"], lines)
    hspf2 = heat / (e + rh) * ts.defrost_credit
    if ts.compressor == "variable_speed" and "intermediate" not in lines:
        # Appendix M1 rates a variable-speed unit with its intermediate-speed test (H2V, 35 F); without one the
        # standard gives no rule, so heatcalc's is stated with its effect: the intermediate speed halfway in
        # capacity between the minimum and maximum, at their mean COP, bounded by the two speeds' own COPs.
        bounds = []
        for rule in ("full", "low"):
            h, ee, rr, _ = seasonal_sums(ts, load_line_2023(ts), region["fractions_2023"], lines, rule)
            bounds.append(h / (ee + rr) * ts.defrost_credit)
        low, full = lines["low"], lines["full"]
        lo_q = low.q[17.0] + (low.q[47.0] - low.q[17.0]) * 0.6  # the minimum speed's 17-47 F line at 35 F
        lo_p = low.p[17.0] + (low.p[47.0] - low.p[17.0]) * 0.6
        q35 = 0.5 * (lo_q + full.q[35.0])
        cop35 = 0.5 * (lo_q / lo_p + full.q[35.0] / full.p[35.0])  # Btu/h per W, mean of the two speeds
        derived = tuple(derived) + (TestPoint(
            35.0, "intermediate", float(q35), float(q35 / cop35),
            f"no intermediate (H2V, 35 F) test, which appendix M1 requires of a variable-speed unit: heatcalc puts "
            f"the intermediate speed halfway between the minimum and maximum in capacity, at their mean COP "
            f"(HSPF2 {hspf2:.2f}); at the maximum speed's COP it would be {bounds[0]:.2f}, at the minimum's "
            f"{bounds[1]:.2f}: give the unit's 35 F intermediate test to settle it"),)
    hspf = float("nan")
    if with_hspf:
        heat_old, e_old, rh_old, _ = seasonal_sums(ts, load_line_2017(ts, lines["full"].q[47.0]),
                                                   region["fractions_2017"], lines)
        hspf = heat_old / (e_old + rh_old) * ts.defrost_credit
    return RatingResult(hspf2, hspf, bins, derived)


# --- curves of points (the hourly model's, or --points) --------------------------------------------------------

class RatingPoints(NamedTuple):
    """A unit's performance: capacity [Btu/h] and COP at the highest and lowest speed, by temperature [°F]."""

    temp_f: tuple[float, ...]
    capacity_max_btu_per_h: tuple[float, ...]
    cop_max: tuple[float, ...]
    capacity_min_btu_per_h: tuple[float, ...]
    cop_min: tuple[float, ...]
    compressor: str  # single_stage | two_stage | variable_speed


def _line(t, temps, values):
    temps = np.asarray(temps, dtype=float)
    values = np.asarray(values, dtype=float)
    y = np.interp(t, temps, values)
    lo = (values[1] - values[0]) / (temps[1] - temps[0])
    hi = (values[-1] - values[-2]) / (temps[-1] - temps[-2])
    y = np.where(t < temps[0], values[0] + lo * (t - temps[0]), y)
    return np.where(t > temps[-1], values[-1] + hi * (t - temps[-1]), y)


def tests_from_points(points: RatingPoints, cooling_capacity_btu_per_h: float | None = None,
                      cycling_degradation: float = 0.25, cutoff_f: float | None = None,
                      region: str = "IV") -> TestSet:
    """The test set a curve of points implies: each speed's capacity and power (interpolated linearly in
    temperature) at 47 and 17 °F, and at 5 °F when the points reach down to it; the 35 °F and 62 °F tests then take
    the standard's defaults (the frost point; the low stage's line)."""
    temps = np.asarray(points.temp_f, dtype=float)
    wanted = [47.0, 17.0] + ([5.0] if temps.min() <= 5.0 else [])
    stages = [("full", points.capacity_max_btu_per_h, points.cop_max)]
    if points.compressor != "single_stage":
        stages.append(("low", points.capacity_min_btu_per_h, points.cop_min))
    tests = []
    for stage, caps, cops in stages:
        power = np.asarray(caps, dtype=float) / np.asarray(cops, dtype=float) * W_PER_BTU_H
        for t in wanted:
            if stage == "low" and t == 5.0:
                continue
            q = float(_line(np.array(t), temps, caps))
            p = float(_line(np.array(t), temps, power))
            tests.append(TestPoint(t, stage, max(q, 0.0), max(p, 1e-9)))
    if cooling_capacity_btu_per_h is None:
        cooling_capacity_btu_per_h = next(tp.capacity_btu_per_h for tp in tests if tp.stage == "full" and
                                          tp.outdoor_f == 47.0)
    return TestSet(points.compressor, tuple(tests), cooling_capacity_btu_per_h, region, cycling_degradation,
                   cutout_off_f=cutoff_f)


def rate(points: RatingPoints, cooling_capacity_btu_per_h: float | None = None, cycling_degradation: float = 0.25,
         cutoff_f: float | None = None, region: str = "IV") -> RatingResult:
    """Both ratings of a curve of points (see :func:`tests_from_points`); the cooling capacity defaults to the
    capacity at 47 °F."""
    return rate_tests(tests_from_points(points, cooling_capacity_btu_per_h, cycling_degradation, cutoff_f, region))


def hspf2(points: RatingPoints, cooling_capacity_btu_per_h: float, cycling_degradation: float = 0.25,
          cutoff_f: float | None = None) -> tuple[float, list]:
    """HSPF2 [Btu/Wh], Region IV, of a curve of points; ``cooling_capacity_btu_per_h`` is Q_A,full at 95 °F."""
    result = rate_tests(tests_from_points(points, cooling_capacity_btu_per_h, cycling_degradation, cutoff_f),
                        with_hspf=False)
    return result.hspf2, result.bins


def hspf_2017(points: RatingPoints, cycling_degradation: float = 0.25, cutoff_f: float | None = None) -> float:
    """HSPF [Btu/Wh], Region IV, AHRI 210/240-2017, of a curve of points."""
    return rate(points, None, cycling_degradation, cutoff_f).hspf


def calibration_factor(points: RatingPoints, target_hspf2: float, cooling_capacity_btu_per_h: float,
                       cycling_degradation: float) -> float:
    """The factor k by which every COP of ``points`` must be multiplied for the unit to rate ``target_hspf2``.

    Scaling the COPs by k scales every test's power, given or derived, by 1/k, so the tests are made once and only
    their powers change between trials.  HSPF2 rises monotonically with k; a few secant steps (bracketed by
    bisection) find it to 1e-6.
    """
    ts = tests_from_points(points, cooling_capacity_btu_per_h, cycling_degradation)
    lines, _ = complete_tests(ts)
    region = constants()["regions"][ts.region]
    load, fractions = load_line_2023(ts), region["fractions_2023"]

    def rated(k: float) -> float:
        scaled = {stage: _Line(line.q, {t: p / k for t, p in line.p.items()}) for stage, line in lines.items()}
        heat, e, rh, _ = seasonal_sums(ts, load, fractions, scaled)
        return heat / (e + rh) * ts.defrost_credit - target_hspf2

    lo, hi = 0.3, 3.0
    f_lo, f_hi = rated(lo), rated(hi)
    if f_lo > 0 or f_hi < 0:
        raise ValueError(f"no COP scaling reproduces HSPF2 {target_hspf2:g}")
    k = 1.0
    for _ in range(60):
        f = rated(k)
        if abs(f) < 1e-6:
            return k
        if f > 0:
            hi, f_hi = k, f
        else:
            lo, f_lo = k, f
        k = lo - f_lo * (hi - lo) / (f_hi - f_lo)
        if not lo < k < hi:
            k = 0.5 * (lo + hi)
    return k
