"""Issue 13 rows 7, 8, 10, 13 and 17, and the batch's stats (issue 9 item 6): bad records are error
rows with an exit status of 0 and a summary by reason; the query runner is sealed; a file that is
not a store is refused; workers die with the batch; Parquet parts are one chunk each."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from sayso.batch import run
from sayso.cli import app

TOWNS = ["Ashford", "Bexley", "Carlow", "Dunmore", "Elston", "Farley"]


def record(i: int, **extra) -> dict:
    return {
        "id": f"r{i:02d}",
        "text": f"The council of {TOWNS[i % len(TOWNS)]} met on Tuesday. Mayor Jane Porter said the plan was ready.",
        **extra,
    }


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def test_impossible_dates_are_error_rows_and_the_batch_exits_0(tmp_path: Path) -> None:
    """Row 7: bad data is not a broken set-up: every record with an impossible date is an error
    row naming the value, the others are analysed, and the errors are counted by reason."""
    rows = [record(i, published="2025-02-30") for i in range(9)] + [record(9, published="2025-02-28")]
    src = write_jsonl(tmp_path / "feed.jsonl", rows)
    out = tmp_path / "out.jsonl"
    result = cli("batch", str(src), "--out", str(out), "--no-progress")
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [set(x) for x in lines[:9]] == [{"id", "error"}] * 9
    assert "'2025-02-30'" in lines[0]["error"] and "YYYY-MM-DD" in lines[0]["error"]
    assert lines[9]["id"] == "r09" and lines[9]["meta"]["published"] == "2025-02-28"
    assert "errors by reason: bad date 9" in result.output
    stats = json.loads((tmp_path / "out.stats.json").read_text(encoding="utf-8"))
    assert stats["errors_by_reason"] == {"bad date": 9} and stats["records"]["analysed"] == 1


def test_stats_give_time_by_stage_and_component_and_words_per_second(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "feed.jsonl", [record(i) for i in range(4)] + [{"id": "bad", "text": "   "}])
    summary = run.main(src, out=tmp_path / "o.jsonl", parquet=tmp_path / "pq", progress=False)
    stats = json.loads((tmp_path / "pq" / "stats.json").read_text(encoding="utf-8"))
    assert stats["records"] == {"analysed": 4, "errors": 1, "already_done": 0, "duplicate_ids": 0}
    assert stats["errors_by_reason"] == {"empty input": 1}
    assert stats["words"] == summary.words > 0 and stats["words_per_second"] > 0
    components = stats["component_seconds"]
    assert {"tok2vec", "parser", "ner", "sayso_attribution", "sayso_claims"} <= set(components)
    assert all(v > 0 for k, v in components.items() if k in ("tok2vec", "ner", "sayso_attribution"))
    stages = stats["stage_seconds"]
    for stage in ("read", "decode and extract", "tokenizer", "spaCy components", "write JSONL", "write Parquet"):
        assert stage in stages, stage
    assert stages["spaCy components"] == pytest.approx(sum(components.values()), abs=0.01)


def test_a_db_that_is_not_a_duckdb_store_is_refused(tmp_path: Path) -> None:
    """Row 10: DuckDB would open a .jsonl as a view, report "analysed" and store nothing."""
    src = write_jsonl(tmp_path / "feed.jsonl", [record(0)])
    not_a_store = write_jsonl(tmp_path / "other.jsonl", [record(1)])
    before = not_a_store.read_bytes()
    for args in (["batch", str(src), "--db", str(not_a_store)], ["query", str(not_a_store), "SELECT 1"]):
        result = cli(*args)
        assert result.exit_code == 2, result.output
        assert "is not a DuckDB database" in result.output and "Traceback" not in result.output
    assert not_a_store.read_bytes() == before


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("store")
    src = write_jsonl(folder / "feed.jsonl", [record(0), record(1)])
    run.main(src, db=folder / "corpus.duckdb", progress=False)
    return folder / "corpus.duckdb"


@pytest.mark.parametrize(
    "sql",
    [
        "COPY (SELECT * FROM articles) TO '{out}'",
        "SELECT * FROM read_csv('{secret}')",
        "SELECT * FROM read_text('{secret}')",
        "SELECT * FROM glob('{folder}/*')",
        "ATTACH '{out}' AS other",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
    ],
)
def test_query_cannot_reach_outside_the_store(store: Path, tmp_path: Path, sql: str) -> None:
    """Row 8: no file is read or written outside the store, no extension installed, no setting changed."""
    secret = tmp_path / "secret.txt"
    secret.write_text("password,123\n", encoding="utf-8")
    out = tmp_path / "stolen.csv"
    result = cli("query", str(store), sql.format(out=out, secret=secret, folder=tmp_path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "password" not in result.output
    assert not out.exists()


def test_query_still_reads_the_store_and_says_it_is_sealed(store: Path) -> None:
    result = cli("query", str(store), "SELECT id FROM articles ORDER BY id", "--format", "csv")
    assert result.exit_code == 0 and result.output.split() == ["id", "r00", "r01"]
    help_text = " ".join(cli("query", "--help").output.split())
    assert "external access off" in help_text and "configuration locked" in help_text


def test_parquet_parts_hold_one_chunk(tmp_path: Path) -> None:
    """Row 17: a part per chunk, so a kill loses at most the chunks in flight (was: 256 records)."""
    src = write_jsonl(tmp_path / "feed.jsonl", [record(i) for i in range(10)])
    run.main(src, parquet=tmp_path / "pq", chunk_size=3, progress=False)
    markers = sorted((tmp_path / "pq" / "_chunks").glob("*.json"))
    assert [len(json.loads(m.read_text())) for m in markers] == [3, 3, 3, 1]


def _batch(src: Path, out: Path, *extra: str) -> list[str]:
    code = "from sayso.cli import main; main()"
    return [sys.executable, "-c", code, "batch", str(src), "--out", str(out), "--no-progress", *extra]


@pytest.mark.parametrize("when", ["start-up", "mid-run"])
def test_workers_exit_soon_after_the_main_process_is_killed(tmp_path: Path, when: str) -> None:
    """Row 13: `-p 2`, main process killed with -9 while its workers are still starting (importing,
    before their initializer runs) or while they analyse: they and multiprocessing's resource
    tracker are gone soon after. A worker that took its parent's pid only once started would have
    read init's and waited for it forever."""
    src = write_jsonl(tmp_path / "feed.jsonl", [record(i) for i in range(400)])
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(_batch(src, out, "-p", "2", "--chunk-size", "1"), stderr=subprocess.DEVNULL)
    main = psutil.Process(proc.pid)
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        if when == "start-up":
            workers = [p for p in main.children() if "resource_tracker" not in " ".join(p.cmdline())]
            if len(workers) >= 2:
                break
        elif out.exists() and out.read_bytes().count(b"\n") >= 2:  # workers loaded and busy
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the batch ended before it could be killed"
    children = main.children(recursive=True)
    assert len(children) >= 2
    if when == "start-up":
        assert not out.exists() or out.stat().st_size == 0, "the workers were already analysing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(children, timeout=60 if when == "start-up" else 10)
    for p in alive:  # clean up before failing
        p.kill()
    assert not alive, [" ".join(p.cmdline())[:80] for p in alive]


def test_max_bytes_is_a_flag_and_a_longer_record_is_an_error_row(tmp_path: Path) -> None:
    long = {"id": "long", "text": "The mayor said the plan was ready. " * 20}
    src = write_jsonl(tmp_path / "feed.jsonl", [record(0), long])
    out = tmp_path / "out.jsonl"
    result = cli("batch", str(src), "--out", str(out), "--no-progress", "--max-bytes", "400")
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["id"] == "r00" and "text" in lines[0]
    assert lines[1]["id"] == "long" and "record too large: over 400 bytes" in lines[1]["error"]
    assert "errors by reason: too large 1" in result.output
