"""Which content types hold an article: HTML or plain text. JSON, images, PDF and other binary
types do not, whatever their bytes decode to."""

from __future__ import annotations

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain", "text/markdown")


def media_type(content_type: str | None) -> str:
    """``text/html; charset=utf-8`` -> ``text/html``; "" when none is given."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_article(content_type: str | None) -> bool:
    """True for HTML and plain text, and when no type is given (the bytes then decide)."""
    kind = media_type(content_type)
    return not kind or kind in HTML_TYPES or kind in TEXT_TYPES


def is_html(content_type: str | None) -> bool | None:
    """True for an HTML type, False for plain text, None when no type is given."""
    kind = media_type(content_type)
    return None if not kind else kind in HTML_TYPES
