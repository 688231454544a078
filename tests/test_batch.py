"""heatcalc batch: every input kind and format, and faults that must not lose or duplicate a home."""

import csv
import io
import json
import math
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from heatcalc import batch as b
from heatcalc.cli import app
from heatcalc.home import build_home
from heatcalc.profile import load_profile
from heatcalc.results import COLUMNS
from heatcalc.simulate import compare_home

from .conftest import HEATCALC_AT_A_TERMINAL, PROFILES, ROOT

runner = CliRunner()
HEADER = "location.zip,heating_load.annual,systems.furnace.afue,systems.heat_pump.hspf2,systems.heat_pump.compressor"
GOOD_ROWS = ["02134,60 MMBtu,0.9,8.5,single_stage", "60614,80,0.95,9,variable_speed", "30307,30,0.8,,",
             "98115,45,,10,two_stage", "80205,55 MMBtu,0.95,8.1,variable_speed"]


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def homes_csv(tmp_path, rows, header=HEADER):
    path = tmp_path / "homes.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_csv_table_of_homes(tmp_path, jobs):
    r = run("batch", "--homes", str(homes_csv(tmp_path, GOOD_ROWS)), "-j", jobs)
    assert r.exit_code == 0, r.stderr
    rows = read_csv(r.stdout)
    assert tuple(rows[0]) == ("home",) + COLUMNS
    assert [row["home"] for row in rows] == [str(i) for i in range(1, 6) for _ in range(3)]  # input order
    assert "5 homes: 5 computed, 0 failed" in r.stderr


def test_batch_equals_compare_for_the_example_profiles():
    r = run("batch", str(ROOT / "profiles"), "-f", "json", "-j", "2")
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    for path in PROFILES:
        expected = compare_home(build_home(load_profile(path))).row_dicts()
        got = [row for row in rows if row["home"] == str(ROOT / "profiles" / path.name)]
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            for key, value in e.items():
                assert g[key] == (pytest.approx(value, rel=1e-9, abs=1e-9) if isinstance(value, float) else value)


zips = st.sampled_from(["02134", "55407", "60614", "30307", "98115", "80205", "99701", "77005", "04101"])


@settings(max_examples=25, deadline=None)
@given(rows=st.lists(st.tuples(zips, st.floats(5, 150), st.floats(0.6, 1.0), st.floats(7.5, 10.5),
                               st.sampled_from(["single_stage", "two_stage", "variable_speed"]),
                               st.sampled_from(["electric_resistance", "furnace"])), min_size=1, max_size=12))
def test_property_batch_rows_equal_compare(rows):
    items = [b.HomeInput(str(i + 1), "row", ({
        "location.zip": z, "heating_load.annual": f"{annual} MMBtu", "systems.furnace.afue": str(afue),
        "systems.heat_pump.hspf2": str(hspf2), "systems.heat_pump.compressor": comp,
        "systems.heat_pump.backup": backup}, {}), "t.csv", i + 2)
        for i, (z, annual, afue, hspf2, comp, backup) in enumerate(rows)]
    outcomes = b.process_block(items)
    assert len(outcomes) == len(items)
    for item, outcome in zip(items, outcomes):
        spec = b._spec(item)
        expected = compare_home(build_home(spec)).row_dicts()
        assert [r["system"] for r in outcome.rows] == [r["system"] for r in expected]
        for got, exp in zip(outcome.rows, expected):
            for key, value in exp.items():
                assert got[key] == (pytest.approx(value, rel=1e-9, abs=1e-9) if isinstance(value, float) else value)


def test_bad_rows_mixed_with_good_nothing_lost_or_duplicated(tmp_path):
    rows = [GOOD_ROWS[0], "99999,60,0.9,8,single_stage", GOOD_ROWS[1], "02134,-5,0.9,8,single_stage",
            GOOD_ROWS[2], "02134,60,1.7,8,single_stage", GOOD_ROWS[3], "02134,60,0.9,8,single_stage,extra"]
    errors = tmp_path / "errors.csv"
    r = run("batch", "--homes", str(homes_csv(tmp_path, rows)), "--errors", str(errors), "-j", "2")
    assert r.exit_code == 3
    out = read_csv(r.stdout)
    homes_out = [row["home"] for row in out]
    failed = read_csv(errors.read_text())
    assert sorted(set(homes_out)) == ["1", "3", "5", "7"]
    assert len(homes_out) == 3 * 4  # three systems each, no duplicate
    assert [f["home"] for f in failed] == ["2", "4", "6", "8"]
    assert len(set(homes_out)) + len({f["home"] for f in failed}) == len(rows)  # rows out + errors = homes in
    assert failed[0]["field"] == "location.zip" and failed[0]["line"] == "3"
    assert "8 homes: 4 computed, 4 failed" in r.stderr
    assert "homes.csv:3: location.zip: unknown US ZIP code '99999'" in r.stderr


