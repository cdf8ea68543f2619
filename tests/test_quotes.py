"""One quote model (sayso.quotes) for every component: what is inside quotation marks."""

from __future__ import annotations

import pytest

from sayso import quotes


def quoted(text: str) -> list[str]:
    return [text[q.start : q.end] for q in quotes.regions(text)]


def test_marks_pair_by_their_own_closer() -> None:
    assert quoted('He said "yes" and “no” but not ”this') == ['"yes"', "“no”"]
    assert quoted("Er sagte „nein“ und «oui» dann") == ["„nein“", "«oui»"]


def test_single_quotes_are_quotes_only_where_they_cannot_be_apostrophes() -> None:
    text = "He called it ‘a farce’ but didn’t say why the ’90s rock ‘n’ roll mattered to Korea’s people."
    assert quoted(text) == ["‘a farce’"]


def test_single_quotes_inside_a_double_quotation_stay_inside_it() -> None:
    assert quoted("“She told me ‘never’ again,” he said.") == ["“She told me ‘never’ again,”"]


def test_a_line_break_ends_an_unclosed_quotation_and_the_next_paragraph_reopens() -> None:
    text = "He said: “The first part\n“The second part.”\nThe outlet's own line."
    found = quotes.regions(text)
    assert [text[q.start : q.end] for q in found] == ["“The first part", "“The second part.”"]
    assert [q.closed for q in found] == [False, True]
    assert not quotes.is_quoted(found, text.index("outlet"), text.index("outlet") + 6)


def test_token_states_mark_quote_marks_and_insides(nlp) -> None:
    doc = nlp.make_doc("Officials said „the plan failed“ on Monday.")
    states = dict(zip([t.text for t in doc], quotes.token_states(doc), strict=True))
    assert states["„"] == quotes.MARK and states["“"] == quotes.MARK
    assert states["plan"] == quotes.INSIDE
    assert states["Monday"] == quotes.OUTSIDE and states["Officials"] == quotes.OUTSIDE


@pytest.mark.parametrize("opening,closing", [("„", "“"), ("“", "”"), ("«", "»"), ('"', '"')])
def test_a_closed_quotation_does_not_swallow_the_next_sentence(analyze, opening, closing) -> None:
    text = f"Officials said {opening}the plan failed{closing} on Monday. The mayor will likely resign."
    second = analyze(text)["sentences"][1]
    assert second["status"] == "hedged"
    assert any(c["kind"] == "hedge" and "likely" in c["text"] for c in second["cues"])
