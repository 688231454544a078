"""A small per-user cache of hourly PV output per kW, so that a profile with solar runs in milliseconds after its
array was computed once (the PV chain needs pvlib, which takes a second or two to import).

Arrays are keyed by the station, the array's parameters, heatcalc's and pvlib's versions; values are kept to
single precision (seven significant digits, far inside the model's own error) on every route -- computed, read from
the cache or with the cache off (:func:`put` gives back what it keeps) -- so a cached run prints the same numbers as a
fresh one.  A station's arrays share a file (a *pack* of up to :data:`PACK_ENTRIES`; an array given without a
``group`` has a file of its own): a cold batch over every station writes about a thousand files, not fifteen
thousand (creating a file cost 60-600 us on this machine, writing its 35 kB a few).  The folder is
``$HEATCALC_CACHE_DIR``, else ``$XDG_CACHE_HOME/heatcalc``, else ``~/.cache/heatcalc``; it holds at most
about :data:`MAX_ENTRIES` arrays (~18 kB each; looked at every :data:`PRUNE_EVERY` writes near that limit, less often
with room to spare, the oldest files removed first).  ``HEATCALC_CACHE_DIR=none`` turns it off; a folder that cannot
be written is simply not used.
"""

from __future__ import annotations

import hashlib
import os
import stat
import struct
import sys
import threading
import time
import zlib
from contextlib import contextmanager
from pathlib import Path

import numpy as np

MEMORY_ENTRIES = 128  # arrays kept in a process (70 kB each)
MAX_ENTRIES = 25_000  # at ~18 kB an array, under half a GB: a housing stock over every station and roof
#: A pack (a file of arrays) is a header (:func:`_header`: magic, the digest of the file's own name, the count of
#: arrays, the checksum of what follows up to the values), the bitmap of the hours its arrays hold values for (the
#: hours any of them makes power in: at a station about half the year; :data:`MASK_BYTES`), an index (each array's
#: key digest and the checksum of its values) and each array's values at those hours as little-endian float32, in
#: the index's order; every other hour is zero.  An array is read with one read at its place and put back in its
#: hours in a few microseconds (the pack's hours made once a process; an array's own bitmap took 25 us to unpack).
#: Half the bytes of all 8,760 hours: the cache holds its arrays in about half the disk (a cold batch of 20,000
#: homes over every station: 304 MB with the sun's entries, not 535; its speed measured the same either way).
SUFFIX = ".pvb"
MAGIC = b"HCP8"
RECORD_BYTES = 16 + 4  # an index record: the array's key digest, its values' checksum
#: Arrays in one pack: a station's further arrays go in its next pack (a pack is rewritten whole to add one, so a
#: sweep over thousands of roofs at one station does not rewrite a growing file each time).
PACK_ENTRIES = 64
#: A bitmap of the hours a pack or a sun entry holds (8,760 bits in 1,095 bytes and one zero byte, so what follows
#: starts on a value's boundary).
MASK_BYTES = 1096
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
MODEL = "pvwatts8-2026-12-v7"


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
    text = f"({_text(key)}, {__version__!r}, {pvlib_version!r}, {MODEL!r})"  # repr((key, versions..., MODEL))
    name = hashlib.sha256(text.encode()).hexdigest()[:32] + SUFFIX
    if len(_NAMES) >= 16384:
        _NAMES.pop(next(iter(_NAMES)))
    _NAMES[key] = name
    return name


_NAMES: dict = {}  # key -> file name (a batch looks an array up, then reads it)


