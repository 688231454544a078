"""Homes tables on a Dask distributed cluster (``batch --scheduler``) and in DataFrames (``compare_frame``):
the same rows, in the same order, as a local run.  The cluster is a ``distributed.LocalCluster`` with two worker
processes, which receive the work over TCP as a real cluster's workers do."""

import subprocess
import sys

import numpy as np
import pytest

import heatcalc
from heatcalc.errors import ProfileError

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

STATIONS = ["725090", "725300", "702610", "722780", "722020", "727930"]


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  worker_dashboard_address=None) as lc:
        yield lc


def homes_table(n=400) -> "pd.DataFrame":
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({
        "home": [f"home-{i}" for i in range(n)],
        "location.station": rng.choice(STATIONS, n),
        "heating_load.annual": [f"{x} MMBtu" for x in rng.integers(20, 140, n)],
        "systems.heat_pump.hspf2": rng.choice([7.5, 8.1, 9.0, 10.0], n),
        "systems.heat_pump.backup": rng.choice(["electric_resistance", "furnace"], n),
        "systems.furnace.fuel": rng.choice(["natural_gas", "propane", "heating_oil"], n),
        "prices.electricity": np.round(rng.uniform(0.09, 0.4, n), 3),
    })
    frame.loc[5, "heating_load.annual"] = "-3 MMBtu"  # a home that fails, and is reported
    frame.loc[9, "prices.electricity"] = np.nan  # an empty cell: the state's price
    return frame


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "heatcalc", *args], capture_output=True, text=True, timeout=300)


def test_batch_on_a_cluster_writes_the_local_rows_in_order(cluster, tmp_path):
    table = tmp_path / "homes.csv"
    frame = pd.concat([homes_table()] * 30, ignore_index=True)  # 12,000 homes: two chunks, run on two workers
    frame.to_csv(table, index=False)
    local = run_cli("batch", "--homes", str(table), "-j", "1")
    remote = run_cli("batch", "--homes", str(table), "--scheduler", cluster.scheduler_address)
    assert local.returncode == remote.returncode == 3, remote.stderr[-2000:]
    assert remote.stdout == local.stdout  # byte for byte: same rows, same order
    assert remote.stderr == local.stderr  # each failure reported once, in order, and the same summary
    assert "12,000 homes: 11,970 computed, 30 failed" in remote.stderr


def test_batch_on_a_cluster_to_parquet(cluster, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    table = tmp_path / "homes.parquet"
    homes_table().to_parquet(table)
    out = tmp_path / "out.parquet"
    r = run_cli("batch", "--homes", str(table), "--scheduler", cluster.scheduler_address, "-o", str(out))
    assert r.returncode == 3, r.stderr
    run_cli("batch", "--homes", str(table), "-o", str(tmp_path / "local.parquet"))
    assert pq.read_table(out).equals(pq.read_table(tmp_path / "local.parquet"))


def test_an_unreachable_scheduler_is_a_usage_error(tmp_path):
    table = tmp_path / "homes.csv"
    homes_table(3).to_csv(table, index=False)
    r = run_cli("batch", "--homes", str(table), "--scheduler", "tcp://127.0.0.1:9")
    assert r.returncode == 2
    assert "cannot connect to a Dask scheduler" in r.stderr and "Traceback" not in r.stderr
    assert r.stdout == ""  # not even the header: nothing ran
    r = run_cli("batch", "profiles/", "--scheduler", "tcp://127.0.0.1:9")
    assert r.returncode == 2 and "give --homes" in r.stderr


def test_compare_frame_pandas_matches_batch(tmp_path):
    frame = homes_table(60)
    rows = heatcalc.compare_frame(frame)
    assert list(rows.columns[-3:]) == ["incentives_usd", "biogenic_co2_kg", "error"]
    failed = rows[rows.error.notna()]
    assert failed.home.tolist() == ["home-5"]
    assert any("heating_load.annual: must be above 0" in m for m in failed.error.iloc[0])  # a list of problems
    ran = rows[rows.error.isna()]
    assert ran.home.nunique() + len(failed) == len(frame)  # rows of homes that ran + failures = homes in
    table = tmp_path / "homes.csv"
    frame.to_csv(table, index=False)
    batch = pd.read_csv(__import__("io").StringIO(run_cli("batch", "--homes", str(table)).stdout),
                        dtype={"home": str}, keep_default_na=False, na_values=[""])
    assert ran.home.tolist() == batch.home.tolist()
    np.testing.assert_allclose(ran.annual_cost_usd.to_numpy(float), batch.annual_cost_usd.to_numpy(float),
                               rtol=1e-12)
    assert ran.system.tolist() == batch.system.tolist()


def test_compare_frame_dask_is_lazy_and_runs_on_the_cluster(cluster):
    frame = homes_table(300)
    expected = heatcalc.compare_frame(frame)
    lazy = heatcalc.compare_frame(dd.from_pandas(frame, npartitions=5))
    assert type(lazy).__module__.startswith("dask")  # nothing computed yet
    assert list(lazy.columns) == list(expected.columns)
    with distributed.Client(cluster) as client:
        got = client.compute(lazy).result()
    # the lazy frame types its text (string) and meets_load (nullable boolean) so that to_parquet knows the schema;
    # the values are the eager frame's
    from heatcalc.cluster import _compare_typed

    # the lazy frame joins each failure's problems into one string (a typed Parquet column); the eager one lists them
    want = _compare_typed(frame, {}, {}, "DataFrame")
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True))
    assert str(got["home"].dtype) == "string" and str(got["meets_load"].dtype) == "boolean"


