"""Builds the spaCy pipeline that analyses one article."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language

import sayso.components  # noqa: F401  (registers the factories)
from sayso import languages
from sayso.basemodel import MODEL
from sayso.components import linebreaks
from sayso.encoder import tier as encoder_tier
from sayso.lexicon import patterns
from sayso.version import VERSION

# After the model's own components, in this order: each reads what the ones before it wrote
# (``nlp.analyze_pipes()`` shows it; see README).
SAYSO_COMPONENTS = (
    "sayso_entities",
    "sayso_attribution",
    "sayso_cues",
    "sayso_status",
    "sayso_times",
    "sayso_claims",
)
__all__ = ["MODEL", "SAYSO_COMPONENTS", "build", "configs", "shared"]


def configs(cue_dirs: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """The config of each sayso component that differs from its default: everything that changes a
    result is in the config a saved pipeline keeps. ``cue_dirs`` None: ``$SAYSO_CUE_DIRS``."""
    dirs = patterns.env_dirs() if cue_dirs is None else cue_dirs
    return {"sayso_cues": {"extra_cue_dirs": dirs}} if dirs else {}


def build(model: str = MODEL, cue_dirs: list[str] | None = None, tier: str | None = None, language: str = "en") -> Language:
    """``tier``: "fast", "accurate" (adds the encoder; EncoderUnavailable when it cannot run), "auto",
    or None: the process's default, "auto" unless set (``sayso.encoder.tier``). ``language``: "en"
    (on ``model``), "fr" or "ru" (``sayso.languages``: that language's base pipeline; the
    encoder is English, so these run the fast tier whatever ``tier`` says)."""
    extra = configs(cue_dirs)
    if language != "en":
        nlp = languages.build(language, extra)
    else:
        nlp = spacy.load(model)
        linebreaks.add_title_exceptions(nlp)
        nlp.add_pipe("sayso_linebreaks", before="parser")
        for name in SAYSO_COMPONENTS:
            nlp.add_pipe(name, config=extra.get(name, {}))
    nlp.meta["sayso_version"] = VERSION
    requirement = f"sayso=={VERSION}"
    if requirement not in nlp.meta.setdefault("requirements", []):
        nlp.meta["requirements"].append(requirement)
    if language == "en" and encoder_tier.resolve(tier) == "accurate":
        nlp.add_pipe("sayso_encoder", before="sayso_attribution")
    return nlp


def shared(model: str = MODEL, tier: str | None = None, language: str = "en") -> Language:
    """One loaded pipeline per process, tier and language (default tier: the process's,
    ``sayso.encoder.tier``)."""
    if language != "en":
        return _shared(model, "fast", language)
    return _shared(model, encoder_tier.resolve(tier), language)


@lru_cache(maxsize=4)
def _shared(model: str, tier: str, language: str) -> Language:
    return build(model, tier=tier, language=language)
