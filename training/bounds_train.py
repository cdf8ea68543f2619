"""Learns the span-boundary table of ``sayso.components.attribution_bounds`` from PolNeAR train.

Input: what ``sayso batch`` reports over the train texts (the product path) and the train split's
brat annotations (every annotator's copy). Each predicted source/content span is paired with the
gold span of the same role that overlaps it most; along the way from the predicted edge to the gold
edge (at most ``MAX_STEPS`` tokens) each edge state (its key) is counted with the move that brings it
closer: in, out, or keep. A key becomes a rule when one move other than keep has at least ``n``
cases, a share of at least ``rate``, and more cases than either other move; (``rate``, ``n``) are chosen by 5-fold cross-validation over
texts on train, scored by the spans that match gold exactly. Dev is never read.

    PYTHONPATH=src python training/bounds_train.py /tmp/train.jsonl ../shared/data/polnear/train \
        --out src/sayso/models/attribution/bounds.json
where /tmp/train.jsonl comes from
    PYTHONPATH=src sayso batch ../shared/data/polnear/train/text --out /tmp/train.jsonl -p 1
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

import spacy

from sayso.basemodel import MODEL
from sayso.components.attribution_bounds import IN, MAX_STEPS, OUT, Key, Table, adjust, edge_key, parse_table, words

RATES = (0.5, 0.6, 0.7, 0.8, 0.9)
COUNTS = (3, 5, 10, 20)
FOLDS = 5
ROLES = ("source", "content")


def brat_spans(ann: Path) -> dict[str, list[tuple[int, int]]]:
    """Gold source and content char spans of one annotator's file (discontinuous parts apart)."""
    out: dict[str, list[tuple[int, int]]] = {"source": [], "content": []}
    for line in ann.read_text(encoding="utf-8").splitlines():
        if not line.startswith("T") or "\t" not in line:
            continue
        _, info, *_ = line.split("\t")
        label, *offs = info.replace(";", " ").split(" ")
        role = label.lower()
        if role in out:
            nums = list(map(int, offs))
            out[role] += list(zip(nums[::2], nums[1::2], strict=True))
    return out


def token_range(doc: spacy.tokens.Doc, start: int, end: int) -> tuple[int, int] | None:
    toks = [t.i for t in doc if start <= t.idx < end and not t.is_space]
    return (toks[0], toks[-1] + 1) if toks else None


