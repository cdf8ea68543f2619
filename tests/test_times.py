"""Time expressions: TIMEX values against the publication date, on sentences written for these tests."""

from __future__ import annotations

import pytest

from sayso import extensions
from sayso.components.times import sentence_times
from sayso.timex import normalize

PUB = "2025-09-04"  # a Thursday


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # explicit dates
        ("March 3, 2024", PUB, ("date", "2024-03-03")),
        ("3 March 2024", None, ("date", "2024-03-03")),
        ("2024-03-03", None, ("date", "2024-03-03")),
        ("May 2019", PUB, ("date", "2019-05")),
        ("2019", PUB, ("date", "2019")),
        ("the 1980s", PUB, ("date", "198")),
        ("the first quarter of 2016", PUB, ("date", "2016-Q1")),
        # months: the most recent one not after publication, X without a date
        ("July", PUB, ("date", "2025-07")),
        ("July", None, ("date", "XXXX-07")),
        ("November", PUB, ("date", "2024-11")),
        ("Nov. 8", PUB, ("date", "2024-11-08")),
        ("Sept. 1", PUB, ("date", "2025-09-01")),
        # weekdays
        ("Tuesday", PUB, ("date", "2025-09-02")),
        ("Thursday", PUB, ("date", "2025-09-04")),
        ("last Thursday", PUB, ("date", "2025-08-28")),
        ("Monday night", PUB, ("date", "2025-09-01")),
        ("Tuesday", None, ("date", "XXXX-WXX-2")),
        # relative
        ("yesterday", PUB, ("date", "2025-09-03")),
        ("today", None, ("date", "XXXX-XX-XX")),
        ("last week", PUB, ("date", "2025-W35")),
        ("next month", PUB, ("date", "2025-10")),
        ("last year's", PUB, ("date", "2024")),
        ("earlier this year", PUB, ("date", "2025")),
        ("later this month", PUB, ("date", "2025-09")),
        ("two years ago", PUB, ("date", "2023")),
        ("three weeks ago", PUB, ("date", "2025-W33")),
        ("two years ago", None, ("date", "XXXX")),
        ("this spring", PUB, ("date", "2025-SP")),
        ("next spring", PUB, ("date", "2026-SP")),
        ("last summer", PUB, ("date", "2025-SU")),
        ("this weekend", PUB, ("date", "2025-W36-WE")),
        # durations and sets
        ("three years", PUB, ("duration", "P3Y")),
        ("the past 48 hours", PUB, ("duration", "PT48H")),
        ("more than a decade", PUB, ("duration", "P10Y")),
        ("several months", PUB, ("duration", "PXM")),
        ("a two-year", PUB, ("duration", "P2Y")),
        ("every year", PUB, ("set", "P1Y")),
        ("every four years", PUB, ("set", "P4Y")),
        ("weekly", PUB, ("set", "P1W")),
        # ordinal spans are typed but not placed
        ("its third year", PUB, ("unresolved", None)),
        ("the first day", PUB, ("unresolved", None)),
    ],
)
def test_normalize(text, published, expected):
    assert normalize(text, published) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("December", "2026-01-05", ("date", "2025-12")),  # read on 5 January: last year's December
        ("Dec. 30", "2026-01-05", ("date", "2025-12-30")),
        ("January", "2026-01-05", ("date", "2026-01")),
        ("Friday", "2026-01-05", ("date", "2026-01-02")),  # a Monday: last Friday was in 2025
        ("last week", "2026-01-05", ("date", "2026-W01")),
        ("last week", "2026-01-01", ("date", "2025-W52")),
        ("last month", "2026-01-05", ("date", "2025-12")),
        ("next month", "2025-12-15", ("date", "2026-01")),
        ("last year", "2026-01-05", ("date", "2025")),
        ("yesterday", "2026-01-01", ("date", "2025-12-31")),
        ("last winter", "2026-01-05", ("date", "2025-WI")),
    ],
)
def test_year_boundaries(text, published, expected):
    assert normalize(text, published) == expected


def test_future_tense_takes_the_next_month():
    assert normalize("January", "2025-09-04", future=True) == ("date", "2026-01")
    assert normalize("Tuesday", "2025-09-04", future=True) == ("date", "2025-09-09")
    assert normalize("September", "2025-09-04", future=True) == ("date", "2025-09")


def times_of(analyze, text, published):
    return [(t["text"], t["type"], t["value"]) for t in analyze(text, published)["times"]]


