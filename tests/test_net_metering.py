"""Net metering as utilities and NREL SAM bill it (issue "Rates and solar as the references compute them"): surplus
kWh banked by time-of-use period and used in later months, a December true-up at the sell rate, banked kWh never
paying demand or fixed charges, dollar banking as the explicit alternative, and every price and month read in the
meter's clock time.  Each figure is worked by hand in the comments (rates written here in URDB's own form)."""

import numpy as np
import pytest

from heatcalc import bills
from heatcalc.tariffs import tariff_from_urdb

HOURS = np.arange(8760)
DAY_HOUR = HOURS % 24  # standard time; the tariffs below keep standard time all year (daylight saving off)
MONTH = bills.HOUR_MONTH


def rate(structure, weekday=None, weekend=None, **extra):
    """A URDB record (the API's field names) with one schedule for every day unless given."""
    weekday = weekday or [[0] * 24 for _ in range(12)]
    return {"name": "hand-written rate", "energyratestructure": structure, "energyweekdayschedule": weekday,
            "energyweekendschedule": weekend or weekday, "dgrules": "Net Metering", **extra}


def tariff(record):
    return tariff_from_urdb(record, "test rate", year=2023, daylight_saving=False)


FLAT = rate([[{"rate": 0.20, "sell": 0.05}]], fixedchargefirstmeter=10, fixedchargeunits="$/month")


def may_solar(kw_per_hour=3.0):
    """Solar only in May, from 06:00 to 18:00 (12 hours a day)."""
    return np.where((MONTH == 4) & (DAY_HOUR >= 6) & (DAY_HOUR < 18), kw_per_hour, 0.0)


def test_a_surplus_month_is_banked_in_kwh_and_used_the_next_month():
    use = np.ones(8760)  # 1 kWh every hour: 744 kWh in May, 720 in June
    bill = bills.electric_bill(tariff(FLAT), use, may_solar())
    # May: 31 days x 12 h x 3 kWh = 1,116 kWh made, 744 used: the month nets to a 372 kWh surplus, no energy charge
    assert bill.energy_usd[4] == pytest.approx(0.0)
    # June: 720 kWh used less the 372 banked = 348 kWh x $0.20 = $69.60
    assert bill.energy_usd[5] == pytest.approx(69.60)
    # every other month: its hours x $0.20 (January 744 h: $148.80); fixed $10 a month whatever the bank holds
    assert bill.energy_usd[0] == pytest.approx(148.80) and (bill.fixed_usd == 10.0).all()
    # nothing left at the true-up: no payout
    assert bill.credit_usd.sum() == pytest.approx(0.0)


def test_the_true_up_pays_what_is_left_in_december_at_the_sell_rate():
    use = np.ones(8760)
    # solar only in November and December, 4 kWh from 06:00 to 18:00: 1,440 made in November (720 used),
    # 1,488 in December (744 used)
    pv = np.where((MONTH >= 10) & (DAY_HOUR >= 6) & (DAY_HOUR < 18), 4.0, 0.0)
    bill = bills.electric_bill(tariff(FLAT), use, pv)
    assert bill.energy_usd[10] == pytest.approx(0.0) and bill.energy_usd[11] == pytest.approx(0.0)
    # bank: 720 kWh after November, 720 + 744 = 1,464 after December, paid at $0.05: $73.20 credited in December
    assert bill.credit_usd[11] == pytest.approx(-73.20) and bill.credit_usd[:11].sum() == pytest.approx(0.0)


def test_banked_kwh_stay_in_their_time_of_use_period():
    # peak $0.40 from 12:00 to 18:00 every day, off-peak $0.10; solar in May 12:00-18:00 at 3 kWh
    weekday = [[1 if 12 <= h < 18 else 0 for h in range(24)] for _ in range(12)]
    tou = rate([[{"rate": 0.10, "sell": 0.02}], [{"rate": 0.40, "sell": 0.02}]], weekday)
    use = np.ones(8760)
    pv = np.where((MONTH == 4) & (DAY_HOUR >= 12) & (DAY_HOUR < 18), 3.0, 0.0)
    bill = bills.electric_bill(tariff(tou), use, pv)
    # May: peak hours make 31 x 6 x 3 = 558 kWh and use 186: a 372 kWh peak surplus, banked; the off-peak use,
    # 31 x 18 = 558 kWh, is billed at $0.10 = $55.80 (a peak surplus does not pay off-peak use)
    assert bill.energy_usd[4] == pytest.approx(55.80)
    # June: peak use 30 x 6 = 180 kWh, all met by the bank (192 kWh left); off-peak 540 kWh x $0.10 = $54.00
    assert bill.energy_usd[5] == pytest.approx(54.00)
    # July: the 192 kWh left meet July's 186 peak kWh (6 left); off-peak 558 x $0.10 = $55.80
    assert bill.energy_usd[6] == pytest.approx(55.80)
    # August: the 6 kWh left against 186 peak kWh: 180 x $0.40 + 558 x $0.10 = $127.80
    assert bill.energy_usd[7] == pytest.approx(127.80)
    # dollar banking values the May surplus at the peak price instead: 372 x $0.40 = $148.80 of credit, which pays
    # May's off-peak $55.80 and then later months' energy charges, whatever their period
    dollars = bills.electric_bill(tariff(tou), use, pv, rule="net_metering_dollars")
    may_june = dollars.energy_usd[4:6] + dollars.credit_usd[4:6]
    # June's energy without solar: 180 x 0.40 + 540 x 0.10 = $126.00; the credit left after May, $93.00, pays it
    # down to $33.00
    assert may_june == pytest.approx([0.0, 33.00])


