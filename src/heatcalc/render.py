"""The only code that formats output: Rich tables for people, CSV and JSON for scripts.

CSV and JSON carry full precision; tables round for reading.  Everything here writes to a given stream, so the
CLI decides what goes to stdout (data) and what to stderr (messages).
"""

from __future__ import annotations

import functools
import io
import json
import math
from typing import IO, Iterable

from .errors import printable
from .results import COLUMNS, Comparison
from .units import (BTU_PER_KWH, FUEL_SHORT, GJ_PER_MMBTU, W_PER_BTU_H, W_PER_K_PER_BTU_H_F, f_to_c, si_fuel, si_name,
                    to_si)

SYSTEM_LABEL = {"heat_pump": "Heat pump", "furnace": "Furnace", "electric_resistance": "Resistance"}
FUEL_LABEL = {"natural_gas": "natural gas", "propane": "propane", "heating_oil": "heating oil", "electricity":
              "electricity", "kerosene": "kerosene", "wood": "wood", "pellets": "pellet", "coal": "coal"}


def _json_default(value):
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _clean(value):
    """JSON has no NaN or infinity: write them as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def write_json(comparisons: list[Comparison], out: IO[str], monthly: list[list[dict]] | None = None,
               units: str = "us") -> None:
    docs = [c.to_dict() for c in comparisons]
    if monthly is not None:
        for doc, rows in zip(docs, monthly):
            doc["monthly"] = rows
    if units == "si":
        docs = [{"units": "si", **to_si(doc)} for doc in docs]
    json.dump(_clean(docs), out, indent=2, default=_json_default)
    out.write("\n")


def csv_writer(out: IO[str], columns: Iterable[str] = COLUMNS, units: str = "us"):
    """A CSV writer of rows keyed by ``columns``; with ``units="si"`` it writes them in SI under SI names."""
    import csv

    if units == "si":
        return _SIWriter(out, columns)
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    return writer


class _SIWriter:
    def __init__(self, out: IO[str], columns: Iterable[str]):
        import csv

        self.writer = csv.DictWriter(out, fieldnames=[si_name(c)[0] for c in columns], lineterminator="\n",
                                     extrasaction="ignore")
        self.writer.writeheader()

    def writerow(self, row: dict) -> None:
        self.writer.writerow(to_si(row))

    def writerows(self, rows) -> None:
        self.writer.writerows(to_si(r) for r in rows)


def write_csv(comparisons: list[Comparison], out: IO[str], monthly: list[list[dict]] | None = None,
              units: str = "us") -> None:
    """One row per system; with ``monthly``, one row per system and month instead."""
    if monthly is not None:
        from .simulate import MONTHLY_COLUMNS

        writer = csv_writer(out, MONTHLY_COLUMNS, units)
        for rows in monthly:
            writer.writerows(rows)
        return
    writer = csv_writer(out, COLUMNS, units)
    for c in comparisons:
        writer.writerows(c.row_dicts())


def write_rows_json(rows: list[dict], out: IO[str]) -> None:
    json.dump(_clean(rows), out, indent=2, default=_json_default)
    out.write("\n")


# --- tables for people --------------------------------------------------------------------------------------------

def _money(x: float) -> str:
    return f"-${-x:,.0f}" if x < -0.5 else f"${abs(x):,.0f}"


def _num(x: float, digits: int = 0) -> str:
    return f"{x:,.{digits}f}"


def _fuel_cell(row: dict, units: str = "us") -> str:
    if not row["fuel"]:
        return "–"
    use, unit = (row["fuel_use"], row["fuel_unit"]) if units != "si" else si_fuel(row["fuel_use"], row["fuel_unit"])
    if use < 100 and unit in ("cord", "ton", "t", "m3 stacked"):  # a few cords or tons: to a tenth
        return f"{use:.1f} {unit}"
    return f"{_num(use)} {unit}"


class Quantities:
    """Figures for people in the units asked for (``--units us``: MMBtu, Btu/h, F; ``si``: GJ, kW, C)."""

    def __init__(self, units: str = "us"):
        self.si = units == "si"

    def energy(self, mmbtu: float, digits: int = 1) -> str:
        return f"{mmbtu * GJ_PER_MMBTU:,.{digits}f} GJ" if self.si else f"{mmbtu:,.{digits}f} MMBtu"

    def power(self, btu_per_h: float) -> str:
        return f"{btu_per_h * W_PER_BTU_H / 1000:,.1f} kW" if self.si else f"{btu_per_h:,.0f} Btu/h"

    def temp(self, f: float, digits: int = 1) -> str:
        return f"{f_to_c(f):.{digits}f} C" if self.si else f"{f:.{digits}f} F"

    def ua(self, btu_per_h_f: float) -> str:
        return f"{btu_per_h_f * W_PER_K_PER_BTU_H_F:,.0f} W/K" if self.si else f"{btu_per_h_f:,.0f} Btu/h/F"

    @property
    def per_energy(self) -> str:
        return "GJ" if self.si else "MMBtu"

    def per_energy_value(self, usd_per_mmbtu: float) -> float:
        return usd_per_mmbtu / GJ_PER_MMBTU if self.si else usd_per_mmbtu


def make_console(file=None, width: int | None = None):
    """A Rich console that never reads markup or emoji codes: text is printed as written (styles are applied with
    :func:`_styled`), and user text also goes through :func:`printable`."""
    return _console_class()(file=file, width=width, highlight=False, soft_wrap=False, markup=False, emoji=False)


@functools.lru_cache(maxsize=1)
def _console_class():
    from rich.console import Console

    class QuietPipeConsole(Console):
        """Rich exits with status 1 when the reader of stdout goes away (``| head``); a closed pipe means the
        reader has what it wanted, so let the CLI treat it as success."""

        def on_broken_pipe(self) -> None:
            raise BrokenPipeError

    return QuietPipeConsole


def _styled(*parts):
    """A line of plain strings and (string, style) pairs, with no markup parsing."""
    from rich.text import Text

    return Text.assemble(*parts)


def print_comparisons(comparisons: list[Comparison], console, explain: bool = False,
                      breakeven: bool = False, monthly: list[list[dict]] | None = None, units: str = "us") -> None:
    for i, c in enumerate(comparisons):
        if i:
            console.print()
        print_comparison(c, console, explain, breakeven, units)
        if monthly is not None:
            print_monthly(monthly[i], console)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def print_monthly(rows: list[dict], console, bar_width: int = 24) -> None:
    """Cost per month of each system, with a bar drawn in the terminal."""
    from rich import box
    from rich.table import Table

    systems = list(dict.fromkeys(r["system"] for r in rows))
    by = {(r["system"], r["month"]): r for r in rows}
    hp = "heat_pump" if "heat_pump" in systems else systems[0]
    top = max((r["cost_usd"] for r in rows if r["system"] == hp), default=0.0) or 1.0
    table = Table(title="Cost by month", title_justify="left", box=box.SIMPLE_HEAD, header_style="bold",
                  pad_edge=False, collapse_padding=True)
    table.add_column("Month")
    for s in systems:
        table.add_column(f"{SYSTEM_LABEL.get(s, s)}\n$", justify="right")
    table.add_column(f"{SYSTEM_LABEL.get(hp, hp)} cost", no_wrap=True)
    for m in range(1, 13):
        cells = [_money(by[(s, m)]["cost_usd"]) for s in systems]
        bar = "█" * int(round(by[(hp, m)]["cost_usd"] / top * bar_width))
        table.add_row(MONTHS[m - 1], *cells, bar)
    console.print(table)


def load_summary(h, q: Quantities | None = None) -> str:
    """How the heating load was obtained, in the words of its route: the figures the user gave, then the model's."""
    q = q or Quantities()
    hl = h.profile.heating_load
    modelled = f"design load {q.power(h.design_load_btu_per_h)} at {q.temp(h.design_temp_f)}"
    if h.load_method == "hourly":
        series = h.heat_load_series_btu_per_h
        return (f"hourly series from {printable(hl.hourly.file)} (peak {q.power(float(series.max()))}); fitted UA "
                f"{q.ua(h.ua_btu_per_h_f)}, balance point {q.temp(h.balance_point_f)}; {modelled}")
    if h.load_method == "design":
        return (f"design load as entered {q.power(hl.design.load)} at {q.temp(hl.design.outdoor, 0)}, UA "
                f"{q.ua(h.ua_btu_per_h_f)}; modelled {modelled} (balance point {q.temp(h.balance_point_f)})")
    if h.bills_fit is not None:
        f = h.bills_fit.fit
        return (f"fitted to {f.periods} dated {'bills' if h.bills_fit.kind == 'periods' else 'deliveries'}: UA "
                f"{q.ua(h.ua_btu_per_h_f)}, balance point {q.temp(h.balance_point_f)}, R2 {f.r2:.2f}, "
                f"CV(RMSE) {f.cv_rmse * 100:.0f} %; {modelled}")
    return f"UA {q.ua(h.ua_btu_per_h_f)}; {modelled}"


