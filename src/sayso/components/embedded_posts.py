"""Embedded social posts: a quoted post is its account's words, not the outlet's.

A page that embeds a post (Twitter/X, Threads, Mastodon, Bluesky) leaves its text as a paragraph
and under it a signature line ``— Name (@handle) March 3, 2024``. That line becomes an attribution:
the dash its cue, the name its source, ``@handle`` its channel, and the post's lines right above it
its content (the paragraph above it, blank lines between skipped: up to ``MAX_LINES``, stopping at a blank line, a list item or a line that introduces
the post with a colon).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from sayso.components.attribution_rules import Found, TokRange
from sayso.docindex import index

MAX_LINES = 6  # a post's lines (posts run to a few hundred characters)
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
SIGNATURE = re.compile(
    r"[ \t]*(?P<dash>[—–]|--?)[ \t]*(?P<name>[^\n()@]{1,80}?)[ \t]*\((?P<handle>@[A-Za-z0-9_.]{1,40}(?:@[\w.-]+)?)\)"
    rf"[ \t]*(?:{MONTH}[ \t]+\d{{1,2}},?[ \t]+\d{{4}})?[ \t]*"
)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text``, line breaks left out."""
    out, start = [], 0
    for part in text.split("\n"):
        out.append((start, start + len(part)))
        start += len(part) + 1
    return out


def _tokens(doc: Doc, start: int, end: int) -> TokRange | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return None if span is None or len(span) == 0 else (span.start, span.end)


def _ends_post(line: str) -> bool:
    """Whether a line above the signature is no longer the post."""
    stripped = line.strip()
    return not stripped or stripped.startswith(("- ", "• ", "* ")) or stripped.endswith(":")


def find(doc: Doc) -> list[Found]:
    """One attribution per signature line with the post above it."""
    text = index(doc).text
    if "(@" not in text:
        return []
    lines = _lines(text)
    found: list[Found] = []
    for k, (ls, le) in enumerate(lines):
        m = SIGNATURE.fullmatch(text, ls, le)
        if m is None:
            continue
        last = k - 1
        while last >= 0 and not text[lines[last][0] : lines[last][1]].strip():  # the blank line pages leave
            last -= 1
        above = []
        for j in range(last, max(-1, last - MAX_LINES), -1):
            if _ends_post(text[lines[j][0] : lines[j][1]]):
                break
            above.append(lines[j])
        if not above:
            continue
        cue, source = _tokens(doc, *m.span("dash")), _tokens(doc, *m.span("name"))
        channel = _tokens(doc, *m.span("handle"))
        content = _tokens(doc, above[-1][0], above[0][1])
        if cue and source and content:
            found.append(Found(cue, source, [content], channel))
    return found
