"""B³ precision, recall and F1 of a clustering against gold clusters (Bagga & Baldwin 1998)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any


def b_cubed(predicted: Mapping[Any, Any], gold: Mapping[Any, Any]) -> dict[str, float]:
    """Over the items of ``gold``; an item the prediction lacks is a singleton of its own."""
    pred = {k: predicted.get(k, ("singleton", k)) for k in gold}
    by_pred: dict[Any, set] = defaultdict(set)
    by_gold: dict[Any, set] = defaultdict(set)
    for k in gold:
        by_pred[pred[k]].add(k)
        by_gold[gold[k]].add(k)
    p = r = 0.0
    for k in gold:
        both = len(by_pred[pred[k]] & by_gold[gold[k]])
        p += both / len(by_pred[pred[k]])
        r += both / len(by_gold[gold[k]])
    n = len(gold) or 1
    p, r = p / n, r / n
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
