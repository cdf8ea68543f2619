"""Numbers in a sentence as values, however they are written: "40", "forty", "$1.2 million", "2.3m"."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "dozen": 12,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "m": 1_000_000, "bn": 1_000_000_000, "k": 1_000}
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z]+")


def values(text: str) -> set[float]:
    """The numeric values written in ``text``, small words ("one", "two") left out: they are rarely the claim."""
    out: set[float] = set()
    tokens = _TOKEN.findall(text.replace("-", " "))
    k = 0
    while k < len(tokens):
        tok = tokens[k].lower()
        value: float | None = None
        if tok[0].isdigit():
            try:
                value = float(tok.replace(",", "")) if not re.fullmatch(r"\d+,\d{1,2}", tok) else float(tok.replace(",", "."))
            except ValueError:
                value = None
        elif tok in TENS:
            value = TENS[tok]
            if k + 1 < len(tokens) and tokens[k + 1].lower() in UNITS and UNITS[tokens[k + 1].lower()] < 10:
                k += 1
                value += UNITS[tokens[k].lower()]
        elif tok in UNITS and UNITS[tok] >= 3:
            value = UNITS[tok]
        if value is not None:
            while k + 1 < len(tokens) and tokens[k + 1].lower() in SCALES:
                k += 1
                value *= SCALES[tokens[k].lower()]
            out.add(float(round(value, 6)))
        k += 1
    return out
