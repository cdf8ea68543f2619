"""Time expressions in French and Russian news, read into the English wording that
``sayso.timex.normalize`` turns into TIMEX3 values ("le 3 juillet 2024" -> "July 3, 2024", "в
прошлом году" -> "last year"). One table a language: the months, the weekdays, the day words and the
relative phrases; the values themselves come from the one normaliser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")  # fmt: skip
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    english: str


@dataclass(frozen=True)
class Table:
    months: tuple[str, ...]  # a regex for each month, January first
    weekdays: tuple[str, ...]
    words: dict[str, str]  # a regex of a fixed phrase -> its English wording
    year_suffix: str  # what may follow a year ("года", "г.")


FR = Table(
    months=("janvier", "f[ée]vrier", "mars", "avril", "mai", "juin", "juillet", "ao[uû]t", "septembre",
            "octobre", "novembre", "d[ée]cembre"),  # fmt: skip
    weekdays=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    words={
        r"aujourd['’]hui": "today", r"hier": "yesterday", r"demain": "tomorrow",
        r"la semaine (?:derni[eè]re|pass[ée]e)": "last week", r"la semaine prochaine": "next week",
        r"cette semaine": "this week", r"le mois (?:dernier|pass[ée])": "last month",
        r"le mois prochain": "next month", r"ce mois-ci": "this month",
        r"l['’](?:ann[ée]e|an) (?:derni[eè]re?|pass[ée]e?)": "last year",
        r"l['’](?:ann[ée]e|an) prochaine?": "next year", r"cette ann[ée]e": "this year",
    },
    year_suffix="",
)
RU = Table(
    months=("январ[ьяею]", "феврал[ьяею]", "март[ае]?", "апрел[ьяею]", "ма[йяею]", "июн[ьяею]",
            "июл[ьяею]", "август[ае]?", "сентябр[ьяею]", "октябр[ьяею]", "ноябр[ьяею]",
            "декабр[ьяею]"),  # fmt: skip
    weekdays=("понедельник", "вторник", "сред[ау]", "четверг", "пятниц[ау]", "суббот[ау]", "воскресень[ея]"),
    words={
        r"сегодня": "today", r"вчера": "yesterday", r"завтра": "tomorrow",
        r"на прошлой неделе": "last week", r"на (?:следующей|будущей) неделе": "next week",
        r"на этой неделе": "this week", r"в прошлом месяце": "last month",
        r"в (?:следующем|будущем) месяце": "next month", r"в этом месяце": "this month",
        r"в прошлом году": "last year", r"в (?:следующем|будущем) году": "next year",
        r"в этом году": "this year",
    },
    year_suffix=r"(?:\s+(?:года|году|год|г\.))?",
)
TABLES = {"fr": FR, "ru": RU}
# Auxiliaries that make a future whatever the tagger writes of their tense (Russian "будет
# представлен": slovnet tags "будет" present).
FUTURE_AUXILIARIES = frozenset({"будет", "будут", "буду", "будем", "будете", "будешь"})


def _compile(t: Table) -> re.Pattern[str]:
    month = "|".join(f"(?P<M{k}>{m})" for k, m in enumerate(t.months))
    weekday = "|".join(f"(?P<W{k}>{w})" for k, w in enumerate(t.weekdays))
    words = "|".join(f"(?P<X{k}>{w})" for k, w in enumerate(t.words))
    year = rf"(?P<year>(?:1[89]|20)\d\d){t.year_suffix}"
    date = rf"(?:(?P<day>[0-3]?\d)(?:er)?\s+)?(?:{month})(?:\s+(?P<myear>(?:1[89]|20)\d\d){t.year_suffix})?"
    return re.compile(rf"(?<!\w)(?:{words}|{date}|(?:{weekday})|{year})(?!\w)", re.IGNORECASE)


_PATTERNS = {code: _compile(t) for code, t in TABLES.items()}


def find(text: str, language: str) -> list[Found]:
    """The time expressions of ``text``, each with its English wording."""
    table, pattern = TABLES[language], _PATTERNS[language]
    words = list(table.words.values())
    out = []
    for m in pattern.finditer(text):
        groups = {k: v for k, v in m.groupdict().items() if v is not None}
        english = None
        for key in groups:
            if key[0] == "X":
                english = words[int(key[1:])]
            elif key[0] == "W":
                english = WEEKDAYS_EN[int(key[1:])]
            elif key[0] == "M":
                english = MONTHS_EN[int(key[1:])]
                if "day" in groups:
                    english += f" {int(groups['day'])}"
                if "myear" in groups:
                    english += f", {groups['myear']}" if "day" in groups else f" {groups['myear']}"
        if english is None and "year" in groups:
            english = groups["year"]
        if english is not None:
            out.append(Found(m.start(), m.end(), english))
    return out
