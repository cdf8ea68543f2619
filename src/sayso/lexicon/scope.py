"""Where the outlet's own voice stops: quotations and the content of attributions."""

from __future__ import annotations

from bisect import bisect_right

import numpy as np
from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

from sayso import extensions, quotes


class Scope:
    """Answers: is this char span reported speech (the source's words), or the source's cue?"""

    def __init__(self, doc: Doc) -> None:
        reported = [(q.start, q.end) for q in quotes.doc_regions(doc)]
        cues = []
        # sentences that report an unnamed source (or none): already anonymous
        self.unnamed_sentences: set[int] = set()
        for att in extensions.attributions(doc):
            reported.extend(att.content)
            cues.append(att.cue)
            if att.anonymous or att.source is None:
                self.unnamed_sentences.add(att.sentence)
        self.reported = _merge(reported)
        self._starts = [s for s, _ in self.reported]
        self.attribution_cues = cues

    def is_reported(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, start) - 1
        return i >= 0 and self.reported[i][1] >= end

    def overlaps_attribution_cue(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.attribution_cues)

    def own_voice_tokens(self, doc: Doc) -> np.ndarray:
        """Per token: True when the token is neither inside reported speech nor part of an
        attribution's cue (the same tests as the two above, over the whole Doc at once)."""
        cols = doc.to_array([IDX, LENGTH]).astype(np.int64).reshape(len(doc), 2)
        starts = cols[:, 0]
        ends = starts + cols[:, 1]
        own = np.ones(len(doc), dtype=bool)
        if self.reported:
            r_starts = np.array(self._starts, dtype=np.int64)
            r_ends = np.array([e for _, e in self.reported], dtype=np.int64)
            k = np.searchsorted(r_starts, starts, side="right") - 1
            inside = (k >= 0) & (r_ends[np.maximum(k, 0)] >= ends)
            own &= ~inside
        for s, e in self.attribution_cues:
            own &= ~((starts < e) & (s < ends))
        return own


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
