"""Profile files and text → plain data with line numbers → a validated :class:`~heatcalc.profile.Profile`.

YAML is composed into nodes by the safe (C) loader and only plain scalars, lists and mappings are accepted, so a
``!!python/...`` tag is refused, never run; alias bombs and deep nesting are cut off by budgets; YAML merge keys
(``<<: *base``) are applied.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import Problem, ProfileError
from .sections import Profile

MAX_PROFILE_BYTES = 1_000_000
MAX_NODES = 20_000  # after alias expansion; a real profile has fewer than 200
MAX_DEPTH = 20  # nesting of mappings and lists; a real profile is 4 deep


_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp",
}


_MERGE_TAG = "tag:yaml.org,2002:merge"


class _Budget(Exception):
    """The document is larger or deeper than a profile can be."""


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


def read_yaml(text: str, source: str) -> tuple[Any, dict]:
    """Parse YAML text into plain Python data and a map of dotted field path → line number."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = f", column {mark.column + 1}" if mark else ""
        what = (exc.problem or exc.context or "invalid YAML").strip()
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            raise ProfileError(source, [Problem("", f"a tab at column {mark.column + 1}: YAML indents with spaces, "
                                                    "not tabs; replace the tab with spaces", line)]) from None
        raise ProfileError(source, [Problem("", f"YAML syntax error{col}: {what}", line)]) from None
    except yaml.YAMLError as exc:
        raise ProfileError(source, [Problem("", f"YAML error: {exc}")]) from None
    if node is None:
        raise ProfileError(source, [Problem("", "the profile is empty; `heatcalc init` writes a starter profile")])
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    count = [0]

    def convert(n, path: str, depth: int = 0):
        count[0] += 1
        if count[0] > MAX_NODES:
            raise _Budget(f"the profile expands to more than {MAX_NODES:,} values (YAML aliases repeated many "
                          "times?); write it out plainly")
        if depth > MAX_DEPTH:
            raise _Budget(f"the profile nests more than {MAX_DEPTH} levels deep; a profile needs about 4")
        line = n.start_mark.line + 1
        if path not in lines:
            lines[path] = line
        if n.tag not in _PLAIN_TAGS:
            problems.append(Problem(path, f"the YAML tag {n.tag!r} is not allowed: a profile holds plain values "
                                          "only (heatcalc never runs code from a file)", line))
            return None
        if isinstance(n, yaml.MappingNode):
            out = {}
            merged: list = []
            for key_node, value_node in n.value:
                if key_node.tag == _MERGE_TAG:  # `<<: *base` (or a list of them): the base's keys, unless given here
                    sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                    for source_node in sources:
                        if not isinstance(source_node, yaml.MappingNode):
                            problems.append(Problem(path, "a merge key (<<) takes a mapping or a list of mappings",
                                                    key_node.start_mark.line + 1))
                            continue
                        merged.append(convert(source_node, path, depth + 1))
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    problems.append(Problem(path, "mapping keys must be plain names", key_node.start_mark.line + 1))
                    continue
                key = key_node.value
                sub = f"{path}.{key}" if path else key
                if key in out:
                    problems.append(Problem(sub, "appears twice; keep one", key_node.start_mark.line + 1))
                    continue
                lines[sub] = key_node.start_mark.line + 1
                out[key] = convert(value_node, sub, depth + 1)
            for base in merged:  # earlier merges win over later ones, and the keys written here over both
                for key, value in base.items():
                    out.setdefault(key, value)
            return out
        if isinstance(n, yaml.SequenceNode):
            return [convert(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(n.value)]
        return _scalar(n)

    try:
        data = convert(node, "")
    except _Budget as exc:
        raise ProfileError(source, [Problem("", str(exc))]) from None
    if problems:
        raise ProfileError(source, problems)
    return data, lines


def _scalar(n):
    text = n.value
    tag = n.tag
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() in ("true", "yes", "on", "y")
    if tag == "tag:yaml.org,2002:int":
        digits = text.lstrip("+-")
        if len(digits) > 1 and digits.startswith("0") and digits.isdigit():
            return text  # YAML 1.1 would read 02134 as octal; keep what the user wrote (ZIP codes)
        try:
            return int(text.replace("_", ""), 0)
        except ValueError:
            return text
    if tag == "tag:yaml.org,2002:float":
        low = text.lower().replace("_", "")
        if low in (".nan",):
            return math.nan
        if low in (".inf", "+.inf"):
            return math.inf
        if low == "-.inf":
            return -math.inf
        try:
            return float(low)
        except ValueError:
            return text
    return text


def load_profile_file(path: Path) -> Profile:
    """Read and validate one profile file; raises :class:`ProfileError` listing every problem."""
    from ..fileio import InputError, read_limited

    source = str(path)
    try:
        raw = read_limited(path, MAX_PROFILE_BYTES, "profile")
    except InputError as exc:
        raise ProfileError(source, [Problem("", exc.reason)]) from None
    _refuse_table(raw, path)
    return parse_profile_text(raw, source, default_name=path.stem, base_dir=path.resolve().parent)


_HEADER_CELL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$")


def looks_like_table_header(line: str) -> bool:
    """True for the header of a homes table (``home,location.zip,heating_load.annual``): comma-separated dotted
    field names.  A YAML profile's first line (``name: ...``, ``location:``, ``---``, ``# note``, ``{...}``) is not."""
    cells = [c.strip().strip('"').strip() for c in line.lstrip("\ufeff").strip().split(",")]
    if not cells or not all(_HEADER_CELL.match(c) for c in cells):
        return False
    return len(cells) > 1 or "." in cells[0]


def _refuse_table(raw: bytes, path: Path) -> None:
    """A homes table (a .csv or .parquet file, or a first line that is a table's header) given where a profile is
    expected: say how to run it, rather than read its text as YAML."""
    first = raw[:4096].split(b"\n", 1)[0].decode("utf-8", errors="replace")
    if path.suffix.lower() in (".csv", ".tsv", ".parquet") or raw[:4] == b"PAR1" or looks_like_table_header(first):
        raise ProfileError(str(path), [Problem("", "is a homes table, not a YAML profile: run it with "
                                                    f"heatcalc batch --homes {path}", 1)])


def parse_profile_text(raw: bytes | str, source: str, default_name: str = "profile",
                       base_dir: Path | None = None) -> Profile:
    if isinstance(raw, bytes):
        if len(raw) > MAX_PROFILE_BYTES:
            raise ProfileError(source, [Problem("", f"the input is {len(raw):,} bytes; a profile may be at most "
                                                    f"{MAX_PROFILE_BYTES:,} bytes")])
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ProfileError(source, [Problem("", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8")]) \
                from None
    from .validation import validate

    data, lines = read_yaml(raw, source)
    return validate(data, source, lines, default_name=default_name, base_dir=base_dir)


# --- editing plain profile data ----------------------------------------------------------------------------------

def copy_data(data, source: str = "profile"):
    """A deep copy of plain profile data (mappings, lists and tuples, scalars), bounded as YAML is: at most
    :data:`MAX_DEPTH` levels and :data:`MAX_NODES` values, so a self-referential or very deep structure built in
    code is a :class:`ProfileError`, never a RecursionError. numpy scalars become Python numbers."""
    count = [0]

    def copy(value, depth: int):
        count[0] += 1
        if count[0] > MAX_NODES:
            raise ProfileError(source, [Problem("", f"has more than {MAX_NODES:,} values (a real profile has fewer "
                                                    "than 200); is a structure referring to itself?")])
        if isinstance(value, Mapping) or isinstance(value, (list, tuple)):
            if depth >= MAX_DEPTH:
                raise ProfileError(source, [Problem("", f"nests deeper than {MAX_DEPTH} levels (a real profile is "
                                                        "4 deep); is a structure referring to itself?")])
            if isinstance(value, Mapping):
                return {k: copy(v, depth + 1) for k, v in value.items()}
            return [copy(v, depth + 1) for v in value]
        if type(value).__module__ == "numpy" and hasattr(value, "item"):
            return value.item()  # np.int64(9) -> 9, np.float64 -> float, np.bool_ -> bool
        return value

    return copy(data, 0)


def set_field(data: dict, path: str, value) -> None:
    """Set a dotted field (``systems.furnace.afue``) in plain profile data, creating sections on the way."""
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value


