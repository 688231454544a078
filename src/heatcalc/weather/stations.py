"""The embedded typical-year weather: 1,020 NREL TMY3 stations, ZIP codes and state defaults.

Everything here reads the compact files in ``heatcalc/data`` that ``scripts/build_data.py`` derives.  Loading is
lazy and cached: the hourly temperatures are a memory-mapped array, so one station costs one 17.5 kB read.
"""


import json
import math
import os
from typing import NamedTuple
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
HOURS_PER_YEAR = 8760
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


class Station(NamedTuple):
    usaf: str
    name: str
    state: str
    lat: float
    lon: float
    elevation_m: float
    utc_offset_h: float
    quality_flag: str
    annual_mean_f: float
    design_99_f: float
    design_99_6_f: float
    hdd65_f_day: float
    index: int

    @property
    def usable(self) -> bool:
        return not self.quality_flag


@lru_cache(maxsize=1)
def _station_table() -> np.ndarray:
    return np.load(DATA_DIR / "stations.npy")


def _station(i: int) -> Station:
    row = _station_table()[i]
    return Station(
        usaf=str(row["usaf"]), name=str(row["name"]), state=str(row["state"]), lat=float(row["lat"]),
        lon=float(row["lon"]), elevation_m=float(row["elevation_m"]), utc_offset_h=float(row["utc_offset_h"]),
        quality_flag=str(row["quality_flag"]), annual_mean_f=float(row["annual_mean_f"]),
        design_99_f=float(row["design_99_f"]), design_99_6_f=float(row["design_99_6_f"]),
        hdd65_f_day=float(row["hdd65_f_day"]), index=i,
    )


@lru_cache(maxsize=1)
def all_stations() -> tuple[Station, ...]:
    return tuple(_station(i) for i in range(len(_station_table())))


@lru_cache(maxsize=1)
def _index_by_id() -> dict[str, int]:
    return {str(u): i for i, u in enumerate(_station_table()["usaf"])}


def station_by_id(usaf: str) -> Station | None:
    i = _index_by_id().get(str(usaf).strip())
    return None if i is None else _station(i)


TEMPERATURE_FILE = DATA_DIR / "temperatures.npy"


@lru_cache(maxsize=1)
def _temperature_layout() -> tuple[int, np.dtype, tuple[int, int]]:
    """Where the array starts in the .npy file, its dtype and shape (read from the header once)."""
    from numpy.lib import format as npy_format

    with open(TEMPERATURE_FILE, "rb") as fh:
        version = npy_format.read_magic(fh)
        if version == (1, 0):
            shape, fortran_order, dtype = npy_format.read_array_header_1_0(fh)
        else:
            shape, fortran_order, dtype = npy_format.read_array_header_2_0(fh)
        if fortran_order or dtype != np.dtype("<i2"):
            raise RuntimeError("temperatures.npy must be a C-ordered int16 array (rebuild with scripts/build_data.py)")
        return fh.tell(), dtype, shape


def hourly_temperature_f(station: Station) -> np.ndarray:
    """The station's 8,760 hourly dry-bulb temperatures [°F], hour 1 = 01:00 local standard time on 1 January.

    The array is shared between callers (cached) and read-only.
    """
    return _hourly_temperature_f(station.index)


def _tenths_c(index: int) -> np.ndarray:
    """A station's stored hourly temperatures [tenths of °C]: one contiguous row of the file, read alone (17.5 kB;
    a memory map costs more to set up), by a positioned read of the file kept open (a batch's worker reads a
    thousand stations: 5 us each instead of 19 opening the file each time)."""
    offset, dtype, shape = _temperature_layout()
    at, size = offset + index * shape[1] * 2, shape[1] * 2
    if not hasattr(os, "pread"):
        return np.fromfile(TEMPERATURE_FILE, dtype=dtype, count=shape[1], offset=at)
    if not _TEMPERATURE_FD:
        _TEMPERATURE_FD.append(os.open(TEMPERATURE_FILE, os.O_RDONLY))
    data = os.pread(_TEMPERATURE_FD[0], size, at)
    if len(data) != size:
        raise RuntimeError("temperatures.npy is cut short (rebuild with scripts/build_data.py)")
    return np.frombuffer(data, dtype=dtype)


_TEMPERATURE_FD: list = []  # (a read-only descriptor: shared by forked workers, whose positioned reads move no offset)


def _to_f(tenths_c: np.ndarray) -> np.ndarray:
    return np.asarray(tenths_c).astype(np.float64) * 0.18 + 32.0  # tenths of °C -> °F


@lru_cache(maxsize=128)
def _hourly_temperature_f(index: int) -> np.ndarray:
    temp = _to_f(_tenths_c(index))
    temp.flags.writeable = False
    return temp


class Weather(NamedTuple):
    """A year of hourly temperatures with what the model derives from it once."""

    temp_f: np.ndarray  # 8,760 hours [°F]
    design_temp_f: float  # 99 % heating design temperature [°F]
    bin_temp_f: np.ndarray  # the distinct hourly temperatures, ascending [°F]
    bin_hours: np.ndarray  # hours at each
    bin_first_hour: np.ndarray  # the first hour of the year (0-based) at each temperature


