"""sayso_ru_lemmatizer: pymorphy3's normal form of each word, the parse whose part of speech agrees
with slovnet's where there is one (dictionary forms, as sayso's lexicons write them)."""

from __future__ import annotations

import numpy as np
from spacy.attrs import LEMMA
from spacy.language import Language
from spacy.tokens import Doc

from sayso.ru import models

# UD part of speech -> the OpenCorpora tags pymorphy3 gives for it
OPENCORPORA = {
    "NOUN": {"NOUN"}, "PROPN": {"NOUN"}, "VERB": {"VERB", "INFN", "PRTF", "PRTS", "GRND"}, "AUX": {"VERB", "INFN"},
    "ADJ": {"ADJF", "ADJS", "COMP"}, "ADV": {"ADVB", "COMP", "PRED"}, "NUM": {"NUMR"}, "PRON": {"NPRO"},
    "DET": {"ADJF", "NPRO"}, "ADP": {"PREP"}, "CCONJ": {"CONJ"}, "SCONJ": {"CONJ"}, "PART": {"PRCL"},
}  # fmt: skip


@Language.factory("sayso_ru_lemmatizer", assigns=["token.lemma"], requires=["token.pos"])
def make_lemmatizer(nlp: Language, name: str) -> RussianLemmatizer:
    return RussianLemmatizer()


class RussianLemmatizer:
    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        strings = doc.vocab.strings
        out = np.zeros(len(doc), dtype=np.uint64)
        for tok in doc:
            key = (tok.lower_, tok.pos_)
            lemma = self.cache.get(key)
            if lemma is None:
                lemma = _lemma(*key)
                if len(self.cache) < 200_000:  # a bounded memo: a feed has a long tail of words
                    self.cache[key] = lemma
            out[tok.i] = strings.add(lemma)
        doc.from_array([LEMMA], out)  # type: ignore[arg-type]  # thinc types say Ints2d; spaCy takes a column
        return doc


def _lemma(word: str, pos: str) -> str:
    if not any(ch.isalpha() for ch in word):
        return word
    parses = models.lemmas().parse(word)
    wanted = OPENCORPORA.get(pos, set())
    for p in parses:
        if p.tag.POS in wanted:
            return str(p.normal_form)
    return str(parses[0].normal_form) if parses else word
