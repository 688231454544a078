"""Charts of one home's comparison, drawn with matplotlib (imported here only, so `heatcalc compare` never loads it).

Each chart function takes the data it draws and returns a matplotlib Figure; :func:`svg` and :func:`png` turn a
figure into bytes.  A system has one colour everywhere (the Okabe-Ito palette, readable with colour-blindness),
axes carry their units, and money is written as the tables write it ($1,234).
"""

from __future__ import annotations

import io
import textwrap

import numpy as np

#: One colour per system, in every chart (Okabe & Ito, 2008: distinguishable with the common colour-vision
#: deficiencies).
SYSTEM_COLOR = {"heat_pump": "#0072B2", "furnace": "#D55E00", "electric_resistance": "#CC79A7"}
SYSTEM_LABEL = {"heat_pump": "Heat pump", "furnace": "Furnace", "electric_resistance": "Resistance"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CHARTS = ("annual_cost", "monthly_cost", "heat_pump_capacity", "breakeven", "lifetime_cost", "peak_demand",
          "monthly_bills", "solar")
WIDTH_IN, HEIGHT_IN = 4.2, 3.8  # drawn at about a phone's width: at 375 px the smallest (11 pt) text is 12.5 px


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.size": 11, "axes.spines.top": False,
                         "axes.spines.right": False, "figure.dpi": 100, "svg.hashsalt": "heatcalc"})
    return plt


def _header(fig, ax, title: str, handles=None, labels=None) -> None:
    """The title at the top left and the legend in a row above the plot, so neither covers the data."""
    # wrapped to the figure's width (about 44 characters at 12 pt), never cut at its edge
    fig.suptitle(textwrap.fill(title, 44), x=0.01, ha="left", fontsize=12)
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    if handles:  # under the plot, two entries a row: the figure is drawn about a phone's width
        long = max(len(str(x)) for x in labels) > 20
        fig.legend(handles, labels, loc="outside lower left", ncols=1 if long else min(len(handles), 2), fontsize=11,
                   frameon=False, borderaxespad=0.2, handlelength=1.6, columnspacing=1.0)


def _mark(ax, x: float, text: str, y: float | None = None) -> None:
    """A vertical line's label at the top, written toward the side with room, so it stays inside the plot."""
    lo, hi = ax.get_xlim()
    right_side = (x - lo) / (hi - lo) > 0.55
    ax.annotate(text, (x, ax.get_ylim()[1] if y is None else y), fontsize=11, va="top",
                ha="right" if right_side else "left", xytext=(-4 if right_side else 4, -4),
                textcoords="offset points")


def money(x: float) -> str:
    return f"-${-x:,.0f}" if x < -0.5 else f"${abs(x):,.0f}"


def _money_axis(ax, axis="y"):
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _: money(v))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def annual_cost(rows: list[dict]):
    """Annual cost by system: heating energy, cooling and fixed charges stacked [$ a year]."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN), layout="constrained")
    labels = [SYSTEM_LABEL.get(r["system"], r["system"]) for r in rows]
    y = np.arange(len(rows))[::-1]
    left = np.zeros(len(rows))
    parts = [("annual_cost_usd", "heating", 1.0, None), ("cooling_cost_usd", "cooling", 0.55, "//"),
             ("fixed_charges_usd", "fixed charges", 0.3, "..")]
    for key, name, alpha, hatch in parts:
        values = np.array([r[key] or 0.0 for r in rows])
        if key != "annual_cost_usd" and not values.any():
            continue
        ax.barh(y, values, left=left, color=[SYSTEM_COLOR.get(r["system"], "gray") for r in rows], alpha=alpha,
                hatch=hatch, edgecolor="white", label=name)
        left += values
    for yi, total in zip(y, left):
        ax.text(total, yi, f" {money(total)}", va="center", fontsize=11)
    ax.set_yticks(y, labels)
    ax.set_xlabel("Cost [$ a year]")
    _money_axis(ax, "x")
    ax.set_xlim(0, left.max() * 1.22 if left.max() > 0 else 1)
    _header(fig, ax, "Annual cost by system",
            *(([], []) if len([p for p in parts if any((r[p[0]] or 0) for r in rows)]) < 2 else (None, None)))
    return fig


def _monthly_bars(months: list[dict], key: str, ylabel: str, title: str, money_axis: bool):
    """One bar per system in each month, side by side."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN), layout="constrained")
    systems = list(dict.fromkeys(m["system"] for m in months))
    by = {(m["system"], m["month"]): m[key] for m in months}
    x = np.arange(12)
    width = 0.8 / max(1, len(systems))
    for i, system in enumerate(systems):
        ax.bar(x + (i - (len(systems) - 1) / 2) * width, [by[(system, k + 1)] for k in range(12)], width,
               color=SYSTEM_COLOR.get(system, "gray"), label=SYSTEM_LABEL.get(system, system))
    ax.set_xticks(x, MONTHS, rotation=45, ha="right", rotation_mode="anchor")  # twelve labels side by side
    ax.set_ylabel(ylabel)
    if money_axis:
        _money_axis(ax)
    _header(fig, ax, title)
    return fig


