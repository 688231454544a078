"""Where a home is, for any number of homes placed by ZIP code, TMY3 station, a point (lat/lon) or state: its
weather station (the nearest to the ZIP's centroid or the point; the state's representative station for a ZIP
without coordinates or a state alone) and the state whose prices and grid apply (``location.state`` when given,
else the ZIP's, the point's or the station's).

A weather file is placed home by home (:mod:`heatcalc.home`): it is read per home by nature.
"""


from typing import NamedTuple


class Place(NamedTuple):
    kind: str  # zip, station or state
    station: object  # heatcalc.weather.stations.Station
    state: str  # whose prices and grid apply
    distance_km: float | None  # from the ZIP's centroid to the station
    zip: str | None  # the five-digit ZIP
    lat: float | None
    lon: float | None
    no_coordinates: bool = False  # a ZIP the table has no centroid for: the state's representative station
    state_of_station: bool = False  # a point with no ZIP centroid near: the nearest station's state applies


#: The farthest a point may lie from its weather station: every US ZIP centroid lies within 155 km of one of the
#: embedded stations (checked over the ZIP table); a point farther than this is not in the US and would silently get
#: a distant climate.
MAX_STATION_KM = 200.0


def place_of_point(lat: float, lon: float, state: str | None = None):
    """A point's :class:`Place` (its nearest station; the state given, else the state of the ZIP centroids around
    it, else the station's), or (field, message) when it lies too far from every station."""
    from ..weather import stations as st

    if state is not None:
        checked = place_of(None, None, state)
        if not isinstance(checked, Place):
            return checked
        state = checked.state
    station, dist = st.nearest_station(lat, lon)
    if dist > MAX_STATION_KM:
        return "location.lat", (f"{lat:g}, {lon:g} is {dist:,.0f} km from the nearest of heatcalc's US weather "
                                f"stations (at most {MAX_STATION_KM:g} km is accepted; no US ZIP code lies farther "
                                "than 155 km from one); outside the US give a weather_file and prices")
    where = state or st.state_of_point(lat, lon)
    return Place("lat_lon", station, where or station.state, dist, None, lat, lon, state_of_station=where is None)


def place_of(station_id, zip_code, state):
    """A Place, or (field, message) saying what is wrong."""
    from ..weather import stations as st

    if state is not None:
        state = str(state).upper()
        if state == "US" or st.state_info(state) is None or st.representative_station(state) is None:
            return "location.state", f"unknown state {state!r}; use a two-letter code such as MA, TX or DC"
    if zip_code is not None:
        code = st.zip5(zip_code)
        if code is None:
            return "location.zip", (f"{zip_code!r} is not a US ZIP code; write five digits, e.g. \"02134\" "
                                    "(ZIP+4 such as 02134-1234 is fine too)")
        z = st.lookup_zip(code)
        if z is None:
            return "location.zip", (f"unknown US ZIP code {zip_code!r}; check it, or give location.state, "
                                    "station or lat/lon instead")
        if z.lat is None:
            found = st.representative_station(z.state)
            return Place("zip", found, state or z.state, None, code, None, None, True)
        found, dist = st.nearest_station(z.lat, z.lon)
        return Place("zip", found, state or z.state, dist, code, z.lat, z.lon)
    if station_id is not None:
        found = st.station_by_id(station_id)
        if found is None:
            return "location.station", f"unknown TMY3 station {station_id!r}; `heatcalc stations` lists them"
        if not found.usable:
            return "location.station", (f"station {found.usaf} ({found.name}) has corrupt data "
                                        f"({found.quality_flag}); choose a nearby station")
        return Place("station", found, state or found.state, None, None, found.lat, found.lon)
    if state is not None:
        found = st.representative_station(state)
        return Place("state", found, state, None, None, found.lat, found.lon)
    return None


def place_rules(stations: list, zips: list, states: list, memo: dict | None = None) -> tuple[list, list]:
    """Each home's :class:`Place` (None where it has a problem or gives none of the three), and the problems as
    (row, field, message).  ``memo`` keeps places between calls (a table's ZIP codes repeat)."""
    memo = {} if memo is None else memo
    places, problems = [], []
    for i, key in enumerate(zip(stations, zips, states)):
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = place_of(*key) or False
        if isinstance(hit, tuple) and not isinstance(hit, Place):
            problems.append((i, hit[0], hit[1]))
            places.append(None)
        else:
            places.append(hit or None)
    return places, problems
