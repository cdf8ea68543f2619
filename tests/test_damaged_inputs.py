"""Issue 13 rows 6, 9, 11, 12, 14 and 15: whatever cannot be read becomes an error record with its
reason, and reading goes on; nothing blocks, nothing is held whole in memory."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import threading
import tracemalloc
from pathlib import Path

import pytest

from sayso.batch import readers

TEXT = b"The council met on Tuesday to discuss the budget, the mayor said."


def read_all(path: Path, **kw) -> list[readers.Record]:
    """All records of ``path``; fails instead of hanging when reading blocks."""
    out: list = []
    thread = threading.Thread(target=lambda: out.extend(readers.read(path, **kw)), daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "the reader blocked"
    return out


def test_a_corrupt_gz_file_is_an_error_record_and_the_folder_goes_on(tmp_path: Path) -> None:
    """Row 6."""
    good = gzip.compress(TEXT)
    (tmp_path / "a.html.gz").write_bytes(good[:12] + b"\xff" * 40 + good[52:])  # a damaged deflate stream
    (tmp_path / "b.txt.gz").write_bytes(good[: len(good) // 2])  # cut short
    (tmp_path / "c.txt").write_bytes(TEXT)
    records = read_all(tmp_path)
    assert [r.id for r in records] == ["a", "b", "c"]
    assert records[0].error and records[0].reason == "unreadable file"
    assert records[1].error and records[1].reason == "unreadable file"
    assert records[2].error is None and records[2].content == TEXT


def test_a_huge_jsonl_line_is_an_error_record_read_in_bounded_memory(tmp_path: Path) -> None:
    """Row 9: a line ten times the record limit is never held whole; it becomes an error record."""
    limit = 1 << 20
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wb") as fh:
        fh.write(json.dumps({"id": "small", "text": TEXT.decode()}).encode() + b"\n")
        fh.write(b'{"id": "huge", "text": "' + b"word " * (2 * limit) + b'"}\n')
        fh.write(json.dumps({"id": "after", "text": TEXT.decode()}).encode() + b"\n")
    tracemalloc.start()
    try:
        records = read_all(path, max_bytes=limit)
        count = readers.count(path, max_bytes=limit)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [r.id for r in records][0] == "small" and records[2].id == "after"
    assert records[1].id == "huge" and records[1].reason == "too large" and f"over {limit} bytes" in (records[1].error or "")
    assert count == 3
    assert peak < 4 * limit, peak  # the 10 MB line was never in memory


def test_a_fifo_in_a_folder_is_skipped_with_an_error_record(tmp_path: Path) -> None:
    """Row 11: a FIFO named like an article does not block the reader."""
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "real.txt").write_bytes(TEXT)
    records = read_all(tmp_path)
    assert [r.id for r in records] == ["pipe", "real"]
    assert records[0].reason == "not a regular file" and "FIFO" in (records[0].error or "")
    assert records[1].content == TEXT


def test_analyze_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    code = "from sayso.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "analyze", str(fifo)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert "not a regular file" in done.stderr and "FIFO" in done.stderr and "Traceback" not in done.stderr


def test_a_lone_surrogate_escape_is_a_clear_input_error(tmp_path: Path) -> None:
    """Row 12."""
    path = tmp_path / "feed.jsonl"
    path.write_text('{"id": "s", "text": "The mayor said \\ud800 so."}\n{"id": "ok", "text": "Fine."}\n')
    records = read_all(path)
    assert records[0].reason == "invalid Unicode" and "surrogate" in (records[0].error or "")
    assert records[1].error is None


def _warc(n: int, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i in range(n):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/plain")], protocol="HTTP/1.1")
        rec = writer.create_warc_record(f"https://example.org/{i}", "response", payload=io.BytesIO(TEXT * 4), http_headers=http)
        writer.write_record(rec)
    return buf.getvalue()


@pytest.mark.parametrize("gz", [False, True])
def test_a_truncated_last_warc_record_is_an_error_record(tmp_path: Path, gz: bool) -> None:
    """Row 14: the cut-off record is not analysed as a whole article."""
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(_warc(3, gz)[:-60])
    records = read_all(path)
    assert [r.error is None for r in records] == [True, True, False]
    assert records[2].reason in ("truncated WARC record", "damaged WARC")


@pytest.mark.parametrize("gz", [False, True])
def test_a_corrupt_warc_header_is_an_error_record_not_a_silent_stop(tmp_path: Path, gz: bool) -> None:
    """Row 14: a damaged record in the middle stops the reading with an error record that says so."""
    parts = [_warc(1, gz) for _ in range(3)]  # records written one by one: valid when joined
    whole, first = b"".join(parts), len(parts[0])  # `first`: where the second record starts
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(whole[:first] + b"GARBAGE\r\n" * 4 + whole[first + 36 :])
    records = read_all(path)
    assert records[0].error is None
    assert records[-1].reason == "damaged WARC" and "the rest of the file" in (records[-1].error or "")


def test_an_unreadable_sub_folder_is_an_error_record(tmp_path: Path, monkeypatch) -> None:
    """Row 15 (the permission error is simulated: these tests may run as root)."""
    (tmp_path / "a.txt").write_bytes(TEXT)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_bytes(TEXT)
    (tmp_path / "z.txt").write_bytes(TEXT)
    real = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    records = read_all(tmp_path)
    assert [r.id for r in records] == ["a", "z", "locked/"]
    assert records[2].reason == "unreadable folder" and "Permission denied" in (records[2].error or "")
    assert readers.count(tmp_path) == 3


def test_a_fifo_as_the_batch_input_is_refused_without_blocking(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sayso.cli import app

    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    result = CliRunner().invoke(app, ["batch", str(fifo), "--out", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2 and "not a regular file" in result.output and "FIFO" in result.output


def test_a_metadata_field_that_is_not_a_string_is_an_error_record(tmp_path: Path) -> None:
    """Found by the JSONL property: a list as "title" used to sink the whole chunk in the table rows."""
    path = tmp_path / "feed.jsonl"
    rows = [{"id": "a", "text": "x", "title": ["A", "B"]}, {"id": "b", "text": "x", "outlet": 7}, {"id": "c", "text": "x"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    a, b, c = read_all(path)
    assert a.reason == b.reason == "bad field" and '"title" must be a string, not list' in (a.error or "")
    assert c.error is None
