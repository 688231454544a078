"""A small per-user cache of hourly PV output per kW, so that a profile with solar runs in milliseconds after its
array was computed once (the PV chain needs pvlib, which takes a second or two to import).

Entries are keyed by the station, the array's parameters, heatcalc's and pvlib's versions; values are kept to
single precision (seven significant digits, far inside the model's own error) on every route -- computed, read from
the cache or with the cache off (:func:`put` gives back what it keeps) -- so a cached run prints the same numbers as a
fresh one.  The folder is
``$HEATCALC_CACHE_DIR``, else ``$XDG_CACHE_HOME/heatcalc``, else ``~/.cache/heatcalc``; it holds at most
about :data:`MAX_ENTRIES` files (35 kB each; looked at every :data:`PRUNE_EVERY`
writes near that limit, less often with room to spare, the oldest removed first).  ``HEATCALC_CACHE_DIR=none`` turns it off; a folder that cannot be written is
simply not used.
"""

from __future__ import annotations

import hashlib
import os
import stat
import struct
import sys
import time
import zlib
from pathlib import Path

import numpy as np

MEMORY_ENTRIES = 128  # arrays kept in a process (70 kB each)
MAX_ENTRIES = 25_000  # at 35 kB an entry, under 1 GB: a housing stock over every station and roof
#: An entry is a header (:func:`_header`: magic, the key's digest, the count of values, a checksum) and the year's
#: 8,760 values as little-endian float32: read in one call and widened in a few microseconds (the earlier bitmap of
#: lit hours with their float64 values took 25 us to unpack, inflating a compressed array a fraction of a
#: millisecond; a batch of homes over many stations and roofs reads thousands).  Storing only a station's lit hours
#: (a bitmap shared by its arrays, half the bytes) was measured slower to read: putting ~4,500 values back in
#: their hours took 9 us, more than the shorter read and checksum saved.
SUFFIX = ".pvb"
MAGIC = b"HCP6"
#: A sun entry's bitmap of the hours it holds (8,760 bits in 1,095 bytes and one zero byte, so what follows starts
#: on a value's boundary).
MASK_BYTES = 1096
VALUE_BYTES = 8760 * 4
PRUNE_EVERY = 200  # writes between looks at the folder's size (a listing of its names) near its limit
_memory: dict = {}
_writes = [0]  # writes left before the next look at the folder (below 0: look now)
_MADE: set = set()  # folders made (or found) by this process


def _folder() -> Path | None:
    given = os.environ.get("HEATCALC_CACHE_DIR")
    xdg = os.environ.get("XDG_CACHE_HOME") if given is None else None  # (a batch asks per array: one look if set)
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
#: The PV model an entry was computed by: a new chain never reads an older one's entries (the package's version
#: alone would not tell a development checkout's changes apart).
MODEL = "pvwatts8-2026-12-v4"


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
    name = hashlib.sha256(repr((key, __version__, pvlib_version, MODEL)).encode()).hexdigest()[:32] + SUFFIX
    if len(_NAMES) >= 16384:
        _NAMES.pop(next(iter(_NAMES)))
    _NAMES[key] = name
    return name


_NAMES: dict = {}  # key -> file name (a batch looks an array up, then reads it)
_PATHS: dict = {}  # (folder, key) -> (the entry's path, its file name): a warm batch reads an entry a home


def _header(key_digest: bytes, magic: bytes, payload: bytes, count: int) -> bytes:
    """An entry's header: its magic, the digest of the key it was written for, how many float64 values follow and a
    checksum of everything after the header.  A cache is never trusted: an entry whose header does not match what
    is read (cut short, grown, overwritten, renamed from another key) is recomputed, never used."""
    return magic + key_digest + struct.pack("<I", count) + _checksum(payload)


