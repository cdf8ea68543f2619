"""Look-ups over a parsed Doc that several components need, computed once per Doc.

The index is kept beside the Doc (a weak reference: it goes with the Doc), never on it, so nothing
here is serialised; it is rebuilt when the Doc's length changes.
"""

from __future__ import annotations

import weakref
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from spacy.attrs import SENT_START
from spacy.tokens import Doc


@dataclass
class DocIndex:
    text: str  # ``doc.text``, which spaCy joins from the tokens on every read
    bounds: list[tuple[int, int]]  # (first token, end token) of each sentence, in ``doc.sents`` order
    sent_of: list[int]  # token index -> sentence index
    char_starts: list[int] = field(default_factory=list)  # first char of each sentence
    char_bounds: list[tuple[int, int]] = field(default_factory=list)  # (start, end) chars of each sentence
    # per-token quote states and quotations as token pairs, filled by ``sayso.quotes``
    quotes: tuple[list[int], list[tuple[int, int]]] | None = None
    char_quotes: list[Any] | None = None  # ``sayso.quotes.Quotation``s of ``text``, filled there

    def sentence_at(self, char: int) -> int:
        """Index of the sentence holding char offset ``char`` (the one before it, in between)."""
        return max(bisect_right(self.char_starts, char) - 1, 0)


_CACHE: weakref.WeakKeyDictionary[Doc, DocIndex] = weakref.WeakKeyDictionary()


def index(doc: Doc) -> DocIndex:
    ix = _CACHE.get(doc)
    if ix is None or len(ix.sent_of) != len(doc):
        ix = _CACHE[doc] = _build(doc)
    return ix


def _build(doc: Doc) -> DocIndex:
    bounds = _sentence_bounds(doc)
    sent_of = [0] * len(doc)
    for k, (s, e) in enumerate(bounds):
        sent_of[s:e] = [k] * (e - s)
    char_bounds = [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for s, e in bounds]
    return DocIndex(doc.text, bounds, sent_of, [s for s, _ in char_bounds], char_bounds)


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Read off the SENT_START array (no Span objects made); one sentence when nothing set them."""
    if len(doc) == 0:
        return []
    flags = doc.to_array(SENT_START)
    starts = [0, *(int(i) for i in np.flatnonzero(flags[1:] == 1) + 1)]
    return list(zip(starts, [*starts[1:], len(doc)], strict=True))


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) token indices of the Doc's sentences."""
    return index(doc).bounds


def sentence_of_token(doc: Doc) -> list[int]:
    """For each token index, the index of its sentence."""
    return index(doc).sent_of
