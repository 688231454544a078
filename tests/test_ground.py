"""Ground-source heat pumps: the Kusuda–Achenbach ground model, entering water temperature and the whole path."""

import math

import numpy as np
import pytest

from heatcalc import batch as b
from heatcalc.home import build_home
from heatcalc.model import ground as g
from heatcalc.model.engine import heat_pump_hourly
from heatcalc.model.load import heat_load_btu_per_h
from heatcalc.profile import validate
from heatcalc.simulate import DAY_OF_HOUR, compare_home


def test_ground_temperature_by_hand():
    # At the surface the swing is undamped and unlagged: on the coldest day T = mean − A.
    assert g.ground_temperature_f(15.0, 0.0, 50.0, 20.0, 15.0) == pytest.approx(30.0)
    # At 6 ft in soil of 0.6 ft2/day: damping exp(−6·√(π/219)) = 0.4874, lag 6/2·√(365/(0.6π)) = 41.7 days.
    k = math.sqrt(math.pi / (365 * 0.6))
    lag = 3 * math.sqrt(365 / (math.pi * 0.6))
    assert math.exp(-6 * k) == pytest.approx(0.4874, abs=1e-4) and lag == pytest.approx(41.7, abs=0.1)
    assert g.ground_temperature_f(15.0 + lag, 6.0, 50.0, 20.0, 15.0) == pytest.approx(50 - 20 * math.exp(-6 * k))
    # Deep boreholes see the annual mean.
    assert g.ground_temperature_f(np.arange(365), 150.0, 50.0, 20.0, 15.0) == pytest.approx(50.0, abs=0.01)


def test_ewt_falls_with_load():
    loop = g.GroundLoop(50.0, 20.0, 15.0, 150.0, 40000.0)
    ewt = g.entering_water_temperature_f(loop, np.array([0.0, 20000.0, 40000.0]), np.array([100, 100, 100]))
    assert ewt == pytest.approx([50.0, 42.5, 35.0], abs=0.01)  # 15 F approach at the design load


def test_cop_is_rated_at_32f_and_rises_with_ewt():
    curve = g.ground_source_curve(3.6, 36000.0, "single_stage")
    assert float(curve.cop_at_max(32.0)) == pytest.approx(3.6)
    assert float(curve.capacity_max(32.0)) == pytest.approx(36000.0)
    # Carnot ratio, condensing 105 F, evaporating EWT − 12 F: COP(50)/COP(32) = (565−480)/(565−498) = 85/67
    assert float(curve.cop_at_max(50.0)) == pytest.approx(3.6 * 85 / 67, rel=1e-3)


def ground_home(**extra):
    data = {"location": {"zip": "55407"}, "heating_load": {"annual": "90 MMBtu"},
            "systems": {"heat_pump": {"type": "ground_source", "cop": 3.8, **extra}}}
    return build_home(validate(data, "gs"))


def test_ground_source_conserves_energy_and_beats_air_source_in_the_cold():
    home = ground_home()
    load = heat_load_btu_per_h(home.ua_btu_per_h_f, home.weather.temp_f, home.balance_point_f)
    h = heat_pump_hourly(load, home.weather.temp_f, home.heat_pump, DAY_OF_HOUR)
    np.testing.assert_allclose(h.compressor_heat_btu + h.backup_heat_btu, load, atol=1e-6)
    gs = compare_home(home).result("heat_pump").energy.seasonal_efficiency
    air = compare_home(build_home(validate({"location": {"zip": "55407"}, "heating_load": {"annual": "90 MMBtu"}},
                                           "air"))).result("heat_pump").energy.seasonal_efficiency
    assert gs > air
    assert 3.0 < gs < 5.0  # rated 3.8 at 32 F EWT; the loop runs warmer most of the year


def test_horizontal_loop_is_colder_in_winter():
    v = compare_home(ground_home(loop="vertical")).result("heat_pump").energy.seasonal_efficiency
    h = compare_home(ground_home(loop="horizontal")).result("heat_pump").energy.seasonal_efficiency
    assert h < v


def test_batch_equals_compare_for_ground_source():
    item = b.HomeInput("1", "row", ({"location.zip": "55407", "heating_load.annual": "90",
                                      "systems.heat_pump.type": "ground_source"}, {}), "t.csv", 2)
    outcome = b.process_block([item])[0]
    expected = compare_home(build_home(b._spec(item))).row_dicts()
    assert outcome.rows[0]["electricity_kwh"] == pytest.approx(expected[0]["electricity_kwh"], rel=1e-12)


def test_ground_source_field_errors():
    from heatcalc.errors import ProfileError

    with pytest.raises(ProfileError) as exc:
        build_home(validate({"location": {"state": "MN"}, "heating_load": {"annual": 90},
                             "systems": {"heat_pump": {"type": "ground_source", "hspf2": 9}}}, "x"))
    assert "systems.heat_pump.hspf2" in str(exc.value)
    with pytest.raises(ProfileError) as exc:
        build_home(validate({"location": {"state": "MN"}, "heating_load": {"annual": 90},
                             "systems": {"heat_pump": {"cop": 4}}}, "x"))
    assert "add type: ground_source" in str(exc.value)
