"""What the reader sees: whose words each sentence is (quotations over several sentences and
paragraphs, embedded posts, page debris), sentence ends inside titles, action verbs that are not
speech, and unnamed groups holding a view."""

from __future__ import annotations

import pytest

from sayso import pipeline
from sayso.analyzer import Analyzer, Article
from sayso.components import quote_reach
from sayso.components.attribution_rules import Found
from sayso.io.html import extract
from sayso.lexicon import debris, doubt


def sentences(report: dict, text: str) -> list[tuple[str, str]]:
    """(status, text without trailing white space) of each sentence."""
    return [(s["status"], text[s["start"] : s["end"]].strip()) for s in report["sentences"]]


def statuses(analyze, text: str) -> list[str]:
    return [s for s, _ in sentences(analyze(text), text)]


TREASURER = "Ana Ruiz, the company's treasurer"


@pytest.mark.parametrize(
    "text",
    [
        f'"Sales fell in March. We expect a rebound by June," said {TREASURER}.',
        f'"Sales fell in March. Costs rose. We expect a rebound by June," said {TREASURER}.',
        f'{TREASURER}, said: "Sales fell in March. We expect a rebound by June."',
        f'{TREASURER}, said: "Sales fell in March. Costs rose. We expect a rebound by June."',
    ],
    ids=["cue-after-2", "cue-after-3", "cue-before-2", "cue-before-3"],
)
def test_every_sentence_of_a_quotation_is_its_sources(analyze, text):
    report = analyze(text)
    assert len(report["sentences"]) >= 2
    assert all(s == "attributed" for s in statuses(analyze, text))
    (att,) = report["attributions"]
    covered = "".join(text[c["start"] : c["end"]] for c in att["content"])
    assert "Sales fell in March" in covered and "rebound by June" in covered


def test_a_quotation_left_open_runs_on_into_the_next_paragraph(analyze):
    text = (
        f'{TREASURER}, said: "Sales fell in March.\n\n'
        '"We expect a rebound by June. The board agrees."\n\n'
        "The shares closed higher on Friday."
    )
    report = analyze(text)
    assert statuses(analyze, text) == ["attributed", "attributed", "attributed", "asserted"]
    (att,) = report["attributions"]
    assert any("rebound by June" in text[c["start"] : c["end"]] for c in att["content"])


def test_a_continued_quotation_stays_with_its_source_not_the_nearest_cue(analyze):
    text = (
        f'{TREASURER} said the plant would close. "It is a hard day. About 300 jobs will go.\n\n'
        '"Talks with the union begin next week. We will help every worker find a job."\n\n'
        "The union did not comment."
    )
    report = analyze(text)
    owner = {}
    for a in report["attributions"]:
        for c in a["content"]:
            owner[text[c["start"] : c["end"]].strip('"')[:20]] = a["source"]["text"]
    assert owner["Talks with the union"] == TREASURER


def test_an_attribution_takes_the_whole_quotation_it_stands_in(nlp):
    text = '"The plant will close in May. About 300 jobs will go. We regret it," said Ana Ruiz.'
    doc = nlp(text)
    said = next(t.i for t in doc if t.text == "said")
    regret = next(t.i for t in doc if t.text == "We")
    found = [Found(cue=(said, said + 1), source=(said + 1, said + 3), content=[(regret, regret + 3)])]
    quote_reach.extend(doc, found)
    (content,) = found[0].content
    assert doc[content[0] : content[1]].text.startswith("The plant will close")
    assert doc[content[1] - 1].text in {"it", ","}


def test_a_closed_quotation_does_not_reach_the_next_paragraph(analyze):
    text = f'{TREASURER}, said: "Sales fell in March."\n\n"Prices are too high" is a common complaint.'
    assert statuses(analyze, text)[-1] != "attributed"


def test_unquoted_continuations_keep_their_own_attributions(analyze):
    text = "He added that the plan would cost more. She also said the budget was tight."
    report = analyze(text)
    assert statuses(analyze, text) == ["attributed", "attributed"]
    assert [text[a["cue"]["start"] : a["cue"]["end"]] for a in report["attributions"]] == ["added", "also said"]


def test_an_embedded_post_is_its_accounts_words(analyze):
    text = (
        "The mayor posted a message on Monday.\n\n"
        "We will rebuild the bridge by May.\nNobody will be left behind.\n\n"
        "— City Council (@CityCouncil) March 3, 2024\n\n"
        "The council met again on Tuesday."
    )
    report = analyze(text)
    (post,) = [a for a in report["attributions"] if a["channel"] and a["channel"]["text"] == "@CityCouncil"]
    assert post["source"]["text"] == "City Council"
    shown = [text[c["start"] : c["end"]] for c in post["content"]]
    assert shown == ["We will rebuild the bridge by May.\nNobody will be left behind."]
    by_text = dict((t, s) for s, t in sentences(report, text))
    assert by_text["We will rebuild the bridge by May."] == "attributed"
    assert by_text["The council met again on Tuesday."] == "asserted"


@pytest.mark.parametrize(
    "text",
    [
        "Rt. Hon. Jane Smith met Sen. John Doe on Monday.",
        "Lt. Col. Mark Jones and Gov. Ann Lee spoke to Prof. A. B. Brown.",
        "The report was written by J. R. Hartley and Supt. Dave Clark.",
    ],
)
def test_titles_and_initials_stay_inside_the_sentence(analyze, text):
    assert len(analyze(text)["sentences"]) == 1


