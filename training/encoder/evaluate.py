"""Dev figures and speed of the shipped int8 encoder on its own (no spaCy pipeline around it):
check-worthy sentences (P/R/F1 of "Yes" at the threshold chosen on the held-out fold of train) and
the encoder's words/s in one process. Sentences are split into words by spaCy's English tokenizer,
as the pipeline gives them.

usage: python training/encoder/evaluate.py CHECKWORTHY_DEV.tsv [--threads 1]
(run with the project's virtual environment)
"""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

import spacy

from sayso import encoder


def prf(pred: list[bool], gold: list[bool]) -> dict[str, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    p = tp / max(1, sum(pred))
    r = tp / max(1, sum(gold))
    return {"P": round(100 * p, 1), "R": round(100 * r, 1), "F1": round(100 * 2 * p * r / max(1e-9, p + r), 1)}


def main(tsv: str, threads: int = 1) -> None:
    tok = spacy.blank("en").tokenizer
    with Path(tsv).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    sentences = [[t.text for t in tok(r["Text"]) if not t.is_space] for r in rows]
    gold = [r["class_label"] == "Yes" for r in rows]
    model = encoder.runtime.Encoder(encoder.MODEL_DIR, threads=threads)
    model.predict(sentences[:32])  # warm up
    t0 = time.perf_counter()
    preds = model.predict(sentences)
    seconds = time.perf_counter() - t0
    words = sum(len(s) for s in sentences)
    thr = model.thresholds["checkworthy"]
    out = {
        "checkworthy_dev": {"sentences": len(rows), "positive": sum(gold), "threshold": thr, **prf([p.checkworthy >= thr for p in preds], gold)},
        "speed": {"words": words, "seconds": round(seconds, 2), "words_per_s": round(words / seconds), "threads": threads},
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    main(args[0], int(args[args.index("--threads") + 1]) if "--threads" in args else 1)
