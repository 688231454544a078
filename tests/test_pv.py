"""Rooftop solar: the PVWatts v8 chain against pvlib's own model chain, the physics of orientation, capacity,
losses and clipping, and the stations without irradiance (each v8 component by hand: tests/test_pvwatts8.py)."""

import numpy as np
import pytest

import heatcalc
from heatcalc.model.pv import PVArray, Site, ac_output_kwh
from heatcalc.weather import stations as st
from heatcalc.weather.solar import has_solar, solar_resource

pvlib = pytest.importorskip("pvlib")


def run(usaf, **changes):
    s = st.station_by_id(usaf)
    r = solar_resource(usaf)
    array = PVArray(4.0, 20.0, 180.0, 0.14, 1.2, 0.96, "standard", "fixed_roof")._replace(**changes)
    temp_c = (st.hourly_temperature_f(s) - 32.0) / 1.8
    return ac_output_kwh(array, Site(s.lat, s.lon, s.elevation_m, s.utc_offset_h), r.ghi_w_per_m2,
                         r.dni_w_per_m2, r.dhi_w_per_m2, temp_c, r.wind_m_per_s, r.albedo)


def test_the_chain_equals_pvlibs_model_chain_built_the_same_way():
    # pvlib's ModelChain with PVWatts v8's choices (SPA at mid-hour, Perez, the anti-reflective cover, DeSoto's
    # air-mass modifier, SAM NOCT cell temperature, the CEC model of v8's standard module, the Sandia inverter) on
    # the same hours of a roof array: the same year within 1.5 % (ModelChain passes the cover's loss on the beam only,
    # heatcalc on the diffuse too, and applies no system losses: heatcalc's 14 % are taken off theirs)
    import pandas as pd

    from heatcalc.model.pv import AIR_MASS_MODIFIER, INVERTER_SELF_CONSUMPTION, MODULES

    usaf = "722780"  # Phoenix
    s = st.station_by_id(usaf)
    r = solar_resource(usaf)
    temp_c = (st.hourly_temperature_f(s) - 32.0) / 1.8
    ours = ac_output_kwh(PVArray(4.0, 20.0, 180.0, 0.14, 1.2, 0.96, "standard", "fixed_roof"),
                         Site(s.lat, s.lon, s.elevation_m, s.utc_offset_h), r.ghi_w_per_m2, r.dni_w_per_m2,
                         r.dhi_w_per_m2, temp_c, r.wind_m_per_s, r.albedo)
    m = MODULES["standard"]
    modules = 4000.0 / m.p_mp_w  # the array as so many of v8's standard modules
    paco = 4000.0 / 1.2
    times = pd.date_range("2023-01-01 00:30", periods=8760, freq="h", tz="Etc/GMT+7")
    loc = pvlib.location.Location(s.lat, s.lon, tz="Etc/GMT+7", altitude=s.elevation_m)
    system = pvlib.pvsystem.PVSystem(
        surface_tilt=20, surface_azimuth=180, albedo=r.albedo, modules_per_string=1, strings_per_inverter=1,
        module_parameters={"alpha_sc": m.alpha_sc, "a_ref": m.a_ref, "I_L_ref": m.i_l_ref, "I_o_ref": m.i_o_ref,
                           "R_sh_ref": m.r_sh_ref, "R_s": m.r_s, "Adjust": m.adjust, "EgRef": 1.12,
                           "n": 1.526, "K": 4.0, "L": 0.002, "n_ar": 1.3, **AIR_MASS_MODIFIER},
        temperature_model_parameters={"noct": 49.0, "module_efficiency": m.efficiency},
        inverter_parameters={"Paco": paco / modules, "Pdco": paco / 0.96 / modules, "Vdco": 1.0,
                             "Pso": INVERTER_SELF_CONSUMPTION * paco / modules, "C0": 0.0, "C1": 0.0, "C2": 0.0,
                             "C3": 0.0, "Pnt": 0.0})
    mc = pvlib.modelchain.ModelChain(system, loc, transposition_model="perez", aoi_model="physical",
                                     spectral_model="sapm", temperature_model="noct_sam", dc_model="cec",
                                     ac_model="sandia", losses_model="no_loss")
    weather = pd.DataFrame({"ghi": r.ghi_w_per_m2, "dni": r.dni_w_per_m2, "dhi": r.dhi_w_per_m2,
                            "temp_air": temp_c, "wind_speed": r.wind_m_per_s}, index=times)
    mc.run_model(weather)
    theirs = np.nan_to_num(mc.results.ac.to_numpy()).clip(0) * modules / 1000.0
    assert ours.sum() == pytest.approx(theirs.sum() * 0.86, rel=0.015)


