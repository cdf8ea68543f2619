"""Uncertain-sentence evaluation on CoNLL-2010 WikiWeasel-style files (one sentence a line).

``read_sentences`` copes with the files as published: Penn Treebank tokenisation (``-LRB-``,
`````/``''`` quotes, split clitics) is undone so that spaCy sees ordinary text; blank lines are
skipped and counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PTB_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
_BRACKET_RE = re.compile("|".join(map(re.escape, PTB_BRACKETS)))
_SPACE_BEFORE = re.compile(r" +([,.;:?!%)\]}](?=\s|$)|'s\b|'re\b|'ve\b|'ll\b|'d\b|'m\b|n't\b|'S\b|N'T\b)")
_SPACE_AFTER = re.compile(r"([(\[{$]) +")
_DOUBLE_QUOTES = re.compile(r"``\s*|\s*''")


def detokenize(line: str) -> str:
    """Undoes PTB tokenisation well enough for a tokenizer that expects running text."""
    text = _BRACKET_RE.sub(lambda m: PTB_BRACKETS[m.group(0)], line)
    text = _DOUBLE_QUOTES.sub(lambda m: ' "' if m.group(0).startswith("`") else '" ', text)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Sentences:
    texts: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "path:line: why"


def read_sentences(path: Path) -> Sentences:
    out = Sentences()
    with open(path, encoding="utf-8", errors="replace", newline=None) as f:
        for n, line in enumerate(f, 1):
            text = detokenize(line)
            if not text:
                out.skipped.append(f"{path}:{n}: blank line")
                continue
            out.texts.append(text)
    return out


def prf(gold: list[bool], pred: list[bool]) -> dict[str, float]:
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if p and not g)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g and not p)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(100 * p, 2), "recall": round(100 * r, 2), "f1": round(100 * f, 2), "tp": tp, "fp": fp, "fn": fn}


def evaluate(pos_file: Path, neg_file: Path, cv: int = 0) -> dict[str, Any]:
    """Scores sayso's uncertainty model on the files; with ``cv`` > 1, k-fold cross-validation
    (retraining the model on each fold's rest with the committed training recipe)."""
    from sayso.classifiers import hedges

    pos, neg = read_sentences(pos_file), read_sentences(neg_file)
    texts = pos.texts + neg.texts
    gold = [True] * len(pos.texts) + [False] * len(neg.texts)
    if cv > 1:
        pred = hedges.cross_validate(texts, gold, folds=cv)
        mode = f"{cv}-fold cross-validation (model retrained per fold)"
    else:
        pred = hedges.predict_texts(texts)
        mode = "shipped model"
    return {
        "task": "uncertain sentences (positive class: uncertain)",
        "mode": mode,
        "sentences": len(texts),
        "positive": len(pos.texts),
        "skipped": pos.skipped + neg.skipped,
        **prf(gold, pred),
    }
