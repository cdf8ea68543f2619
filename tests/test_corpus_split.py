"""Second stage of story grouping: one group holding two events of one kind is split in two
(sayso.corpus.stories.split_events), and a group about one event is not."""

from __future__ import annotations

from sayso.corpus import stories

SHARED = "A strong earthquake struck the region on Monday, officials said, and rescuers searched the rubble. "
EVENT_A = "The magnitude 6.1 quake hit Lindavia near the Oroma river; 40 people died in Lindavia and Oroma villages."
EVENT_B = "The magnitude 7.4 quake hit Pertho near the Kessa coast; 12 people died in Pertho and Kessa towns."


def _arts() -> list[stories.Article]:
    a = [stories.Article(id=f"a{i}", text=SHARED + EVENT_A + f" Report {i} of Lindavia Oroma.") for i in range(3)]
    b = [stories.Article(id=f"b{i}", text=SHARED + EVENT_B + f" Report {i} of Pertho Kessa.") for i in range(3)]
    return a + b


def test_a_group_of_two_events_of_one_kind_splits_in_two():
    arts = _arts()
    parts = stories.split_events(arts, list(range(len(arts))))
    assert sorted(sorted(arts[k].id for k in p) for p in parts) == [["a0", "a1", "a2"], ["b0", "b1", "b2"]]


def test_a_group_about_one_event_stays_whole_and_order_does_not_matter():
    one = [a for a in _arts() if a.id.startswith("a")] + [stories.Article(id="a9", text=SHARED + EVENT_A)]
    assert stories.split_events(one, list(range(len(one)))) == [list(range(len(one)))]
    arts = _arts()
    forward = stories.group_pairs(arts, {(i, j): 0.9 for i in range(6) for j in range(i + 1, 6)}, 0.1)
    assert sorted(sorted(a.id for a in g) for g in forward) == [["a0", "a1", "a2"], ["b0", "b1", "b2"]]
