"""Look-ups over a parsed Doc that several components need."""

from __future__ import annotations

from spacy.tokens import Doc


def sentence_of_token(doc: Doc) -> list[int]:
    """For each token index, the index of its sentence in ``list(doc.sents)``."""
    index = [0] * len(doc)
    for k, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            index[i] = k
    return index
