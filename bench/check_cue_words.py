"""Counts the hedge and weasel cues of `sayso batch` reports that are function words (issue 19's
check: a cue a reader sees is a word that can carry doubt, or the explicit ``model`` kind).

    sayso batch ../shared/data/polnear/dev/text --out dev.jsonl --fast
    python bench/check_cue_words.py dev.jsonl

Exits 1 when any such cue is found, printing the commonest.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from sayso.lexicon import doubt
from sayso.report_model import UNCERTAIN_CUE_KINDS


def count(path: Path) -> tuple[int, Counter[str]]:
    """(hedge and weasel cues shown, function words among them) of one reports file."""
    shown, bad = 0, Counter[str]()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            report = json.loads(line)
            for sentence in report.get("sentences", []):  # error records have none
                for cue in sentence["cues"]:
                    if cue["kind"] in UNCERTAIN_CUE_KINDS and cue["kind"] != doubt.MODEL_KIND:
                        shown += 1
                        if doubt.is_function_word(cue["text"]):
                            bad[cue["text"]] += 1
    return shown, bad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("reports", type=Path, nargs="+", help="JSONL files written by sayso batch")
    args = ap.parse_args()
    failed = False
    for path in args.reports:
        shown, bad = count(path)
        print(f"{path}: {shown} hedge and weasel cues, {sum(bad.values())} function words {bad.most_common(8)}")
        failed |= bool(bad)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
