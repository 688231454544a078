"""HSPF2 and HSPF of a heat pump from its rating points: the bin method of AHRI 210/240-2023 (10 CFR 430 subpart B
appendix M1, section 4.2) for Region IV, and the older AHRI 210/240-2017 (appendix M) procedure for HSPF.

HSPF2 = Σ_j n_j·BL(T_j) / Σ_j [e(T_j) + RH(T_j)]                                                 [Btu/Wh]

over 18 temperature bins T_j = 62, 57, …, −23 °F with fractional hours n_j, where:

* BL(T_j) = (T_zl − T_j)/(T_zl − T_OD) · C · Q_A,full(95 °F) is the building load line (2023: T_zl = 55 °F,
  T_OD = 5 °F, C = 1.15, or 1.07 for variable-speed units, scaled to the cooling capacity; 2017: zero load at
  65 °F, C = 0.77, scaled to the standard design heating requirement nearest the 47 °F capacity);
* Q and P (capacity and power) at each speed are linear in T_j through the rating points;
* a single-speed unit (or the low stage) that exceeds the load cycles: HLF = BL/Q, PLF = 1 − C_d (1 − HLF),
  e = P·HLF·δ/PLF; a two-stage unit between its stages alternates low and high
  (e = P_low·HLF_low + P_high·(1 − HLF_low)); a variable-speed unit between its speeds runs at the COP interpolated
  linearly in load between the minimum and maximum speeds (eq. 11.187 of AHRI 210/240-2023, with no intermediate
  test point);
* below its capacity the unit runs flat out and resistance heat RH = BL − Q·δ covers the rest;
* δ = 0 where the compressor is cut out (below ``cutoff_f``) or where its COP would fall below 1, else 1.

Demand-defrost credit F_def is taken as 1 (time-temperature defrost).  Heating capacity and power include the
indoor fan, as rated.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..units import BTU_PER_KWH

BIN_TEMPS_F = tuple(62.0 - 5.0 * i for i in range(18))

#: AHRI 210/240-2023 Table 16 (appendix M1 Table 19), Region IV: fractional bin hours from 62 °F down to −23 °F.
#: The 62 and 57 °F bins lie above the 55 °F zero-load temperature and carry no load.
REGION_IV_2023 = (0.0, 0.0, 0.103, 0.093, 0.100, 0.109, 0.126, 0.087, 0.055, 0.036, 0.026, 0.013, 0.006, 0.002,
                  0.001, 0.0, 0.0, 0.0)
#: AHRI 210/240-2017 Table 17 (appendix M Table 17), Region IV.
REGION_IV_2017 = (0.132, 0.111, 0.103, 0.093, 0.100, 0.109, 0.126, 0.087, 0.055, 0.036, 0.026, 0.013, 0.006, 0.002,
                  0.001, 0.0, 0.0, 0.0)
OUTDOOR_DESIGN_F = 5.0
ZERO_LOAD_2023_F = 55.0
LOAD_FACTOR_2023 = 1.15
LOAD_FACTOR_2023_VARIABLE_SPEED = 1.07
#: 2017 standard design heating requirements [Btu/h]: 5,000 to 40,000 in 5,000 steps, 50,000 to 130,000 in 10,000.
STANDARD_DHR_BTU_PER_H = tuple(float(5000 * i) for i in range(1, 9)) + tuple(float(50000 + 10000 * i)
                                                                            for i in range(9))
W_PER_BTU_H = 1.0 / (BTU_PER_KWH / 1000.0)


class RatingPoints(NamedTuple):
    """A unit's rated performance: capacity [Btu/h] and COP at the highest and lowest speed, by temperature [°F]."""

    temp_f: tuple[float, ...]
    capacity_max_btu_per_h: tuple[float, ...]
    cop_max: tuple[float, ...]
    capacity_min_btu_per_h: tuple[float, ...]
    cop_min: tuple[float, ...]
    compressor: str  # single_stage | two_stage | variable_speed


