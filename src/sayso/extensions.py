"""The ``Doc._`` attributes sayso's components read and write, and typed access to them.

Every attribute is namespaced (``doc._.sayso_*``) and holds JSON-able values only (the records of
``sayso.types`` in their JSON form), so ``Doc.to_bytes``, ``DocBin(store_user_data=True)`` and
``nlp.pipe(n_process=...)`` carry them unchanged. Nothing else passes between components.

| attribute | written by | holds |
|---|---|---|
| ``sayso_published`` | the caller, before the pipeline | ISO date "YYYY-MM-DD" or None |
| ``sayso_entities`` | ``sayso_entities`` | ``Entity`` records |
| ``sayso_attributions`` | ``sayso_attributions`` (``time``: ``sayso_times``) | ``Attribution`` records |
| ``sayso_sentences`` | ``sayso_cues`` (``status``, ``evaluative``: ``sayso_status``) | ``SentenceInfo`` records |
| ``sayso_times`` | ``sayso_times`` | ``TimeExpr`` records |
| ``sayso_claims`` | ``sayso_claims`` | ``Claim`` records |
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from spacy.tokens import Doc

from sayso.types import Attribution, Claim, Entity, Record, SentenceInfo, TimeExpr

PUBLISHED = "sayso_published"
ENTITIES = "sayso_entities"
ATTRIBUTIONS = "sayso_attributions"
SENTENCES = "sayso_sentences"
TIMES = "sayso_times"
CLAIMS = "sayso_claims"
NAMES = (PUBLISHED, ENTITIES, ATTRIBUTIONS, SENTENCES, TIMES, CLAIMS)

R = TypeVar("R", bound=Record)


def register() -> None:
    """Idempotent: safe to call from every component factory."""
    for name in NAMES:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def attr(name: str) -> str:
    """The name as ``assigns``/``requires`` spell it: ``doc._.sayso_entities``."""
    return f"doc._.{name}"


def _read(doc: Doc, name: str, kind: type[R]) -> list[R] | None:
    data = doc._.get(name)
    return None if data is None else [kind.from_json(d) for d in data]


def _write(doc: Doc, name: str, records: Sequence[Record]) -> None:
    doc._.set(name, [r.to_json() for r in records])


def published(doc: Doc) -> str | None:
    value = doc._.get(PUBLISHED)
    return str(value) if value else None


def set_published(doc: Doc, value: str | None) -> None:
    doc._.set(PUBLISHED, value)


def entities(doc: Doc) -> list[Entity]:
    return _read(doc, ENTITIES, Entity) or []


def set_entities(doc: Doc, records: Sequence[Entity]) -> None:
    _write(doc, ENTITIES, records)


def attributions(doc: Doc) -> list[Attribution]:
    return _read(doc, ATTRIBUTIONS, Attribution) or []


def set_attributions(doc: Doc, records: Sequence[Attribution]) -> None:
    _write(doc, ATTRIBUTIONS, records)


def sentences(doc: Doc) -> list[SentenceInfo] | None:
    """None when ``sayso_cues`` has not run."""
    return _read(doc, SENTENCES, SentenceInfo)


def set_sentences(doc: Doc, records: Sequence[SentenceInfo]) -> None:
    _write(doc, SENTENCES, records)


def times(doc: Doc) -> list[TimeExpr]:
    return _read(doc, TIMES, TimeExpr) or []


def set_times(doc: Doc, records: Sequence[TimeExpr]) -> None:
    _write(doc, TIMES, records)


def claims(doc: Doc) -> list[Claim]:
    return _read(doc, CLAIMS, Claim) or []


def set_claims(doc: Doc, records: Sequence[Claim]) -> None:
    _write(doc, CLAIMS, records)


register()
