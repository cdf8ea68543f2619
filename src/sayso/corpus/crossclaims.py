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
from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from sayso.components.status import spoken_by
from sayso.corpus import claims as claims_mod
from sayso.corpus import drift, paraphrase, state
from sayso.corpus.claims import Claim
from sayso.corpus.linkage import root
from sayso.store import corpus as store
from sayso.store import embeddings


def read_claims(con: duckdb.DuckDBPyConnection, stories: Sequence[str] | None = None) -> tuple[dict[str, list[Claim]], dict[str, tuple]]:
    """Claims per story (every story, or those of ``stories``; near-duplicate copies left out) and each
    article's (date, input order) key.

    An attribution counts for every sentence it speaks for as the reader sees it (its cue's, and each
    sentence of a quotation that runs over several: ``status.spoken_by``), with its content cut to
    that sentence."""
    state.register_ids(con, "read_stories", stories or [])
    arts = con.execute(
        "SELECT * FROM (SELECT id, story_id, published, row_number() OVER (ORDER BY rowid) FROM articles "
        "WHERE story_id IS NOT NULL AND duplicate_of IS NULL) "
        + ("WHERE story_id IN (SELECT id FROM read_stories)" if stories is not None else "")
    ).fetchall()
    state.register_ids(con, "read_articles", [a for a, _, _, _ in arts] if stories is not None else [])
    only = "WHERE article_id IN (SELECT id FROM read_articles)" if stories is not None else ""
    order = {a: (p or dt.date.max, k) for a, _, p, k in arts}
    story_of = {a: s for a, s, _, _ in arts}
    sentences: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)
    for a, s, start, end, text in con.execute(
        f'SELECT article_id, sentence, start, "end", text FROM sentences {only} ORDER BY article_id, sentence'
    ).fetchall():
        if a in story_of:
            sentences[a].append((s, start, end, text))
    bounds = {a: [(start, end) for _, start, end, _ in rows] for a, rows in sentences.items()}
    atts: dict[tuple[str, int], list[drift.Attribution]] = defaultdict(list)
    for r in con.execute(
        "SELECT article_id, sentence, kind, source_text, source_name, source_entity, cue_text, cue_start, content, source_start, cue_end "
        f"FROM attributions {only}"
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
    for a, s, kind, text, start, end in con.execute(f'SELECT article_id, sentence, kind, text, start, "end" FROM cues {only}').fetchall():
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
    vectors: dict[str, np.ndarray] | None = None, progress: embeddings.Progress | None = None, pending: bool = False,
    changes_only: bool = False,
) -> list[dict[str, Any]]:
    """Link the claims of every story, write the tables, return every link (the JSON of ``sayso drift --all``).

    With ``pending``, only the stories ``build.ensure`` marked (those that gained articles), and in
    them only the claims of articles not linked before: the links made earlier stay, and only the
    claim ids and histories of those stories are made again. ``changes_only``: return the hardened
    and softened links alone (what `sayso drift` shows without ``--all``). ``vectors`` (from ``claim_vectors``)
    saves reading the embeddings again when one store is linked at several settings;
    ``progress(done, total)`` follows the embedding of claims not yet in the store."""
    state.ensure_tables(con)
    stories = state.pending(con) if pending else None
    by_story, order = read_claims(con, stories)
    if vectors is None:
        vectors = claim_vectors(con, by_story, progress)  # a cache: committed as made, before the transaction
    state.register_ids(con, "read_stories", stories or [])
    linked = {a for (a,) in con.execute(
        "SELECT article_id FROM corpus_linked WHERE article_id IN (SELECT id FROM articles WHERE story_id IN (SELECT id FROM read_stories))"
    ).fetchall()} if pending else set()
    kept: dict[str, list[tuple]] = defaultdict(list)  # story -> (from article, from sentence, to article, to sentence, claim id)
    if pending:
        for r in con.execute(
            "SELECT story_id, from_article, from_sentence, to_article, to_sentence, claim_id FROM claim_links "
            "WHERE story_id IN (SELECT id FROM read_stories)"
        ).fetchall():
            if r[1] in linked and r[3] in linked:  # a link between two articles linked before
                kept[r[0]].append(r[1:])
    table: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    renamed: list[tuple] = []
    for story in sorted(by_story):
        found = by_story[story]
        if len({c.article for c in found}) < 2:
            continue
        new = {c.article for c in found} - linked
        rows, moved, groups = _story_links(story, found, order, kept.get(story, []), new if linked else None, threshold, weight, vectors.get(story))
        table.extend(rows)
        renamed.extend((story, *k) for k in moved)
        history.extend(groups)
    with store.transaction(con):
        if stories is None:
            store.replace_table(con, "claim_links", table)
            store.replace_table(con, "corpus_claims", history)
            con.execute("DELETE FROM corpus_linked")
        else:
            state.register_ids(con, "linked_ids", linked)
            con.execute(
                "DELETE FROM claim_links WHERE story_id NOT IN (SELECT story_id FROM stories) OR (story_id IN (SELECT id FROM read_stories) "
                "AND (from_article NOT IN (SELECT id FROM linked_ids) OR to_article NOT IN (SELECT id FROM linked_ids)))"
            )
            _rename(con, renamed)
            con.execute("DELETE FROM corpus_claims WHERE story_id IN (SELECT id FROM read_stories) OR story_id NOT IN (SELECT story_id FROM stories)")
            _insert(con, "claim_links", table)
            _insert(con, "corpus_claims", history)
        state.register_ids(con, "linked_now", [c.article for found in by_story.values() for c in found])
        con.execute("INSERT INTO corpus_linked SELECT id FROM linked_now WHERE id NOT IN (SELECT article_id FROM corpus_linked)")
        state.clear_pending(con)
    return read_links(con, changes_only)


