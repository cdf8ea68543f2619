"""sayso_attribution: who said what, through which channel.

Two layers. A span tagger trained on PolNeAR (``attribution_model``, weights in
``sayso/models/attribution``) marks cue, source and content tokens, reading the base model's own
token vectors. Rules over the parse (``attribution_rules``) then link each source and content to
its cue, add what the tagger missed, and type each attribution: direct / indirect / mixed / topic,
the channel, an anonymous source. Writes ``doc._.sayso_attributions`` (``Attribution`` records).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from sayso import extensions
from sayso.components import (  # noqa: F401  (attribution_model registers the tagger network)
    attribution_bounds,
    attribution_model,
    attribution_rules,
    attribution_ud,
    embedded_posts,
    encoder_combine,
    quote_reach,
)
from sayso.components.attribution_rules import Found, TokRange
from sayso.coref import sources
from sayso.docindex import index, sentence_of_token
from sayso.extensions import attr
from sayso.lexicon import speech
from sayso.quotes import token_states
from sayso.types import Attribution, Entity

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "attribution"
LABELS = ("CUE", "SOURCE", "CONTENT")
TAGGER_CFG = "tagger.cfg"
# Quoted content with no cue in its own sentence belongs to the nearest cue this many sentences away
# (a quote that runs over several sentences names its speaker once).
CONTENT_REACH = 3


@Language.factory(
    "sayso_attribution",
    assigns=[attr(extensions.ATTRIBUTIONS), attr(extensions.ENTITIES)],
    requires=[attr(extensions.ENTITIES), "doc.tensor", "token.dep", "token.head", "token.tag", "token.lemma", "token.is_sent_start"],
    default_config={
        "model_dir": None, "tagger": True, "rules": True, "add": True, "fill": True, "nested": False, "bounds": True,
        "language": "en",
    },
)
def make_attribution(
    nlp: Language, name: str, model_dir: str | None, tagger: bool, rules: bool, add: bool, fill: bool, nested: bool,
    bounds: bool, language: str,
) -> AttributionComponent:
    return AttributionComponent(nlp, Path(model_dir) if model_dir else MODEL_DIR, tagger, rules, add, fill, nested, bounds, language)


def load_tagger(nlp: Language, model_dir: Path) -> tuple[Any | None, str]:
    """The trained span tagger (a spaCy ``ner`` pipe that never touches ``doc.ents``) and its config
    text, or (None, "") when no weights are installed."""
    cfg_path = model_dir / TAGGER_CFG
    if not (model_dir / "ner").is_dir() or not cfg_path.is_file():
        return None, ""
    from thinc.api import Config

    text = cfg_path.read_text(encoding="utf-8")
    config = Config().from_str(text)
    pipe: Any = nlp.create_pipe("ner", name="sayso_attribution_tagger", config=dict(config["tagger"]))
    return pipe.from_disk(model_dir / "ner", exclude=["vocab"]), text


class AttributionComponent:
    def __init__(
        self,
        nlp: Language,
        model_dir: Path = MODEL_DIR,
        tagger: bool = True,
        rules: bool = True,
        add: bool = True,
        fill: bool = True,
        nested: bool = False,
        bounds: bool = True,
        language: str = "en",
    ) -> None:
        self.nlp = nlp
        # Other languages: the rules over their UD parse with their speech lexicon (no tagger)
        self.speech = None if language == "en" else speech.load(language)
        # Span edges as PolNeAR draws them (attribution_bounds; empty: the spans as found).
        self.bounds = attribution_bounds.load(model_dir / attribution_bounds.BOUNDS_FILE.name) if bounds else {}
        self.tagger, self.tagger_cfg = load_tagger(nlp, model_dir) if tagger else (None, "")
        self.rules = rules
        self.add, self.fill, self.nested = add, fill, nested

    def __call__(self, doc: Doc) -> Doc:
        return self.annotate(doc, self.tag(doc))

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        """The tagger's weights and network config (nothing when it runs without a tagger)."""
        if self.tagger is not None:
            path = Path(path)
            path.mkdir(parents=True, exist_ok=True)
            (path / TAGGER_CFG).write_text(self.tagger_cfg, encoding="utf-8")
            self.tagger.to_disk(path / "ner", exclude=["vocab"])

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> AttributionComponent:
        if self.tagger is not None:
            self.tagger, self.tagger_cfg = load_tagger(self.nlp, Path(path))
        return self

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """As ``__call__``, with the tagger run over batches (its network is much cheaper that way)."""
        for batch in minibatch(docs, size=batch_size):
            for doc, found in zip(batch, self.tag_batch(batch), strict=True):
                yield self.annotate(doc, found)

    def annotate(self, doc: Doc, found: list[tuple[str, int, int]]) -> Doc:
        states = token_states(doc)
        sent_of = sentence_of_token(doc)
        linked = link(doc, found, states) if found else []
        if self.speech is not None:
            linked = attribution_ud.find(doc, self.speech)
        elif self.rules:
            linked = attribution_rules.complete(doc, linked)
            linked = merge(linked, attribution_rules.find(doc, states), sent_of, states, self.add, self.fill, self.nested)
            linked = [f for f in linked if attribution_rules.reports(f)]
            posts = embedded_posts.find(doc)
            if posts:  # the signature line is the post's attribution, whatever else was read into it
                signed = [(p.cue[0], p.source[1] if p.source else p.cue[1]) for p in posts]
                linked = [f for f in linked if not any(s <= f.cue[0] < e for s, e in signed)] + posts
        linked = [
            f for f in linked
            if self.speech is not None
            or not outlet_hedge(doc, f, states)
            and attribution_rules.speech_not_action(doc, f, states)
            and encoder_combine.confirms_cue(doc, f.source, f.cue)
        ]
        quote_reach.extend(doc, linked)
        if self.bounds:
            edges(doc, linked, self.bounds)
        entities = extensions.entities(doc)
        plain = words_not_punct(doc) if linked else []
        english = self.speech is None  # elsewhere only the language's lexicon says a source is unnamed
        done = [finish(doc, f, states, sent_of, entities, plain, english) for f in sorted(linked, key=lambda f: f.cue)]
        if self.speech is not None:
            pronoun_sources(index(doc).text, done, self.speech.pronouns)
        extensions.set_attributions(doc, done)
        for ent in entities:
            ent.mentions.sort()
        extensions.set_entities(doc, entities)
        return doc

    def tag(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(label, start token, end token) of the tagger's spans; the doc's entities stay as they were."""
        return self.tag_batch([doc])[0]

    def tag_batch(self, docs: list[Doc]) -> list[list[tuple[str, int, int]]]:
        if self.tagger is None:
            return [[] for _ in docs]
        roles = [encoder_combine.span_roles(doc) for doc in docs]  # what the accurate tier's spans give
        encoded = [encoder_combine.attribution_spans(doc) or [] for doc in docs]
        if all(len(r) == len(encoder_combine.KIND) for r in roles):
            return [join_content(doc, spans) for doc, spans in zip(docs, encoded, strict=True)]
        todo = [doc for doc in docs if len(doc)]
        saved = [list(doc.ents) for doc in todo]
        for doc in todo:
            doc.set_ents([], default="missing")  # the base model's entities would constrain the tagger
        found: dict[int, list[tuple[str, int, int]]] = {}
        try:
            if todo:
                self.tagger.set_annotations(todo, self.tagger.predict(todo))
            for doc in todo:
                found[id(doc)] = [(e.label_, e.start, e.end) for e in doc.ents]
        finally:
            for doc, ents in zip(todo, saved, strict=True):
                doc.set_ents(ents, default="outside")
        return [
            join_content(doc, encoder_combine.merge_spans(found.get(id(doc), []), spans, role))
            for doc, spans, role in zip(docs, encoded, roles, strict=True)
        ]


PRONOUN_REACH = 3  # sentences back to the named source a pronoun source stands for


def pronoun_sources(text: str, done: list[Attribution], pronouns: frozenset[str]) -> None:
    """"« Nous sommes prêts », a-t-il ajouté": a pronoun source is the person named as a source in
    the attributions just before (within a few sentences). English resolves pronouns through its
    coreference instead."""
    last: Attribution | None = None
    for att in done:
        if att.source is not None and att.source_entity is None and text[att.source[0] : att.source[1]].lower() in pronouns:
            if last is not None and att.sentence - last.sentence <= PRONOUN_REACH:
                att.source_entity = last.source_entity
        if att.source_entity is not None and not att.anonymous:
            last = att


def outlet_hedge(doc: Doc, f: Found, states: list[int]) -> bool:
    """"The memorial is expected to serve ...", "is believed to have": a passive reporting verb with
    no source and no agent, in the outlet's own voice, hedges the outlet's statement rather than
    reporting anyone's (PolNeAR marks some as attributions without a source; PRODUCT.md counts them
    as hedges). "It was reported that ..." stays: an anonymous report."""
    if f.source is not None or states[f.cue[0]]:
        return False
    root = doc[f.cue[0] : f.cue[1]].root
    children = list(root.children)
    if not any(c.dep_ == "auxpass" for c in children) or any(c.dep_ == "agent" for c in children):
        return False
    return not any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in children)


def edges(doc: Doc, found: list[Found], table: attribution_bounds.Table) -> None:
    """Each source and content span with its edges where PolNeAR's conventions put them."""
    if not found:
        return
    idx = attribution_bounds.words(doc)
    for f in found:
        if f.source is not None:
            f.source = attribution_bounds.adjust(doc, f.source, "source", table, idx)
        f.content = [attribution_bounds.adjust(doc, r, "content", table, idx) for r in f.content]


