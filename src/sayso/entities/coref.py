"""In-document coreference: named mentions merged into entities, types agreed by vote, and personal
pronouns linked to the person they most likely refer to.

Names: a shorter person mention ("Lavrov", "Mr. Lavrov", "Lavrov’s") joins the fullest name in the
article whose words it repeats (surname, or first name alone; a surname two people share stays
with the one introduced first); other names merge on their exact cleaned text, or as an acronym of
a longer name ("UAF" = "Ukrainian Armed Forces", "U.S." = "United States").
Pronouns: each he/him/his/she/her... joins the most salient person of the last few sentences
(Lappin & Leass style weights: subject > object > other, halved per sentence back, plus a bonus
when a subject pronoun meets a subject: "Chebanenko emphasized ... However, he noted"), never the
subject of its own verb for an object pronoun, always it for a reflexive, and never the speaker
of the quotation it stands in. Gender comes from honorifics, gendered role nouns ("his wife") and
pronouns already linked, never from lists of first names.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from sayso import quotes
from sayso.docindex import sentence_bounds, sentence_of_token
from sayso.entities.mentions import Mention

HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady"}
HONORIFIC_GENDER = {"mr": "m", "sir": "m", "lord": "m", "mrs": "f", "ms": "f", "miss": "f", "dame": "f", "lady": "f"}
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f", "herself": "f"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
LOOKBACK_SENTENCES = 3
FAR_LOOKBACK_SENTENCES = 8


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
    for cl in clusters:
        text = cl.mentions[0].text(doc).replace(".", "")  # "U.S." = "US"
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


def link_pronouns(doc: Doc, clusters: list[Cluster]) -> None:
    """Each third-person personal pronoun joins the most salient compatible person before it.

    Salience sums, over a person's mentions in the last few sentences, a weight for the mention's
    grammatical role halved for each sentence back. An object pronoun ("praised him") cannot be
    the subject of its own verb; a reflexive ("recused himself") is that subject.
    """
    persons = [c for c in clusters if c.label == "PERSON"]
    if not persons:
        return
    sent_of = sentence_of_token(doc)
    sent_bounds = sentence_bounds(doc)
    # (token index, cluster) of every mention, in text order; pronouns join as they are linked.
    mentions: list[tuple[int, Cluster]] = sorted(
        ((m.span(doc).root.i, cl) for cl in persons for m in cl.mentions), key=lambda x: x[0]
    )
    positions = [i for i, _ in mentions]

    def window(first_sent: int, last_sent: int) -> list[tuple[int, Cluster]]:
        lo = bisect_left(positions, sent_bounds[max(first_sent, 0)][0])
        hi = bisect_left(positions, sent_bounds[min(last_sent, len(sent_bounds) - 1)][1])
        return mentions[lo:hi]

    pronouns = [t for t in doc if t.lower_ in PRONOUN_GENDER and t.tag_ in ("PRP", "PRP$")]
    inside = [st == quotes.INSIDE for st in quotes.token_states(doc)]
    regions = quotes.token_regions(doc)
    for tok in pronouns:
        gender = PRONOUN_GENDER[tok.lower_]
        here = sent_of[tok.i]
        speakers = (
            _speakers(doc, tok, sent_of, inside, regions, window(here - 1 - LOOKBACK_SENTENCES, here + LOOKBACK_SENTENCES))
            if inside[tok.i] else set()
        )
        reflexive = tok.lower_.endswith("self")
        subjects = _clause_subjects(tok) if tok.dep_ in ("dobj", "dative") or reflexive else set()
        salience: dict[int, float] = {}
        by_id: dict[int, Cluster] = {}
        fits: dict[int, float] = {}
        # the last few sentences; further back only for a person whose gender is known to fit
        near = sent_bounds[max(here - LOOKBACK_SENTENCES, 0)][0]
        for i, cl in window(here - FAR_LOOKBACK_SENTENCES, here):
            if i >= tok.i:
                break
            key = id(cl)
            fit = fits.get(key)
            if fit is None:
                fit = fits[key] = cl.compatible(gender)
            if not fit or key in speakers or (i < near and fit < 1):
                continue
            if reflexive and subjects and i not in subjects:
                continue
            if not reflexive and i in subjects:
                continue
            w = _weight(doc[i]) * 0.5 ** (here - sent_of[i]) * fit
            if i < near:
                w *= 0.01  # far back: only when nobody nearer fits
            if tok.dep_ in SUBJECT_DEPS and doc[i].dep_ in SUBJECT_DEPS:
                w += 35  # parallel roles
            salience[key] = salience.get(key, 0.0) + w
            by_id[key] = cl
        if not salience:
            continue
        chosen = by_id[max(salience, key=lambda k: salience[k])]
        chosen.mentions.append(Mention(tok.idx, tok.idx + len(tok.text), tok.i, tok.i + 1, "PERSON", pronoun=True))
        chosen.pronoun_votes[gender] += 1
        at = bisect_left(positions, tok.i)
        positions.insert(at, tok.i)
        mentions.insert(at, (tok.i, chosen))
    for cl in persons:
        cl.mentions.sort(key=lambda m: m.start)
