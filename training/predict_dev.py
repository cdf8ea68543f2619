"""Writes sayso's attributions for every text of a brat folder as JSONL (one report a line: "id" =
the text's file stem, "attributions" with char offsets into the text as read), the input of
``../shared/tools/score_cofenet.py``. Each text is analysed once; the attribution component then
runs in each asked-for variant (tagger and rules, tagger alone, rules alone), one file each.

usage: python training/predict_dev.py SPLIT_DIR OUT_PREFIX [--model DIR] [--variants both,tagger,rules] [--accurate]
(--accurate: the encoder's spans in place of the tagger's: "tagger" is then the encoder alone)
       -> OUT_PREFIX.both.jsonl, ...
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import spacy

from sayso import pipeline, report
from sayso.analyzer import Analyzer, Article
from sayso.components.attribution import MODEL_DIR, AttributionComponent

# tagger, rules, rules add attributions the tagger missed, rules fill a tagged cue's source/content
VARIANTS = {
    "both": (True, True, True, True),
    "tagger": (True, False, False, False),
    "rules": (False, True, True, True),
    "add": (True, True, True, False),
    "fill": (True, True, False, True),
}


def main(split: str, prefix: str, model_dir: Path = MODEL_DIR, variants: list[str] | None = None, accurate: bool = False) -> None:
    variants = variants or ["both"]
    # Only what attribution spans need: the base model (sayso's other components do not change them).
    nlp = spacy.load(pipeline.MODEL)
    nlp.add_pipe("sayso_linebreaks", before="parser")
    if accurate:  # the accurate tier: the attribution component reads the encoder's spans
        nlp.add_pipe("sayso_encoder", config={"spans": True})
    comps = {v: AttributionComponent(nlp, model_dir, *VARIANTS[v]) for v in variants}
    analyzer = Analyzer(nlp)
    outs = {v: open(f"{prefix}.{v}.jsonl", "w", encoding="utf-8") for v in variants}
    t0 = time.perf_counter()
    paths = sorted(Path(split, "text").glob("*.txt"))
    for path in paths:
        art = Article(path.read_text(encoding="utf-8"), id=path.stem)
        repaired, meta = analyzer._prepare(art)
        doc = nlp(repaired.text)
        for v, comp in comps.items():
            comp(doc)
            rep = report.build(doc, repaired, path.stem, meta)
            outs[v].write(json.dumps({"id": path.stem, "attributions": rep.to_dict()["attributions"]}, ensure_ascii=False) + "\n")
    for fh in outs.values():
        fh.close()
    print(f"{len(paths)} texts in {time.perf_counter() - t0:.1f}s -> {prefix}.*.jsonl", file=sys.stderr)


if __name__ == "__main__":
    args = sys.argv[1:]
    model = Path(args[args.index("--model") + 1]) if "--model" in args else MODEL_DIR
    chosen = args[args.index("--variants") + 1].split(",") if "--variants" in args else None
    main(args[0], args[1], model, chosen, "--accurate" in args)
