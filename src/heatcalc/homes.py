"""One home at a time: what a home to compute is (a profile file, YAML text, a row of a homes table), what comes
back for it, and the per-home route that validates, builds and computes a block of them.

Below both :mod:`heatcalc.batch` (which reads inputs and runs blocks in parallel) and :mod:`heatcalc.columnar`
(which sends the rows its arrays cannot take here), so neither imports the other's callers.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import NamedTuple

from .errors import Problem, ProfileError
from .fileio import has_undecodable

BLOCK = 256  # profiles per unit of work: big enough to share stations, small enough to stream

MAX_CSV_FIELD = 100_000

class HomeInput(NamedTuple):
    """One home to compute: a profile file, YAML text, or a row of a homes table."""

    home: str  # what the output calls it: the file path or the row number
    kind: str  # "file" | "yaml" | "row" | "error"
    payload: Path | bytes | tuple[dict, dict] | Problem  # by kind: file, yaml, row (cells, defaults), error
    source: str  # for messages: the file, or "homes.csv"
    line: int | None = None
    profile_name: str | None = None  # a table row's profile, when the row has no name: "row 12"


class Outcome(NamedTuple):
    home: str
    rows: list | None  # output rows (dicts) when the home ran
    problems: list | None  # [Problem] when it failed
    source: str
    warnings: tuple = ()  # what the home's inputs warn of (a poor bills fit, a heat pump too small to cool)

def read_defaults(path: str | None) -> dict:
    """The --defaults profile as plain data (validated later, merged into every row)."""
    if not path:
        return {}
    from .profile import MAX_PROFILE_BYTES, absolute_files, read_yaml

    from .fileio import read_limited

    raw = read_limited(path, MAX_PROFILE_BYTES, "defaults profile")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileError(path, [Problem("", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8")]) from None
    data, _ = read_yaml(text, path)
    if not isinstance(data, dict):
        raise ProfileError(path, [Problem("", "the defaults profile must be a mapping of sections")])
    # the files it names are relative to its own folder, not to the table's
    return absolute_files(data, Path(path).resolve().parent)

def check_table_header(header: list[str], source: str) -> list[str]:
    """The column names of a homes table, or :class:`ProfileError` (exit 2) listing every problem of the header:
    a column without a name, one that is not a profile field, the same field twice, or a section together with one
    of its own fields (``heating_load`` and ``heating_load.annual``) -- a row could not say which one wins."""
    from .profile import Leaf, field_spec, suggest

    names = [h.strip() for h in header]
    problems = []
    if any(has_undecodable(n) for n in names):
        raise ProfileError(source, [Problem("", "the header is not UTF-8 text; save the table as UTF-8 (with or "
                                                "without a BOM)", 1)])
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        if not name:
            problems.append(Problem("", f"column {i} has no name; name it (a dotted profile field) or delete it", 1))
            continue
        if name in seen:
            problems.append(Problem(name, f"is column {seen[name]} and column {i}; keep one", 1))
            continue
        seen[name] = i
        if name == "home":
            continue
        spec = field_spec(name)
        if spec is None:
            parent, _, last = name.rpartition(".")
            known = getattr(field_spec(parent), "fields", None) if parent else None
            hint = suggest(last, known) if known else "; columns are dotted profile fields such as location.zip"
            problems.append(Problem(name, "is not a profile field" + hint, 1))
        elif not isinstance(spec, Leaf) and not spec.can_be_false:
            problems.append(Problem(name, "is a section; give its fields as columns (e.g. "
                                          f"{name}.{next(iter(spec.fields))})", 1))
    for name in seen:
        for other in seen:
            if other.startswith(name + "."):
                problems.append(Problem(other, f"is inside column {name}; give one or the other", 1))
    if problems:
        raise ProfileError(source, problems)
    return names

def row_to_profile(cells: dict, defaults: dict) -> dict:
    """Nest dotted columns (``systems.furnace.afue``) into profile data over a deep copy of the defaults."""
    from .profile import copy_data, replaced_defaults, set_field

    data = copy_data(defaults)
    if defaults:  # a row's choice in a one-of group (heating_load.annual) replaces the defaults' (from_bills)
        given = [k for k, raw in cells.items() if k and not _is_blank(raw)]
        for field in replaced_defaults(given, _leaves(data)):
            _remove(data, field)
    for key, raw in cells.items():
        if not key or raw is None:
            continue
        if isinstance(raw, str):
            text = raw.strip()
            if text:
                set_field(data, key, _cell_value(text))
        elif not (isinstance(raw, float) and math.isnan(raw)):  # a typed Parquet value; null and NaN are empty
            set_field(data, key, raw.item() if hasattr(raw, "item") else raw)
    return data

def _is_blank(raw) -> bool:
    """An empty cell: blank text, None, or a Parquet null (NaN)."""
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, float) and math.isnan(raw))


def _leaves(data: dict, prefix: str = "") -> list:
    out = []
    for key, value in data.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        out.extend(_leaves(value, path) if isinstance(value, dict) and value else [path])
    return out


def _remove(data: dict, field: str) -> None:
    """Delete a dotted field from plain data, and the sections it leaves empty."""
    *parents, last = field.split(".")
    nodes = [data]
    for part in parents:
        nodes.append(nodes[-1].get(part))
        if not isinstance(nodes[-1], dict):
            return
    nodes[-1].pop(last, None)
    for node, part in zip(reversed(nodes[:-1]), reversed(parents)):
        if node[part] == {}:
            del node[part]


def _cell_value(text: str):
    low = text.lower()
    if low in ("false", "no", "off"):
        return False
    if low in ("true", "yes", "on"):
        return True
    if text[0] in "[{":
        from .profile import read_yaml

        value, _ = read_yaml(text, "cell")
        return value
    return text

def _spec(item: HomeInput):
    from .profile import load_profile, parse_profile_text, validate

    if item.kind == "file":
        return load_profile(item.payload)
    if item.kind == "yaml":
        return parse_profile_text(item.payload, item.source)
    cells, defaults = item.payload
    try:
        data = row_to_profile(cells, defaults)
    except ProfileError as exc:
        raise ProfileError(item.source, [p._replace(line=item.line) for p in exc.problems]) from None
    lines = {path: item.line for path in _paths(data)}
    lines[""] = item.line
    return validate(data, item.source, lines, default_name=item.profile_name or f"row {item.home}", base_dir=table_folder(item.source))


def table_folder(source) -> "Path | None":
    """The folder the files a homes table's rows name (a rate, a load series, a weather file) are relative to: the
    table's, as a profile's are to the profile; None for stdin's rows (the working folder)."""
    table = Path(source) if source not in (None, "-", "stdin", "<stdin>") else None
    return table.resolve().parent if table is not None and table.exists() else None

