"""Where a source or content span begins and ends, as PolNeAR's annotators drew it.

The tagger and the parse rules find a span; whether it keeps a leading "that", its quote marks, the
comma before a closing mark, the final period or the comma that closes an apposition is a convention
of the annotation. These conventions are learned from PolNeAR train (``training/bounds_train.py``)
as a table: for one edge of a span (its role, left or right side, the class of the token just inside
and of the token just outside), move the edge in by one token, out by one token, or keep it. The
table ships as ``sayso/models/attribution/bounds.json`` with its cross-validation figures; an edge
moves while the table says so, at most ``MAX_STEPS`` tokens, and never over a line break.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

import numpy
from spacy.attrs import IS_SPACE
from spacy.tokens import Doc

BOUNDS_FILE = Path(__file__).resolve().parent.parent / "models" / "attribution" / "bounds.json"
MAX_STEPS = 3
IN, OUT = "in", "out"
Key = tuple[str, str, str, str]  # role, side ("L"/"R"), class inside the edge, class outside it
Table = dict[Key, str]

OPENING = frozenset({"“", "„", "«", "‘", "``"})
CLOSING = frozenset({"”", "»", "’", "''"})
AMBIGUOUS = frozenset({'"', "`", "'"})
PUNCT = frozenset({",", ".", ":", ";", "?", "!", "—", "–", "--", "-", "(", ")", "[", "]", "…", "..."})
WORDS = frozenset(
    """that and but or because if whether to as said says say saying told according he she they it who
    which the a an of in on for""".split()
)
LOOKAHEAD = frozenset({",", ".", "?", "!", ";", ":"})
NO_TOKEN = "^"  # the doc's edge, or a line break between the span and the next token


def edge_class(text: str) -> str:
    """What the table knows of one token: quote marks by direction, listed punctuation and function
    words as themselves, anything else by shape."""
    if text in OPENING:
        return "QO"
    if text in CLOSING:
        return "QC"
    if text in AMBIGUOUS:
        return "Q"
    low = text.lower()
    if text in PUNCT or low in WORDS:
        return low
    if not any(ch.isalnum() for ch in text):
        return "P"
    return "Cap" if text[:1].isupper() else "w"


def words(doc: Doc) -> list[int]:
    """Indices of the doc's tokens that are not white space."""
    return numpy.flatnonzero(doc.to_array(IS_SPACE) == 0).tolist()  # no Token objects: cheap


def _broken(doc: Doc, a: int, b: int) -> bool:
    """Whether a line break stands between tokens ``a`` and ``b``."""
    lo, hi = min(a, b), max(a, b)
    return "\n" in doc[lo].whitespace_ or any("\n" in doc[k].text_with_ws for k in range(lo + 1, hi))


def _outside(doc: Doc, idx: list[int], inner: int, outer: int, step: int) -> str:
    """The class of the token beyond an edge (positions in ``idx``; ``step`` -1 left, +1 right);
    ``NO_TOKEN`` past the doc's edge or a line break. Punctuation with a quote mark beyond it
    (".”", ",”", the mark touching it on the far side) is a class of its own: whether a closing
    mark follows decides whether the period belongs to a quote."""
    if not 0 <= outer < len(idx) or _broken(doc, idx[inner], idx[outer]):
        return NO_TOKEN
    cls = edge_class(doc[idx[outer]].text)
    beyond = outer + step
    if cls in LOOKAHEAD and 0 <= beyond < len(idx):
        near, far = doc[idx[min(outer, beyond)]], doc[idx[max(outer, beyond)]]
        mark = edge_class(doc[idx[beyond]].text)
        if not near.whitespace_ and far.i == near.i + 1 and mark in ("Q", "QC" if step > 0 else "QO"):
            return cls + "+Q"
    return cls


def edge_key(doc: Doc, idx: list[int], role: str, side: str, s: int, e: int) -> Key:
    """The key of the left (``s``: first token) or right (``e``: last token) edge; ``s``/``e`` are
    positions in ``idx`` (non-space tokens)."""
    if side == "L":
        return role, side, edge_class(doc[idx[s]].text), _outside(doc, idx, s, s - 1, -1)
    return role, side, edge_class(doc[idx[e]].text), _outside(doc, idx, e, e + 1, 1)


def adjust(doc: Doc, rng: tuple[int, int], role: str, table: Table, idx: list[int] | None = None) -> tuple[int, int]:
    """The token range [start, end) with its edges moved as the table says (``idx``: the doc's
    ``words``, when the caller has them)."""
    if not table:
        return rng
    idx = words(doc) if idx is None else idx
    s = bisect_left(idx, rng[0])
    e = bisect_left(idx, rng[1]) - 1
    if s > e:
        return rng
    for _ in range(MAX_STEPS):
        key = edge_key(doc, idx, role, "L", s, e)
        act = table.get(key)
        if act == OUT and key[3] == NO_TOKEN:  # never out over a line break or the doc's edge
            break
        if act == IN and s < e:
            s += 1
        elif act == OUT and s > 0:
            s -= 1
        else:
            break
    for _ in range(MAX_STEPS):
        key = edge_key(doc, idx, role, "R", s, e)
        act = table.get(key)
        if act == OUT and key[3] == NO_TOKEN:  # never out over a line break or the doc's edge
            break
        if act == IN and e > s:
            e -= 1
        elif act == OUT and e + 1 < len(idx):
            e += 1
        else:
            break
    return idx[s], idx[e] + 1


def parse_table(data: dict) -> Table:
    return {(r["role"], r["side"], r["inside"], r["outside"]): r["action"] for r in data.get("rules", [])}


@lru_cache(maxsize=4)
def load(path: Path = BOUNDS_FILE) -> Table:
    """The shipped table; empty (no edge moves) when the file is missing."""
    if not path.is_file():
        return {}
    return parse_table(json.loads(path.read_text(encoding="utf-8")))
