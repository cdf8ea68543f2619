"""Claims across the articles of each story in a store: links, drift, and each claim's history.

Writes ``claim_links`` (both sides with their status, the change and why) and ``corpus_claims``
(per linked claim: its earliest appearance and its earliest named source). "Earlier" is by
``published``, then input order where dates are missing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_left
from collections import defaultdict
from typing import Any

import duckdb
import numpy as np

from sayso.components.status import spoken_by
from sayso.corpus import claims as claims_mod
from sayso.corpus import drift, paraphrase
from sayso.corpus.claims import Claim
from sayso.corpus.linkage import root
from sayso.store import corpus as store
from sayso.store import embeddings


def read_claims(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, list[Claim]], dict[str, tuple]]:
    """Claims per story (near-duplicate copies left out) and each article's (date, input order) key.

    An attribution counts for every sentence it speaks for as the reader sees it (its cue's, and each
    sentence of a quotation that runs over several: ``status.spoken_by``), with its content cut to
    that sentence."""
    arts = con.execute(
        "SELECT id, story_id, published, row_number() OVER (ORDER BY rowid) FROM articles "
        "WHERE story_id IS NOT NULL AND duplicate_of IS NULL"
    ).fetchall()
    order = {a: (p or dt.date.max, k) for a, _, p, k in arts}
    story_of = {a: s for a, s, _, _ in arts}
    sentences: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)
    for a, s, start, end, text in con.execute(
        'SELECT article_id, sentence, start, "end", text FROM sentences ORDER BY article_id, sentence'
    ).fetchall():
        if a in story_of:
            sentences[a].append((s, start, end, text))
    bounds = {a: [(start, end) for _, start, end, _ in rows] for a, rows in sentences.items()}
    atts: dict[tuple[str, int], list[drift.Attribution]] = defaultdict(list)
    for r in con.execute(
        "SELECT article_id, sentence, kind, source_text, source_name, source_entity, cue_text, cue_start, content, source_start, cue_end "
        "FROM attributions"
    ).fetchall():
        if r[0] not in bounds:
            continue
        content = tuple((int(s["start"]), int(s["end"])) for s in (r[8] or []) if s and s["start"] is not None)
        numbers = [row[0] for row in sentences[r[0]]]  # positions in ``bounds`` -> sentence numbers
        cue_at = bisect_left(numbers, r[1])
        if cue_at == len(numbers) or numbers[cue_at] != r[1]:
            continue  # its sentence is not in the store
        for i in spoken_by(cue_at, content, bounds[r[0]]):
            start, end = bounds[r[0]][i]
            inside = tuple((max(s, start), min(e, end)) for s, e in content if s < end and start < e)
            atts[(r[0], numbers[i])].append(drift.Attribution(r[2], r[3], r[4], r[5], r[6], r[7], inside, r[9], r[10]))
    cues: dict[tuple[str, int], list[drift.Cue]] = defaultdict(list)
    for a, s, kind, text, start, end in con.execute("SELECT article_id, sentence, kind, text, start, \"end\" FROM cues").fetchall():
        cues[(a, s)].append(drift.Cue(kind, text, start, end))
    by_story: dict[str, list[Claim]] = defaultdict(list)
    for a, rows in sorted(sentences.items()):
        for s, start, end, text in rows:
            if text and text.strip():
                by_story[story_of[a]].append(drift.claim_of(a, s, start, end, text, atts[(a, s)], cues[(a, s)]))
    return by_story, order


def claim_vectors(
    con: duckdb.DuckDBPyConnection, by_story: dict[str, list[Claim]], progress: embeddings.Progress | None = None
) -> dict[str, np.ndarray]:
    """Each linkable story's claim embeddings (rows in claim order), from the store or embedded now;
    empty where the paraphrase model is not installed (claims are then linked by their terms)."""
    model = paraphrase.default()
    linkable = [s for s in sorted(by_story) if len({c.article for c in by_story[s]}) >= 2]
    if model is None or not linkable:
        return {}
    texts = [c.text or c.compared for s in linkable for c in by_story[s]]
    found = embeddings.vectors(con, texts, model, progress)
    out, k = {}, 0
    for s in linkable:
        out[s] = found[k : k + len(by_story[s])]
        k += len(by_story[s])
    return out


def build(
    con: duckdb.DuckDBPyConnection, threshold: float = claims_mod.THRESHOLD, weight: float = claims_mod.EMBEDDING_WEIGHT,
    vectors: dict[str, np.ndarray] | None = None, progress: embeddings.Progress | None = None,
) -> list[dict[str, Any]]:
    """Link the claims of every story, write the tables, return every link (the JSON of ``sayso drift --all``).

    ``vectors`` (from ``claim_vectors``) saves reading the embeddings again when one store is linked
    at several settings; ``progress(done, total)`` follows the embedding of claims not yet in the store."""
    by_story, order = read_claims(con)
    if vectors is None:
        vectors = claim_vectors(con, by_story, progress)
    links: list[dict[str, Any]] = []
    table: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for story in sorted(by_story):
        found = by_story[story]
        if len({c.article for c in found}) < 2:
            continue
        parent = list(range(len(found)))
        pairs = []
        for i, j, sim in claims_mod.link(found, threshold, vectors=vectors.get(story), weight=weight):
            a, b = (found[i], found[j]) if order[found[i].article] <= order[found[j].article] else (found[j], found[i])
            pairs.append((a, b, sim, i, j))
            parent[root(parent, i)] = root(parent, j)
        members: dict[int, list[Claim]] = defaultdict(list)
        for k in range(len(found)):
            members[root(parent, k)].append(found[k])
        claim_id: dict[int, str] = {}
        for top, group in members.items():
            if len(group) < 2:
                continue
            group.sort(key=lambda c: (order[c.article], c.sentence))
            first = group[0]
            claim_id[top] = "c-" + hashlib.sha1(f"{first.article}#{first.sentence}".encode()).hexdigest()[:10]
            named = next((c for c in group if c.named), None)
            history.append({
                "claim_id": claim_id[top], "story_id": story, "articles": len({c.article for c in group}),
                "first_article": first.article, "first_sentence": first.sentence, "first_start": first.start, "first_end": first.end,
                "first_source": named.source if named else None, "first_source_article": named.article if named else None,
            })
        for a, b, sim, i, _ in pairs:
            ch = drift.change(a, b)
            why = f"earlier {a.why}; later {b.why}"
            links.append({"from": drift.side(a), "to": drift.side(b), "change": ch, "why": why, "story": story, "similarity": round(sim, 3)})
            table.append({
                "story_id": story, "claim_id": claim_id[root(parent, i)], "similarity": sim, "change": ch, "why": why,
                **{f"from_{k}": v for k, v in {**drift.side(a), "source": a.source}.items()},
                **{f"to_{k}": v for k, v in {**drift.side(b), "source": b.source}.items()},
            })
    store.replace_table(con, "claim_links", table)
    store.replace_table(con, "corpus_claims", history)
    links.sort(key=lambda x: (x["story"], order[x["from"]["article"]], x["from"]["sentence"], order[x["to"]["article"]], x["to"]["sentence"]))
    return links
