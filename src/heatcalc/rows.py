"""The rows heatcalc batch writes: its output columns, declared once, and blocks of rows as columns.

Below :mod:`heatcalc.columnar`, :mod:`heatcalc.render`, :mod:`heatcalc.cluster` and :mod:`heatcalc.batch`, which
all read these declarations.
"""

from __future__ import annotations

import csv
import io
import os
from typing import NamedTuple

import numpy as np

from .results import BOOL_COLUMNS, COLUMNS, TEXT_COLUMNS, frame_dtypes  # noqa: F401

OUT_COLUMNS = ("home",) + COLUMNS


OBJECT_COLUMNS = TEXT_COLUMNS | BOOL_COLUMNS  # held as object arrays (text, or True/False), not floats

#: Numeric columns that may be empty (None in a row, NaN in a block's array, null in Parquet).
NULLABLE = frozenset({"peak_outdoor_f", "balance_point_f", "net_installed_cost_usd", "lifetime_cost_usd",
                      "npv_vs_current_usd", "simple_payback_years", "installed_cost_usd", "installed_cost_low_usd",
                      "installed_cost_high_usd", "simple_payback_years_low", "simple_payback_years_high",
                      "npv_vs_current_low_usd", "npv_vs_current_high_usd", "incentives_usd"})

class Chunk(NamedTuple):
    """A block of a homes table: one list of cells per field (a CSV cell's text, a Parquet value, or None)."""

    source: str
    fields: tuple[str, ...]  # dotted profile fields, the ``home`` column left out
    cells: list  # per field: one value per row (a Parquet chunk until materialized: its Arrow columns)
    homes: list[str]  # (a Parquet chunk until materialized: ParquetRows, which numbers and names them)
    lines: list  # per row: its line in a CSV file, its row in a Parquet file (None until materialized)
    errors: dict  # row → Problem, for rows that failed while being read
    defaults: dict  # the --defaults profile as plain data
    names: list | None = None  # per row: its profile's name when it has none ("row 12"); None: "row HOME"

    def __len__(self) -> int:
        return len(self.homes)

class ParquetRows(NamedTuple):
    """The rows of a Parquet chunk as read (its ``homes`` until :func:`materialized`): its columns stay Arrow arrays
    (``cells``), sent to the process that runs it as a few buffers rather than a list of Python values each."""

    home: object  # the table's ``home`` column (an Arrow array), or None: homes are numbered
    number: int  # rows before this chunk over the files read (a home without a name is number + its row)
    row: int  # rows before this chunk in its file (a problem's line is its row there, 1 = the first)
    count: int

    def __len__(self) -> int:
        return self.count


def materialized(chunk: Chunk) -> Chunk:
    """A chunk whose cells are Python values (None for null; floats and integers through numpy), its homes named
    (the ``home`` column, else numbered from 1 over the files) and its rows numbered in their file; a chunk read
    from CSV is returned as it is."""
    rows = chunk.homes
    if not isinstance(rows, ParquetRows):
        return chunk
    import pyarrow as pa

    def values(column) -> list:
        if pa.types.is_floating(column.type):  # (a float column's values by NumPy: several times quicker)
            if column.null_count == len(column):
                return [None] * len(column)
            out = column.to_numpy(zero_copy_only=False).tolist()
            if column.null_count:  # nulls as None, as to_pylist gives them (one empty value, not a NaN each)
                for i in np.flatnonzero(column.is_null().to_numpy(zero_copy_only=False)).tolist():
                    out[i] = None
            return out
        return column.to_pylist()

    if rows.home is not None:
        homes = [str(g).strip() if g is not None and str(g).strip() else str(rows.number + i + 1)
                 for i, g in enumerate(rows.home.to_pylist())]
    else:
        homes = [str(rows.number + i + 1) for i in range(rows.count)]
    numbers = list(range(rows.row + 1, rows.row + rows.count + 1))
    # (a new Chunk, not _replace: a Chunk's len is its rows, which _replace would take for its fields)
    return Chunk(chunk.source, chunk.fields, [values(c) for c in chunk.cells], homes, numbers, chunk.errors,
                 chunk.defaults, [f"row {i}" for i in numbers])


class Block(NamedTuple):
    """What a chunk gives back: per home its name, source and problems (None when it ran) or warnings, and the
    output rows of all the homes that ran, as columns (``counts[i]`` rows for home i, in order)."""

    homes: list
    sources: list
    problems: list  # per home: None, or [Problem]
    warnings: list  # per home: a tuple of warnings
    counts: np.ndarray
    columns: dict  # column → float array (NaN: empty) or object array of text
    fast: int = 0  # how many of the homes took the fast route
    text: str | None = None  # all the rows as CSV text (no header), when the chunk was run for CSV output
    table: object = None  # all the rows as an Arrow record batch, when the chunk was run for Parquet output

    def row_dicts(self, start: int = 0, stop: int | None = None) -> list[dict]:
        """Rows ``start:stop`` as dicts keyed by column (empty numbers as None), for the JSON and table writers."""
        stop = int(self.counts.sum()) if stop is None else stop
        cols = [(name, column_values(name, self.columns[name][start:stop])) for name in OUT_COLUMNS]
        return [dict(zip((n for n, _ in cols), values)) for values in zip(*(v for _, v in cols))]