def test_component_reads_tense_and_publication_date(analyze):
    text = "The council met in July. It will meet again in January."
    assert times_of(analyze, text, "2025-09-04") == [("July", "date", "2025-07"), ("January", "date", "2026-01")]
    assert times_of(analyze, text, None) == [("July", "date", "XXXX-07"), ("January", "date", "XXXX-01")]


def test_component_year_boundary(analyze):
    text = "The mill closed in December after three years of losses."
    assert times_of(analyze, text, "2026-01-05") == [("December", "date", "2025-12"), ("three years", "duration", "P3Y")]


def test_component_ordinal_span_and_ages(analyze):
    text = "The 52-year-old mayor said the strike had entered its third year."
    times = times_of(analyze, text, "2025-09-04")
    assert ("third year", "unresolved", None) in times
    assert not any("old" in t[0] for t in times)


def test_sentence_times_prefer_dates(nlp):
    doc = nlp.make_doc("After three years of talks, the deal was signed on Tuesday. Nothing else happened.")
    extensions.set_published(doc, "2025-09-04")
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert sentence_times(doc) == {0: "2025-09-02"}


def test_attributions_carry_their_sentence_time(nlp):
    from sayso.components.times import TimesComponent
    from sayso.types import Attribution

    doc = nlp("The minister said on Monday that taxes would fall.")
    extensions.set_published(doc, "2025-09-04")
    cue = doc.text.index("said")
    extensions.set_attributions(doc, [Attribution(cue=(cue, cue + 4), sentence=0)])
    TimesComponent()(doc)
    assert extensions.attributions(doc)[0].time == "2025-09-01"


@pytest.mark.parametrize(
    ("text", "published", "tense", "expected"),
    [
        # a scheduled event in the present tense: the nearest occurrence
        ("Jan. 20", "2016-09-27", "present", ("date", "2017-01-20")),
        ("Nov. 8", "2016-09-27", "present", ("date", "2016-11-08")),
        ("Nov. 8", "2016-09-27", "past", ("date", "2015-11-08")),
        ("Tuesday", "2016-09-27", "future", ("date", "2016-09-27")),  # same day, later on
        ("Friday", "2016-09-27", "present", ("date", "2016-09-23")),
    ],
)
def test_tense(text, published, tense, expected):
    assert normalize(text, published, tense=tense) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("September 16-19", ("date", "2016-09-16")),
        ("Sept. 19 to 22", ("date", "2016-09-19")),
        ("last December", ("date", "2015-12")),
        ("next January", ("date", "2017-01")),
        ("the end of the year", ("date", "2016")),
        ("midnight Friday", ("date", "2016-09-23")),
        ("an extra week", ("duration", "P1W")),
        ("the weeks", ("unresolved", None)),
        ("its first full day", ("unresolved", None)),
    ],
)
def test_more_forms(text, expected):
    assert normalize(text, "2016-09-27") == expected


def test_component_tense_ranges_and_non_times(analyze):
    text = (
        "The senator leaves office on Jan. 20. Deaths rose from 2001 to 2014. "
        "Tom Roe, 30, lives on West 23rd Street."
    )
    times = times_of(analyze, text, "2016-09-27")
    assert ("Jan. 20", "date", "2017-01-20") in times
    assert ("2001", "date", "2001") in times and ("2014", "date", "2014") in times
    assert not any(t[0] in ("30", "West 23rd") for t in times)


def test_day_of_a_relative_year():
    assert normalize("June 16th of last year", "2016-10-02") == ("date", "2015-06-16")
    assert normalize("June 16th of last year", None) == ("date", "XXXX-06-16")


def test_component_since_sets_and_possessive_split(analyze):
    text = (
        "There have been thousands of shootings since January 1st. "
        "Police released video on Monday of last week’s shooting. She sang at church every week."
    )
    times = times_of(analyze, text, "2016-09-20")
    assert ("January 1st", "date", "2016-01-01") in times
    assert ("Monday", "date", "2016-09-19") in times and ("last week", "date", "2016-W37") in times
    assert ("every week", "set", "P1W") in times


def test_vague_and_stretch_forms():
    assert normalize("several weeks ago", PUB) == ("unresolved", None)
    assert normalize("the past week", PUB) == ("duration", "P1W")
    assert normalize("last week", PUB) == ("date", "2025-W35")


def test_a_newspaper_name_is_not_today(analyze):
    times = times_of(analyze, "She told USA TODAY that the vote was close.", PUB)
    assert times == []
