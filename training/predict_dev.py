"""Writes sayso's attributions for every text of a brat folder as JSONL (one report a line: "id" =
the text's file stem, "attributions" with char offsets into the text as read), the input of
``/work/shared/tools/score_cofenet.py``.

usage: python training/predict_dev.py SPLIT_DIR OUT.jsonl [--no-tagger] [--no-rules]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from sayso import pipeline
from sayso.analyzer import Analyzer, Article


def main(split: str, out: str, tagger: bool = True, rules: bool = True) -> None:
    nlp = pipeline.build()
    if not tagger or not rules:
        nlp.replace_pipe("sayso_attribution", "sayso_attribution", config={"tagger": tagger, "rules": rules})
    analyzer = Analyzer(nlp)
    texts = sorted(Path(split, "text").glob("*.txt"))
    arts = [Article(p.read_text(encoding="utf-8"), id=p.stem) for p in texts]
    t0 = time.perf_counter()
    with open(out, "w", encoding="utf-8") as fh:
        for rep in analyzer.pipe(arts):
            if isinstance(rep, Exception):
                print(f"skipped: {rep}", file=sys.stderr)
                continue
            fh.write(json.dumps({"id": rep["id"], "attributions": rep["attributions"]}, ensure_ascii=False) + "\n")
    print(f"{len(arts)} texts in {time.perf_counter() - t0:.1f}s -> {out}", file=sys.stderr)


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0], args[1], "--no-tagger" not in args, "--no-rules" not in args)
