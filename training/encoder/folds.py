"""The held-out fold of TRAIN (one home: ``train.py`` splits by it, and this script writes it out so
that the product itself can be scored on it). Dev is never in it.

- PolNeAR: the texts whose id has crc32 % 10 == 0 (95 of 840);
- WikiWeasel and check-worthiness: the first tenth of each task's rows after one seeded shuffle
  (``random.Random(0)``, WikiWeasel first, then check-worthiness, as ``train.py`` draws them).

usage: python training/encoder/folds.py POLNEAR_TRAIN WIKIWEASEL_DIR CHECKWORTHY_TRAIN.tsv OUT_DIR
-> OUT_DIR/polnear/{text,attributions}/ (links to the held-out texts), OUT_DIR/uncertain.txt and
   OUT_DIR/certain.txt (WikiWeasel lines as published), OUT_DIR/checkworthy.tsv
"""

from __future__ import annotations

import csv
import random
import sys
import zlib
from pathlib import Path

SEED = 0
WIKIWEASEL_FILES = (("train_certain.txt", 0), ("train_uncertain.txt", 1))  # the order export_data.py writes


def polnear_held(doc_id: str) -> bool:
    return zlib.crc32(doc_id.encode()) % 10 == 0


def row_split(sizes: dict[str, int], seed: int = SEED) -> dict[str, tuple[list[int], list[int]]]:
    """{task: (train row indices, held-out row indices)}, tasks drawn in the order given."""
    rng = random.Random(seed)
    out = {}
    for task, n in sizes.items():
        order = list(range(n))
        rng.shuffle(order)
        out[task] = (order[n // 10 :], order[: n // 10])
    return out


def wikiweasel_lines(folder: Path) -> list[tuple[str, int]]:
    """(line as published, label) of every non-blank line, in export_data.py's order."""
    return [
        (line, label)
        for name, label in WIKIWEASEL_FILES
        for line in (folder / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def checkworthy_rows(tsv: Path) -> tuple[list[str], list[dict[str, str]]]:
    """(field names, rows) of a CheckThat! TSV, as export_data.py reads it."""
    with tsv.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        return list(reader.fieldnames or []), list(reader)


def main(polnear: str, wikiweasel: str, checkworthy: str, out_dir: str) -> None:
    out = Path(out_dir)
    src = Path(polnear)
    for sub in ("text", "attributions"):
        (out / "polnear" / sub).mkdir(parents=True, exist_ok=True)
    texts = [t for t in sorted((src / "text").glob("*.txt")) if polnear_held(t.stem)]
    for txt in texts:
        (out / "polnear" / "text" / txt.name).unlink(missing_ok=True)
        (out / "polnear" / "text" / txt.name).symlink_to(txt.resolve())
        for ann in (src / "attributions").glob(f"{txt.stem}*.ann"):
            (out / "polnear" / "attributions" / ann.name).unlink(missing_ok=True)
            (out / "polnear" / "attributions" / ann.name).symlink_to(ann.resolve())
    weasel = wikiweasel_lines(Path(wikiweasel))
    fields, cw_rows = checkworthy_rows(Path(checkworthy))
    split = row_split({"uncertain": len(weasel), "checkworthy": len(cw_rows)})
    held = [weasel[i] for i in split["uncertain"][1]]
    for name, label in (("certain.txt", 0), ("uncertain.txt", 1)):
        (out / name).write_text("".join(line + "\n" for line, lab in held if lab == label), encoding="utf-8")
    with (out / "checkworthy.tsv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n")
        writer.writeheader()
        writer.writerows(cw_rows[i] for i in split["checkworthy"][1])
    print(f"held out: {len(texts)} PolNeAR texts, {len(held)} WikiWeasel sentences, {len(split['checkworthy'][1])} check-worthiness sentences", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
