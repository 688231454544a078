"""Air-source heat pump performance: COP and capacity as functions of outdoor temperature.

A curve holds, at a few outdoor temperatures, the capacity [Btu/h] and COP at the compressor's highest speed
("max") and at its lowest ("min"; equal to max for a single-stage unit).  Between the points both are linear in
outdoor temperature; beyond them they are extended along the nearest segment, with two floors: COP never below 1
(the unit would be no better than a resistance strip) and capacity never below 0.

Default curves from a rating (HSPF2 and compressor type) follow the default performance relationships of
ANSI/RESNET/ICC 301-2022 Addendum 82 (2023), as implemented in NREL's OpenStudio-HPXML.  Rated COPs include the
indoor fan power and defrost, which AHRI 210/240 folds into the 17 °F and 5 °F tests.
"""


import json
from typing import NamedTuple
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..units import COMPRESSORS

COP_FLOOR = 1.0
DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "heat_pump_defaults.json"

# Standard nominal sizes [ton] a default heat pump is chosen from: ductless and ducted residential units come in
# half-ton steps from 0.75 to 5 tons; above 5 tons a home gets two outdoor units (6 to 10 tons).
STANDARD_SIZES_TON = (0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0)


class _CurvePoints(NamedTuple):
    temp_f: tuple[float, ...]
    capacity_max_btu_per_h: tuple[float, ...]
    cop_max: tuple[float, ...]
    capacity_min_btu_per_h: tuple[float, ...]
    cop_min: tuple[float, ...]


class HeatPumpCurve(_CurvePoints):
    """Performance points of one unit, sorted by outdoor temperature (ascending).

    Fields: ``temp_f`` [°F]; ``capacity_max_btu_per_h`` and ``cop_max`` at the highest compressor speed;
    ``capacity_min_btu_per_h`` and ``cop_min`` at the lowest.
    """

    __slots__ = ()

    def __new__(cls, temp_f, capacity_max_btu_per_h, cop_max, capacity_min_btu_per_h, cop_min):
        self = super().__new__(cls, tuple(temp_f), tuple(capacity_max_btu_per_h), tuple(cop_max),
                               tuple(capacity_min_btu_per_h), tuple(cop_min))
        self._check()
        return self

    def _check(self):
        n = len(self.temp_f)
        if n < 2:
            raise ValueError("a heat pump curve needs at least two outdoor temperatures")
        if any(len(x) != n for x in (self.capacity_max_btu_per_h, self.cop_max, self.capacity_min_btu_per_h,
                                     self.cop_min)):
            raise ValueError("every performance point needs a capacity and a COP")
        if any(b <= a for a, b in zip(self.temp_f, self.temp_f[1:])):
            raise ValueError("performance points must be at distinct outdoor temperatures")

    def scaled(self, factor: float) -> "HeatPumpCurve":
        """The same unit scaled in capacity (a larger or smaller model of the same line)."""
        return HeatPumpCurve(self.temp_f, tuple(c * factor for c in self.capacity_max_btu_per_h), self.cop_max,
                             tuple(c * factor for c in self.capacity_min_btu_per_h), self.cop_min)

    def capacity_max(self, temp_outdoor_f):
        """Capacity at the highest compressor speed [Btu/h]."""
        return np.maximum(0.0, piecewise_linear(temp_outdoor_f, self.temp_f, self.capacity_max_btu_per_h))

    def capacity_min(self, temp_outdoor_f):
        """Capacity at the lowest compressor speed [Btu/h] (never above the highest)."""
        low = np.maximum(0.0, piecewise_linear(temp_outdoor_f, self.temp_f, self.capacity_min_btu_per_h))
        return np.minimum(low, self.capacity_max(temp_outdoor_f))

    def cop_at_max(self, temp_outdoor_f):
        return np.maximum(COP_FLOOR, piecewise_linear(temp_outdoor_f, self.temp_f, self.cop_max))

    def cop_at_min(self, temp_outdoor_f):
        return np.maximum(COP_FLOOR, piecewise_linear(temp_outdoor_f, self.temp_f, self.cop_min))


