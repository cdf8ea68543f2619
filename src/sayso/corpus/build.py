"""Brings a store's corpus layer up to date: near-duplicates, stories, one entity across articles.

``ensure`` is what ``sayso stories`` and ``sayso drift`` run first, so both work on a store that
``sayso batch --db`` has just made and on one that grew since. A rebuild regroups every article. An
update reads only the articles without a story (new since the last build) and what the last build
kept (``sayso.corpus.state``): their near-duplicates come from the stored LSH buckets, their story
candidates from the stored blocking terms, their vectors are weighed by the corpus's stored document
frequencies, and only the stories they join are read back. Stories, corpus ids and description links
already made stay as they are; the stories that gained articles are marked for ``crossclaims``. With
nothing new, ``ensure`` does no corpus work at all. Each runs in one transaction, so an interrupted
build leaves the store as it was; only the caches (signatures, embeddings) are kept as they are made.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from sayso.corpus import dedup, descriptions, paraphrase, state, stories, xdoc
from sayso.corpus.names import Name, clean
from sayso.corpus.vectors import counts, weigh
from sayso.store import corpus as store
from sayso.store import embeddings


def ensure(
    con: duckdb.DuckDBPyConnection, rebuild: bool = False, threshold: float = stories.THRESHOLD, progress: embeddings.Progress | None = None
) -> list[dict[str, Any]]:
    """Bring the corpus layer up to date (everything regrouped with ``rebuild``, else only new
    articles placed); returns the ``stories`` rows. ``progress(done, total)`` follows the embedding."""
    store.ensure_schema(con)
    state.ensure_tables(con)
    kept = _one(con, "SELECT count(*) FROM corpus_articles") > 0
    new = _one(con, "SELECT count(*) FROM articles WHERE story_id IS NULL")
    if rebuild or not kept:
        _rebuild(con, keep=not rebuild, threshold=threshold, progress=progress)  # a store made before the state was kept, too
    elif new:
        _update(con, threshold, progress)
    return stories_rows(con)


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    return con.execute(sql).fetchone()[0]  # type: ignore[index]


def _order(r: dict[str, Any]) -> tuple:
    """Which of two copies is the original: the earlier by date, then by place in the store."""
    return (r["published"] is None, r["published"] or 0, r["ord"])


def _day(r: dict[str, Any]) -> int | None:
    d = store.as_date(r["published"])
    return d.toordinal() if d else None


def _article(r: dict[str, Any], dups: dict[str, str], leads: dict[str, np.ndarray]) -> stories.Article:
    return stories.Article(
        id=r["id"], text=r["text"] or "", published=store.as_date(r["published"]), title=r["title"],
        story=r["story_id"], duplicate_of=dups.get(r["id"], r.get("duplicate_of")), lead_vector=leads.get(r["id"]),
    )


def _rebuild(con: duckdb.DuckDBPyConnection, keep: bool, threshold: float, progress: embeddings.Progress | None) -> None:
    """Every article regrouped (with ``keep``, the stories there are stay and the rest join them)."""
    rows = store.read_articles(con)
    sigs = state.signatures(con, {r["id"]: r["text"] or "" for r in rows})  # a cache: committed as made
    dups = dedup.originals({r["id"]: _order(r) for r in rows}, state.similar_pairs(con, sigs))
    leads = lead_vectors(con, rows, dups, progress)  # embedded before the transaction: a cache, kept if it fails
    with store.transaction(con):
        state.reset(con)
        store.replace_column(con, "articles", ["id"], "duplicate_of", sorted(dups.items()))
        arts = [_article({**r, "duplicate_of": None}, dups, leads) for r in rows]
        previous = {a.id: a.story for a in arts if a.story is not None}
        grouped = stories.group_kept(arts, threshold=threshold, update=keep and bool(previous))
        names = stories.name_stories(grouped.groups, previous)
        store.replace_column(con, "articles", ["id"], "story_id", [(a.id, sid) for g, sid in zip(grouped.groups, names, strict=True) for a in g])
        store.replace_table(con, "stories", [_story_row(sid, g) for g, sid in zip(grouped.groups, names, strict=True)])
        state.add_terms(con, grouped.counts, {r["id"]: _day(r) for r in rows})
        state.add_blocks(con, grouped.blocks)
        state.add_words(con, (r["text"] or "" for r in rows))
        _entities(con, only_new=False)
        _descriptions(con, None)
        state.mark_pending(con, names)


def _update(con: duckdb.DuckDBPyConnection, threshold: float, progress: embeddings.Progress | None) -> None:
    """The articles without a story placed: each near-duplicate joins its original's story, each
    other joins the story of the candidates it is most like or opens its own."""
    new = store.read_articles(con, "story_id IS NULL")
    new_ids = {r["id"] for r in new}
    sigs = state.signatures(con, {r["id"]: r["text"] or "" for r in new})
    pairs = state.similar_pairs(con, sigs, new_ids)
    state.register_ids(con, "wanted_ids", {a for p in pairs for a in p} - new_ids)
    placed = store.read_articles(con, "id IN (SELECT id FROM wanted_ids)")
    order = {r["id"]: _order(r) for r in [*new, *placed]}
    dups = {a: o for a, o in dedup.originals(order, pairs, {r["id"]: r["duplicate_of"] for r in placed}).items() if a in new_ids}
    fresh = [r for r in new if r["id"] not in dups]
    with store.transaction(con):
        store.set_column(con, "articles", ["id"], "duplicate_of", sorted(dups.items()))
        found = {r["id"]: counts(r["text"] or "") for r in fresh}
        state.add_terms(con, found, {r["id"]: _day(r) for r in fresh})
        df, n_docs = state.frequencies(con, {t for c in found.values() for t in c})
        ordered = sorted(found)
        vectors, vocab = weigh([found[a] for a in ordered], df, n_docs)
        state.add_blocks(con, {a: [vocab[k] for k in b] for a, b in zip(ordered, stories.blocking_terms(vectors), strict=True)})
        candidates = state.block_candidates(con, found, stories.WINDOW_DAYS)
        state.register_ids(con, "wanted_ids", {b for _, b in candidates if b not in found})
        members = store.read_articles(  # every original of each story a candidate is in
            con, "duplicate_of IS NULL AND story_id IN (SELECT story_id FROM articles WHERE id IN (SELECT id FROM wanted_ids))"
        )
        found.update({r["id"]: counts(r["text"] or "") for r in members})
        df, n_docs = state.frequencies(con, {t for c in found.values() for t in c})
        leads = lead_vectors(con, [*fresh, *members], {}, progress)
        groups = stories.join_new(
            [_article(r, {}, leads) for r in fresh], [_article(r, {}, leads) for r in members], found, df, n_docs, candidates, threshold
        )
        previous = {r["id"]: r["story_id"] for r in members}
        story_of = {a.id: sid for g, sid in zip(groups, stories.name_stories(groups, previous), strict=True) for a in g if a.id in new_ids}
        state.register_ids(con, "wanted_ids", set(dups.values()) - set(story_of))
        story_of.update(dict(con.execute("SELECT id, story_id FROM articles WHERE id IN (SELECT id FROM wanted_ids)").fetchall()))
        story_of.update({a: story_of[o] for a, o in dups.items()})
        store.set_column(con, "articles", ["id"], "story_id", sorted(story_of.items()))
        touched = set(story_of.values())
        _refresh_stories(con, touched)
        state.add_words(con, (r["text"] or "" for r in new))
        _entities(con, only_new=True)
        _descriptions(con, new_ids, touched)
        state.mark_pending(con, {story_of[r["id"]] for r in fresh})  # a copy's claims are its original's: nothing to link


def _story_row(sid: str, members: Sequence[stories.Article]) -> dict[str, Any]:
    first = min(members, key=stories._first_key)
    return {"story_id": sid, "title": stories.title(members), "articles": len(members), "first_article": first.id, "first_published": first.published}


def _refresh_stories(con: duckdb.DuckDBPyConnection, touched: set[str]) -> None:
    """Rewrite the ``stories`` rows of these stories from their articles."""
    state.register_ids(con, "touched_ids", touched)
    members: dict[str, list[stories.Article]] = defaultdict(list)
    for sid, aid, title, head, published in con.execute(
        "SELECT story_id, id, title, left(text, 2000), published FROM articles WHERE story_id IN (SELECT id FROM touched_ids)"
    ).fetchall():
        members[sid].append(stories.Article(id=aid, text=head or "", published=store.as_date(published), title=title))
    con.execute("DELETE FROM stories WHERE story_id IN (SELECT id FROM touched_ids)")
    rows = [_story_row(sid, m) for sid, m in sorted(members.items())]
    if rows:
        data = pa.Table.from_pylist(rows)  # noqa: F841 (read by DuckDB)
        con.execute("INSERT INTO stories BY NAME SELECT * FROM data")


def lead_vectors(
    con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], dups: dict[str, str], progress: embeddings.Progress | None = None,
    always: bool = False,
) -> dict[str, np.ndarray]:
    """Each original article's lead embedding (copies join their original without one), from the
    store or embedded now; empty where the paraphrase model is not installed, or where leads weigh
    nothing (``stories.LEAD_WEIGHT`` 0) unless ``always`` (the evaluation, which tries weights)."""
    model = paraphrase.default() if always or stories.LEAD_WEIGHT else None
    originals = [r for r in rows if r["id"] not in dups]
    if model is None or not originals:
        return {}
    found = embeddings.vectors(con, [stories.lead(r["text"] or "") for r in originals], model, progress)
    return {r["id"]: v for r, v in zip(originals, found, strict=True)}


def _entities(con: duckdb.DuckDBPyConnection, only_new: bool) -> None:
    """``entities.corpus_id`` (every row, or with ``only_new`` the rows that have none yet) and the
    ``corpus_entities`` rows of the ids it set. A corpus id depends on a row's name, type and story
    alone, so ``xdoc.link`` reads one row per (story, name, type) with the number of its articles."""
    names = con.execute(
        "SELECT a.story_id, e.name, e.type, count(DISTINCT e.article_id) FROM entities e JOIN articles a ON a.id = e.article_id "
        "WHERE e.name IS NOT NULL GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    rows = [xdoc.EntityRow(f"~{k}", "", name, typ, story, n) for k, (story, name, typ, n) in enumerate(names)]
    ids = xdoc.link(rows, state.lower_case_words(con))
    mapping = pa.table({  # noqa: F841 (read by DuckDB)
        "story": pa.array([r.story for r in rows], pa.string()), "name": pa.array([r.name for r in rows], pa.string()),
        "type": pa.array([r.type for r in rows], pa.string()),
        "corpus_id": pa.array([None if (cid := ids[(r.article_id, r.entity_id)]).startswith("local:") else cid for r in rows], pa.string()),
    })
    con.execute(
        "CREATE OR REPLACE TEMP TABLE linked AS SELECT e.article_id, e.entity_id, "
        "coalesce(m.corpus_id, 'local:' || e.article_id || '/' || e.entity_id) AS corpus_id "
        "FROM entities e JOIN articles a ON a.id = e.article_id "
        "LEFT JOIN mapping m ON m.story IS NOT DISTINCT FROM a.story_id AND m.name = e.name AND m.type IS NOT DISTINCT FROM e.type"
        + (" WHERE e.corpus_id IS NULL" if only_new else "")
    )
    if not only_new:
        con.execute("UPDATE entities SET corpus_id = NULL")
    con.execute(
        "UPDATE entities AS t SET corpus_id = l.corpus_id FROM linked AS l WHERE t.article_id = l.article_id AND t.entity_id = l.entity_id"
    )
    _corpus_entities(con, {c for (c,) in con.execute("SELECT DISTINCT corpus_id FROM linked").fetchall()} if only_new else None)
    con.execute("DROP TABLE linked")


def _corpus_entities(con: duckdb.DuckDBPyConnection, cids: set[str] | None) -> None:
    """``corpus_entities`` rows (all, or those of ``cids``): fullest name, type, roles, articles, mentions."""
    where = ""
    if cids is not None:
        state.register_ids(con, "touched_ids", cids)
        where = "WHERE corpus_id IN (SELECT id FROM touched_ids)"
    forms: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    roles: dict[str, set[str]] = defaultdict(set)
    mentions: Counter = Counter()
    for cid, name, typ, n, m, rls in con.execute(
        f"SELECT corpus_id, name, type, count(*), sum(coalesce(mentions, 0)), flatten(list(coalesce(roles, []))) FROM entities {where} GROUP BY ALL"
    ).fetchall():
        cleaned = clean(name, typ)
        if cleaned is not None and cid.endswith(":" + xdoc.slug(cleaned.key)):  # a name of its own, not one joined to it
            forms[cid][cleaned] += n
        types[cid][typ] += n
        roles[cid].update(rls or [])
        mentions[cid] += int(m or 0)
    articles = dict(con.execute(f"SELECT corpus_id, count(DISTINCT article_id) FROM entities {where} GROUP BY 1").fetchall())
    table = [
        {
            "corpus_id": cid, "name": fullest(forms[cid]).display if forms[cid] else None,
            "type": min(types[cid], key=lambda t: (-types[cid][t], t != cid.split(":")[0].upper(), t or "")),  # a tie: the id's own
            "roles": sorted(roles[cid]),
            "articles": articles[cid], "mentions": mentions[cid],
        }
        for cid in sorted(articles)
    ]
    if cids is None:
        store.replace_table(con, "corpus_entities", table)
        return
    con.execute("DELETE FROM corpus_entities WHERE corpus_id IN (SELECT id FROM touched_ids)")
    if table:
        data = pa.Table.from_pylist(table)  # noqa: F841 (read by DuckDB)
        con.execute("INSERT INTO corpus_entities BY NAME SELECT * FROM data")


def _descriptions(con: duckdb.DuckDBPyConnection, articles: set[str] | None, touched: Iterable[str] = ()) -> None:
    """``description_links`` of every article, or of ``articles`` alone (their stories, ``touched``,
    read for who each role and gender is): descriptions and leftover pronouns, linked (see descriptions)."""
    scope = where = ""
    if articles is not None:
        state.register_ids(con, "touched_ids", touched)
        state.register_ids(con, "linked_ids", articles)
        scope = "WHERE a.story_id IN (SELECT id FROM touched_ids)"
        where = "WHERE article_id IN (SELECT id FROM linked_ids)"
    found = con.execute(
        "SELECT e.article_id, e.entity_id, e.name, e.type, a.story_id, e.roles, e.mentions, e.corpus_id "
        f"FROM entities e JOIN articles a ON a.id = e.article_id {scope}"
    ).fetchall()
    ids = {(r[0], r[1]): r[7] for r in found}
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    texts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for art, ent, s, e, t in con.execute(
        'SELECT m.article_id, m.entity_id, m.start, m."end", m.text FROM mentions m JOIN articles a ON a.id = m.article_id ' + scope
    ).fetchall():
        if (art, ent) in ids:
            spans[art].append((s, e, ids[(art, ent)]))
            texts[(art, ent)].append(t or "")
    people: dict[str, list[descriptions.Person]] = defaultdict(list)
    story_of: dict[str, str | None] = {}
    for art, ent, _name, typ, story, rls, n, _cid in found:
        story_of[art] = story
        if typ == "PERSON":
            heads = frozenset(h for h in (descriptions.role_head(r) for r in rls or []) if h)
            people[art].append(descriptions.Person(ids[(art, ent)], heads, n or 0, descriptions.gender_of(texts[(art, ent)])))
        elif typ == "ORG":
            people[art].append(descriptions.Person(ids[(art, ent)], frozenset(), n or 0, organisation=True))
    by_story_role = descriptions.story_roles((a, story_of[a], p) for a, ps in people.items() for p in ps)
    nouns = frozenset(descriptions.PERSON_NOUNS) | {h for ps in people.values() for p in ps for h in p.role_heads}
    last_words = descriptions.story_last_words((story, name, ids[(art, ent)]) for art, ent, name, _t, story, _r, _n, _c in found)
    quotes: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for art, ent, content in con.execute(
        f"SELECT article_id, source_entity, content FROM attributions {where or 'WHERE TRUE'} AND source_entity IS NOT NULL "
        "ORDER BY article_id, attribution_id"
    ).fetchall():
        if (art, ent) in ids:
            quotes[art].extend((part["start"], part["end"], ids[(art, ent)]) for part in content or [])
    table = []
    for art, text, story in con.execute(f"SELECT id, text, story_id FROM articles {where.replace('article_id', 'id')} ORDER BY id").fetchall():
        for d in descriptions.link(text or "", story, spans.get(art, []), people.get(art, []), by_story_role, nouns, last_words, quotes.get(art, [])):
            table.append({"article_id": art, "start": d.start, "end": d.end, "text": (text or "")[d.start : d.end], "corpus_id": d.corpus_id})
    if articles is None:
        store.replace_table(con, "description_links", table)
        return
    con.execute(f"DELETE FROM description_links {where}")
    if table:
        data = pa.Table.from_pylist(table)  # noqa: F841 (read by DuckDB)
        con.execute("INSERT INTO description_links BY NAME SELECT * FROM data")


def fullest(forms: Counter) -> Name:
    """The name with most words, then the spelling used most often ("Hillary", not one "HIllary")."""
    return min(forms, key=lambda n: (-len(n.words), -forms[n], n.display.isupper(), n.display))


def stories_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """``[{"story", "articles", "title"}]``: articles by date then input order, stories by first article."""
    found = con.execute(
        "SELECT s.story_id, s.title, list(a.id ORDER BY a.published NULLS LAST, a.rowid) "
        "FROM stories s JOIN articles a ON a.story_id = s.story_id "
        "GROUP BY s.story_id, s.title, s.first_published, s.first_article "
        "ORDER BY s.first_published NULLS LAST, s.first_article"
    ).fetchall()
    return [{"story": sid, "articles": list(ids), "title": t} for sid, t, ids in found]
