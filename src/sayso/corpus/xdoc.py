"""One entity across articles: every entity row gets a ``corpus_id``.

Persons meet on given name + surname ("Barack Obama", "President Obama" via the story, "Loretta E.
Lynch" = "Loretta Lynch"); different given names never meet (Bill and Hillary Clinton). A surname
alone joins the one full name with that surname in its story; where its story has none, the full
name that dominates the corpus (the only one, or the one that four in five of the articles naming
one in full use); else the one full name of its story with that given name ("Lindsay"), or the one that dominates
the corpus; else it
stays a surname id of its own. Other entities meet on their cleaned name,
an acronym on the one name whose initials it spells, a one-word name on the one longer name of its
story that ends with it ("Saints", "New Orleans Saints"); one name tagged with two types (ORG and
GPE) is one entity, under the type it has most often, and a lone word tagged PERSON that names no
person but an organisation or place joins that. Ids are made from the names, so they are the same in every rebuild
and in any input order, and a batch that adds articles meets the ids already there.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sayso.corpus.names import Name, clean, fold


@dataclass(frozen=True)
class EntityRow:
    article_id: str
    entity_id: str
    name: str | None
    type: str | None
    story: str | None = None
    articles: int = 1  # how many articles the row stands for (one row per name and story, counted)


DOMINANT = 0.8  # a surname alone, with no full name in its story, joins a full name this dominant in the corpus


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def local_id(row: EntityRow) -> str:
    """The id of an entity that has no name to meet others by: its own, in its article."""
    return f"local:{row.article_id}/{row.entity_id}"


def _initials(name: Name) -> str:
    return "".join(w[0] for w in name.folded if w and w not in {"of", "the", "and", "for"})


def short_forms(full_in_story: dict[tuple[str | None, str], set[str]], articles_of: dict[str, Counter]) -> dict[str, str]:
    """Full names of one story and surname whose given names are a short and a long form ("Fred
    LaRue", "Frederick LaRue"): each -> the one more articles use (then the first in order)."""
    alias: dict[str, str] = {}
    for keys in full_in_story.values():
        ranked = sorted(keys, key=lambda k: (-articles_of[k].total(), k))
        for k in ranked:
            given = k.split()[0]
            for other in ranked:
                g = other.split()[0]
                if other != k and other not in alias and min(len(g), len(given)) >= 3 and (g.startswith(given) or given.startswith(g)):
                    if ranked.index(other) < ranked.index(k):
                        alias.setdefault(k, alias.get(other, other))
    return alias


def link(rows: Iterable[EntityRow], common: frozenset[str] = frozenset()) -> dict[tuple[str, str], str]:
    """(article_id, entity_id) -> corpus_id for every row.

    ``common``: words the corpus writes mostly in lower case. A person name whose last word is one
    ("Lindsay Checks", "Obama Overturns") carries headline debris, and one whose first word is one
    ("Comedian DeGeneres") a role; either joins the one person of its story it then names. A name
    of three words or more whose first two are a full name the corpus knows is that person
    ("Lindsay Lohan Checks Into Rehab"); a short given name meets its long form in a story ("Fred"
and "Frederick LaRue"). A given name of a person elsewhere ("Bill") is never taken
    for a role.
    """
    rows = list(rows)
    names = {(r.article_id, r.entity_id): clean(r.name, r.type) for r in rows}
    debris = {k for k, n in names.items() if n is not None and n.type == "PERSON" and n.given and n.surname in common}
    given_names = {
        n.given for k, n in names.items()
        if n is not None and n.type == "PERSON" and n.given and k not in debris and fold(n.words[0]) not in common
    }
    full_by_surname: dict[str, set[str]] = defaultdict(set)  # surname -> person keys with a given name
    articles_of: dict[str, Counter] = defaultdict(Counter)  # person key -> articles that name it in full (with rows' weights)
    full_in_story: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    given_in_story: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    org_keys: set[str] = set()
    given_in_corpus: dict[str, set[str]] = defaultdict(set)
    types_of: dict[str, Counter] = defaultdict(Counter)  # name key of a non-person -> its types
    org_in_story: dict[tuple[str | None, str], set[str]] = defaultdict(set)  # (story, last word) -> longer names
    two_words = {n.key for n in names.values() if n is not None and n.type == "PERSON" and n.given and len(n.words) == 2}

    def head_of(n: Name) -> str | None:
        """The first two words of a longer name, folded: "lindsay lohan" of "Lindsay Lohan Checks Into Rehab"."""
        return f"{fold(n.words[0])} {fold(n.words[1])}" if len(n.words) > 2 else None

    for r in rows:
        n = names[(r.article_id, r.entity_id)]
        if n is None or (r.article_id, r.entity_id) in debris or (n.type == "PERSON" and head_of(n) in two_words):
            continue
        if n.type == "PERSON" and n.given and fold(n.words[0]) not in common - given_names:
            full_by_surname[n.surname].add(n.key)
            articles_of[n.key][r.article_id] = r.articles
            if r.story is not None:
                full_in_story[(r.story, n.surname)].add(n.key)
                given_in_story[(r.story, n.given)].add(n.key)
            given_in_corpus[n.given].add(n.key)
        elif n.type != "PERSON":
            types_of[n.key][n.type] += r.articles
        if n.type != "PERSON" and len(n.words) > 1:
            org_keys.add(n.key)
            if r.story is not None:
                org_in_story[(r.story, n.surname)].add(n.key)
    by_initials: dict[str, set[str]] = defaultdict(set)
    for key in org_keys:
        by_initials["".join(w[0] for w in key.split() if w not in {"of", "the", "and", "for"})].add(key)

    alias = short_forms(full_in_story, articles_of)
    for table in (full_in_story, given_in_story, full_by_surname, given_in_corpus):
        for k in table:
            table[k] = {alias.get(x, x) for x in table[k]}  # type: ignore[index]

    def one(found: set[str]) -> str | None:
        return next(iter(found)) if len(found) == 1 else None

    def dominant(found: set[str]) -> str | None:
        """The one full name that at least ``DOMINANT`` of the articles naming any of ``found`` use."""
        if len(found) <= 1:
            return one(found)
        counts = sorted(((articles_of[k].total(), k) for k in found), reverse=True)
        total = sum(c for c, _ in counts)
        return counts[0][1] if counts[0][0] >= DOMINANT * total else None

    out: dict[tuple[str, str], str] = {}
    for r in rows:
        n = names[(r.article_id, r.entity_id)]
        if n is None:
            out[(r.article_id, r.entity_id)] = local_id(r)
            continue
        person_key: str | None = None
        head = head_of(n)
        if n.type == "PERSON" and head in articles_of and head != n.key:
            person_key = head  # a full name the corpus knows, then headline words: "Lindsay Lohan Checks Into Rehab"
        elif n.type == "PERSON":
            surname = n.surname
            if (r.article_id, r.entity_id) in debris:
                found = one(given_in_story.get((r.story, n.given or ""), set())) or one(full_in_story.get((r.story, fold(n.words[0])), set()))
                surname = found.split()[-1] if found else fold(n.words[0])
                person_key = found
            elif n.given and fold(n.words[0]) in common - given_names and len(n.words) == 2:
                person_key = one(full_in_story.get((r.story, surname), set()))  # "Comedian DeGeneres"
            elif n.given:
                person_key = alias.get(n.key, n.key)
            if person_key is None:
                story_keys = full_in_story.get((r.story, surname), set()) if r.story is not None else set()
                person_key = one(story_keys) or (dominant(full_by_surname.get(surname, set())) if not story_keys else None)
                if person_key is None and not n.given and not story_keys:  # a given name alone ("Lindsay")
                    person_key = one(given_in_story.get((r.story, surname), set())) or dominant(given_in_corpus.get(surname, set()))
                if person_key is None and not n.given and surname in types_of and not full_by_surname.get(surname):
                    person_key = None  # a lone word that names no person but an organisation or place
                else:
                    person_key = person_key or surname
        elif n.type == "ORG" and len(n.words) == 1 and r.story is not None:
            person_key = one(full_in_story.get((r.story, n.surname), set()))  # a person's surname tagged ORG
        if person_key is not None:
            out[(r.article_id, r.entity_id)] = f"person:{slug(person_key)}"
            continue
        key = n.key
        if len(n.words) == 1 and n.words[0].isupper() and len(by_initials.get(fold(n.words[0]), ())) == 1:
            key = next(iter(by_initials[fold(n.words[0])]))
        elif len(n.words) == 1 and r.story is not None:
            key = one(org_in_story.get((r.story, n.key), set())) or key  # "Saints" -> "New Orleans Saints"
        kinds = types_of.get(key)
        kind = min(kinds, key=lambda t: (-kinds[t], t)) if kinds else n.type  # one key, one type across the corpus
        out[(r.article_id, r.entity_id)] = f"{kind.lower()}:{slug(key)}"
    return out
