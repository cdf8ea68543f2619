"""The JSON Schema of a report: generated from ``sayso.report_model.Report``, shipped as
``schema.json`` (``sayso schema --write`` regenerates it; a test fails when the two drift), and
validation of JSON data against it."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from sayso.report_model import Report

SHIPPED = Path(__file__).resolve().parent / "schema.json"
HEADER = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://sayso.invalid/report.schema.json",
}
# Keywords whose value is a map of names to schemas, and those holding a schema or a list of them.
_NAMED = ("properties", "$defs")
_NESTED = ("items", "anyOf", "oneOf", "allOf", "additionalProperties")


def _drop_titles(node: Any, keep: bool = False) -> Any:
    """pydantic titles every field after its name ("Start"); they say nothing the name does not."""
    if isinstance(node, list):
        return [_drop_titles(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for k, v in node.items():
        if k == "title" and not keep:
            continue
        if k in _NAMED:
            out[k] = {name: _drop_titles(sub) for name, sub in v.items()}
        elif k in _NESTED:
            out[k] = _drop_titles(v)
        else:
            out[k] = v
    return out


def generate() -> dict[str, Any]:
    """The schema as the model defines it (what ``schema.json`` must hold)."""
    body = _drop_titles(Report.model_json_schema(mode="serialization"), keep=True)
    return {**HEADER, **body}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write(path: Path = SHIPPED) -> Path:
    path.write_text(dumps(generate()), encoding="utf-8")
    return path


@lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    """The shipped schema."""
    data = resources.files("sayso").joinpath("schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(data)
    return schema


def validate(report: dict[str, Any]) -> None:
    """Raises jsonschema.ValidationError when the report does not match the schema."""
    jsonschema.Draft202012Validator(load()).validate(report)


def errors(report: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(load())
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(report)]
