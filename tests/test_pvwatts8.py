"""PVWatts version 8's components (issue "Rates and solar as the references compute them"), each checked by hand or
against an independent formula: the cover on beam and diffuse with anti-reflective glass, DeSoto's air-mass
modifier, the CEC module model at its rating, the Sandia inverter with self-consumption, row self-shading of open
racks, and one-axis trackers with backtracking."""

import numpy as np
import pytest

pvlib = pytest.importorskip("pvlib")

from heatcalc.model import pv  # noqa: E402
from heatcalc.model.pv import PVArray, Site, ac_output_kwh_many, array_per_kw, pv_rows  # noqa: E402
from heatcalc.weather import stations as st  # noqa: E402
from heatcalc.weather.solar import solar_resource  # noqa: E402


def fresnel_cover(theta_deg, with_coating: bool):
    """Transmittance of a glass cover (n 1.526, K 4 /m, L 2 mm) with an optional anti-reflective layer (n 1.3),
    Fresnel reflection and Bouguer absorption (Duffie & Beckman ch. 5), normalised at normal incidence: an
    independent implementation of what PVWatts v8 (DeSoto) and pvlib.iam.physical compute."""
    def layer(theta, n1, n2, k, thick):
        t1 = np.radians(theta)
        t2 = np.arcsin(n1 / n2 * np.sin(t1))
        r = 0.5 * (np.sin(t2 - t1) ** 2 / np.sin(t2 + t1) ** 2 + np.tan(t2 - t1) ** 2 / np.tan(t2 + t1) ** 2)
        return (1 - r) * np.exp(-k * thick / np.cos(t2)), np.degrees(t2)

    def tau(theta):
        if with_coating:
            coat, inside = layer(theta, 1.0, 1.3, 0.0, 0.0)
            glass, _ = layer(inside, 1.3, 1.526, 4.0, 0.002)
            return coat * glass
        return layer(theta, 1.0, 1.526, 4.0, 0.002)[0]

    return tau(theta_deg) / tau(1e-3)


def test_the_cover_passes_beam_and_diffuse_as_fresnel_and_bouguer_say():
    # pvlib follows each polarisation through both interfaces with the internal reflections; SAM's DeSoto model
    # multiplies the two interfaces' mean transmittances: the same to 0.1 % up to 40 degrees, 0.5 % to 75
    cover = {"n": 1.526, "K": 4.0, "L": 0.002, "n_ar": 1.3}
    for theta, tolerance in ((10.0, 1e-3), (40.0, 1e-3), (60.0, 5e-3), (75.0, 5e-3)):
        assert pvlib.iam.physical(theta, **cover) == pytest.approx(fresnel_cover(theta, True), rel=tolerance)
    # the diffuse at Brandemuehl and Beckman's equivalent angles: a 20 degree tilt sees the sky at
    # 59.7 - 0.1388 x 20 + 0.001497 x 400 = 57.52 degrees and the ground at 90 - 11.576 + 1.077 = 79.50
    tilt = 20.0
    assert 59.7 - 0.1388 * tilt + 0.001497 * tilt ** 2 == pytest.approx(57.5228)
    assert 90.0 - 0.5788 * tilt + 0.002693 * tilt ** 2 == pytest.approx(79.5012)
    # the coating lets more through at grazing angles than bare glass
    assert fresnel_cover(75.0, True) > fresnel_cover(75.0, False)
    # SAM passes the diffuse through the glass alone over the coated cover's normal transmittance: normal
    # reflectances 0.04339 (air-glass), 0.01701 (air-coating), 0.00640 (coating-glass):
    # 0.95661 / (0.98299 x 0.99360) = 0.97946
    assert pv.DIFFUSE_COVER_RATIO == pytest.approx(0.95661 / (0.98299 * 0.99360), rel=1e-4)


def test_desotos_air_mass_modifier_by_hand():
    # f(AM) = 0.918093 + 0.086257 AM - 0.024459 AM^2 + 0.002816 AM^3 - 0.000126 AM^4 (DeSoto et al. 2006, Table A1)
    for am in (1.0, 1.5, 3.0, 6.0):
        hand = 0.918093 + 0.086257 * am - 0.024459 * am ** 2 + 0.002816 * am ** 3 - 0.000126 * am ** 4
        assert float(pvlib.spectrum.spectral_factor_sapm(am, pv.AIR_MASS_MODIFIER)) == pytest.approx(hand)
    # AM 1.5 (the rating spectrum) is close to 1 by construction: 0.918093 + 0.129386 - 0.055033 + 0.009504
    # - 0.000638 = 1.00131
    assert float(pvlib.spectrum.spectral_factor_sapm(1.5, pv.AIR_MASS_MODIFIER)) == pytest.approx(1.00131, abs=1e-5)


