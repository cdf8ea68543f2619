"""Attribution rules over a Universal Dependencies parse, for the languages whose base pipeline
speaks UD (French, Russian): a reporting verb with its subject and its clause or quotation, an
"according to" phrase ("selon X", "по словам X", "как сообщает X") with the statement it stands in,
and the channel a statement went through. What a language's words are comes from its speech
lexicon (``sayso.lexicon.speech``); the rules themselves are the same for every language.

English keeps its own rules (``attribution_rules``), written for its parser's labels and beside a
trained tagger; these give the same ``Found`` records, which the attribution component links,
widens to whole quotations and types as it does for English.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from sayso.components import attribution_rules
from sayso.components.attribution_rules import Found, TokRange
from sayso.docindex import sentence_bounds, sentence_of_token
from sayso.lexicon.speech import Speech
from sayso.quotes import token_regions

SUBJECTS = frozenset({"nsubj", "nsubj:pass", "expl:subj"})  # expl:subj: "a-t-il ajouté"
CLAUSES = frozenset({"ccomp", "parataxis"})
CUE_PARTS = frozenset({"aux", "aux:pass", "advmod:neg"})  # "a déclaré", "n'a pas dit"
# What a noun phrase stops at: a clause or apposition hanging from it, a comma, a coordination.
PHRASE_STOPS = frozenset({"appos", "acl", "acl:relcl", "punct", "cc", "conj", "parataxis", "advcl"})
DASHES = frozenset({"—", "–", "-", "--"})


def find(doc: Doc, speech: Speech) -> list[Found]:
    """The attributions these rules read in ``doc``, in text order of their cues."""
    if not len(doc):
        return []
    bounds = sentence_bounds(doc)
    sent_of = sentence_of_token(doc)
    quoted = token_regions(doc)
    out: list[Found] = []
    taken: set[int] = set()
    for tok in doc:
        if tok.i in taken or tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in speech.verbs:
            continue
        if _quoted(tok, quoted) and not _dash_cue(doc, tok, bounds[sent_of[tok.i]]):
            continue  # a reporting verb inside a quotation is part of what the source said
        found = _verb(doc, tok, speech, bounds[sent_of[tok.i]], quoted)
        if found is not None:
            out.append(found)
            taken.update(range(*found.cue))
    according = _according(doc, speech, bounds, sent_of)
    # "как сообщает ТАСС": the phrase holds the verb; the phrase, with its content, is the attribution
    out = [f for f in out if not any(a.cue[0] < f.cue[1] and f.cue[0] < a.cue[1] for a in according)]
    return sorted(out + according, key=lambda f: f.cue)


def noun_phrase(head: Token) -> TokRange:
    """The phrase of ``head`` without appositions, relative clauses or anything after a comma."""
    return attribution_rules.noun_phrase(head, PHRASE_STOPS, left_stops=True)


def _cue(tok: Token) -> TokRange:
    start = tok.i
    for child in tok.lefts:
        if child.dep_ in CUE_PARTS or child.lower_ in ("не", "ne", "n'"):
            start = min(start, child.i)
    return start, tok.i + 1


def _verb(doc: Doc, verb: Token, speech: Speech, sent: TokRange, quoted: list[tuple[int, int]]) -> Found | None:
    cue = _cue(verb)
    found = Found(cue=cue)
    subjects = sorted(
        # a quoted clause the parser took for the subject is what was said, never who said it
        (c for c in verb.children if c.dep_ in SUBJECTS and c.lower_ not in ("-t", "-t-") and not _quoted(c, quoted)),
        key=lambda c: c.dep_ == "expl:subj",  # a real subject before an inverted pronoun
    )
    in_sentence = [(s, e) for s, e in quoted if sent[0] <= s < sent[1] and not (s <= cue[0] < e)]
    if not subjects and (in_sentence or verb.dep_ == "parataxis" or _dash_cue(doc, verb, sent)):
        # "« … », a déclaré le ministre", "— …, — заявил министр": after the quotation the subject
        # follows its verb, and small parsers read it as the object
        subjects = [c for c in verb.rights if c.dep_ == "obj" and c.pos_ in ("NOUN", "PROPN") and not _quoted(c, quoted)][:1]
    if subjects:
        head = _named_apposition(subjects[0]) or _name_after_comma(doc, subjects[0]) or subjects[0]
        found.source = noun_phrase(head)
        found.unnamed = _unnamed(doc, found.source, head, speech)
    clauses = [c for c in verb.children if c.dep_ in CLAUSES and not _within(c.i, found.source)]
    if in_sentence:
        # "« Nous sommes prêts », a déclaré X": the quotation is the content, whichever way the
        # parser hung it ("a déclaré" is often a parataxis of the quoted clause)
        found.content = [(s + 1, e) if doc[s].is_punct else (s, e) for s, e in in_sentence]
        found.content = [(s, e - 1) if e - 1 > s and doc[e - 1].is_punct else (s, e) for s, e in found.content]
    elif clauses:
        c = clauses[0]
        found.content = [_clause(doc, c)]
    elif verb.dep_ == "parataxis" and verb.head.i != verb.i:
        # "Le plan a échoué, a-t-il dit": the statement is the clause the cue hangs from
        found.content = [_clause_without(doc, verb.head, verb, sent)]
    else:
        dashed = _dash_content(doc, verb, sent)
        if dashed is not None:
            found.content = [dashed]
    # speech opened by a dialogue dash is direct speech, whichever way the parser hung it
    found.dialogue = bool(found.content) and _dash_content(doc, verb, sent) is not None
    found.channel = _channel(verb, speech)
    if found.source is None and not found.content:
        return None
    found.content = [r for r in found.content if r[1] > r[0]]
    return found


def _named_apposition(head: Token) -> Token | None:
    """"Le porte-parole du Kremlin, Dmitri Peskov, a affirmé": the name in apposition is the
    source (the role before it is how the article describes that person)."""
    doc = head.doc
    for child in head.rights:
        named = child.pos_ == "PROPN" or child.ent_type_ == "PERSON"
        # small parsers often read the apposition after a comma as a conjunct
        comma = child.i > 0 and doc[child.i - 1].text == ","
        if named and (child.dep_ == "appos" or (child.dep_ == "conj" and comma and head.pos_ == "NOUN")):
            return child
    return None


def _name_after_comma(doc: Doc, head: Token) -> Token | None:
    """"le ministre de la Culture, Rachida Dati, …" where the parser hung the name elsewhere: a
    person's name right after the comma that ends the role's phrase."""
    end = noun_phrase(head)[1]
    if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].ent_type_ == "PERSON":
        return doc[end + 1]
    return None


def _quoted(tok: Token, quoted: list[tuple[int, int]]) -> bool:
    return any(s <= tok.i <= e for s, e in quoted)


def _within(i: int, rng: TokRange | None) -> bool:
    return rng is not None and rng[0] <= i < rng[1]


def _clause(doc: Doc, head: Token) -> TokRange:
    start, end = head.left_edge.i, head.right_edge.i + 1
    # the conjunction ("que", "что") and a comma before it are not content
    while start < end and (doc[start].dep_ == "mark" or doc[start].is_punct) and start < head.i:
        start += 1
    while end > start + 1 and doc[end - 1].is_punct:
        end -= 1
    return start, end


def _clause_without(doc: Doc, head: Token, cue_head: Token, sent: TokRange) -> TokRange:
    """``head``'s clause up to the reporting clause hanging from it."""
    start = max(head.left_edge.i, sent[0])
    end = cue_head.left_edge.i
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while start < end and doc[start].is_punct:
        start += 1
    return start, end


