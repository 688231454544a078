"""Derive heatcalc's embedded solar resource (src/heatcalc/data/solar.bin) from the TMY3 irradiance in ../shared.

For each of the 1,011 TMY3 stations that have irradiance: global horizontal, direct normal and diffuse horizontal
irradiance [W/m², integers], wind speed [0.1 m/s] and surface albedo [0.01; 255 where the file has none], 8,760
hours each (hour 1 = the hour ending 01:00 local standard time on 1 January), stored as one zlib-compressed block
per station so that a run reads only its own station. The layout, read by heatcalc.weather.solar:

    8 bytes   magic b"HCSOLAR1"
    4 bytes   little-endian length N of the JSON index that follows
    N bytes   JSON {"hours": 8760, "stations": {USAF: [offset, length16, length8], ...}}, offsets counted from
              the end of this index
    blocks    zlib(uint16 array (4, 8760): GHI, DNI, DHI, wind x 10) + zlib(uint8 array (8760,): albedo x 100)

Usage: python scripts/build_solar.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import struct
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "heatcalc" / "data" / "solar.bin"
MAGIC = b"HCSOLAR1"


def read_matrix(path: Path, scale: float, dtype, missing: int | None = None) -> tuple[list[str], np.ndarray]:
    """A (8,760 x stations) hourly file → station ids and a (stations, 8,760) array of value x scale."""
    with gzip.open(path, "rt", newline="") as fh:
        rows = csv.reader(fh)
        header = next(rows)
        ids = header[1:]
        data = np.zeros((len(ids), 8760), dtype=dtype)
        for r, row in enumerate(rows):
            for i, cell in enumerate(row[1:]):
                if cell == "":
                    if missing is None:
                        raise ValueError(f"{path.name}: empty cell at hour {r + 1}, station {ids[i]}")
                    data[i, r] = missing
                else:
                    data[i, r] = round(float(cell) * scale)
    return ids, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    tmy = args.shared / "tmy3"
    ids, ghi = read_matrix(tmy / "tmy3_ghi_hourly_Wm2.csv.gz", 1, np.uint16)
    dni_ids, dni = read_matrix(tmy / "tmy3_dni_hourly_Wm2.csv.gz", 1, np.uint16)
    dhi_ids, dhi = read_matrix(tmy / "tmy3_dhi_hourly_Wm2.csv.gz", 1, np.uint16)
    wind_ids, wind = read_matrix(tmy / "tmy3_wind_hourly_ms.csv.gz", 10, np.uint16)
    alb_ids, albedo = read_matrix(tmy / "tmy3_albedo_hourly.csv.gz", 100, np.uint8, missing=255)
    for other in (dni_ids, dhi_ids, wind_ids, alb_ids):
        if other != ids:
            raise ValueError("the irradiance files do not list the same stations in the same order")
    blocks, index, offset = [], {}, 0
    for i, usaf in enumerate(ids):
        a = zlib.compress(np.stack([ghi[i], dni[i], dhi[i], wind[i]]).astype("<u2").tobytes(), 9)
        b = zlib.compress(albedo[i].tobytes(), 9)
        index[usaf] = [offset, len(a), len(b)]
        blocks.append(a + b)
        offset += len(a) + len(b)
    head = json.dumps({"hours": 8760, "stations": index}, separators=(",", ":")).encode()
    with open(OUT, "wb") as fh:
        fh.write(MAGIC + struct.pack("<I", len(head)) + head)
        for block in blocks:
            fh.write(block)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.1f} MB, {len(ids)} stations)")


if __name__ == "__main__":
    main()
