"""Every report matches the shipped JSON Schema; a report missing a field does not."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from typer.testing import CliRunner

from sayso import schema
from sayso.cli import app

TEXTS = [
    "The minister said on Tuesday that taxes would rise, according to Reuters.",
    "Officials said the bridge allegedly collapsed. It is expected to reopen next month.\nThe mayor declined to comment.",
    "Andrei Beloусов visited the plant in 2024. He said: “We will build three more.”",
]


@pytest.mark.parametrize("text", TEXTS)
def test_reports_validate(analyze, text):
    schema.validate(analyze(text))
    schema.validate(analyze(text, published="2025-01-05"))


def test_missing_field_fails(analyze):
    report = analyze(TEXTS[0])
    for path in (("profile",), ("meta", "published"), ("sentences", 0, "status")):
        broken = copy.deepcopy(report)
        target = broken
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
        with pytest.raises(jsonschema.ValidationError):
            schema.validate(broken)


def test_wrong_type_fails(analyze):
    report = analyze(TEXTS[0])
    report["sentences"][0]["status"] = "rumoured"
    assert schema.errors(report)


def test_schema_command_prints_the_schema():
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "sayso report"
