"""Backup strips with a capacity and a lockout temperature, and the unmet heat they leave."""

import numpy as np
import pytest

import heatcalc
from heatcalc.errors import HeatcalcError
from heatcalc.model.engine import heat_pump_from_performance
from heatcalc.simulate import annual_energy, annual_energy_many

KW = 3412.14163  # Btu/h in 1 kW (NIST SP 811)


def _hour(load, temp, cap_kw, lockout=np.inf):
    # a heat pump of 20,000 Btu/h at COP 2 (one speed), above a -13 F cutoff
    return heat_pump_from_performance(
        np.array([load]), np.array([temp]), 20_000.0, 20_000.0, 2.0, 2.0, cutoff_f=-13.0, dual_fuel=False,
        switchover_f=-np.inf, cycling_degradation=0.0, strip_capacity_btu_per_h=cap_kw * KW,
        strip_lockout_f=lockout)


def test_strips_cover_up_to_their_capacity_and_the_rest_is_unmet():
    # by hand: 40,000 Btu/h load; the heat pump gives 20,000 for 20,000 / (2 x 3,412.14) = 2.9307 kWh; 3 kW strips give
    # 10,236.4 Btu and 3 kWh; unmet 40,000 - 20,000 - 10,236.4 = 9,763.6 Btu
    h = _hour(40_000.0, 10.0, 3.0)
    assert h.backup_heat_btu[0] == pytest.approx(3 * KW)
    assert h.unmet_btu[0] == pytest.approx(40_000 - 20_000 - 3 * KW)
    assert h.electricity_kwh[0] == pytest.approx(20_000 / (2 * KW) + 3.0)
    assert h.heat_btu[0] == pytest.approx(20_000 + 3 * KW)


def test_locked_out_strips_leave_the_shortfall_unmet_and_below_the_cutoff_carry_alone():
    h = _hour(30_000.0, 35.0, 10.0, lockout=30.0)  # above the lockout: no strips
    assert h.backup_heat_btu[0] == 0.0 and h.unmet_btu[0] == pytest.approx(10_000.0)
    h = _hour(30_000.0, -20.0, 5.0, lockout=30.0)  # below the cutoff: strips only, 5 kW
    assert h.compressor_heat_btu[0] == 0.0 and h.backup_heat_btu[0] == pytest.approx(5 * KW)
    assert h.unmet_btu[0] == pytest.approx(30_000 - 5 * KW)


def _profile(tmp_path, extra):
    p = tmp_path / "home.yaml"
    p.write_text('name: strips\nlocation: {zip: "55401"}\nheating_load: {ua: 700 Btu/h/F}\nsystems:\n'
                 f"  heat_pump: {{hspf2: 8.5, compressor: variable_speed, capacity: 3 ton{extra}}}\n")
    return p


def test_a_year_with_small_strips_reports_unmet_heat_that_closes_the_balance(tmp_path):
    free = heatcalc.compare(_profile(tmp_path, ""))
    limited = heatcalc.compare(_profile(tmp_path, ", backup_capacity: 5 kW, backup_lockout: 30 F"))
    hp_free, hp_lim = free.rows[0], limited.rows[0]
    assert hp_free.unmet_heat_mmbtu == 0.0 and hp_free.unmet_hours == 0.0
    assert hp_lim.unmet_heat_mmbtu > 0 and hp_lim.unmet_hours > 0
    # the load is the same; delivered + unmet closes it
    assert hp_lim.heat_delivered_mmbtu + hp_lim.unmet_heat_mmbtu == pytest.approx(hp_free.heat_delivered_mmbtu)
    assert hp_lim.electricity_kwh < hp_free.electricity_kwh
    # large strips with no lockout change nothing
    big = heatcalc.compare(_profile(tmp_path, ", backup_capacity: 100 kW"))
    assert big.rows[0].electricity_kwh == pytest.approx(hp_free.electricity_kwh, rel=1e-12)
    assert big.rows[0].unmet_heat_mmbtu == 0.0
    # batch's (homes x bins) path gives the same year as the single-home path
    home = limited.home
    one = annual_energy(home)["heat_pump"]
    many = annual_energy_many([home, free.home])[0]["heat_pump"]
    assert many.unmet_btu == pytest.approx(one.unmet_btu) and many.unmet_hours == one.unmet_hours
    assert many.electricity_kwh == pytest.approx(one.electricity_kwh)


def test_strip_limits_with_dual_fuel_are_refused(tmp_path):
    p = tmp_path / "home.yaml"
    p.write_text('name: df\nlocation: {zip: "55401"}\nheating_load: {ua: 700 Btu/h/F}\nsystems:\n'
                 "  heat_pump: {hspf2: 8.5, backup: furnace, backup_capacity: 5 kW}\n  furnace: {fuel: natural_gas}\n")
    with pytest.raises(HeatcalcError, match="backup_capacity: applies to resistance strips"):
        heatcalc.compare(p)
