"""Derive the compact data files that ship inside the heatcalc package.

Reads the raw public reference data (by default ``../shared/data`` next to this repository) and writes
``src/heatcalc/data/``.  Run it again whenever the raw data changes::

    python scripts/build_data.py [--shared PATH]

Outputs
-------
temperatures.npy      int16 [1020, 8760]: hourly dry-bulb in tenths of a degree C, one row per station, memory-mappable
stations.csv          one row per station (row i describes row i of temperatures.npy) with design temperatures
stations.npy          the same, as a numpy structured array (fast to load)
states.json           per state: name, EIA 2023 prices, eGRID 2023 electricity CO2e rate, representative station
zips.npy              structured array of US ZIP codes (zip, lat, lon, state index), sorted by ZIP
heat_pump_defaults.json  RESNET Addendum 82 default heat pump tables used to build curves from an HSPF2
fuels.json            combustion CO2e factors of the fuels (EPA GHG Emission Factors Hub)
ahri_210_240.json     heating-rating constants and fractional bin hours of the six climate regions (AHRI 210/240)
installed_costs.json  installed-cost regressions, per-unit costs and state cost indexes (LBNL, Buildings ATB, RSMeans)

The ZIP table needs the ``zipcodes`` package (MIT) at build time only; the installed tool does not import it.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "heatcalc" / "data"

# Representative stations outside the county table (which covers the contiguous states but not DC): the main airport of
# the largest city.  Chosen by hand; documented in the data NOTICE.
NON_CONUS_REPRESENTATIVE = {"DC": "724050", "AK": "702730", "HI": "911820", "PR": "785260", "GU": "912120", "VI": "785430"}

# AR5 100-year global warming potentials, used to fold CH4 and N2O into CO2e (IPCC AR5, 2014; as in eGRID CO2e).
GWP_CH4 = 28.0
GWP_N2O = 265.0


def build_weather(shared: Path) -> list[dict]:
    summary = list(csv.DictReader(open(shared / "tmy3" / "stations_climate_summary.csv", newline="")))
    with gzip.open(shared / "tmy3" / "tmy3_drybulb_hourly_degC.csv.gz", "rt", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        columns = header[1:]
        rows = [row[1:] for row in reader]
    if len(rows) != 8760:
        raise SystemExit(f"expected 8760 hourly rows, got {len(rows)}")
    if columns != [s["usaf"] for s in summary]:
        raise SystemExit("station order of the hourly file and the summary differ")
    temps_c = np.array(rows, dtype=np.float64).T  # [station, hour]
    tenths = np.round(temps_c * 10.0)
    if np.abs(tenths / 10.0 - temps_c).max() > 1e-6:
        raise SystemExit("temperatures are not on a 0.1 C grid; int16 tenths would lose data")
    # C order: one station is one contiguous row, so the tool can read a station with one small read
    np.save(OUT / "temperatures.npy", np.ascontiguousarray(tenths.astype(np.int16)))

    temps_f = temps_c * 9.0 / 5.0 + 32.0
    stations = []
    for i, s in enumerate(summary):
        t = temps_f[i]
        stations.append({
            "usaf": s["usaf"],
            "name": s["name"].strip(),
            "state": s["state"],
            "lat": float(s["lat"]),
            "lon": float(s["lon"]),
            "elevation_m": float(s["elev_m"]),
            "utc_offset_h": float(s["tz_utc_offset_h"]),
            "quality_flag": s["quality_flag"].strip(),
            "annual_mean_f": round(float(t.mean()), 2),
            # Heating design temperatures from the hourly data: the 1st and 0.4th percentiles of the year's hours,
            # the same definition ASHRAE uses for its 99 % and 99.6 % heating design conditions.
            "design_99_f": round(float(np.percentile(t, 1.0)), 4),
            "design_99_6_f": round(float(np.percentile(t, 0.4)), 4),
            "hdd65_f_day": round(float(np.maximum(0.0, 65.0 - t).sum() / 24.0), 0),
        })
    with open(OUT / "stations.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(stations[0]))
        writer.writeheader()
        writer.writerows(stations)
    # The same table as a numpy structured array: loading it takes a fraction of a millisecond (the CSV stays as
    # the readable copy).
    dtype = [("usaf", "U6"), ("name", "U48"), ("state", "U2"), ("lat", "f8"), ("lon", "f8"), ("elevation_m", "f8"),
             ("utc_offset_h", "f8"), ("quality_flag", "U80"), ("annual_mean_f", "f8"), ("design_99_f", "f8"),
             ("design_99_6_f", "f8"), ("hdd65_f_day", "f8")]
    table = np.array([tuple(s[name] for name, _ in dtype) for s in stations], dtype=dtype)
    np.save(OUT / "stations.npy", table)
    return stations


def representative_stations(shared: Path, stations: list[dict]) -> dict[str, str]:
    """The station nearest to the largest share of each state's population (2014 county populations)."""
    pop = defaultdict(float)
    for row in csv.DictReader(open(shared / "climate_zones" / "county_iecc_cz_nearest_tmy3.csv", newline="")):
        pop[(row["state"], row["nearest_tmy3_usaf"])] += float(row["pop2014"] or 0)
    flagged = {s["usaf"] for s in stations if s["quality_flag"]}
    best: dict[str, tuple[float, str]] = {}
    for (state, usaf), people in pop.items():
        if usaf in flagged:
            continue
        if state not in best or people > best[state][0]:
            best[state] = (people, usaf)
    rep = {state: usaf for state, (_, usaf) in best.items()}
    rep.update(NON_CONUS_REPRESENTATIVE)
    return rep


