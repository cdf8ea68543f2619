"""``sayso eval attribution DIR``: sayso's attributions against brat gold (PolNeAR's layout).

Per part (source, cue, content): precision, recall and F1 by exact span, after trimming white space,
punctuation and quote marks from both ends of every fragment (a discontinuous span is the list of
its fragments), and by overlap (a span counts when it shares a character with a span of the same
part on the other side). Also the share of whole attributions whose three parts all match exactly,
and, when ``metadata.tsv`` is at hand, the exact figures per publisher.
"""

from __future__ import annotations

import json
import string
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sayso.errors import InputError
from sayso.eval.brat import GoldAttribution, GoldText, ReadLog, read_dir, read_metadata
from sayso.eval.voices import VoiceCounts
from sayso.prf import PRFScore, f1, ratio
from sayso.report_model import Report

PARTS = ("source", "cue", "content")
TRIM = string.whitespace + string.punctuation + "“”‘’«»„‚‹›—–…"
Key = tuple[tuple[int, int], ...]


def normalize(text: str, fragments: Iterable[tuple[int, int]]) -> Key:
    """Fragments trimmed of white space, punctuation and quote marks at both ends; empty ones dropped."""
    out = []
    for s, e in sorted(fragments):
        while s < e and text[s] in TRIM:
            s += 1
        while e > s and text[e - 1] in TRIM:
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


@dataclass
class PartCounts:
    tp: int = 0
    pred: int = 0
    gold: int = 0
    tp_pred_overlap: int = 0
    tp_gold_overlap: int = 0

    def add(self, other: PartCounts) -> None:
        self.tp += other.tp
        self.pred += other.pred
        self.gold += other.gold
        self.tp_pred_overlap += other.tp_pred_overlap
        self.tp_gold_overlap += other.tp_gold_overlap

    @staticmethod
    def percent(p: float, r: float) -> dict[str, float]:
        return {"p": round(100 * p, 1), "r": round(100 * r, 1), "f1": round(100 * f1(p, r), 1)}

    def exact(self) -> dict[str, float]:
        score = PRFScore(self.tp, self.pred - self.tp, self.gold - self.tp)
        return self.percent(score.precision, score.recall)

    def overlap(self) -> dict[str, float]:
        """A predicted span is right when it overlaps a gold one, a gold span found when a
        predicted one overlaps it: precision and recall count different matches."""
        return self.percent(ratio(self.tp_pred_overlap, self.pred), ratio(self.tp_gold_overlap, self.gold))


def _overlaps(a: Key, b: Key) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


Triple = tuple[Key, Key, Key]  # source, cue, content


def _gold_triples(text: str, atts: list[GoldAttribution]) -> list[Triple]:
    return [(normalize(text, a.source), normalize(text, a.cue), normalize(text, a.content)) for a in atts]


def _pred_triples(text: str, report: Report | None) -> list[Triple]:
    out = []
    for a in report.attributions if report is not None else []:
        source = normalize(text, [(a.source.start, a.source.end)]) if a.source else ()
        cue = normalize(text, [(a.cue.start, a.cue.end)])
        content = normalize(text, [(c.start, c.end) for c in a.content])
        out.append((source, cue, content))
    return out


def score_text(text: str, gold: list[Triple], pred: list[Triple]) -> tuple[dict[str, PartCounts], Counter[str]]:
    parts = {}
    for k, part in enumerate(PARTS):
        g = {t[k] for t in gold if t[k]}
        p = {t[k] for t in pred if t[k]}
        parts[part] = PartCounts(
            tp=len(g & p),
            pred=len(p),
            gold=len(g),
            tp_pred_overlap=sum(1 for x in p if any(_overlaps(x, y) for y in g)),
            tp_gold_overlap=sum(1 for y in g if any(_overlaps(x, y) for x in p)),
        )
    whole: Counter[str] = Counter()
    gset, pset = set(gold), set(pred)
    whole["gold"] += len(gset)
    whole["pred"] += len(pset)
    whole["match"] += len(gset & pset)
    return parts, whole


