"""Corpus rules on small texts, without a store: names, corpus ids, duplicates, stories, claims, drift."""

from __future__ import annotations

import datetime as dt

import numpy as np

from sayso.corpus import claims, dedup, drift, stories, vectors, xdoc
from sayso.corpus.linkage import average_linkage
from sayso.corpus.names import clean
from sayso.corpus.numbers import values


def test_names_lose_epithets_debris_and_adjectives():
    assert clean("Crooked Hillary Clinton", "PERSON").key == "hillary clinton"
    assert clean("Obama Says", "PERSON").display == "Obama"
    assert clean("President Barack Obama", "PERSON").key == "barack obama"
    assert clean("Loretta E. Lynch", "PERSON").key == clean("Loretta Lynch", "PERSON").key
    assert clean("Democratic", "NORP") is None
    assert clean("officials", "ORG") is None
    assert clean("the Kursk region’s", "GPE").display == "Kursk region"


def _row(article, entity, name, story="s1", type="PERSON"):
    return xdoc.EntityRow(article, entity, name, type, story)


def test_one_person_across_articles_but_not_two_sharing_a_surname():
    ids = xdoc.link([
        _row("a", "e0", "Barack Obama"), _row("b", "e0", "President Obama"), _row("c", "e0", "Obama Says"),
        _row("d", "e0", "Bill Clinton", "s2"), _row("e", "e0", "Hillary Clinton", "s3"),
        _row("f", "e0", "Crooked Hillary Clinton", "s4"), _row("g", "e0", "Clinton", "s3"),
        _row("h", "e0", "Loretta E. Lynch"), _row("i", "e0", "Loretta Lynch"),
    ])
    assert ids[("a", "e0")] == ids[("b", "e0")] == ids[("c", "e0")]
    assert ids[("d", "e0")] != ids[("e", "e0")]
    assert ids[("e", "e0")] == ids[("f", "e0")] == ids[("g", "e0")]  # the surname joins the Clinton of its story
    assert ids[("h", "e0")] == ids[("i", "e0")]


def test_a_surname_shared_by_two_people_in_its_story_stays_apart():
    ids = xdoc.link([_row("a", "e0", "Bill Clinton"), _row("a", "e1", "Hillary Clinton"), _row("b", "e0", "Clinton")])
    assert ids[("b", "e0")] not in {ids[("a", "e0")], ids[("a", "e1")]}


def test_a_lone_surname_joins_the_full_name_that_dominates_the_corpus():
    rows = [_row(f"a{k}", "e0", "Barack Obama", f"s{k}") for k in range(5)] + [
        _row("m", "e0", "Michelle Obama", "s9"), _row("x", "e0", "Obama", "s10"),
        _row("b", "e0", "Bill Clinton", "s11"), _row("h", "e0", "Hillary Clinton", "s12"), _row("y", "e0", "Clinton", "s13"),
    ]
    ids = xdoc.link(rows)
    assert ids[("x", "e0")] == ids[("a0", "e0")] != ids[("m", "e0")]
    assert ids[("y", "e0")] not in {ids[("b", "e0")], ids[("h", "e0")]}  # neither dominates


def test_headline_debris_and_role_words_join_their_story_person():
    common = frozenset({"checks", "comedian", "says"})
    ids = xdoc.link([_row("a", "e0", "Lindsay Lohan"), _row("b", "e0", "Lindsay Checks"), _row("c", "e0", "Comedian Lohan")], common)
    assert ids[("a", "e0")] == ids[("b", "e0")] == ids[("c", "e0")]


def test_corpus_ids_do_not_depend_on_input_order():
    rows = [_row("a", "e0", "Barack Obama"), _row("b", "e0", "Obama"), _row("c", "e0", "NATO", type="ORG"),
            _row("d", "e0", "North Atlantic Treaty Organization", type="ORG")]
    assert xdoc.link(rows) == xdoc.link(rows[::-1])
    assert xdoc.link(rows)[("c", "e0")] == xdoc.link(rows)[("d", "e0")]


BASE = (
    "The city council of Marlow voted on Tuesday evening to approve a new budget of 14 million dollars for the "
    "coming year, which includes money for parks, roads, two libraries and a new fire station on the east side. "
    "Mayor Ada Finch said the vote was the result of months of talks with residents and local business owners."
)


def test_near_duplicates_are_marked_and_point_at_the_first_copy():
    edited = BASE.replace("Tuesday evening", "Tuesday night")
    other = "A bridge collapsed in Dunmore after heavy rain on Monday; nobody was hurt, the fire brigade said on the radio."
    dups = dedup.duplicate_of(["x", "y", "z"], [BASE, edited, other], [(1,), (0,), (2,)])
    assert dups == {"x": "y"}


