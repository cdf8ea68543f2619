"""sayso_claims: the check-worthy statements of an article.

Each sentence is scored by a small linear model (``sayso.cues.checkworthy``); those at or above
the model's threshold become ``Claim`` records with the sentence's span (trimmed of spaces), the
score, the named source of the sentence's attribution if there is one, and the sentence's time.
"""

from __future__ import annotations

from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from sayso import extensions  # noqa: F401  (registers Doc._ attributes)
from sayso.components import encoder_combine
from sayso.components.times import time_of_sentence
from sayso.cues import checkworthy
from sayso.types import Claim


@Language.factory("sayso_claims", default_config={"threshold": None})
def make_claims(nlp: Language, name: str, threshold: float | None) -> ClaimsComponent:
    return ClaimsComponent(threshold)


class ClaimsComponent:
    def __init__(self, threshold: float | None = None) -> None:
        self.model = checkworthy.model()
        self.threshold = self.model.threshold if threshold is None else threshold

    def __call__(self, doc: Doc) -> Doc:
        sources: dict[int, str] = {}
        for att in doc._.attributions or []:
            if att.source_entity and not att.anonymous:
                sources.setdefault(att.sentence, att.source_entity)
        claims = []
        bounds = checkworthy.sentence_bounds(doc)
        content = doc.to_array(IS_PUNCT) + doc.to_array(IS_SPACE) == 0
        for i, ((s, e), feats) in enumerate(zip(bounds, checkworthy.sentence_features(doc, bounds), strict=True)):
            if content[s:e].sum() < 3:
                continue
            encoded = encoder_combine.checkworthy(doc, i)  # the accurate tier's judgement, when it ran
            score = self.model.score(feats) if encoded is None else encoded[1]
            if (score < self.threshold) if encoded is None else not encoded[0]:
                continue
            tokens = [j for j in range(s, e) if not doc[j].is_space]
            start, last = doc[tokens[0]].idx, doc[tokens[-1]]
            end = last.idx + len(last)
            claims.append(Claim(i, start, end, score, sources.get(i), time_of_sentence(doc, i)))
        doc._.claims = claims
        return doc
