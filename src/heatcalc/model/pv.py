"""Rooftop (and ground-mounted) solar: the hourly AC output of a PV array by PVWatts version 8's model chain, with
pvlib.

The chain is NREL's PVWatts version 8 (the ``pvwattsv8`` module of NREL's SAM Simulation Core, ssc, 2023: its
technical reference is the code and SAM's documentation; Gilman et al., *SAM Photovoltaic Model Technical Reference
Update*, NREL/TP-6A20-67399, 2018, for the models it calls), each step with pvlib's implementation where pvlib has
one:

1. sun position at the middle of each hour (TMY3 labels an hour by its end, so 00:30 for the hour ending 01:00),
   local standard time, by NREL's Solar Position Algorithm (Reda & Andreas, *Solar Energy* 76, 2004) as pvlib
   implements it (``pvlib.spa``; what ``pvlib.solarposition.spa_python`` gives, with its defaults): its terms that
   depend on the time alone (the sun's geocentric right ascension and declination, the sidereal time, the Earth's
   distance) once per time zone, the station's own (hour angle, parallax, refraction, zenith, azimuth) per station;
2. the surface: fixed (roof or open rack) at its tilt and azimuth, or a one-axis tracker about a north-south axis
   (the array's azimuth) rotating up to ±45° with backtracking at the ground coverage ratio, PVWatts' "1-axis
   backtracking" (``pvlib.tracking.singleaxis``);
3. plane-of-array irradiance by the Perez 1990 transposition with the hour's extraterrestrial irradiance and
   relative air mass, and ground reflection with the hour's albedo (``pvlib.irradiance``);
4. row-to-row self-shading of open racks and trackers (PVWatts v8: ``solar.gcr``, 0.3 by default; roofs have one
   row): the beam on a fixed rack is cut by the shaded fraction of the row (Appelbaum & Bany, 1979:
   ``pvlib.shading.shaded_fraction1d``; backtracking trackers avoid it), the sky diffuse by the sky the row in front
   masks, averaged up the row (``pvlib.shading.masking_angle``), and the ground-reflected diffuse by the ground the
   rows shade, for the array's estimated number of rows (SAM's ``diffuse_reduce``, after Appelbaum);
5. the cover: anti-reflective glass on every module type (PVWatts v8), its transmittance by the DeSoto model on the
   beam at its angle of incidence and on the sky and ground diffuse at Brandemuehl and Beckman's equivalent angles
   (Duffie & Beckman, *Solar Engineering of Thermal Processes*, eqs. 5.4.1-5.4.2) (``pvlib.iam.physical``:
   glass n = 1.526, K = 4 /m, L = 2 mm; coating n = 1.3);
6. the spectrum: DeSoto's air-mass modifier for polycrystalline modules (De Soto, Klein & Beckman, *Solar Energy*
   80, 2006, Table A1: 0.918093, 0.086257, −0.024459, 0.002816, −0.000126) on the absolute air mass (Kasten &
   Young 1989 at the station's pressure), the zenith capped at 86° as SAM caps it
   (``pvlib.spectrum.spectral_factor_sapm`` with those coefficients);
7. cell temperature by SAM's NOCT model with the mounting's nominal operating cell temperature (45 °C open rack and
   trackers, 49 °C on a roof) and the module's efficiency (``pvlib.temperature.noct_sam``);
8. DC power by the CEC six-parameter single-diode model of PVWatts v8's representative module of each type
   (standard: Canadian Solar CS1H-320MS; premium: SunPower SPR-E20-327; thin film: First Solar FS-6435A; their
   parameters as ssc gives them) at the effective irradiance and cell temperature, scaled from the module's
   nameplate to the array's (``pvlib.pvsystem.calcparams_cec``, ``max_power_point``);
9. system losses (soiling, shading, wiring, mismatch, ... 14 % by default) on the DC power;
10. the Sandia inverter model as PVWatts v8 sets it: AC rating P_ac0 = P_dc0 / (DC-to-AC ratio), DC rating
    P_ac0 / nominal efficiency, self-consumption P_so = 0.2246 % of P_ac0 (residential), no curvature or voltage
    terms, clipping at P_ac0 (``pvlib.inverter.sandia``).

pvlib (and pandas, which it needs) is imported here only, so a comparison without solar never loads it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class CECModule(NamedTuple):
    """A module's CEC single-diode parameters at reference conditions (1000 W/m², 25 °C)."""

    area_m2: float
    v_mp: float
    i_mp: float
    alpha_sc: float  # A/°C
    a_ref: float  # V
    i_l_ref: float  # A
    i_o_ref: float  # A
    r_s: float  # ohm
    r_sh_ref: float  # ohm
    adjust: float  # %

    @property
    def p_mp_w(self) -> float:
        return self.v_mp * self.i_mp

    @property
    def efficiency(self) -> float:
        return self.p_mp_w / (1000.0 * self.area_m2)


