"""The hourly engine: how much electricity and fuel each system uses to deliver a home's heating load.

Every function takes the load and the outdoor temperature as arrays over the same hours, plus optional ``hours``
weights (1 h each by default).  Because each hour's result depends only on that hour's temperature and load,
the same functions run on a year of 8,760 hours or on a year folded into temperature bins with their hour counts.

Every system delivers exactly the load, hour by hour: what the heat pump cannot deliver, its backup does.
"""


from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from ..units import BTU_PER_FUEL_UNIT, BTU_PER_KWH, BTU_PER_MMBTU

if TYPE_CHECKING:
    from .ground import GroundLoop
from .heat_pump import HeatPumpCurve

#: Default cyclic degradation coefficient C_d by compressor type: 0.25 is AHRI 210/240-2023's value for a unit that
#: is not tested for cycling (single- and two-stage units cycle on and off often); variable-speed units mostly
#: modulate and cycle only below their minimum speed, for which RESNET 301 Addendum 82 models use 0.15.
DEFAULT_CYCLING_DEGRADATION = 0.25


class Furnace(NamedTuple):
    fuel: str  # natural_gas | propane | heating_oil
    afue: float
    blower_kwh_per_mmbtu: float = 10.0  # a boiler's circulator (and oil burner) likewise
    kind: str = "furnace"  # or "boiler": the same energy arithmetic, hot water instead of air


class ElectricResistance(NamedTuple):
    efficiency: float = 1.0


class HeatPump(NamedTuple):
    curve: HeatPumpCurve
    cutoff_f: float
    backup: str  # electric_resistance | furnace
    switchover_f: float | None = None  # dual fuel only
    backup_furnace: Furnace | None = None
    cycling_degradation: float = DEFAULT_CYCLING_DEGRADATION
    backup_efficiency: float = 1.0  # of resistance strips
    ground: "GroundLoop | None" = None  # a ground-source unit's loop (its curve is then against entering water)
    strip_capacity_btu_per_h: float = np.inf  # resistance backup's capacity (unlimited: sized for any shortfall)
    strip_lockout_f: float = np.inf  # resistance backup is locked out above this outdoor temperature
    share: float = 1.0  # of each hour's load the heat pump can reach (a ductless head in the main rooms); 1: all
    rest_factor: float = 1.0  # with share < 1: heat the rest system makes per unit the heat pump's path would


class HourlyEnergy(NamedTuple):
    """Per-hour results of one system (arrays over the hours given to the engine)."""

    heat_btu: np.ndarray  # heat delivered to the home
    electricity_kwh: np.ndarray
    fuel_btu: np.ndarray  # fuel energy burned (higher heating value)
    backup_heat_btu: np.ndarray  # heat from backup (heat pump only)
    compressor_heat_btu: np.ndarray  # heat from the heat pump's compressor cycle
    unmet_btu: np.ndarray | None = None  # load neither the heat pump nor its backup could deliver (None: none)


class AnnualEnergy(NamedTuple):
    """One system's year."""

    heat_btu: float
    electricity_kwh: float
    fuel: str | None
    fuel_btu: float
    backup_heat_btu: float
    backup_hours: float
    peak_electric_kw: float
    peak_index: int = 0  # which entry (hour, or temperature bin) the peak fell in
    electricity_cost_usd: float | None = None  # set when electricity is priced hour by hour (time of use)
    unmet_btu: float = 0.0  # load not delivered: heat pump and backup strips together fell short
    unmet_hours: float = 0.0

    @property
    def fuel_units(self) -> float:
        """Fuel burned in its sales unit (therm or gal)."""
        return self.fuel_btu / BTU_PER_FUEL_UNIT[self.fuel] if self.fuel else 0.0

    @property
    def heat_mmbtu(self) -> float:
        return self.heat_btu / BTU_PER_MMBTU

    @property
    def seasonal_efficiency(self) -> float:
        """Heat delivered ÷ energy bought (electricity at 3,412 Btu/kWh plus fuel at its heating value)."""
        used = self.electricity_kwh * BTU_PER_KWH + self.fuel_btu
        return self.heat_btu / used if used > 0 else 0.0

    @property
    def backup_fraction(self) -> float:
        return self.backup_heat_btu / self.heat_btu if self.heat_btu > 0 else 0.0


