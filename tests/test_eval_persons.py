"""The person/time scorer on hand-made gold and reports (no shared data needed)."""

from __future__ import annotations

from sayso.eval.persons import Scores, score_article, summary


def mention(start: int, end: int) -> dict:
    return {"text": "", "start": start, "end": end}


def test_split_cluster_costs_recall_not_precision():
    gold = {"stem": "x", "persons": [[0, 5, "A"], [10, 15, "A"], [20, 22, "A"], [30, 35, "B"]], "times": [[40, 44, "2016-07"], [50, 55, "P3Y"]]}
    report = {
        "entities": [
            {"id": "e0", "type": "PERSON", "mentions": [mention(0, 5), mention(10, 15)]},
            {"id": "e1", "type": "PERSON", "mentions": [mention(20, 22)]},
            {"id": "e2", "type": "PERSON", "mentions": [mention(30, 35)]},
            {"id": "e3", "type": "ORG", "mentions": [mention(60, 65)]},
        ],
        "times": [{"start": 40, "end": 44, "value": "2016-07"}, {"start": 70, "end": 72, "value": "2016"}],
    }
    scores = Scores()
    score_article(gold, report, scores)
    assert scores.mentions.prf()[:2] == (1.0, 1.0)
    assert scores.muc_r == [1, 2] and scores.muc_p == [1, 1]
    assert (scores.pairs.gold, scores.pairs.system, scores.pairs.matched) == (3, 1, 1)
    assert (scores.times.gold, scores.times.system, scores.times.matched, scores.values_right) == (2, 2, 1, 1)
    assert any("missed" in e for e in scores.errors)
    assert summary(scores)[0] == "articles: 0"