def _dash_cue(doc: Doc, verb: Token, sent: TokRange) -> bool:
    """Whether ``verb`` stands right after a dialogue dash ("— Мы готовы, — заявил Песков")."""
    i = verb.i - 1
    while i >= sent[0] and (doc[i].dep_ in CUE_PARTS or doc[i].text == ","):
        i -= 1
    return i >= sent[0] and doc[i].text in DASHES


def _dash_content(doc: Doc, verb: Token, sent: TokRange) -> TokRange | None:
    """Dialogue: a sentence opened by a dash holds the speech up to the dash before the cue."""
    first = sent[0]
    while first < sent[1] and doc[first].is_space:
        first += 1
    if first >= sent[1] or doc[first].text not in DASHES or not _dash_cue(doc, verb, sent):
        return None
    end = verb.i - 1
    while end > first and (doc[end].text in DASHES or doc[end].text == "," or doc[end].dep_ in CUE_PARTS):
        end -= 1
    return (first + 1, end + 1) if end > first else None


def _channel(verb: Token, speech: Speech) -> TokRange | None:
    """A channel noun among the verb's obliques, also under an adverb ("lors d'une conférence")."""
    todo = [(c, 0) for c in verb.children]
    while todo:
        tok, depth = todo.pop(0)
        if tok.dep_ in CLAUSES or tok.dep_ in SUBJECTS:
            continue
        if (tok.dep_.startswith(("obl", "nmod"))) and tok.lemma_.lower() in speech.channels:
            return _strip_case(tok)
        if depth < 1 and tok.dep_.startswith(("advmod", "obl", "nmod")):
            todo.extend((c, depth + 1) for c in tok.children)
    return None


