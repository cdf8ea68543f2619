"""Text integrity findings, the repaired copy and the offset map back to the original."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sayso.integrity import repair


def kinds(text):
    return [(f.kind, text[f.start : f.end], f.suggestion) for f in repair(text).findings]


def test_mixed_script_name_is_transliterated():
    text = "Defense Minister Andrei Beloусов spoke. Beloусов’s aides agreed."
    found = kinds(text)
    assert ("mixed-script", "Beloусов", "Belousov") in found
    assert len([f for f in found if f[0] == "mixed-script"]) == 2
    assert repair(text).text == "Defense Minister Andrei Belousov spoke. Belousov’s aides agreed."


def test_confusable_uses_lookalike():
    text = "Log in at pаypal to confirm your account, the message said."  # Cyrillic а
    assert kinds(text) == [("confusable", "pаypal", "paypal")]


def test_confirmed_against_other_mentions():
    # "Сhen" with a Cyrillic С: all look-alikes, so confusable; the plain form appears elsewhere
    text = "Mr. Chen said the vote was fair. Later Сhen added more."
    assert kinds(text) == [("confusable", "Сhen", "Chen")]


def test_invisible_and_bidi_dropped_with_offsets_kept():
    text = "The mini\u200bster said\u202e yes."
    rep = repair(text)
    assert [f.kind for f in rep.findings] == ["invisible", "bidi-control"]
    assert rep.text == "The minister said yes."
    s = rep.text.index("minister")
    start, end = rep.offsets.span(s, s + len("minister"))
    assert text[start:end] == "mini\u200bster"


def test_mojibake_fixed():
    text = "The mayor said itâ€™s over."
    rep = repair(text)
    assert [f.kind for f in rep.findings] == ["mojibake"]
    assert "it’s" in rep.text
    s = rep.text.index("it’s")
    start, end = rep.offsets.span(s, s + 4)
    assert text[start:end] == "itâ€™s"


def test_clean_text_untouched():
    text = "Plain English text with café, naïve and São Paulo in it."
    rep = repair(text)
    assert rep.findings == [] and rep.text == text
    assert rep.offsets.span(3, 9) == (3, 9)


def test_all_cyrillic_word_in_latin_text_not_flagged():
    assert kinds("The newspaper Известия reported the story.") == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc уеоХ\u200b\u202eâ€™.\n")), max_size=40))
def test_offset_map_stays_inside_original(text):
    rep = repair(text)
    for i in range(len(rep.text) + 1):
        for j in range(i, min(len(rep.text), i + 3) + 1):
            s, e = rep.offsets.span(i, j)
            assert 0 <= s <= e <= len(text)
