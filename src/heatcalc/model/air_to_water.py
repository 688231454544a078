"""Air-to-water heat pumps: performance against the outdoor air and the supply water temperature.

An air-to-water unit heats the water of radiators or floors.  Its COP and capacity fall as the outdoor air gets
colder *and* as the water it must make gets hotter; an outdoor-reset control runs the water only as hot as the
weather needs, from ``design`` at the design temperature to ``mild`` at 60 °F, so each outdoor temperature has one
supply temperature and the unit becomes, for heatcalc, a heat pump with performance points against the outdoor
air like any other (:class:`heatcalc.model.heat_pump.HeatPumpCurve`), run hour by hour with its backup.

The performance is hplib's generic outdoor-air/water models, fitted to the Heat Pump Keymark certificates of 389
units (hplib 1.9; ``data/air_to_water/hplib_generic.json``), each a four-parameter function of the outdoor air T_in
and the supply water T_out [°C]:  x = p1·T_in + p2·T_out + p3 + p4·T_in.

* full speed: the on-off (fixed-speed) model: capacity ∝ P_el·COP, scaled to the unit's nominal capacity at
  A7/W35 (outdoor 7 °C, water 35 °C: the EN 14511 rating point manufacturers quote), and its COP;
* minimum speed: a quarter of that capacity (hplib floors a regulated unit's input at 25 % of its reference) at the
  regulated (inverter) model's COP, which the Keymark part-load tests give.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..units import f_to_c
from .heat_pump import HeatPumpCurve

DATA = Path(__file__).resolve().parent.parent / "data" / "air_to_water" / "hplib_generic.json"
#: The outdoor temperature at which the reset curve reaches its mild supply temperature [°F].
MILD_OUTDOOR_F = 60.0
#: The rating point the nominal capacity is quoted at: outdoor air 7 °C, supply water 35 °C (EN 14511).
RATING_C = (7.0, 35.0)
#: The minimum speed's share of the full-speed capacity (hplib's 25 % floor on a regulated unit's input).
MIN_SHARE = 0.25
#: The outdoor temperatures the unit's points are made at [°F]: the air-source grid, from -22 to 62.
POINTS_F = tuple(float(t) for t in range(-22, 63, 6))


@lru_cache(maxsize=1)
def _models() -> dict:
    return json.loads(DATA.read_text())["models"]


def _x(coefficients, t_in_c, t_out_c):
    p1, p2, p3, p4 = coefficients
    return p1 * t_in_c + p2 * t_out_c + p3 + p4 * t_in_c


def cop(model: str, outdoor_c, supply_c):
    """The COP of hplib's generic ``model`` (``regulated`` or ``on_off``) at outdoor air and supply water [°C]."""
    return _x(_models()[model]["cop"], np.asarray(outdoor_c, dtype=float), np.asarray(supply_c, dtype=float))


def heat_output_ratio(outdoor_c, supply_c):
    """Full-speed heat output relative to the output at the rating point (A7/W35): the on-off model's P_el x COP."""
    m = _models()["on_off"]

    def output(t_in, t_out):
        return _x(m["p_el"], t_in, t_out) * _x(m["cop"], t_in, t_out)

    return output(np.asarray(outdoor_c, dtype=float), np.asarray(supply_c, dtype=float)) / output(*RATING_C)


def supply_temperature_f(outdoor_f, design_outdoor_f: float, design_supply_f: float, mild_supply_f: float):
    """The outdoor-reset supply temperature [°F]: ``design_supply_f`` at and below the design temperature, falling
    linearly to ``mild_supply_f`` at :data:`MILD_OUTDOOR_F` and above (equal values: a fixed supply)."""
    t = np.asarray(outdoor_f, dtype=float)
    span = MILD_OUTDOOR_F - design_outdoor_f
    share = np.clip((t - design_outdoor_f) / span, 0.0, 1.0) if span > 0 else np.ones_like(t)
    return design_supply_f + share * (mild_supply_f - design_supply_f)


def curve(nominal_btu_per_h: float, design_outdoor_f: float, design_supply_f: float,
          mild_supply_f: float) -> HeatPumpCurve:
    """The unit's performance points against the outdoor air, its water following the reset curve: full-speed
    capacity and COP, minimum-speed capacity and COP, at :data:`POINTS_F`."""
    temps = np.array(POINTS_F)
    supply_c = f_to_c(supply_temperature_f(temps, design_outdoor_f, design_supply_f, mild_supply_f))
    outdoor_c = f_to_c(temps)
    full = np.maximum(0.0, nominal_btu_per_h * heat_output_ratio(outdoor_c, supply_c))
    return HeatPumpCurve(temps, full, np.maximum(1.0, cop("on_off", outdoor_c, supply_c)), MIN_SHARE * full,
                         np.maximum(1.0, cop("regulated", outdoor_c, supply_c)))