def join_content(doc: Doc, spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Content spans that touch within a paragraph become one: the tagger cannot cross a sentence
    break, but a quote of several sentences (or its closing quote mark, split off by the sentence
    splitter) is one content."""
    out: list[tuple[str, int, int]] = []
    for label, s, e in sorted(spans, key=lambda x: x[1]):
        if out and label == "CONTENT" and out[-1][0] == "CONTENT":
            prev_s, prev_e = out[-1][1], out[-1][2]
            gap = doc[prev_e:s]
            if all(t.is_space and "\n" not in t.text for t in gap) and "\n" not in doc[prev_e - 1].whitespace_:
                out[-1] = (label, prev_s, e)
                continue
        out.append((label, s, e))
    return out


def _connected(doc: Doc, start: int, end: int, cue: TokRange) -> bool:
    """Whether the span's root hangs (within a few steps) from the cue, or the cue from it."""
    root = doc[start:end].root
    tok = root
    for _ in range(4):
        if cue[0] <= tok.i < cue[1]:
            return True
        if tok.head is tok:
            break
        tok = tok.head
    head = doc[cue[0] : cue[1]].root
    for _ in range(3):
        if start <= head.i < end:
            return True
        if head.head is head:
            break
        head = head.head
    return False


def link(doc: Doc, spans: list[tuple[str, int, int]], states: list[int]) -> list[Found]:
    """Tagged spans become attributions: each source and content joins the cue of its sentence it
    hangs from in the parse, else the nearest one; content with no cue in its sentence joins the
    nearest cue within ``CONTENT_REACH`` sentences."""
    sent_of = sentence_of_token(doc)
    cues = [Found((s, e)) for label, s, e in spans if label == "CUE"]
    if not cues:
        return []
    for label, s, e in spans:
        if label == "CUE":
            continue
        same = [c for c in cues if sent_of[c.cue[0]] == sent_of[s]]
        if label == "SOURCE" or not any(states[i] for i in range(s, e)):
            pool = same
        else:  # a quote may run over several sentences and name its speaker once
            pool = same or [c for c in cues if abs(sent_of[c.cue[0]] - sent_of[s]) <= CONTENT_REACH]
        if not pool:
            continue
        if label == "SOURCE":
            free = [c for c in pool if c.source is None]
            pool = free or pool

        def distance(c: Found, s: int = s, e: int = e) -> tuple[int, int]:
            gap = c.cue[0] - e if e <= c.cue[0] else s - c.cue[1]
            return (0 if _connected(doc, s, e, c.cue) else 1, abs(gap))

        best = min(pool, key=distance)
        if label == "SOURCE":
            if best.source is None:
                best.source = (s, e)
        else:
            best.content.append((s, e))
    for c in cues:
        rule_channel = attribution_rules.channel_of([doc[c.cue[0] : c.cue[1]].root])
        c.channel = rule_channel
    return cues


def merge(
    tagged: list[Found],
    ruled: list[Found],
    sent_of: list[int],
    states: list[int],
    add: bool = True,
    fill: bool = True,
    nested: bool = False,
) -> list[Found]:
    """The tagger's attributions, completed by the rules where they share a cue (``fill``). A rule
    attribution whose cue the tagger did not mark is added (``add``) when it names its source and
    what was said (or its topic), stands outside quotation marks, and the tagger marked no cue in
    that sentence: on PolNeAR dev, rule attributions beside the tagger's are mostly not gold (about
    one in eight) and cost more precision than they bring recall."""
    out = list(tagged)
    tagged_sents = {sent_of[t.cue[0]] for t in tagged}
    contents = [c for t in tagged for c in t.content]
    for r in ruled:
        same = next((t for t in tagged if t.cue[0] < r.cue[1] and r.cue[0] < t.cue[1]), None)
        if same is None:
            # A cue with neither content nor topic ("he spoke", "his remarks") is added only when the
            # agent of a passive names the speaker ("the announcement was made by X"): on PolNeAR dev
            # the rules' other bare cues are mostly not gold.
            agent = r.source is not None and r.source[0] >= r.cue[1]
            strong = r.source is not None and (r.content or agent) and not states[r.cue[0]]
            # One label a token: the tagger cannot mark a report nested in another's content
            # ("X told Y that Z said ..."); the rules can, when asked to (PolNeAR rarely counts them).
            inner = nested and any(s <= r.cue[0] and r.cue[1] <= e for s, e in contents)
            if add and (not tagged or (strong and (sent_of[r.cue[0]] not in tagged_sents or inner))):
                out.append(r)
            continue
        if fill and same.source is None and r.source is not None:
            same.source = r.source
        # The rules' quoted fragments (marks and the comma before the closing mark left out) are not
        # PolNeAR's spans; their complement clauses and "according to" sentences are.
        if fill and not same.content and r.content and not all(states[s] == 1 for s, _ in r.content):
            same.content = r.content
        if same.channel is None:
            same.channel = r.channel
        same.topic = same.topic or (r.topic and not r.content)
        same.source_none_anonymous = same.source_none_anonymous or r.source_none_anonymous
    return out


def _is_topic(doc: Doc, f: Found) -> bool:
    """Only the subject of the remarks is given: "commented on the implications", "spoke about it"."""
    if len(f.content) != 1:
        return False
    cue = doc[f.cue[0] : f.cue[1]]
    if cue.root.lemma_.lower() not in attribution_rules.TOPIC_VERBS:
        return False
    first = doc[f.content[0][0]]
    if cue[-1].lower_ in attribution_rules.TOPIC_PREPS or first.lower_ in attribution_rules.TOPIC_PREPS:
        return True
    root = doc[f.content[0][0] : f.content[0][1]].root
    return root.dep_ == "pobj" and root.head.lower_ in attribution_rules.TOPIC_PREPS


def words_not_punct(doc: Doc) -> list[bool]:
    """Per token: neither white space nor punctuation (read off the doc's array, no Token objects)."""
    flags = doc.to_array([IS_SPACE, IS_PUNCT])
    return ((flags[:, 0] == 0) & (flags[:, 1] == 0)).tolist()


def _kind(doc: Doc, f: Found, states: list[int], plain: list[bool]) -> str:
    if not f.content or _is_topic(doc, f):
        return "topic"
    if f.dialogue:
        return "direct"
    toks = [i for s, e in f.content for i in range(s, e) if plain[i]]
    if not toks:
        return "indirect"
    quoted = sum(1 for i in toks if states[i] != 0)
    if quoted == len(toks):
        return "direct"
    return "mixed" if quoted else "indirect"


def _chars(doc: Doc, rng: TokRange) -> tuple[int, int]:
    s, e = rng
    return doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)


def finish(
    doc: Doc, f: Found, states: list[int], sent_of: list[int], entities: list[Entity], plain: list[bool], english: bool = True
) -> Attribution:
    source = _chars(doc, f.source) if f.source else None
    anonymous = f.source_none_anonymous
    entity = None
    if source is not None and f.source is not None:
        span = doc[f.source[0] : f.source[1]]
        found, by_role = sources.source_entity(doc, entities, span)
        if found is not None:
            entity = found.id
            if by_role and source not in found.mentions:
                found.mentions.append(source)  # "the hydrologist" is a mention of the person
        anonymous = entity is None and (f.unnamed or (english and sources.is_unnamed(span)))
    content = [_chars(doc, r) for r in sorted(set(f.content)) if r[1] > r[0]]
    return Attribution(
        cue=_chars(doc, f.cue),
        sentence=sent_of[f.cue[0]],
        kind=_kind(doc, f, states, plain),
        source=source,
        source_entity=entity,
        content=content,
        channel=_chars(doc, f.channel) if f.channel else None,
        anonymous=anonymous,
    )
