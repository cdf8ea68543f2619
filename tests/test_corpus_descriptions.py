"""Descriptions and leftover pronouns linked to corpus ids (sayso.corpus.descriptions), and a given
name alone joining its story's full name (sayso.corpus.xdoc)."""

from __future__ import annotations

from sayso.corpus import descriptions as d
from sayso.corpus import xdoc


def _ids(text: str, spans: list[d.Span]) -> dict[str, str]:
    return {text[s.start : s.end]: s.corpus_id for s in spans}


def test_a_description_joins_the_person_whose_role_it_names_in_the_article():
    text = "Jane Roe checked into rehab. The actress said nothing. A driver drove her there."
    people = [d.Person("person:jane-roe", frozenset({"actress"}), 3, "f"), d.Person("person:john-doe", frozenset({"agent"}), 5, "m")]
    found = _ids(text, d.link(text, "s1", [(0, 8, "person:jane-roe")], people, {}))
    assert found["actress"] == "person:jane-roe"
    assert "Jane" not in found  # inside an entity mention: left to the entity


def test_a_description_without_a_role_in_its_article_uses_its_story():
    people = [("a", "s1", d.Person("person:jane-roe", frozenset({"actress"}), 3, "f")),
              ("a", "s1", d.Person("person:john-doe", frozenset(), 9, "m")),
              ("b", "s2", d.Person("person:ann-poe", frozenset({"actress"}), 2, "f"))]
    by_story = d.story_roles(people)
    text = "The actress was seen leaving. A woman waved. Police arrived."
    found = _ids(text, d.link(text, "s1", [], [], by_story))
    assert found["actress"] == "person:jane-roe"  # not the actress of the other story
    assert found["woman"] == "person:jane-roe"  # the story's most-mentioned woman, not its most-mentioned person
    other = _ids(text, d.link(text, "s2", [], [], by_story))
    assert other["actress"] == "person:ann-poe"


def test_plural_descriptions_meet_across_articles_of_one_story_only():
    a = _ids("Police said the men fled.", d.link("Police said the men fled.", "s1", [], [], {}))
    b = _ids("The men were caught by police.", d.link("The men were caught by police.", "s1", [], [], {}))
    c = _ids("The men were caught by police.", d.link("The men were caught by police.", "s2", [], [], {}))
    assert a["men"] == b["men"] != c["men"]
    assert b["police"] == c["police"].replace("s2", "s1")
    assert a["Police"] == b["police"]  # capitalised only because it starts the sentence
    mid = _ids("He met Judge Dredd.", d.link("He met Judge Dredd.", "s1", [], [], {}))
    assert "Judge" not in mid  # capitalised inside a sentence: part of a name, not a description


def test_who_and_they_join_what_they_follow():
    text = "A man who lives nearby saw the robbers. They ran."
    found = _ids(text, d.link(text, "s1", [], [], {}))
    assert found["who"] == found["man"]
    assert found["They"] == found["robbers"]


def test_gender_of_an_entity_from_its_pronouns():
    assert d.gender_of(["Jane Roe", "she", "her", "his"]) == "f"
    assert d.gender_of(["Acme"]) is None


def test_a_given_name_alone_joins_the_one_full_name_in_its_story():
    row = xdoc.EntityRow
    ids = xdoc.link([row("a", "e0", "Lindsay Lohan", "PERSON", "s1"), row("b", "e0", "Lindsay", "PERSON", "s1"),
                     row("c", "e0", "Lindsay", "PERSON", "s2"), row("d", "e0", "Lindsay Lohan Checks Into Rehab", "PERSON", "s3")])
    assert ids[("b", "e0")] == ids[("a", "e0")] == ids[("d", "e0")]
    assert ids[("c", "e0")] == ids[("a", "e0")]  # no full name in its story: the one the corpus has
    two = xdoc.link([row("a", "e0", "Lindsay Lohan", "PERSON", "s1"), row("b", "e0", "Lindsay Vonn", "PERSON", "s2"),
                     row("c", "e0", "Lindsay", "PERSON", "s3")])
    assert ids[("c", "e0")] != two[("c", "e0")] and two[("c", "e0")] not in {two[("a", "e0")], two[("b", "e0")]}


def test_a_singular_description_with_no_role_anywhere_joins_the_story_s_main_person():
    by_story = d.story_roles([("a", "s1", d.Person("person:ellen-roe", frozenset(), 9, "f")),
                              ("a", "s1", d.Person("person:tom-poe", frozenset(), 2, "m"))])
    text = "The host thanked the workers."
    found = _ids(text, d.link(text, "s1", [], [], by_story))
    assert found["host"] == "person:ellen-roe"
    assert found.get("workers", "").startswith("desc:s1:")  # a plural stays a group of its own


def test_a_capitalised_word_that_ends_one_name_of_its_story_is_that_entity():
    last = d.story_last_words([("s1", "Indianapolis Colts", "org:indianapolis-colts"), ("s1", "Kansas City Chiefs", "org:kc"),
                               ("s1", "Bill Smith", "person:bill-smith"), ("s1", "Jane Smith", "person:jane-smith")])
    text = "The Colts beat the Chiefs. Smith scored."
    found = _ids(text, d.link(text, "s1", [], [], {}, last_words=last))
    assert found["Colts"] == "org:indianapolis-colts" and found["Chiefs"] == "org:kc"
    assert "Smith" not in found  # two entities of the story end with it


