"""How far a quotation's attribution reaches: the whole quotation, and the paragraphs it runs on into.

The attribution tagger marks content inside one sentence, so a quotation of several sentences gets
its cue's sentence as content and leaves the others as the outlet's own voice:
``"Sales fell in March. We expect a rebound by June," said Ana Ruiz.`` Here an attribution whose
content lies inside a quotation takes the whole quotation (``sayso.quotes`` says where it is), and
when that quotation is left open at the end of its paragraph, news writing's sign that the next
paragraph goes on quoting, it takes the next paragraph's opening quotation too, and so on, as long
as those hold no cue of their own. Unquoted continuations ("He added that ...") are the tagger's
and the rules' business, as before.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc

from sayso.components.attribution_rules import Found, TokRange
from sayso.docindex import index
from sayso.quotes import Quotation, doc_regions


def _inside(doc: Doc, q: Quotation) -> TokRange | None:
    """The tokens of ``q`` between its marks (None when it holds no word)."""
    span = doc.char_span(q.start + 1, q.end - (1 if q.closed else 0), alignment_mode="contract")
    if span is None or not any(not t.is_space and not t.is_punct for t in span):
        return None
    return span.start, span.end


def _within(doc: Doc, c: TokRange, q: Quotation) -> bool:
    """Whether the tokens ``c`` lie inside quotation ``q``, its marks included."""
    return q.start <= doc[c[0]].idx and doc[c[1] - 1].idx + len(doc[c[1] - 1]) <= q.end


def _opens_paragraph(text: str, q: Quotation, after: int) -> bool:
    """Whether ``q`` opens the paragraph that starts after offset ``after`` (a line break, then
    only white space up to its mark)."""
    gap = text[after : q.start]
    return "\n" in gap and not gap.strip()


def extend(doc: Doc, found: list[Found]) -> None:
    """Widens each attribution's content to the quotations it stands in (in place)."""
    text = index(doc).text
    quotes = doc_regions(doc)
    if not quotes or not found:
        return
    inner = [_inside(doc, q) for q in quotes]
    cue_tokens = sorted(i for f in found for i in range(*f.cue))
    starts = [q.start for q in quotes]

    def has_cue(r: TokRange) -> bool:
        k = bisect_right(cue_tokens, r[0] - 1)
        return k < len(cue_tokens) and cue_tokens[k] < r[1]

    sent_of = index(doc).sent_of

    def owner_nearby(k: int) -> bool:
        """Whether an attribution with its cue in one of quotation ``k``'s sentences holds words
        of it (it is that cue's quotation; one further away got it only by nearness)."""
        r = inner[k]
        assert r is not None
        sents = {sent_of[r[0]], sent_of[r[1] - 1]}
        return any(
            sent_of[g.cue[0]] in sents and any(s < r[1] and r[0] < e for s, e in g.content) for g in found
        )

    for f in sorted(found, key=lambda f: f.cue):
        reach: list[int] = []
        for s, _e in f.content:
            k = bisect_right(starts, doc[s].idx) - 1
            if k >= 0 and inner[k] is not None and doc[s].idx < quotes[k].end:
                reach.append(k)
        for k in sorted(set(reach)):
            r = inner[k]
            assert r is not None
            mine = [c for c in f.content if _within(doc, c, quotes[k])]
            touching = [c for c in f.content if c[0] < r[1] and r[0] < c[1]]
            held = {sent_of[i] for s, e in touching for i in range(s, e)}
            if any(sent_of[i] not in held for i in range(*r) if not doc[i].is_space):  # it runs past them
                f.content = [c for c in f.content if c not in mine] + [r]
            while not quotes[k].closed and k + 1 < len(quotes):  # runs on into the next paragraph
                nxt, r = k + 1, inner[k + 1]
                if r is None or has_cue(r) or owner_nearby(nxt) or not _opens_paragraph(text, quotes[nxt], quotes[k].end):
                    break
                for g in found:  # an attribution further on that took it by nearness gives it up
                    g.content = [c for c in g.content if not _within(doc, c, quotes[nxt])]
                f.content.append(r)
                k = nxt
        f.content.sort()
