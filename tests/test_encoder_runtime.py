"""The accurate tier's encoder without spaCy: weights in the package, int8 against full precision,
the decoding of its heads, and what happens when it cannot run."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from sayso import encoder
from sayso.encoder import heads, tier


@pytest.fixture(scope="module")
def model():
    return encoder.load()


def test_weights_load_from_the_package(model):
    assert (encoder.MODEL_DIR / "encoder.int8.onnx").is_file()
    assert model.labels[0] == "O" and {"B-source", "B-cue", "B-content"} <= set(model.labels)
    assert 0 < model.thresholds["uncertain"] < 1 and 0 < model.thresholds["checkworthy"] < 1
    size = sum(f.stat().st_size for f in encoder.MODEL_DIR.iterdir())
    assert size <= 30 * 1024 * 1024


def test_int8_agrees_with_full_precision(model):
    """reference.json holds what the float32 torch network gave at export (per word, the tag logits
    at its first piece), decoded here as the runtime decodes its own."""
    ref = json.loads((encoder.MODEL_DIR / "reference.json").read_text())
    got = model.predict([r["words"] for r in ref])
    same = total = 0
    for want, pred in zip(ref, got, strict=True):
        n = len(want["words"])
        tags = heads.word_tags(np.array(want["tag_logits"]), list(range(n)), model.labels)
        same += sum(a == b for a, b in zip(tags, pred.tags, strict=True))
        total += n
        assert abs(want["uncertain"] - pred.uncertain) < 0.1
        assert abs(want["checkworthy"] - pred.checkworthy) < 0.1
    # 97.3% of words over 250 held-out WikiWeasel sentences (training/README.md), 74 of these 75; a
    # borderline span that ends a word earlier in int8 moves several words at once (BIO decoding).
    assert same / total >= 0.85


def test_a_sentence_predicts_the_same_whatever_is_analysed_with_it(model):
    """int8 activations are scaled per batch: by default every sentence runs alone, so its
    predictions do not depend on its neighbours."""
    sents = [["The", "minister", "said", "taxes", "would", "rise", "."], ["Rain", "fell", "."], ["He", "may", "resign", "."]]
    together = model.predict(sents)
    alone = [model.predict([s])[0] for s in sents]
    assert together == alone
    assert together[0].spans and together[0].checkworthy > 0


def test_sentences_are_packed_into_windows_in_order():
    assert heads.windows([10, 20, 30, 5], 64) == [[0, 1, 2], [3]]  # 60 pieces and [CLS], [SEP] fit 64
    assert heads.windows([10, 100, 5, 0], 64) == [[0], [1], [2, 3]]  # too long for a window: its own
    assert heads.windows([], 64) == []
    ids, word_ids, starts = heads.window_input([([5, 6], [0, 0], 1), ([7, 8, 9], [0, 1, None], 2)], 101, 102, 64)
    assert ids == [101, 5, 6, 7, 8, 9, 102] and word_ids == [None, 0, 0, 1, 2, None, None] and starts == [0, 1]
    ids, word_ids, _ = heads.window_input([([5, 6, 7, 8], [0, 1, 2, 3], 4)], 101, 102, 4)
    assert ids == [101, 5, 6, 102] and word_ids == [None, 0, 1, None]  # cut: words 2 and 3 get no piece


def test_window_tags_read_each_sentence_in_its_window(model, monkeypatch):
    """A sentence alone in its window is exactly the sentence pass's input, so its tags are the
    sentence pass's; packed with its neighbours, every sentence still gets one tag a word."""
    sents = [["The", "minister", "said", "taxes", "would", "rise", "."], ["Rain", "fell", "."], [], ["He", "may", "resign", "."]]
    monkeypatch.setattr(model, "window", len(model.encode(sents[0])[0]))  # the first fills a window
    alone = model.window_tags(sents)
    assert alone[0] == model.predict([sents[0]])[0].tags and alone[2] == []
    monkeypatch.setattr(model, "window", 64)
    packed = model.window_tags(sents)
    assert [len(t) for t in packed] == [len(s) for s in sents]
    assert all(tag in model.labels for tags in packed for tag in tags)
    calls = []
    monkeypatch.setattr(model, "raw", lambda ids, real=model.raw: calls.append(ids) or real(ids))
    model.window_tags(sents)
    assert len(calls) == 1 and len(calls[0][0]) == 2 + sum(len(model.encode(s)[0]) - 2 for s in sents)


def test_long_sentence_is_cut_to_the_window(model):
    words = ["word"] * 300
    pred = model.predict([words])[0]
    assert pred.truncated and len(pred.tags) == 300 and pred.tags[-1] == "O"


def test_bio_decoding_and_chunks():
    labels = ["O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content"]
    logits = 5 * np.eye(7)[[6, 6, 0, 3, 1]]  # I-content first, then O, a cue, a source
    tags = heads.word_tags(logits, [0, 1, 2, 3, 4], labels)
    assert tags == ["B-content", "I-content", "O", "B-cue", "B-source"]
    assert heads.chunks(tags) == [("content", 0, 2), ("cue", 3, 4), ("source", 4, 5)]
    assert heads.repair(["I-cue", "I-source", "I-source"]) == ["B-cue", "B-source", "I-source"]
    # one word inside a long content span leaning a little to O does not cut the span in two
    span = np.zeros((5, 7))
    span[:, 6] = 3.0
    span[0, 5] = 4.0
    span[2, 0] = 3.2
    assert heads.chunks(heads.word_tags(span, [0, 1, 2, 3, 4], labels)) == [("content", 0, 5)]
    # a word cut off by the window is O
    assert heads.word_tags(span, [0, 1, None, 3, 4], labels)[2] == "O"


def test_word_scores_take_the_highest_piece():
    scores = heads.word_scores(np.array([9.0, -2.0, 3.0, -1.0, 9.0]), [None, 0, 0, 1, None], 2)
    assert scores[0] == pytest.approx(float(heads.sigmoid(3.0)))
    assert scores[1] == pytest.approx(float(heads.sigmoid(-1.0)))


def test_missing_weights_is_one_line(tmp_path):
    reason = tier.missing(tmp_path)
    assert reason and "\n" not in reason and "encoder.int8.onnx" in reason
    with pytest.raises(encoder.EncoderUnavailable):
        encoder.load(tmp_path)


def test_explicit_accurate_fails_and_auto_falls_back(monkeypatch, capsys):
    monkeypatch.setattr(tier, "missing", lambda *a: "the accurate tier's weights are missing (test)")
    monkeypatch.setattr(tier, "_noticed", False)
    with pytest.raises(encoder.EncoderUnavailable, match="--accurate: .*missing"):
        tier.resolve("accurate")
    assert tier.resolve("auto") == "fast"
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "using the fast tier" in err
    assert tier.resolve("fast") == "fast"


def test_fast_tier_never_imports_the_runtime():
    code = (
        "import sys; from sayso import pipeline; nlp = pipeline.build(tier='fast'); nlp('Officials said it rained.');"
        "print('onnxruntime' in sys.modules, 'tokenizers' in sys.modules, 'sayso_encoder' in nlp.pipe_names)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["False", "False", "False"]
