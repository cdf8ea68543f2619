"""The product's own path for every evaluation: the analyzer over the texts, as ``sayso batch``
runs it (``Analyzer.pipe``), then the evaluations score what the reports say."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from sayso.analyzer import Analyzer, Article
from sayso.errors import InputError
from sayso.report_model import Report

BATCH = 64  # articles per nlp.pipe call


@dataclass
class Run:
    """The reports of a set of articles, by id, with what was refused and how fast it went."""

    reports: dict[str, Report] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)  # id -> the InputError's message
    words: int = 0  # whitespace-separated words of the analysed texts
    seconds: float = 0.0  # analysis only (the pipeline loaded before the clock starts)

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def speed_line(self) -> str:
        return f"analysed {len(self.reports)} texts, {self.words} words in {self.seconds:.1f}s: {self.words_per_second:,.0f} words/s"

    def summary(self) -> dict[str, float | int]:
        return {"texts": len(self.reports), "refused": len(self.refused), "words": self.words, "seconds": round(self.seconds, 2), "words_per_second": round(self.words_per_second)}


def analyze(articles: Iterable[Article], analyzer: Analyzer | None = None) -> Run:
    """Reports in the order given; an article sayso refuses is kept in ``refused``."""
    analyzer = analyzer or Analyzer()
    items = list(articles)
    run = Run()
    t0 = time.perf_counter()
    for art, rep in zip(items, analyzer.pipe_reports(items, batch_size=BATCH), strict=True):
        rid = art.record_id()
        if isinstance(rep, InputError):
            run.refused[rid] = str(rep)
            continue
        run.reports[rid] = rep
        run.words += len(art.text.split())
    run.seconds = time.perf_counter() - t0
    return run
