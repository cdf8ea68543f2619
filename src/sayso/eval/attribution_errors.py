"""Attribution errors by kind, for choosing what to train next (issue 20's error analysis): each
gold attribution of a brat folder against the report's attributions, the same spans
``sayso eval attribution`` scores (trimmed as it trims them).

Kinds, each gold attribution counted once per part, in this order:

- ``no cue found``: no predicted cue overlaps the gold cue (its content and source are lost too);
- content: ``content missed`` (the cue was found, no predicted content overlaps), ``content across
  a sentence boundary`` (inexact, and the gold content runs over more than one of the report's
  sentences), ``content boundary off by <= 3 words`` / ``by more`` (the other inexact ones), or
  ``content exact``;
- source: ``source missed`` (gold has one, the matched attribution none), ``source wrong span``,
  or ``source exact``;
- ``attribution where gold has none``: a predicted cue that overlaps no gold cue.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sayso.eval.attribution import Key, _gold_triples, _overlaps, _pred_triples
from sayso.eval.brat import GoldText
from sayso.report_model import Report

KINDS = (
    "no cue found",
    "content missed",
    "content across a sentence boundary",
    "content boundary off by <= 3 words",
    "content boundary off by more",
    "content exact",
    "source missed",
    "source wrong span",
    "source exact",
    "attribution where gold has none",
)


def _words_between(text: str, a: int, b: int) -> int:
    return len(text[min(a, b) : max(a, b)].split())


def _edge_words(text: str, gold: Key, pred: Key) -> int:
    """Words between the outer edges of two spans, at the start and at the end together."""
    return _words_between(text, gold[0][0], pred[0][0]) + _words_between(text, gold[-1][1], pred[-1][1])


def _sentences_of(report: Report | None, span: Key) -> int:
    if report is None:
        return 0
    return sum(1 for s in report.sentences if any(a < s.end and s.start < b for a, b in span))


def classify(gold_text: GoldText, report: Report | None) -> Counter[str]:
    text = gold_text.text
    gold = [t for t in _gold_triples(text, gold_text.attributions) if t[1]]
    pred = _pred_triples(text, report)
    out: Counter[str] = Counter()
    for source, cue, content in gold:
        matches = [p for p in pred if p[1] and _overlaps(p[1], cue)]
        if not matches:
            out["no cue found"] += 1
            continue
        best = max(matches, key=lambda p: (p[2] == content, bool(p[2]) and _overlaps(p[2], content) if content else 0))
        if content:
            if not best[2] or not _overlaps(best[2], content):
                out["content missed"] += 1
            elif best[2] == content:
                out["content exact"] += 1
            elif _sentences_of(report, content) > 1:
                out["content across a sentence boundary"] += 1
            elif _edge_words(text, content, best[2]) <= 3:
                out["content boundary off by <= 3 words"] += 1
            else:
                out["content boundary off by more"] += 1
        if source:
            if not best[0]:
                out["source missed"] += 1
            elif best[0] == source:
                out["source exact"] += 1
            else:
                out["source wrong span"] += 1
    for p in pred:
        if p[1] and not any(_overlaps(p[1], g[1]) for g in gold):
            out["attribution where gold has none"] += 1
    return out


def table(golds: list[GoldText], reports: dict[str, Report]) -> dict[str, Any]:
    total: Counter[str] = Counter()
    for g in golds:
        total.update(classify(g, reports.get(g.id)))
    n_gold = sum(len([a for a in g.attributions if a.cue]) for g in golds)
    return {"gold attributions": n_gold, "kinds": {k: total.get(k, 0) for k in KINDS}}


def format_table(result: dict[str, Any]) -> str:
    n = result["gold attributions"] or 1
    lines = [f"errors by kind ({result['gold attributions']} gold attributions):"]
    for kind, count in result["kinds"].items():
        share = "" if kind == "attribution where gold has none" else f"  {100 * count / n:5.1f}% of gold"
        lines.append(f"  {kind:40s} {count:6d}{share}")
    return "\n".join(lines)
