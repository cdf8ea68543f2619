"""razdel's tokens and sentences as a spaCy Doc: the Doc's text is the input, character for
character (white space between tokens becomes a token of its own, as spaCy's tokenizers do)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.tokens import Doc
from spacy.vocab import Vocab


class RazdelTokenizer:
    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        import razdel

        words: list[str] = []
        spaces: list[bool] = []
        starts: list[bool] = []
        sentence_starts = {s.start for s in razdel.sentenize(text)}
        at = 0
        for tok in razdel.tokenize(text):
            _gap(text[at : tok.start], words, spaces, starts)
            words.append(tok.text)
            spaces.append(False)
            starts.append(tok.start in sentence_starts)
            at = tok.stop
        _gap(text[at:], words, spaces, starts)
        return Doc(self.vocab, words=words, spaces=spaces, sent_starts=[True if i == 0 else s for i, s in enumerate(starts)])

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for text in texts:
            yield self(text)

    # nothing to save: the tokenizer is its rules, in razdel
    def to_bytes(self, **_: Any) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_: Any) -> RazdelTokenizer:
        return self

    def to_disk(self, _path: str | Path, **_: Any) -> None:
        return None

    def from_disk(self, _path: str | Path, **_: Any) -> RazdelTokenizer:
        return self


def _gap(gap: str, words: list[str], spaces: list[bool], starts: list[bool]) -> None:
    """White space between two tokens: one plain space is the previous token's trailing space;
    anything else (more spaces, line breaks) is a token of its own."""
    if not gap:
        return
    if words and not spaces[-1] and gap[0] == " ":
        spaces[-1] = True
        gap = gap[1:]
    if gap:
        words.append(gap)
        spaces.append(False)
        starts.append(False)