def test_compare_frame_refuses_unknown_columns_and_bad_prices():
    with pytest.raises(ProfileError, match="heating_load.annuel"):
        heatcalc.compare_frame(pd.DataFrame({"location.zip": ["02134"], "heating_load.annuel": [50]}))
    with pytest.raises(ProfileError, match="prices"):
        heatcalc.compare_frame(homes_table(2), prices={"electricity": -1})


def test_compare_frame_refuses_what_is_not_a_frame():
    with pytest.raises(TypeError, match="pandas or dask DataFrame"):
        heatcalc.compare_frame([{"location.zip": "02134"}])


def test_scheduler_without_dask_installed_says_what_to_install(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from heatcalc.cli import app

    table = tmp_path / "homes.csv"
    homes_table(3).to_csv(table, index=False)
    monkeypatch.setitem(sys.modules, "distributed", None)  # as on a machine without Dask
    r = CliRunner().invoke(app, ["batch", "--homes", str(table), "--scheduler", "tcp://head:8786"])
    assert r.exit_code == 2 and "pip install 'heatcalc[cluster]'" in r.stderr
    assert r.stdout == ""


def test_compare_frame_progress_runs_the_same_rows_in_pieces(monkeypatch, capsys):
    pd = pytest.importorskip("pandas")
    from heatcalc import cluster

    monkeypatch.setattr(cluster, "PROGRESS_PIECE", 7)  # 20 homes in pieces of 7, 7 and 6
    zips = ["02134", "80202", "60601", "98101", "04401"]
    df = pd.DataFrame({"location.zip": [zips[i % 5] for i in range(20)],
                       "heating_load.annual": [f"{40 + i} MMBtu" for i in range(20)],
                       "systems.heat_pump.hspf2": [8 + (i % 3) * 0.5 for i in range(20)]})
    df.loc[13, "heating_load.annual"] = "-5 MMBtu"  # one home fails, in the second piece
    whole = heatcalc.compare_frame(df, progress=False)
    pieces = heatcalc.compare_frame(df, progress=True)
    pd.testing.assert_frame_equal(whole, pieces)
    assert list(pieces["profile"].dropna().unique()[:3]) == ["row 0", "row 1", "row 2"]
    assert pieces.loc[13, "error"] is not None and "heating_load.annual" in pieces.loc[13, "error"][0]
    # captured output is not a terminal: the default shows no bar, and stdout never carries one
    heatcalc.compare_frame(df)
    assert capsys.readouterr().out == ""