def test_output_is_linear_in_capacity_at_a_fixed_dc_ac_ratio():
    one = run("725090", capacity_kw=1.0)
    six = run("725090", capacity_kw=6.0)
    np.testing.assert_allclose(six, 6.0 * one, rtol=1e-12, atol=1e-12)


def test_clipping_holds_ac_at_the_inverters_size():
    ac = run("722780", dc_ac_ratio=2.0)  # a 4 kW array on a 2 kW inverter
    assert ac.max() <= 2.0 + 1e-9 and (ac > 1.99).sum() > 100


def test_losses_scale_the_dc_side():
    base, lossy = run("725090").sum(), run("725090", losses=0.24).sum()
    assert lossy / base == pytest.approx(0.76 / 0.86, rel=0.01)


def test_orientation_and_climate():
    south, west, north = run("725090").sum(), run("725090", azimuth_deg=270.0).sum(), \
        run("725090", azimuth_deg=0.0, tilt_deg=40.0).sum()
    assert south > west > north
    # specific yield: sunny Phoenix well above cloudy Seattle; each in the range NREL's solar maps give for a
    # 20-degree south-facing array (roughly 1,100-1,300 kWh/kW in Seattle, 1,600-1,800 in Phoenix)
    phoenix, seattle = run("722780").sum() / 4.0, run("727930").sum() / 4.0
    assert 1600 < phoenix < 1850 and 1050 < seattle < 1300


def test_a_territory_station_has_no_solar_and_says_so(tmp_path, cli):
    assert not has_solar("785140") and has_solar("725090")
    p = tmp_path / "pr.yaml"
    p.write_text("location: {station: '785140'}\nheating_load: {annual: 5 MMBtu}\nsolar: {capacity: 5 kW}\n")
    r = cli("compare", p)
    assert r.returncode == 2 and "solar" in r.stderr and "Puerto Rico" in r.stderr


def test_solar_in_a_profile_reports_its_year(tmp_path):
    p = tmp_path / "h.yaml"
    p.write_text("location: {zip: '02134'}\nheating_load: {annual: 60 MMBtu}\nsolar: {capacity: 4 kW}\n")
    c = heatcalc.compare(p)
    d = c.to_dict()["solar"]
    # the chain's 4 kW year, its output per kW kept to single precision as the PV cache keeps it (heatcalc.pvcache)
    per_kw = (run("725090") / 4.0).astype(np.float32).astype(float)
    assert d["annual_kwh"] == pytest.approx((per_kw * 4.0).sum(), rel=1e-10)  # (an hour may round one ulp apart)
    assert sum(d["monthly_kwh"]) == pytest.approx(d["annual_kwh"])
    for r in c.results:
        assert r.solar_self_consumed_kwh + r.solar_exported_kwh == pytest.approx(d["annual_kwh"])
        assert r.electric_bill_usd < r.electric_bill_without_solar_usd


def test_the_cache_keeps_a_bounded_number_of_arrays_in_memory(tmp_path, monkeypatch):
    # A batch reads thousands of arrays from the per-user cache: the process keeps only the last few.
    from heatcalc import pvcache

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pvcache, "MEMORY_ENTRIES", 5)
    monkeypatch.setattr(pvcache, "_memory", {})
    values = [np.where(np.arange(8760) % 24 < 12, 0.0, float(i + 1)) for i in range(20)]
    for i, v in enumerate(values):
        pvcache.put(("test", i), v)
    pvcache._memory.clear()
    for i, v in enumerate(values):  # read back from disk: the same values, bit for bit
        assert np.array_equal(pvcache.get(("test", i)), v)
        assert len(pvcache._memory) <= 5
    assert pvcache.has(("test", 3)) and not pvcache.has(("test", 99))
    # what another process can read is what is on disk: an array held in memory only is not there
    (tmp_path / "pv" / pvcache.name(("test", 19))).unlink()
    assert pvcache.has(("test", 19)) and not pvcache.on_disk(("test", 19)) and pvcache.on_disk(("test", 3))


