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
