"""`heatcalc report`: one self-contained HTML page (inline SVG charts, inline CSS, nothing fetched) with a section
per home, or one chart as SVG or PNG.  Numbers are formatted as the tables format them; user text is escaped."""

from __future__ import annotations

import html
from typing import Iterable

import numpy as np

from . import __version__
from .errors import printable
from .render import FUEL_LABEL, SYSTEM_LABEL, _money, _num
from .results import Comparison

LIMITS = (
    "It is a typical weather year, not this winter or the last: a cold year costs more, a mild one less.",
    "The heat the home needs comes from what you entered (bills, a design load, a heat-loss coefficient). Bills "
    "give the best estimate; a design load from a Manual J usually overstates the heat a year needs.",
    "The heat pump runs on its rated performance (adjusted by any field factor): installation, ducts, defrost in "
    "very humid cold and thermostat habits can change what it delivers.",
    "Prices are state averages unless you gave yours, and they change; the break-even chart shows how much that "
    "matters.",
    "Installed costs are ranges from national studies scaled to the state; duct work, electrical panel upgrades and "
    "venting are not included. Quotes from installers are better.",
)

CSS = """
:root { --fg: #1b1b1b; --muted: #5a5a5a; --line: #d9d9d9; --hp: #0072B2; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg);
       margin: 0 auto; max-width: 980px; padding: 16px; line-height: 1.45; }
h1 { font-size: 1.5rem; margin: 0.2em 0; } h2 { font-size: 1.25rem; margin-top: 2em; border-top: 2px solid var(--hp);
     padding-top: 0.6em; } h3 { font-size: 1.05rem; }
.muted, figcaption, .where { color: var(--muted); font-size: 0.9rem; }
.headline { font-size: 1.05rem; background: #f3f7fb; border-left: 4px solid var(--hp); padding: 0.6em 0.8em; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 0.6em 0; }
th, td { padding: 0.3em 0.5em; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
table.assumptions td { white-space: normal; text-align: left; }
figure { margin: 1.2em 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; max-width: 760px; height: auto; display: block; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 0.35em; }
@media print { body { max-width: none; padding: 0; } section.home + section.home > h2 { break-before: page; }
  figure svg { max-width: 15cm; } details > summary { display: none; } .table-wrap { overflow: visible; }
  table { font-size: 8pt; } th, td { white-space: normal; padding: 0.2em 0.3em; } }
"""


def _e(text) -> str:
    """User or computed text, escaped for HTML (control characters written out first)."""
    return html.escape(printable(text))


def _rows_table(c: Comparison) -> str:
    from .charts import SYSTEM_COLOR

    head = ("System", "Electric kWh", "Fuel", "Cost $/yr", "Cost per MMBtu", "Seasonal COP", "Backup heat",
            "CO2 kg/yr")
    out = ["<div class='table-wrap'><table class='results'><thead><tr>",
           "".join(f"<th>{h}</th>" for h in head), "</tr></thead><tbody>"]
    for r in c.row_dicts():
        label = SYSTEM_LABEL.get(r["system"], r["system"])
        fuel = "–" if not r["fuel"] else f"{_num(r['fuel_use'])} {r['fuel_unit']}"
        backup = f"{r['backup_fraction'] * 100:.1f}%" if r["system"] == "heat_pump" else "–"
        swatch = f"<span class='swatch' style='background:{SYSTEM_COLOR.get(r['system'], '#999')}'></span>"
        cells = (swatch + _e(label), _num(r["electricity_kwh"]), fuel, _money(r["annual_cost_usd"]),
                 f"${r['cost_per_mmbtu_usd']:,.2f}", f"{r['seasonal_efficiency']:.2f}", backup, _num(r["co2_kg"]))
        out.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _years(x) -> str:
    return "never" if x is None else f"{x:,.1f}"