def _small_cache(monkeypatch, folder, entries: int, every: int):
    """A fresh per-user cache in ``folder`` holding at most ``entries``, looked at every ``every`` writes near that."""
    from heatcalc import pvcache

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(folder))
    monkeypatch.setattr(pvcache, "MAX_ENTRIES", entries)
    monkeypatch.setattr(pvcache, "PRUNE_EVERY", every)
    monkeypatch.setattr(pvcache, "_memory", {})
    monkeypatch.setattr(pvcache, "_writes", [0])
    return pvcache


def test_the_cache_on_disk_keeps_at_most_its_limit_the_newest_kept(tmp_path, monkeypatch):
    # 30 arrays into a cache of 10 that looks at its size on every write: never more than 10 on disk, and the last
    # written are the ones kept (the oldest removed first, down to 90 % so the next writes do not prune at once)
    import os

    pvcache = _small_cache(monkeypatch, tmp_path, 10, 1)
    for i in range(30):
        pvcache.put(("prune", i), np.full(8760, float(i)))
        path = tmp_path / "pv" / pvcache.name(("prune", i))
        os.utime(path, ns=(i * 10**9, i * 10**9))  # distinct times, whatever the file system's resolution
        assert len(pvcache.names_present()) <= 10
    pvcache._memory.clear()
    assert np.array_equal(pvcache.get(("prune", 29)), np.full(8760, 29.0))
    assert pvcache.get(("prune", 0)) is None and pvcache.get(("prune", 15)) is None
    kept = pvcache.names_present()
    assert pvcache.name(("prune", 28)) in kept and len(kept) >= 9


def test_the_cache_folder_is_looked_at_less_often_with_room_to_spare(tmp_path, monkeypatch):
    # Listing a folder of thousands of entries costs milliseconds: with room for 1,000 more entries it is looked at
    # after an eighth of the room's writes (125), near the limit every PRUNE_EVERY writes.
    pvcache = _small_cache(monkeypatch, tmp_path, 1_000, 20)
    assert pvcache._next_look(0) == 125 and pvcache._next_look(900) == 20 and pvcache._next_look(2_000) == 20
    looks = []
    real = pvcache._prune
    monkeypatch.setattr(pvcache, "_prune", lambda folder: looks.append(1) or real(folder))
    for i in range(300):
        pvcache.put(("room", i), np.full(8760, 1.0))
    # the first write looks (1 entry: the next 999 // 8 = 124 writes on), then writes 125 (875 // 8 = 109 on) and
    # 234 (766 // 8 = 95 on: after the 300th): three listings, not the fifteen of one every 20 writes
    assert len(looks) == 3


def test_the_cache_gives_back_what_it_keeps_single_precision_on_every_route(tmp_path, monkeypatch):
    # An entry holds float32 values (widened in microseconds); put() returns the values kept, so a run that
    # computes an array uses the same numbers as one that reads it, with the cache on or off.
    from heatcalc import pvcache

    values = np.random.default_rng(3).uniform(0.0, 0.9, 8760)
    for folder in (str(tmp_path), "none"):
        monkeypatch.setenv("HEATCALC_CACHE_DIR", folder)
        monkeypatch.setattr(pvcache, "_memory", {})
        kept = pvcache.put(("single", folder), values)
        assert kept.dtype == np.float64 and np.array_equal(kept, values.astype(np.float32))
        assert np.abs(kept - values).max() <= 0.9 * 2.0 ** -24  # seven significant digits
        assert np.array_equal(pvcache.get(("single", folder)), kept)  # from memory
        pvcache._memory.clear()
        from_disk = pvcache.get(("single", folder))
        assert (from_disk is None) if folder == "none" else np.array_equal(from_disk, kept)
    entry = tmp_path / "pv" / pvcache.name(("single", str(tmp_path)))
    # the header, the bitmap of its hours, the index's one record (the array's key digest and its values'
    # checksum), its float32s at the hours it is not zero (here every hour)
    assert entry.stat().st_size == _pack_size(1, 8760)


