"""The Python API and inputs that used to give a wrong answer, a traceback or a wrong exit: profiles changed or
built in code, self-referential data, numpy scalars, compare_frame's arguments, Parquet column names and folders,
scheduler addresses, decimal commas, load series read once, unmet heat that must not win."""

import os
import subprocess
import sys

import numpy as np
import pytest

import heatcalc
from heatcalc.profile import HeatingLoad, Location, Profile

from .conftest import ROOT

BOSTON = ROOT / "profiles" / "boston-gas.yaml"


def test_a_replaced_profile_keeps_its_change_with_other_overrides():
    # The case: HSPF2 10 set with .replace() was computed as the file's 8.1 when an override was also given.
    p = heatcalc.load_profile(BOSTON)
    q = p.replace(systems=p.systems.replace(heat_pump=p.systems.heat_pump.replace(hspf2=10)))
    alone = heatcalc.compare(q)
    with_override = heatcalc.compare(q, **{"systems.furnace.afue": 0.9})
    many = list(heatcalc.compare_many([q], **{"systems.furnace.afue": 0.9}))[0]
    base = heatcalc.compare(p)
    assert alone.rows[0].electricity_kwh < base.rows[0].electricity_kwh  # a better unit uses less
    assert with_override.rows[0].electricity_kwh == pytest.approx(alone.rows[0].electricity_kwh, rel=1e-12)
    assert many.rows[0].electricity_kwh == pytest.approx(alone.rows[0].electricity_kwh, rel=1e-12)
    assert with_override.home.furnace.afue == 0.9
    # and the same unit written in YAML gives the same answer
    direct = heatcalc.compare(BOSTON, **{"systems.heat_pump.hspf2": 10})
    assert direct.rows[0].electricity_kwh == pytest.approx(alone.rows[0].electricity_kwh, rel=1e-12)


def test_a_profile_built_in_code_is_validated_like_yaml():
    # HeatingLoad(annual=60) was 60 Btu ($0.00 a year); a bare number takes the field's documented unit, MMBtu.
    code = heatcalc.compare(Profile(location=Location(zip="02134"), heating_load=HeatingLoad(annual=60)))
    yaml = heatcalc.compare({"location": {"zip": "02134"}, "heating_load": {"annual": "60 MMBtu"}})
    assert code.rows[0].heat_delivered_mmbtu == pytest.approx(60.0)
    assert code.rows[0].annual_cost_usd == pytest.approx(yaml.rows[0].annual_cost_usd)
    with pytest.raises(heatcalc.ProfileError) as err:
        heatcalc.compare(Profile(location=Location(zip="02134"), heating_load=HeatingLoad(annual="lots")))
    assert err.value.problems[0].field == "heating_load.annual"
    with pytest.raises(heatcalc.ProfileError) as err:
        heatcalc.compare(Profile(location=Location(zip="02134"), heating_load=5))
    assert err.value.problems[0].field == "heating_load"


def test_one_bad_profile_never_loses_the_rest_of_its_chunk():
    items = [BOSTON, 5, object(), {"location": {"zip": "02134"}, "heating_load": {"annual": "60 MMBtu"}}]
    out = list(heatcalc.compare_many(items))
    assert len(out) == 4
    assert not isinstance(out[0], heatcalc.ProfileError) and not isinstance(out[3], heatcalc.ProfileError)
    assert isinstance(out[1], heatcalc.ProfileError) and isinstance(out[2], heatcalc.ProfileError)


def test_deep_and_self_referential_data_is_a_profile_error():
    loop = {"location": {"zip": "02134"}, "heating_load": {"annual": 60}}
    loop["x-self"] = loop
    deep: dict = {}
    node = deep
    for _ in range(5000):
        node["a"] = {}
        node = node["a"]
    for data in (loop, {"location": deep, "heating_load": {"annual": 60}}):
        with pytest.raises(heatcalc.ProfileError, match="deeper than 20 levels"):
            heatcalc.compare(data)
        (result,) = list(heatcalc.compare_many([data]))
        assert isinstance(result, heatcalc.ProfileError)


def test_numpy_scalars_are_numbers():
    c = heatcalc.compare({"location": {"zip": "02134"}, "heating_load": {"annual": np.int64(60)},
                          "systems": {"heat_pump": {"hspf2": np.float64(9.0)}, "furnace": {"afue": np.float32(0.9)}}})
    assert c.rows[0].heat_delivered_mmbtu == pytest.approx(60.0)
    assert c.home.furnace.afue == pytest.approx(0.9, rel=1e-6)


def test_compare_frame_refuses_bad_arguments_and_reads_a_defaults_path(tmp_path):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"location.zip": ["02134"], "heating_load.annual": ["60 MMBtu"]})
    for bad in ({"defaults": 5}, {"prices": 5}, {"defaults": [1, 2]}):
        with pytest.raises(TypeError, match="compare_frame"):
            heatcalc.compare_frame(df, **bad)
    base = tmp_path / "base.yaml"
    base.write_text("systems:\n  heat_pump: {hspf2: 10}\n")
    by_path = heatcalc.compare_frame(df, defaults=str(base))
    by_dict = heatcalc.compare_frame(df, defaults={"systems": {"heat_pump": {"hspf2": 10}}})
    assert by_path["electricity_kwh"].tolist() == by_dict["electricity_kwh"].tolist()
    assert by_path["error"].isna().all()


