"""Rooftop solar: the hourly AC output of a PV array by PVWatts' model chain, with pvlib.

The chain (Dobos, *PVWatts Version 5 Manual*, NREL/TP-6A20-62641, 2014; the version 8 changes as NREL's PVWatts
documentation lists them, 2022):

1. sun position at the middle of each hour (TMY3 labels an hour by its end, so 00:30 for the hour ending 01:00),
   local standard time (``pvlib.solarposition``, its ephemeris algorithm: within 0.01° of NREL's SPA, which
   PVWatts uses, and seven times faster);
2. plane-of-array irradiance by the Perez 1990 transposition with the hour's extraterrestrial irradiance and
   relative air mass, and ground reflection with the hour's albedo (``pvlib.irradiance.get_total_irradiance``);
3. the cover's angle-of-incidence loss on the beam (``pvlib.iam.physical``: glass n = 1.526, with an
   anti-reflective coating n = 1.3 on premium modules);
4. cell temperature by SAM's NOCT model (Gilman et al., *SAM Photovoltaic Model Technical Reference Update*,
   NREL/TP-6A20-67399, 2018, section 10.6) with the mounting's nominal operating cell temperature (45 °C open
   rack, 49 °C on a roof) and the module type's efficiency (``pvlib.temperature.noct_sam``); PVWatts version 5
   used Fuentes' model with the same temperatures, which runs hour by hour in Python (a second a year) where this
   one is vectorised;
5. DC power P_dc = P_dc0 · G_eff/1000 · [1 + γ (T_cell − 25 °C)] (``pvlib.pvsystem.pvwatts_dc``), γ by module
   type (standard −0.37 %/°C, premium −0.35 %/°C, thin film −0.32 %/°C: PVWatts version 8);
6. system losses (soiling, shading, wiring, mismatch, ... 14 % by default) on the DC power;
7. PVWatts' inverter model with its efficiency curve and clipping at P_ac0 = P_dc0 / (DC-to-AC ratio)
   (``pvlib.inverter.pvwatts``).

pvlib (and pandas, which it needs) is imported here only, so a comparison without solar never loads it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

#: Module types: temperature coefficient of power [1/°C] and whether the cover has an anti-reflective coating.
MODULES = {
    "standard": (-0.0037, False),
    "premium": (-0.0035, True),
    "thin_film": (-0.0032, False),
}
#: Nominal operating cell temperature by mounting [°C]: 45 in open racks, 49 close to a roof (PVWatts v5 manual,
#: section 6, installed NOCT).
ARRAYS = {"fixed_open_rack": 45.0, "fixed_roof": 49.0}
#: Nominal module efficiency by type (PVWatts version 8: standard 19 %, premium 21 %, thin film 18 %), for the cell
#: temperature model.
EFFICIENCY = {"standard": 0.19, "premium": 0.21, "thin_film": 0.18}


class PVArray(NamedTuple):
    capacity_kw: float  # DC nameplate at standard test conditions
    tilt_deg: float
    azimuth_deg: float  # 180 = south
    losses: float  # share of DC power lost (0.14)
    dc_ac_ratio: float
    inverter_efficiency: float  # nominal
    module: str
    array: str


class Site(NamedTuple):
    lat: float
    lon: float
    elevation_m: float
    utc_offset_h: float


_GEOMETRY: dict = {}


_TIMES: list = []


def _hours():
    """The middle of each hour of the weather year (00:30 for the hour ending 01:00), local standard time."""
    if not _TIMES:
        import pandas as pd

        _TIMES.append(pd.date_range(pd.Timestamp("2023-01-01 00:30"), periods=8760, freq="h"))
    return _TIMES[0]


_LOCAL: dict = {}


def _local_hours(utc_offset_h: float):
    """The year's mid-hours in a time zone and the extraterrestrial irradiance [W/m²] at each (it depends on the
    day of the year only): the same for every station in the zone, so made once per zone."""
    hit = _LOCAL.get(utc_offset_h)
    if hit is None:
        import pandas as pd
        import pvlib

        times = _hours()
        tz = f"Etc/GMT{-int(utc_offset_h):+d}" if float(utc_offset_h).is_integer() else None
        local = times.tz_localize(tz) if tz else (times - pd.Timedelta(hours=utc_offset_h)).tz_localize("UTC")
        hit = _LOCAL[utc_offset_h] = (local, pvlib.irradiance.get_extra_radiation(local).to_numpy())
    return hit


def sun_geometry(site: Site):
    """The sun's apparent zenith and azimuth [degrees] at the middle of each hour, the extraterrestrial normal
    irradiance [W/m²] and the relative air mass: the same for every array at a site, so kept per site (a batch
    computes them once per station).  pvlib's ephemeris algorithm: within 0.01° of NREL's SPA (checked at Boston
    Logan over the year) at a seventh of the time."""
    hit = _GEOMETRY.get(site)
    if hit is not None:
        return hit
    import pvlib

    from .. import pvcache

    cached = pvcache.get_geometry(site)  # the per-user cache: a batch over a thousand stations reads, not computes
    if cached is not None:
        zenith, azimuth, extra = cached
    else:
        local, extra = _local_hours(site.utc_offset_h)
        sun = pvlib.solarposition.get_solarposition(local, site.lat, site.lon, altitude=site.elevation_m,
                                                    method="ephemeris")
        zenith, azimuth = sun["apparent_zenith"].to_numpy(), sun["azimuth"].to_numpy()
        pvcache.put_geometry(site, zenith, azimuth, extra)
    out = (zenith, azimuth, extra, pvlib.atmosphere.get_relative_airmass(zenith))
    if len(_GEOMETRY) >= 16:
        _GEOMETRY.pop(next(iter(_GEOMETRY)))
    _GEOMETRY[site] = out
    return out


def ac_output_kwh(array: PVArray, site: Site, ghi, dni, dhi, temp_air_c, wind_m_per_s, albedo) -> np.ndarray:
    """AC energy of each of the 8,760 hours [kWh] (the hour's mean power in kW).

    Parameters
    ----------
    array : PVArray
    site : Site
    ghi, dni, dhi : array
        The hour's global horizontal, direct normal and diffuse horizontal irradiance [W/m²].
    temp_air_c : array
        Dry-bulb temperature [°C].
    wind_m_per_s : array
        Wind speed at 10 m [m/s].
    albedo : array
        Ground reflectance [0-1].
    """
    return ac_output_kwh_many([array], site, ghi, dni, dhi, temp_air_c, wind_m_per_s, albedo)[0]


def ac_output_kwh_many(arrays: list, site: Site, ghi, dni, dhi, temp_air_c, wind_m_per_s, albedo) -> np.ndarray:
    """:func:`ac_output_kwh` for several arrays at one site at once: (arrays, 8,760) [kWh].  The chain's functions
    broadcast each array's parameters, as (arrays, 1) columns, against the hours; an array's row is the same,
    bit for bit, as computing it alone."""
    import pvlib

    def column(values) -> np.ndarray:
        return np.array(values, dtype=float)[:, None]

    zenith, azimuth, dni_extra, airmass = sun_geometry(site)
    # the chain on the hours the sun is up (every step works hour by hour, so their values are the same as on the
    # whole year's); at night every array makes nothing
    up = np.flatnonzero(zenith < 90.0)
    zenith, azimuth, dni_extra, airmass = zenith[up], azimuth[up], dni_extra[up], airmass[up]

    def hours(x) -> np.ndarray:
        return np.broadcast_to(np.asarray(x, dtype=float), (8760,))[up]

    ghi, dni, dhi = hours(ghi), hours(dni), hours(dhi)
    tilt, surface_azimuth = column([a.tilt_deg for a in arrays]), column([a.azimuth_deg for a in arrays])
    # get_total_irradiance's steps (Perez sky diffuse, ground reflection, beam on the plane), with the angle of
    # incidence computed once for the beam and the cover's loss
    aoi = pvlib.irradiance.aoi(tilt, surface_azimuth, zenith, azimuth)
    sky = pvlib.irradiance.perez(tilt, surface_azimuth, dhi, dni, dni_extra, zenith, azimuth, airmass)
    ground = pvlib.irradiance.get_ground_diffuse(tilt, ghi, albedo=hours(albedo))
    poa = pvlib.irradiance.poa_components(aoi, dni, sky, ground)
    shape = (len(arrays), zenith.size)
    beam, sky, ground = (np.broadcast_to(np.nan_to_num(np.asarray(poa[k], dtype=float)), shape)
                         for k in ("poa_direct", "poa_sky_diffuse", "poa_ground_diffuse"))
    coated = np.array([MODULES[a.module][1] for a in arrays])[:, None]
    iam = pvlib.iam.physical(aoi, n=np.where(coated, 1.3, 1.526))
    effective = np.maximum(0.0, beam * np.nan_to_num(iam) + sky + ground)
    total = np.maximum(0.0, beam + sky + ground)
    temp_air = hours(temp_air_c)
    with np.errstate(invalid="ignore", divide="ignore"):  # dark hours: 0/0 inside the model, zero output
        temp_cell = np.asarray(pvlib.temperature.noct_sam(
            total, temp_air, np.maximum(hours(wind_m_per_s), 0.0),
            column([ARRAYS[a.array] for a in arrays]), column([EFFICIENCY[a.module] for a in arrays]),
            effective_irradiance=effective), dtype=float)
    temp_cell = np.where(np.isfinite(temp_cell), temp_cell, temp_air)
    pdc0_w = column([a.capacity_kw for a in arrays]) * 1000.0
    gamma = column([MODULES[a.module][0] for a in arrays])
    dc = pvlib.pvsystem.pvwatts_dc(effective, temp_cell, pdc0_w, gamma) * (1.0 - column([a.losses for a in arrays]))
    eta = column([a.inverter_efficiency for a in arrays])
    pac0_w = pdc0_w / column([a.dc_ac_ratio for a in arrays])
    ac = pvlib.inverter.pvwatts(np.maximum(dc, 0.0), pac0_w / eta, eta_inv_nom=eta)
    out = np.zeros((len(arrays), 8760))
    out[:, up] = np.maximum(np.nan_to_num(np.asarray(ac, dtype=float)), 0.0) / 1000.0
    return out
