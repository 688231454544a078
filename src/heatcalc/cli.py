"""The command line: parse → load → model → render.  No arithmetic and no formatting live here."""


import functools
import gc
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

_collecting = gc.isenabled()
gc.disable()  # Typer's and Click's modules live as long as the process: no cycles to look for while they load
try:
    import typer
finally:
    if _collecting:
        gc.enable()

from .errors import ExitStatus, HeatcalcError, Problem, ProfileError, ProfileErrors, Stopped, printable  # noqa: E402

app = typer.Typer(
    name="heatcalc",
    help="Compare the yearly cost of heating a home with a heat pump, a furnace and electric resistance.",
    epilog="\b\nExamples:\n  heatcalc init home.yaml --zip 02134\n  heatcalc compare home.yaml\n"
           "  heatcalc compare home.yaml --format csv -o rows.csv\n  heatcalc COMMAND -h",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish and PowerShell
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _examples(*lines: str) -> str:
    """A command's help epilog: its examples, one per line as typed (click keeps a block after a \\b as it is)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


EXAMPLES = {
    "compare": _examples("heatcalc compare profiles/boston-gas.yaml",
                         "heatcalc compare home.yaml --explain --breakeven",
                         "heatcalc compare home.yaml --electricity-price 0.22 --format json",
                         "heatcalc compare home.yaml --monthly --format csv"),
    "check": _examples("heatcalc check home.yaml", "heatcalc check clients/"),
    "init": _examples("heatcalc init home.yaml", "heatcalc init home.yaml --zip 02134 --bills '850 therm'",
                      "heatcalc init --zip 05401 --bills '600 gal' --fuel propane > home.yaml",
                      "heatcalc init --stove --zip 05602 --bills '5 cord' > home.yaml"),
    "stations": _examples("heatcalc stations --state MA", "heatcalc stations --near 02134 --limit 5"),
    "prices": _examples("heatcalc prices MA", "heatcalc prices --format csv"),
    "batch": _examples("heatcalc batch clients/ -o results.csv", "heatcalc batch --homes homes.csv -o rows.parquet",
                       "heatcalc batch --homes homes.csv --defaults base.yaml --errors failed.csv -o rows.csv"),
    "sweep": _examples("heatcalc sweep home.yaml --vary prices.electricity=0.10:0.40:0.05",
                       "heatcalc sweep home.yaml --vary systems.heat_pump.hspf2=7.5,9,11 --vary "
                       "prices.natural_gas=1.2:2.4:0.4"),
    "rating": _examples("heatcalc rating home.yaml", "heatcalc rating --points 47:3.8:36000,17:2.5:24000"),
    "size": _examples("heatcalc size home.yaml", "heatcalc size home.yaml --format json"),
    "report": _examples("heatcalc report home.yaml -o report.html",
                        "heatcalc report home.yaml --format svg --chart annual_cost -o cost.svg"),
    "costs": _examples("heatcalc costs --size 3", "heatcalc costs --size '36000 Btu/h' --state VT"),
    "incentives": _examples("heatcalc incentives --zip 02134",
                            "heatcalc incentives --zip 02134 --income 95k --household-size 3 --utility Eversource"),
    "schema": _examples("heatcalc schema > profile.schema.json"),
}

_state = {"traceback": False}


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _err(message: str) -> None:
    """One line on stderr; control characters from user text are written out, never sent to the terminal."""
    sys.stderr.write(printable(message.rstrip("\n")) + "\n")
    sys.stderr.flush()


def _interrupted(exc: KeyboardInterrupt) -> int:
    """The exit status for Ctrl-C (130) or a stop signal (143 for SIGTERM, 129 for SIGHUP)."""
    return int(exc.exit_status) if isinstance(exc, Stopped) else int(ExitStatus.INTERRUPTED)


def handle_errors(func):
    """Turn heatcalc's errors into messages on stderr and an exit code; --traceback re-raises them."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            result = func(*args, **kwargs)
            from .fileio import stop_noted

            if stop_noted() is not None:  # a stop whose exception was swallowed on the way (a gc callback)
                raise stop_noted()
            return result
        except HeatcalcError as exc:
            if _state["traceback"]:
                raise
            for line in exc.lines():
                _err(f"Error: {line}")
            raise typer.Exit(exc.exit_status) from None
        except BrokenPipeError:
            _quiet_broken_pipe()
            raise typer.Exit(ExitStatus.OK) from None
        except OSError as exc:
            if _state["traceback"]:
                raise
            # A write that failed on stdout has no file name (a file's writes are named by fileio.Output).
            _err(f"Error: {getattr(exc, 'filename', None) or 'stdout'}: {exc.strerror or exc}")
            raise typer.Exit(ExitStatus.ERROR) from None
        except KeyboardInterrupt as exc:
            _err(f"Stopped by {exc.signal_name}." if isinstance(exc, Stopped) else "Interrupted.")
            raise typer.Exit(_interrupted(exc)) from None

    return wrapper


def _quiet_broken_pipe() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def _print_version(value: bool) -> None:
    if value:
        from . import __version__

        try:
            print(f"heatcalc {__version__}", flush=True)
            for line in _data_vintages():
                print(line, flush=True)
        except BrokenPipeError:
            _quiet_broken_pipe()
        except OSError as exc:
            _err(f"Error: stdout: {exc.strerror or exc}")
            _quiet_broken_pipe()
            raise typer.Exit(ExitStatus.ERROR) from None
        raise typer.Exit()


def _data_vintages() -> list[str]:
    """What data the embedded tables hold, and of when (``--version``); a warning on stderr when the default prices
    are more than two years older than today."""
    import datetime as dt

    from .incentives import snapshot_date
    from .weather import stations as st

    sources = st.data_sources()
    year = st.price_year()
    lines = ["weather: NREL TMY3 typical years (1,020 US stations)",
             f"prices: {sources['prices']} (price year {year})",
             f"grid emissions: {sources['emissions']}; marginal: NREL Cambium 2021 (start year 2023)",
             f"incentives: Rewiring America's data, snapshot {snapshot_date().isoformat()}"]
    if dt.date.today().year - year > 2:
        _err(f"Warning: the default prices are of {year}, more than two years before today: give your own "
             "(prices.* in the profile, or --electricity-price and the others)")
    return lines


@app.callback()
def main_options(
    traceback: Annotated[bool, typer.Option("--traceback", help="Show Python tracebacks (for debugging).")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.", is_eager=True,
                                          callback=_print_version)] = False,
):
    _state["traceback"] = traceback


