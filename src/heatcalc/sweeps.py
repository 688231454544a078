"""What-ifs: the annual cost of each system as one or two profile fields vary, and where the heat pump and the
furnace cost the same."""

from __future__ import annotations

import difflib
import itertools
import math
from typing import TYPE_CHECKING, NamedTuple

from .errors import Problem, ProfileError
from . import units as u
from .profile import SCHEMA, Leaf, Section, copy_data, parse_field_value, set_field

if TYPE_CHECKING:
    from .results import Comparison

MAX_POINTS = 10_000


class Vary(NamedTuple):
    field: str
    values: tuple[float, ...]
    unit: str  # appended to each value ("" for the field's default unit)


class SweepPoint(NamedTuple):
    values: tuple[float, ...]  # one per Vary
    comparison: Comparison


class Breakeven(NamedTuple):
    """Where the heat pump and the furnace cost the same along the first varied field."""

    values: tuple[float, ...]  # the crossing on the first field; the others as in the series
    total_cost_usd: float  # the year's cost of either there (heating, and cooling and fixed charges if any)


def _leaf(path: str) -> Leaf:
    node = SCHEMA
    parts = path.split(".")
    for i, part in enumerate(parts):
        fields = node.fields if isinstance(node, Section) else {}
        if part not in fields:
            where = ".".join(parts[:i]) or "the profile"
            close = difflib.get_close_matches(part, list(fields), n=1)
            hint = f"; did you mean '{'.'.join(parts[:i] + [close[0]])}'?" if close else ""
            raise ProfileError("--vary", [Problem(path, f"{where} has no field '{part}'{hint}")])
        node = fields[part]
    if not isinstance(node, Leaf) or node.kind not in ("quantity", "number", "angle"):
        raise ProfileError("--vary", [Problem(path, "is not a numeric field; --vary takes fields such as "
                                                    "prices.electricity or systems.furnace.afue")])
    return node


def parse_vary(text: str) -> Vary:
    """``FIELD=START:STOP:STEP[ UNIT]`` (STOP included) or ``FIELD=A,B,C`` (each value may carry a unit, the same
    for all: ``prices.electricity=18 c/kWh,20 c/kWh``).  Every value is checked against the field's bounds, and the
    count against :data:`MAX_POINTS`, before anything runs."""
    field, sep, spec = text.partition("=")
    field = field.strip()
    if not sep or not field or not spec.strip():
        raise ProfileError("--vary", [Problem("", f"expected FIELD=START:STOP:STEP or FIELD=A,B,C (got {text!r})")])
    _leaf(field)
    spec = spec.strip()
    if ":" in spec:
        numbers, _, unit = spec.partition(" ")
        values = _range_values(field, numbers)
    else:
        values, unit = _list_values(field, spec)
    unit = unit.strip()
    problems = []
    for value in values:
        try:
            parse_field_value(field, f"{value:g} {unit}".strip(), "--vary", label=field)
        except ProfileError as exc:
            problems.extend(p._replace(message=f"{p.message} (in --vary {field})") for p in exc.problems)
            break
    if problems:
        raise ProfileError("--vary", problems)
    return Vary(field, values, unit)


def _range_values(field: str, numbers: str) -> tuple[float, ...]:
    try:
        parts = [float(x) for x in numbers.split(":")]
    except ValueError:
        parts = []
    if len(parts) != 3 or not all(math.isfinite(x) for x in parts):
        raise ProfileError("--vary", [Problem(field, f"cannot read the range {numbers!r}; write START:STOP:STEP "
                                                     "with finite numbers, e.g. 0.08:0.40:0.02")])
    start, stop, step = parts
    if step <= 0 or stop < start:
        raise ProfileError("--vary", [Problem(field, "needs START <= STOP and a positive STEP")])
    span = (stop - start) / step  # may overflow to inf for absurd ranges: caught by the cap below
    if not math.isfinite(span) or span + 1 > MAX_POINTS:
        raise ProfileError("--vary", [Problem(field, f"the range has more than {MAX_POINTS:,} values; use a "
                                                     "larger step")])
    count = int(math.floor(span + 1e-9)) + 1
    return tuple(round(start + i * step, 12) for i in range(count))