def build_states(shared: Path, stations: list[dict]) -> dict:
    prices = {}
    for row in csv.DictReader(open(shared / "prices" / "state_residential_prices_2023_and_2022.csv", newline="")):
        if row["year"] != "2023":
            continue
        prices[row["state"]] = {
            "electricity_usd_per_kwh": float(row["elec_usd_per_kwh"]),
            "natural_gas_usd_per_therm": float(row["ng_usd_per_therm"]),
            "propane_usd_per_gal": float(row["propane_usd_per_gal"]),
            "heating_oil_usd_per_gal": float(row["heating_oil_usd_per_gal"]),
        }
    egrid = {}
    names = {}
    path = shared / "emissions" / "egrid2023_state_co2e_total_output_rate_lb_per_MWh_from_codecarbon.csv"
    for row in csv.DictReader(open(path, newline="")):
        code = "US" if row["state_code"] == "usa" else row["state_code"]
        egrid[code] = round(float(row["co2e_lb_per_MWh"]) * 0.45359237 / 1000.0, 5)  # lb/MWh -> kg/kWh
        names[code] = row["state_name"].title() if code != "US" else "United States"
    wood, wood_year = wood_prices(shared)
    for code, per_cord in wood.items():
        if code in prices:
            prices[code]["wood_usd_per_cord"] = per_cord
    rep = representative_stations(shared, stations)
    escalation = price_escalation(shared)
    household = household_use(shared)
    by_id = {s["usaf"]: s for s in stations}
    extra_names = {"PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands", "DC": "District of Columbia"}
    states = {}
    for code in sorted(set(prices) | set(egrid) | set(rep)):
        states[code] = {
            "name": extra_names.get(code) or names.get(code, code),
            "prices": prices.get(code),
            "electricity_co2e_kg_per_kwh": egrid.get(code),
            "representative_station": rep.get(code),
            "escalation_per_year": escalation.get(code) or escalation["US"],
            "household_use_per_year": household.get(code),
        }
        if code != "US" and rep.get(code) is None:
            raise SystemExit(f"no representative station for {code}")
        if rep.get(code) and by_id[rep[code]]["state"] != code and code != "DC":
            print(f"note: representative station of {code} lies in {by_id[rep[code]]['state']}")
    return {
        "escalation_source": f"EIA SEDS nominal residential prices: compound annual change {ESCALATION_FROM}-2023 "
                             f"(propane {PROPANE_FROM}-2023, the series' start)",
        "household_source": "EIA Residential Energy Consumption Survey 2015, average use per home by state "
                            "(as tabulated by OpenStudio-HPXML)",
        "price_year": 2023,
        "price_source": "EIA State Energy Data System, 2023 average residential prices",
        "wood_price_year": wood_year,
        "wood_price_source": f"EIA State Energy Data System, {wood_year} residential wood price (by Census region), "
                             f"at 20 MMBtu a cord (EIA)",
        "emission_source": "EPA eGRID2023 state total output CO2e rate",
        "states": states,
    }


