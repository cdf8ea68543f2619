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
