"""``sayso eval sources``: is a source linked to the entity its phrase is about?

The test, for one source phrase: parse the phrase's text on its own with the base model; its root
token is the head; a linked entity passes when one of its mentions covers that token. Two figures
on a brat folder (PolNeAR's layout):

- **linked sources**: of the reported attributions whose source names an entity, the share that
  pass the test (a failure names someone else: "Dmitry Peskov, press secretary for Putin" -> Putin);
- **gold sources**: of the gold source phrases whose head the report's entities cover (a named
  source), the share a reported source overlapping the gold phrase links to that entity; and of
  those whose head no entity covers (unnamed: "Some Republican leaders"), the share a reported
  source nevertheless links to an entity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sayso.eval.brat import GoldText, ReadLog, read_dir
from sayso.report_model import Entity, Report, Source


@dataclass
class SourceScores:
    linked: int = 0
    head_ok: int = 0
    gold_named: int = 0
    gold_named_right: int = 0
    gold_unnamed: int = 0
    gold_unnamed_linked: int = 0
    errors: list[str] = field(default_factory=list)
    words_per_second: float | None = None

    def summary(self) -> dict[str, Any]:
        def pct(a: int, b: int) -> float:
            return round(100.0 * a / b, 1) if b else 0.0

        return {
            "linked_sources": self.linked,
            "linked_pass_head_test": pct(self.head_ok, self.linked),
            "linked_miss_head": pct(self.linked - self.head_ok, self.linked),
            "gold_named_sources": self.gold_named,
            "gold_named_linked_to_that_entity": pct(self.gold_named_right, self.gold_named),
            "gold_unnamed_sources": self.gold_unnamed,
            "gold_unnamed_linked_to_an_entity": pct(self.gold_unnamed_linked, self.gold_unnamed),
            "words_per_second": self.words_per_second,
        }


@lru_cache(maxsize=1)
def _base() -> Any:
    import spacy

    from sayso.basemodel import MODEL

    return spacy.load(MODEL, exclude=["ner", "lemmatizer"])


def heads(phrases: list[str]) -> list[int | None]:
    """Char offset (inside the phrase) of the root of each phrase parsed on its own."""
    out: list[int | None] = []
    for doc in _base().pipe(phrases, batch_size=256):
        roots = [t for t in doc if t.head.i == t.i and not t.is_space and not t.is_punct]
        out.append(roots[0].idx if roots else None)
    return out


def _covering(entities: list[Entity], pos: int) -> str | None:
    """The entity with a mention covering char ``pos``."""
    for ent in entities:
        if any(m.start <= pos < m.end for m in ent.mentions):
            return ent.id
    return None


def _covers(entity: Entity, pos: int) -> bool:
    return any(m.start <= pos < m.end for m in entity.mentions)


def score(golds: list[GoldText], reports: dict[str, Report], with_errors: bool = False) -> SourceScores:
    scores = SourceScores()
    # every phrase to parse, in one batch: reported linked sources, then gold sources
    predicted: list[tuple[str, Source]] = []
    gold_sources: list[tuple[str, int, int]] = []
    for g in golds:
        rep = reports.get(g.id)
        if rep is None:
            continue
        predicted += [(g.id, a.source) for a in rep.attributions if a.source and a.source.entity]
        for att in g.attributions:
            if att.source:
                gold_sources.append((g.id, min(s for s, _ in att.source), max(e for _, e in att.source)))
    pred_heads = heads([src.text for _, src in predicted])
    gold_heads = heads([reports[i].text[s:e] for i, s, e in gold_sources])
    for (doc_id, src), head in zip(predicted, pred_heads, strict=True):
        rep = reports[doc_id]
        entity = next(e for e in rep.entities if e.id == src.entity)
        scores.linked += 1
        if head is not None and _covers(entity, src.start + head):
            scores.head_ok += 1
        elif with_errors:
            scores.errors.append(f"{doc_id}: source {src.text!r} -> entity {entity.name!r}")
    for (doc_id, s, e), head in zip(gold_sources, gold_heads, strict=True):
        if head is None:
            continue
        rep = reports[doc_id]
        named = _covering(rep.entities, s + head)
        linked = {
            a.source.entity for a in rep.attributions
            if a.source and a.source.start < e and s < a.source.end
        }
        linked.discard(None)
        if named is not None:
            scores.gold_named += 1
            scores.gold_named_right += named in linked
        else:
            scores.gold_unnamed += 1
            scores.gold_unnamed_linked += bool(linked)
    return scores


def analyze(golds: Iterable[GoldText]) -> tuple[dict[str, Report], float]:
    """Reports through the runtime path (``eval.runtime``, as ``sayso batch``), and words/s."""
    from sayso.analyzer import Article
    from sayso.eval import runtime

    run = runtime.analyze(Article(g.text, id=g.id) for g in golds)
    return run.reports, run.words / max(run.seconds, 1e-9)


def run(folder: Path, reports_path: Path | None = None, with_errors: bool = False) -> SourceScores:
    from sayso.eval.attribution import load_reports

    golds = read_dir(folder, ReadLog())
    if reports_path is not None:
        reports, wps = load_reports(reports_path, ReadLog()), None
    else:
        reports, wps = analyze(golds)
    scores = score(golds, reports, with_errors)
    scores.words_per_second = round(wps, 1) if wps is not None else None
    return scores


def format_summary(scores: SourceScores) -> list[str]:
    s = scores.summary()
    lines = [
        f"linked sources: {s['linked_sources']}, pass the head test {s['linked_pass_head_test']}% "
        f"(miss the head: {s['linked_miss_head']}%)",
        f"gold named sources: {s['gold_named_sources']}, linked to the entity the phrase names: {s['gold_named_linked_to_that_entity']}%",
        f"gold unnamed sources: {s['gold_unnamed_sources']}, linked to an entity anyway: {s['gold_unnamed_linked_to_an_entity']}%",
    ]
    if s["words_per_second"] is not None:
        lines.append(f"analysis: {s['words_per_second']} words/s")
    return lines
