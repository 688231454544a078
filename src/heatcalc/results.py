"""Result objects: one row per system, the single source of what the table, CSV and JSON show."""

# No ``from __future__ import annotations`` here: with it, typing.NamedTuple compiles every field's annotation
# string into a ForwardRef at import (about 0.3 ms a field, 10 ms for these classes, on every CLI start).

from typing import NamedTuple

from typing import TYPE_CHECKING

from .model.engine import AnnualEnergy
from .units import BTU_PER_FUEL_UNIT, FUEL_UNIT

if TYPE_CHECKING:
    from .home import Home

class Row(NamedTuple):
    """One system's year: the CSV columns, in order, as attributes (README, *What comes out*).  The first twelve
    are the columns promised to users (PROFILE.md); the rest are the extras heatcalc adds."""

    profile: str
    system: str
    heat_delivered_mmbtu: float
    electricity_kwh: float
    fuel: str
    fuel_use: float
    fuel_unit: str
    annual_cost_usd: float
    cost_per_mmbtu_usd: float
    seasonal_efficiency: float
    backup_fraction: float
    co2_kg: float
    backup_hours: float
    peak_electric_kw: float
    peak_hour: str
    peak_outdoor_f: float | None
    balance_point_f: float | None
    cooling_electricity_kwh: float
    cooling_cost_usd: float
    cooling_co2_kg: float
    fixed_charges_usd: float
    total_cost_usd: float
    total_co2_kg: float
    net_installed_cost_usd: float | None
    lifetime_cost_usd: float | None
    npv_vs_current_usd: float | None
    simple_payback_years: float | None
    installed_cost_usd: float | None
    installed_cost_low_usd: float | None
    installed_cost_high_usd: float | None
    simple_payback_years_low: float | None
    simple_payback_years_high: float | None
    npv_vs_current_low_usd: float | None
    npv_vs_current_high_usd: float | None
    unmet_heat_mmbtu: float
    unmet_hours: float
    unmet_cooling_mmbtu: float
    unmet_cooling_hours: float
    meets_load: bool
    electric_bill_usd: float
    fuel_bill_usd: float
    solar_self_consumed_kwh: float
    solar_exported_kwh: float
    solar_export_credit_usd: float
    electric_bill_without_solar_usd: float
    incentives_usd: float | None
    biogenic_co2_kg: float

    def to_dict(self) -> dict:
        return self._asdict()


#: CSV columns, in order.
COLUMNS = Row._fields
#: Columns of text, and of True/False, among the output columns (with batch's ``home``); the rest are numbers.
TEXT_COLUMNS = frozenset({"home", "profile", "system", "fuel", "fuel_unit", "peak_hour"})

BOOL_COLUMNS = frozenset({"meets_load"})


#: Columns that count hours of the year: whole numbers, typed as integers in frames.
COUNT_COLUMNS = frozenset({"backup_hours", "unmet_hours", "unmet_cooling_hours"})
PAYBACK_COLUMNS = ("simple_payback_years", "simple_payback_years_low", "simple_payback_years_high")
#: The typical year is laid on calendar 2023 (as :func:`heatcalc.money.clock_hours` and ``hourly_frame`` do):
#: a frame's ``peak_hour`` is a timestamp in it, in the weather's local standard time.
FRAME_YEAR = 2023


def frame_dtypes(columns) -> dict:
    """The pandas dtype of each output column, the same for ``Comparison.to_frame()``, ``heatcalc.compare_frame``
    and ``SweepResult.to_frame()``: text as pandas' string dtype (NA where a row has none, such as the fuel of a heat
    pump), ``meets_load`` as nullable boolean, hour counts as nullable integers, ``peak_hour`` as a timestamp,
    every other number float64."""
    def kind(c: str) -> str:
        if c == "peak_hour":
            return "datetime64[ns]"
        if c in TEXT_COLUMNS:
            return "string"
        if c == "error":
            return "object"
        return "boolean" if c in BOOL_COLUMNS else "Int64" if c in COUNT_COLUMNS else "float64"

    return {c: kind(c) for c in columns}


