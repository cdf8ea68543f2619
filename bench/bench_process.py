"""Whole-process speed: `sayso batch DIR --out X --processes 1` against a separate process that loads
the spaCy model and runs `nlp.pipe` over the same texts (the product brief's speed protocol).

    python bench/bench_process.py ../shared/data/polnear/dev/text --rounds 5 [--accurate]
    python bench/bench_process.py /tmp/fr-texts --rounds 5 --language fr   (texts: bench/language_corpus.py)

Each round runs the two commands one after the other (alternating which goes first), each in a fresh
process with everything counted: start-up, model loading, reading, analysis and writing. Prints per
round the wall and CPU seconds of each (CPU: user + system of the child, which is steadier than the
wall clock on a shared machine) and the median ratios, with words/s per process for both.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sayso.basemodel import MODEL

# The brief's bare process: a plain spacy.load and nlp.pipe with default settings, nothing of sayso
# imported (the model's name comes as an argument).
BARE = """
import sys
from pathlib import Path

import spacy
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).rglob("*.txt"))]
nlp = spacy.load(sys.argv[2])
for _ in nlp.pipe(texts):
    pass
"""
# Russian's base pipeline is sayso's own wrapping of natasha's models (sayso.ru), so its bare run
# imports that package and nothing else of sayso's: no sayso component runs.
BARE_RU = """
import sys
from pathlib import Path

from sayso.ru.pipeline import build
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).rglob("*.txt"))]
nlp = build()
for _ in nlp.pipe(texts):
    pass
"""
BASE_MODELS = {"en": MODEL, "fr": "fr_core_news_sm"}


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path, help="a folder of .txt articles")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--accurate", action="store_true", help="run the batch with the accurate tier")
    ap.add_argument("--language", choices=("en", "fr", "ru"), default=None,
                    help="texts in French or Russian: the bare run is that language's base pipeline, the batch gets --language")
    args = ap.parse_args()
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in args.folder.rglob("*.txt"))
    sayso = [str(Path(sys.executable).with_name("sayso"))]  # the console script of this environment
    tier = ["--accurate"] if args.accurate else ["--fast"]
    if args.language:
        tier += ["--language", args.language]
    env_note = f"OMP/BLAS threads: {os.environ.get('OMP_NUM_THREADS', 'default')}"
    print(f"{words} words in {args.folder}; {env_note}; batch tier: {tier[0][2:]}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            out = Path(tmp) / f"out{r}.jsonl"
            batch_cmd = [*sayso, "batch", str(args.folder), "--out", str(out), "--processes", "1", "--no-progress", *tier]
            lang = args.language or "en"
            bare_cmd = [sys.executable, "-c", BARE_RU, str(args.folder)] if lang == "ru" else [sys.executable, "-c", BARE, str(args.folder), BASE_MODELS[lang]]
            if r % 2 == 0:
                bare, batch = timed(bare_cmd), timed(batch_cmd)
            else:
                batch, bare = timed(batch_cmd), timed(bare_cmd)
            rows.append((bare, batch))
            print(
                f"round {r + 1}: bare parse {bare[0]:.1f}s wall / {bare[1]:.1f}s CPU; "
                f"sayso batch {batch[0]:.1f}s wall / {batch[1]:.1f}s CPU; "
                f"ratio {batch[0] / bare[0]:.2f} wall, {batch[1] / bare[1]:.2f} CPU"
            )
    wall = statistics.median(b[0] / a[0] for a, b in rows)
    cpu = statistics.median(b[1] / a[1] for a, b in rows)
    bare_wps = statistics.median(words / a[0] for a, _ in rows)
    batch_wps = statistics.median(words / b[0] for _, b in rows)
    print(f"median ratio: {wall:.2f} wall, {cpu:.2f} CPU; words/s per process: bare {bare_wps:,.0f}, batch {batch_wps:,.0f}")


if __name__ == "__main__":
    main()
