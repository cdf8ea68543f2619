"""Named mentions taken from the model's entities and cleaned up.

The small model's spans carry determiners and possessive endings ("the Kursk region’s"), tag
common nouns as organisations ("solidarity"), and tag the first word of a place phrase as a
product ("Kursk" in "the Kursk region"). Each fix here is a general rule of English news text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

# Labels that measure or date things rather than name them; the times component handles dates.
NUMERIC_LABELS = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}

# A capitalised name followed by one of these nouns names a place: "the Kursk region", "Kent
# county", "the Volga river". Administrative units are GPE, natural features LOC.
GPE_NOUNS = {
    "region", "province", "oblast", "district", "county", "state", "city", "town", "village",
    "prefecture", "municipality", "governorate", "canton", "borough", "parish", "krai", "republic",
}
LOC_NOUNS = {
    "river", "sea", "lake", "bay", "valley", "mountains", "mountain", "island", "islands",
    "peninsula", "desert", "coast", "strait", "gulf", "basin", "plain", "plateau", "forest",
}

POSSESSIVE_ENDINGS = {"'s", "’s", "'", "’"}


@dataclass
class Mention:
    start: int  # char offsets into doc.text
    end: int
    tok_start: int  # token offsets
    tok_end: int
    label: str
    pronoun: bool = False
    _words: list[str] | None = field(default=None, repr=False, compare=False)

    def span(self, doc: Doc) -> Span:
        return doc[self.tok_start : self.tok_end]

    def text(self, text: str) -> str:
        """Its characters in ``text`` (``doc.text``: read it once, spaCy joins it on every read)."""
        return text[self.start : self.end]

    def words(self, doc: Doc) -> list[str]:
        if self._words is None:
            self._words = [t.text for t in self.span(doc) if not t.is_punct or t.text == "-"]
        return self._words


def _is_capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper()


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop leading determiners/punctuation and trailing possessive endings/punctuation."""
    while start < end and (doc[start].tag_ in ("DT", "PDT", "PRP$") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].text in POSSESSIVE_ENDINGS or doc[end - 1].tag_ == "POS" or (
        doc[end - 1].is_punct and doc[end - 1].text not in (".",)
    )):
        end -= 1
    # "Korea’s" kept in one token by the tokenizer: cut the ending off the characters only.
    return start, end


def _char_end(doc: Doc, tok_end: int) -> int:
    last = doc[tok_end - 1]
    end = last.idx + len(last.text)
    for ending in ("’s", "'s"):
        if last.text.endswith(ending) and len(last.text) > len(ending):
            return end - len(ending)
    return end


def collect(doc: Doc) -> list[Mention]:
    """Cleaned named mentions in text order."""
    out: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ in NUMERIC_LABELS:
            continue
        start, end = _trim(doc, ent.start, ent.end)
        if start >= end:
            continue
        toks = doc[start:end]
        # A common noun is not a name ("solidarity"): every name has a capitalised word.
        if not any(_is_capitalised(t) for t in toks):
            continue
        label = ent.label_
        nxt = doc[end] if end < len(doc) else None
        # only when that noun heads the phrase: not "U.S. district court", "CNN town hall"
        if label != "PERSON" and nxt is not None and nxt.text.islower() and nxt.dep_ != "compound":
            if nxt.lower_ in GPE_NOUNS:
                end, label = end + 1, "GPE"
            elif nxt.lower_ in LOC_NOUNS:
                end, label = end + 1, "LOC"
        out.append(Mention(doc[start].idx, _char_end(doc, end), start, end, label))
        acronym = _acronym_after(doc, start, end)
        if acronym is not None and not doc[acronym].ent_type_:
            tok = doc[acronym]
            out.append(Mention(tok.idx, tok.idx + len(tok.text), acronym, acronym + 1, label))
    return out


def add_missed_surnames(doc: Doc, found: list[Mention]) -> list[Mention]:
    """The small model misses some repeats of a name ("Okafor said ..." after "Maria Okafor"):
    a capitalised proper noun equal to the surname of a full person name in the article is that
    person too."""
    surnames: set[str] = set()  # and first names: "Ivana" after "Ivana Trump"
    for m in found:
        words = m.words(doc)
        if m.label == "PERSON" and len(words) >= 2:
            surnames.update((words[-1], words[0]))
    covered = {i for m in found for i in range(m.tok_start, m.tok_end)}
    covered |= {i for ent in doc.ents for i in range(ent.start, ent.end)}
    extra = [
        Mention(t.idx, _char_end(doc, t.i + 1), t.i, t.i + 1, "PERSON")
        for t in doc
        if t.i not in covered and t.text in surnames and _name_like(t)
        # not a modifier inside another name ("the Okafor Foundation")
        and not (t.dep_ == "compound" and t.head.pos_ == "PROPN" and t.head.i > t.i)
    ]
    return sorted(found + extra, key=lambda m: m.start)


def _name_like(tok: Token) -> bool:
    """A capitalised word used as a name: the tagger may call a name that is also a common word
    ("Trump", "Young") a noun; at the start of a sentence only a subject counts."""
    if tok.pos_ == "PROPN":
        return True
    if tok.pos_ not in ("NOUN", "ADJ"):
        return False
    return not tok.is_sent_start or tok.dep_ in ("nsubj", "nsubjpass")


def _title_case_line(doc: Doc, text: str, i: int) -> bool:
    """Whether token ``i`` sits on a line whose words are mostly capitalised (a headline)."""
    start = text.rfind("\n", 0, doc[i].idx) + 1
    end = text.find("\n", doc[i].idx)
    words = [w for w in text[start : end if end >= 0 else len(text)].split() if w[:1].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def trim_run_on_names(doc: Doc, text: str, found: list[Mention]) -> None:
    """Headlines in title case make the model run a name into the next words ("Obama Seeks"):
    a person mention that starts with the first or last name of another person in the article and
    goes on with words that are not part of that name is cut to the name."""
    names = [m.words(doc) for m in found if m.label == "PERSON" and len(m.words(doc)) >= 2]
    for m in found:
        words = m.words(doc)
        if m.label != "PERSON" or len(words) < 2 or m.tok_end - m.tok_start != len(words):
            continue
        if not _title_case_line(doc, text, m.tok_start):
            continue
        for name in names:
            if name == words or words[-1] in name:
                continue
            if words[0] == name[-1] and not any(words[1] in other for other in names if other != words):
                m.tok_end = m.tok_start + 1
                m.end = _char_end(doc, m.tok_end)
                m._words = None
                break


def _acronym_after(doc: Doc, start: int, end: int) -> int | None:
    """The token of "(UAF)" right after "Ukrainian Armed Forces" when its letters are the initials."""
    if end + 2 >= len(doc) or doc[end].text != "(" or doc[end + 2].text != ")":
        return None
    word = doc[end + 1].text
    initials = "".join(t.text[0] for t in doc[start:end] if t.text[:1].isupper())
    return end + 1 if word.isupper() and len(word) >= 2 and word == initials else None
