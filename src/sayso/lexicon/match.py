"""Matches lexicon patterns over a Doc's token arrays, starting only where a first word occurs.

spaCy's Matcher tries every pattern at every token (about half a microsecond each); a cue lexicon
of a few hundred patterns then costs more than the parse. Here each pattern variant is indexed by
its first word (or lemma), so a text only tries the patterns whose first word it contains, at the
tokens where it stands. The semantics are those of the lexicon format: ``?`` optional token, gap
tokens skip up to n tokens, nothing crosses a sentence boundary; the longest match per start wins.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from spacy.attrs import LEMMA, LOWER, POS, TAG
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc
from spacy.vocab import Vocab

from sayso.lexicon.patterns import CuePattern, matcher_patterns

_COLUMNS = {"LOWER": 0, "LEMMA": 1, "POS": 2, "TAG": 3}


@dataclass(frozen=True)
class _Tok:
    column: int  # index into _COLUMNS of the word test
    values: frozenset[int]
    pos_column: int  # -1: no part-of-speech test
    pos_value: int
    optional: bool
    gap: int  # > 0: a gap token that skips up to this many tokens


def _compile(spec: dict[str, Any], vocab: Vocab) -> _Tok:
    op = spec.get("OP", "")
    if op.startswith("{0,"):
        return _Tok(0, frozenset(), -1, 0, False, int(op[3:-1]))
    attr = "LOWER" if "LOWER" in spec else "LEMMA"
    raw = spec[attr]
    words = raw["IN"] if isinstance(raw, dict) else [raw]
    pos_column, pos_value = -1, 0
    if "POS" in spec:
        pos_column, pos_value = _COLUMNS["POS"], POS_IDS[spec["POS"]]
    elif "TAG" in spec:
        pos_column, pos_value = _COLUMNS["TAG"], vocab.strings.add(spec["TAG"])
    return _Tok(_COLUMNS[attr], frozenset(vocab.strings.add(w) for w in words), pos_column, pos_value, op == "?", 0)


class PatternMatcher:
    def __init__(self, vocab: Vocab, patterns: list[CuePattern]) -> None:
        self.index: dict[tuple[int, int], list[tuple[CuePattern, tuple[_Tok, ...]]]] = defaultdict(list)
        for pat in patterns:
            for variant in matcher_patterns(pat.tokens):
                toks = tuple(_compile(spec, vocab) for spec in variant)
                first = toks[0]
                for value in first.values:
                    self.index[(first.column, value)].append((pat, toks))

    def __call__(self, doc: Doc, bounds: list[tuple[int, int]]) -> list[tuple[CuePattern, int, int]]:
        """(pattern, start token, end token) of every match; ``bounds``: the sentences' token ranges."""
        if len(doc) == 0:
            return []
        cols = [list(c) for c in doc.to_array([LOWER, LEMMA, POS, TAG]).T.tolist()]
        sent_end = [0] * len(doc)
        for s, e in bounds:
            for i in range(s, e):
                sent_end[i] = e
        out = []
        for column in (0, 1):
            where: dict[int, list[int]] = defaultdict(list)
            for i, v in enumerate(cols[column]):
                where[v].append(i)
            for value, positions in where.items():
                candidates = self.index.get((column, value))
                if not candidates:
                    continue
                for i in positions:
                    for pat, toks in candidates:
                        end = _match(toks, 0, i, sent_end[i], cols)
                        if end > i:
                            out.append((pat, i, end))
        return out


def _match(toks: tuple[_Tok, ...], k: int, i: int, end: int, cols: list[list[int]]) -> int:
    """The furthest token index where toks[k:] can finish when started at token i (-1: none)."""
    if k == len(toks):
        return i
    t = toks[k]
    best = -1
    if t.gap:
        for skip in range(min(t.gap, end - i) + 1):
            best = max(best, _match(toks, k + 1, i + skip, end, cols))
        return best
    if t.optional:
        best = _match(toks, k + 1, i, end, cols)
    if i < end and cols[t.column][i] in t.values and (t.pos_column < 0 or cols[t.pos_column][i] == t.pos_value):
        best = max(best, _match(toks, k + 1, i + 1, end, cols))
    return best
