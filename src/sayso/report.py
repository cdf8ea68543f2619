"""Turns an analysed ``Doc`` into the report PRODUCT.md defines (``sayso.report_model.Report``),
offsets mapped to the original text."""

from __future__ import annotations

from collections import Counter
from typing import Any

from spacy.tokens import Doc

from sayso import extensions
from sayso.components.encoder import tier_of
from sayso.integrity import Repaired
from sayso.report_model import (
    Attribution,
    Claim,
    Entity,
    IntegrityFinding,
    Meta,
    NamedSource,
    Profile,
    Report,
    Sentence,
    Span,
    StatusCounts,
    TimeExpression,
)
from sayso.types import Attribution as FoundAttribution
from sayso.types import SentenceInfo

META_FIELDS = tuple(Meta.model_fields)


class _Spans:
    """Doc offsets (into the repaired text) -> offsets and text of the original."""

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


# Parts with a kind, status or type are validated from dicts: the components' records hold plain
# strings, which the model checks against its Literal values.


def _attribution(i: int, a: FoundAttribution, span: _Spans) -> Attribution:
    return Attribution.model_validate(
        {
            "id": f"a{i}",
            "source": {**span(*a.source), "entity": a.source_entity} if a.source is not None else None,
            "cue": span(*a.cue),
            "content": [span(s, e) for s, e in a.content],
            "channel": span(*a.channel) if a.channel else None,
            "kind": a.kind,
            "sentence": a.sentence,
            "time": a.time,
        }
    )


def build(doc: Doc, repaired: Repaired, record_id: str, meta: dict[str, Any]) -> Report:
    span = _Spans(repaired)
    sentences = []
    for info in _sentence_infos(doc):
        s, e = span.map.span(info.start, info.end)
        cues = [{"kind": c.kind, **span(c.start, c.end)} for c in info.cues]
        sentences.append(
            Sentence.model_validate(
                {"start": s, "end": e, "status": info.status, "evaluative": bool(info.evaluative), "cues": cues, "debris": bool(info.debris)}
            )
        )
    entities = [
        Entity(
            id=ent.id,
            name=ent.name,
            type=ent.type,
            roles=list(ent.roles),
            affiliations=list(ent.affiliations),
            mentions=[Span(**span(s, e)) for s, e in sorted(set(ent.mentions))],
        )
        for ent in extensions.entities(doc)
    ]
    attributions = [_attribution(i, a, span) for i, a in enumerate(extensions.attributions(doc))]
    times = [TimeExpression.model_validate({**span(t.start, t.end), "type": t.type, "value": t.value}) for t in extensions.times(doc)]
    claims = [
        Claim(
            sentence=c.sentence,
            **span(c.start, c.end),
            score=round(float(c.score), 4),
            status=sentences[c.sentence].status if c.sentence < len(sentences) else "asserted",
            source=c.source,
            time=c.time,
        )
        for c in extensions.claims(doc)
    ]
    integrity = [
        IntegrityFinding.model_validate(
            {"kind": f.kind, "text": repaired.original[f.start : f.end], "start": f.start, "end": f.end, "suggestion": f.suggestion}
        )
        for f in repaired.findings
    ]
    return Report(
        id=record_id,
        text=repaired.original,
        meta=Meta.model_validate({**{k: meta.get(k) for k in META_FIELDS}, "tier": tier_of(doc)}),
        sentences=sentences,
        entities=entities,
        attributions=attributions,
        times=times,
        claims=claims,
        integrity=integrity,
        profile=profile(sentences, entities, attributions, claims),
    )


def profile(sentences: list[Sentence], entities: list[Entity], attributions: list[Attribution], claims: list[Claim]) -> Profile:
    """The article's sourcing profile; page debris is not the article and counts for nothing."""
    sentences = [s for s in sentences if not s.debris]
    tally: Counter[str] = Counter(s.status for s in sentences)
    names = {e.id: e.name for e in entities}
    named: dict[str, str] = {}
    anonymous = []
    resting = set()
    for a in attributions:
        src = a.source
        if src is None:
            continue
        if src.entity is not None and src.entity in names:
            named.setdefault(src.entity, names[src.entity])
            resting.add(a.sentence)
        else:
            anonymous.append(Span(text=src.text, start=src.start, end=src.end))
    return Profile(
        counts=StatusCounts(**{status: tally[status] for status in StatusCounts.model_fields}),
        evaluative=sum(1 for s in sentences if s.evaluative),
        claims=len(claims),
        named_sources=[NamedSource(id=k, name=v) for k, v in named.items()],
        anonymous_sources=anonymous,
        named_share=round(len(resting) / len(sentences), 4) if sentences else 0.0,
    )
