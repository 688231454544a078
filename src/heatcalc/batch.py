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
from typing import Iterable, Iterator

from .errors import HeatcalcError, Problem, ProfileError
from .profile.reading import looks_like_table_header
from .fileio import MAX_LINE_BYTES, LineTooLong, has_undecodable, text_lines
from .homes import (  # noqa: F401  (the per-home route's names, used by the CLI and tests through this module)
    BLOCK, MAX_CSV_FIELD, HomeInput, Outcome, _spec, check_table_header, process_block, read_defaults,
    row_to_profile,
)

#: Rows of a Parquet homes table per unit of work: the columnar route runs them as arrays.  12,288 rather than
#: 8,192: a million homes 18.9-19.4 s instead of 20.7-20.8 in interleaved runs (each chunk's fixed costs spread
#: wider, more homes of a station and engine width run together), a worker's peak 266 MB instead of 255; 16,384
#: was no quicker and took ~10 MB more.
CHUNK = 12288
#: Rows of a CSV homes table per unit of work: a 10,000-home table in five units over the workers, not 8,192 rows and
#: 1,808 (0.88-0.98 s instead of 1.03-1.24 plain; 100,000 plain homes 5.1 s instead of 5.3, peak 138 MB instead of
#: 205; with economics and incentives 2.1-2.4 s instead of 2.4-3.7 for 10,000).
CSV_CHUNK = 2048


# --- inputs -------------------------------------------------------------------------------------------------------

def _yaml_files(folder: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder, onerror=None):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")):
                found.append(Path(root) / name)
    return found


def iter_profile_inputs(items: Iterable[str], stdin_items: Iterator[HomeInput] | None = None) -> Iterator[HomeInput]:
    """Expand files, folders (every *.yaml / *.yml below, sorted) and globs, in the order given; ``-`` stands for
    ``stdin_items`` (see :func:`read_stdin`)."""
    for item in items:
        if item == "-":
            yield from stdin_items if stdin_items is not None else read_stdin({})
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


def profile_paths(items: Iterable[str]) -> Iterator[Path]:
    """The profile files that ``items`` name (stdin left out), for checking that no output overwrites one."""
    for item in iter_profile_inputs([i for i in items if i != "-"]):
        if item.kind == "file":
            yield item.payload


def read_stdin(defaults: dict, stdin=None) -> Iterator[HomeInput]:
    """``-``: one YAML profile (at most :data:`~heatcalc.profile.MAX_PROFILE_BYTES`, read now) or a homes table
    (its header checked now, its rows streamed), told apart by the first line.  Problems raise here, before any
    home runs."""
    from .fileio import InputError
    from .profile import MAX_PROFILE_BYTES

    stream = stdin or sys.stdin.buffer
    first = stream.readline(MAX_LINE_BYTES + 1)
    if len(first) > MAX_LINE_BYTES:
        raise InputError("stdin", f"the first line is longer than {MAX_LINE_BYTES:,} bytes")
    if looks_like_table_header(first.decode("utf-8", errors="replace")):
        return table_inputs(stream, "stdin", defaults, first=first)
    data = first + stream.read(MAX_PROFILE_BYTES - len(first) + 1)
    if len(data) > MAX_PROFILE_BYTES:
        raise InputError("stdin", f"a profile may be at most {MAX_PROFILE_BYTES:,} bytes")
    return iter([HomeInput("-", "yaml", data, "stdin")])


def table_inputs(stream, source: str, defaults: dict, first: bytes | None = None) -> Iterator[HomeInput]:
    """Rows of a homes table read from a binary stream, one line at a time: a header of dotted profile fields, one
    home per row.

    The header is checked before any row is yielded (:func:`check_table_header`).  A ``home`` column, if present,
    names each home; otherwise it is the row number (1 = first row after the header).  Empty cells leave the field
    to ``defaults`` (or to heatcalc's own default).  A row that is not UTF-8, does not parse or has the wrong number
    of cells is that home's failure; the others go on.
    """
    csv.field_size_limit(MAX_CSV_FIELD)
    reader = csv.reader(text_lines(stream, first=first))
    try:
        header = next(reader)
    except StopIteration:
        raise ProfileError(source, [Problem("", "the homes table is empty; it needs a header row")]) from None
    except LineTooLong:
        raise ProfileError(source, [Problem("", f"the header is longer than {MAX_LINE_BYTES:,} bytes", 1)]) \
            from None
    except csv.Error as exc:
        raise ProfileError(source, [Problem("", f"not a CSV table ({exc})", 1)]) from None
    header = check_table_header(header, source)
    return _table_rows(reader, header, source, defaults)


