"""The step every executor runs on a worker: a chunk of records in, what the writers need out.

Workers do all the heavy work (decoding, HTML extraction, analysis, JSON encoding, building the
table rows) so that the process that writes only appends what it receives. Each chunk also
reports where its time went (stage by stage, spaCy component by component) and why its failed
records failed, for the batch's stats.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from spacy.language import Language
from spacy.tokens import Doc

from sayso.analyzer import Analyzer, Article
from sayso.batch.readers import Record
from sayso.errors import InputError

Seconds = defaultdict[str, float]  # time by stage


def add_seconds(into: Seconds, more: dict[str, float]) -> None:
    for stage, sec in more.items():
        into[stage] += sec


@dataclass(frozen=True)
class Options:
    published: str | None = None  # publication date for records that have none
    lines: bool = True  # produce JSONL lines
    tables: bool = False  # produce table rows (Arrow)
    max_bytes: int | None = None  # size limit of one record (None: sayso.io.decode.MAX_BYTES)
    tier: str = "fast"  # "fast" or "accurate" (resolved by the caller), sent to every worker with the chunk
    language: str | None = None  # None: each article's own (detected); a code forces one for all


@dataclass
class Result:
    """What one chunk produced, in input order."""

    ids: list[str]
    errors: list[str] = field(default_factory=list)  # ids of the records that failed
    unexpected: list[str] = field(default_factory=list)  # reasons of failures that were not InputError
    words: int = 0  # whitespace-separated words in the analysed texts
    lines: list[str] = field(default_factory=list)  # one JSON line per id when Options.lines
    tables: dict[str, Any] = field(default_factory=dict)  # table name -> pyarrow.Table
    reasons: Counter[str] = field(default_factory=Counter)  # error count by reason
    seconds: Seconds = field(default_factory=lambda: defaultdict(float))  # by stage ("component:NAME": spaCy's)


class PipelineError(RuntimeError):
    """The pipeline does not load in a worker: a broken set-up, not a bad record."""


_local = threading.local()
UNEXPECTED = "_unexpected"  # marks an error row that no InputError explains (never written out)
REASON = "_reason"  # the kind of an error row's failure (never written out)
DIED = "the worker process died on this record (a crash or out of memory)"


class TimedPipeline:
    """The pipeline as the analyzer sees it, timing each step of ``pipe``: the tokenizer and each
    component in turn (a chunk's docs go through one component, then the next, as spaCy's own
    ``Language.pipe`` does with one batch). Components are not touched; everything else is the
    pipeline's own."""

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        self.seconds: Seconds = defaultdict(float)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._nlp, name)

    def make_doc(self, text: str) -> Doc:
        t0 = time.perf_counter()
        doc = self._nlp.make_doc(text)
        self.seconds["tokenizer"] += time.perf_counter() - t0
        return doc

    def pipe(self, docs: Iterable[Doc], **_: Any) -> Iterator[Doc]:
        batch = list(docs)
        size = max(1, len(batch))
        for name, proc in self._nlp.pipeline:
            t0 = time.perf_counter()
            if hasattr(proc, "pipe"):
                batch = list(proc.pipe(batch, batch_size=size))
            else:
                batch = [proc(doc) for doc in batch]
            self.seconds[f"component:{name}"] += time.perf_counter() - t0
        return iter(batch)

    def take(self) -> Seconds:
        spent, self.seconds = self.seconds, defaultdict(float)
        return spent


def worker_analyzer(tier: str, language: str | None = None) -> Analyzer:
    """One analyzer per worker thread, tier and forced language, loaded on first use and kept for
    the worker's life. English loads at once; another language's pipeline when an article needs it."""
    analyzers: dict[tuple[str, str | None], Analyzer] = _local.__dict__.setdefault("analyzers", {})
    analyzer = analyzers.get((tier, language))
    if analyzer is None:
        from sayso import pipeline

        # The main thread shares the process's pipelines; other threads (a threaded Dask worker)
        # get their own, since a spaCy pipeline is not meant to run in two threads at once.
        main = threading.current_thread() is threading.main_thread()

        def load(lang: str) -> Language:
            nlp = pipeline.shared(tier=tier, language=lang) if main else pipeline.build(tier=tier, language=lang)
            return cast(Language, TimedPipeline(nlp))

        try:
            first = load(language or "en")
        except Exception as err:  # noqa: BLE001  (no record can be analysed: stop the batch)
            raise PipelineError(f"cannot load the analysis pipeline: {type(err).__name__}: {err}") from err
        analyzer = analyzers[(tier, language)] = Analyzer(first, loader=load, language=language)
    return analyzer