def test_a_column_name_with_spaces_is_its_field(tmp_path):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({" location.state ": ["MA"], "heating_load.annual": ["60 MMBtu"]})
    out = heatcalc.compare_frame(df)
    assert out["error"].isna().all() and len(out) == 3
    path = tmp_path / "homes.parquet"
    df.to_parquet(path)
    proc = subprocess.run([sys.executable, "-m", "heatcalc", "batch", "--homes", str(path)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 4


def test_a_hive_style_folder_of_parquet_parts_is_read(tmp_path):
    pd = pytest.importorskip("pandas")
    for state in ("MA", "NY"):
        folder = tmp_path / "parts" / f"state={state}"
        folder.mkdir(parents=True)
        pd.DataFrame({"location.state": [state], "heating_load.annual": ["60 MMBtu"]}).to_parquet(
            folder / "part.0.parquet")
    proc = subprocess.run([sys.executable, "-m", "heatcalc", "batch", "--homes", str(tmp_path / "parts")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 1 + 2 * 3


@pytest.mark.parametrize("address", ["notaurl", "", "http://x", "tcp://host"])
def test_a_bad_scheduler_address_is_exit_2_at_once(tmp_path, address):
    table = tmp_path / "homes.csv"
    table.write_text("location.zip,heating_load.annual\n02134,60 MMBtu\n")
    proc = subprocess.run([sys.executable, "-m", "heatcalc", "batch", "--homes", str(table), "--scheduler", address],
                          capture_output=True, text=True, timeout=15)
    assert proc.returncode == 2 and "not a scheduler address" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize("size, ok", [("3,5 ton", False), ("3.5 ton", True), ("36,000 Btu/h", True),
                                      ("1,2,3 ton", False)])
def test_a_decimal_comma_is_refused_not_read_as_thousands(size, ok, cli):
    r = cli("costs", "--size", size, "--format", "csv")
    if ok:
        assert r.returncode == 0
    else:
        assert r.returncode == 2 and "write a decimal with a point" in r.stderr


def test_a_load_series_from_a_named_pipe_is_read_once_by_report_and_sweep(tmp_path):
    c = heatcalc.compare(ROOT / "profiles" / "denver-gas.yaml")
    text = "q\n" + "\n".join(repr(float(v)) for v in c.home.heat_load_btu_per_h()) + "\n"
    fifo = tmp_path / "load.csv"
    os.mkfifo(fifo)
    profile = tmp_path / "home.yaml"
    profile.write_text("location: {zip: '80205'}\nheating_load:\n  hourly: {file: load.csv, column: q, unit: Btu/h}\n"
                       "systems:\n  heat_pump: {hspf2: 9}\n  furnace: {fuel: natural_gas, afue: 0.95}\n")
    for args in (["report", str(profile), "-o", str(tmp_path / "r.html")],
                 ["sweep", str(profile), "--vary", "prices.electricity=0.1:0.3:0.1", "--format", "csv"]):
        writer = subprocess.Popen(["sh", "-c", f"cat > {fifo}"], stdin=subprocess.PIPE)
        proc = subprocess.Popen([sys.executable, "-m", "heatcalc", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        writer.communicate(text.encode(), timeout=60)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err


def test_unmet_heat_never_wins_the_verdict(tmp_path, cli):
    # The case: a 2-ton heat pump, no strips, 20 F cut-out, in Minneapolis: half the heat unmet, was
    # "Cheapest to run ... saves $429 a year".
    p = tmp_path / "mpls.yaml"
    p.write_text("location: {zip: '55401'}\nheating_load: {annual: 90 MMBtu}\nsystems:\n  heat_pump: {hspf2: 8.5, "
                 "capacity: 2 ton, cutoff: 20 F, backup_capacity: 0 kW}\n  furnace: {fuel: propane, afue: 0.95}\n"
                 "economics: {current: furnace}\n")
    c = heatcalc.compare(p)
    hp = c.result("heat_pump")
    assert hp.unmet_heat_share > 0.4 and not hp.meets_load and c.rows[0].meets_load is False
    assert c.summary.cheapest == "furnace" and c.summary.heat_pump_savings_usd == {}
    assert c.summary.breakeven_electricity_usd_per_kwh == {} and c.summary.breakeven_seasonal_cop is None
    assert c.rows[0].npv_vs_current_usd is None and c.rows[0].simple_payback_years is None
    table = cli("compare", p)
    assert "Heat pump*" in table.stdout and "not ranked and saves nothing" in table.stdout
    assert "saves $" not in table.stdout
    import csv as _csv
    import io as _io

    rows = list(_csv.DictReader(_io.StringIO(cli("batch", p, "--format", "csv").stdout)))
    assert [r["meets_load"] for r in rows] == ["False", "True", "True"]
    # heatcalc size gives the strips for this very unit, and with them it meets the load
    import csv
    import io

    sized = list(csv.DictReader(io.StringIO(cli("size", p, "--format", "csv").stdout)))
    own = next(r for r in sized if r["unit"] == "profile")
    strips = float(own["backup_strip_kw"])
    p.write_text(p.read_text().replace("backup_capacity: 0 kW", f"backup_capacity: {strips} kW"))
    fixed = heatcalc.compare(p)
    assert fixed.result("heat_pump").meets_load and fixed.result("heat_pump").energy.unmet_btu == 0.0


def test_ducts_put_every_row_on_heat_delivered_to_the_rooms(tmp_path):
    # A furnace through 0.8 ducts makes 1/0.8 of the rooms' heat; its heat_delivered is the rooms' (hand check:
    # every system delivers the same heat, and the furnace's cost per MMBtu = cost / rooms' heat).
    p = tmp_path / "h.yaml"
    p.write_text("location: {zip: '60601'}\nheating_load: {annual: 60 MMBtu}\nducts: {efficiency: 0.8}\n"
                 "systems:\n  heat_pump: {hspf2: 9, distribution: ductless}\n  furnace: {fuel: natural_gas, afue: 0.95}\n")
    rows = {r.system: r for r in heatcalc.compare(p).rows}
    for r in rows.values():
        assert r.heat_delivered_mmbtu == pytest.approx(60.0, rel=1e-9)
        assert r.cost_per_mmbtu_usd == pytest.approx(r.annual_cost_usd / 60.0, rel=1e-9)
    assert rows["furnace"].fuel_use == pytest.approx(60e6 / 0.8 / 0.95 / 1e5, rel=1e-9)  # therm


def test_a_design_load_with_duct_losses_is_not_charged_twice(tmp_path):
    # Chicago 48,000 Btu/h design with 0.8 ducts: the includes_ducts load gives 0.8 of the other's furnace therms
    # (the furnace makes the design load itself, not design / 0.8).
    def therm(includes):
        p = tmp_path / "h.yaml"
        p.write_text("location: {zip: '60601'}\nheating_load:\n  design: {load: 48000 Btu/h, outdoor: -4 F"
                     + (", includes_ducts: true" if includes else "") + "}\nducts: {efficiency: 0.8}\n"
                     "systems:\n  furnace: {fuel: natural_gas, afue: 0.95}\n")
        return heatcalc.compare(p).result("furnace").energy.fuel_units

    assert therm(True) == pytest.approx(0.8 * therm(False), rel=1e-9)


def test_hourly_output_has_cooling_and_clock_time_with_offset(tmp_path, cli):
    import csv
    import io

    out = cli("compare", ROOT / "profiles" / "sacramento-tou-economics.yaml", "--hourly", "-").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    hp = [r for r in rows if r["system"] == "heat_pump"]
    assert len(hp) == 8760
    assert hp[0]["time"] == "2023-01-01T00:00-08:00" and hp[0]["hour"] == "01-01 01:00"
    july = next(r for r in hp if r["time"].startswith("2023-07-01T13:00"))
    assert july["time"] == "2023-07-01T13:00-07:00"  # daylight saving time: clock an hour ahead, UTC-7
    c = heatcalc.compare(ROOT / "profiles" / "sacramento-tou-economics.yaml")
    want = c.result("heat_pump")
    assert sum(float(r["cooling_electricity_kwh"]) for r in hp) == pytest.approx(want.cooling_electricity_kwh,
                                                                                rel=1e-9)
    assert sum(float(r["cooling_cost_usd"]) for r in hp) == pytest.approx(want.cooling_cost_usd, rel=1e-9)


def test_the_scale_docs_recipe_compare_frame_dask_to_parquet(tmp_path):
    # docs/scale.md: compare_frame(dask_df).to_parquet(...) failed with ArrowInvalid on object-dtype text columns
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    df = pd.DataFrame({"home": ["a", "b", "c"], "location.zip": ["02134", "99999", "60601"],
                       "heating_load.annual": ["60 MMBtu"] * 3})
    out = heatcalc.compare_frame(dd.from_pandas(df, npartitions=2))
    out.to_parquet(tmp_path / "out", write_index=False)
    back = pd.read_parquet(tmp_path / "out")
    eager = heatcalc.compare_frame(df)
    assert back["home"].tolist() == eager["home"].tolist()
    assert back["electricity_kwh"].fillna(-1).tolist() == eager["electricity_kwh"].fillna(-1).tolist()
    assert back["error"].notna().sum() == 1 and "99999" in back["error"].dropna().iloc[0]


def test_an_integer_too_large_for_a_float_is_a_profile_error():
    with pytest.raises(heatcalc.ProfileError, match="401-digit integer"):
        heatcalc.compare({"location": {"zip": "02134"}, "heating_load": {"annual": 10 ** 400}})