ESCALATION_FROM = 2003
PROPANE_FROM = 2010
SEDS_SERIES = {"ESRCD": "electricity", "NGRCD": "natural_gas", "PQRCD": "propane", "DFRCD": "heating_oil",
               "WDRCD": "wood"}


WOOD_BTU_PER_CORD = 20.0e6  # EIA, Units and calculators explained: "1 cord of wood = 20 million Btu"


def wood_prices(shared: Path) -> tuple[dict, int]:
    """Per state, SEDS' residential wood price of its latest year with figures [$/MMBtu], as $ per cord; and that
    year.  SEDS prices wood by Census region, so the states of a region share one figure."""
    path = shared / "prices" / "eia_seds_residential_prices_usd_per_mmbtu_1970-2023.csv"
    rows = [r for r in csv.DictReader(open(path, newline="")) if r["msn"] == "WDRCD"]
    year = max(int(y) for r in rows for y, v in r.items() if y.isdigit() and v not in ("", "0"))
    out = {}
    for r in rows:
        value = r[str(year)]
        if value not in ("", "0"):
            out[r["state"]] = round(float(value) * WOOD_BTU_PER_CORD / 1e6, 2)
    return out, year


def price_escalation(shared: Path) -> dict:
    """Per state and fuel, the compound annual change of the nominal residential price over 20 years (13 for
    propane, whose series starts in 2010)."""
    out: dict = defaultdict(dict)
    path = shared / "prices" / "eia_seds_residential_prices_usd_per_mmbtu_1970-2023.csv"
    for row in csv.DictReader(open(path, newline="")):
        fuel = SEDS_SERIES.get(row["msn"])
        if fuel is None:
            continue
        start = PROPANE_FROM if fuel == "propane" else ESCALATION_FROM
        end = 2021 if fuel == "wood" else 2023  # SEDS' wood prices end in 2021
        try:
            first, last = float(row[str(start)]), float(row[str(end)])
        except ValueError:
            continue
        if first > 0 and last > 0:
            out[row["state"]][fuel] = round((last / first) ** (1.0 / (end - start)) - 1.0, 4)
    us = out["US"]
    return {state: {fuel: rates.get(fuel, us[fuel]) for fuel in SEDS_SERIES.values()} for state, rates in out.items()}


def household_use(shared: Path) -> dict:
    """Average electricity [kWh] and natural gas [therm] per home per year by state (RECS 2015)."""
    out = {}
    path = shared / "prices" / "eia_household_consumption_by_state_2015_from_OpenStudio-HPXML.csv"
    rows = list(csv.reader(open(path, newline="")))
    for row in rows[2:]:
        if len(row) >= 3 and len(row[0]) == 2:
            out[row[0]] = {"electricity_kwh": float(row[1]), "natural_gas_therm": float(row[2])}
    return out


def build_zips(states: dict) -> None:
    import zipcodes  # build-time only

    codes = sorted(states["states"])
    index = {c: i for i, c in enumerate(codes)}
    rows = []
    for z in zipcodes.list_all():
        lat, lon = float(z["lat"]), float(z["long"])
        if lat == 0.0 and lon == 0.0:
            lat = lon = math.nan  # military / PO-box ZIPs without a location: fall back to the state
        state = z["state"]
        if state not in index:
            continue  # ZIPs of territories without price data (AS, MP, FM, ...) are not served
        rows.append((int(z["zip_code"]), lat, lon, index[state]))
    rows.sort()
    arr = np.array(rows, dtype=[("zip", "<u4"), ("lat", "<f4"), ("lon", "<f4"), ("state", "u1")])
    np.save(OUT / "zips.npy", arr)
    with open(OUT / "zip_states.json", "w") as fh:
        json.dump(codes, fh)
    print(f"zips: {len(arr)} codes, {int(np.isnan(arr['lat']).sum())} without coordinates")


def build_heat_pump(shared: Path) -> None:
    raw = json.load(open(shared / "heat_pump" / "resnet_addendum82_hp_defaults_from_openstudio_hpxml.json"))
    out = {"source": "ANSI/RESNET/ICC 301-2022 Addendum 82 default heat pump performance (via NREL OpenStudio-HPXML)"}
    for kind in ("single_stage", "two_stage", "variable_speed"):
        t = dict(raw[kind])
        t["cop47full"] = t.pop("cop47full_table_rows_hspf2_cols_qm17full")
        out[kind] = {k: v for k, v in t.items() if not isinstance(v, str)}
    with open(OUT / "heat_pump_defaults.json", "w") as fh:
        json.dump(out, fh, indent=1)


