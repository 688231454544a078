"""A small per-user cache of hourly PV output per kW, so that a profile with solar runs in milliseconds after its
array was computed once (the PV chain needs pvlib, which takes a second or two to import).

Entries are keyed by the station, the array's parameters, heatcalc's and pvlib's versions; values are the exact
float64 arrays computed, so a cached run prints the same numbers as a fresh one.  The folder is
``$HEATCALC_CACHE_DIR``, else ``$XDG_CACHE_HOME/heatcalc``, else ``~/.cache/heatcalc``; it holds at most
about :data:`MAX_ENTRIES` files (about 35 kB each: the hours with output; looked at every :data:`PRUNE_EVERY`
writes, the oldest removed first).  ``HEATCALC_CACHE_DIR=none`` turns it off; a folder that cannot be written is
simply not used.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

MEMORY_ENTRIES = 128  # arrays kept in a process (70 kB each)
MAX_ENTRIES = 25_000  # at ~35 kB an entry, under 1 GB: a housing stock over every station and roof
#: An entry is a 4-byte magic, a bitmap of the hours with output (8,760 bits) and those hours' float64 values:
#: about half the year is night, and reading one takes microseconds, not the fraction of a millisecond that
#: inflating a compressed array does (a batch of homes over many stations and roofs reads thousands).
SUFFIX = ".pvb"
MAGIC = b"HCP2"
PRUNE_EVERY = 200  # writes between looks at the folder's size (a listing of its names)
_memory: dict = {}
_writes = [0]
_MADE: set = set()  # folders made (or found) by this process


def _folder() -> Path | None:
    given = os.environ.get("HEATCALC_CACHE_DIR")
    xdg = os.environ.get("XDG_CACHE_HOME")
    hit = _FOLDERS.get((given, xdg))
    if hit is None:  # a batch asks for every array it reads: the answer is kept for the environment it came from
        if given is not None:
            hit = (None if given.strip().lower() in ("", "none", "off", "0") else Path(given) / "pv",)
        else:
            base = xdg or os.path.join(os.path.expanduser("~"), ".cache")
            hit = (Path(base) / "heatcalc" / "pv",)
        _FOLDERS.clear()
        _FOLDERS[(given, xdg)] = hit
    return hit[0]


_FOLDERS: dict = {}


def enabled() -> bool:
    """Whether the cache is on (``HEATCALC_CACHE_DIR`` not ``none``)."""
    return _folder() is not None


_VERSIONS: list = []


def _name(key) -> str:
    hit = _NAMES.get(key)
    if hit is not None:
        return hit
    if not _VERSIONS:  # reading a package's metadata parses files: once a process
        from importlib import metadata

        from . import __version__

        try:
            _VERSIONS.append((__version__, metadata.version("pvlib")))
        except metadata.PackageNotFoundError:
            _VERSIONS.append((__version__, "none"))
    __version__, pvlib_version = _VERSIONS[0]
    name = hashlib.sha256(repr((key, __version__, pvlib_version)).encode()).hexdigest()[:32] + SUFFIX
    if len(_NAMES) >= 4096:
        _NAMES.pop(next(iter(_NAMES)))
    _NAMES[key] = name
    return name


_NAMES: dict = {}  # key -> file name (a batch looks an array up, then reads it)


def get(key) -> np.ndarray | None:
    if key in _memory:
        return _memory[key]
    folder = _folder()
    if folder is None:
        return None
    try:
        with open(folder / _name(key), "rb") as fh:
            raw = fh.read(4 + 1095 + 8760 * 8 + 1)
    except OSError:
        return None
    if raw[:4] != MAGIC or len(raw) < 4 + 1095:
        return None
    lit = np.unpackbits(np.frombuffer(raw, dtype=np.uint8, count=1095, offset=4))[:8760].astype(bool)
    values = np.frombuffer(raw, dtype="<f8", offset=4 + 1095) if len(raw) > 4 + 1095 else np.zeros(0)
    if values.size != int(lit.sum()) or not np.isfinite(values).all():
        return None
    out = np.zeros(8760)
    out[lit] = values
    out.flags.writeable = False
    _remember(key, out)
    return out


def _remember(key, value: np.ndarray) -> None:
    """Keep an array in this process, the oldest of :data:`MEMORY_ENTRIES` let go."""
    while len(_memory) >= MEMORY_ENTRIES:
        _memory.pop(next(iter(_memory)))
    _memory[key] = value


def has(key) -> bool:
    """Whether the cache holds ``key`` (in this process or on disk), without reading it."""
    if key in _memory:
        return True
    folder = _folder()
    return folder is not None and (folder / _name(key)).is_file()


def names_present() -> set:
    """The names of the entries on disk (one listing of the folder), for many :func:`has` questions at once:
    ``name(key) in names_present()``."""
    folder = _folder()
    if folder is None:
        return set()
    try:
        return {e for e in os.listdir(folder) if e.endswith(SUFFIX)}
    except OSError:
        return set()


def name(key) -> str:
    """The entry's file name (what :func:`names_present` lists)."""
    return _name(key)


