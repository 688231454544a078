"""The columnar route of ``batch --homes`` (issue 14): the same rows as the per-home route, Parquet in and out,
and the rows of failing homes never lost."""

import csv
import io
import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from heatcalc import batch as b
from heatcalc import columnar as c
from heatcalc.cli import app

from .conftest import ROOT

runner = CliRunner()
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

# stations over several climates (Boston, Chicago, Fairbanks, Phoenix, Miami, Honolulu: the last fails, its air
# never falls below a 55-65 F balance point), ZIP codes and states
STATIONS = ["725090", "725300", "702610", "722780", "722020", "911820"]
ZIPS = ["02134", "60614", "2134", "80205-1234", "99501", "00000", "96815"]
STATES = ["MA", "il", "TX", "AK", "US", "ZZ", "HI"]


def per_home_block(chunk: c.Chunk, overrides=None) -> c.Block:
    """The same chunk run home by home through the profile route (validate, build_home, compare_many)."""
    items = []
    for i, home in enumerate(chunk.homes):
        if i in chunk.errors:
            items.append(b.HomeInput(home, "error", chunk.errors[i], chunk.source, chunk.lines[i]))
        else:
            cells = {f: col[i] for f, col in zip(chunk.fields, chunk.cells)}
            items.append(b.HomeInput(home, "row", (cells, chunk.defaults), chunk.source, chunk.lines[i]))
    return c.block_from_outcomes(b.process_block(items, overrides))


def assert_same_blocks(got: c.Block, want: c.Block) -> None:
    assert got.homes == want.homes
    differ = [(h, g, w) for h, g, w in zip(got.homes, got.problems, want.problems) if g != w]
    assert not differ, differ[:3]
    differ = [(h, g, w) for h, g, w in zip(got.homes, got.warnings, want.warnings) if tuple(g) != tuple(w)]
    assert not differ, differ[:3]  # the same warnings, whichever route ran the home
    assert got.counts.tolist() == want.counts.tolist()
    for name in c.OUT_COLUMNS:
        a, w = got.columns[name], want.columns[name]
        if name in c.OBJECT_COLUMNS:
            assert a.tolist() == w.tolist(), name
        else:
            assert np.array_equal(np.isnan(a), np.isnan(w)), name
            # the same arithmetic, summed in another order (bins of many stations side by side): ~1e-14 apart
            np.testing.assert_allclose(a, w, rtol=1e-9, atol=1e-9, err_msg=name)


def chunk_of(rows: list[dict], defaults=None, source="homes.csv") -> c.Chunk:
    fields = tuple(sorted({k for r in rows for k in r if k != "home"}))
    cells = [[r.get(f) for r in rows] for f in fields]
    homes = [str(r.get("home") or i + 1) for i, r in enumerate(rows)]
    return c.Chunk(source, fields, cells, homes, [i + 2 for i in range(len(rows))], {}, defaults or {})


def test_fast_route_equals_per_home_route_on_a_varied_table():
    rng = np.random.default_rng(5)
    rows = []
    for i in range(300):
        where = rng.integers(3)
        row = {"location.station": str(rng.choice(STATIONS))} if where == 0 else \
            {"location.zip": str(rng.choice(ZIPS))} if where == 1 else {"location.state": str(rng.choice(STATES))}
        if rng.random() < 0.2:
            row["location.state"] = str(rng.choice(STATES[:4]))
        load = rng.random()
        if load < 0.1:  # a heat-loss coefficient, or a design load (some with the indoor temperature)
            if rng.random() < 0.5:
                row["heating_load.ua"] = str(rng.choice(["400", "750.5", "0", "-5", "30 kBtu/h"]))
            else:
                row["heating_load.design.load"] = str(rng.choice(["36000", "48 kBtu/h", "3 ton", ""]))
                row["heating_load.design.outdoor"] = str(rng.choice(["5", "-10", "-20 C", "", "75"]))
                row["heating_load.indoor"] = str(rng.choice(["", "", "68", "21 C"]))
        elif load < 0.4:
            row["heating_load.annual"] = f"{rng.integers(5, 200)} MMBtu"
        elif load < 0.6:
            row["heating_load.annual"] = f"{rng.uniform(2000, 40000):.1f} kWh"
        else:  # a year of bills, in the fuel's unit or another, some with non-heating use or an efficiency
            fuel, amount = [("natural_gas", f"{rng.integers(100, 2000)} therm"),
                            ("propane", f"{rng.integers(100, 1500)}"),
                            ("heating_oil", f"{rng.integers(100, 1200)} gal"),
                            ("electricity", f"{rng.integers(3000, 40000)} kWh"), ("", "800")][rng.integers(5)]
            row["heating_load.from_bills.fuel"] = fuel
            row["heating_load.from_bills.amount"] = amount
            row["heating_load.from_bills.non_heating"] = str(rng.choice(["", "", "15 therm/month", "200 kWh/month",
                                                                         "100/year", "5000 therm/year"]))
            row["heating_load.from_bills.efficiency"] = str(rng.choice(["", "", "0.9", "2.5", "1.1"]))
            if rng.random() < 0.05:
                row["heating_load.annual"] = "50"  # and a load too: the per-home route reports it
        row["heating_load.balance_point"] = str(rng.choice(["", "55", "60", "65", "18 C"]))
        row["systems.heat_pump.hspf2"] = str(rng.choice(["", "7.5", "8.1", "9.5", "10", "13", "20"]))
        row["systems.heat_pump.compressor"] = str(rng.choice(["", "single_stage", "two_stage", "variable_speed"]))
        row["systems.heat_pump.backup"] = str(rng.choice(["", "electric_resistance", "furnace"]))
        row["systems.heat_pump.cutoff"] = str(rng.choice(["", "-13", "0", "5 F", "-20 C"]))
        row["systems.heat_pump.capacity"] = str(rng.choice(["", "", "", "3 ton", "24000"]))
        row["systems.heat_pump.switchover"] = str(rng.choice(["", "", "30", "40"]))
        row["systems.heat_pump.cycling_degradation"] = str(rng.choice(["", "", "0.1", "0.3"]))
        row["systems.furnace.fuel"] = str(rng.choice(["", "natural_gas", "propane", "heating_oil"]))
        row["systems.furnace.afue"] = str(rng.choice(["", "0.8", "0.95", "96 %", "1.2"]))
        row["systems.furnace.blower"] = str(rng.choice(["", "", "5", "0"]))
        row["systems.electric_resistance.efficiency"] = str(rng.choice(["", "", "1", "0.98"]))
        for key in ("electricity", "natural_gas", "propane", "heating_oil"):
            if rng.random() < 0.5:
                row[f"prices.{key}"] = f"{rng.uniform(0.05, 4):.3f}"
        row["emissions.electricity"] = str(rng.choice(["", "", "0.4"]))
        row["systems.heat_pump"] = str(rng.choice(["", "", "", "", "false"]))
        row["systems.furnace"] = str(rng.choice(["", "", "", "", "false"]))
        row["systems.electric_resistance"] = str(rng.choice(["", "", "", "", "false", "true"]))
        row["name"] = str(rng.choice(["", "", "", "A house", "[x]"]))
        for section in ("systems.heat_pump", "systems.furnace", "systems.electric_resistance"):
            if row[section]:  # a table has a section's column or its fields' columns, never both
                row = {k: v for k, v in row.items() if not k.startswith(section + ".")}
        rows.append(row)
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert_same_blocks(got, per_home_block(chunk))
    ran = sum(p is None for p in got.problems)
    assert got.fast >= 0.9 * ran > 50  # nearly every home that runs takes the fast route (the rest: odd names)
    assert len(got.homes) - ran > 20  # and the bad ones were reported, not dropped


def test_price_overrides_and_defaults_apply_on_the_fast_route():
    rows = [{"location.station": s, "heating_load.annual": "80", "systems.furnace.fuel": f}
            for s in STATIONS[:4] for f in ("", "propane", "heating_oil")]
    defaults = {"systems": {"heat_pump": {"hspf2": 9.5, "backup": "furnace"}}, "prices": {"propane": 3.1}}
    overrides = {"electricity": 0.31, "natural_gas": 1.7}
    chunk = chunk_of(rows, defaults)
    got = c.run_chunk(chunk, overrides)
    assert got.fast == len(rows)
    assert_same_blocks(got, per_home_block(chunk, overrides))
    # a defaults profile with a field the fast route does not cover sends every row the per-home way, still right
    chunk = chunk_of(rows, {"heating_load": {"indoor": 70}, "systems": {"heat_pump": {"type": "ground_source"}}})
    got = c.run_chunk(chunk)
    assert got.fast == 0
    assert_same_blocks(got, per_home_block(chunk))
    # a ductless heat pump is on the fast route (heatcalc.rules.heat_pump and .ducts): no duct losses for it
    chunk = chunk_of(rows, {"ducts": {"efficiency": 0.8}, "systems": {"heat_pump": {"distribution": "ductless",
                                                                                   "hspf": 9.5}}})
    got = c.run_chunk(chunk)
    assert got.fast == len(rows)
    assert_same_blocks(got, per_home_block(chunk))
    # ducts are on the fast route (heatcalc.rules.ducts, the per-home route's rule): the same rows, every home fast
    chunk = chunk_of(rows, {"heating_load": {"indoor": 70}, "ducts": {"efficiency": 0.8}})
    got = c.run_chunk(chunk)
    assert got.fast == len(rows)
    assert_same_blocks(got, per_home_block(chunk))


FAST_VALUES = {
    "heating_load.ua": st.sampled_from(["", "", "", "300", "0", "1e9"]),
    "heating_load.design.outdoor": st.sampled_from(["", "", "", "0", "72"]),
    "heating_load.design.load": st.sampled_from(["", "", "", "30000", "-1"]),
    "heating_load.from_bills.fuel": st.sampled_from(["", "natural_gas", "propane", "heating_oil", "electricity", "x",
                                                     "wood", "pellets", "kerosene", "coal"]),
    "heating_load.from_bills.amount": st.sampled_from(["", "900", "-3", "700 gal", "5 MMBtu", "20000 kWh", "1e9",
                                                       "4 cord", "3 ton", "80 bag"]),
    "heating_load.from_bills.non_heating": st.sampled_from(["", "10 therm/month", "900/year", "5", "1e12/year"]),
    "location.station": st.sampled_from(STATIONS + ["", "999999", "nope"]),
    "heating_load.annual": st.one_of(st.just(""), st.floats(-5, 500).map(lambda x: f"{x:.3f} MMBtu"),
                                     st.integers(0, 90000).map(str), st.sampled_from(["1e308", "nan", "x"])),
    "heating_load.balance_point": st.sampled_from(["", "40", "58.5", "75", "200", "-500"]),
    "systems.heat_pump.hspf2": st.one_of(st.just(""), st.floats(5, 15).map(lambda x: f"{x:.2f}")),
    "systems.heat_pump.compressor": st.sampled_from(["", "single_stage", "two_stage", "variable_speed", "turbo"]),
    "systems.heat_pump.backup": st.sampled_from(["", "furnace", "electric_resistance"]),
    "systems.heat_pump.capacity": st.sampled_from(["", "0", "1 ton", "60000", "-3"]),
    "systems.furnace.afue": st.sampled_from(["", "0.5", "0.99", "1", "2"]),
    "systems.furnace.kind": st.sampled_from(["", "", "furnace", "boiler", "stove", "insert", "hearth"]),
    "systems.furnace.fuel": st.sampled_from(["", "", "natural_gas", "heating_oil", "kerosene", "wood", "pellets",
                                             "coal"]),
    "systems.furnace.blower": st.sampled_from(["", "", "0", "6"]),
    "prices.pellets": st.sampled_from(["", "", "300", "8 $/bag"]),
    "prices.kerosene": st.sampled_from(["", "", "4.5"]),
    "prices.wood": st.sampled_from(["", "", "275"]),
    "ducts.efficiency": st.sampled_from(["", "", "0.8", "75 %", "0.2", "1"]),
    "cooling_load.annual": st.sampled_from(["", "", "", "20 MMBtu", "-3"]),
    "cooling_load.ua": st.sampled_from(["", "", "", "400"]),
    "cooling_load.balance_point": st.sampled_from(["", "", "65", "95"]),
    "cooling_load.from_bills.amount": st.sampled_from(["", "", "", "3000 kWh"]),
    "systems.heat_pump.cooling_capacity": st.sampled_from(["", "", "1 ton"]),
    "systems.air_conditioner": st.sampled_from(["", "", "false"]),
    "systems.air_conditioner.capacity": st.sampled_from(["", "", "2 ton"]),
    "systems.furnace": st.sampled_from(["", "false", "no", "{}"]),
    "prices.electricity": st.one_of(st.just(""), st.floats(0, 2).map(lambda x: f"{x:.4f}")),
    "economics.current": st.sampled_from(["", "", "", "furnace", "heat_pump", "electric_resistance"]),
    "economics.replace_current": st.sampled_from(["", "true"]),
    "economics.installed_cost.heat_pump": st.sampled_from(["", "", "14000", "-1"]),
    "economics.lifetime": st.sampled_from(["", "", "10", "22.5"]),
    "systems.heat_pump.hspf": st.sampled_from(["", "", "", "8.2", "10", "30"]),
    "systems.heat_pump.distribution": st.sampled_from(["", "", "ducted", "ductless"]),
    "systems.heat_pump.type": st.sampled_from(["", "", "", "air_source", "ground_source"]),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({k: v for k, v in FAST_VALUES.items()}), min_size=1, max_size=12))
