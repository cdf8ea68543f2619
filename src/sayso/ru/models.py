"""Where natasha's bundled model files are, loaded once per process."""

from __future__ import annotations

from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

NAVEC = "emb/navec_news_v1_1B_250K_300d_100q.tar"
MORPH = "model/slovnet_morph_news_v1.tar"
SYNTAX = "model/slovnet_syntax_news_v1.tar"
NER = "model/slovnet_ner_news_v1.tar"


def data_dir() -> Path:
    """natasha's data folder, found without importing natasha (its import needs pymorphy2)."""
    spec = find_spec("natasha")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the Russian models are missing: install the runtime lock (natasha 1.6.0 holds them)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def path(name: str) -> Path:
    p = data_dir() / name
    if not p.is_file():
        raise ImportError(f"the Russian model file {p.name} is missing from natasha's data")
    return p


@lru_cache(maxsize=1)
def navec() -> Any:
    from navec import Navec

    return Navec.load(str(path(NAVEC)))


def _slovnet(kind: str, name: str) -> Any:
    """A slovnet model (``Morph``, ``Syntax`` or ``NER``) over the shared navec embeddings."""
    import slovnet

    model = getattr(slovnet, kind).load(str(path(name)), batch_size=8)
    model.navec(navec())
    return model


@lru_cache(maxsize=1)
def morph() -> Any:
    return _slovnet("Morph", MORPH)


@lru_cache(maxsize=1)
def syntax() -> Any:
    return _slovnet("Syntax", SYNTAX)


@lru_cache(maxsize=1)
def ner() -> Any:
    return _slovnet("NER", NER)


@lru_cache(maxsize=1)
def lemmas() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()