def print_comparison(c: Comparison, console, explain: bool = False, breakeven: bool = False,
                     units: str = "us") -> None:
    from rich import box
    from rich.table import Table

    q = Quantities(units)
    h = c.home
    heat = c.heat_needed_mmbtu
    console.print(_styled((printable(h.name), "bold"), f"  ({printable(h.source)})"))
    console.print(f"Weather: {printable(h.location.describe())}; state for prices: "
                  f"{h.location.state or 'US average'}")
    line = f"Heat needed: {q.energy(heat)}/yr; " + load_summary(h, q)
    if h.heat_pump_nominal_btu_per_h:
        line += (f"; heat pump {q.power(h.heat_pump_nominal_btu_per_h)}" if q.si else
                 f"; heat pump {h.heat_pump_nominal_btu_per_h / 12000:g} ton")
    console.print(line)
    if h.load_method == "design":
        console.print("Note: a design load is a sizing figure with margins, so the annual heat it implies runs high; "
                      "bills (heating_load.from_bills) measure it (--explain, docs/methodology.md)",
                      style="yellow")
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, collapse_padding=True)
    table.add_column("System", no_wrap=True)
    table.add_column("Electric\nkWh", justify="right")
    table.add_column("Fuel", justify="right", no_wrap=True)
    table.add_column("Cost\n$/yr", justify="right")
    table.add_column(f"Cost per\n{q.per_energy}", justify="right")
    table.add_column("Seasonal\nCOP", justify="right")
    table.add_column("Backup\nheat", justify="right")
    table.add_column("CO2\nkg/yr", justify="right")
    cheapest = c.summary.cheapest
    for r in c.row_dicts():
        label = SYSTEM_LABEL.get(r["system"], r["system"])
        share = h.heat_pump.share if r["system"] == "heat_pump" and h.heat_pump is not None else 1.0
        if share < 1.0:  # a heat pump that reaches part of the home, the rest heated by the home's system
            label = f"Heat pump {share * 100:g}%\n+ {FUEL_SHORT[r['fuel']] if r['fuel'] else 'resistance'}"
        elif r["fuel"] and r["system"] == "heat_pump":
            label = f"Heat pump+{FUEL_SHORT[r['fuel']]}"
        elif r["fuel"]:
            label = f"{FUEL_SHORT[r['fuel']].capitalize()} {h.furnace.kind if h.furnace is not None else 'furnace'}"
        backup = f"{r['backup_fraction'] * 100:.1f}%" if r["system"] == "heat_pump" else "–"
        style = "green" if r["system"] == cheapest else None
        if not r["meets_load"]:
            label += "*"
            style = "yellow"
        table.add_row(label, _num(r["electricity_kwh"]), _fuel_cell(r, units), _money(r["annual_cost_usd"]),
                      f"${q.per_energy_value(r['cost_per_mmbtu_usd']):,.2f}", f"{r['seasonal_efficiency']:.2f}", backup,
                      _num(r["co2_kg"]), style=style)
    console.print(table)
    for r in c.results:
        if r.biogenic_co2_kg > 0:  # wood's own CO2, apart from the CO2 column (its CH4 and N2O stay there)
            console.print(f"{system_words(c, r.system).capitalize()}: the CO2 column counts the fire's methane and "
                          f"nitrous oxide; the wood's own CO2, {_num(r.biogenic_co2_kg)} kg a year, is biogenic and "
                          "reported apart (biogenic_co2_kg), as EPA reports it.")
    _print_bills(c, console)
    _print_totals(c, console)
    _print_summary(c, console, q)
    if breakeven:
        _print_breakeven(c, console)
    _print_prices(c, console)
    if explain:
        print_assumptions(c, console)