class RatingResult(NamedTuple):
    hspf2: float
    hspf: float
    bins: list  # per bin: temp_f, fraction, load, heat_pump_heat, electricity_wh, resistance_wh


def _line(t, temps, values):
    temps = np.asarray(temps, dtype=float)
    values = np.asarray(values, dtype=float)
    y = np.interp(t, temps, values)
    lo = (values[1] - values[0]) / (temps[1] - temps[0])
    hi = (values[-1] - values[-2]) / (temps[-1] - temps[-2])
    y = np.where(t < temps[0], values[0] + lo * (t - temps[0]), y)
    return np.where(t > temps[-1], values[-1] + hi * (t - temps[-1]), y)


def bin_performance(points: RatingPoints, temp_f):
    """Capacity [Btu/h] and power [W] at each speed, linear in temperature through the points (power, not COP, is
    interpolated, as the standard does)."""
    t = np.asarray(temp_f, dtype=float)
    p_max = np.asarray(points.capacity_max_btu_per_h) / np.asarray(points.cop_max) * W_PER_BTU_H
    p_min = np.asarray(points.capacity_min_btu_per_h) / np.asarray(points.cop_min) * W_PER_BTU_H
    q_full = np.maximum(0.0, _line(t, points.temp_f, points.capacity_max_btu_per_h))
    q_low = np.maximum(0.0, _line(t, points.temp_f, points.capacity_min_btu_per_h))
    return q_full, np.maximum(1e-9, _line(t, points.temp_f, p_max)), q_low, np.maximum(1e-9, _line(t, points.temp_f,
                                                                                                    p_min))


def seasonal_rating(points: RatingPoints, load_btu_per_h, fractions, cycling_degradation: float,
                    cutoff_f: float | None = None):
    """Σ n·BL and Σ (e + RH) [Wh per hour of season] over the bins, with the per-bin detail."""
    t = np.array(BIN_TEMPS_F)
    n = np.asarray(fractions, dtype=float)
    bl = np.maximum(0.0, np.asarray(load_btu_per_h, dtype=float))
    q_full, p_full, q_low, p_low = bin_performance(points, t)
    cop_full = q_full / (p_full / W_PER_BTU_H)
    cop_low = np.where(p_low > 0, q_low / (p_low / W_PER_BTU_H), 0.0)
    can_run = (t > cutoff_f) if cutoff_f is not None else np.ones_like(t, dtype=bool)
    cd = cycling_degradation
    with np.errstate(divide="ignore", invalid="ignore"):
        # flat out, or a single speed cycling (also any unit whose load reaches its full capacity)
        hlf_full = np.where(q_full > 0, np.minimum(1.0, bl / q_full), 1.0)
        full_on = can_run & (cop_full >= 1.0)
        e_full = np.where(full_on, p_full * hlf_full / (1.0 - cd * (1.0 - hlf_full)), 0.0)
        hp_full = np.where(full_on, q_full * hlf_full, 0.0)
        # cycling at the low stage or minimum speed
        hlf_low = np.where(q_low > 0, bl / q_low, 1.0)
        low_on = can_run & (cop_low >= 1.0)
        e_low = np.where(low_on, p_low * hlf_low / (1.0 - cd * (1.0 - np.minimum(1.0, hlf_low))), 0.0)
        hp_low = np.where(low_on, bl, 0.0)
        # between the speeds
        span = np.where(q_full > q_low, q_full - q_low, 1.0)
        if points.compressor == "two_stage":
            share_low = (q_full - bl) / span
            e_mid = np.where(low_on, p_low * share_low + p_full * (1.0 - share_low), 0.0)
            hp_mid = np.where(low_on, bl, 0.0)
        else:
            cop_mid = cop_low + (cop_full - cop_low) * (bl - q_low) / span
            mid_on = can_run & (cop_mid >= 1.0)
            e_mid = np.where(mid_on, bl * W_PER_BTU_H / cop_mid, 0.0)
            hp_mid = np.where(mid_on, bl, 0.0)
    if points.compressor == "single_stage":
        at_full = np.ones_like(bl, dtype=bool)
    else:
        at_full = (bl >= q_full) | (q_low <= 0)
    at_low = ~at_full & (bl <= q_low)
    e = np.where(at_full, e_full, np.where(at_low, e_low, e_mid))
    hp = np.where(at_full, hp_full, np.where(at_low, hp_low, hp_mid))
    e = np.where(bl > 0, e, 0.0)
    hp = np.where(bl > 0, hp, 0.0)
    rh = (bl - hp) * W_PER_BTU_H
    bins = [{"temp_f": float(t[j]), "fraction": float(n[j]), "load_btu_per_h": float(bl[j]),
             "heat_pump_btu_per_h": float(hp[j]), "electricity_w": float(e[j]), "resistance_w": float(rh[j])}
            for j in range(t.size)]
    return float(n @ bl), float(n @ (e + rh)), bins


