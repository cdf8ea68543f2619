"""Brings a store's corpus layer up to date: near-duplicates, stories, one entity across articles.

``ensure`` is what ``sayso stories`` and ``sayso drift`` run first, so both work on a store that
``sayso batch --db`` has just made and on one that grew since.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

import duckdb
import numpy as np

from sayso.corpus import dedup, descriptions, paraphrase, stories, xdoc
from sayso.corpus.names import Name, clean
from sayso.store import corpus as store
from sayso.store import embeddings

_LOWER = re.compile(r"(?<![\w'’.])[a-z][a-z'’-]+\b")
_CAPITALISED = re.compile(r"(?<![\w'’.])[A-Z][a-z'’-]+\b")


def ensure(
    con: duckdb.DuckDBPyConnection, rebuild: bool = False, threshold: float = stories.THRESHOLD, progress: embeddings.Progress | None = None
) -> list[dict[str, Any]]:
    """Update duplicates, stories (all of them with ``rebuild``, else only articles without one) and
    corpus ids; returns the ``stories`` rows. ``progress(done, total)`` follows the embedding."""
    store.ensure_schema(con)
    rows = store.read_articles(con)
    dups = dedup.duplicate_of(
        [r["id"] for r in rows], [r["text"] or "" for r in rows], [(r["published"] is None, r["published"] or 0, r["ord"]) for r in rows]
    )
    missing = any(r["story_id"] is None for r in rows)
    regroup = rebuild or missing or not con.execute("SELECT count(*) FROM stories").fetchone()[0]  # type: ignore[index]
    leads = lead_vectors(con, rows, dups, progress) if regroup else {}  # embedded before the transaction: a cache, kept if it fails
    con.execute("BEGIN TRANSACTION")
    try:
        store.replace_column(con, "articles", ["id"], "duplicate_of", sorted(dups.items()))
        if regroup:
            _stories(con, rows, dups, update=not rebuild, threshold=threshold, leads=leads)
        _entities(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return stories_rows(con)


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


def _stories(
    con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], dups: dict[str, str], update: bool, threshold: float,
    leads: dict[str, np.ndarray],
) -> None:
    arts = [
        stories.Article(
            id=r["id"], text=r["text"] or "", published=store.as_date(r["published"]), title=r["title"],
            story=r["story_id"], duplicate_of=dups.get(r["id"]), lead_vector=leads.get(r["id"]),
        )
        for r in rows
    ]
    previous = {a.id: a.story for a in arts if a.story is not None}
    groups = stories.group(arts, threshold=threshold, update=update and bool(previous))
    names = stories.name_stories(groups, previous)
    store.replace_column(con, "articles", ["id"], "story_id", [(a.id, sid) for g, sid in zip(groups, names, strict=True) for a in g])
    table = []
    for g, sid in zip(groups, names, strict=True):
        first = min(g, key=stories._first_key)
        table.append({"story_id": sid, "title": stories.title(g), "articles": len(g), "first_article": first.id, "first_published": first.published})
    store.replace_table(con, "stories", table)


def _entities(con: duckdb.DuckDBPyConnection) -> None:
    found = con.execute(
        "SELECT e.article_id, e.entity_id, e.name, e.type, a.story_id, e.roles, e.mentions "
        "FROM entities e JOIN articles a ON a.id = e.article_id"
    ).fetchall()
    ids = xdoc.link((xdoc.EntityRow(r[0], r[1], r[2], r[3], r[4]) for r in found), lower_case_words(con))
    store.replace_column(con, "entities", ["article_id", "entity_id"], "corpus_id", [(a, e, c) for (a, e), c in sorted(ids.items())])
    forms: dict[str, Counter] = defaultdict(Counter)
    types: dict[str, Counter] = defaultdict(Counter)
    roles: dict[str, set[str]] = defaultdict(set)
    articles: dict[str, set[str]] = defaultdict(set)
    mentions: Counter = Counter()
    for art, ent, name, typ, _, rls, n in found:
        cid = ids[(art, ent)]
        cleaned = clean(name, typ)
        if cleaned is not None and cid.endswith(":" + xdoc.slug(cleaned.key)):  # a name of its own, not one joined to it
            forms[cid][cleaned] += 1
        types[cid][typ] += 1
        roles[cid].update(rls or [])
        articles[cid].add(art)
        mentions[cid] += n or 0
    table = [
        {
            "corpus_id": cid, "name": fullest(forms[cid]).display if forms[cid] else None,
            "type": types[cid].most_common(1)[0][0], "roles": sorted(roles[cid]),
            "articles": len(articles[cid]), "mentions": mentions[cid],
        }
        for cid in sorted(articles)
    ]
    store.replace_table(con, "corpus_entities", table)
    _descriptions(con, found, ids)


def _descriptions(con: duckdb.DuckDBPyConnection, found: list[tuple], ids: dict[tuple[str, str], str]) -> None:
    """``description_links``: descriptions and leftover pronouns of each article, linked (see descriptions)."""
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    texts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for art, ent, s, e, t in con.execute('SELECT article_id, entity_id, start, "end", text FROM mentions').fetchall():
        if (art, ent) in ids:
            spans[art].append((s, e, ids[(art, ent)]))
            texts[(art, ent)].append(t or "")
    people: dict[str, list[descriptions.Person]] = defaultdict(list)
    story_of: dict[str, str | None] = {}
    for art, ent, _name, typ, story, rls, n in found:
        story_of[art] = story
        if typ == "PERSON":
            heads = frozenset(h for h in (descriptions.role_head(r) for r in rls or []) if h)
            people[art].append(descriptions.Person(ids[(art, ent)], heads, n or 0, descriptions.gender_of(texts[(art, ent)])))
        elif typ == "ORG":
            people[art].append(descriptions.Person(ids[(art, ent)], frozenset(), n or 0, organisation=True))
    by_story_role = descriptions.story_roles((a, story_of[a], p) for a, ps in people.items() for p in ps)
    nouns = frozenset(descriptions.PERSON_NOUNS) | {h for ps in people.values() for p in ps for h in p.role_heads}
    last_words = descriptions.story_last_words((story, name, ids[(art, ent)]) for art, ent, name, _t, story, _r, _n in found)
    quotes: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for art, ent, content in con.execute(
        "SELECT article_id, source_entity, content FROM attributions WHERE source_entity IS NOT NULL ORDER BY article_id, attribution_id"
    ).fetchall():
        if (art, ent) in ids:
            quotes[art].extend((part["start"], part["end"], ids[(art, ent)]) for part in content or [])
    table = []
    for art, text, story in con.execute("SELECT id, text, story_id FROM articles ORDER BY id").fetchall():
        for d in descriptions.link(text or "", story, spans.get(art, []), people.get(art, []), by_story_role, nouns, last_words, quotes.get(art, [])):
            table.append({"article_id": art, "start": d.start, "end": d.end, "text": (text or "")[d.start : d.end], "corpus_id": d.corpus_id})
    store.replace_table(con, "description_links", table)


def fullest(forms: Counter) -> Name:
    """The name with most words, then the spelling used most often ("Hillary", not one "HIllary")."""
    return min(forms, key=lambda n: (-len(n.words), -forms[n], n.display.isupper(), n.display))


def lower_case_words(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """Words the store's articles write in lower case at least twice and twice as often as
    capitalised: common words ("checks", "comedian"), not names ("Bill" in a corpus about him)."""
    lower: Counter = Counter()
    upper: Counter = Counter()
    for (text,) in con.execute("SELECT text FROM articles").fetchall():
        lower.update(_LOWER.findall(text or ""))
        upper.update(w.lower() for w in _CAPITALISED.findall(text or ""))
    return frozenset(w for w, n in lower.items() if n >= 2 and n >= 2 * upper[w])


def stories_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """``[{"story", "articles", "title"}]``: articles by date then input order, stories by first article."""
    found = con.execute(
        "SELECT s.story_id, s.title, list(a.id ORDER BY a.published NULLS LAST, a.rowid) "
        "FROM stories s JOIN articles a ON a.story_id = s.story_id "
        "GROUP BY s.story_id, s.title, s.first_published, s.first_article "
        "ORDER BY s.first_published NULLS LAST, s.first_article"
    ).fetchall()
    return [{"story": sid, "articles": list(ids), "title": t} for sid, t, ids in found]
