"""Dated statements in order, with who made them: the timeline both views print."""

from __future__ import annotations

from typing import Any


def source_name(report: dict[str, Any], attribution: dict[str, Any]) -> str:
    src = attribution.get("source")
    if not src:
        return "(no source given)"
    names = {e["id"]: e["name"] for e in report["entities"]}
    return names.get(src.get("entity") or "", src["text"])


def entries(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per attribution whose sentence has a time value, sorted by that value."""
    out = []
    for a in report["attributions"]:
        if not a.get("time"):
            continue
        said = " … ".join(c["text"] for c in a["content"]) or a["cue"]["text"]
        out.append({"time": a["time"], "source": source_name(report, a), "cue": a["cue"]["text"], "said": said, "sentence": a["sentence"]})
    return sorted(out, key=lambda e: (e["time"].replace("X", "0"), e["sentence"]))
