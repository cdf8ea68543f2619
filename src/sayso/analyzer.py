"""Analyses articles: repair the text, run the spaCy pipeline, build the report."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language

from sayso import extensions, integrity, language, pipeline, report
from sayso.errors import InputError
from sayso.language import check_code as language_code
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


def check_text(text: str, forced: str | None = None) -> str:
    """The language the text is analysed in (``forced``: the user's choice); raises InputError for
    text sayso refuses."""
    if len(text) > MAX_CHARS:
        raise InputError(f"text too long: {len(text)} characters, the limit for one article is {MAX_CHARS}")
    if not text.strip():
        raise InputError("empty input: there is no text to analyse")
    if "\x00" in text:
        raise InputError("binary input: the text contains NUL bytes")
    return language.require_supported(text, forced)


Loader = Callable[[str], Language]


def _load(lang: str) -> Language:
    return pipeline.shared(language=lang)


class Analyzer:
    """Routes each article to its language's pipeline. ``nlp`` is the pipeline of its own language
    (``nlp.lang``; default: the English one); the others are loaded by ``loader`` the first time an
    article needs them and kept. ``language`` forces one language for every article."""

    def __init__(self, nlp: Language | None = None, loader: Loader | None = None, language: str | None = None) -> None:
        self.nlp = nlp if nlp is not None else pipeline.shared()
        self.pipelines: dict[str, Language] = {str(self.nlp.lang): self.nlp}
        self.loader = loader or _load
        self.language = None if language is None else language_code(language)

    def pipeline_for(self, lang: str) -> Language:
        nlp = self.pipelines.get(lang)
        if nlp is None:
            try:
                nlp = self.pipelines[lang] = self.loader(lang)
            except (ImportError, OSError) as err:  # the language's models are not installed
                raise InputError(f"cannot analyse {language.LANGUAGE_NAMES.get(lang, lang)}: {err}", reason="language not installed") from err
        return nlp

    def _prepare(self, article: Article) -> tuple[integrity.Repaired, dict[str, Any]]:
        lang = check_text(article.text, self.language)
        meta = {**article.meta, "language": lang}
        return integrity.repair(article.text), meta

    def analyze(self, article: Article) -> dict[str, Any]:
        """The report as JSON-ready data (``report(article).to_dict()``)."""
        return self.report(article).to_dict()

    def report(self, article: Article) -> Report:
        """The typed report; raises InputError for input sayso refuses."""
        repaired, meta = self._prepare(article)
        nlp = self.pipeline_for(meta["language"])
        doc = nlp.make_doc(repaired.text)
        extensions.set_published(doc, meta.get("published"))
        for _, proc in nlp.pipeline:
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
        """Each language's articles through its pipeline as one batch; reports in input order."""
        by_lang: dict[str, list[int]] = {}
        out: list[Report | InputError | None] = [p if isinstance(p, InputError) else None for p in prepared]
        for k, p in enumerate(prepared):
            if not isinstance(p, InputError):
                by_lang.setdefault(p[2]["language"], []).append(k)
        for lang, todo in by_lang.items():
            try:
                nlp = self.pipeline_for(lang)
            except InputError as err:
                for k in todo:
                    out[k] = err
                continue
            docs = []
            for k in todo:
                _art, rep, meta = prepared[k]
                doc = nlp.make_doc(rep.text)
                extensions.set_published(doc, meta.get("published"))
                docs.append(doc)
            for k, doc in zip(todo, nlp.pipe(docs), strict=True):
                art, rep, meta = prepared[k]
                out[k] = report.build(doc, rep, art.record_id(), meta)
        for r in out:
            assert r is not None
            yield r


def analyze(text: str, published: str | None = None, id: str | None = None, **meta: Any) -> dict[str, Any]:
    """The report of one article's text. ``published`` is an ISO date (YYYY-MM-DD)."""
    return Analyzer().analyze(Article(text, id=id, meta={**meta, "published": published}))
