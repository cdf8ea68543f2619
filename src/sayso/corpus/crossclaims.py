"""Claims across the articles of each story in a store: links, drift, and each claim's history.

Writes ``claim_links`` (both sides with their status, the change and why) and ``corpus_claims``
(per linked claim: its earliest appearance and its earliest named source). "Earlier" is by
``published``, then input order where dates are missing.
"""

from __future__ import annotations

import contextlib
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
from sayso.store import corpus as store
from sayso.store import embeddings

STORY_CHUNK = 64  # stories read at once
STAGED = {"staged_links": "claim_links", "staged_claims": "corpus_claims"}


def read_claims(
    con: duckdb.DuckDBPyConnection, stories: Sequence[str] | None = None, articles: set[str] | None = None
) -> tuple[dict[str, list[Claim]], dict[str, tuple]]:
    """Claims per story (every story, or those of ``stories``; near-duplicate copies left out; only
    those of ``articles`` where given) and each article's (date, input order) key (every article of
    the stories read).

    An attribution counts for every sentence it speaks for as the reader sees it (its cue's, and each
    sentence of a quotation that runs over several: ``status.spoken_by``), with its content cut to
    that sentence."""
    state.register_ids(con, "read_stories", stories or [])
    arts = con.execute(
        "SELECT * FROM (SELECT id, story_id, published, row_number() OVER (ORDER BY rowid) FROM articles "
        "WHERE story_id IS NOT NULL AND duplicate_of IS NULL) "
        + ("WHERE story_id IN (SELECT id FROM read_stories)" if stories is not None else "")
    ).fetchall()
    order = {a: (p or dt.date.max, k) for a, _, p, k in arts}
    if articles is not None:
        arts = [r for r in arts if r[0] in articles]
    state.register_ids(con, "read_articles", [a for a, _, _, _ in arts] if stories is not None or articles is not None else [])
    only = "WHERE article_id IN (SELECT id FROM read_articles)" if stories is not None or articles is not None else ""
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
    empty where the paraphrase model is not installed (claims are then linked by their terms). The
    model is loaded only when a claim is not in the store yet."""
    linkable = [s for s in sorted(by_story) if len({c.article for c in by_story[s]}) >= 2]
    if not linkable or not paraphrase.available():
        return {}
    texts = [c.text or c.compared for s in linkable for c in by_story[s]]
    found = embeddings.vectors(con, texts, paraphrase.shipped, progress)
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
    """``link``, then every link in the store (the JSON of ``sayso drift --all``; with ``changes_only``
    the hardened and softened ones alone, what `sayso drift` shows)."""
    link(con, threshold, weight, vectors, progress, pending)
    return read_links(con, changes_only)


def link(
    con: duckdb.DuckDBPyConnection, threshold: float = claims_mod.THRESHOLD, weight: float = claims_mod.EMBEDDING_WEIGHT,
    vectors: dict[str, np.ndarray] | None = None, progress: embeddings.Progress | None = None, pending: bool = False,
) -> None:
    """Link the claims of every story and write the tables (the corpus work; listing is ``read_links``).

    With ``pending``, only the stories ``build.ensure`` marked (those that gained articles), and in
    them only the claims of articles not linked before, each against its nearest linked articles
    (``_context``): the links made earlier stay, and only the claim ids and histories of the claims
    the new links touch are made again. ``vectors`` (from ``claim_vectors``)
    saves reading the embeddings again when one store is linked at several settings;
    ``progress(done, total)`` follows the embedding of claims not yet in the store. An update
    (``pending``) runs with DuckDB held to ``store.UPDATE_MEMORY``."""
    with store.memory_limit(con) if pending else contextlib.nullcontext():
        _link(con, threshold, weight, vectors, progress, pending)


def _link(
    con: duckdb.DuckDBPyConnection, threshold: float, weight: float,
    vectors: dict[str, np.ndarray] | None, progress: embeddings.Progress | None, pending: bool,
) -> None:
    state.ensure_tables(con)
    stories = state.pending(con) if pending else None
    every = [s for (s,) in con.execute("SELECT DISTINCT story_id FROM articles WHERE story_id IS NOT NULL ORDER BY 1").fetchall()]
    incremental: set[str] = set()
    old_claims: set[str] = set()
    read: list[str] = []  # the articles whose claims were read (linked from now on)
    for table, like in STAGED.items():  # what is made, a chunk of stories at a time, waits here for the transaction
        con.execute(f'CREATE OR REPLACE TEMP TABLE "{table}" AS SELECT * FROM "{like}" LIMIT 0')
    con.execute("CREATE OR REPLACE TEMP TABLE staged_renames (story_id VARCHAR, old VARCHAR, new VARCHAR)")
    # stories are read a chunk at a time and what they make is staged in DuckDB, so memory follows the chunk, not the store
    chosen = stories if stories is not None else every
    for chunk in [chosen[k : k + STORY_CHUNK] for k in range(0, len(chosen), STORY_CHUNK)]:
        done, context, partly = _context(con, chunk) if stories is not None else (set(), None, set())
        incremental |= partly
        by_story, order = read_claims(con, chunk, context)
        found_vectors = vectors if vectors is not None else claim_vectors(con, by_story, progress)  # a cache: committed as made
        made: dict[str, list[tuple[Claim, Claim, float]]] = {}
        for story in sorted(by_story):
            found = by_story[story]
            read.extend(c.article for c in found if c.article not in done)
            if len({c.article for c in found}) >= 2:
                only = {c.article for c in found} - done if story in partly else None
                made[story] = _new_links(found, order, only, threshold, weight, found_vectors.get(story))
        of_end, old = _old_claims(con, chunk, done, made) if stories is not None else ({}, {})
        old_claims |= set(old)
        for story in sorted(made):
            rows, moved, groups = _claims(story, made[story], of_end, old, order)
            _insert(con, "staged_links", rows)
            _insert(con, "staged_claims", groups)
            if moved:
                data = pa.table({c: [r[k] for r in moved] for k, c in enumerate(["story_id", "old", "new"])})  # noqa: F841 (read by DuckDB)
                con.execute("INSERT INTO staged_renames SELECT * FROM data")
    with store.transaction(con):
        if stories is None:
            for table in ("claim_links", "corpus_claims", "corpus_linked"):
                con.execute(f'DELETE FROM "{table}"')
        else:
            state.register_ids(con, "read_stories", stories)
            state.register_ids(con, "whole_stories", set(stories) - incremental)
            state.register_ids(con, "old_claims", old_claims)
            # a story read whole has no link to keep; one read in part only links between articles linked before
            con.execute(
                "DELETE FROM claim_links WHERE story_id NOT IN (SELECT story_id FROM stories) OR story_id IN (SELECT id FROM whole_stories)"
            )
            # every link of a claim made before takes the id of the claim it joined
            con.execute(
                "UPDATE claim_links AS l SET claim_id = d.new FROM staged_renames AS d WHERE l.story_id = d.story_id AND l.claim_id = d.old"
            )
            con.execute(
                "DELETE FROM corpus_claims WHERE story_id NOT IN (SELECT story_id FROM stories) "
                "OR story_id IN (SELECT id FROM whole_stories) OR claim_id IN (SELECT id FROM old_claims)"
            )
        con.execute("INSERT INTO claim_links BY NAME SELECT * FROM staged_links")
        con.execute("INSERT INTO corpus_claims BY NAME SELECT * FROM staged_claims")
        _count_articles(con, everything=stories is None)
        state.register_ids(con, "linked_now", read)
        con.execute("INSERT INTO corpus_linked SELECT id FROM linked_now WHERE id NOT IN (SELECT article_id FROM corpus_linked)")
        state.clear_pending(con)
    for table in (*STAGED, "staged_renames"):
        con.execute(f'DROP TABLE IF EXISTS "{table}"')


def count_changes(con: duckdb.DuckDBPyConnection) -> int:
    """How many claim links in the store hardened or softened a claim."""
    return int(con.execute("SELECT count(*) FROM claim_links WHERE change <> 'same'").fetchone()[0])  # type: ignore[index]


def _context(con: duckdb.DuckDBPyConnection, stories: Sequence[str]) -> tuple[set[str], set[str], set[str]]:
    """(articles of ``stories`` whose claims are linked already, the articles to read, the stories
    with linked articles, where only new articles' links are made): a story with
    none linked is read whole; else its new articles and, for each, the ``claims.NEIGHBOURS`` linked
    ones of its story that share most of its blocking terms (the rebuild compares an article with its
    most similar articles too), so an update reads what is new, not every story it touches."""
    state.register_ids(con, "read_stories", stories)
    found = con.execute(
        "SELECT a.id, a.story_id, l.article_id IS NOT NULL FROM articles a LEFT JOIN corpus_linked l ON l.article_id = a.id "
        "WHERE a.story_id IN (SELECT id FROM read_stories) AND a.duplicate_of IS NULL"
    ).fetchall()
    linked = {a for a, _, done in found if done}
    with_links = {s for _, s, done in found if done}
    read = {a for a, s, done in found if not done or s not in with_links}
    state.register_ids(con, "new_ids", [a for a, s, done in found if not done and s in with_links])
    for (a,) in con.execute(
        "WITH n AS (SELECT b.article_id, b.term, a.story_id FROM corpus_blocks b JOIN articles a ON a.id = b.article_id "
        "           WHERE b.article_id IN (SELECT id FROM new_ids)), "
        "shared AS (SELECT n.article_id AS new, o.article_id AS old, count(*) AS terms FROM n "
        "           JOIN corpus_blocks o ON o.term = n.term JOIN corpus_linked l ON l.article_id = o.article_id "
        "           JOIN articles oa ON oa.id = o.article_id AND oa.story_id = n.story_id GROUP BY 1, 2) "
        "SELECT DISTINCT old FROM shared QUALIFY row_number() OVER (PARTITION BY new ORDER BY terms DESC, old) <= ?",
        [claims_mod.NEIGHBOURS],
    ).fetchall():
        read.add(a)
    return linked, read, with_links


def _new_links(
    found: list[Claim], order: dict[str, tuple], only: set[str] | None, threshold: float, weight: float, vectors: np.ndarray | None
) -> list[tuple[Claim, Claim, float]]:
    """The links between the claims ``found`` (those with an article of ``only`` in them, or all),
    earlier side first."""
    made = []
    for i, j, sim in claims_mod.link(found, threshold, vectors=vectors, weight=weight, only=only):
        a, b = (found[i], found[j]) if order[found[i].article] <= order[found[j].article] else (found[j], found[i])
        made.append((a, b, sim))
    return made


def _old_claims(
    con: duckdb.DuckDBPyConnection, stories: Sequence[str], linked: set[str], made: dict[str, list[tuple[Claim, Claim, float]]]
) -> tuple[dict[tuple[str, int], str], dict[str, tuple]]:
    """The claims made before that the new links touch: the claim id of each end of a new link in
    an article linked before, and each such claim's ``corpus_claims`` row (its first appearance and
    first named source, what merging it needs), so no link made before is read back."""
    ends = sorted({(c.article, c.sentence) for links in made.values() for a, b, _ in links for c in (a, b) if c.article in linked})
    data = pa.table({"article": [a for a, _ in ends], "sentence": pa.array([s for _, s in ends], pa.int32())})  # noqa: F841 (read by DuckDB)
    state.register_ids(con, "read_stories", stories)
    of_end = {(a, s): cid for a, s, cid in con.execute(
        "SELECT d.article, d.sentence, l.claim_id FROM data d JOIN claim_links l ON l.from_article = d.article AND l.from_sentence = d.sentence "
        "WHERE l.story_id IN (SELECT id FROM read_stories) "
        "UNION SELECT d.article, d.sentence, l.claim_id FROM data d JOIN claim_links l ON l.to_article = d.article AND l.to_sentence = d.sentence "
        "WHERE l.story_id IN (SELECT id FROM read_stories)"
    ).fetchall()}
    state.register_ids(con, "touched_claims", of_end.values())
    old = {r[0]: r[1:] for r in con.execute(
        "SELECT claim_id, first_article, first_sentence, first_start, first_end, first_source, first_source_article, "
        "coalesce(first_source_sentence, 0) FROM corpus_claims WHERE claim_id IN (SELECT id FROM touched_claims)"
    ).fetchall()}
    return of_end, old


def _claims(
    story: str, made: list[tuple[Claim, Claim, float]], of_end: dict[tuple[str, int], str], old: dict[str, tuple], order: dict[str, tuple]
) -> tuple[list[dict[str, Any]], list[tuple[str, str, str]], list[dict[str, Any]]]:
    """One story's new ``claim_links`` rows, the claims made before (``old``: id -> first article,
    sentence, start, end, first source, its article and sentence) whose id changes, as (story, old
    id, new id), and the ``corpus_claims`` rows of the claims the new links make: claims joined by
    links, new or made before, are one claim (its id: its earliest appearance's). Each end of a link
    stands for the claim it was in (``of_end``), else for its sentence alone."""
    parent: dict[tuple[str, Any], tuple[str, Any]] = {}
    first: dict[tuple[str, Any], tuple[str, int, int, int]] = {}  # node -> earliest (article, sentence, start, end)
    named: dict[tuple[str, Any], tuple[str, int, str | None] | None] = {}  # node -> earliest named (article, sentence, source)

    def top(k: tuple[str, Any]) -> tuple[str, Any]:
        parent.setdefault(k, k)
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def node(c: Claim) -> tuple[str, Any]:
        key = (c.article, c.sentence)
        if key in of_end and of_end[key] in old:
            cid = of_end[key]
            a, s, start, end, source, source_article, source_sentence = old[cid]
            first[("claim", cid)] = (a, s, start, end)
            named[("claim", cid)] = (source_article, source_sentence, source) if source_article is not None else None
            return ("claim", cid)
        first[("sentence", key)] = (c.article, c.sentence, c.start, c.end)
        named[("sentence", key)] = (c.article, c.sentence, c.source) if c.named else None
        return ("sentence", key)

    ends = []
    for a, b, _ in made:
        na, nb = node(a), node(b)
        ends.append(na)
        parent[top(na)] = top(nb)
    members: dict[tuple[str, Any], list[tuple[str, Any]]] = defaultdict(list)
    for n in first:
        members[top(n)].append(n)
    claim_id: dict[tuple[str, Any], str] = {}
    history: list[dict[str, Any]] = []
    moved: list[tuple[str, str, str]] = []
    for root_key, group in members.items():
        f = min((first[n] for n in group), key=lambda x: (order[x[0]], x[1]))
        who = min((x for n in group if (x := named[n]) is not None), key=lambda x: (order[x[0]], x[1]), default=None)
        claim_id[root_key] = cid = "c-" + hashlib.sha1(f"{f[0]}#{f[1]}".encode()).hexdigest()[:10]
        history.append({
            "claim_id": cid, "story_id": story, "articles": None, "first_article": f[0], "first_sentence": f[1], "first_start": f[2],
            "first_end": f[3], "first_source": who[2] if who else None, "first_source_article": who[0] if who else None,
            "first_source_sentence": who[1] if who else None,
        })
        moved.extend((story, n[1], cid) for n in group if n[0] == "claim" and n[1] != cid)
    rows = []
    for (a, b, sim), n in zip(made, ends, strict=True):
        rows.append({
            "story_id": story, "claim_id": claim_id[top(n)], "similarity": sim, "change": drift.change(a, b),
            "why": f"earlier {a.why}; later {b.why}",
            **{f"from_{k}": v for k, v in {**drift.side(a), "source": a.source}.items()},
            **{f"to_{k}": v for k, v in {**drift.side(b), "source": b.source}.items()},
        })
    return rows, moved, history


def _count_articles(con: duckdb.DuckDBPyConnection, everything: bool) -> None:
    """``corpus_claims.articles`` of the claims staged (or, with ``everything``, of all): the articles their links are in."""
    where = "" if everything else "WHERE claim_id IN (SELECT claim_id FROM staged_claims)"
    con.execute(
        "UPDATE corpus_claims AS c SET articles = x.n FROM (SELECT claim_id, count(DISTINCT a) AS n FROM ("
        f"  SELECT claim_id, from_article AS a FROM claim_links {where} UNION ALL SELECT claim_id, to_article FROM claim_links {where}"
        ") GROUP BY 1) AS x WHERE c.claim_id = x.claim_id"
    )


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
