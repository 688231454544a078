"""Rate files under hostile input: every number bounded, every bad value one clear error (exit 2), each tier billed
by its own unit, unknown tier fields refused (issue "Honest answers 2")."""

import json

import numpy as np
import pytest

from heatcalc.bills import electric_bill
from heatcalc.tariffs import TariffError, read_urdb, tariff_from_urdb

from .conftest import ROOT

RATE = ROOT / "profiles" / "rates" / "illustrative-tiered-tou.json"
FLAT = [[0] * 24 for _ in range(12)]


def _rate(**fields) -> dict:
    return {"name": "test", "energyratestructure": [[{"rate": 0.2}]], "energyweekdayschedule": FLAT,
            "energyweekendschedule": FLAT, **fields}


def _profile(write, rate: dict | str, name="t.json") -> object:
    write(name, rate if isinstance(rate, str) else json.dumps({"items": [rate]}))
    return write("p.yaml", f"location: {{zip: '02134'}}\nheating_load: {{annual: 60 MMBtu}}\n"
                           f"tariff: {{urdb: {name}}}\n")


BAD = [
    (_rate(energyratestructure=[[{"rate": 1e300}]]), "energyratestructure[0][0].rate must be between -10 and 10"),
    (_rate(energyratestructure=[[{"rate": 1e308}]]), "energyratestructure[0][0].rate must be between"),
    (_rate(energyratestructure=[[{"rate": True}]]), "energyratestructure[0][0].rate must be a number (got true)"),
    (_rate(energyratestructure=[[{"rate": 0.2, "sell": False}]]), "energyratestructure[0][0].sell must be a number"),
    (_rate(energyratestructure=[[{"rate": 0.2, "adj": 50}]]), "energyratestructure[0][0].adj must be between"),
    (_rate(energyratestructure=[[{"rate": 0.2, "max": -5}, {"rate": 0.3}]]),
     "energyratestructure[0][0].max must be between 0 and"),
    (_rate(energyratestructure=[[{"rate": 0.2, "adjustment": 0.05}]]),
     "energyratestructure[0][0]: adjustment: not a field of a URDB tier"),
    (_rate(fixedchargefirstmeter=1e9), "fixedchargefirstmeter must be between 0 and 10,000 $/month"),
    (_rate(fixedchargefirstmeter=400, fixedchargeunits="$/day"), "fixedchargefirstmeter must be between 0 and 350"),
    (_rate(fixedchargefirstmeter=10, fixedchargeunits=["$/month"]), "fixedchargeunits [\"$/month\"] must be"),
    (_rate(mincharge=True), "mincharge must be a number (got true)"),
    (_rate(energyweekdayschedule=[[None] * 24] + FLAT[1:]), "energyweekdayschedule[0][0] is not a period number "
                                                            "(got null)"),
    (_rate(energyweekdayschedule=[[True] * 24] + FLAT[1:]), "energyweekdayschedule[0][0] is not a period number"),
    (_rate(energyweekdayschedule=[[0.5] * 24] + FLAT[1:]), "energyweekdayschedule[0][0] is not a period number"),
    (_rate(energyweekdayschedule=[[3] * 24] + FLAT[1:]), "energyweekdayschedule[0][0] names period 3"),
    (_rate(demandratestructure=[[{"rate": 5e9}]]), "demandratestructure[0][0].rate must be between -1,000 and"),
    (_rate(flatdemandstructure=[[{"rate": 5}]], flatdemandmonths=[0.5] * 12), "flatdemandmonths[0][0] is not a "
                                                                                 "period number"),
    (_rate(energyratestructure=None, realtimepricing=[0.1] * 8759 + [1e6]), "realtimepricing[8759] must be between"),
    # (a list of plain numbers is checked as one array; anything else one by one, naming the first bad one)
    (_rate(energyratestructure=None, realtimepricing=[0.1] * 5 + [True] + [0.1] * 8754),
     "realtimepricing[5] must be a number (got true)"),
    (_rate(energyratestructure=None, realtimepricing=[0.1] * 8758 + [-20, 0.1]),
     "realtimepricing[8758] must be between -10 and 10"),
]


@pytest.mark.parametrize("rate,message", BAD, ids=[m[:40] for _, m in BAD])
def test_a_bad_number_in_a_rate_file_is_one_clear_error(write, cli, rate, message):
    proc = cli("compare", _profile(write, rate))
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], proc.stderr
    assert "p.yaml:3: tariff.urdb" in lines[0] and "t.json" in lines[0]


