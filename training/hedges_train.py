"""Trains the uncertain-sentence model shipped in src/sayso/models/hedges/.

    .venv/bin/python training/hedges_train.py /work/shared/data/wikiweasel

Reads train_uncertain.txt (positive) and train_certain.txt (negative) with sayso's own reader
(PTB tokenisation undone), fits L2 logistic regression over hashed token and cue-lexicon features
(sayso.cues.uncertainty), picks the threshold by inner 3-fold cross-validation, and writes NPZ
weights plus model.json. ``sayso eval hedges POS NEG --cv 5`` measures the same recipe by 5-fold
cross-validation.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sayso.cues import uncertainty
from sayso.cues.linear import train
from sayso.eval.hedges import read_sentences


def main(folder: Path) -> None:
    pos = read_sentences(folder / "train_uncertain.txt")
    neg = read_sentences(folder / "train_certain.txt")
    texts = pos.texts + neg.texts
    gold = [True] * len(pos.texts) + [False] * len(neg.texts)
    print(f"{len(texts)} sentences ({len(pos.texts)} uncertain); skipped {len(pos.skipped) + len(neg.skipped)} blank lines")
    rows = uncertainty.featurize_texts(texts)
    model = train(rows, gold, uncertainty.C)
    model.meta.update(
        {
            "task": "uncertain sentence (CoNLL-2010 WikiWeasel)",
            "trained_on": "wikiweasel train_uncertain.txt + train_certain.txt",
            "command": "python training/hedges_train.py DATA/wikiweasel",
            "sentences": len(texts),
        }
    )
    model.save(uncertainty.MODEL_DIR)
    print(f"saved {uncertainty.MODEL_DIR}: threshold {model.threshold:.3f}, inner CV F1 {model.meta['inner_cv_f1']}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/wikiweasel"))
