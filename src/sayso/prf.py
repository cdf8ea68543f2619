"""Precision, recall and F1: the one place they are computed (like spaCy's ``PRFScore``).

Every evaluation (``sayso.eval``) and every threshold search in training counts with these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def ratio(part: float, whole: float) -> float:
    """``part / whole``, 0 when there is nothing to divide by."""
    return part / whole if whole else 0.0


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class PRFScore:
    """True positives, false positives and false negatives, and the scores they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @classmethod
    def of(cls, gold: Iterable[bool], pred: Iterable[bool]) -> PRFScore:
        """Counts of a binary decision over the same items (the positive class is ``True``)."""
        score = cls()
        for g, p in zip(gold, pred, strict=True):
            score.tp += g and p
            score.fp += p and not g
            score.fn += g and not p
        return score

    @classmethod
    def of_sets(cls, gold: set, pred: set) -> PRFScore:
        """Counts of predicted items against gold items (exact matches)."""
        tp = len(gold & pred)
        return cls(tp, len(pred) - tp, len(gold) - tp)

    def __add__(self, other: PRFScore) -> PRFScore:
        return PRFScore(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return ratio(self.tp, self.tp + self.fn)

    @property
    def fscore(self) -> float:
        return f1(self.precision, self.recall)

    def percent(self, digits: int = 2) -> dict[str, float]:
        """``precision``, ``recall`` and ``f1`` in percent, rounded."""
        return {
            "precision": round(100 * self.precision, digits),
            "recall": round(100 * self.recall, digits),
            "f1": round(100 * self.fscore, digits),
        }