def _table_rows(reader, header: list[str], source: str, defaults: dict) -> Iterator[HomeInput]:
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except LineTooLong as exc:
            number += 1
            yield HomeInput(str(number), "error", Problem("", f"line {exc.line} is longer than {MAX_LINE_BYTES:,} "
                                                              "bytes; the rest of the table was not read"),
                            source, exc.line)
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
        if has_undecodable("".join(row)):
            yield HomeInput(str(number), "error", Problem("", "the row is not UTF-8 text; save the table as UTF-8 "
                                                              "(with or without a BOM)", line), source, line)
            continue
        if len(row) != len(header):
            yield HomeInput(str(number), "error",
                            Problem("", f"row has {len(row)} cells but the header has {len(header)}", line),
                            source, line)
            continue
        cells = dict(zip(header, row))
        home = cells.pop("home", "").strip() or str(number)
        yield HomeInput(home, "row", (cells, defaults), source, line, f"row {number}")


def open_table(path: str, defaults: dict, stdin=None) -> Iterator[HomeInput]:
    """A homes table (a file, a named pipe, or ``-`` for stdin), its header already checked: a missing file or a
    bad header raises here, before any home runs (a usage error, exit 2)."""
    from .fileio import open_binary

    if path == "-":
        return table_inputs(stdin or sys.stdin.buffer, "stdin", defaults)
    fh = open_binary(path, "homes table")
    try:
        rows = table_inputs(fh, path, defaults)
    except BaseException:
        fh.close()
        raise
    return _closing(rows, fh)


def _closing(rows: Iterator[HomeInput], fh) -> Iterator[HomeInput]:
    with fh:
        yield from rows


# --- computing ----------------------------------------------------------------------------------------------------


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
    for outcomes in _in_pool(process_block, blocks(items, block_size), jobs, price_overrides, window=3 * jobs):
        yield from outcomes


def _stop_pool(pool, pending) -> None:
    """Cancel every block not yet started and wait for the ones running (a block takes well under a second).
    Workers are not killed mid-block: one killed while sending its result would leave the pool's result pipe
    half-read, and the pool's thread waiting on it for ever."""
    for future in pending:
        future.cancel()
    pool.shutdown(wait=True, cancel_futures=True)


def _worker_init(parent_pid: int) -> None:
    """In each worker: Ctrl-C goes to the whole process group, but the parent decides how to stop, so workers
    ignore it; and a worker whose parent has died (killed with SIGKILL, say) exits instead of lingering."""
    import signal
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def watch_parent():
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch_parent, name="heatcalc-parent-watch", daemon=True).start()


# --- homes tables, a chunk of rows at a time (the columnar route) ------------------------------------------------

def csv_chunks(rows: Iterator[HomeInput], defaults: dict, size: int = CSV_CHUNK):
    """A CSV homes table's rows (from :func:`open_table`) as :class:`~heatcalc.columnar.Chunk` s."""
    from .columnar import chunks_from_items

    return chunks_from_items(rows, defaults, size)


def is_parquet(path: str) -> bool:
    """True for a Parquet homes table: a ``.parquet`` file, a folder holding them, or a glob that names them."""
    p = Path(path)
    if path.endswith((".parquet", ".parq", ".pq")):
        return True
    if p.is_dir():
        return any(f.is_file() for f in p.rglob("*.parquet"))  # hive-style sub-folders (year=2024/...) too
    return glob.has_magic(path) and any(m.endswith(".parquet") for m in glob.glob(path))