def piecewise_linear(x, xp, fp):
    """Linear interpolation through (xp, fp), extended linearly beyond both ends (``np.interp`` clamps instead)."""
    x = np.asarray(x, dtype=float)
    xp = np.asarray(xp, dtype=float)
    fp = np.asarray(fp, dtype=float)
    y = np.interp(x, xp, fp)
    lo_slope = (fp[1] - fp[0]) / (xp[1] - xp[0])
    hi_slope = (fp[-1] - fp[-2]) / (xp[-1] - xp[-2])
    y = np.where(x < xp[0], fp[0] + lo_slope * (x - xp[0]), y)
    return np.where(x > xp[-1], fp[-1] + hi_slope * (x - xp[-1]), y)


def interpolation_matrix(x, xp) -> np.ndarray:
    """Weights W [len(x), len(xp)] such that ``W @ fp == piecewise_linear(x, xp, fp)`` for any fp.

    Piecewise-linear interpolation (extended along the end segments) is linear in the values fp, so many curves
    that share their temperatures evaluate at once as a matrix product: ``FP @ W.T``.
    """
    x = np.asarray(x, dtype=float)
    xp = np.asarray(xp, dtype=float)
    seg = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, len(xp) - 2)
    x0, x1 = xp[seg], xp[seg + 1]
    frac = (x - x0) / (x1 - x0)
    w = np.zeros((x.size, xp.size))
    rows = np.arange(x.size)
    w[rows, seg] = 1.0 - frac
    w[rows, seg + 1] += frac
    return w


@lru_cache(maxsize=1)
def _resnet_tables() -> dict:
    with open(DATA_FILE) as fh:
        return json.load(fh)


def hspf2_range(compressor: str) -> tuple[float, float]:
    """The HSPF2 range the RESNET default tables cover for this compressor type."""
    grid = _resnet_tables()[compressor]["hspf2"]
    return float(grid[0]), float(grid[-1])


def _bilinear(x: float, y: float, xs, ys, table) -> float:
    """Bilinear interpolation in ``table[row for x][column for y]``; x and y must lie within the grid."""
    xs, ys, t = np.asarray(xs), np.asarray(ys), np.asarray(table)
    i = int(np.clip(np.searchsorted(xs, x) - 1, 0, len(xs) - 2))
    j = int(np.clip(np.searchsorted(ys, y) - 1, 0, len(ys) - 2))
    fx = (x - xs[i]) / (xs[i + 1] - xs[i])
    fy = (y - ys[j]) / (ys[j + 1] - ys[j])
    top = t[i, j] * (1 - fy) + t[i, j + 1] * fy
    bottom = t[i + 1, j] * (1 - fy) + t[i + 1, j + 1] * fy
    return float(top * (1 - fx) + bottom * fx)


