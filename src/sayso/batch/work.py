"""The step every executor runs on a worker: a chunk of records in, what the writers need out.

Workers do all the heavy work (decoding, HTML extraction, analysis, JSON encoding, building the
table rows) so that the process that writes only appends what it receives.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from sayso.analyzer import Analyzer, Article
from sayso.batch.readers import Record
from sayso.errors import InputError


@dataclass(frozen=True)
class Options:
    published: str | None = None  # publication date for records that have none
    lines: bool = True  # produce JSONL lines
    tables: bool = False  # produce table rows (Arrow)


@dataclass
class Result:
    """What one chunk produced, in input order."""

    ids: list[str]
    errors: list[str] = field(default_factory=list)  # ids of the records that failed
    unexpected: list[str] = field(default_factory=list)  # reasons of failures that were not InputError
    words: int = 0  # whitespace-separated words in the analysed texts
    lines: list[str] = field(default_factory=list)  # one JSON line per id when Options.lines
    tables: dict[str, Any] = field(default_factory=dict)  # table name -> pyarrow.Table


class PipelineError(RuntimeError):
    """The pipeline does not load in a worker: a broken set-up, not a bad record."""


_local = threading.local()
UNEXPECTED = "_unexpected"  # marks an error row that no InputError explains (never written out)


def worker_analyzer() -> Analyzer:
    """One analyzer per worker thread, loaded on first use and kept for the worker's life."""
    analyzer = getattr(_local, "analyzer", None)
    if analyzer is None:
        from sayso import pipeline

        # The main thread shares the process's pipeline; other threads (a threaded Dask worker)
        # get their own, since a spaCy pipeline is not meant to run in two threads at once.
        main = threading.current_thread() is threading.main_thread()
        try:
            analyzer = Analyzer(pipeline.shared() if main else pipeline.build())
        except Exception as err:  # noqa: BLE001  (no record can be analysed: stop the batch)
            raise PipelineError(f"cannot load the analysis pipeline: {type(err).__name__}: {err}") from err
        _local.analyzer = analyzer
    return analyzer


def to_article(rec: Record, published: str | None = None) -> Article:
    """Decode and extract one record; raises InputError when it holds no usable article."""
    from sayso.io import decode, html

    if rec.error:
        raise InputError(rec.error)
    text = rec.content if isinstance(rec.content, str) else decode.decode(rec.content, rec.id)
    meta = dict(rec.meta)
    is_html = rec.is_html if rec.is_html is not None else html.looks_like_html(text)
    if is_html:
        text, page = html.extract(text, url=meta.get("url"))
        meta = {**page, **{k: v for k, v in meta.items() if v}}  # what the input states wins
    if not meta.get("published") and published:
        meta["published"] = published
    return Article(text, id=rec.id, meta=meta)


def error_row(rid: str, err: BaseException) -> dict[str, Any]:
    if isinstance(err, InputError):
        return {"id": rid, "error": str(err) or "bad input"}
    # Not the record's known fault: a bug, or a broken set-up if every record fails this way.
    return {"id": rid, "error": f"{type(err).__name__}: {err}", UNEXPECTED: True}


def analyze_records(records: list[Record], published: str | None = None) -> list[dict[str, Any]]:
    """A report or an error row per record, in order; one bad record never sinks the others."""
    analyzer = worker_analyzer()
    out: list[dict[str, Any] | None] = [None] * len(records)
    articles: list[tuple[int, Article]] = []
    for i, rec in enumerate(records):
        try:
            articles.append((i, to_article(rec, published)))
        except Exception as err:  # noqa: BLE001  (a bad record becomes an error row)
            out[i] = error_row(rec.id, err)
    try:
        reports: list[dict[str, Any] | Exception] = list(
            analyzer.pipe([a for _, a in articles], batch_size=max(1, len(articles)))
        )
    except Exception:  # noqa: BLE001  (find the one that fails, keep the others)
        reports = []
        for _, art in articles:
            try:
                reports.append(analyzer.analyze(art))
            except Exception as err:  # noqa: BLE001
                reports.append(err)
    for (i, art), rep in zip(articles, reports, strict=True):
        out[i] = rep if isinstance(rep, dict) else error_row(art.record_id(), rep)
    return [r for r in out if r is not None]


def run_chunk(records: list[Record], options: Options) -> Result:
    return result_of(analyze_records(records, options.published), options)


def result_of(rows: list[dict[str, Any]], options: Options) -> Result:
    """What the writers need from reports and error rows."""
    result = Result(ids=[r["id"] for r in rows], errors=[r["id"] for r in rows if "error" in r])
    result.unexpected = [r["error"] for r in rows if r.pop(UNEXPECTED, False)]
    result.words = sum(len(r["text"].split()) for r in rows if "text" in r)
    if options.lines:
        result.lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    if options.tables:
        from sayso.store import tables

        result.tables = tables.from_rows(rows)
    return result


def merge(results: list[Result]) -> Result:
    """One result from several, in order."""
    import pyarrow as pa

    out = Result(ids=[], errors=[], lines=[], tables={})
    parts: dict[str, list[Any]] = {}
    for r in results:
        out.ids += r.ids
        out.errors += r.errors
        out.unexpected += r.unexpected
        out.words += r.words
        out.lines += r.lines
        for name, table in r.tables.items():
            parts.setdefault(name, []).append(table)
    out.tables = {name: pa.concat_tables(tables) for name, tables in parts.items()}
    return out
