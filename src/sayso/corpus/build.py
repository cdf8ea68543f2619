"""Brings a store's corpus layer up to date: near-duplicates, stories, one entity across articles.

``ensure`` is what ``sayso stories`` and ``sayso drift`` run first, so both work on a store that
``sayso batch --db`` has just made and on one that grew since. A rebuild regroups every article. An
update reads only the articles without a story (new since the last build) and what the last build
kept (``sayso.corpus.state``): their near-duplicates come from the stored LSH buckets, their story
candidates from the stored blocking terms, their vectors are weighed by the corpus's stored document
frequencies; the stories they may join are read as their kept centroids, and their entities are
counted into the stories' kept tallies (no member of a story is read back). Stories, corpus ids and
description links already made stay as they are; the stories that gained articles are marked for ``crossclaims``. With
nothing new, ``ensure`` does no corpus work at all. Each runs in one transaction, so an interrupted
build leaves the store as it was; only the caches (signatures, embeddings) are kept as they are made.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

import duckdb
import pyarrow as pa

from sayso.corpus import dedup, descriptions, state, stories, xdoc
from sayso.corpus.names import Name, clean
from sayso.corpus.vectors import counts, weigh
from sayso.store import corpus as store
from sayso.store import embeddings

REBUILD_CHUNK = 2000  # articles a rebuild places at once (ECB+'s 772 are one chunk: grouped together, as before)


def ensure(
    con: duckdb.DuckDBPyConnection,
    rebuild: bool = False,
    threshold: float = stories.THRESHOLD,
    progress: embeddings.Progress | None = None,
) -> list[dict[str, Any]]:
    """Bring the corpus layer up to date (everything regrouped with ``rebuild``, else only new
    articles placed); returns the ``stories`` rows. ``progress(done, total)`` follows the articles placed."""
    store.ensure_schema(con)
    state.ensure_tables(con)
    kept = _one(con, "SELECT count(*) FROM corpus_stories") > 0 and state.current(con)
    new = _one(con, "SELECT count(*) FROM articles WHERE story_id IS NULL")
    if rebuild or not kept:
        _rebuild(con, threshold, progress)  # a store whose state an older sayso kept, or none, too
    elif new:
        with store.memory_limit(con):  # what an update reads is a few rows of each big table: none kept cached
            _update(con, threshold)
        if progress:
            progress(new, new)
    return stories_rows(con)


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    return con.execute(sql).fetchone()[0]  # type: ignore[index]


def _order(r: dict[str, Any]) -> tuple:
    """Which of two copies is the original: the earlier by date, then by place in the store."""
    return (r["published"] is None, r["published"] or 0, r["ord"])


def _day(r: dict[str, Any]) -> int | None:
    d = store.as_date(r["published"])
    return d.toordinal() if d else None


def _article(r: dict[str, Any]) -> stories.Article:
    return stories.Article(id=r["id"], text=r["text"] or "", published=store.as_date(r["published"]), title=r["title"])


def _rebuild(con: duckdb.DuckDBPyConnection, threshold: float, progress: embeddings.Progress | None = None) -> None:
    """Every article placed afresh, in feed order (date, then place in the store), ``REBUILD_CHUNK``
    at a time as an update places them: the cost grows with the store, not its square, and no more
    than a chunk's texts are in memory at once. Story ids are kept from the last build by overlap."""
    previous = dict(con.execute("SELECT id, story_id FROM articles WHERE story_id IS NOT NULL").fetchall())
    ids = [
        a
        for (a,) in con.execute(
            "SELECT id FROM (SELECT id, published, row_number() OVER (ORDER BY rowid) AS ord FROM articles) "
            "ORDER BY published IS NULL, published, ord"
        ).fetchall()
    ]
    chunks = [ids[k : k + REBUILD_CHUNK] for k in range(0, len(ids), REBUILD_CHUNK)]
    for chunk in chunks:  # signatures first: a cache, committed as made, so a failed rebuild keeps them
        state.register_ids(con, "chunk_ids", chunk)
        state.signatures(
            con,
            dict(
                con.execute(
                    "SELECT id, coalesce(text, '') FROM articles WHERE id IN (SELECT id FROM chunk_ids)"
                ).fetchall()
            ),
        )
    with store.transaction(con):
        state.reset(con)
        con.execute("UPDATE articles SET story_id = NULL, duplicate_of = NULL")
        used: set[str] = set()
        for k, chunk in enumerate(chunks):
            state.register_ids(con, "chunk_ids", chunk)
            rows = store.read_articles(con, "id IN (SELECT id FROM chunk_ids)")
            _place(con, rows, threshold, previous, used)
            state.add_words(con, (r["text"] or "" for r in rows))
            if progress:
                progress(min((k + 1) * REBUILD_CHUNK, len(ids)), len(ids))
        _refresh_stories(con, None)
        _entities(con, None)
        _all_descriptions(con)
        state.mark_pending(con, used)


