"""Scores reports against the annotated news paragraphs of ``annotations/news-*-dev.jsonl``: each
gold sentence's status, each named source, each time value, per language.

A gold record holds the paragraph (``text``, ``published``, ``language``) and, each located by a
piece of text (``in``) that occurs once in the paragraph:

- ``sentences``: the status a careful reader gives the sentence holding it;
- ``sources``: the named person or organisation a statement in that sentence is attributed to (a
  pronoun's source is the name it stands for);
- ``times``: a time expression (``text``) with its TIMEX3 value.

A status is right when the report's sentence holding the piece has it. A named source is right when
an attribution of that sentence has a source whose words or entity name equal the gold name (case
and a final genitive left aside: "Центробанка" is "Центробанк"'s form there). A time is right when the
report has an expression over the same words with the same value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sayso.analyzer import Article


def read(paths: Iterable[Path]) -> list[dict[str, Any]]:
    records = []
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as err:
                    raise ValueError(f"{path}:{n}: not JSON ({err.msg})") from err
    return records


def articles(records: list[dict[str, Any]]) -> list[Article]:
    return [Article(r["text"], id=r["id"], meta={"published": r.get("published")}) for r in records]


def _sentence(report: dict[str, Any], start: int) -> dict[str, Any] | None:
    for s in report.get("sentences", []):
        if s["start"] <= start < s["end"]:
            return s
    return None


def _same_name(a: str, b: str) -> bool:
    a, b = a.strip().lower(), b.strip().lower()
    return a == b or a.rstrip("аяуыеио") == b.rstrip("аяуыеио")


def score(records: list[dict[str, Any]], reports: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Per language: status, named-source and time accuracy, with every miss listed."""
    out: dict[str, Any] = {}
    for rec in records:
        lang = rec.get("language", "?")
        row = out.setdefault(lang, {"paragraphs": 0, "status": [0, 0], "sources": [0, 0], "times": [0, 0], "misses": []})
        row["paragraphs"] += 1
        report = reports.get(rec["id"])
        text = rec["text"]
        if report is None or "error" in report:
            row["misses"].append(f"{rec['id']}: no report ({(report or {}).get('error', 'missing')})")
        report = report if report is not None and "error" not in report else {}
        names = {e["id"]: e.get("name", "") for e in report.get("entities", [])}
        for gold in rec.get("sentences", []):
            sent = _sentence(report, text.index(gold["in"]))
            got = sent["status"] if sent else None
            row["status"][1] += 1
            if got == gold["status"]:
                row["status"][0] += 1
            else:
                row["misses"].append(f"{rec['id']}: status of {gold['in']!r}: {got}, gold {gold['status']}")
        for gold in rec.get("sources", []):
            sent = _sentence(report, text.index(gold["in"]))
            row["sources"][1] += 1
            found = []
            for att in report.get("attributions", []):
                if sent is None or not (sent["start"] <= att["cue"]["start"] < sent["end"]) or att.get("source") is None:
                    continue
                found.append(att["source"]["text"])
                found.append(names.get(att["source"].get("entity") or "", ""))
            if any(f and _same_name(f, gold["source"]) for f in found):
                row["sources"][0] += 1
            else:
                row["misses"].append(f"{rec['id']}: source of {gold['in']!r}: {[f for f in found if f]}, gold {gold['source']!r}")
        for gold in rec.get("times", []):
            start = text.index(gold["text"])
            end = start + len(gold["text"])
            row["times"][1] += 1
            got_values = [t.get("value") for t in report.get("times", []) if t["start"] < end and start < t["end"]]
            if gold["value"] in got_values:
                row["times"][0] += 1
            else:
                row["misses"].append(f"{rec['id']}: time {gold['text']!r}: {got_values}, gold {gold['value']}")
    for row in out.values():
        for key in ("status", "sources", "times"):
            right, total = row[key]
            row[key] = {"right": right, "total": total, "accuracy": round(right / total, 3) if total else None}
    return out


def format_table(result: dict[str, Any]) -> str:
    lines = ["language  paragraphs  status            named source      time value"]
    for lang, row in sorted(result.items()):
        cells = [f"{row[k]['accuracy']:.3f} ({row[k]['right']}/{row[k]['total']})" for k in ("status", "sources", "times")]
        lines.append(f"{lang:8s}  {row['paragraphs']:10d}  " + "  ".join(f"{c:16s}" for c in cells))
    for _, row in sorted(result.items()):
        lines.extend(f"miss {m}" for m in row["misses"])
    return "\n".join(lines)
