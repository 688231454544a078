"""Bills under URDB rates, by hand: fixed, tiered (monthly and daily), time-of-use with weekends and daylight saving
time, minimum, demand and real-time charges, export rules; gas blocks; bad rate files."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import heatcalc
from heatcalc.bills import (GasBlocks, clock_calendar, electric_bill, gas_bill_usd, schedule_period)
from heatcalc.tariffs import TariffError, read_urdb, tariff_from_urdb

from .conftest import ROOT

SAMPLES = ROOT.parent / "shared" / "data" / "tariffs" / "openstudio_hpxml_samples"
ZEROS = [[0] * 24 for _ in range(12)]
HOURS_JAN = 31 * 24


def rate(tmp_path, **fields):
    """A URDB rate file with the fields given (a flat 0.10 $/kWh energy rate unless replaced)."""
    item = {"name": "test rate", "sector": "Residential", "energyratestructure": [[{"rate": 0.10, "unit": "kWh"}]],
            "energyweekdayschedule": ZEROS, "energyweekendschedule": ZEROS, **fields}
    path = tmp_path / "rate.json"
    path.write_text(json.dumps({"items": [item]}))
    return path


def tariff(tmp_path, year=2023, dst=True, **fields):
    r, _ = read_urdb(rate(tmp_path, **fields))
    return tariff_from_urdb(r, "rate.json", year, dst)


def test_flat_rate_and_fixed_charges_by_hand(tmp_path):
    # 1 kWh each hour at $0.10 + $9/month: 876 + 108 = $984
    t = tariff(tmp_path, fixedchargefirstmeter=9, fixedchargeunits="$/month")
    assert electric_bill(t, np.ones(8760)).total_usd == pytest.approx(876.0 + 108.0)
    # $0.30/day: x 365 days
    t = tariff(tmp_path, fixedchargefirstmeter=0.3, fixedchargeunits="$/day")
    assert electric_bill(t, np.ones(8760)).total_usd == pytest.approx(876.0 + 0.3 * 365)
    # $120/year: 10 a month
    t = tariff(tmp_path, fixedchargefirstmeter=120, fixedchargeunits="$/year")
    assert electric_bill(t, np.ones(8760)).total_usd == pytest.approx(876.0 + 120.0)


def test_monthly_tiers_fill_in_time_order(tmp_path):
    # 150 kWh at $0.06, the rest at $0.08: January's 744 kWh = 150 x 0.06 + 594 x 0.08 = $56.52
    t = tariff(tmp_path, energyratestructure=[[{"max": 150, "rate": 0.06}, {"rate": 0.08}]])
    b = electric_bill(t, np.ones(8760))
    assert b.energy_usd[0] == pytest.approx(150 * 0.06 + 594 * 0.08)
    assert b.energy_usd[1] == pytest.approx(150 * 0.06 + (672 - 150) * 0.08)  # February: 672 kWh
    # every month starts again from the first tier; months are the meter's (clock time): March loses the hour the
    # clocks skip (743 h) and November gains the one they repeat (721 h)
    hours = [744, 672, 743, 720, 744, 720, 744, 744, 720, 744, 721, 744]
    assert b.energy_usd == pytest.approx([150 * 0.06 + (h - 150) * 0.08 for h in hours])
    assert electric_bill(tariff(tmp_path, dst=False, energyratestructure=[[{"max": 150, "rate": 0.06},
                                                                          {"rate": 0.08}]]),
                         np.ones(8760)).energy_usd[2] == pytest.approx(150 * 0.06 + (744 - 150) * 0.08)


def _tiers_hour_by_hour(quantity, bounds_rates_of_hour):
    """An independent reference for tiered charges: walk the year an hour at a time, keeping the month's running
    use, and split each hour's kWh between the tiers the running use passes through (below zero at the first
    tier's rate)."""
    month_start = np.cumsum([0] + [24 * d for d in (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30)])
    out = np.zeros(quantity.size)
    running = 0.0
    for h, q in enumerate(quantity):
        if h in month_start:
            running = 0.0
        bounds, rates = bounds_rates_of_hour(h)
        start, end = running, running + q
        lo_end, hi_end = min(start, end), max(start, end)
        charge, lower = 0.0, -np.inf
        for upper, price in zip(bounds, rates):
            a, b = max(lo_end, lower), min(hi_end, upper)
            if b > a:
                charge += (b - a) * price
            lower = upper
        out[h] = charge if q >= 0 else -charge
        running = end
    return out


