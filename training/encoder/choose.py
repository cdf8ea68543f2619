"""Chooses how the accurate tier combines the encoder with the fast tier, on the held-out fold of
TRAIN (``folds.py``), through the product itself (``sayso.eval``'s product path). Dev is not read.

The fast tier's two linear models were fit on all of train, so the fold is not held out from them:
here they are refit on the other nine tenths with their shipped settings first, and both tiers are
scored with those. The attribution tagger cannot be refit in the time this takes (about 35 minutes),
so on attribution spans the tagger is scored on texts it was trained on: the encoder's spans are
taken only if they beat it even so.

Grids (every figure is printed):
- uncertain sentences: the fast tier; the encoder beside the fast hedge model ("either") or in its
  place ("encoder"), at each encoder threshold;
- check-worthy sentences: the fast tier; the encoder alone; the mean of both probabilities
  ("mean"), at each threshold;
- attribution spans: the tagger's or the encoder's (exact-span F1, mean of source, cue, content).

usage: .venv/bin/python training/encoder/choose.py HELDOUT_DIR WIKIWEASEL_DIR CHECKWORTHY_TRAIN.tsv [--write]
(HELDOUT_DIR is what folds.py wrote; --write puts the choice into src/sayso/models/encoder/config.json)
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

import folds

from sayso import pipeline
from sayso.classifiers import checkworthy as cw_features
from sayso.classifiers import hedges as hedge_features
from sayso.classifiers.linear import LinearModel, train
from sayso.encoder import MODEL_DIR, tier
from sayso.eval import attribution, checkworthy, hedges

UNCERTAIN_GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
CHECKWORTHY_GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def refit_fast_models(wikiweasel: Path, cw_tsv: Path) -> tuple[LinearModel, LinearModel]:
    """The hedge and check-worthiness models fit on the train part of the fold."""
    weasel = folds.wikiweasel_lines(wikiweasel)
    with cw_tsv.open(encoding="utf-8", newline="") as fh:
        cw_rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
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
    for mode in ("either", "encoder"):
        combine["uncertain"] = mode
        for t in UNCERTAIN_GRID:
            thresholds["uncertain"] = t
            best = max(best, (scored(f"uncertain {mode} {t}", hedges.evaluate(pos, neg)), mode, t))
    combine["uncertain"], thresholds["uncertain"] = best[1], best[2]
    print(f"chosen uncertain: {best}", flush=True)

    # check-worthy sentences
    tsv = args.heldout / "checkworthy.tsv"
    encoder_alone = thresholds["checkworthy"]  # the encoder's own, chosen when it was trained
    tier.set_default("fast")
    best = (scored("checkworthy fast", checkworthy.evaluate(tsv)), "fast", 0.0)
    tier.set_default("accurate")
    for mode in ("encoder", "mean"):
        combine["checkworthy"] = mode
        for t in CHECKWORTHY_GRID:
            thresholds["checkworthy"] = t
            combine["checkworthy_threshold"] = t
            best = max(best, (scored(f"checkworthy {mode} {t}", checkworthy.evaluate(tsv)), mode, t))
    combine["checkworthy"] = best[1]
    thresholds["checkworthy"] = best[2] if best[1] == "encoder" else encoder_alone
    if best[1] == "mean":
        combine["checkworthy_threshold"] = best[2]
    else:
        combine.pop("checkworthy_threshold", None)
    print(f"chosen checkworthy: {best}", flush=True)

    # attribution spans
    spans = {}
    for use in (False, True):
        encoder.configured_spans = use
        result, _ = attribution.run(args.heldout / "polnear")
        spans[use] = sum(result["exact"][p]["f1"] for p in ("source", "cue", "content")) / 3
        figures[f"spans {'encoder' if use else 'tagger (trained on these texts)'}"] = {p: result["exact"][p] for p in ("source", "cue", "content")}
        print(f"spans {'encoder' if use else 'tagger'}: " + attribution.format_table(result), flush=True)
    encoder.configured_spans = None
    combine["spans"] = spans[True] > spans[False]
    print(f"chosen spans: {'encoder' if combine['spans'] else 'tagger'}", flush=True)

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
