"""Where quotations are: the one rule every component uses to tell a source's words from the outlet's.

Read character by character over the text:

- Double quotes: “ „ « " `` '' open; while one is open, ” » " '' or `` closes it (writers and
  converters mix the forms: “…'' is common), and “ closes „ („…“). A closer with nothing open
  quotes nothing; an opener inside an open quotation is part of it.
- Single curly quotes ‘…’ quote only where they cannot be apostrophes: ‘ opens before a letter
  when no letter or digit stands before it (not ‘90s; not rock ‘n’ roll, an elision); ’ closes an
  open single quote when no letter follows it (not don’t, Korea’s). Straight ' never quotes.
- Inside a double quotation, single quotes are quoted words of the quotation, not new regions.
- A line break ends every open quotation. News writing opens each paragraph of a long quotation
  again and closes only the last, so an unclosed quotation runs to the end of its paragraph, and
  the next paragraph is inside again only when it opens a mark.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.attrs import IDX
from spacy.tokens import Doc

from sayso.docindex import index

DOUBLE_OPENERS = frozenset("“„«\"")
DOUBLE_CLOSERS = "”»\""  # any of them closes any double quotation; „ is closed by “ too
SINGLE_OPEN, SINGLE_CLOSE = "‘", "’"
PTB = ("``", "''")  # the tokenizer's forms of double marks: either opens, either closes
DOUBLE_MARK_TOKENS = frozenset({*DOUBLE_OPENERS, *DOUBLE_CLOSERS, *PTB})
MARKS = frozenset("“”„«»‘’\"'`")
OUTSIDE, INSIDE, MARK = 0, 1, 2


@dataclass(frozen=True)
class Quotation:
    """Character span of one quotation, marks included (``end`` is past the closing mark, or the end
    of the paragraph when it is not closed)."""

    start: int
    end: int
    closed: bool


# The only characters that can open, close or end a quotation; the scan jumps from one to the next.
_SIGNIFICANT = re.compile(r"``|''|[“”„«»\"‘’\n\r\u2029]")


def regions(text: str) -> list[Quotation]:
    """The quotations of ``text`` in order; they never nest or overlap."""
    out: list[Quotation] = []
    open_at: int | None = None
    closers = ""
    for m in _SIGNIFICANT.finditer(text):
        i, mark = m.start(), m.group()
        ptb = len(mark) == 2
        if mark in "\n\r\u2029":
            if open_at is not None:
                out.append(Quotation(open_at, i, False))
                open_at = None
        elif open_at is None:
            if ptb or mark in DOUBLE_OPENERS:
                open_at, closers = i, DOUBLE_CLOSERS + ("“" if mark == "„" else "")
            elif mark == SINGLE_OPEN and _opens_single(text, i):
                open_at, closers = i, SINGLE_CLOSE
        elif closers == SINGLE_CLOSE:
            if mark == SINGLE_CLOSE and _closes_single(text, i):
                out.append(Quotation(open_at, i + 1, True))
                open_at = None
        elif ptb or mark in closers:
            out.append(Quotation(open_at, m.end(), True))
            open_at = None
    if open_at is not None:
        out.append(Quotation(open_at, len(text), False))
    return out


def doc_regions(doc: Doc) -> list[Quotation]:
    """``regions`` of the Doc's text, computed once per Doc."""
    ix = index(doc)
    if ix.char_quotes is None:
        ix.char_quotes = regions(ix.text)
    return ix.char_quotes


def _opens_single(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    elision = text[i + 2 : i + 3] == SINGLE_CLOSE  # rock ‘n’ roll
    return not before.isalnum() and after.isalpha() and not elision


def _closes_single(text: str, i: int) -> bool:
    after = text[i + 1] if i + 1 < len(text) else " "
    return not after.isalpha()


def token_states(doc: Doc) -> list[int]:
    """Per token: ``OUTSIDE`` (0), ``INSIDE`` a quotation (1), or one of its quote ``MARK``s (2).
    Computed once per Doc (kept with the Doc's other look-ups in ``sayso.docindex``)."""
    return _tokens(doc)[0]


def token_regions(doc: Doc) -> list[tuple[int, int]]:
    """The quotations as (first token, last token) index pairs, marks included."""
    return _tokens(doc)[1]


def _tokens(doc: Doc) -> tuple[list[int], list[tuple[int, int]]]:
    ix = index(doc)
    if ix.quotes is None:
        ix.quotes = _map_to_tokens(doc, doc_regions(doc))
    return ix.quotes


def _map_to_tokens(doc: Doc, found: list[Quotation]) -> tuple[list[int], list[tuple[int, int]]]:
    states = [OUTSIDE] * len(doc)
    spans: list[tuple[int, int]] = []
    if not found:
        return states, spans
    starts = doc.to_array(IDX).tolist()
    for q in found:
        first = max(bisect_right(starts, q.start) - 1, 0)
        last = bisect_right(starts, q.end - 1) - 1
        if last < first:
            continue
        for i in range(first, last + 1):
            tok = doc[i]
            edge = tok.idx <= q.start or (q.closed and tok.idx + len(tok.text) >= q.end)
            states[i] = MARK if edge and all(c in MARKS for c in tok.text) else INSIDE
        spans.append((first, last))
    for tok in doc:  # a double quote mark is a mark wherever it stands (stray, or reopening inside)
        if tok.text in DOUBLE_MARK_TOKENS:
            states[tok.i] = MARK
    return states, spans


def is_quoted(found: list[Quotation], start: int, end: int) -> bool:
    """Whether the char span ``start:end`` lies inside one quotation (``found`` from ``regions``)."""
    k = bisect_right([q.start for q in found], start) - 1
    return k >= 0 and found[k].end >= end
