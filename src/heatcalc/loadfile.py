"""Hourly load series a user brings from another tool (EnergyPlus, OCHRE, BEopt, ResStock): read, checked and
folded onto the 8,760 hours of the weather year.

A series is one column of a CSV file with a header.  Its unit is either a rate (kW, W, Btu/h, kBtu/h, ton), read as
the mean over each step, or an amount per step (kWh, Wh, Btu, kBtu, MMBtu, therm), summed over each hour.  Rows are
placed on the year's hours by an ISO time column when the file has one (each timestamp marks the start of its step),
otherwise row 1 is the first step of 1 January and the rows follow in order.  A leap year's 29 February is dropped,
since the weather year has 365 days.
"""

from __future__ import annotations

import csv
import io
import re
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

import numpy as np

from . import units as u
from .errors import DataError

HOURS = 8760
LEAP_HOURS = 8784
STEPS_PER_HOUR = (1, 2, 3, 4, 6, 12, 60)  # hourly, 30, 20, 15, 10, 5 and 1 minute steps
MAX_ROWS = LEAP_HOURS * 60
MAX_BYTES = 200 * 1024 * 1024
TIME_COLUMNS = ("time", "timestamp", "datetime", "date_time", "date/time")
_RATE = u._POWER  # Btu/h in one of the unit
_AMOUNT = {"btu": 1.0, "kbtu": 1e3, "mmbtu": 1e6, "therm": u.BTU_PER_THERM, "kwh": u.BTU_PER_KWH,
           "wh": u.BTU_PER_KWH / 1000.0, "mwh": 1000.0 * u.BTU_PER_KWH}
UNITS_ACCEPTED = "kW, W, Btu/h, kBtu/h or ton (a rate), or kWh, Wh, Btu, kBtu, MMBtu or therm per step (an amount)"


class LoadSeries(NamedTuple):
    path: Path
    column: str
    btu_per_h: np.ndarray  # 8,760 hourly mean loads of the weather year
    rows: int  # data rows read
    steps_per_hour: float
    aligned_by: str  # "row order" or the time column's name
    leap_day_dropped: bool


def unit_factor(unit: str) -> tuple[float, bool]:
    """(Btu/h or Btu in one of ``unit``, is it a rate); ValueError names the accepted units."""
    key = u.normalise_unit(unit)  # the profile's own spellings (Btuh, MBH, tons, ...)
    if key in _RATE:
        return float(_RATE[key]), True
    if key in _AMOUNT:
        return float(_AMOUNT[key]), False
    raise ValueError(f"unknown unit {unit!r}: use {UNITS_ACCEPTED}")


_READ: dict = {}  # series read in this process, so that a run of many models (report, sweep) reads a file once
_READ_LIMIT = 8


def read_load_series(path: Path, column: str, unit: str, time_column: str | None = None,
                     utc_offset_h: float | None = None, what: str = "heating load",
                     time_convention: str = "beginning") -> LoadSeries:
    """:func:`read_series` once per file and options in a process: a named pipe can be read only once, and a
    report's dozen model runs should not read a 200 MB file a dozen times.  A regular file is read again when it
    changes (size or modification time)."""
    import os
    import stat as _stat

    try:
        info = os.stat(path)
        ident = ("pipe",) if _stat.S_ISFIFO(info.st_mode) else (info.st_dev, info.st_ino, info.st_size,
                                                                 info.st_mtime_ns)
    except OSError:
        ident = None  # read_series reports it
    key = (str(Path(path).resolve()), ident, column, unit, time_column, utc_offset_h, what, time_convention)
    if ident is not None and key in _READ:
        return _READ[key]
    series = read_series(path, column, unit, time_column, utc_offset_h, what, time_convention)
    series.btu_per_h.flags.writeable = False  # shared by every run that reads it
    if ident is not None:
        if len(_READ) >= _READ_LIMIT:
            _READ.pop(next(iter(_READ)))
        _READ[key] = series
    return series


