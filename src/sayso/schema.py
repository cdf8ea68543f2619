"""The JSON Schema of a report, shipped with the package, and validation against it."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema


@lru_cache(maxsize=1)
def load() -> dict[str, Any]:
    data = resources.files("sayso").joinpath("schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(data)
    return schema


def validate(report: dict[str, Any]) -> None:
    """Raises jsonschema.ValidationError when the report does not match the schema."""
    jsonschema.Draft202012Validator(load()).validate(report)


def errors(report: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft202012Validator(load())
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(report)]
