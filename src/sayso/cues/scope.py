"""Where the outlet's own voice stops: quotations and the content of attributions."""

from __future__ import annotations

import re
from bisect import bisect_right

import numpy as np
from spacy.attrs import SENT_START
from spacy.tokens import Doc


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) token indices of ``doc.sents``, read off the array (no Span objects made)."""
    if len(doc) == 0:
        return []
    flags = doc.to_array(SENT_START)
    starts = [0, *(int(i) for i in np.flatnonzero(flags[1:] == 1) + 1)]
    return list(zip(starts, [*starts[1:], len(doc)], strict=True))


OPEN_CLOSE = {"“": "”", "«": "»", "„": "“"}
STRAIGHT = '"'
_QUOTE_OR_BREAK = re.compile('["“”«»„]|\\n[ \\t]*\\n')


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Spans between paired double quotation marks (curly, guillemets or straight), marks included.

    Straight quotes pair up in order of appearance; an unpaired mark quotes nothing.
    """
    regions = []
    open_at: int | None = None
    closer = ""
    for m in _QUOTE_OR_BREAK.finditer(text):
        i, ch = m.start(), m.group(0)
        if open_at is None:
            if ch in OPEN_CLOSE:
                open_at, closer = i, OPEN_CLOSE[ch]
            elif ch == STRAIGHT:
                open_at, closer = i, STRAIGHT
        elif ch == closer:
            regions.append((open_at, i + 1))
            open_at = None
        elif ch.startswith("\n"):
            open_at = None  # a quotation does not run over a paragraph break unclosed
    return regions


class Scope:
    """Answers: is this char span reported speech (the source's words), or the source's cue?"""

    def __init__(self, doc: Doc) -> None:
        reported = quoted_regions(doc.text) if ('"' in doc.text or "“" in doc.text or "«" in doc.text) else []
        cues = []
        for att in doc._.attributions or []:
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