def column_values(name: str, array) -> list:
    """A column of a block as Python values: floats, text, None for an empty number."""
    if name in OBJECT_COLUMNS:
        return list(array)
    if name in NULLABLE:
        empty = np.isnan(array)
        if empty.any():
            if empty.all():  # (a column no row fills: economics on a table without them)
                return [None] * len(array)
            out = array.astype(object)
            out[empty] = None
            return out.tolist()
    return array.tolist()


def _csv_cells(name: str, array) -> list:
    """A column of a block as the text of its CSV cells, what ``csv.writer`` writes for :func:`column_values`:
    a number as Python writes it (``str``, which is its ``repr``), an empty number or no text as an empty cell, a text
    that holds a comma, a quote or a line break quoted by the writer itself.  A column's numbers are written by one
    ``repr`` of their list (made in C, not a call a number), a column of zeros alone (cooling or unmet heat a
    table does not have) as its one text."""
    if name in OBJECT_COLUMNS:
        cells = ["" if v is None else v if v.__class__ is str else str(v) for v in array.tolist()]
        if any(c in "".join(cells) for c in _SPECIAL):  # (the column's texts scanned at once; rarely any)
            cells = [_quoted(v) if any(c in v for c in _SPECIAL) else v for v in cells]
        return cells
    if not len(array):
        return []
    if not array.any() and not np.signbit(array).any():
        return [_ZERO] * len(array)
    empty = np.isnan(array) if name in NULLABLE else None
    if empty is not None and empty.all():  # (a column no row fills: economics on a table without them)
        return [""] * len(array)
    cells = repr(array.tolist())[1:-1].split(", ")  # (no number's text holds a comma)
    if empty is not None:
        for i in np.flatnonzero(empty).tolist():
            cells[i] = ""
    return cells


_ZERO = repr(0.0)
_SPECIAL = (",", '"', "\r", "\n")  # (what may make the writer quote a cell, whatever Python's version)


def _quoted(text: str) -> str:
    """A text cell as ``csv.writer`` writes it (quoted, its quotes doubled)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([text])
    return buf.getvalue()[:-1]


def empty_columns(n: int) -> dict:
    return {name: (np.empty(n, dtype=object) if name in OBJECT_COLUMNS else np.full(n, np.nan))
            for name in OUT_COLUMNS}

def block_from_outcomes(outcomes: list) -> Block:
    """A block of the per-home route's outcomes (``batch.Outcome``), its row dicts turned into columns."""
    counts = np.array([len(o.rows) if o.rows is not None else 0 for o in outcomes], dtype=np.int64)
    columns = empty_columns(int(counts.sum()))
    rows = [r for o in outcomes if o.rows is not None for r in o.rows]
    for name in OUT_COLUMNS:
        values = [r[name] for r in rows]
        if name in OBJECT_COLUMNS:
            columns[name][:] = values
        else:
            columns[name][:] = [np.nan if v is None else v for v in values]
    return Block([o.home for o in outcomes], [o.source for o in outcomes],
                 [o.problems for o in outcomes], [o.warnings for o in outcomes], counts, columns)


def csv_rows_text(block, start: int = 0, stop: int | None = None, columns=OUT_COLUMNS) -> str:
    """Rows ``start:stop`` of a batch block as CSV lines (``columns``, by default all of :data:`OUT_COLUMNS`,
    numbers as Python writes them, an empty number as an empty cell)."""
    cells = [_csv_cells(name, block.columns[name][start:stop]) for name in columns]
    if not cells[0]:
        return ""
    if len(cells) == 1:  # (the writer quotes a line of one empty cell, which would read as no cell)
        cells = [['""' if c == "" else c for c in cells[0]]]
    return "\n".join(map(",".join, zip(*cells))) + "\n"


def chosen_columns(text: str | None) -> tuple | None:
    """``--columns home,system,annual_cost_usd``: the output columns named, in that order (None: all); an unknown
    or repeated name is an error listing the columns."""
    from .errors import HeatcalcError

    if text is None:
        return None
    from .units import si_name

    si = {si_name(c)[0]: c for c in OUT_COLUMNS}  # with --units si, a column may be named in SI too
    names = [si.get(n.strip(), n.strip()) for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in OUT_COLUMNS]
    if not names or unknown:
        import difflib

        hints = [f"{n} (did you mean {close[0]}?)" if (close := difflib.get_close_matches(n, OUT_COLUMNS, 1))
                 else n for n in unknown]
        raise HeatcalcError(f"--columns: {', '.join(hints) or 'none given'}: give output columns, comma-separated, "
                            f"from: {', '.join(OUT_COLUMNS)}")
    if len(set(names)) != len(names):
        raise HeatcalcError("--columns: names a column twice")
    return tuple(names)


