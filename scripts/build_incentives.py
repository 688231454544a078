"""Derive heatcalc's embedded incentives (src/heatcalc/data/incentives/) from the Rewiring America snapshot in
../shared/data/incentives/rewiringamerica (the open data behind api.rewiringamerica.org, Apache-2.0).

What is kept: the incentives for heat pumps and for what a heat pump may need around it (the electric panel and
wiring, weatherization, an energy audit that programs require first), federal and per state, with their programs,
authorities (and the geographies each covers), stacking rules (exclusions, prerequisites, combined caps), the income
limits they refer to, the federal poverty levels, the geography groups; per ZCTA, the geographies it lies in (with
the share inside) and its area median income limits.  Everything else (vehicles, appliances, text in Spanish, logos)
is left out.  Values are not changed.

Writes:
    incentives.json.gz   {"snapshot", "source", "federal", "states": {ST: {...}}, "thresholds", "fpl", "geo_groups",
                          "geographies": {id: [type, name, state, county_fips]}}
    zcta.npz             per ZCTA (as a number, sorted) the geographies it lies in, in the data's order, with the
                         share inside: arrays zcta, starts (offsets into the next two), geography, share; and its
                         area median income limits: ami_zcta, ami (rows: median, ami_30, ami_50, ami_60, ami_80,
                         ami_100, ami_150; NaN where the data has none).  Arrays, not JSON: read in milliseconds
                         by every process that looks incentives up (JSON took 0.2 s).
    LICENSE, NOTICE      the Apache-2.0 license and what was taken from where

Usage: python scripts/build_incentives.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "heatcalc" / "data" / "incentives"
SNAPSHOT = "2026-08-06"  # commit 16ad9bf of rewiringamerica/api.rewiringamerica.org (../shared/data/README.md)
COMMIT = "16ad9bf"

#: The items kept: heat pumps and what installing one may need, and rooftop solar (solar as an investment).
ITEMS = {
    "rooftop_solar_installation",
    "ducted_heat_pump", "ductless_heat_pump", "geothermal_heating_installation", "air_to_water_heat_pump",
    "other_heat_pump", "integrated_heat_pump_controls", "electric_panel", "electric_wiring",
    "electric_service_upgrades", "air_sealing", "attic_or_roof_insulation", "basement_insulation",
    "crawlspace_insulation", "floor_insulation", "wall_insulation", "other_insulation", "other_weatherization",
    "duct_sealing", "energy_audit", "efficiency_rebates",
}
KEEP = ("id", "payment_methods", "items", "program", "amount", "owner_status", "start_date", "end_date",
        "low_income", "eligible_geo_group", "paused")


def _slim(incentive: dict) -> dict:
    out = {k: incentive[k] for k in KEEP if k in incentive}
    out["description"] = (incentive.get("short_description") or {}).get("en", "")
    out["url"] = (incentive.get("url") or {}).get("en", "")
    return out


def _load(path: Path):
    return json.loads(path.read_text()) if path.exists() else None


def build(shared: Path) -> None:
    src = shared / "incentives" / "rewiringamerica"
    referenced_thresholds: set = set()
    referenced_groups: set = set()
    federal = [_slim(x) for x in json.loads((src / "ira_incentives.json").read_text())
               if set(x["items"]) & ITEMS]
    states = {}
    for folder in sorted(p for p in src.iterdir() if p.is_dir() and len(p.name) == 2):
        incentives = [_slim(x) for x in (_load(folder / "incentives.json") or []) if set(x["items"]) & ITEMS]
        programs = _load(folder / "programs.json") or {}
        authorities = _load(folder / "authorities.json") or {}
        relationships = _load(folder / "incentive_relationships.json") or {}
        used_programs = {x["program"] for x in incentives}
        kept_ids = {x["id"] for x in incentives}
        flat_authorities = {key: {"type": kind, "name": a["name"], "geographies": a.get("geography_ids", [])}
                            for kind, group in authorities.items() for key, a in group.items()}
        used_authorities = {programs[p]["authority"] for p in used_programs if p in programs}
        for x in incentives:
            if x.get("low_income"):
                referenced_thresholds.add(x["low_income"])
            if x.get("eligible_geo_group"):
                referenced_groups.add((folder.name, x["eligible_geo_group"]))
        states[folder.name] = {
            "incentives": incentives,
            "programs": {k: {"name": v["name"]["en"], "authority": v["authority"],
                             "authority_type": v["authority_type"], "url": (v.get("url") or {}).get("en", "")}
                         for k, v in programs.items() if k in used_programs},
            "authorities": {k: v for k, v in flat_authorities.items() if k in used_authorities},
            # every utility of the state, to list and pick from, used by a program or not
            "utilities": {k: v for k, v in flat_authorities.items() if v["type"] in ("utility", "gas_utility")},
            "exclusions": {k: v["ids"] for k, v in relationships.get("exclusions", {}).items()},
            "prerequisites": {k: v for k, v in relationships.get("prerequisites", {}).items() if k in kept_ids},
            "combinations": [c for c in relationships.get("combinations", []) if set(c["ids"]) & kept_ids],
        }
    for x in federal:
        if x.get("low_income"):
            referenced_thresholds.add(x["low_income"])
    thresholds = json.loads((src / "low_income_thresholds.json").read_text())
    groups = json.loads((src / "geo_groups.json").read_text())
    geographies = {}
    with open(src / "geo" / "geographies.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            geographies[r["id"]] = [r["type"], r["name"], r["state"], r["county_fips"]]
    out = {
        "snapshot": SNAPSHOT,
        "source": f"Rewiring America incentives data (rewiringamerica/api.rewiringamerica.org @ {COMMIT}), "
                  f"snapshot {SNAPSHOT}, Apache-2.0",
        "federal": federal,
        "states": states,
        "thresholds": {k: v for k, v in thresholds.items() if k in referenced_thresholds},
        "fpl": json.loads((src / "federal_poverty_levels.json").read_text()),
        "geo_groups": {f"{st}/{key}": groups[st][key]["geographies"] for st, key in sorted(referenced_groups)
                       if key in groups.get(st, {})},
        "geographies": geographies,
    }
    zcta: dict = {}
    with open(src / "geo" / "zcta-to-geography.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            zcta.setdefault(r["zcta"], []).append([int(r["geography_id"]), round(float(r["intersection_proportion"]),
                                                                                  4)])
    ami: dict = {}
    with open(src / "geo" / "ami_by_zcta.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            ami[r["zcta"]] = [float(r[k]) if r[k] else None for k in
                              ("median_family_income", "ami_30", "ami_50", "ami_60", "ami_80", "ami_100", "ami_150")]
    OUT.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUT / "incentives.json.gz", "wb", mtime=0) as fh:  # mtime 0: the same input, the same bytes
        fh.write(json.dumps(out, separators=(",", ":"), sort_keys=True).encode())
    write_zcta(OUT / "zcta.npz", zcta, ami)
    utilities = _utilities(shared / "utilities" / "rewiringamerica")
    with gzip.GzipFile(OUT / "utilities.json.gz", "wb", mtime=0) as fh:
        fh.write(json.dumps(utilities, separators=(",", ":"), sort_keys=True).encode())
    shutil.copyfile(src / "LICENSE", OUT / "LICENSE")
    (OUT / "NOTICE").write_text(
        f"The files in this folder are derived from Rewiring America's incentives data\n"
        f"(https://github.com/rewiringamerica/api.rewiringamerica.org, commit {COMMIT}, as of {SNAPSHOT}),\n"
        "licensed under the Apache License, Version 2.0 (LICENSE beside this file). Changes: only the incentives for\n"
        "heat pumps, electrical work and weatherization are kept, with the programs, authorities, stacking rules,\n"
        "income limits and geographies they refer to; English text only; values unchanged (zcta.npz holds the\n"
        "ZCTA geographies and area median incomes as arrays). utilities.json.gz is the same snapshot's\n"
        "ZIP-to-utility-territory table (scripts/data/zip-to-geography-approx.csv with the electric and gas\n"
        "territories of scripts/data/geographies.csv), kept as the API uses it. A snapshot: programs and\n"
        "territories change, so check each program's page before relying on it.\n")
    print(f"{len(federal)} federal and {sum(len(s['incentives']) for s in states.values())} state incentives, "
          f"{len(zcta):,} ZCTAs -> {OUT}")


#: Territories of the table that are not utilities (a state's designation of communities, typed as a territory).
NOT_UTILITIES = {"ma-dac"}


def _utilities(src: Path) -> dict:
    """ZIP → its electric and gas utility territories, predominant first, as Rewiring America's API looks them up
    (``{"zips": {ZIP: [[key index, predominant], ...] for electric, [...] for gas]}, "keys": [...], "names": {key:
    name}, "parent": {ZIP: parent ZCTA}}``); ZIPs that are not ZCTAs (PO boxes) step to their parent ZCTA."""
    territories = {}
    with open(src / "geographies_utilities.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["key"] not in NOT_UTILITIES:
                territories[r["id"]] = (r["key"], r["name"], r["type"])
    keys = sorted({k for k, _, _ in territories.values()})
    index = {k: i for i, k in enumerate(keys)}
    zips: dict = {}
    with gzip.open(src / "zip-to-geography-approx.csv.gz", "rt", newline="") as fh:
        for r in csv.DictReader(fh):
            t = territories.get(r["geography_id"])
            if t is None:
                continue
            entry = zips.setdefault(r["zip"], [[], []])
            entry[0 if t[2] == "electric_territory" else 1].append([index[t[0]], int(r["predominant"])])
    for entry in zips.values():
        for side in entry:
            side.sort(key=lambda e: (-e[1], keys[e[0]]))
    parent = {}
    with gzip.open(src / "zips.csv.gz", "rt", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["zip"] not in zips and r["parent_zcta"] and r["parent_zcta"] in zips:
                parent[r["zip"]] = r["parent_zcta"]
    return {"keys": keys, "names": {k: n for k, n, _ in territories.values()}, "zips": zips, "parent": parent}


def write_zcta(path: Path, zcta: dict, ami: dict) -> None:
    """The ZCTA table as arrays (see the module's docstring) in a zip of .npy files, each dated 1980-01-01 so that
    the same input gives the same bytes."""
    import io
    import zipfile

    import numpy as np

    codes = sorted(zcta)
    ami_codes = sorted(ami)
    arrays = {
        "zcta": np.array([int(c) for c in codes], dtype=np.int64),
        "starts": np.cumsum([0] + [len(zcta[c]) for c in codes]).astype(np.int64),
        "geography": np.array([g for c in codes for g, _ in zcta[c]], dtype=np.int64),
        "share": np.array([x for c in codes for _, x in zcta[c]], dtype=np.float64),
        "ami_zcta": np.array([int(c) for c in ami_codes], dtype=np.int64),
        "ami": np.array([[np.nan if x is None else x for x in ami[c]] for c in ami_codes], dtype=np.float64),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, array in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, array, allow_pickle=False)
            zf.writestr(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), buf.getvalue(),
                        compress_type=zipfile.ZIP_DEFLATED)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    build(parser.parse_args().shared)


if __name__ == "__main__":
    main()
