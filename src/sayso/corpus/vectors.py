"""Article vectors: TF-IDF of names and numbers, and of content words (meaning: ``paraphrase``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "told", "according", "reported", "mr", "mrs", "ms"}
_CAPS_OR_NUMBER = re.compile(r"\b(?:[A-Z][\w'’-]*|\d[\d,.]*\d|\d)\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


def names_and_numbers(text: str) -> list[str]:
    """Capitalised words and numbers, less capitalised function words ("The", "He")."""
    return [w for w in _CAPS_OR_NUMBER.findall(text) if w.lower() not in STOP]


def content_words(text: str) -> list[str]:
    """Lower-cased content words and their adjacent pairs."""
    words = [w.lower() for w in _WORD.findall(text)]
    words = [w for w in words if w not in STOP and len(w) > 2]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def article_vectors(texts: Sequence[str], words_weight: float = 1.0) -> sp.csr_matrix:
    """One L2-normalised row per text: names-and-numbers TF-IDF beside content-word TF-IDF."""
    if not texts:
        return sp.csr_matrix((0, 0))
    blocks = []
    for analyzer, weight in ((names_and_numbers, 1.0), (content_words, words_weight)):
        try:
            m = TfidfVectorizer(analyzer=analyzer, lowercase=False, sublinear_tf=True).fit_transform(texts)
        except ValueError:  # no term at all in any text
            m = sp.csr_matrix((len(texts), 1))
        blocks.append(weight * m)
    return normalize(sp.hstack(blocks).tocsr())