QUAKE_A = [
    "A magnitude 6.1 earthquake struck Caldera Province on Monday, killing 12 people in the town of Velmar.",
    "The Caldera Province quake destroyed 300 homes in Velmar, rescuers in Caldera said; the death toll rose to 12.",
]
QUAKE_B = [
    "A magnitude 5.4 earthquake hit the island of Osgard on Friday, injuring 40 residents of Port Linnet.",
    "In Port Linnet on Osgard, the earthquake damaged the harbour and 40 people were hurt, officials in Osgard said.",
]


def test_two_events_of_the_same_kind_are_two_stories_in_any_order():
    arts = [stories.Article(id=f"{k}{i}", text=t) for k, texts in (("a", QUAKE_A), ("b", QUAKE_B)) for i, t in enumerate(texts)]
    groups = stories.group(arts)
    assert sorted(sorted(a.id for a in g) for g in groups) == [["a0", "a1"], ["b0", "b1"]]
    assert [[a.id for a in g] for g in stories.group(arts[::-1])] == [[a.id for a in g] for g in groups]


def test_online_update_keeps_stories_and_new_article_joins_or_opens_one():
    old = [stories.Article(id=f"a{i}", text=t, story="s-quake") for i, t in enumerate(QUAKE_A)]
    new = [
        stories.Article(id="n1", text="Rescuers in Velmar, Caldera Province, found no more survivors of the earthquake; 12 died."),
        stories.Article(id="n2", text="Dunmore bakery wins a regional prize for its rye bread, the third time in five years."),
    ]
    groups = stories.group(old + new, update=True)
    by_id = {a.id: k for k, g in enumerate(groups) for a in g}
    assert by_id["n1"] == by_id["a0"] == by_id["a1"] and by_id["n2"] != by_id["a0"]
    names = stories.name_stories(groups, {"a0": "s-quake", "a1": "s-quake"})
    assert names[by_id["a0"]] == "s-quake" and names[by_id["n2"]].startswith("s-")


def test_time_window_keeps_far_apart_articles_out_of_one_story():
    arts = [
        stories.Article(id="a0", text=QUAKE_A[0], published=dt.date(2020, 1, 1)),
        stories.Article(id="a1", text=QUAKE_A[1], published=dt.date(2023, 1, 1)),
    ]
    assert len(stories.group(arts)) == 2


def test_average_linkage_frozen_groups_never_merge():
    groups = average_linkage(["a", "b", "c"], {(0, 1): 0.9, (1, 2): 0.9, (0, 2): 0.9}, 0.5, frozen=[[0], [1]])
    assert len(groups) == 2


def test_numbers_however_written():
    assert values("about 40 jobs") == values("nearly forty positions") == {40.0}
    assert values("At least forty-five soldiers") == {45.0}
    assert values("a $1.2 million contract") == {1_200_000.0}


def _claim(article, text, status="asserted"):
    return claims.Claim(article, 0, 0, len(text), text, status)


def test_same_claim_in_other_words_links_and_a_different_number_does_not():
    a = _claim("a", "Orrin Biotech has cut about 40 jobs at its Denholm plant.")
    b = _claim("b", "Orrin Biotech eliminated nearly forty positions at its Denholm plant last week.")
    c = _claim("c", "Orrin Biotech eliminated 120 positions at its Denholm plant last week.")
    d = _claim("d", "Shares of a bakery chain in Ashgrove rose 3 percent.")
    linked = {(x, y) for x, y, _ in claims.link([a, b, c, d])}
    assert (0, 1) in linked
    assert (0, 2) not in linked and (1, 2) not in linked
    assert not any(3 in pair for pair in linked)


def test_hedge_outside_the_claim_does_not_count():
    text = "Orrin Biotech, which may revisit its hiring plans next year, eliminated nearly forty positions."
    at = text.index("may")
    claim = drift.claim_of("b", 0, 0, len(text), text, [], [drift.Cue("hedge", "may", at, at + 3)])
    assert claim.status == "asserted" and "does not hold the claim" in claim.why
    hedged = "Orrin Biotech may have eliminated nearly forty positions."
    at = hedged.index("may")
    assert drift.claim_of("a", 0, 0, len(hedged), hedged, [], [drift.Cue("hedge", "may", at, at + 3)]).status == "hedged"


def _attributed(article, source, named):
    text = f"{source} said the mill's permit was revoked on June 2."
    content = (text.index("the mill"), len(text) - 1)
    att = drift.Attribution("indirect", source, source if named else None, "e0" if named else None, "said", len(source) + 1, (content,))
    return drift.claim_of(article, 0, 0, len(text), text, [att], [])