def typed_frame(frame):
    """Output rows (a pandas DataFrame with the CSV's columns, empty values as None/NaN/'') typed as
    :func:`frame_dtypes` says, so that a notebook can tell what is missing from what is not:

    - ``fuel`` and ``fuel_unit`` are NA (not ``''``) for a system that burns nothing;
    - ``peak_hour`` (``"01-19 06:00"`` in CSV) is a timestamp in :data:`FRAME_YEAR`;
    - ``backup_hours``, ``unmet_hours`` and ``unmet_cooling_hours`` are integers;
    - a simple payback is ``inf`` where the option **never pays back** (it saves nothing against the current
      system, or does not meet the load), and NA where it is not defined (no economics, the current system itself,
      or no current system among the options).
    """
    import numpy as np
    import pandas as pd

    frame = frame.copy()
    for c in frame.columns:
        if c in TEXT_COLUMNS and c != "peak_hour":
            frame[c] = frame[c].astype(object).where(frame[c].notna() & (frame[c].astype(object) != ""), None)
    if "peak_hour" in frame.columns:
        text = frame["peak_hour"].astype(object).where(frame["peak_hour"].notna(), "")
        frame["peak_hour"] = pd.to_datetime(f"{FRAME_YEAR}-" + text.astype(str), format="%Y-%m-%d %H:%M",
                                            errors="coerce")
    for c in COUNT_COLUMNS & set(frame.columns):
        frame[c] = pd.to_numeric(frame[c], errors="coerce").round()
    if {"npv_vs_current_usd", "installed_cost_usd", "meets_load"} <= set(frame.columns):
        npv = pd.to_numeric(frame["npv_vs_current_usd"], errors="coerce")
        installed = pd.to_numeric(frame["installed_cost_usd"], errors="coerce")
        meets = frame["meets_load"].astype("boolean").fillna(True).to_numpy(bool)
        compared = npv.notna().to_numpy() & (npv.to_numpy() != 0.0)  # saved or lost against the current system
        unmet = ~meets & installed.notna().to_numpy()  # leaves the house cold: saves nothing
        for c in PAYBACK_COLUMNS:
            if c in frame.columns:
                years = pd.to_numeric(frame[c], errors="coerce")
                frame[c] = years.where(~(years.isna().to_numpy() & (compared | unmet)), np.inf)
    known = set(COLUMNS) | {"home", "error"}  # a sweep's varied fields and ``cheapest`` keep their own types
    return frame.astype(frame_dtypes([c for c in frame.columns if c in known]))

#: A system that leaves more than this share of the year's heat unmet (its strips limited, no backup below a
#: cut-out) does not do the job as specified: it is never "cheapest" and saves nothing. 1 % is about the heat of
#: the hours below a 99 % design temperature, which Manual J sizing already accepts as uncovered.
UNMET_HEAT_SHARE = 0.01
#: The same for cooling: above 5 % of the cooling load the house runs warm for days, not for a few peak hours
#: (Manual S lets a unit fall 5-10 % short of the design cooling load).
UNMET_COOLING_SHARE = 0.05
SYSTEM_ORDER = ("heat_pump", "furnace", "electric_resistance")


