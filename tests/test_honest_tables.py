"""Homes tables and the files they name (issue "Honest answers 2"): an output never replaces a file a row or the
--defaults profile names; a --defaults profile's files are its own folder's; a row's choice in a one-of group
replaces the defaults'; a profile's to_dict() round trip names the same files."""

import json
import shutil

import pytest

import heatcalc

from .conftest import ROOT

RATE = ROOT / "profiles" / "rates" / "illustrative-tiered-tou.json"


def _flat_rate(price: float) -> str:
    flat = [[0] * 24 for _ in range(12)]
    return json.dumps({"items": [{"name": f"flat {price}", "energyratestructure": [[{"rate": price}]],
                                  "energyweekdayschedule": flat, "energyweekendschedule": flat}]})


@pytest.fixture
def table(tmp_path):
    (tmp_path / "rates").mkdir()
    shutil.copy(RATE, tmp_path / "rates" / "r.json")
    path = tmp_path / "homes.csv"
    path.write_text("home,location.zip,heating_load.annual,tariff.urdb\na,02134,60 MMBtu,rates/r.json\n"
                    "b,02134,50 MMBtu,\n")
    return path


def _unchanged(path) -> bool:
    return path.read_bytes() == RATE.read_bytes()


@pytest.mark.parametrize("how", ["-o", "--errors", "dotdot", "symlink"])
def test_an_output_that_is_a_rate_a_row_names_is_refused(cli, table, how):
    rate = table.parent / "rates" / "r.json"
    args = {"-o": ["-o", "rates/r.json"], "--errors": ["-o", "out.csv", "--errors", "rates/r.json"],
            "dotdot": ["-o", "./rates/../rates/r.json"], "symlink": ["-o", "link.json"]}[how]
    if how == "symlink":
        (table.parent / "link.json").symlink_to(rate)
    proc = cli("batch", "--homes", "homes.csv", *args, cwd=table.parent)
    assert proc.returncode == 2, proc.stderr
    assert "tariff.urdb" in proc.stderr and "homes.csv" in proc.stderr and "another file" in proc.stderr
    assert _unchanged(rate)
    assert not (table.parent / "out.csv").exists()  # nothing written at all


def test_stdins_table_is_checked_as_it_is_read(cli, table):
    proc = cli("batch", "--homes", "-", "-o", "rates/r.json", input=table.read_text(), cwd=table.parent)
    assert proc.returncode == 2 and "tariff.urdb" in proc.stderr
    assert _unchanged(table.parent / "rates" / "r.json")


def test_a_parquet_tables_rates_are_inputs_too(cli, table):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"location.zip": ["02134"], "heating_load.annual": ["60 MMBtu"],
                             "tariff.urdb": ["rates/r.json"]}), table.parent / "homes.parquet")
    proc = cli("batch", "--homes", "homes.parquet", "-o", "rates/r.json", cwd=table.parent)
    assert proc.returncode == 2 and "tariff.urdb" in proc.stderr
    assert _unchanged(table.parent / "rates" / "r.json")


def test_a_defaults_profiles_files_are_its_own_folders(cli, tmp_path):
    # the table's folder and the defaults' folder each hold a rates/own.json, at different prices: the defaults'
    # tariff.urdb is its own (the table's was used: $2,448.46 instead of $612.12 in the battery)
    (tmp_path / "rates").mkdir()
    (tmp_path / "rates" / "own.json").write_text(_flat_rate(0.40))
    shared = tmp_path / "shared"
    (shared / "rates").mkdir(parents=True)
    (shared / "rates" / "own.json").write_text(_flat_rate(0.10))
    (shared / "defaults.yaml").write_text("tariff: {urdb: rates/own.json}\n")
    (tmp_path / "homes.csv").write_text("home,location.zip,heating_load.annual\na,02134,60 MMBtu\n")
    proc = cli("batch", "--homes", "homes.csv", "--defaults", "shared/defaults.yaml", "-f", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    got = {r["system"]: r["annual_cost_usd"] for r in json.loads(proc.stdout)}
    alone = heatcalc.compare({"location": {"zip": "02134"}, "heating_load": {"annual": "60 MMBtu"},
                              "tariff": {"urdb": str(shared / "rates" / "own.json")}})
    for row in alone.rows:
        assert got[row.system] == pytest.approx(row.annual_cost_usd, rel=1e-12)
    # and it is an input: an output over it is refused
    out = cli("batch", "--homes", "homes.csv", "--defaults", "shared/defaults.yaml", "-o", "shared/rates/own.json",
              cwd=tmp_path)
    assert out.returncode == 2 and "is one of the inputs" in out.stderr
    assert "0.1" in (shared / "rates" / "own.json").read_text()


def test_a_rows_choice_in_a_one_of_group_replaces_the_defaults(cli, tmp_path):
    (tmp_path / "defaults.yaml").write_text(
        "location: {station: '725090'}\n"
        "heating_load:\n  from_bills: {fuel: natural_gas, amount: 780 therm, efficiency: 0.8}\n")
    (tmp_path / "homes.csv").write_text("home,location.zip,heating_load.annual\na,60601,60 MMBtu\nb,,\n")
    proc = cli("batch", "--homes", "homes.csv", "--defaults", "defaults.yaml", "-f", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = {(r["home"], r["system"]): r for r in json.loads(proc.stdout)}
    a = heatcalc.compare({"location": {"zip": "60601"}, "heating_load": {"annual": "60 MMBtu"}})
    b = heatcalc.compare({"location": {"station": "725090"}, "heating_load": {
        "from_bills": {"fuel": "natural_gas", "amount": "780 therm", "efficiency": 0.8}}})
    for home, c in (("a", a), ("b", b)):
        for row in c.rows:
            assert rows[(home, row.system)]["annual_cost_usd"] == pytest.approx(row.annual_cost_usd, rel=1e-12)
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"location.zip": ["60601", None], "heating_load.annual": ["60 MMBtu", None]})
    out = heatcalc.compare_frame(frame, defaults=tmp_path / "defaults.yaml")
    assert list(out["annual_cost_usd"]) == pytest.approx([r.annual_cost_usd for c in (a, b) for r in c.rows],
                                                         rel=1e-12)


