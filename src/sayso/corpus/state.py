"""What the corpus layer keeps in the store so that an update reads only what is new.

Per article: its MinHash signature and LSH bucket keys (``corpus_signatures``, ``corpus_buckets``),
and, for each original in a story, its blocking terms (``corpus_blocks``), its day and place in feed
order (``corpus_articles``) and its terms counted into the corpus's document frequencies
(``corpus_terms``). Per story: the sum of its originals' TF-IDF vectors (``corpus_centroids``: a new
article's dot product with it is the sum of its cosines to the members, what average linkage needs),
the union of their blocking terms (``corpus_story_blocks``) and its size and span
(``corpus_stories``), so placing an article reads no member of the story it joins; and the tallies
an update counts its new entities into instead of regrouping the stories they join: each (name,
type) of the story with its articles (``corpus_names``, what corpus ids are linked from) and its
people by corpus id, type, roles and pronoun genders (``corpus_story_people``, what descriptions
are linked to). Per corpus id: its (name, type) rows counted (``corpus_entity_names``, what its
``corpus_entities`` row is made from). Per corpus: how often each word is written in lower case and
capitalised (``corpus_words``), the stories whose claim links are out of date (``corpus_pending``),
the articles whose claims are linked (``corpus_linked``) and the version of these tables
(``corpus_version``: a store kept at another is rebuilt). A rebuild rewrites all of it (the
signatures are kept: an article's text does not change); an update adds the rows of its new articles
and finds their near-duplicate and story candidates with joins here, not loops over every row.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import scipy.sparse as sp

from sayso.corpus import dedup

TABLES = {
    "corpus_signatures": f"article_id VARCHAR, signature UBIGINT[{dedup.PERMUTATIONS}]",
    "corpus_buckets": "article_id VARCHAR, bucket BIGINT",
    "corpus_articles": "article_id VARCHAR, day INTEGER, seq BIGINT",
    "corpus_stories": "story_id VARCHAR PRIMARY KEY, originals INTEGER, first_day INTEGER, last_day INTEGER, last_seq BIGINT",
    "corpus_centroids": "story_id VARCHAR, term VARCHAR, weight DOUBLE, PRIMARY KEY (story_id, term)",
    "corpus_story_blocks": "story_id VARCHAR, term VARCHAR, PRIMARY KEY (story_id, term)",
    "corpus_terms": "term VARCHAR PRIMARY KEY, df INTEGER",
    "corpus_blocks": "article_id VARCHAR, term VARCHAR",
    "corpus_words": "word VARCHAR PRIMARY KEY, lower INTEGER, upper INTEGER",
    "corpus_names": "story_id VARCHAR, name VARCHAR, type VARCHAR, articles BIGINT",
    "corpus_entity_names": "corpus_id VARCHAR, name VARCHAR, type VARCHAR, entities BIGINT, mentions BIGINT, roles VARCHAR[]",
    "corpus_story_people": (
        "story_id VARCHAR, corpus_id VARCHAR, type VARCHAR, roles VARCHAR[], f BIGINT, m BIGINT, name VARCHAR, entities BIGINT, mentions BIGINT"
    ),
    "corpus_version": "version INTEGER",
    "corpus_pending": "story_id VARCHAR",
    "corpus_linked": "article_id VARCHAR",
}
_PAIR_BLOCK = 20_000  # candidate pairs compared at once
VERSION = 2  # what the tables hold; a store kept at another version is rebuilt
_LOWER = re.compile(r"(?<![\w'’.])[a-z][a-z'’-]+\b")
_CAPITALISED = re.compile(r"(?<![\w'’.])[A-Z][a-z'’-]+\b")


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table, definition in TABLES.items():
        con.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({definition})')


RECOMPUTED = (
    "corpus_articles",
    "corpus_stories",
    "corpus_centroids",
    "corpus_story_blocks",
    "corpus_terms",
    "corpus_blocks",
    "corpus_words",
    "corpus_names",
    "corpus_entity_names",
    "corpus_story_people",
    "corpus_version",
    "corpus_pending",
    "corpus_linked",
)


def reset(con: duckdb.DuckDBPyConnection) -> None:
    """Empty what a rebuild recomputes (made afresh, so a store kept by an older sayso gets today's
    columns); signatures of articles no longer in the store go too."""
    for table in RECOMPUTED:
        con.execute(f'DROP TABLE IF EXISTS "{table}"')
        con.execute(f'CREATE TABLE "{table}" ({TABLES[table]})')
    for table in ("corpus_signatures", "corpus_buckets"):
        con.execute(f'DELETE FROM "{table}" WHERE article_id NOT IN (SELECT id FROM articles)')
    con.execute("INSERT INTO corpus_version VALUES (?)", [VERSION])


def current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the state kept is this sayso's (a store kept by an older one is rebuilt, not updated)."""
    return con.execute("SELECT count(*) FROM corpus_version WHERE version = ?", [VERSION]).fetchone() == (1,)