def test_each_module_model_gives_its_nameplate_at_rating():
    # at 1000 W/m2 and 25 C the CEC model's maximum power is the module's Vmp x Imp (standard: 35.8 V x 9.01 A =
    # 322.6 W); at 200 W/m2 a little under a fifth of it
    for name, module in pv.MODULES.items():
        out = pv._cec_dc_w([module], np.array([[1000.0, 200.0]]), np.array([[25.0, 25.0]]))[0]
        assert out[0] == pytest.approx(module.v_mp * module.i_mp, rel=1e-4), name
        assert 0.18 < out[1] / out[0] < 0.2, name
    assert pv.MODULES["standard"].p_mp_w == pytest.approx(322.558)


def test_the_sandia_inverter_as_pvwatts8_sets_it():
    # P_ac0 = 1000 / 1.2 = 833.3 W, P_dc0 = P_ac0 / 0.96 = 868.1 W, P_so = 0.2246 % of P_ac0 = 1.872 W:
    # P_ac = P_ac0 / (P_dc0 - P_so) x (P_dc - P_so), clipped at P_ac0
    paco = 1000.0 / 1.2
    pdco = paco / 0.96
    pso = pv.INVERTER_SELF_CONSUMPTION * paco
    inverter = {"Paco": paco, "Pdco": pdco, "Vdco": 1.0, "Pso": pso, "C0": 0.0, "C1": 0.0, "C2": 0.0, "C3": 0.0,
                "Pnt": 0.0}
    dc = np.array([100.0, 500.0, 900.0])
    hand = np.minimum(paco / (pdco - pso) * (dc - pso), paco)
    np.testing.assert_allclose(pvlib.inverter.sandia(np.ones(3), dc, inverter), hand)
    # at 500 W: 833.33 / (868.06 - 1.87) x (500 - 1.87) = 479.24 W, 95.85 % (the self-consumption's cost)
    assert hand[1] / dc[1] == pytest.approx(0.95847, abs=1e-4)


def appelbaum_shaded_fraction(zenith, azimuth, tilt, surface_azimuth, gcr):
    """Appelbaum & Bany (1979), as SAM's ss_exec uses it: the shaded height of a row over its slant, 1 - R / py."""
    relative = np.radians(azimuth - surface_azimuth)
    elevation = np.radians(90.0 - zenith)
    py = np.cos(np.radians(tilt)) + np.cos(relative) * np.sin(np.radians(tilt)) / np.tan(elevation)
    shaded = np.where((zenith < 90) & (np.abs(np.degrees(relative)) < 90), 1.0 - (1.0 / gcr) / py, 0.0)
    return np.clip(shaded, 0.0, 1.0)


def test_row_shading_of_an_open_rack_by_appelbaum():
    zenith = np.array([60.0, 80.0, 85.0, 87.0, 88.0, 88.0, 70.0])
    azimuth = np.array([180.0, 180.0, 200.0, 150.0, 120.0, 240.0, 100.0])
    for tilt, gcr in ((20.0, 0.3), (35.0, 0.5), (10.0, 0.7)):
        ours = pvlib.shading.shaded_fraction1d(zenith, azimuth, axis_azimuth=180.0 - 90.0, shaded_row_rotation=tilt,
                                               collector_width=1.0, pitch=1.0 / gcr)
        np.testing.assert_allclose(ours, appelbaum_shaded_fraction(zenith, azimuth, tilt, 180.0, gcr), atol=1e-9)


def test_the_sky_a_row_sees_as_sam_integrates_it():
    # SAM's table (lib_pvshade, sssky_diffuse_table), written out independently: at 250 points x up the slant the
    # masked angle gamma = -90 + atan(1/tan(tilt) - 1/(gcr sin(tilt) (1 - x))), the sky seen
    # A = pi + pi / sqrt(1 + tan^2(tilt + gamma)) (2 pi - A past 90 degrees), over the unmasked pi + pi cos(tilt)
    def sam(tilt, gcr, n=250):
        t = np.radians(tilt)
        x = np.arange(n) / n
        gamma = -np.pi / 2 + np.arctan(1 / np.tan(t) - 1 / (gcr * np.sin(t) * (1 - x)))
        seen = np.pi + np.pi / np.sqrt(1 + np.tan(t + gamma) ** 2)
        seen = np.where(t + gamma > np.pi / 2, 2 * np.pi - seen, seen)
        return np.mean(seen / (np.pi + np.pi / np.sqrt(1 + np.tan(t) ** 2)))

    for tilt, gcr in ((20.0, 0.3), (30.0, 0.5), (45.0, 0.4)):
        assert float(pv._sky_seen(np.array([tilt]), gcr)[0]) == pytest.approx(sam(tilt, gcr), abs=2e-3)
    assert float(pv._sky_seen(np.array([0.0]), 0.3)[0]) == 1.0  # flat: nothing masks the sky
    # one row (a roof) sees the open ground: no ground-reflected loss
    share = pv._ground_seen(np.array([20.0]), 0.3, 1, np.array([50.0]), np.array([800.0]), np.array([100.0]), 0.2)
    assert float(share[0]) == pytest.approx(1.0)


