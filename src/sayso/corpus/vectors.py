"""Article vectors: TF-IDF of names and numbers, and of content words (meaning: ``paraphrase``).

An article's terms are counted once (``counts``: a term is its block's prefix and the word, so the
two blocks never share one), and weighed against document frequencies (``weigh``) that are either
those of the texts at hand (``article_vectors``) or a store's whole corpus (an update weighs its new
articles against the df kept in the store, so they match a rebuild's). The weighting is
scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``: tf ``1 + ln(count)``, smooth idf
``ln((1 + n) / (1 + df)) + 1``, each block L2-normalised, then the two side by side, normalised again.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "told", "according", "reported", "mr", "mrs", "ms"}
_CAPS_OR_NUMBER = re.compile(r"\b(?:[A-Z][\w'’-]*|\d[\d,.]*\d|\d)\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
NAMES, WORDS = "n\t", "w\t"  # block prefixes: the names-and-numbers block sorts first


def names_and_numbers(text: str) -> list[str]:
    """Capitalised words and numbers, less capitalised function words ("The", "He")."""
    return [w for w in _CAPS_OR_NUMBER.findall(text) if w.lower() not in STOP]


def content_words(text: str) -> list[str]:
    """Lower-cased content words and their adjacent pairs."""
    words = [w.lower() for w in _WORD.findall(text)]
    words = [w for w in words if w not in STOP and len(w) > 2]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def counts(text: str) -> Counter[str]:
    """Prefixed term -> how often the text has it."""
    found = Counter(NAMES + t for t in names_and_numbers(text))
    found.update(WORDS + t for t in content_words(text))
    return found


def document_frequencies(all_counts: Iterable[Mapping[str, int]]) -> Counter[str]:
    df: Counter[str] = Counter()
    for c in all_counts:
        df.update(c.keys())
    return df


def weigh(all_counts: Sequence[Mapping[str, int]], df: Mapping[str, int], n_docs: int) -> tuple[sp.csr_matrix, list[str]]:
    """One L2-normalised row per text and the column's term, weighed by ``df`` over ``n_docs`` texts."""
    vocab = sorted({t for c in all_counts for t in c})
    column = {t: k for k, t in enumerate(vocab)}
    idf = np.array([math.log((1 + n_docs) / (1 + df.get(t, 0))) + 1 for t in vocab])
    names = np.array([t.startswith(NAMES) for t in vocab], dtype=bool)
    rows, cols, vals = [], [], []
    for r, c in enumerate(all_counts):
        for t, n in c.items():
            rows.append(r)
            cols.append(column[t])
            vals.append(1 + math.log(n))
    m = sp.csr_matrix((np.asarray(vals, dtype=float), (rows, cols)), shape=(len(all_counts), len(vocab)))
    m = m.multiply(idf).tocsr() if len(vocab) else m
    out = sp.csr_matrix(m.shape)
    for block in (names, ~names):
        part = m.multiply(block.astype(float)).tocsr() if len(vocab) else m
        norms = np.sqrt(np.asarray(part.multiply(part).sum(axis=1)).ravel())
        out = out + sp.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ part
    norms = np.sqrt(np.asarray(out.multiply(out).sum(axis=1)).ravel())
    out = sp.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ out
    return sp.csr_matrix(out), vocab


def article_vectors(texts: Sequence[str]) -> sp.csr_matrix:
    """One L2-normalised row per text, weighed by the texts' own document frequencies."""
    if not texts:
        return sp.csr_matrix((0, 0))
    found = [counts(t) for t in texts]
    return weigh(found, document_frequencies(found), len(found))[0]
