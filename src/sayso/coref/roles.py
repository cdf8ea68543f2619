"""Roles: the article's own words for what an entity is.

Three constructions, read off the dependency parse:
- premodifier titles of a person: "Russian Foreign Minister Sergei Lavrov", "sculptor Jane Roe";
- appositives: "Alexei Chebanenko, a sculptor affiliated with ...", "the company's founder, Jane Roe";
- copular statements: "X, who is the mayor of Y", "X is the chief executive of Y".
An organisation named inside a role becomes an affiliation of the entity.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from sayso.coref.clusters import HONORIFICS
from sayso.timex import foreign

TITLE_DEPS = {"compound", "amod", "nmod"}
MAX_ROLE_TOKENS = 12
# A role ends where a clause or a new phrase starts.
STOP_DEPS = {"relcl", "punct", "cc", "conj", "advcl"}


@dataclass
class Role:
    start: int  # token offsets
    end: int

    def text(self, doc: Doc) -> str:
        return doc[self.start : self.end].text


def _strip(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].tag_ in ("DT", "PDT", "IN", "CC", "DET") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].tag_ in ("CC", "IN", "DT", "WDT", "WP")):
        end -= 1
    return start, end


def _has_noun(doc: Doc, start: int, end: int) -> bool:
    return any(t.pos_ in ("NOUN", "PROPN") and t.ent_type_ not in ("GPE", "NORP", "PERSON") for t in doc[start:end])


def _phrase(doc: Doc, head: Token, lower: int = 0, from_lower: bool = False) -> tuple[int, int] | None:
    """The noun phrase of ``head`` up to the first clause or comma after it, determiner dropped,
    starting no earlier than ``lower``. A plural ("two Vermont developers") describes a group that
    the entity is only one of, so it is no role."""
    if head.tag_ in ("NNS", "NNPS"):
        return None
    start = max(lower, min(t.i for t in head.subtree))
    end = head.i + 1
    for child in head.rights:
        if child.dep_ in STOP_DEPS:
            break
        end = max(t.i for t in child.subtree) + 1
    # Stop at the first comma inside what was taken.
    for t in doc[head.i : end]:
        if t.text in (",", ";", "(", "—", "–", "--") and t.i > head.i:
            end = t.i
            break
    if from_lower:  # an appositive runs from the comma after the name
        start = lower
        end = min(end, start + MAX_ROLE_TOKENS + 4)
    else:
        start = max(start, end - MAX_ROLE_TOKENS)
    start, end = _strip(doc, start, end)
    if start >= end or not _has_noun(doc, start, end):
        return None
    return start, end


def premodifier(doc: Doc, tok_start: int, tok_end: int) -> tuple[int, int] | None:
    """Title words directly before a person's name that modify it: "Russian Foreign Minister"."""
    name = range(tok_start, tok_end)
    i = tok_start - 1
    while i >= 0:
        t = doc[i]
        if t.dep_ not in TITLE_DEPS or not (i < t.head.i and (t.head.i in name or t.head.i < tok_start)):
            break
        if t.ent_type_ == "PERSON" or t.is_punct:
            break
        i -= 1
    start = i + 1
    # Honorifics ("Mr.") are not roles.
    while start < tok_start and doc[start].lower_.rstrip(".") in HONORIFICS:
        start += 1
    if start >= tok_start or not _has_noun(doc, start, tok_start) or doc[tok_start - 1].tag_ in ("NNS", "NNPS"):
        return None
    return start, tok_start


def after(doc: Doc, root: Token) -> list[tuple[int, int]]:
    """Appositive and copular roles attached to a mention whose head token is ``root``."""
    found = []
    for child in root.children:
        if child.i <= root.i:
            continue
        if child.dep_ == "appos" and child.pos_ in ("NOUN", "PROPN") and not child.ent_type_ and not child.text.isupper():
            if doc.lang_ in foreign.TABLES and foreign.find(child.text, doc.lang_):
                continue  # "Rachida Dati, lundi devant les sénateurs": a misparsed time is no role
            span = _phrase(doc, child, lower=root.i + 1, from_lower=True)
            if span:
                found.append(span)
        elif child.dep_ == "relcl" and child.lemma_ == "be":
            if any(c.dep_ == "nsubj" and c.tag_ in ("WP", "WDT") for c in child.children):
                for attr in child.children:
                    if attr.dep_ == "attr" and attr.ent_type_ != "PERSON":
                        span = _phrase(doc, attr, lower=root.i + 1)
                        if span:
                            found.append(span)
    # "X is the Y of Z"
    if root.dep_ == "nsubj" and root.head.lemma_ == "be":
        for attr in root.head.children:
            if attr.dep_ == "attr" and attr.i > root.i and attr.pos_ == "NOUN" and attr.ent_type_ != "PERSON":
                span = _phrase(doc, attr, lower=root.i + 1)
                if span:
                    found.append(span)
    # "the company's founder, Jane Roe": the name is the appositive of its role.
    # Small UD parsers (French, Russian) often read that apposition as a conjunct after a comma.
    conjunct = root.dep_ == "conj" and doc.lang_ != "en" and root.i > 0 and doc[root.i - 1].text == ","
    if (root.dep_ == "appos" or conjunct) and root.head.i < root.i and root.head.pos_ == "NOUN":
        span = _phrase(doc, root.head)
        if span and doc.lang_ != "en" and span[0] < root.i < span[1]:
            span = _strip(doc, span[0], root.i)  # "министр обороны Андрей Белоусов": no comma before the name
        if span and span[1] <= root.i:
            found.append(span)
    return found


# Role nouns that say whether a person is a man or a woman (English vocabulary, not names).
GENDERED_NOUNS = {
    "f": {
        "wife", "mother", "daughter", "sister", "widow", "grandmother", "aunt", "niece", "girlfriend",
        "bride", "queen", "princess", "duchess", "actress", "congresswoman", "chairwoman",
        "spokeswoman", "businesswoman", "councilwoman", "stepmother", "mom", "granddaughter",
        "first lady", "lady", "woman", "girl", "heiress", "empress", "nun", "sportswoman",
    },
    "m": {
        "husband", "father", "son", "brother", "widower", "grandfather", "uncle", "nephew",
        "boyfriend", "groom", "king", "prince", "duke", "actor", "congressman", "chairman",
        "spokesman", "businessman", "councilman", "stepfather", "dad", "grandson", "man", "boy",
        "heir", "emperor", "monk", "sportsman", "statesman",
    },
}


def gender(doc: Doc, spans: list[tuple[int, int]]) -> str | None:
    """"f" or "m" when the person's roles say so with a gendered noun ("his wife", "widow")."""
    found = set()
    for start, end in spans:
        words = {t.lower_ for t in doc[start:end]}
        for g, nouns in GENDERED_NOUNS.items():
            if words & nouns:
                found.add(g)
    return found.pop() if len(found) == 1 else None
