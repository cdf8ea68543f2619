"""The Doc state sayso's components leave is declared and serialisable: Doc.to_bytes, DocBin,
nlp.pipe(n_process=2), and a pipeline saved with nlp.to_disk and loaded elsewhere with spacy.load,
on both tiers."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import srsly
from spacy.tokens import Doc, DocBin

from sayso import extensions, pipeline
from sayso.analyzer import Analyzer, Article

TEXTS = [
    "Mayor Ann Lee said on Monday that the bridge was safe. She added that repairs would start soon.",
    "Officials said „the plan failed“ on Monday. The mayor will likely resign.",
    "“We will not back down,” said Maria Lopez, a union leader, on 3 May 2024. The strike is expected to last.",
    "Dmitry Peskov, press secretary for Putin, told RIA Novosti that talks were allegedly planned for next week.",
]
SRC = str(Path(__file__).resolve().parent.parent / "src")


@pytest.fixture(scope="module", params=["fast", "accurate"])
def nlp(request):
    """Both tiers keep the contract (this overrides the session's fast-tier pipeline here)."""
    return pipeline.shared(tier=request.param)


def digest(doc: Doc, exclude: tuple[str, ...] = ()) -> str:
    """Hash of ``Doc.to_bytes``. spaCy writes the Doc's own strings from a Python set, in an order
    that depends on the process's hash seed; they are hashed sorted, everything else as written."""
    strings = sorted(srsly.msgpack_loads(doc.to_bytes())["strings"])
    rest = doc.to_bytes(exclude=[*exclude, "strings"])
    return hashlib.sha256(rest + json.dumps(strings).encode()).hexdigest()


def test_every_component_declares_what_it_assigns_and_requires(nlp) -> None:
    analysis = nlp.analyze_pipes()
    assert analysis["problems"] == {name: [] for name in nlp.pipe_names}
    for name in nlp.pipe_names:
        if name.startswith("sayso_") and name != "sayso_linebreaks":
            assert analysis["summary"][name]["assigns"], name
    assert "doc._.sayso_entities" in analysis["summary"]["sayso_attribution"]["requires"]


def test_analyze_pipes_warns_when_the_order_is_wrong(nlp) -> None:
    import spacy

    from sayso.pipeline import MODEL

    wrong = spacy.load(MODEL)
    wrong.add_pipe("sayso_status")
    wrong.add_pipe("sayso_cues")
    problems = wrong.analyze_pipes()["problems"]
    assert "doc._.sayso_sentences" in problems["sayso_status"]


def test_extensions_are_namespaced_and_json(nlp) -> None:
    doc = nlp(TEXTS[0])
    names = {key[1] for key in doc.user_data if isinstance(key, tuple) and key[0] == "._."}
    assert names and all(name.startswith("sayso_") for name in names)
    assert not [k for k in doc.user_data if not (isinstance(k, tuple) and k[0] == "._.")]
    for name in extensions.NAMES:
        value = doc._.get(name)
        assert json.loads(json.dumps(value)) == json.loads(json.dumps(value, sort_keys=True))
    assert extensions.attributions(doc) and extensions.entities(doc)


def test_doc_to_bytes_round_trip(nlp) -> None:
    doc = nlp(TEXTS[2])
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert back.to_bytes() == doc.to_bytes()
    assert extensions.attributions(back) == extensions.attributions(doc)
    assert extensions.sentences(back) == extensions.sentences(doc)


def test_docbin_round_trip(nlp) -> None:
    docs = list(nlp.pipe(TEXTS))
    stored = DocBin(store_user_data=True, docs=docs).to_bytes()
    back = list(DocBin().from_bytes(stored).get_docs(nlp.vocab))
    # DocBin keeps no tensors (by design): everything else is identical
    assert [digest(d, ("tensor",)) for d in back] == [digest(d, ("tensor",)) for d in docs]
    assert [extensions.attributions(d) for d in back] == [extensions.attributions(d) for d in docs]
    assert all(extensions.attributions(d) for d in back)


def test_two_processes_give_identical_docs(nlp) -> None:
    one = [digest(d) for d in nlp.pipe(TEXTS)]
    two = [digest(d) for d in nlp.pipe(TEXTS, n_process=2, batch_size=1)]
    assert one == two


LOAD_SCRIPT = """
import hashlib, json, sys
import spacy
import srsly
import sayso
from sayso.analyzer import Analyzer, Article
nlp = spacy.load(sys.argv[1])
texts = json.loads(sys.stdin.read())
def digest(doc):
    strings = sorted(srsly.msgpack_loads(doc.to_bytes())["strings"])
    return hashlib.sha256(doc.to_bytes(exclude=["strings"]) + json.dumps(strings).encode()).hexdigest()
out = {
    "digests": [digest(d) for d in nlp.pipe(texts)],
    "reports": [Analyzer(nlp).analyze(Article(t, id="t")) for t in texts],
    "version": nlp.meta.get("sayso_version"),
}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def saved(nlp, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pipeline") / "sayso_model"
    nlp.to_disk(path)
    return path


def test_saved_pipeline_loads_in_a_fresh_process(nlp, saved) -> None:
    env = {**os.environ, "PYTHONPATH": SRC}
    env.pop("SAYSO_CUE_DIRS", None)
    run = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, str(saved)],
        input=json.dumps(TEXTS), capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    got = json.loads(run.stdout)
    import sayso

    assert got["version"] == sayso.__version__
    assert got["digests"] == [digest(d) for d in nlp.pipe(TEXTS)]
    assert got["reports"] == [Analyzer(nlp).analyze(Article(t, id="t")) for t in TEXTS]
    assert any(r["attributions"] for r in got["reports"])


def test_saved_pipeline_keeps_user_cue_lists(tmp_path) -> None:
    """Patterns from an extra folder travel inside the saved pipeline: the folder is not needed."""
    import shutil

    from sayso import pipeline

    extra = tmp_path / "cues"
    shutil.copytree(Path(__file__).parent / "fixtures" / "cues_extra", extra)
    nlp = pipeline.build(cue_dirs=[str(extra)])
    assert nlp.get_pipe_config("sayso_cues")["extra_cue_dirs"] == [str(extra)]
    nlp.to_disk(tmp_path / "model")
    shutil.rmtree(extra)
    text = "Pundits insist the race is over."
    before = extensions.sentences(nlp(text))
    import spacy

    loaded = spacy.load(tmp_path / "model", config={"components": {"sayso_cues": {"extra_cue_dirs": []}}})
    after = extensions.sentences(loaded(text))
    assert before == after
    assert before is not None and any(c.kind == "weasel" for c in before[0].cues)
