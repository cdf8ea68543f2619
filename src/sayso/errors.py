"""Errors a user can act on: the CLI prints their message on one line and exits 2."""

from __future__ import annotations

import re


class InputError(Exception):
    """Input that sayso refuses: empty, binary, undecodable, too large, in a language sayso does not read, unreachable.

    ``reason`` is a short, fixed name of the kind of failure ("bad date", "invalid JSON"), used to
    count a batch's errors by reason; without one it is taken from the message (`reason_of`).
    """

    def __init__(self, message: str = "", reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or reason_of(message)


_LINE = re.compile(r"^line \d+: ")
_DETAIL = re.compile(r"[:(].*$")


def reason_of(message: str) -> str:
    """The kind of an error message: the words before its details, numbers and line prefix dropped
    ("line 4: invalid JSON (Expecting value...)" -> "invalid JSON")."""
    head = _DETAIL.sub("", _LINE.sub("", message.strip())).strip()
    head = re.sub(r"\d+", "N", head)
    return head[:60] or "error"