def parquet_files(path: str) -> list[Path]:
    """The Parquet files a --homes argument names: the file, every ``*.parquet`` below a folder (sorted), or a
    glob's matches (sorted); :class:`~heatcalc.fileio.InputError` when there are none."""
    from .fileio import InputError

    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*.parquet") if f.is_file())
    elif glob.has_magic(path) and not p.exists():
        files = [Path(m) for m in sorted(glob.glob(path, recursive=True)) if Path(m).is_file()]
    else:
        files = [p]
    if not files:
        raise InputError(path, "names no Parquet file")
    for f in files:
        if not f.is_file():
            raise InputError(str(f), "no such file" if not f.exists() else "is not a regular file")
    return files


def open_parquet(path: str, defaults: dict, size: int = CHUNK):
    """Chunks of a Parquet homes table (a file, a folder or a glob of files read in order).  Every file's columns
    are checked before any home runs; a null cell is an empty one.  Rows are named by a ``home`` column if there is
    one, else numbered from 1 across the files; a problem's line is its row in its file (1 = the first row)."""
    from .fileio import InputError

    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        raise InputError(path, "reading Parquet needs pyarrow: pip install pyarrow") from None
    import pyarrow as pa

    files = parquet_files(path)
    checked = []
    for f in files:  # every file's columns now, before any home runs; each file is opened again when its turn comes
        try:
            schema = pq.read_schema(f)
        except Exception as exc:
            raise InputError(str(f), f"is not a Parquet file ({exc})") from None
        names = check_table_header(list(schema.names), str(f))
        for name, kind in zip(names, schema.types):
            if pa.types.is_nested(kind) or pa.types.is_binary(kind):
                raise ProfileError(str(f), [Problem(name, f"is a {kind} column; give text, numbers or booleans")])
        checked.append((f, names))
    return _parquet_chunks(checked, defaults, size)


def _parquet_chunks(checked, defaults: dict, size: int):
    import pyarrow.parquet as pq

    from .rows import Chunk, ParquetRows
    from .fileio import InputError

    number = 0
    for f, names in checked:
        fields = tuple(n for n in names if n != "home")
        row = 0  # within this file: problems give it as their line (1 = the first row)
        try:
            fh = open(f, "rb")
            batches = pq.ParquetFile(fh).iter_batches(batch_size=size)
        except Exception as exc:  # changed or removed since its columns were checked
            raise InputError(str(f), f"cannot be read now ({exc})") from None
        with fh:
            while True:
                try:
                    batch = next(batches)
                except StopIteration:
                    break
                except Exception as exc:  # a damaged page: the rows before it are written, the run stops here
                    raise InputError(str(f), f"cannot be read after row {row} ({exc})") from None
                # by the names as checked (stripped: a column ' location.state ' is location.state)
                columns = {name.strip(): batch.column(i) for i, name in enumerate(batch.schema.names)}
                n = batch.num_rows
                # the columns as read: the process that runs the chunk makes them Python values (rows.materialized)
                yield Chunk(str(f), fields, tuple(columns[name] for name in fields),
                            ParquetRows(columns.get("home"), number, row, n), None, {}, defaults)
                number += n
                row += n


def guard_outputs(chunks, outputs: dict):
    """The chunks as they come, each first checked against the output files (``{"--output": path}``): a file one of
    its rows names (a rate, a load series, a weather file) that is also an output stops the run with an error (exit
    2) before that chunk runs.  Outputs are written under a temporary name and renamed at the end, so the file is
    never touched.  Used as it reads stdin's table; a table in a file is checked whole first
    (:func:`check_table_outputs`)."""
    from .homes import table_folder
    from .profile import FILE_FIELDS, absolute_file

    from .rows import materialized

    named = _named_outputs(outputs)
    seen: set = set()
    looked: set = set()  # (folder, cell) already looked at: a table's rows name a few rate files many times over
    for chunk in chunks:
        if named:
            chunk = materialized(chunk)
            folder = table_folder(chunk.source)
            for field, cells in zip(chunk.fields, chunk.cells):
                if field not in FILE_FIELDS:
                    continue
                for i, cell in enumerate(cells):
                    if (folder, cell) in looked:
                        continue
                    looked.add((folder, cell))
                    path = absolute_file(cell.strip() if isinstance(cell, str) else cell, folder)
                    if path is None or path in seen:
                        continue
                    seen.add(path)
                    hit = _output_at(path, named)
                    if hit is not None:
                        raise HeatcalcError(f"{hit[0]} {hit[1]}: is {field} of {chunk.source}'s home "
                                            f"{chunk.homes[i]} (an input); write the output to another file")
        yield chunk


