"""The PV cache is a cache: an entry is never trusted, and never a reason for a run to fail or to differ.

Reproductions of the hostile battery's findings (issue "Honest answers 2"): damaged entries (cut short, grown,
values doubled or negated, a sun-geometry entry with its azimuths flipped), an entry that is a named pipe, and the
temporary files a full disk would leave behind.
"""

import json
from pathlib import Path
import os
import time

import numpy as np
import pytest

from heatcalc import pvcache

from .conftest import ROOT

PROFILE = ROOT / "profiles" / "boston-tariff-solar.yaml"


def _forget(monkeypatch):
    """A new process's view of the cache: nothing in memory, no warning said yet."""
    monkeypatch.setattr(pvcache, "_memory", {})
    monkeypatch.setattr(pvcache, "_WARNED", [])
    from heatcalc.model import pv

    monkeypatch.setattr(pv, "_GEOMETRY", {})


def _json(cli, *extra, env):
    proc = cli("compare", PROFILE, "--format", "json", *extra, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture
def reference(cli, tmp_path_factory):
    """The profile's JSON with no cache at all."""
    return _json(cli, env={"HEATCALC_CACHE_DIR": "none"}).stdout


def _entries(folder, suffix):
    return sorted((folder / "pv").glob("*" + suffix))


def _rewrite(path, change):
    raw = bytearray(path.read_bytes())
    path.write_bytes(bytes(change(raw)))


def _doubled_values(raw):
    # every value after the header doubled in place (the old format's silent wrong bills)
    start = pvcache.HEADER_BYTES
    values = np.frombuffer(bytes(raw[start:]), dtype="<f4") * np.float32(2.0)
    return raw[:start] + values.tobytes()


def _negated_values(raw):
    start = pvcache.HEADER_BYTES
    values = -np.frombuffer(bytes(raw[start:]), dtype="<f4")
    return raw[:start] + values.tobytes()


@pytest.mark.parametrize("damage", [
    lambda raw: raw[:-3],  # a few bytes short: the old reader failed with "buffer size must be a multiple ..."
    lambda raw: raw + b"\x00\x01\x02",  # a few bytes long
    _doubled_values,  # the heat pump's bill would have been $658.56 instead of $1,620.98
    _negated_values,
    lambda raw: raw[:pvcache.HEADER_BYTES],  # only the header
    lambda raw: b"",  # empty
], ids=["short", "long", "doubled", "negative", "header-only", "empty"])
def test_a_damaged_pv_entry_is_recomputed_and_replaced(cli, tmp_path, reference, damage):
    env = {"HEATCALC_CACHE_DIR": str(tmp_path)}
    first = _json(cli, env=env)
    assert first.stdout == reference  # a cold cache gives the same bytes as no cache
    (entry,) = _entries(tmp_path, pvcache.SUFFIX)
    good = entry.read_bytes()
    _rewrite(entry, damage)
    again = _json(cli, env=env)
    assert again.stdout == reference
    warnings = [line for line in again.stderr.splitlines() if "PV cache entry" in line]
    assert len(warnings) == 1 and "computed again" in warnings[0], again.stderr
    assert entry.read_bytes() == good  # replaced by the recomputed entry
    assert _json(cli, env=env).stderr.count("PV cache entry") == 0  # and trusted from then on


def test_a_sun_geometry_entry_with_flipped_azimuths_is_not_used(cli, tmp_path, reference):
    env = {"HEATCALC_CACHE_DIR": str(tmp_path)}
    _json(cli, env=env)
    (sun,) = _entries(tmp_path, ".sun")
    raw = bytearray(sun.read_bytes())
    hours = int.from_bytes(raw[20:24], "little") // 2  # the header's count: zenith and azimuth at each lit hour
    start = pvcache.HEADER_BYTES + pvcache.MASK_BYTES + hours * 8
    azimuth = np.frombuffer(bytes(raw[start:start + hours * 8]), dtype="<f8")
    assert azimuth.size == hours > 4000 and 0 <= azimuth.min() and azimuth.max() <= 360
    raw[start:start + hours * 8] = (360.0 - azimuth).tobytes()
    sun.write_bytes(bytes(raw))
    for entry in _entries(tmp_path, pvcache.SUFFIX):
        entry.unlink()  # so the array is computed again from the (damaged) sun's path
    again = _json(cli, env=env)
    assert again.stdout == reference
    assert again.stderr.count("PV cache entry") == 1


def test_an_entry_from_another_key_is_not_used(tmp_path, monkeypatch):
    # an entry copied (or renamed) over another array's name carries its own key's digest: refused
    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    _forget(monkeypatch)
    pvcache.put(("a",), np.arange(8760.0))
    pvcache.put(("b",), np.ones(8760))
    folder = tmp_path / "pv"
    (folder / pvcache.name(("b",))).write_bytes((folder / pvcache.name(("a",))).read_bytes())
    _forget(monkeypatch)
    assert np.array_equal(pvcache.get(("a",)), np.arange(8760.0))
    assert pvcache.get(("b",)) is None


def test_an_entry_that_is_a_named_pipe_is_passed_over(cli, tmp_path, reference):
    # the old reader opened it and waited for a writer for ever
    env = {"HEATCALC_CACHE_DIR": str(tmp_path)}
    _json(cli, env=env)
    (entry,) = _entries(tmp_path, pvcache.SUFFIX)
    entry.unlink()
    os.mkfifo(entry)
    again = cli("compare", PROFILE, "--format", "json", env=env, timeout=60)
    assert again.returncode == 0 and again.stdout == reference
    assert entry.is_file()  # replaced by a real entry


def test_a_failed_write_leaves_no_temporary(tmp_path, monkeypatch):
    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    _forget(monkeypatch)

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pvcache.os, "replace", full)
    pvcache.put(("full",), np.ones(8760))
    pvcache.put_geometry((42.0, -71.0, 10.0, -5.0), np.ones(8760, dtype=bool), np.zeros(8760), np.ones(8760))
    assert [p.name for p in (tmp_path / "pv").iterdir()] == []


