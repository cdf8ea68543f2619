"""sayso_ru_parser: slovnet's morphology and syntax over each sentence (part of speech, features,
heads and UD relations), written to the Doc as spaCy's tagger and parser would write them. The
sentence root is labelled ``ROOT`` as spaCy's parsers do; white space hangs from the word before."""

from __future__ import annotations

import numpy as np
from spacy.attrs import DEP, HEAD, MORPH, POS, TAG
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc

from sayso.ru import models


@Language.factory("sayso_ru_parser", assigns=["token.pos", "token.tag", "token.morph", "token.dep", "token.head", "token.is_sent_start"])
def make_parser(nlp: Language, name: str) -> RussianParser:
    return RussianParser()


class RussianParser:
    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 32):  # type: ignore[no-untyped-def]
        for doc in docs:
            self._parse(doc)
            yield doc

    def _parse(self, doc: Doc) -> None:
        if not len(doc):
            return
        sents = []  # the word indices of each sentence (white space left out)
        for sent in doc.sents:
            words = [t.i for t in sent if not t.is_space]
            if words:
                sents.append(words)
        texts = [[doc[i].text for i in words] for words in sents]
        morph = list(models.morph().map(texts))
        syntax = list(models.syntax().map(texts))
        strings = doc.vocab.strings
        n = len(doc)
        pos = np.full(n, POS_IDS["SPACE"], dtype=np.uint64)
        tag = np.full(n, strings.add("_SP"), dtype=np.uint64)
        morphs = np.zeros(n, dtype=np.uint64)
        dep = np.full(n, strings.add("dep"), dtype=np.uint64)
        head = np.zeros(n, dtype=np.int64)  # relative offsets, as spaCy's arrays hold them
        for words, m, s in zip(sents, morph, syntax, strict=True):
            heads = _acyclic([int(st.head_id) for st in s.tokens])
            for k, (i, mt, st) in enumerate(zip(words, m.tokens, s.tokens, strict=True)):
                pos[i] = POS_IDS.get(mt.pos, POS_IDS["X"])
                tag[i] = strings.add(mt.pos)
                feats = "|".join(f"{key}={value}" for key, value in sorted(mt.feats.items()))
                morphs[i] = doc.vocab.morphology.add(feats) if feats else 0
                h = heads[k]
                if h == 0:
                    dep[i] = strings.add("ROOT")
                else:
                    dep[i] = strings.add(st.rel)
                    head[i] = words[h - 1] - i
        # white space hangs from the word before it (at a sentence's start: its first word)
        for sent in doc.sents:
            prev = None
            for t in sent:
                if t.is_space:
                    target = prev if prev is not None else _first_word(sent)
                    if target is not None and target != t.i:
                        head[t.i] = target - t.i
                else:
                    prev = t.i
        columns = np.stack([pos, tag, morphs, head.astype(np.uint64), dep], axis=1)
        doc.from_array([POS, TAG, MORPH, HEAD, DEP], columns)  # type: ignore[arg-type]  # thinc types say Ints2d


def _acyclic(heads: list[int]) -> list[int]:
    """1-based heads (0: root) with no cycle and no head outside the sentence: a word whose chain
    never reaches a root becomes one (slovnet's decoder does not promise a tree)."""
    n = len(heads)
    out = [h if 0 <= h <= n and h != k + 1 else 0 for k, h in enumerate(heads)]
    for k in range(n):
        seen = set()
        j = k + 1
        while j and j not in seen:
            seen.add(j)
            j = out[j - 1]
        if j:  # ran into a cycle: cut it at this word
            out[k] = 0
    return out


def _first_word(sent) -> int | None:  # type: ignore[no-untyped-def]
    for t in sent:
        if not t.is_space:
            return t.i
    return None