def _update(con: duckdb.DuckDBPyConnection, threshold: float) -> None:
    """The articles without a story placed among the stories kept; only theirs are read."""
    new = store.read_articles(con, "story_id IS NULL")
    new_ids = {r["id"] for r in new}
    with store.transaction(con):
        used = {s for (s,) in con.execute("SELECT story_id FROM corpus_stories").fetchall()}
        story_of, fresh = _place(con, new, threshold, {}, used)
        touched = set(story_of.values())
        _refresh_stories(con, new_ids)
        state.add_words(con, (r["text"] or "" for r in new))
        _entities(con, new_ids)
        _descriptions(con, new_ids, touched)
        state.mark_pending(con, {story_of[a] for a in fresh})  # a copy's claims are its original's: nothing to link


def _place(
    con: duckdb.DuckDBPyConnection,
    new: list[dict[str, Any]],
    threshold: float,
    previous: dict[str, str],
    used: set[str],
) -> tuple[dict[str, str], list[str]]:
    """Articles without a story placed: each near-duplicate (found through the stored LSH buckets)
    joins its original's story; the originals are weighed by the corpus's stored document
    frequencies and join a kept story or open their own (``stories.join_stories``, against the
    stored story centroids). A new story takes the id of ``previous`` (article -> story of the last
    build) it overlaps most, else a new one; ``used`` ids are never given again and gain the new
    ones. Returns each new article's story and the originals among them."""
    new_ids = {r["id"] for r in new}
    sigs = state.signatures(con, {r["id"]: r["text"] or "" for r in new})
    pairs = state.similar_pairs(con, sigs, new_ids)
    state.register_ids(con, "wanted_ids", {a for p in pairs for a in p} - new_ids)
    placed = {
        r["id"]: r for r in store.read_articles(con, "story_id IS NOT NULL AND id IN (SELECT id FROM wanted_ids)")
    }
    pairs = [
        (a, b) for a, b in pairs if (a in new_ids or a in placed) and (b in new_ids or b in placed)
    ]  # not those of later chunks
    order = {r["id"]: _order(r) for r in [*new, *placed.values()]}
    dups = {
        a: o
        for a, o in dedup.originals(order, pairs, {a: r["duplicate_of"] for a, r in placed.items()}).items()
        if a in new_ids
    }
    store.set_column(con, "articles", ["id"], "duplicate_of", sorted(dups.items()))
    fresh = sorted((r for r in new if r["id"] not in dups), key=lambda r: r["id"])
    ids = [r["id"] for r in fresh]
    found = [counts(r["text"] or "") for r in fresh]
    days = {r["id"]: _day(r) for r in fresh}
    seqs = state.add_terms(con, dict(zip(ids, found, strict=True)), days)
    df, n_docs = state.frequencies(con, {t for c in found for t in c})
    vectors, vocab = weigh(found, df, n_docs)
    blocks = stories.blocking_terms(vectors)
    terms = [[vocab[k] for k in b] for b in blocks]
    state.add_blocks(con, dict(zip(ids, terms, strict=True)))
    sums, sizes = state.story_sums(
        con, ids, vectors, vocab, terms, days, seqs, stories.WINDOW_DAYS, stories.WINDOW_ARTICLES
    )
    joined = stories.join_stories([_article(r) for r in fresh], vectors, blocks, sums, sizes, threshold)
    opened = iter(stories.name_stories([g for g, sid in joined if sid is None], previous, used))
    story_of = {a.id: sid for g, sid in ((g, sid or next(opened)) for g, sid in joined) for a in g}
    state.add_to_stories(con, story_of, ids, vectors, vocab, terms, days, seqs)
    state.register_ids(con, "wanted_ids", set(dups.values()) - set(story_of))
    story_of.update(
        dict(con.execute("SELECT id, story_id FROM articles WHERE id IN (SELECT id FROM wanted_ids)").fetchall())
    )
    story_of.update({a: story_of[o] for a, o in dups.items()})
    store.set_column(con, "articles", ["id"], "story_id", sorted(story_of.items()))
    return story_of, ids


