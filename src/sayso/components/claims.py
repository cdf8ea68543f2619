"""sayso_claims: the check-worthy statements of an article.

Each sentence is scored by a small linear model (``sayso.classifiers.checkworthy``); those at or above
the model's threshold become ``Claim`` records with the sentence's span (trimmed of spaces), the
score, the named source of the sentence's attribution if there is one, and the sentence's time.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from sayso import extensions
from sayso.classifiers import checkworthy
from sayso.classifiers.linear import LinearModel
from sayso.components import encoder_combine
from sayso.components.times import sentence_times
from sayso.docindex import sentence_bounds
from sayso.extensions import attr
from sayso.types import Claim


@Language.factory(
    "sayso_claims",
    assigns=[attr(extensions.CLAIMS)],
    requires=[attr(extensions.TIMES), attr(extensions.ATTRIBUTIONS), "doc.ents", "token.lemma", "token.tag", "token.is_sent_start"],
    default_config={"threshold": None})
def make_claims(nlp: Language, name: str, threshold: float | None) -> ClaimsComponent:
    return ClaimsComponent(threshold)


class ClaimsComponent:
    def __init__(self, threshold: float | None = None) -> None:
        self.configured = threshold
        self._use(checkworthy.model())

    def _use(self, model: LinearModel) -> None:
        self.model = model
        self.threshold = model.threshold if self.configured is None else self.configured

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        self.model.save(Path(path))

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> ClaimsComponent:
        self._use(LinearModel.load(Path(path)))
        return self

    def __call__(self, doc: Doc) -> Doc:
        sources: dict[int, str] = {}
        for att in extensions.attributions(doc):
            if att.source_entity and not att.anonymous:
                sources.setdefault(att.sentence, att.source_entity)
        claims = []
        times = sentence_times(doc)
        bounds = sentence_bounds(doc)
        content = doc.to_array(IS_PUNCT) + doc.to_array(IS_SPACE) == 0
        infos = extensions.sentences(doc) or []
        for i, ((s, e), feats) in enumerate(zip(bounds, checkworthy.sentence_features(doc, bounds), strict=True)):
            if content[s:e].sum() < 3 or (i < len(infos) and infos[i].debris):
                continue
            score = self.model.score(feats)
            encoded = encoder_combine.checkworthy(doc, i, score)  # the accurate tier's judgement, when it ran
            if (score < self.threshold) if encoded is None else not encoded[0]:
                continue
            if encoded is not None:
                score = encoded[1]
            tokens = [j for j in range(s, e) if not doc[j].is_space]
            start, last = doc[tokens[0]].idx, doc[tokens[-1]]
            end = last.idx + len(last)
            claims.append(Claim(i, start, end, score, sources.get(i), times.get(i)))
        extensions.set_claims(doc, claims)
        return doc