def test_a_row_giving_two_members_itself_is_still_refused(cli, tmp_path):
    (tmp_path / "defaults.yaml").write_text("heating_load: {annual: 50 MMBtu}\n")
    (tmp_path / "homes.csv").write_text("home,location.zip,heating_load.annual,heating_load.ua\na,02134,60 MMBtu,"
                                        "500 Btu/h/F\n")
    proc = cli("batch", "--homes", "homes.csv", "--defaults", "defaults.yaml", cwd=tmp_path)
    assert proc.returncode == 3 and "give only one of" in proc.stderr


def test_a_round_trip_through_to_dict_is_the_same_home(tmp_path, monkeypatch):
    folder = tmp_path / "home"
    (folder / "rates").mkdir(parents=True)
    shutil.copy(RATE, folder / "rates" / "r.json")
    (folder / "p.yaml").write_text("location: {zip: '02134'}\nheating_load: {annual: 60 MMBtu}\n"
                                   "tariff: {urdb: rates/r.json}\n")
    p = heatcalc.load_profile(folder / "p.yaml")
    monkeypatch.chdir(tmp_path)  # another working folder, where rates/r.json is not
    d = p.to_dict()
    assert d["tariff"]["urdb"] == str(folder / "rates" / "r.json")
    q = heatcalc.load_profile(d)
    assert q == p and hash(q) == hash(p)
    assert [r.annual_cost_usd for r in heatcalc.compare(q).rows] == \
        [r.annual_cost_usd for r in heatcalc.compare(p).rows]
    # the same relative name in another folder is another file: not equal
    other = tmp_path / "other"
    (other / "rates").mkdir(parents=True)
    (other / "rates" / "r.json").write_text(_flat_rate(0.1))
    (other / "p.yaml").write_text((folder / "p.yaml").read_text())
    assert heatcalc.load_profile(other / "p.yaml") != p
    assert heatcalc.load_profile(heatcalc.load_profile(other / "p.yaml").to_yaml() and other / "p.yaml") != p


def test_an_output_that_a_row_names_as_its_rate_is_refused_before_anything_runs(cli, tmp_path):
    # the rows name rate files (most the same one, as a housing stock's do; the file named last is also the
    # output): the run stops before anything is written, naming the field and the home, and the file is untouched
    (tmp_path / "rates").mkdir()
    (tmp_path / "rates" / "a.json").write_text(_flat_rate(0.20))
    (tmp_path / "rates" / "b.json").write_text(_flat_rate(0.30))
    rows = [f"h{i},02134,60 MMBtu,rates/a.json" for i in range(300)] + ["last,02134,60 MMBtu,rates/b.json"]
    (tmp_path / "homes.csv").write_text("home,location.zip,heating_load.annual,tariff.urdb\n" + "\n".join(rows) + "\n")
    before = (tmp_path / "rates" / "b.json").read_text()
    out = cli("batch", "--homes", "homes.csv", "-o", "rates/b.json", cwd=tmp_path)
    assert out.returncode == 2
    assert "tariff.urdb" in out.stderr and "last" in out.stderr and "an input" in out.stderr
    assert (tmp_path / "rates" / "b.json").read_text() == before
    assert cli("batch", "--homes", "homes.csv", "-o", "out.csv", cwd=tmp_path).returncode == 0


def test_the_quick_read_of_a_tables_file_columns_misses_none(cli, tmp_path):
    # batch.check_table_outputs first reads only the columns that name files (batch._file_cells); a row's file is
    # found with spaces around the column's name and the cell, under a byte-order mark, among rows of the wrong
    # length, and in a row with a quoted comma; a table it cannot read so (a named pipe) is left to the full reading
    import os

    from heatcalc import batch as b

    (tmp_path / "rates").mkdir()
    (tmp_path / "rates" / "b, c.json").write_text(_flat_rate(0.30))
    (tmp_path / "homes.csv").write_bytes(
        b"\xef\xbb\xbfhome, tariff.urdb ,location.zip,heating_load.annual\n"
        b"a,,02134\n"
        b'last," rates/b, c.json ",02134,60 MMBtu\n')
    assert b._file_cells(str(tmp_path / "homes.csv")) == {"", " rates/b, c.json "}
    before = (tmp_path / "rates" / "b, c.json").read_text()
    out = cli("batch", "--homes", "homes.csv", "-o", "rates/b, c.json", cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert "tariff.urdb" in out.stderr and "last" in out.stderr and "an input" in out.stderr
    assert (tmp_path / "rates" / "b, c.json").read_text() == before
    (tmp_path / "plain.csv").write_text("home,location.zip\na,02134\n")
    assert b._file_cells(str(tmp_path / "plain.csv")) == set()  # no column names a file: nothing to look at
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.csv")
        assert b._file_cells(str(tmp_path / "pipe.csv")) is None  # (not opened: a pipe is read once, by the run)