def test_tiered_charges_equal_an_hour_by_hour_walk(tmp_path):
    # Three tiers in an off-peak period, two in a peak one (different bounds), over a year of uses that are
    # sometimes negative (net metering): every month the same as walking the hours one by one.
    from heatcalc.bills import MONTH_START, _tiered_month_usd

    weekday = [[1 if 14 <= h < 20 else 0 for h in range(24)] for _ in range(12)]
    t = tariff(tmp_path, energyweekdayschedule=weekday, energyweekendschedule=ZEROS, energyratestructure=[
        [{"max": 200, "rate": 0.10}, {"max": 500, "rate": 0.15}, {"rate": 0.22}],
        [{"max": 60, "rate": 0.30}, {"rate": 0.40}]])
    rng = np.random.default_rng(7)
    use = rng.uniform(-0.8, 2.5, (3, 8760))
    got = _tiered_month_usd(use, t.energy_period, t.energy_tiers)
    for row in range(3):
        def of_hour(h):
            tiers = t.energy_tiers[t.energy_period[h]][int(np.searchsorted(np.cumsum(
                [24 * d for d in (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)]), h, side="right"))]
            return list(tiers.upper), list(tiers.buy)
        walked = np.add.reduceat(_tiers_hour_by_hour(use[row], of_hour), MONTH_START[:-1])
        assert got[row] == pytest.approx(walked, abs=1e-9)
    # one home at a time gives the same as many at once
    assert _tiered_month_usd(use[1], t.energy_period, t.energy_tiers) == pytest.approx(got[1], abs=1e-12)


def _drawn_rate(data, folder, most_periods: int, lowest_bound: int, rates: tuple, sell: bool = False, **extra):
    """A generated rate: one to ``most_periods`` periods on random weekday and weekend schedules, each with one to
    three tiers of its own bounds (from ``lowest_bound`` kWh) and rates in ``rates``, a sell rate with ``sell``."""
    periods = data.draw(st.integers(1, most_periods))
    hours = st.lists(st.lists(st.integers(0, periods - 1), min_size=24, max_size=24), min_size=12, max_size=12)
    structure = []
    for _ in range(periods):
        bounds = sorted(data.draw(st.lists(st.integers(lowest_bound, 900), min_size=0, max_size=2, unique=True)))
        prices = data.draw(st.lists(st.floats(*rates), min_size=len(bounds) + 1, max_size=len(bounds) + 1))
        paid = {"sell": data.draw(st.floats(0.0, 0.1))} if sell else {}
        structure.append([{"max": b, "rate": r, **paid} for b, r in zip(bounds, prices)]
                         + [{"rate": prices[-1], **paid}])
    return tariff(folder, energyweekdayschedule=data.draw(hours), energyweekendschedule=data.draw(hours),
                  energyratestructure=structure, **extra)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_tiered_month_charges_equal_the_walk_for_any_schedule(tmp_path_factory, data):
    # Generated rates: one to three periods on random weekday and weekend schedules (so the period changes at
    # random hours), each period with one to three tiers of its own bounds, and use that is sometimes negative
    # (net metering): each month's charge equals walking the hours one by one (the reference above).
    from heatcalc.bills import MONTH_START, _tiered_month_usd

    t = _drawn_rate(data, tmp_path_factory.mktemp("rate"), 3, 1, (0.01, 0.6))
    use = np.random.default_rng(data.draw(st.integers(0, 2**31))).uniform(-1.5, 3.0, 8760)
    ends = np.cumsum([24 * d for d in (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)])

    def of_hour(h):
        tiers = t.energy_tiers[t.energy_period[h]][int(np.searchsorted(ends, h, side="right"))]
        return list(tiers.upper), list(tiers.buy)

    walked = np.add.reduceat(_tiers_hour_by_hour(use, of_hour), MONTH_START[:-1])
    assert _tiered_month_usd(use, t.energy_period, t.energy_tiers) == pytest.approx(walked, abs=1e-8)


def test_daily_tiers_scale_by_the_days_of_the_month(tmp_path):
    # 5 kWh a day in the first tier: 155 kWh in January, 140 in February
    t = tariff(tmp_path, energyratestructure=[[{"max": 5, "rate": 0.06, "unit": "kWh daily"}, {"rate": 0.08}]])
    b = electric_bill(t, np.ones(8760))
    assert b.energy_usd[0] == pytest.approx(155 * 0.06 + (744 - 155) * 0.08)
    assert b.energy_usd[1] == pytest.approx(140 * 0.06 + (672 - 140) * 0.08)


def test_adj_is_added_to_the_rate(tmp_path):
    t = tariff(tmp_path, energyratestructure=[[{"rate": 0.10, "adj": 0.02}]])
    assert electric_bill(t, np.ones(8760)).total_usd == pytest.approx(8760 * 0.12)


def test_weekday_weekend_and_daylight_saving_in_clock_time():
    # 2023: 1 January a Sunday; daylight saving from 12 March 02:00 to 5 November 02:00
    hod, month, weekend = clock_calendar(2023, True)
    assert weekend[0] and not weekend[24]  # Sunday 1 January, Monday 2 January
    july3 = (181 + 2) * 24  # 3 July (a Monday), 00:00 standard time
    assert hod[july3 + 15] == 16  # 15:00 standard is 16:00 on the clock
    assert hod[24 + 15] == 15  # in January it is 15:00
    hod_no, _, _ = clock_calendar(2023, False)
    assert hod_no[july3 + 15] == 15
    # 2024 is a leap year: the weather's day 59 (1 March) is a Friday there, 29 February skipped
    _, _, weekend24 = clock_calendar(2024, False)
    assert not weekend24[59 * 24] and weekend24[60 * 24]  # Friday 1 March, Saturday 2 March 2024


