"""Article text made safe to show: no terminal control sequences, no hidden bidi overrides.

Both views print text that comes from the article (or from a page's metadata) exactly as written,
with two exceptions. Terminal control characters (C0 other than newline and tab, DEL, C1) and the
escape sequences they start could retitle the window or clear the screen, so they are removed.
Bidi controls (right-to-left overrides, embeddings, isolates and marks) would silently reorder the
text that follows them, so each is shown as a visible code, ``[U+202E]``, instead: the integrity
table names them too.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-character ESC sequences, then any
# control character left over.
_ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]|\x9b[0-?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")


def visible_bidi(text: str) -> str:
    return _BIDI.sub(lambda m: f"[U+{ord(m.group(0)):04X}]", text)


def for_terminal(text: str) -> str:
    """Text without control characters or escape sequences, bidi controls made visible."""
    return visible_bidi(_CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text)))
