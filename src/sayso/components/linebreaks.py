"""Line breaks end sentences: a .txt article keeps one paragraph (or sentence) a line. And a quote
mark written straight after a sentence's final stop (``pause."``) closes that sentence's quotation:
it never starts the next sentence (the parser otherwise often makes it a sentence of its own,
which then reads as the outlet's voice). Titles and initials before a name ("Rt. Hon.", "Lt. Col.",
"A. B. Jones") never end a sentence: ``add_title_exceptions`` keeps each title one token, and
the word after a title or an initial does not start a sentence."""

from __future__ import annotations

import numpy as np
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

CLOSING_MARKS = frozenset({'"', "”", "»", "''", "’", "“"})  # “ closes „…“
OPENING_MARKS = frozenset({"«", "„"})  # marks that only open: what follows is inside, never a new sentence
NOT_START = np.iinfo(np.uint64).max  # -1 ("not a sentence start") in the uint64 array spaCy gives
FINAL_STOPS = frozenset({".", "!", "?", "…", "...", "?!", "!?"})


# Abbreviated titles that stand before a name, beyond those spaCy's English tokenizer already keeps.
TITLES = tuple(
    """Rt. Hon. Lt. Col. Gen. Maj. Capt. Cpt. Sgt. Cpl. Pvt. Adm. Cmdr. Brig. Supt. Insp. Det. Amb.
    Pres. Prof. Rev. Fr. Msgr. Atty. Sec. Sen. Sens. Rep. Reps. Gov. Lt.-Gen. Dr. Mr. Mrs. Ms. Messrs.
    Mme. Mmes. Mlle.""".split()
)
_TITLE_SET = frozenset(TITLES)


def add_title_exceptions(nlp: Language) -> None:
    """Keeps every title of ``TITLES`` one token ("Rt." rather than "Rt" and ".")."""
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, Tokenizer):
        for title in TITLES:
            tokenizer.add_special_case(title, [{ORTH: title}])


def _before_name(words: list[str], i: int) -> bool:
    """Whether word ``i`` is a title or an initial ("J.") that a capitalised word follows."""
    text = words[i]
    initial = len(text) == 2 and text[0].isupper() and text[1] == "."
    return (text in _TITLE_SET or initial) and i + 1 < len(words) and words[i + 1][:1].isupper()


@Language.component("sayso_linebreaks", assigns=["token.is_sent_start"])
def linebreaks(doc: Doc) -> Doc:
    # Written as one array: Token.is_sent_start's setter scans the whole Doc on every call. The
    # tokens' strings are read once (a Token object per look-up costs more than the test).
    starts = doc.to_array([SENT_START])
    words = [t.text for t in doc]
    spaces = [t.whitespace_ for t in doc]
    changed = False
    after_break = False
    for i, text in enumerate(words):
        if i and _before_name(words, i - 1):
            starts[i] = NOT_START
            changed = True
        elif i and text in CLOSING_MARKS and words[i - 1] in FINAL_STOPS and not spaces[i - 1]:
            starts[i] = NOT_START
            changed = True
        elif i and words[i - 1] in OPENING_MARKS and not text.isspace():
            starts[i] = NOT_START  # "« Nous sommes prêts »": the mark opens the sentence with its words
            changed = True
        if after_break and not text.isspace():
            starts[i] = 1
            changed = True
            after_break = False
        if "\n" in text or "\n" in spaces[i]:
            after_break = True
    if changed:
        doc.from_array([SENT_START], starts)  # type: ignore[arg-type]  # thinc types say Ints2d; to_array gives this shape
    return doc
