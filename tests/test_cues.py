"""sayso_cues: lexicon format, each cue family, scope of reported speech, user-extended lists."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Doc

from sayso import extensions
from sayso.components.cues import CuesComponent
from sayso.lexicon import patterns
from sayso.types import Attribution

EXTRA = Path(__file__).parent / "fixtures" / "cues_extra"


def cues_of(doc: Doc, i: int = 0) -> list[tuple[str, str]]:
    return [(c.kind, doc.text[c.start : c.end]) for c in extensions.sentences(doc)[i].cues]


def kinds(doc: Doc, i: int = 0) -> set[str]:
    return {k for k, _ in cues_of(doc, i)}


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("The mayor allegedly took bribes from a builder.", "hedge", "allegedly"),
        ("The bridge is expected to open next spring.", "hedge", "is expected to"),
        ("The bridge is believed to have cost twice its budget.", "hedge", "is believed to"),
        ("The strike may spread to other ports.", "hedge", "may"),
        ("Critics argue that the tax falls hardest on farmers.", "weasel", "Critics argue"),
        ("Many experts believe the dam is unsafe.", "weasel", "Many experts believe"),
        ("It is widely believed that the vote was rigged.", "weasel", "It is widely believed that"),
        ("Officials said the border would stay closed.", "anonymous", "Officials said"),
        ("Sources close to the minister described the talks as tense.", "anonymous", "Sources close to"),
        ("It was reported that the plant had closed.", "anonymous", "It was reported that"),
        ("The terms of the deal were not disclosed.", "undisclosed", "were not disclosed"),
        ("A spokesman for the firm declined to comment.", "undisclosed", "declined to comment"),
        ("The ruling underscores the limits of the new law.", "evaluative", "underscores"),
        ("The ban therefore hurts small shops most.", "evaluative", "therefore"),
        ("The visit was a political statement.", "evaluative", "a political statement"),
        ("The deal is not only a trade pact but also a security pledge.", "evaluative", "not only"),
        ("The new line will likely carry ten thousand riders a day.", "prediction", "will likely"),
        ("The launch is expected to mark a milestone for the agency.", "prediction", "is expected to"),
    ],
)
def test_each_family(nlp, text: str, kind: str, words: str, parse_cues) -> None:
    found = cues_of(parse_cues(text))
    assert any(k == kind and words in t for k, t in found), found


@pytest.mark.parametrize(
    "text",
    [
        "The team is very proud of the new stadium.",
        "However, the museum opened on Monday.",
        "The council met on Tuesday and approved the budget.",
        "The memorial is set to be erected next year.",
        "The committee is currently evaluating potential sites.",
    ],
)
def test_plain_sentences_have_no_stance_cues(nlp, text: str, parse_cues) -> None:
    assert not kinds(parse_cues(text)) & {"hedge", "evaluative", "prediction", "weasel"}


def test_hedge_inside_quotation_belongs_to_the_source(nlp, parse_cues) -> None:
    doc = parse_cues('The mayor said: "The bridge will likely open in May." The tunnel will likely close.')
    assert "hedge" not in kinds(doc, 0)
    assert "hedge" in kinds(doc, 1)


def test_hedge_inside_attribution_content_belongs_to_the_source(nlp, parse_cues) -> None:
    text = "The mayor said the bridge will likely open in May."
    content = (text.index("the bridge"), len(text) - 1)
    cue = (text.index("said"), text.index("said") + 4)
    att = Attribution(cue=cue, sentence=0, source=(0, 9), content=[content])
    assert "hedge" not in kinds(parse_cues(text, [att]))
    assert "hedge" in kinds(parse_cues(text))


def test_reporting_verb_is_not_a_stance_cue(nlp, parse_cues) -> None:
    text = "The minister highlighted the risks of the plan."
    cue = (text.index("highlighted"), text.index("highlighted") + len("highlighted"))
    att = Attribution(cue=cue, sentence=0, source=(0, 12), kind="topic")
    assert "evaluative" not in kinds(parse_cues(text, [att]))
    assert "evaluative" in kinds(parse_cues(text))


def test_user_lists_extend_and_remove(nlp, parse_cues) -> None:
    extended = CuesComponent(nlp, [str(EXTRA)])
    doc = parse_cues("Pundits on cable television insist the race is over. Some say the race is over.", cues=extended)
    assert "weasel" in kinds(doc, 0)
    assert "weasel" not in kinds(doc, 1)  # the built-in pattern was removed by "!"
    assert "weasel" in kinds(parse_cues("Some say the race is over."))  # the shared pipeline is untouched


def test_user_lists_from_environment_go_into_the_config(monkeypatch) -> None:
    """$SAYSO_CUE_DIRS is read where the pipeline is built and kept in the component's config."""
    from sayso import pipeline

    monkeypatch.setenv(patterns.ENV_VAR, str(EXTRA))
    assert pipeline.configs() == {"sayso_cues": {"extra_cue_dirs": [str(EXTRA)]}}
    assert pipeline.configs(cue_dirs=[]) == {}
    monkeypatch.delenv(patterns.ENV_VAR)
    assert pipeline.configs() == {}


