"""Line breaks end sentences: a .txt article keeps one paragraph (or sentence) a line."""

from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc


@Language.component("sayso_linebreaks", assigns=["token.is_sent_start"])
def linebreaks(doc: Doc) -> Doc:
    # Written as one array: Token.is_sent_start's setter scans the whole Doc on every call.
    starts = doc.to_array([SENT_START])
    changed = False
    after_break = False
    for i, tok in enumerate(doc):
        if after_break and not tok.is_space:
            starts[i] = 1
            changed = True
            after_break = False
        if "\n" in tok.text or "\n" in tok.whitespace_:
            after_break = True
    if changed:
        doc.from_array([SENT_START], starts)  # type: ignore[arg-type]  # thinc types say Ints2d; to_array gives this shape
    return doc
