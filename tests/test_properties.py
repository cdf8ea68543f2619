"""Hypothesis properties over the whole analysis: any text gives one clear InputError or a report
that validates against the schema with every offset inside ``text``."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sayso import schema
from sayso.analyzer import Article
from sayso.errors import InputError

WORDS = (
    "The minister said on Monday that the plan would likely fail . “ We will not back down , ” "
    "officials told Reuters . Ivana Petrova , a sculptor , allegedly claimed „ it failed “ last week ."
).split()
ODD = [
    "\u202e", "\u202d", "\u2066", "\u2069", "\u200f", "\u200e",  # bidi controls
    "\u200d", "\u200c", "\ufeff", "\u00ad",  # zero-width joiner / non-joiner, BOM, soft hyphen
    "\u0301", "\u0308", "\u0327",  # combining marks
    "\ud800", "\udfff",  # lone surrogates
    "у", "о", "ѕ", "\n", "\n\n", "\t", "\u2028", "'", "‘", "’", '"', "«", "»",
]
pieces = st.one_of(st.sampled_from(WORDS), st.sampled_from(ODD), st.text(max_size=3))
texts = st.lists(pieces, min_size=1, max_size=60).map(" ".join)
LONG_LINE = ("The minister said the plan would likely fail and officials disagreed " * 1500)[:100_000]


def spans(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if {"start", "end"} <= node.keys() else []
        return found + [s for v in node.values() for s in spans(v)]
    if isinstance(node, list):
        return [s for v in node for s in spans(v)]
    return []


def check(analyzer, text: str) -> None:
    try:
        report = analyzer.analyze(Article(text, id="p"))
    except InputError as err:
        assert str(err) and "\n" not in str(err)
        return
    assert schema.errors(report) == []
    assert report["text"] == text
    for span in spans(report):
        assert 0 <= span["start"] <= span["end"] <= len(text), span
        if "text" in span:
            assert text[span["start"] : span["end"]] == span["text"], span
    json.loads(json.dumps(report))  # lone surrogates come out escaped


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=texts)
@example(text=LONG_LINE)
@example(text="Officials said \u202e„the plan failed“\u202c on Monday. The may\u200dor will likely resign.")
@example(text="Beloусов said the e\u0301lite unit \ud800 would likely withdraw.")
def test_any_text_gives_an_input_error_or_a_valid_report(analyzer, text: str) -> None:
    check(analyzer, text)