def _named_outputs(outputs: dict) -> list:
    return [(option, path) for option, path in outputs.items() if path is not None and str(path) != "-"]


def _output_at(path: str, named: list) -> tuple | None:
    """(option, output) of the output that is the file ``path``, or None."""
    from .fileio import same_file

    return next(((option, out) for option, out in named if same_file(out, path)), None)


def _file_cells(path: str) -> set | None:
    """The distinct cells of a CSV homes table's columns that name files, read with the csv module alone (a fifth
    of the time of reading its rows as homes): enough to tell that no row names an output, as almost every table's
    do not.  None when the table is not a regular file or is not plain enough to read so (a line too long, a CSV
    error): the full reading then decides."""
    import stat as _stat

    from .profile import FILE_FIELDS

    try:
        if not _stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as fh:
            csv.field_size_limit(MAX_CSV_FIELD)
            reader = csv.reader(text_lines(fh))
            header = [name.strip() for name in next(reader, [])]
            at = [i for i, name in enumerate(header) if name in FILE_FIELDS]
            cells: set = set()
            for row in reader if at else ():
                cells.update(row[i] for i in at if i < len(row))
            return cells
    except (OSError, LineTooLong, csv.Error):
        return None


def check_table_outputs(homes: str, defaults: dict, outputs: dict, parquet: bool) -> None:
    """Refuse, before anything is written, an output that is a file a homes table's rows name: the table is read
    once through for the columns that name files (and not at all when it has none)."""
    from .profile import FILE_FIELDS

    if not any(path is not None and str(path) != "-" for path in outputs.values()):
        return
    if parquet:
        import pyarrow.parquet as pq

        if not any(n.strip() in FILE_FIELDS for f in parquet_files(homes) for n in pq.read_schema(f).names):
            return
        chunks = open_parquet(homes, defaults)
    else:
        cells = _file_cells(homes)
        if cells is not None:  # the rows' cells at once: read as homes only when one may name an output
            from .homes import table_folder
            from .profile import absolute_file

            named, folder = _named_outputs(outputs), table_folder(homes)
            paths = {absolute_file(cell.strip(), folder) for cell in cells} - {None}
            if not any(_output_at(p, named) for p in paths):
                return
        chunks = csv_chunks(open_table(homes, defaults), defaults)
    for chunk in guard_outputs(chunks, outputs):
        if not set(chunk.fields) & set(FILE_FIELDS) and not parquet:
            break  # a CSV table's chunks all have its header's fields


def run_chunks(chunks, jobs: int = 1, price_overrides: dict | None = None, cluster=None,
               text: str | None = None):
    """:class:`~heatcalc.columnar.Block` s in input order: chunks run in worker processes (a bounded number in
    flight, so memory stays flat), or on a Dask cluster when ``cluster`` is a client of one
    (:func:`heatcalc.cluster.connect`).  ``text="csv"``: each block also brings its rows as CSV text, formatted
    where it was computed."""
    from .columnar import run_chunk

    if cluster is not None:
        from .cluster import run_on_cluster

        yield from run_on_cluster(chunks, cluster, price_overrides, text)
        return
    if jobs <= 1:
        for chunk in _ready_chunks(chunks, 1, _HERE):
            yield run_chunk(chunk, price_overrides, text)
        return
    import shutil

    from .rows import hand_off_folder, received

    # the workers' Arrow rows come back through shared memory rather than the pool's pipe
    folder = hand_off_folder() if text == "parquet" else None
    blocks = _in_pool(run_chunk, chunks, jobs, price_overrides, window=jobs + 1, extra=(text, folder), prepare=True)
    try:
        for block in blocks:
            yield received(block)
    finally:
        blocks.close()  # (the pool stopped, its running chunks waited for, before their folder goes)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


#: Rows of consecutive chunks with rooftop solar whose missing PV arrays are computed together before they run: a
#: station's arrays for 32,768 homes in one call, its sun's path and irradiance read once, instead of once per
#: chunk.  The rows wait in this process meanwhile (a few tens of MB at most).
PV_WINDOW_ROWS = 32_768
#: Looks in a row that find every array cached, after which a batch stops looking (:func:`_ready_chunks`).
QUIET_LOOKS = 3