class SystemResult(NamedTuple):
    profile: str
    system: str
    energy: AnnualEnergy
    annual_cost_usd: float
    co2_kg: float
    peak_hour: str = ""  # "MM-DD HH:00" of the typical year
    peak_outdoor_f: float | None = None
    balance_point_f: float | None = None  # heat pump only: below it, its capacity falls short of the load
    cooling_electricity_kwh: float = 0.0
    cooling_cost_usd: float = 0.0
    cooling_co2_kg: float = 0.0
    fixed_charges_usd: float = 0.0  # customer charges this system's home pays in the year
    cost_by_energy: dict | None = None  # the year's total cost split by energy, for escalation
    net_installed_cost_usd: float | None = None  # installed cost less incentives (0 for the current system)
    lifetime_cost_usd: float | None = None  # net installed + present value of the lifetime's costs
    npv_vs_current_usd: float | None = None  # what choosing this system saves over its life, in today's $
    simple_payback_years: float | None = None
    installed_cost_usd: float | None = None  # gross, before incentives; an air conditioner bought with it included
    installed_cost_low_usd: float | None = None
    installed_cost_high_usd: float | None = None
    simple_payback_years_low: float | None = None  # best case: this option's low cost, the current one's high cost
    simple_payback_years_high: float | None = None  # worst case: the other way round
    npv_vs_current_low_usd: float | None = None
    npv_vs_current_high_usd: float | None = None
    unmet_cooling_btu: float = 0.0  # cooling load above the unit's cooling capacity
    unmet_cooling_hours: float = 0.0
    cooling_load_btu: float = 0.0  # the cooling the unit was asked for in the year (through its ducts)
    distribution_efficiency: float = 1.0  # the share of the unit's heat its ducts bring to the rooms
    electric_bill_usd: float = 0.0  # the year's electricity bill with this system and the home's other use
    fuel_bill_usd: float = 0.0  # the year's gas (or propane, oil) bill likewise
    solar_self_consumed_kwh: float = 0.0  # rooftop solar used in the home in its hour
    solar_exported_kwh: float = 0.0
    solar_export_credit_usd: float = 0.0  # what the exports took off the bill
    electric_bill_without_solar_usd: float = 0.0  # the same bill without the rooftop solar
    incentives_usd: float | None = None  # with economics: incentives taken off this system's installed cost
    #: rooftop solar as an investment with this system: cost, incentives, yearly saving, payback, NPV (JSON only)
    solar_economics: dict | None = None
    #: CO2 from burning wood or pellets, reported apart from co2_kg (which keeps their CH4 and N2O), as EPA does
    biogenic_co2_kg: float = 0.0

    @property
    def heat_to_rooms_mmbtu(self) -> float:
        """Heat delivered to the rooms: what the unit made less its ducts' losses, the same basis for every
        system (a furnace's output through leaky ducts is more than the rooms receive)."""
        return self.energy.heat_btu * self.distribution_efficiency / 1e6

    @property
    def unmet_heat_share(self) -> float:
        """The share of the year's heat this system could not deliver."""
        e = self.energy
        need = e.heat_btu + e.unmet_btu
        return e.unmet_btu / need if need > 0 else 0.0

    @property
    def unmet_cooling_share(self) -> float:
        return self.unmet_cooling_btu / self.cooling_load_btu if self.cooling_load_btu > 0 else 0.0

    @property
    def meets_load(self) -> bool:
        """Whether it heats (and cools) the home: at most :data:`UNMET_HEAT_SHARE` of the heat and
        :data:`UNMET_COOLING_SHARE` of the cooling left unmet."""
        return self.unmet_heat_share <= UNMET_HEAT_SHARE and self.unmet_cooling_share <= UNMET_COOLING_SHARE

    @property
    def total_cost_usd(self) -> float:
        """Heating, cooling and fixed charges in the year."""
        return self.annual_cost_usd + self.cooling_cost_usd + self.fixed_charges_usd

    @property
    def total_co2_kg(self) -> float:
        return self.co2_kg + self.cooling_co2_kg

    @property
    def cost_per_mmbtu_usd(self) -> float:
        """Energy cost per MMBtu delivered to the rooms."""
        heat = self.heat_to_rooms_mmbtu
        return self.annual_cost_usd / heat if heat > 0 else 0.0

    def to_row(self) -> Row:
        return Row(**self.row_dict())

    def row_dict(self) -> dict:
        e = self.energy
        return {
            "profile": self.profile,
            "system": self.system,
            "heat_delivered_mmbtu": self.heat_to_rooms_mmbtu,
            "electricity_kwh": e.electricity_kwh,
            "fuel": e.fuel or "",
            "fuel_use": e.fuel_units,
            "fuel_unit": FUEL_UNIT[e.fuel] if e.fuel else "",
            "annual_cost_usd": self.annual_cost_usd,
            "cost_per_mmbtu_usd": self.cost_per_mmbtu_usd,
            "seasonal_efficiency": e.seasonal_efficiency,
            "backup_fraction": e.backup_fraction if self.system == "heat_pump" else 0.0,
            "co2_kg": self.co2_kg,
            "backup_hours": e.backup_hours if self.system == "heat_pump" else 0.0,
            "peak_electric_kw": e.peak_electric_kw,
            "peak_hour": self.peak_hour,
            "peak_outdoor_f": self.peak_outdoor_f,
            "balance_point_f": self.balance_point_f,
            "cooling_electricity_kwh": self.cooling_electricity_kwh,
            "cooling_cost_usd": self.cooling_cost_usd,
            "cooling_co2_kg": self.cooling_co2_kg,
            "fixed_charges_usd": self.fixed_charges_usd,
            "total_cost_usd": self.total_cost_usd,
            "total_co2_kg": self.total_co2_kg,
            "net_installed_cost_usd": self.net_installed_cost_usd,
            "lifetime_cost_usd": self.lifetime_cost_usd,
            "npv_vs_current_usd": self.npv_vs_current_usd,
            "simple_payback_years": self.simple_payback_years,
            "installed_cost_usd": self.installed_cost_usd,
            "installed_cost_low_usd": self.installed_cost_low_usd,
            "installed_cost_high_usd": self.installed_cost_high_usd,
            "simple_payback_years_low": self.simple_payback_years_low,
            "simple_payback_years_high": self.simple_payback_years_high,
            "npv_vs_current_low_usd": self.npv_vs_current_low_usd,
            "npv_vs_current_high_usd": self.npv_vs_current_high_usd,
            "unmet_heat_mmbtu": e.unmet_btu * self.distribution_efficiency / 1e6,
            "unmet_hours": e.unmet_hours,
            "unmet_cooling_mmbtu": self.unmet_cooling_btu / 1e6,
            "unmet_cooling_hours": self.unmet_cooling_hours,
            "meets_load": self.meets_load,
            "electric_bill_usd": self.electric_bill_usd,
            "fuel_bill_usd": self.fuel_bill_usd,
            "solar_self_consumed_kwh": self.solar_self_consumed_kwh,
            "solar_exported_kwh": self.solar_exported_kwh,
            "solar_export_credit_usd": self.solar_export_credit_usd,
            "electric_bill_without_solar_usd": self.electric_bill_without_solar_usd,
            "incentives_usd": self.incentives_usd,
            "biogenic_co2_kg": self.biogenic_co2_kg,
        }


