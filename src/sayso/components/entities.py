"""sayso_entities: placeholder until its issue lands (keeps the pipeline whole)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sayso import extensions  # noqa: F401  (registers Doc._ attributes)


@Language.factory("sayso_entities")
def make_entities(nlp: Language, name: str) -> "EntitiesComponent":
    return EntitiesComponent()


class EntitiesComponent:
    def __call__(self, doc: Doc) -> Doc:
        return doc