def _price_overrides(**flags) -> dict:
    """--*-price flags, checked by the same rules (units, bounds) as the profile's prices."""
    from .profile import parse_field_value

    out, problems = {}, []
    for key, value in flags.items():
        if value is None:
            continue
        option = "--" + {"natural_gas": "gas", "heating_oil": "oil"}.get(key, key) + "-price"
        try:
            out[key] = parse_field_value(f"prices.{key}", value, "command line", label=option)
        except ProfileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ProfileError("command line", problems)
    return out


def _all_or_errors(results: list):
    """Everything that ran, or every profile's problems at once (the exit is then 2 and nothing is printed)."""
    errors = [r for r in results if isinstance(r, ProfileError)]
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ProfileErrors(errors)
    return results


def _price_fields(prices: dict) -> dict:
    """--*-price flags (checked, internal units) as profile overrides for the API."""
    return {f"prices.{k}": v for k, v in prices.items()}


ElectricityPrice = Annotated[Optional[str], typer.Option(
    "--electricity-price", help="Electricity price, e.g. 0.18 or '18 c/kWh' (overrides profile and state).",
    show_default=False)]
GasPrice = Annotated[Optional[str], typer.Option(
    "--gas-price", help="Natural gas price, e.g. 1.6 ($/therm) or '16 $/Mcf'.", show_default=False)]
PropanePrice = Annotated[Optional[str], typer.Option(
    "--propane-price", help="Propane price, e.g. 2.9 ($/gal).", show_default=False)]
OilPrice = Annotated[Optional[str], typer.Option(
    "--oil-price", help="Heating oil price, e.g. 3.9 ($/gal).", show_default=False)]
class Units(str, Enum):
    us = "us"
    si = "si"


UnitsOption = Annotated[Units, typer.Option(
    "--units", help="Units of the figures written: us (MMBtu, Btu/h, F, therm, gal) or si (GJ, kW, C, m3, L; "
                    "columns renamed to say so: heat_delivered_gj). Prices stay in $/kWh, $/therm, $/gal.")]
OutputOption = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="Write the output to this file instead of stdout (a table as plain text).",
    show_default=False)]


@app.command(epilog=EXAMPLES["compare"])
@handle_errors
def compare(
    profiles: Annotated[list[Path], typer.Argument(help="Profile YAML files.", show_default=False)],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    explain: Annotated[bool, typer.Option("--explain", help="List every assumption and default used.")] = False,
    breakeven: Annotated[bool, typer.Option(
        "--breakeven", help="Show the electricity price, fuel price and heat pump seasonal COP at which the heat "
                            "pump and the furnace cost the same.")] = False,
    monthly: Annotated[bool, typer.Option(
        "--monthly", help="Heat, energy and cost per month (CSV: one row per system and month).")] = False,
    hourly: Annotated[Optional[Path], typer.Option(
        "--hourly", help="Also write every hour of the year for each system to this CSV file (outdoor temperature, "
                         "load, heat pump output and COP, backup heat, electricity, fuel, cost).",
        show_default=False)] = None,
    output: OutputOption = None,
    units: UnitsOption = Units.us,
    electricity_price: ElectricityPrice = None,
    gas_price: GasPrice = None,
    propane_price: PropanePrice = None,
    oil_price: OilPrice = None,
):
    """Compare the annual heating cost of a heat pump, a furnace and electric resistance for each profile."""
    from . import render
    from .api import compare_many
    from .simulate import monthly_rows

    overrides = _price_overrides(electricity=electricity_price, natural_gas=gas_price, propane=propane_price,
                                 heating_oil=oil_price)
    loaded = _load_profiles(profiles)
    hourly_out = None
    from .fileio import Output, is_stdout, refuse_overwriting_inputs

    refuse_overwriting_inputs({"--hourly": hourly, "--output": None if is_stdout(output) else output},
                              _inputs_of(profiles, loaded))
    if hourly is not None:
        hourly_out = Output(hourly)  # checked (and its temporary file made) before any home runs
    out = Output(output) if output is not None and not is_stdout(output) else None
    try:
        comparisons = _all_or_errors(list(compare_many(loaded, override_source="command line",
                                                       **_price_fields(overrides))))
    except BaseException:
        for pending in (hourly_out, out):
            if pending is not None:
                pending.discard()
        raise
    for c in comparisons:
        for warning in c.home.warnings:
            _err(f"Warning: {c.home.source}: {warning}")
    if hourly_out is not None:
        _write_hourly(comparisons, hourly_out, units.value)
        if hourly_out.kind == "stdout":
            _err("The hourly rows went to stdout (--hourly -), so the comparison itself is not printed; "
                 "give --hourly FILE to have both")
            return
    months = [monthly_rows(c) for c in comparisons] if monthly else None

    def emit(file, console):
        if format is Format.csv:
            render.write_csv(comparisons, file, months, units.value)
        elif format is Format.json:
            render.write_json(comparisons, file, months, units.value)
        else:
            render.print_comparisons(comparisons, console(), explain=explain, breakeven=breakeven, monthly=months,
                                     units=units.value)

    _emit_to(out, emit)


