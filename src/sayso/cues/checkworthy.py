"""The check-worthiness model: does a sentence state something a fact-checker would check?

Logistic regression over hashed features of tokens the pipeline already has: lowercase words and
word pairs, lemmas, Penn tags, entity types, numbers, length. Trained on CheckThat! 2024 English
train by ``training/checkworthy_train.py``; scored by ``sayso eval checkworthy``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span

from sayso.cues.linear import LinearModel, combine, key, scores_of

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "checkworthy"

_W, _B, _L, _T, _E, _N, _LEN, _BOS, _EP = (key(k) for k in ("w", "b", "l", "t", "e", "num", "len", "bos", "ent-present"))


def features(span: Span | Doc) -> list[int]:
    out = []
    prev = _BOS
    n_words = 0
    for t in span:
        low = t.lower
        out.append(combine(_W, low))
        out.append(combine(_B, prev, low))
        out.append(combine(_L, t.lemma))
        out.append(combine(_T, t.tag))
        if t.ent_type:
            out.append(combine(_E, t.ent_type))
        if t.like_num:
            out.append(combine(_N, 1))
        n_words += not t.is_punct
        prev = low
    out.append(combine(_B, prev, _BOS))
    out.append(combine(_LEN, min(n_words // 5, 8)))
    return out


@lru_cache(maxsize=1)
def model() -> LinearModel:
    return LinearModel.load(MODEL_DIR)


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    from sayso.pipeline import MODEL

    return spacy.load(MODEL, exclude=["parser"])  # features use tags, lemmas and entities only


def featurize_texts(texts: Sequence[str]) -> list[list[int]]:
    return [features(doc) for doc in _nlp().pipe(texts, batch_size=256)]


def score_texts(texts: Sequence[str]) -> list[float]:
    m = model()
    return [float(s) for s in scores_of(m.weights, m.bias, featurize_texts(texts))]