def evaluate(golds: list[GoldText], reports: dict[str, Report], metadata: dict[str, dict[str, str]]) -> dict[str, Any]:
    total = {part: PartCounts() for part in PARTS}
    by_pub: dict[str, dict[str, PartCounts]] = defaultdict(lambda: {part: PartCounts() for part in PARTS})
    whole: Counter[str] = Counter()
    voices = VoiceCounts()
    missing = 0
    for g in golds:
        rep = reports.get(g.id)
        missing += rep is None
        if rep is not None:
            voices.add(g.text, [f for a in g.attributions for f in (*a.source, *a.cue, *a.content)], rep)
        parts, w = score_text(g.text, _gold_triples(g.text, g.attributions), _pred_triples(g.text, rep))
        whole.update(w)
        pub = metadata.get(g.id, {}).get("publisher")
        for part in PARTS:
            total[part].add(parts[part])
            if pub:
                by_pub[pub][part].add(parts[part])
    result: dict[str, Any] = {
        "texts": len(golds),
        "texts_without_report": missing,
        "exact": {part: total[part].exact() for part in PARTS},
        "overlap": {part: total[part].overlap() for part in PARTS},
        "counts": {part: {"gold": total[part].gold, "pred": total[part].pred} for part in PARTS},
        "whole": {
            "gold": whole["gold"],
            "predicted": whole["pred"],
            "matched": whole["match"],
            "share_of_gold": round(100 * ratio(whole["match"], whole["gold"]), 1),
            "share_of_predicted": round(100 * ratio(whole["match"], whole["pred"]), 1),
        },
        "voices": voices.result(),
    }
    if by_pub:
        result["by_publisher"] = {
            pub: {part: counts[part].exact() for part in PARTS} for pub, counts in sorted(by_pub.items())
        }
    return result


def load_reports(path: Path, log: ReadLog) -> dict[str, Report]:
    """Reports of a JSONL file (``sayso batch --out``) by file stem; error rows are counted in
    ``log``; a line that is not a report is an InputError naming it."""
    out = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            if isinstance(rec, dict) and "error" in rec and "text" not in rec:
                log.note("error row in the reports skipped")
                continue
            rep = Report.model_validate(rec)
        except ValueError as err:  # json.JSONDecodeError and pydantic.ValidationError alike
            raise InputError(f"{path}:{n}: not a sayso report: {str(err).splitlines()[0]}") from err
        out[Path(rep.id).name.rsplit(".", 1)[0]] = rep
    return out


def run(
    folder: Path, reports_path: Path | None = None, also: dict[str, Callable[[list[GoldText], dict[str, Report]], Any]] | None = None
) -> tuple[dict[str, Any], ReadLog]:
    """Scores of the reports in ``reports_path``, or of the texts analysed now (with the speed).
    ``also``: further scorers of the same golds and reports, their results under their names."""
    from sayso.analyzer import Article
    from sayso.eval import runtime

    log = ReadLog()
    golds = read_dir(folder, log)
    speed = None
    if reports_path:
        reports = load_reports(reports_path, log)
    else:
        analysed = runtime.analyze(Article(g.text, id=g.id) for g in golds)
        reports, speed = analysed.reports, analysed
        for why in analysed.refused.values():
            log.note(f"text refused by the analyzer: {why}")
    result = evaluate(golds, reports, read_metadata(folder))
    for name, scorer in (also or {}).items():
        result[name] = scorer(golds, reports)
    result["skipped"] = dict(log.counts)
    if speed is not None:
        result["speed"] = speed.summary()
        result["speed_line"] = speed.speed_line()
    return result, log


def format_table(result: dict[str, Any]) -> str:
    lines = [f"{result['texts']} texts" + (f" ({result['texts_without_report']} without a report)" if result["texts_without_report"] else "")]
    lines.append(f"{'part':<9}{'exact P':>9}{'R':>7}{'F1':>7}   {'overlap P':>9}{'R':>7}{'F1':>7}   {'gold':>6}{'pred':>6}")
    for part in PARTS:
        ex, ov, n = result["exact"][part], result["overlap"][part], result["counts"][part]
        lines.append(
            f"{part:<9}{ex['p']:>9}{ex['r']:>7}{ex['f1']:>7}   {ov['p']:>9}{ov['r']:>7}{ov['f1']:>7}   {n['gold']:>6}{n['pred']:>6}"
        )
    w = result["whole"]
    lines.append(
        f"whole attributions (source, cue and content all exact): {w['matched']} = {w['share_of_gold']}% of {w['gold']} gold, "
        f"{w['share_of_predicted']}% of {w['predicted']} predicted"
    )
    v = result["voices"]
    lines.append(
        f"sentences that are someone's words ({v['sentences']} sentences): by sayso's spans "
        f"P {v['by_spans']['p']} R {v['by_spans']['r']} F1 {v['by_spans']['f1']}; by the status shown "
        f"P {v['by_status']['p']} R {v['by_status']['r']} F1 {v['by_status']['f1']}"
    )
    if result.get("by_publisher"):
        lines.append("exact F1 by publisher (source / cue / content):")
        for pub, parts in result["by_publisher"].items():
            lines.append(f"  {pub:<16}" + " / ".join(f"{parts[p]['f1']:>5}" for p in PARTS))
    if result.get("skipped"):
        lines.append("reader: " + "; ".join(f"{k}: {v}" for k, v in sorted(result["skipped"].items())))
    if result.get("speed_line"):
        lines.append(result["speed_line"])
    return "\n".join(lines)
