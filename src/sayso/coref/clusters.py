"""In-document coreference of names: named mentions merged into entities and their types agreed by vote.

A shorter person mention ("Lavrov", "Mr. Lavrov", "Lavrov’s") joins the fullest name in the
article whose words it repeats (surname, or first name alone; a surname two people share stays
with the one introduced first); other names merge on their exact cleaned text, or as an acronym of
a longer name ("UAF" = "Ukrainian Armed Forces", "U.S." = "United States"). Pronouns are linked
afterwards (``sayso.coref.pronouns``). Gender comes from honorifics, gendered role nouns ("his
wife") and pronouns already linked, never from lists of first names.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc

from sayso.coref.mentions import Mention
from sayso.docindex import index

HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady"}
HONORIFIC_GENDER = {"mr": "m", "sir": "m", "lord": "m", "mrs": "f", "ms": "f", "miss": "f", "dame": "f", "lady": "f"}


@dataclass
class Cluster:
    label: str
    mentions: list[Mention] = field(default_factory=list)
    gender: str | None = None  # known from an honorific or a gendered role noun
    pronoun_votes: Counter[str] = field(default_factory=Counter)  # genders of pronouns linked so far

    def compatible(self, gender: str) -> float:
        """1 when nothing speaks against ``gender``; a penalty when earlier links do."""
        if self.gender is not None:
            return 1.0 if self.gender == gender else 0.0
        other = sum(n for g, n in self.pronoun_votes.items() if g != gender)
        same = self.pronoun_votes[gender]
        if other >= 2 and same == 0:
            return 0.0
        return 0.25 if other > same else 1.0

    def first(self) -> int:
        return min(m.start for m in self.mentions)


def _key(doc: Doc, m: Mention) -> str:
    return " ".join(w.lower() for w in m.words(doc)).replace("’", "'")


def _name_words(doc: Doc, m: Mention) -> list[str]:
    return [w.replace("’", "'") for w in m.words(doc) if w.lower().rstrip(".") not in HONORIFICS]


def _honorific(doc: Doc, m: Mention) -> str | None:
    """The honorific just before (or at the start of) a person mention: "Mr. Lavrov"."""
    for i in (m.tok_start - 1, m.tok_start):
        if 0 <= i < len(doc):
            word = doc[i].lower_.rstrip(".")
            if word in HONORIFICS:
                return word
    return None


def vote_types(doc: Doc, mentions: list[Mention]) -> None:
    """Mentions with the same text take the label most of them carry; a lone word that is the
    surname of a full person name in the article is that person ("Lavrov" tagged ORG)."""
    votes: dict[str, Counter[str]] = {}
    for m in mentions:
        votes.setdefault(_key(doc, m), Counter())[m.label] += 1
    for m in mentions:
        m.label = votes[_key(doc, m)].most_common(1)[0][0]
    tails: set[str] = set()  # "lavrov", "de blasio": the ends of full person names
    for m in mentions:
        words = [w.lower() for w in _name_words(doc, m)]
        if m.label == "PERSON" and len(words) >= 2:
            tails.update(" ".join(words[-k:]) for k in range(1, len(words)))
            tails.add(words[0])  # a first name alone: "Melania" after "Melania Trump"
    for m in mentions:
        words = _name_words(doc, m)
        if m.label != "PERSON" and 1 <= len(words) <= 2 and " ".join(words).lower() in tails:
            # A modifier inside a longer name ("the Clinton Foundation") stays what it is.
            root = m.span(doc).root
            if root.dep_ == "compound" and root.head.pos_ == "PROPN" and root.head.i >= m.tok_end:
                continue
            m.label = "PERSON"


def _person_clusters(doc: Doc, persons: list[Mention]) -> list[Cluster]:
    clusters: list[Cluster] = []
    # every word of a full name -> (name, cluster): a shorter form shares its first word with it
    by_word: dict[str, list[tuple[list[str], Cluster]]] = {}
    # Fullest names first so shorter forms can join them.
    for m in sorted(persons, key=lambda m: (-len(_name_words(doc, m)), m.start)):
        words = [w.lower() for w in _name_words(doc, m)]
        if not words:
            continue
        candidates = []
        exact = None
        for name, cl in by_word.get(words[0], ()):
            if words == name:
                exact = cl
                break
            if words == name[-len(words):] or words == name[: len(words)] or (
                len(words) == 1 and words[0] in name
            ):
                candidates.append(cl)
        if exact is not None or candidates:
            # Several people may share a surname ("Hillary Clinton", "Chelsea Clinton"): the bare
            # surname stays with the one the article introduced first, its main subject.
            pick = exact if exact is not None else min(candidates, key=Cluster.first)
            pick.mentions.append(m)
        else:
            cl = Cluster("PERSON", [m])
            clusters.append(cl)
            for word in set(words):
                by_word.setdefault(word, []).append((words, cl))
    for cl in clusters:
        for m in cl.mentions:
            gender = HONORIFIC_GENDER.get(_honorific(doc, m) or "")
            if gender:
                cl.gender = gender
    return clusters


def _acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper())


def _other_clusters(doc: Doc, others: list[Mention]) -> list[Cluster]:
    by_key: dict[str, Cluster] = {}
    for m in others:
        by_key.setdefault(_key(doc, m), Cluster(m.label)).mentions.append(m)
    clusters = list(by_key.values())
    # "UAF" joins "Ukrainian Armed Forces" ("U.S." joins "United States") when its letters are the
    # initials of the longer name.
    merged: list[Cluster] = []
    doc_text = index(doc).text
    for cl in clusters:
        text = cl.mentions[0].text(doc_text).replace(".", "")  # "U.S." = "US"
        target = None
        if text.isupper() and 2 <= len(text) <= 6 and text.isalpha():
            for other in clusters:
                words = other.mentions[0].words(doc)
                if other is not cl and len(words) == len(text) and _acronym(words) == text:
                    target = other
                    break
        if target is not None:
            target.mentions.extend(cl.mentions)
        else:
            merged.append(cl)
    return merged


def cluster(doc: Doc, mentions: list[Mention]) -> list[Cluster]:
    vote_types(doc, mentions)
    persons = [m for m in mentions if m.label == "PERSON"]
    others = [m for m in mentions if m.label != "PERSON"]
    clusters = _person_clusters(doc, persons) + _other_clusters(doc, others)
    for cl in clusters:
        cl.mentions.sort(key=lambda m: m.start)
        cl.label = Counter(m.label for m in cl.mentions).most_common(1)[0][0]
    clusters.sort(key=Cluster.first)
    return clusters
