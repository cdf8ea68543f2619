"""Where the outlet's own voice stops: quotations and the content of attributions."""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc

from sayso import extensions, quotes
from sayso.docindex import index


class Scope:
    """Answers: is this char span reported speech (the source's words), or the source's cue?"""

    def __init__(self, doc: Doc) -> None:
        reported = [(q.start, q.end) for q in quotes.regions(index(doc).text)]
        cues = []
        for att in extensions.attributions(doc):
            reported.extend(att.content)
            cues.append(att.cue)
        self.reported = _merge(reported)
        self._starts = [s for s, _ in self.reported]
        self.attribution_cues = cues

    def is_reported(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, start) - 1
        return i >= 0 and self.reported[i][1] >= end

    def overlaps_attribution_cue(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.attribution_cues)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