class _InProcess:
    """A pool that runs what it is given at once, in this process (a batch with one job): the same scheduling of
    chunks and their PV arrays as over worker processes."""

    @staticmethod
    def submit(fn, *args):
        from concurrent.futures import Future

        done = Future()
        done.set_result(fn(*args))
        return done

    @staticmethod
    def map(fn, items):
        return map(fn, items)


_HERE = _InProcess()


def _ready_chunks(chunks, jobs: int, pool):
    """The chunks in order, each once the PV arrays it needs are in the cache.  Each chunk with solar is looked at
    in the pool as soon as it is read (:func:`_pv_needed`; a few chunks are read ahead); one that lacks no array runs
    at once, so a warm cache's chunks run while the table is still being read.  When the chunk at the front lacks
    some, the consecutive chunks with solar after it, up to :data:`PV_WINDOW_ROWS` rows, are gathered and their
    missing arrays computed together a station at a time over the pool (:func:`_prepare_pv`) before they run.

    Once :data:`QUIET_LOOKS` looks in a row have found nothing missing, the cache is taken to be warm and the
    chunks read after are no longer looked at (a look costs ~5 % of a warm chunk's run): an array one of them
    lacks is computed by its own run, with the chunk's other arrays at its station (heatcalc.columnar._billing)."""
    from . import pvcache
    from .columnar import has_solar_rows

    queue: deque = deque()  # (chunk, the future of its look, or None: no solar, no cache or a warm cache)
    chunks = iter(chunks)
    reading = True
    quiet = 0  # looks in a row that found nothing missing

    def read() -> bool:
        chunk = next(chunks, None)
        if chunk is None:
            return False
        look = quiet < QUIET_LOOKS and pvcache.enabled() and has_solar_rows(chunk)
        queue.append((chunk, pool.submit(_pv_needed, chunk) if look else None))
        return True

    while True:
        while reading and len(queue) < jobs + 1:  # the next chunks' looks overlap the runs
            reading = read()
        if not queue:
            return
        chunk, look = queue[0]
        if look is None or not look.result():
            quiet = quiet + 1 if look is not None else quiet
            queue.popleft()
            yield chunk
            continue
        quiet = 0
        rows = 0  # the window: the consecutive chunks with solar from the front
        at = 0
        while True:
            while at < len(queue) and queue[at][1] is not None and rows < PV_WINDOW_ROWS:
                rows += len(queue[at][0])
                at += 1
            if rows >= PV_WINDOW_ROWS or at < len(queue) or not reading:
                break
            reading = read()
        group = [queue.popleft() for _ in range(at)]
        _prepare_pv([g[0] for g in group], [g[1] for g in group], jobs, pool)
        for chunk, _ in group:
            yield chunk


def _pv_needed(chunk) -> list:
    from .columnar import pv_to_compute

    try:
        return pv_to_compute(chunk)
    except Exception:  # pragma: no cover - a bug here must not stop the run: the chunk computes its own arrays
        return []


def _prepare_pv(group: list, found: list, jobs: int, pool) -> None:
    """Compute the PV arrays a window of chunks needs and the cache lacks (``found``: the futures of
    :func:`_pv_needed` of each), a station at a time, over the pool's workers: the chunks then read them."""
    from .columnar import compute_pv, pv_work

    list(pool.map(compute_pv, pv_work([f.result() or [] for f in found], 2 * jobs)))


def _in_pool(fn, works, jobs: int, price_overrides, window: int, extra: tuple = (), prepare: bool = False):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_init,
                               initargs=(os.getpid(),))
    pending: deque = deque()
    finished = False
    try:
        for work in (_ready_chunks(works, jobs, pool) if prepare else works):
            pending.append(pool.submit(fn, work, price_overrides, *extra))
            while len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            _stop_pool(pool, pending)


def profile_blocks(items: Iterable[HomeInput], jobs: int = 1, price_overrides: dict | None = None):
    """Profiles (files, YAML on stdin) run home by home, their outcomes grouped into blocks."""
    from .rows import block_from_outcomes

    if jobs <= 1:
        for block in blocks(items):
            yield block_from_outcomes(process_block(block, price_overrides))
        return
    for outcomes in _in_pool(process_block, blocks(items), jobs, price_overrides, window=3 * jobs):
        yield block_from_outcomes(outcomes)


