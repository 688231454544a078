"""A command line that fits people's habits (issue "A command line and library that fit people's habits", first
part): -h, examples in every command's help, shell completion, -o on compare and sweep, check on a folder, and a
starter profile that shows every section and fills in the ZIP and the bills."""

import json
import shlex

import pytest
from typer.testing import CliRunner

import heatcalc
from heatcalc.cli import EXAMPLES, app
from heatcalc.starter import starter_profile

from .conftest import ROOT

runner = CliRunner()
COMMANDS = ("compare", "check", "init", "stations", "prices", "batch", "sweep", "rating", "size", "report", "costs",
            "incentives", "schema")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_dash_h_and_ends_its_help_with_examples(command):
    r = runner.invoke(app, [command, "-h"], env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.output
    tail = r.stdout[r.stdout.index("Examples:"):]
    examples = [line.strip() for line in tail.splitlines()[1:] if line.strip()]
    assert len(examples) >= 1 and all(e.startswith(f"heatcalc {command}") for e in examples)
    assert examples == [line.strip() for line in EXAMPLES[command].splitlines()[2:]]


def test_the_examples_in_the_help_run(tmp_path, monkeypatch):
    # every example that names only files we can make here runs as written
    monkeypatch.chdir(tmp_path)
    (tmp_path / "home.yaml").write_text((ROOT / "profiles" / "boston-gas.yaml").read_text())
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "boston-gas.yaml").write_text((ROOT / "profiles" / "boston-gas.yaml").read_text())
    (tmp_path / "clients").mkdir()
    (tmp_path / "clients" / "a.yaml").write_text((ROOT / "profiles" / "denver-gas.yaml").read_text())
    ran = 0
    for command in ("compare", "check", "sweep", "size", "costs", "incentives", "stations", "prices"):
        for line in EXAMPLES[command].splitlines()[2:]:
            args = shlex.split(line.strip())[1:]
            if ">" in args:
                args = args[:args.index(">")]
            r = runner.invoke(app, args, env={"COLUMNS": "120"})
            assert r.exit_code == 0, (line, r.output)
            ran += 1
    assert ran >= 12


def test_shell_completion_can_be_installed():
    r = runner.invoke(app, ["--help"])
    assert "--install-completion" in r.stdout and "--show-completion" in r.stdout


def test_compare_and_sweep_write_to_a_file(tmp_path, cli):
    profile = ROOT / "profiles" / "boston-gas.yaml"
    out = tmp_path / "rows.csv"
    proc = cli("compare", profile, "-f", "csv", "-o", out)
    assert proc.returncode == 0 and proc.stdout == "" and f"Wrote {out}" in proc.stderr
    assert out.read_text() == cli("compare", profile, "-f", "csv").stdout
    table = tmp_path / "table.txt"
    assert cli("compare", profile, "-o", table).returncode == 0 and "Heat pump" in table.read_text()
    sweep = tmp_path / "sweep.json"
    proc = cli("sweep", profile, "--vary", "prices.electricity=0.1:0.3:0.1", "-f", "json", "-o", sweep)
    assert proc.returncode == 0 and json.loads(sweep.read_text())["points"]
    # an output that is the profile itself is refused, and the profile is untouched
    copy = tmp_path / "p.yaml"
    copy.write_text(profile.read_text())
    for args in (("compare", copy, "-o", copy), ("sweep", copy, "--vary", "prices.electricity=0.1,0.2", "-o", copy)):
        proc = cli(*args)
        assert proc.returncode == 2 and "is one of the inputs" in proc.stderr
        assert copy.read_text() == profile.read_text()


def test_check_takes_a_folder_as_batch_does(tmp_path, cli):
    (tmp_path / "a.yaml").write_text((ROOT / "profiles" / "denver-gas.yaml").read_text())
    (tmp_path / "b.yml").write_text((ROOT / "profiles" / "seattle-oil.yaml").read_text())
    proc = cli("check", tmp_path)
    assert proc.returncode == 0 and proc.stdout.count("ok: ") == 2
    (tmp_path / "c.yaml").write_text("location: {zip: '02134'}\nheating_load: {annual: -5 MMBtu}\n")
    proc = cli("check", tmp_path)
    assert proc.returncode == 2 and "c.yaml" in proc.stderr and proc.stdout == ""
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("check", empty).returncode == 2


