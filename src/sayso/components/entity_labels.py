"""sayso_entity_labels: renames the base pipeline's entity labels to the ones sayso's components
read (``PER`` -> ``PERSON``, ``LOC`` -> ``GPE``), and drops labels it has no name for (``MISC``).
English needs none of this; French and Russian base pipelines use the WikiNER/Nerus labels."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span


@Language.factory(
    "sayso_entity_labels",
    assigns=["doc.ents"],
    requires=["doc.ents"],
    default_config={"labels": {}},
)
def make_entity_labels(nlp: Language, name: str, labels: dict[str, str]) -> EntityLabels:
    return EntityLabels(labels)


class EntityLabels:
    def __init__(self, labels: dict[str, str]) -> None:
        self.labels = dict(labels)

    def __call__(self, doc: Doc) -> Doc:
        ents = [Span(doc, e.start, e.end, label=self.labels[e.label_]) for e in doc.ents if e.label_ in self.labels]
        doc.set_ents(ents, default="outside")
        return doc
