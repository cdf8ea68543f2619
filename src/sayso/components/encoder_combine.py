"""How the accurate tier's encoder predictions combine with the rules (one home for each rule).

Each function reads what ``sayso_encoder`` wrote and returns None when it did not run, so the
component that calls it keeps its fast-tier behaviour unchanged:

- ``attribution_spans``: the encoder's source / cue / content spans (of the roles it is chosen for,
  ``span_roles``), in the form the attribution tagger gives them, and ``merge_spans`` to put them
  beside the tagger's of the other roles; the attribution component's rules then link, complete and
  type them as before.
- ``uncertainty``: whether a sentence is uncertain and which words make it so; ``status_of`` turns
  an "asserted" sentence the encoder flags into "hedged" (hedges inside what a source said stay the
  source's: an attributed sentence keeps its status), with the words as hedge cues;
  ``fast_hedges`` says whether the fast tier's hedge model still runs beside it. The encoder never
  overrules a hedge or weasel cue of the lexicon: it only adds uncertain sentences (a "gate" mode
  that let it remove them made "The mayor will likely resign." asserted, cue and all).
- ``checkworthy``: whether the sentence is check-worthy and its score, from the encoder's
  probability alone or from the mean of it and the fast tier's (as ``combine`` says; thresholds
  chosen on train).
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from sayso.components.encoder import COMBINE, SENTENCES, TAGS, roles_of
from sayso.lexicon import doubt
from sayso.types import Cue, SentenceInfo

KIND = {"source": "SOURCE", "cue": "CUE", "content": "CONTENT"}
MODEL_HEDGE = "hedge"  # the cue kind the encoder's uncertainty words get


def span_roles(doc: Doc) -> frozenset[str]:
    """The labels (CUE, SOURCE, CONTENT) whose spans come from the encoder for this doc; empty when
    it did not run over it or attribution keeps the tagger's spans."""
    roles = roles_of(_combine(doc, "spans"))
    if not roles or not Doc.has_extension(TAGS) or doc._.get(TAGS) is None:
        return frozenset()
    return frozenset(KIND[r] for r in roles)


def attribution_spans(doc: Doc) -> list[tuple[str, int, int]] | None:
    """(label, start token, end token) of the encoder's spans of the roles it gives
    (``span_roles``; labels as the tagger's: CUE, SOURCE, CONTENT), or None when it gives none."""
    roles = span_roles(doc)
    if not roles:
        return None
    tags = doc._.get(TAGS)
    out: list[tuple[str, int, int]] = []
    cur: tuple[str, int] | None = None
    last = -1  # the last token of the current span (white space inside a span is skipped over)
    for i, tag in enumerate([*tags, "O"]):
        if i < len(doc) and doc[i].is_space and tag == "O" and cur is not None and "\n" not in doc[i].text:
            continue
        kind = tag[2:] if tag != "O" else None
        if cur and (tag == "O" or tag.startswith("B-") or kind != cur[0]):
            out.append((KIND[cur[0]], cur[1], last + 1))
            cur = None
        if kind and (tag.startswith("B-") or cur is None):
            cur = (kind, i)
        if kind:
            last = i
    return [span for span in out if span[0] in roles]


def merge_spans(tagger: list[tuple[str, int, int]], encoder: list[tuple[str, int, int]], roles: frozenset[str]) -> list[tuple[str, int, int]]:
    """The encoder's spans of ``roles`` with the tagger's spans of the other roles, those that do
    not overlap one of the encoder's (the spans stay disjoint, as the tagger's are)."""
    kept = [s for s in tagger if s[0] not in roles and not any(s[1] < e and o < s[2] for _, o, e in encoder)]
    return sorted([*kept, *encoder], key=lambda s: (s[1], s[2]))


def confirms_cue(doc: Doc, source: tuple[int, int] | None, cue: tuple[int, int]) -> bool:
    """Whether an attribution (token ranges) stands: with ``cue_check``, one without a source needs
    the encoder to tag a word of its cue as a cue as well (the tagger's and the rules' sourceless
    cues are their weakest: "focuses on", "defeating", "is known as")."""
    tags = doc._.get(TAGS) if Doc.has_extension(TAGS) else None
    if source is not None or tags is None or not _combine(doc, "cue_check"):
        return True
    return any(tags[i].endswith("-cue") for i in range(*cue))


def _sentence(doc: Doc, i: int) -> dict | None:
    infos = doc._.get(SENTENCES) if Doc.has_extension(SENTENCES) else None
    return infos[i] if infos is not None and 0 <= i < len(infos) else None


def _combine(doc: Doc, task: str) -> Any:
    """The encoder's setting for ``task``, or None when it did not run over this doc."""
    rules = doc._.get(COMBINE) if Doc.has_extension(COMBINE) else None
    return None if rules is None else rules.get(task)


def fast_hedges(doc: Doc) -> bool:
    """Whether the fast tier's hedge model runs over this doc (not when the encoder replaces it)."""
    return _combine(doc, "uncertain") != "encoder"


def uncertainty(doc: Doc, i: int) -> tuple[bool, list[tuple[int, int]]] | None:
    """(uncertain, char spans of the words that make it so) of sentence ``i``, or None when the
    encoder did not run or its judgement is not used."""
    info = _sentence(doc, i)
    if info is None or _combine(doc, "uncertain") == "fast":
        return None
    flagged = bool(info["is_uncertain"])
    spans = [(doc[t].idx, doc[t].idx + len(doc[t])) for t in info["uncertain_cues"]] if flagged else []
    return flagged, spans


def status_of(doc: Doc, i: int, info: SentenceInfo, status: str) -> str:
    """The status of sentence ``i`` once the encoder is heard: an asserted sentence it flags as
    uncertain becomes hedged and gets its words as hedge cues (added to ``info.cues``): those of
    its words that can carry doubt (``lexicon.doubt``), or one ``model`` cue over the sentence."""
    found = uncertainty(doc, i)
    if found is None or not found[0] or status != "asserted":
        return status
    have = {(c.start, c.end) for c in info.cues}
    shown = _showable_spans(doc, found[1])
    if shown:
        info.cues.extend(Cue(MODEL_HEDGE, s, e) for s, e in shown if (s, e) not in have)
    else:
        info.cues.append(Cue(doubt.MODEL_KIND, info.start, info.end))
    info.cues.sort(key=lambda c: (c.start, -c.end, c.kind))
    return "hedged"


def _showable_spans(doc: Doc, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if not spans:
        return []
    ok = doubt.showable(doc)
    by_start = {t.idx: t.i for t in doc}
    return [(s, e) for s, e in spans if s in by_start and ok[by_start[s]]]


def checkworthy(doc: Doc, i: int, fast_score: float) -> tuple[bool, float] | None:
    """(check-worthy, score) of sentence ``i`` once the encoder is heard, or None when it did not
    run or its judgement is not used (the fast tier's ``fast_score`` decides alone)."""
    info = _sentence(doc, i)
    mode = _combine(doc, "checkworthy")
    if info is None or mode == "fast":
        return None
    if mode == "mean":
        score = (fast_score + float(info["checkworthy"])) / 2
        return score >= float(doc._.get(COMBINE)["checkworthy_threshold"]), score
    return bool(info["is_checkworthy"]), float(info["checkworthy"])
