"""Readers and scores behind `sayso eval hedges` and `sayso eval checkworthy` (own tiny fixtures)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sayso.cli import app
from sayso.eval.checkworthy import read_tsv
from sayso.eval.hedges import detokenize, prf, read_sentences

DATA = Path(__file__).parent / "fixtures" / "eval_cues"


def test_detokenize_undoes_ptb() -> None:
    assert detokenize("The bridge -LRB- built in 1901 -RRB- is n't safe , he said .") == (
        "The bridge (built in 1901) isn't safe, he said."
    )
    assert detokenize("It is `` unsafe '' and costs .5 million .") == 'It is "unsafe" and costs .5 million.'


def test_read_sentences_skips_blank_lines() -> None:
    got = read_sentences(DATA / "uncertain.txt")
    assert len(got.texts) == 2
    assert got.texts[0].startswith("Some critics say the bridge (built")
    assert len(got.skipped) == 1 and ":2: blank line" in got.skipped[0]
    assert got.where == [f"{DATA / 'uncertain.txt'}:1", f"{DATA / 'uncertain.txt'}:3"]


def test_read_tsv_copes_with_crlf_and_glued_records() -> None:
    got = read_tsv(DATA / "sample.tsv")
    assert got.ids == ["1", "2", "3", "4"]
    assert got.labels == [True, False, True, False]
    assert got.texts[0] == "Unemployment fell to 4 percent last year."
    assert not any(t.endswith("\r") for t in got.texts)
    assert len(got.repaired) == 1 and ":4:" in got.repaired[0]
    assert len(got.skipped) == 1 and ":5:" in got.skipped[0]


def test_prf() -> None:
    r = prf([True, True, False, False], [True, False, True, False])
    assert (r["precision"], r["recall"], r["f1"]) == (50.0, 50.0, 50.0)
    assert prf([True], [False])["f1"] == 0.0


def test_cli_eval_checkworthy_scores_the_reports_claims() -> None:
    out = CliRunner().invoke(app, ["eval", "checkworthy", str(DATA / "sample.tsv"), "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["sentences"] == 4 and result["positive"] == 2
    # the two statements with figures are claims in sayso's reports, the greetings are not
    assert (result["tp"], result["fp"]) == (2, 0)
    assert result["speed"]["words"] == 20 and result["speed"]["words_per_second"] > 0
    assert len(result["repaired"]) == 1 and len(result["skipped"]) == 1


def test_cli_eval_hedges_scores_the_reports() -> None:
    out = CliRunner().invoke(app, ["eval", "hedges", str(DATA / "uncertain.txt"), str(DATA / "certain.txt"), "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["mode"].startswith("product path")
    # "Some critics say" (weasel) and "it is believed" (hedge) are uncertain in the reports; the
    # two plain statements are not
    assert (result["tp"], result["fp"], result["fn"]) == (2, 0, 0)
    assert len(result["skipped"]) == 1


def test_cli_eval_hedges_prints_scores_and_speed() -> None:
    out = CliRunner().invoke(app, ["eval", "hedges", str(DATA / "uncertain.txt"), str(DATA / "certain.txt")])
    assert out.exit_code == 0, out.output
    assert "P 100.00  R 100.00  F1 100.00" in out.output
    assert "words/s" in out.output and "skipped" in out.output


def test_cli_eval_missing_file(tmp_path) -> None:
    out = CliRunner().invoke(app, ["eval", "checkworthy", str(tmp_path / "none.tsv")])
    assert out.exit_code == 2


def test_eval_hedges_names_what_the_analyzer_refused(tmp_path) -> None:
    pos, neg = tmp_path / "uncertain.txt", tmp_path / "certain.txt"
    pos.write_text("Die Brücke wurde angeblich im Jahr 1901 gebaut und ist vermutlich nicht mehr sicher .\n", encoding="utf-8")
    neg.write_text("The bridge was built in 1901 .\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["eval", "hedges", str(pos), str(neg), "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["refused"] == [f"{pos}:1: unsupported language: the text reads as German (de); sayso analyses English, French and Russian news"]
    assert (result["tp"], result["fn"], result["speed"]["texts"]) == (0, 1, 1)