def _print_bills(c: Comparison, console) -> None:
    """The year's bills with each system, when they are computed hour by hour (a URDB rate, solar, gas blocks)."""
    from rich import box
    from rich.table import Table

    h = c.home
    setup = h.bills
    if setup is None or (setup.tariff is None and setup.solar_kwh is None and setup.gas_blocks is None):
        return
    solar = setup.solar_kwh is not None
    t = Table(title="The year's bills, with the home's other use" + (" and its solar" if solar else ""),
              title_justify="left", box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, collapse_padding=True)
    headers = ["System", "Electric\n$/yr", "Fuel\n$/yr", "Total\n$/yr"]
    if solar:
        headers += ["Without\nsolar $", "Solar used\nkWh", "Exported\nkWh", "Export\ncredit $"]
    for header in headers:
        t.add_column(header, justify="left" if header == "System" else "right")
    for r in c.results:
        cells = [system_words(c, r.system).capitalize(), _money(r.electric_bill_usd), _money(r.fuel_bill_usd),
                 _money(r.electric_bill_usd + r.fuel_bill_usd)]
        if solar:
            cells += [_money(r.electric_bill_without_solar_usd + r.fuel_bill_usd), _num(r.solar_self_consumed_kwh),
                      _num(r.solar_exported_kwh), _money(r.solar_export_credit_usd)]
        t.add_row(*cells)
    console.print(t)
    notes = [f"other use {setup.base_kwh_per_h * 8760 / 12:,.0f} kWh/month"
             + (f" and {setup.base_therm_per_month:,.1f} therm/month" if setup.base_therm_per_month else "")]
    if solar:
        notes.append(f"solar {setup.solar_kwh.sum():,.0f} kWh a year, exports by {setup.solar_rule.replace('_', ' ')}")
    console.print("Costs above are what each system adds to these bills (" + "; ".join(notes) + ").", style="dim")


def _whole_year(c: Comparison) -> bool:
    """Whether a system's year is more than its heating (cooling, or fixed charges: the profile's or a rate's): then
    the whole-year table shows how the totals the summary names are made up."""
    return c.home.cooling is not None or any(r.fixed_charges_usd or r.cooling_cost_usd for r in c.results)


def _print_totals(c: Comparison, console) -> None:
    """Cooling, fixed charges and economics, when the profile asks for them."""
    from rich import box
    from rich.table import Table

    h = c.home
    rows = c.row_dicts()
    if _whole_year(c):
        t = Table(title="The whole year", title_justify="left", box=box.SIMPLE_HEAD, header_style="bold",
                  pad_edge=False, collapse_padding=True)
        for header in ("System", "Heating\n$/yr", "Cooling\nkWh", "Cooling\n$/yr", "Fixed\n$/yr", "Total\n$/yr",
                       "CO2\nkg/yr"):
            t.add_column(header, justify="left" if header == "System" else "right")
        for r in rows:
            t.add_row(system_words(c, r["system"]).capitalize(), _money(r["annual_cost_usd"]),
                      _num(r["cooling_electricity_kwh"]), _money(r["cooling_cost_usd"]),
                      _money(r["fixed_charges_usd"]), _money(r["total_cost_usd"]), _num(r["total_co2_kg"]))
        console.print(t)
        if h.cooling is not None and h.cooling.air_conditioner_seer2 is None:
            console.print("No air conditioner with the furnace or resistance heat (systems.air_conditioner: "
                          "false).", style="dim")
    if h.economics is not None:
        e = h.economics
        t = Table(title=f"Over {e.lifetime_years:g} years, {e.comparison} (discount {e.discount_rate * 100:g} %/yr)",
                  title_justify="left", box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False,
                  collapse_padding=True)
        for header in ("System", "Installed\n$", "Net of\nincentives $", "Lifetime cost\n$ (present value)",
                       "Saves over\nlife $", "Payback\nyears (range)"):
            t.add_column(header, justify="left" if header == "System" else "right")
        for r in rows:
            t.add_row(system_words(c, r["system"]).capitalize(), _money(r["installed_cost_usd"] or 0.0),
                      _money(r["net_installed_cost_usd"] or 0.0), _money(r["lifetime_cost_usd"] or 0.0),
                      _money(r["npv_vs_current_usd"] or 0.0), _payback(r, e.current))
        console.print(t)
        ranges = [f"{system_words(c, r['system'])} {_money(r['installed_cost_low_usd'])} to "
                  f"{_money(r['installed_cost_high_usd'])}" for r in rows
                  if r["installed_cost_low_usd"] != r["installed_cost_high_usd"]]
        if ranges:
            console.print("Installed cost ranges (10th-90th percentile, 2023 $; --explain gives the sources): "
                          + "; ".join(ranges) + ". Duct work, panel upgrades and venting are not included.",
                          style="dim")
        if e.incentives_applied or e.incentive_range_usd:
            from .incentives import snapshot_date

            used = "; ".join(f"{inc.id} {printable(inc.program)} ({printable(inc.authority)}) {_money(typ)}"
                             for inc, typ, _low, _high in e.incentives_applied) or "none applies"
            console.print(f"Incentives for the heat pump (Rewiring America data, snapshot "
                          f"{snapshot_date().isoformat()}): {used}.", style="dim")
            for inc, typ in e.incentives_possible:
                console.print(f"Not counted: {inc.id} {printable(inc.program)} ({printable(inc.authority)}) "
                              f"{_money(typ)}, {inc.condition}.", style="dim")