def add_counts(con: duckdb.DuckDBPyConnection, table: str, added: str, scope: str, totals: Mapping[str, str]) -> None:
    """Count the rows of the temp table ``added`` into ``table``: rows alike in every column but
    those of ``totals`` (column -> the aggregate that merges it, e.g. ``sum(articles)``) become one.
    Only the rows of ``table`` that share a ``scope`` value (a story, a corpus id) with ``added``
    are rewritten, so the cost follows what the new articles touch."""
    merged = ", ".join(f"{agg} AS {col}" for col, agg in totals.items())
    con.execute(
        f'CREATE OR REPLACE TEMP TABLE merged_counts AS SELECT * EXCLUDE ({", ".join(totals)}), {merged} FROM ('
        f'  SELECT * FROM "{table}" WHERE {scope} IN (SELECT {scope} FROM "{added}") UNION ALL BY NAME SELECT * FROM "{added}"'
        ") GROUP BY ALL"
    )
    con.execute(f'DELETE FROM "{table}" WHERE {scope} IN (SELECT {scope} FROM "{added}")')
    con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM merged_counts')
    con.execute("DROP TABLE merged_counts")


def register_ids(con: duckdb.DuckDBPyConnection, name: str, ids: Iterable[str]) -> None:
    """Register ``ids`` as a one-column table ``name`` (column ``id``) for the queries that follow."""
    data = pa.table({"id": pa.array(sorted(set(ids)), pa.string())})  # noqa: F841 (read by DuckDB)
    con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS SELECT id FROM data')


def signatures(con: duckdb.DuckDBPyConnection, texts: Mapping[str, str]) -> dict[str, np.ndarray]:
    """Each article's signature, read from the store or computed now and stored with its buckets."""
    have = _stored_signatures(con, texts)
    made = {a: dedup.signature(t) for a, t in sorted(texts.items()) if a not in have}
    if made:
        ids = list(made)
        sigs = pa.table(  # noqa: F841 (read by DuckDB)
            {
                "article_id": pa.array(ids, pa.string()),
                "signature": pa.array([made[a].tolist() for a in ids], pa.list_(pa.uint64(), dedup.PERMUTATIONS)),
            }
        )
        keys = [(a, k) for a in ids for k in dedup.buckets(made[a])]
        buckets = pa.table({"article_id": [a for a, _ in keys], "bucket": pa.array([k for _, k in keys], pa.int64())})  # noqa: F841
        con.execute("INSERT INTO corpus_signatures SELECT * FROM sigs")
        con.execute("INSERT INTO corpus_buckets SELECT * FROM buckets")
    return {**have, **made}


