"""Cooling limited by each unit's cooling capacity: unmet cooling, a heat pump sized for both loads, and a warning
when a heat pump given for heating is too small to cool."""

import subprocess
import sys

import numpy as np
import pytest

import heatcalc
from heatcalc.home import cooling_design_btu_per_h

BASE = 'name: cool\nlocation: {zip: "85004"}\nheating_load: {ua: 300 Btu/h/F}\ncooling_load: {ua: 700 Btu/h/F}\n'


def _compare(tmp_path, systems):
    p = tmp_path / "home.yaml"
    p.write_text(BASE + "systems:\n" + systems)
    return heatcalc.compare(p), p


def test_unmet_cooling_is_the_load_above_the_capacity_hour_by_hour(tmp_path):
    c, _ = _compare(tmp_path, "  heat_pump: {hspf2: 8.5}\n  air_conditioner: {seer2: 14, capacity: 1.5 ton}\n")
    h = c.home
    # by hand, on the same hours: load = 700 x max(0, T - 65 F); the AC delivers at most 18,000 Btu/h
    load = 700.0 * np.maximum(0.0, h.temp_f - 65.0)
    short = np.maximum(0.0, load - 18_000.0)
    furnace = next(r for r in c.results if r.system == "furnace")
    assert furnace.unmet_cooling_btu == pytest.approx(short.sum(), rel=1e-9)
    assert furnace.unmet_cooling_hours == np.count_nonzero(short > 1e-6)
    # electricity for what it delivers: Btu / SEER2 [Btu/Wh] / 1000
    assert furnace.cooling_electricity_kwh == pytest.approx(np.minimum(load, 18_000.0).sum() / 14 / 1000, rel=1e-9)


def test_an_autosized_heat_pump_covers_the_cooling_design_load(tmp_path):
    c, _ = _compare(tmp_path, "  heat_pump: {hspf2: 8.5}\n")
    design, hot = cooling_design_btu_per_h(c.home.cooling, c.home.weather)
    assert design == pytest.approx(700.0 * (hot - 65.0))
    assert c.home.heat_pump_nominal_btu_per_h >= design  # heating alone needs well under a ton in Phoenix
    assert c.home.heat_pump_nominal_btu_per_h - design < 6000.0  # the smallest standard size that covers it
    assert any("raised to cover the cooling design load" in a.source for a in c.home.assumptions)
    assert not c.home.warnings


def test_a_heat_pump_too_small_to_cool_is_warned_about(tmp_path):
    c, p = _compare(tmp_path, "  heat_pump: {hspf2: 8.5, capacity: 1 ton}\n")
    assert any("too small to cool" in w for w in c.home.warnings)
    hp = c.results[0]
    assert hp.unmet_cooling_hours > 100
    run = subprocess.run([sys.executable, "-m", "heatcalc", "compare", str(p), "--format", "csv"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "too small to cool" in run.stderr and "too small" not in run.stdout
    header = run.stdout.splitlines()[0].split(",")
    assert header[header.index("unmet_cooling_mmbtu"):header.index("meets_load") + 1] == ["unmet_cooling_mmbtu", "unmet_cooling_hours", "meets_load"]


def test_batch_reports_each_homes_warnings_on_stderr(tmp_path):
    _, p = _compare(tmp_path, "  heat_pump: {hspf2: 8.5, capacity: 1 ton}\n")
    run = subprocess.run([sys.executable, "-m", "heatcalc", "batch", str(p), "--format", "csv", "--jobs", "2"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "too small to cool" not in run.stdout
    assert f"Warning: {p}: systems.heat_pump: its cooling capacity" in run.stderr
    assert "1 computed, 0 failed" in run.stderr