def test_a_sentence_still_ends_after_a_title_that_ends_it(analyze):
    text = "The award went to Rep. Smith and the new Sen. The vote was close."
    assert len(analyze(text)["sentences"]) >= 1  # "Sen. The" may read either way; nothing breaks
    assert len(analyze("He met the Gov. on Monday. Then he left.")["sentences"]) == 2


@pytest.mark.parametrize(
    "text",
    [
        "The council resolved to observe a minute of silence.",
        "The mayor decided to close the road.",
        "The company plans to open two stores.",
    ],
)
def test_actions_and_decisions_are_not_speech(analyze, text):
    report = analyze(text)
    assert report["attributions"] == []
    assert statuses(analyze, text) == ["asserted"]


def test_a_decision_about_what_was_said_stays_speech(analyze):
    text = "The minister said she decided to resign."
    (att,) = analyze(text)["attributions"]
    assert text[att["cue"]["start"] : att["cue"]["end"]] == "said"


@pytest.mark.parametrize(
    "text",
    [
        "Analysts are of the view that rates will fall.",
        "Experts believe the drought will last.",
        "Critics argue the plan is flawed.",
    ],
)
def test_unnamed_groups_holding_a_view_are_anonymous_sources(analyze, text):
    report = analyze(text)
    assert statuses(analyze, text) == ["anonymous"]
    (att,) = report["attributions"]
    assert att["source"]["entity"] is None


def test_no_cue_is_a_function_word(analyze):
    text = "There have been many reports of delays. It is thought that the line will reopen."
    for s in analyze(text)["sentences"]:
        for c in s["cues"]:
            if c["kind"] != "model":
                assert not doubt.is_function_word(c["text"]), c


def test_function_words_are_told_from_words_that_hedge():
    assert all(doubt.is_function_word(w) for w in ["a", "of", "that", "There", "been", "is", "the"])
    assert not any(doubt.is_function_word(w) for w in ["some", "many", "may", "reportedly", "likely"])


# -- page debris ---------------------------------------------------------------------------------

DEBRIS_LINES = [
    "Sign up for our daily newsletter",
    "Click here to read the full report.",
    "12 comments",
    "Share this story",
    "Read more: Storm hits the coast",
    "© 2024 The Daily Planet. All rights reserved.",
    "If you buy something through our links, we may earn a commission.",
    "5 min read",
]
ARTICLE_LINES = [
    "The company launched a newsletter for investors in May.",
    "Readers left 12 comments on the council's proposal, the clerk said.",
    "She said she would share the data with regulators.",
    "The minister said the plan would be read more widely next year.",
]


@pytest.mark.parametrize("line", DEBRIS_LINES)
def test_debris_lines_are_debris(line):
    assert debris.is_debris(line)


@pytest.mark.parametrize("line", ARTICLE_LINES)
def test_article_sentences_are_not_debris(line):
    assert not debris.is_debris(line)


def test_debris_is_flagged_and_left_out_of_the_profile(analyze):
    text = "The mayor resigned on Monday.\nSign up for our daily newsletter\nThe council will meet on Friday."
    report = analyze(text)
    flagged = [text[s["start"] : s["end"]].strip() for s in report["sentences"] if s["debris"]]
    assert flagged == ["Sign up for our daily newsletter"]
    assert sum(report["profile"]["counts"].values()) == len(report["sentences"]) - 1
    assert all(not c for s in report["sentences"] if s["debris"] for c in [s["cues"]])
    assert not any(text[c["start"] : c["end"]].startswith("Sign up") for c in report["claims"] if "start" in c)


def test_extraction_drops_debris_lines():
    paragraphs = [
        "The mayor resigned on Monday after a month of protests over the new budget.",
        "Sign up for our daily newsletter",
        "The council will choose a successor at its meeting on Friday, officials said.",
        "Share this story",
    ]
    html = "<html><head><title>Mayor resigns</title></head><body><article>"
    html += "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>"
    text, _meta = extract(html)
    assert "mayor resigned" in text and "successor" in text
    assert "newsletter" not in text and "Share this story" not in text


# -- both tiers ----------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["fast", "accurate"])
def tier_analyzer(request):
    return Analyzer(pipeline.shared(tier=request.param))


@pytest.mark.parametrize("marks", ["„“", "“”", '""'])
def test_a_hedge_after_a_quotation_is_uncertain_in_both_tiers(tier_analyzer, marks):
    text = f"Officials said {marks[0]}the plan failed{marks[1]} on Monday. The mayor will likely resign."
    report = tier_analyzer.analyze(Article(text, id="t"))
    last = report["sentences"][-1]
    assert text[last["start"] : last["end"]].strip() == "The mayor will likely resign."
    assert last["status"] == "hedged"
    assert any(c["kind"] == "hedge" for c in last["cues"])


def test_a_quotation_over_sentences_is_attributed_in_both_tiers(tier_analyzer):
    text = f'"Sales fell in March. We expect a rebound by June," said {TREASURER}.'
    report = tier_analyzer.analyze(Article(text, id="t"))
    assert [s["status"] for s in report["sentences"]] == ["attributed", "attributed"]
