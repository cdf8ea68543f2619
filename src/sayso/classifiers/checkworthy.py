"""The check-worthiness model: does a sentence state something a fact-checker would check?

Logistic regression over hashed features of tokens the pipeline already has: lowercase words and
word pairs, lemmas, Penn tags, entity types, numbers, length. Trained on CheckThat! 2024 English
train by ``training/checkworthy_train.py``; scored by ``sayso eval checkworthy``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.attrs import ENT_TYPE, IS_PUNCT, LEMMA, LIKE_NUM, LOWER, TAG
from spacy.tokens import Doc, Span

from sayso.basemodel import MODEL
from sayso.classifiers.linear import LinearModel, combine_arrays, key, scores_of

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "checkworthy"

_W, _B, _L, _T, _E, _N, _LEN, _BOS = (key(k) for k in ("w", "b", "l", "t", "e", "num", "len", "bos"))
ATTRS = [LOWER, LEMMA, TAG, ENT_TYPE, LIKE_NUM, IS_PUNCT]


def sentence_features(doc: Doc, bounds: Sequence[tuple[int, int]]) -> list[np.ndarray]:
    """Hashed feature ids of each (start, end) token range of the doc, computed column-wise."""
    if not bounds:
        return []
    arr = doc.to_array(ATTRS).astype(np.uint64)
    low, lemma, tag, ent, num, punct = arr.T
    prev = np.concatenate([np.array([_BOS], dtype=np.uint64), low[:-1]])
    starts = np.array([s for s, _ in bounds])
    ends = np.array([e for _, e in bounds])
    prev[starts] = _BOS
    per_token = np.stack([combine_arrays(_W, low), combine_arrays(_B, prev, low), combine_arrays(_L, lemma), combine_arrays(_T, tag)], axis=1)
    ent_ids = combine_arrays(_E, ent)
    last_bigram = combine_arrays(_B, low[ends - 1], _BOS)
    words = np.concatenate([[0], np.cumsum(punct == 0)])
    length = combine_arrays(_LEN, np.minimum((words[ends] - words[starts]) // 5, 8).astype(np.uint64))
    number = combine_arrays(_N, 1)
    out = []
    for k, (s, e) in enumerate(bounds):
        parts = [per_token[s:e].ravel(), ent_ids[s:e][ent[s:e] != 0], last_bigram[k : k + 1], length[k : k + 1]]
        if num[s:e].any():
            parts.append(number)
        out.append(np.concatenate(parts))
    return out


def features(span: Span | Doc) -> np.ndarray:
    """Hashed feature ids of one sentence (or of a whole Doc taken as one)."""
    doc = span if isinstance(span, Doc) else span.doc
    bounds = [(0, len(doc))] if isinstance(span, Doc) else [(span.start, span.end)]
    return sentence_features(doc, bounds)[0] if len(span) else np.zeros(0, dtype=np.int64)


@lru_cache(maxsize=1)
def model() -> LinearModel:
    return LinearModel.load(MODEL_DIR)


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    return spacy.load(MODEL, exclude=["parser"])  # features use tags, lemmas and entities only


def featurize_texts(texts: Sequence[str]) -> list[np.ndarray]:
    return [features(doc) for doc in _nlp().pipe(texts, batch_size=256)]


def score_texts(texts: Sequence[str]) -> list[float]:
    m = model()
    return [float(s) for s in scores_of(m.weights, m.bias, featurize_texts(texts))]
