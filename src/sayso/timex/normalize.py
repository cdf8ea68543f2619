"""Own rules (dateparser is not a dependency): one time expression's text -> (type, value).

Values follow TIMEX3: ``2025-07-10``, ``2025-07``, ``2025``, ``199`` (a decade), ``2024-W10``,
``2024-W10-WE``, ``2024-SP``, ``2016-Q1``, ``P3Y``, ``PT48H``; a weekday is ``XXXX-WXX-2`` when no
anchor is known. Without a publication date the parts the text does not give stay ``X``
("July" -> ``XXXX-07``). Expressions that name a stretch of time without placing it ("its third
year", "recent years") are ``unresolved`` with value None.

Months, weekdays and seasons without a year take the most recent one not after publication when
the sentence speaks of the past (``tense="past"``) or gives no tense (None), the next one when it
speaks of the future (``tense="future"``). In the present tense (scheduled events: "leaves office
on Jan. 20") a month (or month and day) is the occurrence nearest to publication; a weekday stays
the most recent one (news reports what happened: "says Tuesday").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from sayso.dates import to_date

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
WEEKDAYS = {
    "monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thu": 4, "thurs": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6, "sunday": 7, "sun": 7,
}
SEASONS = {"spring": ("SP", 3), "summer": ("SU", 6), "fall": ("FA", 9), "autumn": ("FA", 9), "winter": ("WI", 12)}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a couple of": 2, "a couple": 2, "couple of": 2,
}
VAGUE_NUMBERS = {"several", "few", "a few", "many", "some", "numerous", "multiple", "a number of"}
UNITS = {
    "second": ("T", "S"), "minute": ("T", "M"), "hour": ("T", "H"), "day": ("", "D"), "night": ("", "D"),
    "week": ("", "W"), "month": ("", "M"), "year": ("", "Y"), "decade": ("", "DE"), "century": ("", "CE"),
}
ORDINALS = {
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "final", "last",
}
ORDINAL_NUMBER = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
APPROXIMATORS = (
    "about", "around", "roughly", "nearly", "almost", "approximately", "some", "over", "under",
    "more than", "less than", "fewer than", "at least", "at most", "up to", "just", "only", "barely",
    "the better part of", "well over", "within", "for", "in", "on", "since", "by", "during", "of",
    "until", "till", "from",
)
EDGE_MODIFIERS = ("earlier", "later", "early", "late", "mid-", "mid", "the end of", "the beginning of",
                  "the start of", "the middle of", "end of", "beginning of")

MONTH_RE = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
UNIT_RE = r"(second|minute|hour|day|night|week|month|year|decade|century|centurie)s?"


def _clean(text: str) -> str:
    t = text.lower().replace("’", "'").replace("\u2013", "-").replace("\u2014", "-")
    t = re.sub(r"'s\b|'$", "", t)
    t = re.sub(r"\s+", " ", t).strip(" ,.;:")
    changed = True
    while changed:
        changed = False
        for word in APPROXIMATORS + ("the",):
            if t.startswith(word + " "):
                t = t[len(word) + 1 :]
                changed = True
    return t


def _strip_edges(t: str) -> str:
    for mod in EDGE_MODIFIERS:
        if t.startswith(mod):
            rest = t[len(mod) :].lstrip(" -")
            if rest.startswith("the "):
                rest = rest[4:]
            if rest.startswith("of "):
                rest = rest[3:]
            return rest
    return t


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    if word in NUMBERS:
        return NUMBERS[word]
    parts = word.replace("-", " ").split()
    if len(parts) > 1 and parts[0] in ("a", "an"):
        parts = parts[1:]
    if parts and all(p in NUMBERS for p in parts):
        return sum(NUMBERS[p] for p in parts)
    return None


def _shift_months(d: dt.date, months: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def _week(d: dt.date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def _month_year(month: int, day: int | None, pub: dt.date, tense: str | None) -> int:
    """The year of the month (and day) as ``tense`` places it around ``pub``."""
    key = (month, day or 1)
    here = (pub.month, pub.day if day else 1)
    ahead = pub.year if key >= here else pub.year + 1
    behind = pub.year if key <= here else pub.year - 1
    if tense == "future":
        return ahead
    if tense != "present" or ahead == behind:
        return behind

    def distance(year: int) -> int:
        return abs((dt.date(year, month, min(day or 15, 28)) - pub).days)

    return ahead if distance(ahead) < distance(behind) else behind


def _weekday(wd: int, pub: dt.date, tense: str | None, rel: str | None) -> dt.date:
    if rel in ("next", "coming", "this coming"):
        return pub + dt.timedelta(days=(wd - pub.isoweekday()) % 7 or 7)
    if tense == "future":
        return pub + dt.timedelta(days=(wd - pub.isoweekday()) % 7)
    delta = (pub.isoweekday() - wd) % 7
    if rel == "last" and delta == 0:
        delta = 7
    return pub - dt.timedelta(days=delta)


def _duration(n: int | None, unit: str) -> str:
    time, code = UNITS[unit]
    amount = "X" if n is None else str(n)
    if code == "DE" and n is not None:
        return f"P{n * 10}Y"
    if code == "CE" and n is not None:
        return f"P{n * 100}Y"
    return f"P{time}{amount}{code}"


def _unit(word: str) -> str | None:
    m = re.fullmatch(UNIT_RE, word)
    if not m:
        return None
    unit = m.group(1)
    return "century" if unit == "centurie" else unit


def normalize(
    text: str, published: str | dt.date | None = None, future: bool = False, tense: str | None = None
) -> tuple[str, str | None]:
    """(type, value) of one time expression; type is date, duration, set or unresolved.
    ``tense`` is "past", "present", "future" or None (unknown); ``future=True`` is ``tense="future"``."""
    pub = to_date(published, "published") if isinstance(published, str) else published
    if re.fullmatch(r"the " + UNIT_RE, text.lower().strip()) and text.lower().strip().endswith("s"):
        return ("unresolved", None)  # "in the weeks leading up to ...": no count, no place
    m = re.fullmatch(r"the (?:last|past) (week|month|year|decade|day)", text.lower().strip())
    if m:
        return ("duration", _duration(1, m.group(1)))  # "over the past week": a stretch, not a date
    t = _clean(text)
    if future:
        tense = "future"
    for rule in (_explicit, _relative, _duration_or_set):
        found = rule(t, pub, tense)
        if found:
            return found
    return ("unresolved", None)


def _explicit(t: str, pub: dt.date | None, tense: str | None) -> tuple[str, str | None] | None:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        return ("date", t)
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", t)
    if m:
        yy = int(m.group(3))
        yy += 2000 if yy < 50 else (1900 if yy < 100 else 0)
        return ("date", f"{yy}-{int(m.group(1)):02d}-{int(m.group(2)):02d}")
    # "(Monday,) July 10(th)(, 2025)", "10 July 2025", "July 2025", "July"
    t2 = re.sub(r"^(" + "|".join(WEEKDAYS) + r")\.?,? ", "", t)
    t2 = _strip_edges(t2)
    # a range of days ("September 16-19", "Sept. 19 to 22") is dated by its first day
    t2 = re.sub(r"^(" + MONTH_RE[1:-4] + r")(\.? \d{1,2})(?:st|nd|rd|th)? ?(?:-|to|through|until|and) ?\d{1,2}(?:st|nd|rd|th)?\b", r"\1\2", t2)
    # "June 16 of last year": the year from publication
    rel_year = re.search(r",? (?:of )?(last|this|next) year$", t2)
    if rel_year and pub is not None:
        shift = {"last": -1, "this": 0, "next": 1}[rel_year.group(1)]
        t2 = t2[: rel_year.start()] + f" {pub.year + shift}"
    elif rel_year:
        t2 = t2[: rel_year.start()] + " XXXX"
    month_date = _month_date(t2, pub, tense)
    if month_date is not None:
        return month_date
    m = re.fullmatch(r"(\d{4})", t2)
    if m and 1000 <= int(t2) <= 2999:
        return ("date", t2)
    m = re.fullmatch(r"(\d{3})0'?s", t2)
    if m:
        return ("date", m.group(1))
    m = re.fullmatch(r"(?:fiscal|fiscal year|fy) ?(\d{4})", t2)
    if m:
        return ("date", m.group(1))
    m = re.fullmatch(r"(first|second|third|fourth|1st|2nd|3rd|4th) (quarter|half)(?: of (\d{4}))?", t2)
    if m:
        n = ORDINAL_NUMBER[m.group(1)]
        year = m.group(3) or (str(pub.year) if pub else "XXXX")
        if m.group(2) == "half" and n > 2:
            return None
        return ("date", f"{year}-{'Q' if m.group(2) == 'quarter' else 'H'}{n}")
    m = re.fullmatch(r"(spring|summer|fall|autumn|winter)(?: of)? (\d{4})", t2)
    if m:
        return ("date", f"{m.group(2)}-{SEASONS[m.group(1)][0]}")
    return None


Value = tuple[str, str | None]
Rule = Callable[[str, "dt.date | None", "str | None"], "Value | None"]
DAY_WORDS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
             "yesterday": -1, "last night": -1, "tomorrow": 1, "the day before yesterday": -2,
             "day before yesterday": -2, "the day after tomorrow": 2, "day after tomorrow": 2}
UNKNOWN_AGO = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX"}  # without a publication date
UNKNOWN_UNIT = {"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX"}
SHIFTS = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}


def _month_date(t2: str, pub: dt.date | None, tense: str | None) -> Value | None:
    """"July 10(th)(, 2025)", "10 July 2025", "July 2025", "July" (the year from publication)."""
    m = re.fullmatch(MONTH_RE + r"(?: (\d{1,2})(?:st|nd|rd|th)?)?(?:,? (?:of )?(\d{4}|XXXX))?", t2)
    if not m:
        m2 = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? (?:of )?" + MONTH_RE + r"(?:,? (\d{4}|XXXX))?", t2)
        if m2:
            month_name, day_s, year_s = m2.group(2), m2.group(1), m2.group(3)
        else:
            month_name = day_s = year_s = None
    else:
        month_name, day_s, year_s = m.group(1), m.group(2), m.group(3)
    if month_name:
        month = MONTHS[month_name]
        day = int(day_s) if day_s else None
        if year_s:
            year = year_s
        elif pub is not None:
            year = str(_month_year(month, day, pub, tense))
        else:
            year = "XXXX"
        value = f"{year}-{month:02d}" + (f"-{day:02d}" if day else "")
        return ("date", value)
    return None


def _relative(t: str, pub: dt.date | None, tense: str | None) -> Value | None:
    """Expressions read from the publication date: "yesterday", "last Tuesday", "next March",
    "three weeks ago", "last year", "the end of the month", "summer"."""
    t2 = _strip_edges(t)
    rules: list[tuple[Rule, str]] = [(_day_word, t), (_weekday_phrase, t), (_relative_month, t), (_ago, t), (_relative_unit, t2), (_bare_season, t2)]
    for rule, text in rules:
        found = rule(text, pub, tense)
        if found is not None:
            return found
    return None if t2 == t else _edge_unit_of(t, t2, pub)


def _day_word(t: str, pub: dt.date | None, tense: str | None) -> Value | None:
    for phrase, shift in DAY_WORDS.items():
        if t == phrase or t.startswith(phrase + " ") and t.split()[-1] in ("morning", "afternoon", "evening", "night"):
            if pub is None:
                return ("date", "XXXX-XX-XX")
            return ("date", (pub + dt.timedelta(days=shift)).isoformat())
    return None


def _weekday_phrase(t: str, pub: dt.date | None, tense: str | None) -> Value | None:
    """"Tuesday", "last Tuesday", "Monday night", "next Friday"."""
    m = re.fullmatch(r"(?:(?:midnight|noon|early|late) )?(?:(last|next|this|this coming|coming|on) )?(" + "|".join(WEEKDAYS) + r")\.?(?: (?:morning|afternoon|evening|night))?", t)
    if not m:
        return None
    wd = WEEKDAYS[m.group(2)]
    if pub is None:
        return ("date", f"XXXX-WXX-{wd}")
    return ("date", _weekday(wd, pub, tense, m.group(1)).isoformat())


def _relative_month(t: str, pub: dt.date | None, tense: str | None) -> Value | None:
    """"last December", "this March", "next January"."""
    m = re.fullmatch(r"(last|this|next|past|coming) " + MONTH_RE, t)
    if not m:
        return None
    month = MONTHS[m.group(2)]
    if pub is None:
        return ("date", f"XXXX-{month:02d}")
    rel = m.group(1)
    if rel in ("last", "past"):
        year = pub.year if month < pub.month else pub.year - 1
    elif rel in ("next", "coming"):
        year = pub.year if month > pub.month else pub.year + 1
    else:
        year = pub.year
    return ("date", f"{year}-{month:02d}")


def _ago(t: str, pub: dt.date | None, tense: str | None) -> Value | None:
    """"N units ago", "N units from now" (from publication)."""
    m = re.fullmatch(r"(.+?) " + UNIT_RE + r" (ago|earlier|before|from now|later|hence)", t)
    if not m or m.group(3) not in ("ago", "from now", "hence"):
        return None
    n = _number(m.group(1))
    unit = _unit(m.group(2) + "s") or m.group(2)
    sign = -1 if m.group(3) == "ago" else 1
    if n is None:
        return ("unresolved", None)  # "several weeks ago": somewhere before publication
    if pub is None:
        return ("date", UNKNOWN_AGO.get(unit, "XXXX"))
    return ("date", _shifted(pub, sign * n, unit))


def _relative_unit(t2: str, pub: dt.date | None, tense: str | None) -> Value | None:
    """"last week", "this month", "next year", "earlier this year", "the past week" (a date, not a span)."""
    m = re.fullmatch(r"(last|past|previous|this|current|next|coming|following|same) (week|weekend|month|year|decade|century|spring|summer|fall|autumn|winter)", t2)
    if not m:
        return None
    shift, unit = SHIFTS.get(m.group(1), 0), m.group(2)
    if unit in SEASONS:
        return _season(unit, pub, shift)
    if pub is None:
        return ("date", UNKNOWN_UNIT.get(unit, "XXXX"))
    if unit == "decade":
        return ("date", str(pub.year // 10 + shift))
    if unit == "century":
        return ("date", str(pub.year // 100 + shift))
    if unit == "weekend":
        return ("date", _week(pub + dt.timedelta(weeks=shift)) + "-WE")
    return ("date", _shifted(pub, shift, unit))


def _season(name: str, pub: dt.date | None, shift: int) -> Value:
    code, start = SEASONS[name]
    if pub is None:
        return ("date", f"XXXX-{code}")
    year = pub.year
    if shift < 0:
        year = pub.year if pub.month >= start + 3 else pub.year - 1
    elif shift > 0:
        year = pub.year if pub.month < start else pub.year + 1
    return ("date", f"{year}-{code}")


def _edge_unit_of(t: str, t2: str, pub: dt.date | None) -> Value | None:
    """"the end of the year", "early in the month": the current one."""
    if t2 not in ("year", "month", "week"):
        return None
    if pub is None:
        return ("date", {"week": "XXXX-WXX", "month": "XXXX-XX"}.get(t2, "XXXX"))
    return ("date", _shifted(pub, 0, t2))


def _bare_season(t2: str, pub: dt.date | None, tense: str | None) -> Value | None:
    """Bare seasons read as the most recent (or, in the future tense, the coming) one."""
    if t2 not in SEASONS:
        return None
    code, start = SEASONS[t2]
    if pub is None:
        return ("date", f"XXXX-{code}")
    if tense == "future":
        year = pub.year if pub.month < start + 3 else pub.year + 1
    else:
        year = pub.year if pub.month >= start else pub.year - 1
    return ("date", f"{year}-{code}")


def _shifted(pub: dt.date, n: int, unit: str) -> str:
    if unit in ("day", "night"):
        return (pub + dt.timedelta(days=n)).isoformat()
    if unit == "week":
        return _week(pub + dt.timedelta(weeks=n))
    if unit == "month":
        year, month = _shift_months(pub, n)
        return f"{year}-{month:02d}"
    if unit == "decade":
        return str(pub.year // 10 + n)
    if unit == "century":
        return str(pub.year // 100 + n)
    if unit in ("hour", "minute", "second"):
        return pub.isoformat()
    return str(pub.year + n)


def _duration_or_set(t: str, pub: dt.date | None, tense: str | None) -> tuple[str, str | None] | None:
    m = re.fullmatch(r"(?:every|each) (?:(.+?) )?" + UNIT_RE, t)
    if m:
        n = _number(m.group(1)) if m.group(1) else 1
        if m.group(1) and n is None and m.group(1) != "other":
            return None
        unit = _unit(m.group(2) + "s") or m.group(2)
        return ("set", _duration(2 if m.group(1) == "other" else n, unit))
    m = re.fullmatch(r"(?:every|each) (" + "|".join(WEEKDAYS) + ")", t)
    if m:
        return ("set", f"XXXX-WXX-{WEEKDAYS[m.group(1)]}")
    sets = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y",
            "yearly": "P1Y", "annual": "P1Y", "quarterly": "P3M", "biannually": "P6M"}
    if t in sets:
        return ("set", sets[t])
    # ordinal spans: "its third year", "the first day", "the final week": placed nowhere on the calendar
    m = re.fullmatch(r"(?:its |their |his |her |the |our |my )?(\w+) (?:full |whole |entire )?" + UNIT_RE, t)
    if m and (m.group(1) in ORDINALS or re.fullmatch(r"\d+(st|nd|rd|th)", m.group(1))):
        return ("unresolved", None)
    t2 = re.sub(r"^(past|last|next|previous|coming|first|following|recent|final|preceding) ", "", t)
    t2 = re.sub(r"^(?:" + "|".join(APPROXIMATORS) + ") ", "", t2)
    m = re.fullmatch(r"(.+?)[ -]" + UNIT_RE + r"(?:[ -]long| old)?", t2)
    if m:
        n = _number(m.group(1))
        unit = _unit(m.group(2) + "s") or m.group(2)
        if n is not None:
            return ("duration", _duration(n, unit))
        if m.group(1) in VAGUE_NUMBERS:
            return ("duration", _duration(None, unit))
        m3 = re.fullmatch(r"(\d+(?:\.\d+)?)", m.group(1))
        if m3:
            return ("duration", _duration(None, unit).replace("X", m3.group(1)))
    m = re.fullmatch(r"(?:(?:a|an|one|another) )?(?:(?:extra|additional|full|whole|single) )?(year|month|week|day|decade|century|hour)(?: and a half)?", t2)
    if m and t2 != m.group(1):
        return ("duration", _duration(1, m.group(1)))
    m = re.fullmatch(UNIT_RE, t2)
    if m and t2.endswith("s"):
        return ("duration", _duration(None, _unit(t2) or m.group(1)))
    return None