class Summary(NamedTuple):
    cheapest: str
    #: what the heat pump saves each year against each other system [$] (negative: it costs more)
    heat_pump_savings_usd: dict
    #: electricity price at which the heat pump costs the same as each other system [$/kWh]
    breakeven_electricity_usd_per_kwh: dict
    lowest_co2: str
    #: furnace fuel price at which the furnace costs the same as the heat pump [$ per therm or gal]
    breakeven_fuel_price_usd_per_unit: float | None = None
    #: seasonal COP at which an all-electric heat pump costs the same as the furnace
    breakeven_seasonal_cop: float | None = None
    #: under a URDB rate: the tariff.adjustment [$/kWh, on every energy charge] at which the heat pump costs the
    #: same as the furnace (the profile's own adjustment included)
    breakeven_rate_adjustment_usd_per_kwh: float | None = None
    #: under gas blocks: the tariff.natural_gas_adjustment [$/therm, on every block] at which they cost the same
    breakeven_gas_adjustment_usd_per_therm: float | None = None
    #: why a break-even is missing where a reader would look for one (a rate with no crossing in range, ...)
    breakeven_notes: tuple = ()

    def to_dict(self) -> dict:
        return {
            "cheapest": self.cheapest,
            "lowest_co2": self.lowest_co2,
            "heat_pump_savings_usd": self.heat_pump_savings_usd,
            "breakeven_electricity_usd_per_kwh": self.breakeven_electricity_usd_per_kwh,
            "breakeven_fuel_price_usd_per_unit": self.breakeven_fuel_price_usd_per_unit,
            "breakeven_seasonal_cop": self.breakeven_seasonal_cop,
            "breakeven_rate_adjustment_usd_per_kwh": self.breakeven_rate_adjustment_usd_per_kwh,
            "breakeven_gas_adjustment_usd_per_therm": self.breakeven_gas_adjustment_usd_per_therm,
            "breakeven_notes": list(self.breakeven_notes),
        }