def test_a_sun_entry_holds_the_hours_it_was_computed_at(tmp_path, monkeypatch):
    # the sun's place is kept for the hours with light it was computed at (a bitmap, then zenith and azimuth
    # there); read back, the other hours are the sun below the horizon, and another set of hours is another entry
    from heatcalc import pvcache

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    hour = np.arange(8760) % 24
    lit = (hour >= 6) & (hour < 19)
    zenith, azimuth = np.where(lit, 60.0 + hour, 180.0), np.where(lit, 90.0 + 10 * hour, 180.0)
    site = (42.0, -71.0, 10.0, -5.0)
    pvcache.put_geometry(site, lit, zenith, azimuth)
    (entry,) = (tmp_path / "pv").glob("*.sun")
    assert entry.stat().st_size == pvcache.HEADER_BYTES + pvcache.MASK_BYTES + 2 * 8 * int(lit.sum())
    z, a = pvcache.get_geometry(site, lit)
    assert np.array_equal(z, zenith) and np.array_equal(a, azimuth)
    assert pvcache.get_geometry(site, hour >= 6) is None  # other hours: not this entry


def _pack_size(arrays: int, hours: int) -> int:
    """A pack's bytes (heatcalc.pvcache): header, bitmap of its hours, an index record and the float32s of each array
    at those hours."""
    from heatcalc import pvcache

    return pvcache.HEADER_BYTES + pvcache.MASK_BYTES + arrays * (pvcache.RECORD_BYTES + 4 * hours)


def test_a_stations_arrays_share_a_pack(tmp_path, monkeypatch):
    # a batch computes a station's arrays together and writes them as one file (a cold batch over every station
    # wrote ~15,000 files, each created at 60-600 us); each array reads back exactly, and adding or replacing one
    # rewrites the pack with the others kept
    from heatcalc import pvcache

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pvcache, "_memory", {})
    group = ("725090", (42.36, -71.01, 6.0, -5.0))
    values = {("725090", ("roof", t)): np.full(8760, t / 100.0) for t in (15, 20, 25)}
    kept = pvcache.put_many(list(values.items()), group)
    assert [k.tolist() == v.astype(np.float32).tolist() for k, v in zip(kept, values.values())] == [True] * 3
    assert len(list((tmp_path / "pv").glob("*" + pvcache.SUFFIX))) == 1
    assert pvcache.names_present() == {pvcache.name(k) for k in values}
    pvcache._memory.clear()
    for key, v in values.items():
        assert np.array_equal(pvcache.get(key, group), v.astype(np.float32)) and pvcache.on_disk(key, group)
    assert pvcache.get(("725090", ("roof", 40)), group) is None and not pvcache.on_disk(("725090", ("roof", 40)), group)
    pvcache._memory.clear()
    assert pvcache.get(("725090", ("roof", 15))) is None  # asked without its group: not its own file
    pvcache.put(("725090", ("roof", 40)), np.full(8760, 0.4), group)  # one more
    pvcache.put(("725090", ("roof", 20)), np.full(8760, 0.7), group)  # one replaced
    (pack,) = (tmp_path / "pv").glob("*" + pvcache.SUFFIX)
    assert pack.stat().st_size == _pack_size(4, 8760)
    pvcache._memory.clear()
    assert pvcache.get(("725090", ("roof", 20)), group)[0] == np.float32(0.7)
    assert pvcache.get(("725090", ("roof", 15)), group)[0] == np.float32(0.15)
    assert pvcache.get(("725090", ("roof", 40)), group)[0] == np.float32(0.4)


