"""Repeatable fault tests: `sayso batch` killed with -9 at random points (the main process, or one
of its workers), then finished, gives exactly the outputs of a clean run. The random points come
from a seeded generator, so a failure can be replayed."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest

from sayso.batch import run
from sayso.store import parquet as parquet_store
from sayso.store.tables import SCHEMAS

N = 24
TOWNS = ["Ashford", "Bexley", "Carlow", "Dunmore", "Elston", "Farley", "Gorton", "Hexham"]


def feed(path: Path) -> Path:
    rows = []
    for i in range(N):
        text = f"The council of {TOWNS[i % len(TOWNS)]} met on Tuesday. Mayor Ann Lee said the budget was ready."
        rows.append({"id": f"r{i:02d}", "text": text, "published": f"2024-03-0{1 + i % 9}"})
    rows.insert(5, {"id": "bad", "text": "   "})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def outputs(folder: Path) -> dict:
    """Everything a run left, in a comparable form (order-free where order is not promised)."""
    lines = [json.loads(x) for x in (folder / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    con = duckdb.connect(str(folder / "out.duckdb"), read_only=True)
    try:
        db = {name: sorted(con.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in SCHEMAS}
    finally:
        con.close()
    pq = {name: sorted(map(repr, parquet_store.read_table(folder / "pq", name).to_pylist())) for name in SCHEMAS}
    return {"jsonl": sorted(lines, key=lambda x: x["id"]), "duckdb": db, "parquet": pq}


def args(folder: Path) -> dict:
    return {"out": folder / "out.jsonl", "db": folder / "out.duckdb", "parquet": folder / "pq"}


def command(src: Path, folder: Path, *extra: str) -> list[str]:
    a = args(folder)
    code = "from sayso.cli import main; main()"
    return [sys.executable, "-c", code, "batch", str(src), "--out", str(a["out"]), "--db", str(a["db"]),
            "--parquet", str(a["parquet"]), "--no-progress", *extra]  # fmt: skip


def lines_written(folder: Path) -> int:
    path = folder / "out.jsonl"
    return path.read_bytes().count(b"\n") if path.exists() else 0


def wait_for(proc: subprocess.Popen, folder: Path, n: int, timeout: float = 240) -> None:
    end = time.time() + timeout
    while time.time() < end and proc.poll() is None and lines_written(folder) < n:
        time.sleep(0.01)


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("clean")
    src = feed(folder / "feed.jsonl")
    run.main(src, chunk_size=1, progress=False, **args(folder))
    return src, outputs(folder)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_9_of_the_main_process_then_resume_equals_a_clean_run(clean, tmp_path: Path, seed: int) -> None:
    src, expected = clean
    rng = random.Random(seed)
    proc = subprocess.Popen(command(src, tmp_path, "--chunk-size", "1"), stderr=subprocess.DEVNULL)
    wait_for(proc, tmp_path, rng.randint(1, N - 8))
    time.sleep(rng.uniform(0, 0.1))
    assert proc.poll() is None, "the batch ended before the kill"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert lines_written(tmp_path) < N + 1
    summary = run.main(src, chunk_size=1, progress=False, **args(tmp_path))  # the resume
    assert summary.analysed + summary.errors + summary.skipped == N + 1
    assert outputs(tmp_path) == expected


def _workers(pid: int) -> list[psutil.Process]:
    return [p for p in psutil.Process(pid).children() if "resource_tracker" not in " ".join(p.cmdline())]


@pytest.mark.parametrize("seed", [1, 2])
def test_kill_9_of_a_worker_is_recovered_within_the_run(clean, tmp_path: Path, seed: int) -> None:
    """The pool is restarted, the chunk that was hit redone: nothing is lost, nothing is an error."""
    src, expected = clean
    rng = random.Random(seed)
    proc = subprocess.Popen(command(src, tmp_path, "-p", "2", "--chunk-size", "2"), stderr=subprocess.PIPE, text=True)
    wait_for(proc, tmp_path, rng.randint(1, N - 8))
    time.sleep(rng.uniform(0, 0.1))
    workers = _workers(proc.pid) if proc.poll() is None else []
    assert workers, "the batch ended before the kill"
    os.kill(rng.choice(workers).pid, signal.SIGKILL)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert outputs(tmp_path) == expected


def test_a_pool_stuck_on_half_a_reply_is_broken_so_the_run_can_restart_it(monkeypatch) -> None:
    """A worker killed while writing its reply leaves half a message in the result pipe, and
    CPython's pool then waits on the rest forever without noticing the death (the hang this test
    reproduces: a length header with no body, then the worker killed). The executor's watch breaks
    the pool instead, and a restarted pool works."""
    import multiprocessing
    import struct
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from sayso.batch import executors

    monkeypatch.setattr(executors, "POLL_S", 0.1)
    monkeypatch.setattr(executors, "STUCK_S", 0.5)
    ex = object.__new__(executors.ProcessExecutor)  # the watch alone, without loading the pipeline in workers
    ex.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    try:
        assert ex._result(ex.pool.submit(pow, 2, 5)) == 32
        future = ex.pool.submit(time.sleep, 60)
        time.sleep(0.5)
        ex.pool._result_queue._writer._send(struct.pack("!i", 1000))  # half a reply: the reader now waits for 1,000 bytes
        time.sleep(0.3)
        worker = next(iter(ex.pool._processes.values()))
        os.kill(worker.pid, signal.SIGKILL)
        started = time.monotonic()
        with pytest.raises(BrokenProcessPool):
            ex._result(future)
        assert time.monotonic() - started < 30
        ex.pool.shutdown(wait=True, cancel_futures=True)  # returns: the reader thread is free
        ex.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        assert ex._result(ex.pool.submit(pow, 3, 3)) == 27
    finally:
        ex.pool.shutdown(wait=True, cancel_futures=True)
