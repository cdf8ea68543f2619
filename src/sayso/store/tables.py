"""Reports as normalised tables (Arrow): the one layout DuckDB, Parquet and Dask parts share.

Every table but ``articles`` and ``errors`` carries ``article_id``; offsets are those of the
report (code points into ``articles.text``). A span is flattened to ``<name>_text``,
``<name>_start``, ``<name>_end``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from sayso.dates import to_date
from sayso.errors import InputError

STR, INT, FLOAT, BOOL = pa.string(), pa.int32(), pa.float64(), pa.bool_()
SPAN = pa.struct([("text", STR), ("start", INT), ("end", INT)])

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            ("id", STR),
            ("title", STR),
            ("url", STR),
            ("outlet", STR),
            ("author", STR),
            ("published", pa.date32()),
            ("language", STR),
            ("tier", STR),
            ("words", INT),
            ("sentences", INT),
            ("attributed", INT),
            ("anonymous", INT),
            ("hedged", INT),
            ("asserted", INT),
            ("evaluative", INT),
            ("claims", INT),
            ("named_share", FLOAT),
            ("text", STR),
        ]
    ),
    "sentences": pa.schema(
        [
            ("article_id", STR),
            ("sentence", INT),
            ("start", INT),
            ("end", INT),
            ("status", STR),
            ("evaluative", BOOL),
            ("debris", BOOL),
            ("text", STR),
        ]
    ),
    "cues": pa.schema(
        [("article_id", STR), ("sentence", INT), ("kind", STR), ("text", STR), ("start", INT), ("end", INT)]
    ),
    "entities": pa.schema(
        [
            ("article_id", STR),
            ("entity_id", STR),
            ("name", STR),
            ("type", STR),
            ("roles", pa.list_(STR)),
            ("affiliations", pa.list_(STR)),
            ("mentions", INT),
        ]
    ),
    "mentions": pa.schema([("article_id", STR), ("entity_id", STR), ("text", STR), ("start", INT), ("end", INT)]),
    "attributions": pa.schema(
        [
            ("article_id", STR),
            ("attribution_id", STR),
            ("sentence", INT),
            ("kind", STR),
            ("source_text", STR),
            ("source_start", INT),
            ("source_end", INT),
            ("source_entity", STR),
            ("source_name", STR),
            ("cue_text", STR),
            ("cue_start", INT),
            ("cue_end", INT),
            ("content_text", STR),
            ("content", pa.list_(SPAN)),
            ("channel_text", STR),
            ("channel_start", INT),
            ("channel_end", INT),
            ("time", STR),
        ]
    ),
    "claims": pa.schema(
        [
            ("article_id", STR),
            ("sentence", INT),
            ("text", STR),
            ("start", INT),
            ("end", INT),
            ("score", FLOAT),
            ("status", STR),
            ("source", STR),
            ("time", STR),
        ]
    ),
    "times": pa.schema(
        [("article_id", STR), ("text", STR), ("start", INT), ("end", INT), ("type", STR), ("value", STR)]
    ),
    "integrity": pa.schema(
        [("article_id", STR), ("kind", STR), ("text", STR), ("start", INT), ("end", INT), ("suggestion", STR)]
    ),
    "errors": pa.schema([("id", STR), ("error", STR)]),
}

# The column that names the record each row belongs to.
ID_COLUMN = {name: ("id" if name in ("articles", "errors") else "article_id") for name in SCHEMAS}


def _date(value: Any) -> dt.date | None:
    """The report's ``published`` (already checked by `sayso.dates`), or None."""
    try:
        return to_date(value) if value else None
    except InputError:
        return None


def _span(prefix: str, span: dict[str, Any] | None) -> dict[str, Any]:
    span = span or {}
    return {f"{prefix}_text": span.get("text"), f"{prefix}_start": span.get("start"), f"{prefix}_end": span.get("end")}


Rows = dict[str, list[dict[str, Any]]]


def rows(report: dict[str, Any]) -> Rows:
    """The rows one report (or error row) adds to each table."""
    out: Rows = {name: [] for name in SCHEMAS}
    if "error" in report:
        out["errors"].append({"id": report["id"], "error": report["error"]})
        return out
    out["articles"].append(_article_row(report))
    _sentence_rows(report, out)
    names = _entity_rows(report, out)
    _attribution_rows(report, names, out)
    rid = report["id"]
    for table in ("claims", "times", "integrity"):
        out[table].extend({"article_id": rid, **item} for item in report[table])
    return out


def _article_row(report: dict[str, Any]) -> dict[str, Any]:
    text, meta, profile = report["text"], report["meta"], report["profile"]
    counts = profile["counts"]
    return {
        **{k: meta.get(k) for k in ("title", "url", "outlet", "author", "language", "tier")},
        "id": report["id"],
        "published": _date(meta.get("published")),
        "words": len(text.split()),
        "sentences": len(report["sentences"]),
        **{status: counts.get(status, 0) for status in ("attributed", "anonymous", "hedged", "asserted")},
        "evaluative": profile["evaluative"],
        "claims": profile["claims"],
        "named_share": profile["named_share"],
        "text": text,
    }


def _sentence_rows(report: dict[str, Any], out: Rows) -> None:
    rid, text = report["id"], report["text"]
    for i, s in enumerate(report["sentences"]):
        out["sentences"].append(
            {
                "article_id": rid,
                "sentence": i,
                "start": s["start"],
                "end": s["end"],
                "status": s["status"],
                "evaluative": s["evaluative"],
                "debris": s.get("debris", False),
                "text": text[s["start"] : s["end"]],
            }
        )
        out["cues"].extend({"article_id": rid, "sentence": i, **c} for c in s["cues"])


def _entity_rows(report: dict[str, Any], out: Rows) -> dict[str, str]:
    """Adds the entity and mention rows; returns each entity's name by id."""
    rid = report["id"]
    names = {}
    for e in report["entities"]:
        names[e["id"]] = e["name"]
        out["entities"].append(
            {
                "article_id": rid,
                "entity_id": e["id"],
                "name": e["name"],
                "type": e["type"],
                "roles": e["roles"],
                "affiliations": e["affiliations"],
                "mentions": len(e["mentions"]),
            }
        )
        out["mentions"].extend({"article_id": rid, "entity_id": e["id"], **m} for m in e["mentions"])
    return names


def _attribution_rows(report: dict[str, Any], names: dict[str, str], out: Rows) -> None:
    for a in report["attributions"]:
        source = a["source"]
        entity = source.get("entity") if source else None
        out["attributions"].append(
            {
                "article_id": report["id"],
                "attribution_id": a["id"],
                "sentence": a["sentence"],
                "kind": a["kind"],
                **_span("source", source),
                "source_entity": entity,
                "source_name": names.get(entity or ""),
                **_span("cue", a["cue"]),
                "content_text": " … ".join(c["text"] for c in a["content"]) or None,
                "content": a["content"],
                **_span("channel", a["channel"]),
                "time": a["time"],
            }
        )


def from_rows(reports: list[dict[str, Any]]) -> dict[str, pa.Table]:
    """One Arrow table per table name (empty ones left out) for a list of reports/error rows."""
    merged: dict[str, list[dict[str, Any]]] = {name: [] for name in SCHEMAS}
    for report in reports:
        for name, part in rows(report).items():
            merged[name].extend(part)
    return {name: pa.Table.from_pylist(r, schema=SCHEMAS[name]) for name, r in merged.items() if r}
