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


def resolve(doc: Doc, start: int, end: int) -> str | None:
    """The id of the entity a char span of ``doc`` refers to (a mention overlapping the span's end,
    which is where an English noun phrase keeps its head), or None."""
    index = doc._.mention_index or {}
    best = None
    for (s, e), ent_id in index.items():
        if s < end and start < e and (best is None or e > best[0]):
            best = (e, ent_id)
    return best[1] if best else None
