"""Properties over the readers: any bytes as a .txt file, an .html.gz file, a JSONL line or a WARC
record give records that the batch turns into reports or error rows — never an exception out of a
reader or a worker step, never a hang (each example runs under a deadline)."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayso.batch import readers
from sayso.batch.work import Options, run_chunk

SETTINGS = settings(
    max_examples=25,
    deadline=20_000,
    database=None,  # nothing written to the working tree; failures print their example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
ENGLISH = b"The council met on Tuesday. The mayor said the bridge would reopen next spring, officials confirmed."
# Bytes that are sometimes text, sometimes near-text, sometimes noise.
DATA = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(st.binary(max_size=50), st.integers(0, len(ENGLISH))).map(lambda p: ENGLISH[: p[1]] + p[0] + ENGLISH[p[1] :]),
)


def rows_of(records: list[readers.Record]) -> list[dict]:
    """The batch's worker step over ``records`` (JSON lines and table rows included): a report or
    an error row each, in order."""
    result = run_chunk(records, Options(lines=True, tables=True))
    rows = [json.loads(line) for line in result.lines]
    assert [r["id"] for r in rows] == [rec.id for rec in records]
    for row in rows:
        assert ("error" in row and row["error"]) or ("text" in row and "sentences" in row), row
    assert sum(t.num_rows for name, t in result.tables.items() if name in ("articles", "errors")) == len(records)
    return rows


def read_one(path: Path) -> list[readers.Record]:
    records = list(readers.read(path))
    assert records and all(isinstance(r.id, str) and r.id for r in records)
    return records


@SETTINGS
@given(data=DATA)
def test_any_bytes_as_a_txt_file(data: bytes) -> None:
    with TemporaryDirectory() as tmp:
        (Path(tmp) / "a.txt").write_bytes(data)
        records = read_one(Path(tmp))
        assert len(records) == 1
        rows_of(records)


@SETTINGS
@given(data=DATA, compressed=st.booleans(), cut=st.integers(0, 64))
def test_any_bytes_as_an_html_gz_file(data: bytes, compressed: bool, cut: int) -> None:
    raw = gzip.compress(b"<html><body><p>" + data + b"</p></body></html>") if compressed else data
    with TemporaryDirectory() as tmp:
        (Path(tmp) / "a.html.gz").write_bytes(raw[: len(raw) - cut] if cut else raw)  # sometimes cut short
        records = read_one(Path(tmp))
        assert len(records) == 1
        rows_of(records)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
RECORDS = st.fixed_dictionaries(
    {},
    optional={
        "id": JSON_VALUES,
        "text": st.one_of(st.text(max_size=300), st.just(ENGLISH.decode()), JSON_VALUES),
        "html": st.one_of(st.text(max_size=300), JSON_VALUES),
        "published": st.one_of(st.text(max_size=25), st.just("2025-02-30"), st.just("2024-05-02T10:00:00Z"), JSON_VALUES),
        "url": JSON_VALUES,
    },
)
LINES = st.one_of(
    st.binary(max_size=300),
    RECORDS.map(lambda r: json.dumps(r).encode()),
    st.just(b'{"id": "s", "text": "A \\ud800 B"}'),
    st.just(b"[" * 5000 + b"]" * 5000),
)


@SETTINGS
@given(line=LINES)
def test_any_jsonl_line(line: bytes) -> None:
    line = line.replace(b"\n", b" ")
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed.jsonl"
        path.write_bytes(line + b"\n" + json.dumps({"id": "next", "text": ENGLISH.decode()}).encode() + b"\n")
        records = list(readers.read(path))
        assert readers.count(path) == len(records)
        assert records[-1].id == "next" and records[-1].error is None  # the line after is still read
        rows_of(records)


def _warc(payload: bytes, ctype: str, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://example.org/a", "response", payload=io.BytesIO(payload), http_headers=http))
    return buf.getvalue()


@SETTINGS
@given(
    payload=DATA,
    ctype=st.sampled_from(["text/html", "text/plain", "application/json", "image/png", ""]),
    gz=st.booleans(),
    damage=st.one_of(st.none(), st.tuples(st.integers(0, 400), st.binary(max_size=20))),
)
def test_any_warc_record(payload: bytes, ctype: str, gz: bool, damage: tuple[int, bytes] | None) -> None:
    raw = _warc(payload, ctype, gz)
    if damage is not None:  # cut the file somewhere and append junk
        at, junk = damage
        raw = raw[: max(0, len(raw) - at)] + junk
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "crawl.warc"
        path.write_bytes(raw)
        records = list(readers.read(path))  # may be empty: an image is no article
        rows_of(records)