def default_curve(hspf2: float, compressor: str, capacity_47_btu_per_h: float) -> HeatPumpCurve:
    """Default performance of a ducted air-source heat pump from its HSPF2 (RESNET 301 Addendum 82).

    Parameters
    ----------
    hspf2 : float
        Heating seasonal performance factor, 2023 test procedure [Btu/Wh].
    compressor : {'single_stage', 'two_stage', 'variable_speed'}
    capacity_47_btu_per_h : float
        Nominal (rated full-load) capacity at 47 °F [Btu/h].

    Notes
    -----
    With Q the capacity and E = 1/COP the energy input ratio, and 47/17/5 the outdoor temperatures [°F]:

    * single- and two-stage: Q17/Q47 = 0.59; COP47 from the Addendum 82 table over (HSPF2, Q17/Q47);
      COP17 = COP47 / 1.356; Q5 and the power at 5 °F extend the 47–17 °F lines.  Two-stage low stage:
      Q_low = 0.712 Q_high, E_low = 0.85 E_high.
    * variable speed: Q17/Q47 = 0.0329 HSPF + 0.3996 with HSPF = HSPF2/0.85; rated ("full") points from the table,
      maximum speed Q_max = Q_full / qr_full and E_max = E_full / eirr_full, at 5 °F Q5max = 0.866 Q17max and
      COP5max = COP17max / 1.164; minimum speed Q_min = qr_min Q_max, E_min = eirr_min E_max.

    References
    ----------
    ANSI/RESNET/ICC 301-2022 Addendum 82, "Heat pump performance defaults" (2023); NREL OpenStudio-HPXML
    ``defaults.rb`` (BSD-3-Clause), whose implementation the numbers in ``heat_pump_defaults.json`` come from.
    """
    if compressor not in COMPRESSORS:
        raise ValueError(f"compressor must be one of {', '.join(COMPRESSORS)}")
    lo, hi = hspf2_range(compressor)
    if not lo <= hspf2 <= hi:
        raise ValueError(f"the default {compressor} curves cover HSPF2 {lo:g} to {hi:g} (got {hspf2:g})")
    t = _resnet_tables()[compressor]
    q = capacity_47_btu_per_h
    if compressor in ("single_stage", "two_stage"):
        qm17 = 0.59
        cop47 = _bilinear(hspf2, qm17, t["hspf2"], t["qm17full"], t["cop47full"])
        cop17 = cop47 / t["eirm17full"]
        cap = {47: 1.0, 17: qm17, 5: qm17 - (1.0 - qm17) * 12.0 / 30.0}
        p47, p17 = 1.0 / cop47, qm17 / cop17  # power per unit of rated capacity
        p5 = p17 - (p47 - p17) * 12.0 / 30.0
        cop = {47: cop47, 17: cop17, 5: cap[5] / p5}
        if compressor == "single_stage":
            cap_min, cop_min = cap, cop
        else:
            cap_min = {k: v * t["qrhmin"] for k, v in cap.items()}
            cop_min = {k: v / t["eirrhmin"] for k, v in cop.items()}
        cap_max, cop_max = cap, cop
    else:
        qm17 = 0.0329 * (hspf2 / 0.85) + 0.3996
        cop47 = _bilinear(hspf2, qm17, t["hspf2"], t["qm17full"], t["cop47full"])
        cop17 = cop47 / t["eirm17full"]
        cap_max = {47: 1.0 / t["qr47full"], 17: qm17 / t["qr17full"]}
        cap_max[5] = cap_max[17] * t["qm5max"]
        cop_max = {47: cop47 * t["eirr47full"], 17: cop17 * t["eirr17full"]}
        cop_max[5] = cop_max[17] / t["eirm5max"]
        cap_min = {k: cap_max[k] * t[f"qr{k}min"] for k in (47, 17, 5)}
        cop_min = {k: cop_max[k] / t[f"eirr{k}min"] for k in (47, 17, 5)}
    temps = (5.0, 17.0, 47.0)
    return HeatPumpCurve(
        temp_f=temps,
        capacity_max_btu_per_h=tuple(cap_max[int(k)] * q for k in temps),
        cop_max=tuple(cop_max[int(k)] for k in temps),
        capacity_min_btu_per_h=tuple(cap_min[int(k)] * q for k in temps),
        cop_min=tuple(cop_min[int(k)] for k in temps),
    )


def curve_from_points(points: list[dict], compressor: str) -> HeatPumpCurve:
    """A curve from explicit points ``{temp_f, cop, capacity_btu_per_h[, cop_min, capacity_min_btu_per_h]}``.

    The given COP and capacity are taken as the unit's highest-speed operation.  Where no minimum-speed values are
    given, single-stage units have none, and two-stage and variable-speed units get the RESNET Addendum 82 ratios
    (two-stage: 0.712 of the capacity at 1/0.85 of the COP; variable speed: the 47/17/5 °F min/max ratios,
    interpolated in temperature).
    """
    pts = sorted(points, key=lambda p: p["temp_f"])
    temps = [float(p["temp_f"]) for p in pts]
    cap = [float(p["capacity_btu_per_h"]) for p in pts]
    cop = [float(p["cop"]) for p in pts]
    t = _resnet_tables()
    if compressor == "two_stage":
        q_ratio = [t["two_stage"]["qrhmin"]] * len(pts)
        e_ratio = [t["two_stage"]["eirrhmin"]] * len(pts)
    elif compressor == "variable_speed":
        vs = t["variable_speed"]
        grid = [5.0, 17.0, 47.0]
        q_ratio = list(np.interp(temps, grid, [vs["qr5min"], vs["qr17min"], vs["qr47min"]]))
        e_ratio = list(np.interp(temps, grid, [vs["eirr5min"], vs["eirr17min"], vs["eirr47min"]]))
    else:
        q_ratio = [1.0] * len(pts)
        e_ratio = [1.0] * len(pts)
    cap_min = [p.get("capacity_min_btu_per_h") or c * r for p, c, r in zip(pts, cap, q_ratio)]
    cop_min = [p.get("cop_min") or c / r for p, c, r in zip(pts, cop, e_ratio)]
    return HeatPumpCurve(tuple(temps), tuple(cap), tuple(cop), tuple(map(float, cap_min)), tuple(map(float, cop_min)))


