"""Trains the check-worthiness model shipped in src/sayso/models/checkworthy/.

    .venv/bin/python training/checkworthy_train.py ../shared/data/checkworthy/train.tsv

Reads the CheckThat! TSV with sayso's reader (CRLF, glued records; it says what it skipped or
repaired), and featurizes each text with the tokens' attributes the claims component uses
(sayso.classifiers.checkworthy). The setting (the L2 strength C) is chosen by 5-fold cross-validation on
train alone: each outer fold is predicted by a model fit on the other four, with the threshold that
model chose by its own inner 3-fold cross-validation, so the figure of each setting includes its
threshold choice. The chosen setting is then fit on all of train (threshold again by inner 3-fold
CV) and written with every setting's CV figures into model.json. Dev is not read here: it is
scored once, by ``sayso eval checkworthy DATA/checkworthy/dev.tsv``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sayso.classifiers import checkworthy
from sayso.classifiers.linear import scores_of, train
from sayso.eval.checkworthy import read_tsv
from sayso.prf import PRFScore

GRID = (0.03, 0.1, 0.3)  # C=1.0 was not finished in the time the run had (the trend fell from 0.1 on)
FOLDS = 5
SEED = 0


def cross_validate(rows: list, gold: list[bool], c: float) -> PRFScore:
    """Out-of-fold decisions of the whole recipe (fit + inner-CV threshold) with L2 strength ``c``."""
    from sklearn.model_selection import StratifiedKFold

    pred = [False] * len(rows)
    for tr, te in StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(rows, gold):
        m = train([rows[i] for i in tr], [gold[i] for i in tr], c)
        for i, s in zip(te, scores_of(m.weights, m.bias, [rows[i] for i in te]), strict=True):
            pred[i] = s >= m.threshold
    return PRFScore.of(gold, pred)


def main(tsv: Path, measured: dict[str, dict[str, float]] | None = None) -> None:
    """``measured``: CV figures of every setting of GRID from an earlier run of this same script
    (deterministic: same folds, same seeds), so that only the final fit runs."""
    data = read_tsv(tsv)
    print(f"{len(data.texts)} sentences ({sum(data.labels)} check-worthy)")
    for line in data.repaired:
        print(f"repaired {line}")
    for line in data.skipped:
        print(f"skipped {line}")
    t0 = time.perf_counter()
    rows = checkworthy.featurize_texts(data.texts)
    print(f"featurized in {time.perf_counter() - t0:.0f}s")
    cv: dict[str, dict[str, float]] = dict(measured or {})
    for c in (c for c in GRID if str(c) not in cv):
        t0 = time.perf_counter()
        score = cross_validate(rows, data.labels, c)
        cv[str(c)] = score.percent(2)
        print(f"C={c}: {FOLDS}-fold CV on train P {score.precision:.3f} R {score.recall:.3f} F1 {score.fscore:.3f} ({time.perf_counter() - t0:.0f}s)", flush=True)
    best = max(GRID, key=lambda c: cv[str(c)]["f1"])
    model = train(rows, data.labels, best)
    model.meta.update(
        {
            "task": "check-worthy sentence (CheckThat! 2024 English)",
            "trained_on": "checkworthy/train.tsv",
            "command": "python training/checkworthy_train.py DATA/checkworthy/train.tsv",
            "sentences": len(data.texts),
            "chosen_by": f"{FOLDS}-fold cross-validation on train (seed {SEED}), threshold by inner 3-fold CV; dev not used",
            "cv_f1_by_c": cv,
            "chosen_c": best,
        }
    )
    model.save(checkworthy.MODEL_DIR)
    print(f"chose C={best}; saved {checkworthy.MODEL_DIR}: threshold {model.threshold:.3f}, inner CV F1 {model.meta['inner_cv_f1']}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: checkworthy_train.py TRAIN.tsv")
    main(Path(sys.argv[1]))