def read_series(path: Path, column: str, unit: str, time_column: str | None = None,
                utc_offset_h: float | None = None, what: str = "heating load",
                time_convention: str = "beginning") -> LoadSeries:
    """Read one column of a load CSV and fold it onto the weather year's 8,760 hours [Btu/h].

    ``time_column`` names the ISO timestamp column; when None, a column called time, timestamp or datetime is used
    if present.  Timestamps with a UTC offset are moved to local standard time with ``utc_offset_h`` (the weather's
    time); naive ones are read as local standard time already.  Raises :class:`DataError` naming the file, line and
    column.
    """
    from .fileio import InputError, read_limited

    try:
        factor, is_rate = unit_factor(unit)
    except ValueError as exc:
        raise DataError(f"{path}: {exc}") from None
    try:
        raw = read_limited(path, MAX_BYTES, "load file")
    except InputError as exc:
        raise DataError(str(exc)) from None
    if raw[:2] == b"\x1f\x8b":
        raw = _gunzip(path, raw)
    text = raw.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise DataError(f"{path}: is empty; a load file is a CSV with a header row naming its columns")
    names = [h.strip() for h in header]
    if "\x00" in text[:65536] or not _looks_like_header(names):
        raise DataError(f"{path}: its first line is not a CSV header naming columns; a load file is a CSV whose first "
                        "row names its columns (e.g. time,heat_out_kw)")
    col = _find_column(path, names, column, "")
    tcol = None
    if time_column is not None:
        tcol = _find_column(path, names, time_column, "time ")
    else:
        found = [i for i, n in enumerate(names) if n.lower() in TIME_COLUMNS]
        tcol = found[0] if found else None
    values: list[float] = []
    stamps: list[datetime] = []
    for line, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(values) >= MAX_ROWS:
            raise DataError(f"{path}: has more than {MAX_ROWS:,} rows; a year of one-minute steps is {MAX_ROWS:,}")
        if len(row) <= col:
            raise DataError(f"{path}:{line}: the row has {len(row)} fields; column {names[col]!r} is number {col + 1}")
        values.append(_value(path, line, names[col], row[col], what))
        if tcol is not None:
            if len(row) <= tcol:
                raise DataError(f"{path}:{line}: the row has no {names[tcol]!r} field")
            stamps.append(_stamp(path, line, names[tcol], row[tcol], utc_offset_h))
    if not values:
        raise DataError(f"{path}: has a header but no rows")
    arr = np.asarray(values, dtype=np.float64) * factor
    if tcol is not None:
        if time_convention == "ending":
            stamps = _ending_to_beginning(path, names[tcol], stamps)
        hourly, per_hour, leap = _by_time(path, arr, stamps, is_rate, names[tcol])
        aligned = names[tcol]
    else:
        hourly, per_hour, leap = _by_order(path, arr, is_rate)
        aligned = "row order"
    return LoadSeries(path, names[col], hourly, len(values), per_hour, aligned, leap)


def _gunzip(path: Path, raw: bytes) -> bytes:
    """Decompress a gzip file, refusing more than MAX_BYTES of content (a small file can hold a huge one)."""
    import zlib

    d = zlib.decompressobj(wbits=31)
    try:
        out = d.decompress(raw, MAX_BYTES + 1)
    except zlib.error as exc:
        raise DataError(f"{path}: is not a readable gzip file ({exc})") from None
    if len(out) > MAX_BYTES or d.unconsumed_tail:
        raise DataError(f"{path}: decompresses to more than {MAX_BYTES:,} bytes, the most a load file may hold")
    if not d.eof:
        raise DataError(f"{path}: the gzip file is cut short; compress the whole CSV again")
    return out


def _looks_like_header(names: list[str]) -> bool:
    """Whether a first line looks like column names (not someone's data, a binary file or an environment)."""
    if len(names) > 1000:
        return False
    for n in names:
        if len(n) > 100 or not n.isprintable() or "\ufffd" in n:
            return False
    if all(_ASSIGNMENT.match(n) for n in names if n):  # KEY=value lines: an environment or settings file
        return False
    return any(n and not _is_number(n) for n in names)


_ASSIGNMENT = re.compile(r"^(export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*=")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _shown(text: str, limit: int = 24) -> str:
    """A cell as an error may show it: stripped, printable, at most ``limit`` characters."""
    t = text.strip()
    if not t.isprintable():
        return "a value with unprintable characters"
    return repr(t if len(t) <= limit else t[:limit] + "...")


def _ending_to_beginning(path: Path, name: str, stamps: list[datetime]) -> list[datetime]:
    """Timestamps that mark the end of their step, moved back one step (the smallest gap between rows)."""
    if len(stamps) < 2:
        return stamps
    ordered = sorted(stamps)
    step = min((b - a for a, b in zip(ordered, ordered[1:]) if b > a), default=timedelta(hours=1))
    return [t - step for t in stamps]


def _find_column(path: Path, names: list[str], wanted: str, what: str) -> int:
    if wanted in names:
        return names.index(wanted)
    folded = [n.lower() for n in names]
    if wanted.strip().lower() in folded:
        return folded.index(wanted.strip().lower())
    shown = ", ".join(repr(n) for n in names[:12]) + (", ..." if len(names) > 12 else "")
    raise DataError(f"{path}: has no {what}column {wanted!r}; its columns are {shown}")


