"""Every surface reads the one ledger (issue "Money that adds up"): the table's CSV and JSON rows, the summary, batch
rows, months and hours, the report's data attributes and the frames give each option's money as the same figure,
to the cent, for homes with a URDB rate, gas blocks, solar, a heat-pump rate and incentives."""

import csv
import io
import json
import re

import pytest

import heatcalc
from heatcalc.simulate import hourly_rows, monthly_rows

from .conftest import ROOT
from .test_ledger import BILLED

CASES = {
    **{name: dict(profile) for name, profile in BILLED.items()},
    "heat-pump rate + economics": {**BILLED["rate"], "economics": {"current": "furnace"},
                                   "systems": {**BILLED["rate"]["systems"], "heat_pump": {
                                       "hspf2": 9.5, "compressor": "variable_speed",
                                       "tariff": {"urdb": str(ROOT / "profiles" / "rates" /
                                                              "illustrative-heat-pump-rate.json")}}}},
    "incentives": {**BILLED["rate+solar"], "household": {"income": 40000, "size": 3, "utility": "Eversource"},
                   "economics": {"current": "furnace", "incentives": "auto"}},
}
MONEY = ("annual_cost_usd", "cooling_cost_usd", "fixed_charges_usd", "total_cost_usd", "electric_bill_usd",
         "fuel_bill_usd", "lifetime_cost_usd", "npv_vs_current_usd", "net_installed_cost_usd", "incentives_usd")


@pytest.fixture(params=sorted(CASES), ids=sorted(CASES))
def case(request, tmp_path):
    path = tmp_path / "home.yaml"
    path.write_text(json.dumps({"name": request.param, **CASES[request.param]}))
    return path, heatcalc.compare(path)


def _cents(a, b):
    if a is None or b is None or a == "" or b == "":
        assert (a in (None, "")) == (b in (None, "")), (a, b)
        return
    assert float(a) == pytest.approx(float(b), abs=0.005)


def test_every_surface_gives_the_ledgers_figures(case, cli):
    path, c = case
    ledger = {r.system: r for r in c.results}
    # JSON rows, summary
    (data,) = json.loads(cli("compare", path, "-f", "json").stdout)
    for row in data["rows"]:
        for key in MONEY:
            _cents(row.get(key), getattr(ledger[row["system"]], key))
    hp = ledger.get("heat_pump")
    for other, saving in data["summary"]["heat_pump_savings_usd"].items():
        _cents(saving, ledger[other].total_cost_usd - hp.total_cost_usd)
    # CSV rows
    rows = list(csv.DictReader(io.StringIO(cli("compare", path, "-f", "csv").stdout)))
    for row in rows:
        for key in MONEY:
            if key in row:
                _cents(row[key] or None, getattr(ledger[row["system"]], key))
    # batch rows (profile files go home by home; the same figures)
    batch = json.loads(cli("batch", path, "-f", "json").stdout)
    for row in batch:
        for key in MONEY:
            _cents(row.get(key), getattr(ledger[row["system"]], key))
    # months and hours
    months, hours = monthly_rows(c), list(hourly_rows(c))
    for system, r in ledger.items():
        _cents(sum(m["cost_usd"] for m in months if m["system"] == system), r.annual_cost_usd)
        _cents(sum(h["cost_usd"] for h in hours if h["system"] == system), r.annual_cost_usd)
        if r.electric_bill_usd is not None:
            _cents(sum(m["electric_bill_usd"] for m in months if m["system"] == system), r.electric_bill_usd)
    # the frame
    frame = c.to_frame()
    for _, row in frame.iterrows():
        for key in MONEY:
            if key in frame.columns:
                value = row[key]
                _cents(None if value != value else value, getattr(ledger[row["system"]], key))
    # the report's data attributes
    from heatcalc.report import html_report, today_system

    page = html_report([c])
    for item in re.finditer(r"<li data-system='(\w+)'([^>]*)>", page):
        attrs = dict(re.findall(r"data-([\w-]+)='([^']*)'", item.group(2)))
        r = ledger[item.group(1)]
        _cents(attrs["total-cost-usd"], r.total_cost_usd)
        if "net-installed-cost-usd" in attrs:
            _cents(attrs["net-installed-cost-usd"], r.net_installed_cost_usd)
            _cents(attrs["npv-usd"], r.npv_vs_current_usd)
        if "bill-change-usd" in attrs:
            today = ledger[today_system(c)]
            _cents(attrs["bill-change-usd"], r.total_cost_usd - today.total_cost_usd)


def test_the_report_says_what_it_rests_on_and_decides_first():
    c = heatcalc.compare({"name": "x", **CASES["heat-pump rate + economics"]})
    from heatcalc.report import html_report

    page = html_report([c])
    section = page[page.index("class='decision'"):]
    assert section.index("class='verdict'") < section.index("Today:")  # the answer first
    assert "Illustrative heat pump rate (winter discount)" in section  # the rate switch is named
    where = re.search(r"<p class='where'>([^<]*)", page).group(1)
    assert "electricity on the rate" in where and "with the heat pump on" in where
    assert "state energy prices" not in page