def run(usaf, arrays):
    s = st.station_by_id(usaf)
    r = solar_resource(usaf)
    return ac_output_kwh_many(arrays, Site(s.lat, s.lon, s.elevation_m, s.utc_offset_h), r.ghi_w_per_m2,
                              r.dni_w_per_m2, r.dhi_w_per_m2, (st.hourly_temperature_f(s) - 32.0) / 1.8,
                              r.wind_m_per_s, r.albedo)


def values(**changes):
    base = {"tilt": 20.0, "azimuth": 180.0, "losses": 0.14, "dc_ac_ratio": 1.2, "inverter_efficiency": 0.96,
            "module": "standard", "array": "fixed_open_rack", "gcr": 0.3}
    return {**base, **changes}


def test_self_shading_costs_an_open_rack_more_as_the_rows_close_up():
    sparse, default, dense = run("725090", [array_per_kw(6.0, values(gcr=g)) for g in (0.1, 0.3, 0.7)]).sum(axis=1)
    assert sparse > default > dense
    # Boston, 20 degrees: at 0.3 the rows mask a little sky and shade the beam only at low sun (0.45 %); close
    # together (0.7) they cost 4 %
    assert 0.002 < 1 - default / sparse < 0.02 and 1 - dense / sparse > 0.03
    # PVWatts v8's layout: 6 kW of 322.6 W modules is 19 modules, two high, about 4 rows; a roof is one
    assert pv_rows(6.0, "standard", "fixed_open_rack") == 4 and pv_rows(6.0, "standard", "fixed_roof") == 1


def test_a_one_axis_tracker_backtracks_and_makes_more_than_a_fixed_array():
    tracker = array_per_kw(6.0, values(array="one_axis", tilt=None))
    assert tracker.tilt_deg == 0.0 and tracker.array == "one_axis"
    fixed, tracked = run("722780", [array_per_kw(6.0, values()), tracker]).sum(axis=1)  # Phoenix
    assert 1.15 < tracked / fixed < 1.40
    # its rotation stays within +-45 degrees; backtracking keeps the rows out of each other's shadow
    s = st.station_by_id("722780")
    zen, az, _, _ = pv.sun_geometry(Site(s.lat, s.lon, s.elevation_m, s.utc_offset_h))
    up = zen < 90
    tilt, _ = pv._orientation([tracker], zen[up], az[up], (1, int(up.sum())))
    assert np.nanmax(tilt) <= 45.0 + 1e-9
    track = pvlib.tracking.singleaxis(zen[up], az[up], axis_azimuth=180.0, max_angle=45.0, backtrack=True, gcr=0.3)
    theta = np.nan_to_num(np.asarray(track["tracker_theta"], dtype=float))
    shaded = pvlib.shading.shaded_fraction1d(zen[up], az[up], axis_azimuth=180.0, shaded_row_rotation=theta,
                                             collector_width=1.0, pitch=1.0 / 0.3)
    assert np.nanmax(shaded) < 1e-6


def test_the_v8_chain_against_the_v5_chain_it_replaces():
    # a Boston roof array: the cover on the diffuse, the spectrum, the module model and the inverter's
    # self-consumption take 2-3 % off what the PVWatts v5 chain made (1,302 kWh per kW before this change)
    roof = run("725090", [array_per_kw(1.0, values(array="fixed_roof"))])[0]
    assert 1240 < roof.sum() < 1300
    assert pv.PVArray._fields[-2:] == ("gcr", "rows")


def test_the_cache_never_serves_an_older_chains_output():
    from heatcalc import pvcache

    assert "pvwatts8" in pvcache.MODEL


def test_pv_array_default_fields_keep_old_call_sites_working():
    a = PVArray(1.0, 20.0, 180.0, 0.14, 1.2, 0.96, "standard", "fixed_roof")
    assert a.gcr == 0.3 and a.rows == 1


def test_the_module_table_reads_as_the_diode_equation_solves():
    rng = np.random.default_rng(0)
    g, t = rng.uniform(1.0, 1300.0, 20000), rng.uniform(-30.0, 80.0, 20000)
    for name, module in pv.MODULES.items():
        exact = pv.cec_dc_exact_w(module, g, t)
        table = pv._cec_dc_w([module], g[None], t[None])[0]
        bright = g > 100
        assert np.max(np.abs(table - exact)[bright] / exact[bright]) < 1e-4, name
        assert np.max(np.abs(table - exact)[g > 20] / exact[g > 20]) < 2e-3, name
        assert table.sum() == pytest.approx(exact.sum(), rel=5e-5), name


