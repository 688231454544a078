"""The real CLI in a subprocess, against each class of hostile or careless input and signal: it must end with a
clear message on stderr and the right exit code, within a time limit, without a traceback, and without losing or
cutting short any file."""

import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from heatcalc.results import COLUMNS

from .conftest import HEATCALC_AT_A_TERMINAL, ROOT

BOSTON = ROOT / "profiles" / "boston-gas.yaml"
GOOD = 'location: {zip: "02134"}\nheating_load: {annual: 60 MMBtu}\n'


def heatcalc(*args, input=None, timeout=60, env=None, cwd=None):
    """Run ``python -m heatcalc ARGS``; fail (not hang) past ``timeout`` seconds."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "heatcalc", *map(str, args)], input=input, capture_output=True,
                          timeout=timeout, env=full_env, cwd=cwd)
    proc.out = proc.stdout.decode("utf-8", "replace")
    proc.err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in proc.err, proc.err
    return proc


def usage_error(proc, *fragments):
    assert proc.returncode == 2, (proc.returncode, proc.err)
    assert proc.out == ""
    assert proc.err.startswith("Error: "), proc.err
    for fragment in fragments:
        assert fragment in proc.err, proc.err


# --- profiles that used to crash ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, field", [
    ("location:\nheating_load: {annual: 60 MMBtu}\n", "location: is required"),
    ('location: {zip: "02134"}\nheating_load:\n', "heating_load: is required"),
    ('location: {zip: "02134"}\nheating_load: {from_bills: {fuel: natural_gaz, amount: 780 therm}}\n',
     "heating_load.from_bills.fuel: must be one of"),
    ('location: {zip: "02134"}\nheating_load: {from_bills: {fuel: [natural_gas], amount: 780 therm}}\n',
     "heating_load.from_bills.fuel"),
    ("location: {state: US}\nheating_load: {annual: 60 MMBtu}\n", "location.state: unknown state 'US'"),
    ("location: {lat: 51.5, lon: -0.1}\nheating_load: {annual: 60 MMBtu}\n", "location.lat: 51.5, -0.1 is 4,778 km"),
    ('location: {zip: "02134"}\nheating_load: {annual: 60 MMBtu}\nsystems: {heat_pump: false, furnace: false, '
     'electric_resistance: false}\n', "systems: every system is set to false"),
    ('location: {zip: "02134"}\nheating_load: {ua: 1e308 Btu/h/F}\n', "heating_load.ua: must be between 0 and 20,000"),
    ('location: {zip: "02134"}\nheating_load: {annual: 60 MMBtu}\nsystems: {heat_pump: {performance: ['
     '{outdoor: 47 F, cop: 3, capacity: 0 Btu/h}, {outdoor: 17 F, cop: 2, capacity: 20000}]}}\n',
     "systems.heat_pump.performance[0].capacity: must be above 0 Btu/h (got 0 Btu/h)"),
    ('location: {zip: "02134"}\nheating_load: {annual: 60 MMBtu}\nsystems: {heat_pump: {performance: ['
     '{outdoor: 47 F, cop: 3, capacity: 30000, min_capacity: 40000}, {outdoor: 17 F, cop: 2, capacity: 20000}]}}\n',
     "systems.heat_pump.performance[0].min_capacity: is more than the capacity"),
    ('location: {zip: "02134"}\nheating_load: {design: {load: 1e308 Btu/h, outdoor: 5 F}}\n',
     "heating_load.design.load: must be between"),
    ('location: {zip: "02134"}\nheating_load: {annual: 1e308 MMBtu}\n', "heating_load.annual: must be between"),
])
def test_impossible_or_empty_profiles_are_refused_with_the_field(tmp_path, text, field):
    path = tmp_path / "home.yaml"
    path.write_text(text)
    usage_error(heatcalc("compare", path), str(path), field)


@pytest.mark.parametrize("flag, value, message", [
    ("--electricity-price", "inf", "--electricity-price"),
    ("--electricity-price", "1e308", "--electricity-price: must be between 0 and 5"),
    ("--gas-price", "nan", "--gas-price"),
    ("--oil-price", "-3", "--oil-price: must be between 0 and 50"),
])
def test_price_flags_are_checked_like_the_profile(flag, value, message):
    usage_error(heatcalc("compare", BOSTON, flag, value), message)


def test_markup_and_escape_sequences_in_names_are_printed_literally(tmp_path):
    path = tmp_path / "x [red]y[bold].yaml"
    path.write_text('name: "x [/] [link=https://example.com]click[/link] \\e[31mred\\e[0m \\u202e"\n' + GOOD)
    proc = heatcalc("compare", path, env={"COLUMNS": "200"})
    assert proc.returncode == 0, proc.err
    first = proc.out.splitlines()[0]
    assert first.startswith(r"x [/] [link=https://example.com]click[/link] \x1b[31mred\x1b[0m \u202e")
    assert f"({path})" in first
    assert "\x1b" not in proc.out and "\u202e" not in proc.out
    # the data formats carry the name exactly as written
    rows = json.loads(heatcalc("compare", path, "-f", "json").out)
    assert rows[0]["profile"] == "x [/] [link=https://example.com]click[/link] \x1b[31mred\x1b[0m \u202e"


def test_control_characters_in_keys_do_not_reach_the_terminal(tmp_path):
    path = tmp_path / "home.yaml"
    path.write_text(GOOD + '"sys\\e[2Jtems": {}\n')
    proc = heatcalc("check", path)
    usage_error(proc, r"sys\x1b[2Jtems: unknown key")
    assert "\x1b" not in proc.err


# --- unbounded reads ----------------------------------------------------------------------------------------------

def test_a_named_pipe_nobody_writes_to_is_refused_not_waited_on_forever(tmp_path):
    fifo = tmp_path / "home.yaml"
    os.mkfifo(fifo)
    env = {"HEATCALC_PIPE_WAIT": "1"}
    usage_error(heatcalc("compare", fifo, env=env, timeout=30), "is a named pipe and no program wrote to it within 1 s")
    usage_error(heatcalc("batch", "--homes", fifo, env=env, timeout=30), "no program wrote to it")
    usage_error(heatcalc("batch", "--homes", "-", "--defaults", fifo, input=b"location.zip\n02134\n", env=env,
                         timeout=30), "no program wrote to it")
    profile = tmp_path / "w.yaml"
    profile.write_text(f"location: {{weather_file: {fifo}}}\nheating_load: {{annual: 60 MMBtu}}\n")
    usage_error(heatcalc("compare", profile, env=env, timeout=30), "location.weather_file", "no program wrote to it")


def test_a_named_pipe_with_a_writer_is_read(tmp_path):
    fifo = tmp_path / "home.yaml"
    os.mkfifo(fifo)

    def writer():
        with open(fifo, "w") as fh:
            fh.write(GOOD)

    thread = threading.Thread(target=writer)
    thread.start()
    proc = heatcalc("compare", fifo, "-f", "csv", timeout=30)
    thread.join(timeout=10)
    assert proc.returncode == 0, proc.err
    assert proc.out.count("\n") == 4


def test_a_pipe_that_never_ends_is_cut_at_the_limit(tmp_path):
    fifo = tmp_path / "endless.yaml"
    os.mkfifo(fifo)
    stop = threading.Event()

    def writer():
        try:
            with open(fifo, "wb") as fh:
                while not stop.is_set():
                    fh.write(b"# filler\n" * 10000)
        except (BrokenPipeError, OSError):
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    proc = heatcalc("compare", fifo, timeout=30)
    stop.set()
    usage_error(proc, "a profile may be at most 1,000,000 bytes")


@pytest.mark.parametrize("args", [
    ["compare", "/dev/zero"],
    ["batch", "--homes", "/dev/zero"],
    ["batch", "--homes", "-", "--defaults", "/dev/zero"],
    ["compare", "/dev/urandom"],
])
def test_devices_are_refused(args):
    usage_error(heatcalc(*args, input=b"location.zip\n02134\n", timeout=30), "is a device or socket")


def test_a_weather_file_that_is_a_device_is_refused(tmp_path):
    profile = tmp_path / "w.yaml"
    profile.write_text("location: {weather_file: /dev/zero}\nheating_load: {annual: 60 MMBtu}\n")
    usage_error(heatcalc("compare", profile, timeout=30), "location.weather_file", "is a device")


def test_huge_files_are_refused_before_they_are_read(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:  # sparse: 5 GB on paper, nothing on disk
        fh.truncate(5 * 1024**3)
    start = time.perf_counter()
    usage_error(heatcalc("compare", big, timeout=30), "a profile may be at most 1,000,000 bytes",
                "this one is 5,368,709,120")
    assert time.perf_counter() - start < 20
    usage_error(heatcalc("batch", "--homes", "-", "--defaults", big, input=b"location.zip\n02134\n", timeout=30),
                "at most 1,000,000 bytes")


def test_stdin_profile_is_bounded():
    usage_error(heatcalc("batch", "-", input=b"name: x\n" + b"#" * 1_100_000 + b"\n", timeout=30),
                "stdin: a profile may be at most 1,000,000 bytes")


def test_a_homes_table_line_without_end_is_cut_at_the_limit(tmp_path):
    table = tmp_path / "homes.csv"
    table.write_bytes(b"location.zip,heating_load.annual\n02134,60\n" + b"9" * 1_200_000)
    proc = heatcalc("batch", "--homes", table, timeout=60)
    assert proc.returncode == 3
    assert "line 3 is longer than 1,000,000 bytes; the rest of the table was not read" in proc.err
    assert proc.out.count("\n") == 4  # the header and the first home's three rows


def test_weather_files_with_too_many_rows_are_refused(tmp_path):
    epw = tmp_path / "w.epw"
    head = "LOCATION,Somewhere,MA,USA,x,0,42.4,-71.0,-5,10\n" + "".join(f"HEADER {i}\n" for i in range(7))
    rows = "".join(f"1999,1,1,{h % 24 + 1},0,x,{h % 30 - 5}.0\n" for h in range(9000))
    epw.write_text(head + rows)
    profile = tmp_path / "w.yaml"
    profile.write_text("location: {weather_file: w.epw}\nheating_load: {annual: 60 MMBtu}\n")
    usage_error(heatcalc("compare", profile), "has more than 8,784 hourly rows")


def test_yaml_alias_bombs_and_deep_nesting_are_cut_off(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, "
              f"*a{i-1}]" for i in range(1, 9)]
    bomb.write_text("\n".join(lines) + "\n")
    usage_error(heatcalc("check", bomb, timeout=30), "expands to more than 20,000 values")
    deep = tmp_path / "deep.yaml"
    deep.write_text("location:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 40)))
    usage_error(heatcalc("check", deep, timeout=30), "nests more than 20 levels deep")


# --- sweep grids --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("vary, message", [
    ("prices.electricity=0:1e308:1e-308", "the range has more than 10,000 values"),
    ("prices.electricity=0:1:0.00001", "the range has more than 10,000 values"),
    ("prices.electricity=-1e308:1e308:1", "the range has more than 10,000 values"),
    ("prices.electricity=0:inf:1", "cannot read the range"),
    ("prices.electricity=0.1,9", "must be between 0 and 5 $/kWh (got 9 $/kWh)"),
])
def test_sweep_grids_are_capped_before_they_start(vary, message):
    usage_error(heatcalc("sweep", BOSTON, "--vary", vary, timeout=30), message)


def test_sweep_two_fields_capped_on_the_product():
    usage_error(heatcalc("sweep", BOSTON, "--vary", "prices.electricity=0.1:0.3:0.01", "--vary",
                         "systems.furnace.afue=0.5:0.99:0.0005", timeout=30), "points is more than 10,000")


# --- data loss ----------------------------------------------------------------------------------------------------

def _homes_table(path: Path, n: int, stations=("725090", "726580", "725300", "727930", "702610", "725650")):
    lines = ["home,location.station,heating_load.annual,systems.heat_pump.hspf2"]
    lines += [f"h{i},{stations[i % len(stations)]},{40 + i % 60},{7.5 + (i % 25) / 10:.1f}" for i in range(n)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("option", ["-o", "--errors"])
def test_an_output_that_is_an_input_is_refused_and_the_input_kept(tmp_path, option):
    table = _homes_table(tmp_path / "victim.csv", 3)
    before = table.read_bytes()
    usage_error(heatcalc("batch", "--homes", table, option, table), "is one of the inputs")
    assert table.read_bytes() == before
    profile = tmp_path / "home.yaml"
    profile.write_text(GOOD)
    usage_error(heatcalc("batch", tmp_path / "*.yaml", option, profile), "is one of the inputs")
    assert profile.read_text() == GOOD
    usage_error(heatcalc("batch", "--homes", table, "-o", tmp_path / "a.csv", "--errors", tmp_path / "a.csv"),
                "name the same file")


def test_output_is_written_whole_or_not_at_all(tmp_path):
    table = _homes_table(tmp_path / "homes.csv", 5)
    out = tmp_path / "out.csv"
    out.write_text("an earlier, complete result\n")
    proc = heatcalc("batch", "--homes", table, "-o", out, "-j", "1")
    assert proc.returncode == 0, proc.err
    assert "out.csv holds the rows of 5 homes" in proc.err
    assert len(list(csv.DictReader(io.StringIO(out.read_text())))) == 15
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    # a usage error after the output was named leaves the earlier file as it was
    bad = tmp_path / "bad.csv"
    bad.write_text("location.zip,location.zip\n02134,02134\n")
    usage_error(heatcalc("batch", "--homes", bad, "-o", out), "is column 1 and column 2")
    assert len(list(csv.DictReader(io.StringIO(out.read_text())))) == 15


def test_a_missing_homes_table_is_a_usage_error():
    usage_error(heatcalc("batch", "--homes", "no-such-table.csv"), "no-such-table.csv: no such file")


@pytest.mark.parametrize("header, message", [
    ("location.zip,location.zip", "location.zip: is column 1 and column 2"),
    ("heating_load,heating_load.annual", "heating_load: is a section"),
    ("location.zip,heating_load.annual,heating_load.annual.x", "heating_load.annual.x: is not a profile field"),
    ("systems.heat_pump,systems.heat_pump.hspf2", "systems.heat_pump.hspf2: is inside column systems.heat_pump"),
    ("location.zip,,heating_load.annual", "column 2 has no name"),
    ("location.zp,heating_load.annual", "location.zp: is not a profile field; did you mean 'zip'?"),
])
def test_ambiguous_or_unknown_table_columns_are_refused(tmp_path, header, message):
    table = tmp_path / "homes.csv"
    table.write_text(header + "\n" + ",".join(["02134"] + ["60"] * header.count(",")) + "\n")
    usage_error(heatcalc("batch", "--homes", table), message)


def test_non_utf8_rows_are_reported_by_line_and_the_rest_run(tmp_path):
    table = tmp_path / "homes.csv"
    table.write_bytes(b"\xef\xbb\xbfhome,location.zip,heating_load.annual\nCaf\xe9,02134,60\nok,02134,50\n")
    proc = heatcalc("batch", "--homes", table)
    assert proc.returncode == 3, proc.err
    assert f"{table}:2: the row is not UTF-8 text; save the table as UTF-8 (with or without a BOM)" in proc.err
    assert {row["home"] for row in csv.DictReader(io.StringIO(proc.out))} == {"ok"}
    latin_header = tmp_path / "latin.csv"
    latin_header.write_bytes(b"location.zip,heating_load.annual,caf\xe9\n")
    usage_error(heatcalc("batch", "--homes", latin_header), "the header is not UTF-8 text")


def test_a_yaml_profile_on_stdin_is_not_mistaken_for_a_table():
    text = b"# Boston, MA. Colonial, 1920s\n" + BOSTON.read_bytes()
    proc = heatcalc("batch", "-", input=text)
    assert proc.returncode == 0, proc.err
    assert [r["system"] for r in csv.DictReader(io.StringIO(proc.out))] == ["heat_pump", "furnace",
                                                                           "electric_resistance"]
    table = b"home,location.zip,heating_load.annual\na,02134,60\nb,55401,70\n"
    proc = heatcalc("batch", "-", input=table)
    assert proc.returncode == 0, proc.err
    assert [r["home"] for r in csv.DictReader(io.StringIO(proc.out))] == ["a"] * 3 + ["b"] * 3


# --- signals and pipes --------------------------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_batch(tmp_path, n=30000):
    table = _homes_table(tmp_path / "homes.csv", n)
    out = tmp_path / "out.csv"
    proc = subprocess.Popen([*HEATCALC_AT_A_TERMINAL, "batch", "--homes", str(table), "-j", "2", "-o", str(out)],
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until rows are being written, so the signal lands mid-run
        if any(p.name.startswith(".out.csv.") and p.stat().st_size > 10_000 for p in tmp_path.iterdir()):
            break
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the run finished before it could be stopped")
    return proc, out


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process tables from /proc")
@pytest.mark.parametrize("signum, status, word", [(signal.SIGINT, 130, "Interrupted"),
                                                  (signal.SIGTERM, 143, "Stopped by SIGTERM")])
def test_signals_stop_workers_and_keep_whole_rows_with_a_true_count(tmp_path, signum, status, word):
    proc, out = _start_batch(tmp_path)
    workers = _children(proc.pid)
    assert workers, "the run has worker processes"
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == status, stderr
    assert "Traceback" not in stderr
    summary = stderr.strip().splitlines()[-1]
    assert summary.startswith(f"{word}: ")
    computed = int(summary.split(" computed")[0].rsplit(" ", 1)[1].replace(",", ""))
    assert f"out.csv holds the rows of {computed:,} homes" in summary
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 3 * computed  # three systems a home, every home whole
    assert all(None not in row.values() and len(row) == len(COLUMNS) + 1 for row in rows)
    assert [row["home"] for row in rows[::3]] == [f"h{i}" for i in range(computed)]  # in order, none skipped
    time.sleep(0.5)
    assert not [w for w in workers if _alive(w)], "worker processes outlived the run"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process tables from /proc")
def test_workers_exit_when_the_parent_is_killed(tmp_path):
    proc, out = _start_batch(tmp_path)
    workers = _children(proc.pid)
    assert workers
    proc.kill()
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "worker processes outlived a killed parent"
    assert not out.exists()  # the half-written rows stay under a temporary name, never posing as the output


@pytest.mark.parametrize("args", [
    ["compare", BOSTON], ["compare", BOSTON, "--explain"], ["compare", BOSTON, "--monthly"],
    ["compare", BOSTON, "-f", "json"], ["compare", BOSTON, "-f", "csv"], ["stations"], ["prices"],
    ["schema"], ["sweep", BOSTON, "--vary", "prices.electricity=0.05:0.5:0.01"], ["init"],
])
def test_a_closed_pipe_is_not_a_failure(args):
    command = " ".join(f'"{a}"' for a in [sys.executable, "-m", "heatcalc", *map(str, args)])
    proc = subprocess.run(f"{command} | head -n 1 >/dev/null; exit ${{PIPESTATUS[0]}}", shell=True,
                          executable="/bin/bash", capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_version_is_an_eager_option():
    proc = heatcalc("--version")
    assert proc.returncode == 0 and proc.out.startswith("heatcalc ")
    assert heatcalc("--version", "compare").out == proc.out


# --- inputs people write that should simply work --------------------------------------------------------------

def test_merge_keys_zip_plus_four_and_wrapping_time_of_use(tmp_path):
    path = tmp_path / "home.yaml"
    path.write_text(
        "x-cold-climate: &ccHP {hspf2: 9.5, compressor: variable_speed}\n"
        "location: {zip: 02134-1234}\n"
        "heating_load: {annual: 60 MMBtu}\n"
        "systems:\n  heat_pump:\n    <<: *ccHP\n    hspf2: 10\n"
        "tariff:\n  electricity:\n"
        "    - {price: 0.12 $/kWh, hours: 22-6}\n"
        "    - {price: 0.35 $/kWh, months: 11-3, hours: 16-21}\n"
        "    - {price: 0.25 $/kWh}\n")
    proc = heatcalc("compare", path, "-f", "json", "--explain")
    assert proc.returncode == 0, proc.err
    doc = json.loads(proc.out)[0]
    assert doc["inputs"]["location"]["zip"] == "02134"
    assumed = {a["field"]: a["value"] for a in doc["assumptions"]}
    assert "systems.heat_pump.compressor" not in assumed  # came through the merge
    assert "HSPF2 10 variable_speed" in assumed["systems.heat_pump.performance"]  # the key written wins


def test_vary_lists_with_units():
    proc = heatcalc("sweep", BOSTON, "--vary", "prices.electricity=18 c/kWh,20 c/kWh,22 c/kWh", "-f", "csv")
    assert proc.returncode == 0, proc.err
    rows = list(csv.DictReader(io.StringIO(proc.out)))
    assert sorted({row["prices.electricity"] for row in rows}) == ["18.0", "20.0", "22.0"]
    hp = {row["prices.electricity"]: float(row["annual_cost_usd"]) for row in rows if row["system"] == "heat_pump"}
    # 18 c/kWh is 0.18 $/kWh: the cost per cent is the same kWh at every step
    assert hp["20.0"] - hp["18.0"] == pytest.approx(hp["22.0"] - hp["20.0"], rel=1e-9)
    usage_error(heatcalc("sweep", BOSTON, "--vary", "prices.electricity=0.18,20 c/kWh"), "different units")


def test_progress_on_a_terminal_counts_the_homes_and_leaves_only_the_summary(tmp_path):
    import pty

    table = _homes_table(tmp_path / "homes.csv", 300)
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "heatcalc", "batch", "--homes", str(table), "-j", "1"],
                            stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    out, _ = proc.communicate(timeout=60)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    text = seen.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert "Traceback" not in text and "300 homes: 300 computed, 0 failed" in text
    assert out.decode().count("\n") == 1 + 3 * 300


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process tables from /proc")
def test_a_second_ctrl_c_stops_at_once_and_discards_the_file(tmp_path):
    proc, out = _start_batch(tmp_path)
    proc.send_signal(signal.SIGINT)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    # either the first signal's orderly stop won the race (whole rows kept) or the second discarded the file
    if out.exists():
        rows = list(csv.DictReader(io.StringIO(out.read_text())))
        assert len(rows) % 3 == 0 and all(None not in row.values() for row in rows)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_stop_swallowed_before_the_batch_began_still_stops_an_endless_run():
    # Ctrl-C can land where Python swallows its exception ("Exception ignored" in a garbage-collection callback or
    # a __del__, as a batch starts up); the stop is noted (fileio.note_stop). The note was read only at the end,
    # which a table read from an endless pipe never reaches: the batch's watch now stops at the first home written
    # after it.
    import itertools

    from heatcalc import cli, fileio

    def endless():
        n = 0
        while True:
            n += 1
            yield n

    rows = endless()
    swallowed = KeyboardInterrupt()
    fileio.note_stop(swallowed)
    signals = cli._DeferredSignals()
    try:
        seen = list(itertools.islice(signals.watch(rows), 1000))  # (without the fix: 1,000, not one)
    finally:
        signals.restore()
        fileio._stops.remove(swallowed)
    assert seen == [1]  # the home in hand is written whole, then the run stops
    assert signals.received is swallowed  # reported as an interruption (exit 130), as a Ctrl-C during the run is
    assert rows.gi_frame is None  # the source (the workers' results) is closed