def hspf2(points: RatingPoints, cooling_capacity_btu_per_h: float, cycling_degradation: float = 0.25,
          cutoff_f: float | None = None) -> tuple[float, list]:
    """HSPF2 [Btu/Wh], Region IV, AHRI 210/240-2023; ``cooling_capacity_btu_per_h`` is Q_A,full at 95 °F."""
    c = LOAD_FACTOR_2023_VARIABLE_SPEED if points.compressor == "variable_speed" else LOAD_FACTOR_2023
    t = np.array(BIN_TEMPS_F)
    bl = (ZERO_LOAD_2023_F - t) / (ZERO_LOAD_2023_F - OUTDOOR_DESIGN_F) * c * cooling_capacity_btu_per_h
    heat, energy, bins = seasonal_rating(points, bl, REGION_IV_2023, cycling_degradation, cutoff_f)
    return heat / energy, bins


def hspf_2017(points: RatingPoints, cycling_degradation: float = 0.25, cutoff_f: float | None = None) -> float:
    """HSPF [Btu/Wh], Region IV, AHRI 210/240-2017: load line through 65 °F, C = 0.77, minimum design heating
    requirement DHR_min = Q(47 °F) · (65 − 5)/60 rounded to the nearest standard DHR."""
    q47 = float(_line(np.array([47.0]), points.temp_f, points.capacity_max_btu_per_h)[0])
    dhr = min(STANDARD_DHR_BTU_PER_H, key=lambda d: abs(d - q47))
    t = np.array(BIN_TEMPS_F)
    bl = (65.0 - t) / (65.0 - OUTDOOR_DESIGN_F) * 0.77 * dhr
    heat, energy, _ = seasonal_rating(points, bl, REGION_IV_2017, cycling_degradation, cutoff_f)
    return heat / energy


def rate(points: RatingPoints, cooling_capacity_btu_per_h: float | None = None, cycling_degradation: float = 0.25,
         cutoff_f: float | None = None) -> RatingResult:
    """Both ratings; the cooling capacity defaults to the rated heating capacity at 47 °F."""
    if cooling_capacity_btu_per_h is None:
        cooling_capacity_btu_per_h = float(_line(np.array([47.0]), points.temp_f, points.capacity_max_btu_per_h)[0])
    value, bins = hspf2(points, cooling_capacity_btu_per_h, cycling_degradation, cutoff_f)
    return RatingResult(value, hspf_2017(points, cycling_degradation, cutoff_f), bins)


def calibration_factor(points: RatingPoints, target_hspf2: float, cooling_capacity_btu_per_h: float,
                       cycling_degradation: float) -> float:
    """The factor k by which every COP of ``points`` must be multiplied for the unit to rate ``target_hspf2``.

    HSPF2 rises monotonically with k; a few secant steps (bracketed by bisection) find it to 1e-6.
    """
    def rated(k: float) -> float:
        scaled = points._replace(cop_max=tuple(c * k for c in points.cop_max),
                                 cop_min=tuple(c * k for c in points.cop_min))
        return hspf2(scaled, cooling_capacity_btu_per_h, cycling_degradation)[0] - target_hspf2

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