def test_time_of_use_periods_price_their_hours(tmp_path):
    # peak (period 1) on July weekdays 16:00-21:00 clock time at $0.40, else $0.10: one kWh at 15:00 standard
    # time on Monday 3 July is 16:00 on the clock: peak
    weekday = [row[:] for row in ZEROS]
    weekday[6] = [1 if 16 <= h < 21 else 0 for h in range(24)]
    t = tariff(tmp_path, energyratestructure=[[{"rate": 0.10}], [{"rate": 0.40}]], energyweekdayschedule=weekday)
    use = np.zeros(8760)
    use[(181 + 2) * 24 + 15] = 1.0
    assert electric_bill(t, use).total_usd == pytest.approx(0.40)
    use[:] = 0.0
    use[(181 + 1) * 24 + 15] = 1.0  # Sunday 2 July: weekend schedule
    assert electric_bill(t, use).total_usd == pytest.approx(0.10)
    assert schedule_period(weekday, ZEROS, 2023, True).sum() == 21 * 5  # 21 weekdays in July 2023 x 5 hours


def test_minimum_charges_monthly_and_annual(tmp_path):
    use = np.full(8760, 0.01)  # 87.6 kWh a year: $8.76
    t = tariff(tmp_path, mincharge=15, minchargeunits="$/month")
    assert electric_bill(t, use).total_usd == pytest.approx(12 * 15)
    t = tariff(tmp_path, mincharge=200, minchargeunits="$/year")
    assert electric_bill(t, use).total_usd == pytest.approx(200.0)
    t = tariff(tmp_path, mincharge=5, minchargeunits="$/year")
    assert electric_bill(t, use).total_usd == pytest.approx(8.76)


def test_demand_charges_time_of_use_and_flat(tmp_path):
    use = np.ones(8760)
    use[100] = 5.0  # a 5 kW hour in January
    flat = tariff(tmp_path, flatdemandstructure=[[{"rate": 10.0}]], flatdemandmonths=[0] * 12,
                  flatdemandunit="kW")
    b = electric_bill(flat, use)
    assert b.demand_usd[0] == pytest.approx(50.0) and b.demand_usd[1] == pytest.approx(10.0)
    tou = tariff(tmp_path, demandratestructure=[[{"rate": 2.0}], [{"max": 3, "rate": 8.0}, {"rate": 12.0}]],
                 demandweekdayschedule=[[1] * 24] + ZEROS[1:], demandweekendschedule=[[1] * 24] + ZEROS[1:])
    b = electric_bill(tou, use)
    assert b.demand_usd[0] == pytest.approx(3 * 8.0 + 2 * 12.0)  # 5 kW in January's period 1: tiers 3 + 2
    assert b.demand_usd[1] == pytest.approx(2.0)  # 1 kW at $2


def test_real_time_prices(tmp_path):
    prices = [0.05 + 0.01 * (h % 24 >= 17) for h in range(8760)]
    path = tmp_path / "rtp.json"
    path.write_text(json.dumps({"name": "rtp", "realtimepricing": prices, "fixedchargefirstmeter": 5}))
    t = tariff_from_urdb(read_urdb(path)[0], "rtp.json")
    assert electric_bill(t, np.ones(8760)).total_usd == pytest.approx(sum(prices) + 60.0)


def test_export_rules_by_hand(tmp_path):
    # 1 kWh used every hour; 2 kWh of solar at hour 12 of every day; $0.10 retail, $0.04 sell
    t = tariff(tmp_path, energyratestructure=[[{"rate": 0.10, "sell": 0.04}]])
    use, pv = np.ones(8760), np.zeros(8760)
    pv[12::24] = 2.0
    # net metering: every month nets positive, exported kWh credited at retail: (8760 - 730) x 0.10
    assert electric_bill(t, use, pv, "net_metering").total_usd == pytest.approx((8760 - 730) * 0.10)
    # net billing: import 8760 - 365 kWh at retail, export 365 at the sell rate
    nb = electric_bill(t, use, pv, "net_billing_hourly").total_usd
    assert nb == pytest.approx((8760 - 365) * 0.10 - 365 * 0.04)
    assert electric_bill(t, use, pv, "net_billing_instantaneous").total_usd == pytest.approx(nb)
    # buy all, sell all: 8760 x 0.10 - 730 x 0.04
    assert electric_bill(t, use, pv, "buy_all_sell_all").total_usd == pytest.approx(876.0 - 730 * 0.04)


