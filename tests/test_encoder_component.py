"""The accurate tier in the pipeline: the sayso_encoder component, the tier switch and flags, and
how its predictions combine with the rules (attribution spans, status, claims)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import spacy
from spacy.tokens import Doc, DocBin
from typer.testing import CliRunner

from sayso import extensions, pipeline
from sayso.analyzer import Analyzer, Article
from sayso.classifiers import checkworthy
from sayso.cli import app
from sayso.components import encoder_combine
from sayso.components.encoder import COMBINE, SENTENCES, TAGS, EncoderComponent, tier_of
from sayso.docindex import sentence_bounds
from sayso.encoder import tier
from sayso.types import Cue, SentenceInfo

REPORTED = "The city council said on Monday that the new bridge would open next spring."
TEXT = (
    f"{REPORTED} Some experts believe the costs may have been underestimated.\n"
    "The bridge is 300 metres long."
)


@pytest.fixture(scope="module")
def accurate():
    """The accurate tier with the encoder's attribution spans switched on (off by default)."""
    nlp = pipeline.build(tier="accurate")
    nlp.replace_pipe("sayso_encoder", "sayso_encoder", config={"spans": True})
    return nlp


def test_encoder_spans_follow_the_models_combine_setting():
    nlp = pipeline.build(tier="accurate")
    doc = nlp(REPORTED)
    pipe = nlp.get_pipe("sayso_encoder")
    chosen = pipe.combine
    assert tier_of(doc) == "accurate" and (encoder_combine.attribution_spans(doc) is not None) == bool(chosen["spans"])
    assert doc._.get(SENTENCES) and extensions.attributions(doc)
    assert doc._.get(COMBINE) == {**chosen, "spans": pipe.spans}


def test_spans_can_come_from_the_encoder_for_some_roles_only():
    """``spans`` names the roles whose spans the encoder gives: the rest stay the tagger's, and a
    tagger span that overlaps one of the encoder's gives way."""
    words = ["He", "said", "taxes", "would", "rise", "."]
    doc = _doc_with(words, [], {"uncertain": "either", "checkworthy": "encoder", "spans": ["content"]})
    doc._.set(TAGS, ["B-source", "B-cue", "B-content", "I-content", "I-content", "O"])
    assert encoder_combine.span_roles(doc) == {"CONTENT"}
    assert encoder_combine.attribution_spans(doc) == [("CONTENT", 2, 5)]
    tagger = [("SOURCE", 0, 1), ("CUE", 1, 2), ("CONTENT", 2, 4), ("CUE", 4, 5)]
    merged = encoder_combine.merge_spans(tagger, [("CONTENT", 2, 5)], encoder_combine.span_roles(doc))
    assert merged == [("SOURCE", 0, 1), ("CUE", 1, 2), ("CONTENT", 2, 5)]
    doc._.set(COMBINE, {"uncertain": "either", "checkworthy": "encoder", "spans": []})
    assert encoder_combine.span_roles(doc) == frozenset() and encoder_combine.attribution_spans(doc) is None
    doc._.set(COMBINE, {"uncertain": "either", "checkworthy": "encoder", "spans": True})  # older configs
    assert encoder_combine.span_roles(doc) == {"SOURCE", "CUE", "CONTENT"}


def test_the_roles_the_component_takes_spans_for():
    pipe = pipeline.build(tier="accurate").get_pipe("sayso_encoder")
    pipe.configured_spans = True
    assert pipe.spans == ["source", "cue", "content"]
    pipe.configured_spans = ["content", "source", "nonsense"]
    assert pipe.spans == ["source", "content"]
    pipe.configured_spans = False
    assert pipe.spans == []


def test_cue_check_drops_sourceless_attributions_the_encoder_does_not_see():
    words = ["The", "game", "focuses", "on", "Sigil", ".", "He", "said", "so", "."]
    tags = ["O", "O", "O", "O", "O", "O", "B-source", "B-cue", "B-content", "O"]
    doc = _doc_with(words, [], {"uncertain": "either", "checkworthy": "encoder", "cue_check": True})
    doc._.set(TAGS, tags)
    assert not encoder_combine.confirms_cue(doc, None, (2, 4))
    assert encoder_combine.confirms_cue(doc, None, (7, 8)) and encoder_combine.confirms_cue(doc, (0, 2), (2, 4))
    doc._.set(COMBINE, {"uncertain": "either", "checkworthy": "encoder", "cue_check": False})
    assert encoder_combine.confirms_cue(doc, None, (2, 4))


