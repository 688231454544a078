import math

import pytest

from heatcalc import units as u


@pytest.mark.parametrize("text,kind,expected", [
    ("36000 Btu/h", u.POWER, 36000.0),
    ("3 ton", u.POWER, 36000.0),  # 1 ton = 12,000 Btu/h
    ("10 kW", u.POWER, 34121.4163),  # 1 kW = 3,412.14 Btu/h (NIST SP 811)
    ("36 kBtu/h", u.POWER, 36000.0),
    (42000, u.POWER, 42000.0),  # plain number: default unit Btu/h
    ("-5 F", u.TEMPERATURE, -5.0),
    ("-20 C", u.TEMPERATURE, -4.0),  # -20 × 9/5 + 32
    ("273.15 K", u.TEMPERATURE, 32.0),
    ("62 MMBtu", u.ENERGY, 62e6),
    ("1 kWh", u.ENERGY, 3412.14163),
    ("1 GJ", u.ENERGY, 947817.12),  # 1e9 J / 1055.05585 J/Btu
    ("650 Btu/h/F", u.CONDUCTANCE, 650.0),
    ("100 W/K", u.CONDUCTANCE, 189.563424),  # 341.214 Btu/h per 1.8 F
])
def test_parse_quantity(text, kind, expected):
    assert u.parse_quantity(text, kind) == pytest.approx(expected, rel=1e-6)


def test_fuel_amounts_in_btu():
    gas = u.fuel_amount_kind("natural_gas")
    assert u.parse_quantity("780 therm", gas) == pytest.approx(78e6)
    assert u.parse_quantity("100 ccf", gas) == pytest.approx(100 * 103_600)  # EIA 1,036 Btu/ft3
    assert u.parse_quantity("1 Mcf", gas) == pytest.approx(1_036_000)
    assert u.parse_quantity("500 gal", u.fuel_amount_kind("propane")) == pytest.approx(500 * 91_500)
    assert u.parse_quantity("500 gal", u.fuel_amount_kind("heating_oil")) == pytest.approx(500 * 138_700)


def test_prices_convert_to_sales_units():
    gas = u.price_kind("natural_gas")
    # $1.036/ccf is $1.00/therm, because a ccf holds 1.036 therm.
    assert u.parse_quantity("1.036 $/ccf", gas) == pytest.approx(1.0)
    assert u.parse_quantity("15 $/MMBtu", gas) == pytest.approx(1.5)
    assert u.parse_quantity("18 c/kWh", u.price_kind("electricity")) == pytest.approx(0.18)
    assert u.parse_quantity("30 $/MMBtu", u.price_kind("propane")) == pytest.approx(30 * 0.0915)


@pytest.mark.parametrize("text", ["3 gal", "hot", "12 furlongs"])
def test_wrong_units_are_errors_listing_accepted_units(text):
    with pytest.raises(u.UnitError) as exc:
        u.parse_quantity(text, u.POWER)
    assert "Btu/h" in str(exc.value) or "number" in str(exc.value)


@pytest.mark.parametrize("value", [math.nan, "nan", math.inf, True])
def test_non_finite_and_bool_rejected(value):
    with pytest.raises(u.UnitError):
        u.split_quantity(value)
