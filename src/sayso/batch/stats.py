"""What a batch run did, datatrove-style: records by outcome, errors by reason, time by stage and
by spaCy component, words per second. Written to a stats file beside the outputs and printed at
the end of the run.

Stage times are seconds summed over the processes that did the work (with ``-p 2`` the worker
stages can add up to twice the wall time); ``read`` and ``write …`` are the main process's.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sayso.batch.work import Result, Seconds, add_seconds

T = TypeVar("T")


@dataclass
class Summary:
    analysed: int = 0
    errors: int = 0
    skipped: int = 0  # already done by an earlier run
    duplicates: int = 0  # ids seen twice in the input
    words: int = 0  # in the texts analysed by this run
    seconds: float = 0.0  # on the clock, for the whole run
    reasons: Counter[str] = field(default_factory=Counter)  # errors by reason
    stages: Seconds = field(default_factory=lambda: defaultdict(float))  # seconds by stage

    def add(self, result: Result, analysed: bool = True) -> None:
        """Count one chunk's result (``analysed`` False: its reports were held back, not counted)."""
        if analysed:
            self.analysed += len(result.ids) - len(result.errors)
            self.words += result.words
        self.errors += len(result.errors)
        self.reasons.update(result.reasons)
        add_seconds(self.stages, result.seconds)

    def as_json(self) -> dict[str, Any]:
        components = {k.split(":", 1)[1]: round(v, 3) for k, v in self.stages.items() if k.startswith("component:")}
        stages = {k: round(v, 3) for k, v in self.stages.items() if not k.startswith("component:")}
        stages["spaCy components"] = round(sum(components.values()), 3)
        return {
            "records": {
                "analysed": self.analysed,
                "errors": self.errors,
                "already_done": self.skipped,
                "duplicate_ids": self.duplicates,
            },
            "errors_by_reason": dict(self.reasons.most_common()),
            "words": self.words,
            "seconds": round(self.seconds, 3),
            "words_per_second": round(self.words / self.seconds, 1) if self.seconds else None,
            "stage_seconds": dict(sorted(stages.items(), key=lambda kv: -kv[1])),
            "component_seconds": dict(sorted(components.items(), key=lambda kv: -kv[1])),
        }


def timed(items: Iterable[T], stages: Seconds, stage: str) -> Iterator[T]:
    """``items``, adding the time spent producing each to ``stages[stage]``."""
    it = iter(items)
    while True:
        t0 = time.perf_counter()
        try:
            item = next(it)
        except StopIteration:
            stages[stage] += time.perf_counter() - t0
            return
        stages[stage] += time.perf_counter() - t0
        yield item


def stats_path(out: Path | None, db: Path | None, parquet: Path | None) -> Path | None:
    """Where the stats go: ``DIR/stats.json`` of --parquet, else ``NAME.stats.json`` beside --out or --db."""
    if parquet is not None:
        return parquet / "stats.json"
    first = out if out is not None else db
    return None if first is None else first.with_name(first.name.split(".", 1)[0] + ".stats.json")


def write(summary: Summary, path: Path | None) -> None:
    if path is not None:
        path.write_text(json.dumps(summary.as_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def report(s: Summary, path: Path | None = None) -> None:
    """The end-of-run lines on stderr: counts, errors by reason, where the time went."""
    parts = [f"{s.analysed} analysed", f"{s.errors} errors"]
    if s.words and s.seconds:
        parts[0] += f" ({s.words} words in {s.seconds:.0f} s, {s.words / s.seconds:.0f} words/s)"
    if s.skipped:
        parts.append(f"{s.skipped} already done")
    if s.duplicates:
        parts.append(f"{s.duplicates} duplicate ids skipped")
    lines = ["sayso batch: " + ", ".join(parts)]
    if s.reasons:
        lines.append("errors by reason: " + ", ".join(f"{reason} {n}" for reason, n in s.reasons.most_common()))
    data = s.as_json()
    total = sum(data["stage_seconds"].values()) or 1.0
    if s.stages:
        top = list(data["stage_seconds"].items())[:6]
        lines.append("time by stage: " + ", ".join(f"{k} {v:.1f} s ({v / total:.0%})" for k, v in top))
        comps = list(data["component_seconds"].items())[:5]
        if comps:
            lines.append("slowest components: " + ", ".join(f"{k} {v:.1f} s" for k, v in comps))
    if path is not None:
        lines.append(f"stats: {path}")
    print("\n".join(lines), file=sys.stderr)
