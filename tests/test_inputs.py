"""Bad input gets one clear line and exit 2; good input of each kind is read."""

from __future__ import annotations

import gzip
import json

import pytest
from typer.testing import CliRunner

from sayso.cli import app
from sayso.errors import InputError
from sayso.io import decode

runner = CliRunner()
ENGLISH = "The city council said on Monday that the new bridge would open next spring, officials confirmed.\n"


def run(*args: str, input: bytes | str | None = None):
    return runner.invoke(app, list(args), input=input)


def assert_refused(result, words: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("sayso: error:")
    assert words in lines[0]
    assert "Traceback" not in result.output


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("   \n")
    assert_refused(run("analyze", str(p)), "empty")


def test_binary_file(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(bytes(range(256)) * 10)
    assert_refused(run("analyze", str(p)), "binary")


def test_gzip_is_refused_as_binary(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(gzip.compress(ENGLISH.encode()))
    assert_refused(run("analyze", str(p)), "binary")


def test_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(decode, "MAX_BYTES", 100)
    p = tmp_path / "big.txt"
    p.write_text(ENGLISH * 5)
    assert_refused(run("analyze", str(p)), "too large")


def test_not_english_names_language(tmp_path):
    p = tmp_path / "de.txt"
    p.write_text(
        "Der Bürgermeister sagte am Montag, dass die neue Brücke im nächsten Frühjahr eröffnet werde. "
        "Die Stadtverwaltung bestätigte die Pläne und kündigte weitere Gespräche mit den Anwohnern an.",
        encoding="utf-8",
    )
    assert_refused(run("analyze", str(p)), "German")


def test_latin1_is_decoded(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes(("Café owners said the new rules were unfair. " * 3).encode("latin-1"))
    result = run("analyze", str(p), "--format", "json")
    assert result.exit_code == 0, result.output
    assert "Café" in json.loads(result.output)["text"]


def test_undecodable_bytes(monkeypatch):
    with pytest.raises(InputError, match=r"^binary input: this is not a text or HTML file$"):
        decode.decode(b"\x81\x8d\x8f\x90\x9d" * 3 + b"\xff\xfe\x00")

    class NoGuess:
        def best(self):
            return None

    monkeypatch.setattr(decode, "from_bytes", lambda data: NoGuess())
    with pytest.raises(InputError, match=r"^undecodable page\.txt: not UTF-8 and no text encoding could be detected$"):
        decode.decode(b"caf\xe9 \x81\x8d", "page.txt")


def test_missing_file():
    assert_refused(run("analyze", "/nonexistent/article.txt"), "no such file")


def test_bad_published_date(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ENGLISH)
    assert_refused(run("analyze", str(p), "--published", "04/09/2025"), "YYYY-MM-DD")


def test_stdin_and_published_override():
    result = run("analyze", "-", "--format", "json", "--published", "2025-09-04", input=ENGLISH)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["meta"]["published"] == "2025-09-04"
    assert report["text"] == ENGLISH
    assert report["id"] == "stdin"


def test_txt_keeps_line_breaks_and_id_is_file_stem(tmp_path):
    p = tmp_path / "story-1.txt"
    p.write_text("First line here, said the mayor.\nSecond line follows.\n")
    report = json.loads(run("analyze", str(p), "--format", "json").output)
    assert report["id"] == "story-1"
    assert report["text"] == p.read_text()
    assert len(report["sentences"]) == 2


def test_html_file_extracts_text_and_meta(tmp_path):
    page = """<!DOCTYPE html><html><head><title>Bridge to open</title>
    <meta property="og:site_name" content="Daily Example">
    <meta name="author" content="Jane Roe">
    <meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
    <body><nav>Home | World | Sport</nav><article><h1>Bridge to open</h1>
    <p>The city council said on Monday that the new bridge would open next spring.</p>
    <p>Engineers told reporters that the final inspection went well and that traffic could start in April.</p>
    <p>The mayor, who has backed the project for years, called it a turning point for the river district.</p>
    </article><footer>Copyright 2024</footer></body></html>"""
    p = tmp_path / "bridge.html"
    p.write_text(page)
    result = run("analyze", str(p), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert "new bridge would open" in report["text"]
    assert "Home | World" not in report["text"]
    assert report["meta"]["title"] == "Bridge to open"
    assert report["meta"]["published"] == "2024-03-05"
    assert report["meta"]["author"] == "Jane Roe"


def test_malformed_html_is_handled(tmp_path):
    p = tmp_path / "broken.html"
    p.write_text("<html><body><p>The minister said <b>the talks <i>failed</p></div></span>" * 3)
    result = run("analyze", str(p), "--format", "json")
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output


def test_text_over_spacy_limit(tmp_path, monkeypatch):
    from sayso import analyzer

    monkeypatch.setattr(analyzer, "MAX_CHARS", 50)
    p = tmp_path / "long.txt"
    p.write_text(ENGLISH)
    assert_refused(run("analyze", str(p)), "too long")


def test_internal_failure_is_one_line(tmp_path, monkeypatch):
    from sayso import report

    def boom(*args, **kwargs):
        raise RuntimeError("simulated")

    monkeypatch.setattr(report, "build", boom)
    p = tmp_path / "a.txt"
    p.write_text(ENGLISH)
    result = run("analyze", str(p))
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "simulated" in result.output
