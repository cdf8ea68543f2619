"""Dated statements in order, with who made them: the timeline both views print."""

from __future__ import annotations

from dataclasses import dataclass

from sayso.report_model import Attribution, Report


@dataclass
class Entry:
    time: str
    source: str
    cue: str
    said: str
    sentence: int


def source_name(report: Report, attribution: Attribution) -> str:
    src = attribution.source
    if src is None:
        return "(no source given)"
    return report.entity_names().get(src.entity or "", src.text)


def content_text(attribution: Attribution) -> str:
    """The content, its pieces joined."""
    return " … ".join(c.text for c in attribution.content)


def said(attribution: Attribution) -> str:
    """The content; the cue when there is none."""
    return content_text(attribution) or attribution.cue.text


def entries(report: Report) -> list[Entry]:
    """One entry per attribution whose sentence has a time value, sorted by that value."""
    out = [
        Entry(a.time, source_name(report, a), a.cue.text, said(a), a.sentence)
        for a in report.attributions
        if a.time
    ]
    return sorted(out, key=lambda e: (e.time.replace("X", "0"), e.sentence))
