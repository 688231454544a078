"""Wood, pellets, kerosene and coal (issue "The heating systems homes have"): heat contents, appliance defaults,
prices (given, or the state's for wood), biogenic CO2 apart, and the same rows on every route.  Each figure is
worked by hand in the comments: heat / efficiency / heat content x price."""

import json

import pytest
from typer.testing import CliRunner

import heatcalc
from heatcalc import units
from heatcalc.cli import app
from heatcalc.errors import ProfileError


def stove_home(fuel="wood", kind="stove", heat="40 MMBtu", prices=None, **furnace):
    return {"location": {"zip": "05602"}, "heating_load": {"annual": heat},
            "systems": {"heat_pump": False, "electric_resistance": False,
                        "furnace": {"kind": kind, "fuel": fuel, **furnace}},
            "prices": {"electricity": "0.20 $/kWh", **(prices or {})}}


def only_row(home):
    return heatcalc.compare(home).rows[0]


def test_heat_contents_are_the_cited_figures():
    # EIA: a cord of wood 20 million Btu; pellets 16.5 MMBtu a ton (EIA's fuel comparison calculator);
    # kerosene 135,000 Btu/gal; anthracite 25.09 MMBtu a short ton (40 CFR 98 Table C-1)
    assert units.BTU_PER_FUEL_UNIT["wood"] == 20e6 and units.FUEL_UNIT["wood"] == "cord"
    assert units.BTU_PER_FUEL_UNIT["pellets"] == 16.5e6 and units.FUEL_UNIT["pellets"] == "ton"
    assert units.BTU_PER_FUEL_UNIT["kerosene"] == 135_000 and units.FUEL_UNIT["kerosene"] == "gal"
    assert units.BTU_PER_FUEL_UNIT["coal"] == 25.09e6 and units.FUEL_UNIT["coal"] == "ton"
    # a 40 lb bag is a fiftieth of a ton: $7.50 a bag is $375 a ton
    assert units.parse_quantity("7.50 $/bag", units.price_kind("pellets")) == pytest.approx(375.0)
    assert units.parse_quantity("100 bags", units.fuel_amount_kind("pellets")) == pytest.approx(2 * 16.5e6)


def test_a_wood_stove_by_hand():
    r = only_row(stove_home(prices={"wood": "300 $/cord"}))
    # 40 MMBtu / 0.71 (the average tested non-catalytic stove on EPA's list) / 20 MMBtu a cord = 2.8169 cord;
    # x $300 = $845.07; no electricity (natural draft)
    cords = 40 / 0.71 / 20
    assert r.fuel_use == pytest.approx(cords, rel=1e-9) and r.fuel_unit == "cord"
    assert r.electricity_kwh == 0.0
    assert r.annual_cost_usd == pytest.approx(cords * 300)
    # EPA wood and wood residuals: CO2 93.80 kg/MMBtu, biogenic, apart; CH4 7.2 g and N2O 3.6 g at AR5 GWPs
    # (28, 265) = 1.1556 kg CO2e/MMBtu in the CO2 column
    assert r.biogenic_co2_kg == pytest.approx(cords * 20 * 93.80)
    assert r.co2_kg == pytest.approx(cords * 20 * (7.2 * 28 + 3.6 * 265) / 1000)


def test_a_pellet_stove_counts_its_fans_and_prices_by_the_bag():
    r = only_row(stove_home("pellets", prices={"pellets": "7.50 $/bag"}))
    # 40 / 0.74 (EPA-list average pellet stove) / 16.5 = 3.2760 ton at $375 = $1,228.50; fans and auger
    # 3 kWh per MMBtu delivered: 120 kWh at $0.20 = $24
    tons = 40 / 0.74 / 16.5
    assert r.fuel_use == pytest.approx(tons, rel=1e-9)
    assert r.electricity_kwh == pytest.approx(120.0)
    assert r.annual_cost_usd == pytest.approx(tons * 375 + 24.0)
    assert r.biogenic_co2_kg == pytest.approx(tons * 16.5 * 93.80)


