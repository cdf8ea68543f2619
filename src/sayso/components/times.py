"""sayso_times: time expressions with TIMEX3-style values relative to the publication date.

Spans come from the model's DATE and TIME entities, plus weekday, month and day words it missed.
Values come from ``sayso.timex`` (own rules). Writes ``doc._.times`` and sets ``time`` on every
attribution; ``time_of_sentence`` gives the claims component (which runs later) the same value.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sayso import extensions  # noqa: F401  (registers Doc._ attributes)
from sayso.timex import normalize
from sayso.timex.normalize import MONTHS, WEEKDAYS
from sayso.types import TimeExpr

FUTURE_AUX = {"will", "shall", "'ll", "’ll"}
FUTURE_MARKERS = {"going", "set", "scheduled", "due", "slated", "poised"}  # "is going/set/due to"
DAY_WORDS = {"today", "yesterday", "tomorrow", "tonight"}
MONTH_NAMES = {name for name in MONTHS if len(name) > 3}
WEEKDAY_NAMES = {name for name in WEEKDAYS if name.endswith("day")}
AGE = re.compile(r"\byears?[- ]old\b|\baged?\b", re.I)
_BY_SENTENCE = "sayso_times_by_sentence"


@Language.factory("sayso_times")
def make_times(nlp: Language, name: str) -> TimesComponent:
    return TimesComponent()


def _future(span: Span) -> bool:
    """Whether the verb governing the expression speaks of the future ("will meet in July")."""
    tok: Token | None = span.root
    for _ in range(4):
        if tok is None:
            break
        if tok.pos_ in ("VERB", "AUX"):
            for child in tok.children:
                if child.dep_ in ("aux", "auxpass") and child.lower_ in FUTURE_AUX:
                    return True
                if child.lower_ in FUTURE_AUX and child.tag_ == "MD":
                    return True
            if tok.lower_ in FUTURE_MARKERS and any(c.dep_ == "xcomp" for c in tok.children):
                return True
        if tok.head is tok:
            break
        tok = tok.head
    return False


def _spans(doc: Doc) -> list[Span]:
    spans = [ent for ent in doc.ents if ent.label_ in ("DATE", "TIME")]
    covered = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    for tok in doc:
        if tok.i in covered:
            continue
        word = tok.lower_
        if word in DAY_WORDS or (tok.text[:1].isupper() and tok.pos_ == "PROPN" and (word in MONTH_NAMES or word in WEEKDAY_NAMES)):
            spans.append(doc[tok.i : tok.i + 1])
    return sorted(spans, key=lambda s: s.start)


def _trim(doc: Doc, span: Span) -> tuple[int, int]:
    start, end = span.start, span.end
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    while start < end and doc[start].is_punct:
        start += 1
    return start, end


class TimesComponent:
    def __call__(self, doc: Doc) -> Doc:
        published = doc._.published
        times: list[TimeExpr] = []
        for span in _spans(doc):
            start, end = _trim(doc, span)
            if start >= end:
                continue
            text = doc[start:end].text
            if AGE.search(text):
                continue
            kind, value = normalize(text, published, future=_future(span))
            if span.label_ == "TIME" and value is None:
                continue  # a clock time ("3 p.m.") on no day
            times.append(TimeExpr(doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text), kind, value))
        doc._.times = times
        doc.user_data.pop(_BY_SENTENCE, None)
        for attribution in doc._.attributions or []:
            attribution.time = time_of_sentence(doc, attribution.sentence)
        return doc


def time_of_sentence(doc: Doc, sent_index: int) -> str | None:
    """The value of the sentence's first dated time expression (else its first resolved one)."""
    by_sentence = doc.user_data.get(_BY_SENTENCE)
    if by_sentence is None:
        sents = [(s.start_char, s.end_char) for s in doc.sents]
        by_sentence = {}
        for t in doc._.times or []:
            if t.value is None:
                continue
            for i, (s, e) in enumerate(sents):
                if s <= t.start < e:
                    best = by_sentence.get(i)
                    if best is None or (best[0] != "date" and t.type == "date"):
                        by_sentence[i] = (t.type, t.value)
                    break
        doc.user_data[_BY_SENTENCE] = by_sentence
    found = by_sentence.get(sent_index)
    return found[1] if found else None