def _payback(r: dict, current: str) -> str:
    """``8.1 (6.0-12.4)``: simple payback with its range; ``never`` where the system saves nothing."""
    if r["system"] == current:
        return "–"

    def years(x):
        return "never" if x is None else f"{x:.1f}"

    typical, low, high = (r["simple_payback_years"], r["simple_payback_years_low"],
                          r["simple_payback_years_high"])
    if typical is None or (low == typical == high):
        return years(typical)
    return f"{years(typical)} ({years(low)}-{years(high)})"


def _print_summary(c: Comparison, console, q: Quantities | None = None) -> None:
    q = q or Quantities()
    s = c.summary
    by = {r.system: r for r in c.results}
    hp = by.get("heat_pump")
    if hp is not None and hp.energy.unmet_btu > 0:
        strips = c.home.heat_pump.strip_capacity_btu_per_h
        size = f"{strips / BTU_PER_KWH:g} kW strips" if strips < float("inf") else "strips"
        console.print(f"Unmet heat: the heat pump and its {size} fall short by "
                      f"{q.energy(hp.energy.unmet_btu / 1e6, 2)} over {hp.energy.unmet_hours:,.0f} hours of the year "
                      "(not in its cost: the home is "
                      "colder then); see `heatcalc size` for the backup it needs", style="yellow")
    for r in c.results:
        if r.unmet_cooling_hours > 0:
            unit = "heat pump" if r.system == "heat_pump" else "air conditioner"
            console.print(f"Unmet cooling: the {unit} ({SYSTEM_LABEL[r.system].lower()} home) falls short by "
                          f"{q.energy(r.unmet_cooling_btu / 1e6, 2)} over {r.unmet_cooling_hours:,.0f} hours",
                          style="yellow")
    from .results import UNMET_COOLING_SHARE, UNMET_HEAT_SHARE

    for r in c.results:
        if not r.meets_load:
            what = (f"{r.unmet_heat_share * 100:.1f} % of the year's heat"
                    if r.unmet_heat_share > UNMET_HEAT_SHARE else
                    f"{r.unmet_cooling_share * 100:.1f} % of the year's cooling")
            limit = UNMET_HEAT_SHARE if r.unmet_heat_share > UNMET_HEAT_SHARE else UNMET_COOLING_SHARE
            console.print(f"* {system_words(c, r.system).capitalize()} leaves {what} unmet, more than the {limit * 100:g} % "
                          "a working system may: it is not ranked and saves nothing until it is sized to the load"
                          + (" (heatcalc size gives the backup this unit needs)" if r.system == "heat_pump" else ""),
                          style="yellow")
    whole_year = _whole_year(c)
    if not s.cheapest:
        console.print("No system meets the load as specified, so none is ranked.", style="yellow")
    if s.cheapest:
        cost = by[s.cheapest].total_cost_usd
        console.print(_styled("Cheapest to run: ", (system_words(c, s.cheapest), "bold"),
                              f", {_money(cost)} a year{' in total' if whole_year else ''}. "
                              f"Lowest CO2: {system_words(c, s.lowest_co2)}."))
    pe = c.home.prices["electricity"].value
    for other, saving in s.heat_pump_savings_usd.items():
        name = system_words(c, other)
        verb = f"saves {_money(saving)}" if saving >= 0 else f"costs {_money(-saving)} more"
        text = f"Heat pump vs {name}: {verb} a year"
        be = s.breakeven_electricity_usd_per_kwh.get(other)
        if be is not None and other == "furnace" and c.home.tariff_usd_per_kwh is None:
            text += f"; it breaks even at an electricity price of ${be:.3f}/kWh (now ${pe:.3f})"
        elif other == "furnace" and s.breakeven_rate_adjustment_usd_per_kwh is not None:
            text += "; it breaks even " + adjustment_words(s.breakeven_rate_adjustment_usd_per_kwh, "kWh",
                                                          _own_adjustment(c, "adjustment"), "on this rate")
        if other == "furnace" and s.breakeven_gas_adjustment_usd_per_therm is not None:
            text += (", or " if "breaks even" in text else "; it breaks even ") + adjustment_words(
                s.breakeven_gas_adjustment_usd_per_therm, "therm", _own_adjustment(c, "natural_gas_adjustment"),
                "in the gas blocks")
        console.print(text + ".")


def price_text(value: float, unit: str) -> str:
    """A price as people quote it: $0.208/kWh, $4.082/gal, $135.40/cord (cents for prices of $10 and more)."""
    return f"${value:,.2f}/{unit[2:]}" if value >= 10 else f"${value:.3f}/{unit[2:]}"


def system_words(c: Comparison, system: str) -> str:
    """A system in a sentence: 'furnace', or what the home's furnace is when it is not one ('oil boiler', 'wood
    stove')."""
    f = c.home.furnace
    if system == "furnace" and f is not None and f.kind != "furnace":
        return f"{FUEL_SHORT.get(f.fuel, f.fuel)} {f.kind}"
    return SYSTEM_LABEL[system].lower()


def _own_adjustment(c: Comparison, field: str) -> float:
    t = c.home.profile.tariff
    return (getattr(t, field) or 0.0) if t is not None else 0.0


def adjustment_words(breakeven: float, unit: str, own: float, where: str) -> str:
    """A break-even adjustment in words: 'if every kWh on this rate cost $0.032 less' (against the adjustment the
    profile already has)."""
    change = breakeven - own
    more = "more" if change > 0 else "less"
    return f"if every {unit} {where} cost ${abs(change):.3f} {more}"


