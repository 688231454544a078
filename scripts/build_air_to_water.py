"""Derive heatcalc's air-to-water heat pump coefficients from hplib's database.

hplib (RE-Lab-Projects, MIT licence; its database CC BY 4.0) fits each heat pump certified under the Heat Pump
Keymark to four-parameter models of electrical input and COP against the source (outdoor air) and supply water
temperatures, and fits two generic outdoor-air/water models to all of them: one for regulated (inverter) units,
one for on-off units.  heatcalc ships those two generic models' coefficients, nothing else.

Usage:  python scripts/build_air_to_water.py PATH/TO/hplib_database.csv
(``pip download hplib==1.9 --no-deps`` and unzip the wheel: the file is ``hplib/hplib_database.csv``.)
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "heatcalc" / "data" / "air_to_water" / "hplib_generic.json"
GROUPS = {"1.0": "regulated", "4.0": "on_off"}
FIELDS = {"p_el": ("p1_P_el_h [1/°C]", "p2_P_el_h [1/°C]", "p3_P_el_h [-]", "p4_P_el_h [1/°C]"),
          "cop": ("p1_COP [-]", "p2_COP [-]", "p3_COP [-]", "p4_COP [-]")}


def main(path: str) -> None:
    models = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["Manufacturer"].strip() != "Generic" or row["Type"] != "Outdoor Air/Water":
                continue
            group = GROUPS.get(row["Group"])
            if group is None:
                continue
            models[group] = {k: [float(row[c]) for c in cols] for k, cols in FIELDS.items()}
            models[group]["cop_at_minus7_52"] = float(row["COP_ref"])
    if set(models) != set(GROUPS.values()):
        raise SystemExit(f"{path}: expected the generic outdoor-air/water models (groups 1 and 4)")
    doc = {
        "source": "hplib 1.9 (RE-Lab-Projects/hplib, Tjaden, Hoops & Rosken, doi:10.5281/zenodo.5521597): the "
                  "generic outdoor-air/water models fitted to Heat Pump Keymark certificates (2016-2021)",
        "licence": "hplib code MIT; its database CC BY 4.0 (attribution: RE-Lab-Projects, hplib)",
        "form": "with T_in the outdoor air and T_out the supply water [degC]: "
                "x = p1*T_in + p2*T_out + p3 + p4*T_in; COP = x(cop); P_el / P_el_ref = x(p_el), "
                "P_el_ref at -7/52 degC",
        "models": models,
    }
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