def si_block(block: Block) -> Block:
    """A block with its figures in SI units (``--units si``: :func:`heatcalc.units.si_name`), the columns keeping
    their names here (writers name them in SI); fuel amounts in m3 or L by each row's unit."""
    from .units import SI_FUEL_UNIT, si_name

    columns = dict(block.columns)
    for name, values in block.columns.items():
        convert = si_name(name)[1]
        if convert is not None and name not in OBJECT_COLUMNS:
            columns[name] = convert(values)
    units = block.columns["fuel_unit"]
    factor = np.array([SI_FUEL_UNIT.get(u, (u, 1.0))[1] for u in units], dtype=float) if len(units) else np.ones(0)
    columns["fuel_use"] = block.columns["fuel_use"] * factor
    columns["fuel_unit"] = np.array([SI_FUEL_UNIT.get(u, (u, 1.0))[0] for u in units], dtype=object)
    return block._replace(columns=columns, text=None)


def arrow_schema(columns=OUT_COLUMNS, names=None):
    """The Arrow schema of batch rows: text, booleans and 64-bit floats (null for an empty number), under the
    output's ``names`` for ``columns`` (the columns' own by default)."""
    import pyarrow as pa

    return pa.schema([(n, pa.string() if c in TEXT_COLUMNS else pa.bool_() if c in BOOL_COLUMNS else pa.float64())
                      for c, n in zip(columns, names or columns)])


def arrow_batch(block, schema, columns=OUT_COLUMNS, start: int = 0, stop: int | None = None):
    """Rows ``start:stop`` of a block as an Arrow record batch of ``schema`` (:func:`arrow_schema`)."""
    import pyarrow as pa

    stop = int(block.counts.sum()) if stop is None else stop
    arrays = []
    for name, field in zip(columns, schema):
        values = block.columns[name][start:stop]
        if field.type in (pa.string(), pa.bool_()):  # (from the object array itself: 5x faster than a list)
            arrays.append(pa.array(values, type=field.type))
        else:
            arrays.append(pa.array(values, mask=np.isnan(values), type=pa.float64()))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


class HandedTable(NamedTuple):
    """A block's Arrow rows left by a worker process in a file of shared memory (:func:`hand_off`) rather than
    pickled through the pool's pipe: ~10 MB a Parquet chunk, which the pipe copied three or four times over (the
    writing process's reading of a million homes' rows: ~1.4 s of its ~5 s)."""

    path: str
    rows: int


#: Where a batch's workers leave their rows for the process writing the Parquet file (tmpfs: memory, not disk).
HAND_OFF_ROOT = "/dev/shm"


def hand_off_folder() -> str | None:
    """A new folder for one batch's hand-offs (the caller removes it), or None where there is no shared memory
    folder to write.  Folders a batch left when it was killed are removed first (their process has gone)."""
    import shutil
    import tempfile

    if not os.path.isdir(HAND_OFF_ROOT) or not os.access(HAND_OFF_ROOT, os.W_OK):
        return None
    try:
        for name in os.listdir(HAND_OFF_ROOT):
            parts = name.split("-")
            if len(parts) == 3 and parts[0] == "heatcalc" and parts[1].isdigit() and not _alive(int(parts[1])):
                shutil.rmtree(os.path.join(HAND_OFF_ROOT, name), ignore_errors=True)
        return tempfile.mkdtemp(prefix=f"heatcalc-{os.getpid()}-", dir=HAND_OFF_ROOT)
    except OSError:
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # (there, another user's)
    return True


_HANDED = {"count": 0}


def hand_off(table, folder: str):
    """``table`` (an Arrow record batch) written to a file in ``folder`` as Arrow's IPC file format, to be mapped
    by the writing process: a :class:`HandedTable`, or the table itself when the file cannot be written (the
    folder full: Docker gives /dev/shm 64 MB)."""
    import pyarrow as pa

    _HANDED["count"] += 1
    path = os.path.join(folder, f"{os.getpid()}-{_HANDED['count']}.arrow")
    try:
        with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_batch(table)
    except OSError:
        try:
            os.unlink(path)
        except OSError:
            pass
        return table
    return HandedTable(path, table.num_rows)


def received(block):
    """A block with its handed-off rows (:func:`hand_off`) mapped back into a record batch, its file unlinked (the
    mapping lasts while the batch does)."""
    if not isinstance(block.table, HandedTable):
        return block
    import pyarrow as pa

    path = block.table.path
    try:
        table = pa.ipc.open_file(pa.memory_map(path)).get_batch(0)
    finally:
        os.unlink(path)
    return block._replace(table=table)


def output_names(columns, units: str = "us") -> list:
    """The names a writer gives ``columns``: as they are, or in SI (``heat_delivered_gj``)."""
    if units != "si":
        return list(columns)
    from .units import si_name

    return [si_name(c)[0] for c in columns]