def _buy_table(c: Comparison) -> str:
    """With economics: what each system costs to buy (its range), the incentives taken off (by program, with the
    snapshot's date), the net cost, payback and lifetime savings (with their ranges)."""
    e = c.home.economics
    if e is None:
        return ""
    head = ("System", "Installed cost (10th-90th pct)", "Incentives", "Net cost", "Payback years (range)",
            f"Saves over {e.lifetime_years:g} years (range)")
    out = [f"<h3>What it costs to buy</h3><div class='table-wrap'><table class='buy'><caption>Installed cost, "
           f"incentives and net cost, {_e(e.comparison)}; 2023 dollars, discount {e.discount_rate * 100:g} %/yr"
           "</caption><thead><tr>", "".join(f"<th scope='col'>{h}</th>" for h in head), "</tr></thead><tbody>"]
    for r in c.row_dicts():
        kept = r["system"] == e.current and not e.replace_current
        label = SYSTEM_LABEL.get(r["system"], r["system"])
        cost = "kept (0)" if kept else (
            _money(r["installed_cost_usd"] or 0.0) + (
                f" ({_money(r['installed_cost_low_usd'])}–{_money(r['installed_cost_high_usd'])})"
                if r["installed_cost_low_usd"] != r["installed_cost_high_usd"] else ""))
        if r["system"] == e.current:
            payback, saves = "–", "–"
        elif not r["meets_load"]:
            payback, saves = "does not meet the load", "–"
        else:
            payback = _years(r["simple_payback_years"])
            if r["simple_payback_years"] is not None:
                payback += f" ({_years(r['simple_payback_years_low'])}–{_years(r['simple_payback_years_high'])})"
                if r["simple_payback_years"] > e.lifetime_years:
                    payback += f": not within its {e.lifetime_years:g}-year life"
            saves = (f"{_money(r['npv_vs_current_usd'] or 0.0)} ({_money(r['npv_vs_current_low_usd'] or 0.0)} to "
                     f"{_money(r['npv_vs_current_high_usd'] or 0.0)})")
        cells = (_e(label), cost, _money(r["incentives_usd"] or 0.0), _money(r["net_installed_cost_usd"] or 0.0),
                 payback, saves)
        out.append("<tr>" + f"<th scope='row'>{cells[0]}</th>" + "".join(f"<td>{x}</td>" for x in cells[1:])
                   + "</tr>")
    out.append("</tbody></table></div>")
    if e.incentives_applied or e.incentive_range_usd:
        from .incentives import snapshot_date

        items = "".join(f"<li>{_e(inc.program)} ({_e(inc.authority)}, {_e(inc.id)}): {_money(typ)}"
                        + (f" (from {_money(low)})" if low < typ else "")
                        + (f" — <a href='{_e(inc.url)}'>program page</a>" if inc.url.startswith("https://") else "")
                        + "</li>" for inc, typ, low, _high in e.incentives_applied)
        out.append(f"<p>Incentives for the heat pump, from Rewiring America's incentives data as of "
                   f"{snapshot_date().isoformat()} (programs change: check each before you buy):</p>"
                   + (f"<ul>{items}</ul>" if items else "<p>None applies to this household.</p>"))
    return "".join(out)


def headline(c: Comparison) -> str:
    s = c.summary
    by = {r.system: r for r in c.results}
    parts = []
    for r in c.results:
        if not r.meets_load:
            parts.append(f"The {SYSTEM_LABEL[r.system].lower()} leaves {r.unmet_heat_share * 100:.0f} % of the heat "
                         f"and {r.unmet_cooling_share * 100:.0f} % of the cooling unmet: it is not ranked and saves "
                         "nothing as specified.")
    if not s.cheapest:
        parts.append("No system meets the load as specified.")
    if s.cheapest:
        parts.append(f"Cheapest to run: <b>{SYSTEM_LABEL[s.cheapest].lower()}</b>, "
                     f"{_money(by[s.cheapest].total_cost_usd)} a year.")
    for other, saving in s.heat_pump_savings_usd.items():
        verb = f"saves {_money(saving)}" if saving >= 0 else f"costs {_money(-saving)} more"
        parts.append(f"The heat pump {verb} a year against the {SYSTEM_LABEL[other].lower()}.")
    if s.lowest_co2:
        hp = by.get("heat_pump")
        co2 = f" ({_num(hp.total_co2_kg)} kg CO2 a year)" if hp is not None and s.lowest_co2 == "heat_pump" else ""
        parts.append(f"Lowest CO2: {SYSTEM_LABEL[s.lowest_co2].lower()}{co2}.")
    return " ".join(parts)


# --- the charts' data ---------------------------------------------------------------------------------------------

def chart_names(c: Comparison) -> list[str]:
    """The charts that apply to this home (break-even needs a heat pump, a furnace and one electricity price;
    the life-cycle chart needs `economics`; the capacity chart an air-source heat pump)."""
    from .charts import CHARTS

    h = c.home
    names = list(CHARTS)
    if h.heat_pump is None or h.heat_pump.ground is not None:
        names.remove("heat_pump_capacity")
    if h.heat_pump is None or h.furnace is None or h.tariff_usd_per_kwh is not None:
        names.remove("breakeven")
    if h.economics is None or h.heat_pump is None:
        names.remove("lifetime_cost")
    hourly_bills = h.bills is not None and (h.bills.tariff is not None or h.bills.solar_kwh is not None
                                           or h.bills.gas_blocks is not None)
    if not hourly_bills:
        names.remove("monthly_bills")
    if h.bills is None or h.bills.solar_kwh is None:
        names.remove("solar")
    return names