def _strip_case(tok: Token) -> TokRange:
    """The channel's phrase: "lors d'une conférence de presse" from "lors" when it governs it."""
    start = tok.left_edge.i
    if tok.head.dep_ == "advmod" and tok.head.i < start:
        start = tok.head.i
    return start, tok.right_edge.i + 1


def _unnamed(doc: Doc, source: TokRange, head: Token, speech: Speech) -> bool:
    """An unnamed source: its head is a word such as "source" and no name stands in the phrase."""
    # the name test looks at the head alone: "источников в Госдуме" are unnamed sources in a named body
    if head.pos_ in ("PRON", "PROPN") or head.ent_type_:
        return False
    if head.lemma_.lower() in speech.anonymous:
        return True
    # "des économistes", "une source": an indefinite common noun names no one
    return any(c.dep_ == "det" and "Ind" in c.morph.get("Definite", []) for c in head.children)


def _according(doc: Doc, speech: Speech, bounds: list[TokRange], sent_of: list[int]) -> list[Found]:
    """"Selon X, …", "…, по словам X.", "как сообщает ТАСС": the phrase is the cue, the noun
    phrase after it the source, the rest of the sentence on its side of the comma the content."""
    lower = [t.lower_ for t in doc]
    out: list[Found] = []
    i = 0
    while i < len(doc):
        phrase = next((p for p in speech.according if tuple(lower[i : i + len(p)]) == p), None)
        if phrase is None:
            i += 1
            continue
        s, e = bounds[sent_of[i]]
        cue = (i, i + len(phrase))
        source = _phrase_after(doc, cue[1], e)
        if source is None:
            i += len(phrase)
            continue
        found = Found(cue=cue, source=source)
        found.unnamed = _unnamed(doc, source, doc[source[0] : source[1]].root, speech)
        found.content = [r for r in (_rest_of_sentence(doc, cue, source, (s, e)),) if r[1] > r[0]]
        out.append(found)
        i = source[1]
    return out


def _phrase_after(doc: Doc, start: int, sent_end: int) -> TokRange | None:
    """The noun phrase that starts at ``start``, up to a comma or the sentence's end."""
    end = start
    while end < sent_end and doc[end].text not in (",", ".", ";", ":", "!", "?") and doc[end].text not in DASHES:
        end += 1
    if end == start:
        return None
    heads = [t for t in doc[start:end] if t.pos_ in ("NOUN", "PROPN", "PRON")]
    return (start, end) if heads else None


def _rest_of_sentence(doc: Doc, cue: TokRange, source: TokRange, sent: TokRange) -> TokRange:
    s, e = sent
    while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space):
        e -= 1
    if cue[0] - s <= 2:  # the phrase opens the sentence: the statement follows its comma
        start = source[1]
        while start < e and (doc[start].is_punct or doc[start].is_space):
            start += 1
        return start, e
    end = cue[0]  # it closes the sentence, or stands inside: the statement is before it
    while end > s and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    while s < end and (doc[s].is_space or doc[s].is_punct):
        s += 1
    return s, end
