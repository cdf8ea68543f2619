"""Shared fixtures: one loaded pipeline for the whole test session, and helpers several test
modules use (given as fixtures, so that no test module imports another)."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from sayso.analyzer import Analyzer, Article
from sayso.encoder import tier
from sayso.report_model import Report

# The unit tests pin the fast tier in this process (a user's default is "auto": the accurate tier
# where it can run); the accurate tier and the defaults have tests of their own (test_encoder_*.py,
# test_seed.py). Batch and server workers are told their tier, so this reaches no other process.
tier.set_default("fast")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture(scope="session")
def nlp(analyzer: Analyzer):
    return analyzer.nlp


@pytest.fixture(scope="session")
def analyze(analyzer: Analyzer):
    """The JSON-ready report of a text."""

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


@pytest.fixture(scope="session")
def report_of(analyzer: Analyzer) -> Callable[..., Report]:
    """The typed report of a text."""

    def run(text: str, published: str | None = None) -> Report:
        return analyzer.report(Article(text, id="t", meta={"published": published}))

    return run


@pytest.fixture(scope="session")
def make_report() -> Callable[..., Report]:
    """A valid report of ``text`` holding only the parts given (lists of dicts), for scorers'
    tests that need no analysis."""

    def make(text: str = "", id: str = "t", **parts: Any) -> Report:
        empty: dict[str, Any] = {"sentences": [], "entities": [], "attributions": [], "times": [], "claims": [], "integrity": []}
        profile = {
            "counts": {"attributed": 0, "anonymous": 0, "hedged": 0, "asserted": 0},
            "evaluative": 0,
            "claims": 0,
            "named_sources": [],
            "anonymous_sources": [],
            "named_share": 0.0,
        }
        meta = {**dict.fromkeys(("title", "url", "outlet", "author", "published", "language")), "tier": "fast"}
        return Report.model_validate({"id": id, "text": text, "meta": meta, **empty, **parts, "profile": profile})

    return make


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


@pytest.fixture(scope="session")
def page_text() -> Callable[[str], str]:
    """The text a browser would show of an HTML page (for escaping tests)."""

    def text(page: str) -> str:
        parser = _VisibleText()
        parser.feed(page)
        return "".join(parser.parts)

    return text


@pytest.fixture(scope="session")
def batch_into() -> Callable[[Path, list[dict], Path], None]:
    """``batch_into(folder, records, db)``: `sayso batch --db db` over JSONL ``records`` written into ``folder``."""
    import json

    from typer.testing import CliRunner

    from sayso.cli import app

    def run(folder: Path, records: list[dict], db: Path) -> None:
        feed = folder / f"feed{len(records)}-{records[0]['id']}.jsonl"
        feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        result = CliRunner().invoke(app, ["batch", str(feed), "--db", str(db), "--no-progress"])
        assert result.exit_code == 0, result.output

    return run
