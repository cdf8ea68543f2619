"""sayso_status: each sentence's status and whether the outlet itself evaluates.

Reads the cues ``sayso_cues`` found in the outlet's own voice and the attributions of
``sayso_attribution``. Precedence, as PRODUCT.md defines it:

1. ``hedged``: a hedge cue in the outlet's voice (it wins over an attribution in the sentence);
2. ``attributed``: an attribution to a source that is given and not anonymous ("he" carried over
   from the sentence before counts: the attribution component resolves it). An attribution speaks
   for its cue's sentence and for every sentence its content mostly covers: each sentence of a
   quotation is the source's, wherever the cue stands;
3. ``anonymous``: an attribution without a source or to an unnamed one, or an anonymous or weasel
   cue ("officials said", "critics argue", "it was reported");
4. ``asserted`` otherwise.

``evaluative`` is true when an evaluative or prediction cue stands in the outlet's voice.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

from sayso import extensions
from sayso.components import encoder_combine
from sayso.docindex import index
from sayso.extensions import attr
from sayso.lexicon import doubt
from sayso.types import Attribution, SentenceInfo

EVALUATIVE_KINDS = frozenset({"evaluative", "prediction"})
ANONYMOUS_KINDS = frozenset({"anonymous", "weasel"})
HEDGE_KINDS = frozenset({"hedge", doubt.MODEL_KIND})  # a model cue: a model found the sentence uncertain


@Language.factory(
    "sayso_status",
    assigns=[attr(extensions.SENTENCES)],
    requires=[attr(extensions.SENTENCES), attr(extensions.ATTRIBUTIONS)],
)
def make_status(nlp: Language, name: str) -> StatusComponent:
    return StatusComponent()


def is_named(att: Attribution) -> bool:
    return att.source is not None and not att.anonymous


def decide(info: SentenceInfo, attributions: list[Attribution]) -> str:
    kinds = {c.kind for c in info.cues}
    if kinds & HEDGE_KINDS:
        return "hedged"
    if any(is_named(a) for a in attributions):
        return "attributed"
    if attributions or kinds & ANONYMOUS_KINDS:
        return "anonymous"
    return "asserted"


MOSTLY = 0.5  # the share of a sentence's characters an attribution's content must cover


def spoken_sentences(att: Attribution, infos: list[SentenceInfo]) -> list[int]:
    """The sentences an attribution speaks for (``spoken_by``)."""
    return spoken_by(att.sentence, att.content, [(info.start, info.end) for info in infos])


def spoken_by(sentence: int, content: Sequence[tuple[int, int]], bounds: Sequence[tuple[int, int]]) -> list[int]:
    """The sentences an attribution whose cue stands in ``sentence`` speaks for: that one, and those
    its content mostly covers (more than ``MOSTLY`` of their characters). ``bounds``: each
    sentence's (start, end), in order. The corpus layer's claims read quotations by this rule too."""
    out = {sentence}
    if content:
        starts = [s for s, _ in bounds]
        first = max(0, bisect_right(starts, min(s for s, _ in content)) - 1)
        last = max(e for _, e in content)
        for i in range(first, len(bounds)):
            b_start, b_end = bounds[i]
            if b_start >= last:
                break
            covered = sum(max(0, min(e, b_end) - max(s, b_start)) for s, e in content)
            if covered > MOSTLY * (b_end - b_start):
                out.add(i)
    return sorted(out)


class StatusComponent:
    def __call__(self, doc: Doc) -> Doc:
        infos = extensions.sentences(doc)
        if infos is None:  # used without sayso_cues: statuses from attributions alone
            infos = [SentenceInfo(s, e) for s, e in index(doc).char_bounds]
        by_sentence: dict[int, list[Attribution]] = {}
        for att in extensions.attributions(doc):
            for i in spoken_sentences(att, infos):
                by_sentence.setdefault(i, []).append(att)
        for i, info in enumerate(infos):
            if info.debris:  # not the article: no status of its own (the profile leaves it out)
                info.status, info.evaluative = "asserted", False
                continue
            info.status = encoder_combine.status_of(doc, i, info, decide(info, by_sentence.get(i, [])))
            info.evaluative = any(c.kind in EVALUATIVE_KINDS for c in info.cues)
        extensions.set_sentences(doc, infos)
        return doc
