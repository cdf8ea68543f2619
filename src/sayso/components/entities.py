"""sayso_entities: the article's entities, each with one canonical name, a type agreed across its
mentions, the roles the article gives it and every mention (pronouns included).

Writes ``doc._.sayso_entities`` (``Entity`` records, see ``sayso.extensions``).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sayso import extensions
from sayso.coref import mentions, pronouns, roles, sources
from sayso.coref.clusters import Cluster, cluster
from sayso.coref.mentions import Mention
from sayso.docindex import index
from sayso.extensions import attr
from sayso.types import Entity

TokRange = tuple[int, int]


@Language.factory(
    "sayso_entities",
    assigns=[attr(extensions.ENTITIES)],
    requires=["doc.ents", "token.dep", "token.head", "token.tag", "token.lemma", "token.is_sent_start"],
)
def make_entities(nlp: Language, name: str) -> EntitiesComponent:
    return EntitiesComponent()


def _canonical(text: str, doc: Doc, cl: Cluster) -> str:
    """The fullest named form: most words, then longest, then first."""
    named = [m for m in cl.mentions if not m.pronoun]
    best = max(named, key=lambda m: (len(m.words(doc)), m.end - m.start, -m.start))
    return text[best.start : best.end]


def _without_title_words(doc: Doc, found: list[Mention]) -> tuple[list[Mention], dict[int, list[TokRange]]]:
    """Title words before a person's name belong to the role, not to a separate entity ("Defense"
    in "Defense Minister Andrei Belousov"), unless they name something at length. Returns the
    mentions left and each person mention's title span (by ``id`` of the mention)."""
    title_spans: dict[int, list[TokRange]] = {}
    for m in found:
        if m.label == "PERSON":
            span = roles.premodifier(doc, m.tok_start, m.tok_end)
            if span:
                title_spans[id(m)] = [span]
    in_title = {i for spans in title_spans.values() for s, e in spans for i in range(s, e)}
    kept = [
        m for m in found
        if not (m.label not in ("PERSON", "NORP", "GPE") and m.tok_end - m.tok_start == 1 and m.tok_start in in_title)
    ]
    return kept, title_spans


def _roles(doc: Doc, clusters: list[Cluster], title_spans: dict[int, list[TokRange]]) -> dict[int, list[TokRange]]:
    """Role spans of each cluster (by ``id``); a person's gender from a gendered role noun."""
    role_spans: dict[int, list[TokRange]] = {}
    for cl in clusters:
        spans = role_spans.setdefault(id(cl), [])
        for m in cl.mentions:
            spans.extend(title_spans.get(id(m), []))
            spans.extend(roles.after(doc, m.span(doc).root))
        if cl.label == "PERSON" and cl.gender is None:
            cl.gender = roles.gender(doc, spans)
    return role_spans


def _entity(doc: Doc, text: str, cl: Cluster, ent_id: str, spans: list[TokRange], owner: dict[int, str], orgs: set[str]) -> Entity:
    role_texts: list[str] = []
    affiliations: list[str] = []
    for s, e in spans:
        role = doc[s:e].text
        if role.lower() not in (r.lower() for r in role_texts):
            role_texts.append(role)
        for i in range(s, e):
            aff = owner.get(i)
            if aff and aff != ent_id and aff not in affiliations and aff in orgs:
                affiliations.append(aff)
    return Entity(
        id=ent_id,
        name=_canonical(text, doc, cl),
        type=cl.label,
        roles=role_texts,
        affiliations=affiliations,
        mentions=[(m.start, m.end) for m in cl.mentions],
        role_heads=_role_heads(doc, spans) if cl.label == "PERSON" else [],
    )


class EntitiesComponent:
    def __call__(self, doc: Doc) -> Doc:
        text = index(doc).text
        found = mentions.collect(doc)
        mentions.trim_run_on_names(doc, text, found)
        found, title_spans = _without_title_words(doc, mentions.add_missed_surnames(doc, found))
        clusters = cluster(doc, found)
        ids = {id(cl): f"e{i}" for i, cl in enumerate(clusters)}
        owner = {i: ids[id(cl)] for cl in clusters for m in cl.mentions for i in range(m.tok_start, m.tok_end)}
        orgs = {ids[id(cl)] for cl in clusters if cl.label == "ORG"}
        role_spans = _roles(doc, clusters, title_spans)
        pronouns.link_pronouns(doc, clusters)
        extensions.set_entities(
            doc, [_entity(doc, text, cl, ids[id(cl)], role_spans[id(cl)], owner, orgs) for cl in clusters]
        )
        return doc


def resolve(doc: Doc, entities: list[Entity], start: int, end: int) -> str | None:
    """The id of the entity a char span of ``doc`` is about (``sayso.coref.sources``), or None."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    found, _ = sources.source_entity(doc, entities, span)
    return found.id if found is not None else None


def _role_heads(doc: Doc, spans: list[TokRange]) -> list[str]:
    """Head nouns of roles: "Russian Foreign Minister" -> minister, "sculptor affiliated with" -> sculptor."""
    heads = []
    for s, e in spans:
        inside = [t for t in doc[s:e] if t.pos_ in ("NOUN", "PROPN") and not (s <= t.head.i < e and t.head.i != t.i)]
        if inside:
            heads.append(inside[0].lemma_.lower())
    return heads