#: Single- and two-stage units are sized for the load at 17 °F (their low-temperature rating point) when the design
#: temperature is colder: sizing them for the design load of a cold climate would make them two or three times too
#: large for most of the season (and for cooling); strips cover the coldest hours.  Variable-speed units are sized
#: for the design load.
FIXED_CAPACITY_SIZING_F = 17.0


def sizing_temperature_f(compressor, design_temp_f, cutoff_f):
    """The outdoor temperature [°F] at which a default heat pump must cover the load: the design temperature or the
    cutoff, whichever is warmer, and at least 17 °F for a single- or two-stage unit.  Scalars, or arrays of homes
    (``compressor`` then a sequence of names)."""
    t = np.maximum(design_temp_f, cutoff_f)
    fixed = np.isin(np.asarray(compressor, dtype=object), ("single_stage", "two_stage"))
    t = np.where(fixed, np.maximum(t, FIXED_CAPACITY_SIZING_F), t)
    return float(t) if np.ndim(t) == 0 else t


def nominal_sizes_btu_per_h(capacity_per_btu_h, load_btu_per_h) -> np.ndarray:
    """For each home, the smallest standard nominal size [Btu/h at 47 °F] whose capacity covers the load, given the
    unit's capacity per 1 Btu/h of nominal size at the sizing temperature; the largest (10 tons) where none does
    (backup heat covers the rest)."""
    sizes = np.array(STANDARD_SIZES_TON) * 12000.0
    fits = sizes * np.asarray(capacity_per_btu_h, dtype=float)[..., None] >= np.asarray(load_btu_per_h,
                                                                                         dtype=float)[..., None]
    return np.where(fits.any(axis=-1), sizes[np.argmax(fits, axis=-1)], sizes[-1])


def size_to_load_btu_per_h(curve_per_btu_h: HeatPumpCurve, load_btu_per_h: float, temp_size_f: float) -> float:
    """The smallest standard nominal size [Btu/h at 47 °F] whose capacity at ``temp_size_f`` covers the load
    (:func:`nominal_sizes_btu_per_h` for one unit; ``curve_per_btu_h`` is its curve for 1 Btu/h of nominal size)."""
    return float(nominal_sizes_btu_per_h(float(curve_per_btu_h.capacity_max(temp_size_f)), load_btu_per_h))


def with_capacity_5f(curve: HeatPumpCurve, share_of_47: float) -> HeatPumpCurve:
    """The curve with its 5 °F capacity set to ``share_of_47`` × its 47 °F capacity and its 17 °F capacity on the
    straight line between (the retention installers quote); each point's power scales with its capacity, so COPs
    are unchanged.  Both speeds move alike."""
    temps = np.array(curve.temp_f)
    q47 = float(curve.capacity_max(47.0))
    target = {5.0: share_of_47 * q47, 17.0: q47 + (share_of_47 * q47 - q47) * (47.0 - 17.0) / (47.0 - 5.0)}
    factor = [target[t] / q if t in target and q > 0 else 1.0
              for t, q in zip(temps, curve.capacity_max_btu_per_h)]
    return HeatPumpCurve(curve.temp_f, tuple(q * f for q, f in zip(curve.capacity_max_btu_per_h, factor)),
                         curve.cop_max, tuple(q * f for q, f in zip(curve.capacity_min_btu_per_h, factor)),
                         curve.cop_min)


