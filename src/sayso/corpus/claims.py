"""Claims across articles: the same claim in different words, linked between the articles of a story.

A claim is one sentence of an article (its span trimmed to the reported content where a source
carries it). Two claims of different articles in one story are compared by the cosine of their
IDF-weighted content stems, names and number values ("about 40" = "nearly forty"); when both
state numbers and share none, they are different claims ("killed 45" vs "killed 12"). Each claim
links to at most one claim of each other article, best pairs first, at or above ``THRESHOLD``.
Near-duplicate copies are left out (their claims are their original's). Comparisons stay inside
a story, as a sparse product, so the cost follows the stories' sizes, not the corpus.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from sayso.corpus.numbers import values
from sayso.corpus.vectors import STOP

THRESHOLD = 0.125  # with EMBEDDING_WEIGHT: the setting most leave-groups-out folds chose on drift dev (sayso eval drift --folds 5)
EMBEDDING_WEIGHT = 0.5  # the paraphrase embeddings of the claims' spans beside their terms
NEIGHBOURS = 10  # in a bigger story, an article's claims meet those of its 10 most similar articles
NUMBER_BONUS = 0.15  # two claims that state the same specific number (not a year) are likelier one claim
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*|\d[\d.,]*")
_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "ly", "s")


@dataclass
class Claim:
    article: str
    sentence: int
    start: int
    end: int
    text: str
    status: str = "asserted"
    source: str | None = None
    named: bool = False
    why: str = ""
    sentence_text: str = ""  # the whole sentence: what claims are compared by

    @property
    def compared(self) -> str:
        return self.sentence_text or self.text


@functools.lru_cache(maxsize=200_000)  # a story's claims repeat their words: each is stemmed once
def stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suf in _SUFFIXES:
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def features(text: str, numbers: set[float] | None = None) -> list[str]:
    """Content stems and number values ("#40") of one claim (``numbers``: its ``values``, if known)."""
    out = [stem(w) for w in _WORD.findall(text) if not w[0].isdigit() and w.lower() not in STOP and len(w) > 2]
    out.extend(f"#{v:g}" for v in (values(text) if numbers is None else numbers) if not _is_year(v))
    return out


def _is_year(v: float) -> bool:
    return v.is_integer() and 1900 <= v <= 2100


def _specific(v: set[float]) -> set[float]:
    return {x for x in v if x >= 3 and not _is_year(x)}


def claim_matrix(claims: Sequence[Claim], numbers: Sequence[set[float]] | None = None) -> sp.csr_matrix:
    """One L2-normalised row of IDF-weighted binary features per claim (``numbers``: each one's ``values``)."""
    feats = [set(features(c.compared, numbers[k] if numbers is not None else None)) for k, c in enumerate(claims)]
    df = Counter(f for fs in feats for f in fs)
    n = len(claims)
    vocab = {f: k for k, f in enumerate(sorted(df))}
    rows, cols, vals = [], [], []
    for r, fs in enumerate(feats):
        for f in fs:
            rows.append(r)
            cols.append(vocab[f])
            vals.append(math.log((1 + n) / (1 + df[f])) + 1.0)
    return normalize(sp.csr_matrix((vals, (rows, cols)), shape=(n, max(len(vocab), 1))))


def article_pairs(x: sp.csr_matrix, rows: dict[str, list[int]], neighbours: int = NEIGHBOURS) -> list[tuple[str, str]]:
    """The article pairs whose claims are compared: all of them in a small story, else each
    article with its ``neighbours`` most similar articles (so a big story costs n·k, not n²)."""
    names = sorted(rows)
    if len(names) <= neighbours + 1:
        return [(a, b) for k, a in enumerate(names) for b in names[k + 1 :]]
    centroids = normalize(sp.vstack([sp.csr_matrix(x[rows[a]].sum(axis=0)) for a in names]))
    sims = (centroids @ centroids.T).toarray()
    np.fill_diagonal(sims, -1.0)
    out = set()
    for k in range(len(names)):
        for m in np.argsort(-sims[k], kind="stable")[:neighbours]:
            out.add((names[min(k, m)], names[max(k, m)]))
    return sorted(out)


def number_matrix(claims: Sequence[Claim], numbers: Sequence[set[float]] | None = None) -> sp.csr_matrix:
    """One row per claim: which specific numbers (not years, not below 3) it states (``numbers``: each one's ``values``)."""
    found = [sorted(_specific(values(c.compared) if numbers is None else numbers[k])) for k, c in enumerate(claims)]
    vocab = {v: k for k, v in enumerate(sorted({v for f in found for v in f}))}
    rows = [r for r, f in enumerate(found) for _ in f]
    cols = [vocab[v] for f in found for v in f]
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(claims), max(len(vocab), 1)))


def _one_to_one(score: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """Best pairs first, each row and each column used once, scores at or above ``threshold``."""
    score = score.copy()
    out = []
    while score.size:
        p, q = np.unravel_index(int(np.argmax(score)), score.shape)
        best = float(score[p, q])
        if best < threshold:
            break
        out.append((int(p), int(q), best))
        score[p, :] = -np.inf
        score[:, q] = -np.inf
    return out


def link(
    claims: Sequence[Claim], threshold: float = THRESHOLD, neighbours: int = NEIGHBOURS,
    vectors: np.ndarray | None = None, weight: float = EMBEDDING_WEIGHT, only: set[str] | None = None,
) -> list[tuple[int, int, float]]:
    """(i, j, similarity) links between claims of different articles, one per claim and other article.
    With ``only``, just the article pairs with one of those articles in them (an update: the links
    between the others were made before, and each article pair's links stand on their own).

    With ``vectors`` (one paraphrase embedding a claim, ``sayso.corpus.paraphrase``) the score is
    ``(1 - weight)`` x the term cosine + ``weight`` x the embeddings' cosine (negative counts as 0).

    Two claims whose specific numbers all differ are never linked; a shared one adds
    ``NUMBER_BONUS``. Within each article pair, the best pairs are taken first.
    """
    if len(claims) < 2:
        return []
    numbers = [values(c.compared) for c in claims]
    x = claim_matrix(claims, numbers)
    nums = number_matrix(claims, numbers)
    has_number = np.asarray(nums.sum(axis=1)).ravel() > 0
    rows: dict[str, list[int]] = defaultdict(list)
    for k, c in enumerate(claims):
        rows[c.article].append(k)
    out: list[tuple[int, int, float]] = []
    xs = {a: x[r] for a, r in rows.items()}  # each article's rows, sliced once
    ns = {a: nums[r] for a, r in rows.items()}
    for a, b in article_pairs(x, rows, neighbours):
        if only is not None and a not in only and b not in only:
            continue
        ia, ib = rows[a], rows[b]
        score = (xs[a] @ xs[b].T).toarray()
        if vectors is not None:
            score = (1 - weight) * score + weight * np.clip(vectors[ia] @ vectors[ib].T, 0, None)
        shared = (ns[a] @ ns[b].T).toarray() > 0
        score = score + NUMBER_BONUS * shared
        score[has_number[ia][:, None] & has_number[ib][None, :] & ~shared] = -np.inf
        score[score <= 0] = -np.inf
        out.extend((min(ia[p], ib[q]), max(ia[p], ib[q]), s) for p, q, s in _one_to_one(score, threshold))
    return sorted(out)
