"""The paraphrase model (all-MiniLM-L6-v2, int8) and the store's embedding cache, and where they are used."""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pytest

from sayso.corpus import claims, paraphrase, stories
from sayso.store import embeddings

pytestmark = pytest.mark.skipif(not paraphrase.available(), reason="paraphrase model or ONNX Runtime missing")


@pytest.fixture(scope="module")
def model() -> paraphrase.Paraphraser:
    found = paraphrase.default()
    assert found is not None
    return found


def test_int8_model_agrees_with_the_float32_network(model):
    ref = json.loads((paraphrase.MODEL_DIR / "reference.json").read_text(encoding="utf-8"))
    got = model.embed([r["text"] for r in ref])
    want = np.array([r["embedding"] for r in ref], dtype=np.float32)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-3)
    assert (got * want).sum(axis=1).min() > 0.98  # measured 0.99 for each


def test_the_same_claim_in_other_words_is_closer_than_another_claim(model):
    v = model.embed([
        "About 40 people were killed when the building collapsed.",
        "Nearly forty died in the collapse of the block.",
        "The central bank raised interest rates by half a point.",
    ])
    assert v[0] @ v[1] > 0.5 > v[0] @ v[2]


def test_a_text_is_embedded_alone_so_its_vector_does_not_depend_on_its_neighbours(model):
    alone = model.embed(["The mayor said the bridge would reopen."])
    among = model.embed(["A much longer sentence about something else entirely, with many more words in it.", "The mayor said the bridge would reopen."])
    assert np.array_equal(alone[0], among[1])
    assert not model.embed([""]).any()  # no word: a zero row, not an error


class Counting:
    def __init__(self, inner: paraphrase.Paraphraser) -> None:
        self.inner, self.seen = inner, []

    def embed(self, texts):
        self.seen.extend(texts)
        return self.inner.embed(texts)


def test_the_store_embeds_each_text_once(model):
    con = duckdb.connect()
    counting = Counting(model)
    first = embeddings.vectors(con, ["one claim.", "another claim.", "one claim."], counting)  # type: ignore[arg-type]
    assert sorted(counting.seen) == ["another claim.", "one claim."]  # the repeated text once
    again = embeddings.vectors(con, ["one claim.", "a third claim."], counting)  # type: ignore[arg-type]
    assert sorted(counting.seen) == ["a third claim.", "another claim.", "one claim."]
    assert np.allclose(first[0], again[0]) and np.allclose(first[0], first[2])
    assert con.execute("SELECT count(*) FROM embeddings").fetchone()[0] == 3
    loads: list[int] = []

    def load():
        loads.append(1)
        return counting

    stored = embeddings.vectors(con, ["a third claim.", "one claim.", "a third claim."], load)
    assert not loads and stored.dtype == np.float32 and stored.shape == (3, paraphrase.DIMENSIONS)  # all stored: no model loaded
    assert np.allclose(stored[1], first[0]) and np.allclose(stored[0], again[1]) and np.allclose(stored[0], stored[2])
    fourth = embeddings.vectors(con, ["one claim.", "a fourth claim."], load)
    assert loads == [1] and counting.seen[-1] == "a fourth claim." and np.allclose(fourth[0], first[0])


def _claim(article, text):
    return claims.Claim(article, 0, 0, len(text), text)


def test_claim_links_weigh_the_embeddings(model):
    # Few shared terms: the term cosine alone stays under the threshold, the meaning does not.
    a = _claim("a", "Officials said the plant will shut down next spring.")
    b = _claim("b", "The factory is set to close its doors in the coming months.")
    c = _claim("c", "Ticket prices for the concert rose sharply on Monday.")
    found = [a, b, c]
    vectors = model.embed([x.text for x in found])
    assert claims.link(found, vectors=None) == []
    linked = {(i, j) for i, j, _ in claims.link(found, vectors=vectors, weight=0.5)}
    assert linked == {(0, 1)}


def test_story_pairs_blend_the_leads_when_weighted():
    vec = np.eye(3, dtype=np.float32)
    arts = [
        stories.Article("a", "Storm hits Ashgrove harbour", lead_vector=vec[0]),
        stories.Article("b", "Storm damages Ashgrove harbour walls", lead_vector=vec[0]),
        stories.Article("c", "Storm over Ashgrove harbour eases", lead_vector=vec[1]),
    ]
    ordered, lexical = stories.similarities(arts, lead_weight=0.0)
    _, blended = stories.similarities(arts, lead_weight=0.5)
    assert blended[(0, 1)] == pytest.approx(0.5 * lexical[(0, 1)] + 0.5)
    assert blended[(0, 2)] == pytest.approx(0.5 * lexical[(0, 2)])


def test_a_lead_is_the_start_of_the_text_cut_at_a_space():
    text = "word " * 400
    assert len(stories.lead(text)) <= stories.LEAD_CHARS and stories.lead(text).endswith("word")
    assert stories.lead("Short  text\nhere.") == "Short text here."
