"""Homes tables beyond one machine: chunks sent to a Dask distributed cluster (``batch --scheduler``), and homes
in pandas or dask DataFrames (:func:`compare_frame`).

Workers run :func:`heatcalc.columnar.run_chunk`, the same function a local run uses, so a cluster gives the same
rows; every worker needs the same heatcalc installed.  dask and distributed are imported only here.
"""

from __future__ import annotations

from collections import deque

from .errors import HeatcalcError


def connect(address: str):
    """A client of the Dask scheduler at ``address``; :class:`HeatcalcError` (a usage error, before anything runs)
    when Dask is not installed or no scheduler answers there."""
    import re

    if not re.fullmatch(r"(?:(?:tcp|tls|ucx|ws|wss)://)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):\d{1,5}/?", address or ""):
        # Checked here: Dask takes a few seconds, then a traceback, to refuse an address it cannot parse
        raise HeatcalcError(f"--scheduler {address!r}: not a scheduler address; give it as tcp://HOST:PORT (the "
                            "address `dask scheduler` prints, e.g. tcp://10.0.0.5:8786)")
    try:
        from distributed import Client
    except ImportError:
        raise HeatcalcError("--scheduler needs Dask: pip install 'heatcalc[cluster]' (here and on the workers)") \
            from None
    try:
        return Client(address, set_as_default=False, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise HeatcalcError(f"--scheduler {address}: cannot connect to a Dask scheduler there ({exc})") from None


def run_on_cluster(chunks, client, price_overrides: dict | None = None, text: str | None = None):
    """:class:`~heatcalc.columnar.Block` s of ``chunks``, in order, each computed on a worker of the cluster
    ``client`` is connected to (see :func:`connect`); a bounded number of chunks is in flight (two per worker
    thread), so memory stays flat here.  The client is closed at the end."""
    from .columnar import run_chunk

    pending: deque = deque()
    try:
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
        window = 2 * max(1, threads)
        for chunk in chunks:
            pending.append(client.submit(run_chunk, chunk, price_overrides, text, pure=False))
            while len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        client.close()


# --- DataFrames ---------------------------------------------------------------------------------------------------

def _frame_columns() -> tuple:
    from .rows import OUT_COLUMNS

    return OUT_COLUMNS + ("error",)


def _empty_frame():
    import pandas as pd

    from .results import typed_frame

    return typed_frame(pd.DataFrame({c: pd.Series([], dtype=object) for c in _frame_columns()}))


def compare_frame(df, defaults: dict | None = None, prices: dict | None = None, source: str = "DataFrame",
                  shape: str = "long", keep_columns=None, progress: bool | None = None):
    """Compare every home of a DataFrame whose columns are dotted profile fields (``location.zip``,
    ``heating_load.annual``, ...), as ``heatcalc batch --homes`` does for a table.

    ``df`` is a pandas DataFrame (computed now) or a dask DataFrame (computed lazily, partition by partition, on
    whatever scheduler dask uses).  Returns a frame of the same kind with one row per home and system, in input
    order: the columns of ``heatcalc batch`` and ``error``.  A home that fails gives one row holding only its
    ``home`` and ``error`` (each problem as ``field: message``), so rows of homes that ran plus failures always
    account for every home.  Homes are named by a ``home`` column, else by the frame's index.

    ``defaults`` fills fields a row leaves empty (plain profile data, like ``--defaults``); ``prices`` overrides
    every home's prices (``{"electricity": 0.18}``, $/kWh, $/therm, $/gal), like ``--electricity-price``.

    A pandas result keeps the input's index (each home's label on each of its rows), holds each failure's problems
    as a list of ``field: message`` strings in ``error``, and types its columns as ``Comparison.to_frame()`` does.
    ``shape="wide"`` gives one row per home instead, its columns ``SYSTEM.COLUMN`` (``heat_pump.annual_cost_usd``).
    ``keep_columns`` (a list of the input's columns, or True for all) carries them onto the output rows.  A dask
    result types its text as pandas' string dtype and joins a failure's problems with ``; `` (a schema Parquet can
    take without computing), in the long shape.

    ``progress``: a bar of the homes done on stderr while a pandas frame of more than a few thousand homes runs;
    None (the default) shows it where someone watches (a terminal or a notebook), False never, True always.
    """
    if shape not in ("long", "wide"):
        raise ValueError(f"compare_frame: shape must be 'long' or 'wide', got {shape!r}")
    from .homes import check_table_header

    if not hasattr(df, "columns") or not hasattr(df, "index"):
        raise TypeError(f"compare_frame takes a pandas or dask DataFrame, got {type(df).__name__}")
    check_table_header([str(c) for c in df.columns], source)  # a bad column: ProfileError before anything runs
    defaults = _checked_defaults(defaults)
    overrides = _checked_prices(prices)
    if type(df).__module__.startswith("dask"):
        if shape != "long" or keep_columns:
            raise ValueError("compare_frame: a dask DataFrame gives the long shape without kept columns")
        # typed text and boolean columns, so that the lazy frame's schema is known (to_parquet needs it)
        return df.map_partitions(_compare_typed, defaults or {}, overrides, source, meta=_typed(_empty_frame()),
                                 align_dataframes=False)
    out = _compare_in_pieces(df, defaults or {}, overrides, source, progress)
    if keep_columns:
        keep = list(df.columns) if keep_columns is True else list(keep_columns)
        missing = [c for c in keep if c not in df.columns]
        if missing:
            raise ValueError(f"compare_frame: keep_columns names columns the frame does not have: {missing}")
        kept = df.loc[out.index, keep] if len(out) else df.iloc[:0][keep]
        kept.columns = [f"input.{c}" if c in out.columns else c for c in keep]
        out = kept.join(out) if not kept.index.has_duplicates else _side_by_side(kept, out)
    return _wide(out) if shape == "wide" else out


#: Homes a progress bar advances by: big enough that the columnar route's groups stay large.
PROGRESS_PIECE = 8192


def _compare_in_pieces(df, defaults: dict, overrides: dict, source: str, progress: bool | None):
    """The pandas route: one run of the whole frame, or with a progress bar, pieces of it (the same rows: each home
    is resolved on its own, and named by its place in the whole frame)."""
    from . import progress as bars

    bar = bars.bar(len(df), progress) if len(df) > PROGRESS_PIECE and progress is not False else None
    if bar is None:
        return _compare_pandas(df, defaults, overrides, source, lists=True)
    import pandas as pd

    parts = []
    try:
        for start in range(0, len(df), PROGRESS_PIECE):
            piece = df.iloc[start:start + PROGRESS_PIECE]
            parts.append(_compare_pandas(piece, defaults, overrides, source, lists=True, offset=start))
            bar.advance(len(piece))
    finally:
        bar.stop()
    return pd.concat(parts)


def _side_by_side(left, right):
    import pandas as pd

    return pd.concat([left.reset_index(drop=True), right.reset_index(drop=True)], axis=1).set_axis(right.index)


def _wide(long):
    """One row per home: each system's columns prefixed by it (``heat_pump.annual_cost_usd``), typed as the long
    frame's.  A home's rows are consecutive in the long frame (same ``home``, same index label)."""
    import numpy as np
    import pandas as pd

    from .rows import OUT_COLUMNS

    per_home = [c for c in long.columns if c not in OUT_COLUMNS and c != "error"] + ["home", "error", "profile"]
    values = [c for c in OUT_COLUMNS if c not in ("home", "profile", "system")]
    home = long["home"].astype(object).to_numpy()
    label = np.asarray(long.index, dtype=object)
    starts = np.ones(len(long), dtype=bool)
    starts[1:] = (home[1:] != home[:-1]) | (label[1:] != label[:-1])
    code = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    wide = long.iloc[first][per_home].set_axis(pd.RangeIndex(len(first)))
    system = long["system"].astype(object).where(long["system"].notna(), "").to_numpy()
    parts = [wide]
    for name in dict.fromkeys(s for s in system if s):
        at = np.flatnonzero(system == name)
        part = long.iloc[at][values].set_axis(pd.Index(code[at]))
        part = part[~part.index.duplicated(keep="last")]
        parts.append(part.set_axis([f"{name}.{c}" for c in values], axis=1).reindex(wide.index))
    wide = pd.concat(parts, axis=1).copy()  # at once, then consolidated: a fragmented frame warns on every insert
    return wide.set_axis(pd.Index(long.index[first], name=long.index.name))


def _checked_defaults(defaults) -> dict:
    """``defaults`` as plain profile data: a mapping, or a path to a defaults YAML (as ``--defaults`` reads)."""
    from collections.abc import Mapping
    from pathlib import Path

    from .profile import copy_data

    if defaults is None:
        return {}
    if isinstance(defaults, (str, Path)):
        from .homes import read_defaults

        return read_defaults(str(defaults))
    if not isinstance(defaults, Mapping):
        raise TypeError(f"compare_frame: defaults must be a mapping of profile sections or a path to a YAML file, "
                        f"got {type(defaults).__name__}")
    return copy_data(defaults, "compare_frame defaults")


def _checked_prices(prices: dict | None) -> dict:
    from collections.abc import Mapping

    from .profile import parse_field_value

    if prices is not None and not isinstance(prices, Mapping):
        raise TypeError(f"compare_frame: prices must be a mapping such as {{'electricity': 0.18}}, got "
                        f"{type(prices).__name__}")
    # keys as "electricity" or as the field's own name, "prices.electricity"
    return {str(k).removeprefix("prices."): parse_field_value(f"prices.{str(k).removeprefix('prices.')}", v,
                                                             "compare_frame", f"prices[{k!r}]")
            for k, v in (prices or {}).items()}


def _row_numbers(index, part: bool, offset: int = 0) -> list:
    """What names each row's profile when it has no ``name``: ``row N``, N an integer index's label (a default
    index counts rows from 0, as ``df.iloc``), else the row's position in the frame; in one partition of a dask frame
    (whose position in the whole is not known until it is computed) a non-integer index's label itself."""
    import pandas as pd

    if pd.api.types.is_integer_dtype(index.dtype):
        return [f"row {i}" for i in index]
    return [str(i) for i in index] if part else [f"row {i}" for i in range(offset, offset + len(index))]


def _compare_pandas(df, defaults: dict, overrides: dict, source: str, lists: bool = False, part: bool = False,
                    offset: int = 0):
    import numpy as np
    import pandas as pd

    from .columnar import ranks, run_chunk
    from .rows import OUT_COLUMNS, Chunk

    if len(df) == 0:
        return _empty_frame()
    names = [str(c) for c in df.columns]
    original = dict(zip((n.strip() for n in names), df.columns))  # ' location.state ' is location.state
    fields = tuple(n.strip() for n in names if n.strip() != "home")
    cells = []
    for name in fields:
        column = df[original[name]]
        values = column.astype(object).where(column.notna(), None).tolist()
        cells.append(values)
    if "home" in original:
        home = df[original["home"]]
        labels = home.astype(object).where(home.notna(), None).tolist()
    else:
        labels = [None] * len(df)
    homes = [str(h).strip() if h is not None and str(h).strip() else str(i) for h, i in zip(labels, df.index)]
    block = run_chunk(Chunk(source, fields, cells, homes, [None] * len(df), {}, defaults,
                            _row_numbers(df.index, part, offset)), overrides or None)
    failed = np.array([p is not None for p in block.problems])
    counts = np.where(failed, 1, block.counts)  # a failed home keeps one row, for its error
    total = int(counts.sum())
    starts = np.cumsum(counts) - counts
    ran_at = np.repeat(starts[~failed], block.counts[~failed]) + ranks(block.counts[~failed])
    out = {}
    for name in OUT_COLUMNS:
        column = np.empty(total, dtype=object) if block.columns[name].dtype == object else np.full(total, np.nan)
        column[ran_at] = block.columns[name]
        out[name] = column
    error = np.full(total, None, dtype=object)
    fail_at = starts[failed]
    out["home"][fail_at] = [block.homes[i] for i in np.flatnonzero(failed)]
    messages = [[f"{p.field}: {p.message}" if p.field else p.message for p in block.problems[i]]
                for i in np.flatnonzero(failed)]
    for at, m in zip(fail_at, messages):
        error[at] = m if lists else "; ".join(m)
    out["error"] = error
    from .results import typed_frame

    frame = pd.DataFrame({name: pd.Series(values, dtype=object if values.dtype == object else "float64", copy=False)
                          for name, values in out.items()}, columns=list(_frame_columns()))
    frame = typed_frame(frame)
    # each row carries its home's label in the input's index
    frame.index = df.index[np.repeat(np.arange(len(df)), counts)]
    return frame


def _typed(frame):
    """The pandas frame's types with ``error`` as text too (its problems joined by ``; ``): a schema Arrow and
    Parquet can take without looking at the values (an object column carries none)."""
    return frame.astype({"error": "string"})


def _compare_typed(df, defaults: dict, overrides: dict, source: str):
    return _typed(_compare_pandas(df, defaults, overrides, source, part=True))