def test_a_kerosene_furnace_and_a_coal_boiler_by_hand():
    k = only_row(stove_home("kerosene", kind="furnace", prices={"kerosene": "4.60 $/gal"}))
    # 40 MMBtu / 0.85 (as an oil furnace) / 0.135 MMBtu a gal = 348.58 gal x $4.60 = $1,603.49; fan 10 kWh/MMBtu:
    # 400 kWh x $0.20 = $80; CO2e 75.443 kg/MMBtu (EPA: 75.20 CO2, 3 g CH4, 0.6 g N2O)
    gallons = 40e6 / 0.85 / 135_000
    assert k.fuel_use == pytest.approx(gallons, rel=1e-9)
    assert k.annual_cost_usd == pytest.approx(gallons * 4.60 + 80.0)
    assert k.co2_kg == pytest.approx(gallons * 0.135 * 75.443 + 400 * heatcalc.compare(
        stove_home("kerosene", kind="furnace", prices={"kerosene": "4.60 $/gal"})).home.emissions["electricity"].value)
    assert k.biogenic_co2_kg == 0.0
    c = only_row(stove_home("coal", kind="boiler", afue=0.80, prices={"coal": "350 $/ton"}))
    # 40 / 0.80 / 25.09 = 1.9928 ton x $350 = $697.49; circulator 2 kWh/MMBtu: 80 kWh = $16
    tons = 40 / 0.80 / 25.09
    assert c.fuel_use == pytest.approx(tons, rel=1e-9)
    assert c.annual_cost_usd == pytest.approx(tons * 350 + 16.0)
    # anthracite, 40 CFR 98 Tables C-1/C-2 as EPA's MRR table gives them: 103.54 kg CO2, 11 g CH4, 1.6 g N2O
    assert c.co2_kg == pytest.approx(tons * 25.09 * 104.272 + 80 * heatcalc.compare(
        stove_home("coal", kind="boiler", afue=0.80, prices={"coal": "350 $/ton"})).home.emissions[
        "electricity"].value, rel=1e-6)


def test_bills_in_cords_set_the_load_and_the_stove_burns_the_same():
    home = {"location": {"zip": "05602"}, "heating_load": {"from_bills": {"fuel": "wood", "amount": "4 cord"}},
            "systems": {"heat_pump": False, "electric_resistance": False, "furnace": {"kind": "stove"}},
            "prices": {"wood": "250 $/cord"}}
    c = heatcalc.compare(home)
    # 4 cord x 20 MMBtu x 0.71 = 56.8 MMBtu of heat; the stove (the billed fuel, the bills' efficiency) burns 4 cord
    assert c.heat_needed_mmbtu == pytest.approx(56.8, rel=1e-6)
    assert c.rows[0].fuel_use == pytest.approx(4.0, rel=1e-6) and c.rows[0].annual_cost_usd == pytest.approx(1000.0,
                                                                                                             rel=1e-6)


def test_wood_has_the_states_price_and_trend_the_others_need_one():
    c = heatcalc.compare(stove_home())
    # EIA SEDS 2021 residential wood, Northeast region: $6.77/MMBtu x 20 MMBtu a cord = $135.40
    assert c.home.prices["wood"].value == pytest.approx(135.4)
    assert "SEDS 2021" in c.home.prices["wood"].source
    for fuel, example in (("pellets", "320 $/ton"), ("kerosene", "4.60 $/gal"), ("coal", "350 $/ton")):
        with pytest.raises(ProfileError) as err:
            heatcalc.compare(stove_home(fuel, kind="boiler" if fuel != "pellets" else "stove", afue=0.8))
        [p] = [p for p in err.value.problems if p.field == f"prices.{fuel}"]
        assert f"add prices.{fuel}, e.g. {example}" in p.message
    # a home that does not burn them is not asked for them, and its JSON lists only the fuels it uses
    plain = heatcalc.compare({"location": {"zip": "02134"}, "heating_load": {"annual": "60 MMBtu"}})
    assert set(plain.home.prices) == {"electricity", "natural_gas", "propane", "heating_oil"}
    econ = heatcalc.compare({**stove_home(), "economics": {"current": "furnace"}})
    trend = json.load(open(heatcalc.__path__[0] + "/data/states.json"))["states"]["VT"]["escalation_per_year"]
    assert econ.home.economics.escalation["wood"] == trend["wood"]
    kero = heatcalc.compare({**stove_home("kerosene", kind="furnace", prices={"kerosene": 4.6}),
                             "economics": {"current": "furnace"}})
    assert kero.home.economics.escalation["kerosene"] == trend["heating_oil"]


def test_what_is_not_a_stove_and_what_has_no_default_is_said():
    with pytest.raises(ProfileError) as err:
        heatcalc.compare(stove_home("natural_gas"))
    assert "systems.furnace.kind" in str(err.value) and "not natural gas" in str(err.value)
    with pytest.raises(ProfileError) as err:
        heatcalc.compare(stove_home("coal", kind="insert", prices={"coal": 300}))
    assert "insert burns wood or pellets" in str(err.value)
    with pytest.raises(ProfileError) as err:
        heatcalc.compare(stove_home("coal", prices={"coal": 300}))
    assert "systems.furnace.afue" in str(err.value) and "no cited default" in str(err.value)
    with pytest.raises(ProfileError) as err:
        heatcalc.compare({"location": {"zip": "17101"}, "heating_load": {"from_bills": {"fuel": "coal",
                                                                                         "amount": "3 ton"}}})
    assert "heating_load.from_bills.efficiency" in str(err.value)


