"""Copies the trained tagger out of a ``spacy train`` output into sayso's package: the pipe's
weights and labels (``ner/``) and its config (``tagger.cfg``), loaded by sayso_attribution.

usage: python training/export.py training/output/model-best src/sayso/models/attribution
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import spacy
from thinc.api import Config

import sayso.components.attribution_model  # noqa: F401  (the network's architecture)

NAME = "attribution_ner"


def main(trained: str, target: str) -> None:
    nlp = spacy.load(trained)
    out = Path(target)
    if (out / "ner").exists():
        shutil.rmtree(out / "ner")
    out.mkdir(parents=True, exist_ok=True)
    pipe: Any = nlp.get_pipe(NAME)
    pipe.to_disk(out / "ner", exclude=["vocab"])
    section = dict(nlp.config["components"][NAME])
    section.pop("factory", None)
    Config({"tagger": section}).to_disk(out / "tagger.cfg")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"{NAME} -> {out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