def _emit_to(out, emit) -> None:
    """Run ``emit(file, console)`` on stdout, or on an output file (:class:`heatcalc.fileio.Output`, committed whole
    when done; a table is written as plain text 100 columns wide).  ``console()`` makes the Rich console, so CSV and
    JSON never import Rich's console (~17 ms of a compare)."""
    from . import render

    if out is None:
        emit(sys.stdout, render.make_console)
        return
    with out:
        emit(out.file, functools.partial(render.make_console, file=out.file, width=100))
    if out.kind != "stdout":
        _err(f"Wrote {out.name}")


def _write_hourly(comparisons, out, units: str = "us") -> None:
    from . import render
    from .simulate import HOURLY_COLUMNS, hourly_rows

    with out:
        writer = render.csv_writer(out.file, HOURLY_COLUMNS, units)
        for c in comparisons:
            writer.writerows(hourly_rows(c))
    if out.kind != "stdout":
        _err(f"Wrote {out.name} (every hour of the year for each system)")


def _each(paths, read) -> list:
    """``read`` of every path, or every problem of every path at once (exit 2)."""
    return _all_or_errors(_collect(paths, read))


def _load_profiles(paths) -> list:
    """Each profile read once (a named pipe cannot be read twice), every problem of every profile at once."""
    from .profile import load_profile

    return _each(paths, load_profile)


def _inputs_of(paths, profiles) -> list:
    """Every file a run reads: the profiles and the files they point to (weather, load series)."""
    from .profile import files_read

    return [*paths, *(f for p in profiles for f in files_read(p))]


@app.command(epilog=EXAMPLES["check"])
@handle_errors
def check(profiles: Annotated[list[str], typer.Argument(help="Profile YAML files, folders (every .yaml and .yml "
                                                            "below) or globs, as batch takes them.",
                                                       show_default=False)]):
    """Validate profiles without running the model; exit 2 if any has a problem."""
    from .api import resolve
    from .batch import iter_profile_inputs

    paths, problems = [], []
    for item in iter_profile_inputs(profiles):
        if item.kind == "error":  # an empty folder, a pattern that matches nothing
            problems.append(ProfileError(item.source, [item.payload]))
        elif item.kind == "file":
            paths.append(item.payload)
        else:
            problems.append(ProfileError(item.source, [Problem("", "check reads profile files; give a path")]))
    checked = _each(paths, resolve) if not problems else []
    if problems:
        _all_or_errors(problems + [r for r in _collect(paths, resolve) if isinstance(r, ProfileError)])
    for h in checked:
        print(printable(f"ok: {h.source} ({h.name}; weather {h.location.describe()})"))


def _collect(paths, read) -> list:
    """``read`` of every path, its ProfileError in its place where it fails."""
    out = []
    for path in paths:
        try:
            out.append(read(path))
        except ProfileError as exc:
            out.append(exc)
    return out


