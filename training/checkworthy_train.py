"""Trains the check-worthiness model shipped in src/sayso/models/checkworthy/.

    .venv/bin/python training/checkworthy_train.py /work/shared/data/checkworthy/train.tsv

Reads the CheckThat! TSV with sayso's reader (CRLF, glued records), fits L2 logistic regression
over hashed token features (sayso.classifiers.checkworthy), picks the threshold by 3-fold
cross-validation on train (dev is left for ``sayso eval checkworthy``), writes NPZ + model.json.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sayso.classifiers import checkworthy
from sayso.classifiers.linear import train
from sayso.eval.checkworthy import read_tsv

C = 0.1


def main(tsv: Path) -> None:
    data = read_tsv(tsv)
    print(f"{len(data.texts)} sentences ({sum(data.labels)} check-worthy); skipped {data.skipped}; repaired {data.repaired}")
    rows = checkworthy.featurize_texts(data.texts)
    model = train(rows, data.labels, C)
    model.meta.update(
        {
            "task": "check-worthy sentence (CheckThat! 2024 English)",
            "trained_on": "checkworthy/train.tsv",
            "command": "python training/checkworthy_train.py DATA/checkworthy/train.tsv",
            "sentences": len(data.texts),
        }
    )
    model.save(checkworthy.MODEL_DIR)
    print(f"saved {checkworthy.MODEL_DIR}: threshold {model.threshold:.3f}, inner CV F1 {model.meta['inner_cv_f1']}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/checkworthy/train.tsv"))
