"""Derive heatcalc's hourly marginal emission rates (src/heatcalc/data/marginal_co2.json) from NREL Cambium 2021 in
../shared/data/emissions.

Cambium's long-run marginal emission rates (LRMER: the CO2e of the generation that a lasting change in demand brings
on or avoids, over 20 years from 2023, mid-case, 3 % real discount rate, end-use, IPCC AR5 100-year GWPs) are given
there as the mean of each month's hours of the day for 20 regions (kg/MWh).  They are kept as they are, in kg/kWh,
with each state's region: the eGRID subregion that serves most of the state's people (Cambium's regions are eGRID's
subregions, New York's three taken as one), by heatcalc's reading of EPA's eGRID subregion map.  Alaska, Hawaii and
the territories have no Cambium region.

Writes:
    marginal_co2.json  {"source", "units", "regions": {REGION: [12 months x 24 hours]}, "annual_mean": {REGION: x},
                        "state_region": {ST: REGION}}

Usage: python scripts/build_emissions.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "heatcalc" / "data" / "marginal_co2.json"

#: The eGRID subregion serving most of each contiguous state's people (Cambium names them with a trailing "c").
#: Several states span two or three subregions (PA, IL, MO, KY, MS, WI, WY); users there may set emissions.region.
STATE_REGION = {
    "AL": "SRSO", "AZ": "AZNM", "AR": "SRMV", "CA": "CAMX", "CO": "RMPA", "CT": "NEWE", "DE": "RFCE", "DC": "RFCE",
    "FL": "FRCC", "GA": "SRSO", "ID": "NWPP", "IL": "RFCW", "IN": "RFCW", "IA": "MROW", "KS": "SPNO", "KY": "SRTV",
    "LA": "SRMV", "ME": "NEWE", "MD": "RFCE", "MA": "NEWE", "MI": "RFCM", "MN": "MROW", "MS": "SRMV", "MO": "SRMW",
    "MT": "NWPP", "NE": "MROW", "NV": "NWPP", "NH": "NEWE", "NJ": "RFCE", "NM": "AZNM", "NY": "NYST", "NC": "SRVC",
    "ND": "MROW", "OH": "RFCW", "OK": "SPSO", "OR": "NWPP", "PA": "RFCE", "RI": "NEWE", "SC": "SRVC", "SD": "MROW",
    "TN": "SRTV", "TX": "ERCT", "UT": "NWPP", "VT": "NEWE", "VA": "SRVC", "WA": "NWPP", "WV": "RFCW", "WI": "MROE",
    "WY": "NWPP",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args()
    folder = Path(args.shared) / "emissions"
    with open(folder / "cambium21_LRMER_MidCase_co2e_kg_per_MWh_month_hour.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    regions = [c for c in rows[0] if c not in ("month", "hour")]
    table = {r[:-1]: [[0.0] * 24 for _ in range(12)] for r in regions}
    seen = set()
    for row in rows:
        m, h = int(row["month"]) - 1, int(row["hour"])
        seen.add((m, h))
        for r in regions:
            table[r[:-1]][m][h] = round(float(row[r]) / 1000.0, 6)  # kg/MWh -> kg/kWh
    if len(seen) != 288:
        raise SystemExit(f"expected 12 x 24 month-hours, found {len(seen)}")
    with open(folder / "cambium21_LRMER_MidCase_annual_mean.csv", newline="") as fh:
        annual = {r["gea_region"][:-1]: float(r["lrmer_co2e_kg_per_MWh_annual_mean"]) / 1000.0
                  for r in csv.DictReader(fh)}
    missing = set(STATE_REGION.values()) - set(table)
    if missing:
        raise SystemExit(f"regions not in Cambium's table: {sorted(missing)}")
    out = {
        "source": "NREL Cambium 2021, mid-case, long-run marginal emission rates (LRMER) of CO2e for end-use "
                  "demand, start year 2023, 20-year evaluation, 3 % real discount rate, IPCC AR5 100-year GWPs; "
                  "month x hour means (Gagnon et al., Cambium 2021 Data, NREL, 2022)",
        "units": "kg CO2e per kWh; regions[REGION][month 0-11][hour of day 0-23]",
        "regions": table,
        "annual_mean": {k: round(v, 6) for k, v in sorted(annual.items())},
        "state_region": STATE_REGION,
    }
    OUT.write_text(json.dumps(out, indent=None, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes, {len(table)} regions)")


if __name__ == "__main__":
    main()
