"""Hedge drift: a linked claim's status on each side, and whether it hardened or softened.

A claim's status is read off the store's attributions and cues of its sentence, for the claim's
own span: ``attributed`` (a named source carries it) or ``anonymous`` (an unnamed one:
"officials said", "analysts say") when it lies in an attribution's content; ``hedged`` when a hedge
or prediction cue in the outlet's voice covers it; else ``asserted``. A cue or attribution inside a
clause that does not hold the claim — a relative clause (", which may …,"), a parenthesis, a
dashed aside — does not count. ``hardened``: the earlier article hedges or attributes the claim and
the later one asserts it; ``softened``: the reverse; else ``same`` (attributed on both sides, even
to different sources, is ``same``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sayso.corpus.claims import Claim

HEDGE_KINDS = {"hedge", "prediction"}
SOURCE_KINDS = {"anonymous", "weasel"}
PRONOUNS = {"he", "she", "they", "it", "we", "i", "who", "which", "that", "you"}
_ASIDE = re.compile(
    r",\s*(?:which|who|whom|whose|where|while|although|though)\b[^,;—–()]*(?:[,;]|$)|\([^)]*\)|[—–][^—–]*[—–]"
)


@dataclass(frozen=True)
class Attribution:
    kind: str
    source_text: str | None
    source_name: str | None
    source_entity: str | None
    cue_text: str | None
    cue_start: int | None
    content: tuple[tuple[int, int], ...]
    source_start: int | None = None
    cue_end: int | None = None


@dataclass(frozen=True)
class Cue:
    kind: str
    text: str
    start: int
    end: int


def asides(text: str, offset: int) -> list[tuple[int, int]]:
    """Spans (absolute offsets) of the clauses of a sentence that hold no main claim."""
    return [(m.start() + offset, m.end() + offset) for m in _ASIDE.finditer(text)]


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def trailing_content(att: Attribution, start: int, text: str) -> Attribution:
    """A topic attribution whose source and cue close the sentence after a comma ("…, the study
    found.") carries everything before that comma as its content."""
    if att.kind != "topic" or att.content or att.source_start is None or att.cue_end is None:
        return att
    head = text[: att.source_start - start].rstrip()
    tail = text[att.cue_end - start :].strip()
    if not head.endswith(",") or len(head) < 2 or (tail and not re.fullmatch(r"[.!?\"”’']*", tail)):
        return att
    return Attribution("indirect", att.source_text, att.source_name, att.source_entity, att.cue_text, att.cue_start, ((start, start + len(head) - 1),), att.source_start, att.cue_end)


def claim_of(article: str, sentence: int, start: int, end: int, text: str, atts: Sequence[Attribution], cues: Sequence[Cue]) -> Claim:
    """The claim of one sentence: its span and status, with the words that decide it."""
    aside = asides(text, start)
    atts = [trailing_content(a, start, text) for a in atts]
    carried = [
        a for a in atts
        if a.kind != "topic" and a.content and not (a.cue_start is not None and _inside(a.cue_start, a.cue_start + 1, aside))
    ]
    if carried:
        att = max(carried, key=lambda a: (sum(e - s for s, e in a.content), -(a.cue_start or 0)))
        c_start, c_end = min(s for s, _ in att.content), max(e for _, e in att.content)
        source = att.source_name or (att.source_text or "").strip(" ,") or None
        named = bool(att.source_entity or att.source_name) and (source or "").lower() not in PRONOUNS
        status = "attributed" if named else "anonymous"
        why = f'{status}: {source or "a source"} ("{att.cue_text}")'
        return Claim(article, sentence, c_start, c_end, text[c_start - start : c_end - start], status, source, named, why, text)
    outside = [c for c in cues if _inside(c.start, c.end, aside)]
    covering = [c for c in cues if c not in outside]
    for kinds, status in ((SOURCE_KINDS, "anonymous"), (HEDGE_KINDS, "hedged")):
        hit = [c for c in covering if c.kind in kinds]
        if hit:
            return Claim(article, sentence, start, end, text, status, hit[0].text if status == "anonymous" else None, False, f'{status}: "{hit[0].text}"', text)
    why = "asserted in the outlet's own voice"
    hedges_outside = [c for c in outside if c.kind in HEDGE_KINDS | SOURCE_KINDS]
    if hedges_outside:
        why += f' ("{hedges_outside[0].text}" is in a clause that does not hold the claim)'
    return Claim(article, sentence, start, end, text, "asserted", None, False, why, text)


def change(earlier: Claim, later: Claim) -> str:
    if earlier.status != "asserted" and later.status == "asserted":
        return "hardened"
    if earlier.status == "asserted" and later.status != "asserted":
        return "softened"
    return "same"


SIDE = ("article", "sentence", "start", "end", "status")  # what a link shows of each claim


def side(c: Claim) -> dict[str, Any]:
    return {k: getattr(c, k) for k in SIDE}
