"""In-document coreference: named mentions merged into entities, types agreed by vote, and personal
pronouns linked to the person they most likely refer to.

Names: a shorter person mention ("Lavrov", "Mr. Lavrov", "Lavrov’s") joins the fullest name in the
article whose words it repeats (surname, or first name alone); other names merge on their exact
cleaned text, or as an acronym of a longer name ("UAF" = "Ukrainian Armed Forces").
Pronouns: a subject pronoun ("he noted") goes to the nearest person in subject position before it
(same sentence first, then up to a few sentences back); other pronouns ("his remarks") to the
nearest person mentioned before them. Gender is only known from honorifics and from pronouns
already linked, never from lists of first names.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from sayso.entities.mentions import Mention

HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady"}
HONORIFIC_GENDER = {"mr": "m", "sir": "m", "lord": "m", "mrs": "f", "ms": "f", "miss": "f", "dame": "f", "lady": "f"}
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f", "herself": "f"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
LOOKBACK_SENTENCES = 3


@dataclass
class Cluster:
    label: str
    mentions: list[Mention] = field(default_factory=list)
    gender: str | None = None

    def first(self) -> int:
        return min(m.start for m in self.mentions)


def _key(doc: Doc, m: Mention) -> str:
    return " ".join(w.lower() for w in m.words(doc))


def _name_words(doc: Doc, m: Mention) -> list[str]:
    return [w for w in m.words(doc) if w.lower().rstrip(".") not in HONORIFICS]


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
    surnames = set()
    for m in mentions:
        words = _name_words(doc, m)
        if m.label == "PERSON" and len(words) >= 2:
            surnames.add(words[-1].lower())
    for m in mentions:
        words = _name_words(doc, m)
        if m.label != "PERSON" and len(words) == 1 and words[0].lower() in surnames:
            # A modifier inside a longer name ("the Clinton Foundation") stays what it is.
            root = m.span(doc).root
            if root.dep_ == "compound" and root.head.pos_ == "PROPN" and root.head.i >= m.tok_end:
                continue
            m.label = "PERSON"


def _person_clusters(doc: Doc, persons: list[Mention]) -> list[Cluster]:
    clusters: list[Cluster] = []
    full: list[tuple[list[str], Cluster]] = []
    # Fullest names first so shorter forms can join them.
    for m in sorted(persons, key=lambda m: (-len(_name_words(doc, m)), m.start)):
        words = [w.lower() for w in _name_words(doc, m)]
        if not words:
            continue
        candidates = []
        for name, cl in full:
            if words == name[-len(words):] or words == name[: len(words)] or (
                len(words) == 1 and words[0] in name
            ):
                candidates.append(cl)
        if candidates:
            # Several people may share a surname: take the one named last before this mention.
            before = [c for c in candidates if c.first() <= m.start]
            pick = max(before, key=lambda c: max(x.start for x in c.mentions if x.start <= m.start)) if before else candidates[0]
            pick.mentions.append(m)
        else:
            cl = Cluster("PERSON", [m])
            clusters.append(cl)
            full.append((words, cl))
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
    # "UAF" joins "Ukrainian Armed Forces" when its letters are the initials of the longer name.
    merged: list[Cluster] = []
    for cl in clusters:
        text = cl.mentions[0].text(doc)
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


def _sent_index(doc: Doc) -> list[int]:
    index = [0] * len(doc)
    for i, sent in enumerate(doc.sents):
        for t in range(sent.start, sent.end):
            index[t] = i
    return index


def _inside_quote(doc: Doc, tok: Token) -> bool:
    """True when an odd number of double quotes open before the token in its sentence."""
    quotes = sum(1 for t in doc[tok.sent.start : tok.i] if t.text in ('"', "“", "”", "``", "''"))
    return quotes % 2 == 1


def link_pronouns(doc: Doc, clusters: list[Cluster]) -> None:
    persons = [c for c in clusters if c.label == "PERSON"]
    if not persons:
        return
    sent_of = _sent_index(doc)
    # Candidates: (token index of head, is subject, cluster); pronouns join as they are linked.
    cands: list[tuple[int, bool, Cluster]] = []
    for cl in persons:
        for m in cl.mentions:
            root = m.span(doc).root
            cands.append((root.i, root.dep_ in SUBJECT_DEPS, cl))
    pronouns = [t for t in doc if t.lower_ in PRONOUN_GENDER and t.tag_ in ("PRP", "PRP$")]
    for tok in pronouns:
        if _inside_quote(doc, tok):
            continue
        gender = PRONOUN_GENDER[tok.lower_]
        here = sent_of[tok.i]
        ok = [
            (i, subj, cl)
            for i, subj, cl in cands
            if i < tok.i and here - sent_of[i] <= LOOKBACK_SENTENCES and cl.gender in (None, gender)
        ]
        if not ok:
            continue
        is_subject = tok.dep_ in SUBJECT_DEPS
        same = [c for c in ok if sent_of[c[0]] == here]
        if is_subject:
            pool = [c for c in same if c[1]] or [c for c in ok if c[1] and sent_of[c[0]] < here] or ok
        else:
            pool = same or [c for c in ok if c[1]] or ok
        _, _, chosen = max(pool, key=lambda c: c[0])
        chosen.mentions.append(Mention(tok.idx, tok.idx + len(tok.text), tok.i, tok.i + 1, "PERSON", pronoun=True))
        chosen.gender = chosen.gender or gender
        cands.append((tok.i, is_subject, chosen))
    for cl in persons:
        cl.mentions.sort(key=lambda m: m.start)
