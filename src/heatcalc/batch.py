"""Many homes: where they come from (profile files, folders, globs, a homes table, stdin), how they are computed
(in blocks, in parallel, homes that share a station together), and what comes back, in input order.

The CLI writes what this module yields; nothing here formats output.
"""

from __future__ import annotations

import csv
import glob
import os
import sys
from collections import deque
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from .errors import Problem, ProfileError

BLOCK = 256  # homes per unit of work: big enough to share stations, small enough to stream
MAX_CSV_FIELD = 100_000


class HomeInput(NamedTuple):
    """One home to compute: a profile file, YAML text, or a row of a homes table."""

    home: str  # what the output calls it: the file path or the row number
    kind: str  # "file" | "yaml" | "row" | "error"
    payload: object  # Path | bytes | dict | Problem
    source: str  # for messages: the file, or "homes.csv"
    line: int | None = None


class Outcome(NamedTuple):
    home: str
    rows: list | None  # output rows (dicts) when the home ran
    problems: list | None  # [Problem] when it failed
    source: str


# --- inputs -------------------------------------------------------------------------------------------------------

def _yaml_files(folder: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder, onerror=None):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")):
                found.append(Path(root) / name)
    return found


def iter_profile_inputs(items: Iterable[str], stdin=None) -> Iterator[HomeInput]:
    """Expand files, folders (every *.yaml / *.yml below, sorted) and globs, in the order given; ``-`` is stdin."""
    for item in items:
        if item == "-":
            data = (stdin or sys.stdin.buffer).read()
            if looks_like_csv(data):
                yield from iter_table_inputs(data.decode("utf-8-sig", errors="replace").splitlines(), "stdin", {})
            else:
                yield HomeInput("-", "yaml", data, "stdin")
            continue
        path = Path(item)
        if path.is_dir():
            files = _yaml_files(path)
            if not files:
                yield HomeInput(item, "error", Problem("", "folder holds no .yaml or .yml files"), item)
            for f in files:
                yield HomeInput(str(f), "file", f, str(f))
        elif path.exists() or not glob.has_magic(item):
            yield HomeInput(item, "file", path, item)
        else:
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield HomeInput(item, "error", Problem("", "the pattern matches no file"), item)
            for m in matches:
                if Path(m).is_dir():
                    continue
                yield HomeInput(m, "file", Path(m), m)


def looks_like_csv(data: bytes) -> bool:
    first = data.lstrip()[:4096].split(b"\n", 1)[0]
    return b"," in first and b":" not in first and b"." in first


def read_defaults(path: str | None) -> dict:
    """The --defaults profile as plain data (validated later, merged into every row)."""
    if not path:
        return {}
    from .profile import MAX_PROFILE_BYTES, read_yaml

    from .fileio import read_limited

    raw = read_limited(path, MAX_PROFILE_BYTES, "defaults profile")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProfileError(path, [Problem("", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8")]) from None
    data, _ = read_yaml(text, path)
    if not isinstance(data, dict):
        raise ProfileError(path, [Problem("", "the defaults profile must be a mapping of sections")])
    return data


def iter_table_inputs(lines: Iterable[str], source: str, defaults: dict) -> Iterator[HomeInput]:
    """Rows of a homes table: a header of dotted profile fields, one home per row.

    A ``home`` column, if present, names each home; otherwise it is the row number (1 = first row after the
    header).  Empty cells leave the field to ``defaults`` (or to heatcalc's own default).
    """
    csv.field_size_limit(MAX_CSV_FIELD)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        yield HomeInput(source, "error", Problem("", "the homes table is empty; it needs a header row"), source)
        return
    except csv.Error as exc:
        yield HomeInput(source, "error", Problem("", f"not a CSV table ({exc})", 1), source, 1)
        return
    header = [h.strip() for h in header]
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            number += 1
            yield HomeInput(str(number), "error", Problem("", f"unreadable CSV row ({exc})", reader.line_num),
                            source, reader.line_num)
            continue
        if not any(cell.strip() for cell in row):
            continue
        number += 1
        line = reader.line_num
        if len(row) != len(header):
            yield HomeInput(str(number), "error",
                            Problem("", f"row has {len(row)} cells but the header has {len(header)}", line),
                            source, line)
            continue
        cells = dict(zip(header, row))
        home = cells.pop("home", "").strip() or str(number)
        yield HomeInput(home, "row", (cells, defaults), source, line)


def iter_table_file(path: str, defaults: dict, stdin=None) -> Iterator[HomeInput]:
    if path == "-":
        text = (stdin or sys.stdin.buffer).read().decode("utf-8-sig", errors="replace")
        yield from iter_table_inputs(text.splitlines(), "stdin", defaults)
        return
    try:
        fh = open(path, newline="", encoding="utf-8-sig")
    except OSError as exc:
        yield HomeInput(path, "error", Problem("", f"cannot read the homes table ({exc.strerror})"), path)
        return
    with fh:
        yield from iter_table_inputs(fh, path, defaults)


def row_to_profile(cells: dict, defaults: dict) -> dict:
    """Nest dotted columns (``systems.furnace.afue``) into profile data over a deep copy of the defaults."""
    from .profile import copy_data, set_field

    data = copy_data(defaults)
    for key, raw in cells.items():
        text = raw.strip()
        if text and key:
            set_field(data, key, _cell_value(text))
    return data


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


# --- computing ----------------------------------------------------------------------------------------------------

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
    return validate(data, item.source, lines, default_name=f"row {item.home}")


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
        rows = [{"home": block[i].home, **row} for row in c.rows()]
        outcomes[i] = Outcome(block[i].home, rows, None, block[i].source)
    return outcomes


def blocks(items: Iterable[HomeInput], size: int = BLOCK) -> Iterator[list[HomeInput]]:
    block = []
    for item in items:
        block.append(item)
        if len(block) >= size:
            yield block
            block = []
    if block:
        yield block


def run(items: Iterable[HomeInput], jobs: int = 1, price_overrides: dict | None = None,
        block_size: int = BLOCK) -> Iterator[Outcome]:
    """Outcomes in input order.  With ``jobs`` > 1 blocks run in worker processes, a bounded number in flight,
    so memory stays flat however many homes come in."""
    if jobs <= 1:
        for block in blocks(items, block_size):
            yield from process_block(block, price_overrides)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    window = 3 * jobs
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_init) as pool:
        pending: deque = deque()
        try:
            for block in blocks(items, block_size):
                pending.append(pool.submit(process_block, block, price_overrides))
                while len(pending) >= window:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def _worker_init() -> None:
    # Ctrl-C goes to the whole process group; the parent decides how to stop, the workers just finish or die.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