def _paths(data, prefix=""):
    if isinstance(data, dict):
        for key, value in data.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path
            yield from _paths(value, path)

def process_block(block: list[HomeInput], price_overrides: dict | None = None) -> list[Outcome]:
    """Validate, build and compute a block of homes; every input gives exactly one outcome, in order."""
    from .home import build_home
    from .simulate import compare_many

    homes, where = [], []
    outcomes: list = [None] * len(block)
    for i, item in enumerate(block):
        if item.kind == "error":
            outcomes[i] = Outcome(item.home, None, [item.payload], item.source)
            continue
        try:
            homes.append(build_home(_spec(item), price_overrides))
            where.append(i)
        except ProfileError as exc:
            outcomes[i] = Outcome(item.home, None, exc.problems, exc.source)
        except Exception as exc:  # a bug must not lose the home: report it as that home's failure
            outcomes[i] = Outcome(item.home, None, [Problem("", f"internal error: {exc!r}")], item.source)
    try:
        comparisons = compare_many(homes)
    except Exception as exc:  # pragma: no cover - defensive: keep counts whole
        for i in where:
            outcomes[i] = Outcome(block[i].home, None, [Problem("", f"internal error: {exc!r}")], block[i].source)
        return outcomes
    for i, c in zip(where, comparisons):
        rows = [{"home": block[i].home, **row} for row in c.row_dicts()]
        outcomes[i] = Outcome(block[i].home, rows, None, block[i].source, tuple(c.home.warnings))
    return outcomes