def _refresh_stories(con: duckdb.DuckDBPyConnection, new: set[str] | None) -> None:
    """Rewrite the ``stories`` rows: all of them from their articles, or (``new``: the articles
    just placed) those the new articles joined, from the row kept and the new members alone (a
    story's first article is the earlier of its kept first and its new ones; its count grows by
    theirs). A row holds the first article's title or first line; only that article's text is read."""
    members: dict[str, list[stories.Article]] = defaultdict(list)
    kept: dict[str, tuple[str, int, str | None]] = {}
    where = ""
    if new is not None:
        state.register_ids(con, "placed_ids", new)
        where = "AND id IN (SELECT id FROM placed_ids)"
    for sid, aid, published in con.execute(
        f"SELECT story_id, id, published FROM articles WHERE story_id IS NOT NULL {where}"
    ).fetchall():
        members[sid].append(stories.Article(id=aid, text="", published=store.as_date(published)))
    added = {sid: len(m) for sid, m in members.items()}
    if new is not None:
        state.register_ids(con, "touched_ids", members)
        for sid, title, n, aid, published in con.execute(
            "SELECT story_id, title, articles, first_article, first_published FROM stories WHERE story_id IN (SELECT id FROM touched_ids)"
        ).fetchall():
            kept[sid] = (aid, n, title)
            members[sid].append(stories.Article(id=aid, text="", published=published))
    first = {sid: min(m, key=stories._first_key) for sid, m in members.items()}
    state.register_ids(con, "first_ids", [a.id for sid, a in first.items() if sid not in kept or kept[sid][0] != a.id])
    heads = {
        aid: (title, head)
        for aid, title, head in con.execute(
            "SELECT id, title, left(text, 2000) FROM articles WHERE id IN (SELECT id FROM first_ids)"
        ).fetchall()
    }
    rows = []
    for sid in sorted(members):
        a = first[sid]
        if sid in kept and kept[sid][0] == a.id:
            title = kept[sid][2]
        else:
            given, head = heads[a.id]
            title = stories.title([stories.Article(id=a.id, text=head or "", published=a.published, title=given)])
        count = added[sid] + (kept[sid][1] if sid in kept else 0)
        rows.append({"story_id": sid, "title": title, "articles": count, "first_article": a.id, "first_published": a.published})
    if new is None:
        store.replace_table(con, "stories", rows)
        return
    con.execute("DELETE FROM stories WHERE story_id IN (SELECT id FROM touched_ids)")
    if rows:
        data = pa.Table.from_pylist(rows)  # noqa: F841 (read by DuckDB)
        con.execute("INSERT INTO stories BY NAME SELECT * FROM data")


