"""Pronoun coreference: each he/him/his/she/her... joins the person it most likely refers to.

The most salient person of the last few sentences (Lappin & Leass style weights: subject > object >
other, halved per sentence back, plus a bonus when a subject pronoun meets a subject: "Chebanenko
emphasized ... However, he noted"), never the subject of its own verb for an object pronoun,
always it for a reflexive, and never the speaker of the quotation it stands in (``sayso.quotes``).
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.attrs import LOWER, TAG
from spacy.tokens import Doc, Token

from sayso import quotes
from sayso.coref.clusters import Cluster
from sayso.coref.mentions import Mention
from sayso.docindex import sentence_bounds, sentence_of_token

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f", "herself": "f"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
LOOKBACK_SENTENCES = 3
FAR_LOOKBACK_SENTENCES = 8


def _weight(tok: Token) -> float:
    """Salience of one mention by its grammatical role (after Lappin & Leass 1994)."""
    w = 100.0
    if tok.dep_ in SUBJECT_DEPS:
        w += 80
    elif tok.dep_ in ("dobj", "attr", "appos"):
        w += 50
    elif tok.dep_ in ("pobj", "dative", "agent"):
        w += 40
    if tok.dep_ not in ("poss", "compound"):
        w += 80  # the head of its phrase, not a modifier inside another
    return w


def _clause_subjects(tok: Token) -> set[int]:
    """Token indices of the subject (and its appositives) of the clause a pronoun sits in,
    climbing through non-finite verbs ("before asking her": the subject of "sings")."""
    verb = tok.head
    for _ in range(4):
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            found = {c.i for c in subjects}
            found |= {a.i for c in subjects for a in c.children if a.dep_ == "appos"}
            return found
        if verb.head is verb or verb.dep_ not in ("xcomp", "pcomp", "prep", "advcl", "acl", "conj"):
            break
        verb = verb.head
    return set()


def _speakers(
    doc: Doc, tok: Token, sent_of: list[int], inside: list[bool], regions: list[tuple[int, int]],
    mentions: list[tuple[int, Cluster]],
) -> set[int]:
    """Clusters that speak the quotation a pronoun is in: a subject outside quotes in the sentence
    where the quotation closes, else where it opens, else in the sentence before a quotation that
    opens its sentence ("Nervo wrote. “If the court ... his rights”"). A third-person pronoun in a
    quotation does not refer to its speaker."""
    region = next(((o, c) for o, c in regions if o < tok.i <= c), None)
    if region is None:
        return set()
    open_i, close_i = region
    subjects = [(i, cl) for i, cl in mentions if not inside[i] and doc[i].dep_ in SUBJECT_DEPS | {"appos"}]
    tries = [sent_of[close_i], sent_of[open_i]]
    if doc[open_i].is_sent_start or (open_i + 1 < len(doc) and doc[open_i + 1].is_sent_start):
        tries.append(sent_of[open_i] - 1)
    for sent in tries:
        found = {id(cl) for i, cl in subjects if sent_of[i] == sent}
        if found:
            return found
    return set()


class _Linker:
    """The mentions of persons in text order, with pronouns added as they are linked."""

    def __init__(self, doc: Doc, persons: list[Cluster]) -> None:
        self.doc = doc
        self.sent_of = sentence_of_token(doc)
        self.bounds = sentence_bounds(doc)
        self.mentions: list[tuple[int, Cluster]] = sorted(
            ((m.span(doc).root.i, cl) for cl in persons for m in cl.mentions), key=lambda x: x[0]
        )
        self.positions = [i for i, _ in self.mentions]
        self.inside = [st == quotes.INSIDE for st in quotes.token_states(doc)]
        self.regions = quotes.token_regions(doc)

    def window(self, first_sent: int, last_sent: int) -> list[tuple[int, Cluster]]:
        lo = bisect_left(self.positions, self.bounds[max(first_sent, 0)][0])
        hi = bisect_left(self.positions, self.bounds[min(last_sent, len(self.bounds) - 1)][1])
        return self.mentions[lo:hi]

    def add(self, tok: Token, chosen: Cluster) -> None:
        at = bisect_left(self.positions, tok.i)
        self.positions.insert(at, tok.i)
        self.mentions.insert(at, (tok.i, chosen))

    def choose(self, tok: Token) -> Cluster | None:
        """The most salient compatible person before ``tok``, or None."""
        doc, sent_of = self.doc, self.sent_of
        gender = PRONOUN_GENDER[tok.lower_]
        here = sent_of[tok.i]
        speakers: set[int] = set()
        if self.inside[tok.i]:
            near_window = self.window(here - 1 - LOOKBACK_SENTENCES, here + LOOKBACK_SENTENCES)
            speakers = _speakers(doc, tok, sent_of, self.inside, self.regions, near_window)
        reflexive = tok.lower_.endswith("self")
        subjects = _clause_subjects(tok) if tok.dep_ in ("dobj", "dative") or reflexive else set()
        salience: dict[int, float] = {}
        by_id: dict[int, Cluster] = {}
        fits: dict[int, float] = {}
        # the last few sentences; further back only for a person whose gender is known to fit
        near = self.bounds[max(here - LOOKBACK_SENTENCES, 0)][0]
        for i, cl in self.window(here - FAR_LOOKBACK_SENTENCES, here):
            if i >= tok.i:
                break
            key = id(cl)
            fit = fits.get(key)
            if fit is None:
                fit = fits[key] = cl.compatible(gender)
            if not fit or key in speakers or (i < near and fit < 1):
                continue
            if (reflexive and subjects and i not in subjects) or (not reflexive and i in subjects):
                continue
            salience[key] = salience.get(key, 0.0) + _salience(doc[i], tok, here - sent_of[i], fit, i < near)
            by_id[key] = cl
        if not salience:
            return None
        return by_id[max(salience, key=lambda k: salience[k])]


def _salience(mention: Token, pronoun: Token, sentences_back: int, fit: float, far: bool) -> float:
    w = _weight(mention) * 0.5**sentences_back * fit
    if far:
        w *= 0.01  # far back: only when nobody nearer fits
    if pronoun.dep_ in SUBJECT_DEPS and mention.dep_ in SUBJECT_DEPS:
        w += 35  # parallel roles
    return w


def link_pronouns(doc: Doc, clusters: list[Cluster]) -> None:
    """Each third-person personal pronoun joins the most salient compatible person before it.

    Salience sums, over a person's mentions in the last few sentences, a weight for the mention's
    grammatical role halved for each sentence back. An object pronoun ("praised him") cannot be
    the subject of its own verb; a reflexive ("recused himself") is that subject.
    """
    persons = [c for c in clusters if c.label == "PERSON"]
    if not persons:
        return
    linker = _Linker(doc, persons)
    # the candidates are read off the token arrays: a Token object for every word costs more
    strings = doc.vocab.strings
    lowers = {strings.add(w) for w in PRONOUN_GENDER}
    tags = {strings.add("PRP"), strings.add("PRP$")}
    cols = doc.to_array([LOWER, TAG]).tolist() if len(doc) else []
    for i, (lower, tag) in enumerate(cols):
        if lower not in lowers or tag not in tags:
            continue
        tok = doc[i]
        chosen = linker.choose(tok)
        if chosen is None:
            continue
        chosen.mentions.append(Mention(tok.idx, tok.idx + len(tok.text), tok.i, tok.i + 1, "PERSON", pronoun=True))
        chosen.pronoun_votes[PRONOUN_GENDER[tok.lower_]] += 1
        linker.add(tok, chosen)
    for cl in persons:
        cl.mentions.sort(key=lambda m: m.start)
