"""sayso_cues: finds hedge, weasel, anonymous, undisclosed, evaluative and prediction cues.

Writes ``doc._.sayso_sentences``: one ``SentenceInfo`` a sentence, its ``cues`` in the outlet's own
voice. Patterns come from the lexicon files in ``sayso/data/cues`` (format: ``sayso.lexicon.patterns``)
plus any folders in ``extra_cue_dirs`` (``sayso.pipeline.build`` adds ``$SAYSO_CUE_DIRS``). A cue inside quotation marks or
inside an attribution's content belongs to the source and is left out; so is a hedge or evaluation
word that is itself an attribution's reporting verb ("suggested that", "highlighted").
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from sayso import extensions
from sayso.docindex import sentence_bounds
from sayso.extensions import attr
from sayso.lexicon import patterns
from sayso.lexicon.match import PatternMatcher
from sayso.lexicon.scope import Scope
from sayso.types import Cue, SentenceInfo

# Kinds that describe the outlet's stance; a reporting verb is the source's act, not a stance.
STANCE_KINDS = frozenset({"hedge", "evaluative", "prediction"})


@Language.factory(
    "sayso_cues",
    assigns=[attr(extensions.SENTENCES)],
    requires=[attr(extensions.ATTRIBUTIONS), "token.lemma", "token.tag", "token.is_sent_start"],
    default_config={"extra_cue_dirs": []})
def make_cues(nlp: Language, name: str, extra_cue_dirs: list[str]) -> CuesComponent:
    return CuesComponent(nlp, extra_cue_dirs)


class CuesComponent:
    def __init__(self, nlp: Language, extra_cue_dirs: list[str] | tuple[str, ...] = ()) -> None:
        self.vocab = nlp.vocab
        self._use(patterns.load(extra_cue_dirs))

    def _use(self, loaded: list[patterns.CuePattern]) -> None:
        self.patterns = loaded
        self.matcher = PatternMatcher(self.vocab, loaded)

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        """Saves the patterns in use (user folders applied): the saved pipeline needs no folder."""
        patterns.save(self.patterns, Path(path))

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> CuesComponent:
        self._use(patterns.load_saved(Path(path)))
        return self

    def matches(self, doc: Doc) -> list[tuple[patterns.CuePattern, int, int]]:
        """Every lexicon match (pattern, start token, end token), scope not yet applied."""
        return self.matcher(doc, sentence_bounds(doc))

    def __call__(self, doc: Doc) -> Doc:
        bounds = sentence_bounds(doc)
        infos = [SentenceInfo(doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for s, e in bounds]
        if not bounds:
            extensions.set_sentences(doc, infos)
            return doc
        first_tokens = [s for s, _ in bounds]
        scope = Scope(doc)
        found: dict[tuple[int, str], list[tuple[int, int]]] = {}
        for pattern, start, end in self.matcher(doc, bounds):
            i = bisect_right(first_tokens, start) - 1
            if end > bounds[i][1]:
                continue  # a gap ran into the next sentence
            kind = pattern.kind
            s, e = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
            if scope.is_reported(s, e):
                continue
            if kind in STANCE_KINDS and scope.overlaps_attribution_cue(s, e):
                continue
            found.setdefault((i, kind), []).append((s, e))
        for (i, kind), spans in found.items():
            infos[i].cues.extend(Cue(kind, s, e) for s, e in _longest_first(spans))
        for info in infos:
            info.cues.sort(key=lambda c: (c.start, -c.end, c.kind))
        extensions.set_sentences(doc, infos)
        return doc


def _longest_first(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drops spans of one kind that overlap a longer one ("is expected to" over "expected to")."""
    kept: list[tuple[int, int]] = []
    for s, e in sorted(set(spans), key=lambda x: (x[0] - x[1], x[0])):
        if all(e <= ks or s >= ke for ks, ke in kept):
            kept.append((s, e))
    return kept
