"""Speech lexicons: what the attribution rules over a Universal Dependencies parse need to know of
a language (reporting verbs, "according to" phrases, statement, channel and unnamed-source nouns).
One file a language in ``sayso/data/speech``; the format is in the README there."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SPEECH_DIR = Path(__file__).resolve().parent.parent / "data" / "speech"
KEYS = ("verbs", "according", "according_verbs", "nouns", "channels", "anonymous", "pronouns")


class SpeechLexiconError(ValueError):
    pass


@dataclass(frozen=True)
class Speech:
    verbs: frozenset[str]
    according: tuple[tuple[str, ...], ...]  # word sequences, longest first
    according_verbs: frozenset[str]
    nouns: frozenset[str]
    channels: frozenset[str]
    anonymous: frozenset[str]
    pronouns: frozenset[str]  # third-person subject pronouns, lowercase forms


def parse(text: str, where: str) -> Speech:
    words: dict[str, list[str]] = {k: [] for k in KEYS}
    key = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line[0].isspace():
            if key is None:
                raise SpeechLexiconError(f"{where}:{n}: a continuation line needs a key above it")
            words[key].extend(line.split())
            continue
        key, sep, rest = line.partition(":")
        key = key.strip()
        if not sep or key not in KEYS:
            raise SpeechLexiconError(f"{where}:{n}: expected 'key: words' with a key of {', '.join(KEYS)}")
        words[key].extend(rest.split())
    lower = {k: [w.lower() for w in v] for k, v in words.items()}
    according = sorted({tuple(p.split("_")) for p in lower["according"]}, key=len, reverse=True)
    return Speech(
        verbs=frozenset(lower["verbs"]),
        according=tuple(according),
        according_verbs=frozenset(lower["according_verbs"]),
        nouns=frozenset(lower["nouns"]),
        channels=frozenset(lower["channels"]),
        anonymous=frozenset(lower["anonymous"]),
        pronouns=frozenset(lower["pronouns"]),
    )


@lru_cache(maxsize=8)
def load(language: str) -> Speech:
    path = SPEECH_DIR / f"{language}.txt"
    if not path.is_file():
        raise SpeechLexiconError(f"no speech lexicon for language {language!r} ({path.name})")
    return parse(path.read_text(encoding="utf-8"), str(path))