def test_a_full_pack_is_followed_by_the_next(tmp_path, monkeypatch):
    # a pack holds PACK_ENTRIES arrays; a station's further arrays go in its next pack, so adding one never
    # rewrites more than one pack's worth
    from heatcalc import pvcache

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pvcache, "_memory", {})
    monkeypatch.setattr(pvcache, "PACK_ENTRIES", 4)
    group = ("sweep", (40.0, -105.0, 1600.0, -7.0))
    for i in range(10):
        pvcache.put(("sweep", i), np.full(8760, float(i)), group)
    sizes = sorted(p.stat().st_size for p in (tmp_path / "pv").glob("*" + pvcache.SUFFIX))
    assert sizes == [_pack_size(2, 8760)] + [_pack_size(4, 8760)] * 2
    pvcache._memory.clear()
    assert [pvcache.get(("sweep", i), group)[0] for i in range(10)] == list(range(10))
    assert pvcache.get(("sweep", 10), group) is None and len(pvcache.names_present()) == 10
    pvcache.put_many([(("sweep", 3), np.full(8760, 33.0)), (("sweep", 10), np.full(8760, 10.0))], group)
    pvcache._memory.clear()
    assert pvcache.get(("sweep", 3), group)[0] == 33.0 and pvcache.get(("sweep", 10), group)[0] == 10.0
    assert len(list((tmp_path / "pv").glob("*" + pvcache.SUFFIX))) == 3


def test_one_damaged_array_in_a_pack_spares_the_others(tmp_path, monkeypatch, capsys):
    # an array whose values no longer match their checksum is not used (said once) and, computed again, replaces
    # it; the pack's other arrays read as before
    from heatcalc import pvcache

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pvcache, "_memory", {})
    monkeypatch.setattr(pvcache, "_WARNED", [])
    group = ("725090", (42.36, -71.01, 6.0, -5.0))
    pvcache.put_many([(("a", i), np.full(8760, 1.0 + i)) for i in range(3)], group)
    (pack,) = (tmp_path / "pv").glob("*" + pvcache.SUFFIX)
    raw = bytearray(pack.read_bytes())
    second = _pack_size(3, 8760) - 2 * 8760 * 4 + 100  # inside the second array's values
    raw[second] ^= 0x40
    pack.write_bytes(bytes(raw))
    pvcache._memory.clear()
    assert pvcache.get(("a", 1), group) is None
    assert "checksum does not match" in capsys.readouterr().err
    assert pvcache.get(("a", 0), group)[0] == 1.0 and pvcache.get(("a", 2), group)[0] == 3.0
    pvcache.put(("a", 1), np.full(8760, 2.0), group)
    pvcache._memory.clear()
    assert [pvcache.get(("a", i), group)[0] for i in range(3)] == [1.0, 2.0, 3.0]


def test_adding_to_a_pack_waits_for_another_writers_lock(tmp_path, monkeypatch):
    # two processes adding arrays to one station's pack must not lose each other's: a writer holds the folder's
    # lock while it reads, adds to and writes the pack; another waits for it (here a thread with its own lock)
    import threading

    from heatcalc import pvcache

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pvcache, "_memory", {})
    group = ("725090", (42.36, -71.01, 6.0, -5.0))
    pvcache.put(("first",), np.ones(8760), group)
    folder = str(tmp_path / "pv")
    done = threading.Event()
    with pvcache._pack_lock(folder):
        writer = threading.Thread(target=lambda: (pvcache.put(("second",), np.full(8760, 2.0), group), done.set()))
        writer.start()
        assert not done.wait(0.3)  # waiting for the lock
    writer.join(5)
    assert done.is_set()
    pvcache._memory.clear()
    assert pvcache.get(("first",), group)[0] == 1.0 and pvcache.get(("second",), group)[0] == 2.0


def test_a_pack_reads_where_the_system_has_no_positioned_read(tmp_path, monkeypatch):
    # os.pread is POSIX only: elsewhere an array is read by seeking to its place
    from heatcalc import pvcache

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pvcache, "_memory", {})
    monkeypatch.setattr(pvcache, "_SLOTS", {})
    group = ("725090", (42.36, -71.01, 6.0, -5.0))
    pvcache.put_many([(("p", i), np.full(8760, 1.0 + i)) for i in range(3)], group)
    monkeypatch.delattr(pvcache.os, "pread")
    pvcache._memory.clear()
    assert [pvcache.get(("p", i), group)[0] for i in range(3)] == [1.0, 2.0, 3.0]