@pytest.fixture(scope="module")
def doc(accurate):
    return accurate(TEXT)


def test_accurate_tier_adds_the_encoder_before_attribution(accurate):
    names = accurate.pipe_names
    assert names.index("sayso_encoder") < names.index("sayso_attribution")
    assert "sayso_encoder" not in pipeline.build(tier="fast").pipe_names


def test_encoder_writes_tags_and_sentence_scores(doc):
    assert tier_of(doc) == "accurate"
    tags = doc._.get(TAGS)
    assert len(tags) == len(doc) and all(t == "O" for t, tok in zip(tags, doc, strict=True) if tok.is_space)
    spans = encoder_combine.attribution_spans(doc)
    said = next(t.i for t in doc if t.text == "said")
    assert any(label == "CUE" and s <= said < e for label, s, e in spans)
    assert any(label == "SOURCE" and e <= said for label, s, e in spans)
    infos = doc._.get(SENTENCES)
    assert len(infos) == len(list(doc.sents))
    json.dumps(infos)  # plain JSON values
    for info in infos:
        assert 0.0 <= info["uncertain"] <= 1.0 and 0.0 <= info["checkworthy"] <= 1.0
        assert bool(info["uncertain_cues"]) == info["is_uncertain"]


def test_attribution_reads_the_encoders_spans(doc):
    att = next(a for a in extensions.attributions(doc) if doc.text[a.cue[0] : a.cue[1]] == "said")
    assert att.source is not None and doc.text[att.source[0] : att.source[1]].endswith("council")


def test_fast_tier_docs_have_no_encoder_predictions():
    doc = pipeline.build(tier="fast")(REPORTED)
    assert tier_of(doc) == "fast"
    assert encoder_combine.attribution_spans(doc) is None
    assert encoder_combine.uncertainty(doc, 0) is None and encoder_combine.checkworthy(doc, 0, 0.9) is None
    assert encoder_combine.fast_hedges(doc)


def _doc_with(words: list[str], infos: list[dict], combine: dict | None = None) -> Doc:
    doc = Doc(spacy.blank("en").vocab, words=words)
    doc._.set(SENTENCES, infos)
    doc._.set(COMBINE, combine or {"uncertain": "either", "checkworthy": "encoder"})
    return doc


def test_status_hedged_only_for_asserted_sentences():
    doc = _doc_with(["Prices", "may", "rise", "."], [{"uncertain": 0.9, "is_uncertain": True, "uncertain_cues": [1], "checkworthy": 0.1, "is_checkworthy": False}])
    info = SentenceInfo(0, 16)
    assert encoder_combine.status_of(doc, 0, info, "asserted") == "hedged"
    assert [(c.kind, doc.text[c.start : c.end]) for c in info.cues] == [("hedge", "may")]
    kept = SentenceInfo(0, 16, cues=[Cue("hedge", 7, 10)])
    assert encoder_combine.status_of(doc, 0, kept, "attributed") == "attributed"
    calm = _doc_with(["Prices", "rose", "."], [{"uncertain": 0.1, "is_uncertain": False, "uncertain_cues": [], "checkworthy": 0.8, "is_checkworthy": True}])
    assert encoder_combine.status_of(calm, 0, SentenceInfo(0, 11), "asserted") == "asserted"
    assert encoder_combine.checkworthy(calm, 0, 0.1) == (True, 0.8)


def test_combine_modes():
    may = ["Prices", "may", "rise", "."]
    info = {"uncertain": 0.9, "is_uncertain": True, "uncertain_cues": [1], "checkworthy": 0.6, "is_checkworthy": True}
    fast_only = _doc_with(may, [info], {"uncertain": "fast", "checkworthy": "fast"})
    assert encoder_combine.status_of(fast_only, 0, SentenceInfo(0, 16), "asserted") == "asserted"
    assert encoder_combine.checkworthy(fast_only, 0, 0.2) is None and encoder_combine.fast_hedges(fast_only)
    replaced = _doc_with(may, [info], {"uncertain": "encoder", "checkworthy": "mean", "checkworthy_threshold": 0.5})
    assert not encoder_combine.fast_hedges(replaced)
    assert encoder_combine.status_of(replaced, 0, SentenceInfo(0, 16), "asserted") == "hedged"
    assert encoder_combine.checkworthy(replaced, 0, 0.2) == (False, pytest.approx(0.4))
    assert encoder_combine.checkworthy(replaced, 0, 0.6) == (True, pytest.approx(0.6))
    either = _doc_with(may, [info])
    assert encoder_combine.fast_hedges(either) and encoder_combine.status_of(either, 0, SentenceInfo(0, 16), "asserted") == "hedged"
    # the encoder only adds uncertain sentences: a certain verdict leaves the lexicon's hedge alone
    certain = {**info, "uncertain": 0.1, "is_uncertain": False, "uncertain_cues": []}
    lexicon = SentenceInfo(0, 16, cues=[Cue("hedge", 7, 10)])
    assert encoder_combine.status_of(_doc_with(may, [certain]), 0, lexicon, "hedged") == "hedged"
    assert [c.kind for c in lexicon.cues] == ["hedge"]


