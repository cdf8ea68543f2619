"""Language check: sayso reads English, French and Russian news; the text says which it is."""

from __future__ import annotations

import re

import py3langid

from sayso.errors import InputError

LANGUAGE_NAMES = {
    "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "ru": "Russian",
    "uk": "Ukrainian", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "ar": "Arabic", "nl": "Dutch",
    "pl": "Polish", "tr": "Turkish", "sv": "Swedish", "fa": "Persian", "hi": "Hindi", "he": "Hebrew",
}
_LETTER = re.compile(r"[^\W\d_]")  # what str.isalpha() counts, for a whole text at once
MIN_LETTERS = 40  # below this the detector guesses; short English snippets must not be refused


def detect(text: str) -> str:
    lang, _ = py3langid.classify(text[:3000])  # a few paragraphs decide; the rest only costs time
    return str(lang)


SUPPORTED = ("en", "fr", "ru")


def require_supported(text: str, forced: str | None = None) -> str:
    """The language code the text is analysed in: ``forced`` when given (``--language``), else the
    detected one; raises InputError naming a detected language sayso does not read."""
    if forced is not None:
        return check_code(forced)
    letters = _LETTER.findall(text, 0, 5000)
    if len(letters) < MIN_LETTERS:
        # too short for the detector; the script still tells Russian ("Он сказал да.") from English
        return "ru" if sum("\u0400" <= ch <= "\u04ff" for ch in letters) * 2 > len(letters) else "en"
    lang = detect(text)
    if lang not in SUPPORTED:
        name = LANGUAGE_NAMES.get(lang, lang)
        raise InputError(
            f"unsupported language: the text reads as {name} ({lang}); sayso analyses English, French and Russian news"
        )
    return lang


def check_code(code: str) -> str:
    """A language code as a user gives it (``--language FR``), checked where it enters."""
    lang = code.strip().lower()
    if lang not in SUPPORTED:
        raise InputError(f"unknown language {code!r}: choose one of {', '.join(SUPPORTED)}")
    return lang