def _checksum(payload: bytes) -> bytes:
    """The payload's CRC-32: a check against damage (a cut, a flipped bit, bytes of another file), which is what a
    cache needs -- anyone who can write the folder could forge a cryptographic digest as easily.  A warm batch of
    rooftop-solar homes reads an entry a home: 8 us here, SHA-256 20 and BLAKE2b 40 on this machine's 36 kB."""
    return struct.pack("<I", zlib.crc32(payload))


HEADER_BYTES = 4 + 16 + 4 + 4
#: Magics of earlier formats, replaced without a word: HCP2/HCS2, HCP3/HCS3 (BLAKE2b), HCP4/HCS4 (SHA-256), HCP5
#: (float64 values of the lit hours), HCS5 (the sun at all hours with the extraterrestrial irradiance).
OLD_MAGICS = (b"HCP2", b"HCS2", b"HCP3", b"HCS3", b"HCP4", b"HCS4", b"HCP5", b"HCS5")


def _key_digest(file_name: str) -> bytes:
    return bytes.fromhex(file_name[:32])


def _read_entry(path, limit: int) -> bytes | None:
    """An entry's bytes, or None when there is none.  Opened without blocking and read only when it is a regular
    file: a named pipe or a device where an entry should be is passed over (it would hang a reader for ever)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            _damaged(path, "is not a regular file")
            return None
        # the file as it stands, in one read of one byte more than its size: a shorter read is its end (no second
        # read to meet it); a full one means it grew, so read on, up to one byte past the longest entry (what is
        # read is checked whole either way: a cut or a grown entry fails its header or checksum)
        want = min(limit + 1, info.st_size + 1)
        data = os.read(fd, want)
        if len(data) < want:
            return data
        chunks, size = [data], len(data)
        while size <= limit:
            block = os.read(fd, limit + 1 - size)
            if not block:
                break
            chunks.append(block)
            size += len(block)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


_WARNED: list = []


def _damaged(path, reason: str) -> None:
    """Say once per process that an entry could not be used (it is computed again and replaced)."""
    if reason and not _WARNED:
        _WARNED.append(path)
        try:
            sys.stderr.write(f"Warning: PV cache entry {path} {reason}; it is computed again and replaced "
                             "(set HEATCALC_CACHE_DIR=none to run without the cache)\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass


def _verified(raw: bytes, magic: bytes, name: str) -> tuple[int, bytes] | str:
    """(count, payload) of an entry whose header matches its key and body, else why it does not."""
    if raw[:4] in OLD_MAGICS:
        return ""  # written by an earlier heatcalc: replaced without a word
    if len(raw) < HEADER_BYTES or raw[:4] != magic:
        return "is damaged (it does not start as an entry does)"
    if raw[4:20] != _key_digest(name):
        return "was written for another array"
    (count,) = struct.unpack("<I", raw[20:24])
    payload = memoryview(raw)[HEADER_BYTES:]  # (not a copy)
    if _checksum(payload) != raw[24:HEADER_BYTES]:
        return "is damaged (its checksum does not match)"
    return count, payload


def get(key) -> np.ndarray | None:
    """The cached hourly output of an array, or None when it is not cached (or its entry cannot be trusted: then
    the caller computes it and :func:`put` replaces the entry)."""
    if key in _memory:
        return _memory[key]
    folder = _folder()
    if folder is None:
        return None
    place = _PATHS.get((folder, key))
    if place is None:  # (a string: a Path made per read costs more than the read's checks)
        name = _name(key)
        place = (os.path.join(folder, name), name)
        if len(_PATHS) >= 16384:
            _PATHS.pop(next(iter(_PATHS)))
        _PATHS[(folder, key)] = place
    path, name = place
    raw = _read_entry(path, HEADER_BYTES + VALUE_BYTES)
    if raw is None:
        return None
    checked = _verified(raw, MAGIC, name)
    if isinstance(checked, str):
        _damaged(path, checked)
        return None
    count, payload = checked
    if count != 8760 or len(payload) != VALUE_BYTES:
        _damaged(path, "is damaged (its size does not match its hours)")
        return None
    values = np.frombuffer(payload, dtype="<f4")
    if not np.isfinite(values).all():
        _damaged(path, "holds values that are not finite")
        return None
    out = values.astype(np.float64)
    out.flags.writeable = False
    _remember(key, out)
    return out


_HOURS: dict = {}  # a bitmap's bytes -> the hours it marks


def _bitmap(hours: np.ndarray) -> bytes:
    """The hours marked in a boolean mask of the year, as an entry stores them (:data:`MASK_BYTES`)."""
    return np.packbits(hours).tobytes().ljust(MASK_BYTES, b"\0")


def _hours_of(bitmap: bytes) -> np.ndarray | None:
    """The hours (indices) a bitmap marks, or None when it is not one an entry can hold (its padding set)."""
    hit = _HOURS.get(bitmap)
    if hit is None:
        if bitmap[8760 // 8:] != b"\0" * (MASK_BYTES - 8760 // 8):
            return None
        hit = np.flatnonzero(np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), count=8760))
        if len(_HOURS) >= 2048:
            _HOURS.pop(next(iter(_HOURS)))
        _HOURS[bitmap] = hit
    return hit


def _remember(key, value: np.ndarray) -> None:
    """Keep an array in this process, the oldest of :data:`MEMORY_ENTRIES` let go."""
    while len(_memory) >= MEMORY_ENTRIES:
        _memory.pop(next(iter(_memory)))
    _memory[key] = value


def has(key) -> bool:
    """Whether the cache holds ``key`` (in this process or on disk), without reading it."""
    return key in _memory or on_disk(key)


def on_disk(key) -> bool:
    """Whether the cache's folder holds an entry for ``key`` (what another process can read), without reading it:
    one look at the file (~3 us here), so a batch asks it per array -- listing a folder of 15,000 entries took 19
    ms, more than a chunk's thousand looks."""
    folder = _folder()
    return folder is not None and os.path.isfile(os.path.join(folder, _name(key)))


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


