"""A field the model would not use is refused by name, never silently dropped: on a homes table (the array route)
the row is reported with the same message, field and line as the profile gets one home at a time."""

from pathlib import Path

import pytest

import heatcalc
from heatcalc import columnar as c

from .test_columnar import assert_same_blocks, chunk_of, per_home_block

RATE = str(Path(__file__).resolve().parents[1] / "profiles" / "rates" / "illustrative-tiered-tou.json")
BASE = {"location.zip": "02134", "heating_load.annual": "70 MMBtu"}


def _problems(row: dict) -> list:
    """The problems the array route reports for one row, after checking it reports what the per-home route does."""
    chunk = chunk_of([dict(BASE, **row), dict(BASE)])
    got = c.run_chunk(chunk)
    assert_same_blocks(got, per_home_block(chunk))
    assert got.problems[1] is None  # the plain home beside it runs
    return got.problems[0]


@pytest.mark.parametrize("field, value", [("hspf", "9"), ("capacity_5f", "0.7"), ("field_factor", "0.9")])
def test_an_air_to_water_unit_refuses_what_rates_air_to_air_units(field, value):
    problems = _problems({"systems.heat_pump.type": "air_to_water", f"systems.heat_pump.{field}": value})
    assert [p.field for p in problems] == [f"systems.heat_pump.{field}"]
    assert "applies to air-to-air or ground-source units" in problems[0].message
    assert problems[0].line == 2  # the row's line in the table
    with pytest.raises(heatcalc.ProfileError, match=field):
        heatcalc.compare({"location": {"zip": "02134"}, "heating_load": {"annual": "70 MMBtu"},
                          "systems": {"heat_pump": {"type": "air_to_water", field: float(value)}}})


@pytest.mark.parametrize("field, value", [("backup_capacity", "5 kW"), ("backup_lockout", "20")])
def test_strips_beside_a_rest_system_are_refused(field, value):
    # a heat pump serving 60 % of the home: the home's furnace (the default profile's) makes the rest and whatever
    # the heat pump cannot carry, so strips' limits would change nothing
    problems = _problems({"systems.heat_pump.serves": "0.6", f"systems.heat_pump.{field}": value})
    assert [p.field for p in problems] == [f"systems.heat_pump.{field}"]
    assert "serves 0.6 of it" in problems[0].message and "furnace heats the rest" in problems[0].message
    # without the limit the same home runs
    assert _problems({"systems.heat_pump.serves": "0.6"}) is None


def test_a_fixed_charge_beside_a_urdb_rate_is_refused():
    problems = _problems({"tariff.urdb": RATE, "fixed_charges.electricity": "12"})
    assert [p.field for p in problems] == ["fixed_charges.electricity"]
    assert "bills its own fixed charges" in problems[0].message
    # the gas fixed charge is not the rate's: it still counts, and the home runs
    assert _problems({"tariff.urdb": RATE, "fixed_charges.natural_gas": "12"}) is None
    # without a rate the fixed charge is billed, as before: $12 a month, $144 a year
    ran = heatcalc.compare({"location": {"zip": "02134"}, "heating_load": {"annual": "70 MMBtu"},
                            "fixed_charges": {"electricity": 12}})
    assert [r.fixed_charges_usd for r in ran.results if r.system == "electric_resistance"] == [pytest.approx(144.0)]


def test_weather_that_never_falls_below_the_balance_point_is_said_on_the_array_route(monkeypatch):
    # Honolulu's air never falls below a 55 F balance point: such a row is refused with the per-home route's
    # message, field and line, without a run of the per-home route when it has nothing else that route would check
    # (one with another problem, or an economics section, still goes home by home, which says all of it)
    from heatcalc import homes

    runs = []
    real = homes.process_block
    monkeypatch.setattr(homes, "process_block", lambda items, *a: runs.extend(items) or real(items, *a))
    warm = {"location.station": "911820", "heating_load.annual": "20 MMBtu", "heating_load.balance_point": "55"}
    rows = [warm, dict(warm, **{"systems.furnace.afue": "1.5"}), dict(warm, **{"economics.current": "furnace"}),
            dict(BASE), dict(warm, **{"systems.heat_pump.hspf2": "9"})]
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert [item.home for item in runs] == ["2", "3"]  # the rows 1 and 5 were said on the array route
    runs.clear()
    assert_same_blocks(got, per_home_block(chunk))
    assert [p.field for p in got.problems[0]] == [p.field for p in got.problems[4]] == ["heating_load.balance_point"]
    assert got.problems[0][0].line == chunk.lines[0] and got.problems[4][0].line == chunk.lines[4]
    assert "never falls below the balance point" in got.problems[0][0].message
    assert got.problems[3] is None and got.fast == 1
