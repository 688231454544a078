"""Seasonal COP by climate against field studies.

Gibb, Rosenow, Lowes & Hewitt, "Coming in from the cold: Heat pump efficiency at low temperatures", Joule 7
(2023): across seven field studies (about 550 air-source heat pumps) the average COP was 2.74 at outdoor
temperatures above −10 °C and between 1.5 and 2 below it. heatcalc's default heat pump (HSPF2 8.1, variable speed,
sized to the design load) should give seasonal COPs, backup included, in the 2–3.5 band that implies for these
climates, and lower ones where winters are colder. Tolerance: the band, not a point — field COPs scatter with
installation and sizing far more than with climate.
"""

import pytest

from heatcalc.home import build_home
from heatcalc.profile import validate
from heatcalc.simulate import compare_home

CLIMATES = {"30307": "Atlanta", "98115": "Seattle", "02134": "Boston", "60614": "Chicago", "55407": "Minneapolis"}


def seasonal_cop(zip_code: str) -> float:
    spec = validate({"location": {"zip": zip_code}, "heating_load": {"annual": "60 MMBtu"}}, zip_code)
    return compare_home(build_home(spec)).result("heat_pump").energy.seasonal_efficiency


@pytest.mark.parametrize("zip_code", list(CLIMATES))
def test_seasonal_cop_in_field_band(zip_code):
    assert 2.0 <= seasonal_cop(zip_code) <= 3.5


def test_colder_climates_give_lower_seasonal_cop():
    cops = {CLIMATES[z]: seasonal_cop(z) for z in CLIMATES}
    assert cops["Atlanta"] > cops["Boston"] > cops["Minneapolis"]
    assert cops["Seattle"] > cops["Chicago"] > cops["Minneapolis"]