def _print_breakeven(c: Comparison, console) -> None:
    s = c.summary
    h = c.home
    furnace = c.result("furnace")
    if c.result("heat_pump") is None or furnace is None:
        console.print("Break-even: needs both a heat pump and a furnace in the comparison.")
        return
    fuel = furnace.energy.fuel
    unit = h.prices[fuel].unit
    lines = [f"Break-even with the {system_words(c, 'furnace')} (the other prices held):"]
    rated = (h.bills is not None and h.bills.tariff is not None) or h.tariff_usd_per_kwh is not None
    blocks = h.bills is not None and h.bills.gas_blocks is not None
    if rated:  # a URDB rate or time-of-use periods: the knob is the adjustment, not one price
        ra = s.breakeven_rate_adjustment_usd_per_kwh
        own = _own_adjustment(c, "adjustment")
        lines.append(f"  tariff.adjustment: {f'{ra:+.4f} $/kWh' if ra is not None else 'none'} (now {own:+.4f}"
                     + (f"; {adjustment_words(ra, 'kWh', own, 'on this rate')})" if ra is not None else ")"))
    else:
        be = s.breakeven_electricity_usd_per_kwh.get("furnace")
        lines.append(f"  electricity price: {f'${be:.3f}/kWh' if be else 'none'} (now "
                     f"${h.prices['electricity'].value:.3f}/kWh)")
    if blocks and fuel == "natural_gas":
        ga = s.breakeven_gas_adjustment_usd_per_therm
        own = _own_adjustment(c, "natural_gas_adjustment")
        lines.append(f"  tariff.natural_gas_adjustment: {f'{ga:+.4f} $/therm' if ga is not None else 'none'} (now "
                     f"{own:+.4f}" + (f"; {adjustment_words(ga, 'therm', own, 'in the gas blocks')})"
                                      if ga is not None else ")"))
    else:
        fp = s.breakeven_fuel_price_usd_per_unit
        lines.append(f"  {FUEL_LABEL[fuel]} price: {price_text(fp, unit) if fp else 'none'} (now "
                     f"{price_text(h.prices[fuel].value, unit)})")
    cop = s.breakeven_seasonal_cop
    hp = c.result("heat_pump")
    lines.append(f"  heat pump seasonal COP: {f'{cop:.2f}' if cop else 'none'} (this one "
                 f"{hp.energy.seasonal_efficiency:.2f})")
    lines += [f"  ({note})" for note in s.breakeven_notes]
    for line in lines:
        console.print(line)


def _print_prices(c: Comparison, console) -> None:
    h = c.home
    used = {"electricity"} | {r.energy.fuel for r in c.results if r.energy.fuel}
    parts = []
    if h.bills is not None and h.bills.tariff is not None:
        used.discard("electricity")
        parts.append(f"electricity by the URDB rate {printable(h.bills.tariff.name)!r} (tiers, periods and charges "
                     "in the bills)")
    elif h.tariff_usd_per_kwh is not None:
        used.discard("electricity")
        parts.append("electricity by the hour from the profile's time-of-use tariff")
    if h.bills is not None and h.bills.heat_pump_tariff is not None:
        parts.append(f"with the heat pump the home moves to the URDB rate "
                     f"{printable(h.bills.heat_pump_tariff.name)!r} (its whole bill: the heat pump's cost is the bill "
                     "after the switch less the bill before it)")
    if h.bills is not None and h.bills.gas_blocks is not None:
        used.discard("natural_gas")
        parts.append("natural gas by the profile's monthly blocks")
    for key, v in h.prices.items():
        if key in used:
            parts.append(f"{FUEL_LABEL[key]} {price_text(v.value, v.unit)} ({v.source})")
    console.print("Prices: " + "; ".join(parts), style="dim")
    if h.electricity_co2_kg_per_kwh_hourly is not None:  # the CO2 column is then not kWh x one factor
        grid = h.emissions["electricity"]
        console.print(f"Grid CO2e: {grid.value:.3f} kg/kWh ({grid.source})", style="dim")


def print_assumptions(c: Comparison, console) -> None:
    from rich.table import Table

    table = Table(title="Assumptions and defaults used", title_justify="left", show_lines=False)
    # a field's name is never cut: its column is as wide as the longest (up to 40), and folds past that
    widest = max((len(a.field) for a in c.home.assumptions), default=5)
    table.add_column("Field", overflow="fold", min_width=min(widest, 40))
    table.add_column("Value", overflow="fold")
    table.add_column("Source", overflow="fold")
    for a in c.home.assumptions:
        table.add_row(printable(a.field), printable(a.value), printable(a.source))
    console.print(table)
    console.print("Equations and references: docs/methodology.md", style="dim")


