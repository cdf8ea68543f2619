"""The uncertain-sentence model: is a sentence hedged or weaselly (CoNLL-2010 WikiWeasel sense)?

Logistic regression over hashed features of tokens the pipeline already has (lowercase words and
word pairs, lemmas, Penn tags) and the cue-lexicon patterns that matched in the sentence. Trained by
``training/hedges_train.py``; scored by ``sayso eval hedges``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.attrs import LEMMA, LOWER, TAG
from spacy.tokens import Doc, Span

from sayso.basemodel import MODEL
from sayso.classifiers.linear import LinearModel, combine_arrays, key, scores_of, train
from sayso.docindex import sentence_bounds
from sayso.lexicon import patterns
from sayso.lexicon.match import PatternMatcher

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "hedges"
C = 0.3  # L2 strength, chosen by cross-validation on WikiWeasel train (training/hedges_train.py)

_W, _B, _L, _T, _TW, _P, _K, _BOS = (key(k) for k in ("w", "b", "l", "t", "tw", "pat", "kind", "bos"))
ATTRS = [LOWER, LEMMA, TAG]


def features(span: Span | Doc | None, patterns: Sequence[tuple[str, str]], arr: np.ndarray | None = None) -> np.ndarray:
    """Hashed feature ids of one sentence; ``patterns``: (kind, pattern text) of lexicon matches in
    it; ``arr``: its rows of ``doc.to_array(ATTRS)``, if already made."""
    if arr is None:
        if span is None:
            raise ValueError("features need a span or its attribute rows")
        doc = span if isinstance(span, Doc) else span.doc
        arr = doc.to_array(ATTRS).astype(np.uint64)
        if isinstance(span, Span):
            arr = arr[span.start : span.end]
    if len(arr) == 0:
        return np.zeros(0, dtype=np.int64)
    low, lemma, tag = arr.T
    prev = np.concatenate([np.array([_BOS], dtype=np.uint64), low[:-1]])
    parts = [
        combine_arrays(_W, low),
        combine_arrays(_B, prev, low),
        combine_arrays(_B, low[-1:], _BOS),
        combine_arrays(_L, lemma),
        combine_arrays(_T, tag),
        combine_arrays(_TW, tag, prev),
    ]
    for kind, text in patterns:
        parts.append(combine_arrays(_P, key(text)))
        parts.append(combine_arrays(_K, key(kind)))
    return np.concatenate(parts)


@lru_cache(maxsize=1)
def model() -> LinearModel:
    return LinearModel.load(MODEL_DIR)


def token_weights(m: LinearModel, arr: np.ndarray) -> np.ndarray:
    """How much each token of a sentence (its rows of ``doc.to_array(ATTRS)``) adds to the model's
    score through its own features (word, word pair ending on it, lemma, tag, tag pair): the words
    that weighed most are what the report shows for a sentence the model flags."""
    if len(arr) == 0:
        return np.zeros(0)
    low, lemma, tag = arr.astype(np.uint64).T
    prev = np.concatenate([np.array([_BOS], dtype=np.uint64), low[:-1]])
    ids = [combine_arrays(_W, low), combine_arrays(_B, prev, low), combine_arrays(_L, lemma), combine_arrays(_T, tag), combine_arrays(_TW, tag, prev)]
    return np.asarray(sum(m.weights[i] for i in ids), dtype=np.float64)


@lru_cache(maxsize=1)
def _tools():
    import spacy

    nlp = spacy.load(MODEL, exclude=["parser"])  # features use tags and lemmas only
    return nlp, PatternMatcher(nlp.vocab, patterns.load())


def featurize_texts(texts: Sequence[str]) -> list[np.ndarray]:
    """One feature row per text, each text taken as one sentence."""
    nlp, cues = _tools()
    rows = []
    for doc in nlp.pipe(texts, batch_size=256):
        pats = [(p.kind, p.text) for p, _s, _e in cues(doc, sentence_bounds(doc))]
        rows.append(features(doc, pats))
    return rows


def cross_validate(texts: Sequence[str], gold: Sequence[bool], folds: int = 5, c: float = C) -> list[bool]:
    """Out-of-fold predictions: each fold scored by a model (and threshold) fit on the others."""
    from sklearn.model_selection import StratifiedKFold

    rows = featurize_texts(texts)
    pred = [False] * len(rows)
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=0).split(rows, gold):
        m = train([rows[i] for i in tr], [gold[i] for i in tr], c)
        for i, s in zip(te, scores_of(m.weights, m.bias, [rows[i] for i in te]), strict=True):
            pred[i] = s >= m.threshold
    return pred


def predict_texts(texts: Sequence[str]) -> list[bool]:
    m = model()
    return [s >= m.threshold for s in scores_of(m.weights, m.bias, featurize_texts(texts))]


def sentence_scores(m: LinearModel, rows: Sequence[np.ndarray], patterns: Sequence[Sequence[tuple[str, str]]]) -> list[float]:
    """``m.score(features(None, pats, r))`` for many sentences, the token features hashed for all
    of them at once (the same feature set as ``features``)."""
    if not rows:
        return []
    lens = np.array([len(r) for r in rows])
    ends = np.cumsum(lens)
    starts = ends - lens
    low, lemma, tag = np.concatenate(rows).astype(np.uint64).T
    prev = np.concatenate([np.array([_BOS], dtype=np.uint64), low[:-1]])
    prev[starts] = _BOS
    per_token = np.stack([combine_arrays(_W, low), combine_arrays(_B, prev, low), combine_arrays(_L, lemma),
                          combine_arrays(_T, tag), combine_arrays(_TW, tag, prev)], axis=1)
    last = combine_arrays(_B, low[ends - 1], _BOS)
    out = []
    for k, (s, e) in enumerate(zip(starts, ends, strict=True)):
        parts = [per_token[s:e].ravel(), last[k : k + 1]]
        for kind, text in patterns[k]:
            parts.append(combine_arrays(_P, key(text)))
            parts.append(combine_arrays(_K, key(kind)))
        out.append(m.score(np.concatenate(parts)))
    return out


NO_WORD = -1  # flagged, but no word that may be shown adds to the score


def flagged_words(
    m: LinearModel, threshold: float, rows: Sequence[np.ndarray], patterns: Sequence[Sequence[tuple[str, str]]],
    shown: Sequence[np.ndarray],
) -> list[int | None]:
    """For sentences the lexicon left unflagged (their rows of ``doc.to_array(ATTRS)``, the lexicon
    patterns matched in them): None where the model's score stays below ``threshold``; else the index
    of the word that weighed most toward "uncertain" among the words that may be ``shown``, or
    ``NO_WORD`` when none of them adds to the score."""
    out: list[int | None] = []
    for score, r, ok in zip(sentence_scores(m, rows, patterns), rows, shown, strict=True):
        if len(r) == 0 or score < threshold:
            out.append(None)
            continue
        weights = np.where(ok, token_weights(m, r), -np.inf)
        best = int(np.argmax(weights))
        out.append(best if weights[best] > 0 else NO_WORD)
    return out
