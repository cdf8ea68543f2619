"""The languages sayso reads beside English, and how each one's pipeline is built.

English runs on ``sayso.basemodel.MODEL`` with the trained attribution tagger and the accurate
tier (``sayso.pipeline``). French runs on spaCy's ``fr_core_news_sm``; Russian on the models natasha
bundles (``sayso.ru``). Both get sayso's own components with their language's lexicons: the cue
lists in ``sayso/data/cues/<code>/``, the speech lexicon in ``sayso/data/speech/<code>.txt``, and the
attribution rules over the UD parse (``sayso.components.attribution_ud``) in place of the English
tagger. Check-worthiness and the hedge model are trained on English and are left out.
"""

from __future__ import annotations

from typing import Any

import spacy
from spacy.language import Language

import sayso.components  # noqa: F401  (registers the factories)
from sayso.language import SUPPORTED

FRENCH_MODEL = "fr_core_news_sm"
# Entity labels of the base pipelines (WikiNER, Nerus: PER/LOC/ORG) as sayso's components name them.
ENTITY_LABELS = {"PER": "PERSON", "LOC": "GPE", "ORG": "ORG"}


def base(language: str) -> Language:
    """The language's base pipeline, before sayso's components."""
    if language == "fr":
        return spacy.load(FRENCH_MODEL)
    if language == "ru":
        from sayso.ru.pipeline import build as build_russian

        return build_russian()
    raise ValueError(f"no pipeline for language {language!r}; sayso reads {', '.join(SUPPORTED)}")


def build(language: str, extra: dict[str, dict[str, Any]]) -> Language:
    nlp = base(language)
    nlp.add_pipe("sayso_linebreaks", before="parser" if "parser" in nlp.pipe_names else None)
    nlp.add_pipe("sayso_sentence_marks", after="parser" if "parser" in nlp.pipe_names else None)
    nlp.add_pipe("sayso_entity_labels", config={"labels": ENTITY_LABELS})
    nlp.add_pipe("sayso_entities")
    nlp.add_pipe("sayso_attribution", config={"tagger": False, "bounds": False, "language": language})
    cues = {**extra.get("sayso_cues", {}), "language": language, "hedge_model": False}
    nlp.add_pipe("sayso_cues", config=cues)
    nlp.add_pipe("sayso_status")
    nlp.add_pipe("sayso_times", config={"language": language})
    return nlp
