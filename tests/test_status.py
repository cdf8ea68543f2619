"""sayso_status: precedence of hedge, attribution and anonymity; evaluative from the outlet's voice."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from sayso import extensions
from sayso.components.status import decide
from sayso.types import Attribution, Cue, SentenceInfo


@pytest.fixture
def status_of(nlp, parse_cues):
    def run(text: str, attributions: list[Attribution] | None = None) -> Doc:
        return nlp.get_pipe("sayso_status")(parse_cues(text, attributions))

    return run


def att(text: str, cue: str, source: str | None, content: str | None = None, anonymous: bool = False) -> Attribution:
    c = text.index(cue)
    s = text.index(source) if source else None
    span = (text.index(content), text.index(content) + len(content)) if content else None
    return Attribution(
        cue=(c, c + len(cue)),
        sentence=0,
        source=(s, s + len(source)) if source and s is not None else None,
        content=[span] if span else [],
        anonymous=anonymous,
    )


def test_plain_statement_is_asserted(nlp, status_of) -> None:
    info = extensions.sentences(status_of("The council approved the budget on Tuesday."))[0]
    assert (info.status, info.evaluative) == ("asserted", False)


def test_named_source_is_attributed(nlp, status_of) -> None:
    text = "The mayor said the budget was approved."
    info = extensions.sentences(status_of(text, [att(text, "said", "The mayor", "the budget was approved")]))[0]
    assert info.status == "attributed"


def test_outlet_hedge_wins_over_attribution(nlp, status_of) -> None:
    text = "His remarks are believed to have stressed the risks, the mayor said."
    info = extensions.sentences(status_of(text, [att(text, "said", "the mayor")]))[0]
    assert info.status == "hedged"


def test_hedge_in_content_stays_with_the_source(nlp, status_of) -> None:
    text = "The mayor said the budget will likely pass."
    info = extensions.sentences(status_of(text, [att(text, "said", "The mayor", "the budget will likely pass")]))[0]
    assert info.status == "attributed"


def test_anonymous_attribution_and_cues(nlp, status_of) -> None:
    text = "Officials said the border would stay closed."
    assert extensions.sentences(status_of(text))[0].status == "anonymous"
    a = att(text, "said", "Officials", "the border would stay closed", anonymous=True)
    assert extensions.sentences(status_of(text, [a]))[0].status == "anonymous"
    assert extensions.sentences(status_of("Critics argue the tax is unfair."))[0].status == "anonymous"


def test_evaluative_outlet_voice_only(nlp, status_of) -> None:
    doc = status_of("The deal underscores the limits of the law. The ban will likely hurt shops.")
    assert [i.evaluative for i in extensions.sentences(doc)] == [True, True]
    text = 'The mayor said: "The deal underscores the limits of the law."'
    assert extensions.sentences(status_of(text))[0].evaluative is False


def test_decide_precedence_table() -> None:
    named = Attribution(cue=(0, 1), sentence=0, source=(2, 3))
    anon = Attribution(cue=(0, 1), sentence=0, source=(2, 3), anonymous=True)
    sourceless = Attribution(cue=(0, 1), sentence=0)

    def info(*kinds: str) -> SentenceInfo:
        return SentenceInfo(0, 10, cues=[Cue(k, 0, 1) for k in kinds])

    assert decide(info("hedge"), [named]) == "hedged"
    assert decide(info("weasel"), [named]) == "attributed"
    assert decide(info(), [anon]) == "anonymous"
    assert decide(info(), [sourceless]) == "anonymous"
    assert decide(info("anonymous"), []) == "anonymous"
    assert decide(info("evaluative", "undisclosed"), []) == "asserted"
