"""The report is a typed model; the shipped JSON Schema is generated from it and every report
matches it; a report missing a field, with a wrong value or an undeclared field does not."""

from __future__ import annotations

import copy
import json

import jsonschema
import pydantic
import pytest
from typer.testing import CliRunner

from sayso import schema
from sayso.cli import app
from sayso.report_model import Report

TEXTS = [
    "The minister said on Tuesday that taxes would rise, according to Reuters.",
    "Officials said the bridge allegedly collapsed. It is expected to reopen next month.\nThe mayor declined to comment.",
    "Andrei Beloусов visited the plant in 2024. He said: “We will build three more.”",
]


@pytest.mark.parametrize("text", TEXTS)
def test_reports_validate(analyze, text):
    schema.validate(analyze(text))
    schema.validate(analyze(text, published="2025-01-05"))


def test_shipped_schema_is_the_models():
    """Fails when report_model.py changed and schema.json was not regenerated (or the reverse):
    run `sayso schema --write src/sayso/schema.json`."""
    assert schema.load() == schema.generate()
    assert schema.SHIPPED.read_text(encoding="utf-8") == schema.dumps(schema.generate())


def test_every_field_is_required():
    defs = schema.load()["$defs"]
    for name, node in [("Report", schema.load()), *defs.items()]:
        if node.get("type") == "object":
            assert set(node["required"]) == set(node["properties"]), name
            assert node["additionalProperties"] is False, name


def test_the_typed_report_is_the_json_report(analyze, report_of):
    typed = report_of(TEXTS[1])
    assert typed.to_dict() == analyze(TEXTS[1])
    assert Report.model_validate(typed.to_dict()) == typed
    assert typed.sentences[0].status == typed.to_dict()["sentences"][0]["status"]


def test_missing_field_fails(analyze):
    report = analyze(TEXTS[0])
    for path in (("profile",), ("meta", "published"), ("sentences", 0, "status"), ("profile", "counts", "hedged")):
        broken = copy.deepcopy(report)
        target = broken
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
        with pytest.raises(jsonschema.ValidationError):
            schema.validate(broken)
        with pytest.raises(pydantic.ValidationError):
            Report.model_validate(broken)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("sentences", 0, "status"), "rumoured"),
        (("meta", "published"), "5 Jan 2025"),
        (("sentences", 0, "start"), -1),
        (("profile", "named_share"), 1.5),
        (("sentences", 0, "extra"), 1),
    ],
)
def test_wrong_value_fails(analyze, path, value):
    report = analyze(TEXTS[0])
    target = report
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    assert schema.errors(report)
    with pytest.raises(pydantic.ValidationError):
        Report.model_validate(report)


def test_schema_command_prints_the_schema():
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == schema.load()
    assert json.loads(result.output)["title"] == "sayso report"


def test_schema_command_writes_the_generated_schema(tmp_path):
    out = tmp_path / "schema.json"
    result = CliRunner().invoke(app, ["schema", "--write", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8")) == schema.generate()
    bad = CliRunner().invoke(app, ["schema", "--write", str(tmp_path / "no" / "such" / "dir.json")])
    assert bad.exit_code == 2 and "cannot write" in bad.output
