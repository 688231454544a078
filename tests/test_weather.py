import numpy as np
import pytest

from heatcalc.errors import DataError
from heatcalc.weather import stations as st
from heatcalc.weather.files import read_weather_file


def test_all_stations_embedded():
    stations = st.all_stations()
    assert len(stations) == 1020
    assert sum(not s.usable for s in stations) == 1  # Hydaburg Seaplane, corrupt summer data


def test_station_temperatures_match_summary():
    boston = st.station_by_id("725090")
    t = st.hourly_temperature_f(boston)
    assert t.shape == (8760,)
    assert t.mean() == pytest.approx(boston.annual_mean_f, abs=0.01)
    assert np.percentile(t, 1.0) == pytest.approx(boston.design_99_f, abs=0.01)


def test_nearest_station_never_the_flagged_one():
    s, dist = st.nearest_station(55.2, -132.833)  # Hydaburg's own coordinates
    assert s.usaf != "703884"
    assert dist > 0


def test_great_circle_hand_value():
    # One degree of latitude is 111.19 km on a sphere of radius 6371.0088 km (2πR/360).
    assert float(st.great_circle_km(0, 0, 1, 0)) == pytest.approx(111.195, abs=1e-3)


def test_zip_lookup():
    z = st.lookup_zip("02134")
    assert z.state == "MA" and z.lat == pytest.approx(42.35, abs=0.05)
    assert st.lookup_zip("00000") is None
    assert st.lookup_zip("abcde") is None


def test_state_representative_station():
    assert st.representative_station("MA").usaf == "725090"  # Boston Logan serves most of Massachusetts
    assert st.representative_station("IL").usaf == "725340"  # Chicago Midway


def _epw(rows: int, temp=5.0) -> str:
    head = "LOCATION,Testville,MA,USA,TMY3,725090,42.37,-71.02,-5.0,6.0\n" + "X\n" * 7
    body = "".join(f"1999,1,1,{h % 24 + 1},0,?,{temp},0\n" for h in range(rows))
    return head + body


def test_epw_reader(tmp_path):
    path = tmp_path / "t.epw"
    path.write_text(_epw(8760, temp=-20.0))
    wf = read_weather_file(path)
    assert wf.kind == "epw" and wf.state == "MA" and wf.lat == pytest.approx(42.37)
    assert wf.temp_f.shape == (8760,) and wf.temp_f[0] == pytest.approx(-4.0)


def test_tmy3_csv_reader(tmp_path):
    path = tmp_path / "t.csv"
    lines = ['725090,"BOSTON LOGAN",MA,-5.0,42.367,-71.017,6', "Date (MM/DD/YYYY),Time (HH:MM),Dry-bulb (C)"]
    lines += [f"01/01/1999,{h % 24 + 1}:00,10.0" for h in range(8760)]
    path.write_text("\n".join(lines) + "\n")
    wf = read_weather_file(path)
    assert wf.kind == "tmy3" and wf.state == "MA" and wf.temp_f[5] == pytest.approx(50.0)


@pytest.mark.parametrize("text,message", [
    (_epw(100), "has 100 hourly rows"),
    ("hello\nworld\n", "not an EPW or TMY3"),
    (_epw(8760).replace(",5.0,0\n", ",abc,0\n", 1), "not a number"),
])
def test_bad_weather_files(tmp_path, text, message):
    path = tmp_path / "bad.epw"
    path.write_text(text)
    with pytest.raises(DataError) as exc:
        read_weather_file(path)
    assert message in str(exc.value)


def test_station_bins_from_counts_equal_sorting_the_hours():
    # station_bins counts the stored tenths of a degree instead of sorting the year: the same bins, hours, first
    # hours and design temperature as weather_from_hours on the station's hours, and each hour's bin is where its
    # temperature falls among them (every 25th station, Fairbanks and Honolulu among them by chance or not)
    import numpy as np

    from heatcalc.weather import stations as st

    chosen = [*st.all_stations()[::25], st.station_by_id("702610"), st.station_by_id("911820")]
    for s in chosen:
        temp = st.hourly_temperature_f(s)
        w = st.weather_from_hours(temp)
        b = st.station_bins(s.index)
        assert b.design_temp_f == w.design_temp_f
        for got, want in ((b.temp_f, w.bin_temp_f), (b.hours, w.bin_hours), (b.first_hour, w.bin_first_hour)):
            assert np.array_equal(got, want)
        assert np.array_equal(st.station_hour_bins(s.index), np.searchsorted(b.temp_f, temp))
        assert np.array_equal(b.temp_f[st.station_hour_bins(s.index)], temp)


def test_percentiles_read_from_the_bins_are_numpys():
    # percentile_f reads a year's sorted hours from its temperature bins: the same figure as np.percentile's linear
    # interpolation over the 8,760 hours (and over a leap year's 8,784)
    import numpy as np

    from heatcalc.weather import stations as st

    rng = np.random.default_rng(4)
    for temps in (st.station_weather(st.station_by_id("725090")).temp_f, rng.normal(40, 20, 8760).round(1),
                  rng.normal(40, 20, 8784)):
        w = st.weather_from_hours(temps)
        for q in (0.0, 0.4, 1.0, 50.0, 99.0, 99.6, 100.0):
            assert st.percentile_f(w, q) == pytest.approx(float(np.percentile(temps, q)), abs=1e-9)
