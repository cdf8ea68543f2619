"""Publication dates: the one strict parser for every way a date comes in.

The CLI (`--published`), JSONL records, HTML page metadata, the API and the store all go through
here. A date is ``YYYY-MM-DD``, or an ISO 8601 date-time whose date part is that (a feed's
``2024-05-02T10:00:00Z``); anything else — ``2025-02-30``, ``04/09/2025``, ``2024-5-2`` — is refused
with an error that names the value. Page metadata is not the user's word: an unparseable page date
becomes ``None`` (`page_date`), never an error.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sayso.errors import InputError

_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")


def to_date(value: str | dt.date, what: str = "date") -> dt.date:
    """The date of ``value``; raises InputError naming the value when it is not a real ISO date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    if isinstance(value, str) and _SHAPE.match(text):
        try:
            day = dt.date.fromisoformat(text[:10])
            if len(text) > 10:  # a date-time: the rest must be a real ISO time too
                dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
            return day
        except ValueError:
            pass
    raise InputError(f"{what} must be a date YYYY-MM-DD, not {_shown(value)}", reason="bad date")


def parse_date(value: str | dt.date, what: str = "date") -> str:
    """``value`` as ``YYYY-MM-DD``; raises InputError naming the value (see `to_date`)."""
    return to_date(value, what).isoformat()


def optional_date(value: Any, what: str = "date") -> str | None:
    """`parse_date` for a value that may be absent (None or "")."""
    if value is None or value == "":
        return None
    return parse_date(value, what)


def page_date(value: Any) -> str | None:
    """A date found in a page's metadata: ``YYYY-MM-DD``, or None when it is missing or not a date."""
    try:
        return optional_date(value)
    except InputError:
        return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
