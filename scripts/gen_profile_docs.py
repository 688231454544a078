"""Write docs/profile.md, the profile reference, from the schema in heatcalc.profile.

    python scripts/gen_profile_docs.py          # rewrite docs/profile.md
A test checks that the committed file matches, so the reference never drifts from the validator.
"""

from pathlib import Path

from heatcalc import units as u
from heatcalc.profile import (
    MAX_DEPTH, MAX_NODES, MAX_PROFILE_BYTES, PERIOD_FIELDS, POINT_FIELDS, SCHEMA, Leaf, Section,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "profile.md"

INTRO = """\
# Profile reference

A profile is a YAML file describing one home. `heatcalc init` writes a commented starter; `heatcalc schema` prints a
JSON Schema that editors (e.g. VS Code with the YAML extension) use to complete and check profiles; `heatcalc check`
validates without running the model. This page is generated from the validator (`scripts/gen_profile_docs.py`).

**Quantities** are a number and a unit in one string (`"780 therm"`, `"36000 Btu/h"`, `"-5 F"`), or a plain number in
the field's default unit. Unknown keys are errors with a suggestion; every default used is listed by
`heatcalc compare --explain` and in the JSON output's `assumptions`.

**Reuse with YAML anchors.** Top-level keys that start with `x-` are ignored, so they can hold anchors that other
sections merge in with YAML's merge key; keys written next to the merge win:

```yaml
x-cold-climate-unit: &cc {hspf2: 9.5, compressor: variable_speed, cutoff: -15 F}
systems:
  heat_pump:
    <<: *cc
    hspf2: 10          # wins over the anchor's 9.5
```

**Limits** (a larger or deeper input is refused with a message, never read on): a profile is at most
{max_bytes:,} bytes, nests at most {max_depth} levels and expands (YAML aliases included) to at most {max_nodes:,}
values. Every number has the bounds in the table below; anything outside them, or not finite, is refused with the
field named.

| path | kind | default unit / values | range | default [its source] | meaning |
|---|---|---|---|---|---|
"""


def _kind(leaf: Leaf) -> tuple[str, str]:
    if leaf.kind == "enum":
        return "choice", " \\| ".join(leaf.choices)
    if leaf.kind in ("string", "number"):
        return leaf.kind, ""
    if leaf.kind == "points":
        return "list", "see below"
    if leaf.kind in ("periods", "tests", "rows"):
        return "list", "see below"
    if leaf.kind == "date":
        return "date", "2024-01-03"
    if leaf.kind == "stages":
        return "number or {full, low}", ""
    if leaf.kind == "retention":
        return "share or quantity", "a share of the 47 F capacity, or **Btu/h**"
    if leaf.kind == "bool":
        return "true/false", ""
    if leaf.kind == "angle":
        return "number", "degrees (plain, or with deg)"
    kind = leaf.unit({}) if callable(leaf.unit) else leaf.unit
    if callable(leaf.unit):
        return "quantity", "therm, ccf, Mcf, m3 (gas); gal (propane, oil); kWh, MWh (electricity); MMBtu"
    units = kind.accepted()
    words = "; or " + " \\| ".join(leaf.choices) if leaf.choices else ""
    return ("per month/year" if leaf.kind == "per_time" else "quantity"), \
        f"**{u.display_unit(kind.default)}**; also {units}{words}"


def _range(leaf: Leaf) -> str:
    kind = leaf.unit if isinstance(leaf.unit, u.UnitKind) else None
    scale = kind.table[kind.default] if kind and not callable(kind.table[kind.default]) else 1.0
    suffix = ""
    if callable(leaf.unit):  # a fuel amount whose unit follows the fuel: bounds in MMBtu of fuel
        scale, suffix = 1e6, " MMBtu"
    lo = leaf.minimum if leaf.minimum is not None else leaf.above
    parts = []
    if lo is not None:
        parts.append(("≥ " if leaf.minimum is not None else "> ") + f"{lo / scale:g}")
    if leaf.maximum is not None:
        parts.append(f"≤ {leaf.maximum / scale:,.6g}{suffix}")
    return ", ".join(parts)


def rows(section: Section, prefix: str = ""):
    for key, spec in section.fields.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(spec, Section):
            extra = " May be `false` to leave the system out." if spec.can_be_false else ""
            yield f"| `{path}` | section | | | | {spec.doc}{extra} |"
            yield from rows(spec, path)
        else:
            yield _row(f"`{path}`", spec)


def _row(name: str, spec: Leaf) -> str:
    kind, units = _kind(spec)
    return f"| {name} | {kind} | {units} | {_range(spec)} | {spec.default_text()} | {spec.doc} |"


def generate() -> str:
    intro = INTRO.replace("{max_bytes:,}", f"{MAX_PROFILE_BYTES:,}").replace("{max_depth}", str(MAX_DEPTH)) \
        .replace("{max_nodes:,}", f"{MAX_NODES:,}")
    lines = [intro.rstrip("\n")]
    lines += list(rows(SCHEMA))
    header = ["| key | kind | default unit / values | range | default | meaning |", "|---|---|---|---|---|---|"]
    lines += ["", "## Performance points (`systems.heat_pump.performance`)", ""] + header
    lines += [_row(f"`{key}`", spec) for key, spec in POINT_FIELDS.items()]
    lines += ["", "## Time-of-use periods (`tariff.electricity`)", "",
              "Periods are tried in order; the first whose months, hours and days include an hour sets its price. "
              "The last period must have only a price. Weekdays follow calendar 2023 (1 January a Sunday).", ""]
    lines += header + [_row(f"`{key}`", spec) for key, spec in PERIOD_FIELDS.items()]
    tests = SCHEMA.fields["systems"].fields["heat_pump"].fields["tests"].fields["tests"]
    lines += ["", "## Rating tests (`systems.heat_pump.tests.tests`, and `heatcalc rating --tests`)", "",
              "The same block, without `systems.heat_pump.tests:` around it, is what `heatcalc rating --tests "
              "UNIT.yaml` reads.", ""]
    lines += header + [_row(f"`{key}`", spec) for key, spec in tests.items._declarations.items()]
    bills = SCHEMA.fields["heating_load"].fields["from_bills"].fields
    for key, title in (("periods", "Dated bills (`heating_load.from_bills.periods`)"),
                       ("deliveries", "Deliveries (`heating_load.from_bills.deliveries`)")):
        lines += ["", f"## {title}", "", bills[key].doc, ""]
        lines += header + [_row(f"`{k}`", spec) for k, spec in bills[key].items._declarations.items()]
    lines += ["", "## Output columns", "",
              "See README.md (*What comes out*) for the CSV columns and JSON layout.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    OUT.write_text(generate())
    print(f"wrote {OUT}")