def test_one_word_names_join_the_longer_name_of_their_story_and_one_name_is_one_type():
    row = xdoc.EntityRow
    ids = xdoc.link([row("a", "e0", "New Orleans Saints", "ORG", "s1"), row("b", "e0", "Saints", "ORG", "s1"),
                     row("c", "e0", "Saints", "ORG", "s2"), row("d", "e0", "Creighton", "GPE", "s3"),
                     row("e", "e0", "Creighton", "ORG", "s3"), row("f", "e0", "Creighton", "ORG", "s4"),
                     row("g", "e0", "Creighton", "PERSON", "s4")])
    assert ids[("b", "e0")] == ids[("a", "e0")] != ids[("c", "e0")]
    assert ids[("d", "e0")] == ids[("e", "e0")] == ids[("f", "e0")] == ids[("g", "e0")]


def test_first_person_inside_a_quote_joins_its_speaker():
    text = '"I am fine and my family is fine," Jane Roe said. I doubt it.'
    quotes = [(0, text.index(",\"") + 2, "person:jane-roe")]
    found = _ids(text, d.link(text, "s1", [], [], {}, quotes=quotes))
    assert found["I"] == found["my"] == "person:jane-roe"
    assert sum(1 for s in d.link(text, "s1", [], [], {}, quotes=quotes) if text[s.start : s.end] == "I") == 1  # outside the quote: no one


def test_a_leftover_he_joins_the_nearest_person_of_his_gender():
    text = "Jane Roe met John Doe. Later he left."
    people = [d.Person("person:jane-roe", frozenset(), 2, "f"), d.Person("person:john-doe", frozenset(), 2, None)]
    found = _ids(text, d.link(text, "s1", [(0, 8, "person:jane-roe"), (13, 21, "person:john-doe")], people, {}))
    assert found["he"] == "person:john-doe"
    text2 = "John Doe met Jane Roe. Later he left."
    people2 = [d.Person("person:john-doe", frozenset(), 2, "m"), d.Person("person:jane-roe", frozenset(), 2, "f")]
    found2 = _ids(text2, d.link(text2, "s1", [(0, 8, "person:john-doe"), (13, 21, "person:jane-roe")], people2, {}))
    assert found2["he"] == "person:john-doe"  # not the nearer woman


def test_group_words_of_one_kind_are_one_group_and_the_company_is_the_story_s_organisation():
    by_story = d.story_roles([("a", "s1", d.Person("org:acme", frozenset(), 7, organisation=True)),
                              ("a", "s1", d.Person("org:tiny", frozenset(), 1, organisation=True))])
    text = "Officers said the cops were there. The company said Acme and its staff were safe."
    spans = d.link(text, "s1", [(52, 56, "org:acme")], [], by_story)
    found = _ids(text, spans)
    assert found["Officers"] == found["cops"]
    assert found["company"] == found["its"] == "org:acme"


def test_a_noun_shaped_like_a_doer_is_a_description_and_a_thing_is_not():
    text = "The escapee fled past the guards. A sex offender who hid was caught near the water."
    found = _ids(text, d.link(text, "s1", [], [], {}))
    assert {"escapee", "guards", "offender"} <= set(found)
    assert found["who"] == found["offender"]
    assert "water" not in found


def test_who_after_a_name_and_an_age_joins_the_name():
    text = "Tara Reid, 33, who starred in films, checked in."
    found = _ids(text, d.link(text, "s1", [(0, 9, "person:tara-reid")], [], {}))
    assert found["who"] == "person:tara-reid"


def test_a_capitalised_person_noun_in_a_headline_or_after_the_counts_and_a_title_before_a_name_does_not():
    text = "Queens Woman Killed In Hit-And-Run Crash\nAs the President explained, President Smith left."
    found = _ids(text, d.link(text, "s1", [], [], {}))
    assert "Woman" in found and "President" in found
    assert [s for s in d.link(text, "s1", [], [], {}) if text[s.start : s.end] == "President"][0].start == text.index("President")


def test_a_short_given_name_meets_its_long_form_in_a_story():
    row = xdoc.EntityRow
    ids = xdoc.link([row("a", "e0", "Fred LaRue", "PERSON", "s1"), row("b", "e0", "Fred LaRue", "PERSON", "s1"),
                     row("c", "e0", "Frederick LaRue", "PERSON", "s1"), row("d", "e0", "LaRue", "PERSON", "s1"),
                     row("e", "e0", "Frederick LaRue", "PERSON", "s2"), row("f", "e0", "Bill Clinton", "PERSON", "s3"),
                     row("g", "e0", "Hillary Clinton", "PERSON", "s3")])
    assert ids[("a", "e0")] == ids[("c", "e0")] == ids[("d", "e0")]
    assert ids[("f", "e0")] != ids[("g", "e0")]