@app.command(epilog=EXAMPLES["init"])
@handle_errors
def init(
    path: Annotated[Optional[Path], typer.Argument(help="Where to write it (default: print to stdout).",
                                                   show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    zip_code: Annotated[Optional[str], typer.Option("--zip", help="The home's ZIP code.", show_default=False)] = None,
    bills: Annotated[Optional[str], typer.Option(
        "--bills", help="A year of the current system's bills, with its unit: '850 therm', '600 gal', '9000 kWh'.",
        show_default=False)] = None,
    fuel: Annotated[Optional[str], typer.Option(
        "--fuel", help="The bills' fuel where the unit does not tell (gal: propane or heating_oil).",
        show_default=False)] = None,
    boiler: Annotated[bool, typer.Option(
        "--boiler", help="A boiler home on radiators: the boiler, and an air-to-water heat pump on the same "
                         "radiators with the boiler as its backup.")] = False,
    stove: Annotated[bool, typer.Option(
        "--stove", help="A home heated by a wood stove (--fuel pellets, coal or kerosene for those), with a "
                        "ductless heat pump to compare.")] = False,
):
    """Write a commented starter profile: every section, the optional ones commented with a line on what they do."""
    from .fileio import Output
    from .starter import starter_profile

    from .units import BILL_FUELS

    if fuel is not None and fuel not in BILL_FUELS:
        raise HeatcalcError(f"--fuel: one of {', '.join(BILL_FUELS)} (got {fuel!r})")
    text = starter_profile(zip_code, bills, fuel, boiler, stove)
    if path is None:
        sys.stdout.write(text)
        return
    if path.exists() and not force:
        raise HeatcalcError(f"{path}: already exists; use --force to overwrite it")
    with Output(path) as out:  # written whole or not at all
        out.file.write(text)
    _err(f"Wrote {path}; edit it, then run: heatcalc compare {path}")


@app.command(epilog=EXAMPLES["stations"])
@handle_errors
def stations(
    state: Annotated[Optional[str], typer.Option("--state", help="Only stations in this state.",
                                                 show_default=False)] = None,
    near: Annotated[Optional[str], typer.Option("--near", help="Sort by distance from this ZIP code.",
                                                show_default=False)] = None,
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many (0: all).", min=0)] = 0,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
):
    """List the embedded TMY3 weather stations."""
    from .api import stations as station_list
    from .catalog import station_columns

    _emit(station_list(state=state, near=near, limit=limit), station_columns(near), format, title="TMY3 stations")


@app.command(epilog=EXAMPLES["prices"])
@handle_errors
def prices(
    state: Annotated[Optional[str], typer.Argument(help="A state (default: all).", show_default=False)] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
):
    """Show the default residential energy prices and grid emission rates by state."""
    from .api import prices as price_list
    from .catalog import PRICE_COLUMNS, price_title

    _emit(price_list(state), PRICE_COLUMNS, format, title=price_title(state))


class BatchFormat(str, Enum):
    csv = "csv"
    json = "json"
    ndjson = "ndjson"
    table = "table"
    parquet = "parquet"


MAX_TABLE_HOMES = 100


@app.command(epilog=EXAMPLES["batch"])
@handle_errors
def batch(
    inputs: Annotated[Optional[list[str]], typer.Argument(
        help="Profile files, folders (every .yaml/.yml below) and globs; '-' reads a profile or a CSV from stdin.",
        show_default=False)] = None,
    homes: Annotated[Optional[str], typer.Option(
        "--homes", help="A homes table, one home per row, columns named by dotted profile fields (location.zip, "
                        "heating_load.annual, ...): a CSV file ('-' for stdin), or Parquet (a .parquet file, a "
                        "folder of them, or a glob).", show_default=False)] = None,
    defaults: Annotated[Optional[str], typer.Option(
        "--defaults", help="A profile supplying every field a --homes row leaves empty.", show_default=False)] = None,
    format: Annotated[Optional[BatchFormat], typer.Option(
        "--format", "-f", help="Output format (table: small runs only; parquet: with -o). Default: parquet for an "
                               "-o file ending in .parquet, csv otherwise.", show_default=False)] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write rows to this file instead of stdout.", show_default=False)] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (0: one per core; at most 256).",
                                      min=0, max=256)] = 0,
    errors: Annotated[Optional[Path], typer.Option(
        "--errors", help="Also write failures as CSV rows (home, source, line, field, message).",
        show_default=False)] = None,
    fail_fast: Annotated[bool, typer.Option("--fail-fast", help="Stop at the first home that fails.")] = False,
    columns: Annotated[Optional[str], typer.Option(
        "--columns", help="Only these output columns, in this order, comma-separated (e.g. "
                          "home,system,annual_cost_usd); not with --format table.", show_default=False)] = None,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", help="Run the --homes table on a Dask cluster: its scheduler's address (tcp://host:8786). "
                            "Rows and their order are those of a local run.", show_default=False)] = None,
    units: UnitsOption = Units.us,
    electricity_price: ElectricityPrice = None,
    gas_price: GasPrice = None,
    propane_price: PropanePrice = None,
    oil_price: OilPrice = None,
):
    """Compare many homes: one output row per home and system, written as they are computed, in input order.

    Exit 0 when every home ran, 3 when some failed (each is reported on stderr), 2 on bad usage.
    """
    import os

    from . import batch as b
    from .fileio import is_stdout, refuse_overwriting_inputs, stdin_is_terminal

    if not inputs and homes is None:
        raise HeatcalcError("give profile files, folders or globs, or --homes TABLE.csv (see heatcalc batch --help)")
    if defaults and homes is None:
        raise HeatcalcError("--defaults goes with --homes: it fills the fields a table row leaves empty")
    if homes == "-" and "-" in (inputs or []):
        raise HeatcalcError("stdin can be read once: give '-' either as an input or as --homes, not both")
    if (homes == "-" or "-" in (inputs or [])) and stdin_is_terminal():
        raise HeatcalcError("'-' reads stdin, but stdin is a terminal; pipe a profile or a homes table in "
                            "(heatcalc batch - < homes.csv)")
    parquet = homes is not None and homes != "-" and b.is_parquet(homes)
    tables = b.parquet_files(homes) if parquet else [homes]
    if is_stdout(output):
        output = None  # -o - is stdout, as leaving -o out is
    if is_stdout(errors) and output is None:
        raise HeatcalcError("--errors - would mix failures into the rows on stdout: give -o FILE for the rows, or "
                            "--errors FILE")
    base = b.read_defaults(defaults)
    refuse_overwriting_inputs({"--output": output, "--errors": errors},
                              [*tables, defaults, *b.profile_paths(inputs or []),
                               *_referenced_files(b.profile_paths(inputs or [])), *_defaults_files(base)])
    if homes is not None and homes != "-":  # every file the table's rows name, before anything is written
        b.check_table_outputs(homes, base, {"--output": output, "--errors": errors}, parquet)
    if scheduler is not None and homes is None:
        raise HeatcalcError("--scheduler runs a homes table on a cluster: give --homes TABLE")
    if format is None:
        format = BatchFormat.parquet if output is not None and output.suffix.lower() == ".parquet" \
            else BatchFormat.csv
    if format is BatchFormat.parquet and output is None:
        raise HeatcalcError("--format parquet writes a file: give -o FILE.parquet")
    from .rows import chosen_columns

    columns = chosen_columns(columns)
    if columns is not None and format is BatchFormat.table:
        raise HeatcalcError("--columns chooses the columns of csv, json, ndjson or parquet output; the table has "
                            "its own")
    overrides = _price_overrides(electricity=electricity_price, natural_gas=gas_price, propane=propane_price,
                                 heating_oil=oil_price)
    # stdin, a missing table or a bad header stop here, before any home runs
    stdin_items = b.read_stdin({}) if "-" in (inputs or []) else None
    if homes is not None:
        table = b.open_parquet(homes, base) if parquet else b.csv_chunks(b.open_table(homes, base), base)
        if homes == "-":  # stdin's table is read once: its rows are checked as they come
            table = b.guard_outputs(table, {"--output": output, "--errors": errors})
    jobs = jobs or os.cpu_count() or 1
    sources = []
    if inputs:
        sources.append(b.profile_blocks(b.iter_profile_inputs(inputs, stdin_items), jobs, overrides))
    if homes is not None:
        # formatted by the workers (SI output, chosen columns and --fail-fast's cut blocks: by the writer, from the
        # blocks' columns)
        text = None if fail_fast or units is not Units.us or columns is not None else \
            "csv" if format is BatchFormat.csv else "parquet" if format is BatchFormat.parquet else None
        cluster = None
        if scheduler is not None:  # connected now: no scheduler there is a usage error before any output
            from .cluster import connect

            cluster = connect(scheduler)
        sources.append(b.run_chunks(table, jobs, overrides, cluster, text))
    total = _count_inputs(inputs or [], None if parquet else homes) if sys.stderr.isatty() else None
    if parquet and total is not None:
        total += b.parquet_rows(homes)
    _run_batch(_chained(sources), total, format, output, errors, fail_fast, columns, units.value)