def test_pruning_removes_stale_temporaries_only(tmp_path, monkeypatch):
    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    _forget(monkeypatch)
    monkeypatch.setattr(pvcache, "_writes", [0])
    folder = tmp_path / "pv"
    folder.mkdir()
    stale, fresh = folder / "x.sun.123.tmp", folder / "y.pvb.456.tmp"
    stale.write_bytes(b"partial")
    fresh.write_bytes(b"being written")
    old = time.time() - 2 * pvcache.STALE_TMP_S
    os.utime(stale, (old, old))
    pvcache.put(("prune-tmp",), np.ones(8760))  # a process's first write looks at the folder
    assert not stale.exists() and fresh.exists()


def test_a_cached_run_gives_the_json_of_an_uncached_one(cli, tmp_path, reference):
    env = {"HEATCALC_CACHE_DIR": str(tmp_path)}
    assert _json(cli, env=env).stdout == reference
    warm = _json(cli, env=env)
    assert warm.stdout == reference and warm.stderr == ""
    assert json.loads(warm.stdout)[0]["rows"]


def test_a_kept_pack_is_read_as_its_path_holds_it_now(tmp_path, monkeypatch):
    # a reader keeps the packs it reads open (a look at the path's status a read, not opening, looking and closing):
    # a pack replaced by another (an array added: renamed over it), damaged in place or removed is read as it is now
    import threading

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path))
    _forget(monkeypatch)
    monkeypatch.setattr(pvcache, "KEPT_PACKS", 1)
    hours = np.arange(8760)
    boston, denver = ("725090", (42.36, -71.01, 6.0, -5.0)), ("725650", (39.83, -104.66, 1650.0, -7.0))
    # (whole numbers of quarters: exact in the pack's float32)
    morning = np.where(hours % 24 < 12, 0.25 + (hours % 7) / 4.0, 0.0)
    pvcache.put_many([(("725090", "morning"), morning)], boston)
    pvcache.put_many([(("725650", "morning"), morning * 3)], denver)
    _forget(monkeypatch)
    path = pvcache._pack_path(str(tmp_path / "pv"), None, boston, 0)[0]
    assert np.array_equal(pvcache.get(("725090", "morning"), boston), morning)
    assert path in pvcache._KEPT
    inode = pvcache._KEPT[path][1].st_ino

    pvcache.put_many([(("725090", "day"), morning * 2)], boston)  # the pack rewritten with both, renamed over it
    _forget(monkeypatch)
    assert np.array_equal(pvcache.get(("725090", "day"), boston), morning * 2)  # the new file's, not the kept one's
    assert np.array_equal(pvcache.get(("725090", "morning"), boston), morning)
    # (the replaced file's descriptor closed, the new file's kept)
    assert os.fstat(pvcache._KEPT[path][0]).st_ino == os.stat(path).st_ino != inode

    # at most KEPT_PACKS kept: reading Denver's lets Boston's go
    _forget(monkeypatch)
    assert np.array_equal(pvcache.get(("725650", "morning"), denver), morning * 3)
    assert list(pvcache._KEPT) == [pvcache._pack_path(str(tmp_path / "pv"), None, denver, 0)[0]]

    # another thread opens and closes as before, keeping nothing
    _forget(monkeypatch)
    seen = []
    reader = threading.Thread(target=lambda: seen.append(pvcache.get(("725090", "morning"), boston)))
    reader.start()
    reader.join()
    assert np.array_equal(seen[0], morning) and path not in pvcache._KEPT

    # damaged in place, then removed: read as it is now (nothing), not as the kept descriptor last saw it
    _forget(monkeypatch)
    assert pvcache.get(("725090", "morning"), boston) is not None and path in pvcache._KEPT
    _rewrite(Path(path), lambda raw: raw[:-8] + bytes(8))  # its last values zeroed: the checksum no longer matches
    _forget(monkeypatch)
    assert pvcache.get(("725090", "day"), boston) is None
    pvcache.put_many([(("725090", "morning"), morning)], boston)  # (replaced by the recomputed array)
    _forget(monkeypatch)
    assert np.array_equal(pvcache.get(("725090", "morning"), boston), morning) and path in pvcache._KEPT
    os.remove(path)
    _forget(monkeypatch)
    assert pvcache.get(("725090", "morning"), boston) is None and path not in pvcache._KEPT
