"""The cost of the batch workers' per-component timing: in one process, alternately, the analyzer
over the plain pipeline and over `sayso.batch.work.TimedPipeline`, on the same texts in chunks of 16.

    python bench/bench_timed_pipeline.py ../shared/data/polnear/train/text --limit 30

Prints the CPU seconds of each round, the ratio timed/plain, and whether the reports are identical.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import cast

from spacy.language import Language

from sayso import pipeline
from sayso.analyzer import Analyzer, Article
from sayso.batch import readers
from sayso.batch.work import TimedPipeline, to_article


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, help="A folder, JSONL or WARC (as `sayso batch` reads).")
    ap.add_argument("--limit", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args()
    arts: list[Article] = []
    for rec in readers.read(args.data):
        arts.append(to_article(rec))
        if len(arts) >= args.limit:
            break
    nlp = pipeline.shared()
    plain, timed = Analyzer(nlp), Analyzer(cast(Language, TimedPipeline(nlp)))

    def run(analyzer: Analyzer) -> float:
        c0 = time.process_time()
        for i in range(0, len(arts), 16):
            list(analyzer.pipe(arts[i : i + 16], batch_size=16))
        return time.process_time() - c0

    run(plain), run(timed)  # warm
    spent: dict[str, list[float]] = {"plain": [], "timed": []}
    for rnd in range(args.rounds):
        order = [("plain", plain), ("timed", timed)]
        for name, analyzer in order if rnd % 2 == 0 else order[::-1]:
            spent[name].append(run(analyzer))
    print({k: [round(x, 2) for x in v] for k, v in spent.items()}, "CPU s")
    print(f"sum ratio timed/plain {sum(spent['timed']) / sum(spent['plain']):.3f}")
    same = [json.dumps(r, sort_keys=True) for r in plain.pipe(arts)] == [
        json.dumps(r, sort_keys=True) for r in timed.pipe(arts)
    ]
    print("identical reports:", same)


if __name__ == "__main__":
    main()
