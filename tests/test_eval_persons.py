"""The person/time scorer on hand-made gold and reports (no shared data needed)."""

from __future__ import annotations

import pytest

from sayso.eval.persons import Scores, score_article, summary


def mention(start: int, end: int) -> dict:
    return {"text": "x" * (end - start), "start": start, "end": end}


def entity(id: str, type: str, *mentions: dict) -> dict:
    return {"id": id, "name": id, "type": type, "roles": [], "affiliations": [], "mentions": list(mentions)}


def time(start: int, end: int, value: str) -> dict:
    return {"text": "x" * (end - start), "start": start, "end": end, "type": "date", "value": value}


def test_split_cluster_costs_recall_not_precision(make_report):
    gold = {"stem": "x", "persons": [[0, 5, "A"], [10, 15, "A"], [20, 22, "A"], [30, 35, "B"]], "times": [[40, 44, "2016-07"], [50, 55, "P3Y"]]}
    report = make_report(
        entities=[
            entity("e0", "PERSON", mention(0, 5), mention(10, 15)),
            entity("e1", "PERSON", mention(20, 22)),
            entity("e2", "PERSON", mention(30, 35)),
            entity("e3", "ORG", mention(60, 65)),
        ],
        times=[time(40, 44, "2016-07"), time(70, 72, "2016")],
    )
    scores = Scores()
    score_article(gold, report, scores)
    scores.articles += 1
    assert scores.mentions.prf()[:2] == (1.0, 1.0)
    assert scores.muc_r == [1, 2] and scores.muc_p == [1, 1]
    assert (scores.pairs.gold, scores.pairs.system, scores.pairs.matched) == (3, 1, 1)
    assert (scores.times.gold, scores.times.system, scores.times.matched, scores.values_right) == (2, 2, 1, 1)
    assert any("missed" in e for e in scores.errors)
    lines = summary(scores)
    assert lines[0] == "articles: 1"
    # MUC: recall 1/2 (one of two links of cluster A), precision 1/1, F 2/3
    assert "person coreference MUC      P 1.000  R 0.500  F 0.667" in lines
    assert "1/2 = 0.500 of gold" in lines[-1]


def test_wrong_value_and_merged_people_count_against(make_report):
    gold = {"stem": "y", "persons": [[0, 5, "A"], [10, 15, "B"]], "times": [[20, 24, "2016-07"]]}
    report = make_report(entities=[entity("e0", "PERSON", mention(0, 5), mention(10, 15))], times=[time(20, 24, "2016-08")])
    scores = Scores()
    score_article(gold, report, scores)
    assert scores.pairs.prf() == (0.0, 0.0, 0.0)  # the one system link joins two people
    assert scores.muc_p == [0, 1]
    assert scores.values_right == 0 and scores.errors == ["y (20, 24): want 2016-07, got 2016-08"]
    assert scores.mentions.prf()[2] == pytest.approx(1.0)
