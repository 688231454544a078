"""The embedded solar resource: hourly irradiance, wind and albedo of the 1,011 TMY3 stations that have them.

Reads ``heatcalc/data/solar.bin`` (written by ``scripts/build_solar.py``): a JSON index, then one zlib block per
station, so a run decompresses only its own station (about 26 kB).  Hours are those of the temperature data: index 0
is the hour ending 01:00 local standard time on 1 January.
"""

from __future__ import annotations

import json
import struct
import zlib
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from ..errors import DataError
from .stations import DATA_DIR

SOLAR_FILE = DATA_DIR / "solar.bin"
MAGIC = b"HCSOLAR1"
DEFAULT_ALBEDO = 0.2  # where the TMY3 file gives none (PVWatts' and SAM's default ground reflectance)


class SolarResource(NamedTuple):
    usaf: str
    ghi_w_per_m2: np.ndarray  # global horizontal irradiance, the hour's mean [W/m²]
    dni_w_per_m2: np.ndarray  # direct normal [W/m²]
    dhi_w_per_m2: np.ndarray  # diffuse horizontal [W/m²]
    wind_m_per_s: np.ndarray  # [m/s]
    albedo: np.ndarray  # ground reflectance [0-1]


@lru_cache(maxsize=1)
def _index() -> tuple[int, dict]:
    with open(SOLAR_FILE, "rb") as fh:
        if fh.read(len(MAGIC)) != MAGIC:
            raise DataError(f"{SOLAR_FILE}: not heatcalc's solar resource file; reinstall heatcalc")
        (size,) = struct.unpack("<I", fh.read(4))
        head = json.loads(fh.read(size))
    return len(MAGIC) + 4 + size, head["stations"]


def has_solar(usaf: str) -> bool:
    return usaf in _index()[1]


@lru_cache(maxsize=8)
def solar_resource(usaf: str) -> SolarResource:
    """The station's hourly solar resource; :class:`DataError` for the 9 TMY3 stations in Puerto Rico, Guam and
    the Virgin Islands, whose files have none."""
    start, stations = _index()
    where = stations.get(usaf)
    if where is None:
        raise DataError(f"TMY3 station {usaf} has no solar irradiance in the embedded data (the stations of Puerto "
                        "Rico, Guam and the Virgin Islands have none); rooftop solar cannot be modelled there")
    offset, n16, n8 = where
    with open(SOLAR_FILE, "rb") as fh:
        fh.seek(start + offset)
        block = fh.read(n16 + n8)
    wide = np.frombuffer(zlib.decompress(block[:n16]), dtype="<u2").reshape(4, 8760)
    albedo = np.frombuffer(zlib.decompress(block[n16:]), dtype=np.uint8)
    # 255: the file had none; 0 (or 1) is no measurement either (SAM takes the file's albedo only strictly
    # between 0 and 1, else its default)
    albedo = np.where((albedo == 255) | (albedo == 0) | (albedo >= 100), DEFAULT_ALBEDO, albedo / 100.0)
    out = SolarResource(usaf, wide[0].astype(float), wide[1].astype(float), wide[2].astype(float),
                        wide[3] / 10.0, albedo)
    for arr in out[1:]:
        arr.flags.writeable = False
    return out
