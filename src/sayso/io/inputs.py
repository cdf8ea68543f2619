"""Reads one article for `sayso analyze`: a .txt or .html file, `-` for stdin, or a URL."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sayso.analyzer import Article
from sayso.io import content_type, decode, fetch
from sayso.io.article import to_article
from sayso.io.files import open_regular


def read(
    source: str, allow_private: bool = False, deadline_s: float | None = None, max_bytes: int | None = None
) -> Article:
    cap = decode.limit(max_bytes)
    if source == "-":
        data = sys.stdin.buffer.read(cap + 1)
        return to_article(data, "stdin", id="stdin", max_bytes=cap)
    if source.startswith(("http://", "https://")):
        body, ctype, final = fetch.fetch(source, allow_private=allow_private, deadline_s=deadline_s, max_bytes=cap)
        is_html = True if content_type.is_html(ctype) else None
        return to_article(body, source, is_html=is_html, meta={"url": final}, id=final, max_bytes=cap)
    path = Path(source)
    data = read_regular_file(path, cap, source)
    is_html = True if path.suffix.lower() in (".html", ".htm") else None
    return to_article(data, source, is_html=is_html, id=path.stem, max_bytes=cap)


def read_regular_file(path: Path, cap: int, name: str) -> bytes:
    """The bytes of a regular file (at most ``cap`` + 1: decoding refuses what is over the cap)."""
    with open_regular(path, name) as fh:
        decode.check_size(os.fstat(fh.fileno()).st_size, name, cap)
        return fh.read(cap + 1)