def test_a_wood_home_costs_nothing_to_keep_and_says_it_has_no_cost_data_to_buy():
    keep = heatcalc.compare({**stove_home(), "systems": {"furnace": {"kind": "stove", "fuel": "wood"},
                                                          "heat_pump": {"hspf2": 9}},
                             "economics": {"current": "furnace"}})
    assert keep.result("furnace").installed_cost_usd == 0.0
    with pytest.raises(ProfileError) as err:
        heatcalc.compare({**stove_home(), "economics": {"current": "furnace", "replace_current": True}})
    assert "economics.installed_cost.furnace" in str(err.value)


def test_batch_rows_for_wood_homes_are_the_compare_rows(tmp_path):
    table = tmp_path / "homes.csv"
    table.write_text("home,location.zip,heating_load.annual,systems.furnace.kind,systems.furnace.fuel,prices.pellets\n"
                     "w,05602,40 MMBtu,stove,wood,\n"
                     "p,04401,40 MMBtu,stove,pellets,320\n"
                     "g,02134,40 MMBtu,,natural_gas,\n"
                     "x,04401,40 MMBtu,stove,pellets,\n")
    result = CliRunner().invoke(app, ["batch", "--homes", str(table), "--format", "json"])
    assert result.exit_code == 3  # one home failed, the others ran
    assert "prices.pellets" in result.stderr and "(home x)" in result.stderr
    rows = json.loads(result.stdout)
    for home, fuel, price in (("w", "wood", {}), ("p", "pellets", {"pellets": 320})):
        zip_code = "05602" if home == "w" else "04401"
        single = heatcalc.compare({"location": {"zip": zip_code}, "heating_load": {"annual": "40 MMBtu"},
                                   "systems": {"furnace": {"kind": "stove", "fuel": fuel}}, "prices": price})
        got = [r for r in rows if r["home"] == home]
        for g, r in zip(got, single.rows):
            assert g["annual_cost_usd"] == pytest.approx(r.annual_cost_usd, rel=1e-9)
            assert g["biogenic_co2_kg"] == pytest.approx(r.biogenic_co2_kg, rel=1e-9)
    assert all(r["biogenic_co2_kg"] == 0.0 for r in rows if r["home"] == "g")


def test_the_table_and_the_sweep_and_si_units(tmp_path):
    path = tmp_path / "stove.yaml"
    path.write_text(json.dumps(stove_home("pellets", prices={"pellets": "320 $/ton"})))
    out = CliRunner().invoke(app, ["compare", str(path)])
    assert "Pellet stove" in out.stdout and "3.3 ton" in out.stdout and "biogenic" in out.stdout
    doc = json.loads(CliRunner().invoke(app, ["compare", str(path), "--format", "json"]).stdout)
    doc = doc[0] if isinstance(doc, list) else doc
    assert doc["inputs"]["systems"]["furnace"]["kind"] == "stove"  # the JSON says what the home has
    si = CliRunner().invoke(app, ["compare", str(path), "--units", "si", "--format", "json"])
    row = json.loads(si.stdout)[0]["rows"][0] if si.stdout.lstrip().startswith("[") else \
        json.loads(si.stdout)["rows"][0]
    assert row["fuel_unit"] == "t" and row["fuel_use"] == pytest.approx(40 / 0.74 / 16.5 * 0.90718474)
    sweep = CliRunner().invoke(app, ["sweep", str(path), "--vary", "prices.pellets=250,400", "--format", "csv"])
    assert sweep.exit_code == 0, sweep.stderr
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(sweep.stdout)))
    # 3.2760 ton at $250 and $400, with the stove's 120 kWh at $0.20
    tons = 40 / 0.74 / 16.5
    assert [float(r["annual_cost_usd"]) for r in rows] == pytest.approx([tons * 250 + 24, tons * 400 + 24])


def test_the_stove_starter_runs(tmp_path):
    for args in ([], ["--fuel", "pellets"], ["--bills", "5 cord"]):
        result = CliRunner().invoke(app, ["init", "--stove", "--zip", "05602", *args])
        assert result.exit_code == 0, result.stderr
        path = tmp_path / "home.yaml"
        path.write_text(result.stdout)
        out = CliRunner().invoke(app, ["compare", str(path), "--format", "json"])
        assert out.exit_code == 0, out.stderr
        rows = json.loads(out.stdout)
        rows = (rows[0] if isinstance(rows, list) else rows)["rows"]
        stove = [r for r in rows if r["system"] == "furnace"][0]
        assert stove["fuel"] == ("pellets" if "pellets" in args else "wood")
    assert "kind: stove" in result.stdout and "distribution: ductless" in result.stdout
    bad = CliRunner().invoke(app, ["init", "--stove", "--bills", "3 ton"])
    assert bad.exit_code != 0 and "pellets or coal" in bad.stderr