def _text(key) -> str:
    """``repr(key)``, a tuple's made of its items' (a tuple item's kept: a batch's thousands of arrays share a few
    dozen layouts and one site a station, whose texts are most of a key's, and a float's text is slow to make).  A
    kept text is used only for an item of the same types, none a tuple, and no zero: equal tuples can differ in
    text (1, 1.0 and True; 0.0 and -0.0)."""
    if type(key) is not tuple:
        return repr(key)
    parts = []
    for item in key:
        if type(item) is not tuple:
            parts.append(repr(item))
            continue
        kinds = tuple(map(type, item))
        hit = _TEXTS.get(item)
        if hit is None or hit[1] != kinds or 0.0 in item:
            hit = (_text(item), kinds)
            if tuple not in kinds:  # (a tuple in it: its items' types are not told by its own)
                if len(_TEXTS) >= 4096:
                    _TEXTS.pop(next(iter(_TEXTS)))
                _TEXTS[item] = hit
        parts.append(hit[0])
    return f"({parts[0]},)" if len(parts) == 1 else f"({', '.join(parts)})"


_TEXTS: dict = {}  # a key's tuple item -> its text


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
#: (float64 values of the lit hours), HCP6 (one array a file), HCP7 (packs of all 8,760 hours), HCS5 (the sun at all
#: hours with the extraterrestrial irradiance).
OLD_MAGICS = (b"HCP2", b"HCS2", b"HCP3", b"HCS3", b"HCP4", b"HCS4", b"HCP5", b"HCP6", b"HCP7", b"HCS5")


def _key_digest(file_name: str) -> bytes:
    return bytes.fromhex(file_name[:32])


def _read_entry(path, limit: int) -> bytes | None:
    """An entry's bytes, or None when there is none (:func:`_open`: a named pipe or a device where an entry should
    be is passed over)."""
    opened = _open(path)
    if opened is None:
        return None
    fd, info = opened
    try:
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


def _pack_name(key, group, number: int = 0) -> str:
    """The file an array is kept in: its own (no ``group``), else its group's ``number``-th pack."""
    return _name(key) if group is None else _name(("pack", group, number))


