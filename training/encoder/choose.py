"""Chooses how the accurate tier combines the encoder with the fast tier, on the held-out fold of
TRAIN (``folds.py``), through the product itself (``sayso.eval``'s product path). Dev is not read.

The fast tier's two linear models were fit on all of train, so the fold is not held out from them:
here they are refit on the other nine tenths with their shipped settings first, and both tiers are
scored with those. The attribution tagger cannot be refit in the time this takes (about 35 minutes),
so on attribution spans the tagger is scored on texts it was trained on: the encoder's spans are
taken only if they beat it even so.

Grids (every figure is printed):
- uncertain sentences: the fast tier; the encoder beside the fast hedge model ("either"), in its
  place ("encoder"), at each encoder threshold (never as a judge that removes the lexicon's hedge
  and weasel cues: a reader sees those words, and a sentence with one is uncertain);
- check-worthy sentences: the fast tier; the encoder alone; the mean of both probabilities
  ("mean"), at each threshold;
- attribution: the tagger's spans or the encoder's, per role (exact-span F1 of source, cue,
  content; a mix is kept only if its mean beats the tagger's);
  and whether an attribution without a source needs the encoder to tag its cue as well
  ("cue_check": taken if attribution does not fall and uncertain sentences gain).

usage: .venv/bin/python training/encoder/choose.py HELDOUT_DIR WIKIWEASEL_DIR CHECKWORTHY_TRAIN.tsv [--write]
(HELDOUT_DIR is what folds.py wrote; --write puts the choice into src/sayso/models/encoder/config.json)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import folds

from sayso import pipeline
from sayso.analyzer import Article
from sayso.classifiers import checkworthy as cw_features
from sayso.classifiers import hedges as hedge_features
from sayso.classifiers.linear import LinearModel, train
from sayso.components.encoder import ROLES
from sayso.encoder import MODEL_DIR, tier
from sayso.eval import attribution, checkworthy, hedges, runtime
from sayso.prf import PRFScore

UNCERTAIN_GRID = (0.25, 0.35, 0.45, 0.55)
CHECKWORTHY_GRID = tuple(round(0.2 + 0.02 * k, 2) for k in range(31))  # 0.20 .. 0.80


def refit_fast_models(wikiweasel: Path, cw_tsv: Path) -> tuple[LinearModel, LinearModel]:
    """The hedge and check-worthiness models fit on the train part of the fold."""
    weasel = folds.wikiweasel_lines(wikiweasel)
    _, cw_rows = folds.checkworthy_rows(cw_tsv)
    split = folds.row_split({"uncertain": len(weasel), "checkworthy": len(cw_rows)})
    texts = [hedges.detokenize(weasel[i][0]) for i in split["uncertain"][0]]
    shipped = hedge_features.model()
    hedge = train(hedge_features.featurize_texts(texts), [bool(weasel[i][1]) for i in split["uncertain"][0]], float(shipped.meta["c"]))
    hedge.meta["product_threshold"] = shipped.meta["product_threshold"]
    rows = [cw_rows[i] for i in split["checkworthy"][0]]
    shipped_cw = cw_features.model()
    claims = train(cw_features.featurize_texts([r["Text"] for r in rows]), [r["class_label"] == "Yes" for r in rows], float(shipped_cw.meta["c"]))
    return hedge, claims


def use_models(hedge: LinearModel, claims: LinearModel) -> None:
    for name in ("fast", "accurate"):
        nlp = pipeline.shared(tier=name)
        nlp.get_pipe("sayso_cues")._use_hedges(hedge)
        nlp.get_pipe("sayso_claims")._use(claims)


def f1(result: dict[str, Any]) -> float:
    return float(result["f1"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("heldout", type=Path)
    ap.add_argument("wikiweasel", type=Path)
    ap.add_argument("checkworthy_train", type=Path)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    hedge, claims = refit_fast_models(args.wikiweasel, args.checkworthy_train)
    print(f"refit on the train part: hedges threshold {hedge.threshold:.3f}, claims threshold {claims.threshold:.3f}", flush=True)
    use_models(hedge, claims)
    encoder = pipeline.shared(tier="accurate").get_pipe("sayso_encoder")
    config = encoder.encoder.config
    combine: dict[str, Any] = dict(config.get("combine", {}))
    config["combine"] = combine
    thresholds = encoder.encoder.thresholds
    figures: dict[str, Any] = {}

    def scored(key: str, result: dict[str, Any]) -> float:
        figures[key] = {k: result[k] for k in ("precision", "recall", "f1")}
        print(f"{key}: P {result['precision']:.1f} R {result['recall']:.1f} F1 {result['f1']:.2f}", flush=True)
        return f1(result)

    # uncertain sentences
    pos, neg = args.heldout / "uncertain.txt", args.heldout / "certain.txt"
    tier.set_default("fast")
    best = (scored("uncertain fast", hedges.evaluate(pos, neg)), "fast", thresholds["uncertain"])
    tier.set_default("accurate")
    for mode in ("either", "encoder"):  # never "gate": the encoder must not veto a lexicon hedge
        combine["uncertain"] = mode
        for t in UNCERTAIN_GRID:
            thresholds["uncertain"] = t
            best = max(best, (scored(f"uncertain {mode} {t}", hedges.evaluate(pos, neg)), mode, t))
    combine["uncertain"], thresholds["uncertain"] = best[1], best[2]
    print(f"chosen uncertain: {best}", flush=True)
    uncertain_before = best[0]

    # check-worthy sentences: one product run per mode with every threshold at 0, so that the
    # claims hold every sentence with its score; a text is check-worthy at threshold t when a claim
    # scores t or more (exactly what the product decides at t)
    records = checkworthy.read_tsv(args.heldout / "checkworthy.tsv")
    claims_pipe = pipeline.shared(tier="fast").get_pipe("sayso_claims")
    fast_threshold = claims_pipe.threshold
    encoder_alone = thresholds["checkworthy"]  # the encoder's own, chosen when it was trained
    best = (-1.0, "fast", fast_threshold)
    for mode in ("fast", "encoder", "mean"):
        tier.set_default("fast" if mode == "fast" else "accurate")
        combine["checkworthy"], combine["checkworthy_threshold"] = mode, 0.0
        thresholds["checkworthy"] = 0.0
        claims_pipe.threshold = 0.0
        run = runtime.analyze(Article(t, id=str(i)) for i, t in enumerate(records.texts))
        top = [max((c.score for c in run.reports[str(i)].claims), default=-1.0) if str(i) in run.reports else -1.0 for i in range(len(records.texts))]
        grid = [fast_threshold] if mode == "fast" else CHECKWORTHY_GRID
        for t in grid:
            score = PRFScore.of(records.labels, [s >= t for s in top])
            result = {**score.percent(2)}
            best = max(best, (scored(f"checkworthy {mode} {t:.2f}", result), mode, t))
    claims_pipe.threshold = fast_threshold
    combine["checkworthy"] = best[1]
    thresholds["checkworthy"] = best[2] if best[1] == "encoder" else encoder_alone
    if best[1] == "mean":
        combine["checkworthy_threshold"] = best[2]
    else:
        combine.pop("checkworthy_threshold", None)
    print(f"chosen checkworthy: {best}", flush=True)

    # attribution: the tagger's spans or the encoder's; sourceless attributions kept only where the
    # encoder tags their cue too ("cue_check"), judged on uncertain sentences and on attribution
    def attribution_f1(key: str) -> dict[str, float]:
        result, _ = attribution.run(args.heldout / "polnear")
        figures[key] = {p: result["exact"][p] for p in ROLES}
        print(f"{key}: " + attribution.format_table(result), flush=True)
        return {p: result["exact"][p]["f1"] for p in ROLES}

    def attribution_mean(key: str) -> float:
        return sum(attribution_f1(key).values()) / 3

    tier.set_default("accurate")
    combine["spans"], combine["cue_check"] = False, False
    tagger = attribution_mean("spans tagger (trained on these texts)")
    combine["cue_check"] = True
    checked = attribution_mean("spans tagger, cue_check")
    uncertain_checked = scored("uncertain with cue_check", hedges.evaluate(pos, neg))
    combine["cue_check"] = checked >= tagger and uncertain_checked > uncertain_before
    print(f"chosen cue_check: {combine['cue_check']} (attribution {tagger:.2f} -> {checked:.2f}, uncertain {uncertain_before:.2f} -> {uncertain_checked:.2f})", flush=True)
    # spans per role: the encoder's where they beat the tagger's (scored on texts it was trained
    # on) even so; the chosen mix is scored once more, as the product runs it
    combine["spans"] = list(ROLES)
    encoder_spans = attribution_f1("spans encoder")
    tagger_spans = {p: figures["spans tagger (trained on these texts)"][p]["f1"] for p in ROLES}
    combine["spans"] = [p for p in ROLES if encoder_spans[p] > tagger_spans[p]]
    if combine["spans"] and len(combine["spans"]) < len(ROLES):
        mixed = attribution_mean(f"spans encoder for {', '.join(combine['spans'])}, tagger for the rest")
        if mixed <= max(tagger, checked):
            combine["spans"] = []
    print(f"chosen spans from the encoder: {combine['spans'] or 'none (the tagger for every role)'}", flush=True)

    if args.write:
        path = MODEL_DIR / "config.json"
        saved = json.loads(path.read_text(encoding="utf-8"))
        saved["combine"] = combine
        saved["thresholds"] = dict(thresholds)
        saved["selection"] = {
            "command": "python training/encoder/choose.py HELDOUT_DIR WIKIWEASEL_DIR CHECKWORTHY_TRAIN.tsv --write",
            "held_out": "folds.py's fold of train; fast-tier linear models refit on the rest",
            "figures": figures,
        }
        path.write_text(json.dumps(saved, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