def similar_pairs(con: duckdb.DuckDBPyConnection, sigs: Mapping[str, np.ndarray], new: Iterable[str]) -> list[tuple[str, str]]:
    """Near-duplicate pairs (a < b) among the stored articles with a ``new`` one in them, found
    through the buckets the new articles share (joined from theirs, so the cost follows what they
    collide with, not every collision in the store). Signatures not in ``sigs`` are read."""
    register_ids(con, "new_ids", new)
    found = con.execute(
        "SELECT DISTINCT least(x.article_id, y.article_id), greatest(x.article_id, y.article_id) "
        "FROM (SELECT * FROM corpus_buckets WHERE article_id IN (SELECT id FROM new_ids)) x "
        "JOIN corpus_buckets y ON x.bucket = y.bucket AND x.article_id <> y.article_id"
    ).fetchall()
    if not found:
        return []
    missing = {a for pair in found for a in pair if a not in sigs}
    sigs = {**sigs, **_stored_signatures(con, missing)} if missing else sigs
    ids = sorted({a for pair in found for a in pair})
    at = {a: k for k, a in enumerate(ids)}
    matrix = np.stack([sigs[a] for a in ids])
    left = np.fromiter((at[a] for a, _ in found), dtype=np.int64, count=len(found))
    right = np.fromiter((at[b] for _, b in found), dtype=np.int64, count=len(found))
    keep = np.concatenate([  # ``dedup.similar`` for a block of pairs at once (a block's two matrices stay small)
        dedup.agreement(matrix[left[k : k + _PAIR_BLOCK]], matrix[right[k : k + _PAIR_BLOCK]]) >= dedup.THRESHOLD
        for k in range(0, len(found), _PAIR_BLOCK)
    ])
    return sorted(pair for pair, k in zip(found, keep, strict=True) if k)


def _stored_signatures(con: duckdb.DuckDBPyConnection, ids: Iterable[str]) -> dict[str, np.ndarray]:
    """The stored signatures of ``ids``, read as one uint64 matrix (not a Python list of ints each)."""
    register_ids(con, "wanted_ids", ids)
    found = con.sql(
        "SELECT article_id, signature FROM corpus_signatures WHERE article_id IN (SELECT id FROM wanted_ids)"
    ).to_arrow_table()
    flat = found.column("signature").combine_chunks().flatten() if found.num_rows else pa.array([], pa.uint64())
    matrix = np.asarray(flat.to_numpy(zero_copy_only=False), dtype=np.uint64).reshape(-1, dedup.PERMUTATIONS)
    return dict(zip(found.column("article_id").to_pylist(), matrix, strict=True))


def add_terms(
    con: duckdb.DuckDBPyConnection, counts: Mapping[str, Counter], days: Mapping[str, int | None]
) -> dict[str, int]:
    """Count these originals' terms into the corpus's document frequencies; returns the place in
    feed order each is given (after every original counted before, in id order)."""
    df: Counter[str] = Counter()
    for c in counts.values():
        df.update(c.keys())
    rows = pa.table({"term": pa.array(list(df), pa.string()), "df": pa.array(list(df.values()), pa.int32())})  # noqa: F841
    con.execute("INSERT INTO corpus_terms SELECT * FROM rows ON CONFLICT (term) DO UPDATE SET df = df + excluded.df")
    ids = sorted(counts)
    first = _one(con, "SELECT coalesce(max(seq) + 1, 0) FROM corpus_articles")
    seq = {a: first + k for k, a in enumerate(ids)}
    arts = pa.table(  # noqa: F841 (read by DuckDB)
        {
            "article_id": pa.array(ids, pa.string()),
            "day": pa.array([days.get(a) for a in ids], pa.int32()),
            "seq": pa.array([seq[a] for a in ids], pa.int64()),
        }
    )
    con.execute("INSERT INTO corpus_articles SELECT * FROM arts")
    return seq


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    return con.execute(sql).fetchone()[0]  # type: ignore[index]


def frequencies(con: duckdb.DuckDBPyConnection, terms: Iterable[str]) -> tuple[dict[str, int], int]:
    """The stored document frequency of each term, and the number of articles counted."""
    wanted = pa.table({"term": pa.array(sorted(set(terms)), pa.string())})  # noqa: F841
    df = dict(con.execute("SELECT t.term, t.df FROM corpus_terms t JOIN wanted w ON t.term = w.term").fetchall())
    return df, con.execute("SELECT count(*) FROM corpus_articles").fetchone()[0]  # type: ignore[index]


