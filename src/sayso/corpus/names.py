"""Canonical names across articles: epithets and headline debris off, titles off, adjectives not sources.

One article's entity name ("Crooked Hillary Clinton", "Obama Says", "President Barack Obama",
"Loretta E. Lynch") becomes a key that other articles' names of the same person can meet
("hillary clinton", "barack obama", "loretta lynch"), and the parts a person key is compared by.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Words a headline or a careless extraction glues onto a name: "Obama Says", "Trump Slams".
DEBRIS = {
    "says", "said", "say", "tells", "told", "slams", "blasts", "warns", "urges", "vows", "claims",
    "denies", "admits", "calls", "asks", "reveals", "responds", "speaks", "wins", "loses", "leads",
    "to", "and", "on", "in", "at", "of", "for", "with", "after", "over", "as", "by", "from",
}
# Epithets and titles that precede a name and are not part of it.
EPITHETS = {
    "crooked", "lyin", "lyin'", "little", "sleepy", "crazy", "low-energy", "low", "energy", "dear",
    "beloved", "late", "embattled", "disgraced", "former", "ex", "ex-", "then", "then-", "new",
    "president", "vice", "presidential", "candidate", "nominee", "senator", "sen", "sen.", "rep", "rep.",
    "representative", "gov", "gov.", "governor", "mayor", "secretary", "minister", "prime", "chancellor",
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "prof", "prof.", "professor", "sir", "dame",
    "lord", "lady", "judge", "justice", "attorney", "general", "gen", "gen.", "general's", "chief",
    "actor", "actress", "singer", "star", "coach", "rev", "rev.", "reverend", "pope", "king", "queen",
    "prince", "princess", "speaker", "leader", "director", "ceo", "chairman", "chairwoman", "officer",
    "democratic", "republican", "democrat", "gop", "u.s.", "us", "american", "british",
}
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
ARTICLES = {"the", "a", "an"}
# Bare group words and words that are only adjectives are no source on their own.
GROUP_WORDS = {
    "democrats", "republicans", "officials", "police", "authorities", "government", "administration",
    "critics", "experts", "analysts", "sources", "people", "residents", "witnesses", "investigators",
    "prosecutors", "lawmakers", "congress", "democratic", "republican", "conservative", "liberal",
    "federal", "state", "white", "black", "american", "americans",
}
NAME_TYPES = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"}
_INITIAL = re.compile(r"^[a-z]\.?$")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


def fold(word: str) -> str:
    """Lower case, accents and curly quotes off: the form names are compared in."""
    word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii")
    return word.lower().strip(".,;:!?\"'()[]")


@dataclass(frozen=True)
class Name:
    """A cleaned name: ``words`` as written (fullest display form) and its comparison parts."""

    words: tuple[str, ...]
    type: str

    @property
    def display(self) -> str:
        return " ".join(self.words)

    @property
    def folded(self) -> tuple[str, ...]:
        return tuple(fold(w) for w in self.words)

    @property
    def surname(self) -> str:
        return self.folded[-1] if self.words else ""

    @property
    def given(self) -> str | None:
        """The first name of a person name of two words or more (initials skipped)."""
        parts = [w for w in self.folded[:-1] if not _INITIAL.match(w)]
        return parts[0] if parts else None

    @property
    def key(self) -> str:
        """What two mentions of one entity share: given name + surname for persons, all words else."""
        if self.type == "PERSON":
            return f"{self.given} {self.surname}" if self.given else self.surname
        return " ".join(self.folded)


def clean(name: str | None, type: str | None) -> Name | None:
    """The canonical form of an entity name, or None when nothing name-like is left.

    Drops determiners, possessive endings, leading epithets and titles, trailing headline debris
    ("Says"), and bare group words or adjectives ("Democratic", "officials").
    """
    if not name:
        return None
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    words = [_POSSESSIVE.sub("", w) if i == len(words) - 1 else w for i, w in enumerate(words)]
    while words and fold(words[0]) in ARTICLES:
        words.pop(0)
    while words and (fold(words[-1]) in DEBRIS or fold(words[-1]) in SUFFIXES or not fold(words[-1])):
        words.pop()
    if type == "PERSON":
        while len(words) > 1 and (fold(words[0]) in EPITHETS or not words[0][:1].isupper()):
            words.pop(0)
    words = [w for w in words if fold(w)]
    if not words or not any(w[:1].isupper() for w in words):
        return None
    if len(words) == 1 and fold(words[0]) in GROUP_WORDS:
        return None
    if type == "NORP":
        return None  # nationalities, parties as adjectives ("Democratic", "Russian"): not a source
    return Name(tuple(words), type or "")

