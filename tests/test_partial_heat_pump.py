"""A heat pump that heats part of the home (issue "The heating systems homes have", partial coverage): each hour it
carries its share of the load up to its capacity and the home's own system heats the rest beside it; sized for its
share; its purchase is not a whole-home one.  Checked by hand and on both routes."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import heatcalc
from heatcalc.cli import app
from heatcalc.model.engine import heat_pump_from_performance

runner = CliRunner()


def test_each_hour_splits_as_the_share_says():
    # 40,000 Btu/h of load at 30 F, the heat pump reaching 60 %: it carries 24,000 (under its 30,000 capacity, COP
    # 2.5 at full speed, 3.0 at its 10,000 minimum); the oil furnace (AFUE 0.8) the other 16,000: 20,000 Btu/h of oil
    # At 5 F, 60,000 Btu/h of load: its share, 36,000, passes its 20,000 capacity: the furnace makes 40,000
    load = np.array([40_000.0, 60_000.0])
    temp = np.array([30.0, 5.0])
    out = heat_pump_from_performance(load, temp, np.array([30_000.0, 20_000.0]), np.array([10_000.0, 10_000.0]),
                                     np.array([2.5, 2.0]), np.array([3.0, 2.5]), cutoff_f=-20.0, dual_fuel=True,
                                     switchover_f=-np.inf, cycling_degradation=0.1, furnace_afue=0.8,
                                     furnace_blower_kwh_per_mmbtu=0.0, share=0.6)
    np.testing.assert_allclose(out.compressor_heat_btu, [24_000.0, 20_000.0])
    np.testing.assert_allclose(out.backup_heat_btu, [16_000.0, 40_000.0])
    np.testing.assert_allclose(out.fuel_btu, [20_000.0, 50_000.0])
    # the compressor at 24,000 of 10,000-30,000: COP 3.0 + (24 - 10)/(30 - 10) x (2.5 - 3.0) = 2.65
    assert out.electricity_kwh[0] == pytest.approx(24_000 / (2.65 * 3412.14163))
    np.testing.assert_allclose(out.heat_btu, load)


def home(**heat_pump):
    return {"location": {"zip": "02134"}, "heating_load": {"annual": "60 MMBtu"},
            "systems": {"heat_pump": {"hspf2": 9.5, "distribution": "ductless", **heat_pump},
                        "furnace": {"fuel": "heating_oil", "afue": 0.84}},
            "economics": {"current": "furnace"}}


def test_a_ductless_head_serving_half_the_load_halves_the_furnaces_fuel():
    c = heatcalc.compare(home(serves="50 %"))
    rows = {r.system: r for r in c.rows}
    # the furnace alone burns 515 gal; beside a head serving half, it burns half of that, a little more in the
    # hours the head cannot carry its half
    ratio = rows["heat_pump"].fuel_use / rows["furnace"].fuel_use
    assert 0.5 <= ratio < 0.515 and rows["heat_pump"].fuel == "heating_oil"
    assert rows["heat_pump"].backup_fraction == pytest.approx(0.5, abs=0.01)
    # sized for its share: 50 % of the home's load at the sizing temperature
    whole = heatcalc.compare(home())
    assert c.home.heat_pump_nominal_btu_per_h < whole.home.heat_pump_nominal_btu_per_h
    explain = [a for a in c.assumptions if a["field"] == "systems.heat_pump.rest"]
    assert explain and "50 % of the load" in explain[0]["value"] and "oil furnace" in explain[0]["value"]
    # both routes give the same figures
    pd = pytest.importorskip("pandas")
    frame = heatcalc.compare_frame(pd.DataFrame({
        "location.zip": ["02134"], "heating_load.annual": ["60 MMBtu"], "systems.heat_pump.hspf2": [9.5],
        "systems.heat_pump.distribution": ["ductless"], "systems.heat_pump.serves": [0.5],
        "systems.furnace.fuel": ["heating_oil"], "systems.furnace.afue": [0.84], "economics.current": ["furnace"]}))
    np.testing.assert_allclose(frame.total_cost_usd.to_numpy(float), [r.total_cost_usd for r in c.rows],
                               rtol=1e-12)


def test_the_rest_is_resistance_heat_where_the_home_has_it(tmp_path):
    c = heatcalc.compare({"location": {"zip": "98101"}, "heating_load": {"annual": "40 MMBtu"},
                          "systems": {"heat_pump": {"hspf2": 9.5, "distribution": "ductless", "serves": 0.6},
                                      "furnace": False},
                          "economics": {"current": "electric_resistance"}})
    rows = {r.system: r for r in c.rows}
    assert rows["heat_pump"].fuel == "" and rows["heat_pump"].fuel_use == 0.0
    # 40 % of the heat (and what the head cannot carry) at 1 kWh per 3,412 Btu, the rest at the head's COP
    assert rows["electric_resistance"].electricity_kwh * 0.4 < rows["heat_pump"].electricity_kwh \
        < rows["electric_resistance"].electricity_kwh * 0.7
    profile = tmp_path / "baseboard.yaml"
    profile.write_text(json.dumps({"location": {"zip": "98101"}, "heating_load": {"annual": "40 MMBtu"},
                                   "systems": {"heat_pump": {"serves": 0.6}, "furnace": False}}))
    label = runner.invoke(app, ["compare", str(profile)]).stdout
    assert "Heat pump 60%" in label and "+ resistance" in label


def test_the_purchase_of_a_partial_heat_pump_is_not_whole_home():
    from heatcalc.home import purchase_of

    p = heatcalc.load_profile(home(serves=0.6))
    assert purchase_of(p).whole_home is False
    assert purchase_of(heatcalc.load_profile(home())).whole_home is True


def test_the_share_is_checked():
    for bad, words in (({"serves": 0}, "serves"), ({"serves": "120 %"}, "serves")):
        with pytest.raises(heatcalc.ProfileError, match=words):
            heatcalc.compare(home(**bad))
    ground = home(serves=0.5, type="ground_source")
    ground["systems"]["heat_pump"].pop("distribution")
    with pytest.raises(heatcalc.ProfileError, match="ground-source unit heats the whole home"):
        heatcalc.compare(ground)
    no_furnace = home(serves=0.5)
    no_furnace["systems"]["furnace"] = False
    with pytest.raises(heatcalc.ProfileError, match="systems.furnace is false"):
        heatcalc.compare(no_furnace)


def test_the_json_says_what_share_the_heat_pump_serves():
    doc = heatcalc.compare(home(serves=0.6)).to_dict()
    assert doc["inputs"]["systems"]["heat_pump"]["serves"] == 0.6
    assert doc["inputs"]["systems"]["heat_pump"]["backup"] == "furnace"
    assert heatcalc.compare(home()).to_dict()["inputs"]["systems"]["heat_pump"]["serves"] == 1.0


def test_the_report_names_the_systems_as_the_home_has_them(tmp_path):
    from heatcalc.report import system_name

    partial = heatcalc.compare(home(serves=0.6))
    assert system_name(partial, "heat_pump") == "heat pump heating 60 % of the home, with the heating oil furnace " \
                                                "for the rest"
    water = heatcalc.compare({"location": {"zip": "02134"}, "heating_load": {"annual": "60 MMBtu"},
                              "systems": {"heat_pump": {"type": "air_to_water"}}})
    assert system_name(water, "heat_pump") == "air-to-water heat pump"