def _entities(con: duckdb.DuckDBPyConnection, new: set[str] | None) -> None:
    """``entities.corpus_id`` (every row, or the rows of the ``new`` articles) and the
    ``corpus_entities`` rows of the ids it set. A corpus id depends on a row's name, type and story
    alone, so ``xdoc.link`` reads the kept tally of (story, name, type) with the number of their
    articles (``corpus_names``), into which the new rows are counted first."""
    scope = "TRUE"  # the entity rows (``e``) linked now
    if new is not None:
        state.register_ids(con, "entity_ids", new)
        scope = "e.article_id IN (SELECT id FROM entity_ids)"
    else:
        con.execute("UPDATE entities SET corpus_id = NULL")
        con.execute("DELETE FROM corpus_entities")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE added_names AS SELECT a.story_id, e.name, e.type, count(DISTINCT e.article_id) AS articles "
        f"FROM entities e JOIN articles a ON a.id = e.article_id WHERE e.name IS NOT NULL AND {scope} GROUP BY ALL"
    )
    state.add_counts(con, "corpus_names", "added_names", "story_id", {"articles": "sum(articles)"})
    names = con.execute("SELECT story_id, name, type, articles FROM corpus_names ORDER BY ALL").fetchall()
    rows = [xdoc.EntityRow(f"~{k}", "", name, typ, story, n) for k, (story, name, typ, n) in enumerate(names)]
    ids = xdoc.link(rows, state.lower_case_words(con))
    mapping = pa.table(  # noqa: F841 (read by DuckDB)
        {
            "story": pa.array([r.story for r in rows], pa.string()),
            "name": pa.array([r.name for r in rows], pa.string()),
            "type": pa.array([r.type for r in rows], pa.string()),
            "corpus_id": pa.array(
                [None if (cid := ids[(r.article_id, r.entity_id)]).startswith("local:") else cid for r in rows],
                pa.string(),
            ),
        }
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE linked AS SELECT e.article_id, e.entity_id, "
        "coalesce(m.corpus_id, 'local:' || e.article_id || '/' || e.entity_id) AS corpus_id "
        "FROM entities e JOIN articles a ON a.id = e.article_id "
        "LEFT JOIN mapping m ON m.story IS NOT DISTINCT FROM a.story_id AND m.name = e.name AND m.type IS NOT DISTINCT FROM e.type "
        f"WHERE {scope}"
    )
    con.execute(
        "UPDATE entities AS t SET corpus_id = l.corpus_id FROM linked AS l WHERE t.article_id = l.article_id AND t.entity_id = l.entity_id"
    )
    con.execute("DROP TABLE linked")
    _corpus_entities(con, scope)