def monthly_cost(months: list[dict]):
    """Heating cost by month for each system [$ a month]."""
    key = "total_cost_usd" if months and "total_cost_usd" in months[0] else "cost_usd"
    return _monthly_bars(months, key, "Cost [$ a month]", "Cost by month: heating, cooling, fixed", True)


def monthly_bills(months: list[dict]):
    """The home's electricity and fuel bills together in each month, by system [$ a month]."""
    rows = [{**m, "bill_usd": m["electric_bill_usd"] + m["fuel_bill_usd"]} for m in months]
    return _monthly_bars(rows, "bill_usd", "Electricity + fuel bills [$ a month]", "Bills by month", True)


def solar(monthly_kwh, used_kwh, exported_kwh):
    """Rooftop solar by month: what the home used in its hour and what it exported [kWh]."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN), layout="constrained")
    x = np.arange(12)
    ax.bar(x, used_kwh, 0.7, color="#E69F00", label="Used in the home")
    ax.bar(x, exported_kwh, 0.7, bottom=used_kwh, color="#56B4E9", label="Exported")
    ax.set_xticks(x, MONTHS, rotation=45, ha="right", rotation_mode="anchor")  # twelve labels side by side
    ax.set_ylabel("Solar output [kWh a month]")
    _header(fig, ax, f"Rooftop solar: {float(np.sum(monthly_kwh)):,.0f} kWh a year")
    return fig


def heat_pump_capacity(curve, ua_btu_per_h_f: float, balance_point_f: float, temp_f: np.ndarray,
                       cutoff_f: float, hp_balance_f: float | None, switchover_f: float | None = None,
                       backup: str = "resistance strips"):
    """The heat pump's maximum capacity and COP against outdoor temperature over the temperatures the year has, the
    home's load line, what the backup covers (shaded: the shortfall below the balance point; with dual fuel, all
    the heat below the switchover), and beneath, the hours of the year at each temperature."""
    plt = _plt()
    fig, (ax, hist) = plt.subplots(2, 1, figsize=(WIDTH_IN, HEIGHT_IN * 1.35), sharex=True, layout="constrained",
                                   gridspec_kw={"height_ratios": [3, 1]})
    lo = float(np.floor(temp_f.min() / 5) * 5)  # the axis covers the weather that occurs, no colder
    hi = float(max(65.0, np.ceil(balance_point_f / 5) * 5 + 5))
    t = np.linspace(lo, hi, 200)
    runs = t >= cutoff_f
    if switchover_f is not None and np.isfinite(switchover_f):
        runs &= t >= switchover_f
    cap = np.where(runs, curve.capacity_max(t), 0.0) / 1000.0
    load = ua_btu_per_h_f * np.maximum(0.0, balance_point_f - t) / 1000.0
    hp_color = SYSTEM_COLOR["heat_pump"]
    ax.plot(t, cap, color=hp_color, lw=2, label="heat pump capacity")
    ax.plot(t, load, color="black", lw=1.5, ls="--", label="home's heat load")
    covered = np.minimum(load, cap)
    ax.fill_between(t, covered, load, where=load > covered, color=SYSTEM_COLOR["furnace"] if backup != \
                    "resistance strips" else SYSTEM_COLOR["electric_resistance"], alpha=0.35, lw=0,
                    label=f"backup: {backup}")
    ax.set_ylabel("Heat [kBtu/h]")
    ax.set_ylim(0, max(cap.max(), load.max()) * 1.15)
    cop_ax = ax.twinx()
    cop_ax.plot(t, np.where(runs, curve.cop_at_max(t), np.nan), color=hp_color, lw=1, ls=":",
                label="COP at that temperature (right)")
    cop_ax.set_ylabel("COP at that temperature")
    cop_ax.set_ylim(0, max(5.0, float(np.nanmax(curve.cop_at_max(t))) * 1.15))
    cop_ax.spines["right"].set_visible(True)
    if switchover_f is not None and np.isfinite(switchover_f) and lo < switchover_f < hi:
        ax.axvline(switchover_f, color=SYSTEM_COLOR["furnace"], lw=1)
        _mark(ax, switchover_f, f"furnace below {switchover_f:.0f} F")
    elif hp_balance_f is not None:
        ax.axvline(hp_balance_f, color="gray", lw=1)
        _mark(ax, hp_balance_f, f"balance point {hp_balance_f:.0f} F")
    lines = ax.get_legend_handles_labels()
    extra = cop_ax.get_legend_handles_labels()
    _header(fig, ax, "Heat pump capacity against the home's load", lines[0] + extra[0], lines[1] + extra[1])
    bins = np.arange(lo, hi + 2.5, 2.5)
    counts, edges = np.histogram(temp_f, bins=bins)
    edge_short = switchover_f if switchover_f is not None and np.isfinite(switchover_f) else hp_balance_f
    # greys of at least 3:1 against the white page (WCAG 2.1 non-text contrast): #595959 7.0:1, #949494 3.0:1
    colors = ["#595959" if edge_short is not None and e < edge_short else "#949494" for e in edges[:-1]]
    hist.bar(edges[:-1], counts, width=2.5, align="edge", color=colors)
    hist.set_ylabel("Hours")
    hist.set_xlim(lo, hi)
    hist.set_xlabel("Outdoor temperature [F]" + ("; darker: backup runs" if edge_short is not None else ""))
    return fig


def breakeven(prices_usd_per_kwh: np.ndarray, hp_cost: np.ndarray, furnace_cost: np.ndarray, today: float,
              breakeven_usd_per_kwh: float | None, fuel_label: str):
    """Annual cost of the heat pump and the furnace as the electricity price varies, today's price marked, and the
    break-even price (the comparison's own figure, so the chart, its caption and the CLI say one number)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN), layout="constrained")
    cents = prices_usd_per_kwh * 100
    ax.plot(cents, hp_cost, color=SYSTEM_COLOR["heat_pump"], lw=2, label="Heat pump")
    ax.plot(cents, furnace_cost, color=SYSTEM_COLOR["furnace"], lw=2, label=f"Furnace ({fuel_label})")
    ax.axvline(today * 100, color="gray", lw=1, ls="--")
    _mark(ax, today * 100, f"today {today * 100:.1f} c/kWh")
    if breakeven_usd_per_kwh is not None and cents[0] <= breakeven_usd_per_kwh * 100 <= cents[-1]:
        x = breakeven_usd_per_kwh * 100
        y = float(np.interp(x, cents, hp_cost))
        ax.plot([x], [y], "o", color="black", ms=5)
        right = (x - cents[0]) / (cents[-1] - cents[0]) > 0.5  # the label toward the side with room
        ax.annotate(f"break-even {x:.1f} c/kWh", (x, y), fontsize=11, xytext=(-6 if right else 6, -14),
                    ha="right" if right else "left", textcoords="offset points")
    ax.set_xlabel("Electricity price [cents/kWh]")
    ax.set_ylabel("Cost [$ a year]")
    _money_axis(ax)
    _header(fig, ax, "Break-even electricity price")
    return fig


def lifetime_cost(years: np.ndarray, cumulative: dict, payback_years: float | None, current: str, low=None,
                  high=None, names: dict | None = None):
    """Each system's cost over the equipment's life in today's money (net installed cost, then each year's cost
    escalated and discounted), the heat pump's installed-cost range as a band, its payback marked, or a note that
    it does not pay back within the life."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN), layout="constrained")
    names = names or {}
    for system, values in cumulative.items():
        name = names.get(system, SYSTEM_LABEL.get(system, system))
        ax.plot(years, values, color=SYSTEM_COLOR.get(system, "gray"), lw=2,
                label=name[0].upper() + name[1:] + (" (today)" if system == current else ""))
    if low is not None and high is not None:
        ax.fill_between(years, low, high, color=SYSTEM_COLOR["heat_pump"], alpha=0.15, lw=0,
                        label="heat pump, 10th-90th pct cost")
    if payback_years is not None and payback_years <= years[-1]:
        ax.axvline(payback_years, color="gray", lw=1, ls="--")
        _mark(ax, payback_years, f"pays back in {payback_years:.1f} years")
    elif "heat_pump" in cumulative and current != "heat_pump":
        ax.annotate(f"heat pump: no payback in {years[-1]:g} years", (0.02, 0.97), xycoords="axes fraction",
                    va="top", fontsize=11)
    ax.set_xlabel("Years from installation")
    ax.set_ylabel("Cost to date [$ today]")
    _money_axis(ax)
    _header(fig, ax, "Cost over the equipment's life")
    return fig


def peak_demand(months: list[dict]):
    """Highest hourly electric demand in each month for each system [kW], backup strips included."""
    return _monthly_bars(months, "peak_electric_kw", "Peak demand, strips incl. [kW]",
                         "Peak electric demand by month (heating and cooling)", False)


def title_of(fig) -> str:
    """The chart's title (its suptitle)."""
    return " ".join(fig._suptitle.get_text().split()) if getattr(fig, "_suptitle", None) is not None else ""


def svg(fig, prefix: str = "", desc: str = "", standalone: bool = False) -> str:
    """The figure as an SVG element with ``role="img"``, a ``<title>`` (the chart's) and a ``<desc>`` (``desc``)
    that screen readers announce.  Inline (default): no XML prolog, no width or height, scaled by its viewBox;
    ``prefix`` makes its element ids unique among several charts on one page (they refer to them as ``url(#id)``
    and ``href="#id"``).  ``standalone``: a file of its own, with the XML prolog and its size in points."""
    import html
    import re

    plt = _plt()
    title = title_of(fig)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})  # no timestamp: two runs give the same bytes
    plt.close(fig)
    text = buf.getvalue()
    head = ""
    if standalone:
        head, text = text[:text.index("<svg")], text[text.index("<svg"):]
    else:
        text = text[text.index("<svg"):]
    if prefix:
        text = re.sub(r'id="([^"]+)"', rf'id="{prefix}\1"', text)
        text = re.sub(r'url\(#([^)]+)\)', rf'url(#{prefix}\1)', text)
        text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', text)
    if not standalone:
        text = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1', text, count=1)
    label = f"{prefix}chart-title"
    described = f"{prefix}chart-desc"
    text = re.sub(r"<svg([^>]*)>", lambda m: f'<svg{m.group(1)} role="img" aria-labelledby="{label}"'
                  + (f' aria-describedby="{described}"' if desc else "") + f'><title id="{label}">'
                  + html.escape(title or "Chart") + "</title>"
                  + (f'<desc id="{described}">{html.escape(desc)}</desc>' if desc else ""), text, count=1)
    return head + text