def test_a_pack_holds_its_arrays_at_the_hours_they_make_power(tmp_path, monkeypatch):
    # a station's arrays are stored at the hours any of them is not zero (about half the year): half the bytes;
    # each reads back as the whole year, zeros in the other hours, and an array that adds hours widens the pack's
    from heatcalc import pvcache

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pvcache, "_memory", {})
    hour = np.arange(8760) % 24
    group = ("725090", (42.36, -71.01, 6.0, -5.0))
    rng = np.random.default_rng(8)
    east = np.where((hour >= 6) & (hour < 15), rng.uniform(0.1, 0.9, 8760), 0.0)
    west = np.where((hour >= 9) & (hour < 18), rng.uniform(0.1, 0.9, 8760), 0.0)
    pvcache.put_many([(("east",), east), (("west",), west)], group)
    (pack,) = (tmp_path / "pv").glob("*" + pvcache.SUFFIX)
    assert pack.stat().st_size == _pack_size(2, 365 * 12)  # hours 6-17
    late = np.where(hour == 19, 0.05, 0.0)  # one more hour a day
    pvcache.put(("late",), late, group)
    assert pack.stat().st_size == _pack_size(3, 365 * 13)
    pvcache._memory.clear()
    for key, year in ((("east",), east), (("west",), west), (("late",), late)):
        assert np.array_equal(pvcache.get(key, group), year.astype(np.float32))


def test_lacking_and_on_disk_many_say_what_has_and_on_disk_say_for_many_arrays_at_once(tmp_path, monkeypatch):
    # pvcache.lacking asks for a chunk's arrays at once (each pack's status looked at once): for each pair it says
    # `not has(key, group)`, and on_disk_many `on_disk(key, group)` -- kept in this process, in a pack (of two
    # stations, the second pack of one after a full first), in none, at a station with no pack, in a pack damaged
    # since, and with the cache off
    from heatcalc import pvcache

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pvcache, "_memory", {})
    monkeypatch.setattr(pvcache, "PACK_ENTRIES", 2)
    boston, denver, tulsa = (("725090", (42.36, -71.01, 6.0, -5.0)), ("725650", (39.83, -104.66, 1656.0, -7.0)),
                             ("723560", (36.2, -95.9, 206.0, -6.0)))
    pvcache.put_many([(("725090", ("roof", t)), np.full(8760, t / 100.0)) for t in (15, 20, 25)], boston)
    pvcache.put_many([(("725650", ("roof", 30)), np.full(8760, 0.3))], denver)
    pvcache._memory.clear()
    pvcache._memory[("725650", ("rack", 10))] = np.zeros(8760)  # this process's alone
    pairs = [(("725090", ("roof", t)), boston) for t in (15, 20, 25, 35)] + \
            [(("725650", ("roof", 30)), denver), (("725650", ("rack", 10)), denver), (("723560", ("roof", 30)), tulsa)]
    want = [False, False, False, True, False, False, True]
    assert pvcache.lacking(pairs) == want == [not pvcache.has(k, g) for k, g in pairs]
    # on_disk_many (a batch's look): on_disk for each pair -- the one this process alone keeps is not on disk
    assert pvcache.on_disk_many(pairs) == [True, True, True, False, True, False, False] == \
        [pvcache.on_disk(k, g) for k, g in pairs]
    pack = tmp_path / "pv" / pvcache._pack_path(str(tmp_path / "pv"), pairs[4][0], denver, 0)[1]  # Denver's
    pack.write_bytes(pack.read_bytes()[:100])  # cut short: its array is lacking, as has() says
    assert pvcache.lacking(pairs)[4] is True and not pvcache.has(*pairs[4])
    assert pvcache.on_disk_many(pairs)[4] is False and not pvcache.on_disk(*pairs[4])
    monkeypatch.setenv("HEATCALC_CACHE_DIR", "none")
    assert pvcache.lacking(pairs) == [True] * 5 + [False, True]
    assert pvcache.on_disk_many(pairs) == [False] * 7


