"""Stories on ECB+: B³ of ``sayso stories`` against the gold ``story`` (and ``topic``), beside a baseline.

The product path: ``docs.jsonl`` → ``sayso batch --db`` → the grouping ``sayso stories`` runs
(``sayso.corpus.build``). The baseline is the one the issue names: TF-IDF of the articles'
capitalised words and numbers, average linkage at one cosine threshold. Thresholds of both are
chosen by leave-topics-out cross-validation (``folds`` groups of topics; each held-out fold is
grouped with the threshold that scores best on the other folds), and the shipped threshold is
scored once on all topics. For sayso the folds choose the weight of the leads' paraphrase
embeddings (``stories.LEAD_WEIGHT``) together with the threshold. ``shuffles`` reruns the grouping on shuffled article orders.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from sayso.corpus import build, paraphrase, stories
from sayso.corpus.linkage import average_linkage
from sayso.eval.clusters import b_cubed
from sayso.eval.store_run import batch_store
from sayso.store import corpus as store
from sayso.store import embeddings

GRID = (0.1, 0.125, 0.15, 0.175, 0.2, 0.225, 0.25, 0.3)
LEAD_WEIGHTS = (0.0, 0.25, 0.5)
SETTINGS = tuple((w, t) for w in LEAD_WEIGHTS for t in (*GRID, 0.35, 0.4))
_CAPS = re.compile(r"\b(?:[A-Z][\w'’-]*|\d[\d,.]*\d|\d)\b")


def load(directory: Path) -> list[dict[str, Any]]:
    path = directory / "docs.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{directory} has no docs.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


Grouper = Callable[[Sequence[stories.Article], Sequence[Any]], dict[Any, dict[str, int]]]


def lead_vectors(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    """Each original's lead embedding (from the store's cache, or embedded now), for the folds that
    try lead weights; empty where the paraphrase model is not installed."""
    model = paraphrase.default()
    originals = [r for r in rows if r["duplicate_of"] is None]
    if model is None or not originals:
        return {}
    found = embeddings.vectors(con, [stories.lead(r["text"] or "") for r in originals], model)
    return {r["id"]: v for r, v in zip(originals, found, strict=True)}


def ours(arts: Sequence[stories.Article], settings: Sequence[tuple[float, float]]) -> dict[Any, dict[str, int]]:
    """sayso's grouping at each (lead weight, threshold)."""
    originals, copies = stories.split_copies(arts)
    out: dict[Any, dict[str, int]] = {}
    for w in sorted({w for w, _ in settings}):
        ordered, pairs = stories.similarities(originals, lead_weight=w)
        for t in sorted({t for v, t in settings if v == w}):
            out[(w, t)] = _labels(stories.add_copies(stories.group_pairs(ordered, pairs, t), copies))
    return out


def baseline(arts: Sequence[stories.Article], thresholds: Sequence[Any]) -> dict[Any, dict[str, int]]:
    """Capitalised words and numbers, TF-IDF, average linkage over all pairs."""
    ordered = sorted(arts, key=lambda a: a.id)
    x = TfidfVectorizer(analyzer=_CAPS.findall, lowercase=False, sublinear_tf=True).fit_transform([a.text for a in ordered])
    sims = (x @ x.T).tocoo()
    pairs = {(int(i), int(j)): float(v) for i, j, v in zip(sims.row, sims.col, sims.data, strict=True) if i < j}
    ids = [a.id for a in ordered]
    return {t: {ids[k]: g for g, members in enumerate(average_linkage(ids, pairs, t)) for k in members} for t in thresholds}


def _labels(groups: Sequence[Sequence[stories.Article]]) -> dict[str, int]:
    return {a.id: g for g, members in enumerate(groups) for a in members}


