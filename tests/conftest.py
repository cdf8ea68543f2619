"""Shared fixtures: one loaded pipeline for the whole test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from sayso.analyzer import Analyzer, Article

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture(scope="session")
def nlp(analyzer: Analyzer):
    return analyzer.nlp


@pytest.fixture(scope="session")
def analyze(analyzer: Analyzer):
    def run(text: str, published: str | None = None) -> dict:
        return analyzer.analyze(Article(text, id="t", meta={"published": published}))

    return run


@pytest.fixture(scope="session")
def parse_cues(nlp):
    """The model's components, then sayso_cues over the given attributions (none unless given)."""
    from sayso import extensions

    def run(text: str, attributions=None, cues=None):
        doc = nlp.make_doc(text)
        for name, proc in nlp.pipeline:
            if name.startswith("sayso_") and name != "sayso_linebreaks":
                break
            doc = proc(doc)
        extensions.set_attributions(doc, attributions or [])
        return (cues or nlp.get_pipe("sayso_cues"))(doc)

    return run