def chart(c: Comparison, name: str, months: list[dict] | None = None):
    """One chart of a comparison, as a matplotlib Figure."""
    from . import charts
    from .simulate import monthly_rows

    h = c.home
    if name not in chart_names(c):
        raise ValueError(f"the {name} chart does not apply to this home")
    if name == "annual_cost":
        return charts.annual_cost(c.row_dicts())
    if name in ("monthly_cost", "peak_demand", "monthly_bills"):
        months = months if months is not None else monthly_rows(c)
        return {"monthly_cost": charts.monthly_cost, "peak_demand": charts.peak_demand,
                "monthly_bills": charts.monthly_bills}[name](months)
    if name == "solar":
        return charts.solar(*solar_series(c))
    if name == "heat_pump_capacity":
        hp = c.result("heat_pump")
        return charts.heat_pump_capacity(h.heat_pump.curve, h.ua_btu_per_h_f, h.balance_point_f, h.temp_f,
                                         h.heat_pump.cutoff_f, hp.balance_point_f)
    if name == "breakeven":
        prices, hp_cost, furnace_cost = breakeven_series(c)
        return charts.breakeven(prices, hp_cost, furnace_cost, h.prices["electricity"].value,
                                FUEL_LABEL[h.furnace.fuel])
    years, cumulative, payback = lifetime_series(c)
    return charts.lifetime_cost(years, cumulative, payback, h.economics.current)


def breakeven_series(c: Comparison, n: int = 13):
    """The year's total cost of the heat pump and of the furnace at electricity prices from half to one and a half
    times today's, each computed by the model (the dual-fuel switchover follows the price)."""
    from .home import build_home
    from .simulate import compare_home

    today = c.home.prices["electricity"].value
    prices = np.linspace(0.5 * today, 1.5 * today, n)
    hp, furnace = [], []
    for p in prices:
        other = compare_home(build_home(c.home.profile, {"electricity": float(p)}, "break-even"))
        hp.append(other.result("heat_pump").total_cost_usd)
        furnace.append(other.result("furnace").total_cost_usd)
    return prices, np.array(hp), np.array(furnace)


def solar_series(c: Comparison):
    """The array's output by month, and what the heat pump's home (else the first system's) used of it in its hour
    and exported [kWh]."""
    from .simulate import system_hours
    from .weather.stations import HOUR_MONTH

    h = c.home
    pv = h.bills.solar_kwh
    system = "heat_pump" if c.result("heat_pump") is not None else c.results[0].system
    heat_kwh, _, _, cool_kwh = system_hours(h, system)
    used = np.minimum(pv, h.bills.base_kwh_per_h + heat_kwh + cool_kwh)
    return (np.bincount(HOUR_MONTH, pv, 12), np.bincount(HOUR_MONTH, used, 12),
            np.bincount(HOUR_MONTH, pv - used, 12))


def lifetime_series(c: Comparison):
    """Cumulative cost of each system at today's prices, not discounted: installed cost net of incentives, plus
    each year's total cost; where the heat pump's line crosses the current system's is its simple payback."""
    e = c.home.economics
    years = np.arange(0, int(np.ceil(e.lifetime_years)) + 1)
    cumulative = {r.system: (r.net_installed_cost_usd or 0.0) + years * r.total_cost_usd for r in c.results}
    hp = c.result("heat_pump")
    return years, cumulative, hp.simple_payback_years if e.current != "heat_pump" else None


CAPTIONS = {
    "annual_cost": "Energy cost of a typical year for each system (with cooling and fixed charges where the profile "
                   "has them).",
    "monthly_cost": "Heating cost in each month of the typical year.",
    "heat_pump_capacity": "Where the dashed load line rises above the heat pump's capacity (its balance point), "
                          "backup heat makes up the difference; the bars show how many hours of the year are that "
                          "cold.",
    "breakeven": "The year's total cost as the electricity price changes, all else held; the point marks where the "
                 "heat pump and the furnace cost the same.",
    "lifetime_cost": "Installed cost (net of incentives) plus each year's cost at today's prices, not discounted; "
                     "the crossing with the current system is the simple payback.",
    "peak_demand": "The highest hourly electricity use of each month, backup strips included: what the panel and "
                   "the grid must carry.",
    "monthly_bills": "The household's electricity and fuel bills in each month with each system: the rate's tiers, "
                     "periods, fixed and minimum charges, the home's other use and any solar credits included.",
    "solar": "The rooftop array's output in each month: the part the home (with its heat pump) used in the hour it "
             "was made, and the part exported to the grid, credited by the rate's export rule.",
}


