"""The CLI through Typer's runner: exit codes, exact CSV, JSON, empty stdout on error, messages on stderr."""

import csv
import io
import datetime
import json

import pytest
from typer.testing import CliRunner

from heatcalc.cli import app
from heatcalc.results import COLUMNS

from .conftest import PROFILES, ROOT

runner = CliRunner()
BOSTON = str(ROOT / "profiles" / "boston-gas.yaml")


def run(*args):
    return runner.invoke(app, list(args))


def test_compare_csv_columns_and_rows():
    r = run("compare", BOSTON, "--format", "csv")
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert tuple(rows[0].keys()) == COLUMNS
    assert [row["system"] for row in rows] == ["heat_pump", "furnace", "electric_resistance"]
    heat = {float(row["heat_delivered_mmbtu"]) for row in rows}
    assert len(heat) == 1  # every system delivers the same heat
    # (780 − 180) therm × 0.80 = 480 therm = 48 MMBtu; the furnace at AFUE 0.80 burns 600 therm
    assert float(rows[0]["heat_delivered_mmbtu"]) == pytest.approx(48.0)
    assert float(rows[1]["fuel_use"]) == pytest.approx(600.0)
    assert rows[1]["fuel_unit"] == "therm"
    assert r.stderr == ""


def test_compare_json_structure():
    r = run("compare", BOSTON, "-f", "json")
    data = json.loads(r.stdout)
    assert isinstance(data, list) and len(data) == 1
    obj = data[0]
    assert obj["profile"] == "Boston colonial, gas furnace today"
    assert obj["inputs"]["location"]["station"] == "725090"
    assert obj["inputs"]["prices"]["electricity"]["source"].startswith("EIA 2023")
    assert {a["field"] for a in obj["assumptions"]} >= {"prices.electricity", "design temperature"}
    assert [row["system"] for row in obj["rows"]] == ["heat_pump", "furnace", "electric_resistance"]
    assert obj["summary"]["cheapest"] in {"heat_pump", "furnace"}


def test_compare_table_mentions_station_prices_and_summary():
    r = run("compare", BOSTON, "--explain")
    assert r.exit_code == 0
    out = r.stdout
    assert "BOSTON LOGAN" in out and "EIA 2023" in out
    assert "Cheapest to run" in out and "breaks even" in out
    assert "Assumptions and defaults used" in out and "docs/methodology.md" in out


def test_price_flag_overrides_profile_and_state():
    cheap = run("compare", BOSTON, "-f", "json", "--electricity-price", "10 c/kWh")
    obj = json.loads(cheap.stdout)[0]
    assert obj["inputs"]["prices"]["electricity"] == {"value": 0.1, "unit": "$/kWh", "source": "command line"}
    hp = obj["rows"][0]
    assert hp["annual_cost_usd"] == pytest.approx(hp["electricity_kwh"] * 0.1)


def test_bad_price_flag():
    r = run("compare", BOSTON, "--gas-price", "2 $/gal")
    assert r.exit_code == 2 and r.stdout == ""
    assert "--gas-price" in r.stderr


def test_bad_profile_gives_message_not_traceback(write):
    path = write("bad.yaml", 'location: {zip: "99999"}\nheating_load: {annual: "-5 MMBtu"}\n')
    r = run("compare", str(path))
    assert r.exit_code == 2
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert lines[0].startswith(f"Error: {path}:2: heating_load.annual: must be above 0")


def test_one_bad_profile_among_good_fails_the_run_with_no_output(write):
    bad = write("bad.yaml", "name: [unclosed\n")
    r = run("compare", BOSTON, str(bad), "-f", "csv")
    assert r.exit_code == 2 and r.stdout == ""
    assert "YAML syntax error" in r.stderr


def test_missing_file():
    r = run("compare", "/no/such/home.yaml")
    assert r.exit_code == 2 and "no such file" in r.stderr


def test_check():
    r = run("check", *map(str, PROFILES))
    assert r.exit_code == 0
    assert r.stdout.count("ok: ") == len(PROFILES)


def test_init_writes_a_profile_that_runs(tmp_path):
    path = tmp_path / "home.yaml"
    assert run("init", str(path)).exit_code == 0
    assert run("init", str(path)).exit_code == 2  # refuses to overwrite
    r = run("compare", str(path), "-f", "csv")
    assert r.exit_code == 0 and r.stdout.startswith("profile,system,")


