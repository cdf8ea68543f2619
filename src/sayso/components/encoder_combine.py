"""How the accurate tier's encoder predictions combine with the rules (one home for each rule).

Each function reads what ``sayso_encoder`` wrote and returns None when it did not run, so the
component that calls it keeps its fast-tier behaviour unchanged:

- ``attribution_spans``: the encoder's source / cue / content spans, in the form the attribution
  tagger gives them; the attribution component's rules then link, complete and type them as before.
- ``uncertainty``: whether a sentence is uncertain and which words make it so; ``status_of`` turns
  an "asserted" sentence the encoder flags into "hedged" (hedges inside what a source said stay the
  source's: an attributed sentence keeps its status), with the words as hedge cues;
  ``fast_hedges`` says whether the fast tier's hedge model still runs beside it; ``gate_cues``
  lets the encoder overrule the lexicon's hedge and weasel cues (mode "gate").
- ``checkworthy``: whether the sentence is check-worthy and its score, from the encoder's
  probability alone or from the mean of it and the fast tier's (as ``combine`` says; thresholds
  chosen on train).
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from sayso.components.encoder import COMBINE, SENTENCES, TAGS
from sayso.report_model import UNCERTAIN_CUE_KINDS
from sayso.types import Cue, SentenceInfo

KIND = {"source": "SOURCE", "cue": "CUE", "content": "CONTENT"}
MODEL_HEDGE = "hedge"  # the cue kind the encoder's uncertainty words get


def attribution_spans(doc: Doc) -> list[tuple[str, int, int]] | None:
    """(label, start token, end token) of the encoder's spans (labels as the tagger's: CUE,
    SOURCE, CONTENT), or None when the encoder did not run over this doc or its spans are not
    used."""
    tags = doc._.get(TAGS) if Doc.has_extension(TAGS) else None
    if tags is None or not _combine(doc, "spans"):
        return None
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
    return out


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
    return _combine(doc, "uncertain") not in ("encoder", "gate")


def uncertainty(doc: Doc, i: int) -> tuple[bool, list[tuple[int, int]]] | None:
    """(uncertain, char spans of the words that make it so) of sentence ``i``, or None when the
    encoder did not run or its judgement is not used."""
    info = _sentence(doc, i)
    if info is None or _combine(doc, "uncertain") == "fast":
        return None
    flagged = bool(info["is_uncertain"])
    spans = [(doc[t].idx, doc[t].idx + len(doc[t])) for t in info["uncertain_cues"]] if flagged else []
    return flagged, spans


def gate_cues(doc: Doc, i: int, info: SentenceInfo) -> None:
    """With ``uncertain`` = "gate", the encoder decides whether sentence ``i`` is uncertain: the
    lexicon's hedge and weasel cues stay only where it judges the sentence uncertain (the lexicon
    then points at the words). Anything else, and the other tiers, leave the cues alone."""
    found = uncertainty(doc, i)
    if found is not None and not found[0] and _combine(doc, "uncertain") == "gate":
        info.cues[:] = [c for c in info.cues if c.kind not in UNCERTAIN_CUE_KINDS]


def status_of(doc: Doc, i: int, info: SentenceInfo, status: str) -> str:
    """The status of sentence ``i`` once the encoder is heard: an asserted sentence it flags as
    uncertain becomes hedged and gets its words as hedge cues (added to ``info.cues``)."""
    found = uncertainty(doc, i)
    if found is None or not found[0] or status != "asserted":
        return status
    have = {(c.start, c.end) for c in info.cues}
    info.cues.extend(Cue(MODEL_HEDGE, s, e) for s, e in found[1] if (s, e) not in have)
    info.cues.sort(key=lambda c: (c.start, -c.end, c.kind))
    return "hedged"


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
