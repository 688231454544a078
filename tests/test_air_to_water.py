"""Air-to-water heat pumps (issue "The heating systems homes have"): COP and capacity against the outdoor air and the
supply water from hplib's generic models of Heat Pump Keymark units, an outdoor-reset curve, and a seasonal COP that
falls as the water gets hotter."""

import json

import numpy as np
import pytest

import heatcalc
from heatcalc.model import air_to_water as atw
from heatcalc.units import f_to_c

ROOT_DATA = atw.DATA


def test_the_generic_models_at_their_points_by_hand():
    models = json.loads(ROOT_DATA.read_text())["models"]
    # hplib's form: x = p1 T_in + p2 T_out + p3 + p4 T_in. Its regulated model at its reference (-7 C air, 52 C
    # water) gives the COP it was fitted to, 1.41; at A7/W35: (p1 + p4) x 7 + p2 x 35 + p3
    reg = models["regulated"]["cop"]
    assert float(atw.cop("regulated", -7, 52)) == pytest.approx(models["regulated"]["cop_at_minus7_52"], abs=0.01)
    assert float(atw.cop("regulated", 7, 35)) == pytest.approx((reg[0] + reg[3]) * 7 + reg[1] * 35 + reg[2])
    assert float(atw.cop("regulated", 7, 35)) == pytest.approx(5.06, abs=0.01)
    assert float(atw.cop("on_off", -7, 52)) == pytest.approx(models["on_off"]["cop_at_minus7_52"], abs=0.01)
    # full-speed output relative to A7/W35: 1 there, less in colder air or with hotter water
    assert float(atw.heat_output_ratio(7, 35)) == pytest.approx(1.0)
    assert float(atw.heat_output_ratio(-7, 35)) < 1.0 and float(atw.heat_output_ratio(7, 55)) < 1.0


def test_the_reset_curve():
    # 120 F at and below the 10 F design temperature, 90 F at 60 F and above, linear between: 105 F at 35 F
    t = np.array([-5.0, 10.0, 35.0, 60.0, 80.0])
    np.testing.assert_allclose(atw.supply_temperature_f(t, 10.0, 120.0, 90.0), [120, 120, 105, 90, 90])
    # a fixed supply
    np.testing.assert_allclose(atw.supply_temperature_f(t, 10.0, 110.0, 110.0), 110.0)
    # the unit's points follow it: at 38 F the water is 120 - 30 x 28/50 = 103.2 F
    c = atw.curve(1.0, 10.0, 120.0, 90.0)
    i = list(c.temp_f).index(38.0)
    assert c.cop_max[i] == pytest.approx(float(atw.cop("on_off", f_to_c(38.0), f_to_c(120 - 30 * 28 / 50))))


def profile(design, mild, **extra):
    return {"location": {"zip": "02134"}, "heating_load": {"annual": "70 MMBtu"},
            "systems": {"heat_pump": {"type": "air_to_water", "capacity": "5 ton",
                                      "supply_temperature": {"design": f"{design} F", "mild": f"{mild} F"}, **extra},
                        "furnace": False}}


def test_seasonal_cop_falls_as_the_water_gets_hotter():
    cops = [heatcalc.compare(profile(d, m)).rows[0].seasonal_efficiency
            for d, m in ((100, 80), (120, 90), (140, 110), (160, 130))]
    assert all(a > b for a, b in zip(cops, cops[1:]))
    assert cops[0] > 3.5 and cops[-1] < 2.0
    # the explanation says which water temperatures were used
    c = heatcalc.compare(profile(120, 90))
    perf = next(a for a in c.assumptions if a["field"] == "systems.heat_pump.performance")
    assert "water 120 F" in perf["value"] and "90 F at 60 F" in perf["value"] and "hplib" in perf["source"]


def test_sized_at_the_design_water_and_no_duct_losses():
    sized = heatcalc.compare({"location": {"zip": "02134"}, "heating_load": {"annual": "70 MMBtu"},
                              "ducts": {"efficiency": 0.8},
                              "systems": {"heat_pump": {"type": "air_to_water"}}})
    assert sized.home.distribution_efficiency("heat_pump") == 1.0
    assert sized.home.heat_pump.curve.capacity_max(max(sized.home.design_temp_f, -13.0)) >= \
        0.99 * sized.home.design_load_btu_per_h


def test_what_does_not_fit_an_air_to_water_unit_is_refused():
    with pytest.raises(heatcalc.ProfileError, match="hspf2"):
        heatcalc.compare(profile(120, 90, hspf2=9))
    with pytest.raises(heatcalc.ProfileError, match="radiators or floors, not ducts"):
        heatcalc.compare(profile(120, 90, distribution="ducted"))
    with pytest.raises(heatcalc.ProfileError, match="coolest in mild weather"):
        heatcalc.compare(profile(100, 130))
    air = profile(120, 90)
    air["systems"]["heat_pump"]["type"] = "air_source"
    with pytest.raises(heatcalc.ProfileError, match="air-to-water unit's"):
        heatcalc.compare(air)
    econ = profile(120, 90)
    econ["economics"] = {"current": "electric_resistance"}
    with pytest.raises(heatcalc.ProfileError, match="no installed-cost data for air-to-water"):
        heatcalc.compare(econ)


def test_its_incentives_are_the_air_to_water_items():
    from heatcalc.home import purchase_of

    assert purchase_of(heatcalc.load_profile(profile(120, 90))).item == "air_to_water_heat_pump"
    finding = heatcalc.find_incentives("02134", 250_000, 3, heat_pump="air_to_water")
    assert all("air_to_water_heat_pump" in r.items or not any("heat_pump" in i for i in r.items)
               for r in finding.rows)


def test_the_shipped_coefficients_are_hplibs(tmp_path):
    # where hplib is installed (pip install hplib==1.9), its database's generic rows are what heatcalc ships
    hplib = pytest.importorskip("hplib")
    import csv
    from pathlib import Path

    path = Path(hplib.__file__).parent / "hplib_database.csv"
    generic = {row["Group"]: row for row in csv.DictReader(path.open(encoding="utf-8"))
               if row["Manufacturer"].strip() == "Generic"}
    shipped = json.loads(ROOT_DATA.read_text())["models"]
    assert float(generic["1.0"]["p1_COP [-]"]) == shipped["regulated"]["cop"][0]
    assert float(generic["4.0"]["p3_P_el_h [-]"]) == shipped["on_off"]["p_el"][2]
