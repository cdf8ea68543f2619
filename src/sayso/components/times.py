"""sayso_times: time expressions with TIMEX3-style values relative to the publication date.

Spans come from the model's DATE and TIME entities, plus weekday, month and day words it missed.
Values come from ``sayso.timex`` (own rules). Writes ``doc._.sayso_times`` and sets ``time`` on every
attribution; ``sentence_times`` gives the claims component (which runs later) the same values.
"""

from __future__ import annotations

import re

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sayso import extensions
from sayso.docindex import index
from sayso.extensions import attr
from sayso.timex import foreign, normalize
from sayso.timex.normalize import MONTHS, WEEKDAYS
from sayso.types import TimeExpr

FUTURE_AUX = {"will", "shall", "'ll", "’ll"}
FUTURE_MARKERS = {"going", "set", "scheduled", "due", "slated", "poised"}  # "is going/set/due to"
SET_UNITS = {"day", "week", "month", "year", "weekend", "morning", "evening", "night", "hour", "minute", "decade"}
DAY_WORDS = {"today", "yesterday", "tomorrow", "tonight"}
MONTH_NAMES = {name for name in MONTHS if len(name) > 3}
WEEKDAY_NAMES = {name for name in WEEKDAYS if name.endswith("day")}
TIME_WORD = re.compile(
    r"\b(?:day|week|month|year|decade|centur|season|quarter|spring|summer|fall|autumn|winter|"
    r"morning|evening|night|weekend|era|term)", re.I
)
YEAR = re.compile(r"(?:1[89]|20)\d\d")
# lowercase words ``_spans`` looks at beside years
CANDIDATE_WORDS = frozenset({"every", "each", *DAY_WORDS, *MONTH_NAMES, *WEEKDAY_NAMES})
AGE = re.compile(r"\byears?[- ]old\b|\baged?\b", re.I)


@Language.factory(
    "sayso_times",
    assigns=[attr(extensions.TIMES), attr(extensions.ATTRIBUTIONS)],
    requires=[attr(extensions.ATTRIBUTIONS), "doc.ents", "token.dep", "token.head", "token.tag", "token.lemma", "token.is_sent_start"],
    default_config={"language": "en"},
)
def make_times(nlp: Language, name: str, language: str) -> TimesComponent:
    return TimesComponent(language)


def _tense(span: Span) -> str | None:
    """"past", "present", "future" or None (unknown) for the verb governing the expression.

    Climbs from the expression to the first finite verb: "will"/"shall" or "is going/set/due to"
    make it future; a past tense (or a perfect, "has commented") past; an infinitive under a
    present verb ("expects to win on Monday", "plans to") or under "was/were to" future.
    """
    tok: Token = span.root
    infinitive = False
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX"):
            auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
            if any(a.lower_ in FUTURE_AUX for a in auxes):
                return "future"
            if tok.lower_ in FUTURE_MARKERS and any(c.dep_ == "xcomp" for c in tok.children):
                return "future"
            if any(a.lower_ == "to" for a in auxes) and tok.tag_ == "VB":
                infinitive = True
            elif tok.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
                return "future" if infinitive and tok.lemma_ == "be" else "past"
            elif tok.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes):
                return "past"
            elif tok.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP", "MD") for a in auxes):
                return "future" if infinitive else "present"
        if tok.head is tok:
            break
        tok = tok.head
    return None


def _candidates(doc: Doc) -> list[int]:
    """Tokens that may start an expression the model missed, read off the token array (a Token
    object for every word costs more than the tests below)."""
    if not len(doc):
        return []
    lowers = doc.to_array(LOWER).tolist()
    strings = doc.vocab.strings
    wanted = {v for v in set(lowers) if strings[v] in CANDIDATE_WORDS or YEAR.fullmatch(strings[v])}
    return [i for i, v in enumerate(lowers) if v in wanted]


def _spans(doc: Doc) -> list[Span]:
    spans = [ent for ent in doc.ents if ent.label_ in ("DATE", "TIME")]
    covered = {i for ent in doc.ents if ent.label_ != "CARDINAL" for i in range(ent.start, ent.end)}
    for i in _candidates(doc):
        tok = doc[i]
        if i in covered:
            continue
        word = tok.lower_
        if word in ("every", "each") and tok.i + 1 < len(doc):
            # "every week", "every four years": sets the model often leaves out
            n = 2 if doc[tok.i + 1].like_num and tok.i + 2 < len(doc) else 1
            unit = doc[tok.i + n] if tok.i + n < len(doc) else None
            if unit is not None and (unit.lemma_ in SET_UNITS or unit.lower_ in WEEKDAY_NAMES) and unit.i not in covered:
                spans.append(doc[tok.i : unit.i + 1])
                continue
        if YEAR.fullmatch(tok.text) and tok.dep_ != "nummod" and tok.ent_type_ in ("", "CARDINAL"):
            spans.append(doc[tok.i : tok.i + 1])  # "from 2001 to 2014": the model took only 2001
            continue
        if (word in DAY_WORDS and not tok.text.isupper()) or (tok.text[:1].isupper() and tok.pos_ == "PROPN" and (word in MONTH_NAMES or word in WEEKDAY_NAMES)):
            spans.append(doc[tok.i : tok.i + 1])
    return sorted(spans, key=lambda s: s.start)


