"""sayso_claims: placeholder until its issue lands (keeps the pipeline whole)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sayso import extensions  # noqa: F401  (registers Doc._ attributes)


@Language.factory("sayso_claims")
def make_claims(nlp: Language, name: str) -> "ClaimsComponent":
    return ClaimsComponent()


class ClaimsComponent:
    def __call__(self, doc: Doc) -> Doc:
        return doc
