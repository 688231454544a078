"""Writes that fail or would harm: a full disk, the file-size limit, devices as targets, '-' for stdout, and outputs
that would replace a file the profile reads. Full devices are made for the test (a 64 kB tmpfs), never /dev/full."""

import os
import resource
import signal
import stat
import subprocess
import sys

import pytest

from .conftest import ROOT

P = ROOT / "profiles"
BOSTON = P / "boston-gas.yaml"
ALL = sorted(P.glob("*.yaml"))


def run(*args, cwd=None, limit_bytes=None, stdout=None):
    def preexec():
        if limit_bytes is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG instead of killing
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    proc = subprocess.run([sys.executable, "-m", "heatcalc", *map(str, args)], cwd=cwd, timeout=300,
                          stdout=stdout if stdout is not None else subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, preexec_fn=preexec, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture
def full_dir(tmp_path):
    """A folder on a 64 kB tmpfs filled to 4 kB short of full: the next 4 kB written fit, then ENOSPC."""
    mnt = tmp_path / "full"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (not root?); the file-size-limit tests cover the same paths")
    try:
        with open(mnt / "fill", "wb") as fh:
            fh.write(b"\0" * 60 * 1024)
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name != "fill")


def _one_error_line(proc, name, reason="No space left on device"):
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert lines == [f"Error: {name}: {reason}"], proc.stderr


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_batch_output_on_a_full_disk_is_exit_1_with_no_file_and_no_claim(full_dir, suffix):
    target = full_dir / f"out.{suffix}"
    proc = run("batch", *ALL, "-o", target)
    _one_error_line(proc, target)
    assert _leftovers(full_dir) == []  # no temporary file, no cut-short target