def _open(path) -> tuple | None:
    """(descriptor, status) of a regular file, or None (none there; a named pipe or a device where a pack should be is
    passed over and said: it would hang a reader for ever)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
    except OSError:
        os.close(fd)
        return None
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        _damaged(path, "is not a regular file")
        return None
    return fd, info


def _pread(fd: int, size: int, offset: int) -> bytes:
    """``size`` bytes at ``offset`` (fewer at the file's end), where the system has no positioned read too."""
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


_SLOTS: dict = {}  # a pack's path -> (its status when read, its index: {key digest: (place, checksum)} or why not)


def _stamp(info) -> tuple:
    """What tells a file's versions apart: a pack is replaced by renaming a new file over it."""
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def _slots(fd: int, info, path: str, file_name: str) -> tuple | str:
    """A pack's index and hours: ({key digest: (where its values start, their checksum)}, the hours they are of), or
    why it cannot be trusted ("" for an earlier heatcalc's file: replaced without a word); remembered while the
    file is unchanged."""
    stamp = _stamp(info)
    hit = _SLOTS.get(path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    head = _pread(fd, HEADER_BYTES, 0)
    if head[:4] in OLD_MAGICS:
        slots: tuple | str = ""
    elif len(head) < HEADER_BYTES or head[:4] != MAGIC:
        slots = "is damaged (it does not start as an entry does)"
    elif head[4:20] != _key_digest(file_name):
        slots = "was written for another array"
    else:
        slots = _index(fd, info, head)
    if len(_SLOTS) >= 4096:
        _SLOTS.pop(next(iter(_SLOTS)))
    _SLOTS[path] = (stamp, slots)
    return slots


def _index(fd: int, info, head: bytes) -> tuple | str:
    """The index and hours of a pack whose header is ``head`` (:func:`_slots`), or why they cannot be trusted."""
    (count,) = struct.unpack("<I", head[20:24])
    if count == 0 or info.st_size < HEADER_BYTES + MASK_BYTES + count * RECORD_BYTES:
        return "is damaged (its size does not match its hours)"
    table = _pread(fd, MASK_BYTES + count * RECORD_BYTES, HEADER_BYTES)
    if len(table) != MASK_BYTES + count * RECORD_BYTES or _checksum(table) != head[24:HEADER_BYTES]:
        return "is damaged (its checksum does not match)"
    hours = _hours_of(table[:MASK_BYTES])
    if hours is None or info.st_size != HEADER_BYTES + MASK_BYTES + count * (RECORD_BYTES + 4 * hours.size):
        return "is damaged (its size does not match its hours)"
    first, size = HEADER_BYTES + MASK_BYTES + count * RECORD_BYTES, 4 * hours.size
    records = memoryview(table)[MASK_BYTES:]
    return {bytes(records[i * RECORD_BYTES:i * RECORD_BYTES + 16]):
            (first + i * size, bytes(records[i * RECORD_BYTES + 16:(i + 1) * RECORD_BYTES])) for i in range(count)}, hours


def _pack_path(folder, key, group, number: int) -> tuple[str, str]:
    hit = _PACK_PATHS.get((folder, key if group is None else None, group, number))
    if hit is None:
        file_name = _pack_name(key, group, number)
        hit = (os.path.join(folder, file_name), file_name)
        if len(_PACK_PATHS) >= 16384:
            _PACK_PATHS.pop(next(iter(_PACK_PATHS)))
        _PACK_PATHS[(folder, key if group is None else None, group, number)] = hit
    return hit


_PACK_PATHS: dict = {}  # (folder, key or None, group, number) -> (a pack's path, its file name): a warm batch reads
# an array a home


def _open_pack(path: str, file_name: str, opener=None) -> tuple | None:
    """(descriptor, index or why it cannot be trusted: :func:`_slots`) of a pack, or None when there is none; the
    caller closes the descriptor (``opener``: :func:`_open` unless given: a reader's :func:`_open_kept`, whose
    descriptor the caller releases with :func:`_release`)."""
    opened = (opener or _open)(path)
    if opened is None:
        return None
    fd, info = opened
    try:
        return fd, _slots(fd, info, path, file_name)
    except OSError:
        return fd, "could not be read"


def _open_kept(path: str) -> tuple | None:
    """:func:`_open` for a reader, the pack kept open for the next read (a warm batch's worker reads a home's array
    from its station's pack, a thousand packs over and over): a look at the path's status tells that the file there
    is still the one opened -- one call to the system where opening, looking and closing took three; a file
    replaced (renamed over: another inode), changed, removed or no longer regular is let go and opened afresh, so what
    is read is always what the path holds now.  In a process's main thread only (a batch's worker; a thread of
    another caller opens and closes as before), at most :data:`KEPT_PACKS` kept, the first kept closed first.  The
    caller releases the descriptor with :func:`_release`."""
    if not KEPT_PACKS or threading.current_thread() is not threading.main_thread():
        return _open(path)
    kept = _KEPT.get(path)
    if kept is not None:
        try:
            info = os.stat(path, follow_symlinks=False)
        except OSError:
            info = None
        if info is not None and stat.S_ISREG(info.st_mode) and info.st_dev == kept[1].st_dev and \
                _stamp(info) == _stamp(kept[1]):
            return kept
        _let_go(path)
    opened = _open(path)
    if opened is not None:
        while len(_KEPT) >= KEPT_PACKS:
            _let_go(next(iter(_KEPT)))
        _KEPT[path] = opened
        _KEPT_FDS.add(opened[0])
    return opened


def _kept_packs() -> int:
    """How many packs a reader keeps open: a quarter of the process's allowance of open files, at most 4,096 (none
    where the system does not say)."""
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):
        return 0
    return 4096 if soft == resource.RLIM_INFINITY else max(0, min(4096, soft // 4))


KEPT_PACKS = _kept_packs()
_KEPT: dict = {}  # path -> (descriptor, status when opened), the first kept first
_KEPT_FDS: set = set()


def _let_go(path: str) -> None:
    """Close a kept pack."""
    fd = _KEPT.pop(path)[0]
    _KEPT_FDS.discard(fd)
    os.close(fd)


def _release(fd: int) -> None:
    """Close a descriptor :func:`_open_kept` gave, unless it is kept."""
    if fd not in _KEPT_FDS:
        os.close(fd)


def _find(folder, key, group) -> tuple | None:
    """(descriptor, path, the array's place and checksum) of the pack holding ``key``, or None (not there, or not
    to be trusted: said, and the caller computes it again).  The caller releases the descriptor (:func:`_release`)."""
    digest = _key_digest(_name(key))
    for number in range(1 if group is None else 1 << 20):
        path, file_name = _pack_path(folder, key, group, number)
        opened = _open_pack(path, file_name, _open_kept)
        if opened is None:
            return None
        fd, slots = opened
        if isinstance(slots, str):
            if fd in _KEPT_FDS:  # (not kept in another thread than the main one: only closed)
                _let_go(path)
            else:
                os.close(fd)
            _damaged(path, slots)
            return None
        slot = slots[0].get(digest)
        if slot is not None:
            return fd, path, slot, slots[1]
        _release(fd)
        if len(slots[0]) < PACK_ENTRIES:  # (a later pack is begun only when this one is full)
            return None
    return None


def get(key, group=None) -> np.ndarray | None:
    """The cached hourly output of an array, or None when it is not cached (or its entry cannot be trusted: then
    the caller computes it and :func:`put` replaces the entry).  ``group``: the pack the array is kept in (a
    station's), as it was put."""
    if key in _memory:
        return _memory[key]
    folder = _folder()
    found = None if folder is None else _read(str(folder), key, group)
    if found is None:
        return None
    hours, values = found
    out = np.zeros(8760)
    out[hours.astype(np.intp)] = values  # (an index of 16-bit integers is three times slower)
    out.flags.writeable = False
    _remember(key, out)
    return out


def get_lit(key, group=None) -> tuple | None:
    """:func:`get`'s array as (the hours it is not zero at, as indices, and its values there), without spreading it
    over the year: what a batch's bills read (the self-consumed solar is summed over those hours alone).  The same
    hours whether the array is read from its pack (which holds the hours any of its station's arrays is not zero
    at) or held in this process, so its sums are the same to the last bit either way.  None when not cached."""
    return get_lit_many([(key, group)])[0]


def get_lit_many(pairs, index_sized: bool = True) -> list:
    """:func:`get_lit` for (key, group) pairs (a group of homes' arrays), the folder found once.  ``index_sized``
    False: the hours of an array read from its pack as the pack keeps them (16-bit), for a caller that widens them
    as it lays them out anyway (a batch's bills: :class:`heatcalc.columnar._LitSolar`)."""
    folder = _folder()
    folder = None if folder is None else str(folder)
    out = []
    for key, group in pairs:
        whole = _memory.get(key)
        if whole is not None:
            hours = np.flatnonzero(whole)
            out.append((hours, whole[hours]))
            continue
        found = None if folder is None else _read(folder, key, group)
        if found is not None:
            hours, values = found
            made = values != 0
            if not made.all():
                hours, values = hours[made], values[made]
            found = (hours.astype(np.intp) if index_sized else hours, values)
        out.append(found)
    return out


def _read(folder: str, key, group) -> tuple | None:
    """(the entry's hours, its values as 64-bit floats) of an array in the cache's ``folder``, checked (its checksum,
    every value finite); None when it is not there or cannot be trusted (said)."""
    found = _find(folder, key, group)
    if found is None:
        return None
    fd, path, (offset, checksum), hours = found
    try:
        payload = _pread(fd, 4 * hours.size, offset)
    except OSError:
        return None
    finally:
        _release(fd)
    if len(payload) != 4 * hours.size or _checksum(payload) != checksum:
        _damaged(path, "is damaged (its checksum does not match)")
        return None
    values = np.frombuffer(payload, dtype="<f4").astype(np.float64)  # (widened once: what every reader takes)
    # (finite float32 values cannot sum past float64's range, and a NaN or an infinity carries into the sum)
    if not np.isfinite(values.sum()):
        _damaged(path, "holds values that are not finite")
        return None
    return hours, values


_HOURS: dict = {}  # a bitmap's bytes -> the hours it marks


def _bitmap(hours: np.ndarray) -> bytes:
    """The hours marked in a boolean mask of the year, as an entry stores them (:data:`MASK_BYTES`)."""
    return np.packbits(hours).tobytes().ljust(MASK_BYTES, b"\0")


def _hours_of(bitmap: bytes) -> np.ndarray | None:
    """The hours (indices, 16-bit: a batch's worker remembers a thousand stations' packs, 9 kB each instead of 36;
    widened where they index) a bitmap marks, or None when it is not one an entry can hold (its padding set)."""
    hit = _HOURS.get(bitmap)
    if hit is None:
        if bitmap[8760 // 8:] != b"\0" * (MASK_BYTES - 8760 // 8):
            return None
        # (as booleans: NumPy finds the nonzero ones of those twice as fast as of bytes)
        marked = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), count=8760).view(bool)
        hit = np.flatnonzero(marked).astype(np.uint16)
        if len(_HOURS) >= 2048:
            _HOURS.pop(next(iter(_HOURS)))
        _HOURS[bitmap] = hit
    return hit


def _remember(key, value: np.ndarray) -> None:
    """Keep an array in this process, the oldest of :data:`MEMORY_ENTRIES` let go."""
    while len(_memory) >= MEMORY_ENTRIES:
        _memory.pop(next(iter(_memory)))
    _memory[key] = value


def has(key, group=None) -> bool:
    """Whether the cache holds ``key`` (in this process or on disk), without reading it."""
    return key in _memory or on_disk(key, group)


def on_disk(key, group=None) -> bool:
    """Whether the cache's folder holds ``key`` (what another process can read), without reading its values: a look
    at its pack's status and its index, remembered while the pack is unchanged (one call to the system, ~3 us here),
    so a batch asks it per array."""
    folder = _folder()
    if folder is None:
        return False
    return _on_disk(str(folder), key, group, None)


def on_disk_many(pairs) -> list:
    """:func:`on_disk` for (key, group) pairs (a chunk's arrays, a look before a batch runs it), the folder found once
    and each pack's status looked at once for them all."""
    folder = _folder()
    if folder is None:
        return [False for _ in pairs]
    folder, looked = str(folder), {}
    return [_on_disk(folder, key, group, looked) for key, group in pairs]


def lacking(pairs) -> list:
    """For (key, group) pairs, whether the cache lacks each (neither this process nor the folder holds it: ``not
    has(key, group)``), the folder found once and each pack's status looked at once for them all (a chunk's arrays:
    a thousand of them, a few to a pack)."""
    pairs = list(pairs)
    return [key not in _memory and not there for (key, _), there in zip(pairs, on_disk_many(pairs))]


def _on_disk(folder: str, key, group, looked: dict | None) -> bool:
    """:func:`on_disk` in ``folder``; ``looked``: the packs' statuses already taken (path -> status or None), kept."""
    digest = None  # (the key's digest only once a pack is there: a cold batch looks for thousands of arrays)
    for number in range(1 if group is None else 1 << 20):
        path, file_name = _pack_path(folder, key, group, number)
        if looked is not None and path in looked:
            info = looked[path]
        else:
            try:
                info = os.stat(path)
            except OSError:
                info = None
            if looked is not None:
                looked[path] = info
        if info is None:
            return False
        digest = digest or _key_digest(_name(key))
        hit = _SLOTS.get(path)
        if hit is None or hit[0] != _stamp(info):  # (not read yet, or changed: read its index)
            found = _find(folder, key, group)
            if found is None:
                return False
            _release(found[0])
            return True
        slots = hit[1]
        if isinstance(slots, str):
            return False
        if digest in slots[0]:
            return True
        if len(slots[0]) < PACK_ENTRIES:
            return False
    return False


def names_present() -> set:
    """The names of the arrays on disk (:func:`name` of each key; each pack's index read), for many :func:`has`
    questions at once: ``name(key) in names_present()``."""
    folder = _folder()
    if folder is None:
        return set()
    try:
        listed = [e for e in os.listdir(folder) if e.endswith(SUFFIX)]
    except OSError:
        return set()
    names = set()
    for file_name in listed:
        opened = _open_pack(os.path.join(folder, file_name), file_name)
        if opened is None:
            continue
        os.close(opened[0])
        slots = opened[1]
        if not isinstance(slots, str):
            names.update(digest.hex() + SUFFIX for digest in slots[0])
    return names


def name(key) -> str:
    """The array's name (what :func:`names_present` lists; the file it is kept in when it has no group)."""
    return _name(key)


def put(key, value: np.ndarray, group=None) -> np.ndarray:
    """Keep an array (in this process, and in the folder when the cache is on) and give back what is kept: the
    8,760 values to single precision, widened again -- what :func:`get` will read, so the caller uses it too.
    ``group``: the pack to keep it in (a station's: its arrays share a file), else a file of its own."""
    return put_many([(key, value)], group)[0]


def put_many(items: list, group=None, keep: bool = True) -> list:
    """:func:`put` for several (key, values) of one group: one write of their pack.  Returns what is kept of each.
    ``keep`` False: with the cache on, the arrays are only written, neither kept in this process nor given back (a
    batch's computing of a window's arrays, which its chunks read from the packs: an array's copy and its keeping
    were a tenth of a station's writing)."""
    folder = _folder()
    keep = keep or folder is None  # (with the cache off, this process is all that holds them)
    kept_all, stored_all = [], []
    for key, value in items:
        stored = np.asarray(value, dtype=np.float64).astype("<f4")
        stored_all.append(stored)
        if keep:
            kept = stored.astype(np.float64)
            kept.flags.writeable = False
            _remember(key, kept)
            kept_all.append(kept)
    if folder is None:
        return kept_all
    try:
        if folder not in _MADE:
            folder.mkdir(parents=True, exist_ok=True)
            _MADE.add(folder)
        if group is None:
            for (key, _), stored in zip(items, stored_all):
                _write_pack(str(folder), key, None, 0, {_key_digest(_name(key)): stored})
        else:
            _add_to_packs(str(folder), group, {_key_digest(_name(k)): v for (k, _), v in zip(items, stored_all)})
        _writes[0] -= 1
        if _writes[0] < 0:  # a process's first write, then as often as the folder's room asks
            _writes[0] = _next_look(_prune(folder)) - 1
    except OSError:
        pass
    return kept_all


def _pack_values(path: str, file_name: str) -> dict | None:
    """The arrays a pack holds, {key digest: the year's 8,760 float32 values}, each checked (None: no pack there; an
    untrusted pack or array holds nothing to keep)."""
    opened = _open_pack(path, file_name)
    if opened is None:
        return None
    fd, slots = opened
    try:
        if isinstance(slots, str):
            return {}
        out = {}
        index, hours = slots
        for digest, (offset, checksum) in index.items():
            payload = _pread(fd, 4 * hours.size, offset)
            if len(payload) == 4 * hours.size and _checksum(payload) == checksum:
                year = np.zeros(8760, dtype="<f4")
                year[hours.astype(np.intp)] = np.frombuffer(payload, dtype="<f4")
                out[digest] = year
        return out
    except OSError:
        return {}
    finally:
        os.close(fd)


#: How long a writer waits for another process's pack update to end before writing without the lock [s].
LOCK_WAIT_S = 2.0


@contextmanager
def _pack_lock(folder: str):
    """Hold the folder's lock while a pack is read, added to and written, so that two processes adding arrays to
    one station's pack do not lose each other's (an advisory lock on the folder, where the system has one; after
    :data:`LOCK_WAIT_S` the write goes ahead unlocked: a lost array is only computed again when next needed)."""
    try:
        import fcntl
    except ImportError:  # (no advisory locks here)
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.001)
        yield
    finally:
        os.close(fd)  # (closing releases the lock)


def _add_to_packs(folder: str, group, arrays: dict) -> None:
    """Put arrays in a group's packs (under the folder's lock): each replaces the same key's values where a pack
    holds it, the others fill the first packs with room; only the packs that change are written."""
    with _pack_lock(folder):
        _add_locked(folder, group, arrays)


def _add_locked(folder: str, group, arrays: dict) -> None:
    left = dict(arrays)
    for number in range(1 << 20):
        path, file_name = _pack_path(folder, None, group, number)
        held = _pack_values(path, file_name)
        if held is None:  # no pack this far: the rest begin here
            held = {}
        changed = False
        for digest in [d for d in left if d in held]:
            held[digest] = left.pop(digest)
            changed = True
        if not left and not changed:
            return
        while left and len(held) < PACK_ENTRIES:  # (none of those left is in this pack: replaced above)
            digest = next(iter(left))
            held[digest] = left.pop(digest)
            changed = True
        if changed:
            _write_pack(folder, None, group, number, held)
        if not left:
            return


def _write_pack(folder: str, key, group, number: int, arrays: dict) -> None:
    """Write a pack of ``arrays`` ({key digest: the year's 8,760 float32 values}) whole or not at all, each array's
    values at the hours any of them is not zero."""
    path, file_name = _pack_path(folder, key, group, number)
    hours = np.zeros(8760, dtype=bool)
    for year in arrays.values():
        hours |= year != 0
    values = [year[hours].tobytes() for year in arrays.values()]
    table = _bitmap(hours) + b"".join(digest + _checksum(v) for digest, v in zip(arrays, values))
    head = MAGIC + _key_digest(file_name) + struct.pack("<I", len(arrays)) + _checksum(table)
    _write(Path(path), head + table + b"".join(values))


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


def _entries_of(path) -> int:
    """How many arrays a pack says it holds (one for a file that says nothing readable)."""
    opened = _open(path)
    if opened is None:
        return 1
    try:
        head = _pread(opened[0], HEADER_BYTES, 0)
    except OSError:
        return 1
    finally:
        os.close(opened[0])
    if len(head) < HEADER_BYTES or head[:4] != MAGIC:
        return 1
    return max(1, min(struct.unpack("<I", head[20:24])[0], PACK_ENTRIES))


def _prune(folder: Path) -> int:
    """Keep at most about :data:`MAX_ENTRIES` arrays, the oldest files removed first; returns how many are left.  The
    folder is listed with each pack's count of arrays (its header); only when it holds too many are their times
    read, and it is taken down to 90 % so that the next writes do not prune again at once."""
    sizes = {}
    temporaries = []
    with os.scandir(folder) as it:
        for e in it:
            if e.name.endswith(SUFFIX):
                sizes[e.name] = _entries_of(e.path)
            elif e.name.endswith(".tmp"):
                temporaries.append(e.name)
    _remove_stale_temporaries(folder, temporaries)
    held = sum(sizes.values())
    if held <= MAX_ENTRIES:
        return held
    timed = []
    for n in sizes:
        try:
            timed.append((os.stat(folder / n).st_mtime, n))
        except OSError:
            pass
    timed.sort()
    for _, n in timed:
        if held <= int(MAX_ENTRIES * 0.9):
            break
        try:
            os.unlink(folder / n)
            held -= sizes[n]
        except OSError:
            pass
    return held


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
    at = _hours_of(bitmap).astype(np.intp)
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
