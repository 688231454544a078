"""Readers for weather files a user supplies: EnergyPlus EPW and NREL TMY3 CSV.

Each reader renames the file's columns to what the model needs at the border: 8,760 hourly dry-bulb
temperatures [°F] plus the site's name, state and coordinates when the header carries them.
"""

from __future__ import annotations

import csv
import io
import math
from typing import NamedTuple
from pathlib import Path

import numpy as np

from ..errors import DataError
from ..units import c_to_f

HOURS = 8760
MAX_ROWS = HOURS + 24  # a leap year's hours; reading stops past it
MAX_WEATHER_BYTES = 50 * 1024 * 1024  # an EPW is about 1.6 MB; anything far larger is not a weather file


class WeatherFile(NamedTuple):
    path: Path
    kind: str  # "epw" or "tmy3"
    name: str
    state: str | None
    lat: float | None
    lon: float | None
    temp_f: np.ndarray


def _float(text: str, path: Path, line: int, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataError(f"{path}:{line}: {what} is not a number ({text!r})") from None
    if not math.isfinite(value):
        raise DataError(f"{path}:{line}: {what} is not a finite number ({text!r})")
    return value


def read_weather_file(path: Path) -> WeatherFile:
    """Read an EPW (``.epw``) or TMY3 CSV (``.csv``) file; the kind is told from the first line, not the name."""
    from ..fileio import InputError, read_limited

    try:
        raw = read_limited(path, MAX_WEATHER_BYTES, "weather file")
    except InputError as exc:
        raise DataError(str(exc)) from None
    text = raw.decode("utf-8", errors="replace")
    first = text.split("\n", 1)[0]
    if first.upper().startswith("LOCATION"):
        return _read_epw(path, text)
    return _read_tmy3(path, text)


def _leap_day_dropped(months: list[int], days: list[int], temps: list[float]) -> list[float]:
    return [t for m, d, t in zip(months, days, temps) if not (m == 2 and d == 29)]


def _read_epw(path: Path, text: str) -> WeatherFile:
    lines = text.splitlines()
    head = next(csv.reader([lines[0]]))
    name = head[1].strip() if len(head) > 1 else path.stem
    state = head[2].strip().upper() if len(head) > 2 and len(head[2].strip()) == 2 else None
    lat = lon = None
    if len(head) > 7:
        try:
            lat, lon = float(head[6]), float(head[7])
        except ValueError:
            pass
    months, days, temps = [], [], []
    for number, row in enumerate(csv.reader(lines[8:]), start=9):
        if not row:
            continue
        if len(row) < 7:
            raise DataError(f"{path}:{number}: an EPW data row needs at least 7 fields (has {len(row)})")
        _check_row_count(path, len(temps))
        months.append(int(_float(row[1], path, number, "month")))
        days.append(int(_float(row[2], path, number, "day")))
        value = _float(row[6], path, number, "dry-bulb temperature")
        if value >= 99.9:  # EPW's missing-value code is 99.9
            raise DataError(f"{path}:{number}: dry-bulb temperature is missing (99.9); fill the gap first")
        temps.append(value)
    temps = _leap_day_dropped(months, days, temps) if len(temps) == HOURS + 24 else temps
    return WeatherFile(path, "epw", name, state, lat, lon, _checked(path, temps))


def _read_tmy3(path: Path, text: str) -> WeatherFile:
    lines = text.splitlines()
    if len(lines) < 3:
        raise DataError(f"{path}: not an EPW or TMY3 CSV weather file (too short)")
    head = next(csv.reader([lines[0]]))
    columns = next(csv.reader([lines[1]]))
    wanted = [i for i, c in enumerate(columns) if c.strip().lower().startswith("dry-bulb")]
    if not wanted or len(head) < 6:
        raise DataError(
            f"{path}: not an EPW or TMY3 CSV weather file (an EPW starts with 'LOCATION', a TMY3 CSV has a "
            "station line then a header with a 'Dry-bulb (C)' column)")
    col = wanted[0]
    unit_f = "(f)" in columns[col].lower()
    name = head[1].strip() or path.stem
    state = head[2].strip().upper() if len(head[2].strip()) == 2 else None
    try:
        lat, lon = float(head[4]), float(head[5])
    except ValueError:
        lat = lon = None
    temps, months, days = [], [], []
    for number, row in enumerate(csv.reader(io.StringIO("\n".join(lines[2:]))), start=3):
        if not row:
            continue
        if len(row) <= col:
            raise DataError(f"{path}:{number}: row has {len(row)} fields, the dry-bulb column is number {col + 1}")
        _check_row_count(path, len(temps))
        date = row[0].split("/")
        if len(date) == 3 and date[0].isdigit() and date[1].isdigit():
            months.append(int(date[0]))
            days.append(int(date[1]))
        temps.append(_float(row[col], path, number, "dry-bulb temperature"))
    if len(temps) == HOURS + 24 and len(months) == len(temps):
        temps = _leap_day_dropped(months, days, temps)
    arr = _checked(path, temps, already_f=unit_f)
    return WeatherFile(path, "tmy3", name, state, lat, lon, arr)


def _check_row_count(path: Path, rows_so_far: int) -> None:
    if rows_so_far >= MAX_ROWS:
        raise DataError(f"{path}: has more than {MAX_ROWS:,} hourly rows; a typical-year weather file has 8,760 "
                        "(8,784 in a leap year)")


def _checked(path: Path, temps_c: list[float], already_f: bool = False) -> np.ndarray:
    if len(temps_c) != HOURS:
        raise DataError(f"{path}: has {len(temps_c)} hourly rows; a typical-year weather file has 8760")
    arr = np.asarray(temps_c, dtype=np.float64)
    temp_f = arr if already_f else c_to_f(arr)
    bad = np.flatnonzero((temp_f < -90.0) | (temp_f > 140.0))
    if bad.size:
        raise DataError(f"{path}: hour {bad[0] + 1} has an impossible dry-bulb temperature ({temp_f[bad[0]]:.1f} F)")
    return temp_f
