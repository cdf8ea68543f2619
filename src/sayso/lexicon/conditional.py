"""French's journalistic conditional: "le ministre aurait démissionné", "l'attaque aurait fait dix
morts", "il serait en fuite". The outlet reports what it has not confirmed, so the verb is a hedge
in the outlet's voice (the English "reportedly"). A rule rather than a list, since any verb can
take the mood.

Not a hedge: a conditional under "si" ("si la loi passait, il faudrait ..."), a polite or modal
conditional of the first or second person ("je voudrais", "nous pourrions"), and the modal verbs
whose own lexicon entries decide (``pourrait`` is a hedge there, ``devrait`` a prediction).
"""

from __future__ import annotations

from spacy.tokens import Doc

MODALS = frozenset({"pouvoir", "devoir", "vouloir", "falloir", "aimer", "souhaiter"})


def cues(doc: Doc, bounds: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(sentence, start char, end char) of each journalistic conditional: the conditional verb,
    with the participle it carries ("aurait démissionné")."""
    out = []
    for k, (s, e) in enumerate(bounds):
        words = [doc[i].lower_ for i in range(s, e)]
        if "si" in words or any(w in ("s'", "s’") and nxt in ("il", "ils") for w, nxt in zip(words, words[1:])):
            continue
        for i in range(s, e):
            tok = doc[i]
            if "Cnd" not in tok.morph.get("Mood", []) or "3" not in tok.morph.get("Person", []):
                continue
            if tok.lemma_.lower() in MODALS:
                continue
            end_tok = tok
            if tok.pos_ == "AUX" and tok.head.i > tok.i and tok.head.pos_ == "VERB" and tok.head.i < e:
                end_tok = tok.head  # "aurait démissionné": the auxiliary with its participle
            out.append((k, tok.idx, end_tok.idx + len(end_tok.text)))
    return out
