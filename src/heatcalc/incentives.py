"""Incentives for a heat pump by ZIP code, income and household: which programs apply, and what they are worth.

The data is a dated snapshot of Rewiring America's open incentives data (``data/incentives/``, Apache-2.0, built by
``scripts/build_incentives.py``): each incentive's program and authority (federal, state, utility, city, county,
other), items, payment method, amount, owner status, income limit and dates, the geographies each authority serves,
and the stacking rules between incentives.  heatcalc reads them as follows (docs/methodology.md §5):

* **Where.** A ZIP is read as its ZCTA.  The household is in the state, in the county holding most of the ZCTA, in
  each city or custom area holding at least half of it, and in the territory of the electric utility it names
  (``utility``; a gas utility of the same name too).  The snapshot does not map ZIPs to utility territories, so
  without a utility no utility program is included, and the answer says so.  An authority's incentives apply
  where its geographies meet the household's.
* **Who.** Owner or renter as the incentive says.  An income limit is checked against the household's income and
  size: limits by household size as published; area-median-income limits from the ZCTA's HUD limits (4-person
  figures, adjusted by HUD's household-size factors); poverty-level limits from the federal poverty guidelines.  A
  limit that cannot be checked (no income given, or a tax filing status the data asks for) is never applied.
* **When.** Only incentives in effect on the date asked for (default today), and not paused.
* **Stacking.** The data's exclusions (one incentive rules out others), prerequisites (all of them must apply too)
  and combined caps; within one program, one offer per purchase (the largest; the smallest is the low end of the
  range, as programs offer alternatives for conditions the data does not encode).  Loans and performance-based
  payments are listed but not subtracted from the installed cost.
* **How much.** A fixed amount; so much per ton (or per 10,000 Btu/h, per kW) of the heat pump's nameplate, up to
  the maximum; a percentage of the installed cost, up to the maximum.  The data's ``minimum`` is the low end of an
  "up to" offer.  Never more than the cost.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .errors import HeatcalcError
from .offer_conditions import Purchase, conditions, judge
from .weather.stations import zip5

DATA = Path(__file__).resolve().parent / "data" / "incentives"

#: The states whose offers Rewiring America's API serves (src/data/types/states.ts, LAUNCHED_STATES, at the
#: snapshot's commit 16ad9bf): elsewhere its data is in development, and its state and utility offers are left out
#: unless asked for (``include_unlaunched``), then marked.
LAUNCHED_STATES = frozenset({
    "AK", "AZ", "CA", "CO", "CT", "DC", "DE", "GA", "HI", "IA", "IL", "IN", "MA", "ME", "MI", "MN", "MO", "NC", "NH",
    "NJ", "NM", "NV", "NY", "OH", "OR", "PA", "RI", "TX", "UT", "VA", "VT", "WI", "WY"})

#: The items a heat pump purchase covers, by the kind of heat pump.
SYSTEM_ITEMS = {"ducted": "ducted_heat_pump", "ductless": "ductless_heat_pump",
                "ground_source": "geothermal_heating_installation", "air_to_water": "air_to_water_heat_pump"}
#: What `heatcalc incentives` lists: heat pumps and what installing one may need.
HEAT_PUMP_ITEMS = ("ducted_heat_pump", "ductless_heat_pump", "geothermal_heating_installation",
                   "air_to_water_heat_pump", "other_heat_pump", "integrated_heat_pump_controls")
RELATED_ITEMS = ("electric_panel", "electric_wiring", "electric_service_upgrades", "air_sealing",
                 "attic_or_roof_insulation", "basement_insulation", "crawlspace_insulation", "floor_insulation",
                 "wall_insulation", "other_insulation", "other_weatherization", "duct_sealing", "energy_audit",
                 "efficiency_rebates")
#: Payment methods that lower what the household pays for the purchase (a loan or a payment for measured savings
#: later does not).
CASH_METHODS = frozenset({"rebate", "pos_rebate", "account_credit", "tax_credit", "assistance_program"})
#: HUD's household-size adjustment of the 4-person area median income limits (HUD income limits methodology:
#: 70 % for one person, 80 % two, 90 % three, 100 % four, then +8 % per person).
HUD_SIZE_FACTOR = {1: 0.70, 2: 0.80, 3: 0.90, 4: 1.00, 5: 1.08, 6: 1.16, 7: 1.24, 8: 1.32}
#: Capacity units of per-unit amounts, per ton of heat pump capacity.
PER_TON = {"ton": 1.0, "btuh10k": 1.2, "kilowatt": 3.51685, "watt": 3516.85}
#: The snapshot's age (days) beyond which every display of incentives warns.
STALE_DAYS = 365


class Household(NamedTuple):
    """Who is buying: where (a ZIP), income [$/year], people, owner or renter, utility name (optional)."""

    zip: str
    income_usd: float | None = None
    size: int | None = None
    owner: bool = True
    utility: str | None = None


class Incentive(NamedTuple):
    """One incentive that applies to the household (or would, given what is missing: ``income_status``)."""

    id: str
    program: str
    authority: str
    authority_type: str  # federal, state, utility, gas_utility, city, county, other
    items: tuple
    type: str  # payment methods, e.g. "rebate" or "tax_credit, rebate"
    amount: dict  # as the data gives it: type, number, unit, minimum, maximum, representative
    amount_usd: float | None  # a fixed amount, where it is one
    income_limit_usd: float | None  # the household's limit, where the incentive has one and it is known
    income_status: str  # "no limit", "qualifies", or what is missing ("give the household's income", ...)
    start_date: str
    end_date: str
    description: str
    url: str
    condition: str = ""  # what the purchase must also be, when it does not say: "also possible if ..."
    caveat: str = ""  # what to know before counting on it (a whole-cost program: audit, income check, co-pay)

    @property
    def applies(self) -> bool:
        return self.income_status in ("no limit", "qualifies")

    @property
    def certain(self) -> bool:
        """It applies to this household and this purchase as described: counted in what comes off the price."""
        return self.applies and not self.condition

    def to_dict(self) -> dict:
        d = self._asdict()
        d["items"] = list(self.items)
        d["amount_text"] = amount_text(self.amount)
        return d


UNIT_NAMES = {"ton": "ton", "btuh10k": "10,000 Btu/h", "kilowatt": "kW", "watt": "W", "square_foot": "sq ft",
              "kilowatt_hour": "kWh", "cfm50": "CFM50"}


def amount_text(amount: dict) -> str:
    """An amount in words: "$2,000", "$500 to $1,750", "$1,125/ton, up to $8,500", "30 % of cost, up to $2,000"."""
    number, kind = float(amount["number"]), amount["type"]
    minimum, maximum = amount.get("minimum"), amount.get("maximum")
    cap = f", up to ${float(maximum):,.0f}" if maximum is not None else ""
    if kind == "dollar_amount":
        return f"${float(minimum):,.0f} to ${number:,.0f}" if minimum is not None and minimum < number \
            else f"${number:,.0f}"
    if kind == "dollars_per_unit":
        unit = UNIT_NAMES.get(amount.get("unit", ""), amount.get("unit", "unit"))
        rate = f"${float(minimum):,.0f}-{number:,.0f}" if minimum is not None and minimum < number \
            else f"${number:,.0f}"
        return f"{rate}/{unit}{cap}"
    if kind == "percent":
        return ("the whole cost" if number >= 1 else f"{number * 100:g} % of cost") + cap
    return f"{number:g} ({kind})"


class Finding(NamedTuple):
    """What `heatcalc incentives` answers: the snapshot, where the household is, and the incentives."""

    snapshot: str
    zip: str
    state: str
    utility: str | None
    other_utilities: tuple  # the ZIP's other electric utilities (or, where the data has none, the state's)
    gas_utility: str | None
    on_date: str
    rows: tuple  # Incentive
    notes: tuple  # str: what was left out and why (ended, paused, excluded by another, ...)
    utility_how: str = ""  # how the electric utility was chosen: given, or from the ZIP (and which others serve it)

    def to_frame(self):
        """The incentives as a pandas DataFrame, one row each (``heatcalc incentives --format csv``'s columns)."""
        from .frames import records_frame

        return records_frame([{**r.to_dict(), "items": " ".join(r.items)} for r in self.rows])


def finding_dict(f: Finding) -> dict:
    """`heatcalc incentives --format json`: the snapshot's date, where, and the rows."""
    return {"snapshot": f.snapshot, "zip": f.zip, "state": f.state, "utility": f.utility, "utility_how": f.utility_how,
            "gas_utility": f.gas_utility, "on_date": f.on_date, "rows": [r.to_dict() for r in f.rows],
            "notes": list(f.notes), "source": _data()["source"]}


class Applied(NamedTuple):
    """Incentives subtracted from one purchase: the total (typical, low, high) and each one used."""

    usd: float
    low_usd: float
    high_usd: float
    used: tuple  # (Incentive, typical, low, high)
    possible: tuple = ()  # (Incentive, typical): offers for this purchase that need what the profile does not say


@lru_cache(maxsize=1)
def _data() -> dict:
    with gzip.open(DATA / "incentives.json.gz", "rt") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def _zctas() -> dict:
    """The ZCTA table's arrays (scripts/build_incentives.py says what each holds), read in a few milliseconds."""
    import numpy as np

    with np.load(DATA / "zcta.npz", allow_pickle=False) as z:
        return {name: z[name] for name in z.files}


def _zcta_row(codes, zcta: str) -> int | None:
    """Where a ZCTA stands in a sorted array of them (None: not there)."""
    import numpy as np

    if not (len(zcta) == 5 and zcta.isdigit()):
        return None
    code = int(zcta)
    i = int(np.searchsorted(codes, code))
    return i if i < codes.size and codes[i] == code else None


def snapshot_date() -> dt.date:
    return dt.date.fromisoformat(_data()["snapshot"])


def snapshot_warning(today: dt.date | None = None) -> str | None:
    """A warning when the snapshot is more than :data:`STALE_DAYS` older than ``today``."""
    today = today or dt.date.today()
    age = (today - snapshot_date()).days
    if age > STALE_DAYS:
        return (f"the incentives data is a snapshot of {snapshot_date().isoformat()}, {age // 30} months old: "
                f"programs change; check each one's page before relying on it")
    return None


@lru_cache(maxsize=4096)
def _date_bound(text: str, end: bool) -> dt.date:
    """A data date ('2023', '2025-12', '2025-12-31') as the first or last day it covers."""
    parts = [int(p) for p in str(text).split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)
    if len(parts) == 2:
        if not end:
            return dt.date(parts[0], parts[1], 1)
        nxt = dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(*parts)


def in_effect(incentive: dict, on: dt.date) -> bool:
    """Whether an incentive's dates hold ``on`` (no start: since always; no end: still open)."""
    start, end = incentive.get("start_date"), incentive.get("end_date")
    return (start is None or _date_bound(start, False) <= on) and (end is None or on <= _date_bound(end, True))


def _geographies_of(zcta: str) -> list:
    """[(geography id, the share of the ZCTA inside it)] in the data's order."""
    t = _zctas()
    i = _zcta_row(t["zcta"], zcta)
    if i is None:
        return []
    a, b = int(t["starts"][i]), int(t["starts"][i + 1])
    return list(zip(t["geography"][a:b].tolist(), t["share"][a:b].tolist()))


def _state_of(zcta: str, geographies: list | None = None) -> str | None:
    """The state of a ZCTA (``geographies``: its :func:`_geographies_of`, when the caller has them)."""
    geos = _data()["geographies"]
    for gid, _ in _geographies_of(zcta) if geographies is None else geographies:
        g = geos.get(str(gid))
        if g and g[0] == "state":
            return g[2]
    return None


def _words(text: str) -> str:
    """A utility's name or key as compared: lower case, punctuation and 'co', 'inc', 'the' left out."""
    import re

    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return " ".join(w for w in words if w not in ("co", "inc", "the", "corp", "company", "of"))


def _pick_utility(state: dict, kind: str, given: str | None, where: str):
    """The key of the household's utility of ``kind`` (``utility`` electric, ``gas_utility``) by its name or key:
    an exact match (case and punctuation aside) first, then the one utility whose name holds every word given.  A
    blank name, or one that fits several utilities, is an error listing them; an unknown one says the closest
    names.  None when not given or, for gas, when none is called so."""
    if given is None:
        return None
    utilities = {k: v for k, v in state["utilities"].items() if v["type"] == kind}
    if not given.strip():
        raise HeatcalcError(f"{where}: is blank; give the utility's name (or leave it out: the ZIP's utility is "
                            "used)")
    wanted = _words(given) or " ".join(given.strip().lower().split())
    exact = sorted(k for k in utilities if wanted in (_words(k), _words(utilities[k]["name"])))
    if len(exact) == 1 or (exact and len({utilities[k]["name"] for k in exact}) == 1):
        return exact[0]
    fits = sorted(k for k in utilities if all(w in _words(utilities[k]["name"]).split() + _words(k).split()
                                              for w in wanted.split()))
    if len(fits) == 1:
        return fits[0]
    if kind != "utility":
        return None
    if fits or len(exact) > 1:
        names = sorted({f"{utilities[k]['name']} ({k})" for k in (exact or fits)})
        raise HeatcalcError(f"{where}: {given!r} fits {len(names)} utilities: {'; '.join(names[:12])}"
                            + (" ..." if len(names) > 12 else "") + "; give one of these names or keys")
    import difflib

    labels = {utilities[k]["name"]: k for k in utilities} | {k: k for k in utilities}
    close = difflib.get_close_matches(given.strip(), list(labels), n=3, cutoff=0.5) or \
        difflib.get_close_matches(wanted, [_words(x) for x in labels], n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else \
        f"; its utilities are: {', '.join(sorted({v['name'] for v in utilities.values()})) or 'none listed'}"
    raise HeatcalcError(f"{where}: no electric utility called {given!r} in the incentives data for this state{hint}")


@lru_cache(maxsize=1)
def _zip_utilities() -> dict:
    with gzip.open(DATA / "utilities.json.gz", "rt") as fh:
        return json.load(fh)


def zip_utilities(zip_code: str, kind: str = "utility") -> list:
    """The utility territories (keys) serving a ZIP, predominant first, as Rewiring America's API finds them (a
    ZIP that is not a ZCTA steps to its parent ZCTA): ``kind`` utility (electric) or gas_utility."""
    table = _zip_utilities()
    code = table["parent"].get(zip_code, zip_code)
    entry = table["zips"].get(code)
    if entry is None:
        return []
    return [(table["keys"][i], bool(p)) for i, p in entry[0 if kind == "utility" else 1]]


def _utility_of_zip(state: dict, zcta: str, kind: str) -> tuple:
    """(key, others, how) of the ZIP's utility of ``kind`` that the state's incentives know: the predominant
    territory first; the others serving the ZIP named."""
    utilities = state["utilities"]  # (the ZIP's few territories looked up: a state knows hundreds of utilities)
    serving = [(k, p) for k, p in zip_utilities(zcta, kind) if k in utilities and utilities[k]["type"] == kind]
    if not serving:
        return None, (), ""
    names = [state["utilities"][k]["name"] for k, _ in serving]
    if len(serving) > 1 and not serving[0][1]:  # several, none predominant: the household must say which
        return None, tuple(names), (f"{zcta} is served by {' or '.join(names)} (none predominant, by Rewiring "
                                    "America's ZIP table): give yours")
    key = serving[0][0]
    others = tuple(names[1:])
    how = (f"{zcta} is served by {names[0]}"
           + (" (the predominant utility there" if serving[0][1] else " (the only utility there")
           + ", by Rewiring America's ZIP table)"
           + (f"; also {', '.join(others)}: if yours is another, give it" if others else ""))
    return key, others, how


def state_utilities(state_code: str) -> list[str]:
    """The electric utilities of a state that the incentives data knows, by name."""
    state = _data()["states"].get(state_code, {"utilities": {}})
    return sorted({v["name"] for v in state["utilities"].values() if v["type"] == "utility"})


def _income_limit(key: str, household: Household, zcta: str, county_fips):
    """(limit in $/year, or None, and why not) of an income rule for this household.  ``county_fips``: the counties
    the ZIP touches (a string, or several): a county table's limit is the lowest over them, its ``other`` row
    covering those it does not list, as Rewiring America's API reads the tables."""
    rule = _data()["thresholds"].get(key)
    if rule is None:
        return None, "its income rule is not in the data"
    if household.size is None and rule["type"] != "filing-status":
        return None, "give the household's size"
    kind, t = rule["type"], rule["thresholds"]
    size = household.size
    monthly = "monthly" in str(rule.get("description", "")).lower()  # given a month: annualised wherever it is
    if kind == "hhsize":
        table = {int(k): float(v) for k, v in t.items()}
        limit = table.get(size, table[max(table)] if size > max(table) else None)
        if limit is not None and monthly:
            limit *= 12.0
    elif kind == "ami-percentage":
        table = _zctas()
        i = _zcta_row(table["ami_zcta"], zcta)
        row = None if i is None else [None if x != x else x for x in table["ami"][i].tolist()]  # NaN: none
        if row is None or row[5] is None:
            return None, "no area median income for this ZIP"
        pct = float(t["percentage"])
        columns = {30: 1, 50: 2, 60: 3, 80: 4, 100: 5, 150: 6}
        four = row[columns[int(pct)]] if int(pct) in columns and pct == int(pct) and row[columns[int(pct)]] \
            else row[5] * pct / 100.0
        factor = HUD_SIZE_FACTOR.get(size, 1.32 + 0.08 * (size - 8))
        limit = math.floor(four * factor / 50.0 + 0.5) * 50.0  # to the nearest $50, halves up, as the API rounds
    elif kind == "county-hhsize":
        fips = [county_fips] if isinstance(county_fips, str) else list(county_fips or ())
        limits = []
        for code in fips:
            table = t.get(code) or t.get("other")
            if table is None:  # the household may live in a county the limits leave out: none applies
                return None, "its income limits do not cover this county"
            by = {int(k): float(v) for k, v in table.items()}
            one = by.get(size, by[max(by)] if size > max(by) else None)
            if one is not None:
                limits.append(one * 12.0 if monthly else one)
        if not limits:
            return None, "its income limits do not cover this county"
        limit = min(limits)
    elif kind == "fpl-percentage":
        fpl = _data()["fpl"]
        state = _state_of(zcta)
        levels = fpl.get(state if state in ("AK", "HI") else "other")
        base = levels["levels_by_hhsize"]
        level = base[size] if size < len(base) else base[-1] + levels["per_additional"] * (size - len(base) + 1)
        limit = level * float(t["percentage"]) / 100.0
    else:
        return None, "it needs the household's tax filing status"
    if limit is None:
        return None, "its income limits do not cover this household size"
    return float(limit), ""


def find(zip_code: str, income_usd: float | None = None, size: int | None = None, owner: bool = True,
         utility: str | None = None, on: dt.date | None = None, items=None, where: str = "--zip",
         include_unlaunched: bool = False, purchase: Purchase | None = None) -> Finding:
    """The incentives for heat pumps (and, unless ``items`` says otherwise, the electrical and weatherization work
    around one) that apply to a household at ``zip_code`` on ``on`` (default today).  In a state Rewiring America
    does not yet serve (:data:`LAUNCHED_STATES`) only federal offers, unless ``include_unlaunched``.

    Place is read as Rewiring America's API reads it, permissively: an offer of any county, city or custom area the
    ZIP overlaps is listed; where the ZIP lies mostly elsewhere it carries ``condition`` "may apply: only in
    <place>" and is not counted.  ``purchase`` says what is bought (:class:`heatcalc.offer_conditions.Purchase`):
    an offer whose description asks for something else (another system replaced, a ground-source unit) is left
    out with a note; one that asks for what the purchase does not say is kept as "also possible if ..."."""
    zcta = zip5(str(zip_code))  # every form the location takes: 02134, 2134 (a lost leading zero), 02134-1234
    if zcta is None:
        raise HeatcalcError(f"{where}: a 5-digit US ZIP code, got {zip_code!r}")
    if income_usd is not None and not (0 <= income_usd < 1e8):
        raise HeatcalcError(f"--income: a yearly household income in dollars, from 0, got {income_usd!r}")
    if size is not None and not (1 <= size <= 20):
        raise HeatcalcError(f"--household-size: the number of people, 1 to 20, got {size!r}")
    on = on or dt.date.today()
    wanted = frozenset(items) if items else frozenset(HEAT_PUMP_ITEMS) | frozenset(RELATED_ITEMS)
    asked = (zcta, bool(owner), utility, on, wanted, where, include_unlaunched, purchase or Purchase())
    place = _offers_at(*asked)
    # The answer depends on the income only through each income-limited offer's verdict (no limit known, no
    # income given, within the limit, over it): one answer per place, household size and verdicts, so a table of
    # households at a ZIP builds each answer once; and each offer's row is made once per place (an income-limited
    # one once per place, size and verdict).  (The answer's objects are shared: nothing changes them.)
    steps = _PLANS.get(asked)
    if steps is None:
        steps = _kept(_PLANS, asked, _plan(place))
    sized = _SIZED.get((asked, size))
    if sized is None:
        sized = _kept(_SIZED, (asked, size), tuple(
            (_income_limit_of_size(step[1][0]["low_income"], size, zcta, place.county_fips), {})
            for step in steps if step[0] == "limited"))
    verdicts = tuple([None if limit is None else income_usd <= limit if income_usd is not None else "no income"
                      for (limit, _), _ in sized])
    hit = _FOUND.get((asked, size, verdicts))
    if hit is None:
        hit = _kept(_FOUND, (asked, size, verdicts), _finding(place, zcta, on, steps, sized, verdicts))
    return hit


_PLANS: dict = {}  # place -> _plan's steps
_SIZED: dict = {}  # (place, size) -> per income-limited offer, ((its limit, why none), its rows by verdict)
_FOUND: dict = {}  # (place, size, verdicts) -> Finding


def _kept(memo: dict, key, value):
    """``value``, kept in ``memo`` under ``key``; a memo grown large is emptied first (incomes and ZIPs over a
    country must not grow it without bound)."""
    if len(memo) >= 20_000:
        memo.clear()
    memo[key] = value
    return value


def _row(entry: tuple, limit: float | None, status: str) -> Incentive:
    """An offer of the place (an entry of :class:`_Place`) as the household's row."""
    x, program_name, authority, authority_type, description, condition, _ = entry
    amount = x["amount"]
    return Incentive(
        x["id"], program_name, authority, authority_type, tuple(x["items"]), ", ".join(x["payment_methods"]),
        dict(amount), float(amount["number"]) if amount["type"] == "dollar_amount" else None, limit, status,
        str(x.get("start_date", "")), str(x.get("end_date", "")), description, x.get("url", ""), condition,
        _caveat(x))


def _plan(place: _Place) -> tuple:
    """The place's entries as :func:`_finding` reads them: ("note", text), ("offer", its row, the note when the
    purchase rules it out), or for an income-limited offer ("limited", the entry, the note)."""
    steps = []
    for entry in place.entries:
        if isinstance(entry, str):
            steps.append(("note", entry))
        elif entry[0].get("low_income"):
            steps.append(("limited", entry, entry[-1]))
        else:
            steps.append(("offer", _row(entry, None, "no limit"), entry[-1]))
    return tuple(steps)


_STATUS = {"no income": "give the household's income", True: "qualifies"}


def _finding(place: _Place, zcta: str, on: dt.date, steps: tuple, sized: tuple, verdicts: tuple) -> Finding:
    """:func:`find`'s answer at a place for a household whose income-limited offers have ``verdicts``: the offers
    that apply, then those the purchase rules out (in the data's order, so the notes read as the offers do)."""
    notes = list(place.notes)
    candidates = []
    k = 0
    for step in steps:
        kind = step[0]
        if kind == "note":
            notes.append(step[1])
            continue
        if kind == "limited":
            verdict = verdicts[k]
            (limit, why), rows = sized[k]
            k += 1
            if verdict is False:
                continue  # over the limit: it does not apply
            incentive = rows.get(verdict)
            if incentive is None:
                incentive = rows[verdict] = _row(step[1], limit, why if verdict is None else _STATUS[verdict])
        else:
            incentive = step[1]
        if step[-1]:
            notes.append(step[-1])
            continue
        candidates.append(incentive)
    state = place.state
    if place.state_code == "MA":
        candidates = _mass_save_rule(candidates, place.authority_of, notes)
    rows = _stack(candidates, state, notes)
    utilities = state["utilities"]
    electric, gas = place.electric, place.gas
    return Finding(_data()["snapshot"], zcta, place.state_code, utilities[electric]["name"] if electric else None,
                   place.others, utilities[gas]["name"] if gas else None, on.isoformat(), tuple(rows), tuple(notes),
                   place.how)


class _Place(NamedTuple):
    """What :func:`find` answers the same for every household at a ZIP (its utilities, the offers whose place,
    dates and purchase fit, the notes of those left out), before income limits and stacking."""

    state_code: str
    state: dict
    electric: str | None
    others: tuple
    gas: str | None
    how: str
    county_fips: tuple
    notes: tuple  # what is left out whoever the household is
    entries: tuple  # in the data's order: a note (str), or (offer, program, authority, its type, description,
    #                 condition, the note when the purchase rules it out); before the purchase is judged
    #                 (_offers_near), (offer, program, authority, its type, description, the places it is only in)
    authority_of: dict  # offer id -> its authority's key


@lru_cache(maxsize=4096)
def _offers_at(zcta: str, owner: bool, utility: str | None, on: dt.date, wanted: frozenset, where: str,
               include_unlaunched: bool, purchase: Purchase) -> _Place:
    """The part of :func:`find` that does not depend on income or household size, once per ZIP, utility, date and
    purchase: a table of a thousand homes in one ZIP reads its places and offers once.  The offers' descriptions
    are judged against the purchase here; the rest (:func:`_offers_near`) is shared by every purchase at the ZIP
    (a table's homes there replace different fuels)."""
    near = _offers_near(zcta, owner, utility, on, wanted, where, include_unlaunched)
    entries = []
    for entry in near.entries:
        if isinstance(entry, str):
            entries.append(entry)
            continue
        x, program, authority, authority_type, description, only_in = entry
        verdict, needs = judge(conditions(x.get("description", ""), x["program"], tuple(x["items"])), purchase)
        excluded = (f"{x['id']} ({program}): not for this purchase: it is for when {'; '.join(needs)}"
                    if verdict == "excluded" else "")
        condition = "; ".join(filter(None, [f"may apply: only in {only_in}" if only_in else "",
                                            f"also possible if {'; '.join(needs)}" if verdict == "possible" else ""]))
        entries.append((x, program, authority, authority_type, description, condition, excluded))
    return near._replace(entries=tuple(entries))


@lru_cache(maxsize=2048)
def _offers_near(zcta: str, owner: bool, utility: str | None, on: dt.date, wanted: frozenset, where: str,
                 include_unlaunched: bool) -> _Place:
    """:func:`_offers_at` before the purchase: the ZIP's utilities and the offers whose place and dates fit, each
    entry (offer, program, authority, its type, description, the places it is only in) or a note."""
    geos = _geographies_of(zcta)
    state_code = _state_of(zcta, geos)
    if not geos or state_code is None:
        raise HeatcalcError(f"{where}: ZIP {zcta} is not in the incentives data (ZIP code tabulation areas of "
                            f"2020; a PO box or a new ZIP has none): give the ZIP of the home's street address")
    data = _data()
    state = data["states"].get(state_code, {"incentives": [], "programs": {}, "authorities": {}, "utilities": {},
                                            "exclusions": {}, "prerequisites": {}, "combinations": []})
    info = data["geographies"]
    option = "--utility" if where == "--zip" else "household.utility"
    electric = _pick_utility(state, "utility", utility, option)
    gas = _pick_utility(state, "gas_utility", utility, option) if utility is not None else None
    how = f"given ({option})" if electric else ""
    others: tuple = ()
    if utility is None:
        electric, others, how = _utility_of_zip(state, zcta, "utility")
        gas = _utility_of_zip(state, zcta, "gas_utility")[0]
    notes = []
    if not electric:
        why = how or f"the data names no utility for {zcta}"
        others = others or tuple(state_utilities(state_code))
        notes.append(f"utility programs are not included ({why}): give the household's electric utility "
                     f"({'--utility NAME' if where == '--zip' else 'household.utility'})")
    counties = sorted(((share, gid) for gid, share in geos if info.get(str(gid), [""])[0] == "county"), reverse=True)
    county_fips = tuple(dict.fromkeys(info[str(gid)][3] for _, gid in counties))  # every county the ZIP touches
    # the places the home is in (its state, its utilities' territories, the county and the custom areas holding most
    # of the ZIP), and those the ZIP only touches (an offer there "may apply: only in" them)
    home_geos = {gid for gid, share in geos if info.get(str(gid), [""])[0] == "state"}
    home_geos |= {counties[0][1]} if counties else set()
    home_geos |= {gid for gid, share in geos if info.get(str(gid), [""])[0] == "custom" and share >= 0.5}
    for key in (electric, gas):
        if key:
            home_geos |= set(state["utilities"][key]["geographies"])
    touched = {gid: info[str(gid)][1] for gid, share in geos
               if info.get(str(gid), [""])[0] in ("county", "custom") and gid not in home_geos}
    near = home_geos | set(touched)
    authority_of: dict = {}
    entries: list = []
    served = state_code in LAUNCHED_STATES
    if not served and not include_unlaunched and state["incentives"]:
        notes.append(f"{state_code}'s state and utility offers are left out: Rewiring America does not yet serve "
                     f"{state_code} (its data there is in development; --include-unlaunched shows them, marked)")
    for o in _state_offers(state_code, served or include_unlaunched):
        x = o.offer
        if not o.items & wanted or ("homeowner" if owner else "renter") not in o.owner_status:
            continue
        if o.scope == "federal":
            if state_code == "MA" and o.audit_only:
                # as Rewiring America's API rules: Massachusetts households get their assessment free (Mass Save)
                entries.append(f"{x['id']} ({o.program}): not in Massachusetts, where Mass Save's home energy "
                               "assessment is free")
                continue
        else:
            if o.authority_geos is None or not o.authority_geos & near:
                continue
            authority_of[x["id"]] = o.authority_key
        places = [] if o.scope == "federal" or o.authority_geos & home_geos else \
            [touched[g] for g in o.authority_geos & set(touched)]
        if o.group is not None:
            if not o.group & near:
                continue
            if not o.group & home_geos:
                places += [touched[g] for g in o.group & set(touched)]
        if not in_effect(x, on):
            entries.append(f"{x['id']} ({o.program}): not in effect on {on.isoformat()} "
                           f"({x.get('start_date', '…')} to {x.get('end_date', '…')})")
            continue
        if x.get("paused"):
            entries.append(f"{x['id']} ({o.program}): paused")
            continue
        description = ("[not yet served by Rewiring America] " if o.scope != "federal" and not served else "") \
            + x.get("description", "")
        entries.append((x, o.program, o.authority, o.authority_type, description, ", ".join(sorted(set(places)))))
    return _Place(state_code, state, electric, others, gas, how, county_fips, tuple(notes), tuple(entries),
                  authority_of)


class _Offer(NamedTuple):
    """One offer of the data, read once: what :func:`_offers_at` checks of it for every ZIP."""

    offer: dict
    scope: str  # "federal" or the state's code
    items: frozenset
    owner_status: tuple
    program: str  # the program's name
    authority: str
    authority_type: str
    authority_key: str | None
    authority_geos: frozenset | None  # None: the data has no program or authority for it (never offered)
    group: frozenset | None  # the geographies of its eligible_geo_group, when it has one
    audit_only: bool  # an energy assessment alone (not in Massachusetts, where Mass Save's is free)


@lru_cache(maxsize=128)
def _state_offers(state_code: str, local: bool) -> tuple:
    """The federal offers, then (with ``local``) the state's, each read once (:class:`_Offer`)."""
    data = _data()
    state = data["states"].get(state_code, {"incentives": [], "programs": {}, "authorities": {}})
    out = []
    for x, scope in [(x, "federal") for x in data["federal"]] + [(x, state_code) for x in
                                                                  (state["incentives"] if local else [])]:
        key = geos = None
        if scope == "federal":
            authority, authority_type, program_name = "Federal government", "federal", x["program"]
        else:
            program = state["programs"].get(x["program"])
            a = state["authorities"].get(program["authority"]) if program is not None else None
            if a is None:
                authority, authority_type, program_name = "", "", x["program"]
            else:
                authority, authority_type, program_name = a["name"], a["type"], program["name"]
                key, geos = program["authority"], frozenset(a["geographies"])
        group = x.get("eligible_geo_group")
        members = frozenset(data["geo_groups"].get(f"{state_code}/{group}", [])) if group else None
        out.append(_Offer(x, scope, frozenset(x["items"]), tuple(x.get("owner_status", ["homeowner", "renter"])),
                          program_name, authority, authority_type, key, geos, members,
                          list(x["items"]) == ["energy_audit"]))
    return tuple(out)


@lru_cache(maxsize=65536)
def _income_limit_of_size(key: str, size: int | None, zcta: str, county_fips) -> tuple:
    """:func:`_income_limit` for a household of ``size`` (all it reads of the household), once per rule, size and
    place."""
    return _income_limit(key, Household(zcta, None, size, True, None), zcta, county_fips)


WHOLE_COST_CAVEAT = ("covers the whole cost for those who qualify: an energy assessment usually comes first, income "
                     "is verified, and a co-pay or a waiting list is possible")


def _caveat(x: dict) -> str:
    """What to know before counting on an offer: a program that pays the whole cost works through an assessment,
    an income check and the program's funding."""
    amount = x["amount"]
    if amount["type"] == "percent" and float(amount["number"]) >= 1 and "assistance_program" in x["payment_methods"]:
        return WHOLE_COST_CAVEAT
    return ""


#: Massachusetts' rule, as Rewiring America's API applies it (src/lib/mass-save.ts at the snapshot's commit): an offer
#: of a municipal light plant (or other non-Mass Save utility) is not for a household whose Mass Save offers cover
#: all its items, except from the plants that let customers take both.
MASS_SAVE = "ma-massSave"
MASS_SAVE_UTILITIES = frozenset({"ma-eversource", "ma-fitchburg-gas-and-electric-light", "ma-national-grid",
                                 "ma-berkshire-gas-co", "ma-fitchburg-gas-and-elec-lt-co", "ma-liberty-utilities-ma",
                                 "ma-national-grid-gas", "ma-nstar-gas-company"})
MASS_SAVE_EXCEPTIONS = frozenset({"ma-braintree-electric-light-department", "ma-town-of-littleton",
                                  "ma-town-of-mansfield", "ma-town-of-wellesley", "ma-west-boylston-mlp"})


def _mass_save_rule(candidates: list, authority_of: dict, notes: list) -> list:
    covered = {item for c in candidates if c.applies and authority_of.get(c.id) == MASS_SAVE for item in c.items}
    out = []
    for c in candidates:
        key = authority_of.get(c.id)
        local = key is not None and key != MASS_SAVE and key not in MASS_SAVE_UTILITIES \
            and key not in MASS_SAVE_EXCEPTIONS and c.authority_type in ("utility", "gas_utility", "other")
        if local and c.applies and set(c.items) <= covered:
            notes.append(f"{c.id} ({c.program}): not with Mass Save's offers for the same items (the municipal "
                         f"utility's rule)")
            continue
        out.append(c)
    return out


def _stack(candidates: list, state: dict, notes: list) -> list:
    """The data's stacking rules over the incentives that apply: exclusions, then prerequisites."""
    applying = {c.id for c in candidates if c.applies}
    removed: dict = {}
    for key in sorted(state["exclusions"]):
        if key in applying and key not in removed:
            for other in state["exclusions"][key]:
                if other in applying and other != key:
                    removed.setdefault(other, key)
    for other, by in removed.items():
        notes.append(f"{other}: not with {by} (the program's stacking rule)")
    kept = [c for c in candidates if c.id not in removed]
    present = {c.id for c in kept if c.applies}
    out = []
    for c in kept:
        need = state["prerequisites"].get(c.id, {}).get("allOf", [])
        missing = [n for n in need if n not in present]
        if missing and c.applies:
            notes.append(f"{c.id}: needs {', '.join(missing)} too, which does not apply here")
            continue
        out.append(c)
    return out


def value_usd(incentive: Incentive, cost_usd: float, tons: float | None,
              quantities: dict | None = None) -> tuple[float, float] | None:
    """(typical, low) dollars of one incentive on a purchase costing ``cost_usd`` of ``tons`` nameplate (or, for a
    purchase not sized in tons, of ``quantities``: unit → how many, e.g. a solar array's ``{"kilowatt": 6.0,
    "watt": 6000.0}``); None when its amount is per a unit the purchase has no measure of (square feet, kWh)."""
    a = incentive.amount
    number, kind = float(a["number"]), a["type"]
    minimum, maximum = a.get("minimum"), a.get("maximum")
    if kind == "dollar_amount":
        high = number
        low = float(minimum) if minimum is not None and minimum < number else number
    elif kind == "dollars_per_unit":
        if quantities is not None:
            quantity = quantities.get(a.get("unit", ""))
        else:
            per_ton = PER_TON.get(a.get("unit", ""))
            quantity = None if per_ton is None or tons is None else per_ton * tons
        if quantity is None:
            return None
        high = number * quantity
        low = (float(minimum) * quantity) if minimum is not None and minimum < number else high
        if maximum is not None:
            high, low = min(high, float(maximum)), min(low, float(maximum))
    elif kind == "percent":
        high = low = number * cost_usd
        if maximum is not None:
            high, low = min(high, float(maximum)), min(low, float(maximum))
    else:
        return None
    return min(high, cost_usd), min(low, cost_usd)


@lru_cache(maxsize=256)
def _pays_cash(types: str) -> bool:
    """Whether an offer of these types (its ``type``: comma-separated) lowers what the household pays."""
    return bool(set(types.split(", ")) & CASH_METHODS)


def apply(finding: Finding, item: str, cost_usd: float, tons: float | None, state_combinations=None,
          quantities: dict | None = None) -> Applied:
    """The incentives of ``finding`` that lower the cost of one purchase (``item``: ducted_heat_pump,
    ductless_heat_pump or geothermal_heating_installation): one offer per program (the largest; the smallest is
    the low end), the data's combined caps, never more than the cost."""
    by_program: dict = {}
    possible = []
    for inc in finding.rows:
        if item not in inc.items or not inc.applies or not _pays_cash(inc.type):
            continue
        v = value_usd(inc, cost_usd, tons, quantities)
        if v is None:
            continue
        if inc.condition:  # needs what the purchase does not say: listed, not counted
            possible.append((inc, min(v[0], cost_usd)))
            continue
        by_program.setdefault((inc.authority, inc.program), []).append((inc, v[0], v[1]))
    used = []
    for offers in by_program.values():
        best = max(offers, key=lambda o: (o[1], o[0].id))
        low = min(o[2] for o in offers)
        used.append((best[0], best[1], low, best[1]))
    whole = [u for u in used if u[0].caveat == WHOLE_COST_CAVEAT and u[1] >= cost_usd - 0.005]
    if whole:  # a program that pays the whole cost is the household's route: not stacked with rebates
        used = [max(whole, key=lambda u: u[0].id)]
    combos = state_combinations if state_combinations is not None else \
        _data()["states"].get(finding.state, {}).get("combinations", [])
    for combo in combos:
        members = [i for i, u in enumerate(used) if u[0].id in combo["ids"]]
        total = sum(used[i][1] for i in members)
        if total > combo["max_value"] > 0:
            scale = combo["max_value"] / total
            for i in members:
                inc, typ, low, high = used[i]
                used[i] = (inc, typ * scale, min(low, typ * scale), high * scale)
    used = _within_cost(used, cost_usd)
    return Applied(sum(u[1] for u in used), sum(u[2] for u in used), sum(u[3] for u in used), tuple(used),
                   tuple(possible))


def _within_cost(used: list, cost_usd: float) -> list:
    """The offers as a household gets them when together they pass the price: fixed amounts first (rebates and
    credits of so many dollars), then the shares of the cost (a percentage, or a program that pays "the whole cost"),
    which cover what is left; each capped at what remains, so the listed amounts add up to what comes off and never
    pass the cost.  Offers left with nothing are dropped."""
    order = sorted(range(len(used)), key=lambda i: (used[i][0].amount.get("type") == "percent", i))
    left = [cost_usd, cost_usd, cost_usd]  # typical, low, high
    out = {}
    for i in order:
        inc, *amounts = used[i]
        taken = [min(a, rest) for a, rest in zip(amounts, left)]
        left = [rest - t for rest, t in zip(left, taken)]
        if taken[0] > 0 or taken[2] > 0:
            out[i] = (inc, *taken)
    return [out[i] for i in sorted(out)]
