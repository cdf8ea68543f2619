"""Whose voice each sentence is in: the judgment a reader of sayso's page makes first.

A sentence of a report is someone's words in the gold when most of its characters (white space left
out) lie inside the gold attributions' source, cue and content spans. sayso says so in two ways: by
its spans (most characters inside its own attributions' spans) and by the status the reader sees
(``attributed`` or ``anonymous``). Both are scored against the gold with precision, recall and F1
over the report's sentences.
"""

from __future__ import annotations

from collections.abc import Iterable

from sayso.prf import PRFScore, f1
from sayso.report_model import Report

SOMEONES = frozenset({"attributed", "anonymous"})
MOSTLY = 0.5  # the share of a sentence's characters that makes it someone's words


def covered(n: int, spans: Iterable[tuple[int, int]]) -> list[bool]:
    """Per character of a text of length ``n``: inside one of ``spans``."""
    marks = [False] * n
    for s, e in spans:
        for i in range(max(0, s), min(n, e)):
            marks[i] = True
    return marks


def mostly(text: str, marks: list[bool], start: int, end: int) -> bool:
    chars = [i for i in range(start, end) if not text[i].isspace()]
    return bool(chars) and sum(marks[i] for i in chars) > MOSTLY * len(chars)


def report_spans(report: Report) -> list[tuple[int, int]]:
    out = []
    for a in report.attributions:
        out.append((a.cue.start, a.cue.end))
        if a.source:
            out.append((a.source.start, a.source.end))
        out.extend((c.start, c.end) for c in a.content)
    return out


class VoiceCounts:
    """The two scores summed over texts."""

    def __init__(self) -> None:
        self.spans = PRFScore()
        self.status = PRFScore()
        self.sentences = 0

    def add(self, text: str, gold_spans: list[tuple[int, int]], report: Report) -> None:
        gold, pred = covered(len(text), gold_spans), covered(len(text), report_spans(report))
        truth = [mostly(text, gold, s.start, s.end) for s in report.sentences]
        self.sentences += len(truth)
        self.spans += PRFScore.of(truth, [mostly(text, pred, s.start, s.end) for s in report.sentences])
        self.status += PRFScore.of(truth, [s.status in SOMEONES for s in report.sentences])

    def result(self) -> dict[str, object]:
        return {"sentences": self.sentences, "by_spans": _prf(self.spans), "by_status": _prf(self.status)}


def _prf(score: PRFScore) -> dict[str, float]:
    p, r = score.precision, score.recall
    return {"p": round(100 * p, 1), "r": round(100 * r, 1), "f1": round(100 * f1(p, r), 1)}
