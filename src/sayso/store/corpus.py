"""The store's corpus tables and columns, added beside the batch's own (which stay as they are).

``articles.story_id`` and ``articles.duplicate_of``, ``entities.corpus_id``; tables ``stories``,
``corpus_entities`` (one row a corpus_id: fullest name, roles seen), ``claim_links`` (a claim in
two articles of a story, its status on each side and the change) and ``corpus_claims`` (per claim:
earliest appearance and earliest named source), ``description_links`` (a description or pronoun
outside every entity mention, with the corpus id it was linked to). ``sayso stories`` rewrites them
all; ``sayso stories --update``, ``sayso drift`` and ``sayso batch --corpus`` add the rows of articles
that have no story yet (a batch leaves their new columns NULL until then), with the help of what the
corpus layer keeps for that (``sayso.corpus.state``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import duckdb
import pyarrow as pa

COLUMNS = {
    "articles": [("story_id", "VARCHAR"), ("duplicate_of", "VARCHAR")],
    "entities": [("corpus_id", "VARCHAR")],
    "corpus_claims": [("first_source_sentence", "INTEGER")],  # after the table is made (a store from before it lacks it)
}
SIDE = ["article", "sentence", "start", "end", "status", "source"]
TABLES = {
    "stories": "story_id VARCHAR, title VARCHAR, articles INTEGER, first_article VARCHAR, first_published DATE",
    "corpus_entities": "corpus_id VARCHAR, name VARCHAR, type VARCHAR, roles VARCHAR[], articles INTEGER, mentions INTEGER",
    "description_links": 'article_id VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR, corpus_id VARCHAR',
    "claim_links": (
        "story_id VARCHAR, claim_id VARCHAR, "
        "from_article VARCHAR, from_sentence INTEGER, from_start INTEGER, from_end INTEGER, from_status VARCHAR, from_source VARCHAR, "
        "to_article VARCHAR, to_sentence INTEGER, to_start INTEGER, to_end INTEGER, to_status VARCHAR, to_source VARCHAR, "
        'similarity DOUBLE, change VARCHAR, why VARCHAR'
    ),
    "corpus_claims": (
        "claim_id VARCHAR, story_id VARCHAR, articles INTEGER, first_article VARCHAR, first_sentence INTEGER, "
        "first_start INTEGER, first_end INTEGER, first_source VARCHAR, first_source_article VARCHAR, first_source_sentence INTEGER"
    ),
}


UPDATE_MEMORY = "400MB"  # DuckDB's memory while an update runs: measured 0.90 GB peak at 100,360 articles (1.19 GB unbounded)


@contextlib.contextmanager
def memory_limit(con: duckdb.DuckDBPyConnection, limit: str = UPDATE_MEMORY) -> Iterator[None]:
    """Hold DuckDB to ``limit`` for the block, then give back the setting there was (as DuckDB shows
    it: to a tenth of its unit, the one way it can be read back). DuckDB keeps
    what it scans cached up to its limit (80% of RAM by default), so an update that reads a few
    rows of each big table would otherwise grow with the store; past the limit it evicts, and
    spills to disk what a query cannot hold."""
    before = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]  # type: ignore[index]
    con.execute(f"SET memory_limit = '{limit}'")
    try:
        yield
    finally:
        con.execute(f"SET memory_limit = '{before}'")


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All of the block's writes, or (on any error, an interrupt too) none of them."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "articles" not in have or "entities" not in have:
        raise ValueError("not a sayso store (no articles or entities table): make one with `sayso batch --db`")
    for table, definition in TABLES.items():
        con.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({definition})')
    for table, columns in COLUMNS.items():
        for name, kind in columns:
            con.execute(f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS "{name}" {kind}')


def has_corpus(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``entities.corpus_id`` exists (the store has been through ``sayso stories``/``drift``)."""
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'entities' AND column_name = 'corpus_id'"
        ).fetchone()[0]  # type: ignore[index]
    )


