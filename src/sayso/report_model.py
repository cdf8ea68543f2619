"""The report of one article as a typed model: the one definition of what PRODUCT.md's report holds.

``sayso.report`` builds a ``Report`` from the analysed Doc; the views (``sayso.render``), the
evaluations (``sayso.eval``) and the API take it; ``Report.to_dict()`` is the JSON that ships
(``sayso analyze --format json``, ``sayso batch --out``), and ``schema.json`` is generated from
these classes (``sayso schema --write``), never edited by hand.

Field order is the key order of the JSON output. Every field is required (no defaults): a
report that drops one fails validation, and so does one with a field not declared here.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, StringConstraints

Tier = Literal["fast", "accurate"]
Status = Literal["attributed", "anonymous", "hedged", "asserted"]
CueKind = Literal["hedge", "weasel", "anonymous", "undisclosed", "evaluative", "prediction", "model"]
AttributionKind = Literal["direct", "indirect", "mixed", "topic"]
TimeType = Literal["date", "duration", "set", "unresolved"]
IntegrityKind = Literal["mixed-script", "confusable", "invisible", "bidi-control", "mojibake"]
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
Share = Annotated[float, Field(ge=0, le=1)]


class Part(BaseModel):
    """Every part of a report: nothing undeclared, every field given."""

    model_config = ConfigDict(extra="forbid")


class Span(Part):
    """Characters ``text[start:end]`` of the report's text (code point offsets)."""

    text: str
    start: NonNegativeInt
    end: NonNegativeInt


class Meta(Part):
    title: str | None
    url: str | None
    outlet: str | None
    author: str | None
    published: IsoDate | None = Field(description="ISO date; null when the input does not state one (never guessed).")
    language: str | None
    tier: Tier = Field(description="Which tier made the report: fast (spaCy small + rules + small layers) or accurate (+ the encoder).")


class Cue(Part):
    """A word or phrase that marks a sentence: its kind, then the span."""

    kind: CueKind
    text: str
    start: NonNegativeInt
    end: NonNegativeInt


UNCERTAIN_CUE_KINDS = frozenset({"hedge", "weasel", "model"})  # cue kinds that make a sentence uncertain


class Sentence(Part):
    start: NonNegativeInt
    end: NonNegativeInt
    status: Status
    evaluative: bool
    cues: list[Cue]
    debris: bool = Field(
        description="Page debris (a newsletter prompt, a share button, a 'Read more:' link): not the article; left out of the profile.",
    )

    def uncertain(self) -> bool:
        """Uncertain as sayso reports it: hedged or anonymous, or a hedge or weasel cue in it."""
        return self.status in ("hedged", "anonymous") or any(c.kind in UNCERTAIN_CUE_KINDS for c in self.cues)


class Entity(Part):
    id: str
    name: str = Field(description="Canonical: the fullest form in the article, without determiners or possessive endings.")
    type: str = Field(description="spaCy's label: PERSON, ORG, GPE, LOC, NORP, ...")
    roles: list[str]
    affiliations: list[str] = Field(description="Entity ids of the organisations the roles belong to.")
    mentions: list[Span]


class Source(Part):
    """The surface mention of who speaks ("he" stays "he") and the entity it refers to, if any."""

    text: str
    start: NonNegativeInt
    end: NonNegativeInt
    entity: str | None


class Attribution(Part):
    id: str
    source: Source | None = Field(description="Null when no source is given.")
    cue: Span
    content: list[Span] = Field(description="Content may be discontinuous: one span a piece.")
    channel: Span | None
    kind: AttributionKind
    sentence: NonNegativeInt = Field(description="0-based index into sentences.")
    time: str | None = Field(description="TIMEX3 value of the sentence's time expression.")


class TimeExpression(Part):
    text: str
    start: NonNegativeInt
    end: NonNegativeInt
    type: TimeType
    value: str | None = Field(description="TIMEX3 (2025-07, XXXX-07, 2024-W10, P3Y, ...); null for unresolved.")


class Claim(Part):
    sentence: NonNegativeInt
    text: str
    start: NonNegativeInt
    end: NonNegativeInt
    score: Share
    status: Status
    source: str | None = Field(description="Entity id of the named source, or null.")
    time: str | None


class IntegrityFinding(Part):
    kind: IntegrityKind
    text: str
    start: NonNegativeInt
    end: NonNegativeInt
    suggestion: str


class StatusCounts(Part):
    attributed: NonNegativeInt
    anonymous: NonNegativeInt
    hedged: NonNegativeInt
    asserted: NonNegativeInt


class NamedSource(Part):
    id: str
    name: str


class Profile(Part):
    counts: StatusCounts
    evaluative: NonNegativeInt
    claims: NonNegativeInt
    named_sources: list[NamedSource]
    anonymous_sources: list[Span]
    named_share: Share = Field(description="Share of sentences that rest on a named source.")


class Report(Part):
    """What sayso finds in one article. Offsets are Python string indexes (code points) into `text`."""

    model_config = ConfigDict(extra="forbid", title="sayso report")

    id: str
    text: str
    meta: Meta
    sentences: list[Sentence]
    entities: list[Entity]
    attributions: list[Attribution]
    times: list[TimeExpression]
    claims: list[Claim]
    integrity: list[IntegrityFinding]
    profile: Profile

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready report (what ``sayso.analyze`` returns and batch writes)."""
        return self.model_dump(mode="json")

    def sentence_text(self, i: int) -> str:
        s = self.sentences[i]
        return self.text[s.start : s.end]

    def entity_names(self) -> dict[str, str]:
        return {e.id: e.name for e in self.entities}