def test_generated_rows_give_what_the_per_home_route_gives(rows):
    chunk = chunk_of(rows)
    assert_same_blocks(c.run_chunk(chunk), per_home_block(chunk))


def _without_both(row: dict) -> dict:
    """A table has a section's column or its fields' columns, never both."""
    for section in ("systems.heat_pump", "systems.furnace", "systems.electric_resistance", "systems.air_conditioner"):
        if row.get(section):
            row = {k: v for k, v in row.items() if not k.startswith(section + ".")}
    return row


def test_boilers_stoves_and_every_fuel_take_the_fast_route_and_agree():
    # the rule for the fuel-burning system is written once (heatcalc.rules.furnace): both routes give the same rows,
    # and a boiler, a stove or a wood, pellet, kerosene or coal home no longer leaves the fast route for it
    rng = np.random.default_rng(9)
    kinds = ["furnace", "boiler", "stove", "insert", ""]
    fuels = ["natural_gas", "propane", "heating_oil", "kerosene", "wood", "pellets", "coal", ""]
    rows = []
    for i in range(240):
        fuel = str(rng.choice(fuels))
        row = {"location.station": str(rng.choice(STATIONS[:5])), "systems.furnace.kind": str(rng.choice(kinds)),
               "systems.furnace.fuel": fuel, "systems.furnace.afue": str(rng.choice(["", "", "0.7"])),
               "systems.heat_pump.backup": str(rng.choice(["electric_resistance", "furnace"])),
               "prices.pellets": str(rng.choice(["", "320", "7.5 $/bag"])),
               "prices.kerosene": str(rng.choice(["", "4.6"])), "prices.coal": str(rng.choice(["", "350"])),
               "prices.wood": str(rng.choice(["", "", "300 $/cord"]))}
        if rng.random() < 0.4:
            row["ducts.efficiency"] = str(rng.choice(["0.75", "0.9"]))
        if rng.random() < 0.3:  # bills of the fuel the stove burns: it is the current system, at their efficiency
            billed = fuel or "wood"
            unit = {"wood": "cord", "pellets": "ton", "coal": "ton", "natural_gas": "therm"}.get(billed, "gal")
            amount = {"cord": 4, "ton": 3, "therm": 800, "gal": 600}[unit]
            row.update({"heating_load.from_bills.fuel": billed,
                        "heating_load.from_bills.amount": f"{amount} {unit}",
                        "heating_load.from_bills.efficiency": str(rng.choice(["", "0.65"]))})
        else:
            row["heating_load.annual"] = f"{rng.integers(20, 120)} MMBtu"
        rows.append(_without_both(row))
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert_same_blocks(got, per_home_block(chunk))
    ran = sum(p is None for p in got.problems)
    assert got.fast == ran > 100  # every home that runs took the fast route
    failed = [p for p in got.problems if p is not None]
    assert any(q.field == "prices.pellets" for p in failed for q in p)  # a pellet home without a price is asked
    assert any(q.field == "systems.furnace.kind" for p in failed for q in p)  # a gas stove is refused
    wood = got.columns["biogenic_co2_kg"][got.columns["fuel"] == "wood"]
    assert wood.size and (wood > 0).all()


def test_read_errors_keep_their_place(tmp_path):
    path = tmp_path / "homes.csv"
    path.write_bytes(b"location.station,heating_load.annual\n725090,80\n725300,70,3\n\xff\xfe,9\n725300,60\n")
    out = runner.invoke(app, ["batch", "--homes", str(path)])
    assert out.exit_code == 3
    homes = [r["home"] for r in csv.DictReader(io.StringIO(out.stdout))]
    assert homes == ["1"] * 3 + ["4"] * 3
    assert "homes.csv:3" in out.stderr and "row has 3 cells" in out.stderr
    assert "homes.csv:4" in out.stderr and "not UTF-8" in out.stderr
    assert "4 homes: 2 computed, 2 failed" in out.stderr


# --- Parquet ------------------------------------------------------------------------------------------------------

def write_homes(tmp_path, n=60, name="homes"):
    """The same homes as a CSV (text cells) and as Parquet (typed columns: numbers as numbers)."""
    rng = np.random.default_rng(7)
    stations = [str(s) for s in rng.choice(STATIONS, n)]
    annual = rng.integers(20, 140, n).astype(float)
    annual[3] = -5.0  # a bad row: reported, the others run
    hspf2 = rng.choice([7.5, 8.1, 9.0, 10.0], n)
    comp = [str(x) for x in rng.choice(["single_stage", "two_stage", "variable_speed"], n)]
    price = np.round(rng.uniform(0.09, 0.4, n), 3)
    price[::7] = np.nan  # empty cells: the state's price
    table = pa.table({"home": [f"h{i}" for i in range(n)], "location.station": stations,
                      "heating_load.annual": annual, "systems.heat_pump.hspf2": hspf2,
                      "systems.heat_pump.compressor": comp,
                      "prices.electricity": pa.array(price, mask=np.isnan(price))})
    pq.write_table(table, tmp_path / f"{name}.parquet", row_group_size=25)
    with open(tmp_path / f"{name}.csv", "w") as fh:
        fh.write(",".join(table.column_names) + "\n")
        for i in range(n):
            fh.write(f"h{i},{stations[i]},{float(annual[i])!r},{float(hspf2[i])!r},{comp[i]},"
                     f"{'' if math.isnan(price[i]) else repr(float(price[i]))}\n")
    return tmp_path / f"{name}.parquet", tmp_path / f"{name}.csv"


def test_parquet_in_and_out_give_the_csv_rows(tmp_path):
    parquet, table = write_homes(tmp_path)
    from_csv = runner.invoke(app, ["batch", "--homes", str(table)])
    assert from_csv.exit_code == 3, from_csv.stderr  # home h3 fails, and is reported
    out = tmp_path / "out.parquet"
    from_parquet = runner.invoke(app, ["batch", "--homes", str(parquet), "-o", str(out)])
    assert from_parquet.exit_code == 3, from_parquet.stderr
    assert from_parquet.stderr.count("Error:") == from_csv.stderr.count("Error:") > 0
    written = pq.read_table(out)
    assert written.schema.field("home").type == pa.string()
    assert written.schema.field("annual_cost_usd").type == pa.float64()
    assert written.column("balance_point_f").null_count > 0  # furnace rows: no balance point, null not NaN
    want = list(csv.DictReader(io.StringIO(from_csv.stdout)))
    got = written.to_pylist()
    assert len(got) == len(want) > 0
    for g, w in zip(got, want):
        for key, value in w.items():
            if isinstance(g[key], bool):  # meets_load: a Parquet boolean, True/False in CSV
                assert str(g[key]) == value, key
            elif isinstance(g[key], float):
                assert g[key] == pytest.approx(float(value), rel=1e-12)
            else:
                assert ("" if g[key] is None else g[key]) == value, key


def test_workers_hand_parquet_rows_back_through_shared_memory_and_leave_nothing(tmp_path, monkeypatch):
    # two workers leave each block's Arrow rows in a folder of the hand-off root (shared memory) instead of pickling
    # them through the pool's pipe: the file holds the same rows as one process writes, and the folder is gone
    import heatcalc.rows as rows

    root = tmp_path / "shm"
    root.mkdir()
    monkeypatch.setattr(rows, "HAND_OFF_ROOT", str(root))
    handed = []
    real = rows.received
    monkeypatch.setattr(rows, "received", lambda block: (handed.append(type(block.table)), real(block))[1])
    monkeypatch.setattr(b.open_parquet, "__defaults__", (16,))  # chunks of 16 rows: several blocks
    parquet, _ = write_homes(tmp_path, n=60)
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    for out, jobs in ((one, "1"), (two, "2")):
        result = runner.invoke(app, ["batch", "--homes", str(parquet), "-o", str(out), "--jobs", jobs])
        assert result.exit_code == 3, result.stderr  # (h3 fails and is reported)
    assert handed.count(rows.HandedTable) == len(handed) == 4  # every block of the two workers' run
    assert pq.read_table(two).equals(pq.read_table(one))
    assert list(root.iterdir()) == []  # the run's folder removed, every file in it read and unlinked


def test_a_batch_left_after_its_first_block_leaves_no_hand_off_behind(tmp_path, monkeypatch):
    # a writer that stops early (an error, Ctrl-C) closes the blocks: the pool is stopped, its running chunks
    # waited for, and only then their folder removed, with whatever they left in it
    import heatcalc.rows as rows

    root = tmp_path / "shm"
    root.mkdir()
    monkeypatch.setattr(rows, "HAND_OFF_ROOT", str(root))
    parquet, _ = write_homes(tmp_path, n=60)
    blocks = b.run_chunks(b.open_parquet(str(parquet), {}, 8), jobs=2, text="parquet")
    first = next(blocks)
    assert first.table.num_rows > 0 and len(list(root.iterdir())) == 1  # the run's folder, while it runs
    blocks.close()
    assert list(root.iterdir()) == []


def test_a_hand_off_that_cannot_be_written_returns_the_rows_themselves(tmp_path):
    import heatcalc.rows as rows

    table = pa.RecordBatch.from_arrays([pa.array([1.0, 2.0])], names=["x"])
    assert rows.hand_off(table, str(tmp_path / "missing")) is table  # (a full folder fails the same way)
    handed = rows.hand_off(table, str(tmp_path))
    assert isinstance(handed, rows.HandedTable) and handed.rows == 2
    block = c.Block(["h"], ["s"], [None], [()], np.array([2]), {}, table=handed)
    assert rows.received(block).table.equals(table)
    assert list(tmp_path.iterdir()) == []  # read, and unlinked (the mapping lasts as long as the rows)


def test_hand_off_folders_of_a_killed_batch_are_removed(tmp_path, monkeypatch):
    import subprocess
    import sys

    import heatcalc.rows as rows

    monkeypatch.setattr(rows, "HAND_OFF_ROOT", str(tmp_path))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process that has ended: its pid names no live process
    (tmp_path / f"heatcalc-{gone.pid}-abc").mkdir()
    (tmp_path / f"heatcalc-{gone.pid}-abc" / "1-1.arrow").write_bytes(b"rows")
    (tmp_path / f"heatcalc-{os.getpid()}-live").mkdir()  # a running batch's: kept
    (tmp_path / "other-1-x").mkdir()  # not a hand-off folder: kept
    made = rows.hand_off_folder()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"heatcalc-{os.getpid()}-live", "other-1-x", os.path.basename(made)])
    assert os.path.basename(made).startswith(f"heatcalc-{os.getpid()}-")


def test_parquet_output_gathers_blocks_into_row_groups_and_writes_the_last_part_on_closing(tmp_path, monkeypatch):
    # blocks of 8 homes (24 rows), row groups of at least 50 rows: each group holds whole blocks, the rows that did
    # not fill a group are written when the file closes, and every row is there in order (the same as CSV's)
    import heatcalc.render as render

    monkeypatch.setattr(b.open_parquet, "__defaults__", (8,))  # chunks of 8 rows (its default size: CHUNK)
    monkeypatch.setattr(render.BlockWriter, "ROW_GROUP_ROWS", 50)
    parquet, table = write_homes(tmp_path, n=60)
    out = tmp_path / "out.parquet"
    result = runner.invoke(app, ["batch", "--homes", str(parquet), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 3, result.stderr  # (h3 fails and is reported)
    meta = pq.ParquetFile(out).metadata
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert sum(sizes) == 59 * 3 and all(size >= 50 for size in sizes[:-1])
    assert len(sizes) > 2 and sizes[-1] < 50  # blocks of ~24 rows: a group closes past 50, the rest on closing
    from_csv = runner.invoke(app, ["batch", "--homes", str(table), "--columns", "home,system"])
    assert [f"{r['home']},{r['system']}" for r in pq.read_table(out, columns=["home", "system"]).to_pylist()] == \
        from_csv.stdout.split()[1:]


def test_parquet_folder_and_glob_read_files_in_order(tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    write_homes(folder, 20, "a")
    write_homes(folder, 10, "b")
    for arg in (str(folder), str(folder / "*.parquet")):
        r = runner.invoke(app, ["batch", "--homes", arg, "-f", "csv"])
        homes = [row["home"] for row in csv.DictReader(io.StringIO(r.stdout))]
        assert "30 homes:" in r.stderr, r.stderr
        assert homes[0] == "h0" and homes[-1] == "h9" and len(set(homes)) <= 30


def test_parquet_without_a_home_column_numbers_rows_across_files(tmp_path):
    pq.write_table(pa.table({"location.state": ["MA", "TX"], "heating_load.annual": [50, 60]}), tmp_path / "1.parquet")
    pq.write_table(pa.table({"location.state": ["IL"], "heating_load.annual": [70]}), tmp_path / "2.parquet")
    r = runner.invoke(app, ["batch", "--homes", str(tmp_path), "-f", "json"])
    assert r.exit_code == 0, r.stderr
    import json

    assert [row["home"] for row in json.loads(r.stdout)][::3] == ["1", "2", "3"]


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("not parquet"), "is not a Parquet file"),
    (lambda p: pq.write_table(pa.table({"location.zip": ["02134"], "heating_load.annuel": [3]}), p),
     "heating_load.annuel: is not a profile field"),
    (lambda p: pq.write_table(pa.table({"location.zip": [["02134"]]}), p), "location.zip: is a list"),
])
def test_bad_parquet_files_stop_before_any_home_runs(tmp_path, make, message):
    path = tmp_path / "homes.parquet"
    make(path)
    r = runner.invoke(app, ["batch", "--homes", str(path)])
    assert r.exit_code == 2
    assert message in r.stderr and "Traceback" not in r.stderr
    assert r.stdout == ""


