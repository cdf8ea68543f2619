"""The Dask engine on a local cluster gives the rows the local engine gives."""

from __future__ import annotations

from pathlib import Path

from sayso.batch import run
from sayso.batch.executors import DaskExecutor
from test_batch import db_rows, read_jsonl, record, write_jsonl


def test_dask_engine_matches_local_engine(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [record(i) for i in range(7)] + [{"id": "bad", "text": ""}])
    run.main(src, out=tmp_path / "local.jsonl", db=tmp_path / "local.duckdb", progress=False)
    # Threads in one process keep the test fast; each worker thread loads its own pipeline once.
    executor = DaskExecutor(workers=2, processes=False)
    summary = run.main(
        src,
        out=tmp_path / "dask.jsonl",
        db=tmp_path / "dask.duckdb",
        progress=False,
        engine="dask",
        chunk_size=3,
        executor=executor,
    )
    assert (summary.analysed, summary.errors) == (7, 1)
    assert read_jsonl(tmp_path / "dask.jsonl") == read_jsonl(tmp_path / "local.jsonl")
    assert db_rows(tmp_path / "dask.duckdb") == db_rows(tmp_path / "local.duckdb")


def test_dask_engine_on_a_running_scheduler(tmp_path: Path) -> None:
    from distributed import LocalCluster

    src = write_jsonl(tmp_path / "in.jsonl", [record(i) for i in range(3)])
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        summary = run.main(
            src, db=tmp_path / "c.duckdb", engine="dask", scheduler=cluster.scheduler_address, progress=False
        )
    assert (summary.analysed, summary.errors) == (3, 0)
    assert [r[0] for r in db_rows(tmp_path / "c.duckdb")["articles"]] == ["r00", "r01", "r02"]


def test_a_cluster_without_workers_stops_the_batch(tmp_path: Path) -> None:
    from distributed import LocalCluster

    from sayso.errors import InputError

    src = write_jsonl(tmp_path / "in.jsonl", [record(0)])
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        executor = DaskExecutor(cluster.scheduler_address)
        executor.no_workers_s = 1
        try:
            run.main(src, out=tmp_path / "o.jsonl", engine="dask", executor=executor, progress=False)
        except InputError as err:
            assert "no workers" in str(err)
        else:
            raise AssertionError("the batch should have stopped")
    assert (tmp_path / "o.jsonl").read_text(encoding="utf-8") == ""