def test_net_metering_carries_a_surplus_and_pays_the_rest_at_the_sell_rate(tmp_path):
    # no use in June (standard time), 100 kWh of solar: the surplus is banked in kWh and used in July. Months are
    # the meter's: clock June starts an hour earlier (31 May 23:00 standard, 1 kWh used) and its last standard hour
    # is clock July's first (no use): June nets 100 - 1 = 99 kWh of surplus, July uses 743 kWh, 644 billed
    t = tariff(tmp_path, energyratestructure=[[{"rate": 0.10, "sell": 0.04}]])
    use = np.ones(8760)
    june = slice((151) * 24, (181) * 24)
    use[june] = 0.0
    pv = np.zeros(8760)
    pv[151 * 24 + 12] = 100.0
    b = electric_bill(t, use, pv, "net_metering")
    assert b.energy_usd[5] == 0.0 and b.energy_usd[6] == pytest.approx(644 * 0.10)
    assert b.credit_usd.sum() == 0.0  # nothing left for the true-up
    assert b.total_usd == pytest.approx((8760 - 720 - 100) * 0.10)
    # monthly netting: June's 99 kWh are paid at the sell rate instead
    m = electric_bill(t, use, pv, "net_metering_monthly")
    assert m.credit_usd[5] == pytest.approx(-99 * 0.04) and m.energy_usd[6] == pytest.approx(743 * 0.10)


def test_gas_blocks_by_hand():
    # 80 therm in a month: 50 at $1.20 + 30 at $1.60 = $108; plus $12 a month
    blocks = GasBlocks(np.array([50.0, np.inf]), np.array([1.2, 1.6]))
    assert gas_bill_usd(np.full(12, 80.0), blocks, 2.0, 12.0) == pytest.approx(12 * (108.0 + 12.0))
    assert gas_bill_usd(np.full(12, 80.0), None, 2.0, 0.0) == pytest.approx(12 * 160.0)


@pytest.mark.needs_shared
@pytest.mark.skipif(not SAMPLES.exists(), reason="../shared is not beside this checkout")
def test_every_urdb_sample_reads_and_bills():
    for path in sorted(SAMPLES.glob("*.json")):
        r, _ = read_urdb(path)
        b = electric_bill(tariff_from_urdb(r, path.name), np.ones(8760))
        assert 500 < b.total_usd < 2000, path.name


def test_a_sample_tiered_time_of_use_rate_by_hand(tmp_path):
    # The structure of OpenStudio-HPXML's "Sample Tiered Time-of-Use Rate" (BSD-3): period 0 (all but summer
    # afternoons) 150 kWh at $0.06 then $0.08; $9 a month. January at 1 kWh an hour: 150 x 0.06 + 594 x 0.08 + 9.
    t = tariff(tmp_path, fixedchargefirstmeter=9, energyratestructure=[
        [{"max": 150, "rate": 0.06, "unit": "kWh"}, {"rate": 0.08, "unit": "kWh"}],
        [{"max": 150, "rate": 0.09, "unit": "kWh"}, {"max": 300, "rate": 0.11, "unit": "kWh"},
         {"rate": 0.13, "unit": "kWh"}]])
    assert electric_bill(t, np.ones(8760)).monthly_usd[0] == pytest.approx(65.52)


@pytest.mark.parametrize("content, message", [
    ("not json {", "is not JSON"),
    ('{"items": [{"name": "x", "foo": 1}]}', "is not a URDB rate"),
    ('{"items": [{"name": "x", "energyratestructure": [[{"rate": 0.1}]], "coincidentratestructure": [[{"rate": '
     '1}]]}]}', "coincidentratestructure: coincident demand charges are not modelled"),
    ('{"items": [{"name": "x", "energyratestructure": [[{"rate": 0.1}], [{"rate": 0.2}]], '
     '"energyweekdayschedule": [[0, 1]], "energyweekendschedule": [[0, 1]]}]}', "12 months x 24 hours"),
    ('{"items": [{"name": "x", "energyratestructure": [[{"max": 100}, {"rate": 0.2}]]}]}', "has no rate"),
    ('{"items": [{"name": "x", "energyratestructure": [[{"rate": 0.1}]], "bogusfield": 3}]}',
     "bogusfield: not a URDB field"),
    ('{"items": [{"name": "x", "energyratestructure": [[{"rate": 0.1, "unit": "kWh/kW"}]]}]}', "is not modelled"),
    ('{"items": [{"name": "a", "energyratestructure": [[{"rate": 0.1}]]}, {"name": "b", "energyratestructure": '
     '[[{"rate": 0.2}]]}]}', "pick one with tariff.name"),
])
def test_bad_rate_files_give_one_clear_error_and_exit_2(tmp_path, cli, content, message):
    (tmp_path / "rate.json").write_text(content)
    profile = tmp_path / "home.yaml"
    profile.write_text("location: {zip: '02134'}\nheating_load: {annual: 60 MMBtu}\ntariff: {urdb: rate.json}\n")
    r = cli("compare", profile)
    assert r.returncode == 2 and r.stdout == ""
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "tariff.urdb" in lines[0] and message in lines[0], r.stderr