def test_unknown_column_is_a_usage_error_before_any_home_runs(tmp_path):
    # Every row would fail the same way, so the header is checked once, up front (exit 2, nothing on stdout).
    path = homes_csv(tmp_path, ["02134,60,0.9", "60614,70,0.95"],
                     header="location.zip,heating_load.annual,systems.furnace.afeu")
    r = run("batch", "--homes", str(path))
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == f"Error: {path}:1: systems.furnace.afeu: is not a profile field; did you mean 'afue'?\n"


def test_defaults_fill_empty_cells(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text("heating_load: {annual: 50 MMBtu}\nsystems: {furnace: {fuel: propane, afue: 0.9}}\n")
    path = homes_csv(tmp_path, ["02134,", "60614,70"], header="location.zip,heating_load.annual")
    r = run("batch", "--homes", str(path), "--defaults", str(base), "-f", "json")
    rows = json.loads(r.stdout)
    furnace = [row for row in rows if row["system"] == "furnace"]
    assert [row["heat_delivered_mmbtu"] for row in furnace] == pytest.approx([50.0, 70.0])
    assert {row["fuel"] for row in furnace} == {"propane"}


def test_files_folders_globs_and_formats(tmp_path):
    for i, zip_code in enumerate(["02134", "60614"]):
        (tmp_path / f"h{i}.yaml").write_text(f'location: {{zip: "{zip_code}"}}\nheating_load: {{annual: 60}}\n')
    sub = tmp_path / "more"
    sub.mkdir()
    (sub / "h2.yml").write_text("location: {state: VT}\nheating_load: {annual: 70}\n")
    r = run("batch", str(tmp_path), "-f", "ndjson")
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["home"] for row in lines][::3] == [str(tmp_path / "h0.yaml"), str(tmp_path / "h1.yaml"),
                                                   str(sub / "h2.yml")]
    r = run("batch", str(tmp_path / "h*.yaml"), "-f", "json")
    assert len(json.loads(r.stdout)) == 6
    r = run("batch", str(tmp_path / "h0.yaml"), "-f", "table")
    assert r.exit_code == 0 and "Heat pump" in r.stdout
    out = tmp_path / "out.csv"
    r = run("batch", str(tmp_path / "h1.yaml"), "-o", str(out))
    assert r.stdout == "" and len(read_csv(out.read_text())) == 3


def test_stdin_profile_and_table():
    r = run("batch", "-", input='location: {zip: "02134"}\nheating_load: {annual: 60}\n')
    assert r.exit_code == 0 and [row["home"] for row in read_csv(r.stdout)] == ["-"] * 3
    r = run("batch", "--homes", "-", input=HEADER + "\n" + GOOD_ROWS[0] + "\n")
    assert r.exit_code == 0 and len(read_csv(r.stdout)) == 3
    r = run("batch", "-", input=HEADER + "\n" + GOOD_ROWS[1] + "\n")
    assert r.exit_code == 0 and read_csv(r.stdout)[0]["home"] == "1"


def test_unreadable_and_missing_files_are_counted(tmp_path, monkeypatch):
    good = tmp_path / "good.yaml"
    good.write_text('location: {zip: "02134"}\nheating_load: {annual: 60}\n')
    locked = tmp_path / "locked.yaml"
    locked.write_text(good.read_text())
    from heatcalc import fileio

    def fake_open(path, *args, **kwargs):  # as root, chmod cannot make a file unreadable; refuse it here instead
        if Path(path).name == "locked.yaml":
            raise PermissionError(13, "Permission denied")
        return open(path, *args, **kwargs)

    monkeypatch.setattr(fileio, "open", fake_open, raising=False)
    r = run("batch", str(locked), str(tmp_path / "missing.yaml"), str(good), "-j", "1")
    assert r.exit_code == 3
    assert {row["home"] for row in read_csv(r.stdout)} == {str(good)}
    assert "permission denied" in r.stderr and "no such file" in r.stderr
    assert "3 homes: 1 computed, 2 failed" in r.stderr


def test_fail_fast_stops_at_first_failure(tmp_path):
    rows = [GOOD_ROWS[0], "99999,60,0.9,8,single_stage"] + GOOD_ROWS[1:]
    r = run("batch", "--homes", str(homes_csv(tmp_path, rows)), "--fail-fast", "-j", "1")
    assert r.exit_code == 3
    assert {row["home"] for row in read_csv(r.stdout)} == {"1"}
    assert "2 homes: 1 computed, 1 failed" in r.stderr


