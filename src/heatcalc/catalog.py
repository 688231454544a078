"""Listings of the embedded data for `heatcalc stations` and `heatcalc prices`."""

from __future__ import annotations

from .errors import HeatcalcError
from .weather import stations as st


def station_records(state: str | None = None, near: str | None = None, limit: int = 0):
    """Station rows (usable stations only), optionally one state's, optionally sorted by distance from a ZIP."""
    rows = [s for s in st.all_stations() if s.usable]
    if state:
        code = state.strip().upper()
        if st.state_info(code) is None:
            raise HeatcalcError(f"--state: unknown state {state!r}; use a two-letter code such as MA")
        rows = [s for s in rows if s.state == code]
    distance = {}
    if near:
        z = st.lookup_zip(near.strip())
        if z is None:
            raise HeatcalcError(f"--near: unknown US ZIP code {near!r}")
        if z.lat is None:
            raise HeatcalcError(f"--near: ZIP {near} has no location (a PO box or military ZIP); try a nearby ZIP")
        for s in rows:
            distance[s.usaf] = float(st.great_circle_km(z.lat, z.lon, s.lat, s.lon))
        rows.sort(key=lambda s: distance[s.usaf])
    if limit:
        rows = rows[:limit]
    records = [{
        "station": s.usaf, "name": s.name, "state": s.state, "lat": s.lat, "lon": s.lon,
        "elevation_m": s.elevation_m, "design_99_f": s.design_99_f, "hdd65_f_day": s.hdd65_f_day,
        **({"distance_km": round(distance[s.usaf], 1)} if near else {}),
    } for s in rows]
    return records, station_columns(near)


def station_columns(near: str | None = None) -> list:
    """The stations listing's (key, heading) pairs; with a ZIP to sort by, its distance too."""
    columns = [("station", "Station"), ("name", "Name"), ("state", "St"), ("lat", "Lat"), ("lon", "Lon"),
               ("elevation_m", "Elev\nm"), ("design_99_f", "Design\n99% F"), ("hdd65_f_day", "HDD65")]
    return columns + [("distance_km", "Dist\nkm")] if near else columns


PRICE_COLUMNS = [("state", "St"), ("name", "Name"), ("electricity_usd_per_kwh", "Elec\n$/kWh"),
                 ("natural_gas_usd_per_therm", "Gas\n$/therm"), ("propane_usd_per_gal", "Propane\n$/gal"),
                 ("heating_oil_usd_per_gal", "Oil\n$/gal"), ("wood_usd_per_cord", "Wood\n$/cord"),
                 ("electricity_co2e_kg_per_kwh", "Grid kg\nCO2e/kWh")]


def price_title(state: str | None = None) -> str:
    """The prices listing's title: the EIA year and the eGRID edition."""
    year = st.price_year()
    return (f"Average residential prices, EIA {year} (blank: no state figure, the US average is used; wood: EIA "
            f"SEDS {st.data_sources()['wood_year']}, by Census region; no public kerosene, pellet or coal prices: "
            f"give them); grid CO2e: EPA eGRID2023")


def price_records(state: str | None = None):
    year = st.price_year()
    codes = st.state_codes() + ["US"]
    if state:
        code = state.strip().upper()
        if st.state_info(code) is None:
            raise HeatcalcError(f"unknown state {state!r}; use a two-letter code such as MA, or leave it out")
        codes = [code]
    records = []
    for code in codes:
        info = st.state_info(code)
        p = info["prices"] or {}
        records.append({
            "state": code, "name": info["name"],
            "electricity_usd_per_kwh": p.get("electricity_usd_per_kwh"),
            "natural_gas_usd_per_therm": p.get("natural_gas_usd_per_therm"),
            "propane_usd_per_gal": p.get("propane_usd_per_gal"),
            "heating_oil_usd_per_gal": p.get("heating_oil_usd_per_gal"),
            "wood_usd_per_cord": p.get("wood_usd_per_cord"),
            "electricity_co2e_kg_per_kwh": info["electricity_co2e_kg_per_kwh"],
            "price_year": year if info["prices"] else None,
        })
    return records, PRICE_COLUMNS, price_title(state)