def _trim(doc: Doc, span: Span) -> tuple[int, int]:
    start, end = span.start, span.end
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    while start < end and doc[start].is_punct:
        start += 1
    return start, end


RANGE_WORDS = {"to", "through", "until", "and", "-", "–", "—"}


def _range_parts(doc: Doc, start: int, end: int, published: str | None, tense: str | None) -> list[tuple[int, int]]:
    """"from 2001 to 2014" is two dates: split a span at a range word when both sides are dates
    on their own ("September 16-19" stays whole: "19" is no date). "on Monday of last week’s
    shooting" is two as well: the possessive makes the second a modifier of a noun."""
    possessive = end < len(doc) and doc[end].tag_ == "POS" or doc[end - 1].text.endswith(("'s", "’s"))
    for i in range(start + 1, end - 1):
        if possessive and doc[i].lower_ == "of":
            return [(start, i), (i + 1, end)]
    for i in range(start + 1, end - 1):
        if doc[i].lower_ in RANGE_WORDS:
            left, right = (start, i), (i + 1, end)
            if doc[start].lower_ in ("between", "from"):
                left = (start + 1, i)
            sides = [normalize(doc[a:b].text, published, tense=tense) for a, b in (left, right)]
            if all(kind == "date" and value for kind, value in sides):
                return [left, right]
    return [(start, end)]


def _ud_tense(span: Span) -> str | None:
    """The tense of the verb governing the expression, from its morphology (UD parses): a future or
    conditional auxiliary makes it future ("serait présenté en avril", "будет представлен"); a past
    participle past ("a annoncé jeudi"); an infinitive takes the verb above it, and is future when
    nothing above says otherwise ("devrait présenter en janvier", "намерено представить")."""
    tok: Token = span.root
    infinitive = False
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX"):
            auxes = [c for c in tok.children if c.pos_ == "AUX" and c.dep_.startswith("aux")]
            if any("Cnd" in a.morph.get("Mood", []) for a in auxes if a.dep_ == "aux:tense"):
                return "past"  # "aurait quitté": the conditional perfect reports a past event
            if any(
                "Fut" in a.morph.get("Tense", []) or "Cnd" in a.morph.get("Mood", []) or a.lower_ in foreign.FUTURE_AUXILIARIES
                for a in auxes
            ):
                return "future"
            own = tok.morph
            if "Inf" in own.get("VerbForm", []):
                infinitive = True
            elif "Cnd" in own.get("Mood", []) or "Fut" in own.get("Tense", []):
                return "future"
            elif "Past" in own.get("Tense", []):
                return "past"
            elif "Pres" in own.get("Tense", []):
                return "future" if infinitive else "present"
        if tok.head is tok:
            break
        tok = tok.head
    return "future" if infinitive else None


def _foreign_times(doc: Doc, language: str, published: str | None) -> list[TimeExpr]:
    out = []
    for found in foreign.find(index(doc).text, language):
        span = doc.char_span(found.start, found.end, alignment_mode="expand")
        tense = _ud_tense(span) if span is not None else None
        kind, value = normalize(found.english, published, tense=tense)
        out.append(TimeExpr(found.start, found.end, kind, value))
    return out


class TimesComponent:
    def __init__(self, language: str = "en") -> None:
        self.language = language

    def __call__(self, doc: Doc) -> Doc:
        published = extensions.published(doc)
        times: list[TimeExpr] = _foreign_times(doc, self.language, published) if self.language != "en" else []
        for span in _spans(doc) if self.language == "en" else []:
            start, end = _trim(doc, span)
            if start >= end:
                continue
            text = doc[start:end].text
            if AGE.search(text) or re.fullmatch(r"\d{1,3}", text):
                continue  # ages ("Tom Roe, 30,") and bare numbers are not times
            tense = "past" if start and doc[start - 1].lower_ == "since" else _tense(span)
            for s, e in _range_parts(doc, start, end, published, tense):
                kind, value = normalize(doc[s:e].text, published, tense=tense)
                if value is None and (span.label_ == "TIME" or not TIME_WORD.search(doc[s:e].text)):
                    continue  # a clock time ("3 p.m.") on no day, a street ("West 23rd")
                times.append(TimeExpr(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), kind, value))
        extensions.set_times(doc, times)
        by_sentence = sentence_times(doc)
        attributions = extensions.attributions(doc)
        for attribution in attributions:
            attribution.time = by_sentence.get(attribution.sentence)
        if attributions:
            extensions.set_attributions(doc, attributions)
        return doc


def sentence_times(doc: Doc) -> dict[int, str]:
    """Sentence index -> the value of its first dated time expression (else its first resolved one)."""
    ix = index(doc)
    found: dict[int, tuple[str, str]] = {}
    for t in extensions.times(doc):
        if t.value is None:
            continue
        i = ix.sentence_at(t.start)
        best = found.get(i)
        if best is None or (best[0] != "date" and t.type == "date"):
            found[i] = (t.type, t.value)
    return {i: value for i, (_, value) in found.items()}