def _value(path: Path, line: int, name: str, text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataError(f"{path}:{line}: {name} is not a number ({_shown(text)})") from None
    if not math.isfinite(value):
        raise DataError(f"{path}:{line}: {name} is {_shown(text)}; fill the gap with a number")
    if value < 0:
        raise DataError(f"{path}:{line}: {name} is negative ({value:g}); a {what} is zero or more (if the column "
                        "mixes heating and cooling, give each as its own column)")
    return value


def _stamp(path: Path, line: int, name: str, text: str, utc_offset_h: float | None) -> datetime:
    try:
        t = datetime.fromisoformat(text.strip())
    except ValueError:
        raise DataError(f"{path}:{line}: {name} is not an ISO date and time ({_shown(text, 40)}); write it as "
                        "2024-01-01T00:00 or 2024-01-01 00:00:00") from None
    if t.tzinfo is not None:
        if utc_offset_h is not None:
            t = t.astimezone(timezone(timedelta(hours=utc_offset_h)))
        t = t.replace(tzinfo=None)
    return t


def _by_order(path: Path, arr: np.ndarray, is_rate: bool) -> tuple[np.ndarray, float, bool]:
    n = arr.size
    for steps in STEPS_PER_HOUR:
        for hours, leap in ((HOURS, False), (LEAP_HOURS, True)):
            if n == hours * steps:
                per_hour = arr.reshape(hours, steps)
                hourly = per_hour.mean(axis=1) if is_rate else per_hour.sum(axis=1)
                if leap:  # rows start on 1 January of a leap year: drop 29 February, day 60
                    hourly = np.concatenate([hourly[:59 * 24], hourly[60 * 24:]])
                return hourly, float(steps), leap
    raise DataError(
        f"{path}: has {n:,} rows; without a time column a year is 8,760 hourly rows (8,784 in a leap year) or a "
        "whole multiple of them (steps of 30, 20, 15, 10, 5 or 1 minutes); add a time column of ISO timestamps "
        "to place other rows")


def _by_time(path: Path, arr: np.ndarray, stamps: list[datetime], is_rate: bool,
             name: str = "time") -> tuple[np.ndarray, float, bool]:
    first, last = min(stamps), max(stamps)
    if last - first >= timedelta(days=366):
        # Two years of rows would be folded onto one: every hour counted twice.
        raise DataError(f"{path}: the {name} column runs from {first.isoformat(sep=' ')} to "
                        f"{last.isoformat(sep=' ')}, more than a year; a load file holds one year: keep one year's rows")
    seen: dict = {}
    for i, t in enumerate(stamps):
        key = (t.month, t.day, t.hour, t.minute, t.second, t.microsecond)
        if key in seen:
            raise DataError(f"{path}: rows {seen[key] + 2} and {i + 2} fall on the same time of the year "
                            f"({t.strftime('%m-%d %H:%M')}); each step of the year has one row (if the timestamps mark "
                            "the end of each step, set `time_convention: ending`)")
        seen[key] = i
    index = np.empty(len(stamps), dtype=np.int64)
    leap = False
    for i, t in enumerate(stamps):
        if t.month == 2 and t.day == 29:
            index[i] = -1
            leap = True
            continue
        day = datetime(2023, t.month, t.day).timetuple().tm_yday  # a 365-day year
        index[i] = (day - 1) * 24 + t.hour
    keep = index >= 0
    index, arr = index[keep], arr[keep]
    counts = np.bincount(index, minlength=HOURS)
    missing = np.flatnonzero(counts == 0)
    if missing.size:
        from .weather.stations import hour_label

        raise DataError(f"{path}: the time column leaves {missing.size:,} hour(s) of the year without a row, the "
                        f"first at {hour_label(int(missing[0]))}; a load file covers the whole year")
    sums = np.bincount(index, weights=arr, minlength=HOURS)
    hourly = sums / counts if is_rate else sums
    return hourly, float(np.median(counts)), leap


def fit_ua(load_btu_per_h: np.ndarray, temp_f: np.ndarray, heating: bool = True) -> tuple[float, float, float]:
    """Fit load = UA·(balance - T) for heating (UA·(T - balance) for cooling) over the hours that need it.

    Returns (UA [Btu/h/°F], balance point [°F], R²); ValueError when the series does not grow as the air gets
    colder (hotter, for cooling)."""
    on = load_btu_per_h > 0
    if np.count_nonzero(on) < 24:
        raise ValueError("fewer than 24 hours of the year need any load")
    t, q = temp_f[on], load_btu_per_h[on]
    slope, intercept = np.polyfit(t, q, 1)
    ua = -slope if heating else slope
    if not ua > 0:
        side = "colder" if heating else "hotter"
        raise ValueError(f"the load does not grow as the air gets {side}; is it the right column?")
    balance = intercept / ua if heating else -intercept / ua
    if not -40.0 <= balance <= 100.0:
        # a load that barely follows the weather (a constant, a water-heating column) fits a balance point
        # hundreds of degrees away: it is not a heating (or cooling) load
        raise ValueError(f"the load hardly follows the outdoor temperature (its line reaches zero at {balance:,.0f} F"
                         "); is it the right column, and the space-heating (or cooling) load alone?")
    resid = q - (slope * t + intercept)
    total = float(((q - q.mean()) ** 2).sum())
    r2 = 1.0 - float((resid ** 2).sum()) / total if total > 0 else 1.0
    return float(ua), float(balance), r2