def _list_values(field: str, spec: str) -> tuple[tuple[float, ...], str]:
    items = [item.strip() for item in spec.split(",")]
    if len(items) > MAX_POINTS:
        raise ProfileError("--vary", [Problem(field, f"more than {MAX_POINTS:,} values")])
    values, units = [], set()
    for item in items:
        try:
            number, unit = u.split_quantity(item)
        except u.UnitError:
            raise ProfileError("--vary", [Problem(field, f"cannot read the value {item!r}; write A,B,C with numbers, "
                                                         "each with the same unit or none")]) from None
        values.append(number)
        units.add(u.display_unit(unit) if unit else "")
    if len(units) > 1:
        raise ProfileError("--vary", [Problem(field, f"the values carry different units ({', '.join(sorted(units))}); "
                                                     "give them all the same unit")])
    return tuple(values), units.pop()


def check_grid(varies: list[Vary]) -> None:
    """Refuse a grid larger than :data:`MAX_POINTS` before any of it runs."""
    total = math.prod(len(v.values) for v in varies)
    if total > MAX_POINTS:
        raise ProfileError("--vary", [Problem("", f"{total:,} points is more than {MAX_POINTS:,}; use coarser steps")])


def run_sweep(data: dict, source: str, varies: list[Vary], base_dir=None, lines=None,
              price_overrides: dict | None = None) -> list[SweepPoint]:
    """Run the profile at every combination of the varied values (the first field varies fastest)."""
    from .home import build_home
    from .profile import validate
    from .simulate import compare_home

    check_grid(varies)
    points, problems = [], []
    overrides = dict(price_overrides or {})
    for combo in itertools.product(*[v.values for v in reversed(varies)]):
        combo = tuple(reversed(combo))
        trial = copy_data(data)
        point_overrides = dict(overrides)
        for vary, value in zip(varies, combo):
            text = f"{value:g} {vary.unit}".strip()
            set_field(trial, vary.field, text)
            key = vary.field.split(".")
            if key[0] == "prices" and len(key) == 2:
                point_overrides.pop(key[1], None)  # the swept value wins over a --*-price flag
        try:
            spec = validate(trial, source, lines, base_dir=base_dir)
            points.append(SweepPoint(combo, compare_home(build_home(spec, point_overrides))))
        except ProfileError as exc:
            label = ", ".join(f"{v.field}={x:g}" for v, x in zip(varies, combo))
            problems.extend(p._replace(message=f"{p.message} (at {label})") for p in exc.problems)
            if len(problems) > 20:
                break
    if problems:
        raise ProfileError(source, problems)
    return points


def breakevens(points: list[SweepPoint], n_first: int) -> list[Breakeven]:
    """Crossings of heat pump and furnace cost along each series of the first field (linear interpolation)."""
    found = []
    for start in range(0, len(points), n_first):
        series = points[start:start + n_first]
        diffs = []
        for p in series:
            hp, furnace = p.comparison.result("heat_pump"), p.comparison.result("furnace")
            if hp is None or furnace is None:
                return []
            diffs.append((p.values, hp.total_cost_usd - furnace.total_cost_usd, hp.total_cost_usd,
                          furnace.total_cost_usd))
        for (v0, d0, h0, _), (v1, d1, h1, _) in zip(diffs, diffs[1:]):
            if d0 == 0:
                found.append(Breakeven(v0, h0))
            elif d0 * d1 < 0:
                t = d0 / (d0 - d1)
                x = v0[0] + t * (v1[0] - v0[0])
                found.append(Breakeven((x,) + tuple(v0[1:]), h0 + t * (h1 - h0)))
        if diffs and diffs[-1][1] == 0:
            found.append(Breakeven(diffs[-1][0], diffs[-1][2]))
    return found