def test_config_option_on_add_pipe(nlp) -> None:
    import spacy

    blank = spacy.blank("en")
    pipe = blank.add_pipe("sayso_cues", config={"extra_cue_dirs": [str(EXTRA)]})
    assert any(p.text.startswith("pundits") for p in pipe.patterns)


def test_lexicon_errors(tmp_path) -> None:
    (tmp_path / "gossip.txt").write_text("they say\n")
    with pytest.raises(patterns.LexiconError):
        patterns.load([tmp_path])
    with pytest.raises(patterns.LexiconError):
        patterns.load([tmp_path / "missing"])
    with pytest.raises(patterns.LexiconError):
        patterns.parse_line("* alone", "hedge", "x:1")


def test_pattern_syntax() -> None:
    remove, pat = patterns.parse_line("[be] ?widely expected/VBN to  # comment", "hedge", "x:1") or (None, None)
    assert remove is False and pat is not None
    assert pat.tokens[0] == {"LEMMA": "be"}
    assert pat.tokens[1] == {"OP": "?", "LOWER": "widely"}
    assert pat.tokens[2] == {"TAG": "VBN", "LOWER": "expected"}
    assert patterns.parse_line("# only a comment", "hedge", "x:2") is None
    _, alt = patterns.parse_line("may|might/AUX", "hedge", "x:3") or (None, None)
    assert alt is not None and alt.tokens[0] == {"POS": "AUX", "LOWER": {"IN": ["may", "might"]}}


def test_every_sentence_gets_an_info(nlp, parse_cues) -> None:
    doc = parse_cues("One. Two is here. Three!")
    assert len(extensions.sentences(doc)) == len(list(doc.sents))


def test_pattern_matcher_gaps_optionals_and_sentence_bounds(nlp, parse_cues) -> None:
    from sayso.docindex import sentence_bounds
    from sayso.lexicon.match import PatternMatcher

    pats = [p for _, p in (patterns.parse_line(line, "weasel", "t") for line in ("?senior officials * [say]", "may/AUX")) if p]
    matcher = PatternMatcher(nlp.vocab, pats)
    doc = parse_cues("Senior officials in the city said so. Officials met. Then they said no. May is warm.")
    found = {(p.text, doc[s:e].text) for p, s, e in matcher(doc, sentence_bounds(doc))}
    assert ("?senior officials * [say]", "Senior officials in the city said") in found
    assert not any(t.startswith("Officials met") for _, t in found)  # no match across sentences
    assert not any(p == "may/AUX" for p, _ in found)  # the month is not the modal


def test_channel_statement_and_thus_far_are_not_evaluative(nlp, parse_cues) -> None:
    assert "evaluative" not in kinds(parse_cues("The company said in a statement that sales rose."))
    assert "evaluative" not in kinds(parse_cues("No charges have been filed thus far."))


def _word_model(nlp, word: str):
    """A hedge model that knows one word: strongly uncertain."""
    import numpy as np

    from sayso.classifiers import hedges
    from sayso.classifiers.linear import BITS, LinearModel, combine_arrays

    weights = np.zeros(1 << BITS, dtype=np.float32)
    weights[combine_arrays(hedges._W, np.array([nlp.vocab.strings[word]], dtype=np.uint64))] = 10.0
    return LinearModel(weights, -5.0, 0.5)


def test_hedge_model_flags_a_sentence_and_shows_the_word(nlp, parse_cues) -> None:
    cues = CuesComponent(nlp, hedge_threshold=0.5)
    cues.hedges = _word_model(nlp, "tentative")
    doc = parse_cues("The agreement is tentative. The council met.", cues=cues)
    assert cues_of(doc, 0) == [("hedge", "tentative")]
    assert cues_of(doc, 1) == []


def test_hedge_model_leaves_a_sources_words_to_the_source(nlp, parse_cues) -> None:
    text = "The minister said the agreement is tentative."
    cue = text.index("said")
    content = text.index("the agreement")
    att = Attribution(cue=(cue, cue + 4), sentence=0, source=(0, 12), content=[(content, len(text) - 1)])
    cues = CuesComponent(nlp, hedge_threshold=0.5)
    cues.hedges = _word_model(nlp, "tentative")
    assert cues_of(parse_cues(text, [att], cues=cues)) == []
    assert cues_of(parse_cues("“The agreement is tentative,” the minister said.", cues=cues)) == []


def test_hedge_model_can_be_switched_off(nlp) -> None:
    assert CuesComponent(nlp, hedge_model=False).hedges is None
    assert nlp.get_pipe("sayso_cues").hedges is not None