def _defaults_files(defaults: dict) -> list:
    """The files a --defaults profile names (already absolute: relative to its own folder)."""
    from .profile import FILE_FIELDS

    out = []
    for field in FILE_FIELDS:
        node = defaults
        for part in field.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, str) and node:
            out.append(node)
    return out


def _referenced_files(paths) -> list:
    """The weather and load files the given profile files point to (profiles that cannot be read are skipped: the
    run reports them). Only regular files are opened here, so a named pipe is still read once, by the run."""
    import os
    import stat as _stat

    from .profile import files_read, load_profile

    out = []
    for path in paths:
        try:
            if not _stat.S_ISREG(os.stat(path).st_mode):
                continue
            out.extend(files_read(load_profile(path)))
        except (OSError, HeatcalcError):
            continue
    return out


def _chained(sources):
    """One generator over several, closing each (and so stopping its workers) when it is closed."""
    try:
        for source in sources:
            yield from source
    finally:
        for source in sources:
            source.close()


@app.command(epilog=EXAMPLES["sweep"])
@handle_errors
def sweep(
    profile: Annotated[Path, typer.Argument(help="A profile YAML file.", show_default=False)],
    vary: Annotated[list[str], typer.Option(
        "--vary", help="FIELD=START:STOP:STEP (stop included) or FIELD=A,B,C, in the field's default unit or with "
                       "one after a space, e.g. prices.electricity=0.08:0.40:0.02. Give it twice for a grid.",
        show_default=False)],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    output: OutputOption = None,
    electricity_price: ElectricityPrice = None,
    gas_price: GasPrice = None,
    propane_price: PropanePrice = None,
    oil_price: OilPrice = None,
):
    """Annual cost of each system as one or two profile fields vary, with the heat pump / furnace break-even."""
    from . import render
    from .api import sweep as run_sweep
    from .profile import load_profile

    if len(vary) > 2:
        raise HeatcalcError("--vary: give it once, or twice for a grid")
    _price_overrides(electricity=electricity_price, natural_gas=gas_price, propane=propane_price,
                     heating_oil=oil_price)  # each flag checked under its own name
    given = {"electricity": electricity_price, "natural_gas": gas_price, "propane": propane_price,
             "heating_oil": oil_price}
    spec = load_profile(profile)
    from .fileio import Output, is_stdout, refuse_overwriting_inputs
    from .profile import files_read

    target = None if output is None or is_stdout(output) else output
    refuse_overwriting_inputs({"--output": target}, [profile, *files_read(spec)])
    out = Output(target) if target is not None else None
    try:
        result = run_sweep(spec, *vary, **{f"prices.{k}": v for k, v in given.items() if v is not None})
    except BaseException:
        if out is not None:
            out.discard()
        raise
    points, crossings, fields = result.points, result.breakevens, result.fields

    def emit(file, console):
        if format is Format.csv:
            render.write_sweep_csv(points, crossings, fields, file)
        elif format is Format.json:
            render.write_sweep_json(points, crossings, fields, file)
        else:
            render.print_sweep(points, crossings, fields, spec.name, console())

    _emit_to(out, emit)


class Region(str, Enum):
    I = "I"
    II = "II"
    III = "III"
    IV = "IV"
    V = "V"
    VI = "VI"


class Compressor(str, Enum):
    single_stage = "single_stage"
    two_stage = "two_stage"
    variable_speed = "variable_speed"


@app.command(epilog=EXAMPLES["rating"])
@handle_errors
def rating(
    profile: Annotated[Optional[Path], typer.Argument(
        help="A profile whose heat pump to rate (its test set, data-sheet rows, points or default curve).",
        show_default=False)] = None,
    points: Annotated[Optional[str], typer.Option(
        "--points", help="Rating points at the highest speed, OUTDOOR_F:COP:CAPACITY_BTU_H separated by commas, "
                         "e.g. 47:3.8:36000,17:2.5:24000,5:1.9:19000.", show_default=False)] = None,
    min_points: Annotated[Optional[str], typer.Option(
        "--min-points", help="The same at the lowest speed (two-stage or variable speed).", show_default=False)]
    = None,
    rated_points: Annotated[Optional[str], typer.Option(
        "--rated-points", help="The data sheet's rated-speed points, the same way: with them --points are the "
                               "maximum speed and the unit is rated exactly as a profile with those data-sheet rows "
                               "(speed: max, min, rated) would be.", show_default=False)] = None,
    tests: Annotated[Optional[Path], typer.Option(
        "--tests", help="A YAML file of the unit's AHRI test set (compressor, region, cooling_capacity, "
                        "cycling_degradation, defrost_credit, cutout, tests); see docs/profile.md.",
        show_default=False)] = None,
    compressor: Annotated[Compressor, typer.Option("--compressor", help="Compressor type, with --points.")]
    = Compressor.single_stage,
    cd: Annotated[Optional[float], typer.Option(
        "--cd", help="Cyclic degradation coefficient for both stages (default 0.25; 0.15 for variable speed).",
        min=0.0, max=0.5, show_default=False)] = None,
    cooling_capacity: Annotated[Optional[float], typer.Option(
        "--cooling-capacity", help="Cooling capacity at 95 F [Btu/h] for the load line (default: the heating "
                                   "capacity at 47 F).", min=1.0, max=600_000.0, show_default=False)] = None,
    region: Annotated[Optional[Region], typer.Option("--region", help="AHRI climate region (default IV).",
                                                     show_default=False)] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
):
    """Rate a heat pump by AHRI 210/240-2023 (appendix M1): its HSPF2, and its HSPF by the 2017 procedure."""
    from . import render
    from .api import rate_heat_pump

    data = rate_heat_pump(profile, points=points, min_points=min_points, tests=tests, compressor=compressor.value,
                          cycling_degradation=cd, cooling_capacity_btu_per_h=cooling_capacity,
                          region=region.value if region else None, rated_points=rated_points)
    if format is Format.json:
        render.write_rows_json([data], sys.stdout)
    elif format is Format.csv:
        # one row per bin, each with the unit's figures, so a script reads the rating from any row
        head = {"hspf2": data["hspf2"], "hspf": data["hspf"], "region": data["region"],
                "compressor": data["compressor"]}
        rows = [{**head, **b} for b in data["bins"]]
        render.write_records_csv(rows, list(rows[0]), sys.stdout)
    else:
        render.print_rating(data, render.make_console())