@pytest.mark.parametrize("text,message", [
    ('{"items": [{"name": "x", "energyratestructure": [[{"rate": 1' + "0" * 400 + "}]]}]}",
     "energyratestructure[0][0].rate is too large"),
    ('{"items": [{"name": "x", "energyratestructure": [[{"rate": NaN}]]}]}', "must be a finite number (got nan)"),
    ('{"items": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested too deeply"),
    ('{"items": [{"name": "x", "energyratestructure": [[{"rate": 1' + "0" * 5000 + "}]]}]}", "is not a URDB rate"),
], ids=["huge-int", "nan", "deep", "too-many-digits"])
def test_json_that_python_cannot_hold_is_one_clear_error(write, cli, text, message):
    proc = cli("compare", _profile(write, text))
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and message in proc.stderr, proc.stderr


def test_each_tier_is_billed_by_its_own_unit():
    # Period 0 (every hour): 500 kWh a month at $0.20, then $0.30. Period 1, never scheduled, has a "kWh daily"
    # tier: it once rescaled period 0's monthly maximum by the month's days too.  1 kWh every hour, by hand:
    # a 31-day month 744 kWh = 500 x 0.20 + 244 x 0.30 = $173.20; 30 days 720 kWh = $166.00; February 672 kWh =
    # $151.60; the year 7 x 173.20 + 4 x 166.00 + 151.60 = $2,028.00.
    rate = _rate(energyratestructure=[[{"max": 500, "rate": 0.2}, {"rate": 0.3}],
                                      [{"max": 10, "unit": "kWh daily", "rate": 0.1}, {"rate": 0.5}]])
    bill = electric_bill(tariff_from_urdb(rate, "t.json"), np.ones(8760))
    assert bill.total_usd == pytest.approx(2028.0, abs=1e-9)
    # the same period in kWh daily: 10 kWh a day, so 310 kWh in a 31-day month at $0.10, the rest at $0.50
    daily = _rate(energyratestructure=[[{"max": 10, "unit": "kWh daily", "rate": 0.1}, {"rate": 0.5}]])
    by_month = electric_bill(tariff_from_urdb(daily, "t.json"), np.ones(8760))
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    assert by_month.total_usd == pytest.approx(float(np.sum(10 * days * 0.1 + 14 * days * 0.5)), abs=1e-9)


def test_the_shipped_rate_still_reads():
    rate, _ = read_urdb(RATE)
    assert tariff_from_urdb(rate, RATE.name).name.startswith("Illustrative")


def test_a_bad_rate_in_a_homes_table_fails_that_home_only(write, cli, tmp_path):
    write("bad.json", json.dumps({"items": [_rate(energyratestructure=[[{"rate": 1e300}]])]}))
    write("good.json", json.dumps({"items": [_rate()]}))
    table = write("homes.csv", "home,location.zip,heating_load.annual,tariff.urdb\n"
                               "a,02134,60 MMBtu,good.json\nb,02134,60 MMBtu,bad.json\n")
    proc = cli("batch", "--homes", table)
    assert proc.returncode == 3, proc.stderr
    assert "internal error" not in proc.stderr and "must be between -10 and 10" in proc.stderr
    assert {line.split(",")[0] for line in proc.stdout.splitlines()[1:]} == {"a"}


HOSTILE = [None, True, False, "x", "", -1, -1e308, 1e308, 10 ** 30, 10 ** 400, [], {}, [[]], [None], "NaN", 0.5,
           "0.2", [1] * 12, float("nan")]


def test_every_field_of_a_rate_under_hostile_values_is_a_bill_or_one_error():
    # A battery over the sample rate: every top-level field, every tier field and a schedule cell set to each hostile
    # value gives either a TariffError (one line, naming the field) or a finite bill; never another exception,
    # never NaN or a bill beyond what the bounds allow (100 MWh at the largest rate, plus charges).
    import copy

    base, _ = read_urdb(RATE)
    fields = sorted(set(base) | {"demandratestructure", "flatdemandstructure", "realtimepricing", "dgrules",
                                 "usenetmetering", "demandwindow", "minchargeunits", "fixedmonthlycharge"})
    cases = [(f, None, v) for f in fields for v in HOSTILE]
    cases += [("energyratestructure", k, v) for k in ("rate", "max", "sell", "adj", "unit", "other") for v in HOSTILE]
    cases += [("energyweekdayschedule", "cell", v) for v in HOSTILE + [99, -1, 1.5]]
    kwh = np.full(8760, 1.2)
    outcomes = {"error": 0, "bill": 0}
    for field, key, value in cases:
        rate = copy.deepcopy(base)
        if key is None:
            rate[field] = value
        elif key == "cell":
            rate[field][3][5] = value
        else:
            rate[field][0][0][key] = value
        try:
            bill = electric_bill(tariff_from_urdb(rate, "t.json"), kwh)
        except TariffError as exc:
            assert "\n" not in str(exc) and str(exc).startswith("t.json: ")
            outcomes["error"] += 1
            continue
        assert np.isfinite(bill.total_usd) and abs(bill.total_usd) < 2e6, (field, key, value, bill.total_usd)
        outcomes["bill"] += 1
    assert outcomes["error"] > 100 and outcomes["bill"] > 50  # both kinds of answer were exercised