def test_init_shows_every_section_and_fills_in_what_it_is_told(tmp_path, cli):
    text = starter_profile()
    for section in ("cooling_load", "ducts", "tariff", "fixed_charges", "base_use", "solar", "household",
                    "economics", "emissions", "prices"):
        assert f"\n# {section}:" in text
    path = tmp_path / "home.yaml"
    proc = cli("init", path, "--zip", "60601", "--bills", "850 therm")
    assert proc.returncode == 0, proc.stderr
    p = heatcalc.load_profile(path)
    assert p.location.zip == "60601" and p.heating_load.from_bills.fuel == "natural_gas"
    assert p.heating_load.from_bills.amount == pytest.approx(850 * 100_000)  # therms in Btu
    oil = tmp_path / "oil.yaml"
    assert cli("init", oil, "--zip", "05401", "--bills", "600 gal", "--fuel", "heating_oil").returncode == 0
    assert heatcalc.compare(oil).result("furnace").energy.fuel == "heating_oil"
    bad = cli("init", "--bills", "600 gal")
    assert bad.returncode == 2 and "--fuel" in bad.stderr
    assert cli("init", path).returncode == 2  # exists: --force to overwrite


def test_messages_for_the_slips_people_make(write, cli):
    # a YAML tab ("found character that cannot start any token") says it is a tab, and where
    proc = cli("compare", write("tab.yaml", "location: {zip: '02134'}\nheating_load:\n\tannual: 60 MMBtu\n"))
    assert proc.returncode == 2 and "tab.yaml:3: a tab at column 1" in proc.stderr and "spaces" in proc.stderr
    # a thousands comma in a flow mapping was "systems.heat_pump.000 Btu/h: unknown key"
    proc = cli("compare", write("c.yaml", "location: {zip: '02134'}\nheating_load: {annual: 60 MMBtu}\n"
                                          "systems: {heat_pump: {capacity: 36,000 Btu/h}}\n"))
    assert proc.returncode == 2 and "thousands comma" in proc.stderr and "(36000 Btu/h)" in proc.stderr
    assert "unknown key" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    # a price in cents
    proc = cli("compare", write("p.yaml", "location: {zip: '02134'}\nheating_load: {annual: 60 MMBtu}\n"
                                          "prices: {electricity: 22}\n"))
    assert proc.returncode == 2 and "if you meant 22 cents, write 0.22" in proc.stderr


def test_explain_never_cuts_a_fields_name(cli):
    proc = cli("compare", ROOT / "profiles" / "minneapolis-propane.yaml", "--explain", env={"COLUMNS": "80"})
    assert proc.returncode == 0
    table = proc.stdout[proc.stdout.index("Assumptions and defaults used"):]
    assert "…" not in table and "systems.heat_pump.performance" in table


def test_version_says_what_data_it_holds(cli):
    proc = cli("--version")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("heatcalc ") and any("TMY3" in x for x in lines)
    assert any("price year 2023" in x for x in lines) and any("eGRID2023" in x for x in lines)
    assert any("snapshot 2026-08-06" in x for x in lines)


def test_every_result_gives_a_frame():
    pytest.importorskip("pandas")
    profile = ROOT / "profiles" / "boston-gas.yaml"
    sweep = heatcalc.sweep(profile, "prices.electricity=0.1,0.2")
    frame = sweep.to_frame()
    assert len(frame) == len(sweep.rows()) and list(frame.columns[:2]) == ["prices.electricity", "cheapest"]
    size = heatcalc.size(profile)
    assert size.to_frame()["nominal_btu_per_h"].tolist() == [r["nominal_btu_per_h"] for r in size.rows()]
    costs = heatcalc.installed_costs("3 ton")
    assert costs.to_frame()["typical_usd"].tolist() == [r["typical_usd"] for r in costs]
    assert len(heatcalc.stations(state="MA").to_frame()) == len(heatcalc.stations(state="MA"))
    assert heatcalc.prices("MA").to_frame().shape[0] == 1
    finding = heatcalc.find_incentives("02134")
    assert finding.to_frame()["id"].tolist() == [r.id for r in finding.rows]


def test_batch_writes_the_columns_asked_for(tmp_path, cli):
    profiles = [ROOT / "profiles" / "boston-gas.yaml", ROOT / "profiles" / "denver-gas.yaml"]
    full = list(csv_rows(cli("batch", *profiles).stdout))
    proc = cli("batch", *profiles, "--columns", "home,system,annual_cost_usd")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv_rows(proc.stdout))
    assert list(rows[0]) == ["home", "system", "annual_cost_usd"]
    assert [(r["home"], r["system"], r["annual_cost_usd"]) for r in rows] == \
        [(r["home"], r["system"], r["annual_cost_usd"]) for r in full]
    table = tmp_path / "homes.csv"
    table.write_text("home,location.zip,heating_load.annual\na,02134,60 MMBtu\n")
    ndjson = cli("batch", "--homes", table, "--columns", "system,total_cost_usd", "-f", "ndjson")
    assert [set(json.loads(x)) for x in ndjson.stdout.splitlines()] == [{"system", "total_cost_usd"}] * 3
    bad = cli("batch", *profiles, "--columns", "home,total_cost")
    assert bad.returncode == 2 and "did you mean total_cost_usd" in bad.stderr and bad.stdout == ""


