"""The HTML page escapes article text and isolates bidi controls; the terminal summary shows the
profile, sources and findings, and prints article text literally, without control sequences."""

from __future__ import annotations

import io
import json

from rich.console import Console
from typer.testing import CliRunner

from sayso.cli import app
from sayso.render import html_page, safe, terminal

HOSTILE = (
    'The mayor said "<script>alert(1)</script> is fine" on Monday, according to the council.\n'
    "Critics said the <img src=x onerror=alert(2)> budget was too small.\n"
)
# A flagged (anonymous, hedged) sentence holding what Rich would read as markup.
MARKUP = "Officials said the plan [/b] allegedly failed and [bold]x[/bold] was to blame.\nThe plan is new.\n"
# Window title (OSC), clear screen (CSI), a bell, a C1 CSI introducer.
CONTROLS = "Officials said the plan \x1b]0;pwned\x07allegedly failed\x1b[2J at once \x9b31m today.\nThe plan is new.\n"
RLO = "\u202e"
BIDI = f"Officials said the plan {RLO}allegedly failed on Monday. The council met on Tuesday.\n"


def test_html_escapes_article_text(report_of, page_text):
    page = html_page.render(report_of(HOSTILE))
    assert "<script" not in page and "<img" not in page
    # the article's markup is still there, as text a reader sees
    assert "<script>alert(1)</script>" in page_text(page)
    assert "<img src=x onerror=alert(2)>" in page_text(page)


def test_html_escapes_metadata(report_of):
    report = report_of(HOSTILE)
    report.meta.title = "<script>x()</script>"
    page = html_page.render(report)
    assert "<script>x()" not in page and "&lt;script&gt;x()" in page


def test_html_shows_bidi_controls_instead_of_obeying_them(report_of, page_text):
    report = report_of(BIDI)
    report.meta.title = f"{RLO}title"
    page = html_page.render(report)
    assert RLO not in page  # nowhere: body, hovers, tables, <title>
    shown = page_text(page)
    assert "[U+202E]allegedly failed on Monday." in shown
    assert "The council met on Tuesday." in shown  # what follows is untouched, in order
    assert "unicode-bidi:isolate" in page


def test_html_page_via_cli(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(HOSTILE)
    result = CliRunner().invoke(app, ["analyze", str(p), "--format", "html"])
    assert result.exit_code == 0
    assert result.output.startswith("<!DOCTYPE html>")
    assert 'class="s ' in result.output


def test_terminal_summary_lists_profile_and_findings(report_of):
    report = report_of("Defense Minister Andrei Beloусов said the plan would work.\nThe plan is new.\n")
    counts = report.profile.counts
    assert counts.attributed == 1 and counts.asserted == 1
    text = terminal.to_text(report)
    assert "■ attributed 1" in text and "■ asserted 1" in text and "■ hedged 0" in text
    # the source, its cue and what it said, in the sources table
    table = text[text.index("Who says what") :]
    assert "Belousov" in table and "said" in table and "the plan would work" in table
    assert "Text integrity" in text and "mixed-script" in text and "Belousov" in text[text.index("Text integrity") :]


def test_terminal_prints_article_text_literally(report_of):
    report = report_of(MARKUP)
    assert report.profile.counts.anonymous + report.profile.counts.hedged >= 1  # the sentence is flagged
    text = terminal.to_text(report, width=300)
    flagged = text[text.index("need a second look") :]
    assert "[/b]" in flagged and "[bold]x[/bold]" in flagged


def test_terminal_markup_in_article_via_cli(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(MARKUP)
    result = CliRunner().invoke(app, ["analyze", str(p)], terminal_width=300)
    assert result.exit_code == 0, result.output
    assert "[bold]x[/bold]" in result.output


def test_terminal_removes_control_sequences(report_of):
    report = report_of(CONTROLS)
    assert report.profile.counts.anonymous + report.profile.counts.hedged >= 1
    out = io.StringIO()
    terminal.show(report, Console(file=out, width=300, force_terminal=True, color_system="standard"))
    shown = out.getvalue()
    for bad in ("\x1b]0;", "\x07", "\x1b[2J", "\x9b"):
        assert bad not in shown, repr(bad)
    assert "allegedly failed at once" in terminal.to_text(report, width=300)


def test_for_terminal_keeps_text_and_layout():
    assert safe.for_terminal("a\tb\nc\x00d\x1b[1;31me\x7f\x85") == "a\tb\ncde"
    assert safe.for_terminal(f"x{RLO}y") == "x[U+202E]y"


def test_json_format_is_the_report(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(HOSTILE)
    report = json.loads(CliRunner().invoke(app, ["analyze", str(p), "--format", "json"]).output)
    assert report["text"] == HOSTILE
    assert set(report) >= {"id", "meta", "sentences", "entities", "attributions", "times", "claims", "integrity", "profile"}
