"""Small linear models over hashed features: cheap to run, stored as NPZ (no pickle).

A model is a folder with ``weights.npz`` (``weights``: float32 per hashed feature, ``bias``) and
``model.json`` (threshold, feature set, how it was trained and what it scored).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from spacy.strings import hash_string  # type: ignore[attr-defined]

from sayso.prf import PRFScore

BITS = 18
MASK = (1 << BITS) - 1
_M64 = (1 << 64) - 1
_MIX = 0x9E3779B97F4A7C15


def key(name: str) -> int:
    """A stable 64-bit id for a feature name (spaCy's own string hash)."""
    return int(hash_string(name))


def combine(*parts: int) -> int:
    """Mixes 64-bit ids (token.lower, token.tag, key("…")) into one feature index."""
    h = 0
    for p in parts:
        h = ((h ^ p) * _MIX + 0x632BE59BD9B4E019) & _M64
        h ^= h >> 29
    return h & MASK


_MIX_U = np.uint64(_MIX)
_ADD_U = np.uint64(0x632BE59BD9B4E019)
_SHIFT_U = np.uint64(29)
_MASK_U = np.uint64(MASK)


def combine_arrays(*parts: np.ndarray | int) -> np.ndarray:
    """``combine`` over whole columns at once (uint64 arrays of token attributes, or ints)."""
    n = max((len(p) for p in parts if isinstance(p, np.ndarray)), default=1)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for p in parts:
            col = p.astype(np.uint64, copy=False) if isinstance(p, np.ndarray) else np.uint64(p)
            h = (h ^ col) * _MIX_U + _ADD_U
            h ^= h >> _SHIFT_U
    return (h & _MASK_U).astype(np.int64)


@dataclass
class LinearModel:
    weights: np.ndarray
    bias: float
    threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)

    def score(self, features: np.ndarray) -> float:
        z = self.bias + float(self.weights[np.unique(features)].sum())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(folder / "weights.npz", weights=self.weights.astype(np.float32), bias=np.float32(self.bias))
        meta = {**self.meta, "threshold": self.threshold, "bits": BITS}
        (folder / "model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LinearModel:
        meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        if meta.get("bits") != BITS:
            raise ValueError(f"{folder}: model hashed into {meta.get('bits')} bits, this code uses {BITS}")
        with np.load(folder / "weights.npz", allow_pickle=False) as data:
            return cls(data["weights"], float(data["bias"]), float(meta["threshold"]), meta)


def matrix(rows: Sequence[np.ndarray | Sequence[int]]):  # -> scipy.sparse.csr_matrix
    from scipy.sparse import csr_matrix

    uniq = [np.unique(np.asarray(f, dtype=np.int64)) for f in rows]
    indptr = np.concatenate([[0], np.cumsum([len(u) for u in uniq])])
    indices = np.concatenate(uniq) if uniq else np.zeros(0, dtype=np.int64)
    data = np.ones(len(indices), dtype=np.float32)
    return csr_matrix((data, indices, indptr), shape=(len(rows), MASK + 1))


def fit(rows: Sequence[np.ndarray | Sequence[int]], labels: Sequence[bool], c: float, class_weight: str | None = None) -> tuple[np.ndarray, float]:
    """L2 logistic regression (scikit-learn, only needed for training)."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=3000, class_weight=class_weight)
    clf.fit(matrix(rows), np.array(labels, dtype=int))
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> tuple[float, float]:
    """The score threshold that maximises F1 of the positive class, and that F1."""
    pairs = sorted(zip(scores, labels, strict=True), reverse=True)
    total_pos = sum(labels)
    tp = fp = 0
    best = (0.5, 0.0)
    for i, (s, y) in enumerate(pairs):
        tp += bool(y)
        fp += not y
        nxt = pairs[i + 1][0] if i + 1 < len(pairs) else -1.0
        if nxt == s:
            continue
        f1 = PRFScore(tp, fp, total_pos - tp).fscore
        if f1 > best[1]:
            best = (float(s + max(nxt, 0.0)) / 2, float(f1))
    return best


def scores_of(weights: np.ndarray, bias: float, rows: Sequence[np.ndarray | Sequence[int]]) -> list[float]:
    z = matrix(rows) @ weights + bias
    return [float(x) for x in 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))]


def train(rows: Sequence[np.ndarray], gold: Sequence[bool], c: float, folds: int = 3) -> LinearModel:
    """Fits on all rows; the decision threshold comes from an inner cross-validation."""
    from sklearn.model_selection import StratifiedKFold

    inner = [0.0] * len(rows)
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=1).split(rows, gold):
        w, b = fit([rows[i] for i in tr], [gold[i] for i in tr], c)
        for i, s in zip(te, scores_of(w, b, [rows[i] for i in te]), strict=True):
            inner[i] = s
    threshold, inner_f1 = best_threshold(inner, gold)
    w, b = fit(rows, gold, c)
    return LinearModel(w, b, threshold, {"c": c, "inner_cv_f1": round(100 * inner_f1, 2)})