def csv_rows(text):
    import csv
    import io

    return csv.DictReader(io.StringIO(text))


def test_frames_say_what_is_missing_and_type_what_is_there():
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    home = {"location": {"zip": "02134"}, "heating_load": {"annual": "60 MMBtu"}, "economics": {"current": "furnace"}}
    comparison = heatcalc.compare(home)
    frame = comparison.to_frame().set_index("system")
    rows = {r.system: r for r in comparison.rows}
    # no fuel is NA, not ''
    assert frame.loc["heat_pump", "fuel"] is pd.NA and frame.loc["furnace", "fuel"] == "natural_gas"
    # peak_hour: the CSV's "MM-DD HH:00" as a timestamp of the typical year's calendar (2023)
    month_day, hour = rows["heat_pump"].peak_hour.split()
    assert frame.loc["heat_pump", "peak_hour"] == pd.Timestamp(f"2023-{month_day} {hour}")
    # counts are integers, equal to the rows' values
    assert str(frame["backup_hours"].dtype) == "Int64"
    assert frame.loc["heat_pump", "backup_hours"] == rows["heat_pump"].backup_hours
    # payback: the current system has none (NA); an option that saves nothing never pays back (inf); either way the
    # CSV row holds None, and the frame tells them apart
    assert rows["furnace"].simple_payback_years is None and pd.isna(frame.loc["furnace", "simple_payback_years"])
    loses = [s for s, r in rows.items() if s != "furnace" and r.npv_vs_current_usd is not None
             and r.total_cost_usd >= rows["furnace"].total_cost_usd]
    assert loses  # resistance heat costs more to run than gas in Boston
    for system in loses:
        assert rows[system].simple_payback_years is None and frame.loc[system, "simple_payback_years"] == np.inf
    # a home with no economics: payback missing (NA), not never
    plain = heatcalc.compare({k: v for k, v in home.items() if k != "economics"}).to_frame()
    assert plain["simple_payback_years"].isna().all() and not np.isinf(plain["simple_payback_years"]).any()
    # compare_frame and a sweep type their columns as to_frame does
    table = heatcalc.compare_frame(pd.DataFrame({"location.zip": ["02134"], "heating_load.annual": ["60 MMBtu"],
                                                 "economics.current": ["furnace"]}))
    assert {c: str(table.dtypes[c]) for c in frame.columns} == {c: str(frame.dtypes[c]) for c in frame.columns}
    assert (table.set_index("system")["simple_payback_years"].fillna(-1) == frame["simple_payback_years"].fillna(-1)
            ).all()
    sweep = heatcalc.sweep(ROOT / "profiles" / "boston-gas.yaml", "prices.electricity=0.1,0.3").to_frame()
    assert str(sweep["peak_hour"].dtype).startswith("datetime64") and str(sweep["cheapest"].dtype) == "boolean"
    assert sweep["cheapest"].iloc[-1] is pd.NA  # the break-even row names no cheapest system
    # incentives: dates as timestamps, a missing date or income limit NA
    offers = heatcalc.find_incentives("02134").to_frame()
    assert str(offers["start_date"].dtype).startswith("datetime64") and offers["end_date"].isna().any()
    assert str(offers["income_limit_usd"].dtype) == "float64" and str(offers["id"].dtype) == "string"


def test_rows_of_a_table_without_names_are_named_by_their_row_number(tmp_path, cli):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"location.zip": ["02134", "60601"], "heating_load.annual": ["60 MMBtu"] * 2},
                         index=["h00000", "h00001"])
    out = heatcalc.compare_frame(frame)
    # the home keeps the index's label; its profile is the row it came from, counted as df.iloc counts
    assert out["home"].unique().tolist() == ["h00000", "h00001"]
    assert out["profile"].unique().tolist() == ["row 0", "row 1"]
    # the same on the per-home route (economics sends a row home by home)
    out = heatcalc.compare_frame(frame.assign(**{"economics.current": "furnace"}))
    assert out["profile"].unique().tolist() == ["row 0", "row 1"]
    # a CSV table with a home column: profiles are the rows' numbers (1 = first row after the header)
    table = tmp_path / "homes.csv"
    table.write_text("home,location.zip,heating_load.annual\nh00000,02134,60 MMBtu\nh00001,60601,60 MMBtu\n")
    proc = cli("batch", "--homes", table)
    assert proc.returncode == 0, proc.stderr
    assert sorted({(r["home"], r["profile"]) for r in csv_rows(proc.stdout)}) == [("h00000", "row 1"),
                                                                                 ("h00001", "row 2")]


