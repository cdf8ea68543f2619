"""Reads one article for `sayso analyze`: a .txt or .html file, `-` for stdin, or a URL."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sayso.analyzer import Article
from sayso.errors import InputError
from sayso.io import decode, fetch, html


def article_from_bytes(data: bytes, name: str, is_html: bool | None = None, url: str | None = None) -> Article:
    text = decode.decode(data, name)
    meta: dict[str, Any] = {"url": url}
    if is_html is None:
        is_html = html.looks_like_html(text)
    if is_html:
        text, meta = html.extract(text, url=url)
    return Article(text=text, meta=meta)


def read(source: str, allow_private: bool = False) -> Article:
    if source == "-":
        data = sys.stdin.buffer.read(decode.MAX_BYTES + 1)
        art = article_from_bytes(data, "stdin")
        art.id = "stdin"
        return art
    if source.startswith(("http://", "https://")):
        body, ctype, final = fetch.fetch(source, allow_private=allow_private)
        art = article_from_bytes(body, source, is_html=None if "html" not in ctype else True, url=final)
        art.id = final
        return art
    path = Path(source)
    if not path.is_file():
        raise InputError(f"no such file: {source}")
    decode.check_size(path.stat().st_size, source)
    suffix = path.suffix.lower()
    art = article_from_bytes(path.read_bytes(), source, is_html=True if suffix in (".html", ".htm") else None)
    art.id = path.stem
    return art
