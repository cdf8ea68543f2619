"""Cue lexicons: plain-text files, one family a file, one pattern a line.

A family's file is named for its cue kind (``hedge.txt``, ``weasel.txt``, ``anonymous.txt``,
``undisclosed.txt``, ``evaluative.txt``, ``prediction.txt``). The format, line by line:

- ``#`` starts a comment (a whole line, or the rest of a line after whitespace); blank lines are
  ignored.
- A pattern is tokens separated by spaces, matched against spaCy tokens:
  - ``word`` matches the token's lowercase text; ``a|b|c`` any of these words;
  - ``[lemma]`` (or ``[a|b]``) matches the token's lemma;
  - a suffix ``/POS`` (``/VERB``, ``/AUX``, ``/ADJ`` …, Universal POS) or ``/TAG`` (``/VBZ``, ``/MD`` …,
    Penn tags) narrows a token by its part of speech: ``may/AUX``, ``[reflect]/VERB``;
  - a leading ``?`` makes the token optional: ``is ?widely [believe]``;
  - ``*`` skips up to three tokens inside the sentence, ``**`` up to ten: ``not only ** but also``.
- A line ``!pattern`` (in a user's file) removes the identical pattern from the lists loaded before
  it, to silence a built-in cue.

Users extend the lists by putting files with the same names in a folder and naming the folder in
the ``sayso_cues`` component's ``extra_cue_dirs`` setting, or in the environment variable
``SAYSO_CUE_DIRS`` (folders separated by ``os.pathsep``), which ``sayso.pipeline.build`` reads.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sayso.types import CUE_KINDS

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "data" / "cues"
ENV_VAR = "SAYSO_CUE_DIRS"
GAPS = {"*": 3, "**": 10}  # gap token -> most tokens it skips

UNIVERSAL_POS = {
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT",
    "SCONJ", "SYM", "VERB", "X",
}  # fmt: skip


class LexiconError(ValueError):
    pass


@dataclass(frozen=True)
class CuePattern:
    kind: str
    text: str  # the line as written (normalised whitespace): also its identity for ``!`` removal
    tokens: tuple[dict[str, Any], ...]  # a spaCy Matcher pattern
    origin: str  # "file:line", for error messages and debugging


def parse_token(tok: str, where: str) -> dict[str, Any]:
    if tok in GAPS:
        return {"IS_SENT_START": False, "OP": f"{{0,{GAPS[tok]}}}"}
    spec: dict[str, Any] = {}
    if tok.startswith("?") and len(tok) > 1:
        spec["OP"] = "?"
        tok = tok[1:]
    word, _, pos = tok.partition("/")
    if pos:
        spec["POS" if pos in UNIVERSAL_POS else "TAG"] = pos
    if word.startswith("[") and word.endswith("]"):
        attr, word = "LEMMA", word[1:-1]
    else:
        attr = "LOWER"
    if not word:
        raise LexiconError(f"{where}: empty token in pattern")
    options = [w.lower() for w in word.split("|") if w]
    spec[attr] = options[0] if len(options) == 1 else {"IN": options}
    return spec


def parse_line(line: str, kind: str, where: str) -> tuple[bool, CuePattern] | None:
    """(removal?, pattern), or None for a blank or comment line."""
    text = line.split(" #", 1)[0].split("\t#", 1)[0].strip()
    if not text or text.startswith("#"):
        return None
    remove = text.startswith("!")
    if remove:
        text = text[1:].strip()
    words = text.split()
    if words[0] in GAPS or words[-1] in GAPS:
        raise LexiconError(f"{where}: '*' and '**' only go between words")
    text = " ".join(words)
    tokens = tuple(parse_token(w, where) for w in words)
    return remove, CuePattern(kind, text, tokens, where)


def matcher_patterns(tokens: tuple[dict[str, Any], ...]) -> list[list[dict[str, Any]]]:
    """The pattern as plain-valued variants of its leading token(s), for spaCy's Matcher.

    The Matcher tries a pattern's first token at every token of the text, and an ``IN`` set is a
    Python call each time; plain values are compared in C. So ``a|b c`` becomes ``a c`` and ``b c``,
    and an optional leading token becomes one variant without it and one with each alternative.
    """
    tokens = tuple(tokens)
    while tokens and tokens[0].get("OP", "").startswith("{0,"):  # a gap cannot lead
        tokens = tokens[1:]
    if not tokens:
        return []
    head, rest = dict(tokens[0]), list(tokens[1:])
    optional = head.pop("OP", None) == "?"
    out = matcher_patterns(tuple(rest)) if optional and rest else []
    attr = "LOWER" if "LOWER" in head else "LEMMA"
    value = head[attr]
    for v in value["IN"] if isinstance(value, dict) else [value]:
        out.append([{**head, attr: v}, *rest])
    return out


def read_file(path: Path, kind: str) -> list[tuple[bool, CuePattern]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parsed = parse_line(line, kind, f"{path}:{n}")
        if parsed is not None:
            out.append(parsed)
    return out


def env_dirs() -> list[str]:
    """The folders named in ``SAYSO_CUE_DIRS``; ``sayso.pipeline.build`` puts them in the component's
    config, so a saved pipeline says which lists it was built with."""
    return [d for d in os.environ.get(ENV_VAR, "").split(os.pathsep) if d.strip()]


def builtin_dir(language: str = "en") -> Path:
    """The built-in lists of a language: English in ``data/cues``, others in ``data/cues/<code>``."""
    return BUILTIN_DIR if language == "en" else BUILTIN_DIR / language


def cue_dirs(extra: Iterable[str | os.PathLike[str]] = (), language: str = "en") -> list[Path]:
    """The built-in folder, then the configured ones."""
    return [builtin_dir(language), *(Path(d) for d in extra)]


def load(extra_dirs: Iterable[str | os.PathLike[str]] = (), language: str = "en") -> list[CuePattern]:
    """Every pattern of every family, built-in lists first; user files add to or remove from them."""
    patterns: dict[tuple[str, str], CuePattern] = {}
    for folder in cue_dirs(extra_dirs, language):
        if not folder.is_dir():
            raise LexiconError(f"cue folder not found: {folder}")
        for path in sorted(folder.glob("*.txt")):
            kind = path.stem
            if kind not in CUE_KINDS:
                raise LexiconError(f"{path}: the file name must be a cue kind, one of {', '.join(CUE_KINDS)}")
            for remove, pat in read_file(path, kind):
                if remove:
                    patterns.pop((kind, pat.text), None)
                else:
                    patterns.setdefault((kind, pat.text), pat)
    return list(patterns.values())


SAVED = "patterns.jsonl"


def save(patterns: Iterable[CuePattern], folder: Path) -> None:
    """The loaded patterns (user lists applied) as one JSON line each, for ``nlp.to_disk``."""
    import srsly

    folder.mkdir(parents=True, exist_ok=True)
    srsly.write_jsonl(folder / SAVED, [{"kind": p.kind, "text": p.text, "origin": p.origin} for p in patterns])


def load_saved(folder: Path) -> list[CuePattern]:
    import srsly

    out = []
    for row in srsly.read_jsonl(folder / SAVED):
        parsed = parse_line(row["text"], row["kind"], row["origin"])
        if parsed is None or parsed[0]:
            raise LexiconError(f"{folder / SAVED}: not a pattern: {row['text']!r}")
        out.append(parsed[1])
    return out
