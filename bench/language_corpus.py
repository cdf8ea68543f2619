"""A folder of .txt articles for the per-language speed benchmark, made from annotated paragraphs:
each article is every paragraph of the file once, in a shuffled order (seeded), so the texts differ
while holding the same words.

    python bench/language_corpus.py annotations/news-fr-dev.jsonl /tmp/fr-texts --copies 30
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("annotations", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--copies", type=int, default=30)
    args = ap.parse_args()
    paragraphs = [json.loads(line)["text"] for line in args.annotations.read_text(encoding="utf-8").splitlines() if line.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    for k in range(args.copies):
        order = paragraphs[:]
        rng.shuffle(order)
        (args.out / f"{k:03d}.txt").write_text("\n\n".join(order) + "\n", encoding="utf-8")
    print(f"{args.copies} texts, {sum(len(p.split()) for p in paragraphs) * args.copies} words in {args.out}")


if __name__ == "__main__":
    main()