def test_tariff_name_picks_one_of_several(tmp_path):
    path = tmp_path / "rates.json"
    path.write_text(json.dumps([{"name": "a", "energyratestructure": [[{"rate": 0.1}]]},
                                {"name": "b", "energyratestructure": [[{"rate": 0.2}]]}]))
    r, how = read_urdb(path, "b")
    assert r["name"] == "b" and "'b'" in how
    with pytest.raises(TariffError, match="not among its rates"):
        read_urdb(path, "c")


def test_a_tariff_makes_annual_cost_the_bill_difference(tmp_path):
    # With a tariff each row's annual_cost_usd is its bill with the heating less the bill with the other use only.
    path = rate(tmp_path, energyratestructure=[[{"max": 500, "rate": 0.10}, {"rate": 0.30}]],
                fixedchargefirstmeter=10)
    profile = tmp_path / "home.yaml"
    profile.write_text("location: {zip: '02134'}\nheating_load: {annual: 60 MMBtu}\n"
                       f"tariff: {{urdb: {path.name}}}\nbase_use: {{electricity: 400 kWh/month}}\n"
                       "systems:\n  heat_pump: {hspf2: 9}\n  furnace: false\n  electric_resistance: false\n")
    c = heatcalc.compare(profile)
    row = c.rows[0]
    t = c.home.bills.tariff
    from heatcalc.simulate import system_hours

    heat_kwh = system_hours(c.home, "heat_pump")[0]
    base = np.full(8760, 400 * 12 / 8760)
    with_heat = electric_bill(t, base + heat_kwh).total_usd
    without = electric_bill(t, base).total_usd
    assert row.annual_cost_usd == pytest.approx(with_heat - without)
    assert row.electric_bill_usd == pytest.approx(with_heat)
    # the heating's kWh sit above the base's in the tiers: they cost more than the first tier's 0.10
    assert row.annual_cost_usd > 0.10 * row.electricity_kwh


def test_without_a_tariff_todays_numbers_stand_and_bills_add_base_and_fixed():
    c = heatcalc.compare(ROOT / "profiles" / "boston-gas.yaml")
    hp = c.result("heat_pump")
    base_kwh = c.home.bills.base_kwh_per_h * 8760
    pe = c.home.prices["electricity"].value
    assert hp.electric_bill_usd == pytest.approx(base_kwh * pe + hp.annual_cost_usd)
    furnace = c.result("furnace")
    # the bills' 15 therm/month of non-heating gas is on the gas bill, at the gas price
    assert furnace.fuel_bill_usd == pytest.approx(furnace.energy.fuel_units * c.home.prices["natural_gas"].value
                                                  + 180 * c.home.prices["natural_gas"].value)


def test_a_non_finite_rate_is_named(tmp_path, cli):
    (tmp_path / "rate.json").write_text('{"name": "x", "energyratestructure": [[{"rate": NaN}]]}')
    p = tmp_path / "home.yaml"
    p.write_text("location: {zip: '02134'}\nheating_load: {annual: 60 MMBtu}\ntariff: {urdb: rate.json}\n")
    r = cli("compare", p)
    assert r.returncode == 2 and "energyratestructure[0][0].rate must be a finite number" in r.stderr


def test_outputs_never_replace_the_rate_file(tmp_path, cli):
    rate(tmp_path)
    p = tmp_path / "home.yaml"
    p.write_text("location: {zip: '02134'}\nheating_load: {annual: 60 MMBtu}\ntariff: {urdb: rate.json}\n")
    before = (tmp_path / "rate.json").read_text()
    for args in (("compare", p, "--hourly", tmp_path / "rate.json"), ("batch", p, "-o", tmp_path / "rate.json")):
        r = cli(*args)
        assert r.returncode == 2 and "is one of the inputs" in r.stderr
    assert (tmp_path / "rate.json").read_text() == before


