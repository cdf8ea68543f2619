"""Reports of the accurate tier with attribution taking the encoder's spans (not the shipped
setting), for the error table of training/README.md:

    python training/encoder/predict_spans.py /tmp/heldout/polnear/text /tmp/ho-encspans.jsonl [MODEL_DIR]
    sayso eval attribution /tmp/heldout/polnear --reports /tmp/ho-encspans.jsonl --errors
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sayso import pipeline
from sayso.analyzer import Analyzer, Article


def main() -> None:
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    nlp = pipeline.build(tier="accurate")
    # MODEL_DIR: a candidate model folder (export_onnx.py's output) in place of the shipped one
    config = {"spans": True, **({"model_dir": sys.argv[3]} if len(sys.argv) == 4 else {})}
    nlp.replace_pipe("sayso_encoder", "sayso_encoder", config=config)
    analyzer = Analyzer(nlp)
    articles = [Article(p.read_text(encoding="utf-8"), id=p.stem) for p in sorted(folder.glob("*.txt"))]
    with out.open("w", encoding="utf-8") as f:
        for report in analyzer.pipe(articles):
            f.write(json.dumps(report, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