def test_bad_parquet_rows_are_reported_and_the_rest_run(tmp_path):
    path = tmp_path / "homes.parquet"
    pq.write_table(pa.table({"location.zip": ["02134", "02134", None, "60614"],
                             "heating_load.annual": [60.0, -4.0, 50.0, None]}), path)
    r = runner.invoke(app, ["batch", "--homes", str(path)])
    assert r.exit_code == 3
    assert "homes.parquet:2: heating_load.annual: must be above 0" in r.stderr  # its row in the file
    assert "homes.parquet:3: location: is required" in r.stderr
    assert "4 homes: 1 computed, 3 failed" in r.stderr
    assert [row["home"] for row in csv.DictReader(io.StringIO(r.stdout))] == ["1"] * 3


def test_parquet_output_needs_a_file_and_never_overwrites_the_input(tmp_path):
    parquet, _ = write_homes(tmp_path, 5)
    r = runner.invoke(app, ["batch", "--homes", str(parquet), "-f", "parquet"])
    assert r.exit_code == 2 and "give -o FILE.parquet" in r.stderr
    r = runner.invoke(app, ["batch", "--homes", str(parquet), "-o", str(parquet)])
    assert r.exit_code == 2
    assert pq.read_table(parquet).num_rows == 5


def test_fail_fast_stops_at_the_first_failing_home_within_a_block(tmp_path):
    path = tmp_path / "homes.csv"
    path.write_text("location.station,heating_load.annual\n725090,80\n725300,-1\n725300,60\n")
    r = runner.invoke(app, ["batch", "--homes", str(path), "--fail-fast"])
    assert r.exit_code == 3
    assert [row["home"] for row in csv.DictReader(io.StringIO(r.stdout))] == ["1"] * 3
    assert "2 homes: 1 computed, 1 failed" in r.stderr


def test_output_may_not_overwrite_a_file_of_a_parquet_folder(tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    write_homes(folder, 5, "a")
    before = (folder / "a.parquet").read_bytes()
    for target in (folder, folder / "*.parquet"):
        r = runner.invoke(app, ["batch", "--homes", str(target), "-o", str(folder / "a.parquet")])
        assert r.exit_code == 2 and "Traceback" not in r.stderr
    assert (folder / "a.parquet").read_bytes() == before


def test_typed_parquet_cells_of_every_kind(tmp_path):
    path = tmp_path / "homes.parquet"
    pq.write_table(pa.table({
        "home": pa.array([1, 2, 3], type=pa.int64()),
        "location.zip": pa.array(["02134", "60614", "30307"]).dictionary_encode(),
        "heating_load.annual": pa.array([60, 80, 40], type=pa.int32()),
        "systems.furnace": pa.array([False, None, None]),
        "systems.heat_pump.hspf2": pa.array([9.0, None, float("nan")]),
    }), path)
    r = runner.invoke(app, ["batch", "--homes", str(path), "-f", "json"])
    assert r.exit_code == 0, r.stderr
    import json

    rows = json.loads(r.stdout)
    assert [(row["home"], row["system"]) for row in rows] == [
        ("1", "heat_pump"), ("1", "electric_resistance"), ("2", "heat_pump"), ("2", "furnace"),
        ("2", "electric_resistance"), ("3", "heat_pump"), ("3", "furnace"), ("3", "electric_resistance")]


TYPED = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**20),
                  st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(["", " ", "60", "9 MMBtu", "x"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({
    "location.station": st.sampled_from(STATIONS + [None, 725090, 725090.0, True]),
    "heating_load.annual": TYPED, "heating_load.balance_point": TYPED, "systems.heat_pump.hspf2": TYPED,
    "systems.heat_pump.capacity": TYPED, "systems.furnace.afue": TYPED, "prices.electricity": TYPED,
    "systems.electric_resistance": st.sampled_from([None, False, True, 0, "false"]),
}), min_size=1, max_size=8))
def test_typed_values_as_parquet_gives_them_match_the_per_home_route(rows):
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert_same_blocks(got, per_home_block(chunk))
    assert all(np.isfinite(got.columns[n]).all() for n in c.OUT_COLUMNS
               if n not in c.OBJECT_COLUMNS and n not in c.NULLABLE)


def test_homes_that_never_need_heat_agree_too():
    # Honolulu: with a given UA and a low balance point no hour needs heat; every system delivers 0, its peak
    # falls in the coldest hour, and the heat pump's balance point is the cutoff's side of the grid or none
    rows = [{"location.station": "911820", "heating_load.ua": "400", "heating_load.balance_point": bp,
             "systems.heat_pump.backup": backup} for bp in ("40", "55", "62") for backup in ("furnace", "")]
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert got.fast == len(rows)
    assert_same_blocks(got, per_home_block(chunk))
    assert (got.columns["heat_delivered_mmbtu"][:6] == 0).all()


def test_a_folder_of_more_parquet_files_than_open_files_allowed(tmp_path):
    """Files are opened one at a time, so a folder of many parts runs under a small open-file limit."""
    import subprocess
    import sys

    folder = tmp_path / "parts"
    folder.mkdir()
    for i in range(120):
        pq.write_table(pa.table({"location.state": ["MA"], "heating_load.annual": [50.0 + i]}),
                       folder / f"part{i:03d}.parquet")
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_NOFILE, (100, 100)); "
            "from heatcalc.cli import main; sys.argv = ['heatcalc', 'batch', '--homes', sys.argv[1], '-j', '1']; main()")
    r = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-500:]
    assert "120 homes: 120 computed, 0 failed" in r.stderr


def test_a_damaged_parquet_file_stops_with_a_message(tmp_path):
    path = tmp_path / "homes.parquet"
    group = b.CHUNK + 1808  # row groups a little longer than a chunk: the first chunk reads, the second does not
    n = 3 * group
    pq.write_table(pa.table({"location.state": ["MA"] * n, "heating_load.annual": np.arange(n) / 10 + 20.0}), path,
                   row_group_size=group, compression="none")
    offset = pq.ParquetFile(path).metadata.row_group(1).column(1).data_page_offset
    data = bytearray(path.read_bytes())
    data[offset:offset + 64] = b"\xff" * 64  # the second row group's page header: unreadable from there on
    path.write_bytes(bytes(data))
    out = tmp_path / "out.csv"
    r = runner.invoke(app, ["batch", "--homes", str(path), "-o", str(out)])
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    assert f"homes.parquet: cannot be read after row {b.CHUNK}" in r.stderr
    assert not out.exists()  # never a cut-short output


def _rate_files(folder):
    """URDB rate files of each kind the fast route bills: flat with a monthly minimum, tiered (monthly kWh),
    tiered time-of-use with a sell rate, real-time prices, a flat demand charge (its bills read the hours), and the
    illustrative one of the examples."""
    import json

    zeros = [[0] * 24 for _ in range(12)]
    peak = [[1 if 16 <= h < 21 else 0 for h in range(24)] for _ in range(12)]
    kinds = {
        "flat_min.json": {"energyratestructure": [[{"rate": 0.14}]], "energyweekdayschedule": zeros,
                          "energyweekendschedule": zeros, "fixedchargefirstmeter": 10, "fixedchargeunits": "$/month",
                          "mincharge": 40, "minchargeunits": "$/month"},
        "tiered.json": {"energyratestructure": [[{"max": 400, "rate": 0.11}, {"max": 900, "rate": 0.16},
                                                 {"rate": 0.24}]], "energyweekdayschedule": zeros,
                        "energyweekendschedule": zeros},
        "tiered_tou.json": {"energyratestructure": [[{"max": 300, "rate": 0.12, "sell": 0.05}, {"rate": 0.18,
                                                                                             "sell": 0.05}],
                                                    [{"max": 100, "rate": 0.30, "sell": 0.05}, {"rate": 0.38,
                                                                                             "sell": 0.05}]],
                            "energyweekdayschedule": peak, "energyweekendschedule": zeros,
                            "dgrules": "Net Billing Hourly"},
        "real_time.json": {"realtimepricing": [round(0.08 + 0.1 * (h % 24 >= 16) + 0.03 * ((h // 24) % 7 == 2), 4)
                                               for h in range(8760)], "fixedchargefirstmeter": 8,
                           "fixedchargeunits": "$/month"},
        "demand.json": {"energyratestructure": [[{"rate": 0.09, "sell": 0.04}]], "energyweekdayschedule": zeros,
                        "energyweekendschedule": zeros, "flatdemandstructure": [[{"rate": 6.5}]],
                        "flatdemandmonths": [0] * 12, "flatdemandunit": "kW"},
    }
    paths = []
    for name, fields in kinds.items():
        item = {"name": name, "sector": "Residential", **fields}
        (folder / name).write_text(json.dumps({"items": [item]}))
        paths.append(name)
    return paths


@pytest.mark.parametrize("sub_batch, pending", [(None, None), (7, 30)], ids=["usual", "many-sub-batches"])
def test_homes_with_rates_and_solar_run_on_the_fast_route_and_agree(tmp_path, monkeypatch, sub_batch, pending):
    # A table of homes with URDB rates (flat with minimum, tiered, tiered time-of-use under net billing, the
    # example's), rooftop solar of varied size, orientation and export rule or none, other use given or not,
    # heat pumps of each kind (some dual fuel) and furnaces of each fuel: every home runs on the fast route, and
    # every column equals the per-home route's -- also when the homes run in sub-batches of 7, a rate's homes
    # billed together across them and the waiting ones billed every 30 homes.
    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path / "cache"))
    if sub_batch:
        monkeypatch.setattr(c, "SUB_BATCH", sub_batch)
        monkeypatch.setattr(c, "BILL_PENDING", pending)
    from heatcalc.weather.solar import has_solar

    rates = _rate_files(tmp_path)
    (tmp_path / "example.json").write_text((ROOT / "profiles" / "rates" / "illustrative-tiered-tou.json").read_text())
    rates.append("example.json")
    stations = [s for s in STATIONS if has_solar(s)][:4]
    rng = np.random.default_rng(3)
    rows = []
    for i in range(90):
        row = {"location.station": str(rng.choice(stations)), "heating_load.annual": f"{rng.integers(20, 120)} MMBtu",
               "systems.heat_pump.hspf2": str(rng.choice([7.5, 8.5, 10])),
               "systems.heat_pump.compressor": str(rng.choice(["single_stage", "two_stage", "variable_speed"])),
               "systems.furnace.fuel": str(rng.choice(["natural_gas", "propane", "heating_oil"])),
               "tariff.urdb": str(rng.choice(rates))}
        if rng.random() < 0.3:
            row["systems.heat_pump.backup"] = "furnace"
        if rng.random() < 0.5:
            row["base_use.electricity"] = f"{rng.integers(200, 900)} kWh/month"
        if i % 4 == 1:  # leaky ducts: more kWh through the hours' bills (not drawn: the draws stay as they were)
            row["ducts.efficiency"] = "0.8"
        if rng.random() < 0.8:
            row["solar.capacity"] = f"{rng.choice([2, 5, 9])} kW"
            row["solar.tilt"] = str(rng.choice([10, 25, 40]))
            row["solar.azimuth"] = str(rng.choice([150, 180, 240]))
            if rng.random() < 0.5:
                row["solar.net_metering"] = str(rng.choice(["annual", "monthly", "none"]))
                row["solar.export_rate"] = "0.04"
        if i % 15 == 0:
            row.pop("tariff.urdb")  # solar under the prices alone
            row.setdefault("solar.capacity", "4 kW")
        if i % 9 == 4 and "solar.capacity" in row:  # the array as an investment: the JSON's, not the rows'
            row["solar.installed_cost"] = "15000"
            row["solar.lifetime"] = "25"
        if i % 7 == 3 and "tariff.urdb" in row:  # every energy charge of the rate shifted
            row["tariff.adjustment"] = "0.012"
        if i % 3 == 0:  # economics on the bills: what each option adds to them, escalated
            row["economics.current"] = "furnace"
            row["economics.gas_disconnect"] = ["true", "false"][i % 2]
        rows.append(row)
    chunk = chunk_of(rows, source=str(tmp_path / "homes.csv"))
    (tmp_path / "homes.csv").write_text("home\n")  # the folder the rows' rate files are relative to
    got = c.run_chunk(chunk)
    assert got.fast == len(rows)  # none left to the per-home route
    want = per_home_block(chunk)
    assert_same_blocks(got, want)
    # the bills are there: solar homes export and are credited; minimum and fixed charges reach the rows
    solar = got.columns["solar_exported_kwh"] > 0
    assert solar.sum() > 100 and (got.columns["solar_export_credit_usd"][solar] > 0).all()
    assert (got.columns["fixed_charges_usd"] > 0).any()
    assert np.isfinite(got.columns["npv_vs_current_usd"]).sum() > 60  # the economics of homes on the bills


def test_a_heat_pumps_own_rate_takes_the_fast_route(tmp_path, monkeypatch):
    # systems.heat_pump.tariff: the home's whole bill on the rate it moves to with the heat pump (the heat pump's
    # row), against the other use's bill on its own rate (or its flat price), each without its fixed charges and
    # the heat pump's rate's back in (heatcalc.simulate.system_ledger); its year and adjustment the home rate's
    # where not given; with solar, economics and dual fuel (whose switchover weighs its rate's first tier); a rate
    # that does not read, or its name without the rate, is the per-home route's to name. Every column equals the
    # per-home route's.
    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path / "cache"))
    hp_rate = str(ROOT / "profiles" / "rates" / "illustrative-heat-pump-rate.json")
    rates = _rate_files(tmp_path)
    rng = np.random.default_rng(41)
    rows = []
    for i in range(40):
        row = {"location.station": ["725090", "725300", "722780"][i % 3],
               "heating_load.annual": f"{rng.integers(30, 110)} MMBtu",
               "systems.furnace.fuel": ["natural_gas", "propane"][i % 2],
               "systems.heat_pump.tariff.urdb": hp_rate}
        if i % 2 == 0:
            row["tariff.urdb"] = str(rng.choice(rates))
        if i % 3 == 0:
            row["systems.heat_pump.backup"] = "furnace"
        if i % 4 == 1:
            row["solar.capacity"] = "5 kW"
        if i % 5 == 2:
            row["economics.current"] = "furnace"
        if i % 7 == 3:
            row["systems.heat_pump.tariff.adjustment"] = "0.02"
        if i % 11 == 5:
            row["tariff.adjustment"] = "-0.01"
            row["tariff.urdb"] = str(rng.choice(rates))
        rows.append(row)
    rows.append({"location.station": "725090", "heating_load.annual": "60 MMBtu",
                 "systems.heat_pump.tariff.urdb": str(tmp_path / "missing.json")})
    rows.append({"location.station": "725090", "heating_load.annual": "60 MMBtu",
                 "systems.heat_pump.tariff.name": "Heat pump rate"})
    chunk = chunk_of(rows, source=str(tmp_path / "homes.csv"))
    (tmp_path / "homes.csv").write_text("home\n")
    got = c.run_chunk(chunk)
    assert got.fast == len(rows) - 2  # the two the per-home route names a problem in
    assert_same_blocks(got, per_home_block(chunk))
    assert got.problems[-1] is not None and got.problems[-2] is not None
    hp = np.asarray(got.columns["system"]) == "heat_pump"
    assert (got.columns["fixed_charges_usd"][hp][:-2] > 0).all()  # its rate's fixed charges


