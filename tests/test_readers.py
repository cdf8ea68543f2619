"""Batch readers on small fixtures made here: folders, JSONL(.gz), WARC(.gz)."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from sayso.batch import readers
from sayso.batch.readers import content_id
from sayso.batch.work import to_article
from sayso.errors import InputError

PAGE = (
    "<html><head><title>Bridge reopens</title></head><body><article>"
    "<p>The city bridge reopened on Monday after two years of repairs, the mayor said in a statement.</p>"
    "<p>Traffic was light in the morning and heavier by noon, according to the transport office.</p>"
    "</article></body></html>"
)


def test_folder_is_read_recursively_with_file_stems_as_ids(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("The council met on Tuesday.", encoding="utf-8")
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    with gzip.open(tmp_path / "sub" / "c.html.gz", "wt", encoding="utf-8") as fh:
        fh.write(PAGE)
    (tmp_path / ".hidden.txt").write_text("not an article", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    records = list(readers.read(tmp_path))
    assert [r.id for r in records] == ["a", "b", "sub/c"]
    assert [r.is_html for r in records] == [True, None, True]
    assert records[2].content == PAGE.encode("utf-8")  # decompressed
    assert readers.count(tmp_path) == 3
    art = to_article(records[2])
    assert "bridge reopened" in art.text and art.id == "sub/c"
    assert art.meta["title"] == "Bridge reopens"


def test_jsonl_records_ids_meta_and_errors(tmp_path: Path) -> None:
    lines = [
        {"id": "x1", "text": "The council met on Tuesday.", "published": "2024-05-02T10:00:00Z", "outlet": "Gazette"},
        {"id": 7, "html": PAGE, "url": "https://example.org/bridge"},
        {"text": "Nobody named this record."},
        {"id": "empty", "text": ""},
    ]
    raw = "\n".join(json.dumps(x) for x in lines) + "\n{broken\n\n"
    path = tmp_path / "in.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(raw)
    records = list(readers.read(path))
    assert [r.id for r in records[:4]] == ["x1", "7", content_id("Nobody named this record."), "empty"]
    assert records[0].meta == {"published": "2024-05-02", "outlet": "Gazette"}
    assert records[0].is_html is False and records[1].is_html is True
    assert records[1].meta["url"] == "https://example.org/bridge"
    assert records[3].error and "text" in records[3].error
    assert records[4].error and "invalid JSON" in records[4].error and records[4].id == content_id(b"{broken")
    assert readers.count(path) == 5
    # what the input states wins over what the page says
    art = to_article(records[1], published="2020-01-01")
    assert art.meta["url"] == "https://example.org/bridge" and art.meta["published"] == "2020-01-01"
    with pytest.raises(InputError):
        to_article(records[3])


def _warc(responses: list[tuple[str, str, bytes]], extra_request: bool = True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, ctype, body in responses:
        if extra_request:
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=req))
        http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))
    return buf.getvalue()


def test_warc_response_records(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(
        _warc(
            [
                ("https://example.org/bridge", "text/html; charset=utf-8", PAGE.encode("utf-8")),
                ("https://example.org/logo.png", "image/png", b"\x89PNG\r\n"),
                ("https://example.org/note.txt", "text/plain", b"The council met on Tuesday."),
            ]
        )
    )
    records = list(readers.read(path))
    assert [r.meta["url"] for r in records] == ["https://example.org/bridge", "https://example.org/note.txt"]
    assert all(r.id.startswith("urn:uuid:") for r in records)
    assert [r.id for r in readers.read(path)] == [r.id for r in records]  # stable
    assert records[0].is_html is True and records[1].is_html is False
    art = to_article(records[0])
    assert "bridge reopened" in art.text and art.meta["url"] == "https://example.org/bridge"


def test_unknown_input_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(ValueError):
        readers.kind(path)