def with_cop_factor(curve: HeatPumpCurve, factor: float) -> HeatPumpCurve:
    """Every COP multiplied by ``factor`` (a field factor: what installations deliver against the rating)."""
    return HeatPumpCurve(curve.temp_f, curve.capacity_max_btu_per_h, tuple(c * factor for c in curve.cop_max),
                         curve.capacity_min_btu_per_h, tuple(c * factor for c in curve.cop_min))


def curve_from_tests(lines: dict, compressor: str) -> HeatPumpCurve:
    """The hourly model's curve from a completed AHRI test set (see :func:`heatcalc.model.rating.complete_tests`):
    each stage's capacity and power at 47, 35, 17 (and 5) °F by the standard's own piecewise lines, the full stage
    as the highest speed and the low stage as the lowest."""
    from .rating import W_PER_BTU_H, stage_performance

    temps = np.array(sorted(t for t in lines["full"].q if t <= 47.0))
    q2, p2 = stage_performance(lines["full"], "full", compressor, temps)
    if compressor == "single_stage":
        q1, p1 = q2, p2
    else:
        q1, p1 = stage_performance(lines["low"], "low", compressor, temps)
    cop2 = np.maximum(1.0, q2 / (p2 / W_PER_BTU_H))
    cop1 = np.maximum(1.0, q1 / (p1 / W_PER_BTU_H))
    return HeatPumpCurve(tuple(temps), tuple(q2), tuple(cop2), tuple(np.minimum(q1, q2)), tuple(cop1))


@lru_cache(maxsize=4096)
def calibrated_default_curve(hspf2: float, compressor: str, cycling_degradation: float,
                             capacity_5f_share: float | None = None) -> tuple[HeatPumpCurve, float, float]:
    """The default curve (per 1 Btu/h of nominal capacity) with its COPs scaled so that the AHRI 210/240-2023
    procedure rates it at ``hspf2``; also returns the uncalibrated curve's own HSPF2 and the scale factor.

    The Addendum 82 relationships were fitted to a detailed model, so under the standard's bin procedure they land
    within about 2 % of their HSPF2; the small scaling makes the hourly model consistent with the rating.
    """
    from .rating import RatingPoints, calibration_factor, hspf2 as rate_hspf2

    curve = default_curve(hspf2, compressor, 1.0)
    if capacity_5f_share is not None:
        curve = with_capacity_5f(curve, capacity_5f_share)
    points = RatingPoints(*curve, compressor=compressor)
    rated, _ = rate_hspf2(points, 1.0, cycling_degradation)
    k = calibration_factor(points, hspf2, 1.0, cycling_degradation)
    scaled = HeatPumpCurve(curve.temp_f, curve.capacity_max_btu_per_h, tuple(c * k for c in curve.cop_max),
                           curve.capacity_min_btu_per_h, tuple(c * k for c in curve.cop_min))
    return scaled, rated, k


def capacity_balance_point_f(curve: HeatPumpCurve, ua_btu_per_h_f: float, temp_balance_f: float,
                             cutoff_f: float) -> float | None:
    """The heat pump's own balance point [°F]: the outdoor temperature below which its maximum capacity no longer
    covers the load ``UA × (T_balance − T)``.  None when it covers the load down to its cutoff (then the cutoff is
    what brings in backup), within a 0.05 °F grid (:func:`capacity_balance_points_f` for one home)."""
    point = capacity_balance_points_f(curve.temp_f, np.array([curve.capacity_max_btu_per_h], dtype=float),
                                      np.array([ua_btu_per_h_f], dtype=float), np.array([temp_balance_f], dtype=float),
                                      np.array([cutoff_f], dtype=float))[0]
    return None if np.isnan(point) else float(point)


