"""`heatcalc report`: one self-contained HTML page (inline SVG charts, inline CSS, nothing fetched) with a section
per home, or one chart as SVG or PNG.  Numbers are formatted as the tables format them; user text is escaped."""

from __future__ import annotations

import html
from typing import Iterable

import numpy as np

from . import __version__
from .errors import printable
from .render import FUEL_LABEL, SYSTEM_LABEL, _fuel_cell, _money, _num, adjustment_words, system_words
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
       margin: 0 auto; max-width: 1120px; padding: 16px; line-height: 1.45; }
h1 { font-size: 1.5rem; margin: 0.2em 0; } h2 { font-size: 1.25rem; margin-top: 2em; border-top: 2px solid var(--hp);
     padding-top: 0.6em; } h3 { font-size: 1.05rem; }
.muted, figcaption, .where { color: var(--muted); font-size: 0.9rem; }
.decision { background: #f3f7fb; border: 1px solid #c9d9ea; border-radius: 6px; padding: 0.4em 1em 0.6em; }
.decision h3 { margin: 0.4em 0; } .decision ul.options { padding-left: 1.2em; } .verdict { font-size: 1.05rem; }
.headline { font-size: 1.05rem; background: #f3f7fb; border-left: 4px solid var(--hp); padding: 0.6em 0.8em; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 0.6em 0; }
th, td { padding: 0.3em 0.5em; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
thead th { white-space: normal; vertical-align: bottom; }
tbody th { white-space: normal; text-align: left; font-weight: 600; min-width: 8em; }
table.buy td { white-space: normal; }
th:first-child, td:first-child { text-align: left; }
table.assumptions td { white-space: normal; text-align: left; }
figure { margin: 1.2em 0; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; max-width: 560px; height: auto; display: block; }
.charts { display: block; }
@media (min-width: 1000px) {  /* two charts a row on a wide screen, each filling its half */
  .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 0 2em; }
  .charts figure svg { max-width: 100%; }
}
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 0.35em; }
caption { text-align: left; color: var(--muted); font-size: 0.85rem; padding: 0.2em 0; caption-side: top; }
details.numbers table { font-size: 0.8rem; }
@media (max-width: 760px) {
  body { padding: 10px; }
  table.cards, table.cards tbody, table.cards tr, table.cards td, table.cards th[scope=row],
  table.cards caption { display: block; width: 100%; }
  table.cards thead { display: none; }  /* each cell shows its column's name instead (data-label) */
  table.cards tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 0.6em; padding: 0.3em 0.6em; }
  table.cards th[scope=row] { text-align: left; border: 0; white-space: normal; font-size: 1rem; }
  table.cards td { display: flex; justify-content: space-between; gap: 1em; border: 0; white-space: normal;
    text-align: right; padding: 0.15em 0; overflow-wrap: anywhere; }
  table.cards th[scope=row] { overflow-wrap: anywhere; }
  table.cards td::before { content: attr(data-label); color: var(--muted); text-align: left; }
  table.assumptions td { display: block; text-align: left; }
  table.assumptions td::before { display: block; font-size: 0.75rem; }  /* the label above its value */
  figure svg { max-width: 100%; }
  .muted, figcaption, .where, caption { font-size: 0.75rem; }
}
@media print { body { max-width: none; padding: 0; } section.home + section.home > h2 { break-before: page; }
  figure svg { max-width: 15cm; } details > summary { display: none; } .table-wrap { overflow: visible; }
  table { font-size: 8pt; } th, td { white-space: normal; padding: 0.2em 0.3em; } }