def add_blocks(con: duckdb.DuckDBPyConnection, blocks: Mapping[str, Sequence[str]]) -> None:
    rows = [(a, t) for a in sorted(blocks) for t in blocks[a]]
    data = pa.table(  # noqa: F841 (read by DuckDB)
        {"article_id": pa.array([a for a, _ in rows], pa.string()), "term": pa.array([t for _, t in rows], pa.string())}
    )
    con.execute("INSERT INTO corpus_blocks SELECT * FROM data")


def _vector_table(ids: Sequence[str], vectors: sp.csr_matrix, vocab: Sequence[str]) -> pa.Table:
    coo = vectors.tocoo()
    return pa.table(
        {
            "article_id": pa.array([ids[r] for r in coo.row], pa.string()),
            "term": pa.array([vocab[c] for c in coo.col], pa.string()),
            "weight": pa.array(coo.data, pa.float64()),
        }
    )


def _blocks_table(ids: Sequence[str], blocks: Sequence[Sequence[str]]) -> pa.Table:
    """(article_id, term): each article's blocking terms (``blocks[k]`` are ``ids[k]``'s)."""
    return pa.table({
        "article_id": pa.array([a for a, b in zip(ids, blocks, strict=True) for _ in b], pa.string()),
        "term": pa.array([t for b in blocks for t in b], pa.string()),
    })


def story_sums(
    con: duckdb.DuckDBPyConnection,
    ids: Sequence[str],
    vectors: sp.csr_matrix,
    vocab: Sequence[str],
    blocks: Sequence[Sequence[str]],
    days: Mapping[str, int | None],
    seqs: Mapping[str, int],
    window_days: int,
    window_articles: int,
) -> tuple[dict[tuple[int, str], float], dict[str, int]]:
    """For new originals (row ``k`` of ``vectors`` is ``ids[k]``): ``{(k, story): sum of cosines to
    its members}`` for each story that shares one of its blocking terms and is in its window (both
    dated: the story's span within ``window_days``; else the story's last original among the
    ``window_articles`` placed before it), and the size of each such story."""
    nv = _vector_table(ids, vectors, vocab)  # noqa: F841 (read by DuckDB)
    nb = _blocks_table(ids, blocks)  # noqa: F841 (read by DuckDB)
    na = pa.table(  # noqa: F841 (read by DuckDB)
        {
            "article_id": pa.array(ids, pa.string()),
            "day": pa.array([days.get(a) for a in ids], pa.int32()),
            "seq": pa.array([seqs[a] for a in ids], pa.int64()),
        }
    )
    # the dot products first (new terms against the centroids that hold them, summed as they
    # stream), then kept where blocking and the window let the pair through
    found = con.execute(
        "WITH cand AS (SELECT DISTINCT nb.article_id, s.story_id FROM nb JOIN corpus_story_blocks sb ON sb.term = nb.term "
        "  JOIN corpus_stories s ON s.story_id = sb.story_id JOIN na ON na.article_id = nb.article_id "
        "  WHERE CASE WHEN na.day IS NOT NULL AND s.last_day IS NOT NULL THEN na.day BETWEEN s.first_day - $w AND s.last_day + $w "
        "             ELSE s.last_seq >= na.seq - $n END), "
        "dots AS (SELECT nv.article_id, ct.story_id, sum(nv.weight * ct.weight) AS s FROM nv JOIN corpus_centroids ct ON ct.term = nv.term "
        "  WHERE ct.story_id IN (SELECT story_id FROM cand) GROUP BY ALL) "
        "SELECT d.article_id, d.story_id, d.s FROM dots d SEMI JOIN cand c ON c.article_id = d.article_id AND c.story_id = d.story_id "
        "ORDER BY ALL",
        {"w": window_days, "n": window_articles},
    ).fetchall()
    row = {a: k for k, a in enumerate(ids)}
    sums = {(row[a], sid): float(v) for a, sid, v in found}
    register_ids(con, "story_ids", {sid for _, sid in sums})
    sizes = dict(
        con.execute(
            "SELECT story_id, originals FROM corpus_stories WHERE story_id IN (SELECT id FROM story_ids)"
        ).fetchall()
    )
    return sums, sizes