KG_PER_SHORT_TON = 907.18474
KG_PER_LB = 0.45359237


def build_fuels(shared: Path) -> None:
    """Combustion factors per MMBtu: fossil CO2e (CO2, with CH4 and N2O at AR5 GWPs), and for wood fuels the CO2 kept
    apart as biogenic (their CH4 and N2O still count), as EPA's inventories report it."""
    fuels = {}
    names = {"natural_gas": "natural_gas", "propane": "propane", "heating_oil_no2": "heating_oil",
             "kerosene": "kerosene", "wood_cord": "wood"}

    def entry(co2: float, ch4_g: float, n2o_g: float, biogenic: bool) -> dict:
        others = GWP_CH4 * ch4_g / 1000.0 + GWP_N2O * n2o_g / 1000.0
        if biogenic:
            return {"co2_kg_per_mmbtu": 0.0, "co2e_kg_per_mmbtu": round(others, 4),
                    "biogenic_co2_kg_per_mmbtu": co2}
        return {"co2_kg_per_mmbtu": co2, "co2e_kg_per_mmbtu": round(co2 + others, 4)}

    for row in csv.DictReader(open(shared / "emissions" / "fuel_combustion_co2_factors.csv", newline="")):
        if row["fuel"] not in names or (row["fuel"] == "natural_gas" and row["unit"] != "therm"):
            continue
        fuel = names[row["fuel"]]
        fuels[fuel] = entry(float(row["co2_kg_per_mmbtu"]), float(row["ch4_g_per_mmbtu"]),
                            float(row["n2o_g_per_mmbtu"]), biogenic=fuel == "wood")
    fuels["pellets"] = dict(fuels["wood"])  # EPA's factor for wood and wood residuals covers pellets
    # anthracite, the coal homes burn: 40 CFR 98 Table C-1/C-2 as EPA's MRR table states them (short tons, lb)
    for row in csv.DictReader(open(shared / "emissions" / "usepa_egrid_repo_co2_ch4_n2o_ef_MRR.csv", newline="")):
        if row["fuel_type"] == "Anthracite":
            fuels["coal"] = entry(round(float(row["co2_ef"]) * KG_PER_SHORT_TON, 2),
                                  round(float(row["ch4_ef"]) * KG_PER_LB * 1000.0, 2),
                                  round(float(row["n2o_ef"]) * KG_PER_LB * 1000.0, 2), biogenic=False)
    with open(OUT / "fuels.json", "w") as fh:
        json.dump({"source": "EPA GHG Emission Factors Hub, Table 1 (stationary combustion), and 40 CFR 98 Tables "
                             "C-1/C-2 for anthracite; CH4 and N2O folded in with IPCC AR5 100-year GWPs (28, 265); "
                             "wood's CO2 biogenic, apart", "fuels": fuels}, fh, indent=1)


