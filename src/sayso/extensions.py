"""The ``Doc._`` attributes sayso's components read and write."""

from __future__ import annotations

from spacy.tokens import Doc


def register() -> None:
    """Idempotent: safe to call from every component factory."""
    defaults: dict[str, object] = {
        "published": None,  # ISO date string "YYYY-MM-DD" or None; set before the pipeline runs
        "entities": None,  # list[Entity]
        "mention_index": None,  # dict[(start, end)] -> entity id, for all entity mentions
        "attributions": None,  # list[Attribution]
        "sentence_info": None,  # list[SentenceInfo], one per doc.sents
        "times": None,  # list[TimeExpr]
        "claims": None,  # list[Claim]
    }
    for name, default in defaults.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register()