def print_records(records: list[dict], columns: list[tuple[str, str]], console, title: str | None = None) -> None:
    """A simple table of dict records: ``columns`` are (key, header) pairs."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False,
                  collapse_padding=True)
    numeric = {k for k, _ in columns if any(isinstance(r.get(k), (int, float)) for r in records)}
    for key, header in columns:
        table.add_column(header, no_wrap=True, justify="right" if key in numeric else "left",
                         max_width=20 if key == "name" else None, overflow="ellipsis")
    for rec in records:
        table.add_row(*["" if rec.get(k) is None else (f"{rec[k]:g}" if isinstance(rec[k], float)
                                                       else printable(rec[k])) for k, _ in columns])
    console.print(table)


INCENTIVE_CSV_COLUMNS = ["id", "program", "authority", "authority_type", "items", "type", "amount_text", "amount_usd",
                         "income_limit_usd", "income_status", "start_date", "end_date", "url", "description",
                         "condition", "caveat"]


def write_incentives(finding, fmt: str, out: IO[str], console=None) -> None:
    """``heatcalc incentives``: the rows as a table, CSV or JSON (``{"snapshot", ..., "rows"}``)."""
    from .incentives import finding_dict

    data = finding_dict(finding)
    if fmt == "json":
        json.dump(_clean(data), out, indent=2, default=_json_default)
        out.write("\n")
        return
    rows = [{**r, "items": " ".join(r["items"])} for r in data["rows"]]
    if fmt == "csv":
        writer = csv_writer(out, INCENTIVE_CSV_COLUMNS)
        writer.writerows(rows)
        return
    from rich import box
    from rich.table import Table

    where = f"ZIP {finding.zip}, {finding.state}" + (f", {finding.utility}" if finding.utility else "")
    table = Table(title=f"Incentives for heat pumps, {where}, on {finding.on_date} (snapshot {finding.snapshot})",
                  title_justify="left", box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False,
                  collapse_padding=True)
    for header, least in (("Id", 7), ("Program", 10), ("Authority", 9), ("Type", 6), ("Amount", 9), ("Income", 9),
                          ("Ends", 4), ("For", 10)):
        table.add_column(header, overflow="fold", min_width=least)
    marks = {}
    for r in data["rows"]:
        status = r["income_status"]
        income = "any" if status == "no limit" else (
            f"≤ ${r['income_limit_usd']:,.0f}" if status == "qualifies" else status)
        mark = ""
        if r["condition"] or r["caveat"]:  # a footnote: what else it needs, or what to know
            mark = marks.setdefault(r["condition"] or r["caveat"], f"[{len(marks) + 1}]")
        table.add_row(printable(r["id"]) + mark, printable(r["program"]), printable(r["authority"]),
                      r["type"].replace("_", " "), r["amount_text"], income, r["end_date"] or "open",
                      _items_text(r["items"]))
    if data["rows"]:  # the ids are what a profile's economics.incentives list names
        console.print(table)
        for text, mark in marks.items():
            console.print(f"{mark} {text}")
    else:
        console.print(f"No incentive for heat pumps applies at ZIP {finding.zip} ({finding.state}) on "
                      f"{finding.on_date}; try another --date, --income and --household-size, or --utility.")
    console.print("Source: " + data["source"] + ". Check each program's page (--format json gives the links).",
                  style="dim")


def _items_text(items: list) -> str:
    """An offer's items for the table: the heat pumps first, then at most two more and how many others (CSV and JSON
    list them all)."""
    first = sorted(items, key=lambda i: "heat_pump" not in i and "geothermal" not in i)
    shown = [i.replace("_", " ") for i in first[:3]]
    return ", ".join(shown) + (f" and {len(items) - 3} more" if len(items) > 3 else "")


def write_records_csv(records: list[dict], columns: list[str], out: IO[str]) -> None:
    writer = csv_writer(out, columns)
    writer.writerows(records)


# --- streaming rows (batch) ---------------------------------------------------------------------------------------

class RowWriter:
    """Writes rows as they come, each call's rows as one write so an interruption never leaves half a row."""

    def __init__(self, out: IO[str], fmt: str, columns: Iterable[str]):
        self.out = out
        self.fmt = fmt
        self.columns = list(columns)
        self.count = 0
        if fmt == "csv":
            self._write(self._csv_text([dict(zip(self.columns, self.columns))]))
        elif fmt == "json":
            self._write("[")

    def _write(self, text: str) -> None:
        if text:
            self.out.write(text)

    def _csv_text(self, rows: list[dict]) -> str:
        import csv

        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=self.columns, lineterminator="\n", extrasaction="ignore")
        writer.writerows(rows)
        return buf.getvalue()

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        if self.fmt == "csv":
            text = self._csv_text(rows)
        elif self.fmt == "ndjson":
            text = "".join(json.dumps(_clean(r), default=_json_default) + "\n" for r in rows)
        else:
            text = "".join(("\n" if self.count + i == 0 else ",\n") + json.dumps(_clean(r), default=_json_default)
                           for i, r in enumerate(rows))
        self._write(text)
        self.count += len(rows)

    def close(self) -> None:
        if self.fmt == "json":
            self._write("\n]\n" if self.count else "]\n")
        self.out.flush()


def print_batch_table(rows: list[dict], console, units: str = "us") -> None:
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, collapse_padding=True)
    # the year's total (heating, cooling, fixed charges) is what compare's summary and the report compare; the
    # heating's own cost beside it where a home's total holds more
    whole = any(r.get("total_cost_usd") is not None and abs(r["total_cost_usd"] - r["annual_cost_usd"]) > 0.005
                for r in rows)
    headers = [("Home", "left"), ("System", "left"), ("Electric\nkWh", "right"), ("Fuel", "right"),
               ("Heating\n$/yr" if whole else "Cost\n$/yr", "right")] + ([("Total\n$/yr", "right")] if whole else []) \
        + [("Seasonal\nCOP", "right"), ("CO2\nkg/yr", "right")]
    for header, justify in headers:
        table.add_column(header, justify=justify)
    for r in rows:
        table.add_row(printable(r["home"]), SYSTEM_LABEL.get(r["system"], r["system"]), _num(r["electricity_kwh"]),
                      _fuel_cell(r, units), _money(r["annual_cost_usd"]),
                      *([_money(r["total_cost_usd"])] if whole else []), f"{r['seasonal_efficiency']:.2f}",
                      _num(r["co2_kg"]))
    console.print(table)


# --- sweeps -------------------------------------------------------------------------------------------------------

def _sweep_rows(points, crossings, fields) -> list[dict]:
    rows = []
    for p in points:
        cheapest = p.comparison.summary.cheapest
        for r in p.comparison.row_dicts():
            rows.append({**dict(zip(fields, p.values)), "cheapest": r["system"] == cheapest, **r})
    for c in crossings:
        rows.append({**dict(zip(fields, c.values)), "cheapest": "", "profile": points[0].comparison.home.name,
                     "system": "breakeven", "total_cost_usd": c.total_cost_usd})
    return rows


def write_sweep_csv(points, crossings, fields, out: IO[str]) -> None:
    """One row per point and system; break-even crossings follow as rows whose system is ``breakeven``."""
    writer = csv_writer(out, list(fields) + ["cheapest"] + list(COLUMNS))
    writer.writerows(_sweep_rows(points, crossings, fields))