def test_monthly_gas_blocks_take_the_fast_route(tmp_path, monkeypatch):
    # tariff.natural_gas (YAML in a cell) and its adjustment (heatcalc.rules.prices.gas_blocks): each month's gas --
    # the other use's where the home keeps gas service, and a gas furnace's or dual-fuel heat pump's, summed from its
    # bins by the hours each bin has in the month -- through the blocks, a system's cost what it adds to the other
    # use's bill (heatcalc.simulate.system_ledger); beside propane, solar and economics. Blocks that do not read, and
    # a gas price they would replace, are the per-home route's to name. Every column equals the per-home route's.
    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path / "cache"))
    blocks = "[{up_to: 40 therm, price: 1.10}, {up_to: 120 therm, price: 1.45}, {price: 1.90}]"
    rows = []
    for i in range(30):
        row = {"location.station": ["725090", "725300", "722780"][i % 3],
               "heating_load.annual": f"{40 + 3 * i} MMBtu", "tariff.natural_gas": blocks,
               "systems.furnace.fuel": ["natural_gas", "propane", "natural_gas"][i % 3]}
        if i % 4 == 1:
            row["systems.heat_pump.backup"] = "furnace"
        if i % 5 == 2:
            row["tariff.natural_gas_adjustment"] = "0.2"
        if i % 6 == 3:
            row["base_use.natural_gas"] = "20 therm/month"
        if i % 7 == 4:
            row["economics.current"] = "furnace"
        if i % 8 == 5:
            row["solar.capacity"] = "4 kW"
        rows.append(row)
    plain = [{k: v for k, v in r.items() if not k.startswith("tariff.")} for r in rows[:3]]
    rows += [dict(rows[0], **{"tariff.natural_gas": "[{up_to: 50 therm, price: 1.2}, {up_to: 30 therm, price: 1.5}, "
                                                    "{price: 1.7}]"}),
             dict(rows[0], **{"prices.natural_gas": "1.4"}), *plain]
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert got.fast == len(rows) - 2
    assert_same_blocks(got, per_home_block(chunk))
    assert got.problems[30] is not None and got.problems[31] is not None
    # by hand: the first home's furnace burns gas through the blocks, so its cost is not the flat state price's
    furnace = (np.asarray(got.columns["system"]) == "furnace") & (np.asarray(got.columns["fuel"]) == "natural_gas")
    homes = np.asarray(got.columns["home"])
    with_blocks = got.columns["annual_cost_usd"][furnace & (homes == "1")][0]
    flat = got.columns["annual_cost_usd"][furnace & (homes == "33")][0]
    therm = got.columns["fuel_use"][furnace & (homes == "1")][0]
    assert 1.10 * therm < with_blocks < 1.90 * therm and abs(with_blocks - flat) > 1.0


def test_cooled_homes_on_marginal_rates_or_time_of_use_periods_take_the_fast_route():
    # a cooled home's cooling kWh weighed by a region's hourly marginal emission rates, or priced by time-of-use
    # periods, each temperature bin's kWh at its hours' summed rates or prices (the per-home route weighs the hours);
    # heat pumps and air conditioners, with and without ducts. Every column equals the per-home route's.
    periods = "[{price: 0.42, hours: 16-21, days: weekdays}, {price: 0.24}]"
    rows = []
    for i in range(36):
        row = {"location.station": ["722780", "725300", "722590"][i % 3],
               "heating_load.annual": f"{30 + 2 * i} MMBtu", "cooling_load.annual": f"{20 + i} MMBtu",
               "systems.furnace.fuel": "natural_gas", "systems.air_conditioner.seer2": "15"}
        if i % 2 == 0:
            row["emissions.electricity"] = "marginal"
            row["emissions.region"] = ["AZNM", "RFCW", "ERCT"][i % 3]
        if i % 3 != 2:
            row["tariff.electricity"] = periods
        if i % 4 == 1:
            row["ducts.efficiency"] = "0.85"
        rows.append(row)
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert got.fast == len(rows)
    assert_same_blocks(got, per_home_block(chunk))
    # by hand: a bin's kWh at its hours' prices costs more than at the off-peak price, less than at the peak one
    cool = got.columns["cooling_electricity_kwh"]
    priced = np.array([i % 3 != 2 for i in range(36) for _ in range(3)]) & (cool > 0)
    assert ((got.columns["cooling_cost_usd"][priced] > 0.24 * cool[priced] - 1e-9)
            & (got.columns["cooling_cost_usd"][priced] < 0.42 * cool[priced])).all()


def test_cooled_homes_billed_hour_by_hour_take_the_fast_route(tmp_path, monkeypatch):
    # a cooled home on a URDB rate, with solar, on the heat pump's own rate or with gas blocks: the heating's bill
    # first, then the cooling's hours (each expanded from its station's bins) added to the same bill, the cooling's
    # cost what they add (heatcalc.simulate.system_ledger); the solar columns on the whole use. Every column equals
    # the per-home route's.
    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path / "cache"))
    rates = _rate_files(tmp_path)
    hp_rate = str(ROOT / "profiles" / "rates" / "illustrative-heat-pump-rate.json")
    rng = np.random.default_rng(43)
    rows = []
    for i in range(40):
        row = {"location.station": ["722780", "725300", "722590", "725090"][i % 4],
               "heating_load.annual": f"{rng.integers(25, 90)} MMBtu",
               "cooling_load.annual": f"{rng.integers(10, 60)} MMBtu",
               "systems.furnace.fuel": ["natural_gas", "propane"][i % 2], "tariff.urdb": str(rng.choice(rates))}
        if i % 3 != 2:
            row["systems.air_conditioner.seer2"] = "15"
        if i % 2 == 0:
            row["solar.capacity"] = f"{rng.choice([3, 6, 9])} kW"
        if i % 5 == 1:
            row["systems.heat_pump.tariff.urdb"] = hp_rate
        if i % 6 == 3:
            row.pop("tariff.urdb")
            row["tariff.natural_gas"] = "[{up_to: 40 therm, price: 1.10}, {price: 1.60}]"
        if i % 7 == 4:
            row["economics.current"] = "furnace"
        rows.append(row)
    chunk = chunk_of(rows, source=str(tmp_path / "homes.csv"))
    (tmp_path / "homes.csv").write_text("home\n")
    got = c.run_chunk(chunk)
    assert got.fast == len(rows)
    assert_same_blocks(got, per_home_block(chunk))
    cooled = got.columns["cooling_electricity_kwh"] > 0
    assert cooled.sum() > 60 and (got.columns["cooling_cost_usd"][cooled] > 0).all()


def test_fixed_charges_and_periods_beside_rates_solar_and_gas_blocks_take_the_fast_route(tmp_path, monkeypatch):
    # the bills of a home without a rate are on its prices -- one, or time-of-use periods' hours -- with its fixed
    # electricity charge (heatcalc.simulate._electric_tariff); a rate's fixed charges are its own; gas's fixed charge
    # while the home keeps gas service; gas blocks beside periods and fixed charges. A rate and periods together are
    # the per-home route's to refuse. Every column equals the per-home route's.
    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path / "cache"))
    rates = _rate_files(tmp_path)
    periods = ["[{price: 0.42, hours: 16-21, days: weekdays}, {price: 0.24}]",
               "[{price: 0.31, months: 6-9}, {price: 0.2}]"]
    rows = []
    for i in range(36):
        row = {"location.station": ["725090", "722780", "725300"][i % 3], "heating_load.annual": f"{35 + i} MMBtu",
               "systems.furnace.fuel": ["natural_gas", "propane", "natural_gas"][i % 3]}
        kind = i % 4
        if kind == 0:
            row["tariff.urdb"] = rates[i % len(rates)]
        elif kind == 1:
            row["solar.capacity"] = "6 kW"
            row["tariff.electricity"] = periods[i % 2]
        elif kind == 2:
            row["solar.capacity"] = "4 kW"
        else:
            row["tariff.natural_gas"] = "[{up_to: 40 therm, price: 1.10}, {price: 1.60}]"
            row["tariff.electricity"] = periods[i % 2]
        if i % 3 != 1:
            if kind != 0:  # (beside a URDB rate its own fixed charges are billed: refused, test_nothing_ignored)
                row["fixed_charges.electricity"] = "11"
            row["fixed_charges.natural_gas"] = "9"
        if i % 5 == 2:
            row["economics.current"] = "furnace"
            row["economics.gas_disconnect"] = "true"
        if i % 7 == 3:
            row["systems.heat_pump.backup"] = "furnace"
        rows.append(row)
    rows.append(dict(rows[0], **{"tariff.electricity": periods[0]}))
    chunk = chunk_of(rows, source=str(tmp_path / "homes.csv"))
    (tmp_path / "homes.csv").write_text("home\n")
    got = c.run_chunk(chunk)
    assert got.fast == len(rows) - 1 and got.problems[-1] is not None
    assert_same_blocks(got, per_home_block(chunk))
    # by hand: a home with solar on its prices that keeps its gas furnace pays its own fixed charge, 12 x $11, and
    # gas's, 12 x $9, whichever system heats it; one that leaves gas with the heat pump pays gas's with the furnace only
    homes = np.asarray(got.columns["home"])
    assert np.allclose(got.columns["fixed_charges_usd"][homes == "7"], [132.0 + 108.0] * 3)
    assert np.allclose(got.columns["fixed_charges_usd"][homes == "3"], [132.0, 240.0, 132.0])


def test_warned_homes_take_the_fast_route_with_their_warnings(tmp_path, monkeypatch):
    # a heat pump too small for the cooling design load (heatcalc.rules.cooling.too_small_to_cool), exports that earn
    # nothing (heatcalc.rules.rates.UNPAID_EXPORTS), both beside the incentives' warnings, in the per-home route's
    # order; beside heat pumps serving part of the home. Every column, problem and warning equals the per-home
    # route's.
    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path / "cache"))
    rows = []
    for i in range(24):
        row = {"location.station": ["722780", "725300", "722590"][i % 3], "heating_load.annual": f"{30 + i} MMBtu",
               "systems.furnace.fuel": "natural_gas"}
        if i % 2 == 0:  # a 1.5-ton heat pump in a home that needs more cooling
            row["cooling_load.annual"] = f"{40 + i} MMBtu"
            row["systems.heat_pump.capacity"] = "18000 Btu/h"
        if i % 3 == 0:
            row["solar.capacity"] = "5 kW"
            row["solar.net_metering"] = "none"  # billed net hour by hour, with no export rate: exports earn nothing
        if i % 4 == 1:
            row["systems.heat_pump.serves"] = "0.6"
        if i % 6 == 0:
            row["location.zip"] = "85004"
            row.pop("location.station")
            row["economics.current"] = "furnace"
            row["economics.incentives.auto"] = "true"
        rows.append(row)
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert got.fast == len(rows)
    assert_same_blocks(got, per_home_block(chunk))
    said = [" | ".join(w) for w in got.warnings]
    assert sum("too small to cool" in w for w in said) >= 6
    assert sum("exports earn nothing" in w for w in said) == 8