class Comparison(NamedTuple):
    """What ``heatcalc.compare`` returns for one home: its resolved inputs, one result per system, a summary."""

    home: "Home"
    results: tuple[SystemResult, ...]
    summary: Summary

    @property
    def heat_needed_mmbtu(self) -> float:
        """The heat the rooms need in the year (a ducted system makes more: its ducts lose some on the way)."""
        if not self.results:
            return 0.0
        r = self.results[0]
        return (r.energy.heat_btu + r.energy.unmet_btu) * self.home.distribution_efficiency(r.system) / 1e6

    @property
    def rows(self) -> tuple[Row, ...]:
        """One :class:`Row` per system, the CSV columns as attributes (``row.annual_cost_usd``)."""
        return tuple(r.to_row() for r in self.results)

    def row_dicts(self) -> list[dict]:
        """The rows as dicts keyed by column, for writers."""
        return [r.row_dict() for r in self.results]

    @property
    def name(self) -> str:
        return self.home.name

    def to_frame(self):
        """The rows as a pandas DataFrame (pandas is not a dependency of heatcalc: install it to use this)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("Comparison.to_frame needs pandas: pip install pandas") from None
        return typed_frame(pd.DataFrame(self.row_dicts(), columns=list(COLUMNS)))

    def result(self, system: str) -> SystemResult | None:
        return next((r for r in self.results if r.system == system), None)

    @property
    def assumptions(self) -> list[dict]:
        """Every assumption and default used, with its source (what ``--explain`` lists)."""
        return [{"field": a.field, "value": a.value, "source": a.source} for a in self.home.assumptions]

    def __repr__(self) -> str:
        costs = ", ".join(f"{r.system} ${r.total_cost_usd:,.0f}" for r in self.results)
        return f"Comparison({self.name!r}: {costs}; cheapest {self.summary.cheapest or 'none'})"

    # monthly_frame() and hourly_frame() are attached by heatcalc.simulate, which makes every Comparison (this
    # module cannot import it: simulate imports this one)

    def _repr_html_(self) -> str:
        """The rows as a small table, for notebooks."""
        from html import escape

        head = ("<tr><th scope='col'>System</th><th scope='col'>Electricity kWh</th><th scope='col'>Fuel</th>"
                "<th scope='col'>Cost $/yr</th><th scope='col'>CO2 kg/yr</th><th scope='col'>Meets the load</th></tr>")
        body = "".join(
            f"<tr><th scope='row'>{escape(r.system)}</th><td>{r.electricity_kwh:,.0f}</td>"
            f"<td>{'' if not r.fuel else f'{r.fuel_use:,.0f} {escape(r.fuel_unit)}'}</td>"
            f"<td>{r.total_cost_usd:,.0f}</td><td>{r.total_co2_kg:,.0f}</td><td>{'yes' if r.meets_load else 'no'}</td>"
            "</tr>" for r in self.rows)
        return (f"<table><caption>{escape(self.name)}: cheapest to run "
                f"{escape(self.summary.cheapest or 'none')}</caption>{head}{body}</table>")


    def to_dict(self) -> dict:
        """The JSON object of one profile: inputs as understood, assumptions, rows and summary."""
        h = self.home
        loc = h.location
        inputs = {
            "source": h.source,
            "location": {
                "method": loc.method, "zip": loc.zip, "state": loc.state, "lat": loc.lat, "lon": loc.lon,
                "weather": loc.weather_name, "station": loc.station_id, "weather_file": loc.weather_file,
                "distance_km": loc.distance_km,
            },
            "heating_load": {
                "method": h.load_method,
                "ua_btu_per_h_f": h.ua_btu_per_h_f,
                "balance_point_f": h.balance_point_f,
                "design_temp_f": h.design_temp_f,
                "design_load_btu_per_h": h.design_load_btu_per_h,
                "heat_needed_mmbtu": self.heat_needed_mmbtu,
                "annual_heat_mmbtu": self.heat_needed_mmbtu,  # the earlier name, kept for scripts
                "distribution_efficiency": self.home.distribution,
                **_load_given(h),
            },
            "warnings": list(h.warnings),
            "systems": _systems(h),
            "prices": {k: {"value": v.value, "unit": v.unit, "source": v.source} for k, v in h.prices.items()},
            "emissions": {k: {"value": v.value, "unit": v.unit, "source": v.source} for k, v in h.emissions.items()},
            "fixed_charges_usd_per_month": dict(h.fixed_charges_usd_per_month),
            "time_of_use": h.tariff_usd_per_kwh is not None,
            "cooling": None if h.cooling is None else {
                "ua_btu_per_h_f": h.cooling.ua_btu_per_h_f, "balance_point_f": h.cooling.balance_point_f,
                "heat_pump_seer2": h.cooling.heat_pump_seer2,
                "air_conditioner_seer2": h.cooling.air_conditioner_seer2},
            "economics": None if h.economics is None else {
                "current": h.economics.current, "lifetime_years": h.economics.lifetime_years,
                "discount_rate": h.economics.discount_rate, "escalation_per_year": h.economics.escalation,
                "installed_cost_usd": h.economics.installed_cost_usd, "incentives_usd": h.economics.incentives_usd,
                "gas_disconnect": h.economics.gas_disconnect, "dollar_year": 2023, **_incentives_json(h.economics)},
        }
        return {
            "profile": h.name,
            "inputs": inputs,
            "assumptions": [{"field": a.field, "value": a.value, "source": a.source} for a in h.assumptions],
            "rows": [{**row, **({"solar_economics": r.solar_economics} if r.solar_economics is not None else {})}
                     for row, r in zip(self.row_dicts(), self.results)],
            "summary": self.summary.to_dict(),
            **_solar(self),
        }


def _incentives_json(e) -> dict:
    """The incentives applied by program (``economics.incentives: auto`` or a list), with the snapshot's date."""
    if not (e.incentives_applied or e.incentive_range_usd):
        return {}
    from .incentives import snapshot_date

    return {"incentives_snapshot": snapshot_date().isoformat(),
            "incentives_range_usd": {k: list(v) for k, v in e.incentive_range_usd.items()},
            "incentives_applied": [{"system": "heat_pump", "id": inc.id, "program": inc.program,
                                    "authority": inc.authority, "type": inc.type, "amount_usd": typ,
                                    "low_usd": low, "high_usd": high, "url": inc.url}
                                   for inc, typ, low, high in e.incentives_applied],
            # listed, not counted in incentives_usd: what each needs that the profile does not say
            "incentives_possible": [{"system": "heat_pump", "id": inc.id, "program": inc.program,
                                     "authority": inc.authority, "amount_usd": typ, "condition": inc.condition,
                                     "url": inc.url} for inc, typ in e.incentives_possible]}