def write_sweep_json(points, crossings, fields, out: IO[str]) -> None:
    doc = {
        "profile": points[0].comparison.home.name if points else None,
        "vary": list(fields),
        "points": [{"values": dict(zip(fields, p.values)), "cheapest": p.comparison.summary.cheapest,
                    "rows": p.comparison.row_dicts()} for p in points],
        "breakeven": [{"values": dict(zip(fields, c.values)), "total_cost_usd": c.total_cost_usd}
                      for c in crossings],
    }
    json.dump(_clean(doc), out, indent=2, default=_json_default)
    out.write("\n")


def print_sweep(points, crossings, fields, name: str, console) -> None:
    from rich import box
    from rich.table import Table

    systems = [r.system for r in points[0].comparison.results] if points else []
    table = Table(title=f"{printable(name)}: annual cost as {' and '.join(fields)} vary", title_justify="left",
                  box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for f in fields:
        table.add_column(f, justify="right")
    for s in systems:
        table.add_column(f"{SYSTEM_LABEL.get(s, s)}\n$/yr", justify="right")
    table.add_column("Cheapest")
    marks = list(crossings)
    for p in points:
        while marks and len(fields) == 1 and marks[0].values[0] < p.values[0]:
            c = marks.pop(0)
            table.add_row(f"≈{c.values[0]:g}", *[_money(c.total_cost_usd) if s in ("heat_pump", "furnace") else ""
                                                  for s in systems], "break-even", style="bold yellow")
        by = {r.system: r for r in p.comparison.results}
        cheapest = p.comparison.summary.cheapest
        table.add_row(*[f"{v:g}" for v in p.values], *[_money(by[s].total_cost_usd) for s in systems],
                      SYSTEM_LABEL.get(cheapest, cheapest).lower())
    console.print(table)
    if not crossings:
        console.print("No break-even between the heat pump and the furnace in this range.")
    for c in crossings:
        where = ", ".join(f"{f} = {v:.4g}" for f, v in zip(fields, c.values))
        console.print(f"Break-even (heat pump = furnace, {_money(c.total_cost_usd)}/yr) at {where}")


def print_rating(data: dict, console) -> None:
    from rich import box
    from rich.table import Table

    console.print(_styled((f"HSPF2 {data['hspf2']:.2f}", "bold"), f" (AHRI 210/240-2023, Region {data['region']})"
                          f"   HSPF {data['hspf']:.2f} (AHRI 210/240-2017 procedure, same tests)"))
    cd = data["cycling_degradation"]
    cds = f"{cd['full']:g}" if cd["full"] == cd["low"] else f"{cd['full']:g} full, {cd['low']:g} low"
    console.print(f"Rated: {printable(data['rated'])}; {data['compressor']}, C_d {cds}, F_def "
                  f"{data['defrost_credit']:g}, cooling capacity {data['cooling_capacity_btu_per_h']:,.0f} Btu/h")
    cut = data.get("cutout_f")
    console.print(("Cut-out: none" if cut is None else f"Cut-out: off {cut['off']:g} F, on "
                                                           f"{(cut['off'] if cut['on'] is None else cut['on']):g} F")
                  + f" ({data['cutout_source']})", style="dim")
    for t in data["tests"]:
        if t["derived"]:
            console.print(f"Derived {t['stage']} {t['outdoor_f']:g} F: {t['capacity_btu_per_h']:,.0f} Btu/h, "
                          f"{t['power_w']:,.0f} W ({t['derived']})", style="dim")
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for header in ("Bin F", "Hours share", "Load Btu/h", "Heat pump Btu/h", "Compressor W", "Resistance W"):
        table.add_column(header, justify="right")
    for b in data["bins"]:
        if b["fraction"] == 0:
            continue
        table.add_row(f"{b['temp_f']:g}", f"{b['fraction']:.3f}", _num(b["load_btu_per_h"]),
                      _num(b["heat_pump_btu_per_h"]), _num(b["electricity_w"]), _num(b["resistance_w"]))
    console.print(table)


def print_sizing(result, console) -> None:
    from rich import box
    from rich.table import Table

    h = result.home
    console.print(_styled((printable(h.name), "bold"), f"  ({printable(h.source)})"))
    console.print(f"Weather: {printable(h.location.describe())}")
    share = h.heat_pump.share if h.heat_pump is not None else 1.0
    console.print(f"Design temperature {result.design_temp_f:.1f} F (99 %); design heating load "
                  f"{result.design_load_btu_per_h:,.0f} Btu/h"
                  + (f" (the heat pump's {share * 100:g} % of the home's; sized for that share)" if share < 1 else ""))
    cooling = result.options[0].cooling_design_load_btu_per_h if result.options else None
    if cooling is not None:
        console.print(f"Design cooling load {cooling:,.0f} Btu/h (1 % hottest hours)")
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, collapse_padding=True)
    for header in ("Heat pump", "Sized\nat F", "Size\nton", "Btu/h\nat 47 F", "Capacity at\ndesign Btu/h",
                   "Heat without\nbackup", "Backup\nkW", "Strip\nkW"):
        table.add_column(header, justify="left" if header == "Heat pump" else "right", no_wrap=header == "Heat pump")
    for o in result.options:
        label = "as given" if o.unit == "profile" else o.compressor.replace("_", " ")
        table.add_row(label, "–" if o.unit == "profile" else f"{o.sizing_temp_f:.1f}", f"{o.nominal_tons:.2f}"
                      if o.unit == "profile" else f"{o.nominal_tons:g}",
                      _num(o.nominal_btu_per_h),
                      _num(o.capacity_at_design_btu_per_h), f"{o.heat_share_without_backup * 100:.1f}%",
                      f"{o.backup_needed_kw:.1f}", f"{o.backup_strip_kw:g}")
    console.print(table)
    standard = [o for o in result.options if o.unit == "standard"]
    if any(o.unit == "profile" for o in result.options):
        own = next(o for o in result.options if o.unit == "profile")
        console.print(f"'as given': the profile's own heat pump ({own.compressor.replace('_', ' ')}) at its size and "
                      "cut-out; its strips cover the largest shortfall of any hour (give them as "
                      "systems.heat_pump.backup_capacity).", style="dim")
    console.print(f"The standard sizes: HSPF2 {standard[0].hspf2:g} default curves (RESNET 301 Addendum 82, "
                  "calibrated); see docs/methodology.md.", style="dim")
    if result.solar is not None:
        s = result.solar
        console.print(f"Rooftop solar to offset the heat pump's {s.heat_pump_kwh:,.0f} kWh a year: "
                      f"{s.capacity_kw:.1f} kW ({s.yield_kwh_per_kw:,.0f} kWh per kW here); "
                      f"{s.share_used_by_heat_pump * 100:.0f} % of its output is used by the heat pump in the hour "
                      f"it is made, {s.share_self_consumed * 100:.0f} % with the home's other use; the rest is "
                      "exported, so its value turns on how exports are credited.")