def test_an_array_read_at_its_lit_hours_is_the_same_from_its_pack_and_from_memory(tmp_path, monkeypatch):
    # pvcache.get_lit (what a batch's bills read): the hours an array is not zero at and its values there, the same
    # whether read from its station's pack -- which keeps every array at the hours any of them is not zero, so
    # this one's zeros at the others' hours too -- or from this process, and the same as get() spread over the year
    from heatcalc import pvcache

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pvcache, "_memory", {})
    hours = np.arange(8760)
    morning = np.where(hours % 24 < 12, 0.25 + (hours % 7) / 10.0, 0.0)  # lit before noon alone
    all_day = np.where((hours % 24 >= 6) & (hours % 24 < 18), 0.5, 0.0)
    group = ("725090", (42.36, -71.01, 6.0, -5.0))
    kept = pvcache.put_many([(("725090", "morning"), morning), (("725090", "day"), all_day)], group)
    in_memory = [pvcache.get_lit(("725090", name), group) for name in ("morning", "day")]
    pvcache._memory.clear()
    from_pack = [pvcache.get_lit(("725090", name), group) for name in ("morning", "day")]
    for whole, (at, values), (at2, values2) in zip(kept, in_memory, from_pack):
        assert np.array_equal(at, np.flatnonzero(whole)) and np.array_equal(at, at2)
        assert np.array_equal(values, whole[at]) and np.array_equal(values, values2)
        assert at.dtype == np.intp and values.dtype == np.float64
    assert pvcache.get_lit(("725090", "none"), group) is None


def test_a_cache_keys_text_is_its_repr_whichever_parts_were_seen_before():
    # pvcache names an entry by the SHA-256 of repr((key, versions, model)); it makes a tuple key's text from its
    # items' texts, kept per item: the text must be repr's to the character, or a warm cache would miss every entry
    from hypothesis import given, settings
    from hypothesis import strategies as hs

    from heatcalc import pvcache

    # (few distinct leaves, so that a key's items are often equal tuples of other texts: 1, 1.0, True; 0.0, -0.0)
    leaves = hs.sampled_from([0.0, -0.0, 1, 1.0, True, 0, False, 2.5, "a", None])
    keys = hs.recursive(leaves, lambda inner: hs.lists(inner, max_size=3).map(tuple), max_leaves=10)

    @settings(max_examples=300, deadline=None)
    @given(keys)
    def check(key):
        pvcache._TEXTS.clear()
        assert pvcache._text(key) == repr(key)
        assert pvcache._text(key) == repr(key)  # (again, from the kept texts)

    check()
    key = ("722020", (1.0, 35.0, 180.0, 0.14, 1.2, 0.96, "standard", "fixed_roof", 0.3, 1), (25.817, -80.3, 11.0, -5.0))
    pvcache._NAMES.clear()
    assert pvcache._name(key) == pvcache.hashlib.sha256(repr((key, *pvcache._VERSIONS[0], pvcache.MODEL)).encode()
                                                        ).hexdigest()[:32] + pvcache.SUFFIX


def test_arrays_put_without_keeping_are_written_alone_unless_the_cache_is_off(tmp_path, monkeypatch):
    # pvcache.put_many(..., keep=False), a batch's computing of a window's arrays: with the cache on they are in
    # their pack (read back as single precision) and not held in this process; with it off this process is all
    # that holds them, so they are kept all the same
    from heatcalc import pvcache

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(pvcache, "_memory", {})
    group = ("725090", (42.36, -71.01, 6.0, -5.0))
    years = {("725090", ("roof", t)): np.linspace(0.0, t / 7.0, 8760) for t in (20, 30)}
    assert pvcache.put_many(list(years.items()), group, keep=False) == []
    assert pvcache._memory == {}
    for key, year in years.items():
        assert pvcache.on_disk(key, group)
        assert np.array_equal(pvcache.get(key, group), year.astype(np.float32).astype(np.float64))
    monkeypatch.setenv("HEATCALC_CACHE_DIR", "none")
    pvcache._memory.clear()
    kept = pvcache.put_many([(("725090", ("roof", 40)), np.full(8760, 0.25))], group, keep=False)
    assert len(kept) == 1 and np.array_equal(pvcache.get(("725090", ("roof", 40)), group), np.full(8760, 0.25))
