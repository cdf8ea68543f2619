"""The cost of sayso_attribution: wall time of ``nlp.pipe`` over N dev texts with the bare base
model, with the whole sayso pipeline, and with the whole pipeline less sayso_attribution (warm,
one process, best of R runs).

usage: python training/bench_speed.py SPLIT_DIR [N] [R]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import spacy

from sayso import pipeline


def timed(nlp: spacy.Language, texts: list[str], runs: int) -> float:
    list(nlp.pipe(texts[:5]))  # warm
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        for _doc in nlp.pipe(texts):
            pass
        best = min(best, time.perf_counter() - t0)
    return best


def main(split: str, n: int = 50, runs: int = 3) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(split, "text").glob("*.txt"))[:n]]
    words = sum(len(t.split()) for t in texts)
    bare = timed(spacy.load(pipeline.MODEL), texts, runs)
    full_nlp = pipeline.build()
    full = timed(full_nlp, texts, runs)
    with full_nlp.select_pipes(disable=["sayso_attribution"]):
        without = timed(full_nlp, texts, runs)
    only_nlp = spacy.load(pipeline.MODEL)
    only_nlp.add_pipe("sayso_linebreaks", before="parser")
    only_nlp.add_pipe("sayso_attribution")
    attr_only = timed(only_nlp, texts, runs)
    print(f"{len(texts)} texts, {words} words, best of {runs}")
    print(f"bare {pipeline.MODEL}:              {bare:6.2f}s  {words / bare:7.0f} words/s")
    print(f"base + sayso_attribution only:      {attr_only:6.2f}s  x{attr_only / bare:.3f} of bare")
    print(f"full sayso pipeline:                {full:6.2f}s  x{full / bare:.3f} of bare")
    print(f"full pipeline less attribution:     {without:6.2f}s  (attribution adds {full - without:.2f}s = {(full - without) / bare:.1%} of bare)")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0], int(args[1]) if len(args) > 1 else 50, int(args[2]) if len(args) > 2 else 3)