def percentile_f(weather: Weather, q: float) -> float:
    """``np.percentile(weather.temp_f, q)`` (linear interpolation) read from the sorted temperature bins, without
    sorting the year's hours again."""
    return bins_percentile_f(weather.bin_temp_f, weather.bin_hours, q)


def bins_percentile_f(bin_temp_f: np.ndarray, bin_hours: np.ndarray, q: float) -> float:
    """The ``q``-th percentile (linear interpolation, as ``np.percentile``) of the hours that ascending temperature
    bins hold."""
    n = int(bin_hours.sum())
    pos = q / 100.0 * (n - 1)
    below = int(math.floor(pos))
    ends = np.cumsum(bin_hours)  # the sorted hours [ends[i-1], ends[i]) are at bin i's temperature
    lo, hi = np.searchsorted(ends, [below, min(below + 1, n - 1)], side="right")
    a, b = float(bin_temp_f[lo]), float(bin_temp_f[hi])
    return a + (b - a) * (pos - below)


def weather_from_hours(temp_f: np.ndarray) -> Weather:
    temp = np.asarray(temp_f, dtype=float)
    order = np.argsort(temp, kind="stable")
    ordered = temp[order]
    starts = np.concatenate(([0], np.flatnonzero(np.diff(ordered)) + 1))
    hours = np.diff(np.concatenate((starts, [ordered.size]))).astype(float)
    values = ordered[starts]
    first = order[starts]  # a stable sort keeps equal temperatures in time order
    for arr in (values, hours, first):
        arr.flags.writeable = False
    return Weather(temp_f, design_temperature_f(temp_f, 1.0), values, hours, first)


MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
#: Month (0–11) of each hour of the typical year (hour 0 is the hour ending 01:00 on 1 January).
HOUR_MONTH = np.repeat(np.arange(12), [24 * d for d in MONTH_DAYS])
HOUR_MONTH.flags.writeable = False


def hour_label(hour_index: int) -> str:
    """``"01-17 07:00"``: month-day and the clock time at the end of the hour (local standard time)."""
    day_of_year, hour = divmod(int(hour_index), 24)
    month = 0
    while day_of_year >= MONTH_DAYS[month]:
        day_of_year -= MONTH_DAYS[month]
        month += 1
    return f"{month + 1:02d}-{day_of_year + 1:02d} {hour + 1:02d}:00"


class Bins(NamedTuple):
    """What the model derives from a station's year once: its design temperature and temperature bins."""

    design_temp_f: float
    temp_f: np.ndarray
    hours: np.ndarray
    first_hour: np.ndarray


_BINS: dict[int, tuple] = {}  # station index → its bins and each hour's bin: ~30 kB each, all 1,020 in ~30 MB


def _station_bins(index: int) -> tuple[Bins, np.ndarray]:
    """A station's bins and the bin of each hour (int16), counted from the stored tenths of a degree: equal
    temperatures are equal tenths, so the distinct values, their hours and first hours come from counts, without
    sorting the year (the same values as :func:`weather_from_hours` gives for the station's hours)."""
    hit = _BINS.get(index)
    if hit is None:
        tenths = _tenths_c(index)
        lo = int(tenths.min())
        t = tenths.astype(np.int64) - lo
        counts = np.bincount(t)
        present = np.flatnonzero(counts)
        first_of = np.full(counts.size, t.size)
        np.minimum.at(first_of, t, np.arange(t.size))
        values = _to_f(present + lo)
        hour_bin = (np.cumsum(counts > 0) - 1).astype(np.int16)[t]  # (each value's rank, read at each hour)
        # the design temperature from the counts: the year's k-th coldest hour is in the bin whose running count
        # first passes k (the same order statistics design_temperature_f finds by partitioning the hours)
        low, high, frac = _percentile_ranks(t.size, 1.0)
        at_low, at_high = values[np.searchsorted(np.cumsum(counts[present]), [low, high], side="right")]
        b = Bins(float(at_low + frac * (at_high - at_low)), values, counts[present].astype(float), first_of[present])
        for arr in (b.temp_f, b.hours, b.first_hour, hour_bin):
            arr.flags.writeable = False
        hit = _BINS[index] = (b, hour_bin)
    return hit


def station_bins(index: int) -> Bins:
    """A station's design temperature and temperature bins, computed once per process and kept for every
    station, as a housing stock spans them all."""
    return _station_bins(index)[0]


def station_hour_bins(index: int) -> np.ndarray:
    """The bin (an index into :func:`station_bins`' temperatures) of each hour of a station's year [int16]."""
    return _station_bins(index)[1]