#: PVWatts v8's representative module of each type (NREL ssc, cmod_pvwattsv8.cpp, BSD-3-Clause; parameters computed
#: by SAM 2020.2.29 from the CEC module database): Canadian Solar CS1H-320MS, SunPower SPR-E20-327, First Solar
#: FS-6435A.
MODULES = {
    "standard": CECModule(1.6864, 35.8, 9.01, 0.004755, 1.65916, 9.51393, 4.37813e-11, 0.269953, 654.059, 5.79586),
    "premium": CECModule(1.6297, 54.7, 5.98, 0.0026, 2.45326, 6.4704, 2.01784e-11, 0.421231, 261.723, 9.56482),
    "thin_film": CECModule(2.4751, 183.6, 2.37, 0.00102, 7.97293, 2.55475, 2.69243e-12, 4.60991, 2476.95,
                           -2.49865),
}
#: Nominal operating cell temperature by mounting [°C]: 45 in open racks and on trackers, 49 close to a roof
#: (PVWatts v8).
ARRAYS = {"fixed_open_rack": 45.0, "fixed_roof": 49.0, "one_axis": 45.0}
#: DeSoto et al. (2006), Table A1: the air-mass modifier's coefficients for polycrystalline silicon, which SAM's CEC
#: model (and so PVWatts v8) applies to every module.
AIR_MASS_MODIFIER = {"A0": 0.918093, "A1": 0.086257, "A2": -0.024459, "A3": 0.002816, "A4": -0.000126}
#: The inverter's self-consumption as a share of its AC rating, PVWatts v8's for systems under 10 kW DC.
INVERTER_SELF_CONSUMPTION = 0.002246
#: A one-axis tracker's rotation limit [degrees] (PVWatts).
TRACKER_LIMIT_DEG = 45.0
#: Glass cover (DeSoto): refractive index, extinction coefficient [1/m], thickness [m]; anti-reflective coating index.
GLASS = {"n": 1.526, "K": 4.0, "L": 0.002}
COATING_N = 1.3


def _normal_reflectance(n1: float, n2: float) -> float:
    return ((n2 - n1) / (n2 + n1)) ** 2


#: SAM's DeSoto cover passes the sky and ground diffuse through the glass alone but divides by the coated cover's
#: transmittance at normal incidence: the glass's over the coated cover's at 0 degrees (Fresnel; the coating's
#: absorption, 4 /m over 20 um, is left out), 0.9794.
DIFFUSE_COVER_RATIO = (1 - _normal_reflectance(1.0, GLASS["n"])) / (
    (1 - _normal_reflectance(1.0, COATING_N)) * (1 - _normal_reflectance(COATING_N, GLASS["n"])))


def pv_rows(capacity_kw: float, module: str, array: str) -> int:
    """The rows of an open rack or tracker field as PVWatts v8 estimates them for self-shading: the modules the
    nameplate needs, two high (one on a tracker), laid out square; a roof array is one row."""
    if array == "fixed_roof":
        return 1
    modules = max(1, int(np.ceil(capacity_kw * 1000.0 / MODULES[module].p_mp_w)))
    high = 1 if array == "one_axis" else 2
    return int(np.ceil(np.sqrt(modules / high)))


class PVArray(NamedTuple):
    capacity_kw: float  # DC nameplate at standard test conditions
    tilt_deg: float
    azimuth_deg: float  # 180 = south
    losses: float  # share of DC power lost (0.14)
    dc_ac_ratio: float
    inverter_efficiency: float  # nominal
    module: str
    array: str  # fixed_roof, fixed_open_rack or one_axis
    gcr: float = 0.3  # ground coverage ratio of an open rack or tracker field
    rows: int = 1  # rows of the field, for the ground-reflected self-shading (pv_rows)


#: The fields of ``solar`` that shape an array (with ``capacity``).
ARRAY_FIELDS = ("tilt", "azimuth", "losses", "dc_ac_ratio", "inverter_efficiency", "module", "array", "gcr")
#: A one-axis tracker's axis lies flat unless a tilt is given (PVWatts warns of any other).
TRACKER_TILT_DEG = 0.0


