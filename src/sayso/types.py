"""Plain records the pipeline components produce.

Offsets inside a spaCy ``Doc`` are character offsets into ``doc.text`` (the repaired text the
pipeline analyses). ``sayso.report`` maps them back to the original text through the offset map.
On the Doc each record is kept in its JSON form (``to_json``/``from_json``: lists, strings,
numbers, None), so ``Doc.to_bytes``, ``DocBin`` and ``nlp.pipe(n_process=...)`` carry them;
``sayso.extensions`` reads and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

R = TypeVar("R", bound="Record")


def _offsets(value: Any) -> Any:
    """A (start, end) pair, or a list of them, back from JSON lists to tuples."""
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)):
        return [tuple(v) for v in value]
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return tuple(value)
    return value


_SCALARS = (str, int, float, bool, type(None))


def _json(value: Any) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, Record):
        return value.to_json()
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return value


class Record:
    """JSON form of a dataclass record: a dict of its fields, tuples as lists."""

    NESTED: dict[str, type[Record]] = {}
    OFFSET_FIELDS: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        # a dataclass's __dict__ holds its fields in declaration order
        return {name: v if isinstance(v, _SCALARS) else _json(v) for name, v in vars(self).items()}

    @classmethod
    def from_json(cls: type[R], data: dict[str, Any]) -> R:
        values = dict(data)
        for name, kind in cls.NESTED.items():
            values[name] = [kind.from_json(v) for v in values.get(name) or []]
        for name, value in values.items():
            if isinstance(value, tuple) and name not in cls.OFFSET_FIELDS:
                values[name] = list(value)  # msgpack (DocBin) gives tuples for lists
        for name in cls.OFFSET_FIELDS:
            if values.get(name) is not None:
                values[name] = _offsets(values[name])
        return cls(**values)

Offsets = tuple[int, int]

CUE_KINDS = ("hedge", "weasel", "anonymous", "undisclosed", "evaluative", "prediction")
STATUSES = ("attributed", "anonymous", "hedged", "asserted")
ATTRIBUTION_KINDS = ("direct", "indirect", "mixed", "topic")
TIME_TYPES = ("date", "duration", "set", "unresolved")
INTEGRITY_KINDS = ("mixed-script", "confusable", "invisible", "bidi-control", "mojibake")


@dataclass
class Cue(Record):
    kind: str
    start: int
    end: int


@dataclass
class SentenceInfo(Record):
    """Per sentence (index = position in ``doc.sents``)."""

    NESTED = {"cues": Cue}

    start: int
    end: int
    status: str = "asserted"
    evaluative: bool = False
    cues: list[Cue] = field(default_factory=list)
    debris: bool = False  # page debris ("Sign up for our newsletter"): not the article (``lexicon.debris``)


@dataclass
class Entity(Record):
    OFFSET_FIELDS = ("mentions",)

    id: str
    name: str
    type: str
    roles: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    mentions: list[Offsets] = field(default_factory=list)
    role_heads: list[str] = field(default_factory=list)  # head nouns of its roles ("minister"), for "the minister said"


@dataclass
class Attribution(Record):
    OFFSET_FIELDS = ("cue", "source", "content", "channel")

    cue: Offsets
    sentence: int
    kind: str = "indirect"
    source: Offsets | None = None
    source_entity: str | None = None
    content: list[Offsets] = field(default_factory=list)
    channel: Offsets | None = None
    anonymous: bool = False  # the source is unnamed ("officials", "sources close to")
    time: str | None = None


@dataclass
class TimeExpr(Record):
    start: int
    end: int
    type: str
    value: str | None


@dataclass
class Claim(Record):
    sentence: int
    start: int
    end: int
    score: float
    source: str | None = None
    time: str | None = None


@dataclass
class IntegrityFinding:
    """Offsets here are into the ORIGINAL text (found before repair)."""

    kind: str
    start: int
    end: int
    suggestion: str
