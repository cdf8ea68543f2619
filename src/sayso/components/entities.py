"""sayso_entities: the article's entities, each with one canonical name, a type agreed across its
mentions, the roles the article gives it and every mention (pronouns included).

Writes ``doc._.entities`` (list of ``Entity``) and ``doc._.mention_index`` ({(start, end): id}).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sayso import extensions  # noqa: F401  (registers Doc._ attributes)
from sayso.entities import coref, mentions, roles
from sayso.types import Entity

ROLE_HEADS = "sayso_role_heads"  # doc.user_data: {entity id: head nouns of its roles}


@Language.factory("sayso_entities")
def make_entities(nlp: Language, name: str) -> EntitiesComponent:
    return EntitiesComponent()


def _canonical(doc: Doc, cl: coref.Cluster) -> str:
    """The fullest named form: most words, then longest, then first."""
    named = [m for m in cl.mentions if not m.pronoun]
    best = max(named, key=lambda m: (len(m.words(doc)), m.end - m.start, -m.start))
    return best.text(doc)


class EntitiesComponent:
    def __call__(self, doc: Doc) -> Doc:
        found = mentions.collect(doc)
        mentions.trim_run_on_names(doc, found)
        found = mentions.add_missed_surnames(doc, found)
        # Title words before a person's name belong to the role, not to a separate entity
        # ("Defense" in "Defense Minister Andrei Belousov"), unless they name something at length.
        title_spans: dict[int, list[tuple[int, int]]] = {}
        for m in found:
            if m.label == "PERSON":
                span = roles.premodifier(doc, m.tok_start, m.tok_end)
                if span:
                    title_spans[id(m)] = [span]
        in_title = {i for spans in title_spans.values() for s, e in spans for i in range(s, e)}
        found = [
            m for m in found
            if not (m.label not in ("PERSON", "NORP", "GPE") and m.tok_end - m.tok_start == 1 and m.tok_start in in_title)
        ]
        clusters = coref.cluster(doc, found)
        ids = {id(cl): f"e{i}" for i, cl in enumerate(clusters)}
        owner: dict[int, str] = {}  # token index -> entity id, for affiliations
        for cl in clusters:
            for m in cl.mentions:
                for i in range(m.tok_start, m.tok_end):
                    owner[i] = ids[id(cl)]
        role_spans: dict[int, list[tuple[int, int]]] = {}
        for cl in clusters:
            spans = role_spans.setdefault(id(cl), [])
            for m in cl.mentions:
                spans.extend(title_spans.get(id(m), []))
                spans.extend(roles.after(doc, m.span(doc).root))
            if cl.label == "PERSON" and cl.gender is None:
                cl.gender = roles.gender(doc, spans)
        coref.link_pronouns(doc, clusters)
        doc.user_data[ROLE_HEADS] = {
            ids[id(cl)]: _role_heads(doc, role_spans[id(cl)]) for cl in clusters if cl.label == "PERSON" and role_spans[id(cl)]
        }
        entities = []
        index: dict[tuple[int, int], str] = {}
        for cl in clusters:
            ent_id = ids[id(cl)]
            role_texts: list[str] = []
            affiliations: list[str] = []
            for s, e in role_spans[id(cl)]:
                text = doc[s:e].text
                if text.lower() not in (r.lower() for r in role_texts):
                    role_texts.append(text)
                for i in range(s, e):
                    aff = owner.get(i)
                    if aff and aff != ent_id and aff not in affiliations and _is_org(clusters, ids, aff):
                        affiliations.append(aff)
            entity = Entity(
                id=ent_id,
                name=_canonical(doc, cl),
                type=cl.label,
                roles=role_texts,
                affiliations=affiliations,
                mentions=[(m.start, m.end) for m in cl.mentions],
            )
            entities.append(entity)
            for m in cl.mentions:
                index[(m.start, m.end)] = ent_id
        doc._.entities = entities
        doc._.mention_index = index
        mentions.forget_text(doc)
        return doc


def _is_org(clusters: list[coref.Cluster], ids: dict[int, str], ent_id: str) -> bool:
    return any(ids[id(cl)] == ent_id and cl.label == "ORG" for cl in clusters)


def resolve(doc: Doc, start: int, end: int) -> str | None:
    """The id of the entity a char span of ``doc`` refers to (a mention overlapping the span's end,
    which is where an English noun phrase keeps its head), or None.

    A definite description with no name in it ("the sculptor said") refers to the person named
    before it whose role has that head noun ("Alexei Chebanenko, a sculptor ..."); the one named
    last when several have it."""
    index = doc._.mention_index or {}
    best = None
    for (s, e), ent_id in index.items():
        if s < end and start < e and (best is None or e > best[0]):
            best = (e, ent_id)
    if best:
        return best[1]
    return _by_role(doc, start, end)


def _by_role(doc: Doc, start: int, end: int) -> str | None:
    heads: dict[str, list[str]] = doc.user_data.get(ROLE_HEADS) or {}
    span = doc.char_span(start, end, alignment_mode="expand")
    if not heads or span is None or len(span) == 0:
        return None
    root = span.root
    if root.tag_ not in ("NN", "NNP") or span[0].lower_ not in ("the", "this", "that"):
        return None
    last_seen: dict[str, int] = {}
    for ent in doc._.entities or []:
        if root.lemma_.lower() in heads.get(ent.id, ()):
            before = [s for s, _ in ent.mentions if s < start]
            if before:
                last_seen[ent.id] = max(before)
    return max(last_seen, key=lambda k: last_seen[k]) if last_seen else None


def _role_heads(doc: Doc, spans: list[tuple[int, int]]) -> list[str]:
    """Head nouns of roles: "Russian Foreign Minister" -> minister, "sculptor affiliated with" -> sculptor."""
    heads = []
    for s, e in spans:
        inside = [t for t in doc[s:e] if t.pos_ in ("NOUN", "PROPN") and not (s <= t.head.i < e and t.head.i != t.i)]
        if inside:
            heads.append(inside[0].lemma_.lower())
    return heads
