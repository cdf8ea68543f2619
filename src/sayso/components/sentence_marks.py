"""sayso_sentence_marks: an opening quotation mark that the parser left as a sentence of its own
("«" | "Nous sommes prêts », a-t-il ajouté.") joins the sentence it opens.

The parser may make the mark a root of its own; spaCy reads sentences off the parse, so the mark
is hung from the next sentence's root (a projective arc: nothing stands between them). Run after
the parser; the French and Russian pipelines need it, the English model does not split there.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sayso.components.linebreaks import OPENING_MARKS

MARKS = OPENING_MARKS | {"“", '"', "—", "–"}  # a dash opens dialogue in Russian news


@Language.component("sayso_sentence_marks", assigns=["token.head", "token.dep", "token.is_sent_start"], requires=["token.dep"])
def sentence_marks(doc: Doc) -> Doc:
    sents = list(doc.sents)
    for sent, following in zip(sents, sents[1:]):
        if all(t.text in MARKS or t.is_space for t in sent):
            for tok in sent:
                tok.head = following.root
                tok.dep_ = "punct"
    return doc