def test_a_model_flag_never_shows_a_function_word_as_its_cue():
    words = ["There", "have", "been", "rises", "."]
    flagged = {"uncertain": 0.9, "is_uncertain": True, "uncertain_cues": [0, 2], "checkworthy": 0.1, "is_checkworthy": False}
    doc = _doc_with(words, [flagged])
    info = SentenceInfo(0, len(doc.text))
    assert encoder_combine.status_of(doc, 0, info, "asserted") == "hedged"
    assert [(c.kind, c.start, c.end) for c in info.cues] == [("model", 0, len(doc.text))]
    some = _doc_with(["Some", "say", "prices", "rose", "."], [{**flagged, "uncertain_cues": [0]}])
    shown = SentenceInfo(0, len(some.text))
    encoder_combine.status_of(some, 0, shown, "asserted")
    assert [(c.kind, some.text[c.start : c.end]) for c in shown.cues] == [("hedge", "Some")]


def test_claims_follow_the_combined_judgement(accurate, doc):
    model = accurate.get_pipe("sayso_claims").model
    bounds = sentence_bounds(doc)
    claimed = {c.sentence for c in extensions.claims(doc)}
    decided = 0
    for i, feats in enumerate(checkworthy.sentence_features(doc, bounds)):
        s, e = bounds[i]
        if sum(not (t.is_punct or t.is_space) for t in doc[s:e]) >= 3:
            judged = encoder_combine.checkworthy(doc, i, model.score(feats))
            if judged is not None:
                decided += 1
                assert (i in claimed) == judged[0]
    assert decided or doc._.get(COMBINE)["checkworthy"] == "fast"


def test_predictions_survive_docbin(doc):
    """The encoder's attributes are plain values that DocBin stores (the other components' are
    theirs to make storable)."""
    plain = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    for name in (TAGS, SENTENCES):
        plain._.set(name, doc._.get(name))
    db = DocBin(store_user_data=True)
    db.add(plain)
    back = next(DocBin(store_user_data=True).from_bytes(db.to_bytes()).get_docs(doc.vocab))
    for name in (TAGS, SENTENCES):  # msgpack gives lists back as tuples
        assert json.dumps(back._.get(name)) == json.dumps(doc._.get(name))


def test_component_to_disk_and_back(tmp_path, accurate):
    comp = accurate.get_pipe("sayso_encoder")
    comp.to_disk(tmp_path / "enc")
    again = EncoderComponent().from_disk(tmp_path / "enc")
    assert again.model_dir == tmp_path / "enc"
    assert again.encoder.predict([["He", "said", "so", "."]])[0].tags == comp.encoder.predict([["He", "said", "so", "."]])[0].tags


def test_analyzer_reports_with_the_accurate_tier(accurate):
    rep = Analyzer(accurate).analyze(Article(TEXT, id="t"))
    assert any(a["cue"]["text"] == "said" and a["source"] for a in rep["attributions"])
    assert rep["meta"]["tier"] == "accurate"


runner = CliRunner()


