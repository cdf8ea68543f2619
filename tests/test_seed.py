"""The seed article (our own copy) meets every item a careful reader expects of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sayso import pipeline, schema
from sayso.analyzer import Analyzer, Article

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = json.loads((FIXTURES / "seed_expected.json").read_text(encoding="utf-8"))
TEXT = (FIXTURES / "seed_article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=["fast", "accurate"])
def seed_analyzer(request):
    """Both tiers must find what a careful reader finds."""
    return Analyzer(pipeline.shared(tier=request.param))


@pytest.fixture(scope="module")
def plain(seed_analyzer):
    return seed_analyzer.analyze(Article(TEXT, id="t"))


@pytest.fixture(scope="module")
def dated(seed_analyzer):
    return seed_analyzer.analyze(Article(TEXT, id="t", meta={"published": "2025-09-04"}))


def line_of(offset: int) -> int:
    """1-based line (= expected sentence number) of an offset; the seed has one sentence a line."""
    return TEXT.count("\n", 0, offset) + 1


def sentence(report, n):
    start = sum(len(line) + 1 for line in TEXT.split("\n")[: n - 1])
    return next(s for s in report["sentences"] if s["start"] <= start + 5 < s["end"])


def source_name(report, a):
    names = {e["id"]: e["name"].lower() for e in report["entities"]}
    src = a["source"] or {}
    return names.get(src.get("entity"), (src.get("text") or "").lower())


def test_reports_validate(plain, dated):
    schema.validate(plain)
    schema.validate(dated)


def test_sentence_count(plain):
    assert len(plain["sentences"]) == EXPECTED["sentences"]


@pytest.mark.parametrize("x", EXPECTED["attributions"], ids=lambda x: f"s{x['sentence']}-{x['cue_any'][0]}")
def test_attribution(plain, x):
    def good(a):
        content = " ".join(c["text"] for c in a["content"]).lower()
        return (
            line_of(a["cue"]["start"]) == x["sentence"]
            and source_name(plain, a) == x["source"].lower()
            and any(c in a["cue"]["text"].lower() for c in x["cue_any"])
            and ("source_mention" not in x or a["source"]["text"].lower() == x["source_mention"])
            and ("channel" not in x or x["channel"].lower() in ((a["channel"] or {}).get("text") or "").lower())
            and ("content" not in x or x["content"].lower() in content)
            and ("kind" not in x or a["kind"] == x["kind"])
        )

    assert any(good(a) for a in plain["attributions"]), [a for a in plain["attributions"] if line_of(a["cue"]["start"]) == x["sentence"]]


@pytest.mark.parametrize("n,cues", EXPECTED["hedged_sentences"].items())
def test_hedged(plain, n, cues):
    s = sentence(plain, int(n))
    assert s["status"] == "hedged"
    assert any(c in q["text"].lower() for c in cues for q in s["cues"])


@pytest.mark.parametrize("n", EXPECTED["undisclosed_sentences"])
def test_undisclosed(plain, n):
    assert any(q["kind"] == "undisclosed" for q in sentence(plain, n)["cues"])


def test_evaluative(plain):
    hits = [n for n in EXPECTED["evaluative_sentences"] if sentence(plain, n)["evaluative"]]
    assert len(hits) >= EXPECTED["evaluative_at_least"], hits
    for n in EXPECTED["not_evaluative_sentences"]:
        assert sentence(plain, n)["evaluative"] is False, n


@pytest.mark.parametrize("x", EXPECTED["entities"], ids=lambda x: x.get("name") or x["name_any"][0])
def test_entity(plain, x):
    names = [n.lower() for n in x.get("name_any", [x.get("name")])]
    types = x.get("type_any", [x.get("type")] if "type" in x else None)
    found = [
        e
        for e in plain["entities"]
        if e["name"].lower() in names
        and (types is None or e["type"] in types)
        and all(r.lower() in " | ".join(e["roles"]).lower() for r in x.get("role_any", [])[:1])
        and len(e["mentions"]) >= x.get("mentions_at_least", 1)
    ]
    assert found, [e for e in plain["entities"] if e["name"].lower() in names]


@pytest.mark.parametrize("x", EXPECTED["not_entities"], ids=lambda x: x["text"] + x.get("type", ""))
def test_not_entity(plain, x):
    for e in plain["entities"]:
        for m in e["mentions"]:
            assert not (m["text"].lower() == x["text"].lower() and ("type" not in x or e["type"] == x["type"]))


def test_integrity(plain):
    for x in EXPECTED["integrity"]:
        hits = [f for f in plain["integrity"] if f["text"] == x["text"] and f["kind"] == x["kind"] and f["suggestion"] == x["suggestion"]]
        assert len(hits) == x["count"]


@pytest.mark.parametrize("x", EXPECTED["times"], ids=lambda x: str(x["published"]))
def test_times(plain, dated, x):
    report = dated if x["published"] else plain
    assert any(x["text"].lower() in t["text"].lower() and t["value"] == x["value"] for t in report["times"]), report["times"]


def test_profile(plain):
    lo, hi = EXPECTED["profile"]["attributed_sentences_between"]
    assert lo <= plain["profile"]["counts"]["attributed"] <= hi
    assert {n.lower() for n in EXPECTED["profile"]["named_sources"]} <= {source_name(plain, a) for a in plain["attributions"]}
    named = {s["name"].lower() for s in plain["profile"]["named_sources"]}
    assert {n.lower() for n in EXPECTED["profile"]["named_sources"]} <= named