@app.command(epilog=EXAMPLES["size"])
@handle_errors
def size(
    profile: Annotated[Path, typer.Argument(help="A profile YAML file.", show_default=False)],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
):
    """Size a heat pump: design load, capacity needed, standard size by compressor type, heat covered without
    backup, and the backup strips needed."""
    from . import render
    from .api import size as size_profile

    result = size_profile(profile)
    if format is Format.csv:
        rows = result.rows()
        render.write_records_csv(rows, list(rows[0]), sys.stdout)
    elif format is Format.json:
        render.write_rows_json(result.rows(), sys.stdout)
    else:
        render.print_sizing(result, render.make_console())


def _count_inputs(inputs: list[str], homes: str | None) -> int | None:
    """How many homes, when it can be known cheaply (for the progress bar); None otherwise."""
    import os
    import stat

    from . import batch as b

    if "-" in inputs or homes == "-":
        return None
    count = sum(1 for _ in b.iter_profile_inputs(inputs)) if inputs else 0
    if homes is not None:
        try:
            if not stat.S_ISREG(os.stat(homes).st_mode):
                return None  # a pipe can be read only once
            with open(homes, "rb") as fh:
                count += max(0, sum(1 for line in fh if line.strip()) - 1)
        except OSError:
            return None
    return count


def _run_batch(blocks, total, format, output, errors_path, fail_fast, columns=None, units: str = "us") -> None:
    """Run :func:`heatcalc.batch.write_batch` with this terminal's messages, progress bar and stop signals, then say
    how many homes ran and exit with the batch's status."""
    from .batch import write_batch

    signals = _DeferredSignals()
    progress = _progress(total)
    stop: KeyboardInterrupt | None = None
    totals = None
    try:
        totals = write_batch(blocks, format.value, output, errors_path, fail_fast, columns=columns, units=units,
                             message=_err,
                             watch=signals.watch, advance=progress.advance if progress else None,
                             max_table_homes=MAX_TABLE_HOMES, on_loop_end=lambda: _loop_end(signals, progress))
    except KeyboardInterrupt as exc:
        if getattr(exc, "forced", False) or not hasattr(exc, "totals"):
            raise
        stop, totals = exc, exc.totals
    stop = stop or signals.received
    written, failed = totals
    where = f"; {output} holds the rows of {_homes(written)}" if output else ""
    if stop is not None:
        how = f"Stopped by {stop.signal_name}" if isinstance(stop, Stopped) else "Interrupted"
        _err(f"{how}: {_homes(written + failed)} done, {written:,} computed, {failed:,} failed{where} "
             "(whole rows only; the rest were not run)")
        raise typer.Exit(_interrupted(stop))
    _err(f"{_homes(written + failed)}: {written:,} computed, {failed:,} failed{where}")
    if failed:
        raise typer.Exit(ExitStatus.PARTIAL)


def _loop_end(signals, progress) -> None:
    signals.restore()
    if progress:
        progress.stop()


def _homes(n: int) -> str:
    return f"{n:,} home{'' if n == 1 else 's'}"


class _DeferredSignals:
    """While a batch writes rows, Ctrl-C, SIGTERM and SIGHUP are noted rather than raised, and the run stops after
    the home being written, so the output holds whole homes only.  A second signal stops at once (the output file
    is then discarded, never left cut short)."""

    def __init__(self):
        import signal

        self.received: KeyboardInterrupt | None = None
        self.previous = {}
        for signum in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if signum is None or signal.getsignal(signum) is signal.SIG_IGN:
                continue
            self.previous[signum] = signal.signal(signum, self._note)

    def _note(self, signum, frame):
        import signal

        name = signal.Signals(signum).name
        stop = KeyboardInterrupt() if signum == signal.SIGINT else Stopped(
            name, ExitStatus.TERMINATED if signum == signal.SIGTERM else ExitStatus.HANGUP)
        if self.received is not None:
            stop.forced = True  # the user insists: stop now, and let the caller discard the output
            raise stop
        self.received = stop

    def watch(self, outcomes):
        from .fileio import stop_noted

        for outcome in outcomes:
            yield outcome
            # a stop that landed before these handlers, where its exception was swallowed (Python's "Exception
            # ignored" in a garbage-collection callback or a __del__), was noted: it stops the run here too --
            # waiting for the end would never stop a table read from an endless pipe
            if self.received is None and stop_noted() is not None:
                self.received = stop_noted()
            if self.received is not None:
                outcomes.close()  # stops the workers
                return

    def restore(self) -> None:
        import signal

        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        self.previous = {}


def _progress(total):
    """A progress bar on stderr when stderr is a terminal; nothing otherwise."""
    from .progress import bar

    return bar(total, sys.stderr.isatty())


def _emit(records, columns, format: Format, title: str) -> None:
    from . import render

    if format is Format.csv:
        render.write_records_csv(records, [k for k, _ in columns], sys.stdout)
    elif format is Format.json:
        render.write_rows_json(records, sys.stdout)
    else:
        render.print_records(records, columns, render.make_console(), title=title)


class ReportFormat(str, Enum):
    html = "html"
    svg = "svg"
    png = "png"


