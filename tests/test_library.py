"""One public call per command, frames and displays analysts use, profiles that round-trip, and no import cycles."""

import json
import subprocess
import sys

import pytest

import heatcalc
from heatcalc.profile import HeatingLoad, Location, Profile

from .conftest import ROOT

BOSTON = ROOT / "profiles" / "boston-gas.yaml"


def test_each_command_has_a_public_call(cli):
    s = heatcalc.size(BOSTON)
    assert [o.unit for o in s.options][0] == "profile" and s.solar is not None
    r = heatcalc.sweep(BOSTON, "prices.electricity=0.10:0.30:0.10")
    assert r.fields == ["prices.electricity"] and len(r.points) == 3
    # the same break-even as the CLI's sweep JSON
    cli_json = json.loads(cli("sweep", BOSTON, "--vary", "prices.electricity=0.10:0.30:0.10", "--format",
                              "json").stdout)
    assert cli_json["breakeven"][0]["values"]["prices.electricity"] == pytest.approx(r.breakevens[0].values[0])
    costs = heatcalc.installed_costs("3 ton", "NY")
    assert costs == json.loads(cli("costs", "--size", "3 ton", "--state", "NY", "--format", "json").stdout)
    assert heatcalc.stations(state="MA") and all(row["state"] == "MA" for row in heatcalc.stations(state="MA"))
    assert heatcalc.prices("MA")[0]["state"] == "MA"
    assert heatcalc.schema() == json.loads(cli("schema").stdout)
    found = heatcalc.find_incentives("02134", 250_000, 3, utility="National Grid", date="2026-12-03")
    cli_found = json.loads(cli("incentives", "--zip", "02134", "--income", "250000", "--household-size", "3",
                               "--utility", "National Grid", "--date", "2026-12-03", "--format", "json").stdout)
    assert [r.id for r in found.rows] == [r["id"] for r in cli_found["rows"]] and found.snapshot == "2026-08-06"
    rating = heatcalc.rate_heat_pump(BOSTON)
    assert rating["hspf2"] == pytest.approx(8.1, rel=1e-6)


def test_write_report_writes_what_the_cli_writes(tmp_path, cli):
    heatcalc.write_report(BOSTON, tmp_path / "api.html")
    cli("report", BOSTON, "-o", tmp_path / "cli.html")
    assert (tmp_path / "api.html").read_text() == (tmp_path / "cli.html").read_text()
    heatcalc.write_report(BOSTON, tmp_path / "c.svg", format="svg", chart="annual_cost")
    assert (tmp_path / "c.svg").read_text().lstrip().startswith("<")