@lru_cache(maxsize=128)
def _station_weather(index: int) -> Weather:
    # the year's hours (a 17.5 kB read) are kept for the last 128 stations; the bins for every station
    b = station_bins(index)
    return Weather(_hourly_temperature_f(index), b.design_temp_f, b.temp_f, b.hours, b.first_hour)


def station_weather(station: Station) -> Weather:
    """The station's weather, computed once per process and shared."""
    return _station_weather(station.index)


def design_temperature_f(temp_f: np.ndarray, percent: float = 1.0) -> float:
    """Heating design temperature [°F]: the given percentile of the hourly temperatures (1 % → the 99 % condition).

    Linear interpolation between order statistics, as ``numpy.percentile``'s default, without its import cost.
    """
    t = np.asarray(temp_f, dtype=float)
    lo, hi, frac = _percentile_ranks(t.size, percent)
    part = np.partition(t, [lo, hi])
    return float(part[lo] + frac * (part[hi] - part[lo]))


def _percentile_ranks(n: int, percent: float) -> tuple[int, int, float]:
    """The two order statistics (0-based ranks) a percentile of ``n`` values lies between, and how far along."""
    pos = percent / 100.0 * (n - 1)
    lo = int(pos)
    return lo, min(lo + 1, n - 1), pos - lo


@lru_cache(maxsize=1)
def _coordinates() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    table = _station_table()
    return np.radians(table["lat"]), np.radians(table["lon"]), table["quality_flag"] == ""


def great_circle_km(lat1, lon1, lat2, lon2):
    """Haversine distance [km] between points given in degrees (numpy-broadcastable)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, a)))


def nearest_station(lat_deg: float, lon_deg: float) -> tuple[Station, float]:
    """The nearest usable station by great-circle distance, and that distance [km]; flagged stations never win."""
    lat, lon, usable = _coordinates()
    phi, lmb = math.radians(lat_deg), math.radians(lon_deg)
    a = np.sin((lat - phi) / 2) ** 2 + np.cos(phi) * np.cos(lat) * np.sin((lon - lmb) / 2) ** 2
    dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, a)))
    dist = np.where(usable, dist, np.inf)
    i = int(np.argmin(dist))
    return _station(i), float(dist[i])


# --- states -----------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _states_file() -> dict:
    with open(DATA_DIR / "states.json") as fh:
        return json.load(fh)


def state_codes() -> list[str]:
    return [c for c in _states_file()["states"] if c != "US"]


def state_info(code: str) -> dict | None:
    return _states_file()["states"].get(code.upper())


def price_year() -> int:
    return int(_states_file()["price_year"])


def data_sources() -> dict:
    f = _states_file()
    return {"prices": f["price_source"], "emissions": f["emission_source"], "escalation": f["escalation_source"],
            "household": f["household_source"], "wood": f["wood_price_source"], "wood_year": f["wood_price_year"]}


def representative_station(state: str) -> Station | None:
    info = state_info(state)
    if not info or not info["representative_station"]:
        return None
    return station_by_id(info["representative_station"])


# --- ZIP codes --------------------------------------------------------------------------------------------------

class ZipLocation(NamedTuple):
    zip: str
    state: str
    lat: float | None
    lon: float | None


@lru_cache(maxsize=1)
def _zip_table() -> tuple[np.ndarray, list[str]]:
    table = np.load(DATA_DIR / "zips.npy")
    with open(DATA_DIR / "zip_states.json") as fh:
        return table, json.load(fh)


def lookup_zip(code: str) -> ZipLocation | None:
    """A five-digit US ZIP code's state and centroid (None for an unknown ZIP; lat/lon None where unknown)."""
    if not (len(code) == 5 and code.isdigit()):
        return None
    table, states = _zip_table()
    number = int(code)
    i = int(np.searchsorted(table["zip"], number))
    if i >= len(table) or int(table["zip"][i]) != number:
        return None
    row = table[i]
    lat, lon = float(row["lat"]), float(row["lon"])
    if math.isnan(lat):
        return ZipLocation(code, states[int(row["state"])], None, None)
    return ZipLocation(code, states[int(row["state"])], lat, lon)


def state_of_point(lat_deg: float, lon_deg: float, max_km: float = 60.0) -> str | None:
    """The state of the nearest ZIP centroid, if one lies within ``max_km`` (else None: offshore or abroad)."""
    table, states = _zip_table()
    ok = ~np.isnan(table["lat"])
    d = great_circle_km(lat_deg, lon_deg, table["lat"][ok].astype(float), table["lon"][ok].astype(float))
    i = int(np.argmin(d))
    if d[i] > max_km:
        return None
    return states[int(table["state"][ok][i])]


def zip5(text: str) -> str | None:
    """``"02134"``, ``"2134"`` (a ZIP whose leading zero a spreadsheet dropped) or ZIP+4 ``"02134-1234"`` → the
    five digits; None for anything else."""
    code = text.strip()
    if len(code) == 10 and code[5] == "-" and code[6:].isdigit():
        code = code[:5]
    if not code.isdigit() or not 3 <= len(code) <= 5:
        return None
    return code.zfill(5)