def _solar(c) -> dict:
    """The home's rooftop solar: its year, and what each system's home used of it and exported (the top-level
    figures are the heat pump's, or the first system's, home)."""
    setup = c.home.bills
    if setup is None or setup.solar_kwh is None:
        return {}
    import numpy as np

    from .weather.stations import HOUR_MONTH

    pv = setup.solar_kwh
    by = {r.system: {"self_consumed_kwh": r.solar_self_consumed_kwh, "exported_kwh": r.solar_exported_kwh,
                     "export_credit_usd": r.solar_export_credit_usd,
                     "electric_bill_usd": r.electric_bill_usd,
                     "electric_bill_without_solar_usd": r.electric_bill_without_solar_usd} for r in c.results}
    main = by.get("heat_pump") or next(iter(by.values()), {})
    rate = c.home.electricity_co2_kg_per_kwh_hourly
    # the grid's emissions the array's output displaces, used at home or exported (hour by hour with marginal rates)
    avoided = float(pv @ rate) if rate is not None else float(pv.sum()) * c.home.emissions["electricity"].value
    return {"solar": {"annual_kwh": float(pv.sum()),
                      "co2_avoided_kg": avoided,
                      "monthly_kwh": [float(x) for x in np.bincount(HOUR_MONTH, pv, 12)],
                      "self_consumed_kwh": main.get("self_consumed_kwh"),
                      "exported_kwh": main.get("exported_kwh"),
                      "export_credit_usd": main.get("export_credit_usd"),
                      "export_rule": setup.solar_rule, "by_system": by}}