def test_an_air_to_water_unit_given_a_5f_capacity_is_refused_on_both_routes():
    # found by the generated homes: an air-to-water unit's curve is its water's, so a 5 F capacity changed nothing
    # (both routes ignored it); it is now refused by name, with the other fields that rate air-to-air units
    row = {"location.zip": "85004", "heating_load.annual": "60 MMBtu", "systems.heat_pump.type": "air_to_water",
           "systems.heat_pump.capacity_5f": "20000 Btu/h", "economics.current": "furnace",
           "economics.installed_cost.heat_pump": "15000"}
    chunk = chunk_of([row, dict(row, **{"systems.heat_pump.capacity_5f": "0.7"})])
    got = c.run_chunk(chunk)
    assert_same_blocks(got, per_home_block(chunk))
    assert [[p.field for p in problems] for problems in got.problems] == [["systems.heat_pump.capacity_5f"]] * 2


def test_a_tables_missing_pv_arrays_are_computed_first_a_station_at_a_time(tmp_path, monkeypatch, write, cli):
    # 12 homes in 3 chunks over 3 stations (one located by ZIP code), 2 orientations each, repeated, plus a row
    # whose tilt does not read and one at a territory station without irradiance: the arrays still to compute
    # are the 6 distinct (station, orientation) pairs, each once; dealt into parts that hold each station once;
    # once computed nothing is left to compute; and a batch run (which computes them first) writes the same rows
    # as one that computes every array inside its chunk (no cache).
    from heatcalc import pvcache

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path / "cache"))
    places = [("location.station", "725090"), ("location.zip", "80202"), ("location.station", "722780")]
    lines = ["home,location.station,location.zip,heating_load.annual,solar.capacity,solar.tilt,solar.azimuth"]
    for i in range(12):
        field, value = places[i % 3]
        station, zip_code = (value, "") if field == "location.station" else ("", value)
        lines.append(f"h{i},{station},{zip_code},60 MMBtu,{4 + i % 2} kW,{[20, 35][(i // 3) % 2]},180")
    lines.append("bad,725090,,60 MMBtu,4 kW,steep,180")
    lines.append("guam,912120,,60 MMBtu,4 kW,20,180")
    table = write("homes.csv", "\n".join(lines) + "\n")
    chunks = list(b.csv_chunks(b.open_table(str(table), {}), {}, 5))
    assert len(chunks) == 3 and all(c.has_solar_rows(ch) for ch in chunks)
    found = [c.pv_to_compute(ch) for ch in chunks]
    pairs = {(usaf, array.tilt_deg) for part in found for usaf, array, _, _ in part}
    assert len(pairs) == 6 and {u for u, _ in pairs} == {"725090", "724666", "722780"}  # Denver (Golden) by its ZIP code
    parts = c.pv_work(found, 2)
    assert len(parts) == 2
    stations = [s[0] for part in parts for s in part]
    assert sorted(stations) == ["722780", "724666", "725090"]  # each station in one part, its arrays once
    assert sum(c.compute_pv(part) for part in parts) == 6
    assert all(c.pv_to_compute(ch) == [] for ch in chunks)
    assert len(pvcache.names_present()) == 6
    first = cli("batch", "--homes", table, "-f", "csv", "-j", "2", env={"HEATCALC_CACHE_DIR": str(tmp_path / "c2")})
    plain = cli("batch", "--homes", table, "-f", "csv", "-j", "1", env={"HEATCALC_CACHE_DIR": "none"})
    assert first.returncode == plain.returncode == 3  # the two bad rows are reported; the others run
    assert first.stdout == plain.stdout and first.stdout.count("\nh") == 12 * 3
    assert "bad" in first.stderr and "solar.tilt" in first.stderr and "guam" in first.stderr


def test_a_chunk_asks_the_cache_what_it_lacks_only_once_a_read_misses(tmp_path, monkeypatch):
    # a chunk run on a cold cache (no batch computed its arrays first) finds its first array missing as it reads,
    # computes every array it lacks then (a station's together), and runs every home on the fast route; run again on
    # the warm cache it reads them without asking what is lacking, and writes the same rows
    from heatcalc import pvcache

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(pvcache, "_memory", {})  # (nothing computed by other tests in this process)
    asked = []
    real = pvcache.lacking
    monkeypatch.setattr(pvcache, "lacking", lambda pairs: (asked.append(len(pairs)), real(pairs))[1])
    rows = [{"location.station": station, "heating_load.annual": "60 MMBtu", "solar.capacity": f"{4 + i % 3} kW",
             "solar.tilt": str(tilt), "tariff.urdb": str(ROOT / "profiles" / "rates" / "illustrative-tiered-tou.json")}
            for i, (station, tilt) in enumerate([(s, t) for s in ("725090", "722780") for t in (20, 35)] * 3)]
    cold = c.run_chunk(chunk_of(rows), None, "csv")
    assert cold.fast == len(rows) and all(p is None for p in cold.problems)
    assert asked == [4]  # the chunk's four distinct arrays, asked for once, at its first miss
    assert len(pvcache.names_present()) == 4
    warm = c.run_chunk(chunk_of(rows), None, "csv")
    assert asked == [4] and warm.text == cold.text


def test_chunks_with_solar_are_windowed_by_rows_and_keep_their_order(tmp_path, monkeypatch):
    # Consecutive chunks with solar gather until PV_WINDOW_ROWS rows (their arrays computed first); a chunk without
    # solar goes on its own and closes the window; the order of the chunks is kept; with the cache off, no windows.
    # (Every look here finds an array missing; batch._HERE runs them in this process, as a one-job batch does.)
    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(b, "PV_WINDOW_ROWS", 10)
    solar = [{"location.station": "725090", "heating_load.annual": "60 MMBtu", "solar.capacity": "4 kW"}] * 4
    plain = [{"location.station": "725090", "heating_load.annual": "60 MMBtu"}] * 4
    chunks = [chunk_of(solar), chunk_of(solar), chunk_of(solar), chunk_of(plain), chunk_of(solar)]
    looked, groups = [], []
    monkeypatch.setattr(b, "_pv_needed", lambda ch: looked.append(ch) or [len(looked)])
    monkeypatch.setattr(b, "_prepare_pv", lambda group, found, jobs, pool: groups.append(
        (group, [f.result() for f in found])))
    out = list(b._ready_chunks(iter(chunks), 1, b._HERE))
    # 12 rows reach 10; the plain chunk alone (nothing to compute); the last on its own
    assert [len(g) for g, _ in groups] == [3, 1]
    assert all(x is y for x, y in zip(out, chunks)) and len(out) == len(chunks)
    # each chunk with solar looked at once, as it was read; the plain one not at all
    assert looked == [chunks[0], chunks[1], chunks[2], chunks[4]]
    assert [found for _, found in groups] == [[[1], [2], [3]], [[4]]]
    monkeypatch.setenv("HEATCALC_CACHE_DIR", "none")
    groups.clear()
    assert len(list(b._ready_chunks(iter(chunks), 1, b._HERE))) == 5 and groups == []


def test_a_pool_runs_chunks_whose_arrays_are_cached_at_once_and_gathers_the_others(tmp_path, monkeypatch):
    # batch._ready_chunks: each chunk with solar is looked at as it is read; a chunk lacking no array is handed on
    # before the rest of the table is read (a warm cache's chunks run while it is read); when the front chunk lacks
    # arrays, the consecutive chunks with solar up to PV_WINDOW_ROWS rows have theirs computed together first.
    from concurrent.futures import Future

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(b, "PV_WINDOW_ROWS", 10)
    solar = [{"location.station": "725090", "heating_load.annual": "60 MMBtu", "solar.capacity": "4 kW"}] * 4
    plain = [{"location.station": "725090", "heating_load.annual": "60 MMBtu"}] * 4
    chunks = [chunk_of(solar) for _ in range(3)] + [chunk_of(plain)] + [chunk_of(solar) for _ in range(4)]
    missing = {id(chunks[1]): ["an array"], id(chunks[5]): ["another"]}  # what each chunk's look finds lacking

    class Pool:  # runs what it is given at once
        def submit(self, fn, chunk):
            f = Future()
            f.set_result(missing.get(id(chunk), []))
            return f

    prepared, read = [], []

    def number(chunk):  # (the chunks compare equal: by identity)
        return next(i for i, c in enumerate(chunks) if c is chunk)

    monkeypatch.setattr(b, "_prepare_pv", lambda group, found, jobs, pool: prepared.append(
        ([number(c) for c in group], [f.result() for f in found])))

    def reading():
        for ch in chunks:
            read.append(ch)
            yield ch

    out = []
    for ch in b._ready_chunks(reading(), 2, Pool()):
        out.append((number(ch), len(read)))
    assert [i for i, _ in out] == list(range(8))  # the order kept
    assert out[0] == (0, 3)  # the first chunk handed on with only jobs + 1 chunks read
    # chunk 1 lacks an array: chunks 1-2 (8 rows) and the plain chunk ends the window; chunk 5 lacks one: 5, 6, 7
    # (12 rows reach 10); chunk 4 lacked nothing and ran alone
    assert prepared == [([1, 2], [["an array"], []]), ([5, 6, 7], [["another"], [], []])]
    monkeypatch.setenv("HEATCALC_CACHE_DIR", "none")
    prepared.clear()
    assert [number(ch) for ch in b._ready_chunks(iter(chunks), 2, Pool())] == list(range(8)) and prepared == []


def test_a_pool_stops_looking_for_pv_arrays_once_the_cache_is_warm(tmp_path, monkeypatch):
    # QUIET_LOOKS looks in a row that find nothing missing: the chunks read after are not looked at (their runs
    # compute what they lack); a look that finds something missing starts the count again.
    from concurrent.futures import Future

    monkeypatch.setenv("HEATCALC_CACHE_DIR", str(tmp_path / "cache"))
    solar = [{"location.station": "725090", "heating_load.annual": "60 MMBtu", "solar.capacity": "4 kW"}] * 2
    chunks = [chunk_of(solar) for _ in range(12)]
    looked = []

    class Pool:
        def submit(self, fn, chunk):
            looked.append(next(i for i, c in enumerate(chunks) if c is chunk))
            f = Future()
            f.set_result(["an array"] if looked[-1] == 0 else [])
            return f

    monkeypatch.setattr(b, "PV_WINDOW_ROWS", 4)
    monkeypatch.setattr(b, "_prepare_pv", lambda group, found, jobs, pool: [f.result() for f in found])
    assert len(list(b._ready_chunks(iter(chunks), 1, Pool()))) == 12
    # chunk 0 lacks an array (its window: chunks 0-1, 4 rows); chunks 2, 3 and 4 find nothing: no look after them
    # but the one already read ahead
    assert looked == list(range(len(looked))) and 5 <= len(looked) <= 6


def test_cooled_homes_take_the_fast_route_and_agree():
    # the cooling season on the fast route (heatcalc.rules.cooling for UA_c; heatcalc.simulate.cooling_energy's
    # arithmetic on the station's bins): a cooled home's every column equals the per-home route's, with the heat
    # pump sized for the larger of its loads, air conditioners of given capacity leaving cooling unmet, homes
    # without one, leaky ducts; a heat pump too small to cool warns, so it goes home by home and says so
    rng = np.random.default_rng(11)
    hot = ["722780", "722020", "725300", "725090"]  # Phoenix, Miami, Chicago, Boston
    rows = []
    for i in range(200):
        row = {"location.station": str(rng.choice(hot)), "heating_load.annual": f"{rng.integers(10, 90)} MMBtu",
               "systems.heat_pump.hspf2": str(rng.choice([7.5, 8.5, 10])),
               "systems.furnace.fuel": str(rng.choice(["natural_gas", "propane"]))}
        how = i % 6
        if how == 0:
            row["cooling_load.annual"] = f"{rng.integers(5, 60)} MMBtu"
        elif how == 1:
            row["cooling_load.ua"] = str(rng.integers(200, 900))
        elif how == 2:
            row["cooling_load.design.load"] = f"{rng.integers(12, 60)} kBtu/h"
            row["cooling_load.design.outdoor"] = str(rng.choice([92, 98, 105]))
            row["cooling_load.indoor"] = str(rng.choice(["", "72"]))
        elif how == 3:
            row["cooling_load.from_bills.amount"] = f"{rng.integers(800, 6000)} kWh"
            row["cooling_load.from_bills.seer2"] = str(rng.choice(["", "11", "14"]))
        elif how == 4:
            row["cooling_load.balance_point"] = str(rng.choice([62, 65, 70]))  # the heating UA
        else:
            row["cooling_load.annual"] = "30 MMBtu"
            row["systems.air_conditioner"] = "false"
        if how != 5:
            if rng.random() < 0.3:
                row["systems.air_conditioner.seer2"] = str(rng.choice([13.4, 16]))
            if rng.random() < 0.3:
                row["systems.air_conditioner.capacity"] = str(rng.choice(["1.5 ton", "3 ton"]))
        if rng.random() < 0.2:
            row["systems.heat_pump.cooling_capacity"] = str(rng.choice(["1 ton", "5 ton"]))
        if rng.random() < 0.2:
            row["systems.heat_pump.seer2"] = "18"
        if rng.random() < 0.3:
            row["ducts.efficiency"] = "0.8"
        rows.append(row)
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert_same_blocks(got, per_home_block(chunk))
    ran = sum(p is None for p in got.problems)
    assert got.fast > 0.8 * ran > 120  # the cooled homes run on the fast route, save those that warn
    assert (got.columns["cooling_electricity_kwh"] > 0).sum() > 300
    assert (got.columns["unmet_cooling_hours"] > 0).any() and (got.columns["meets_load"] == False).any()  # noqa: E712