def _corpus_entities(con: duckdb.DuckDBPyConnection, scope: str) -> None:
    """``corpus_entities`` rows of the corpus ids of the entity rows in ``scope`` (a condition on
    ``entities e``: ``TRUE`` for all): fullest name, type, roles, articles, mentions. The rows are counted
    into the kept tally per (corpus id, name, type) (``corpus_entity_names``) and an id's row is made
    from its tally alone; its articles are those kept plus the new ones (an update's articles are
    new to every id)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE added_entities AS SELECT corpus_id, name, type, count(*) AS entities, "
        f"sum(coalesce(mentions, 0)) AS mentions, list_sort(list_distinct(flatten(list(coalesce(roles, []))))) AS roles FROM entities e WHERE {scope} GROUP BY ALL"
    )
    state.add_counts(
        con, "corpus_entity_names", "added_entities", "corpus_id",
        {"entities": "sum(entities)", "mentions": "sum(mentions)", "roles": "list_sort(list_distinct(flatten(list(roles))))"},
    )
    articles = dict(
        con.execute(
            f"SELECT n.corpus_id, n.articles + coalesce(k.articles, 0) FROM (SELECT corpus_id, count(DISTINCT article_id) AS articles "
            f"FROM entities e WHERE {scope} GROUP BY 1) n LEFT JOIN corpus_entities k ON k.corpus_id = n.corpus_id"
        ).fetchall()
    )
    forms: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    roles: dict[str, set[str]] = defaultdict(set)
    mentions: Counter = Counter()
    for cid, name, typ, n, m, rls in con.execute(
        "SELECT corpus_id, name, type, entities, mentions, roles FROM corpus_entity_names "
        "WHERE corpus_id IN (SELECT corpus_id FROM added_entities)"
    ).fetchall():
        cleaned = clean(name, typ)
        if cleaned is not None and cid.endswith(
            ":" + xdoc.slug(cleaned.key)
        ):  # a name of its own, not one joined to it
            forms[cid][cleaned] += n
        types[cid][typ] += n
        roles[cid].update(rls or [])
        mentions[cid] += int(m or 0)
    table = [
        {
            "corpus_id": cid,
            "name": fullest(forms[cid]).display if forms[cid] else None,
            "type": min(
                types[cid], key=lambda t: (-types[cid][t], t != cid.split(":")[0].upper(), t or "")
            ),  # a tie: the id's own
            "roles": sorted(roles[cid]),
            "articles": articles[cid],
            "mentions": mentions[cid],
        }
        for cid in sorted(articles)
    ]
    con.execute("DELETE FROM corpus_entities WHERE corpus_id IN (SELECT corpus_id FROM added_entities)")
    if table:
        data = pa.Table.from_pylist(table)  # noqa: F841 (read by DuckDB)
        con.execute("INSERT INTO corpus_entities BY NAME SELECT * FROM data")
    con.execute("DROP TABLE added_entities")


def _all_descriptions(con: duckdb.DuckDBPyConnection) -> None:
    """``description_links`` of every article, whole stories at a time, about ``REBUILD_CHUNK``
    articles each (a store of one chunk is read at once, as before)."""
    con.execute("DELETE FROM description_links")
    batch: list[str] = []
    ids: set[str] = set()
    found = con.execute("SELECT story_id, list(id) FROM articles WHERE story_id IS NOT NULL GROUP BY 1 ORDER BY 1").fetchall()
    for k, (sid, members) in enumerate(found):
        batch.append(sid)
        ids.update(members)
        if len(ids) >= REBUILD_CHUNK or k == len(found) - 1:
            _descriptions(con, ids, batch)
            batch, ids = [], set()


def _descriptions(con: duckdb.DuckDBPyConnection, articles: set[str], touched: Iterable[str]) -> None:
    """``description_links`` of ``articles``: descriptions and leftover pronouns, linked (see
    descriptions). Who holds each role and gender in their stories (``touched``) comes from the kept
    tally of their entities (``corpus_story_people``: rows alike counted once), into which the
    entities of ``articles`` are counted first; entities and mentions are read for ``articles`` alone,
    so the cost follows the new articles, not the stories they join."""
    state.register_ids(con, "touched_ids", touched)
    state.register_ids(con, "linked_ids", articles)
    where = "WHERE article_id IN (SELECT id FROM linked_ids)"
    female = [w for w, g in descriptions.PRONOUN_GENDER.items() if g == "f"]
    male = [w for w, g in descriptions.PRONOUN_GENDER.items() if g == "m"]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE story_entities AS "
        "WITH ent AS (SELECT e.rowid AS r, e.article_id, e.entity_id, e.name, e.type, a.story_id, e.roles, coalesce(e.mentions, 0) AS n, e.corpus_id "
        "  FROM entities e JOIN articles a ON a.id = e.article_id WHERE e.article_id IN (SELECT id FROM linked_ids)), "
        "pron AS (SELECT m.article_id, m.entity_id, count(*) FILTER (WHERE list_contains($f, lower(m.text))) AS f, "
        "  count(*) FILTER (WHERE list_contains($m, lower(m.text))) AS m "
        "  FROM mentions m SEMI JOIN ent ON ent.article_id = m.article_id AND ent.entity_id = m.entity_id "
        "  WHERE m.article_id IN (SELECT id FROM linked_ids) GROUP BY 1, 2) "
        "SELECT ent.*, coalesce(pron.f, 0) AS f, coalesce(pron.m, 0) AS m FROM ent "
        "LEFT JOIN pron ON pron.article_id = ent.article_id AND pron.entity_id = ent.entity_id",
        {"f": female, "m": male},
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE added_people AS SELECT story_id, corpus_id, type, roles, f, m, name, count(*) AS entities, "
        "sum(n) AS mentions FROM story_entities GROUP BY ALL"
    )
    state.add_counts(con, "corpus_story_people", "added_people", "story_id", {"entities": "sum(entities)", "mentions": "sum(mentions)"})
    con.execute("DROP TABLE added_people")

    def person(cid: str, typ: str, rls: list[str] | None, n: int, f: int, m: int, entities: int = 1) -> descriptions.Person | None:
        if typ == "ORG":
            return descriptions.Person(cid, frozenset(), n, organisation=True, entities=entities)
        if typ != "PERSON":
            return None
        heads = frozenset(h for h in (descriptions.role_head(r) for r in rls or []) if h)
        return descriptions.Person(cid, heads, n, descriptions.gender_by_counts(f, m), entities=entities)

    tallied = con.execute(
        "SELECT story_id, corpus_id, type, roles, f, m, name, entities, mentions FROM corpus_story_people "
        "WHERE story_id IN (SELECT id FROM touched_ids) ORDER BY ALL"
    ).fetchall()
    alike = [(story, p) for story, cid, typ, rls, f, m, _name, k, n in tallied if (p := person(cid, typ, rls, int(n), f, m, int(k)))]
    by_story_role = descriptions.story_roles(("", story, p) for story, p in alike)
    nouns = frozenset(descriptions.PERSON_NOUNS) | {h for _, p in alike for h in p.role_heads}
    last_words = descriptions.story_last_words((story, name, cid) for story, cid, _t, _r, _f, _m, name, _k, _n in tallied)
    ids: dict[tuple[str, str], str] = {}
    people: dict[str, list[descriptions.Person]] = defaultdict(list)
    for art, ent, cid, typ, rls, n, f, m in con.execute(
        "SELECT article_id, entity_id, corpus_id, type, roles, n, f, m FROM story_entities ORDER BY r"
    ).fetchall():
        ids[(art, ent)] = cid
        if p := person(cid, typ, rls, n, f, m):
            people[art].append(p)
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for art, ent, s, e in con.execute(f'SELECT article_id, entity_id, start, "end" FROM mentions {where} ORDER BY rowid').fetchall():
        if (art, ent) in ids:
            spans[art].append((s, e, ids[(art, ent)]))
    con.execute("DROP TABLE story_entities")
    quotes: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for art, ent, content in con.execute(
        f"SELECT article_id, source_entity, content FROM attributions {where} AND source_entity IS NOT NULL "
        "ORDER BY article_id, attribution_id"
    ).fetchall():
        if (art, ent) in ids:
            quotes[art].extend((part["start"], part["end"], ids[(art, ent)]) for part in content or [])
    table = []
    for art, text, story in con.execute(
        f"SELECT id, text, story_id FROM articles {where.replace('article_id', 'id')} ORDER BY id"
    ).fetchall():
        for d in descriptions.link(
            text or "",
            story,
            spans.get(art, []),
            people.get(art, []),
            by_story_role,
            nouns,
            last_words,
            quotes.get(art, []),
        ):
            table.append(
                {
                    "article_id": art,
                    "start": d.start,
                    "end": d.end,
                    "text": (text or "")[d.start : d.end],
                    "corpus_id": d.corpus_id,
                }
            )
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