def data_table(fig) -> tuple[list, list]:
    """The numbers a chart draws, as (header, rows): each labelled line's points and each labelled bar series'
    heights, by their x value (or the bars' category), for a table beside the chart."""
    columns: dict = {}
    xs: list = []
    axis_label = ""
    for ax in fig.axes:
        for container in ax.containers:
            label = container.get_label()
            if not label or label.startswith("_"):
                continue
            across = getattr(container, "orientation", "vertical") == "horizontal"
            categories = [t.get_text() for t in (ax.get_yticklabels() if across else ax.get_xticklabels())]
            ticks = list(ax.get_yticks() if across else ax.get_xticks())
            axis_label = axis_label or (ax.get_ylabel() if across else ax.get_xlabel())
            series = {}
            for patch in container.patches:
                at = patch.get_y() + patch.get_height() / 2.0 if across else patch.get_x() + patch.get_width() / 2.0
                name = min(zip(ticks, categories), key=lambda tc: abs(tc[0] - at))[1] if categories and ticks \
                    else f"{at:g}"
                series[name] = series.get(name, 0.0) + (patch.get_width() if across else patch.get_height())
            columns[label] = series
            xs += [k for k in series if k not in xs]
        for line in ax.get_lines():
            label = line.get_label()
            if not label or label.startswith("_"):
                continue
            axis_label = axis_label or ax.get_xlabel()
            x, y = line.get_xdata(), line.get_ydata()
            if len(x) > 60:  # a dense curve: every few points are enough to read it
                pick = np.linspace(0, len(x) - 1, 40).round().astype(int)
                x, y = np.asarray(x)[pick], np.asarray(y)[pick]
            series = {f"{float(a):g}": float(b) for a, b in zip(x, y)}
            columns[label] = series
            xs += [k for k in series if k not in xs]
    header = [axis_label or (fig.axes[0].get_xlabel() if fig.axes else "") or "", *columns]
    rows = [[x, *[columns[c].get(x) for c in columns]] for x in xs]
    return header, rows


def png(fig, dpi: int = 200) -> bytes:
    plt = _plt()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()
