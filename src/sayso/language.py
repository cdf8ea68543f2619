"""Language check: sayso reads English news."""

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


def require_english(text: str) -> str:
    """Returns the language code, or raises InputError naming the detected language."""
    if len(_LETTER.findall(text, 0, 5000)) < MIN_LETTERS:
        return "en"
    lang = detect(text)
    if lang != "en":
        name = LANGUAGE_NAMES.get(lang, lang)
        raise InputError(f"not English: the text reads as {name} ({lang}); sayso analyses English news")
    return lang
