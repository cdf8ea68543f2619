"""spaCy users can add sayso's components to their own pipeline."""

from __future__ import annotations

import spacy

from sayso.pipeline import MODEL, SAYSO_COMPONENTS


def test_components_added_to_a_users_pipeline():
    nlp = spacy.load(MODEL)
    for name in SAYSO_COMPONENTS:
        nlp.add_pipe(name)
    doc = nlp("Mayor Ann Lee said on Monday that the bridge was safe. She added that repairs would start soon.")
    assert doc._.sentence_info is not None and len(doc._.sentence_info) == 2
    assert isinstance(doc._.attributions, list)
    assert isinstance(doc._.entities, list)
    assert isinstance(doc._.times, list)


def test_linebreaks_end_sentences(nlp):
    doc = nlp("A line without a stop\nThe next line starts a sentence\nAnd a third")
    assert [s.text.strip() for s in doc.sents] == ["A line without a stop", "The next line starts a sentence", "And a third"]