def test_batch_errors_file_on_a_full_disk(full_dir, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("location: {zip: '02134'}\nheating_load: {annual: -5 MMBtu}\n" + "# padding\n" * 10)
    proc = run("batch", *ALL, bad, "-o", tmp_path / "rows.csv", "--errors", full_dir / "errors.csv")
    assert proc.returncode in (1, 3)
    assert not (tmp_path / "rows.csv").exists() or proc.returncode == 3


def test_compare_hourly_and_report_on_a_full_disk(full_dir):
    for args, target in ((("compare", BOSTON, "--hourly"), full_dir / "h.csv"),
                         (("report", BOSTON, "-o"), full_dir / "r.html")):
        proc = run(*args, target)
        assert proc.returncode == 1 and f"Error: {target}: No space left on device" in proc.stderr
        assert "Wrote" not in proc.stderr
    assert _leftovers(full_dir) == []


@pytest.mark.parametrize("args", [("batch", *ALL), ("compare", BOSTON, "--format", "json"), ("--version",),
                                  ("schema",), ("compare", BOSTON, "--hourly", "-")])
def test_stdout_on_a_full_disk_is_exit_1(full_dir, args):
    # stdout redirected to a file on a full disk, with Python unbuffered (PYTHONUNBUFFERED=1, where Python itself
    # drops the rest of a short write); --version fills less than the 4 kB left, so fill the disk first.
    if args == ("--version",):
        try:
            with open(full_dir / "fill2", "wb") as fh:
                fh.write(b"\0" * 8192)
        except OSError:
            pass  # the disk is now full to the last byte
    with open(full_dir / "stdout.txt", "w") as out:
        proc = run(*args, stdout=out)
    assert proc.returncode == 1, proc.stderr
    assert "Error: stdout: No space left on device" in proc.stderr
    assert " computed, " not in proc.stderr  # no claim of rows written


def test_the_file_size_limit_mid_write_is_exit_1(tmp_path):
    target = tmp_path / "out.csv"
    proc = run("batch", *ALL, "-o", target, limit_bytes=8192)
    _one_error_line(proc, target, "File too large")
    assert list(tmp_path.iterdir()) == []


def test_a_device_target_is_written_in_place_never_replaced(tmp_path):
    # A null device of our own (same numbers as /dev/null): -o must write into it, not rename a file over it.
    dev = tmp_path / "null"
    try:
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("cannot make a device node here")
    for args in (("batch", BOSTON, "-o", dev), ("compare", BOSTON, "--hourly", dev),
                 ("report", BOSTON, "-o", dev), ("batch", BOSTON, "--homes", "-", "-o", dev)):
        if "--homes" in args:
            continue
        proc = run(*args)
        assert proc.returncode == 0, proc.stderr
        assert stat.S_ISCHR(os.stat(dev).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_a_fifo_target_is_written_in_place(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    proc = run("batch", BOSTON, "-o", fifo)
    out = reader.communicate(timeout=60)[0].decode()
    assert proc.returncode == 0 and out.startswith("home,profile,system,") and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_dash_means_stdout_everywhere(tmp_path):
    proc = run("compare", BOSTON, "--hourly", "-")
    assert proc.returncode == 0 and proc.stdout.startswith("profile,system,")
    assert len(proc.stdout.splitlines()) == 1 + 3 * 8760
    proc = run("batch", BOSTON, "-o", "-")
    assert proc.returncode == 0 and proc.stdout.startswith("home,profile,system,")
    proc = run("report", BOSTON, "-o", "-")
    assert proc.returncode == 0 and proc.stdout.startswith("<!doctype html>")
    proc = run("report", BOSTON, "--format", "svg", "--chart", "annual_cost", "-o", "-")
    assert proc.returncode == 0 and "<svg" in proc.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("location: {zip: '02134'}\nheating_load: {annual: -5 MMBtu}\n")
    proc = run("batch", BOSTON, bad, "-o", tmp_path / "rows.csv", "--errors", "-")
    assert proc.returncode == 3 and proc.stdout.startswith("home,source,line,field,message")
    proc = run("batch", BOSTON, bad, "--errors", "-")
    assert proc.returncode == 2 and "would mix" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "rows.csv"]  # no file named '-'


def test_a_suffix_that_disagrees_with_the_format_is_refused(tmp_path):
    proc = run("report", BOSTON, "--format", "svg", "--chart", "annual_cost", "-o", tmp_path / "x.png")
    assert proc.returncode == 2 and "--format is svg" in proc.stderr and not (tmp_path / "x.png").exists()


def test_report_checks_its_output_before_any_work(tmp_path):
    proc = run("report", BOSTON, "-o", tmp_path / "no" / "such" / "r.html")
    assert proc.returncode == 2 and "does not exist" in proc.stderr


@pytest.fixture
def home_with_files(tmp_path):
    """A profile that reads a load series and a weather file of its own."""
    import heatcalc

    c = heatcalc.compare(ROOT / "profiles" / "denver-gas.yaml")
    load = tmp_path / "load.csv"
    load.write_text("q\n" + "\n".join(repr(float(v)) for v in c.home.heat_load_btu_per_h()) + "\n")
    weather = tmp_path / "weather.csv"
    weather.write_text("temp_f\n" + "\n".join(repr(float(t)) for t in c.home.temp_f) + "\n")
    profile = tmp_path / "home.yaml"
    profile.write_text("location: {zip: '80205'}\nheating_load:\n  hourly: {file: load.csv, column: q, unit: Btu/h}\n")
    return tmp_path, profile, load


def test_outputs_never_replace_a_file_the_profile_reads(home_with_files):
    folder, profile, load = home_with_files
    before = load.read_bytes()
    for args in (("compare", profile, "--hourly", load), ("batch", profile, "-o", load),
                 ("report", profile, "-o", load), ("batch", profile, "-o", "x.csv", "--errors", load)):
        proc = run(*args, cwd=folder)
        assert proc.returncode == 2 and "is one of the inputs" in proc.stderr, (args, proc.stderr)
        assert load.read_bytes() == before


def test_report_refuses_to_replace_the_weather_file(tmp_path):
    import heatcalc

    c = heatcalc.compare(ROOT / "profiles" / "denver-gas.yaml")
    weather = tmp_path / "weather.epw"
    profile = tmp_path / "home.yaml"
    profile.write_text("location: {weather_file: weather.epw, state: CO}\nheating_load: {annual: 60 MMBtu}\n")
    weather.write_text("stand-in\n")
    proc = run("report", profile, "-o", weather, "--format", "html")
    assert proc.returncode == 2 and weather.read_text() == "stand-in\n"
    del c


def test_a_stop_whose_exception_was_swallowed_still_wins(tmp_path):
    # A signal handler's exception raised inside a gc callback is printed as "Exception ignored" and lost; the
    # stop is noted as well, so the report is not committed and the exit is the signal's.
    code = f"""
import gc, os, signal, sys
from heatcalc.cli import main
fired = []
def callback(phase, info):
    if phase == "start" and not fired and "html_report" in str(sys._getframe(1).f_code.co_name) or (
            phase == "start" and not fired and any("report" in f for f in _frames())):
        fired.append(1)
        os.kill(os.getpid(), signal.SIGTERM)
def _frames():
    f = sys._getframe(1)
    while f is not None:
        yield f.f_code.co_filename
        f = f.f_back
gc.callbacks.append(callback)
sys.argv = ["heatcalc", "report", {str(BOSTON)!r}, "-o", {str(tmp_path / 'r.html')!r}]
main()
"""
    target = tmp_path / "r.html"
    target.write_text("old report\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 143, proc.stderr[-2000:]
    # the handler's exception was lost in gc (Python would print "Exception ignored ..." and a traceback): the
    # unraisable hook keeps it to the one stop line
    assert "Exception ignored" not in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == ["Stopped by SIGTERM."], proc.stderr
    assert target.read_text() == "old report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]
