"""Which tier runs: "fast" (spaCy small model, rules, small trained layers), "accurate" (the
encoder added) or "auto" (accurate when its weights and runtime are here, else fast with a
one-line notice). A process's default is "auto" (``sayso.analyze()``, ``sayso analyze``, ``sayso
serve``); ``sayso batch`` and ``sayso eval`` set "fast" unless given ``--accurate``. Checks without
importing the runtime, so the fast tier never loads it."""

from __future__ import annotations

import os
import sys

from sayso.encoder.runtime import EncoderUnavailable, missing

TIERS = ("fast", "accurate", "auto")
ENV = "SAYSO_TIER"  # the process's default tier; worker processes inherit it


def default() -> str:
    tier = os.environ.get(ENV, "auto")
    return tier if tier in TIERS else "auto"


def set_default(tier: str) -> None:
    """Makes ``tier`` this process's default (and its worker processes')."""
    if tier not in TIERS:
        raise ValueError(f"tier must be one of {', '.join(TIERS)}, not {tier!r}")
    os.environ[ENV] = tier


_noticed = False


def resolve(tier: str | None = None) -> str:
    """"fast" or "accurate". An explicit "accurate" that cannot run raises ``EncoderUnavailable``;
    "auto" falls back to "fast" with one notice on stderr a process."""
    global _noticed
    tier = tier or default()
    if tier not in TIERS:
        raise ValueError(f"tier must be one of {', '.join(TIERS)}, not {tier!r}")
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