def take_seconds(analyzer: Analyzer) -> Seconds:
    """The component seconds every language's pipeline spent since the last call."""
    spent: Seconds = defaultdict(float)
    for nlp in analyzer.pipelines.values():
        if isinstance(nlp, TimedPipeline):
            add_seconds(spent, nlp.take())
    return spent


def to_article(rec: Record, published: str | None = None, max_bytes: int | None = None) -> Article:
    """Decode and extract one record; raises InputError when it holds no usable article."""
    from sayso.io.article import to_article as article_of

    if rec.error:
        raise InputError(rec.error, reason=rec.reason)
    return article_of(rec.content, rec.id, rec.is_html, rec.meta, published, id=rec.id, max_bytes=max_bytes)


def error_row(rid: str, err: BaseException) -> dict[str, Any]:
    if isinstance(err, InputError):
        return {"id": rid, "error": str(err) or "bad input", REASON: err.reason}
    # Not the record's known fault: a bug, or a broken set-up if every record fails this way.
    return {"id": rid, "error": f"{type(err).__name__}: {err}", UNEXPECTED: True, REASON: f"unexpected {type(err).__name__}"}


def analyze_records(records: list[Record], options: Options, seconds: Seconds) -> list[dict[str, Any]]:
    """A report or an error row per record, in order; one bad record never sinks the others."""
    analyzer = worker_analyzer(options.tier, options.language)
    out: list[dict[str, Any] | None] = [None] * len(records)
    articles: list[tuple[int, Article]] = []
    t0 = time.perf_counter()
    for i, rec in enumerate(records):
        try:
            articles.append((i, to_article(rec, options.published, options.max_bytes)))
        except Exception as err:  # noqa: BLE001  (a bad record becomes an error row)
            out[i] = error_row(rec.id, err)
    t1 = time.perf_counter()
    seconds["decode and extract"] += t1 - t0
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
    inside = take_seconds(analyzer)
    seconds["repair, language check, report"] += time.perf_counter() - t1 - sum(inside.values())
    add_seconds(seconds, inside)
    for (i, art), rep in zip(articles, reports, strict=True):
        out[i] = rep if isinstance(rep, dict) else error_row(art.record_id(), rep)
    return [r for r in out if r is not None]


def run_chunk(records: list[Record], options: Options) -> Result:
    seconds: Seconds = defaultdict(float)
    rows = analyze_records(records, options, seconds)
    result = result_of(rows, options)
    add_seconds(result.seconds, seconds)
    return result


def result_of(rows: list[dict[str, Any]], options: Options) -> Result:
    """What the writers need from reports and error rows."""
    t0 = time.perf_counter()
    result = Result(ids=[r["id"] for r in rows], errors=[r["id"] for r in rows if "error" in r])
    result.unexpected = [r["error"] for r in rows if r.pop(UNEXPECTED, False)]
    result.reasons = Counter(str(r.pop(REASON, None) or "error") for r in rows if "error" in r)
    result.words = sum(len(r["text"].split()) for r in rows if "text" in r)
    if options.lines:
        result.lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    if options.tables:
        from sayso.store import tables

        result.tables = tables.from_rows(rows)
    result.seconds["JSON lines and table rows"] += time.perf_counter() - t0
    return result


def died(rec: Record, options: Options) -> Result:
    """The result of a record that killed its worker."""
    return result_of([{"id": rec.id, "error": DIED, REASON: "worker died"}], options)


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
        out.reasons.update(r.reasons)
        add_seconds(out.seconds, r.seconds)
        for name, table in r.tables.items():
            parts.setdefault(name, []).append(table)
    out.tables = {name: pa.concat_tables(tables) for name, tables in parts.items()}
    return out