def _load_given(h) -> dict:
    """What the profile gave for the load route, next to the model's figures (design and hourly routes)."""
    hl = h.profile.heating_load
    if h.load_method == "design":
        return {"design_load_entered_btu_per_h": hl.design.load, "design_outdoor_entered_f": hl.design.outdoor}
    if h.bills_fit is not None:
        r = h.bills_fit
        per_unit = BTU_PER_FUEL_UNIT[r.fuel]
        return {"bills_fit": {
            "kind": r.kind, "balance_point_f": r.fit.balance_point_f, "ua_btu_per_h_f": h.ua_btu_per_h_f,
            "base_use_per_day": r.fit.base_btu_per_day / per_unit, "unit": FUEL_UNIT[r.fuel], "r2": r.fit.r2,
            "cv_rmse": r.fit.cv_rmse, "heating_degree_hour_coverage": r.coverage,
            "used": [{"start": str(a), "end": str(e), "amount": q / per_unit, "fitted": f / per_unit}
                     for (a, e, q), f in zip(r.used, r.fit.fitted_btu)],
            "dropped": [{"start": str(a), "end": str(e), "why": why} for a, e, why in r.dropped]}}
    if h.load_method == "hourly":
        return {"hourly_file": hl.hourly.file, "hourly_column": hl.hourly.column,
                "hourly_peak_btu_per_h": float(h.heat_load_series_btu_per_h.max())}
    return {}


def _systems(h) -> dict:
    out = {}
    if h.heat_pump is not None:
        hp = h.heat_pump
        c = hp.curve
        out["heat_pump"] = {
            "nominal_capacity_btu_per_h": h.heat_pump_nominal_btu_per_h,
            "backup": hp.backup, "cutoff_f": hp.cutoff_f, "switchover_f": hp.switchover_f,
            "cycling_degradation": hp.cycling_degradation,
            # the share of the load it reaches; with less than 1, ``backup`` is the system heating the rest
            "serves": hp.share,
            "points": [{"outdoor_f": t, "capacity_btu_per_h": q, "cop": p, "min_capacity_btu_per_h": qm,
                        "min_cop": pm}
                       for t, q, p, qm, pm in zip(c.temp_f, c.capacity_max_btu_per_h, c.cop_max,
                                                  c.capacity_min_btu_per_h, c.cop_min)],
            # every point or test heatcalc made rather than was given, with its rule
            "derived": [{"field": a.field, "value": a.value, "rule": a.source} for a in h.assumptions
                        if a.field.startswith(("systems.heat_pump.performance[", "systems.heat_pump.tests"))
                        or (a.field == "systems.heat_pump.performance" and "(derived)" in a.value)],
        }
    if h.furnace is not None:
        f = h.furnace
        out["furnace"] = {"kind": f.kind, "fuel": f.fuel, "afue": f.afue,
                          "blower_kwh_per_mmbtu": f.blower_kwh_per_mmbtu}
    if h.resistance is not None:
        out["electric_resistance"] = {"efficiency": h.resistance.efficiency}
    return out
