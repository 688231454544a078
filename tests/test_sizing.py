"""heatcalc size: hand-checked cases."""

import csv
import io

import pytest
from typer.testing import CliRunner

from heatcalc.cli import app
from heatcalc.home import build_home
from heatcalc.model.heat_pump import calibrated_default_curve
from heatcalc.profile import validate
from heatcalc.sizing import size_home, strip_size_kw

from .conftest import ROOT


def test_strip_sizes():
    assert strip_size_kw(0.0) == 0.0
    assert strip_size_kw(6.5) == 7.5
    assert strip_size_kw(31.0) == 35.0


def test_sizing_by_hand():
    # UA 500 Btu/h/F, balance point 60 F, Chicago Midway (99 % design -0.4 F): design load 500 × 60.4 = 30,200 Btu/h.
    home = build_home(validate({"location": {"station": "725340"}, "heating_load": {"ua": 500},
                                "systems": {"heat_pump": {"hspf2": 9}}}, "x"))
    result = size_home(home)
    assert result.design_temp_f == pytest.approx(-0.4, abs=0.05)
    assert result.design_load_btu_per_h == pytest.approx(500 * (60 - result.design_temp_f))
    by = {o.compressor: o for o in result.options}
    # variable speed: the smallest standard size whose maximum capacity at the design temperature covers 30,200
    vs_unit, _, _ = calibrated_default_curve(9.0, "variable_speed", 0.15)
    per_btu = float(vs_unit.capacity_max(result.design_temp_f))
    expected = min(t * 12000 for t in (0.75, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10)
                   if t * 12000 * per_btu >= result.design_load_btu_per_h)
    assert by["variable_speed"].nominal_btu_per_h == expected
    assert by["variable_speed"].covers_design_load and by["variable_speed"].backup_strip_kw == 0
    # single stage: sized at 17 F for 500 × 43 = 21,500 Btu/h; Q17/Q47 = 0.59 → at least 36,441 → 3.5 tons
    ss = by["single_stage"]
    assert ss.sizing_temp_f == 17.0 and ss.nominal_tons == 3.5
    # its backup: design load less its capacity at the design temperature, as kW
    assert ss.backup_needed_kw == pytest.approx((ss.design_load_btu_per_h - ss.capacity_at_design_btu_per_h)
                                                / 3412.14163)
    assert 0 < ss.heat_share_without_backup < by["variable_speed"].heat_share_without_backup <= 1


def test_design_below_cutoff_needs_full_backup():
    home = build_home(validate({"location": {"zip": "99701"}, "heating_load": {"ua": 400},
                                "systems": {"heat_pump": {"cutoff": "-13 F"}}}, "x"))
    result = size_home(home)
    assert result.design_temp_f < -13
    for o in result.options:
        assert o.capacity_at_design_btu_per_h == 0.0
        if o.unit == "standard":
            assert o.backup_needed_kw == pytest.approx(o.design_load_btu_per_h / 3412.14163)
        else:  # the profile's own unit: strips for its largest hourly shortfall, at least the design load
            assert o.backup_needed_kw >= o.design_load_btu_per_h / 3412.14163 - 1e-9


def test_size_cli():
    r = CliRunner().invoke(app, ["size", str(ROOT / "profiles" / "chicago-dual-fuel.yaml"), "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(row["unit"], row["compressor"]) for row in rows] == [
        ("profile", "two_stage"), ("standard", "single_stage"), ("standard", "two_stage"),
        ("standard", "variable_speed")]
    assert CliRunner().invoke(app, ["size", str(ROOT / "profiles" / "boston-gas.yaml")]).exit_code == 0