def test_a_table_given_as_a_profile_says_to_use_homes(tmp_path, cli):
    table = tmp_path / "homes.csv"
    table.write_text("location.zip,heating_load.annual\n02134,60 MMBtu\n")
    for command in ("compare", "check", "batch"):
        proc = cli(command, table)
        assert proc.returncode != 0 and "Traceback" not in proc.stderr
        assert f"is a homes table, not a YAML profile: run it with heatcalc batch --homes {table}" in proc.stderr


def test_units_si_is_one_switch_over_every_output(tmp_path, cli):
    gas, oil = ROOT / "profiles" / "boston-gas.yaml", ROOT / "profiles" / "seattle-oil.yaml"
    us = {(r["profile"], r["system"]): r for r in csv_rows(cli("compare", gas, oil, "-f", "csv").stdout)}
    proc = cli("compare", gas, oil, "-f", "csv", "--units", "si")
    assert proc.returncode == 0, proc.stderr
    si = {(r["profile"], r["system"]): r for r in csv_rows(proc.stdout)}
    assert set(si) == set(us)
    first = next(iter(si.values()))
    assert {"heat_delivered_gj", "cost_per_gj_usd", "peak_outdoor_c", "unmet_heat_gj"} <= set(first)
    assert not {"heat_delivered_mmbtu", "cost_per_mmbtu_usd", "peak_outdoor_f"} & set(first)
    for key, row in si.items():
        old = us[key]
        # 1 Btu = 1055.05585262 J (NIST SP 811): 1 MMBtu = 1.05505585 GJ
        assert float(row["heat_delivered_gj"]) == pytest.approx(float(old["heat_delivered_mmbtu"]) * 1.05505585262)
        assert float(row["cost_per_gj_usd"]) == pytest.approx(float(old["cost_per_mmbtu_usd"]) / 1.05505585262)
        assert float(row["peak_outdoor_c"]) == pytest.approx((float(old["peak_outdoor_f"]) - 32) * 5 / 9)
        # what is already SI (kWh, kg, $) is the same figure
        assert row["electricity_kwh"] == old["electricity_kwh"] and row["annual_cost_usd"] == old["annual_cost_usd"]
        if old["fuel_unit"] == "therm":  # 1 therm = 100,000 Btu; gas at 1,036 Btu/ft3 (EIA), 35.3147 ft3/m3
            assert row["fuel_unit"] == "m3"
            assert float(row["fuel_use"]) == pytest.approx(float(old["fuel_use"]) * 1e5 / (1036 * 35.3146667))
        elif old["fuel_unit"] == "gal":  # 1 US gal = 3.785411784 L
            assert row["fuel_unit"] == "L"
            assert float(row["fuel_use"]) == pytest.approx(float(old["fuel_use"]) * 3.785411784)
    assert {r["fuel_unit"] for r in si.values()} == {"", "m3", "L"}
    # the table says GJ and m3; JSON renames its keys and says which units it used
    table = cli("compare", gas, "--units", "si").stdout
    assert "GJ/yr" in table and " m3 " in table and "MMBtu" not in table and "therm " not in table.split("Prices")[0]
    doc = json.loads(cli("compare", gas, "--units", "si", "-f", "json", "--monthly").stdout)[0]
    assert doc["units"] == "si" and "heat_needed_gj" in doc["summary"] | doc["inputs"]["heating_load"]
    assert "design_temp_c" in doc["inputs"]["heating_load"] and "ua_w_per_k" in doc["inputs"]["heating_load"]
    assert "heat_delivered_gj" in doc["monthly"][0]
    # hourly: Btu as kWh of heat, F as C
    hourly = tmp_path / "hours.csv"
    cli("compare", gas, "--units", "si", "--hourly", hourly)
    first_hour = next(csv_rows(hourly.read_text()))
    assert {"outdoor_c", "load_kwh", "heat_pump_heat_kwh", "backup_heat_kwh"} <= set(first_hour)
    # batch: the same figures in CSV, Parquet, and under --columns named either way
    batch = {(r["profile"], r["system"]): r for r in csv_rows(cli("batch", gas, oil, "--units", "si").stdout)}
    assert all(batch[k]["heat_delivered_gj"] == si[k]["heat_delivered_gj"] and batch[k]["fuel_use"] ==
               si[k]["fuel_use"] for k in si)
    picked = cli("batch", gas, "--units", "si", "--columns", "system,fuel_use,fuel_unit,peak_outdoor_f")
    assert picked.stdout.splitlines()[0] == "system,fuel_use,fuel_unit,peak_outdoor_c"
    pd = pytest.importorskip("pandas")
    out = tmp_path / "rows.parquet"
    assert cli("batch", gas, oil, "--units", "si", "-o", out).returncode == 0
    frame = pd.read_parquet(out)
    assert "heat_delivered_gj" in frame.columns and set(frame.fuel_unit) == {"", "m3", "L"}