ECONOMICS_VALUES = {
    "location.zip": st.sampled_from(["02134", "60614", "80205", "99501", "73301", "04401", "85004", "33101", "00000",
                                     "01002", "10001", "97201", ""]),
    "heating_load.annual": st.sampled_from(["", "25 MMBtu", "60 MMBtu", "60 MMBtu", "110 MMBtu"]),
    "heating_load.from_bills.fuel": st.sampled_from(["natural_gas", "electricity", "heating_oil"]),
    "systems.heat_pump.hspf2": st.sampled_from(["", "7.8", "9.5"]),
    "systems.heat_pump.backup": st.sampled_from(["", "furnace"]),
    "systems.heat_pump.capacity": st.sampled_from(["", "", "3 ton"]),
    "systems.heat_pump.hspf": st.sampled_from(["", "", "9"]),
    "systems.heat_pump.distribution": st.sampled_from(["", "", "ductless"]),
    "systems.heat_pump.zones": st.sampled_from(["", "", "3", "2.5"]),
    "systems.furnace.fuel": st.sampled_from(["", "natural_gas", "propane", "heating_oil", "wood"]),
    "systems.furnace.kind": st.sampled_from(["", "", "boiler", "stove"]),
    "systems.electric_resistance": st.sampled_from(["", "", "false"]),
    "cooling_load.annual": st.sampled_from(["", "", "15 MMBtu"]),
    "systems.air_conditioner": st.sampled_from(["", "", "false"]),
    "ducts.efficiency": st.sampled_from(["", "", "0.8"]),
    "economics.current": st.sampled_from(["", "furnace", "heat_pump", "electric_resistance"]),
    "economics.replace_current": st.sampled_from(["", "false", "true"]),
    "economics.lifetime": st.sampled_from(["", "12", "20.5"]),
    "economics.discount_rate": st.sampled_from(["", "0.03", "7 %"]),
    "economics.gas_disconnect": st.sampled_from(["", "true"]),
    "economics.install_date": st.sampled_from(["", "2025-06-01", "2023-01-01"]),
    "economics.escalation.electricity": st.sampled_from(["", "0.02"]),
    "economics.escalation.natural_gas": st.sampled_from(["", "-0.01"]),
    "economics.installed_cost.heat_pump": st.sampled_from(["", "", "15000"]),
    "economics.installed_cost.furnace": st.sampled_from(["", "", "6000"]),
    "economics.installed_cost.air_conditioner": st.sampled_from(["", "", "5500"]),
    "economics.incentives.auto": st.sampled_from(["", "true", "true", "false"]),
    "economics.incentives.programs": st.sampled_from(["", "", "", "IRA-25C-HP", "nope-1"]),
    "economics.incentives.heat_pump": st.sampled_from(["", "", "2000"]),
    "economics.incentives.air_conditioner": st.sampled_from(["", "", "300"]),
    "household.income": st.sampled_from(["", "35k", "90k", "250k"]),
    "household.size": st.sampled_from(["", "1", "4", "2.5"]),
    "household.owner": st.sampled_from(["", "true", "false"]),
    "household.utility": st.sampled_from(["", "", "", "Eversource", "Nowhere Power"]),
    "household.home_type": st.sampled_from(["", "", "single_family", "manufactured"]),
    "fixed_charges.electricity": st.sampled_from(["", "", "12", "400"]),
    "fixed_charges.natural_gas": st.sampled_from(["", "", "15"]),
    "systems.heat_pump.capacity_5f": st.sampled_from(["", "", "", "0.6", "20000 Btu/h"]),
    "systems.heat_pump.field_factor": st.sampled_from(["", "", "0.9"]),
    "systems.heat_pump.type": st.sampled_from(["", "", "", "air_to_water"]),
    "systems.heat_pump.supply_temperature.design": st.sampled_from(["", "", "140"]),
    "systems.heat_pump.serves": st.sampled_from(["", "", "", "0.5"]),
    "systems.heat_pump.backup_capacity": st.sampled_from(["", "", "", "5 kW"]),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries(ECONOMICS_VALUES), min_size=1, max_size=10))
def test_generated_economics_rows_give_what_the_per_home_route_gives(rows):
    # economics and incentives on the fast route (heatcalc.rules.economics, the rules the per-home route calls):
    # every column, problem and warning as the per-home route's
    rows = [_one_load(_without_both(r)) for r in rows]
    chunk = chunk_of(rows)
    assert_same_blocks(c.run_chunk(chunk), per_home_block(chunk))


def _one_load(row: dict) -> dict:
    """The heat needed as a year's heat, or else a year of bills (of a fuel, in its units), as a home gives it."""
    fuel = row.pop("heating_load.from_bills.fuel")
    if not row.get("heating_load.annual"):
        row["heating_load.from_bills.fuel"] = fuel
        row["heating_load.from_bills.amount"] = {"natural_gas": "800", "electricity": "14000",
                                                 "heating_oil": "600"}[fuel]
    return row


def test_rich_homes_take_the_fast_route_and_agree():
    # issue 32's rich homes (cooling, ducts, an air conditioner, economics, automatic incentives): they run on the
    # fast route, every column, problem and warning as the per-home route's (installed costs by size and state,
    # incentives by ZIP, income and household size, payback and NPV ranges)
    rng = np.random.default_rng(21)
    zips = ["02134", "60614", "80205", "99501", "04401", "85004", "33101", "10001", "97201", "55401", "30303",
            "48201", "19103", "78701", "96815"]
    rows = []
    for i in range(160):
        row = {"location.zip": str(rng.choice(zips)), "heating_load.annual": f"{rng.integers(20, 90)} MMBtu",
               "systems.heat_pump.hspf2": str(rng.choice([7.5, 8.5, 10])),
               "systems.heat_pump.compressor": str(rng.choice(["single_stage", "variable_speed"])),
               "systems.furnace.fuel": str(rng.choice(["natural_gas", "propane", "heating_oil"])),
               "cooling_load.annual": f"{rng.integers(5, 40)} MMBtu",
               "ducts.efficiency": str(rng.choice([0.75, 0.8, 0.9])),
               "systems.air_conditioner.seer2": str(rng.choice([13.4, 16])),
               "economics.current": str(rng.choice(["furnace", "furnace", "electric_resistance"])),
               "economics.incentives.auto": "true",
               "household.income": f"{rng.integers(30, 200)}k", "household.size": str(rng.integers(1, 7))}
        if i % 4 == 0:
            row["economics.replace_current"] = "true"
        if i % 5 == 0:
            row["systems.heat_pump.backup"] = "furnace"
        if i % 7 == 0:
            row["economics.gas_disconnect"] = "true"
        rows.append(row)
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert_same_blocks(got, per_home_block(chunk))
    ran = sum(p is None for p in got.problems)
    assert got.fast > 0.8 * ran > 100
    assert np.isfinite(got.columns["npv_vs_current_low_usd"]).sum() > 150
    assert (got.columns["incentives_usd"] > 0).sum() > 50
    assert any(got.warnings)


def test_a_design_load_that_includes_the_ducts_takes_the_fast_route():
    # heating_load.design.includes_ducts (heatcalc.rules.load, the per-home route's rule): the rooms' load is the
    # design load times the ducts' efficiency; without ducts, or without a design load, it changes nothing
    rows = []
    for i in range(24):
        row = {"location.station": STATIONS[i % 4], "heating_load.design.load": f"{30 + i} kBtu/h",
               "heating_load.design.outdoor": "5", "heating_load.design.includes_ducts": ["true", "false", ""][i % 3]}
        if i % 2:
            row["ducts.efficiency"] = "0.8"
        rows.append(row)
    rows.append({"location.station": STATIONS[0], "heating_load.annual": "50 MMBtu", "ducts.efficiency": "0.8",
                 "heating_load.design.includes_ducts": "true"})  # no design load: the profile's rules say so
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert_same_blocks(got, per_home_block(chunk))
    assert got.fast >= 24
    both = got.columns["heat_delivered_mmbtu"]
    assert len(set(np.round(both, 6))) > 20


def test_capacity_at_5f_and_field_factors_take_the_fast_route():
    # systems.heat_pump.capacity_5f (a share, or a capacity over the given 47 F one: heatcalc.rules.heat_pump) and
    # field_factor (every COP times it): the default curves as the per-home route makes them, sized and switched
    # over alike; a 5 F capacity without the 47 F one is the per-home route's problem to name
    rng = np.random.default_rng(17)
    rows = []
    for i in range(60):
        row = {"location.station": STATIONS[i % 5], "heating_load.annual": f"{rng.integers(30, 100)} MMBtu",
               "systems.heat_pump.hspf2": str(rng.choice([7.8, 9, 10.5])),
               "systems.heat_pump.compressor": str(rng.choice(["single_stage", "variable_speed"]))}
        how = i % 4
        if how == 0:
            row["systems.heat_pump.capacity_5f"] = str(rng.choice([0.55, 0.7, 0.9]))
        elif how == 1:
            row["systems.heat_pump.capacity_5f"] = "22000 Btu/h"
            row["systems.heat_pump.capacity"] = "3 ton"
        elif how == 2:
            row["systems.heat_pump.capacity_5f"] = "22000 Btu/h"  # no 47 F capacity: a problem
        if i % 3 == 0:
            row["systems.heat_pump.field_factor"] = str(rng.choice([0.8, 0.9, 1.1]))
        if i % 5 == 0:
            row["systems.heat_pump.backup"] = "furnace"
        rows.append(row)
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert_same_blocks(got, per_home_block(chunk))
    failed = sum(p is not None for p in got.problems)
    assert failed >= 15 and got.fast >= len(rows) - failed - 2


def test_fixed_charges_take_the_fast_route():
    # fixed_charges.* (heatcalc.rules.prices.marginal_prices): the state's average price becomes a marginal one, a
    # given price stays, the charges reach fixed_charges_usd, the bills and (gas's while the home keeps gas
    # service, or not with gas_disconnect) the lifetime cost; a charge the average cannot cover is a problem
    rng = np.random.default_rng(23)
    rows = []
    for i in range(48):
        row = {"location.station": STATIONS[i % 4], "heating_load.annual": f"{rng.integers(30, 100)} MMBtu",
               "systems.furnace.fuel": str(rng.choice(["natural_gas", "natural_gas", "propane"])),
               "fixed_charges.electricity": str(rng.choice([0, 10, 15])),
               "fixed_charges.natural_gas": str(rng.choice([0, 12, 20]))}
        if i % 3 == 0:
            row["prices.natural_gas"] = "1.6"
        if i % 4 == 1:
            row["systems.heat_pump.backup"] = "furnace"
        if i % 2 == 0:
            row["economics.current"] = "furnace"
            row["economics.gas_disconnect"] = str(rng.choice(["true", "false"]))
        rows.append(row)
    rows.append({"location.station": STATIONS[0], "heating_load.annual": "50 MMBtu",
                 "fixed_charges.electricity": "400"})  # more than the average price covers
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert_same_blocks(got, per_home_block(chunk))
    assert got.fast == len(rows) - 1 and got.problems[-1] is not None
    assert (got.columns["fixed_charges_usd"] > 0).sum() > 100


def test_limited_strips_take_the_fast_route_and_leave_heat_unmet_alike():
    # systems.heat_pump.backup_capacity and backup_lockout: the strips deliver what the heat pump cannot, up to their
    # capacity and below their lockout; the rest is unmet heat, with its hours, and an option leaving more than 1 %
    # unmet does not meet the load (and, with economics, never pays back) -- as on the per-home route
    rows = []
    for i in range(40):
        row = {"location.station": ["702610", "725300", "725090", "722780"][i % 4],  # Fairbanks, Chicago, ...
               "heating_load.annual": f"{40 + 5 * i} MMBtu", "systems.heat_pump.hspf2": "8.5",
               "systems.heat_pump.capacity": ["1.5 ton", "3 ton"][i % 2],
               "systems.heat_pump.backup_capacity": ["", "2 kW", "5 kW", "10 kW"][i % 4]}
        if i % 3 == 0:
            row["systems.heat_pump.backup_lockout"] = "20"
        if i % 5 == 0:
            row["economics.current"] = "furnace"
        rows.append(row)
    rows.append({"location.station": "725090", "heating_load.annual": "50 MMBtu", "systems.heat_pump.backup": "furnace",
                 "systems.heat_pump.backup_capacity": "5 kW"})  # strips with dual fuel: the per-home route's problem
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert_same_blocks(got, per_home_block(chunk))
    assert got.fast == len(rows) - 1 and got.problems[-1] is not None
    assert (got.columns["unmet_heat_mmbtu"] > 0).sum() > 10 and (got.columns["unmet_hours"] > 0).sum() > 10
    assert (got.columns["meets_load"] == False).any()  # noqa: E712


def test_homes_placed_by_a_point_take_the_fast_route():
    # location.lat/lon (heatcalc.rules.location.place_of_point): the nearest station, the state of the ZIP centroids
    # around the point (or the station's, or the one given); a point far from every station, half a point, or a
    # point beside a ZIP code are the per-home route's problems to name
    points = [(42.36, -71.06), (41.88, -87.63), (64.84, -147.72), (33.45, -112.07), (39.74, -104.99),
              (45.0, -111.0), (47.6, -122.3)]
    rows = []
    for i, (lat, lon) in enumerate(points * 4):
        row = {"location.lat": str(lat + 0.01 * i), "location.lon": str(lon), "heating_load.annual": f"{30 + i} MMBtu"}
        if i % 5 == 0:
            row["location.state"] = "NH"
        if i % 6 == 0:
            row["economics.current"] = "furnace"
        rows.append(row)
    rows += [{"location.lat": "10", "location.lon": "-30", "heating_load.annual": "40 MMBtu"},
             {"location.lat": "42.3", "heating_load.annual": "40 MMBtu"},
             {"location.lat": "42.3", "location.lon": "-71", "location.zip": "02134",
              "heating_load.annual": "40 MMBtu"},
             {"location.lat": "42.3", "location.lon": "-71", "location.state": "ZZ", "heating_load.annual": "40 MMBtu"}]
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert_same_blocks(got, per_home_block(chunk))
    assert got.fast == len(points) * 4
    assert all(p is not None for p in got.problems[-4:])


