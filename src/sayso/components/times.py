"""sayso_times: placeholder until its issue lands (keeps the pipeline whole)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sayso import extensions  # noqa: F401  (registers Doc._ attributes)


@Language.factory("sayso_times")
def make_times(nlp: Language, name: str) -> "TimesComponent":
    return TimesComponent()


class TimesComponent:
    def __call__(self, doc: Doc) -> Doc:
        return doc
