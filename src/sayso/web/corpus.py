"""The store behind the explorer, read-only: articles, sources, outlets, search, anonymous sourcing by month.

Every query is parameterised and runs on its own cursor of one read-only connection with external
access off. A view added to the store later (stories, drift) gets its route here and its name in
``views()``, which the explorer reads to build its navigation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from sayso import report as report_mod
from sayso.report_model import Attribution, Claim, Entity, Sentence
from sayso.store.database import open_waiting
from sayso.store.stats import REPORTS

META_FIELDS = ("title", "url", "outlet", "author", "published", "language", "tier")
ARTICLE_COLUMNS = ("id", "title", "url", "outlet", "author", "published", "words", "sentences", "attributed", "anonymous", "hedged", "asserted", "evaluative", "claims", "named_share")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()[:10]
    return value


class StoreBusy(Exception):
    """A batch or corpus update is writing the store (it holds the file's lock)."""


READ_WAIT = 2.0  # seconds a request waits for a writer to let go of the store before it answers 503


class Corpus:
    """Queries share one read-only connection while any is running (a cursor each), and the last
    one closes it: the server holds no lock between requests, so ``sayso batch --db STORE --corpus``
    can write the store while it runs, and the next request sees what the update added. (One
    connection, not one a query: two threads opening the same file at once can collide on its lock.)"""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise FileNotFoundError(f"no such database: {path}")
        self.path = path
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        if "articles" not in self._tables:
            raise ValueError(f"{path} is not a sayso store (no articles table)")

    def close(self) -> None:
        """Nothing is held between queries."""

    @contextlib.contextmanager
    def _connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            if self._con is None:
                try:
                    self._con = open_waiting(self.path, read_only=True, config={"enable_external_access": False}, wait=READ_WAIT)
                except duckdb.IOException as err:
                    if "lock" in str(err).lower():
                        raise StoreBusy("the store is being updated; try again in a moment") from err
                    raise
            self._users += 1
            cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()
            with self._lock:
                self._users -= 1
                if self._users == 0 and self._con is not None:
                    self._con.close()
                    self._con = None

    @property
    def _tables(self) -> set[str]:
        return {r["table_name"] for r in self._rows("SELECT table_name FROM information_schema.tables")}

    def _rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with self._connect() as con:
            res = con.execute(sql, params or [])
            cols = [d[0] for d in res.description]
            return [{c: _jsonable(v) for c, v in zip(cols, row)} for row in res.fetchall()]

    def _page(self, count_sql: str, items_sql: str, params: list[Any], page: int, per_page: int) -> dict[str, Any]:
        """One page of a listing: the count ``count_sql`` gives (as ``n``) and the rows of
        ``items_sql`` (which ends in its ORDER BY) on page ``page`` of ``per_page``."""
        total = self._rows(count_sql, params)[0]["n"]
        items = self._rows(f"{items_sql} LIMIT ? OFFSET ?", [*params, per_page, (page - 1) * per_page])
        return {"total": total, "page": page, "per_page": per_page, "items": items}

    def views(self) -> list[str]:
        # stories and drift join once `sayso stories` / `sayso drift` have built their tables (the
        # server opens the store read-only, so it shows them and never builds them)
        built = [name for name, table in (("stories", "stories"), ("drift", "claim_links")) if table in self._tables]
        return ["outlets", "sources", "articles", "search", "anonymous", *built]

    def stories(self, page: int, per_page: int) -> dict[str, Any] | None:
        """Stories, largest first, each with its articles' ids (as ``sayso stories --format json``)."""
        if "stories" not in self._tables:
            return None
        listing = self._page(
            "SELECT count(*) AS n FROM stories",
            "SELECT story_id AS story, title, articles AS size, first_article, first_published FROM stories "
            "ORDER BY articles DESC, story_id",
            [], page, per_page,
        )
        items = listing["items"]
        members = self._rows(
            "SELECT story_id, list(id ORDER BY published NULLS LAST, id) AS ids FROM articles "
            "WHERE story_id IN (SELECT unnest(?)) GROUP BY story_id",
            [[item["story"] for item in items]],
        )
        ids = {m["story_id"]: list(m["ids"]) for m in members}
        for item in items:
            item["articles"] = ids.get(item["story"], [])
        return listing

    def drift(self, every: bool, page: int, per_page: int) -> dict[str, Any] | None:
        """Claim links as ``sayso drift --format json`` gives them: hardened and softened ones, or
        every link with ``every``."""
        if "claim_links" not in self._tables:
            return None
        cond = "TRUE" if every else "change IN ('hardened', 'softened')"
        listing = self._page(
            f"SELECT count(*) AS n FROM claim_links WHERE {cond}",
            f"SELECT * FROM claim_links WHERE {cond} ORDER BY story_id, from_article, from_start, to_article, to_start",
            [], page, per_page,
        )
        sides = ("article", "sentence", "start", "end", "status")
        listing["items"] = [
            {
                "from": {k: r[f"from_{k}"] for k in sides},
                "to": {k: r[f"to_{k}"] for k in sides},
                "change": r["change"],
                "why": r["why"],
                "story": r["story_id"],
            }
            for r in listing["items"]
        ]
        return listing

    def articles(self, q: str | None, outlet: str | None, source: str | None, since: dt.date | None, until: dt.date | None, page: int, per_page: int) -> dict[str, Any]:
        where: list[str] = ["TRUE"]
        params: list[Any] = []
        if q:
            where.append("(strpos(lower(coalesce(title, '')), lower(?)) > 0 OR strpos(lower(text), lower(?)) > 0)")
            params += [q, q]
        if outlet:
            where.append("coalesce(outlet, '(unknown)') = ?")
            params.append(outlet)
        if source:
            where.append("id IN (SELECT article_id FROM attributions WHERE source_name = ?)")
            params.append(source)
        if since:
            where.append("published >= ?")
            params.append(since)
        if until:
            where.append("published <= ?")
            params.append(until)
        cond = " AND ".join(where)
        cols = ", ".join(ARTICLE_COLUMNS)
        return self._page(
            f"SELECT count(*) AS n FROM articles WHERE {cond}",
            f"SELECT {cols} FROM articles WHERE {cond} ORDER BY published DESC NULLS LAST, id",
            params, page, per_page,
        )

    def report(self, article_id: str) -> dict[str, Any] | None:
        """The article's report, rebuilt from the store's tables."""
        rows = self._rows("SELECT * FROM articles WHERE id = ?", [article_id])
        if not rows:
            return None
        art = rows[0]
        p = [article_id]
        cues: dict[int, list[dict[str, Any]]] = {}
        for c in self._rows('SELECT sentence, kind, text, start, "end" FROM cues WHERE article_id = ? ORDER BY start', p):
            cues.setdefault(c.pop("sentence"), []).append(c)
        sentences = [
            {"start": s["start"], "end": s["end"], "status": s["status"], "evaluative": s["evaluative"], "cues": cues.get(s["sentence"], []), "debris": bool(s.get("debris"))}
            for s in self._rows('SELECT * EXCLUDE (article_id, text) FROM sentences WHERE article_id = ? ORDER BY sentence', p)
        ]
        mentions: dict[str, list[dict[str, Any]]] = {}
        for m in self._rows('SELECT entity_id, text, start, "end" FROM mentions WHERE article_id = ? ORDER BY start', p):
            mentions.setdefault(m.pop("entity_id"), []).append(m)
        entities = [
            {"id": e["entity_id"], "name": e["name"], "type": e["type"], "roles": list(e["roles"] or []), "affiliations": list(e["affiliations"] or []), "mentions": mentions.get(e["entity_id"], [])}
            for e in self._rows("SELECT entity_id, name, type, roles, affiliations FROM entities WHERE article_id = ?", p)
        ]
        attributions = [_attribution(a) for a in self._rows("SELECT * FROM attributions WHERE article_id = ? ORDER BY cue_start", p)]
        attributions.sort(key=lambda a: int(a["id"][1:]) if a["id"][1:].isdigit() else 0)
        times = self._rows('SELECT text, start, "end", type, value FROM times WHERE article_id = ? ORDER BY start', p)
        # every column the store keeps; claims.time is null in a store made before it was kept
        claims = [{"time": None, **c} for c in self._rows("SELECT * EXCLUDE (article_id) FROM claims WHERE article_id = ? ORDER BY start", p)]
        integrity = self._rows('SELECT kind, text, start, "end", suggestion FROM integrity WHERE article_id = ? ORDER BY start', p)
        return {
            "id": art["id"],
            "text": art["text"],
            "meta": {**{k: art.get(k) for k in META_FIELDS if k in art}, "tier": art.get("tier") or "fast"},  # rows made before the tier was stored were fast
            "sentences": sentences,
            "entities": entities,
            "attributions": attributions,
            "times": times,
            "claims": claims,
            "integrity": integrity,
            "profile": report_mod.profile(
                [Sentence.model_validate(s) for s in sentences],
                [Entity.model_validate(e) for e in entities],
                [Attribution.model_validate(a) for a in attributions],
                [Claim.model_validate(c) for c in claims],
            ).model_dump(),
        }

    def sources(self, q: str | None, page: int, per_page: int) -> dict[str, Any]:
        where, params = "a.source_name IS NOT NULL", []
        if q:
            where += " AND strpos(lower(a.source_name), lower(?)) > 0"
            params.append(q)
        listing = self._page(
            f"SELECT count(DISTINCT source_name) AS n FROM attributions a WHERE {where}",
            f"""SELECT a.source_name AS name, count(*) AS attributions, count(DISTINCT a.article_id) AS articles,
                       any_value(e.type) AS type,
                       list_sort(list_distinct(flatten(list(e.roles)))) AS roles
                FROM attributions a LEFT JOIN entities e ON e.article_id = a.article_id AND e.entity_id = a.source_entity
                WHERE {where}
                GROUP BY a.source_name ORDER BY attributions DESC, articles DESC, name""",
            params, page, per_page,
        )
        for item in listing["items"]:
            item["roles"] = [r for r in item["roles"] or [] if r][:10]
        return listing

    def source(self, name: str, page: int, per_page: int) -> dict[str, Any]:
        return {"name": name, **self._page(
            "SELECT count(*) AS n FROM attributions WHERE source_name = ?",
            """SELECT a.article_id, ar.title, ar.outlet, ar.published, a.attribution_id, a.sentence, a.kind,
                      a.source_text, a.cue_text, a.content_text, a.channel_text, a.time
               FROM attributions a JOIN articles ar ON ar.id = a.article_id
               WHERE a.source_name = ? ORDER BY ar.published DESC NULLS LAST, a.article_id, a.cue_start""",
            [name], page, per_page,
        )}

    def outlets(self) -> list[dict[str, Any]]:
        return self._rows(
            """SELECT coalesce(outlet, '(unknown)') AS outlet, count(*) AS articles, sum(sentences) AS sentences,
                      round(sum(attributed) / nullif(sum(sentences), 0), 3) AS named_share,
                      round(sum(anonymous) / nullif(sum(sentences), 0), 3) AS anonymous_share,
                      round(sum(asserted + hedged) / nullif(sum(sentences), 0), 3) AS unsourced_share,
                      round(sum(evaluative) / nullif(sum(sentences), 0), 3) AS evaluative_share
               FROM articles GROUP BY 1 ORDER BY articles DESC, outlet"""
        )

    def anonymous_by_month(self) -> list[dict[str, Any]]:
        return self._rows(REPORTS["anonymous"][1])

    def search(self, q: str, page: int, per_page: int) -> dict[str, Any]:
        # sentences whose text, or what a source said in them, holds q
        sql = """FROM sentences s JOIN articles ar ON ar.id = s.article_id
                 LEFT JOIN (SELECT article_id, sentence, string_agg(DISTINCT source_name, '; ') AS sources,
                                   string_agg(content_text, ' … ') AS said
                            FROM attributions GROUP BY 1, 2) a
                   ON a.article_id = s.article_id AND a.sentence = s.sentence
                 WHERE strpos(lower(s.text), lower(?)) > 0 OR strpos(lower(coalesce(a.said, '')), lower(?)) > 0"""
        return {"q": q, **self._page(
            f"SELECT count(*) AS n {sql}",
            f"""SELECT s.article_id, ar.title, ar.outlet, ar.published, s.sentence, s.status, s.text, a.sources
                {sql} ORDER BY ar.published DESC NULLS LAST, s.article_id, s.sentence""",
            [q, q], page, per_page,
        )}


def _span(a: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    if a.get(f"{prefix}_text") is None:
        return None
    return {"text": a[f"{prefix}_text"], "start": a[f"{prefix}_start"], "end": a[f"{prefix}_end"]}


def _attribution(a: dict[str, Any]) -> dict[str, Any]:
    source = _span(a, "source")
    if source is not None:
        source["entity"] = a["source_entity"]
    return {
        "id": a["attribution_id"],
        "source": source,
        "cue": _span(a, "cue"),
        "content": [dict(c) for c in a["content"] or []],
        "channel": _span(a, "channel"),
        "kind": a["kind"],
        "sentence": a["sentence"],
        "time": a["time"],
    }