def add_to_stories(
    con: duckdb.DuckDBPyConnection,
    story_of: Mapping[str, str],
    ids: Sequence[str],
    vectors: sp.csr_matrix,
    vocab: Sequence[str],
    blocks: Sequence[Sequence[str]],
    days: Mapping[str, int | None],
    seqs: Mapping[str, int],
) -> None:
    """Count new originals (row ``k`` of ``vectors`` is ``ids[k]``, placed in ``story_of[ids[k]]``)
    into their stories' centroids, blocking terms, sizes and spans."""
    nv = _vector_table(ids, vectors, vocab)  # noqa: F841 (read by DuckDB)
    placed = pa.table(  # noqa: F841 (read by DuckDB)
        {
            "article_id": pa.array(ids, pa.string()),
            "story_id": pa.array([story_of[a] for a in ids], pa.string()),
            "day": pa.array([days.get(a) for a in ids], pa.int32()),
            "seq": pa.array([seqs[a] for a in ids], pa.int64()),
        }
    )
    nb = _blocks_table(ids, blocks)  # noqa: F841 (read by DuckDB)
    con.execute(
        "INSERT INTO corpus_centroids SELECT p.story_id, v.term, sum(v.weight) FROM nv v JOIN placed p USING (article_id) GROUP BY ALL "
        "ON CONFLICT (story_id, term) DO UPDATE SET weight = weight + excluded.weight"
    )
    con.execute(
        "INSERT INTO corpus_story_blocks SELECT DISTINCT p.story_id, b.term FROM nb b JOIN placed p USING (article_id) "
        "ON CONFLICT DO NOTHING"
    )
    con.execute(
        "INSERT INTO corpus_stories SELECT story_id, count(*), min(day), max(day), max(seq) FROM placed GROUP BY story_id "
        "ON CONFLICT (story_id) DO UPDATE SET originals = originals + excluded.originals, "
        "first_day = least(first_day, excluded.first_day), last_day = greatest(last_day, excluded.last_day), "
        "last_seq = greatest(last_seq, excluded.last_seq)"
    )


def add_words(con: duckdb.DuckDBPyConnection, texts: Iterable[str]) -> None:
    """Count how often each word is written in lower case and capitalised."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for text in texts:
        lower.update(_LOWER.findall(text))
        upper.update(w.lower() for w in _CAPITALISED.findall(text))
    words = sorted(set(lower) | set(upper))
    rows = pa.table(  # noqa: F841 (read by DuckDB)
        {
            "word": pa.array(words, pa.string()),
            "lower": pa.array([lower[w] for w in words], pa.int32()),
            "upper": pa.array([upper[w] for w in words], pa.int32()),
        }
    )
    con.execute(
        "INSERT INTO corpus_words SELECT * FROM rows "
        "ON CONFLICT (word) DO UPDATE SET lower = lower + excluded.lower, upper = upper + excluded.upper"
    )


def lower_case_words(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """Words the store's articles write in lower case at least twice and twice as often as
    capitalised: common words ("checks", "comedian"), not names ("Bill" in a corpus about him)."""
    return frozenset(
        w for (w,) in con.execute("SELECT word FROM corpus_words WHERE lower >= 2 AND lower >= 2 * upper").fetchall()
    )


def mark_pending(con: duckdb.DuckDBPyConnection, stories: Iterable[str]) -> None:
    """These stories' claim links are out of date."""
    register_ids(con, "pending_ids", stories)
    con.execute(
        "INSERT INTO corpus_pending SELECT id FROM pending_ids WHERE id NOT IN (SELECT story_id FROM corpus_pending)"
    )


def pending(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [s for (s,) in con.execute("SELECT DISTINCT story_id FROM corpus_pending ORDER BY 1").fetchall()]


def clear_pending(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DELETE FROM corpus_pending")


def rows_of(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cur = con.execute(sql, list(params))
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