def array_per_kw(capacity_kw: float, values: dict) -> PVArray:
    """1 kW (DC) of the array ``values`` describes (:data:`ARRAY_FIELDS`, defaults filled; a tilt of None: a
    tracker's flat axis), with the rows its whole ``capacity_kw`` would stand in: every route builds its array
    here, and scales the output by the capacity (the chain is linear in it at a fixed DC-to-AC ratio)."""
    kind = values["array"]
    tilt = values["tilt"] if values["tilt"] is not None else TRACKER_TILT_DEG
    return PVArray(1.0, float(tilt), float(values["azimuth"]), float(values["losses"]), float(values["dc_ac_ratio"]),
                   float(values["inverter_efficiency"]), values["module"], kind,
                   float(values["gcr"]) if kind != "fixed_roof" else 0.3,
                   pv_rows(capacity_kw, values["module"], kind))


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


def sun_geometry(site: Site, lit=None):
    """The sun's apparent zenith and azimuth [degrees] at the middle of each hour, the extraterrestrial normal
    irradiance [W/m²] and the relative air mass: the same for every array at a site, so kept per site (a batch
    computes them once per station).  NREL's SPA by ``pvlib.spa`` (:func:`_spa_zenith_azimuth`): the same values as
    ``pvlib.solarposition.get_solarposition(..., method="nrel_numpy")``, at a third of the ephemeris' time a station.

    ``lit``: the hours with any light in the weather (a boolean mask), the only ones the chain can turn into power;
    when given, the sun's place is computed at those hours alone (about half the year, half the time) and the others
    read as the sun below the horizon (zenith 180°, azimuth 180°), where every array makes nothing either way."""
    lit = np.ones(8760, dtype=bool) if lit is None else np.asarray(lit, dtype=bool)
    key = (site, lit.tobytes())
    hit = _GEOMETRY.get(key)
    if hit is not None:
        return hit
    import pvlib

    from .. import pvcache

    local, extra = _local_hours(site.utc_offset_h)
    cached = pvcache.get_geometry(site, lit)  # the per-user cache: a batch over a thousand stations reads, not computes
    if cached is not None:
        zenith, azimuth = cached
    else:
        at = np.flatnonzero(lit)
        zenith, azimuth = np.full(8760, 180.0), np.full(8760, 180.0)
        zenith[at], azimuth[at] = _spa_zenith_azimuth(site, at)
        pvcache.put_geometry(site, lit, zenith, azimuth)
    out = (zenith, azimuth, extra, pvlib.atmosphere.get_relative_airmass(zenith))
    if len(_GEOMETRY) >= 16:
        _GEOMETRY.pop(next(iter(_GEOMETRY)))
    _GEOMETRY[key] = out
    return out


#: pvlib.solarposition.spa_python's defaults, which get_solarposition(method="nrel_numpy") uses: the difference
#: between terrestrial and universal time [s], the air temperature [°C] and the refraction at sunrise [degrees].
SPA_DELTA_T_S, SPA_TEMPERATURE_C, SPA_REFRACTION_DEG = 67.0, 12.0, 0.5667
_SUN_TERMS: dict = {}


#: Whole-hour time zones whose year's mid-hours the SPA's time terms are computed for at once (UTC-12 to UTC+14).
WHOLE_ZONES_H = (-12, 14)


def _sun_terms(utc_offset_h: float) -> tuple:
    """The SPA's terms that depend on the time alone, at each mid-hour of the year in a time zone: the apparent
    sidereal time, the sun's geocentric right ascension and declination [degrees] and the Earth-Sun distance [AU]
    (``pvlib.spa.solar_position`` asked for those: ``sst=True``, ``esd=True``).  The same for every station in the
    zone: every whole-hour zone's are read from one run over the mid-hours of UTC that any of them spans (~40 ms a
    process), another zone's made for it."""
    low, high = WHOLE_ZONES_H
    if float(utc_offset_h).is_integer() and low <= utc_offset_h <= high:
        grid = _SUN_TERMS.get("zones")
        if grid is None:  # mid-hour g is UTC 2023-01-01 00:30 + (g - high) hours
            import pandas as pd

            start = _hours()[0].tz_localize("UTC") - pd.Timedelta(hours=high)
            grid = _SUN_TERMS["zones"] = _spa_time_terms(pd.date_range(start, periods=8760 + high - low, freq="h"))
        first = high - int(utc_offset_h)  # local mid-hour h is UTC mid-hour h - offset
        return tuple(x[first:first + 8760] for x in grid)
    hit = _SUN_TERMS.get(utc_offset_h)
    if hit is None:
        hit = _SUN_TERMS[utc_offset_h] = _spa_time_terms(_local_hours(utc_offset_h)[0])
    return hit