def furnace_hourly(load_btu, furnace: Furnace) -> HourlyEnergy:
    """Fuel = heat / AFUE; blower electricity = heat [MMBtu] × blower rate [kWh/MMBtu].

    The furnace's numbers may be (homes, 1) columns, to run many homes at once.
    """
    load = np.asarray(load_btu, dtype=float)
    zero = np.zeros_like(load)
    return HourlyEnergy(load, load / BTU_PER_MMBTU * furnace.blower_kwh_per_mmbtu, load / furnace.afue, zero, zero)


def resistance_hourly(load_btu, heater: ElectricResistance) -> HourlyEnergy:
    """Electricity = heat / (3,412.14 Btu/kWh × efficiency); the efficiency may be a (homes, 1) column."""
    load = np.asarray(load_btu, dtype=float)
    zero = np.zeros_like(load)
    return HourlyEnergy(load, load / (BTU_PER_KWH * heater.efficiency), zero, zero, zero)


def heat_pump_cop(delivered_btu_per_h, capacity_min, capacity_max, cop_min, cop_max, cycling_degradation):
    """COP when delivering a given heat rate, between minimum and maximum speed.

    * between the minimum and maximum capacity the compressor modulates and the COP is linear in the delivered
      capacity between the two speeds' COPs;
    * below the minimum capacity it cycles at minimum speed with the part-load factor
      ``PLF = 1 − C_d (1 − PLR)``, ``PLR = delivered / Q_min`` (AHRI 210/240-2023, section 11.2).
    """
    q = np.asarray(delivered_btu_per_h, dtype=float)
    # (each step written into arrays of the result's shape: a batch's (homes x bins) arrays are passed over ~16 times
    # instead of ~26, the same arithmetic on the same values)
    shape = np.broadcast_shapes(q.shape, np.shape(capacity_min), np.shape(capacity_max), np.shape(cop_min),
                                np.shape(cop_max), np.shape(cycling_degradation))
    frac, part = np.empty(shape), np.zeros(shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        span = np.subtract(capacity_max, capacity_min)
        spans = span > 0
        np.subtract(q, capacity_min, out=frac)
        if np.all(spans):  # the common case: no guard needed
            np.divide(frac, span, out=frac)
        else:  # no span (one speed): as at the maximum speed
            np.divide(frac, span, out=frac, where=spans)
            np.copyto(frac, 1.0, where=~spans)
        modulating = _clipped(frac)  # cop_min + frac (cop_max - cop_min)
        modulating *= np.subtract(cop_max, cop_min)
        modulating += cop_min
        np.divide(q, capacity_min, out=part, where=capacity_min > 0)  # the part-load ratio (0 when not running)
    cycling = _clipped(part)  # cop_min (1 - C_d (1 - PLR))
    np.subtract(1.0, cycling, out=cycling)
    cycling *= cycling_degradation
    np.subtract(1.0, cycling, out=cycling)
    cycling *= cop_min
    np.copyto(modulating, cycling, where=q < capacity_min)
    cop = np.maximum(modulating, 1.0, out=modulating)
    return cop if cop.ndim else cop[()]


def _clipped(values: np.ndarray) -> np.ndarray:
    """``values`` held between 0 and 1, in place."""
    np.maximum(values, 0.0, out=values)
    return np.minimum(values, 1.0, out=values)


def heat_pump_hourly(load_btu, temp_outdoor_f, hp: HeatPump, day_of_year=None) -> HourlyEnergy:
    """A heat pump with electric-resistance or furnace (dual fuel) backup, hour by hour.

    The heat pump runs when the outdoor temperature is at or above the cutoff (and, for dual fuel, at or above the
    switchover).  A ground-source unit's capacity and COP follow the loop's entering water temperature, which
    depends on the day of the year (``day_of_year``, one per hour) and the load.  With resistance backup it delivers ``min(load, capacity)`` and strips add the rest.  With a
    furnace as backup the two do not run together (the furnace would heat the air ahead of the refrigerant coil), so
    an hour the heat pump cannot carry alone goes to the furnace whole.
    """
    temp = np.asarray(temp_outdoor_f, dtype=float)
    c = hp.curve
    f = hp.backup_furnace
    source = temp
    if hp.ground is not None:  # a ground-source unit sees the loop's entering water, not the air
        from .ground import entering_water_temperature_f

        if day_of_year is None:
            raise ValueError("a ground-source heat pump runs hour by hour: give day_of_year")
        source = entering_water_temperature_f(hp.ground, load_btu, day_of_year)
    return heat_pump_from_performance(
        load_btu, temp, c.capacity_max(source), c.capacity_min(source), c.cop_at_max(source), c.cop_at_min(source),
        cutoff_f=hp.cutoff_f, dual_fuel=hp.backup == "furnace",
        switchover_f=hp.switchover_f if hp.switchover_f is not None else -np.inf,
        cycling_degradation=hp.cycling_degradation, backup_efficiency=hp.backup_efficiency,
        furnace_afue=f.afue if f else 1.0, furnace_blower_kwh_per_mmbtu=f.blower_kwh_per_mmbtu if f else 0.0,
        strip_capacity_btu_per_h=hp.strip_capacity_btu_per_h, strip_lockout_f=hp.strip_lockout_f,
        share=hp.share, rest_factor=hp.rest_factor)


def heat_pump_from_performance(load_btu, temp_outdoor_f, capacity_max, capacity_min, cop_max, cop_min, *,
                               cutoff_f, dual_fuel: bool, switchover_f, cycling_degradation,
                               backup_efficiency=1.0, furnace_afue=1.0, furnace_blower_kwh_per_mmbtu=0.0,
                               strip_capacity_btu_per_h=np.inf, strip_lockout_f=np.inf, share=1.0, rest_factor=1.0):
    """The heat pump's hour given its performance at that hour's temperature (see :func:`heat_pump_hourly`).

    Resistance strips deliver what the heat pump cannot, up to their capacity, and nothing above their lockout
    temperature; what is left is unmet.  A dual-fuel furnace is taken to cover any shortfall.

    All arguments broadcast, so one call can run many homes at once: arrays of shape (homes, hours) for the load
    and performance, and (homes, 1) columns for per-home settings.
    """
    load = np.asarray(load_btu, dtype=float)
    temp = np.asarray(temp_outdoor_f, dtype=float)
    if np.ndim(share) == 0 and share < 1.0:
        return _partial_heat_pump(load, temp, capacity_max, capacity_min, cop_max, cop_min, cutoff_f, dual_fuel,
                                  cycling_degradation, backup_efficiency, furnace_afue, furnace_blower_kwh_per_mmbtu,
                                  share, rest_factor)
    on = temp >= cutoff_f
    if dual_fuel:
        on = on & (temp >= switchover_f) & (capacity_max >= load)
    delivered = np.where(on, np.minimum(load, capacity_max), 0.0)
    hp_kwh = _heat_pump_kwh(delivered, heat_pump_cop(delivered, capacity_min, capacity_max, cop_min, cop_max,
                                                     cycling_degradation))
    backup = load - delivered
    unmet = None
    if dual_fuel:
        fuel = backup / furnace_afue
        kwh = hp_kwh + backup / BTU_PER_MMBTU * furnace_blower_kwh_per_mmbtu
    else:
        if np.any(np.isfinite(strip_capacity_btu_per_h)) or np.any(np.isfinite(strip_lockout_f)):
            strips = np.where(temp <= strip_lockout_f, strip_capacity_btu_per_h, 0.0)
            short = backup
            backup = np.minimum(short, strips)
            unmet = short - backup
        fuel = np.zeros_like(backup)
        kwh = backup / (BTU_PER_KWH * backup_efficiency)
        kwh += hp_kwh
    if unmet is not None:
        heat = load - unmet
    else:  # (a copy of the load, in the hours' shape)
        heat = load.copy() if load.shape == backup.shape else load + np.zeros_like(backup)
    return HourlyEnergy(heat, kwh, fuel, backup, delivered, unmet)


def _heat_pump_kwh(delivered, cop):
    """The heat pump's electricity: what it delivers over its COP, nothing where it delivers nothing."""
    delivered = np.asarray(delivered)
    if delivered.ndim == 0:
        return np.where(delivered > 0, delivered / (cop * BTU_PER_KWH), 0.0)
    cop = np.multiply(cop, BTU_PER_KWH, out=cop if np.shape(cop) == delivered.shape else None)
    return np.divide(delivered, cop, out=np.zeros(delivered.shape), where=delivered > 0)


def _partial_heat_pump(load, temp, capacity_max, capacity_min, cop_max, cop_min, cutoff_f, furnace_rest: bool,
                       cycling_degradation, rest_efficiency, furnace_afue, furnace_blower_kwh_per_mmbtu, share,
                       rest_factor) -> HourlyEnergy:
    """A heat pump that reaches ``share`` of the home (a ductless head in the main rooms), the home's own system
    heating the rest: each hour the heat pump carries ``share`` of the load up to its capacity (above its cut-out),
    and the rest system -- a furnace or boiler (``furnace_rest``), else electric resistance -- makes everything else,
    running beside it (they heat different rooms, so neither waits for the other).  The rest system's heat is made
    ``rest_factor`` times over (its own distribution against the heat pump's).  The share is the fraction of load
    served, as OpenStudio-HPXML's ``FractionHeatLoadServed`` splits a home between its systems."""
    on = temp >= cutoff_f
    delivered = np.where(on, np.minimum(load * share, capacity_max), 0.0)
    hp_kwh = _heat_pump_kwh(delivered, heat_pump_cop(delivered, capacity_min, capacity_max, cop_min, cop_max,
                                                     cycling_degradation))
    rest = load - delivered
    made = rest * rest_factor
    if furnace_rest:
        fuel = made / furnace_afue
        kwh = hp_kwh + made / BTU_PER_MMBTU * furnace_blower_kwh_per_mmbtu
    else:
        fuel = np.zeros_like(rest)
        kwh = hp_kwh + made / (BTU_PER_KWH * rest_efficiency)
    return HourlyEnergy(load + np.zeros_like(rest), kwh, fuel, rest, delivered, None)


#: The peak of a year that draws no electricity at all: every hour ties at 0 kW, so the first hour of the year at the
#: highest kW is the year's first (bins hold only the hours below the balance point, so it is said here, for both
#: routes: a home with no heat, a furnace with no blower).
NO_ELECTRICITY_PEAK_HOUR = 0


def peak_entries(kwh: np.ndarray, first_hour: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """Which temperature bin holds each row's peak (``kwh``: (rows, bins) kW; ``first_hour``: each bin's first hour
    of the year; ``hours``: its hours, 0 for padding): the bin of the highest kW, and among bins tied at it the one
    whose first hour comes first -- the first hour of the year at the highest kW, as a year run hour by hour finds
    it (a plateau, strips at their capacity in every hour below some temperature, ties many bins)."""
    rows = np.arange(kwh.shape[0])
    at = kwh.argmax(axis=1)
    peak = kwh[rows, at]
    last = kwh.shape[1] - 1 - kwh[:, ::-1].argmax(axis=1)  # (the last bin at the peak: another than the first?)
    many = np.flatnonzero((last != at) & (peak > 0))
    if many.size:  # (most rows have one peak bin: only the others look further)
        first = np.broadcast_to(first_hour, kwh.shape)[many]
        tied = (kwh[many] == peak[many, None]) & (np.broadcast_to(hours, kwh.shape)[many] > 0)
        at = at.copy()
        at[many] = np.where(tied, first, np.iinfo(np.int64).max).argmin(axis=1)
    return at


def annual_totals(hourly: HourlyEnergy, fuel: str | None, hours=None, price_usd_per_kwh=None,
                  first_hour=None) -> AnnualEnergy:
    """Sum hourly results over the year; ``hours`` weights each entry (bins), default one hour each.

    With ``price_usd_per_kwh`` (one price per hour) the electricity is also priced hour by hour.  With
    ``first_hour`` (bins: each one's first hour of the year) the peak is given as an hour of the year
    (:func:`peak_entries`), else as an entry.
    """
    w = np.ones_like(hourly.heat_btu) if hours is None else np.asarray(hours, dtype=float)
    backup_on = hourly.backup_heat_btu > 1e-9
    kwh = hourly.electricity_kwh
    if first_hour is not None and kwh.size and kwh.max() > 0:
        peak_index = int(np.asarray(first_hour)[peak_entries(kwh[None, :], np.asarray(first_hour)[None, :],
                                                              w[None, :])[0]])
    elif first_hour is not None:
        peak_index = NO_ELECTRICITY_PEAK_HOUR
    else:
        peak_index = int(np.argmax(kwh)) if kwh.size else 0
    return AnnualEnergy(
        heat_btu=float(hourly.heat_btu @ w),
        electricity_kwh=float(hourly.electricity_kwh @ w),
        fuel=fuel,
        fuel_btu=float(hourly.fuel_btu @ w),
        backup_heat_btu=float(hourly.backup_heat_btu @ w),
        backup_hours=float(w[backup_on].sum()),
        peak_electric_kw=float(kwh.max()) if kwh.size else 0.0,
        peak_index=peak_index,
        electricity_cost_usd=None if price_usd_per_kwh is None else float(hourly.electricity_kwh @ price_usd_per_kwh),
        unmet_btu=0.0 if hourly.unmet_btu is None else float(hourly.unmet_btu @ w),
        unmet_hours=0.0 if hourly.unmet_btu is None else float(w[hourly.unmet_btu > 1e-6].sum()),
    )


def annual_totals_many(hourly: HourlyEnergy, fuels: list, hours, first_hour) -> list[AnnualEnergy]:
    """:func:`annual_totals` for many homes at once: ``hourly`` arrays are (homes, bins), ``hours`` and
    ``first_hour`` are (bins,); the peak is given as an hour of the year."""
    w = np.asarray(hours, dtype=float)
    heat = hourly.heat_btu @ w
    kwh = hourly.electricity_kwh @ w
    fuel = hourly.fuel_btu @ w
    backup = hourly.backup_heat_btu @ w
    backup_hours = (hourly.backup_heat_btu > 1e-9) @ w
    first = np.asarray(first_hour)
    peak_at = peak_entries(hourly.electricity_kwh, first[None, :], w[None, :])
    peak = hourly.electricity_kwh[np.arange(len(fuels)), peak_at]
    unmet = np.zeros(len(fuels)) if hourly.unmet_btu is None else hourly.unmet_btu @ w
    unmet_hours = np.zeros(len(fuels)) if hourly.unmet_btu is None else (hourly.unmet_btu > 1e-6) @ w
    return [AnnualEnergy(float(heat[i]), float(kwh[i]), fuels[i], float(fuel[i]), float(backup[i]),
                         float(backup_hours[i]), float(peak[i]),
                         int(first[peak_at[i]]) if peak[i] > 0 else NO_ELECTRICITY_PEAK_HOUR, unmet_btu=float(unmet[i]),
                         unmet_hours=float(unmet_hours[i])) for i in range(len(fuels))]
