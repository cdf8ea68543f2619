"""Page debris: the lines a news page carries that are not the article and not the outlet's voice.

Newsletter and subscription prompts, "follow us" and share buttons, comment counts, "Read more:"
and "Related:" links, reading times, affiliate disclaimers and copyright lines. One rule for both
uses: HTML extraction drops such lines (``sayso.io.html``), and a sentence of a text that is one is
flagged in the report (``debris``) and left out of the profile (``sayso_status``). Only short lines
that are wholly boilerplate match: an article sentence that merely mentions a newsletter does not.
"""

from __future__ import annotations

import re

MAX_CHARS = 240  # debris is short; a longer line is article text whatever it says

_PATTERNS = [
    # newsletters and subscriptions
    r"(sign up|subscribe|register)\b.{0,80}\b(newsletter|inbox|updates|alerts|free|today|now|here)\b.*",
    r"(get|join|try|receive|sign up for|subscribe to|our|free)\b.{0,60}\bnewsletters?",
    r"thanks? (you )?for (signing up|subscribing)\b.*",
    r"keep an eye on your inbox\b.*",
    r"there was an error processing your (subscription|request)\b.*",
    r"(already a subscriber|subscribe (now|today|here))\b.*",
    r"get .{0,60} delivered (to|through) your (inbox|door|letterbox)\b.*",
    # following and sharing
    r"follow (us|him|her|them|[A-Z][\w.&' -]{0,60}?) on (facebook|twitter|instagram|youtube|x|tiktok|linkedin|telegram)\b.*",
    r"(like this (story|article)\??\s*)?share (it|this( story| article)?)( with a friend| on \w+)?[!.]?",
    r"(share|tweet|email|print|pin|whatsapp)( this( story| article)?)?",
    r"(share|tweet|email|print|pin|comment)s?(\s*[|/·•]\s*(share|tweet|email|print|pin|comment)s?)+",
    # comments
    r"\d+\s+comments?|comments?(\s*\(\d+\))?",
    r"(tell us what you think|leave a comment|join the (conversation|discussion)|view comments)\b.*",
    # links to other pages
    r"(read more|see more|also read|read also|related( post| stories| articles?| coverage)?|more on this( story)?|"
    r"don'?t miss|you may also like|recommended( for you)?|more from [\w ]{1,40}|trending( now)?|most read|"
    r"popular|editor'?s picks?|watch|listen|more)\s*[:|]\s*.*",
    r"(you may also like|don'?t miss|most read|trending now|recommended for you|related (stories|articles))",
    r"click here\b.*",
    r".{0,120}\bclick here (to|for)\b.*",
    # reading time, disclaimers, rights
    r"(\d+\s*(min(ute)?s?|m)\.? read|reading time:?\s*\d+.*|tempo de leitura:.*)",
    r".{0,160}\b(if you (buy|purchase|click)|when you buy) .{0,80}\b(we|\w+) (may|might|could) (get|earn|receive)\b.*",
    r".{0,80}\b(affiliate (links?|commission)|commission (on|from) (purchases|sales))\b.*",
    r"(copyright|\(c\)|©|ⓒ)\s.*|.{0,80}\ball rights reserved\b.*",
    r"(advertisement|sponsored( content)?|ad|story continues below( advertisement)?)",
]
_DEBRIS = re.compile(r"\s*[-–—•|]?\s*(?:" + "|".join(f"(?:{p})" for p in _PATTERNS) + r")\s*", re.IGNORECASE)


def is_debris(line: str) -> bool:
    """Whether ``line`` (a line or sentence of a page) is wholly page debris."""
    text = line.strip()
    return bool(text) and len(text) <= MAX_CHARS and _DEBRIS.fullmatch(text) is not None


def drop_debris(text: str) -> str:
    """``text`` without its debris lines (the line breaks of the rest as they were)."""
    kept = [line for line in text.split("\n") if not is_debris(line)]
    return "\n".join(kept)