def test_heat_pumps_serving_part_of_the_home_take_the_fast_route():
    # systems.heat_pump.serves (heatcalc.rules.heat_pump.partial_rest): a ductless head for part of the load, sized
    # for its share, the furnace (or resistance heat, or the current system given) heating the rest and what it
    # cannot carry, through its own ducts; with economics and incentives the purchase is not whole-home
    rng = np.random.default_rng(29)
    rows = []
    for i in range(60):
        row = {"location.zip": str(rng.choice(["02134", "04401", "60614", "80205"])),
               "heating_load.annual": f"{rng.integers(30, 110)} MMBtu", "systems.heat_pump.distribution": "ductless",
               "systems.heat_pump.serves": str(rng.choice([0.3, 0.5, 0.5, 0.8, 1])),
               "systems.furnace.fuel": str(rng.choice(["natural_gas", "heating_oil", "propane"]))}
        if i % 4 == 1:
            row["ducts.efficiency"] = "0.8"
        if i % 5 == 2:
            row["economics.current"] = str(rng.choice(["furnace", "electric_resistance"]))
            row["economics.incentives.auto"] = "true"
            row["household.income"] = "60k"
            row["household.size"] = "3"
        if i % 6 == 3:
            row["systems.furnace"] = "false"
            row.pop("systems.furnace.fuel")
        if i % 7 == 4:
            row["systems.heat_pump.backup"] = "furnace"
        rows.append(row)
    rows.append({"location.station": "725090", "heating_load.annual": "50 MMBtu", "systems.heat_pump.serves": "0.5",
                 "systems.furnace": "false", "economics.current": "furnace"})  # no furnace to heat the rest
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert_same_blocks(got, per_home_block(chunk))
    failed = sum(p is not None for p in got.problems)
    assert got.problems[-1] is not None and got.fast == len(rows) - failed
    assert got.fast > 40


def test_every_declared_field_is_on_the_fast_route_or_documented_as_per_home():
    # a field is on the fast route because it is declared (heatcalc.columnar.FAST_FIELDS), unless docs/scale.md
    # lists it, with why, among those that go home by home
    text = (ROOT / "docs" / "scale.md").read_text()
    declared = set(c._declared_fields())
    per_home = {f for f in declared if f not in c.FAST_FIELDS}
    assert per_home == {f for f in declared if f in c.PER_HOME_FIELDS or f.startswith(c.PER_HOME_SECTIONS)}
    for f in c.PER_HOME_FIELDS:
        assert f"`{f}`" in text or f"`{f.split('.')[-1]}`" in text or f".{f.split('.')[-1]}`" in text, f
    for prefix in c.PER_HOME_SECTIONS:
        assert f"`{prefix}*`" in text, prefix
    assert len(per_home) < 40 and len(declared) - len(per_home) > 110


def test_air_to_water_units_take_the_fast_route():
    # systems.heat_pump.type: air_to_water (heatcalc.rules.heat_pump.air_to_water_rules): the curve of its water's
    # outdoor reset at the station's design temperature, sized there, no ducts, a boiler as dual-fuel backup; the
    # fields that rate other units, ducted distribution, mild water hotter than the design's, and an installed cost
    # heatcalc has no data for are the per-home route's problems to name
    rng = np.random.default_rng(31)
    rows = []
    for i in range(48):
        row = {"location.station": ["725090", "725300", "702610", "726170"][i % 4],
               "heating_load.annual": f"{rng.integers(30, 110)} MMBtu", "systems.heat_pump.type": "air_to_water",
               "systems.furnace.kind": "boiler",
               "systems.furnace.fuel": str(rng.choice(["natural_gas", "heating_oil"]))}
        if i % 3 == 0:
            row["systems.heat_pump.supply_temperature.design"] = str(rng.choice([120, 140, 160]))
            row["systems.heat_pump.supply_temperature.mild"] = str(rng.choice([95, 105]))
        if i % 4 == 1:
            row["systems.heat_pump.backup"] = "furnace"
        if i % 5 == 2:
            row["systems.heat_pump.capacity"] = "3 ton"
        if i % 6 == 3:
            row["ducts.efficiency"] = "0.8"  # the boiler and the unit heat water: no duct losses for them
        if i % 7 == 4:
            row["economics.current"] = "furnace"
            row["economics.installed_cost.heat_pump"] = "18000"
        if i % 8 == 5:
            row["systems.heat_pump.serves"] = "0.6"
        rows.append(row)
    bad = [{"systems.heat_pump.hspf2": "9"}, {"systems.heat_pump.distribution": "ducted"},
           {"systems.heat_pump.supply_temperature.design": "110", "systems.heat_pump.supply_temperature.mild": "120"},
           {"economics.current": "furnace"}]  # no installed cost for an air-to-water unit: give the quote
    for extra in bad:
        rows.append({"location.station": "725090", "heating_load.annual": "60 MMBtu",
                     "systems.heat_pump.type": "air_to_water", "systems.furnace.kind": "boiler", **extra})
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert_same_blocks(got, per_home_block(chunk))
    assert got.fast == 48 and all(p is not None for p in got.problems[-4:])


def _choice(*values):
    return st.sampled_from(["", "", ""] + list(values))  # most rows leave most fields to their defaults


RATE = str(ROOT / "profiles" / "rates" / "illustrative-tiered-tou.json")
#: Every field of the fast route, with values a home would give (and a few a rule refuses).
EVERY_FIELD = {
    "name": _choice("a home"),
    "_where": st.sampled_from(["station", "zip", "state", "point"]),
    "location.station": st.sampled_from(["725090", "725300", "722780", "702610"]),
    "location.zip": st.sampled_from(["02134", "60614", "80205", "04401"]),
    "location.state": st.sampled_from(["MA", "IL", "CO", "ME"]),
    "location.lat": st.sampled_from(["42.36", "41.9", "39.74"]),
    "location.lon": st.sampled_from(["-71.06", "-87.6", "-104.99"]),
    "_load": st.sampled_from(["annual", "ua", "design", "bills"]),
    "heating_load.annual": st.sampled_from(["40 MMBtu", "75 MMBtu"]),
    "heating_load.ua": st.sampled_from(["350", "600"]),
    "heating_load.design.load": st.sampled_from(["30 kBtu/h", "45 kBtu/h"]),
    "heating_load.design.outdoor": st.sampled_from(["5", "-5"]),
    "heating_load.design.includes_ducts": _choice("true"),
    "heating_load.indoor": _choice("68"),
    "heating_load.balance_point": _choice("60", "65"),
    "heating_load.from_bills.fuel": st.sampled_from(["natural_gas", "propane", "electricity"]),
    "heating_load.from_bills.efficiency": _choice("0.85"),
    "heating_load.from_bills.non_heating": _choice("10 therm/month"),
    "systems.heat_pump": _choice("false"),
    "systems.heat_pump.type": _choice("air_source", "air_to_water"),
    "systems.heat_pump.hspf2": _choice("7.8", "9.5"),
    "systems.heat_pump.hspf": _choice("9"),
    "systems.heat_pump.compressor": _choice("single_stage", "two_stage"),
    "systems.heat_pump.distribution": _choice("ductless"),
    "systems.heat_pump.zones": _choice("2"),
    "systems.heat_pump.cutoff": _choice("0"),
    "systems.heat_pump.cycling_degradation": _choice("0.2"),
    "systems.heat_pump.capacity": _choice("3 ton"),
    "systems.heat_pump.capacity_5f": _choice("0.7"),
    "systems.heat_pump.field_factor": _choice("0.9"),
    "systems.heat_pump.backup": _choice("furnace"),
    "systems.heat_pump.backup_capacity": _choice("8 kW"),
    "systems.heat_pump.backup_lockout": _choice("35"),
    "systems.heat_pump.switchover": _choice("20"),
    "systems.heat_pump.serves": _choice("0.6"),
    "systems.heat_pump.seer2": _choice("17"),
    "systems.heat_pump.cooling_capacity": _choice("4 ton"),
    "systems.heat_pump.supply_temperature.design": _choice("130"),
    "systems.heat_pump.supply_temperature.mild": _choice("95"),
    "systems.furnace": _choice("false"),
    "systems.furnace.kind": _choice("boiler"),
    "systems.furnace.fuel": _choice("natural_gas", "propane", "heating_oil"),
    "systems.furnace.afue": _choice("0.9"),
    "systems.furnace.blower": _choice("5"),
    "systems.electric_resistance": _choice("false"),
    "systems.electric_resistance.efficiency": _choice("0.98"),
    "systems.air_conditioner": _choice("false"),
    "systems.air_conditioner.seer2": _choice("15"),
    "systems.air_conditioner.capacity": _choice("3 ton"),
    "ducts.efficiency": _choice("0.8"),
    "cooling_load.annual": _choice("15 MMBtu"),
    "cooling_load.balance_point": _choice("68"),
    "cooling_load.indoor": _choice("75"),
    "prices.electricity": _choice("0.21"),
    "prices.natural_gas": _choice("1.7"),
    "prices.propane": _choice("3.2"),
    "prices.heating_oil": _choice("4.1"),
    "emissions.electricity": _choice("0.3"),
    "emissions.region": _choice("NEWE"),
    "emissions.natural_gas": _choice("5.5"),
    "base_use.electricity": _choice("600 kWh/month"),
    "base_use.natural_gas": _choice("15 therm/month"),
    "fixed_charges.electricity": _choice("10"),
    "fixed_charges.natural_gas": _choice("12"),
    "tariff.urdb": _choice(RATE),
    "tariff.electricity": _choice("[{price: 0.42, hours: 16-21, days: weekdays}, {price: 0.24}]"),
    "tariff.adjustment": _choice("0.01"),
    "tariff.natural_gas": _choice("[{up_to: 40 therm, price: 1.10}, {price: 1.60}]"),
    "tariff.natural_gas_adjustment": _choice("0.2"),
    "systems.heat_pump.tariff.urdb": _choice(str(ROOT / "profiles" / "rates" / "illustrative-heat-pump-rate.json")),
    "systems.heat_pump.tariff.adjustment": _choice("0.015"),
    "systems.heat_pump.tariff.name": _choice("Illustrative heat pump rate"),
    "systems.heat_pump.tariff.year": _choice("2025"),
    "solar.capacity": _choice("5 kW"),
    "solar.tilt": _choice("25"),
    "solar.net_metering": _choice("monthly"),
    "solar.export_rate": _choice("0.05"),
    "solar.installed_cost": _choice("14000"),
    "economics.current": _choice("furnace", "electric_resistance"),
    "economics.replace_current": _choice("true"),
    "economics.lifetime": _choice("18"),
    "economics.discount_rate": _choice("0.04"),
    "economics.gas_disconnect": _choice("true"),
    "economics.install_date": _choice("2025-09-01"),
    "economics.escalation.electricity": _choice("0.02"),
    "economics.installed_cost.heat_pump": _choice("16000"),
    "economics.installed_cost.furnace": _choice("7000"),
    "economics.incentives.auto": _choice("true"),
    "economics.incentives.heat_pump": _choice("1500"),
    "household.income": _choice("70k"),
    "household.size": _choice("3"),
    "household.owner": _choice("false"),
    "household.utility": _choice("Eversource"),
    "household.home_type": _choice("single_family"),
}


def _a_home(row: dict) -> dict:
    """A row as a home gives it: one place (a station, a ZIP, a state or a point) and one way to the heat it needs."""
    where, load = row.pop("_where"), row.pop("_load")
    keep = {"station": ("location.station",), "zip": ("location.zip",), "state": ("location.state",),
            "point": ("location.lat", "location.lon")}[where]
    for f in ("location.station", "location.zip", "location.state", "location.lat", "location.lon"):
        if f not in keep:
            row.pop(f)
    keep = {"annual": ("heating_load.annual",), "ua": ("heating_load.ua",),
            "design": ("heating_load.design.load", "heating_load.design.outdoor", "heating_load.design.includes_ducts"),
            "bills": ("heating_load.from_bills.fuel", "heating_load.from_bills.efficiency",
                      "heating_load.from_bills.non_heating")}[load]
    for f in ("heating_load.annual", "heating_load.ua", "heating_load.design.load", "heating_load.design.outdoor",
              "heating_load.design.includes_ducts", "heating_load.from_bills.fuel",
              "heating_load.from_bills.efficiency", "heating_load.from_bills.non_heating"):
        if f not in keep:
            row.pop(f)
    if load == "bills":
        fuel = row["heating_load.from_bills.fuel"]
        row["heating_load.from_bills.amount"] = {"natural_gas": "700", "propane": "600", "electricity": "15000"}[fuel]
        if fuel != "natural_gas":
            row.pop("heating_load.from_bills.non_heating")
    # the fields of a thing only with it: solar with its capacity, a rate's adjustment with the rate, supply water
    # with an air-to-water unit (which takes no HSPF2 or compressor)
    if not row.get("solar.capacity"):
        for f in [f for f in row if f.startswith("solar.")]:
            row.pop(f)
    if row.get("tariff.urdb"):
        row.pop("tariff.electricity")  # one rate or the other
    elif not row.get("tariff.electricity"):
        row.pop("tariff.adjustment")
    if row.get("tariff.urdb") or row.get("tariff.electricity"):
        row.pop("prices.electricity")  # the rate sets it
    if row.get("emissions.region"):
        row["emissions.electricity"] = "marginal"  # a region's hourly marginal rates
    if any(v for f, v in row.items() if f.startswith("economics.")) and not row["economics.current"]:
        row["economics.current"] = "electric_resistance" if row["systems.furnace"] else "furnace"
    if row.get("systems.heat_pump.type") == "air_to_water":
        for f in ("systems.heat_pump.hspf2", "systems.heat_pump.compressor", "systems.heat_pump.hspf"):
            row.pop(f)
        if row["economics.current"]:
            row["economics.installed_cost.heat_pump"] = "21000"  # heatcalc has no cost data for these: a quote
    else:
        for f in ("systems.heat_pump.supply_temperature.design", "systems.heat_pump.supply_temperature.mild"):
            row.pop(f)
    return _without_both(row)