def examples(reports: Path, split: Path) -> list[dict]:
    """Per text: its doc (tokens only) and, per role, pairs (predicted token range, gold token range)."""
    nlp = spacy.load(MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter"])
    out = []
    for line in reports.open(encoding="utf-8"):
        rep = json.loads(line)
        if not rep.get("attributions"):
            continue
        stem = Path(str(rep["id"])).name.rsplit(".", 1)[0]
        text = (split / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        doc = nlp.make_doc(text)
        gold: dict[str, list[tuple[int, int]]] = {"source": [], "content": []}
        for ann in sorted((split / "attributions").glob(f"{stem}_*.ann")):
            if ann.stem.rsplit("_", 1)[0] != stem:
                continue
            for role, spans in brat_spans(ann).items():
                gold[role] += spans
        pairs: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
        for att in rep["attributions"]:
            for role in ROLES:
                val = att.get(role)
                for span in val if isinstance(val, list) else [val]:
                    if not span:
                        continue
                    s, e = span["start"], span["end"]
                    best = max(gold[role], key=lambda g, s=s, e=e: min(e, g[1]) - max(s, g[0]), default=None)
                    if best is None or min(e, best[1]) <= max(s, best[0]):
                        continue
                    p, g = token_range(doc, s, e), token_range(doc, *best)
                    if p and g:
                        pairs.append((role, p, g))
        out.append({"doc": doc, "pairs": pairs})
    return out


def count(texts: list[dict]) -> dict[Key, collections.Counter]:
    """Per edge key, how often the gold edge lies in, out, or here (along the oracle path)."""
    counts: dict[Key, collections.Counter] = collections.defaultdict(collections.Counter)
    for t in texts:
        doc = t["doc"]
        idx = words(doc)
        pos = {i: k for k, i in enumerate(idx)}
        for role, p, g in t["pairs"]:
            s, e = pos[p[0]], pos[p[1] - 1]
            gs, ge = pos[g[0]], pos[g[1] - 1]
            if abs(gs - s) <= MAX_STEPS:
                while True:
                    move = IN if gs > s else OUT if gs < s else "keep"
                    counts[edge_key(doc, idx, role, "L", s, e)][move] += 1
                    if move == "keep":
                        break
                    s += 1 if move == IN else -1
            if abs(ge - e) <= MAX_STEPS:
                while True:
                    move = IN if ge < e else OUT if ge > e else "keep"
                    counts[edge_key(doc, idx, role, "R", s, e)][move] += 1
                    if move == "keep":
                        break
                    e += -1 if move == IN else 1
    return counts


def rules(counts: dict[Key, collections.Counter], rate: float, n: int) -> list[dict]:
    out = []
    for key, c in sorted(counts.items()):
        total = sum(c.values())
        move = max((IN, OUT), key=lambda m: c[m])
        # The move must win outright (a tie with keeping the edge, or between in and out, keeps it).
        if c[move] >= n and c[move] / total >= rate and c[move] > max(c["keep"], c[IN if move == OUT else OUT]):
            role, side, inside, outside = key
            out.append({"role": role, "side": side, "inside": inside, "outside": outside, "action": move, "cases": c[move], "of": total})
    return out


def exact(texts: list[dict], table: Table) -> dict[str, list[int]]:
    """Per role: [spans that match gold exactly, spans paired with gold]."""
    res = {role: [0, 0] for role in ROLES}
    for t in texts:
        doc = t["doc"]
        idx = words(doc)
        for role, p, g in t["pairs"]:
            res[role][0] += adjust(doc, p, role, table, idx) == g
            res[role][1] += 1
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("reports", type=Path, help="sayso batch JSONL over the train texts")
    ap.add_argument("split", type=Path, help="PolNeAR train folder (text/, attributions/)")
    ap.add_argument("--out", type=Path, required=True, help="where to write the table (JSON)")
    args = ap.parse_args()
    if not args.reports.is_file() or not (args.split / "attributions").is_dir():
        sys.exit("bounds_train: need a reports JSONL and a PolNeAR split folder with attributions/")
    texts = examples(args.reports, args.split)
    folds = [texts[k::FOLDS] for k in range(FOLDS)]
    cv: dict[str, dict] = {}
    base = exact(texts, {})
    for rate in RATES:
        for n in COUNTS:
            tot = {role: [0, 0] for role in ROLES}
            for k in range(FOLDS):
                train = [t for j, f in enumerate(folds) if j != k for t in f]
                table = parse_table({"rules": rules(count(train), rate, n)})
                for role, (hit, all_) in exact(folds[k], table).items():
                    tot[role][0] += hit
                    tot[role][1] += all_
            cv[f"rate={rate} n={n}"] = {role: round(100 * h / a, 2) for role, (h, a) in tot.items()}
            print(f"rate={rate} n={n}", cv[f"rate={rate} n={n}"], flush=True)
    # Each role's rules touch only its own spans: settings are chosen per role, and a role keeps no
    # rules when no setting beats its spans as found.
    unadjusted = {role: round(100 * h / a, 2) for role, (h, a) in base.items()}
    settings: dict[str, dict] = {}
    table_rules: list[dict] = []
    for role in ROLES:
        best = max(cv, key=lambda k, role=role: cv[k][role])
        if cv[best][role] <= unadjusted[role]:
            settings[role] = {"rules": False, "cv_exact_match_percent": unadjusted[role]}
            continue
        rate, n = float(best.split()[0].split("=")[1]), int(best.split()[1].split("=")[1])
        settings[role] = {"rate": rate, "n": n, "cv_exact_match_percent": cv[best][role]}
        table_rules += [r for r in rules(count(texts), rate, n) if r["role"] == role]
    data = {
        "about": "Edge moves of source/content spans learned from PolNeAR train by training/bounds_train.py",
        "settings": {"max_steps": MAX_STEPS, "chosen_by": f"{FOLDS}-fold CV over train texts", **settings},
        "train_exact_match_percent": {"unadjusted": unadjusted, "pairs": {role: a for role, (_, a) in base.items()}},
        "cv": cv,
        "rules": table_rules,
    }
    args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print("chosen", settings, "unadjusted", unadjusted, "rules", len(table_rules))


if __name__ == "__main__":
    main()
