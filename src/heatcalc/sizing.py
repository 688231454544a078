"""Heat pump sizing for a home: the design load, the capacity needed, a standard size for each compressor type,
how much of the year's heat it covers without backup, and the backup it needs."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .home import Home, heat_pump_hspf2
from .model.engine import HeatPump, annual_totals, heat_pump_hourly
from .model.heat_pump import calibrated_default_curve, size_to_load_btu_per_h, sizing_temperature_f
from .model.load import cooling_load_btu_per_h, heat_load_btu_per_h
from .profile import HeatPumpConfig, field_spec
from .units import BTU_PER_KWH, COMPRESSORS

#: Electric strip heaters for air handlers come in these sizes [kW].
STRIP_SIZES_KW = (0.0, 5.0, 7.5, 10.0, 15.0, 20.0, 25.0, 30.0)


class SizeOption(NamedTuple):
    unit: str  # "profile": the profile's own heat pump as given; "standard": a standard size of default curves
    compressor: str
    hspf2: float
    sizing_temp_f: float  # where the size covers the load
    nominal_btu_per_h: float
    nominal_tons: float
    capacity_at_design_btu_per_h: float  # maximum capacity at the design temperature (0 below the cutoff)
    design_load_btu_per_h: float
    covers_design_load: bool
    heat_share_without_backup: float  # of the year's heat
    backup_needed_kw: float  # design load less capacity, as electric heat
    backup_strip_kw: float  # the smallest standard strip that covers it
    cooling_design_load_btu_per_h: float | None

    def to_row(self) -> dict:
        return self._asdict()


class SolarSizing(NamedTuple):
    """Rooftop solar sized to the heat pump's year: the capacity whose annual output equals the heat pump's
    electricity (heating and cooling), and how much of that output is used in the hour it is made."""

    heat_pump_kwh: float
    yield_kwh_per_kw: float  # the array's AC output per kW (DC) in the year, at the home's station
    capacity_kw: float
    share_used_by_heat_pump: float  # of the output, used by the heat pump in its hour
    share_self_consumed: float  # of the output, used by the home (heat pump and other use) in its hour


class SizingResult(NamedTuple):
    home: Home
    design_temp_f: float
    design_load_btu_per_h: float
    options: list
    solar: SolarSizing | None = None

    def to_frame(self):
        """:meth:`rows` (``size --format csv``'s rows) as a pandas DataFrame."""
        from .frames import records_frame

        return records_frame(self.rows())

    def rows(self) -> list[dict]:
        extra = {} if self.solar is None else {
            "pv_kw_to_offset_heat_pump": self.solar.capacity_kw,
            "pv_share_used_by_heat_pump": self.solar.share_used_by_heat_pump,
            "pv_share_self_consumed": self.solar.share_self_consumed}
        # nominal_capacity_btu_per_h: the name the JSON inputs use; nominal_btu_per_h kept for scripts
        return [{"profile": self.home.name, "design_temp_f": self.design_temp_f, **o.to_row(),
                 "nominal_capacity_btu_per_h": o.nominal_btu_per_h, **extra} for o in self.options]


def strip_size_kw(needed_kw: float) -> float:
    for size in STRIP_SIZES_KW:
        if size >= needed_kw - 1e-9:
            return size
    return math.ceil(needed_kw / 5.0) * 5.0


def size_home(home: Home) -> SizingResult:
    """Size an air-source heat pump of the profile's HSPF2 (default 8.1) for the home, for each compressor type.

    The nominal size is the smallest standard size whose maximum capacity at T_size covers the load there, with
    T_size = max(design temperature, cutoff), and at least 17 °F for single- and two-stage units (see
    :func:`heatcalc.model.heat_pump.sizing_temperature_f`); the backup is what the design load exceeds the capacity
    by at the design temperature (all of it when that is below the cutoff).
    """
    given = home.profile.systems.heat_pump or HeatPumpConfig()
    hspf2 = given.hspf2 if given.hspf2 is not None else field_spec("systems.heat_pump.hspf2").default
    cutoff = given.cutoff if given.cutoff is not None else \
        field_spec("systems.heat_pump.cutoff").default_for("air_source")
    cd_default = field_spec("systems.heat_pump.cycling_degradation")
    t_design = home.design_temp_f
    # a heat pump that reaches part of the home (systems.heat_pump.serves) is sized for its share of the load
    share = home.heat_pump.share if home.heat_pump is not None else 1.0
    design_load = share * float(heat_load_btu_per_h(home.ua_btu_per_h_f, t_design, home.balance_point_f))
    if home.heat_load_series_btu_per_h is None:
        temp, hours = home.weather.bin_temp_f, home.weather.bin_hours
        load = share * heat_load_btu_per_h(home.ua_btu_per_h_f, temp, home.balance_point_f)
    else:  # the profile's own series, hour by hour
        temp, hours, load = home.weather.temp_f, None, share * home.heat_load_series_btu_per_h
    cooling_design = None
    if home.cooling is not None:
        hot = float(np.percentile(home.weather.temp_f, 99.0))  # the 1 % cooling design condition
        cooling_design = float(cooling_load_btu_per_h(home.cooling.ua_btu_per_h_f, hot, home.cooling.balance_point_f))
    options = []
    for compressor in COMPRESSORS:
        cd = cd_default.default_for(compressor)
        unit, _, _ = calibrated_default_curve(round(float(hspf2), 6), compressor, cd)
        t_size = sizing_temperature_f(compressor, t_design, cutoff)
        need = share * float(heat_load_btu_per_h(home.ua_btu_per_h_f, t_size, home.balance_point_f))
        nominal = size_to_load_btu_per_h(unit, need, t_size)
        curve = unit.scaled(nominal)
        capacity = float(curve.capacity_max(t_design)) if t_design >= cutoff else 0.0
        hp = HeatPump(curve=curve, cutoff_f=cutoff, backup="electric_resistance", cycling_degradation=cd)
        year = annual_totals(heat_pump_hourly(load, temp, hp), None, hours)
        backup_kw = max(0.0, design_load - capacity) / BTU_PER_KWH
        options.append(SizeOption(
            unit="standard", compressor=compressor, hspf2=float(hspf2), sizing_temp_f=t_size, nominal_btu_per_h=nominal, nominal_tons=nominal / 12000.0,
            capacity_at_design_btu_per_h=capacity, design_load_btu_per_h=design_load,
            covers_design_load=capacity >= design_load,
            heat_share_without_backup=1.0 - year.backup_fraction, backup_needed_kw=backup_kw,
            backup_strip_kw=strip_size_kw(backup_kw), cooling_design_load_btu_per_h=cooling_design))
    given_unit = _profile_unit(home, design_load, load, temp, hours, cooling_design)
    return SizingResult(home, t_design, design_load, ([given_unit] if given_unit else []) + options,
                        size_solar(home))


def size_solar(home: Home) -> SolarSizing | None:
    """The PV capacity that offsets the profile's heat pump over the year, with the profile's array (or PVWatts'
    defaults) at the home's station; None without a heat pump or where the station has no irradiance."""
    from .home import solar_per_kw
    from .model.pv import ARRAY_FIELDS, Site, array_per_kw
    from .profile import Solar
    from .simulate import system_hours
    from .weather import stations as st
    from .weather.solar import has_solar

    if home.heat_pump is None or not home.location.station_id or not has_solar(home.location.station_id):
        return None
    station = st.station_by_id(home.location.station_id)
    cfg = home.profile.solar or Solar(capacity=1.0)
    values = {f: getattr(cfg, f) if getattr(cfg, f) is not None else field_spec(f"solar.{f}").default
              for f in ARRAY_FIELDS}
    if cfg.tilt is None and values["array"] == "one_axis":
        values["tilt"] = None  # a tracker's axis lies flat unless tilted
    array = array_per_kw(cfg.capacity or 1.0, values)
    per_kw = solar_per_kw(station.usaf, array, Site(station.lat, station.lon, station.elevation_m,
                                                    station.utc_offset_h), home.weather.temp_f)
    heat_kwh, _, _, cool_kwh = system_hours(home, "heat_pump")
    hp = heat_kwh + cool_kwh
    yearly = float(per_kw.sum())
    if yearly <= 0 or hp.sum() <= 0:
        return None
    capacity = float(hp.sum()) / yearly
    pv = per_kw * capacity
    base = home.bills.base_kwh_per_h if home.bills is not None else 0.0
    return SolarSizing(float(hp.sum()), yearly, capacity, float(np.minimum(pv, hp).sum() / pv.sum()),
                       float(np.minimum(pv, hp + base).sum() / pv.sum()))


def _profile_unit(home: Home, design_load: float, load, temp, hours, cooling_design) -> SizeOption | None:
    """The profile's own air-source heat pump as given (its curve, size and cut-out): the heat it covers and the
    strips it needs so that no hour goes short: the larger of the design-load shortfall and the largest hourly
    shortfall of the year (the load series' peak can exceed the design load)."""
    hp = home.heat_pump
    if hp is None or hp.ground is not None or home.heat_pump_nominal_btu_per_h is None:
        return None
    t_design = home.design_temp_f
    capacity = float(hp.curve.capacity_max(t_design)) if t_design >= hp.cutoff_f else 0.0
    unlimited = hp._replace(backup="electric_resistance", backup_furnace=None, switchover_f=None,
                            strip_capacity_btu_per_h=np.inf, strip_lockout_f=np.inf, backup_efficiency=1.0,
                            share=1.0, rest_factor=1.0)  # the load given is already its share
    hourly = heat_pump_hourly(load, temp, unlimited)
    year = annual_totals(hourly, None, hours)
    short_btu_per_h = max(design_load - capacity, float(np.max(hourly.backup_heat_btu, initial=0.0)))
    backup_kw = max(0.0, short_btu_per_h) / BTU_PER_KWH
    nominal = float(home.heat_pump_nominal_btu_per_h)
    return SizeOption(
        unit="profile", compressor=home.heat_pump_compressor or "",
        hspf2=heat_pump_hspf2(home.profile.systems.heat_pump, hp, home.heat_pump_compressor or "single_stage"),
        sizing_temp_f=t_design,
        nominal_btu_per_h=nominal, nominal_tons=nominal / 12000.0, capacity_at_design_btu_per_h=capacity,
        design_load_btu_per_h=design_load, covers_design_load=capacity >= design_load,
        heat_share_without_backup=1.0 - year.backup_fraction, backup_needed_kw=backup_kw,
        backup_strip_kw=strip_size_kw(backup_kw), cooling_design_load_btu_per_h=cooling_design)
