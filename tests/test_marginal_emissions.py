"""emissions.electricity: marginal -- NREL Cambium's long-run marginal rates, hour by hour."""

import csv
import json

import numpy as np
import pytest

import heatcalc
from heatcalc.profile.sections import CAMBIUM_REGIONS
from heatcalc.simulate import hourly_series, monthly_rows

from .conftest import ROOT

SHARED = ROOT.parent / "shared" / "data" / "emissions"
PACKAGED = ROOT / "src" / "heatcalc" / "data" / "marginal_co2.json"
MONTH_OF_HOUR = np.repeat(np.arange(12), np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]) * 24)


def cambium(region: str) -> np.ndarray:
    """The 8,760 hours' rates [kg/kWh] read straight from the source table (kg/MWh by month and hour of day)."""
    with open(SHARED / "cambium21_LRMER_MidCase_co2e_kg_per_MWh_month_hour.csv", newline="") as fh:
        table = {(int(r["month"]) - 1, int(r["hour"])): float(r[region + "c"]) / 1000.0 for r in csv.DictReader(fh)}
    return np.array([table[(MONTH_OF_HOUR[h], h % 24)] for h in range(8760)])


def shipped(region: str) -> np.ndarray:
    """The 8,760 hours' rates [kg/kWh] of the packaged month x hour table (held to Cambium's own table by
    test_the_packaged_rates_are_cambiums, where ../shared is beside the checkout), spread over the year here."""
    months = np.array(json.loads(PACKAGED.read_text())["regions"][region])
    return months[MONTH_OF_HOUR, np.arange(8760) % 24]


def boston(**emissions) -> dict:
    return {"name": "Allston", "location": {"zip": "02134"}, "heating_load": {"annual": "60 MMBtu"},
            "systems": {"heat_pump": {"hspf2": 9}, "furnace": {"fuel": "natural_gas", "afue": 0.95},
                        "electric_resistance": {}},
            "emissions": {"electricity": "marginal", **emissions}}


@pytest.mark.needs_shared
@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data/emissions is not beside this checkout")
def test_the_packaged_rates_are_cambiums():
    data = json.loads(PACKAGED.read_text())
    assert sorted(data["regions"]) == sorted(CAMBIUM_REGIONS)
    assert set(data["state_region"].values()) <= set(CAMBIUM_REGIONS)
    assert len(data["state_region"]) == 49  # the 48 contiguous states and DC
    for region in CAMBIUM_REGIONS:
        months = np.array(data["regions"][region])
        np.testing.assert_allclose(months[MONTH_OF_HOUR, np.arange(8760) % 24], cambium(region), atol=5e-7)
        # the month-hour means average to Cambium's own annual mean (within the day-weighting of the months)
        assert months.mean() == pytest.approx(data["annual_mean"][region], abs=0.002)


def test_each_systems_co2_is_its_hours_kwh_times_their_rates():
    # Allston MA is in ISO New England (NEWE): every row's CO2e = sum over hours of kWh x that hour's Cambium rate,
    # plus the fuel's combustion factor (5.306 kg/therm and CH4/N2O for gas); recomputed here from the hourly run
    c = heatcalc.compare(boston())
    rate = shipped("NEWE")
    gas = c.home.emissions["natural_gas"].value
    for series, row in zip(hourly_series(c), c.results):
        expected = float(series.hourly.electricity_kwh @ rate) + float(series.fuel_units.sum()) * gas
        assert row.co2_kg == pytest.approx(expected, rel=1e-9)
    # the months add up to the year
    for row in c.results:
        months = [m["co2_kg"] for m in monthly_rows(c) if m["system"] == row.system]
        assert sum(months) == pytest.approx(row.co2_kg, rel=1e-9)
    # a heat pump runs most on cold nights, whose rates are above the year's mean: more CO2 than at the mean rate
    flat = heatcalc.compare({**boston(), "emissions": {"electricity": float(rate.mean())}})
    hp, hp_flat = c.results[0], flat.results[0]
    assert hp.energy.electricity_kwh == hp_flat.energy.electricity_kwh
    assert hp.co2_kg > hp_flat.co2_kg
    assert "NEWE" in c.home.emissions["electricity"].source or any("NEWE" in a.value for a in c.home.assumptions)


def test_a_region_can_be_chosen_and_solar_reports_what_it_displaces(tmp_path):
    # Western New York by hand: NYST's rates instead of the state's default; solar's output x the hourly rates
    c = heatcalc.compare({**boston(region="NYST"), "location": {"zip": "14201"},
                          "solar": {"capacity": "4 kW"}})
    rate = shipped("NYST")
    assert c.results[2].co2_kg == pytest.approx(float(hourly_series(c)[2].hourly.electricity_kwh @ rate), rel=1e-9)
    pv = c.home.bills.solar_kwh
    assert pv.sum() > 3000  # a 4 kW array in Buffalo
    assert c.to_dict()["solar"]["co2_avoided_kg"] == pytest.approx(float(pv @ rate), rel=1e-9)