def test_table_format_refuses_large_runs(tmp_path):
    r = run("batch", "--homes", str(homes_csv(tmp_path, GOOD_ROWS * 25)), "-f", "table", "-j", "1")
    assert r.exit_code == 2 and "--format table is for up to" in r.stderr


def test_usage_errors():
    assert run("batch").exit_code == 2
    assert run("batch", "x.yaml", "--defaults", "d.yaml").exit_code == 2


def _big_csv(path: Path, n: int) -> None:
    rows = (GOOD_ROWS * (n // len(GOOD_ROWS) + 1))[:n]
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n")


def test_closed_pipe_ends_quietly(tmp_path):
    path = tmp_path / "homes.csv"
    _big_csv(path, 3000)
    proc = subprocess.run(
        f'"{sys.executable}" -m heatcalc batch --homes "{path}" -j 2 | head -n 2; exit ${{PIPESTATUS[0]}}',
        shell=True, executable="/bin/bash", capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("\n") == 2
    assert "Traceback" not in proc.stderr and "Error" not in proc.stderr


def test_ctrl_c_keeps_whole_rows(tmp_path):
    import threading

    out = tmp_path / "out.csv"
    proc = subprocess.Popen([*HEATCALC_AT_A_TERMINAL, "batch", "--homes", "-", "-j", "2", "-o", str(out)],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def feed():  # an endless table, so the run is always still going when Ctrl-C comes
        try:
            proc.stdin.write(HEADER + "\n")
            while proc.poll() is None:
                proc.stdin.write("\n".join(GOOD_ROWS * 200) + "\n")
        except (BrokenPipeError, ValueError, OSError):
            pass

    threading.Thread(target=feed, daemon=True).start()
    time.sleep(2.5)
    assert proc.poll() is None
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=120)  # (a run that ignored the signal fails the test instead of hanging the suite)
    finally:
        proc.kill()
    stderr = proc.stderr.read()
    assert proc.returncode == 130, stderr
    assert "Interrupted" in stderr and "Traceback" not in stderr
    text = out.read_text()
    assert text.endswith("\n")
    rows = read_csv(text)
    assert all(len(row) == len(COLUMNS) + 1 and None not in row.values() for row in rows)


_TEXTS = st.one_of(st.none(), st.text(alphabet=st.sampled_from(list('ab ,"\r\n\'é;')), max_size=6))
_FLOATS = st.floats(allow_nan=True, allow_infinity=True)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_csv_rows_are_the_text_pythons_csv_writer_writes(data):
    # rows.csv_rows_text writes a column's numbers by one repr of their list and joins the cells itself: the text
    # must be, byte for byte, what csv.writer writes for the same values (rows.column_values) -- texts with commas,
    # quotes and line breaks quoted as the writer quotes them, None and an empty number as an empty cell, NaN in a
    # column that is never empty as "nan", -0.0, infinities, True/False, a column of zeros, and a line of one
    # empty cell (the writer quotes it)
    import numpy as np

    from heatcalc import rows

    n = data.draw(st.integers(0, 6))
    names = data.draw(st.lists(st.sampled_from(["home", "system", "meets_load", "annual_cost_usd", "incentives_usd",
                                                "cooling_cost_usd", "peak_outdoor_f"]),
                               min_size=1, max_size=5, unique=True))
    columns = {}
    for name in rows.OUT_COLUMNS:
        if name in rows.BOOL_COLUMNS:
            values = data.draw(st.lists(st.sampled_from([True, False]), min_size=n, max_size=n))
        elif name in rows.TEXT_COLUMNS:
            values = data.draw(st.lists(_TEXTS, min_size=n, max_size=n))
        else:
            kind = data.draw(st.sampled_from(["any", "zeros", "empty"]))
            values = ([0.0] * n if kind == "zeros" else [math.nan] * n if kind == "empty" else
                      data.draw(st.lists(_FLOATS, min_size=n, max_size=n)))
        if name in rows.OBJECT_COLUMNS:
            array = np.empty(n, dtype=object)
            array[:] = values
        else:
            array = np.array(values, dtype=float)
        columns[name] = array
    block = rows.Block([], [], [], [], np.array([n]), columns)
    start = data.draw(st.integers(0, n))
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\n").writerows(
        zip(*(rows.column_values(c, columns[c][start:]) for c in names)))
    assert rows.csv_rows_text(block, start, None, tuple(names)) == expected.getvalue()
