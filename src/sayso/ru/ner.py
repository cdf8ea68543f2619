"""sayso_ru_ner: slovnet's named entities (PER, LOC, ORG) as the Doc's entities, read sentence by
sentence and aligned to the Doc's tokens."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from sayso.ru import models


@Language.factory("sayso_ru_ner", assigns=["doc.ents", "token.ent_type", "token.ent_iob"])
def make_ner(nlp: Language, name: str) -> RussianNer:
    return RussianNer()


class RussianNer:
    def __call__(self, doc: Doc) -> Doc:
        sents = [s for s in doc.sents if s.text.strip()]
        ents: list[Span] = []
        for sent, markup in zip(sents, models.ner().map([s.text for s in sents]), strict=True):
            for span in markup.spans:
                found = doc.char_span(sent.start_char + span.start, sent.start_char + span.stop, label=span.type, alignment_mode="expand")
                if found is not None and (not ents or found.start >= ents[-1].end):
                    ents.append(found)
        doc.set_ents(ents, default="outside")
        return doc