@app.command(epilog=EXAMPLES["report"])
@handle_errors
def report(
    profiles: Annotated[list[Path], typer.Argument(help="Profile YAML files.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write (report.html, chart.svg, ...).",
                                         show_default=False)],
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="html: the whole report; svg or png: one "
                                                                         "chart (with --chart).")] = ReportFormat.html,
    chart: Annotated[Optional[str], typer.Option(
        "--chart", help="With --format svg or png: annual_cost, monthly_cost, heat_pump_capacity, breakeven, "
                        "lifetime_cost, peak_demand, monthly_bills or solar.", show_default=False)] = None,
    electricity_price: ElectricityPrice = None,
    gas_price: GasPrice = None,
    propane_price: PropanePrice = None,
    oil_price: OilPrice = None,
):
    """Write a report people can read: one self-contained HTML page with charts (a section per home), or one chart
    as SVG or PNG for your own documents."""
    from .api import write_report
    from .fileio import is_stdout, refuse_overwriting_inputs

    refuse_overwriting_inputs({"--output": output}, profiles)
    overrides = _price_overrides(electricity=electricity_price, natural_gas=gas_price, propane=propane_price,
                                 heating_oil=oil_price)
    loaded = _load_profiles(profiles)
    refuse_overwriting_inputs({"--output": output}, _inputs_of(profiles, loaded))
    suffix = "" if is_stdout(output) else output.suffix.lower()
    wanted = {ReportFormat.html: (".html", ".htm"), ReportFormat.svg: (".svg",), ReportFormat.png: (".png",)}[format]
    if suffix and suffix not in wanted:
        raise HeatcalcError(f"--output {output}: the name ends in {suffix} but --format is {format.value}; name "
                            f"the file {output.stem}{wanted[0]} or give the matching --format")
    written = write_report(loaded, output, format.value, chart, override_source="command line",
                           **_price_fields(overrides))
    if not is_stdout(output) and output.exists() and not output.is_char_device():
        size = f" ({_homes(len(loaded))}, {written / 1024:,.0f} kB)" if format is ReportFormat.html else ""
        _err(f"Wrote {output}{size}")


@app.command(epilog=EXAMPLES["costs"])
@handle_errors
def costs(
    state: Annotated[Optional[str], typer.Option("--state", help="Two-letter state (default: the national "
                                                                  "average).", show_default=False)] = None,
    size: Annotated[str, typer.Option("--size", help="Heating capacity, e.g. '3 ton' or '36000 Btu/h'; a bare "
                                                     "number is in tons.")]
    = "3 ton",
    zones: Annotated[Optional[int], typer.Option(
        "--zones", help="Indoor units of the ductless systems (default: one per 18,000 Btu/h).", min=1, max=12,
        show_default=False)] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
):
    """Installed-cost ranges of each kind of equipment at a size in a state: typical (the median) and the 10th and
    90th percentiles of what households pay, in 2023 dollars, with sources."""
    from . import render
    from .api import installed_costs

    rows = installed_costs(size, state, zones=zones)
    if format is Format.csv:
        render.write_records_csv(rows, list(rows[0]), sys.stdout)
    elif format is Format.json:
        render.write_rows_json(rows, sys.stdout)
    else:
        render.print_costs(rows, render.make_console())


@app.command(epilog=EXAMPLES["incentives"])
@handle_errors
def incentives(
    zip_code: Annotated[str, typer.Option("--zip", help="The home's 5-digit ZIP code.", show_default=False)],
    income: Annotated[Optional[str], typer.Option(
        "--income", help="Household income per year, as a profile takes it: 95000, 95,000, 95k or '7900 $/month' "
                         "(income-limited programs need it).", show_default=False)] = None,
    household_size: Annotated[Optional[int], typer.Option(
        "--household-size", help="People in the household (income limits depend on it).", min=1, max=20,
        show_default=False)] = None,
    owner: Annotated[bool, typer.Option("--owner/--renter", help="Owner (default) or renter.")] = True,
    utility: Annotated[Optional[str], typer.Option(
        "--utility", help="The electric utility's name or key, e.g. Eversource (default: the ZIP's utility, as "
                          "Rewiring America's data maps it).",
        show_default=False)] = None,
    date: Annotated[Optional[str], typer.Option(
        "--date", help="The date of the purchase, YYYY-MM-DD (default today): only programs in effect then.",
        show_default=False)] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    include_unlaunched: Annotated[bool, typer.Option(
        "--include-unlaunched", help="In a state Rewiring America does not yet serve, list its state and utility "
                                     "offers too (marked).")] = False,
    heat_pump: Annotated[Optional[str], typer.Option(
        "--heat-pump", help="The heat pump bought: ducted, ductless, ground_source or air_to_water (offers for it "
                            "only).",
        show_default=False)] = None,
    replaces: Annotated[Optional[str], typer.Option(
        "--replaces", help="What it replaces: natural_gas, propane, heating_oil, kerosene, coal, wood, pellets, "
                           "electric_resistance, heat_pump or none (offers for another replacement are left out).",
        show_default=False)] = None,
    home_type: Annotated[Optional[str], typer.Option(
        "--home-type", help="single_family, manufactured or multifamily.", show_default=False)] = None,
):
    """Incentives for a heat pump at a ZIP code (rebates, tax credits, assistance; and the panel, wiring and
    weatherization work a heat pump may need), for the household's income and size, from a dated snapshot of
    Rewiring America's open data."""
    from . import render
    from .api import find_incentives
    from .incentives import snapshot_warning

    if income is not None:
        from .profile import parse_field_value

        income = parse_field_value("household.income", income, "command line", label="--income")
    finding = find_incentives(zip_code, income, household_size, owner, utility, date, include_unlaunched,
                              heat_pump, replaces, home_type)
    render.write_incentives(finding, format.value, sys.stdout, render.make_console())
    stale = snapshot_warning()
    if stale:
        _err(f"Warning: {stale}")
    if finding.utility_how and not finding.utility_how.startswith("given"):
        _err(f"Utility: {finding.utility_how} (--utility NAME)")
    for note in finding.notes:
        if note.startswith("utility programs"):
            _err(f"Note: {note}; this state's: {', '.join(finding.other_utilities) or 'none listed'}")
    left = [n for n in finding.notes if not n.startswith("utility programs")]
    if left:
        _err(f"Left out ({len(left)}): " + "; ".join(left[:6]) + (" ..." if len(left) > 6 else ""))


