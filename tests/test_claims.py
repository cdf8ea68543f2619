"""sayso_claims: check-worthy sentences with a score, their source and the profile count."""

from __future__ import annotations

from sayso.classifiers import checkworthy
from sayso.classifiers.linear import LinearModel, best_threshold, combine, key


def test_claims_pick_factual_sentences(analyze) -> None:
    text = (
        "Unemployment in the state fell to 3.9 percent in March, the lowest rate since 2007. "
        "Thank you very much. "
        "The new law cut property taxes by $1,200 for the average family."
    )
    report = analyze(text)
    picked = {c["sentence"] for c in report["claims"]}
    assert 0 in picked and 2 in picked
    assert 1 not in picked
    for c in report["claims"]:
        assert 0.0 <= c["score"] <= 1.0
        assert report["text"][c["start"] : c["end"]] == c["text"]
        assert c["status"] == report["sentences"][c["sentence"]]["status"]
    assert report["profile"]["claims"] == len(report["claims"])


def test_scores_rank_numbers_above_greetings() -> None:
    fact, greeting = checkworthy.score_texts(
        ["The deficit grew by 40 billion dollars over the last two years.", "Good evening, everybody."]
    )
    assert fact > greeting


def test_linear_model_round_trip(tmp_path) -> None:
    import numpy as np

    weights = np.zeros(1 << 18, dtype=np.float32)
    idx = combine(key("w"), 42)
    weights[idx] = 2.0
    model = LinearModel(weights, -1.0, 0.4, {"note": "test"})
    model.save(tmp_path)
    again = LinearModel.load(tmp_path)
    assert again.threshold == 0.4 and again.meta["note"] == "test"
    assert abs(again.score([idx, idx]) - 1 / (1 + np.exp(-1.0))) < 1e-6


def test_best_threshold() -> None:
    t, f1 = best_threshold([0.9, 0.8, 0.3, 0.1], [True, True, False, False])
    assert 0.3 < t <= 0.8 and f1 == 1.0
