"""sayso_status: placeholder until its issue lands (keeps the pipeline whole)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sayso import extensions  # noqa: F401  (registers Doc._ attributes)


@Language.factory("sayso_status")
def make_status(nlp: Language, name: str) -> "StatusComponent":
    return StatusComponent()


class StatusComponent:
    def __call__(self, doc: Doc) -> Doc:
        return doc