def test_stations_near_zip():
    r = run("stations", "--near", "02134", "--limit", "3", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows[0]["station"] == "725090"
    assert len(rows) == 3 and float(rows[0]["distance_km"]) < float(rows[2]["distance_km"])
    r = run("stations", "--state", "RI", "-f", "json")
    assert {s["state"] for s in json.loads(r.stdout)} == {"RI"}
    assert run("stations", "--state", "XX").exit_code == 2


def test_prices():
    r = run("prices", "MA", "-f", "json")
    ma = json.loads(r.stdout)[0]
    # EIA SEDS 2023, Massachusetts: 86.78 $/MMBtu electricity → $0.2961/kWh
    assert ma["electricity_usd_per_kwh"] == pytest.approx(0.2961)
    assert ma["price_year"] == 2023
    assert run("prices", "ZZ").exit_code == 2
    assert len(json.loads(run("prices", "-f", "json").stdout)) == 55  # 50 states, DC, PR, GU, VI and the US


def test_schema_is_json_schema_that_accepts_the_examples():
    import yaml

    r = run("schema")
    schema = json.loads(r.stdout)
    assert schema["properties"]["location"]["properties"]["zip"]["type"] == "string"
    jsonschema = pytest.importorskip("jsonschema")

    def as_editors_see_it(node):
        # editors read YAML 1.2, where 2024-01-03 is a string; PyYAML (YAML 1.1) makes it a date
        if isinstance(node, dict):
            return {k: as_editors_see_it(v) for k, v in node.items()}
        if isinstance(node, list):
            return [as_editors_see_it(v) for v in node]
        return node.isoformat() if isinstance(node, datetime.date) else node

    for path in PROFILES:
        jsonschema.validate(as_editors_see_it(yaml.safe_load(path.read_text())), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"location": {"zip": "02134"}, "heating_load": {}, "systms": {}}, schema)


@pytest.mark.parametrize("command", ["compare", "check", "init", "stations", "prices", "schema", "batch", "sweep",
                                     "rating", "size", "costs", "report"])
def test_every_command_has_help(command):
    r = run(command, "--help")
    assert r.exit_code == 0
    assert len(r.stdout.strip().splitlines()) > 3


@pytest.mark.parametrize("args", [
    ["compare", "--help"],
    ["compare", BOSTON, "--bogus"],
    ["compare", "no-such-file.yaml"],
    ["compare", BOSTON, "--format", "csv"],
    ["stations", "--state", "RI"],
])
def test_the_one_command_app_answers_as_the_whole_app(args):
    # main() builds only the command named first (Typer builds every command's Click object before reading the
    # arguments); its output, errors and exit codes must be the whole app's.
    from heatcalc.cli import _app_for

    one = _app_for(args)
    assert one is not app and [c.callback.__name__ for c in one.registered_commands] == [args[0]]
    whole, alone = runner.invoke(app, args), runner.invoke(one, args)
    assert (alone.exit_code, alone.stdout, alone.stderr) == (whole.exit_code, whole.stdout, whole.stderr)


@pytest.mark.parametrize("args", [[], ["--version"], ["comapre", BOSTON], ["--traceback", "compare", BOSTON]])
def test_no_command_first_gets_the_whole_app(args):
    from heatcalc.cli import _app_for

    assert _app_for(args) is app


def test_shell_completion_gets_the_whole_app(monkeypatch):
    from heatcalc.cli import _app_for

    monkeypatch.setenv("_HEATCALC_COMPLETE", "complete_bash")
    assert _app_for(["compare"]) is app


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_csv_and_json_never_import_rich(fmt):
    # Rich's console is ~17 ms of a compare; only the table needs it.
    import subprocess
    import sys

    code = ("import sys, io, contextlib; from heatcalc.cli import main; sys.argv = ['heatcalc', 'compare', "
            f"{BOSTON!r}, '--format', {fmt!r}]\n"
            "out = io.StringIO()\n"
            "try:\n    with contextlib.redirect_stdout(out): main()\nexcept SystemExit as e: code = e.code\n"
            "print(code, 'rich' in sys.modules, 'heat_pump' in out.getvalue())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["0", "False", "True"], out.stderr


def test_the_cycle_collector_is_off_only_while_the_modules_load():
    # main() turns the collector off while compare's modules load (their objects live as long as the process), then
    # freezes what was made and turns it back on: the command's own objects are collected as usual.
    import subprocess
    import sys

    code = ("import gc, sys, io, contextlib\n"
            "from heatcalc import cli\n"
            "seen = []\n"
            "real = cli._app_for\n"
            "cli._app_for = lambda args: (seen.append(gc.isenabled()), real(args))[1]\n"
            f"sys.argv = ['heatcalc', 'compare', {BOSTON!r}]\n"
            "try:\n    with contextlib.redirect_stdout(io.StringIO()): cli.main()\nexcept SystemExit as e: code = e.code\n"
            "print(code, seen, gc.get_freeze_count() > 10_000, 'rich.table' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["0", "[True]", "True", "True"], out.stderr


def test_a_module_that_cannot_load_is_reported_in_one_line_not_a_traceback():
    # main() loads compare's modules before the command runs; one that cannot load (here PyYAML, as if missing)
    # must not escape as a traceback from there: the command meets it again and reports it in one line.
    import subprocess
    import sys

    code = ("import sys; sys.modules['yaml'] = None\n"
            "from heatcalc.cli import main\n"
            f"sys.argv = ['heatcalc', 'compare', {BOSTON!r}]\n"
            "main()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and out.stdout == ""
    assert "Traceback" not in out.stderr and "yaml" in out.stderr and len(out.stderr.strip().splitlines()) == 1