def cross_validate(
    arts: list[stories.Article], gold: dict[str, str], topic: dict[str, Any], grouper: Grouper, folds: int, grid: Sequence[Any] = GRID
) -> dict[str, Any]:
    topics = sorted(set(topic.values()), key=str)
    predicted: dict[str, Any] = {}
    chosen = []
    for f in range(folds):
        held = {t for k, t in enumerate(topics) if k % folds == f}
        train = [a for a in arts if topic[a.id] not in held]
        test = [a for a in arts if topic[a.id] in held]
        scored = grouper(train, grid)
        best = max(grid, key=lambda t: (b_cubed(scored[t], {a.id: gold[a.id] for a in train})["f1"], _lower(t)))
        chosen.append(best)
        predicted.update({k: (f, v) for k, v in grouper(test, [best])[best].items()})
    return {"thresholds": chosen, **b_cubed(predicted, gold)}


def _lower(setting: Any) -> Any:
    """Ties go to the smaller setting (weight, then threshold)."""
    return tuple(-x for x in setting) if isinstance(setting, tuple) else -setting


def evaluate(directory: Path, db: Path | None = None, folds: int = 5, shuffles: int = 3) -> dict[str, Any]:
    docs = load(directory)
    gold = {d["id"]: d["story"] for d in docs}
    topic = {d["id"]: d["topic"] for d in docs}
    with batch_store([{"id": d["id"], "text": d["text"], "url": d.get("url")} for d in docs], db) as path:
        con = duckdb.connect(str(path))
        try:
            rows = build.ensure(con, rebuild=True)
            found = store.read_articles(con)
            leads = lead_vectors(con, found)
            arts = [
                stories.Article(
                    id=r["id"], text=r["text"] or "", published=store.as_date(r["published"]), duplicate_of=r["duplicate_of"],
                    lead_vector=leads.get(r["id"]),
                )
                for r in found
            ]
        finally:
            con.close()
    shipped = {a: r["story"] for r in rows for a in r["articles"]}
    result: dict[str, Any] = {
        "articles": len(arts),
        "gold_stories": len(set(gold.values())),
        "stories": len(rows),
        "threshold": stories.THRESHOLD,
        "lead_weight": stories.LEAD_WEIGHT,
        "sayso": b_cubed(shipped, gold),
        "sayso_topic": b_cubed(shipped, topic),
    }
    spread = []
    for seed in range(shuffles):
        order = list(arts)
        random.Random(seed).shuffle(order)
        spread.append(b_cubed(_labels(stories.group(order)), gold)["f1"])
    result["shuffled_f1"] = spread
    base_all = baseline(arts, GRID)
    result["baseline_by_threshold"] = {str(t): round(b_cubed(base_all[t], gold)["f1"], 4) for t in GRID}
    if folds > 1:
        result["sayso_cv"] = cross_validate(arts, gold, topic, ours, folds, SETTINGS)
        result["baseline_cv"] = cross_validate(arts, gold, topic, baseline, folds)
        result["sayso_by_setting"] = {f"{w}/{t}": round(b_cubed(v, gold)["f1"], 4) for (w, t), v in ours(arts, SETTINGS).items()}
    return result


def summary(result: dict[str, Any]) -> list[str]:
    def line(name: str, r: dict[str, float]) -> str:
        return f"{name:24s} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}"

    out = [
        f"articles {result['articles']}  gold stories {result['gold_stories']}  sayso stories {result['stories']}  threshold {result['threshold']}  lead weight {result['lead_weight']}",
        line("sayso (story)", result["sayso"]),
        line("sayso (topic)", result["sayso_topic"]),
        "shuffled orders F1: " + ", ".join(f"{f:.3f}" for f in result["shuffled_f1"]),
    ]
    if "sayso_cv" in result:
        for name in ("sayso_cv", "baseline_cv"):
            out.append(line(name.replace("_cv", " (leave-topics-out)"), result[name]) + f"  thresholds {result[name]['thresholds']}")
        out.append("sayso by lead weight/threshold: " + json.dumps(result["sayso_by_setting"]))
    out.append("baseline by threshold: " + json.dumps(result["baseline_by_threshold"]))
    return out
