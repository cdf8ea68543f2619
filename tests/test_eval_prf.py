"""The one home of precision, recall and F1."""

from __future__ import annotations

import pytest

from sayso.prf import PRFScore, f1, ratio


def test_counts_of_binary_decisions() -> None:
    score = PRFScore.of([True, True, True, False, False], [True, False, False, True, False])
    assert (score.tp, score.fp, score.fn) == (1, 1, 2)
    assert score.precision == pytest.approx(1 / 2)
    assert score.recall == pytest.approx(1 / 3)
    assert score.fscore == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))
    assert score.percent(1) == {"precision": 50.0, "recall": 33.3, "f1": 40.0}


def test_sets_and_sums() -> None:
    score = PRFScore.of_sets({1, 2, 3}, {2, 3, 4, 5}) + PRFScore(1, 0, 0)
    assert (score.tp, score.fp, score.fn) == (3, 2, 1)


def test_nothing_to_divide_by_is_zero() -> None:
    assert PRFScore().fscore == 0.0 and ratio(3, 0) == 0.0 and f1(0.0, 0.0) == 0.0
    assert PRFScore.of([True], [False]).percent() == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