def put(key, value: np.ndarray) -> None:
    value = np.asarray(value, dtype=np.float64)
    value.flags.writeable = False
    _remember(key, value)
    folder = _folder()
    if folder is None:
        return
    try:
        if folder not in _MADE:
            folder.mkdir(parents=True, exist_ok=True)
            _MADE.add(folder)
        target = folder / _name(key)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        lit = value != 0.0
        with open(tmp, "wb") as fh:
            fh.write(MAGIC + np.packbits(lit).tobytes() + value[lit].astype("<f8").tobytes())
        os.replace(tmp, target)
        _writes[0] += 1
        if (_writes[0] - 1) % PRUNE_EVERY == 0:  # the first write, then every PRUNE_EVERY
            _prune(folder)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)  # type: ignore[possibly-undefined]
        except (OSError, NameError):
            pass


def _prune(folder: Path) -> None:
    """Keep at most :data:`MAX_ENTRIES` entries, the oldest removed first.  The folder is listed by name (cheap);
    only when it holds too many are the entries' times read, and it is taken down to 90 % so that the next
    writes do not prune again at once."""
    with os.scandir(folder) as it:
        names = [e.name for e in it if e.name.endswith(SUFFIX)]
    if len(names) <= MAX_ENTRIES:
        return
    timed = []
    for n in names:
        try:
            timed.append((os.stat(folder / n).st_mtime, n))
        except OSError:
            pass
    timed.sort()
    for _, n in timed[:max(0, len(timed) - int(MAX_ENTRIES * 0.9))]:
        try:
            os.unlink(folder / n)
        except OSError:
            pass


GEOMETRY_MAGIC = b"HCS2"


def get_geometry(site) -> tuple | None:
    """The sun's zenith and azimuth [degrees] and the extraterrestrial irradiance [W/m²] of each hour of the year
    at a site, as computed before, or None."""
    folder = _folder()
    if folder is None:
        return None
    try:
        with open(folder / _name(("sun", tuple(site))).replace(SUFFIX, ".sun"), "rb") as fh:
            raw = fh.read(4 + 3 * 8760 * 8 + 1)
    except OSError:
        return None
    if raw[:4] != GEOMETRY_MAGIC or len(raw) != 4 + 3 * 8760 * 8:
        return None
    rows = np.frombuffer(raw, dtype="<f8", offset=4).reshape(3, 8760)
    if not np.isfinite(rows).all():
        return None
    return rows[0].copy(), rows[1].copy(), rows[2].copy()


def put_geometry(site, zenith: np.ndarray, azimuth: np.ndarray, extra: np.ndarray) -> None:
    folder = _folder()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / _name(("sun", tuple(site))).replace(SUFFIX, ".sun")
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(GEOMETRY_MAGIC + np.stack([zenith, azimuth, extra]).astype("<f8").tobytes())
        os.replace(tmp, target)
    except OSError:
        pass

