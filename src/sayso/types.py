"""Plain records the pipeline components produce.

Offsets inside a spaCy ``Doc`` are character offsets into ``doc.text`` (the repaired text the
pipeline analyses). ``sayso.report`` maps them back to the original text through the offset map.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Offsets = tuple[int, int]

CUE_KINDS = ("hedge", "weasel", "anonymous", "undisclosed", "evaluative", "prediction")
STATUSES = ("attributed", "anonymous", "hedged", "asserted")
ATTRIBUTION_KINDS = ("direct", "indirect", "mixed", "topic")
TIME_TYPES = ("date", "duration", "set", "unresolved")
INTEGRITY_KINDS = ("mixed-script", "confusable", "invisible", "bidi-control", "mojibake")


@dataclass
class Cue:
    kind: str
    start: int
    end: int


@dataclass
class SentenceInfo:
    """Per sentence (index = position in ``doc.sents``)."""

    start: int
    end: int
    status: str = "asserted"
    evaluative: bool = False
    cues: list[Cue] = field(default_factory=list)


@dataclass
class Entity:
    id: str
    name: str
    type: str
    roles: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    mentions: list[Offsets] = field(default_factory=list)


@dataclass
class Attribution:
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
class TimeExpr:
    start: int
    end: int
    type: str
    value: str | None


@dataclass
class Claim:
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
