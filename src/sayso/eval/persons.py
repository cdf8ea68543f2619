"""Scores person coreference and time values against hand annotations (offsets only).

Annotations: JSONL, one article a line, ``{"stem", "persons": [[start, end, cluster]...],
"times": [[start, end, value]...]}`` with offsets into ``DEV_DIR/text/STEM.txt``; publication
dates come from ``metadata.tsv`` beside ``DEV_DIR`` (see ``annotations/README.md``).

Person mentions: a system mention of a PERSON entity matches a gold mention when the spans
overlap (one-to-one, in text order). Reported: mention detection P/R/F, MUC link P/R/F (Vilain et
al. 1995; unmatched mentions count as singletons) and pairwise link P/R/F over matched mentions'
same-person pairs. Times: detection P/R by overlap, and value accuracy over all gold expressions
(a missed expression counts as wrong) and over the matched ones.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from sayso.prf import f1, ratio
from sayso.report_model import Report

Span = tuple[int, int]


@dataclass
class Tally:
    gold: int = 0
    system: int = 0
    matched: int = 0

    def add(self, gold: int, system: int, matched: int) -> None:
        self.gold += gold
        self.system += system
        self.matched += matched

    def prf(self) -> tuple[float, float, float]:
        p, r = ratio(self.matched, self.system), ratio(self.matched, self.gold)
        return p, r, f1(p, r)


@dataclass
class Scores:
    articles: int = 0
    mentions: Tally = field(default_factory=Tally)
    muc_r: list[int] = field(default_factory=lambda: [0, 0])  # numerator, denominator
    muc_p: list[int] = field(default_factory=lambda: [0, 0])
    pairs: Tally = field(default_factory=Tally)
    times: Tally = field(default_factory=Tally)
    values_right: int = 0
    errors: list[str] = field(default_factory=list)
    speed_line: str = ""


def _match(gold: list[Span], system: list[Span]) -> dict[int, int]:
    """Greedy one-to-one overlap matching (gold index -> system index), best overlap first."""
    cands = []
    for gi, (gs, ge) in enumerate(gold):
        for si, (ss, se) in enumerate(system):
            overlap = min(ge, se) - max(gs, ss)
            if overlap > 0:
                cands.append((-overlap, gi, si))
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, si in sorted(cands):
        if gi not in out and si not in used:
            out[gi] = si
            used.add(si)
    return out


def _muc(key: dict[int, str], response: dict[int, str], mentions: list[int]) -> tuple[int, int]:
    """MUC recall numerator/denominator of ``key`` clusters partitioned by ``response``."""
    clusters: dict[str, list[int]] = defaultdict(list)
    for m in mentions:
        clusters[key[m]].append(m)
    num = den = 0
    for members in clusters.values():
        parts = {response.get(m, f"single{m}") for m in members}
        num += len(members) - len(parts)
        den += len(members) - 1
    return num, den


def _published(dev_dir: Path) -> dict[str, str | None]:
    for candidate in (dev_dir / "metadata.tsv", dev_dir.parent / "metadata.tsv"):
        if candidate.exists():
            with candidate.open(encoding="utf-8", newline="") as f:
                return {row["filename"]: row.get("publication_date") or None for row in csv.DictReader(f, delimiter="\t")}
    return {}


def score_article(gold: dict[str, Any], report: Report, scores: Scores) -> None:
    gold_spans = [(s, e) for s, e, _ in gold["persons"]]
    gold_cluster = {i: c for i, (_, _, c) in enumerate(gold["persons"])}
    sys_spans: list[Span] = []
    sys_cluster: dict[int, str] = {}
    for ent in report.entities:
        if ent.type != "PERSON":
            continue
        for m in ent.mentions:
            sys_cluster[len(sys_spans)] = ent.id
            sys_spans.append((m.start, m.end))
    match = _match(gold_spans, sys_spans)
    scores.mentions.add(len(gold_spans), len(sys_spans), len(match))
    # MUC: recall over gold clusters (system clusters of matched mentions), precision the reverse.
    response = {gi: sys_cluster[si] for gi, si in match.items()}
    num, den = _muc(gold_cluster, response, list(range(len(gold_spans))))
    scores.muc_r[0] += num
    scores.muc_r[1] += den
    back = {si: gold_cluster[gi] for gi, si in match.items()}
    num, den = _muc(sys_cluster, back, list(range(len(sys_spans))))
    scores.muc_p[0] += num
    scores.muc_p[1] += den
    # Pairwise links among all mentions (unmatched ones can only make links wrong or missing).
    gold_pairs = {(a, b) for a, b in combinations(range(len(gold_spans)), 2) if gold_cluster[a] == gold_cluster[b]}
    inv = {si: gi for gi, si in match.items()}
    sys_pairs = set()
    right = 0
    for a, b in combinations(range(len(sys_spans)), 2):
        if sys_cluster[a] != sys_cluster[b]:
            continue
        sys_pairs.add((a, b))
        ga, gb = inv.get(a), inv.get(b)
        if ga is not None and gb is not None and gold_cluster[ga] == gold_cluster[gb]:
            right += 1
    scores.pairs.add(len(gold_pairs), len(sys_pairs), right)
    # Times.
    gold_times = [(s, e) for s, e, _ in gold["times"]]
    sys_times = [(t.start, t.end) for t in report.times]
    tmatch = _match(gold_times, sys_times)
    scores.times.add(len(gold_times), len(sys_times), len(tmatch))
    for gi, si in tmatch.items():
        want, got = gold["times"][gi][2], report.times[si].value
        if want == got:
            scores.values_right += 1
        else:
            scores.errors.append(f"{gold['stem']} {gold_times[gi]}: want {want}, got {got}")
    for gi in set(range(len(gold_times))) - set(tmatch):
        scores.errors.append(f"{gold['stem']} {gold_times[gi]}: want {gold['times'][gi][2]}, missed")


def run(annotations: Path, dev_dir: Path) -> Scores:
    from sayso.analyzer import Article
    from sayso.eval import runtime

    text_dir = dev_dir / "text" if (dev_dir / "text").is_dir() else dev_dir
    published = _published(dev_dir if text_dir is not dev_dir else dev_dir.parent)
    golds = [json.loads(line) for line in annotations.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = [
        Article((text_dir / f"{g['stem']}.txt").read_text(encoding="utf-8"), id=g["stem"], meta={"published": published.get(g["stem"])})
        for g in golds
    ]
    analysed = runtime.analyze(articles)
    scores = Scores()
    for gold in golds:
        report = analysed.reports.get(gold["stem"])
        if report is None:
            scores.errors.append(f"{gold['stem']}: refused by the analyzer: {analysed.refused.get(gold['stem'])}")
            continue
        score_article(gold, report, scores)
        scores.articles += 1
    scores.speed_line = analysed.speed_line()
    return scores


def summary(scores: Scores) -> list[str]:
    def fmt(p: float, r: float, f: float) -> str:
        return f"P {p:.3f}  R {r:.3f}  F {f:.3f}"

    muc_r, muc_p = ratio(*scores.muc_r), ratio(*scores.muc_p)
    muc_f = f1(muc_p, muc_r)
    t = scores.times
    return [
        f"articles: {scores.articles}",
        f"person mentions (overlap)   {fmt(*scores.mentions.prf())}  gold {scores.mentions.gold} system {scores.mentions.system}",
        f"person coreference MUC      {fmt(muc_p, muc_r, muc_f)}",
        f"person coreference pairwise {fmt(*scores.pairs.prf())}  gold links {scores.pairs.gold} system links {scores.pairs.system}",
        f"time expressions (overlap)  {fmt(*t.prf())}  gold {t.gold} system {t.system}",
        f"time values: {scores.values_right}/{t.gold} = {ratio(scores.values_right, t.gold):.3f} of gold; "
        f"{scores.values_right}/{t.matched} = {ratio(scores.values_right, t.matched):.3f} of matched",
        *([scores.speed_line] if scores.speed_line else []),
    ]
