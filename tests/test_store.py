"""The stores: Parquet parts count only once committed; DuckDB skips rows it already holds."""

from __future__ import annotations

from pathlib import Path

import duckdb

from sayso.batch.work import Result
from sayso.store import tables
from sayso.store.database import DuckDBWriter
from sayso.store.parquet import ParquetWriter, read_table


def report(rid: str) -> dict:
    text = "The mayor said the bridge will reopen. Critics allegedly disagree."
    return {
        "id": rid,
        "text": text,
        "meta": {
            "title": None,
            "url": None,
            "outlet": "Gazette",
            "author": None,
            "published": "2024-05-02",
            "language": "en",
            "tier": "fast",
        },
        "sentences": [
            {"start": 0, "end": 38, "status": "attributed", "evaluative": False, "cues": []},
            {
                "start": 39,
                "end": 66,
                "status": "hedged",
                "evaluative": False,
                "cues": [{"kind": "hedge", "text": "allegedly", "start": 47, "end": 56}],
            },
        ],
        "entities": [
            {
                "id": "e0",
                "name": "mayor",
                "type": "PERSON",
                "roles": ["mayor"],
                "affiliations": [],
                "mentions": [{"text": "mayor", "start": 4, "end": 9}],
            }
        ],
        "attributions": [
            {
                "id": "a0",
                "source": {"text": "The mayor", "start": 0, "end": 9, "entity": "e0"},
                "cue": {"text": "said", "start": 10, "end": 14},
                "content": [{"text": "the bridge will reopen", "start": 15, "end": 37}],
                "channel": None,
                "kind": "indirect",
                "sentence": 0,
                "time": None,
            }
        ],
        "times": [],
        "claims": [],
        "integrity": [],
        "profile": {
            "counts": {"attributed": 1, "anonymous": 0, "hedged": 1, "asserted": 0},
            "evaluative": 0,
            "claims": 0,
            "named_sources": [],
            "anonymous_sources": [],
            "named_share": 0.5,
        },
    }


def result(*ids: str) -> Result:
    rows = [report(i) if not i.startswith("bad") else {"id": i, "error": "empty input"} for i in ids]
    return Result(ids=list(ids), errors=[i for i in ids if i.startswith("bad")], tables=tables.from_rows(rows))


def test_rows_of_a_report() -> None:
    t = tables.from_rows([report("x")])
    att = t["attributions"].to_pylist()[0]
    assert att["source_name"] == "mayor" and att["content_text"] == "the bridge will reopen"
    assert att["cue_start"] == 10 and att["channel_text"] is None
    art = t["articles"].to_pylist()[0]
    assert (art["attributed"], art["hedged"], art["sentences"], art["words"]) == (1, 1, 2, 10)
    assert t["sentences"].to_pylist()[1]["text"] == "Critics allegedly disagree."
    assert t["cues"].to_pylist()[0]["sentence"] == 1


def test_parquet_parts_without_marker_are_dropped(tmp_path: Path) -> None:
    w = ParquetWriter(tmp_path, buffer_records=2)
    w.write(result("a", "bad1"))  # flushed: 2 records
    w.write(result("b"))  # buffered, then lost: the run "dies" here
    (tmp_path / "articles" / "0000-orphan.parquet").write_bytes(b"half")
    (tmp_path / "sentences" / "x.parquet.tmp").write_bytes(b"half")
    again = ParquetWriter(tmp_path)
    assert again.done == {"a", "bad1"}
    assert not (tmp_path / "articles" / "0000-orphan.parquet").exists()
    assert not (tmp_path / "sentences" / "x.parquet.tmp").exists()
    again.write(result("a", "b"))  # "a" is there already
    again.close()
    assert sorted(read_table(tmp_path, "articles")["id"].to_pylist()) == ["a", "b"]
    assert read_table(tmp_path, "errors")["id"].to_pylist() == ["bad1"]


def test_duckdb_writer_resumes_and_skips_held_rows(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    w = DuckDBWriter(db)
    w.write(result("a", "bad1"))
    w.close()
    w = DuckDBWriter(db)
    assert w.done == {"a", "bad1"}
    w.write(result("a", "b"))
    w.close()
    con = duckdb.connect(str(db), read_only=True)
    assert sorted(r[0] for r in con.execute("SELECT id FROM articles").fetchall()) == ["a", "b"]
    assert con.execute("SELECT count(*) FROM sentences").fetchone() == (4,)
    assert con.execute("SELECT source_name, count(*) FROM attributions GROUP BY 1").fetchall() == [("mayor", 2)]


def test_query_and_stats_commands(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from sayso.cli import app

    db = tmp_path / "c.duckdb"
    w = DuckDBWriter(db)
    w.write(result("a", "b", "bad1"))
    w.close()
    runner = CliRunner()
    out = runner.invoke(app, ["query", str(db), "SELECT id, outlet FROM articles ORDER BY id", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == [{"id": "a", "outlet": "Gazette"}, {"id": "b", "outlet": "Gazette"}]
    bad = runner.invoke(app, ["query", str(db), "SELECT nothing FROM nowhere"])
    assert bad.exit_code == 2 and "nowhere" in bad.output
    stats = runner.invoke(app, ["stats", str(db), "--format", "csv"])
    assert stats.exit_code == 0, stats.output
    assert "mayor,2,2" in stats.output  # sources quoted most
    assert "Gazette,2,4,0.5,0.0" in stats.output  # unsourced share: hedged + asserted / sentences
    assert "2024-05,2,0,0.0,0.5" in stats.output  # by month
    missing = runner.invoke(app, ["stats", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 2


def test_a_report_rebuilt_from_the_store_equals_the_report(tmp_path: Path, analyzer) -> None:
    """report → `sayso batch --db` → the store → the report the explorer serves: nothing lost
    (claims[].time was, before the claims table kept it)."""
    import json

    from typer.testing import CliRunner

    from sayso.cli import app
    from sayso.web.corpus import Corpus

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(
        "The mayor said on Monday that the bridge will close in March 2025. Officials believe the river "
        "crossing is unsafe, according to a city report. Critics allegedly disagree.\n",
        encoding="utf-8",
    )
    out, db = tmp_path / "r.jsonl", tmp_path / "c.duckdb"
    result = CliRunner().invoke(app, ["batch", "--no-progress", str(src), "--out", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert any(c["time"] for c in written["claims"]), "the fixture needs a claim with a time"
    corpus = Corpus(db)
    try:
        rebuilt = corpus.report(written["id"])
    finally:
        corpus.close()
    assert rebuilt is not None
    assert json.loads(json.dumps(rebuilt, default=str)) == written