def put(key, value: np.ndarray) -> np.ndarray:
    """Keep an array (in this process, and in the folder when the cache is on) and give back what is kept: the
    8,760 values to single precision, widened again -- what :func:`get` will read, so the caller uses it too."""
    stored = np.asarray(value, dtype=np.float64).astype("<f4")
    kept = stored.astype(np.float64)
    kept.flags.writeable = False
    _remember(key, kept)
    folder = _folder()
    if folder is None:
        return kept
    try:
        if folder not in _MADE:
            folder.mkdir(parents=True, exist_ok=True)
            _MADE.add(folder)
        name = _name(key)
        payload = stored.tobytes()
        _write(folder / name, _header(_key_digest(name), MAGIC, payload, stored.size) + payload)
        _writes[0] -= 1
        if _writes[0] < 0:  # a process's first write, then as often as the folder's room asks
            _writes[0] = _next_look(_prune(folder)) - 1
    except OSError:
        pass
    return kept


def _write(target: Path, data: bytes) -> None:
    """Write an entry whole or not at all: a temporary file renamed over the entry, removed on any failure (a full
    disk leaves nothing behind)."""
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise


def _next_look(entries: int) -> int:
    """Writes until the folder is looked at again, when it held ``entries``: every :data:`PRUNE_EVERY` near its
    limit, less often with room to spare (an eighth of the room: several processes writing at once still do not
    pass the limit by much before one looks).  A listing of 15,000 entries takes ~19 ms; every 200 writes it was
    a tenth of a cold batch's writing."""
    return max(PRUNE_EVERY, (MAX_ENTRIES - entries) // 8)


def _prune(folder: Path) -> int:
    """Keep at most :data:`MAX_ENTRIES` entries, the oldest removed first; returns how many are left.  The folder
    is listed by name (cheap); only when it holds too many are the entries' times read, and it is taken down to
    90 % so that the next writes do not prune again at once."""
    with os.scandir(folder) as it:
        listed = [e.name for e in it]
    names = [n for n in listed if n.endswith(SUFFIX)]
    _remove_stale_temporaries(folder, [n for n in listed if n.endswith(".tmp")])
    if len(names) <= MAX_ENTRIES:
        return len(names)
    timed = []
    for n in names:
        try:
            timed.append((os.stat(folder / n).st_mtime, n))
        except OSError:
            pass
    timed.sort()
    removed = 0
    for _, n in timed[:max(0, len(timed) - int(MAX_ENTRIES * 0.9))]:
        try:
            os.unlink(folder / n)
            removed += 1
        except OSError:
            pass
    return len(names) - removed


STALE_TMP_S = 3600.0  # a temporary file older than this was left by a process that died while writing


def _remove_stale_temporaries(folder: Path, names: list) -> None:
    """Remove temporaries that a killed process left (a live writer renames its own within milliseconds)."""
    now = time.time()
    for n in names:
        try:
            if now - os.stat(folder / n).st_mtime > STALE_TMP_S:
                os.unlink(folder / n)
        except OSError:
            pass


#: A sun entry: the header, the bitmap of the hours it was computed at (:data:`MASK_BYTES`), then the sun's zenith
#: and its azimuth at those hours as little-endian float64 (~75 kB at a station's hours with light).
GEOMETRY_MAGIC = b"HCS6"


def _geometry_name(site, bitmap: bytes) -> str:
    return _name(("sun", tuple(site), hashlib.blake2b(bitmap, digest_size=8).hexdigest())).replace(SUFFIX, ".sun")


def get_geometry(site, hours: np.ndarray) -> tuple | None:
    """The sun's zenith and azimuth [degrees] at the year's ``hours`` (a boolean mask) at a site, as computed
    before (zenith 180° and azimuth 180° at the other hours, as :func:`heatcalc.model.pv.sun_geometry` leaves them),
    or None (also when the entry cannot be trusted: it is computed again)."""
    folder = _folder()
    if folder is None:
        return None
    bitmap = _bitmap(hours)
    name = _geometry_name(site, bitmap)
    path = folder / name
    at = _hours_of(bitmap)
    raw = _read_entry(path, HEADER_BYTES + MASK_BYTES + 2 * 8 * at.size)
    if raw is None:
        return None
    checked = _verified(raw, GEOMETRY_MAGIC, name)
    if isinstance(checked, str) or checked[0] != 2 * at.size or len(checked[1]) != MASK_BYTES + 16 * at.size \
            or bytes(checked[1][:MASK_BYTES]) != bitmap:
        _damaged(path, checked if isinstance(checked, str) else "is damaged (its size does not match)")
        return None
    rows = np.frombuffer(checked[1], dtype="<f8", offset=MASK_BYTES).reshape(2, at.size)
    if not np.isfinite(rows).all():
        _damaged(path, "holds values that are not finite")
        return None
    zenith, azimuth = np.full(8760, 180.0), np.full(8760, 180.0)
    zenith[at], azimuth[at] = rows
    return zenith, azimuth


def put_geometry(site, hours: np.ndarray, zenith: np.ndarray, azimuth: np.ndarray) -> None:
    """Keep the sun's zenith and azimuth at the year's ``hours`` (a boolean mask) at a site."""
    folder = _folder()
    if folder is None:
        return
    try:
        if folder not in _MADE:
            folder.mkdir(parents=True, exist_ok=True)
            _MADE.add(folder)
        bitmap = _bitmap(hours)
        name = _geometry_name(site, bitmap)
        at = np.asarray(hours, dtype=bool)
        payload = bitmap + np.stack([zenith[at], azimuth[at]]).astype("<f8").tobytes()
        _write(folder / name, _header(_key_digest(name), GEOMETRY_MAGIC, payload, 2 * int(at.sum())) + payload)
    except OSError:
        pass
