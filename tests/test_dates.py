"""One strict date parser (sayso.dates) for the CLI, JSONL records, page metadata and the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sayso import dates
from sayso.batch import readers
from sayso.cli import app
from sayso.errors import InputError


@pytest.mark.parametrize(
    ("value", "day"),
    [("2024-05-02", "2024-05-02"), ("2024-05-02T10:00:00Z", "2024-05-02"), ("2024-02-29", "2024-02-29"),
     (" 2024-05-02 ", "2024-05-02"), ("2024-05-02T10:00:00+02:00", "2024-05-02")],  # fmt: skip
)
def test_real_dates_are_read(value, day):
    assert dates.parse_date(value) == day


@pytest.mark.parametrize(
    "value", ["2025-02-30", "2023-02-29", "04/09/2025", "2024-5-2", "20240502", "2024-05-02junk", "2024-05-02T25:00", "", "tomorrow"]
)
def test_anything_else_is_refused_naming_the_value(value):
    with pytest.raises(InputError) as err:
        dates.parse_date(value, "--published")
    assert repr(value) in str(err.value) and "--published" in str(err.value) and "YYYY-MM-DD" in str(err.value)
    assert err.value.reason == "bad date"


def test_a_page_date_that_is_no_date_is_none():
    assert dates.page_date("2025-02-30") is None and dates.page_date("May 2024") is None
    assert dates.page_date("2024-03-05T10:00:00Z") == "2024-03-05" and dates.page_date(None) is None


def test_cli_names_the_impossible_date(tmp_path: Path):
    p = tmp_path / "a.txt"
    p.write_text("The council said on Monday that the bridge would open.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(p), "--published", "2025-02-30"])
    assert result.exit_code == 2 and "'2025-02-30'" in result.output and "Traceback" not in result.output


def test_a_jsonl_record_with_an_impossible_date_is_an_error_record(tmp_path: Path):
    path = tmp_path / "feed.jsonl"
    rows = [{"id": "a", "text": "x", "published": "2025-02-30"}, {"id": "b", "text": "x", "published": "2024-05-02T10:00:00Z"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    bad, good = readers.read(path)
    assert bad.id == "a" and bad.reason == "bad date" and "'2025-02-30'" in (bad.error or "")
    assert good.error is None and good.meta["published"] == "2024-05-02"


@pytest.mark.parametrize(("found", "published"), [("2025-02-30", None), ("2024-13-01", None), ("2024-03-05", "2024-03-05")])
def test_a_page_with_an_unparseable_date_has_no_date(monkeypatch, found, published):
    from types import SimpleNamespace

    from sayso.io import html

    page = SimpleNamespace(text="The council met.", title="T", author=None, sitename=None, url=None, date=found)
    monkeypatch.setattr(html.trafilatura, "bare_extraction", lambda *a, **k: page)
    assert html.extract("<html></html>")[1]["published"] == published
