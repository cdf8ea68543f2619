"""Line breaks end sentences: a .txt article keeps one paragraph (or sentence) a line."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("sayso_linebreaks")
def linebreaks(doc: Doc) -> Doc:
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or ("\n" in tok.whitespace_ and i + 1 < len(doc)):
            nxt = doc[i + 1]
            if not nxt.is_space:
                nxt.is_sent_start = True
        if tok.is_space and "\n" in tok.text:
            doc[i + 1].is_sent_start = True
    return doc