def _story_links(
    story: str, found: list[Claim], order: dict[str, tuple], kept: list[tuple], only: set[str] | None,
    threshold: float, weight: float, vectors: np.ndarray | None,
) -> tuple[list[dict[str, Any]], list[tuple], list[dict[str, Any]]]:
    """One story's new ``claim_links`` rows (for the articles in ``only``, or all), the ``kept`` links
    (made before: from, to, claim id) whose claim id changes, as (from, to, new claim id), and the
    story's ``corpus_claims`` rows: claims joined by links, new or kept, are one claim."""
    at = {(c.article, c.sentence): k for k, c in enumerate(found)}
    parent = list(range(len(found)))
    made: list[tuple[Claim, Claim, float, int]] = []
    for i, j, sim in claims_mod.link(found, threshold, vectors=vectors, weight=weight, only=only):
        a, b = (found[i], found[j]) if order[found[i].article] <= order[found[j].article] else (found[j], found[i])
        made.append((a, b, sim, i))
        parent[root(parent, i)] = root(parent, j)
    old: list[tuple[tuple, int]] = []
    for r in kept:
        x, y = at.get((r[0], r[1])), at.get((r[2], r[3]))
        if x is not None and y is not None:
            old.append((r, x))
            parent[root(parent, x)] = root(parent, y)
    members: dict[int, list[Claim]] = defaultdict(list)
    for k in range(len(found)):
        members[root(parent, k)].append(found[k])
    claim_id: dict[int, str] = {}
    history = []
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
    moved = [(*r[:4], claim_id[root(parent, i)]) for r, i in old if r[4] != claim_id[root(parent, i)]]
    rows = []
    for a, b, sim, i in made:
        ch = drift.change(a, b)
        rows.append({
            "story_id": story, "claim_id": claim_id[root(parent, i)], "similarity": sim, "change": ch, "why": f"earlier {a.why}; later {b.why}",
            **{f"from_{k}": v for k, v in {**drift.side(a), "source": a.source}.items()},
            **{f"to_{k}": v for k, v in {**drift.side(b), "source": b.source}.items()},
        })
    return rows, moved, history


def _rename(con: duckdb.DuckDBPyConnection, renamed: list[tuple]) -> None:
    """Give kept links (story, from article, from sentence, to article, to sentence, claim id) their new claim id."""
    if not renamed:
        return
    cols = ["story_id", "from_article", "from_sentence", "to_article", "to_sentence", "claim_id"]
    data = pa.table({c: [r[k] for r in renamed] for k, c in enumerate(cols)})  # noqa: F841 (read by DuckDB)
    on = " AND ".join(f"l.{c} = d.{c}" for c in cols[:5])
    con.execute(f"UPDATE claim_links AS l SET claim_id = d.claim_id FROM data AS d WHERE {on}")


def read_links(con: duckdb.DuckDBPyConnection, changes_only: bool = False) -> list[dict[str, Any]]:
    """Every claim link in the store (the JSON of ``sayso drift --all``), or the hardened and softened
    ones alone; by story, then by the earlier side's (date, input order) and sentence, then the later side's."""
    order = {a: (p or dt.date.max, k) for a, p, k in con.execute("SELECT id, published, row_number() OVER (ORDER BY rowid) FROM articles").fetchall()}
    links = []
    for r in state.rows_of(con, "SELECT * FROM claim_links" + (" WHERE change <> 'same'" if changes_only else "")):
        links.append({
            "from": {k: r[f"from_{k}"] for k in drift.SIDE}, "to": {k: r[f"to_{k}"] for k in drift.SIDE},
            "change": r["change"], "why": r["why"], "story": r["story_id"], "similarity": round(r["similarity"], 3),
        })
    links.sort(key=lambda x: (x["story"], order[x["from"]["article"]], x["from"]["sentence"], order[x["to"]["article"]], x["to"]["sentence"]))
    return links


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    if rows:
        data = pa.Table.from_pylist(rows)  # noqa: F841 (read by DuckDB)
        con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM data')