def parquet_rows(path: str) -> int:
    """How many rows the Parquet files hold (from their footers), for the progress bar."""
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(f).metadata.num_rows for f in parquet_files(path))


def write_batch(blocks, fmt: str, output=None, errors_path=None, fail_fast: bool = False, *, columns=None,
                units: str = "us", message=None,
                watch=None, advance=None, max_table_homes: int = 200, on_loop_end=None) -> tuple[int, int]:
    """Write each block of homes' rows as it comes, in input order, to ``output`` (a file, or stdout when None) in
    ``fmt`` (csv, json, ndjson, parquet or table), and each failure's problems to ``errors_path`` as CSV rows.

    Files are written under a temporary name and renamed when the run ends (:class:`heatcalc.fileio.Output`), so
    none is left cut short.  ``message`` receives each problem and warning as a line (``Error: ...``), ``watch``
    wraps the blocks (a stop signal ends the loop after the block in hand), ``advance`` counts homes done.
    Returns (homes written, homes failed).  A KeyboardInterrupt (Ctrl-C, or a stop noted by ``watch``) keeps the
    rows of the homes finished: the files are committed and the interrupt is raised again with ``.totals``."""
    import csv as _csv

    from . import render
    from .errors import HeatcalcError
    from .fileio import Output

    say = message or (lambda line: None)
    table_rows: list = []
    out_file = Output(output if output else "-", binary=fmt == "parquet")
    try:
        error_file = Output(errors_path) if errors_path else None
    except BaseException:
        out_file.discard()
        raise
    error_writer = _csv.writer(error_file.file, lineterminator="\n") if error_file else None
    if error_writer:
        error_writer.writerow(["home", "source", "line", "field", "message"])
    written = failed = 0
    stop: KeyboardInterrupt | None = None
    try:
        writer = None if fmt == "table" else render.BlockWriter(out_file.file, fmt, columns, units)
        try:
            for block in (watch(blocks) if watch else blocks):
                end = len(block.homes)
                if fail_fast:
                    end = next((i + 1 for i, p in enumerate(block.problems) if p is not None), end)
                rows = int(block.counts[:end].sum())
                problems, warnings = block.problems, block.warnings
                # only the homes with something to say are looked at one by one (a million homes' block loop)
                said = [i for i in range(end) if problems[i] is not None or warnings[i]]
                for i in said:
                    home, source = block.homes[i], block.sources[i]
                    label = "" if home in (source, "-") else f" (home {home})"
                    if problems[i] is not None:
                        for p in problems[i]:
                            say(f"Error: {p.describe(source)}{label}")
                            if error_writer:
                                error_writer.writerow([home, source, p.line or "", p.field, p.message])
                        failed += 1
                    else:
                        for w in warnings[i]:
                            say(f"Warning: {source}{label}: {w}")
                written += end - sum(problems[i] is not None for i in said)
                if writer is not None:
                    writer.write(block, 0, rows)
                else:
                    if written > max_table_homes:
                        raise HeatcalcError(f"--format table is for up to {max_table_homes} homes; use csv, "
                                            "json, ndjson or parquet for larger runs")
                    table_rows.extend(block.row_dicts(0, rows))
                if advance:
                    advance(end)
                if end < len(block.homes) or (fail_fast and failed):
                    break
        except KeyboardInterrupt as exc:
            if getattr(exc, "forced", False):
                raise
            stop = exc
        finally:
            blocks.close()  # whatever ended the loop (a closed pipe, --fail-fast, an error), the workers stop now
            if on_loop_end:
                on_loop_end()
        if writer is not None:
            writer.close()
        elif table_rows:
            render.print_batch_table(table_rows, render.make_console(file=out_file.file), units)
    except BaseException:
        for f in (out_file, error_file):
            if f:
                f.discard()
        raise
    try:
        for f in (out_file, error_file):
            if f:
                f.commit()
    except BaseException:
        for f in (out_file, error_file):
            if f:
                f.discard()
        raise
    if stop is not None:
        stop.totals = (written, failed)
        raise stop
    return written, failed