# --- the page -----------------------------------------------------------------------------------------------------

def _assumptions(c: Comparison) -> str:
    rows = "".join(f"<tr><td>{_e(a.field)}</td><td>{_e(a.value)}</td><td>{_e(a.source)}</td></tr>"
                   for a in c.home.assumptions)
    return ("<details open><summary>Assumptions and defaults used, with their sources</summary>"
            "<div class='table-wrap'><table class='assumptions'><thead><tr><th>Field</th><th>Value</th>"
            f"<th>Source</th></tr></thead><tbody>{rows}</tbody></table></div></details>")


def _notes(c: Comparison) -> str:
    """The inputs' warnings (a poor bills fit, a heat pump too small to cool) and any unmet heat or cooling."""
    notes = [_e(w) for w in c.home.warnings]
    for r in c.results:
        label = SYSTEM_LABEL[r.system].lower()
        if r.energy.unmet_btu > 0:
            notes.append(f"Unmet heat ({label}): {r.energy.unmet_btu / 1e6:,.2f} MMBtu over "
                         f"{r.energy.unmet_hours:,.0f} hours; the backup strips are too small or locked out.")
        if r.unmet_cooling_hours > 0:
            notes.append(f"Unmet cooling ({label} home): {r.unmet_cooling_btu / 1e6:,.2f} MMBtu over "
                         f"{r.unmet_cooling_hours:,.0f} hours, above the unit's cooling capacity.")
    if not notes:
        return ""
    return "<ul class='notes'>" + "".join(f"<li>{n}</li>" for n in notes) + "</ul>"


def home_section(c: Comparison, index: int) -> str:
    from .charts import svg
    from .simulate import monthly_rows

    h = c.home
    heat = c.heat_needed_mmbtu
    months = monthly_rows(c)
    parts = [f"<section class='home' id='home-{index}'>",
             f"<h2>{_e(h.name)}</h2>",
             f"<p class='where'>{_e(h.source)} · weather {_e(h.location.describe())} · prices of "
             f"{_e(h.location.state or 'the US average')} · heat needed {heat:,.1f} MMBtu a year · design load "
             f"{h.design_load_btu_per_h:,.0f} Btu/h at {h.design_temp_f:.1f} F"
             + (f" · heat pump {h.heat_pump_nominal_btu_per_h / 12000:g} ton" if h.heat_pump_nominal_btu_per_h
                else "") + "</p>",
             f"<p class='headline'>{headline(c)}</p>",
             _notes(c),
             _rows_table(c),
             _buy_table(c)]
    for name in chart_names(c):
        parts.append(f"<figure class='chart' data-chart='{name}'>{svg(chart(c, name, months), f'h{index}-{name}-')}"
                     f"<figcaption>{CAPTIONS[name]}</figcaption></figure>")
    parts.append(_assumptions(c))
    parts.append("<h3>What this does not tell you</h3><ul>" + "".join(f"<li>{t}</li>" for t in LIMITS) + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def summary_table(comparisons: list[Comparison]) -> str:
    rows = []
    for i, c in enumerate(comparisons, start=1):
        by = {r.system: r for r in c.results}
        cells = [f"<a href='#home-{i}'>{_e(c.name)}</a>"]
        for system in ("heat_pump", "furnace", "electric_resistance"):
            cells.append(_money(by[system].total_cost_usd) if system in by else "–")
        cells.append(_e(SYSTEM_LABEL.get(c.summary.cheapest, "–")))
        rows.append("<tr>" + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
    return ("<h2 style='border:0;margin-top:1em'>Summary</h2><div class='table-wrap'><table><thead><tr><th>Home</th>"
            "<th>Heat pump $/yr</th><th>Furnace $/yr</th><th>Resistance $/yr</th><th>Cheapest</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def html_report(comparisons: Iterable[Comparison]) -> str:
    """The whole page: a summary first when there are several homes, then a section per home."""
    comparisons = list(comparisons)
    title = "Heating cost comparison" if len(comparisons) != 1 else f"Heating cost: {comparisons[0].name}"
    body = [f"<header><h1>{_e(title)}</h1><p class='muted'>Made with heatcalc {__version__}: a typical weather year "
            "hour by hour, rated equipment performance and state energy prices. Every assumption is listed with its "
            "source under each home.</p></header>"]
    if len(comparisons) > 1:
        body.append(summary_table(comparisons))
    body += [home_section(c, i) for i, c in enumerate(comparisons, start=1)]
    return ("<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body>{''.join(body)}</body></html>\n")