def _capacity_at(points: np.ndarray, xp, x: np.ndarray) -> np.ndarray:
    """Maximum capacity [Btu/h] of curves ``points`` (rows: homes; columns: their capacities at ``xp``) at ``x``, an
    array of (rows, k) temperatures or one that broadcasts to it: linear through the points and along the end
    segments, never below 0.  Element by element (no matrix product, whose sums a BLAS may fuse), so that one home
    and many give the same capacity to the last bit and a load on the edge falls short on both or neither."""
    xp = np.asarray(xp, dtype=float)
    seg = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, xp.size - 2)
    frac = (x - xp[seg]) / (xp[seg + 1] - xp[seg])
    shape = np.broadcast_shapes(x.shape, (points.shape[0], 1))
    seg = np.broadcast_to(seg, shape)
    lo, hi = np.take_along_axis(points, seg, axis=1), np.take_along_axis(points, seg + 1, axis=1)
    return np.maximum(0.0, lo * (1.0 - frac) + hi * frac)


def capacity_balance_points_f(xp, capacity_points: np.ndarray, ua_btu_per_h_f: np.ndarray, temp_balance_f: np.ndarray,
                              cutoff_f: np.ndarray) -> np.ndarray:
    """:func:`capacity_balance_point_f` of many homes whose curves share their temperatures ``xp`` (``capacity_points``:
    one row of maximum capacities per home), NaN where there is none: the highest point of the 0.05 F grid from the
    cutoff up (``np.arange(cutoff, balance + 0.05, 0.05)``'s values) where the maximum capacity falls short of the
    load.

    Where the capacity never falls as the air warms (every default curve) the load only falls, so the grid's points
    fall short up to one point and not after it (the gap between the two grows by at least UA x 0.05 F a point, far
    more than a rounding): a bisection finds that point, evaluating the same grid values as the whole grid would.
    Other curves, and the homes of a short call (one home's comparison), are checked along the whole grid."""
    step = 0.05
    cutoff, ua, bp = cutoff_f, ua_btu_per_h_f, temp_balance_f
    out = np.full(cutoff.size, np.nan)
    # a few homes: the whole grid, in a few array operations; many: a bisection where it finds the same point
    rising = np.all(np.diff(capacity_points, axis=1) >= 0, axis=1) & (cutoff.size > 16)
    # the grid's length, numpy's own for np.arange: ceil((stop - start) / step)
    lengths = np.maximum(0.0, np.ceil(((bp + step) - cutoff) / step)).astype(np.int64)
    delta = (cutoff + step) - cutoff  # np.arange's values: start, start + step, start + i x (second - first)

    def grid_at(k, rows):
        value = cutoff[rows] + k * delta[rows]
        return np.where(k == 1, cutoff[rows] + step, value)

    def short_at(k, rows):
        g = grid_at(k, rows)
        return _capacity_at(capacity_points[rows], xp, g[:, None])[:, 0] < ua[rows] * np.maximum(0.0, bp[rows] - g)

    rows = np.flatnonzero(rising)
    lo, hi = np.zeros(rows.size, dtype=np.int64), lengths[rows].copy()  # first point not short: in [lo, hi]
    while rows.size and np.any(lo < hi):
        active = lo < hi
        mid = (lo + hi) // 2
        short = np.zeros(rows.size, dtype=bool)
        short[active] = short_at(mid[active], rows[active])
        lo = np.where(active & short, mid + 1, lo)
        hi = np.where(active & ~short, mid, hi)
    found = lo > 0
    out[rows[found]] = np.round(grid_at(lo[found] - 1, rows[found]), 2)
    for c in sorted(set(cutoff[~rising].tolist())):  # not np.unique: it imports numpy.ma (15 ms a compare)
        rows = np.flatnonzero(~rising & (cutoff == c))
        grid = np.arange(c, float(bp[rows].max()) + step, step)
        load = ua[rows, None] * np.maximum(0.0, bp[rows, None] - grid)
        short = _capacity_at(capacity_points[rows], xp, grid[None, :]) < load
        short &= np.arange(grid.size)[None, :] < lengths[rows, None]
        last = grid.size - 1 - np.argmax(short[:, ::-1], axis=1)
        hit = short.any(axis=1)
        out[rows[hit]] = np.round(grid[last[hit]], 2)
    return out
