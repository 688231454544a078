"""A small per-user cache of hourly PV output per kW, so that a profile with solar runs in milliseconds after its
array was computed once (the PV chain needs pvlib, which takes a second or two to import).

Entries are keyed by the station, the array's parameters, heatcalc's and pvlib's versions; values are the exact
float64 arrays computed, so a cached run prints the same numbers as a fresh one.  The folder is
``$HEATCALC_CACHE_DIR``, else ``$XDG_CACHE_HOME/heatcalc``, else ``~/.cache/heatcalc``; it holds at most
:data:`MAX_ENTRIES` files (about 25 kB each, compressed), the oldest removed first.  ``HEATCALC_CACHE_DIR=none`` turns it off; a
folder that cannot be written is simply not used.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

MAX_ENTRIES = 4000
PRUNE_EVERY = 200  # writes between looks at the folder's size (a look stats every file)
_memory: dict = {}
_writes = [0]


def _folder() -> Path | None:
    given = os.environ.get("HEATCALC_CACHE_DIR")
    if given is not None:
        return None if given.strip().lower() in ("", "none", "off", "0") else Path(given) / "pv"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "heatcalc" / "pv"


_VERSIONS: list = []


def _name(key) -> str:
    if not _VERSIONS:  # reading a package's metadata parses files: once a process
        from importlib import metadata

        from . import __version__

        try:
            _VERSIONS.append((__version__, metadata.version("pvlib")))
        except metadata.PackageNotFoundError:
            _VERSIONS.append((__version__, "none"))
    __version__, pvlib_version = _VERSIONS[0]
    return hashlib.sha256(repr((key, __version__, pvlib_version)).encode()).hexdigest()[:32] + ".npz"


def get(key) -> np.ndarray | None:
    if key in _memory:
        return _memory[key]
    folder = _folder()
    if folder is None:
        return None
    try:
        with np.load(folder / _name(key), allow_pickle=False) as data:
            out = data["kwh"]
    except (OSError, ValueError, KeyError):
        return None
    if out.shape != (8760,) or out.dtype != np.float64 or not np.isfinite(out).all():
        return None
    out.flags.writeable = False
    _memory[key] = out
    return out


def put(key, value: np.ndarray) -> None:
    value = np.asarray(value, dtype=np.float64)
    value.flags.writeable = False
    if len(_memory) > 256:
        _memory.pop(next(iter(_memory)))
    _memory[key] = value
    folder = _folder()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / _name(key)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, kwh=value)
        os.replace(tmp, target)
        _writes[0] += 1
        if _writes[0] % PRUNE_EVERY == 1:
            entries = sorted(folder.glob("*.npz"), key=lambda p: p.stat().st_mtime)
            for old in entries[:max(0, len(entries) - MAX_ENTRIES)]:
                old.unlink(missing_ok=True)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)  # type: ignore[possibly-undefined]
        except (OSError, NameError):
            pass
