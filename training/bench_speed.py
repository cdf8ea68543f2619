"""The cost of sayso_attribution beside the bare parse: wall time of ``nlp.pipe`` over N dev texts
with the base model (best of R), then the attribution component alone over the parsed docs (best of
R), split into its tagger and its rules. Timing the component on parsed docs keeps the figure
steady on a shared machine, where two whole-pipeline runs differ by more than the component costs.

usage: python training/bench_speed.py SPLIT_DIR [N] [R]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from sayso import pipeline
from sayso.components import attribution_model, attribution_rules
from sayso.components.attribution import AttributionComponent


def best_of(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(split: str, n: int = 50, runs: int = 3) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(split, "text").glob("*.txt"))[:n]]
    words = sum(len(t.split()) for t in texts)
    nlp = spacy.load(pipeline.MODEL)
    nlp.add_pipe("sayso_linebreaks", before="parser")
    list(nlp.pipe(texts[:5]))  # warm
    docs: list = []
    bare = best_of(runs, lambda: docs.__setitem__(slice(None), list(nlp.pipe(texts))))
    comp = AttributionComponent(nlp)
    for doc in docs[:5]:
        comp(doc)  # warm
    whole = best_of(runs, lambda: [comp(doc) for doc in docs])
    batched = best_of(runs, lambda: list(comp.pipe(docs)))
    tagger = best_of(runs, lambda: comp.tag_batch(docs))
    rules = best_of(runs, lambda: [attribution_rules.find(doc) for doc in docs])
    quotes = best_of(runs, lambda: [attribution_model.quote_state(doc) for doc in docs])
    print(f"{len(texts)} texts, {words} words, best of {runs}")
    print(f"bare parse ({pipeline.MODEL} + line breaks): {bare:6.2f}s  {words / bare:7.0f} words/s")
    print(f"sayso_attribution on the parsed docs, 1 by 1: {whole:6.2f}s  = {whole / bare:.1%} of the bare parse")
    print(f"the same, docs in batches (nlp.pipe):       {batched:6.2f}s  = {batched / bare:.1%} of the bare parse")
    print(f"  of which the tagger (batched):            {tagger:6.2f}s  = {tagger / bare:.1%}")
    print(f"  the rules:                                {rules:6.2f}s  = {rules / bare:.1%}")
    print(f"  quote state:                              {quotes:6.2f}s  = {quotes / bare:.1%}")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0], int(args[1]) if len(args) > 1 else 50, int(args[2]) if len(args) > 2 else 3)
