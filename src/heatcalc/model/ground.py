"""Ground-source (water-to-air) heat pumps: ground temperature, entering water temperature, and performance.

Ground temperature follows Kusuda & Achenbach (1965): the annual mean air temperature, with the seasonal swing of
the surface damped and delayed with depth z in soil of thermal diffusivity α:

    T_g(z, d) = T_mean − A · exp(−z·√(π/(365 α))) · cos(2π/365 · (d − d_min − z/2 · √(365/(π α))))

with A half the spread between the warmest and coldest monthly mean air temperatures and d_min the middle of the
coldest month.  The loop's entering water temperature (EWT) sits below the ground by an approach that grows with
the heat drawn from it:  EWT = T_g − ΔT_design · load / design load.

COP follows the Carnot ratio of the refrigerant temperatures, anchored at the rated COP at 32 °F EWT (ISO 13256-1,
ground-loop heating, full load):  COP(EWT) = COP_32 · C(EWT)/C(32), C = T_cond / (T_cond − T_evap), with
T_cond = 105 °F and T_evap = EWT − 12 °F (absolute temperatures).  Capacity rises 1.4 % per °F of EWT, as
catalogue data of single-speed water-to-air units typically do.

References: T. Kusuda, P. R. Achenbach, "Earth temperature and thermal diffusivity at selected stations in the
United States", ASHRAE Transactions 71(1), 1965; ISO 13256-1:2021.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .heat_pump import HeatPumpCurve

SOIL_DIFFUSIVITY_FT2_PER_DAY = 0.6  # moist loam/clay (ASHRAE Handbook — HVAC Applications, geothermal chapter)
LOOP_DEPTH_FT = {"vertical": 150.0, "horizontal": 6.0}
DESIGN_APPROACH_F = 15.0  # EWT below undisturbed ground at the design load
RATED_EWT_F = 32.0
CONDENSING_F = 105.0
EVAPORATOR_APPROACH_F = 12.0
CAPACITY_SLOPE_PER_F = 0.014
EWT_GRID_F = (-10.0, 10.0, 32.0, 50.0, 70.0)


class GroundLoop(NamedTuple):
    mean_f: float  # annual mean air temperature
    amplitude_f: float  # half the spread of monthly mean air temperatures
    coldest_day: float  # day of year (0-based) of the coldest surface temperature
    depth_ft: float
    design_load_btu_per_h: float
    approach_f: float = DESIGN_APPROACH_F
    diffusivity_ft2_per_day: float = SOIL_DIFFUSIVITY_FT2_PER_DAY


def ground_temperature_f(day_of_year, depth_ft: float, mean_f: float, amplitude_f: float, coldest_day: float,
                         diffusivity_ft2_per_day: float = SOIL_DIFFUSIVITY_FT2_PER_DAY):
    """Undisturbed ground temperature [°F] at a depth [ft] on a day of the year (Kusuda & Achenbach)."""
    k = math.sqrt(math.pi / (365.0 * diffusivity_ft2_per_day))
    damping = math.exp(-depth_ft * k)
    lag_days = depth_ft / 2.0 * math.sqrt(365.0 / (math.pi * diffusivity_ft2_per_day))
    phase = 2.0 * math.pi / 365.0 * (np.asarray(day_of_year, dtype=float) - coldest_day - lag_days)
    return mean_f - amplitude_f * damping * np.cos(phase)


def entering_water_temperature_f(loop: GroundLoop, load_btu_per_h, day_of_year):
    """Loop EWT [°F] each hour: the ground temperature less an approach proportional to the load."""
    ground = ground_temperature_f(day_of_year, loop.depth_ft, loop.mean_f, loop.amplitude_f, loop.coldest_day,
                                  loop.diffusivity_ft2_per_day)
    share = np.asarray(load_btu_per_h, dtype=float) / loop.design_load_btu_per_h
    return ground - loop.approach_f * np.clip(share, 0.0, 1.5)


def design_ewt_f(loop: GroundLoop) -> float:
    """EWT at the design load on the coldest ground day."""
    days = np.arange(365.0)
    return float(ground_temperature_f(days, loop.depth_ft, loop.mean_f, loop.amplitude_f, loop.coldest_day,
                                      loop.diffusivity_ft2_per_day).min() - loop.approach_f)


def _carnot(ewt_f):
    t_cond = CONDENSING_F + 459.67
    t_evap = np.asarray(ewt_f, dtype=float) - EVAPORATOR_APPROACH_F + 459.67
    return t_cond / (t_cond - t_evap)


def ground_source_curve(cop_32: float, capacity_32_btu_per_h: float, compressor: str) -> HeatPumpCurve:
    """Performance against EWT [°F] (the curve's ``temp_f`` is the entering water temperature)."""
    ewt = np.array(EWT_GRID_F)
    cop = cop_32 * _carnot(ewt) / _carnot(RATED_EWT_F)
    cap = capacity_32_btu_per_h * np.maximum(0.05, 1.0 + CAPACITY_SLOPE_PER_F * (ewt - RATED_EWT_F))
    if compressor == "two_stage":
        q_ratio, e_ratio = 0.712, 0.85  # RESNET Addendum 82 two-stage ratios
    elif compressor == "variable_speed":
        q_ratio, e_ratio = 0.272, 0.73  # RESNET Addendum 82 minimum/maximum speed at 47 F
    else:
        q_ratio, e_ratio = 1.0, 1.0
    return HeatPumpCurve(tuple(ewt), tuple(cap), tuple(cop), tuple(cap * q_ratio), tuple(cop / e_ratio))


def loop_from_weather(temp_f: np.ndarray, loop_type: str, design_load_btu_per_h: float) -> GroundLoop:
    """Ground parameters from a year of hourly air temperatures."""
    from ..weather.stations import HOUR_MONTH, MONTH_DAYS

    monthly = np.bincount(HOUR_MONTH, temp_f, 12) / np.bincount(HOUR_MONTH, None, 12)
    coldest = int(np.argmin(monthly))
    coldest_day = sum(MONTH_DAYS[:coldest]) + MONTH_DAYS[coldest] / 2.0
    return GroundLoop(float(np.mean(temp_f)), float((monthly.max() - monthly.min()) / 2.0), coldest_day,
                      LOOP_DEPTH_FT[loop_type], max(design_load_btu_per_h, 1.0))
