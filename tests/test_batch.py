"""`sayso batch`: error rows, the outputs agree, resume after a kill -9, multi-process = one process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from sayso.batch import run
from sayso.batch.executors import ProcessExecutor
from sayso.batch.work import run_chunk
from sayso.batch.writers import JsonlWriter
from sayso.store import parquet as parquet_store

TOWNS = ["Ashford", "Bexley", "Carlow", "Dunmore", "Elston", "Farley", "Gorton", "Hexham", "Ilford", "Jarrow"]
TOPICS = ["the budget", "the new library", "bus fares", "the river bridge", "school meals", "street lighting"]


def record(i: int) -> dict:
    town, topic = TOWNS[i % len(TOWNS)], TOPICS[i % len(TOPICS)]
    text = (
        f"The council of {town} met on Tuesday to discuss {topic}. "
        f"Mayor Jane Porter said the plan would be decided by the end of the month. "
        f"Officials are expected to publish the figures next week."
    )
    return {
        "id": f"r{i:02d}",
        "text": text,
        "outlet": ["North Post", "South Echo"][i % 2],
        "published": f"2024-0{1 + i % 3}-1{i % 9}",
    }


def write_jsonl(path: Path, records: list[dict], extra: str = "") -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + extra, encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def db_rows(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for name in (
            "articles",
            "sentences",
            "cues",
            "entities",
            "mentions",
            "attributions",
            "claims",
            "times",
            "integrity",
            "errors",
        ):
            out[name] = sorted(con.execute(f"SELECT * FROM {name}").fetchall(), key=repr)
        return out
    finally:
        con.close()


def test_bad_records_become_error_rows_and_outputs_agree(tmp_path: Path) -> None:
    src = write_jsonl(
        tmp_path / "in.jsonl",
        [record(0), {"id": "empty", "text": "   "}, {"id": "bin", "text": "abc\x00def"}, record(1), record(0)],
        extra="{not json\n",
    )
    summary = run.main(src, out=tmp_path / "o.jsonl", db=tmp_path / "o.duckdb", parquet=tmp_path / "pq", progress=False)
    assert (summary.analysed, summary.errors, summary.duplicates) == (2, 3, 1)
    lines = read_jsonl(tmp_path / "o.jsonl")
    assert [x["id"] for x in lines][:4] == ["r00", "empty", "bin", "r01"]
    errors = {x["id"]: x["error"] for x in lines if "error" in x}
    assert set(errors) == {"empty", "bin", lines[-1]["id"]} and all(errors.values())
    assert set(lines[-1]) == {"id", "error"}
    rows = db_rows(tmp_path / "o.duckdb")
    assert sorted(r[0] for r in rows["articles"]) == ["r00", "r01"]
    assert sorted(r[0] for r in rows["errors"]) == sorted(errors)
    report = lines[0]
    assert len(rows["sentences"]) == len(report["sentences"]) + len(lines[3]["sentences"])
    art = [r for r in rows["articles"] if r[0] == "r00"][0]
    assert art[3] == "North Post" and str(art[5]) == "2024-01-10"
    # Parquet holds the same rows as DuckDB
    con = duckdb.connect()
    for name in ("articles", "sentences", "errors", "times"):
        part = parquet_store.read_table(tmp_path / "pq", name)  # noqa: F841  (read by DuckDB)
        assert sorted(con.execute("SELECT * FROM part").fetchall(), key=repr) == rows[name]


def test_rerun_skips_what_is_done(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [record(i) for i in range(3)])
    run.main(src, out=tmp_path / "o.jsonl", db=tmp_path / "o.duckdb", progress=False)
    write_jsonl(src, [record(i) for i in range(5)])
    summary = run.main(src, out=tmp_path / "o.jsonl", db=tmp_path / "o.duckdb", progress=False)
    assert (summary.skipped, summary.analysed) == (3, 2)
    assert [x["id"] for x in read_jsonl(tmp_path / "o.jsonl")] == [f"r{i:02d}" for i in range(5)]
    assert len(db_rows(tmp_path / "o.duckdb")["articles"]) == 5
    again = run.main(src, out=tmp_path / "o.jsonl", db=tmp_path / "o.duckdb", processes=2, progress=False)
    assert (again.skipped, again.analysed) == (5, 0)  # and no worker process was needed


def test_torn_last_line_is_cut_on_resume(tmp_path: Path) -> None:
    path = tmp_path / "o.jsonl"
    path.write_text('{"id": "a", "error": "x"}\n{"id": "b", "err', encoding="utf-8")
    writer = JsonlWriter(path)
    writer.close()
    assert writer.done == {"a"}
    assert path.read_text(encoding="utf-8") == '{"id": "a", "error": "x"}\n'


def test_refuses_without_output(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sayso.cli import app

    src = write_jsonl(tmp_path / "in.jsonl", [record(0)])
    result = CliRunner().invoke(app, ["batch", str(src)])
    assert result.exit_code == 2 and "--out" in result.output


def _batch_cmd(src: Path, out: Path, db: Path) -> list[str]:
    code = "from sayso.cli import main; main()"
    return [
        sys.executable,
        "-c",
        code,
        "batch",
        str(src),
        "--out",
        str(out),
        "--db",
        str(db),
        "--no-progress",
        "--chunk-size",
        "1",
    ]


def test_resume_after_kill_9_matches_a_clean_run(tmp_path: Path) -> None:
    records = [record(i) for i in range(30)]
    src = write_jsonl(tmp_path / "in.jsonl", records)
    out, db = tmp_path / "killed.jsonl", tmp_path / "killed.duckdb"
    proc = subprocess.Popen(_batch_cmd(src, out, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    killed_at = 0
    while time.time() < deadline and proc.poll() is None:
        n = out.read_bytes().count(b"\n") if out.exists() else 0
        if n >= 3:
            os.kill(proc.pid, signal.SIGKILL)
            killed_at = n
            break
        time.sleep(0.005)
    proc.wait()
    assert killed_at and proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    assert out.read_bytes().count(b"\n") < 30  # killed mid-batch
    rerun = subprocess.run(_batch_cmd(src, out, db), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "already done" in rerun.stderr

    clean_out, clean_db = tmp_path / "clean.jsonl", tmp_path / "clean.duckdb"
    run.main(src, out=clean_out, db=clean_db, progress=False)
    resumed = read_jsonl(out)
    assert len(resumed) == len({x["id"] for x in resumed}) == 30  # no duplicates
    assert sorted(resumed, key=lambda x: x["id"]) == read_jsonl(clean_out)
    assert db_rows(db) == db_rows(clean_db)


def test_two_processes_give_the_rows_of_one(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [record(i) for i in range(8)] + [{"id": "bad", "text": ""}])
    run.main(src, out=tmp_path / "one.jsonl", progress=False)
    run.main(src, out=tmp_path / "two.jsonl", processes=2, chunk_size=2, progress=False)
    assert read_jsonl(tmp_path / "one.jsonl") == read_jsonl(tmp_path / "two.jsonl")


def crashing_step(records, options):
    """A worker step that dies, as a segfault would, on the record with id "crash"."""
    if any(r.id == "crash" for r in records):
        os._exit(1)
    return run_chunk(records, options)


def test_a_record_that_kills_its_worker_is_an_error_row(tmp_path: Path) -> None:
    records = [record(i) for i in range(4)]
    records.insert(2, {"id": "crash", "text": "The council met on Tuesday to discuss the budget."})
    src = write_jsonl(tmp_path / "in.jsonl", records)
    executor = ProcessExecutor(1, step=crashing_step)
    summary = run.main(src, out=tmp_path / "o.jsonl", processes=1, chunk_size=2, executor=executor, progress=False)
    assert (summary.analysed, summary.errors) == (4, 1)
    lines = read_jsonl(tmp_path / "o.jsonl")
    assert [x["id"] for x in lines] == ["r00", "r01", "crash", "r02", "r03"]
    assert lines[2] == {"id": "crash", "error": ProcessExecutor.DIED}


def test_a_broken_setup_stops_the_batch_without_marking_records_done(tmp_path: Path, monkeypatch) -> None:
    from sayso.batch import work
    from sayso.errors import InputError

    def broken(rec, published=None, max_bytes=None):
        raise RuntimeError("model file missing")

    monkeypatch.setattr(work, "to_article", broken)
    src = write_jsonl(tmp_path / "in.jsonl", [record(i) for i in range(12)])
    out = tmp_path / "o.jsonl"
    try:
        run.main(src, out=out, chunk_size=3, progress=False)
    except InputError as err:
        assert "fails on every record" in str(err) and "model file missing" in str(err)
    else:
        raise AssertionError("the batch should have stopped")
    assert out.read_text(encoding="utf-8") == ""  # nothing recorded as done


def test_an_unexpected_failure_on_one_record_is_an_error_row(tmp_path: Path, monkeypatch) -> None:
    from sayso.batch import work

    real = work.to_article

    def flaky(rec, published=None, max_bytes=None):
        if rec.id == "r01":
            raise ValueError("odd input")
        return real(rec, published, max_bytes)

    monkeypatch.setattr(work, "to_article", flaky)
    src = write_jsonl(tmp_path / "in.jsonl", [record(i) for i in range(3)])
    summary = run.main(src, out=tmp_path / "o.jsonl", chunk_size=1, progress=False)
    assert (summary.analysed, summary.errors) == (2, 1)
    lines = read_jsonl(tmp_path / "o.jsonl")
    assert lines[1] == {"id": "r01", "error": "ValueError: odd input"}
