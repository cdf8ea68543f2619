"""Turns an analysed ``Doc`` into the report PRODUCT.md defines, offsets mapped to the original text."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from sayso import extensions
from sayso.integrity import Repaired
from sayso.types import STATUSES, Attribution, SentenceInfo

META_FIELDS = ("title", "url", "outlet", "author", "published", "language")


class _Spans:
    def __init__(self, repaired: Repaired) -> None:
        self.original = repaired.original
        self.map = repaired.offsets

    def __call__(self, start: int, end: int) -> dict[str, Any]:
        s, e = self.map.span(start, end)
        return {"text": self.original[s:e], "start": s, "end": e}


def _sentence_infos(doc: Doc) -> list[SentenceInfo]:
    infos = extensions.sentences(doc)
    if infos is not None:
        return infos
    return [SentenceInfo(s.start_char, s.end_char) for s in doc.sents]


def _attribution(i: int, a: Attribution, span: _Spans) -> dict[str, Any]:
    source = None
    if a.source is not None:
        source = {**span(*a.source), "entity": a.source_entity}
    return {
        "id": f"a{i}",
        "source": source,
        "cue": span(*a.cue),
        "content": [span(s, e) for s, e in a.content],
        "channel": span(*a.channel) if a.channel else None,
        "kind": a.kind,
        "sentence": a.sentence,
        "time": a.time,
    }


def build(doc: Doc, repaired: Repaired, record_id: str, meta: dict[str, Any]) -> dict[str, Any]:
    span = _Spans(repaired)
    sentences = []
    for info in _sentence_infos(doc):
        s, e = span.map.span(info.start, info.end)
        sentences.append(
            {
                "start": s,
                "end": e,
                "status": info.status,
                "evaluative": bool(info.evaluative),
                "cues": [{"kind": c.kind, **span(c.start, c.end)} for c in info.cues],
            }
        )
    entities = [
        {
            "id": ent.id,
            "name": ent.name,
            "type": ent.type,
            "roles": list(ent.roles),
            "affiliations": list(ent.affiliations),
            "mentions": [span(s, e) for s, e in sorted(set(ent.mentions))],
        }
        for ent in extensions.entities(doc)
    ]
    attributions = [_attribution(i, a, span) for i, a in enumerate(extensions.attributions(doc))]
    times = [{**span(t.start, t.end), "type": t.type, "value": t.value} for t in extensions.times(doc)]
    claims = [
        {
            "sentence": c.sentence,
            **span(c.start, c.end),
            "score": round(float(c.score), 4),
            "status": sentences[c.sentence]["status"] if c.sentence < len(sentences) else "asserted",
            "source": c.source,
            "time": c.time,
        }
        for c in extensions.claims(doc)
    ]
    integrity = [
        {"kind": f.kind, "text": repaired.original[f.start : f.end], "start": f.start, "end": f.end, "suggestion": f.suggestion}
        for f in repaired.findings
    ]
    return {
        "id": record_id,
        "text": repaired.original,
        "meta": {k: meta.get(k) for k in META_FIELDS},
        "sentences": sentences,
        "entities": entities,
        "attributions": attributions,
        "times": times,
        "claims": claims,
        "integrity": integrity,
        "profile": profile(sentences, entities, attributions, claims),
    }


def profile(
    sentences: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    attributions: list[dict[str, Any]],
    claims: list[dict[str, Any]],
) -> dict[str, Any]:
    counts = {status: 0 for status in STATUSES}
    for s in sentences:
        counts[s["status"]] = counts.get(s["status"], 0) + 1
    names = {e["id"]: e["name"] for e in entities}
    named: dict[str, str] = {}
    anonymous = []
    for a in attributions:
        src = a["source"]
        if src and src.get("entity") in names:
            named.setdefault(src["entity"], names[src["entity"]])
        elif src:
            anonymous.append({k: src[k] for k in ("text", "start", "end")})
    resting = {a["sentence"] for a in attributions if a["source"] and a["source"].get("entity") in names}
    return {
        "counts": counts,
        "evaluative": sum(1 for s in sentences if s["evaluative"]),
        "claims": len(claims),
        "named_sources": [{"id": k, "name": v} for k, v in named.items()],
        "anonymous_sources": anonymous,
        "named_share": round(len(resting) / len(sentences), 4) if sentences else 0.0,
    }
