"""Text integrity: find characters that disguise or corrupt the text, and build the repaired copy
the pipeline analyses, with an offset map back to the original.

Findings carry offsets into the original text. The repaired text transliterates mixed-script
words, replaces look-alike characters, drops invisible and bidi-control characters and fixes
mojibake; ``OffsetMap`` turns a span of the repaired text into a span of the original.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

import ftfy
from ftfy.badness import is_bad

from sayso.types import IntegrityFinding

INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u2061", "\u2062", "\u2063"}
BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c"}

# Characters of one script that a reader cannot tell from a character of another.
LOOKALIKE = {
    "CYRILLIC": {
        "LATIN": dict(zip("аеорсухіјѕԁԛԝАВЕКМНОРСТХУІЈЅ", "aeopcyxijsdqwABEKMHOPCTXYIJS")),
    },
    "GREEK": {"LATIN": dict(zip("οανιΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "oaviABEZHIKMNOPTYX"))},
    "LATIN": {
        "CYRILLIC": dict(zip("aeopcyxijsABEKMHOPCTXYIJS", "аеорсухіјѕАВЕКМНОРСТХУІЈЅ")),
        "GREEK": dict(zip("oaviABEZHIKMNOPTYX", "οανιΑΒΕΖΗΙΚΜΝΟΡΤΥΧ")),
    },
}

# Transliteration of a minority script into Latin (BGN/PCGN, simplified).
_CYR = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya i yi ye g".split(),
    )
)
_GRK = dict(zip("αβγδεζηθικλμνξοπρστυφχψω", "a b g d e z i th i k l m n x o p r s t y f ch ps o".split()))
TO_LATIN = {"CYRILLIC": _CYR, "GREEK": _GRK}

WORD = re.compile(r"[^\W\d_](?:[^\W_]|[\u00ad\u200b-\u200d\u2060\ufeff-])*", re.UNICODE)
TOKEN = re.compile(r"\S+")


def script_of(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    try:
        return unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return None


def _translit(ch: str, script: str) -> str:
    table = TO_LATIN.get(script, {})
    low = ch.lower()
    out = table.get(low)
    if out is None:
        return ch
    out = "" if out == "_" else out
    return out.capitalize() if ch != low else out


@dataclass
class OffsetMap:
    """For each character of the repaired text: where it came from in the original."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    original_length: int = 0

    def span(self, start: int, end: int) -> tuple[int, int]:
        if not self.starts:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else self.original_length
            return pos, pos
        s = self.starts[start] if start < len(self.starts) else self.original_length
        e = self.ends[end - 1] if end - 1 < len(self.ends) else self.original_length
        return s, e

    def offset(self, pos: int) -> int:
        return self.span(pos, pos)[0]


@dataclass
class Repaired:
    original: str
    text: str
    offsets: OffsetMap
    findings: list[IntegrityFinding]


def dominant_script(text: str) -> str:
    ascii_letters = sum(1 for c in text if c.isascii() and c.isalpha())
    counts = Counter(s for s in map(script_of, (c for c in text if not c.isascii())) if s)
    counts["LATIN"] += ascii_letters
    return counts.most_common(1)[0][0] if counts else "LATIN"


def _word_fix(word: str, target: str, known: set[str]) -> tuple[str, str] | None:
    """(kind, suggestion) for a word whose letters mix scripts, or None."""
    scripts = [script_of(c) for c in word]
    present = {s for s in scripts if s}
    if len(present) < 2:
        return None
    if target not in present:
        target = Counter(s for s in scripts if s).most_common(1)[0][0]
    minority = [c for c, s in zip(word, scripts) if s and s != target]
    lookalike: dict[str, str] = {}
    for s in present - {target}:
        lookalike.update(LOOKALIKE.get(s, {}).get(target, {}))
    confusable = "".join(lookalike.get(c, c) for c in word)
    translit = "".join(
        _translit(c, s) if s and s != target and target == "LATIN" else c for c, s in zip(word, scripts)
    )
    if all(c in lookalike for c in minority):
        kind, suggestion = "confusable", confusable
        if translit.lower() in known and confusable.lower() not in known:
            kind, suggestion = "mixed-script", translit
    else:
        kind, suggestion = "mixed-script", translit
        if confusable.lower() in known and translit.lower() not in known:
            suggestion = confusable
    return kind, suggestion


# Lone surrogates (from broken UTF-16 or JSON "\\ud800" escapes) are no characters at all: they
# cannot even be encoded, so the analysed copy drops them like the invisible ones.
SURROGATES = "\ud800-\udfff"
_HIDDEN = re.compile("[" + "".join(sorted(INVISIBLE | BIDI)) + SURROGATES + "]")
_NON_ASCII_TOKEN = re.compile(r"\S*[^\x00-\x7f]\S*")


def repair(text: str) -> Repaired:
    """Scan ``text`` and build its repaired copy. Pure-ASCII text has nothing to find: fast path."""
    if text.isascii():
        return _apply(text, [], [])
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the original, sorted
    findings: list[IntegrityFinding] = []
    for m in _HIDDEN.finditer(text):
        kind = "bidi-control" if m.group() in BIDI else "invisible"
        findings.append(IntegrityFinding(kind, m.start(), m.end(), ""))
        edits.append((m.start(), m.end(), ""))
    # mojibake: a token ftfy judges bad and can fix
    for m in _NON_ASCII_TOKEN.finditer(text):
        tok = m.group()
        if not is_bad(tok):
            continue
        fixed = ftfy.fix_encoding(tok)
        if fixed != tok:
            findings.append(IntegrityFinding("mojibake", m.start(), m.end(), fixed))
            edits.append((m.start(), m.end(), fixed))
    mixed = [
        (m.start(), m.end(), m.group())
        for m in WORD.finditer(text)
        if not m.group().isascii() and len({s for s in map(script_of, m.group()) if s}) > 1
    ]
    if mixed:
        target = dominant_script(text)
        known = {
            m.group().lower()
            for m in WORD.finditer(text)
            if m.group().isascii() or len({s for s in map(script_of, m.group()) if s}) == 1
        }
        taken = [(s, e) for s, e, _ in edits]
        for s, e, w in mixed:
            clean = "".join(c for c in w if c not in INVISIBLE)
            fix = _word_fix(clean, target, known)
            if fix is None:
                continue
            kind, suggestion = fix
            findings.append(IntegrityFinding(kind, s, e, suggestion))
            if not any(a < e and s < b for a, b in taken):
                edits.append((s, e, suggestion))
    edits.sort()
    findings.sort(key=lambda f: (f.start, f.end))
    return _apply(text, edits, findings)


def _apply(text: str, edits: list[tuple[int, int, str]], findings: list[IntegrityFinding]) -> Repaired:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for s, e, rep in edits:
        if s < pos:  # overlapping edit: the earlier one wins
            continue
        out.append(text[pos:s])
        starts.extend(range(pos, s))
        ends.extend(range(pos + 1, s + 1))
        out.append(rep)
        starts.extend([s] * len(rep))
        ends.extend([e] * len(rep))
        pos = e
    out.append(text[pos:])
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    repaired = "".join(out)
    omap = OffsetMap(starts, ends, len(text)) if edits else OffsetMap(original_length=len(text))
    return Repaired(text, repaired, omap, findings)


def nearest_original(offsets: OffsetMap, pos: int) -> int:
    """Index in the repaired text of the first character at or after original position ``pos``."""
    if not offsets.starts:
        return pos
    return bisect_right(offsets.starts, pos - 1)
