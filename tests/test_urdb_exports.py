"""Rate files as users download them today (issue "Rates and solar as the references compute them", first part):
the current API's field names (supersedes, energytoulabels) and the website export's camelCase names read alike;
an older fixed-charge field beside the current one is charged once.  Test rates written by hand from URDB's field
documentation (../shared/data/tariffs)."""

import json

import numpy as np
import pytest

from heatcalc.bills import electric_bill
from heatcalc.tariffs import TariffError, read_urdb, tariff_from_urdb

FLAT = [[0] * 24 for _ in range(12)]
API = {"label": "abc123", "name": "Residential", "supersedes": "abc000", "energytoulabels": ["All hours"],
       "energyratestructure": [[{"max": 500, "rate": 0.15}, {"rate": 0.2}]], "energyweekdayschedule": FLAT,
       "energyweekendschedule": FLAT, "fixedchargefirstmeter": 10, "fixedchargeunits": "$/month",
       "dgrules": "Net Metering"}
CAMEL = {"label": "abc123", "name": "Residential", "supersedes": "abc000", "energyTouLabels": ["All hours"],
         "energyRateStructure": API["energyratestructure"], "energyWeekdaySchedule": FLAT,
         "energyWeekendSchedule": FLAT, "fixedChargeFirstMeter": 10, "fixedChargeUnits": "$/month",
         "dgRules": "Net Metering", "demandComments": "", "energyComments": "no demand charges"}


def _bill(rate: dict, tmp_path) -> float:
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"items": [rate]}))
    r, _ = read_urdb(path)
    return electric_bill(tariff_from_urdb(r, "r.json"), np.full(8760, 1.0)).total_usd


def test_both_exports_read_alike_and_bill_by_hand(tmp_path):
    # 1 kWh an hour: a 31-day month 744 kWh = 500 x 0.15 + 244 x 0.20 = $123.80, 30 days $119.00, February
    # (672) $109.40, plus $10 a month: 7 x 123.80 + 4 x 119.00 + 109.40 + 120 = $1,572.00
    assert _bill(API, tmp_path) == pytest.approx(1572.0, abs=1e-9)
    assert _bill(CAMEL, tmp_path) == pytest.approx(1572.0, abs=1e-9)
    assert tariff_from_urdb(CAMEL, "r.json").dg_rule == "net_metering"  # dgRules carries the export rule


def test_two_spellings_of_one_field_are_refused():
    with pytest.raises(TariffError, match="two spellings of dgrules"):
        tariff_from_urdb({**API, "dgRules": "Net Billing Hourly"}, "r.json")


def test_the_older_fixed_charge_beside_the_current_one_is_charged_once(tmp_path):
    # charged twice before: $240 a year instead of $120
    notes: list = []
    both = {**API, "fixedmonthlycharge": 10}
    tariff = tariff_from_urdb(both, "r.json", notes=notes)
    assert float(np.sum(tariff.fixed_usd_per_month)) == pytest.approx(120.0)
    assert any("fixedmonthlycharge" in n for n in notes)
    older = {k: v for k, v in API.items() if not k.startswith("fixedcharge")}
    assert float(np.sum(tariff_from_urdb({**older, "fixedmonthlycharge": 10}, "r.json").fixed_usd_per_month)) == \
        pytest.approx(120.0)