def test_every_fast_field_covered_by_the_generated_homes():
    assert set(EVERY_FIELD) - {"_where", "_load"} | {"heating_load.from_bills.amount"} >= c.FAST_FIELDS - {
        f for f in c.FAST_FIELDS if f.startswith(("economics.escalation.", "economics.incentives.",
                                                  "economics.installed_cost.", "emissions.", "prices.", "solar.",
                                                  "cooling_load.", "tariff."))}


@pytest.fixture(scope="module")
def own_pv_cache(tmp_path_factory):
    """A PV cache of the module's own (the arrays the generated homes need), not the user's."""
    before = os.environ.get("HEATCALC_CACHE_DIR")
    os.environ["HEATCALC_CACHE_DIR"] = str(tmp_path_factory.mktemp("pv"))
    yield
    if before is None:
        del os.environ["HEATCALC_CACHE_DIR"]
    else:
        os.environ["HEATCALC_CACHE_DIR"] = before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries(EVERY_FIELD), min_size=1, max_size=8))
def test_generated_homes_over_every_field_give_what_the_per_home_route_gives(own_pv_cache, rows):
    # homes drawn over every field of the fast route, mostly valid: every column, problem and warning equals the
    # per-home route's (hypothesis; 400 examples run by hand)
    rows = [_a_home(r) for r in rows]
    chunk = chunk_of(rows)
    assert_same_blocks(c.run_chunk(chunk), per_home_block(chunk))


def test_a_home_without_economics_burning_another_fuel_beside_one_with_them():
    # found by the generated homes: a chunk's oil-burning home without economics gave the rows' costs a heating-oil
    # column that the homes with economics have no price trend for (a KeyError, and the chunk home by home)
    rows = [{"location.station": "725090", "heating_load.annual": "40 MMBtu", "systems.furnace.fuel": "heating_oil"},
            {"location.zip": "02134", "heating_load.annual": "40 MMBtu", "economics.current": "furnace",
             "economics.incentives.heat_pump": "1500"}]
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert got.fast == 2
    assert_same_blocks(got, per_home_block(chunk))


def test_a_capacity_balance_point_on_the_edge_is_the_same_on_both_routes():
    # found by the generated homes: 42,000 Btu/h at 47 F, 33,000 at 17 F and 70 % of that at 5 F (29,400); UA 600
    # and a 60 F balance point. By hand the capacity meets the load exactly at 9 F (29,400 + 300 x (9 - 5) =
    # 30,600 = 600 x (60 - 9)), a point of the 0.05 F grid: whether it falls short there is decided in the last bit,
    # and the routes (np.interp for one home, a matrix product for many) decided it differently (9.0 against 8.95).
    # One rule now evaluates it for both (heatcalc.model.heat_pump.capacity_balance_points_f).
    row = {"location.station": "725090", "heating_load.ua": "600", "systems.heat_pump.compressor": "single_stage",
           "systems.heat_pump.cutoff": "0", "systems.heat_pump.capacity_5f": "0.7", "ducts.efficiency": "0.8"}
    chunk = chunk_of([row, dict(row, **{"heating_load.ua": "361.3"})])
    got = c.run_chunk(chunk)
    assert got.fast == 2
    assert_same_blocks(got, per_home_block(chunk))
    balance = got.columns["balance_point_f"][np.asarray(got.columns["system"]) == "heat_pump"]
    assert abs(balance[0] - 9.0) <= 0.05 + 1e-9


def test_a_peak_shared_by_many_hours_is_the_same_hour_on_both_routes(own_pv_cache):
    # found by the generated homes: 8 kW of strips below a 0 F cutoff carry all they can in every hour colder than
    # 0 F, so each of those hours draws the same 8 kW (27,296 Btu/h / 3,412). A home billed hour by hour (its solar)
    # took the first such hour of the year, a home on time-of-use periods (run hour by hour on the per-home route)
    # too, and the others the first hour of the coldest of them. One rule now (heatcalc.model.engine.peak_entries):
    # the first hour of the year at the highest kW, on bins and hours alike.
    from heatcalc.weather.stations import hour_label, hourly_temperature_f, station_by_id

    row = {"location.station": "725090", "heating_load.ua": "600", "systems.heat_pump.cutoff": "0",
           "systems.heat_pump.backup_capacity": "8 kW"}
    chunk = chunk_of([dict(row, **{"solar.capacity": "5 kW"}), row,
                      dict(row, **{"tariff.electricity": "[{price: 0.42, hours: 16-21}, {price: 0.24}]"})])
    got = c.run_chunk(chunk)
    assert got.fast == 3
    assert_same_blocks(got, per_home_block(chunk))
    hp = np.asarray(got.columns["system"]) == "heat_pump"
    assert np.allclose(got.columns["peak_electric_kw"][hp], 8.0)  # the strips' 8 kW: 27,296 Btu/h at 3,412 Btu/kWh
    # by hand: the first hour of Boston's year below 0 F
    first_below = int(np.flatnonzero(hourly_temperature_f(station_by_id("725090")) < 0.0)[0])
    assert list(np.asarray(got.columns["peak_hour"])[hp]) == [hour_label(first_below)] * 3


def test_a_year_without_electricity_peaks_in_its_first_hour_on_both_routes():
    # found by generated homes at a tropical station: a home that needs no heat (a UA given, Honolulu's air never
    # below its 55 F balance point) draws no electricity, and a gas furnace without a blower none either. Hour by
    # hour every hour ties at 0 kW, so the rule's first hour at the highest kW is the year's first; the per-home
    # route on bins said so too (its bins are empty), the array route said the padding's 1,000 F on January 1st
    # (or, billed on periods, the coldest bin's hour). One rule: heatcalc.model.engine.NO_ELECTRICITY_PEAK_HOUR.
    from heatcalc.weather.stations import hour_label, hourly_temperature_f, station_by_id

    warm = {"location.station": "911820", "heating_load.ua": "350", "heating_load.balance_point": "55"}
    cold = {"location.station": "725090", "heating_load.annual": "60 MMBtu", "systems.furnace.blower": "0",
            "systems.heat_pump": "false", "systems.electric_resistance": "false"}
    periods = {"tariff.electricity": "[{price: 0.42, hours: 16-21}, {price: 0.24}]"}
    chunk = chunk_of([warm, dict(warm, **periods), cold, dict(cold, **periods)])
    got = c.run_chunk(chunk)
    assert got.fast == 4
    assert_same_blocks(got, per_home_block(chunk))
    assert np.all(got.columns["peak_electric_kw"] == 0.0) and got.columns["heat_delivered_mmbtu"][-1] > 0
    station = np.where(np.asarray(got.columns["home"]) <= "2", "911820", "725090")
    assert list(got.columns["peak_hour"]) == [hour_label(0)] * len(station)
    # by hand: each station's temperature in the year's first hour
    assert list(got.columns["peak_outdoor_f"]) == [hourly_temperature_f(station_by_id(k))[0] for k in station]


def test_time_of_use_periods_take_the_fast_route():
    # tariff.electricity (a list: YAML in a cell; heatcalc.rules.rates.period_prices): each temperature bin's kWh at
    # its hours' summed prices, the other use at every hour's price, the dual-fuel switchover at their mean; with an
    # adjustment, in a state without daylight saving time; a price the periods replace is the per-home route's
    # problem to name
    periods = ["[{price: 0.42, hours: 16-21, days: weekdays}, {price: 0.24}]",
               "[{price: 0.31, months: 6-9}, {price: 0.18, hours: 0-6}, {price: 0.22}]"]
    rng = np.random.default_rng(37)
    rows = []
    for i in range(40):
        row = {"location.station": ["725090", "725300", "722780", "702610"][i % 4],
               "heating_load.annual": f"{rng.integers(30, 100)} MMBtu", "tariff.electricity": periods[i % 2],
               "systems.furnace.fuel": str(rng.choice(["natural_gas", "propane"]))}
        if i % 3 == 0:
            row["systems.heat_pump.backup"] = "furnace"
        if i % 5 == 1:
            row["tariff.adjustment"] = "-0.02"
        if i % 4 == 2:
            row["economics.current"] = "furnace"
            row["fixed_charges.electricity"] = "11"
        rows.append(row)
    rows.append({"location.station": "725090", "heating_load.annual": "50 MMBtu", "tariff.electricity": periods[0],
                 "prices.electricity": "0.25"})  # the periods set the price
    chunk = chunk_of(rows)
    got = c.run_chunk(chunk)
    assert_same_blocks(got, per_home_block(chunk))
    assert got.fast == 40 and got.problems[-1] is not None


def test_a_chunk_holds_the_cycle_collector_off_only_while_it_runs():
    """run_chunk turns Python's cycle collector off while it runs (speed) and gives it back as it found it: on after
    a chunk, on after a chunk that raised, still off for a caller who had turned it off, and on only when the last
    of two chunks running at once in one process ends."""
    import gc
    import threading

    chunk = chunk_of([{"location.station": "725090", "heating_load.annual": "60 MMBtu"}])
    seen = []
    real = c._run_chunk

    def spy(*args):
        seen.append(gc.isenabled())
        return real(*args)

    assert gc.isenabled()
    try:
        c._run_chunk = spy
        assert c.run_chunk(chunk).problems == [None]
        assert seen == [False] and gc.isenabled()

        def boom(*args):
            raise RuntimeError("boom")

        c._run_chunk = boom
        with pytest.raises(RuntimeError):
            c.run_chunk(chunk)
        assert gc.isenabled()

        c._run_chunk = spy
        gc.disable()
        c.run_chunk(chunk)
        assert not gc.isenabled()  # the caller's choice stands
        gc.enable()

        # two chunks at once (threads, as a Dask worker runs them): on again only after the second ends
        first_in, second_done, states = threading.Event(), threading.Event(), []

        def slow(*args):
            first_in.set()
            second_done.wait(10)
            return real(*args)

        c._run_chunk = slow
        worker = threading.Thread(target=c.run_chunk, args=(chunk,))
        worker.start()
        first_in.wait(10)
        c._run_chunk = real
        c.run_chunk(chunk)
        states.append(gc.isenabled())  # the first is still running
        second_done.set()
        worker.join(10)
        states.append(gc.isenabled())
        assert states == [False, True]
    finally:
        c._run_chunk = real
        gc.enable()


def test_a_dual_fuel_switchover_weighs_the_heat_pumps_own_rate_before_the_homes_periods():
    # found by the generated homes: a dual-fuel heat pump moving to a rate of its own, in a home on time-of-use
    # periods. The per-home route sets the economic switchover by the heat pump's rate's mean first-tier price (the
    # home is on that rate once it has the heat pump); the array route took the periods' mean, which is dearer, so
    # its furnace ran all winter (400 kWh of blower against 1,545 kWh of heat pump and blower)
    row = {"location.state": "MA", "heating_load.annual": "40 MMBtu", "systems.heat_pump.backup": "furnace",
           "systems.heat_pump.tariff.urdb": str(ROOT / "profiles" / "rates" / "illustrative-heat-pump-rate.json"),
           "tariff.electricity": "[{price: 0.42, hours: 16-21, days: weekdays}, {price: 0.24}]"}
    chunk = chunk_of([row])
    got = c.run_chunk(chunk)
    assert got.fast == 1
    assert_same_blocks(got, per_home_block(chunk))
    assert got.columns["electricity_kwh"][0] > 1000.0  # the heat pump runs (blower alone: 400 kWh)


@pytest.mark.parametrize("cells, fill, expected", [
    ([1.5, None, float("nan"), 2.0], 9.0, [1.5, 9.0, 9.0, 2.0]),
    ([1.5, None, float("nan"), 1.5], None, [1.5, None, None, 1.5]),
    (["BOS", " ", "", None, "BOS"], "X", ["BOS", "X", "X", "X", "BOS"]),
    ([3, 4, 3], 0, [3, 4, 3]),
    ([True, None, 1.0], False, [True, False, 1.0]),
    ([[1, 2], None], "X", [[1, 2], "X"]),  # a list cell (a rate's periods): each cell checked on its own
])
def test_empty_cells_take_the_fill_and_the_column_is_a_copy(cells, fill, expected):
    # Each distinct value is checked once; every NaN object (never equal to itself) must still be found, and the
    # column handed back is never the chunk's own list (the defaults' one-of rule clears cells of it).
    out = c._filled(cells, fill)
    assert out is not cells
    assert len(out) == len(expected)
    for got, want in zip(out, expected):
        assert got == want and type(got) is type(want)