@app.command(epilog=EXAMPLES["schema"])
@handle_errors
def schema():
    """Print a JSON Schema of the profile (for editor completion and checking)."""
    import json

    from .api import schema as json_schema

    json.dump(json_schema(), sys.stdout, indent=2)
    sys.stdout.write("\n")


def _import_early(args: list[str]) -> None:
    """Import numpy here, at the bottom of the call stack, for the commands that compute; for `compare`, also the
    modules it reads profiles and writes its output with.  :func:`main` runs this with the cycle collector off.

    CPython 3.11 keeps Python frames in 16 KB chunks and frees a chunk as soon as it empties.  Imported from deep
    inside Click's call stack, numpy's 140 modules crossed a chunk boundary about a thousand times (a thousand
    mmap/munmap pairs and page faults, 20-30 ms of `heatcalc compare`); imported here they cross none.
    """
    words = [a for a in args if not a.startswith("-")]
    if not words or words[0] in ("init", "schema") or "--help" in args or "-h" in args or "--version" in args:
        return
    import numpy  # noqa: F401

    if words[0] != "compare":
        return
    import yaml  # noqa: F401

    from . import api, profile, render, simulate  # noqa: F401

    given = [b for a, b in zip(args, args[1:]) if a in ("--format", "-f")] + \
        [a.split("=", 1)[1] for a in args if a.startswith("--format=")]
    if not any(f in ("csv", "json") for f in given):  # the table: Rich's console and table
        import rich.console  # noqa: F401
        import rich.table  # noqa: F401


def _buffered_stdout() -> None:
    """Give stdout a buffered binary layer when Python runs unbuffered (PYTHONUNBUFFERED, -u).

    Unbuffered, sys.stdout writes straight to the raw file, which on a nearly full disk writes part of the text and
    returns the short count; the text layer ignores it, so the rest is lost and nothing fails. A buffered writer
    writes the rest, and so meets the error (no space left) and raises it."""
    import io

    try:
        if not isinstance(getattr(sys.stdout, "buffer", None), io.RawIOBase):
            return
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):
        return
    old = sys.stdout
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(fd, "w", closefd=False)), encoding=old.encoding,
                                  errors=old.errors, line_buffering=True)


def main() -> None:
    """The console script: run the app, with stop signals handled like Ctrl-C, a closed stdout treated as the
    reader being done (exit 0), and any unforeseen error reported in one line (``--traceback`` shows it)."""
    import signal

    from .fileio import note_stop

    def stop(signum, frame):
        name = signal.Signals(signum).name
        exc = KeyboardInterrupt() if signum == signal.SIGINT else \
            Stopped(name, ExitStatus.TERMINATED if signum == signal.SIGTERM else ExitStatus.HANGUP)
        note_stop(exc)  # kept, so that a stop whose exception is swallowed still wins before any output is kept
        raise exc

    def unraisable(info) -> None:
        # An exception Python cannot raise (in a garbage-collection callback or a __del__) would be printed with a
        # traceback. A stop signal landing there is kept by note_stop and reported once by the command; anything
        # else is said in one line (--traceback: Python's own report).
        if isinstance(info.exc_value, KeyboardInterrupt):
            return
        if _state.get("traceback"):
            sys.__unraisablehook__(info)
            return
        _err(f"Warning: an error was ignored while cleaning up ({type(info.exc_value).__name__}: "
             f"{info.exc_value}); please report it, with --traceback's output")

    sys.unraisablehook = unraisable
    signal.signal(signal.SIGTERM, stop)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, stop)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, stop)
    _buffered_stdout()
    # Start-up makes some 200,000 objects (modules, functions, classes) that live as long as the process: the
    # cycle collector would look through them again and again while they are made (~10 ms of a compare) and never
    # find one to free.  Off while the modules load, then those objects are set aside for good (frozen) and it
    # runs as usual for the command's own objects.
    status = 0
    try:
        gc.disable()
        try:
            _import_early(sys.argv[1:])
        except Exception:  # (a module that cannot load fails again inside the command, which reports it)
            pass
        finally:
            gc.freeze()
            gc.enable()
        _app_for(sys.argv[1:])()
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt as exc:  # a signal that arrived outside any command
        _err("Interrupted.")
        status = _interrupted(exc)
    except BrokenPipeError:
        _quiet_broken_pipe()
    except Exception as exc:  # a bug: one line, not a traceback
        if _state["traceback"]:
            raise
        _err(f"Error: internal error ({type(exc).__name__}: {exc}); please report it, with --traceback's output")
        status = ExitStatus.ERROR
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    except OSError as exc:  # the last of the output could not be written (a full disk): never exit 0 on it
        _err(f"Error: stdout: {exc.strerror or exc}")
        _quiet_broken_pipe()  # so the interpreter's own flush at exit does not fail again
        status = status or ExitStatus.ERROR
    except ValueError:
        pass
    # Nothing the command made is used again, so its objects need no more cycle collection: Python's exit runs
    # full collections over every object alive (numpy's, Rich's, the model's), ~20 ms of a 180 ms compare.  Frozen,
    # they are left to the exit's freeing by reference counts; files and atexit handlers are closed as before.
    gc.freeze()
    sys.exit(status)


def _app_for(args: list[str]):
    """The app with only the command being run, when the first word names one: Typer builds a Click command for
    every registered command before it looks at the arguments (~4 ms for thirteen).  The command's options, help
    and errors are the same; anything else (no command, an option first, a word that is not a command, shell
    completion) gets the whole app."""
    import copy
    import os

    if not args or any(key.endswith("_COMPLETE") for key in os.environ):
        return app
    chosen = [info for info in app.registered_commands if (info.name or info.callback.__name__) == args[0]]
    if len(chosen) != 1:
        return app
    one = copy.copy(app)
    one.registered_commands = chosen
    return one
