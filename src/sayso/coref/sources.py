"""Which entity a source phrase is about: the one at the head of the phrase.

"Dmitry Peskov, press secretary for Putin" is Peskov (the appositive hangs from the name);
"press secretary for Putin" is the secretary, no entity; "her campaign" and "Romney's campaign"
are the campaign; "Some Republican leaders" and "Middle East experts" are unnamed groups. An entity
that only appears inside the phrase as a modifier, complement or possessor is never the source. A
definite description with no name ("the sculptor said") is the person named before it whose role
has that head noun, if any.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from sayso.types import Entity

PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP"})
NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# Heads of unnamed sources whatever their determiner ("the officials", "the sources").
UNNAMED_HEADS = frozenset(
    """official source aide person people someone insider adviser advisor diplomat officer staffer
    spokesperson spokesman spokeswoman member individual analyst expert observer critic witness
    resident report leader lawmaker strategist operative""".split()
)


def head(span: Span) -> Token:
    """The token the phrase is about: its syntactic root (punctuation at the edges ignored)."""
    words = [t for t in span if not (t.is_punct or t.is_space)]
    if not words:
        return span.root
    return span.doc[words[0].i : words[-1].i + 1].root


def entity_at(entities: list[Entity], char: int) -> Entity | None:
    """The entity with a mention covering char offset ``char`` (the latest-starting mention wins,
    so a pronoun or a short name inside a longer one is taken on its own)."""
    best: tuple[int, Entity] | None = None
    for ent in entities:
        for s, e in ent.mentions:
            if s <= char < e and (best is None or s > best[0]):
                best = (s, ent)
    return best[1] if best else None


def source_entity(doc: Doc, entities: list[Entity], span: Span) -> tuple[Entity | None, bool]:
    """(the entity the phrase is about or None, whether it was found through a role description)."""
    root = head(span)
    found = entity_at(entities, root.idx)
    if found is not None:
        return found, False
    # "press secretary for Putin, Dmitry Peskov": a named appositive of an unnamed head
    for child in root.children:
        if child.dep_ == "appos" and span.start <= child.i < span.end:
            found = entity_at(entities, head(doc[child.left_edge.i : child.right_edge.i + 1]).idx)
            if found is not None:
                return found, False
    found = by_role(entities, span, root)
    return found, found is not None


def by_role(entities: list[Entity], span: Span, root: Token) -> Entity | None:
    """"The hydrologist said": the person named before the phrase whose role has that head noun,
    the one named last when several have it. Only a definite description with no name in it."""
    if root.tag_ not in ("NN", "NNP") or span[0].lower_ not in DEFINITE:
        return None
    lemma = root.lemma_.lower()
    start = span.start_char
    best: tuple[int, Entity] | None = None
    for ent in entities:
        if lemma in ent.role_heads:
            before = [s for s, _ in ent.mentions if s < start]
            if before and (best is None or max(before) > best[0]):
                best = (max(before), ent)
    return best[1] if best else None


def is_unnamed(span: Span) -> bool:
    """A source with no entity that is an unnamed person or group: "officials", "some Republican
    leaders", "a spokesman for the Kremlin", "U.S. intelligence officials". Not a pronoun, not a
    name the entity finder missed, not a definite description of someone identifiable ("the FBI
    director", "Clinton's campaign")."""
    root = head(span)
    if root.tag_ in PRONOUN_TAGS or root.pos_ == "PRON" or root.pos_ == "PROPN" or root.ent_type_ in NAME_TYPES:
        return False
    if root.lemma_.lower() in UNNAMED_HEADS:
        return True
    determiners = [c for c in root.children if c.dep_ in ("det", "poss", "nummod", "predet")]
    if any(c.dep_ == "poss" or c.lower_ in DEFINITE for c in determiners):
        return False
    # "a reporter", "some voters", "many experts", "two diplomats"; a bare plural ("critics")
    return bool(determiners) or root.tag_ == "NNS"
