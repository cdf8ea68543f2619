"""PolNeAR texts with their publisher and date as a batch JSONL (so `sayso stats` has outlets and months).

    python bench/polnear_jsonl.py ../shared/data/polnear train > /tmp/polnear-train.jsonl

The output holds the publishers' texts: keep it out of the repository.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from sayso.io.decode import decode


def main() -> None:
    root, split = Path(sys.argv[1]), sys.argv[2]
    with (root / "metadata.tsv").open(encoding="utf-8", newline="") as fh:
        meta = {row["filename"]: row for row in csv.DictReader(fh, delimiter="\t") if row["compartment"] == split}
    for path in sorted((root / split / "text").glob("*.txt")):
        row = meta.get(path.stem, {})
        record = {
            "id": path.stem,
            "text": decode(path.read_bytes(), path.name),  # as `sayso batch` reads the file
            "outlet": row.get("publisher"),
            "published": row.get("publication_date"),
            "title": row.get("title"),
            "author": row.get("author"),
        }
        sys.stdout.write(json.dumps({k: v for k, v in record.items() if v not in (None, "", "None")}) + "\n")


if __name__ == "__main__":
    main()
