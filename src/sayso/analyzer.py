"""Analyses articles: repair the text, run the spaCy pipeline, build the report."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language

from sayso import extensions, integrity, language, pipeline, report
from sayso.errors import InputError
from sayso.report_model import Report


@dataclass
class Article:
    """One input: its text (already extracted from HTML) and what is known about it."""

    text: str
    id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def record_id(self) -> str:
        return self.id or hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]


MAX_CHARS = 1_000_000  # spaCy's own limit for one Doc; a news article is two orders of magnitude below


def check_text(text: str) -> str:
    if len(text) > MAX_CHARS:
        raise InputError(f"text too long: {len(text)} characters, the limit for one article is {MAX_CHARS}")
    if not text.strip():
        raise InputError("empty input: there is no text to analyse")
    if "\x00" in text:
        raise InputError("binary input: the text contains NUL bytes")
    return language.require_english(text)


class Analyzer:
    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp if nlp is not None else pipeline.shared()

    def _prepare(self, article: Article) -> tuple[integrity.Repaired, dict[str, Any]]:
        lang = check_text(article.text)
        meta = {**article.meta, "language": lang}
        return integrity.repair(article.text), meta

    def analyze(self, article: Article) -> dict[str, Any]:
        """The report as JSON-ready data (``report(article).to_dict()``)."""
        return self.report(article).to_dict()

    def report(self, article: Article) -> Report:
        """The typed report; raises InputError for input sayso refuses."""
        repaired, meta = self._prepare(article)
        doc = self.nlp.make_doc(repaired.text)
        extensions.set_published(doc, meta.get("published"))
        for _, proc in self.nlp.pipeline:
            doc = proc(doc)
        return report.build(doc, repaired, article.record_id(), meta)

    def pipe(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[dict[str, Any] | InputError]:
        """JSON-ready reports in input order; an article that fails yields its InputError instead."""
        for rep in self.pipe_reports(articles, batch_size):
            yield rep if isinstance(rep, InputError) else rep.to_dict()

    def pipe_reports(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Report | InputError]:
        """Typed reports in input order; an article that fails yields its InputError instead."""
        prepared: list[tuple[Article, integrity.Repaired, dict[str, Any]] | InputError] = []
        for art in articles:
            try:
                rep, meta = self._prepare(art)
                prepared.append((art, rep, meta))
            except InputError as err:
                prepared.append(err)
            if len(prepared) >= batch_size:
                yield from self._run(prepared)
                prepared = []
        yield from self._run(prepared)

    def _run(self, prepared: list) -> Iterator[Report | InputError]:
        ok = [p for p in prepared if not isinstance(p, InputError)]
        docs = []
        for _art, rep, meta in ok:
            doc = self.nlp.make_doc(rep.text)
            extensions.set_published(doc, meta.get("published"))
            docs.append(doc)
        done = iter(self.nlp.pipe(docs))
        for p in prepared:
            if isinstance(p, InputError):
                yield p
                continue
            art, rep, meta = p
            yield report.build(next(done), rep, art.record_id(), meta)


def analyze(text: str, published: str | None = None, id: str | None = None, **meta: Any) -> dict[str, Any]:
    """The report of one article's text. ``published`` is an ISO date (YYYY-MM-DD)."""
    return Analyzer().analyze(Article(text, id=id, meta={**meta, "published": published}))