def _spa_time_terms(times) -> tuple:
    import pandas as pd
    from pvlib import spa

    unixtime = np.asarray((times - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta("1s"), dtype=float)
    v, alpha, delta = spa.solar_position(unixtime, 0.0, 0.0, 0.0, 1013.25, SPA_TEMPERATURE_C, SPA_DELTA_T_S,
                                         SPA_REFRACTION_DEG, sst=True)
    (r,) = spa.solar_position(unixtime, 0.0, 0.0, 0.0, 1013.25, SPA_TEMPERATURE_C, SPA_DELTA_T_S,
                              SPA_REFRACTION_DEG, esd=True)
    return tuple(np.asarray(x, dtype=float) for x in (v, alpha, delta, r))


def _spa_zenith_azimuth(site: Site, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sun's apparent zenith and azimuth [degrees] at a site at the year's hours ``at`` (indices), by the SPA's
    steps for an observer (``pvlib.spa``: hour angle, parallax, topocentric declination and hour angle, elevation,
    refraction at the station's standard pressure, azimuth) from the zone's time terms (:func:`_sun_terms`)."""
    import pvlib
    from pvlib import spa

    if getattr(spa, "USE_NUMBA", False):  # (its functions compiled for single values: pvlib's own call)
        sun = pvlib.solarposition.get_solarposition(_local_hours(site.utc_offset_h)[0][at], site.lat, site.lon,
                                                    altitude=site.elevation_m, method="nrel_numpy")
        return sun["apparent_zenith"].to_numpy(), sun["azimuth"].to_numpy()
    v, alpha, delta, r = (x[at] for x in _sun_terms(site.utc_offset_h))
    lat, lon, elev = site.lat, site.lon, site.elevation_m
    hour_angle = spa.local_hour_angle(v, lon, alpha)
    parallax = spa.equatorial_horizontal_parallax(r)
    u = spa.uterm(lat)
    x, y = spa.xterm(u, lat, elev), spa.yterm(u, lat, elev)
    shift = spa.parallax_sun_right_ascension(x, parallax, hour_angle, delta)
    declination = spa.topocentric_sun_declination(delta, x, y, parallax, shift, hour_angle)
    local_angle = spa.topocentric_local_hour_angle(hour_angle, shift)
    bare = spa.topocentric_elevation_angle_without_atmosphere(lat, declination, local_angle)
    pressure_mbar = pvlib.atmosphere.alt2pres(elev) / 100.0
    refraction = spa.atmospheric_refraction_correction(pressure_mbar, SPA_TEMPERATURE_C, bare, SPA_REFRACTION_DEG)
    zenith = spa.topocentric_zenith_angle(spa.topocentric_elevation_angle(bare, refraction))
    azimuth = spa.topocentric_azimuth_angle(spa.topocentric_astronomers_azimuth(local_angle, declination, lat))
    return np.asarray(zenith, dtype=float), np.asarray(azimuth, dtype=float)


def lit_hours(ghi, dni, dhi) -> np.ndarray:
    """The hours with any light in the weather (a boolean mask of the year): the only ones an array can make power
    in, whatever its orientation (the PV cache stores an array's output at these hours)."""
    ghi, dni, dhi = (np.broadcast_to(np.asarray(x, dtype=float), (8760,)) for x in (ghi, dni, dhi))
    return (ghi > 0) | (dni > 0) | (dhi > 0)


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
    broadcast each array's parameters, as (arrays, 1) columns (or (arrays, hours) for a tracker's orientation),
    against the hours; an array's row is the same as computing it alone."""
    import pvlib

    def column(values) -> np.ndarray:
        return np.array(values, dtype=float)[:, None]

    ghi, dni, dhi = (np.broadcast_to(np.asarray(x, dtype=float), (8760,)) for x in (ghi, dni, dhi))
    zenith, azimuth, dni_extra, airmass = sun_geometry(site, lit_hours(ghi, dni, dhi))
    # the chain on the hours the sun is up and there is light (every step works hour by hour, so their values are
    # the same as on the whole year's); with no sun or no light every array makes nothing (no irradiance on the
    # plane, no power: the inverter's self-consumption and night tare hold it at zero)
    up = np.flatnonzero(zenith < 90.0)
    zenith, azimuth, dni_extra, airmass = zenith[up], azimuth[up], dni_extra[up], airmass[up]

    def hours(x) -> np.ndarray:
        return np.broadcast_to(np.asarray(x, dtype=float), (8760,))[up]

    ghi, dni, dhi = ghi[up], dni[up], dhi[up]
    shape = (len(arrays), zenith.size)
    tilt, surface_azimuth = _orientation(arrays, zenith, azimuth, shape)
    # the angle of incidence as pvlib.irradiance.aoi makes it, from the projection, which also gives the beam on the
    # plane (pvlib.irradiance.poa_components' poa_direct, dni cos(aoi), without taking the cosine of the angle back)
    projection = pvlib.irradiance.aoi_projection(tilt, surface_azimuth, zenith, azimuth)
    aoi = np.arccos(projection)
    np.rad2deg(aoi, out=aoi)
    sky = pvlib.irradiance.perez(tilt, surface_azimuth, dhi, dni, dni_extra, zenith, azimuth, airmass)
    ground = pvlib.irradiance.get_ground_diffuse(tilt, ghi, albedo=hours(albedo))
    beam = np.multiply(dni, projection)
    beam, sky, ground = np.fmax(beam, 0.0, out=beam), _nonnegative(sky, shape), _nonnegative(ground, shape)
    _self_shade(arrays, beam, sky, ground, tilt, zenith, azimuth, dni, dhi, hours(albedo))
    total = beam + sky + ground
    # the cover (anti-reflective glass): the beam at its angle, the diffuse at their equivalent angles
    k_beam = _beam_cover(aoi)
    # the diffuse's equivalent angles depend on the tilt alone: a few values (one per fixed array). As SAM's DeSoto
    # cover does, the diffuse passes the glass alone, over the coated cover's transmittance at normal incidence
    tilts, at = np.unique(tilt, return_inverse=True)
    glass = {"n": GLASS["n"], "K": GLASS["K"], "L": GLASS["L"]}
    k_sky = DIFFUSE_COVER_RATIO * pvlib.iam.physical(
        np.clip(59.7 - 0.1388 * tilts + 0.001497 * tilts ** 2, 1.0, 89.0), **glass)[at].reshape(tilt.shape)
    k_ground = DIFFUSE_COVER_RATIO * pvlib.iam.physical(
        np.clip(90.0 - 0.5788 * tilts + 0.002693 * tilts ** 2, 1.0, 89.0), **glass)[at].reshape(tilt.shape)
    # (in place where the array is this function's own, the same arithmetic in the same order)
    through_cover = np.minimum(k_beam, 1.0, out=k_beam)
    through_cover *= beam
    through_cover += sky * np.minimum(k_sky, 1.0)
    through_cover += ground * np.minimum(k_ground, 1.0)
    # the spectrum: DeSoto's air-mass modifier on the absolute air mass at the station's pressure
    absolute = pvlib.atmosphere.get_absolute_airmass(
        pvlib.atmosphere.get_relative_airmass(np.minimum(zenith, 86.0)),
        pvlib.atmosphere.alt2pres(site.elevation_m))
    spectral = np.maximum(np.asarray(pvlib.spectrum.spectral_factor_sapm(absolute, AIR_MASS_MODIFIER), dtype=float),
                          0.0)
    effective = np.multiply(through_cover, spectral)
    np.maximum(effective, 0.0, out=effective)
    temp_air = hours(temp_air_c)
    modules = [MODULES[a.module] for a in arrays]
    # SAM's NOCT model as v8 calls it: heated by the irradiance after the cover and the spectrum, its
    # transmittance-absorptance scaled by the cover's share (pvlib's poa_global and effective_irradiance set so)
    with np.errstate(invalid="ignore", divide="ignore"):  # dark hours: 0/0 inside the model, zero output
        cover_share = np.where(total > 0, through_cover / total, 1.0)
        temp_cell = np.asarray(pvlib.temperature.noct_sam(
            effective, temp_air, np.maximum(hours(wind_m_per_s), 0.0), column([ARRAYS[a.array] for a in arrays]),
            column([m.efficiency for m in modules]), effective_irradiance=effective * cover_share), dtype=float)
    temp_cell = np.where(np.isfinite(temp_cell), temp_cell, temp_air)
    pdc0_w = column([a.capacity_kw for a in arrays]) * 1000.0
    # the module's power scaled to the array's nameplate, less the system's losses (one factor an array)
    dc = _cec_dc_w(modules, effective, temp_cell)
    dc *= pdc0_w * (1.0 - column([a.losses for a in arrays])) / column([m.p_mp_w for m in modules])
    eta = column([a.inverter_efficiency for a in arrays])
    pac0_w = pdc0_w / column([a.dc_ac_ratio for a in arrays])
    inverter = {"Paco": pac0_w, "Pdco": pac0_w / eta, "Vdco": 1.0, "Pso": INVERTER_SELF_CONSUMPTION * pac0_w,
                "C0": 0.0, "C1": 0.0, "C2": 0.0, "C3": 0.0, "Pnt": 0.0}
    # (the DC voltage at the rating, the same every hour: as a column, the model's voltage terms are made once an
    # array and broadcast, not made at every hour)
    ac = np.asarray(pvlib.inverter.sandia(np.ones((len(arrays), 1)), np.maximum(dc, 0.0, out=dc), inverter),
                    dtype=float)  # (pvlib's new array)
    np.fmax(ac, 0.0, out=ac)  # (fmax: NaN, where the model has none, as 0)
    ac /= 1000.0
    out = np.zeros((len(arrays), 8760))
    out[:, up] = ac
    return out


def _nonnegative(values, shape) -> np.ndarray:
    """A component of the plane's irradiance as a new (arrays, hours) array, NaN as 0 and nothing below 0."""
    return np.fmax(np.broadcast_to(np.asarray(values, dtype=float), shape), 0.0)  # (fmax: NaN as the other, 0)


def _orientation(arrays: list, zenith, azimuth, shape):
    """Each array's surface tilt and azimuth at each sun-up hour: fixed, or a one-axis tracker (axis along the
    array's azimuth, tilted by its tilt) backtracking at its ground coverage ratio."""
    import pvlib

    if not any(a.array == "one_axis" for a in arrays):  # fixed arrays: (arrays, 1) columns, broadcast by the chain
        return (np.array([[a.tilt_deg] for a in arrays], dtype=float),
                np.array([[a.azimuth_deg] for a in arrays], dtype=float))
    tilt = np.empty(shape)
    surface_azimuth = np.empty(shape)
    for i, a in enumerate(arrays):
        if a.array == "one_axis":
            track = pvlib.tracking.singleaxis(zenith, azimuth, axis_tilt=a.tilt_deg, axis_azimuth=a.azimuth_deg,
                                              max_angle=TRACKER_LIMIT_DEG, backtrack=True, gcr=a.gcr)
            tilt[i] = np.nan_to_num(np.asarray(track["surface_tilt"], dtype=float), nan=a.tilt_deg)
            surface_azimuth[i] = np.nan_to_num(np.asarray(track["surface_azimuth"], dtype=float),
                                               nan=a.azimuth_deg)
        else:
            tilt[i], surface_azimuth[i] = a.tilt_deg, a.azimuth_deg
    return tilt, surface_azimuth


#: Points up a row's slant at which the sky it sees is averaged (SAM averages 250).
SKY_STEPS = 250


def _self_shade(arrays: list, beam, sky, ground, tilt, zenith, azimuth, dni, dhi, albedo) -> None:
    """Row-to-row self-shading of open racks and trackers, in place: the beam on a fixed rack cut by the shaded
    fraction of the row, the sky diffuse by the mean sky the row in front leaves each point up the row, the
    ground-reflected diffuse by the share of the ground between the rows that the rows shade (``rows`` rows)."""
    import pvlib

    for i, a in enumerate(arrays):
        if a.array == "fixed_roof":
            continue
        t = tilt[i]
        if a.array == "fixed_open_rack":
            shaded = pvlib.shading.shaded_fraction1d(zenith, azimuth, axis_azimuth=a.azimuth_deg - 90.0,
                                                     shaded_row_rotation=a.tilt_deg, collector_width=1.0,
                                                     pitch=1.0 / a.gcr)
            beam[i] *= 1.0 - np.clip(np.nan_to_num(np.asarray(shaded, dtype=float)), 0.0, 1.0)
        sky[i] *= _sky_seen(t, a.gcr)
        ground[i] *= _ground_seen(t, a.gcr, a.rows, zenith, dni, dhi, albedo)


def _sky_seen(tilt, gcr: float):
    """The share of the isotropic sky diffuse a row receives with the row in front masking the sky: the mean over
    the row's slant of (1 + cos(tilt + masking angle)) / (1 + cos tilt) (SAM's sky diffuse derate)."""
    import pvlib

    t = np.asarray(tilt, dtype=float)
    flat = np.abs(t) < 1e-6
    heights = (np.arange(SKY_STEPS) + 0.5) / SKY_STEPS
    keys, index = np.unique(np.round(np.abs(t), 2), return_inverse=True)  # a tracker's hours share few angles
    seen = np.ones(keys.size)
    for k, beta in enumerate(keys):
        if beta < 1e-6:
            continue
        psi = pvlib.shading.masking_angle(beta, gcr, heights)
        seen[k] = np.mean((1.0 + np.cos(np.radians(beta + psi))) / (1.0 + np.cos(np.radians(beta))))
    return np.where(flat, 1.0, seen[index].reshape(t.shape))


def _ground_seen(tilt, gcr: float, rows: int, zenith, dni, dhi, albedo):
    """The share of the ground-reflected diffuse a field of ``rows`` rows receives (SAM's ``diffuse_reduce``, after
    Appelbaum): the front row sees open ground, each row behind it the strip between rows, part of it in the shadow
    of the row in front (none of it for the diffuse sky's share)."""
    t = np.radians(np.abs(np.asarray(tilt, dtype=float)))
    elevation = np.radians(np.maximum(90.0 - zenith, 0.01))
    spacing = 1.0 / gcr  # row pitch over the collector's slant width
    beam_h = dni * np.cos(np.radians(zenith))
    open_ground = albedo * np.sin(t / 2.0) ** 2
    shadowed = np.maximum(1e-5, spacing - np.sin(np.pi - elevation - t) / np.sin(elevation))
    strip_beam = 0.5 * albedo * (1.0 + shadowed - np.sqrt(shadowed ** 2 - 2.0 * shadowed * np.cos(np.pi - t) + 1.0))
    strip_sky = 0.5 * albedo * (1.0 + spacing - np.sqrt(spacing ** 2 - 2.0 * spacing * np.cos(np.pi - t) + 1.0))
    unshaded = open_ground * (beam_h + dhi)
    reduced = ((open_ground + (rows - 1) * strip_beam) / rows) * beam_h + \
        ((open_ground + (rows - 1) * strip_sky) / rows) * dhi
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(unshaded > 0, reduced / unshaded, 1.0)
    return np.clip(np.nan_to_num(share, nan=1.0), 0.0, 1.0)


#: The step [degrees] of the table the beam's cover transmittance is read from (:func:`_beam_cover`).
COVER_STEP_DEG = 0.002
_COVER: list = []


def _beam_cover(aoi) -> np.ndarray:
    """The coated cover's transmittance of the beam at each angle of incidence (``pvlib.iam.physical``, the angle
    held to 1-89°), read by linear interpolation from a table pvlib makes once a process every 0.002° (44,001 angles,
    8 ms): within 1e-8 of calling it on each hour (a test: 6e-9 at worst, near 89°), at a tenth of the time; it was
    a third of an array's chain."""
    if not _COVER:
        import pvlib

        angles = np.arange(1.0, 89.0 + COVER_STEP_DEG / 2, COVER_STEP_DEG)
        cover = {"n": GLASS["n"], "K": GLASS["K"], "L": GLASS["L"], "n_ar": COATING_N}
        table = np.nan_to_num(np.asarray(pvlib.iam.physical(angles, **cover), dtype=float))
        _COVER.append((table[:-1], np.diff(table)))
    base, slope = _COVER[0]
    # (each step in place, the same arithmetic in the same order: a few passes fewer over (arrays x hours) arrays)
    x = np.nan_to_num(np.asarray(aoi, dtype=float), nan=89.0)  # (a new array)
    np.clip(x, 1.0, 89.0, out=x)
    x -= 1.0
    x /= COVER_STEP_DEG
    i = x.astype(np.intp)
    np.minimum(i, base.size - 1, out=i)
    x -= i
    x *= np.take(slope, i)
    x += np.take(base, i)
    return x


def _cec_dc_w(modules: list, effective, temp_cell) -> np.ndarray:
    """A module's maximum power [W] at each hour's effective irradiance and cell temperature by the CEC single-diode
    model, read from the module's table (:func:`_cec_table`) by bilinear interpolation; no output below 1 W/m².
    The arrays with the same module are read together."""
    effective, temp_cell = np.asarray(effective, dtype=float), np.asarray(temp_cell, dtype=float)
    out = np.zeros(effective.shape)
    for m in dict.fromkeys(modules):
        rows = [i for i, other in enumerate(modules) if other == m]
        every = len(rows) == len(modules)
        g_axis, t_axis, table = _cec_table(m)
        cells = _cec_cells(m)
        e = effective if every else effective[rows]
        # (each step in place, the same arithmetic in the same order: a few passes fewer over (arrays x hours)
        # arrays)
        fg = np.clip(e, g_axis[0], g_axis[-1])
        fg -= g_axis[0]
        fg /= g_axis[1] - g_axis[0]
        ft = np.clip(temp_cell if every else temp_cell[rows], t_axis[0], t_axis[-1])
        ft -= t_axis[0]
        ft /= t_axis[1] - t_axis[0]
        gi = fg.astype(np.intp)
        np.minimum(gi, g_axis.size - 2, out=gi)
        ti = ft.astype(np.intp)
        np.minimum(ti, t_axis.size - 2, out=ti)
        fg -= gi  # (the fractions within the cell)
        ft -= ti
        gi *= t_axis.size - 1
        gi += ti
        # each hour's cell: its low-temperature corner and step across the irradiance, then the high's (the steps
        # made once a module: the same differences as made at each hour)
        low = np.take(cells[1], gi)
        low *= fg
        low += np.take(cells[0], gi)
        p = np.take(cells[3], gi)
        p *= fg
        p += np.take(cells[2], gi)
        p -= low
        p *= ft
        p += low
        np.maximum(p, 0.0, out=p)
        p[~(e >= 1.0)] = 0.0  # (no output below 1 W/m2)
        if every:
            out = p
        else:
            out[rows] = p
    return out


#: The grid a module's maximum power is tabulated on: effective irradiance [W/m²] and cell temperature [°C].
CEC_IRRADIANCE = np.arange(1.0, 1802.0, 10.0)
CEC_TEMPERATURE = np.arange(-50.0, 101.0, 2.0)
_CEC_TABLES: dict = {}


def _cec_table(m: CECModule):
    """The module's maximum power [W] by the CEC model (``pvlib.pvsystem.calcparams_cec``, ``max_power_point``)
    over :data:`CEC_IRRADIANCE` x :data:`CEC_TEMPERATURE`, made once a process (20 ms): an hour's power is then a
    bilinear reading (within 0.01 % of solving the diode equation above 100 W/m², 0.2 % below; the year's energy
    the same to 1e-6: a test), many times faster in a batch."""
    hit = _CEC_TABLES.get(m)
    if hit is not None:
        return hit
    import pvlib

    g, t = np.meshgrid(CEC_IRRADIANCE, CEC_TEMPERATURE, indexing="ij")
    il, io, rs, rsh, nnsvth = pvlib.pvsystem.calcparams_cec(
        g.ravel(), t.ravel(), m.alpha_sc, m.a_ref, m.i_l_ref, m.i_o_ref, m.r_sh_ref, m.r_s, m.adjust, EgRef=1.12)
    mpp = pvlib.pvsystem.max_power_point(il, io, rs, rsh, nnsvth, method="newton")
    table = np.maximum(np.nan_to_num(np.asarray(mpp["p_mp"], dtype=float)), 0.0).reshape(g.shape)
    hit = _CEC_TABLES[m] = (CEC_IRRADIANCE, CEC_TEMPERATURE, table)
    return hit


_CEC_CELLS: dict = {}


def _cec_cells(m: CECModule) -> tuple:
    """The module's table as cells, four arrays over the (irradiance, temperature) cells: the power at a cell's low
    irradiance and temperature, the step to its high irradiance at that temperature, then the same two at its high
    temperature, so an hour's reading gathers four values from contiguous tables."""
    hit = _CEC_CELLS.get(m)
    if hit is None:
        table = _cec_table(m)[2]
        cold, warm = table[:, :-1], table[:, 1:]
        hit = _CEC_CELLS[m] = tuple(np.ascontiguousarray(x).reshape(-1) for x in (
            cold[:-1], cold[1:] - cold[:-1], warm[:-1], warm[1:] - warm[:-1]))
    return hit


def cec_dc_exact_w(m: CECModule, effective, temp_cell) -> np.ndarray:
    """The CEC model solved for each value (what the table is made of; for checking it)."""
    import pvlib

    il, io, rs, rsh, nnsvth = pvlib.pvsystem.calcparams_cec(
        np.asarray(effective, dtype=float), np.asarray(temp_cell, dtype=float), m.alpha_sc, m.a_ref, m.i_l_ref,
        m.i_o_ref, m.r_sh_ref, m.r_s, m.adjust, EgRef=1.12)
    mpp = pvlib.pvsystem.max_power_point(il, io, rs, rsh, nnsvth, method="newton")
    return np.maximum(np.nan_to_num(np.asarray(mpp["p_mp"], dtype=float)), 0.0)