def print_costs(rows: list[dict], console) -> None:
    """``heatcalc costs``: one line per kind of equipment, then the sources."""
    from rich import box
    from rich.table import Table

    first = rows[0]
    size = next((r["size_tons"] for r in rows if r["size_tons"]), None)
    title = (f"Installed cost, {first['dollar_year']} $, {first['state']} (cost index {first['state_index']:.2f})"
             + (f", {size:g} ton" if size else ""))
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False,
                  collapse_padding=True)
    table.add_column("Equipment")
    for header in ("Low\n10th pct", "Typical\nmedian", "High\n90th pct"):
        table.add_column(header, justify="right")
    table.add_column("Sized", justify="center")
    for r in rows:
        zones = r.get("zones")
        sized = "per unit" if not r["size_tons"] else (
            f"tons, {zones} head{'s' if zones > 1 else ''}" if zones else "per ton")
        table.add_row(r["description"], _money(r["low_usd"]), _money(r["typical_usd"]), _money(r["high_usd"]),
                      sized)
    console.print(table)
    from .costs import SOURCES_IN_SHORT

    console.print(f"Sources: {SOURCES_IN_SHORT} Each figure's source is in --format csv or json.", style="dim")


class BlockWriter:
    """Writes blocks of batch rows (:class:`heatcalc.columnar.Block`) as they come: CSV and JSON as text, a block's
    rows at a time; Parquet (``fmt="parquet"``, to a binary file) in row groups of about :data:`ROW_GROUP_ROWS`
    rows (several blocks each), typed columns (text, and 64-bit floats with null for an empty number)."""

    #: Rows gathered into one Parquet row group: a block's few thousand rows as a group each made writing a million
    #: homes' rows 1.5x the work (each group's pages, statistics and dictionaries begun again).
    ROW_GROUP_ROWS = 32_768

    def __init__(self, out, fmt: str, columns=None, units: str = "us"):
        from .rows import OUT_COLUMNS, output_names

        self.fmt = fmt
        self.columns = list(columns or OUT_COLUMNS)  # --columns: these, in this order
        self.names = output_names(self.columns, units)  # what the output calls them (in SI with --units si)
        self.si = units == "si"
        self.count = 0
        if fmt == "parquet":
            import pyarrow.parquet as pq

            from .rows import TEXT_COLUMNS, arrow_schema

            self.schema = arrow_schema(self.columns, self.names)
            # dictionaries for the text columns of few values only (system, fuel, unit, peak hour): a float column's
            # values, a home's name and its profile's are nearly all distinct, so Arrow would build each one's
            # dictionary to throw it away (600,000 rows: 0.74 s of writing -> 0.46 s; a million homes: 288 -> 231 MB)
            self.parquet = pq.ParquetWriter(out, self.schema, compression="zstd", use_dictionary=[
                n for c, n in zip(self.columns, self.names) if c in TEXT_COLUMNS and c not in ("home", "profile")])
            self.pending: list = []  # record batches not yet written (fewer than ROW_GROUP_ROWS rows)
            self.pending_rows = 0
        elif fmt == "csv":
            self.out = out
            self.out.write(",".join(self.names) + "\n")
        else:
            self.rows = RowWriter(out, fmt, self.names)

    def write(self, block, start: int = 0, stop: int | None = None) -> None:
        """Rows ``start:stop`` of the block (all of them by default)."""
        stop = int(block.counts.sum()) if stop is None else stop
        if stop <= start:
            return
        if self.si:
            from .rows import si_block

            block = si_block(block)
        if self.fmt == "parquet":
            from .rows import arrow_batch

            whole = start == 0 and stop == int(block.counts.sum())
            if whole and block.table is not None and block.table.schema.equals(self.schema):
                batch = block.table  # made by the worker that ran the chunk
            else:
                batch = arrow_batch(block, self.schema, self.columns, start, stop)
            self.pending.append(batch)
            self.pending_rows += batch.num_rows
            if self.pending_rows >= self.ROW_GROUP_ROWS:
                self._write_group()
        elif self.fmt == "csv":
            whole = start == 0 and stop == int(block.counts.sum())
            from .rows import OUT_COLUMNS, csv_rows_text

            if whole and block.text is not None and tuple(self.columns) == OUT_COLUMNS:
                self.out.write(block.text)
            else:
                self.out.write(csv_rows_text(block, start, stop, self.columns))
        else:
            rows = block.row_dicts(start, stop)
            self.rows.write([{n: r[c] for c, n in zip(self.columns, self.names)} for r in rows])
        self.count += stop - start

    def _write_group(self) -> None:
        import pyarrow as pa

        if self.pending:
            self.parquet.write_table(pa.Table.from_batches(self.pending), row_group_size=self.pending_rows)
        self.pending, self.pending_rows = [], 0

    def close(self) -> None:
        if self.fmt == "parquet":
            self._write_group()
            self.parquet.close()
        elif self.fmt == "csv":
            self.out.flush()
        else:
            self.rows.close()