def test_bad_marginal_inputs_are_clear_errors(write, cli):
    alaska = write("ak.yaml", "location: {zip: '99501'}\nheating_load: {annual: 60 MMBtu}\n"
                              "emissions: {electricity: marginal}\n")
    proc = cli("compare", alaska)
    assert proc.returncode == 2
    assert "emissions.electricity" in proc.stderr and "contiguous" in proc.stderr and "ak.yaml" in proc.stderr
    region_alone = write("r.yaml", "location: {zip: '02134'}\nheating_load: {annual: 60 MMBtu}\n"
                                   "emissions: {region: NYST}\n")
    proc = cli("compare", region_alone)
    assert proc.returncode == 2 and "emissions.region" in proc.stderr and "marginal" in proc.stderr
    typo = write("t.yaml", "location: {zip: '02134'}\nheating_load: {annual: 60 MMBtu}\n"
                           "emissions: {electricity: marginl}\n")
    proc = cli("compare", typo)
    assert proc.returncode == 2 and "did you mean 'marginal'" in proc.stderr and "t.yaml:3" in proc.stderr
    bad_region = write("b.yaml", "location: {zip: '02134'}\nheating_load: {annual: 60 MMBtu}\n"
                                 "emissions: {electricity: marginal, region: NEWENGLAND}\n")
    proc = cli("compare", bad_region)
    assert proc.returncode == 2 and "emissions.region" in proc.stderr and "NEWE" in proc.stderr


def test_a_homes_table_gives_the_same_rows_as_compare(write, cli):
    table = write("homes.csv", "home,location.zip,heating_load.annual,systems.heat_pump.hspf2,emissions.electricity\n"
                               "a,02134,60 MMBtu,9,marginal\nb,02134,60 MMBtu,9,0.25\n")
    proc = cli("batch", "--homes", table, "-f", "json")
    assert proc.returncode == 0, proc.stderr
    rows = {(r["home"], r["system"]): r for r in json.loads(proc.stdout)}
    one = heatcalc.compare({"location": {"zip": "02134"}, "heating_load": {"annual": "60 MMBtu"},
                            "systems": {"heat_pump": {"hspf2": 9}}, "emissions": {"electricity": "marginal"}})
    for r in one.results:
        assert rows[("a", r.system)]["co2_kg"] == pytest.approx(r.co2_kg, rel=1e-12)
    assert rows[("b", "heat_pump")]["co2_kg"] == pytest.approx(rows[("b", "heat_pump")]["electricity_kwh"] * 0.25
                                                               + 0.0, rel=1e-12)


def test_the_table_says_the_co2_is_weighed_hour_by_hour(write, cli):
    profile = write("m.yaml", "location: {zip: '02134'}\nheating_load: {annual: 60 MMBtu}\n"
                              "emissions: {electricity: marginal}\n")
    proc = cli("compare", profile)
    assert proc.returncode == 0, proc.stderr
    flat = " ".join(proc.stdout.split())
    assert "Grid CO2e: 0.332 kg/kWh (NREL Cambium 2021 long-run marginal rates, NEWE region" in flat
    assert "each hour at its own rate" in flat
    plain = cli("compare", write("p.yaml", "location: {zip: '02134'}\nheating_load: {annual: 60 MMBtu}\n"))
    assert "Grid CO2e" not in plain.stdout  # one factor for every kWh: the prices line is enough


def test_the_fast_route_weighs_bins_as_the_per_home_route_weighs_hours(tmp_path, monkeypatch):
    # Homes with marginal rates over stations in six regions (one region given by hand, one with rooftop solar and
    # a rate), mixed with a flat factor: every one on the columnar route, each bin's kWh times the summed rates of
    # its hours, every column equal to the per-home route's; Anchorage (no region) and a region without marginal
    # rates go home by home and are reported.
    from heatcalc import columnar as c

    from .test_columnar import assert_same_blocks, chunk_of, per_home_block

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path / "cache"))
    rows = []
    for i, station in enumerate(["725090", "722780", "727930", "722020", "725300", "724666"] * 3):
        row = {"location.station": station, "heating_load.annual": f"{40 + 7 * i} MMBtu",
               "systems.heat_pump.hspf2": str([7.5, 9, 10][i % 3]), "emissions.electricity": "marginal"}
        if i % 4 == 1:
            row["systems.furnace.fuel"] = "propane"
        if i == 5:
            row["emissions.region"] = "RMPA"
        if i == 7:
            row["emissions.electricity"] = "0.4 kg/kWh"
        if i == 8:
            row["solar.capacity"] = "5 kW"
        rows.append(row)
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert got.fast == len(rows)
    assert_same_blocks(got, per_home_block(chunk))
    bad = chunk_of([{"location.station": "702730", "heating_load.annual": "60 MMBtu",
                     "emissions.electricity": "marginal"},
                    {"location.station": "725090", "heating_load.annual": "60 MMBtu", "emissions.region": "NEWE"}])
    out = c.run_chunk(bad)
    assert out.fast == 0
    assert all(p for p in out.problems)
