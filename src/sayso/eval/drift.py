"""Hedge drift on story groups (drift/dev.jsonl): claim links and their change, against gold links.

The product path: the groups' articles → ``sayso batch --db`` → what ``sayso drift --all`` runs
(stories, then claim links). A predicted link matches a gold link when its two sides overlap the
two gold quotes (either direction). Reported: claim links (any change) P/R/F1, and hardened/softened
links P/R/F1 (a predicted hardened or softened link is right when it matches a gold link with that
same change). Gold lists only the claims each group was built around, so a predicted link whose
two sentences hold no gold quote is reported apart (``unlisted``) and scored both ways: ``strict``
counts it as wrong, ``listed`` leaves it out. ``folds`` > 1 also chooses the link threshold and the
weight of the paraphrase embeddings by leave-groups-out cross-validation (on each fold's other
groups, the setting with the best sum of listed claim-link F1 and hardened/softened F1).
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from sayso.corpus import build, claims, crossclaims
from sayso.eval.store_run import batch_store

GRID = (0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
WEIGHTS = (0.0, 0.25, 0.5, 0.75)
SETTINGS = tuple((w, t) for w in WEIGHTS for t in GRID)
CHANGES = {"hardened", "softened"}


def load(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    groups = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for g in groups:
        if "articles" not in g or "links" not in g:
            raise ValueError(f"{path}: a line without articles or links")
    return groups


def _gold(groups: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    text = {a["id"]: a["text"] for g in groups for a in g["articles"]}
    out = []
    for g in groups:
        for link in g["links"]:
            a, b = text[link["a"]].find(link["a_quote"]), text[link["b"]].find(link["b_quote"])
            out.append({
                "group": g["story"], "a": (link["a"], a, a + len(link["a_quote"])), "b": (link["b"], b, b + len(link["b_quote"])),
                "change": "same" if link["drift"] == "none" else link["drift"],
            })
    return out


def _overlaps(side: dict[str, Any], span: tuple[str, int, int]) -> bool:
    return side["article"] == span[0] and side["start"] < span[2] and span[1] < side["end"]


def score(links: Sequence[dict[str, Any]], gold: Sequence[dict[str, Any]], groups: set[str] | None = None) -> dict[str, Any]:
    group_of = lambda article: article.rsplit("-", 1)[0]  # noqa: E731 - ids are GROUP-x in this data
    if groups is not None:
        links = [x for x in links if group_of(x["from"]["article"]) in groups]
        gold = [g for g in gold if g["group"] in groups]
    quotes = [g[k] for g in gold for k in ("a", "b")]
    matched: list[tuple[dict, dict | None]] = []
    for x in links:
        hit = next(
            (g for g in gold if (_overlaps(x["from"], g["a"]) and _overlaps(x["to"], g["b"])) or (_overlaps(x["from"], g["b"]) and _overlaps(x["to"], g["a"]))),
            None,
        )
        matched.append((x, hit))
    unlisted = [x for x, hit in matched if hit is None and not any(_overlaps(x[s], q) for s in ("from", "to") for q in quotes)]
    out: dict[str, Any] = {"gold_links": len(gold), "predicted": len(links), "unlisted": len(unlisted)}
    for mode, keep in (("strict", links), ("listed", [x for x in links if not any(x is u for u in unlisted)])):
        pairs = [(x, hit) for x, hit in matched if any(x is k for k in keep)]
        found = {id(hit) for _, hit in pairs if hit is not None}
        out[f"links_{mode}"] = _prf(sum(1 for _, h in pairs if h is not None), len(pairs), len(gold), len(found))
        drifted = [(x, h) for x, h in pairs if x["change"] in CHANGES]
        right = {id(h) for x, h in drifted if h is not None and h["change"] == x["change"]}
        out[f"drift_{mode}"] = _prf(
            sum(1 for x, h in drifted if h is not None and h["change"] == x["change"]), len(drifted),
            sum(1 for g in gold if g["change"] in CHANGES), len(right),
        )
    return out


def _objective(scored: dict[str, Any]) -> float:
    return float(scored["links_listed"]["f1"] + scored["drift_listed"]["f1"])


def _prf(right: int, predicted: int, gold: int, found: int) -> dict[str, float]:
    p = right / predicted if predicted else 0.0
    r = found / gold if gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _run(records: Sequence[dict[str, Any]], db: Path | None, folds: int) -> tuple[list[dict[str, Any]], dict[tuple[float, float], list[dict[str, Any]]]]:
    """The links ``sayso drift --all`` gives on a store of ``records`` (and at each (weight, threshold) setting)."""
    with batch_store(records, db) as store_path:
        con = duckdb.connect(str(store_path))
        try:
            build.ensure(con, rebuild=True)
            shipped = crossclaims.build(con)
            vectors = crossclaims.claim_vectors(con, crossclaims.read_claims(con)[0])
            by_threshold = {(w, t): crossclaims.build(con, t, w, vectors) for w, t in SETTINGS} if folds > 1 else {}
            crossclaims.build(con)  # leave the store as `sayso drift` makes it
        finally:
            con.close()
    return shipped, by_threshold


def evaluate(path: Path, db: Path | None = None, folds: int = 0, shuffles: int = 0) -> dict[str, Any]:
    groups = load(path)
    gold = _gold(groups)
    records = [{"id": a["id"], "text": a["text"], "published": a.get("published"), "outlet": a.get("outlet")} for g in groups for a in g["articles"]]
    shipped, by_threshold = _run(records, db, folds)
    result: dict[str, Any] = {"groups": len(groups), "threshold": claims.THRESHOLD, "weight": claims.EMBEDDING_WEIGHT, **score(shipped, gold)}
    if shuffles:
        spread = []
        for seed in range(shuffles):  # the whole product path again, on the records in another order
            order = list(records)
            random.Random(seed).shuffle(order)
            again = score(_run(order, None, 0)[0], gold)
            spread.append((round(again["links_listed"]["f1"], 3), round(again["drift_listed"]["f1"], 3)))
        result["shuffled"] = spread
    if folds > 1:
        names = sorted(g["story"] for g in groups)
        chosen: list[tuple[float, float]] = []
        cv_links: list[dict[str, Any]] = []
        for f in range(folds):
            held = {n for k, n in enumerate(names) if k % folds == f}
            train = set(names) - held
            best = max(SETTINGS, key=lambda st: (_objective(score(by_threshold[st], gold, train)), -st[0], -st[1]))
            chosen.append(best)
            cv_links.extend(x for x in by_threshold[best] if x["from"]["article"].rsplit("-", 1)[0] in held)
        result["cv"] = {"thresholds": chosen, **score(cv_links, gold)}
        result["by_setting"] = {f"{w}/{t}": [round(score(v, gold)[k]["f1"], 3) for k in ("links_listed", "drift_listed")] for (w, t), v in by_threshold.items()}
    return result


def summary(result: dict[str, Any]) -> list[str]:
    def line(name: str, r: dict[str, float]) -> str:
        return f"{name:34s} P {r['precision']:.2f}  R {r['recall']:.2f}  F1 {r['f1']:.2f}"

    out = [f"groups {result['groups']}  gold links {result['gold_links']}  predicted {result['predicted']} ({result['unlisted']} between unlisted sentences)  threshold {result['threshold']}  embedding weight {result['weight']}"]
    for mode in ("listed", "strict"):
        out.append(line(f"claim links ({mode})", result[f"links_{mode}"]))
        out.append(line(f"hardened/softened ({mode})", result[f"drift_{mode}"]))
    if "shuffled" in result:
        out.append("shuffled input orders (claim links F1, hardened/softened F1): " + json.dumps(result["shuffled"]))
    if "cv" in result:
        cv = result["cv"]
        out.append(f"leave-groups-out (weight, threshold) {cv['thresholds']}")
        out.append(line("claim links (listed, cv)", cv["links_listed"]))
        out.append(line("hardened/softened (listed, cv)", cv["drift_listed"]))
        out.append("claim links F1, hardened/softened F1 by weight/threshold: " + json.dumps(result["by_setting"]))
    return out
