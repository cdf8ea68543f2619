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
    lines: list[str] = field(default_factory=list)  # one JSON line per id when Options.lines
    tables: dict[str, Any] = field(default_factory=dict)  # table name -> pyarrow.Table


_local = threading.local()


def worker_analyzer() -> Analyzer:
    """One analyzer per worker thread, loaded on first use and kept for the worker's life."""
    analyzer = getattr(_local, "analyzer", None)
    if analyzer is None:
        from sayso import pipeline

        # The main thread shares the process's pipeline; other threads (a threaded Dask worker)
        # get their own, since a spaCy pipeline is not meant to run in two threads at once.
        main = threading.current_thread() is threading.main_thread()
        analyzer = Analyzer(pipeline.shared() if main else pipeline.build())
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
    reason = str(err) if isinstance(err, InputError) else f"{type(err).__name__}: {err}"
    return {"id": rid, "error": reason or type(err).__name__}


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
        reports: list[dict[str, Any] | Exception] = list(analyzer.pipe([a for _, a in articles], batch_size=max(1, len(articles))))
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
    rows = analyze_records(records, options.published)
    result = Result(ids=[r["id"] for r in rows], errors=[r["id"] for r in rows if "error" in r])
    if options.lines:
        result.lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    if options.tables:
        from sayso.store import tables

        result.tables = tables.from_rows(rows)
    return result