def test_the_cli_commands_are_thin_over_the_public_calls(monkeypatch):
    """sqlite-utils' shape: each command parses its options, calls the library, renders.  A replaced library call
    shows up in the command's output, so the command cannot be computing it on its own."""
    from typer.testing import CliRunner

    from heatcalc import api
    from heatcalc.cli import app

    runner = CliRunner()
    monkeypatch.setattr(api, "stations", lambda **kw: [{"station": "999999", "name": f"FAKE {kw['state']}",
                                                        "state": "ZZ"}])
    assert "FAKE MA" in runner.invoke(app, ["stations", "--state", "MA", "-f", "csv"]).stdout
    monkeypatch.setattr(api, "prices", lambda state=None: [{"state": "ZZ", "name": f"FAKE {state}"}])
    assert "FAKE MA" in runner.invoke(app, ["prices", "MA", "-f", "csv"]).stdout
    calls = []

    def fake_sweep(profile, *vary, **overrides):
        calls.append((vary, overrides))
        return api.SweepResult(["prices.electricity"], [], [])

    monkeypatch.setattr(api, "sweep", fake_sweep)
    result = runner.invoke(app, ["sweep", str(BOSTON), "--vary", "prices.electricity=0.1,0.2", "--gas-price",
                                 "1.5", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert calls == [(("prices.electricity=0.1,0.2",), {"prices.natural_gas": "1.5"})]
    written = []
    monkeypatch.setattr(api, "write_report", lambda *a, **kw: written.append((a, kw)) or 0)
    assert runner.invoke(app, ["report", str(BOSTON), "-o", "-"]).exit_code == 0
    assert len(written) == 1 and str(written[0][0][1]) == "-" and written[0][0][2] == "html"


def test_frames_repr_and_assumptions():
    pd = pytest.importorskip("pandas")
    c = heatcalc.compare(BOSTON)
    hourly = c.hourly_frame()
    assert isinstance(hourly.index, pd.DatetimeIndex) and len(hourly) == 3 * 8760
    assert hourly.index[0] == pd.Timestamp("2023-01-01 00:00") and hourly.index[8759] == pd.Timestamp(
        "2023-12-31 23:00")
    assert hourly["time"].iloc[0] == "2023-01-01T00:00-05:00"
    assert hourly[hourly.system == "heat_pump"]["electricity_kwh"].sum() == pytest.approx(
        c.rows[0].electricity_kwh, rel=1e-9)
    monthly = c.monthly_frame()
    assert len(monthly) == 36 and monthly[monthly.system == "furnace"]["cost_usd"].sum() == pytest.approx(
        c.rows[1].annual_cost_usd, rel=1e-9)
    assert len(repr(c)) < 300 and "cheapest furnace" in repr(c)
    html = c._repr_html_()
    assert "<table>" in html and "scope='col'" in html
    assert any(a["field"].startswith("prices.") for a in c.assumptions)


def test_a_profile_round_trips_in_user_units():
    p = heatcalc.load_profile(BOSTON)
    assert heatcalc.load_profile(p.to_dict()) == p
    q = p.replace(systems=p.systems.replace(heat_pump=p.systems.heat_pump.replace(hspf2=10)))
    d = q.to_dict()
    assert d["systems"]["heat_pump"]["hspf2"] == 10 and d["heating_load"]["from_bills"]["amount"] == "780 therm"
    assert heatcalc.load_profile(d) == q
    built = Profile(location=Location(zip="02134"), heating_load=HeatingLoad(annual=60))
    assert heatcalc.load_profile(built.to_dict()).heating_load.annual == pytest.approx(60e6)
    assert "780 therm" in p.to_yaml()


@pytest.mark.needs_shared
def test_no_import_cycles():
    tool = ROOT.parent / "shared" / "tools" / "import_cycles.py"
    if not tool.exists():
        pytest.skip("../shared/tools is not beside this checkout")
    out = subprocess.run([sys.executable, str(tool), str(ROOT / "src" / "heatcalc")], capture_output=True,
                         text=True, timeout=120)
    assert "cycle" not in out.stdout + out.stderr, out.stdout


def test_compare_frame_keeps_the_index_lists_errors_and_types_as_to_frame():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"location.zip": ["02134", "99999", "60601"], "heating_load.annual": ["60 MMBtu"] * 3,
                       "note": ["a", "b", "c"]}, index=["x", "y", "z"])
    out = heatcalc.compare_frame(df.drop(columns=["note"]))
    assert out.index.tolist() == ["x"] * 3 + ["y"] + ["z"] * 3
    assert isinstance(out.loc["y", "error"], list) and "99999" in out.loc["y", "error"][0]
    one = heatcalc.compare({"location": {"zip": "02134"}, "heating_load": {"annual": "60 MMBtu"}}).to_frame()
    assert {c: str(one.dtypes[c]) for c in one.columns} == {c: str(out.dtypes[c]) for c in one.columns}
    wide = heatcalc.compare_frame(df.drop(columns=["note"]), shape="wide")
    assert wide.index.tolist() == ["x", "y", "z"]
    assert wide.loc["x", "heat_pump.annual_cost_usd"] == pytest.approx(out.loc["x"].iloc[0]["annual_cost_usd"])
    kept = heatcalc.compare_frame(df, keep_columns=["note"]) if False else \
        heatcalc.compare_frame(df[["location.zip", "heating_load.annual"]], keep_columns=["location.zip"])
    assert kept.columns[0] == "location.zip" and kept.loc["z", "location.zip"].tolist() == ["60601"] * 3


def test_field_docs_units_bounds_and_defaults_reach_help():
    import pydoc

    from heatcalc.profile import HeatPumpConfig, Solar

    text = pydoc.render_doc(Solar, renderer=pydoc.plaintext)
    assert "capacity : quantity [kW" in text and "Default: 20 [PVWatts' default tilt" in text
    assert "hspf2 : number" in (HeatPumpConfig.__doc__ or "") and "Allowed:" in HeatPumpConfig.__doc__


def test_one_name_per_concept_with_the_old_spellings_kept():
    pd = pytest.importorskip("pandas")
    # a price override: prices.electricity, however it is written
    ways = [heatcalc.compare(BOSTON, prices={"electricity": 0.2}), heatcalc.compare(BOSTON, prices__electricity=0.2),
            heatcalc.compare(BOSTON, **{"prices.electricity": 0.2})]
    assert len({round(c.rows[0].annual_cost_usd, 9) for c in ways}) == 1
    df = pd.DataFrame({"location.zip": ["02134"], "heating_load.annual": ["60 MMBtu"]})
    assert heatcalc.compare_frame(df, prices={"prices.electricity": 0.2}).equals(
        heatcalc.compare_frame(df, prices={"electricity": 0.2}))
    # the heat needed and the heat pump's nominal capacity, one name in JSON, attributes and size rows
    c = heatcalc.compare(BOSTON)
    load = c.to_dict()["inputs"]["heating_load"]
    assert load["heat_needed_mmbtu"] == load["annual_heat_mmbtu"] == c.heat_needed_mmbtu
    nominal = c.to_dict()["inputs"]["systems"]["heat_pump"]["nominal_capacity_btu_per_h"]
    assert c.home.heat_pump_nominal_capacity_btu_per_h == nominal
    row = heatcalc.size(BOSTON).rows()[0]
    assert row["nominal_capacity_btu_per_h"] == row["nominal_btu_per_h"] == nominal
