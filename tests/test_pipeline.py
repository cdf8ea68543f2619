"""spaCy users can add sayso's components to their own pipeline."""

from __future__ import annotations

import spacy

from sayso import extensions
from sayso.pipeline import MODEL, SAYSO_COMPONENTS


def test_components_added_to_a_users_pipeline():
    nlp = spacy.load(MODEL)
    for name in SAYSO_COMPONENTS:
        nlp.add_pipe(name)
    text = "Mayor Ann Lee said on Monday that the bridge was safe. She added that repairs would start soon."
    doc = nlp.make_doc(text)
    extensions.set_published(doc, "2025-09-04")
    doc = nlp(doc)

    def part(span):
        return text[span[0] : span[1]]

    entities = {e.id: e for e in extensions.entities(doc)}
    lee = next(e for e in entities.values() if e.name == "Ann Lee")
    assert lee.type == "PERSON" and "Mayor" in lee.roles
    atts = extensions.attributions(doc)
    assert [part(a.cue) for a in atts] == ["said", "added"]
    assert [a.source_entity for a in atts] == [lee.id, lee.id]
    assert part(atts[0].content[0]).endswith("the bridge was safe")
    assert atts[0].time == "2025-09-01"  # the Monday before publication
    sentences = extensions.sentences(doc)
    assert sentences is not None and [s.status for s in sentences] == ["attributed", "attributed"]
    assert [(part((t.start, t.end)), t.value) for t in extensions.times(doc)] == [("Monday", "2025-09-01")]


def test_linebreaks_end_sentences(nlp):
    doc = nlp("A line without a stop\nThe next line starts a sentence\nAnd a third")
    assert [s.text.strip() for s in doc.sents] == ["A line without a stop", "The next line starts a sentence", "And a third"]
