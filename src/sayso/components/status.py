"""sayso_status: each sentence's status and whether the outlet itself evaluates.

Reads the cues ``sayso_cues`` found in the outlet's own voice and the attributions of
``sayso_attribution``. Precedence, as PRODUCT.md defines it:

1. ``hedged``: a hedge cue in the outlet's voice (it wins over an attribution in the sentence);
2. ``attributed``: an attribution to a source that is given and not anonymous ("he" carried over
   from the sentence before counts: the attribution component resolves it);
3. ``anonymous``: an attribution without a source or to an unnamed one, or an anonymous or weasel
   cue ("officials said", "critics argue", "it was reported");
4. ``asserted`` otherwise.

``evaluative`` is true when an evaluative or prediction cue stands in the outlet's voice.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sayso import extensions
from sayso.components import encoder_combine
from sayso.docindex import index
from sayso.extensions import attr
from sayso.types import Attribution, SentenceInfo

EVALUATIVE_KINDS = frozenset({"evaluative", "prediction"})
ANONYMOUS_KINDS = frozenset({"anonymous", "weasel"})


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
    if "hedge" in kinds:
        return "hedged"
    if any(is_named(a) for a in attributions):
        return "attributed"
    if attributions or kinds & ANONYMOUS_KINDS:
        return "anonymous"
    return "asserted"


class StatusComponent:
    def __call__(self, doc: Doc) -> Doc:
        infos = extensions.sentences(doc)
        if infos is None:  # used without sayso_cues: statuses from attributions alone
            infos = [SentenceInfo(s, e) for s, e in index(doc).char_bounds]
        by_sentence: dict[int, list[Attribution]] = {}
        for att in extensions.attributions(doc):
            by_sentence.setdefault(att.sentence, []).append(att)
        for i, info in enumerate(infos):
            encoder_combine.gate_cues(doc, i, info)
            info.status = encoder_combine.status_of(doc, i, info, decide(info, by_sentence.get(i, [])))
            info.evaluative = any(c.kind in EVALUATIVE_KINDS for c in info.cues)
        extensions.set_sentences(doc, infos)
        return doc