def test_the_beam_cover_table_reads_as_pvlib_computes():
    # the chain reads the coated cover's beam transmittance from a table every 0.002 degrees (linear between):
    # the reading is held to pvlib's value at each angle (held to 1-89 degrees, as the chain does) within 1e-8
    cover = {"n": pv.GLASS["n"], "K": pv.GLASS["K"], "L": pv.GLASS["L"], "n_ar": pv.COATING_N}
    rng = np.random.default_rng(3)
    aoi = np.concatenate([rng.uniform(0.0, 95.0, 50000), [0.0, 1.0, 1.001, 45.0, 88.999, 89.0, 90.0, 180.0]])
    exact = np.nan_to_num(pvlib.iam.physical(np.clip(aoi, 1.0, 89.0), **cover))
    read = pv._beam_cover(aoi.reshape(2, -1)).ravel()
    assert np.max(np.abs(read - exact)) < 1e-8
    assert read[-3] == pytest.approx(pvlib.iam.physical(89.0, **cover), abs=1e-12)  # the table's last angle
    assert np.isfinite(pv._beam_cover(np.array([np.nan]))).all()  # a missing angle reads as 89 degrees, not garbage


def test_arrays_of_two_modules_are_read_as_each_alone():
    # _cec_dc_w reads the arrays that share a module together: a mixed list gives each row what that module gives
    rng = np.random.default_rng(4)
    g, t = rng.uniform(0.0, 1300.0, (3, 500)), rng.uniform(-30.0, 80.0, (3, 500))
    mods = [pv.MODULES["standard"], pv.MODULES["thin_film"], pv.MODULES["standard"]]
    together = pv._cec_dc_w(mods, g, t)
    for i, m in enumerate(mods):
        assert np.array_equal(together[i], pv._cec_dc_w([m], g[i:i + 1], t[i:i + 1])[0])
    assert (together[:, :][g < 1.0] == 0).all() and together.max() > 0


def test_the_sun_is_pvlibs_spa_at_every_station_hour(monkeypatch, tmp_path):
    # the sun's place from NREL's SPA in two parts (pv._sun_terms: the time alone, once per time zone; the
    # observer's steps per station) is, to the bit, what pvlib.solarposition.get_solarposition(method="nrel_numpy")
    # gives at the station's lit hours; at the others the sun is below the horizon by convention (180°, 180°).
    # Stations in the six time zones with irradiance (Boston, Chicago, Phoenix, Los Angeles, Anchorage, Honolulu).
    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    for usaf in ("725090", "725300", "722780", "722950", "702730", "911820"):
        s = st.station_by_id(usaf)
        site = Site(s.lat, s.lon, s.elevation_m, s.utc_offset_h)
        r = solar_resource(usaf)
        lit = pv.lit_hours(r.ghi_w_per_m2, r.dni_w_per_m2, r.dhi_w_per_m2)
        zenith, azimuth, _, _ = pv.sun_geometry(site, lit)
        local = pv._local_hours(s.utc_offset_h)[0]
        want = pvlib.solarposition.get_solarposition(local[lit], s.lat, s.lon, altitude=s.elevation_m,
                                                     method="nrel_numpy")
        assert np.array_equal(zenith[lit], want["apparent_zenith"].to_numpy())
        assert np.array_equal(azimuth[lit], want["azimuth"].to_numpy())
        assert (zenith[~lit] == 180.0).all() and (azimuth[~lit] == 180.0).all()
        # and within 0.012° of pvlib's ephemeris algorithm, which the chain used before (sun up)
        ephemeris = pvlib.solarposition.get_solarposition(local[lit], s.lat, s.lon, altitude=s.elevation_m,
                                                          method="ephemeris")["apparent_zenith"].to_numpy()
        up = zenith[lit] < 90
        assert np.abs(ephemeris[up] - zenith[lit][up]).max() < 0.012
    # a zone off the whole hours (UTC+5:30) has its own time terms, to the same values
    site = Site(28.6, 77.2, 216.0, 5.5)
    hours = np.arange(0, 8760, 3)
    zenith, azimuth = pv._spa_zenith_azimuth(site, hours)
    want = pvlib.solarposition.get_solarposition(pv._local_hours(5.5)[0][hours], 28.6, 77.2, altitude=216.0,
                                                 method="nrel_numpy")
    assert np.array_equal(zenith, want["apparent_zenith"].to_numpy())
    assert np.array_equal(azimuth, want["azimuth"].to_numpy())
