"""The HTML page escapes article text; the terminal summary shows the profile and sources."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from htmltext import page_text
from sayso.cli import app
from sayso.render import html_page, terminal

HOSTILE = (
    'The mayor said "<script>alert(1)</script> is fine" on Monday, according to the council.\n'
    "Critics said the <img src=x onerror=alert(2)> budget was too small.\n"
)


def test_html_escapes_article_text(analyze):
    page = html_page.render(analyze(HOSTILE))
    assert "<script" not in page and "<img" not in page
    # the article's markup is still there, as text a reader sees
    assert "<script>alert(1)</script>" in page_text(page)
    assert "<img src=x onerror=alert(2)>" in page_text(page)


def test_html_escapes_metadata(analyze):
    report = analyze(HOSTILE)
    report["meta"]["title"] = "<script>x()</script>"
    page = html_page.render(report)
    assert "<script>x()" not in page and "&lt;script&gt;x()" in page


def test_html_page_via_cli(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(HOSTILE)
    result = CliRunner().invoke(app, ["analyze", str(p), "--format", "html"])
    assert result.exit_code == 0
    assert result.output.startswith("<!DOCTYPE html>")
    assert 'class="s ' in result.output


def test_terminal_summary_lists_profile_and_findings(analyze):
    report = analyze("Defense Minister Andrei Beloусов said the plan would work.\nThe plan is new.\n")
    text = terminal.to_text(report)
    assert "attributed" in text and "asserted" in text
    assert "Text integrity" in text and "Belousov" in text


def test_json_format_is_the_report(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(HOSTILE)
    report = json.loads(CliRunner().invoke(app, ["analyze", str(p), "--format", "json"]).output)
    assert report["text"] == HOSTILE
    assert set(report) >= {"id", "meta", "sentences", "entities", "attributions", "times", "claims", "integrity", "profile"}
