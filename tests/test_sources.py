"""Sources are linked to the entity at the head of their phrase (sayso.coref.sources), and
``sayso eval sources`` measures it."""

from __future__ import annotations

import pytest

from sayso import extensions


def source_of(analyze, text: str, cue: str) -> tuple[str | None, str | None, bool]:
    """(source phrase, linked entity's name, anonymous?) of the attribution whose cue is ``cue``."""
    report = analyze(text)
    names = {e["id"]: e["name"] for e in report["entities"]}
    att = next(a for a in report["attributions"] if a["cue"]["text"] == cue)
    src = att["source"]
    status = report["sentences"][att["sentence"]]["status"]
    return (src["text"] if src else None), names.get(src["entity"]) if src else None, status == "anonymous"


def test_appositive_links_the_named_person(analyze) -> None:
    text = "Dmitry Peskov, press secretary for Vladimir Putin, told reporters that the talks had stalled."
    phrase, name, anonymous = source_of(analyze, text, "told")
    assert phrase and phrase.startswith("Dmitry Peskov")
    assert name == "Dmitry Peskov" and not anonymous


def test_spokesman_for_someone_is_not_that_someone(analyze) -> None:
    text = "Vladimir Putin met the envoy on Monday. A spokesman for Putin said the meeting went well."
    phrase, name, anonymous = source_of(analyze, text, "said")
    assert phrase == "A spokesman for Putin"
    assert name is None and anonymous


def test_someones_campaign_is_the_campaign(analyze) -> None:
    text = "Mitt Romney spoke in Ohio. Romney's campaign said the polls were wrong."
    phrase, name, anonymous = source_of(analyze, text, "said")
    assert phrase == "Romney's campaign"
    assert name is None and not anonymous  # identifiable, but not Romney himself


def test_possessive_pronoun_source_is_the_noun(analyze) -> None:
    text = "Senator Jane Holt lost the vote. Her aides said she would try again."
    phrase, name, anonymous = source_of(analyze, text, "said")
    assert phrase == "Her aides"
    assert name is None and anonymous


def test_officials_in_a_place_are_unnamed(analyze) -> None:
    text = "Officials in Ukraine said the bridge was destroyed overnight."
    phrase, name, anonymous = source_of(analyze, text, "said")
    assert phrase == "Officials in Ukraine"
    assert name is None and anonymous


@pytest.mark.parametrize(
    "text,phrase",
    [
        ("Some Republican leaders said the bill would fail.", "Some Republican leaders"),
        ("Middle East experts said the ceasefire would not hold.", "Middle East experts"),
    ],
)
def test_unnamed_groups_with_a_name_as_modifier(analyze, text, phrase) -> None:
    got, name, anonymous = source_of(analyze, text, "said")
    assert got == phrase and name is None and anonymous


def test_coordinated_sources_link_the_first_conjunct(analyze) -> None:
    text = "Angela Merkel and Emmanuel Macron said the summit had been a success."
    phrase, name, anonymous = source_of(analyze, text, "said")
    assert phrase and "Merkel" in phrase and "Macron" in phrase
    assert name == "Angela Merkel" and not anonymous


def test_a_role_description_becomes_a_mention_of_the_person(nlp) -> None:
    text = "The plan came from Maria Okafor, a hydrologist at the Lagos Water Institute. The hydrologist said the dam was safe."
    doc = nlp(text)
    okafor = next(e for e in extensions.entities(doc) if e.name == "Maria Okafor")
    att = next(a for a in extensions.attributions(doc) if text[a.cue[0] : a.cue[1]] == "said")
    assert att.source_entity == okafor.id
    assert att.source in okafor.mentions


def test_eval_sources_scores_the_head_test(tmp_path) -> None:
    from sayso.eval import sources

    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    text = "Dmitry Peskov, press secretary for Putin, said the talks had stalled. Some Republican leaders said no."
    (tmp_path / "text" / "a.txt").write_text(text, encoding="utf-8")
    src1, cue1, con1 = "Dmitry Peskov, press secretary for Putin,", "said", "the talks had stalled"
    s1, c1, t1 = text.index(src1), text.index(cue1), text.index(con1)
    src2 = "Some Republican leaders"
    s2, c2 = text.index(src2), text.index("said", text.index(src2))
    ann = [
        f"T1\tSource {s1} {s1 + len(src1)}\t{src1}",
        f"T2\tCue {c1} {c1 + 4}\t{cue1}",
        f"T3\tContent {t1} {t1 + len(con1)}\t{con1}",
        f"T4\tSource {s2} {s2 + len(src2)}\t{src2}",
        f"T5\tCue {c2} {c2 + 4}\tsaid",
        f"T6\tContent {c2 + 5} {c2 + 7}\tno",
        f"T7\tAttribution {c1} {c1 + 4}\tsaid",
        "E1\tAttribution:T7 Content:T3 Cue:T2 Source:T1",
        f"T8\tAttribution {c2} {c2 + 4}\tsaid",
        "E2\tAttribution:T8 Content:T6 Cue:T5 Source:T4",
    ]
    (tmp_path / "attributions" / "a.ann").write_text("\n".join(ann) + "\n", encoding="utf-8")
    scores = sources.run(tmp_path, with_errors=True)
    summary = scores.summary()
    assert summary["linked_sources"] >= 1 and summary["linked_pass_head_test"] == 100.0
    assert summary["gold_named_sources"] == 1 and summary["gold_named_linked_to_that_entity"] == 100.0
    assert summary["gold_unnamed_sources"] == 1 and summary["gold_unnamed_linked_to_an_entity"] == 0.0
    assert scores.errors == []
