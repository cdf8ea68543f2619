"""Which words a model-flagged uncertain sentence may show as its cue.

A model (the fast tier's hedge classifier, the accurate tier's encoder) flags a sentence as
uncertain and points at the words that weighed most. A reader must recognise the cue shown as a
word that can carry doubt: never a name, a number or punctuation (they say what the sentence is
about), nor a function word that hedges nothing (an article, preposition, pronoun, conjunction,
particle or auxiliary: "a", "of", "that", "There", "been"). Quantifiers and modals that do hedge
("some", "many", "may", "might") may be shown. Where a flagged sentence has no such word, it gets
one cue of kind ``model`` over the sentence instead of an arbitrary word (``MODEL_KIND``).
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import IS_PUNCT, IS_SPACE, LIKE_NUM, LOWER, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc

MODEL_KIND = "model"  # the cue kind of a sentence a model flags with no word it can show

NOT_SHOWN_POS = ("PROPN", "NUM", "SYM", "PUNCT", "SPACE", "DET", "ADP", "PRON", "CCONJ", "SCONJ", "AUX", "PART", "X")

# Closed-class English words that hedge nothing, whatever tag the parser gives them (it tags "been"
# or "there" differently in odd sentences); the check over whole corpora uses the same list.
FUNCTION_WORDS = frozenset(
    """a an the this that these those there here it its it's they them their theirs he him his she her
    hers we us our ours you your yours i me my mine who whom whose which what where when why how
    of in on at by for with from to into onto upon about above below over under after before
    between through during without within among against toward towards as than like per via
    and or but nor yet so if because while although though whether unless since until
    be is am are was were been being have has had having do does did doing done
    will shall 'll wo 's 're 've 'd 'm not n't no""".split()
)
# Function words that do carry doubt: vague quantities and modals of possibility.
HEDGING_FUNCTION_WORDS = frozenset(
    "some many several few most certain various numerous much may might could would should can perhaps".split()
)

_NOT_SHOWN_IDS = [POS_IDS[p] for p in NOT_SHOWN_POS]


def is_function_word(text: str) -> bool:
    """A word that hedges nothing, by its text alone (how a report's cue is checked)."""
    low = text.strip().lower()
    return low in FUNCTION_WORDS and low not in HEDGING_FUNCTION_WORDS


def showable(doc: Doc) -> np.ndarray:
    """Per token: a word that may be shown as the cue of a model-flagged sentence."""
    cols = doc.to_array([POS, IS_PUNCT, IS_SPACE, LIKE_NUM, LOWER])
    strings = doc.vocab.strings
    function = np.array([strings[int(h)] in FUNCTION_WORDS for h in cols[:, 4]], dtype=bool)
    hedging = np.array([strings[int(h)] in HEDGING_FUNCTION_WORDS for h in cols[:, 4]], dtype=bool)
    content = ~np.isin(cols[:, 0], _NOT_SHOWN_IDS) & ~function
    return (content | hedging) & (cols[:, 1] == 0) & (cols[:, 2] == 0) & (cols[:, 3] == 0)