def test_cli_accurate_flag_fails_in_one_line_without_weights(tmp_path, monkeypatch):
    monkeypatch.setattr(tier, "missing", lambda *a: "the accurate tier's weights are missing (test)")
    src = tmp_path / "a.txt"
    src.write_text(REPORTED + "\n", encoding="utf-8")
    for args in (["analyze", "--accurate", str(src)], ["batch", "--accurate", str(src.parent), "--out", str(tmp_path / "o.jsonl")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert result.output.strip().count("\n") == 0 and "--accurate" in result.output and "missing" in result.output


def test_cli_tier_flags(tmp_path, monkeypatch):
    monkeypatch.setattr(tier, "_default", "fast")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(REPORTED + "\n", encoding="utf-8")
    fast = runner.invoke(app, ["analyze", "--fast", "-f", "json", str(src / "a.txt")])
    acc = runner.invoke(app, ["analyze", "--accurate", "-f", "json", str(src / "a.txt")])
    assert fast.exit_code == 0 and acc.exit_code == 0
    assert json.loads(fast.stdout)["attributions"] and json.loads(acc.stdout)["attributions"]
    assert [json.loads(r.stdout)["meta"]["tier"] for r in (fast, acc)] == ["fast", "accurate"]
    env_before = dict(os.environ)
    for processes in ("1", "2"):  # in this process, and in worker processes told the tier
        out = tmp_path / f"o{processes}.jsonl"
        batch = runner.invoke(app, ["batch", "--accurate", "--no-progress", "-p", processes, str(src), "--out", str(out)])
        assert batch.exit_code == 0, batch.output
        row = json.loads(out.read_text().splitlines()[0])
        assert row["attributions"] and row["meta"]["tier"] == "accurate"
    assert dict(os.environ) == env_before and tier.default() == "fast"  # the caller's state is untouched


def test_serve_tier_flags(monkeypatch):
    import uvicorn

    monkeypatch.setattr(tier, "_default", "fast")
    env_before = dict(os.environ)
    ran = []
    monkeypatch.setattr(uvicorn, "run", lambda app_, **k: ran.append(app_.state.config.tier))
    assert runner.invoke(app, ["serve", "--accurate"]).exit_code == 0
    assert runner.invoke(app, ["serve", "--fast"]).exit_code == 0
    assert ran == ["accurate", "fast"]  # the config the worker pool is started with
    assert dict(os.environ) == env_before and tier.default() == "fast"
    monkeypatch.setattr(tier, "missing", lambda *a: "the accurate tier's weights are missing (test)")
    result = runner.invoke(app, ["serve", "--accurate"])
    assert result.exit_code == 2 and result.output.strip().count("\n") == 0 and "missing" in result.output
    assert len(ran) == 2


def test_server_workers_load_the_configured_tier():
    import asyncio

    from sayso.web.jobs import Job
    from sayso.web.workers import WorkerPool

    async def once(chosen: str) -> str:
        pool = WorkerPool(1, 1, 120.0, tier=chosen)
        await pool.start()
        try:
            kind, report = await pool.submit(Job(text=REPORTED))
        finally:
            await pool.close()
        assert kind == "ok", report
        return report["meta"]["tier"]

    assert asyncio.run(once("accurate")) == "accurate"


def test_importing_sayso_leaves_the_environment_alone():
    code = (
        "import os; before = dict(os.environ); import sayso, sayso.cli, sayso.batch.run, sayso.web, sayso.pipeline;"
        " from sayso.encoder import tier; tier.set_default('fast'); assert dict(os.environ) == before, "
        "set(os.environ) ^ set(before)"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def test_defaults_accurate_for_one_article_fast_for_a_batch(tmp_path, monkeypatch):
    monkeypatch.setattr(tier, "_default", "auto")  # as a user's process has it (conftest pins "fast")
    assert tier.default() == "auto" and tier.resolve() == "accurate"
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(REPORTED + "\n", encoding="utf-8")
    one = runner.invoke(app, ["analyze", "-f", "json", str(src / "a.txt")])
    assert one.exit_code == 0 and json.loads(one.stdout)["meta"]["tier"] == "accurate"
    out = tmp_path / "o.jsonl"
    batch = runner.invoke(app, ["batch", "--no-progress", str(src), "--out", str(out)])
    assert batch.exit_code == 0 and json.loads(out.read_text().splitlines()[0])["meta"]["tier"] == "fast"


def test_default_falls_back_with_a_notice_when_the_weights_are_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(tier, "_default", "auto")
    monkeypatch.setattr(tier, "missing", lambda *a: "the accurate tier's weights are missing (test)")
    monkeypatch.setattr(tier, "_noticed", False)
    src = tmp_path / "a.txt"
    src.write_text(REPORTED + "\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", "-f", "json", str(src)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["meta"]["tier"] == "fast"
    assert "notice" in result.stderr and result.stderr.strip().count("\n") == 0
