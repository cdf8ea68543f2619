"""Uncertain-sentence evaluation on CoNLL-2010 WikiWeasel-style files (one sentence a line).

By default it scores the product: each line is analysed as an article by the same path as
``sayso batch`` and counts as uncertain when a sentence of its report does
(``report_model.Sentence.uncertain``: hedged or anonymous status, or a hedge or weasel cue). With
``cv`` it cross-validates the training recipe of the uncertainty side model instead
(``sayso.classifiers.hedges``), the figure its setting was chosen by.

``read_sentences`` copes with the files as published: Penn Treebank tokenisation (``-LRB-``,
`````/``''`` quotes, split clitics) is undone so that spaCy sees ordinary text; blank lines are
skipped and counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sayso.prf import PRFScore

PTB_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
_BRACKET_RE = re.compile("|".join(map(re.escape, PTB_BRACKETS)))
_SPACE_BEFORE = re.compile(r" +([,.;:?!%)\]}](?=\s|$)|'s\b|'re\b|'ve\b|'ll\b|'d\b|'m\b|n't\b|'S\b|N'T\b)")
_SPACE_AFTER = re.compile(r"([(\[{$]) +")
_DOUBLE_QUOTES = re.compile(r"``\s*|\s*''")
PRODUCT = "product path: sayso's reports (uncertain: hedged or anonymous status, or a hedge or weasel cue)"


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
    where: list[str] = field(default_factory=list)  # "path:line" of each text
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
            out.where.append(f"{path}:{n}")
    return out


def prf(gold: list[bool], pred: list[bool]) -> dict[str, float]:
    """P/R/F1 of the positive class in percent, with the counts."""
    score = PRFScore.of(gold, pred)
    return {**score.percent(2), "tp": score.tp, "fp": score.fp, "fn": score.fn}


def product_predictions(texts: list[str], names: list[str]) -> tuple[list[bool], dict[str, Any]]:
    """Uncertain or not for each text as sayso's report says, and the run's speed and refusals
    (each named by ``names``)."""
    from sayso.analyzer import Article
    from sayso.eval import runtime

    run = runtime.analyze(Article(t, id=str(i)) for i, t in enumerate(texts))
    pred = []
    for i in range(len(texts)):
        rep = run.reports.get(str(i))
        pred.append(rep is not None and any(s.uncertain() for s in rep.sentences))
    refused = [f"{names[int(i)]}: {why}" for i, why in run.refused.items()]
    return pred, {"speed": run.summary(), "speed_line": run.speed_line(), "refused": refused}


def evaluate(pos_file: Path, neg_file: Path, cv: int = 0) -> dict[str, Any]:
    """Scores sayso's reports on the files (a refused text counts as not uncertain); with ``cv``
    > 1, k-fold cross-validation of the uncertainty model's training recipe."""
    pos, neg = read_sentences(pos_file), read_sentences(neg_file)
    texts = pos.texts + neg.texts
    gold = [True] * len(pos.texts) + [False] * len(neg.texts)
    extra: dict[str, Any] = {}
    if cv > 1:
        from sayso.classifiers import hedges as uncertainty

        pred = uncertainty.cross_validate(texts, gold, folds=cv)
        mode = f"uncertainty side model: {cv}-fold cross-validation of its training recipe (retrained per fold)"
    else:
        pred, extra = product_predictions(texts, pos.where + neg.where)
        mode = PRODUCT
    return {
        "task": "uncertain sentences (positive class: uncertain)",
        "mode": mode,
        "sentences": len(texts),
        "positive": len(pos.texts),
        "skipped": pos.skipped + neg.skipped,
        **extra,
        **prf(gold, pred),
    }