def test_tiers_are_filled_by_the_month_net_of_the_bank():
    # 500 kWh a month at $0.10, above at $0.20 (URDB tier maxima)
    tiered = rate([[{"rate": 0.10, "max": 500, "sell": 0.0}, {"rate": 0.20, "sell": 0.0}]])
    use = np.full(8760, 900 / 720)  # June: 900 kWh
    pv = np.where((MONTH == 4) & (DAY_HOUR >= 6) & (DAY_HOUR < 18), 0.0, 0.0)
    pv[(MONTH == 4)] = use[MONTH == 4] + 200 / 744  # May: a 200 kWh surplus
    bill = bills.electric_bill(tariff(tiered), use, pv)
    # June nets 900 - 200 = 700 kWh: 500 x $0.10 + 200 x $0.20 = $90.00
    assert bill.energy_usd[5] == pytest.approx(90.00)


def test_a_demand_charge_is_not_paid_by_banked_kwh():
    demand = {**FLAT, "flatdemandstructure": [[{"rate": 10.0}]], "flatdemandmonths": [0] * 12,
              "flatdemandunit": "kW"}
    use = np.ones(8760)
    bill = bills.electric_bill(tariff(demand), use, may_solar())
    # May: a 372 kWh surplus, but the nights still draw 1 kW from the grid: $10 of demand charge stands
    assert bill.energy_usd[4] == pytest.approx(0.0) and bill.demand_usd[4] == pytest.approx(10.0)
    assert bill.monthly_usd[4] == pytest.approx(20.0)  # demand + the $10 fixed charge
    # dollar banking likewise: credits pay energy charges only
    dollars = bills.electric_bill(tariff(demand), use, may_solar(), rule="net_metering_dollars")
    assert dollars.demand_usd[4] == pytest.approx(10.0) and dollars.monthly_usd[4] >= 20.0 - 1e-9


def test_a_flat_rate_banks_the_same_in_kwh_and_in_dollars():
    use = np.ones(8760)
    kwh = bills.electric_bill(tariff(FLAT), use, may_solar())
    dollars = bills.electric_bill(tariff(FLAT), use, may_solar(), rule="net_metering_dollars")
    assert kwh.total_usd == pytest.approx(dollars.total_usd)


def test_export_rule_from_the_profile_fields():
    assert bills.export_rule(None, None, None) == "net_metering"
    assert bills.export_rule(None, "dollars", "net_metering") == "net_metering_dollars"
    assert bills.export_rule("monthly", None, None) == "net_metering_monthly"
    assert bills.export_rule("none", "dollars", "net_metering") == "net_billing_hourly"
    assert bills.export_rule(None, None, "buy_all_sell_all") == "buy_all_sell_all"


def test_months_and_real_time_prices_are_the_meters_clock_time():
    # 2023: daylight saving time from 12 March 02:00 to 5 November 02:00. The meter's April begins at clock
    # 00:00 on 1 April = 23:00 standard time on 31 March, standard hour (31 + 28 + 31) x 24 - 1 = 2,159
    t = tariff_from_urdb(FLAT, "test rate", year=2023, daylight_saving=True)
    starts = bills.month_starts(t)
    assert starts[0] == 0 and starts[3] == 2159 and starts[10] == 304 * 24 - 1 and starts[11] == 334 * 24
    assert starts[12] == 8760
    # a home using 1 kWh an hour: the meter's April has 30 x 24 = 720 kWh ($144.00), its March 743 (an hour lost
    # to the clock change: 31 x 24 - 1)
    bill = bills.electric_bill(t, np.ones(8760))
    assert bill.energy_usd[3] == pytest.approx(144.00) and bill.energy_usd[2] == pytest.approx(743 * 0.20)
    # real-time prices are written for the meter's hours: hour h of the clock year costs h / 10,000 $/kWh; in
    # summer the standard-time hour h is clock hour h + 1
    prices = (np.arange(8760) / 1e4).tolist()
    rt = tariff_from_urdb({"name": "rt", "realtimepricing": prices}, "rt", year=2023, daylight_saving=True)
    july = 181 * 24 + 12
    assert rt.realtime_usd_per_kwh[july] == pytest.approx((july + 1) / 1e4)
    assert rt.realtime_usd_per_kwh[100] == pytest.approx(100 / 1e4)  # January: clock = standard


def test_dollar_credits_pay_demand_and_fixed_charges_only_where_the_choice_says():
    demand = {**FLAT, "flatdemandstructure": [[{"rate": 10.0}]], "flatdemandmonths": [0] * 12,
              "flatdemandunit": "kW"}
    use = np.ones(8760)
    pv = may_solar(5.0)  # May: 31 x 12 x 5 = 1,860 kWh made, 744 used: $223.20 of surplus at $0.20
    energy_only = bills.electric_bill(tariff(demand), use, pv, rule="net_metering_dollars")
    everything = bills.electric_bill(tariff(demand), use, pv, rule="net_metering_dollars_all")
    # Energy only: May still owes its $10 demand and $10 fixed charges, and June's $144.00 of energy is paid by the
    # credit while its $10 + $10 stand. All charges: May's $20 is paid ($203.20 left), then all of June's $164.00
    # ($39.20 left for July)
    assert energy_only.monthly_usd[4] == pytest.approx(20.0) and energy_only.monthly_usd[5] == pytest.approx(20.0)
    assert everything.monthly_usd[4] == pytest.approx(0.0) and everything.monthly_usd[5] == pytest.approx(0.0)
    assert everything.credit_usd[5] == pytest.approx(-164.0)
    assert everything.credit_usd[6] == pytest.approx(-39.20)
    assert bills.export_rule(None, "dollars_all_charges", None) == "net_metering_dollars_all"
