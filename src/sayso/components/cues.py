"""sayso_cues: finds hedge, weasel, anonymous, undisclosed, evaluative and prediction cues.

Writes ``doc._.sayso_sentences``: one ``SentenceInfo`` a sentence, its ``cues`` in the outlet's own
voice. Patterns come from the lexicon files in ``sayso/data/cues`` (format: ``sayso.lexicon.patterns``)
plus any folders in ``extra_cue_dirs`` (``sayso.pipeline.build`` adds ``$SAYSO_CUE_DIRS``). A cue inside quotation marks or
inside an attribution's content belongs to the source and is left out; so is a hedge or evaluation
word that is itself an attribution's reporting verb ("suggested that", "highlighted").
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from sayso import extensions
from sayso.classifiers import hedges
from sayso.classifiers.linear import LinearModel
from sayso.components import encoder_combine
from sayso.docindex import index, sentence_bounds
from sayso.extensions import attr
from sayso.lexicon import conditional, debris, doubt, patterns
from sayso.lexicon.match import PatternMatcher
from sayso.lexicon.scope import Scope
from sayso.types import Cue, SentenceInfo

# Kinds that describe the outlet's stance; a reporting verb is the source's act, not a stance.
STANCE_KINDS = frozenset({"hedge", "evaluative", "prediction"})
# A sentence with one of these already counts as uncertain (hedged or anonymous): no model needed.
SETTLED_KINDS = frozenset({"hedge", "weasel", "anonymous"})


@Language.factory(
    "sayso_cues",
    assigns=[attr(extensions.SENTENCES)],
    requires=[attr(extensions.ATTRIBUTIONS), "token.lemma", "token.tag", "token.is_sent_start"],
    default_config={"extra_cue_dirs": [], "hedge_model": True, "hedge_threshold": None, "language": "en"},
)
def make_cues(
    nlp: Language, name: str, extra_cue_dirs: list[str], hedge_model: bool, hedge_threshold: float | None, language: str
) -> CuesComponent:
    return CuesComponent(nlp, extra_cue_dirs, hedge_model, hedge_threshold, language)


class CuesComponent:
    """Lexicon cues, then (``hedge_model``) the uncertain-sentence model over the sentences the
    lexicon left without a hedge or weasel cue: where it flags one, the word that weighed most
    becomes a ``hedge`` cue. ``hedge_threshold`` None: the one chosen by cross-validation on
    WikiWeasel train through this component (``product_threshold`` in the model's meta)."""

    def __init__(
        self,
        nlp: Language,
        extra_cue_dirs: list[str] | tuple[str, ...] = (),
        hedge_model: bool = True,
        hedge_threshold: float | None = None,
        language: str = "en",
    ) -> None:
        self.vocab = nlp.vocab
        self.language = language
        self._use(patterns.load(extra_cue_dirs, language))
        self.configured_threshold = hedge_threshold
        self.hedges: LinearModel | None = None
        self.hedge_threshold = float("inf")
        if hedge_model:
            self._use_hedges(hedges.model())

    def _use_hedges(self, model: LinearModel) -> None:
        self.hedges = model
        chosen = self.configured_threshold
        if chosen is None:
            chosen = float(model.meta.get("product_threshold", model.threshold))
        self.hedge_threshold = chosen

    def _use(self, loaded: list[patterns.CuePattern]) -> None:
        self.patterns = loaded
        self.matcher = PatternMatcher(self.vocab, loaded)

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        """Saves the patterns in use (user folders applied): the saved pipeline needs no folder;
        and the hedge model's weights."""
        patterns.save(self.patterns, Path(path))
        if self.hedges is not None:
            self.hedges.save(Path(path) / "hedges")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> CuesComponent:
        self._use(patterns.load_saved(Path(path)))
        if self.hedges is not None:
            self._use_hedges(LinearModel.load(Path(path) / "hedges"))
        return self

    def matches(self, doc: Doc) -> list[tuple[patterns.CuePattern, int, int]]:
        """Every lexicon match (pattern, start token, end token), scope not yet applied."""
        return self.matcher(doc, sentence_bounds(doc))

    def __call__(self, doc: Doc) -> Doc:
        bounds = sentence_bounds(doc)
        infos = [SentenceInfo(doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for s, e in bounds]
        text = index(doc).text
        for info in infos:
            info.debris = debris.is_debris(text[info.start : info.end])
        if not bounds:
            extensions.set_sentences(doc, infos)
            return doc
        first_tokens = [s for s, _ in bounds]
        scope = Scope(doc)
        found: dict[tuple[int, str], list[tuple[int, int]]] = {}
        matched: dict[int, list[tuple[str, str, int]]] = {}
        for pattern, start, end in self.matcher(doc, bounds):
            i = bisect_right(first_tokens, start) - 1
            if end > bounds[i][1] or infos[i].debris:
                continue  # a gap ran into the next sentence; debris says nothing of the outlet
            matched.setdefault(i, []).append((pattern.kind, pattern.text, start))
            kind = pattern.kind
            s, e = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
            if scope.is_reported(s, e):
                continue
            if kind in STANCE_KINDS and scope.overlaps_attribution_cue(s, e):
                continue
            found.setdefault((i, kind), []).append((s, e))
        if self.language == "fr":
            for i, s, e in conditional.cues(doc, bounds):
                if not infos[i].debris and not scope.is_reported(s, e) and not scope.overlaps_attribution_cue(s, e):
                    found.setdefault((i, "hedge"), []).append((s, e))
        for (i, kind), spans in found.items():
            infos[i].cues.extend(Cue(kind, s, e) for s, e in _longest_first(spans))
        if self.hedges is not None and encoder_combine.fast_hedges(doc):
            self._model_cues(doc, bounds, infos, matched, scope)
        for info in infos:
            info.cues.sort(key=lambda c: (c.start, -c.end, c.kind))
        extensions.set_sentences(doc, infos)
        return doc


    def _model_cues(
        self, doc: Doc, bounds: list[tuple[int, int]], infos: list[SentenceInfo],
        matched: dict[int, list[tuple[str, str, int]]], scope: Scope,
    ) -> None:
        assert self.hedges is not None
        cands = list(_candidates(doc, bounds, infos, matched, scope))
        found = hedges.flagged_words(
            self.hedges, self.hedge_threshold, [c[2] for c in cands], [c[3] for c in cands], [c[4] for c in cands]
        )
        for (i, tokens, _rows, _pats, _own), k in zip(cands, found, strict=True):
            if k == hedges.NO_WORD:  # flagged, but no word it weighs can carry doubt: say it was the model
                infos[i].cues.append(Cue(doubt.MODEL_KIND, infos[i].start, infos[i].end))
            elif k is not None:
                tok = doc[int(tokens[k])]
                infos[i].cues.append(Cue("hedge", tok.idx, tok.idx + len(tok)))

    def candidates(self, doc: Doc) -> list[Candidate]:
        """The sentences of an analysed Doc the hedge model would score (see ``_candidates``), for
        choosing its threshold on the product's own output (``training/hedges_train.py``)."""
        bounds = sentence_bounds(doc)
        infos = extensions.sentences(doc) or []
        first_tokens = [s for s, _ in bounds]
        matched: dict[int, list[tuple[str, str, int]]] = {}
        for pattern, start, end in self.matcher(doc, bounds):
            i = bisect_right(first_tokens, start) - 1
            if end <= bounds[i][1]:
                matched.setdefault(i, []).append((pattern.kind, pattern.text, start))
        return list(_candidates(doc, bounds, infos, matched, Scope(doc)))


Candidate = tuple[int, np.ndarray, np.ndarray, list[tuple[str, str]], np.ndarray]  # see _candidates


def _candidates(
    doc: Doc, bounds: list[tuple[int, int]], infos: list[SentenceInfo],
    matched: dict[int, list[tuple[str, str, int]]], scope: Scope,
) -> Iterator[Candidate]:
    """(sentence index, the token indices and the rows of ``doc.to_array(hedges.ATTRS)`` of its words in the outlet's own
    voice, the lexicon patterns matched there, which of those words may be shown: ``lexicon.doubt``) for each
    sentence with no hedge, weasel or anonymous cue, no unnamed source, and some word of the outlet's own that
    may be shown."""
    arr = doc.to_array(hedges.ATTRS)
    voice = scope.own_voice_tokens(doc)
    own = voice & doubt.showable(doc)
    for i, (s, e) in enumerate(bounds):
        if infos[i].debris or i in scope.unnamed_sentences or any(c.kind in SETTLED_KINDS for c in infos[i].cues) or not own[s:e].any():
            continue
        # the model reads the outlet's own words only: uncertainty in a source's words is the source's
        mine = voice[s:e]
        pats = [(kind, text) for kind, text, start in matched.get(i, []) if voice[start]]
        yield i, np.arange(s, e)[mine], arr[s:e][mine], pats, own[s:e][mine]


def _longest_first(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drops spans of one kind that overlap a longer one ("is expected to" over "expected to")."""
    kept: list[tuple[int, int]] = []
    for s, e in sorted(set(spans), key=lambda x: (x[0] - x[1], x[0])):
        if all(e <= ks or s >= ke for ks, ke in kept):
            kept.append((s, e))
    return kept