"""


def _e(text) -> str:
    """User or computed text, escaped for HTML (control characters written out first)."""
    return html.escape(printable(text))


def table(css_class: str, caption: str, head: tuple, rows: list) -> str:
    """A table that reads on a phone: a caption, column headers with scope, the first cell of each row its header;
    each cell carries its column's name (``data-label``), which the narrow-screen CSS shows beside it when the
    rows stack into cards.  Headers are plain text; the caption and cells are HTML, already escaped."""
    out = [f"<div class='table-wrap'><table class='{css_class} cards'><caption>{caption}</caption><thead><tr>",
           "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for cells in rows:
        out.append(f"<tr><th scope='row'>{cells[0]}</th>" + "".join(
            f"<td data-label='{html.escape(h, quote=True)}'>{cell}</td>" for h, cell in zip(head[1:], cells[1:]))
            + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _rows_table(c: Comparison) -> str:
    from .charts import SYSTEM_COLOR

    head = ("System", "Electric kWh", "Fuel", "Cost $/yr", "Cost per MMBtu", "Seasonal COP", "Backup heat",
            "CO2 kg/yr")
    rows = []
    for r in c.row_dicts():
        label = system_name(c, r["system"])
        fuel = "–" if not r["fuel"] else _fuel_cell(r)
        backup = f"{r['backup_fraction'] * 100:.1f}%" if r["system"] == "heat_pump" else "–"
        swatch = f"<span class='swatch' style='background:{SYSTEM_COLOR.get(r['system'], '#999')}'></span>"
        rows.append((swatch + _e(label[0].upper() + label[1:]), _num(r["electricity_kwh"]), fuel,
                     _money(r["annual_cost_usd"]), f"${r['cost_per_mmbtu_usd']:,.2f}",
                     f"{r['seasonal_efficiency']:.2f}", backup, _num(r["co2_kg"])))
    out = table("results", "Energy, heating cost and CO2 of a typical year, by system", head, rows)
    for r in c.row_dicts():
        if r["biogenic_co2_kg"] > 0:  # wood's own CO2, kept out of the CO2 column as EPA reports it
            out += (f"<p class='note'>{_e(system_name(c, r['system']).capitalize())}: the CO2 column counts the "
                    f"fire's methane and nitrous oxide; the wood's own CO2, {_num(r['biogenic_co2_kg'])} kg a year, "
                    f"is biogenic and reported apart.</p>")
    return out


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
    rows = []
    for r in c.row_dicts():
        kept = r["system"] == e.current and not e.replace_current
        label = system_name(c, r["system"])
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
        rows.append((_e(label[0].upper() + label[1:]), cost, _money(r["incentives_usd"] or 0.0),
                     _money(r["net_installed_cost_usd"] or 0.0), payback, saves))
    out = ["<h3>What it costs to buy</h3>", table(
        "buy", f"Installed cost, incentives and net cost, {_e(e.comparison)}; 2023 dollars, discount "
               f"{e.discount_rate * 100:g} %/yr", head, rows)]
    if e.incentives_applied or e.incentive_range_usd:
        from .incentives import snapshot_date

        items = "".join(f"<li>{_e(inc.program)} ({_e(inc.authority)}, {_e(inc.id)}): {_money(typ)}"
                        + (f" (from {_money(low)})" if low < typ else "")
                        + (f" — <a href='{_e(inc.url)}'>program page</a>" if inc.url.startswith("https://") else "")
                        + "</li>" for inc, typ, low, _high in e.incentives_applied)
        out.append(f"<p>Incentives for the heat pump, from Rewiring America's incentives data as of "
                   f"{snapshot_date().isoformat()} (programs change: check each before you buy):</p>"
                   + (f"<ul>{items}</ul>" if items else "<p>None applies to this household.</p>"))
        maybe = "".join(f"<li>{_e(inc.program)} ({_e(inc.authority)}, {_e(inc.id)}): {_money(typ)}, "
                        f"{_e(inc.condition)}</li>" for inc, typ in e.incentives_possible)
        if maybe:
            out.append("<p>Not counted above, because the profile does not say what they need:</p>"
                       f"<ul>{maybe}</ul>")
    return "".join(out)


# --- the decision -------------------------------------------------------------------------------------------------

#: A yearly difference smaller than this share of today's yearly cost (or $50) is "about the same", not a win:
#: prices, weather and use move a bill by more than that from year to year.
ABOUT_THE_SAME = 0.05
ABOUT_THE_SAME_USD = 50.0


def system_name(c: Comparison, system: str) -> str:
    """A system as a homeowner would name it: the heat pump's kind and backup, the furnace's fuel."""
    h = c.home
    if system == "heat_pump" and h.heat_pump is not None:
        hp = h.heat_pump
        cfg = h.profile.systems.heat_pump
        kind = "ground-source heat pump" if hp.ground is not None else \
            "air-to-water heat pump" if cfg is not None and cfg.type == "air_to_water" else "heat pump"
        if hp.share < 1.0:  # it reaches part of the home; the home's system heats the rest beside it
            rest = (f"{FUEL_LABEL.get(hp.backup_furnace.fuel, hp.backup_furnace.fuel).lower()} "
                    f"{hp.backup_furnace.kind}"
                    if hp.backup == "furnace" else "electric resistance")
            return f"{kind} heating {hp.share * 100:g} % of the home, with the {rest} for the rest"
        if hp.backup == "furnace":
            fuel = FUEL_LABEL.get(hp.backup_furnace.fuel, hp.backup_furnace.fuel).lower()
            below = f" below {hp.switchover_f:.0f} F" if hp.switchover_f is not None and \
                np.isfinite(hp.switchover_f) else ""
            return f"dual-fuel {kind} ({fuel} {hp.backup_furnace.kind}{below})"
        return kind
    if system == "furnace" and h.furnace is not None:
        return f"{FUEL_LABEL.get(h.furnace.fuel, h.furnace.fuel).lower()} {h.furnace.kind}"
    return SYSTEM_LABEL.get(system, system).lower()


def today_system(c: Comparison) -> str | None:
    """The system the home has now: economics.current, else the one its bills were for, else None."""
    h = c.home
    if h.economics is not None:
        return h.economics.current
    bills = h.profile.heating_load.from_bills if h.profile.heating_load is not None else None
    if bills is not None and bills.fuel:
        wanted = "electric_resistance" if bills.fuel == "electricity" else "furnace"
        return wanted if c.result(wanted) is not None else None
    return None


def _round_usd(x: float) -> str:
    step = 10 if abs(x) < 1000 else 100
    return _money(round(x / step) * step)


def _bill_change(diff: float, today_cost: float) -> str:
    """'saves about $340 a year', 'costs about $120 more a year' or 'costs about the same a year (within $90)'."""
    margin = max(ABOUT_THE_SAME_USD, ABOUT_THE_SAME * abs(today_cost))
    if abs(diff) < margin:
        return f"costs about the same a year (within {_round_usd(margin)})"
    return f"saves about {_round_usd(-diff)} a year" if diff < 0 else f"costs about {_round_usd(diff)} more a year"


def decision(c: Comparison, index: int = 1) -> str:
    """``<section id="decision">``: today's system and each option in plain words and rounded figures -- the yearly
    bill change, the cost to buy and incentives, payback and lifetime savings (or that it does not pay back within
    its life), the CO2 change -- and the caveats that matter.  Each option's exact figures are in data attributes,
    the same as ``compare --format json``."""
    h = c.home
    e = h.economics
    today = today_system(c)
    base = c.result(today) if today else None
    by = {r.system: r for r in c.results}
    options = [r for r in c.results if r.system != today]
    out = [f"<section class='decision' id='{'decision' if index == 1 else f'decision-{index}'}' "
           f"aria-labelledby='decision-title-{index}'><h3 id='decision-title-{index}'>What to do</h3>"]
    verdict = _verdict(c, today, by)
    if verdict:  # the answer first, in one sentence; the detail follows
        out.append(f"<p class='verdict'>{verdict}</p>")
    if base is not None:
        out.append(f"<p>Today: <b>{_e(system_name(c, today))}</b>, about {_round_usd(base.total_cost_usd)} a year "
                   f"for heating, cooling and fixed charges, {base.total_co2_kg / 1000:,.1f} t CO2.</p>")
    else:
        out.append("<p>The profile does not say which system the home has today (give economics.current): the "
                   "options are compared with one another.</p>")
    items = []
    for r in options:
        name = system_name(c, r.system)
        attrs = {"system": r.system, "total-cost-usd": r.total_cost_usd, "co2-kg": r.total_co2_kg,
                 "meets-load": str(r.meets_load).lower()}
        parts = []
        rate = h.bills.heat_pump_tariff if h.bills is not None and r.system == "heat_pump" else None
        if rate is not None:
            attrs["rate"] = rate.name
            parts.append(f"moves the home to the rate '{_e(rate.name)}'")
        if not r.meets_load:
            parts.append(f"leaves {r.unmet_heat_share * 100:.0f} % of the heat unmet as specified: not an option "
                         "until its backup or size is fixed")
        elif base is not None:
            diff = r.total_cost_usd - base.total_cost_usd
            attrs["bill-change-usd"] = diff
            parts.append(_bill_change(diff, base.total_cost_usd))
        else:
            parts.append(f"about {_round_usd(r.total_cost_usd)} a year")
        if e is not None and r.installed_cost_usd is not None and r.meets_load:
            attrs.update({"installed-cost-usd": r.installed_cost_usd, "net-installed-cost-usd":
                          r.net_installed_cost_usd, "incentives-usd": r.incentives_usd or 0.0})
            buy = f"costs {_round_usd(r.installed_cost_usd)} to buy" + (
                f" ({_round_usd(r.installed_cost_low_usd)} to {_round_usd(r.installed_cost_high_usd)})"
                if r.installed_cost_high_usd > r.installed_cost_low_usd else "")
            if r.incentives_usd:
                buy += f", {_round_usd(r.net_installed_cost_usd)} after {_round_usd(r.incentives_usd)} of incentives"
            parts.append(buy)
            if base is not None:
                if r.simple_payback_years is None or r.simple_payback_years > e.lifetime_years:
                    parts.append(f"does not pay back within its {e.lifetime_years:g}-year life")
                else:
                    lo, hi = r.simple_payback_years_low, r.simple_payback_years_high
                    rng = f" ({lo:.0f} to {'never' if hi is None else f'{hi:.0f}'})" if lo is not None else ""
                    if (r.npv_vs_current_usd or 0.0) < 0:  # repaid in plain dollars, not in today's money
                        parts.append(f"its yearly savings add up to its cost in about {r.simple_payback_years:.0f} "
                                     f"years{rng}, but not once future dollars are discounted "
                                     f"({e.discount_rate * 100:g} %/yr)")
                    else:
                        parts.append(f"pays back in about {r.simple_payback_years:.0f} years{rng}")
                    attrs["payback-years"] = r.simple_payback_years
                npv = r.npv_vs_current_usd or 0.0
                attrs["npv-usd"] = npv
                parts.append(_lifetime_words(npv, r.npv_vs_current_low_usd, r.npv_vs_current_high_usd,
                                             e.lifetime_years))
        if base is not None and base.total_co2_kg > 0:
            change = r.total_co2_kg - base.total_co2_kg
            attrs["co2-change-kg"] = change
            share = abs(change) / base.total_co2_kg * 100
            parts.append(("cuts CO2 by " if change < 0 else "adds ") + f"{abs(change) / 1000:,.1f} t a year "
                         f"({share:.0f} %)" + ("" if change < 0 else " of CO2"))
        data = " ".join(f"data-{k}='{v!r}'" if isinstance(v, float) else f"data-{k}='{_e(v)}'"
                        for k, v in attrs.items())
        items.append(f"<li {data}><b>{_e(name[0].upper() + name[1:])}</b>: {'; '.join(parts)}.</li>")
    out.append("<ul class='options'>" + "".join(items) + "</ul>")
    solar = _solar_decision(c, today)
    if solar:
        out.append(f"<p class='solar'>{solar}</p>")
    caveats = _caveats(c)
    if caveats:
        out.append("<p class='caveats'><b>Before you decide:</b> " + " ".join(caveats) + "</p>")
    if e is not None and (e.incentives_applied or e.incentive_range_usd):
        from .incentives import snapshot_date

        out.append(f"<p class='muted'>Incentives from Rewiring America's data as of {snapshot_date().isoformat()}; "
                   "installed costs are 2023 dollars, the range is what 10 % to 90 % of households pay.</p>")
    out.append("</section>")
    return "".join(out)


def _solar_decision(c: Comparison, today: str | None) -> str:
    """Whether the array pays for itself, with today's system and with the heat pump, from each row's
    solar_economics (what it takes off that home's bills, its net cost, payback and NPV over its life)."""
    inv = c.home.bills.solar_investment if c.home.bills is not None else None
    if inv is None:
        return ""
    kw = c.home.profile.solar.capacity
    rows = [r for r in (c.result(today) if today else None, c.result("heat_pump")) if r is not None]
    rows = list({r.system: r for r in rows}.values()) or list(c.results[:1])
    with_words = [f"with the {_e(system_name(c, r.system))}" for r in rows]
    savings = [r.solar_economics["annual_savings_usd"] for r in rows]
    text = f"<b>The {kw:g} kW array</b> takes about " + " and ".join(
        f"{_round_usd(s)} a year off the bills {w}" for s, w in zip(savings, with_words))
    if inv.installed_cost_usd is None:
        return text + "; give solar.installed_cost (a quote) to see whether it pays for itself."
    e0 = rows[0].solar_economics
    text += f"; it costs {_round_usd(inv.installed_cost_usd)}" + (
        f", {_round_usd(e0['net_installed_cost_usd'])} after {_round_usd(inv.incentives_usd)} of incentives"
        if inv.incentives_usd else "")
    verdicts = []
    for r, w in zip(rows, with_words):
        se = r.solar_economics
        pays = se["npv_usd"] is not None and se["npv_usd"] >= 0
        payback = se["simple_payback_years"]
        verdicts.append(
            (f"it pays for itself {w} (in about {payback:.0f} years; {_round_usd(se['npv_usd'])} ahead over its "
             f"{inv.lifetime_years:g} years in today's money)") if pays else
            (f"it does not pay for itself {w} ({_round_usd(-se['npv_usd'])} behind over its "
             f"{inv.lifetime_years:g} years in today's money)"))
    return text + "; " + "; ".join(verdicts) + "."


def _lifetime_words(npv: float, low: float | None, high: float | None, years: float) -> str:
    """'saves $4,000 over 15 years in today's money ($1,000 to $7,000)', 'costs $9,500 more ... (between $6,800
    and $23,000 more)', or a range that crosses zero said as such."""
    head = (f"saves {_round_usd(npv)}" if npv >= 0 else f"costs {_round_usd(-npv)} more") + \
        f" over {years:g} years in today's money"
    if low is None or high is None or abs(high - low) < 1.0:
        return head
    if low >= 0:
        return head + f" ({_round_usd(low)} to {_round_usd(high)})"
    if high <= 0:
        return head + f" (between {_round_usd(-high)} and {_round_usd(-low)} more)"
    return head + f" (from {_round_usd(-low)} more to {_round_usd(high)} saved)"


def _verdict(c: Comparison, today: str | None, by: dict) -> str:
    """One sentence: the option with the lowest lifetime cost (with economics), else the cheapest to run."""
    able = [r for r in c.results if r.meets_load]
    if not able:
        return "No system meets the home's load as specified."
    e = c.home.economics
    if e is not None and all(r.lifetime_cost_usd is not None for r in able):
        best = min(able, key=lambda r: r.lifetime_cost_usd)
        keep = best.system == today and not e.replace_current
        what = ("keeping the " + system_name(c, best.system)) if keep else "the " + system_name(c, best.system)
        head = (f"Lowest cost over {e.lifetime_years:g} years, buying included: <b>{_e(what)}</b> "
                f"(about {_round_usd(best.lifetime_cost_usd)} in today's money)")
        base = by.get(today) if today else None
        if base is None or best.system == today:
            why = ""
            others = sorted((r for r in able if r.system != today), key=lambda r: r.lifetime_cost_usd)
            if base is not None and others:
                runner = others[0]
                gap = runner.total_cost_usd - base.total_cost_usd
                name = _e(system_name(c, runner.system))
                why = (f": the next best, the {name}, costs about {_round_usd(gap)} a year more to run"
                       if gap > 0 else
                       f": the next best, the {name}, saves about {_round_usd(-gap)} a year, not enough to repay its "
                       f"{_round_usd(runner.net_installed_cost_usd or 0.0)} within its {e.lifetime_years:g}-year "
                       "life") if gap > 0.5 or gap < -0.5 else \
                    f": the next best, the {name}, costs about the same to run and more to buy"
            return head + why + "."
        saving = base.total_cost_usd - best.total_cost_usd
        why = (f", because it saves about {_round_usd(saving)} a year on the bills" if saving > 0 else
               f", though it costs about {_round_usd(-saving)} a year more to run") + \
            (f" and pays back its cost in about {best.simple_payback_years:.0f} years"
             if best.simple_payback_years is not None else "") + \
            f": {_round_usd(best.npv_vs_current_usd or 0.0)} less over its life than keeping the " \
            f"{_e(system_name(c, today))}"
        rate = c.home.bills.heat_pump_tariff if c.home.bills is not None and best.system == "heat_pump" else None
        if rate is not None:
            why += f", with the home on the rate '{_e(rate.name)}'"
        return head + why + "."
    best = min(able, key=lambda r: r.total_cost_usd)
    return f"Cheapest to run: <b>the {_e(system_name(c, best.system))}</b>; add an economics section to weigh the " \
           "cost to buy."


def _caveats(c: Comparison) -> list:
    out = []
    hp = c.result("heat_pump")
    if hp is not None and hp.energy.backup_fraction > 0.10:
        out.append(f"Backup heat makes {hp.energy.backup_fraction * 100:.0f} % of the heat pump's heat "
                   f"({'the furnace' if c.home.heat_pump.backup == 'furnace' else 'resistance strips'}); a larger or "
                   "cold-climate unit would change that.")
    for r in c.results:
        if not r.meets_load:
            out.append(f"The {_e(system_name(c, r.system))} leaves heat unmet as specified.")
    if any("fit the weather poorly" in w for w in c.home.warnings):
        out.append("The bills fit the weather poorly, so the heat the home needs is uncertain.")
    e = c.home.economics
    whole = [inc for inc, *_ in (e.incentives_applied if e is not None else ())
             if inc.amount.get("type") == "percent" and float(inc.amount.get("number", 0)) >= 1.0]
    if whole:
        names = ", ".join(sorted({_e(inc.program) for inc in whole}))
        out.append(f"{names} can pay the whole cost, but such programs usually start with a home energy audit, "
                   "verify the household's income, may ask a co-pay or cap what they cover, and may have a waiting "
                   "list: count on it only once the program has approved the work.")
    return out


def headline(c: Comparison) -> str:
    s = c.summary
    by = {r.system: r for r in c.results}
    parts = []
    for r in c.results:
        if not r.meets_load:
            parts.append(f"The {system_words(c, r.system)} leaves {r.unmet_heat_share * 100:.0f} % of the heat "
                         f"and {r.unmet_cooling_share * 100:.0f} % of the cooling unmet: it is not ranked and saves "
                         "nothing as specified.")
    if not s.cheapest:
        parts.append("No system meets the load as specified.")
    if s.cheapest:
        parts.append(f"Cheapest to run: <b>{system_words(c, s.cheapest)}</b>, "
                     f"{_money(by[s.cheapest].total_cost_usd)} a year.")
    for other, saving in s.heat_pump_savings_usd.items():
        words = _bill_change(-saving, by[other].total_cost_usd)  # a small gap is "about the same", not a win
        parts.append(f"Against the {system_words(c, other)}, the heat pump {words}.")
    t = c.home.profile.tariff
    for value, unit, field, where in ((s.breakeven_rate_adjustment_usd_per_kwh, "kWh", "adjustment", "on this rate"),
                                      (s.breakeven_gas_adjustment_usd_per_therm, "therm", "natural_gas_adjustment",
                                       "in the gas blocks")):
        if value is not None:
            own = (getattr(t, field) or 0.0) if t is not None else 0.0
            parts.append(f"The heat pump and the {system_words(c, 'furnace')} would cost the same {adjustment_words(value, unit, own, where)}"
                         f" (tariff.{field} {value:+.3f} $/{unit}).")
    if s.lowest_co2:
        hp = by.get("heat_pump")
        co2 = f" ({_num(hp.total_co2_kg)} kg CO2 a year)" if hp is not None and s.lowest_co2 == "heat_pump" else ""
        parts.append(f"Lowest CO2: {system_words(c, s.lowest_co2)}{co2}.")
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
        months = with_cooling_and_fixed(c, months if months is not None else monthly_rows(c))
        return {"monthly_cost": charts.monthly_cost, "peak_demand": charts.peak_demand,
                "monthly_bills": charts.monthly_bills}[name](months)
    if name == "solar":
        return charts.solar(*solar_series(c))
    if name == "heat_pump_capacity":
        hp = c.result("heat_pump")
        dual = h.heat_pump.backup == "furnace"
        return charts.heat_pump_capacity(
            h.heat_pump.curve, h.ua_btu_per_h_f, h.balance_point_f, h.temp_f, h.heat_pump.cutoff_f,
            hp.balance_point_f, h.heat_pump.switchover_f if dual else None,
            f"{FUEL_LABEL.get(h.heat_pump.backup_furnace.fuel, '').lower()} furnace" if dual else "resistance strips")
    if name == "breakeven":
        prices, hp_cost, furnace_cost = breakeven_series(c)
        return charts.breakeven(prices, hp_cost, furnace_cost, h.prices["electricity"].value,
                                c.summary.breakeven_electricity_usd_per_kwh.get("furnace"),
                                FUEL_LABEL[h.furnace.fuel])
    years, cumulative, low, high, payback = lifetime_series(c)
    return charts.lifetime_cost(years, cumulative, payback, h.economics.current, low, high,
                                {r.system: system_name(c, r.system) for r in c.results})


def breakeven_range(c: Comparison) -> tuple[float, float, float | None]:
    """The electricity prices the break-even chart spans: half to one and a half times today's, widened to hold the
    break-even price (with a fifth of it to spare) when it lies outside; and that price, or None without one."""
    today = c.home.prices["electricity"].value
    be = c.summary.breakeven_electricity_usd_per_kwh.get("furnace")
    lo, hi = 0.5 * today, 1.5 * today
    if be is not None and be > 0:
        lo, hi = min(lo, 0.8 * be), max(hi, 1.2 * be)
    return lo, hi, be


def breakeven_series(c: Comparison, n: int = 13):
    """The year's total cost of the heat pump and of the furnace over :func:`breakeven_range`'s prices, each
    computed by the model (the dual-fuel switchover follows the price)."""
    from .home import build_home
    from .simulate import compare_home

    lo, hi, _ = breakeven_range(c)
    prices = np.linspace(lo, hi, n)
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
    """Each system's lifetime cost in today's money as the years pass, as the CLI counts it: its net installed cost,
    then each year's cost of each energy escalated and discounted (``money.present_value_factor``), so the last
    year's value is the row's ``lifetime_cost_usd``; the heat pump's range from its installed cost's 10th and 90th
    percentiles; and its simple payback."""
    from . import money

    e = c.home.economics
    years = np.arange(0, int(np.ceil(e.lifetime_years)) + 1)
    cumulative, low, high = {}, None, None
    for r in c.results:
        by_energy = r.cost_by_energy or {}
        running = np.array([sum(cost * money.present_value_factor(e.discount_rate, e.escalation[energy],
                                                                  float(min(y, e.lifetime_years)))
                                for energy, cost in by_energy.items()) for y in years])
        net = r.net_installed_cost_usd or 0.0
        cumulative[r.system] = net + running
        if r.system == "heat_pump" and r.installed_cost_low_usd is not None:
            spread_low = r.installed_cost_low_usd - (r.installed_cost_usd or 0.0)
            spread_high = r.installed_cost_high_usd - (r.installed_cost_usd or 0.0)
            low, high = cumulative[r.system] + spread_low, cumulative[r.system] + spread_high
    hp = c.result("heat_pump")
    return years, cumulative, low, high, hp.simple_payback_years if e.current != "heat_pump" else None


def with_cooling_and_fixed(c: Comparison, months: list[dict]) -> list[dict]:
    """The month rows with each month's cooling cost and a twelfth of the year's fixed charges added, as
    ``total_cost_usd`` (so a month's bars are what the system costs that month, as the table's yearly totals)."""
    from .simulate import hourly_cooling
    from .weather.stations import HOUR_MONTH

    from .simulate import system_hours

    h = c.home
    extra = {}
    for r in c.results:
        cooling = hourly_cooling(h, r.system)
        peak = None
        if cooling is not None:  # the month's highest hour of heating and cooling together
            heat_kwh, _, _, cool_kwh = system_hours(h, r.system)
            peak = np.zeros(12)
            np.maximum.at(peak, HOUR_MONTH, heat_kwh + cool_kwh)
        extra[r.system] = (r.fixed_charges_usd / 12.0, peak)
    out = []
    for m in months:  # each month's cooling cost is the ledger's (monthly_rows), as its heating cost is
        fixed, peak = extra.get(m["system"], (0.0, None))
        k = m["month"] - 1
        out.append({**m, "fixed_usd": fixed, "total_cost_usd": m["cost_usd"] + m["cooling_cost_usd"] + fixed,
                    **({"peak_electric_kw": float(peak[k])} if peak is not None else {})})
    return out


CAPTIONS = {
    "annual_cost": "Energy cost of a typical year for each system (with cooling and fixed charges where the profile "
                   "has them).",
    "monthly_cost": "What each system costs in each month of the typical year: heating, cooling and a twelfth of "
                    "the year's fixed charges, adding up to the table's yearly totals.",
    "heat_pump_capacity": "Where the dashed load line rises above the heat pump's capacity (its balance point), "
                          "backup heat makes up the difference (shaded); with a furnace as backup, the furnace takes "
                          "all the heat below the switchover. The COP is the unit's at each temperature, not its "
                          "seasonal average. The bars show how many hours of the year are that cold.",
    "breakeven": "The year's total cost as the electricity price changes, all else held; the point marks where the "
                 "heat pump and the furnace cost the same.",
    "lifetime_cost": "Installed cost (net of incentives) plus each year's cost, with prices escalating and the "
                     "years discounted as in the table (today's money), so the last year is each system's "
                     "lifetime cost; the band is the heat pump's installed-cost range (10th to 90th percentile).",
    "peak_demand": "The highest hourly electricity use of each month for heating and cooling together, backup "
                   "strips included: what the panel and the grid must carry for them (the home's other use comes "
                   "on top).",
    "monthly_bills": "The household's electricity and fuel bills in each month with each system: the rate's tiers, "
                     "periods, fixed and minimum charges, the home's other use and any solar credits included.",
    "solar": "The rooftop array's output in each month: the part the home (with its heat pump) used in the hour it "
             "was made, and the part exported to the grid, credited by the rate's export rule.",
}


# --- the page -----------------------------------------------------------------------------------------------------

def _numbers_behind(figure) -> str:
    """The chart's numbers as a table, folded under the chart (for screen readers and for copying)."""
    from .charts import data_table, title_of

    header, rows = data_table(figure)
    if not rows:
        return ""

    def cell(v):
        if v is None:
            return "–"
        return _e(v) if isinstance(v, str) else f"{v:,.2f}" if abs(v) < 100 else f"{v:,.0f}"

    cells = [[cell(r[0]), *[cell(v) for v in r[1:]]] for r in rows]
    return ("<details class='numbers'><summary>The numbers behind this chart</summary>"
            + table("numbers", _e(title_of(figure)), tuple(printable(h) for h in header), cells) + "</details>")


def _assumptions(c: Comparison) -> str:
    rows = [(_e(a.field), _e(a.value), _e(a.source)) for a in c.home.assumptions]
    return ("<details open><summary>Assumptions and defaults used, with their sources</summary>"
            + table("assumptions", "Each default and assumption, with its source", ("Field", "Value", "Source"),
                    rows) + "</details>")


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


def prices_used(c: Comparison) -> str:
    """The prices the figures rest on, in a phrase for the report's header: the rate by name, the gas blocks, and
    where the other prices come from."""
    h = c.home
    parts = []
    bills = h.bills
    if bills is not None and bills.tariff is not None:
        parts.append(f"electricity on the rate '{bills.tariff.name}'")
    elif h.tariff_usd_per_kwh is not None:
        parts.append("electricity by the profile's time-of-use periods")
    if bills is not None and bills.heat_pump_tariff is not None:
        parts.append(f"with the heat pump on '{bills.heat_pump_tariff.name}'")
    if bills is not None and bills.gas_blocks is not None:
        parts.append("gas by the profile's monthly blocks")
    rest = {v.source for k, v in h.prices.items()
            if not (k == "electricity" and (bills is not None and bills.tariff is not None
                                            or h.tariff_usd_per_kwh is not None))
            and not (k == "natural_gas" and bills is not None and bills.gas_blocks is not None)}
    state = [s for s in rest if s.startswith("EIA")]
    if state:
        parts.append(("other prices " if parts else "prices: ") + (state[0] if len(state) == 1 else
                                                                  f"EIA averages, {h.location.state or 'US'}"))
    if any(not s.startswith("EIA") and not s.startswith("the URDB") for s in rest):
        parts.append("prices you gave")
    return "; ".join(parts) if parts else "prices you gave"


def home_section(c: Comparison, index: int) -> str:
    from .charts import svg
    from .simulate import monthly_rows

    h = c.home
    heat = c.heat_needed_mmbtu
    months = monthly_rows(c)
    parts = [f"<section class='home' id='home-{index}'>",
             f"<h2>{_e(h.name)}</h2>",
             f"<p class='where'>{_e(h.source)} · weather {_e(h.location.describe())} · {_e(prices_used(c))}"
             f" · heat needed {heat:,.1f} MMBtu a year · design load "
             f"{h.design_load_btu_per_h:,.0f} Btu/h at {h.design_temp_f:.1f} F"
             + (f" · heat pump {h.heat_pump_nominal_btu_per_h / 12000:g} ton" if h.heat_pump_nominal_btu_per_h
                else "") + "</p>",
             decision(c, index),
             f"<p class='headline'>{headline(c)}</p>",
             _notes(c),
             _rows_table(c),
             _buy_table(c)]
    parts.append("<div class='charts'>")
    for name in chart_names(c):
        figure = chart(c, name, months)
        drawn = svg(figure, f"h{index}-{name}-", desc=CAPTIONS[name])
        caption = CAPTIONS[name]
        if name == "breakeven":
            lo, hi, be = breakeven_range(c)
            caption += (f" The break-even is {be * 100:.1f} c/kWh." if be is not None and be > 0 else
                        f" There is no break-even between {lo * 100:.1f} and {hi * 100:.1f} c/kWh: one system costs "
                        "less at every price in that range.")
        parts.append(f"<figure class='chart' data-chart='{name}'>{drawn}"
                     f"<figcaption>{caption}</figcaption>{_numbers_behind(figure)}</figure>")
    parts.append("</div>")
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
        rows.append(cells)
    return ("<h2 style='border:0;margin-top:1em'>Summary</h2>"
            + table("summary", "Each home's yearly cost by system, and the cheapest to run",
                    ("Home", "Heat pump $/yr", "Furnace $/yr", "Resistance $/yr", "Cheapest"), rows))


def report_date() -> str:
    """The date a report is made on: ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) when set, else
    today; two runs on one day give the same bytes."""
    import datetime as dt
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    return dt.date.today().isoformat()


def html_report(comparisons: Iterable[Comparison]) -> str:
    """The whole page: a summary first when there are several homes, then a section per home.  Printed, each page
    carries the report's date and its page number."""
    comparisons = list(comparisons)
    title = "Heating cost comparison" if len(comparisons) != 1 else f"Heating cost: {comparisons[0].name}"
    made = report_date()
    page_css = ("@page { margin: 14mm 12mm 16mm; @bottom-left { content: 'heatcalc report, " + made + "'; "
                "font-size: 8pt; color: #5a5a5a; } @bottom-right { content: 'page ' counter(page) ' of ' "
                "counter(pages); font-size: 8pt; color: #5a5a5a; } }")
    body = [f"<header><h1>{_e(title)}</h1><p class='muted'>Made on {made} with heatcalc {__version__}: a typical "
            "weather year "
            "hour by hour, rated equipment performance and each home's prices (its rate where it has one, else its "
            "state's averages; each home's header names them). Every assumption is listed with its "
            "source under each home.</p></header>"]
    if len(comparisons) > 1:
        body.append(summary_table(comparisons))
    body += [home_section(c, i) for i, c in enumerate(comparisons, start=1)]
    return ("<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(title)}</title><style>{CSS}{page_css}</style></head><body>{''.join(body)}</body></html>\n")
