"""Which tier runs: "fast" (spaCy small model, rules, small trained layers), "accurate" (the
encoder added) or "auto" (accurate when its weights and runtime are here, else fast with a
one-line notice). A process's default is "auto" (``sayso.analyze()``, ``sayso analyze``, ``sayso
serve``); ``sayso batch`` and ``sayso eval`` use "fast" unless given ``--accurate``. Worker
processes are told their tier explicitly (the batch's ``Options.tier``, the server's
``ServeConfig.tier``): nothing here reads or writes the process environment. Checks without
importing the runtime, so the fast tier never loads it."""

from __future__ import annotations

import sys

from sayso.encoder.runtime import EncoderUnavailable, missing

TIERS = ("fast", "accurate", "auto")
_default = "auto"


def default() -> str:
    """This process's default tier: "auto" unless ``set_default`` changed it."""
    return _default


def set_default(tier: str) -> None:
    """Makes ``tier`` this process's default; other processes are given theirs explicitly."""
    global _default
    check(tier)
    _default = tier


def check(tier: str) -> str:
    if tier not in TIERS:
        raise ValueError(f"tier must be one of {', '.join(TIERS)}, not {tier!r}")
    return tier


_noticed = False


def resolve(tier: str | None = None) -> str:
    """"fast" or "accurate". An explicit "accurate" that cannot run raises ``EncoderUnavailable``;
    "auto" falls back to "fast" with one notice on stderr a process."""
    global _noticed
    tier = check(tier or default())
    if tier == "fast":
        return "fast"
    reason = missing()
    if reason is None:
        return "accurate"
    if tier == "accurate":
        raise EncoderUnavailable(f"--accurate: {reason}")
    if not _noticed:
        print(f"sayso: notice: {reason}; using the fast tier", file=sys.stderr)
        _noticed = True
    return "fast"
