"""The brat reader and `sayso eval attribution` scoring, on a tiny fixture written for the tests."""

from __future__ import annotations

from pathlib import Path

from sayso.eval import attribution as ev
from sayso.eval import brat

FOLDER = Path(__file__).parent / "fixtures" / "brat"
STEM = "town_2020-01-01_bridge"


def _gold() -> tuple[list[brat.GoldText], brat.ReadLog]:
    log = brat.ReadLog()
    return brat.read_dir(FOLDER, log), log


def test_reader_copes_with_flaws_and_says_what_it_skipped() -> None:
    golds, log = _gold()
    assert [g.id for g in golds] == [STEM]
    assert golds[0].annotator_file.endswith("_aa01.ann")  # first annotator in name order
    atts = golds[0].attributions
    assert len(atts) == 3
    assert len(atts[1].content) == 2  # a discontinuous content is a list of fragments
    assert atts[2].source == []  # Attribution-no-source
    assert log.counts["T line continued on the next line (joined)"] == 1
    assert log.counts["Discuss span ignored"] == 1
    assert log.counts["further annotators of a text ignored"] == 1


def test_normalize_trims_punctuation_and_quote_marks() -> None:
    text = "“We have enough water,”"
    assert ev.normalize(text, [(0, len(text))]) == ((1, 21),)


def _attributions_of_gold(g: brat.GoldText) -> list[dict]:
    """The gold attributions as a report's (first source fragment, first cue fragment)."""

    def span(frags: list[tuple[int, int]]) -> list[dict]:
        return [{"text": g.text[s:e], "start": s, "end": e} for s, e in frags]

    return [
        {
            "id": f"a{i}",
            "source": {**span(a.source)[0], "entity": None} if a.source else None,
            "cue": span(a.cue)[0],
            "content": span(a.content),
            "channel": None,
            "kind": "indirect",
            "sentence": 0,
            "time": None,
        }
        for i, a in enumerate(g.attributions)
    ]


def test_perfect_and_empty_reports(make_report) -> None:
    golds, _ = _gold()
    meta = brat.read_metadata(FOLDER)
    perfect = ev.evaluate(golds, {STEM: make_report(golds[0].text, STEM, attributions=_attributions_of_gold(golds[0]))}, meta)
    for part in ev.PARTS:
        assert perfect["exact"][part]["f1"] == 100.0
    assert perfect["whole"]["share_of_gold"] == 100.0
    assert perfect["by_publisher"]["town-crier"]["cue"]["f1"] == 100.0
    empty = ev.evaluate(golds, {}, meta)
    assert empty["exact"]["source"]["f1"] == 0.0 and empty["texts_without_report"] == 1


def test_overlap_counts_a_partly_right_span(make_report) -> None:
    golds, _ = _gold()
    atts = _attributions_of_gold(golds[0])
    first = atts[0]["content"][0]
    atts[0]["content"] = [{"text": golds[0].text[first["start"] + 4 : first["end"]], "start": first["start"] + 4, "end": first["end"]}]
    rep = make_report(golds[0].text, STEM, attributions=atts)
    result = ev.evaluate(golds, {STEM: rep}, {})
    assert result["exact"]["content"]["r"] < 100.0
    assert result["overlap"]["content"]["r"] == 100.0
    assert "town-crier" in ev.format_table(ev.evaluate(golds, {STEM: rep}, brat.read_metadata(FOLDER)))


def test_cli_scores_given_reports(tmp_path: Path, make_report) -> None:
    import json

    from typer.testing import CliRunner

    from sayso.cli import app

    golds, _ = _gold()
    reports = tmp_path / "reports.jsonl"
    report = make_report(golds[0].text, STEM, attributions=_attributions_of_gold(golds[0]))
    error_row = {"id": "other", "error": "empty input"}
    reports.write_text(json.dumps(report.to_dict()) + "\n" + json.dumps(error_row) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "attribution", str(FOLDER), "--reports", str(reports), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["exact"]["content"]["f1"] == 100.0
    assert scores["skipped"]["Discuss span ignored"] == 1
    assert scores["skipped"]["error row in the reports skipped"] == 1
    missing = CliRunner().invoke(app, ["eval", "attribution", str(tmp_path)])
    assert missing.exit_code == 2
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x", "attributions": []}\n', encoding="utf-8")
    bad = CliRunner().invoke(app, ["eval", "attribution", str(FOLDER), "--reports", str(broken)])
    assert bad.exit_code == 2 and "broken.jsonl:1: not a sayso report" in bad.output


def test_cli_analyses_the_texts_as_batch_does() -> None:
    import json

    from typer.testing import CliRunner

    from sayso.cli import app

    result = CliRunner().invoke(app, ["eval", "attribution", str(FOLDER), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["texts_without_report"] == 0
    assert scores["counts"]["cue"]["pred"] >= 1 and scores["exact"]["cue"]["f1"] > 0
    assert scores["speed"]["texts"] == 1 and scores["speed"]["words_per_second"] > 0


def test_errors_by_kind(make_report) -> None:
    from sayso.eval import attribution_errors as errs

    golds, _ = _gold()
    g = golds[0]
    perfect = errs.table(golds, {STEM: make_report(g.text, STEM, attributions=_attributions_of_gold(g))})["kinds"]
    with_content = sum(1 for a in g.attributions if a.content)
    with_source = sum(1 for a in g.attributions if a.source)
    assert perfect["content exact"] == with_content and perfect["source exact"] == with_source
    assert perfect["no cue found"] == 0 and perfect["attribution where gold has none"] == 0
    assert errs.table(golds, {})["kinds"]["no cue found"] == len(g.attributions)
    # the first attribution without its source and content, and one more cue gold does not have
    atts = _attributions_of_gold(g)
    atts[0]["source"], atts[0]["content"] = None, []
    atts.append({**atts[1], "id": "extra", "cue": {"text": g.text[0:3], "start": 0, "end": 3}})
    kinds = errs.table(golds, {STEM: make_report(g.text, STEM, attributions=atts)})["kinds"]
    assert (kinds["content missed"], kinds["source missed"], kinds["attribution where gold has none"]) == (1, 1, 1)
    assert "no cue found" in errs.format_table(errs.table(golds, {}))
