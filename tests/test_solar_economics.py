"""Solar as an investment (issue "Money that adds up"): each row's solar_economics is what the array takes off
that home's bills (the ledger's bill without the array less with it), its net cost after the incentives that apply
to rooftop solar, its simple payback and its NPV over its life with the modules' degradation -- checked by hand."""

import json

import pytest

import heatcalc

BOSTON = {"location": {"zip": "02134"},
          "heating_load": {"from_bills": {"fuel": "natural_gas", "amount": "780 therm", "efficiency": 0.8}},
          "solar": {"capacity": "6 kW", "installed_cost": "18000 $"}}


def test_solar_economics_by_hand():
    c = heatcalc.compare({**BOSTON, "economics": {"current": "furnace", "discount_rate": 0.05,
                                                  "escalation": {"electricity": 0.02}}})
    for r in c.results:
        se = r.solar_economics
        savings = r.electric_bill_without_solar_usd - r.electric_bill_usd
        assert se["annual_savings_usd"] == pytest.approx(savings, rel=1e-12)
        # 25 years (the default life), 0.5 %/yr degradation (Jordan & Kurtz 2013), 2 % escalation, 5 % discount:
        # sum over t = 1..25 of 0.995^(t-1) x (1.02 / 1.05)^t
        factor = sum(0.995 ** (t - 1) * (1.02 / 1.05) ** t for t in range(1, 26))
        assert se["lifetime_savings_usd"] == pytest.approx(savings * factor, rel=1e-12)
        assert se["npv_usd"] == pytest.approx(savings * factor - 18000.0, rel=1e-12)  # no incentive asked for
        assert se["simple_payback_years"] == pytest.approx(18000.0 / savings, rel=1e-12)
    # a heat pump uses more of the array's output at home: it never takes less off the bills than the furnace
    assert c.result("heat_pump").solar_economics["annual_savings_usd"] >= \
        c.result("furnace").solar_economics["annual_savings_usd"] - 0.01


def test_solar_incentives_come_from_the_snapshot(cli, tmp_path):
    # Massachusetts' state credit for solar: 15 % up to $1,000 (MA-505 in the snapshot), taken off the array's cost
    profile = {**BOSTON, "household": {"income": 120000, "size": 3, "utility": "Eversource"},
               "economics": {"current": "furnace", "incentives": "auto", "install_date": "2026-06-01"}}
    c = heatcalc.compare(profile)
    se = c.result("heat_pump").solar_economics
    assert se["incentives_usd"] == pytest.approx(1000.0)
    assert se["net_installed_cost_usd"] == pytest.approx(17000.0)
    path = tmp_path / "p.yaml"
    path.write_text(json.dumps(profile))
    (d,) = json.loads(cli("compare", path, "-f", "json").stdout)
    assert d["rows"][0]["solar_economics"]["npv_usd"] == pytest.approx(se["npv_usd"], rel=1e-12)
    # the CSV keeps its columns: solar_economics is JSON only
    assert "solar_economics" not in cli("compare", path, "-f", "csv").stdout.splitlines()[0]


def test_without_a_cost_the_saving_is_given_and_the_rest_is_asked_for():
    c = heatcalc.compare({**BOSTON, "solar": {"capacity": "6 kW"}})
    se = c.result("furnace").solar_economics
    assert se["annual_savings_usd"] > 1000 and se["installed_cost_usd"] is None and se["npv_usd"] is None
    from heatcalc.report import html_report

    assert "give solar.installed_cost" in html_report([c])


def test_the_report_says_whether_the_array_pays():
    from heatcalc.report import html_report

    page = html_report([heatcalc.compare({**BOSTON, "economics": {"current": "furnace"}})])
    assert "The 6 kW array" in page and "pays for itself with the heat pump" in page
    dear = html_report([heatcalc.compare({**BOSTON, "solar": {"capacity": "6 kW", "installed_cost": "90000 $"},
                                          "economics": {"current": "furnace"}})])
    assert "does not pay for itself with the heat pump" in dear
