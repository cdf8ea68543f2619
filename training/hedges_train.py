"""Trains the uncertain-sentence model shipped in src/sayso/models/hedges/ and chooses the threshold
the pipeline uses, by cross-validation on WikiWeasel train only.

    .venv/bin/python training/hedges_train.py ../shared/data/wikiweasel

Reads train_uncertain.txt (positive) and train_certain.txt (negative) with sayso's own reader
(PTB tokenisation undone), fits L2 logistic regression over hashed token and cue-lexicon features
(sayso.classifiers.hedges) and writes NPZ weights plus model.json.

The threshold is chosen on what the product reports (``product_threshold``): every sentence is
analysed once as an article by the whole pipeline with the model off (``Analyzer``: integrity,
language check, the components); a sentence counts as uncertain when one of its sentences is
``hedged`` or ``anonymous`` or has a hedge or weasel cue, or when the model, trained on the other
folds (5-fold), flags one of the sentences the lexicon left unflagged with a word in the outlet's own
voice. The threshold with the best out-of-fold F1 is kept, with that F1 (``product_cv``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from sayso.classifiers import hedges
from sayso.classifiers.linear import LinearModel, scores_of, train
from sayso.eval.hedges import prf, read_sentences

FOLDS = 5


Cands = list[tuple[np.ndarray, np.ndarray, np.ndarray]]  # (features, attribute rows, own-voice mask)


def product_inputs(texts: list[str]) -> tuple[list[bool], list[Cands]]:
    """Per text: uncertain by the pipeline without the model, and the sentences the model scores."""
    from sayso import extensions
    from sayso.analyzer import Analyzer, check_text
    from sayso.errors import InputError
    from sayso.integrity import repair
    from sayso.pipeline import build

    nlp = build()
    cues = nlp.get_pipe("sayso_cues")
    cues.hedges = None  # the model off: what the lexicon and the attributions give alone
    analyzer = Analyzer(nlp)
    ok, docs_in = [], []
    for k, text in enumerate(texts):
        try:
            check_text(text)
        except InputError:
            continue
        ok.append(k)
        docs_in.append(repair(text).text)
    base = [False] * len(texts)
    cands: list[Cands] = [[] for _ in texts]
    for k, doc in zip(ok, analyzer.nlp.pipe(docs_in, batch_size=64), strict=True):
        infos = extensions.sentences(doc) or []
        base[k] = any(i.status in ("hedged", "anonymous") or any(c.kind in ("hedge", "weasel") for c in i.cues) for i in infos)
        cands[k] = [(hedges.features(None, pats, rows), rows, own) for _, _tokens, rows, pats, own in cues.candidates(doc)]
    return base, cands


def flags(m: LinearModel, cands: Cands) -> list[tuple[float, bool]]:
    """(score, has a positive own-voice word) of each candidate sentence."""
    out = []
    for feats, rows, own in cands:
        weights = np.where(own, hedges.token_weights(m, rows), -np.inf)
        out.append((scores_of(m.weights, m.bias, [feats])[0], bool(weights.max() > 0)))
    return out


def product_cv(texts: list[str], gold: list[bool], rows: list[np.ndarray]) -> tuple[float, dict[str, float]]:
    from sklearn.model_selection import StratifiedKFold

    base, cands = product_inputs(texts)
    scored: list[list[tuple[float, bool]]] = [[] for _ in texts]
    for tr, te in StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(rows, gold):
        m = train([rows[i] for i in tr], [gold[i] for i in tr], hedges.C)
        for i in te:
            scored[i] = flags(m, cands[i])
    print("lexicon and attributions alone:", prf(gold, base))
    best = (-1.0, 1.0, {})
    for t in np.arange(0.05, 0.96, 0.025):
        pred = [b or any(s >= t and pos for s, pos in sc) for b, sc in zip(base, scored, strict=True)]
        result = prf(gold, pred)
        if result["f1"] > best[0]:
            best = (result["f1"], float(t), result)
    return best[1], best[2]


def main(folder: Path) -> None:
    pos = read_sentences(folder / "train_uncertain.txt")
    neg = read_sentences(folder / "train_certain.txt")
    texts = pos.texts + neg.texts
    gold = [True] * len(pos.texts) + [False] * len(neg.texts)
    print(f"{len(texts)} sentences ({len(pos.texts)} uncertain); skipped {len(pos.skipped) + len(neg.skipped)} blank lines")
    rows = hedges.featurize_texts(texts)
    threshold, cv = product_cv(texts, gold, rows)
    print(f"product path, {FOLDS}-fold CV on train: threshold {threshold:.3f}: {cv}")
    model = train(rows, gold, hedges.C)
    model.meta.update(
        {
            "task": "uncertain sentence (CoNLL-2010 WikiWeasel)",
            "trained_on": "wikiweasel train_uncertain.txt + train_certain.txt",
            "command": "python training/hedges_train.py DATA/wikiweasel",
            "sentences": len(texts),
            "product_threshold": round(threshold, 3),
            "product_cv": cv,
        }
    )
    model.save(hedges.MODEL_DIR)
    print(f"saved {hedges.MODEL_DIR}: threshold {model.threshold:.3f} (side model), product threshold {threshold:.3f}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/wikiweasel"))