def read_articles(con: duckdb.DuckDBPyConnection, where: str = "TRUE") -> list[dict[str, Any]]:
    """The articles (every one, or those ``where`` holds: SQL over the article's columns) in input
    order; ``ord`` is each one's place in the store."""
    cur = con.execute(
        "SELECT id, title, text, published, story_id, duplicate_of, ord FROM "
        f"(SELECT *, row_number() OVER (ORDER BY rowid) - 1 AS ord FROM articles) WHERE {where} ORDER BY ord"
    )
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def replace_column(con: duckdb.DuckDBPyConnection, table: str, keys: Sequence[str], column: str, rows: Sequence[tuple]) -> None:
    """Set ``table.column`` from (key..., value) rows; rows not given get NULL."""
    con.execute(f'UPDATE "{table}" SET "{column}" = NULL')
    set_column(con, table, keys, column, rows)


def set_column(con: duckdb.DuckDBPyConnection, table: str, keys: Sequence[str], column: str, rows: Sequence[tuple]) -> None:
    """Set ``table.column`` from (key..., value) rows; rows not given keep their value (an update)."""
    if not rows:
        return
    names = [*keys, column]
    data = pa.table({n: pa.array([r[k] for r in rows], pa.string()) for k, n in enumerate(names)})  # noqa: F841
    on = " AND ".join(f't."{k}" = m."{k}"' for k in keys)
    con.execute(f'UPDATE "{table}" AS t SET "{column}" = m."{column}" FROM data AS m WHERE {on}')


def replace_table(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[dict[str, Any]]) -> None:
    con.execute(f'DELETE FROM "{table}"')
    if not rows:
        return
    cols = [d[0] for d in con.execute(f'SELECT * FROM "{table}" LIMIT 0').description or []]
    data = pa.Table.from_pylist([{c: r.get(c) for c in cols} for r in rows])  # noqa: F841
    con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM data')


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


SOURCES_BY_CORPUS_ID = """
    SELECT any_value(coalesce(ce.name, a.source_name)) AS source, any_value(ce.roles) AS roles,
           count(*) AS attributions, count(DISTINCT a.article_id) AS articles
    FROM attributions a
    LEFT JOIN entities e ON e.article_id = a.article_id AND e.entity_id = a.source_entity
    LEFT JOIN corpus_entities ce ON ce.corpus_id = e.corpus_id
    WHERE a.source_name IS NOT NULL AND (e.corpus_id IS NULL OR ce.name IS NOT NULL) {duplicates}
    GROUP BY coalesce(e.corpus_id, 'name:' || a.source_name)
    ORDER BY attributions DESC, articles DESC, source
    LIMIT {limit}
"""
NOT_A_COPY = "AND a.article_id NOT IN (SELECT id FROM articles WHERE duplicate_of IS NOT NULL)"


def stats_queries(con: duckdb.DuckDBPyConnection, limit: int, no_duplicates: bool) -> list[tuple[str | None, str]]:
    """``sayso stats``'s reports: sources counted by corpus id (fullest name, roles seen) once the
    store has them, and near-duplicate copies left out with ``no_duplicates``."""
    from sayso.store.stats import REPORTS

    corpus = has_corpus(con)
    if no_duplicates and not corpus:
        raise ValueError("--no-duplicates needs the store's corpus layer: run `sayso stories DB` first")
    out: list[tuple[str | None, str]] = []
    for name, (title, sql) in REPORTS.items():
        if name == "sources" and corpus:
            sql = SOURCES_BY_CORPUS_ID.replace("{duplicates}", NOT_A_COPY if no_duplicates else "")
        elif no_duplicates:
            sql = sql.replace("FROM articles", "FROM (SELECT * FROM articles WHERE duplicate_of IS NULL) AS articles")
        out.append((title + (" (near-duplicates left out)" if no_duplicates else ""), sql.format(limit=int(limit))))
    return out