def test_hardened_softened_and_different_sources_are_same():
    plain = _claim("b", "The mill's permit was revoked on June 2.")
    official = _attributed("a", "Company officials", named=False)
    named = _attributed("c", "Ross Ebbing", named=True)
    assert official.status == "anonymous" and named.status == "attributed" and named.source == "Ross Ebbing"
    assert drift.change(official, plain) == "hardened"
    assert drift.change(plain, official) == "softened"
    assert drift.change(official, named) == "same"  # attributed on both sides, to different sources
    assert drift.change(plain, plain) == "same"


def test_a_big_story_compares_each_article_with_its_nearest_only():
    found = [_claim(f"a{k:02d}", f"The ferry Marlin sank near Osgard with {k + 100} passengers on board.") for k in range(30)]
    x = claims.claim_matrix(found)
    rows = {c.article: [k] for k, c in enumerate(found)}
    pairs = claims.article_pairs(x, rows, neighbours=5)
    assert len(pairs) <= 30 * 5 and len(pairs) < 30 * 29 // 2
    assert all(sum(1 for p in pairs if a in p) >= 5 for a in rows)


def test_an_item_that_stands_for_a_story_averages_as_its_members_would():
    members = {(0, 3): 0.5, (1, 3): 0.2, (2, 3): 0.05, (0, 1): 0.6, (0, 2): 0.6, (1, 2): 0.6}
    explicit = average_linkage(["a", "b", "c", "n"], members, 0.24, frozen=[[0, 1, 2]])
    as_one = average_linkage(["s", "n"], {(0, 1): 0.5 + 0.2 + 0.05}, 0.24, frozen=[[0]], sizes=[3, 1])
    assert explicit == [[0, 1, 2, 3]] and as_one == [[0, 1]]  # average 0.25: joins
    assert sorted(average_linkage(["s", "n"], {(0, 1): 0.7}, 0.24, frozen=[[0]], sizes=[3, 1])) == [[0], [1]]  # 0.233: not with 3 members
    assert average_linkage(["s", "n"], {(0, 1): 0.7}, 0.24, frozen=[[0]]) == [[0, 1]]  # it would as one


def test_joining_stored_stories_by_their_centroids_is_the_frozen_members_grouping():
    old = [stories.Article(id=f"a{i}", text=t, story="s-quake") for i, t in enumerate(QUAKE_A)]
    new = [
        stories.Article(id="n1", text="Rescuers in Velmar, Caldera Province, found no more survivors of the earthquake; 12 died."),
        stories.Article(id="n2", text="Dunmore bakery wins a regional prize for its rye bread, the third time in five years."),
    ]
    arts = sorted(old + new, key=lambda a: a.id)
    v = vectors.article_vectors([a.text for a in arts])
    at = {a.id: k for k, a in enumerate(arts)}
    sims = (v @ v.T).toarray()
    every_pair = {(i, j): float(sims[i, j]) for i in range(len(arts)) for j in range(i + 1, len(arts)) if sims[i, j] > 0}
    frozen = stories.group_pairs(arts, every_pair, stories.THRESHOLD, update=True)
    rows = [at["n1"], at["n2"]]
    centroid = np.asarray(v[[at[a.id] for a in old]].sum(axis=0)).ravel()
    sums = {(k, "s-quake"): float(v[r].toarray().ravel() @ centroid) for k, r in enumerate(rows)}
    joined = stories.join_stories([arts[r] for r in rows], v[rows], stories.blocking_terms(v[rows]), sums, {"s-quake": len(old)})
    assert sorted((sorted(a.id for a in g), sid) for g, sid in joined) == [(["n1"], "s-quake"), (["n2"], None)]
    assert sorted(sorted(a.id for a in g) for g in frozen) == [["a0", "a1", "n1"], ["n2"]]


def test_stored_near_duplicate_pairs_are_those_with_a_new_article_on_either_side():
    import duckdb

    from sayso.corpus import state

    con = duckdb.connect()
    state.ensure_tables(con)
    text = "The Harlow Street bridge in Dunmore will close for repairs on May 2, city engineer Nadia Orr said on Monday."
    other = "A magnitude 5.4 earthquake hit the island of Osgard on Friday, injuring 40 residents of Port Linnet."
    state.signatures(con, {"a-old": text, "m-old": text + " Updated.", "x-old": other})
    sigs = state.signatures(con, {"b-new": text, "z-new": text + " Corrected.", "y-new": other + " More."})
    pairs = state.similar_pairs(con, sigs, {"b-new", "z-new", "y-new"})
    assert ("a-old", "b-new") in pairs and ("m-old", "z-new") in pairs and ("b-new", "z-new") in pairs  # new on either side
    assert ("x-old", "y-new") in pairs and all(a < b for a, b in pairs)
    assert ("a-old", "m-old") not in pairs  # two stored articles: found when the second came
    assert not {p for p in pairs if {"a-old", "x-old"} <= set(p) or {"b-new", "y-new"} <= set(p)}  # different texts never pair