def test_a_homes_tables_files_are_relative_to_the_table(tmp_path, cli):
    folder = tmp_path / "stock"
    folder.mkdir()
    rate(folder)
    (folder / "homes.csv").write_text("location.zip,heating_load.annual,tariff.urdb\n02134,60 MMBtu,rate.json\n")
    r = cli("batch", "--homes", folder / "homes.csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == 4


def test_tariff_year_is_a_whole_year(tmp_path, cli):
    rate(tmp_path)
    p = tmp_path / "home.yaml"
    p.write_text("location: {zip: '02134'}\nheating_load: {annual: 60 MMBtu}\ntariff: {urdb: rate.json, "
                 "year: 2023.5}\n")
    r = cli("compare", p)
    assert r.returncode == 2 and "tariff.year: must be a whole calendar year" in r.stderr


def test_tiered_time_of_use_agrees_with_sharing_tiers_by_period():
    # Engines such as OpenStudio-HPXML's ReportUtilityBills and SAM fill a month's tiers by its total use and share
    # each tier among the periods in proportion to their use; heatcalc fills the tiers in time order at each hour's
    # own period's rates. For the OpenStudio-HPXML sample tiered time-of-use rate (an off-peak and a summer-weekday
    # peak period, tiers at 150 and 300 kWh) and a heat pump's year in Boston plus 650 kWh/month of other use, the
    # two agree within 0.1 % over the year and 1 % in every month (August, 0.5 %, is the farthest; worked out here
    # by the proportional rule).
    from heatcalc.bills import MONTH_START
    from heatcalc.weather import stations as stn

    path = ROOT / "benchmarks" / "rates" / "Sample Tiered Time-of-Use Rate.json"
    t = tariff_from_urdb(read_urdb(path)[0], str(path))
    temp = stn.hourly_temperature_f(stn.station_by_id("725090"))
    use = np.maximum(0.0, 65.0 - temp) * 0.45 + 650 * 12 / 8760
    ours = electric_bill(t, use).energy_usd
    shared = np.zeros(12)
    for m in range(12):
        a, b = MONTH_START[m], MONTH_START[m + 1]
        total = use[a:b].sum()
        for period, months in enumerate(t.energy_tiers):
            share = use[a:b][t.energy_period[a:b] == period].sum() / total
            low = 0.0
            for upper, price in zip(months[m].upper, months[m].buy):
                shared[m] += share * max(0.0, min(total, upper) - low) * price
                low = upper
    assert ours.sum() == pytest.approx(shared.sum(), rel=1e-3)
    assert ours == pytest.approx(shared, rel=1e-2)


def test_a_bank_carried_month_to_month_is_the_running_sum_less_its_lowest():
    # x[m] = max(x[m - 1] + net[m], 0) walked month by month (the bank's definition) against the closed form the
    # bills use (running sum less its running minimum, zero included), on random surpluses and uses
    from heatcalc.bills import _carried

    net = np.random.default_rng(11).normal(0.0, 50.0, (40, 12, 3))
    walked = np.zeros_like(net)
    x = np.zeros((40, 3))
    for m in range(12):
        x = np.maximum(x + net[:, m], 0.0)
        walked[:, m] = x
    assert np.allclose(_carried(net), walked, rtol=0, atol=1e-9)


def test_kwh_banking_without_the_month_loop_equals_the_loop(tmp_path, monkeypatch):
    # A two-period time-of-use rate whose banks stay in their periods: the loop-free bank gives the loop's energy
    # and credits for homes that export in some months and import in others
    from heatcalc import bills

    weekday = [[1 if 14 <= h < 20 else 0 for h in range(24)] for _ in range(12)]
    t = tariff(tmp_path, energyweekdayschedule=weekday, energyweekendschedule=ZEROS, energyratestructure=[
        [{"max": 300, "rate": 0.10}, {"rate": 0.15}], [{"rate": 0.30, "sell": 0.05}]])
    starts = bills.month_starts(t)
    rng = np.random.default_rng(5)
    net = rng.uniform(-2.0, 2.5, (6, 8760)) + np.sin(np.arange(8760) / 8760 * 2 * np.pi)[None, :]
    sums = bills.run_sums(t, net)
    plan = bills._bank_plan(t, 2)
    assert plan[4]  # this rate's banks stay in their periods: the loop-free path
    for annual in (True, False):
        fast = bills._kwh_banked(t, sums, starts, annual)
        monkeypatch.setattr(bills, "_bank_plan", lambda tariff, periods: (*plan[:4], False))
        loop = bills._kwh_banked(t, sums, starts, annual)
        monkeypatch.undo()
        assert np.allclose(fast[0], loop[0], atol=1e-9) and np.allclose(fast[1], loop[1], atol=1e-9)
        assert (fast[1] < 0).any()  # surpluses were paid for: the bank was exercised


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_the_solar_bills_from_run_sums_equal_the_hours(tmp_path_factory, data):
    # Generated rates (one or two periods on random schedules, tiers, sell rates, a demand charge or not) and every
    # export rule, for homes with and without panels: the three bills solar_bills_usd makes from the runs' sums of
    # the use, the solar and the imports equal each bill made on its own from the hours (electric_bill on the use
    # with and without the solar, and on the hourly imports), and under net billing the export credit equals the
    # hour-by-hour sum of max(solar - use, 0) at each hour's sell rate; the kWh split adds up hour by hour.
    from heatcalc.bills import DG_RULES, month_starts, solar_bills_usd

    extra = {}
    if data.draw(st.booleans()):
        extra = {"flatdemandstructure": [[{"rate": 7.5}]], "flatdemandmonths": [0] * 12, "flatdemandunit": "kW"}
    t = _drawn_rate(data, tmp_path_factory.mktemp("rate"), 2, 50, (0.02, 0.5), sell=True, **extra)
    periods = len(t.energy_tiers)
    rule = data.draw(st.sampled_from(DG_RULES))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**31)))
    use = rng.uniform(0.2, 3.0, (5, 8760))
    pv = np.clip(rng.normal(0.0, 2.0, (5, 8760)), 0.0, None)
    pv[1] = 0.0  # a home whose panels make nothing
    got = solar_bills_usd(t, use, pv, rule)
    # a caller that knows no hour's use is below zero (the batch's homes) gets the same bills without the look
    assert all(np.array_equal(a, b) for a, b in zip(got, solar_bills_usd(t, use, pv, rule, use_nonnegative=True)))
    imports = np.maximum(use - pv, 0.0)
    for i in range(5):
        assert got.with_solar_usd[i] == pytest.approx(electric_bill(t, use[i], pv[i], rule).total_usd, abs=1e-8)
        assert got.without_solar_usd[i] == pytest.approx(electric_bill(t, use[i]).total_usd, abs=1e-8)
        assert got.self_only_usd[i] == pytest.approx(electric_bill(t, imports[i]).total_usd, abs=1e-8)
        assert got.self_consumed_kwh[i] == pytest.approx(np.minimum(use[i], pv[i]).sum(), abs=1e-8)
        assert got.exported_kwh[i] == pytest.approx(np.maximum(pv[i] - use[i], 0.0).sum(), abs=1e-8)
    if rule in ("net_billing_hourly", "net_billing_instantaneous"):
        starts = month_starts(t)
        sell = np.array([t.energy_tiers[p][0].sell[0] for p in range(periods)])[t.energy_period]
        credit = np.add.reduceat(np.maximum(pv[0] - use[0], 0.0) * sell, starts[:-1])
        assert electric_bill(t, use[0], pv[0], rule).credit_usd == pytest.approx(-credit, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_bills_from_the_self_consumed_solar_at_the_lit_hours_equal_the_hours(tmp_path_factory, data):
    # The batch's bills of homes with solar (heatcalc.columnar._LitSolar): each array is read at the hours it may
    # make anything, laid end to end, and the imports' run sums are the use's less those of min(use, solar) summed
    # over the lit hours alone (max(u - s, 0) = u - min(u, s), and min(u, 0) = 0 where the use is never below zero).
    # Generated rates (one to three periods on random schedules, so some runs of hours hold no lit hour: a night
    # period) and every export rule: the same bills as solar_bills_usd makes from the hours, for homes with and
    # without panels, an array whose lit hours make nothing, and one lit at a single hour; the other use alone,
    # the same every hour, billed as electric_bills_usd bills it.
    from heatcalc.bills import (DG_RULES, electric_bills_usd, run_starts, run_sums, solar_bills_from_sums,
                                solar_bills_usd)
    from heatcalc.columnar import _LitSolar

    t = _drawn_rate(data, tmp_path_factory.mktemp("rate"), 3, 50, (0.02, 0.5), sell=True)
    rule = data.draw(st.sampled_from(DG_RULES))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**31)))
    n = 6
    use = rng.uniform(0.0, 3.0, (n, 8760))
    day = (np.arange(8760) % 24 >= 7) & (np.arange(8760) % 24 < 18)
    hours = [np.flatnonzero(day & (rng.random(8760) < 0.9)) for _ in range(n)]
    hours[1] = np.zeros(0, dtype=np.intp)  # no panels
    hours[3] = np.array([4000])  # lit at one hour
    values = [np.clip(rng.normal(1.0, 1.5, h.size), 0.0, None) for h in hours]
    values[2][:] = 0.0  # panels that make nothing at their lit hours
    if data.draw(st.booleans()):  # some homes' hours 16-bit, as a pack keeps them (the others' as a process does)
        hours = [h.astype(np.uint16) if i % 2 else h for i, h in enumerate(hours)]
    solar = _LitSolar(hours, values)
    # an array per kW laid out times each home's kW: the same values as the kWh given whole
    kw = rng.uniform(1.0, 10.0, n)
    scaled = _LitSolar(hours, values, kw)
    assert np.array_equal(scaled.values, _LitSolar(hours, [v * k for v, k in zip(values, kw)]).values)
    assert np.array_equal(scaled.flat, solar.flat) and solar.flat.dtype == np.intp
    pv = np.zeros((n, 8760))
    for i, (h, v) in enumerate(zip(hours, values)):
        pv[i, h] = v
    assert np.array_equal(solar.dense(), pv)
    assert np.array_equal(solar.lit, pv.any(axis=1)) and solar.year_kwh == pytest.approx(pv.sum(axis=1), abs=1e-9)
    assert solar.run_sums(t) == pytest.approx(run_sums(t, pv), abs=1e-9)
    self_s = solar.self_sums(t, use)
    assert self_s == pytest.approx(run_sums(t, np.minimum(use, pv)), abs=1e-9)
    use_s = run_sums(t, use)
    got = solar_bills_from_sums(t, rule, solar.lit, use_s, use_s - self_s, solar.run_sums(t), solar.year_kwh)
    for a, b in zip(got, solar_bills_usd(t, use, pv, rule)):
        assert a == pytest.approx(b, abs=1e-8)
    # the other use alone: the same kWh every hour of a home
    base = rng.uniform(0.0, 1.0, n)
    base_s = base[:, None] * np.diff(np.append(run_starts(t), 8760))[None, :]
    assert solar_bills_from_sums(t, rule, solar.lit, base_s, base_s - solar.self_sums_flat(t, base),
                                 solar.run_sums(t), solar.year_kwh).with_solar_usd == pytest.approx(
        electric_bills_usd(t, np.broadcast_to(base[:, None], (n, 8760)), pv, rule), abs=1e-8)
    # and a subset of the homes, before and after the year is spread out, reads the same
    rows = np.array([0, 2, 5])
    assert solar.subset(rows).self_sums(t, use[rows]) == pytest.approx(self_s[rows], abs=1e-9)
    fresh = _LitSolar(hours, values)
    assert np.array_equal(fresh.subset(rows).dense(), pv[rows])


