"""One person across articles on ECB+: B³ over the annotators' listed mentions (persons.jsonl).

The product path: ``docs.jsonl`` → ``sayso batch --db`` → the corpus ids ``sayso stories`` gives.
A listed mention is linked through the entity whose mention overlaps it (the largest overlap);
its predicted cluster is that entity's ``corpus_id``; a mention no entity covers is a singleton.
Beside it, the same-surname baseline: a mention that is a capitalised name is clustered by its last
word across the corpus, every other mention (pronoun, description) stands alone.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb

from sayso.corpus import build
from sayso.eval.clusters import b_cubed
from sayso.eval.store_run import batch_store
from sayso.eval.stories import load


def load_mentions(directory: Path) -> list[dict[str, Any]]:
    path = directory / "persons.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{directory} has no persons.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def surname_baseline(mentions: list[dict[str, Any]]) -> dict[int, Any]:
    out: dict[int, Any] = {}
    for k, m in enumerate(mentions):
        words = re.findall(r"[\w'’.-]+", m["text"])
        if words and all(w[:1].isupper() for w in words) and m["text"].lower() not in {"he", "she", "i"}:
            out[k] = ("surname", words[-1].lower())
    return out


def _predicted(mentions: list[dict[str, Any]], found: list[tuple]) -> dict[int, Any]:
    """Listed mention -> corpus id of the span that overlaps it most."""
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for art, s, e, cid in found:
        spans[art].append((s, e, cid))
    predicted: dict[int, Any] = {}
    for k, m in enumerate(mentions):
        best = max(
            ((min(e, m["end"]) - max(s, m["start"]), cid) for s, e, cid in spans.get(m["doc"], []) if s < m["end"] and m["start"] < e),
            default=None,
        )
        if best is not None:
            predicted[k] = best[1]
    return predicted


def evaluate(directory: Path, db: Path | None = None) -> dict[str, Any]:
    docs = load(directory)
    mentions = load_mentions(directory)
    gold = {k: m["chain"] for k, m in enumerate(mentions)}
    with batch_store([{"id": d["id"], "text": d["text"], "url": d.get("url")} for d in docs], db) as path:
        con = duckdb.connect(str(path))
        try:
            build.ensure(con)
            found = con.execute(
                "SELECT m.article_id, m.start, m.\"end\", e.corpus_id FROM mentions m "
                "JOIN entities e ON e.article_id = m.article_id AND e.entity_id = m.entity_id"
            ).fetchall()
            described = con.execute('SELECT article_id, start, "end", corpus_id FROM description_links').fetchall()
        finally:
            con.close()
    predicted = _predicted(mentions, found)
    covered = len(predicted)
    for k, cid in _predicted(mentions, described).items():
        predicted.setdefault(k, cid)
    return {
        "mentions": len(mentions),
        "chains": len(set(gold.values())),
        "covered": covered,
        "described": len(predicted) - covered,
        "sayso": b_cubed(predicted, gold),
        "same_surname": b_cubed(surname_baseline(mentions), gold),
    }


def summary(result: dict[str, Any]) -> list[str]:
    out = [
        f"mentions {result['mentions']}  chains {result['chains']}  covered by an entity {result['covered']}"
        f"  by a linked description or pronoun {result['described']}"
    ]
    for name in ("sayso", "same_surname"):
        r = result[name]
        out.append(f"{name:14s} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}")
    return out
