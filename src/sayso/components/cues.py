"""sayso_cues: placeholder until its issue lands (keeps the pipeline whole)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sayso import extensions  # noqa: F401  (registers Doc._ attributes)


@Language.factory("sayso_cues")
def make_cues(nlp: Language, name: str) -> "CuesComponent":
    return CuesComponent()


class CuesComponent:
    def __call__(self, doc: Doc) -> Doc:
        return doc