def test_bills_from_sums_refuse_a_rate_with_demand_charges(tmp_path):
    # demand charges read the hourly peaks, which the runs' sums do not hold: said, not billed without them
    from heatcalc.bills import realtime_solar_bills_from_sums, solar_bills_from_sums

    t = tariff(tmp_path, flatdemandstructure=[[{"rate": 7.5}]], flatdemandmonths=[0] * 12, flatdemandunit="kW")
    sums = np.ones((1, 12))
    with pytest.raises(ValueError, match="demand"):
        solar_bills_from_sums(t, "net_metering", np.array([True]), sums, sums, sums, np.ones(1))
    with pytest.raises(ValueError, match="demand"):
        realtime_solar_bills_from_sums(t, "net_metering", np.array([True]), *([sums] * 5), np.ones(1), np.ones(1))


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_real_time_bills_from_the_lit_hours_equal_the_hours(tmp_path_factory, data):
    # The batch's bills of homes with solar on a real-time rate (heatcalc.columnar._LitSolar.realtime_sums): each
    # month's use at the hour's price from the hours, the solar and the self-consumed solar, min(use, solar), at
    # the price and at the sell price summed over the lit hours alone. Random prices (some below zero, as
    # wholesale ones are), a sell price or none, and every export rule: the same bills as solar_bills_usd makes
    # hour by hour; the other use alone, the same every hour, as electric_bills_usd bills it.
    from heatcalc.bills import DG_RULES, electric_bills_usd, realtime_solar_bills_from_sums, solar_bills_usd
    from heatcalc.columnar import _LitSolar, _month_priced

    rng = np.random.default_rng(data.draw(st.integers(0, 2**31)))
    path = tmp_path_factory.mktemp("rate") / "rtp.json"
    path.write_text(json.dumps({"name": "rtp", "realtimepricing": rng.uniform(-0.02, 0.4, 8760).round(4).tolist(),
                                "fixedchargefirstmeter": 5, **({"mincharge": 30, "minchargeunits": "$/month"}
                                                              if data.draw(st.booleans()) else {})}))
    t = tariff_from_urdb(read_urdb(path)[0], "rtp.json", 2023, data.draw(st.booleans()))
    if data.draw(st.booleans()):  # an export rate of the profile's (heatcalc.simulate: the sell price each hour)
        t = t._replace(realtime_sell_usd_per_kwh=np.full(8760, data.draw(st.floats(0.0, 0.2))))
    rule = data.draw(st.sampled_from(DG_RULES))
    n = 5
    use = rng.uniform(0.0, 3.0, (n, 8760))
    day = (np.arange(8760) % 24 >= 7) & (np.arange(8760) % 24 < 18)
    hours = [np.flatnonzero(day & (rng.random(8760) < 0.9)) for _ in range(n)]
    hours[1] = np.zeros(0, dtype=np.intp)  # no panels
    values = [np.clip(rng.normal(1.0, 1.5, h.size), 0.0, None) for h in hours]
    if data.draw(st.booleans()):  # some homes' hours 16-bit, as a pack keeps them
        hours = [h.astype(np.uint16) if i % 2 else h for i, h in enumerate(hours)]
    solar = _LitSolar(hours, values)
    pv = solar.dense()
    got = realtime_solar_bills_from_sums(t, rule, *solar.realtime_sums(t, _month_priced(t, use),
                                                                       solar.self_consumed(use)))
    for a, b in zip(got, solar_bills_usd(t, use, pv, rule)):
        assert a == pytest.approx(b, abs=1e-8)
    base = rng.uniform(0.0, 1.0, n)
    got_base = realtime_solar_bills_from_sums(t, rule, *solar.realtime_sums(
        t, base[:, None] * _month_priced(t, np.ones((1, 8760))), solar.self_consumed_flat(base))).with_solar_usd
    assert got_base == pytest.approx(electric_bills_usd(t, np.broadcast_to(base[:, None], (n, 8760)), pv, rule),
                                     abs=1e-8)