def build_installed_costs(shared: Path) -> None:
    """installed_costs.json: heat pump cost regressions (fixed + per ton, at two efficiencies), per-unit costs of the
    other equipment with their tiers, and state cost indexes normalised to a national 1.00."""
    folder = shared / "installed_cost"
    regressions = {r["equipment"]: r for r in csv.DictReader(open(folder / "resstock_euss_rr2_hp_costs.csv"))}
    units = {r["equipment"]: r for r in csv.DictReader(open(folder / "scout_buildings_atb_unit_costs_2023usd.csv"))}
    index_rows = list(csv.DictReader(open(folder / "scout_loc_cost_adj_rsmeans2021.csv")))
    lbnl = ("Less et al., LBNL 2021 (doi:10.20357/B7FP4D) regressions as used by NREL ResStock EUSS round 2, "
            "April 2023 $")
    atb = "NREL Buildings ATB via DOE Scout, 2023 $, replacement in an existing home"

    def regression(standard: str, cold: str) -> dict:
        a, b = regressions[standard], regressions[cold]
        return {"hspf": [9.2, 11.0],  # the efficiencies the two published evaluations are at (HSPF, 2017 rating)
                "fixed_usd": [float(a["fixed_usd"]), float(b["fixed_usd"])],
                "usd_per_ton": [float(a["usd_per_ton"]), float(b["usd_per_ton"])],
                "projects": int(a["n_projects"]), "source": lbnl}

    def unit(*keys: str) -> list[float]:
        return [float(units[k]["cost_existing_replacement_usd"]) for k in keys]

    estar = unit("ashp_energy_star_replacing_gas_furnace")[0]
    reference, best = unit("ashp_reference", "ashp_high_efficiency_replacing_gas_furnace")
    residential = {r["state"]: float(r["residential"]) for r in index_rows}
    mean = sum(residential.values()) / len(residential)
    out = {
        "dollar_year": 2023,
        "air_source": {"ducted": regression("ducted_ashp", "ducted_ashp_cchp"),
                       "ductless": regression("ductless_mshp", "ductless_mshp_cchp")},
        # the spread of Buildings ATB's reference and best heat pumps around its ENERGY STAR one, applied to the
        # regression (which is evaluated at about ENERGY STAR efficiency) for the low and high ends
        "heat_pump_spread": {"low": reference / estar, "high": best / estar, "source": atb},
        "per_unit": {
            "ground_source_heat_pump": {"tiers": unit("gshp_reference"), "source": atb},
            "gas_furnace": {"tiers": unit("gas_furnace_reference", "gas_furnace_best"), "source": atb},
            "oil_propane_furnace": {"tiers": unit("oil_lpg_furnace_reference"), "source": atb},
            "gas_boiler": {"tiers": unit("gas_boiler_reference"), "source": atb},
            "oil_propane_boiler": {"tiers": unit("oil_boiler_reference"), "source": atb},
            "electric_resistance": {"tiers": unit("electric_resistance_reference"), "source": atb},
            "central_air_conditioner": {"tiers": unit("central_ac_reference", "central_ac_best"), "source": atb},
        },
        "state_index": {state: round(value / mean, 4) for state, value in sorted(residential.items())},
        "state_index_source": "RSMeans 2021 residential city cost index of each state's largest city (via DOE "
                              f"Scout), divided by the states' mean {mean:.3f}",
    }
    with open(OUT / "installed_costs.json", "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")


def build_rating_constants(shared: Path) -> None:
    """ahri_210_240.json: the heating-rating constants of AHRI 210/240-2023 (appendix M1) and -2017 (appendix M) for
    the six climate regions, with their fractional bin hours."""
    folder = shared / "hspf2"
    constants = json.load(open(folder / "ahri210240_constants.json"))
    bins = list(csv.DictReader(open(folder / "fractional_bin_hours_by_region.csv")))
    regions = constants["regions"]
    out = {
        "source": "ANSI/AHRI 210/240-2023 and -2017, section 11.2.2 Table 14, as quoted in NREL EnergyPlus "
                  "StandardRatings.cc; 10 CFR 430 subpart B appendices M and M1",
        "bin_temp_f": [float(b["bin_temp_F"]) for b in bins],
        "regions": {},
        "hspf_2017_load_factor": constants["HSPF_old_correction_factor_C"],
        "hspf_2017_design_heating_requirements_btu_per_h": constants["HSPF_old_standardized_DHR_Btuh"],
        "resistance_btu_per_wh": constants["resistance_Btu_per_Wh"],
        "default_cycling_degradation": constants["default_heating_CD"],
    }
    for i, name in enumerate(regions):
        out["regions"][name] = {
            "outdoor_design_f": constants["outdoor_design_temp_F_TOD"][i],
            "zero_load_f": constants["zero_load_temp_F_TZL_HSPF2"][i],
            "load_factor": constants["slope_factor_C_HSPF2_single_two_stage"][i],
            "load_factor_variable_speed": constants["slope_factor_Cvs_HSPF2_variable_speed"][i],
            "fractions_2023": [float(b[f"M1_HSPF2_region_{name}"]) for b in bins],
            "fractions_2017": [float(b[f"M_HSPF_region_{name}"]) for b in bins],
        }
    with open(OUT / "ahri_210_240.json", "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    stations = build_weather(args.shared)
    states = build_states(args.shared, stations)
    with open(OUT / "states.json", "w") as fh:
        json.dump(states, fh, indent=1)
    build_zips(states)
    build_heat_pump(args.shared)
    build_fuels(args.shared)
    build_installed_costs(args.shared)
    build_rating_constants(args.shared)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
